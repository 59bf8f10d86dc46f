/* gpgpackd.c - the gpgpack daemon: options, gpgpackd.conf, main
 *
 * Modelled on GnuPG's kbx/keyboxd.c and agent/gpg-agent.c: gpgrt
 * argparse with gpgpackd.conf in the homedir (re-read on SIGHUP), and
 * the three ways to run: --server (one session on stdin/stdout),
 * --daemon (fork, own socket) and --supervised (socket from systemd).
 * The socket and the connection loop are in listener.c.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <signal.h>

#include "gpgpackd.h"
#include "policy.h"
#include "tmpjournal.h"
#include "socketdir.h"
#include "version.h"
#include "common.h"

ASSUAN_SYSTEM_NPTH_IMPL;

/* Size of libgcrypt's locked secure memory pool.  */
#define SECMEM_POOL_SIZE (1024 * 1024)
/* Size of each pool libgcrypt adds when that one is full.  libgcrypt
 * (1.10) serves no single allocation larger than this, and key data
 * and packs sit in one buffer each (doubling as it grows): with 1 MiB
 * here every export or import of more than 1 MiB of keys (10,000
 * ed25519 or about 600 rsa3072 public keys) failed with EIO.  The added
 * pools are plain malloc, so only the pages used count.  */
#define SECMEM_EXPAND_SIZE (256 * 1024 * 1024)

struct gpgpackd_options opt;

enum cmd_and_opt_values
  {
    aNull = 0,
    oQuiet = 'q',     /* Short options are their own letters.  */
    oVerbose = 'v',
    oDaemon = 500,
    oServer,
    oSupervised,
    oHomedir,
    oOptions,
    oLogFile,
    oDenySecretExport,
    oAllowedWrapKey,
    oMinThreshold,
    oRequireSignature,
    oSignKey,
    oMaxPackSize
  };

static gpgrt_opt_t opts[] =
  {
    ARGPARSE_group (300, "@Options:\n "),
    ARGPARSE_s_n (oDaemon,  "daemon", "run in daemon mode (background)"),
    ARGPARSE_s_n (oServer,  "server", "run one session on stdin/stdout"),
    ARGPARSE_s_n (oSupervised, "supervised",
                  "run under systemd with the socket it passes"),
    ARGPARSE_s_s (oHomedir, "homedir", "|DIR|use DIR as GnuPG home"),
    ARGPARSE_conffile (oOptions, "options", "|FILE|read options from FILE"),
    ARGPARSE_s_s (oLogFile, "log-file", "|FILE|write log output to FILE"),
    ARGPARSE_s_n (oVerbose, "verbose", "verbose"),
    ARGPARSE_s_n (oQuiet,   "quiet", "be somewhat more quiet"),
    ARGPARSE_s_n (oDenySecretExport, "deny-secret-export",
                  "secret keys may leave only as shares"),
    ARGPARSE_s_s (oAllowedWrapKey, "allowed-wrap-key",
                  "|FPR|accept FPR (and the others given) as wrap key"),
    ARGPARSE_s_s (oMinThreshold, "min-threshold",
                  "|T|refuse shares with a threshold below T"),
    ARGPARSE_s_s (oRequireSignature, "require-signature",
                  "|FPR|import only packs signed by FPR (or another given)"),
    ARGPARSE_s_s (oSignKey, "sign-key", "|FPR|sign exports with FPR"),
    ARGPARSE_s_u (oMaxPackSize, "max-pack-size",
                  "|N|accept inquired packs of at most N bytes"),
    ARGPARSE_end ()
  };

/* The configuration file read last, for SIGHUP.  */
static char *config_filename;

/* The libraries whose versions --version shows, as gpg-agent does.  */
static const struct gpgpack_libversion libversions[] =
  {
    { "libgcrypt", gcry_check_version },
    { "libgpg-error", gpgrt_check_version },
    { "libassuan", assuan_check_version },
    { "gpgme", gpgme_check_version }
  };

static const char *
my_strusage (int level)
{
  switch (level)
    {
    case 9: return "GPL-3.0-or-later";
    case 11: return "gpgpackd (gpgpack)";
    case 13: return PACKAGE_VERSION;
    case 14: return GPGPACK_COPYRIGHT_LINE;
    case 19: return "Please report bugs to <" PACKAGE_BUGREPORT ">.\n";
    case 1:
    case 40: return "Usage: gpgpackd [options] (-h for help)";
    case 41: return "Syntax: gpgpackd [options] --daemon|--server|--supervised\n"
               "Serve gpgpack requests over Assuan\n";
    default:
      return gpgpack_libversion_line (level, libversions, DIM (libversions));
    }
}

/* Find --homedir (or $GNUPGHOME) before the config file is read.  */
static void
preparse_homedir (int argc, char **argv)
{
  gpgrt_argparse_t pargs = { &argc, &argv,
                             ARGPARSE_FLAG_KEEP | ARGPARSE_FLAG_NOVERSION };
  const char *homedir = NULL;

  while (gpgrt_argparse (NULL, &pargs, opts))
    if (pargs.r_opt == oHomedir)
      homedir = pargs.r.ret_str;
  opt.homedir = gpgpack_homedir (homedir);
  if (!opt.homedir)
    log_fatal ("can't determine the home directory: %s\n",
               gpg_strerror (gpg_error_from_syserror ()));
  gpgrt_argparse (NULL, &pargs, NULL);
}

/* Add the policy rule in PARGS, read from FILE (NULL: the command
 * line), to POL; log a malformed one with its FILE:LINE.  */
static gpg_error_t
add_policy_rule (gpgrt_argparse_t *pargs, policy_t pol, const char *file)
{
  const char *name = NULL, *value = NULL, *why;
  char *where;
  gpg_error_t err;
  int i;

  for (i = 0; opts[i].short_opt; i++)
    if (opts[i].short_opt == pargs->r_opt)
      name = opts[i].long_opt;
  if (pargs->r_type == ARGPARSE_TYPE_STRING)
    value = pargs->r.ret_str;
  where = file ? gpgrt_bsprintf ("%s:%u", file, pargs->lineno)
               : gpgrt_strdup ("command line");
  if (!where)
    return gpg_error_from_syserror ();
  err = policy_add (pol, name, value, where, &why);
  if (err)
    log_error ("%s: bad %s '%s': %s\n", where, name, value, why);
  gpgrt_free (where);
  return err;
}

/* Apply the option in PARGS that gpgpackd.conf may change at run time
 * (re-read on SIGHUP) to O, or to POL for a policy rule (read from
 * FILE, NULL: the command line).  Return 1 if done, 0 if it is not
 * one of them, -1 if its value is bad (logged).  */
static int
apply_rereadable (gpgrt_argparse_t *pargs, struct gpgpackd_options *o,
                  policy_t pol, const char *file)
{
  switch (pargs->r_opt)
    {
    case oMaxPackSize: o->max_pack_size = pargs->r.ret_ulong; return 1;
    case oDenySecretExport:
    case oAllowedWrapKey:
    case oMinThreshold:
    case oRequireSignature:
    case oSignKey:
      return add_policy_rule (pargs, pol, file) ? -1 : 1;
    default: return 0;
    }
}

/* The settings of apply_rereadable given on the command line: they
 * win over gpgpackd.conf's at the start and after every SIGHUP.  */
static struct
{
  policy_t rules;                /* the rules, each "command line"      */
  struct gpgpackd_options opt;   /* max_pack_size, if HAS_MAX_PACK_SIZE */
  int has_max_pack_size;
} cmdline;

/* Apply the option in PARGS of the command line that gpgpackd.conf may
 * also set to CMDLINE, as apply_rereadable does.  */
static int
keep_rereadable (gpgrt_argparse_t *pargs)
{
  if (pargs->r_opt == oMaxPackSize)
    cmdline.has_max_pack_size = 1;
  return apply_rereadable (pargs, &cmdline.opt, cmdline.rules, NULL);
}

/* Put the settings of CMDLINE over O and POL as read from the file.  */
static gpg_error_t
apply_cmdline (struct gpgpackd_options *o, policy_t pol)
{
  if (cmdline.has_max_pack_size)
    o->max_pack_size = cmdline.opt.max_pack_size;
  return policy_add_all (pol, cmdline.rules);
}

/* Reset the options apply_rereadable sets to their defaults; the
 * policy rules go to a new empty set at R_POL.  */
static gpg_error_t
default_rereadable (struct gpgpackd_options *o, policy_t *r_pol)
{
  o->max_pack_size = DEFAULT_MAX_PACK_SIZE;
  return policy_new (r_pol);
}

/* The string value in PARGS, malloced: argparse hands over the values
 * it read from a file (IN_FILE); the command line's point into argv.  */
static char *
take_string (gpgrt_argparse_t *pargs, int in_file)
{
  char *s = in_file ? pargs->r.ret_str : gpgrt_strdup (pargs->r.ret_str);

  if (!s)
    log_fatal ("%s\n", gpg_strerror (gpg_error_from_syserror ()));
  return s;
}

/* Parse the command line and gpgpackd.conf; return the mode.  The
 * --log-file name (malloced) goes to R_LOGFILE.  */
static int
parse_options (int argc, char **argv, char **r_logfile)
{
  gpgrt_argparse_t pargs = { &argc, &argv, ARGPARSE_FLAG_USER };
  int mode = 0, bad = 0, in_file = 0;
  policy_t pol;
  gpg_error_t err;

  preparse_homedir (argc, argv);
  gpgrt_set_confdir (GPGRT_CONFDIR_USER, opt.homedir);
  err = default_rereadable (&opt, &pol);
  if (!err)
    err = policy_new (&cmdline.rules);
  if (err)
    log_fatal ("can't set up the policy: %s\n", gpg_strerror (err));
  while (gpgrt_argparser (&pargs, opts, "gpgpackd.conf"))
    {
      switch (pargs.r_opt)
        {
        case ARGPARSE_CONFFILE:
          in_file = !!pargs.r_type;   /* None: the command line now.  */
          if (!pargs.r_type)
            break;
          if (opt.verbose)
            log_info ("reading options from '%s'\n", pargs.r.ret_str);
          /* Argparse hands the name over to us (it annotates it as
           * leaked); keep the last one for SIGHUP.  */
          gpgrt_free (config_filename);
          config_filename = pargs.r.ret_str;
          break;
        case oDaemon:
        case oServer:
        case oSupervised: mode = pargs.r_opt; break;
        case oHomedir:   /* Done by preparse_homedir.  */
          if (in_file)
            gpgrt_free (pargs.r.ret_str);
          break;
        case oLogFile:
          gpgrt_free (*r_logfile);
          *r_logfile = take_string (&pargs, in_file);
          break;
        case oVerbose: opt.verbose++; break;
        case oQuiet: opt.verbose = 0; break;
        default:
          /* Report every bad option, release argparse's state,
           * then exit 2 as ARGPARSE_PRINT_ERROR would.  */
          switch (in_file ? apply_rereadable (&pargs, &opt, pol,
                                              config_filename)
                          : keep_rereadable (&pargs))
            {
            case 0: pargs.err = ARGPARSE_PRINT_WARNING; /* fall through */
            case -1: bad = 1; break;
            }
          if (in_file && pargs.r_type == ARGPARSE_TYPE_STRING)
            gpgrt_free (pargs.r.ret_str);    /* From the file: ours.  */
          break;
        }
    }
  gpgrt_argparse (NULL, &pargs, NULL);
  if (bad)
    exit (2);
  err = apply_cmdline (&opt, pol);
  if (err)
    log_fatal ("can't set up the policy: %s\n", gpg_strerror (err));
  policy_install (pol);
  if (argc)
    gpgrt_usage (1);
  /* Without one, SIGHUP looks for a gpgpackd.conf written since.  */
  if (!config_filename)
    config_filename = gpgrt_strconcat (opt.homedir, "/gpgpackd.conf", NULL);
  return mode;
}

/* SIGHUP: read the configuration file again, as gpg-agent's
 * reread_configuration does; the command line's rereadable settings
 * are applied over it again.  A file with an error is reported and
 * changes nothing: the settings in force stay.  */
void
daemon_reread_config (void)
{
  struct gpgpackd_options fresh = opt;
  gpgrt_argparse_t pargs = { NULL, NULL, ARGPARSE_FLAG_KEEP };
  policy_t pol;
  char *twopart;
  int dummy = 0, bad = 0;
  gpg_error_t err;

  twopart = config_filename
             ? gpgrt_strconcat ("gpgpackd.conf:", config_filename, NULL)
             : NULL;
  err = twopart ? default_rereadable (&fresh, &pol)
                : gpg_error_from_syserror ();
  if (err)
    {
      log_error ("can't re-read the options: %s\n", gpg_strerror (err));
      gpgrt_free (twopart);
      return;
    }
  log_info ("SIGHUP received - re-reading '%s'\n", config_filename);
  pargs.argc = &dummy;
  pargs.flags |= ARGPARSE_FLAG_USER;
  while (gpgrt_argparser (&pargs, opts, twopart))
    if (pargs.r_opt == ARGPARSE_CONFFILE)
      gpgrt_free (pargs.r.ret_str);   /* Ours (NULL after the file).  */
    else if (pargs.r_opt < -1)
      {
        pargs.err = ARGPARSE_PRINT_WARNING;
        bad = 1;
      }
    else if (pargs.r_opt > 0)
      {
        /* The others need a restart.  */
        if (apply_rereadable (&pargs, &fresh, pol, config_filename) < 0)
          bad = 1;
        if (pargs.r_type == ARGPARSE_TYPE_STRING)
          gpgrt_free (pargs.r.ret_str);      /* From the file: ours.  */
      }
  gpgrt_argparse (NULL, &pargs, NULL);
  gpgrt_free (twopart);
  if (bad)
    log_error ("'%s' has errors - keeping the settings in force\n",
               config_filename);
  else if ((err = apply_cmdline (&fresh, pol)))
    log_error ("can't add the command line's rules: %s - keeping the"
               " settings in force\n", gpg_strerror (err));
  if (bad || err)
    {
      policy_release (pol);
      return;
    }
  opt = fresh;
  policy_install (pol);
}

/* Set up nPth, libgcrypt, libassuan and GPGME the way GnuPG daemons
 * do.  Called after the fork: neither nPth's lock nor mlocked secure
 * memory survive it.  */
static void
init_libraries (void)
{
  npth_init ();
  gpgrt_set_syscall_clamp (npth_unprotect, npth_protect);

  if (!gcry_check_version (NEED_LIBGCRYPT_VERSION))
    log_fatal ("libgcrypt is too old\n");
  /* One MiB of locked memory holds typical exports; bigger key data
   * goes to auto-expanded pools (not locked, still wiped).  */
  gcry_control (GCRYCTL_INIT_SECMEM, SECMEM_POOL_SIZE, 0);
  gcry_control (GCRYCTL_AUTO_EXPAND_SECMEM, SECMEM_EXPAND_SIZE);
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);

  assuan_set_system_hooks (ASSUAN_SYSTEM_NPTH);

  setlocale (LC_ALL, "");
  gpgme_check_version (NULL);
  gpgme_set_locale (NULL, LC_CTYPE, setlocale (LC_CTYPE, NULL));
  gpgme_set_engine_info (GPGME_PROTOCOL_OpenPGP, NULL, opt.homedir);
}

/* --daemon: make the socket, fork, say "ready" when it listens; the
 * socket is removed at exit while it is ours.  */
static void
start_daemon (void)
{
  gpg_error_t err;
  int ready_fd;

  ready_fd = daemonize ();
  err = listener_create ();
  if (gpg_err_code (err) == GPG_ERR_EADDRINUSE)
    log_fatal ("gpgpackd is already running for this home (socket '%s')"
               " - not starting a second one\n", opt.socket_name);
  if (err)
    log_fatal ("can't listen on socket '%s': %s\n",
               opt.socket_name, gpg_strerror (err));
  atexit (listener_close);
  init_libraries ();
  daemonize_ready (ready_fd);
}

/* --supervised: take the listening socket systemd passed; systemd
 * owns the socket file, we do not fork and log to stderr.  */
static void
start_supervised (void)
{
  gpg_error_t err;

  err = listener_from_systemd ();
  if (err)
    log_fatal ("--supervised: no listening socket from systemd"
               " (LISTEN_PID, LISTEN_FDS; start gpgpackd.socket): %s\n",
               gpg_strerror (err));
  init_libraries ();
}

int
main (int argc, char **argv)
{
  char *logfile = NULL;
  gpg_error_t err;
  int mode;

  gpgrt_check_version (NULL);
  gpgrt_set_strusage (my_strusage);
  log_set_prefix ("gpgpackd", GPGRT_LOG_WITH_PREFIX);
  mode = parse_options (argc, argv, &logfile);
  if (logfile)
    {
      log_set_file (logfile);
      log_set_prefix (NULL, (GPGRT_LOG_WITH_PREFIX | GPGRT_LOG_WITH_TIME
                             | GPGRT_LOG_WITH_PID));
      gpgrt_free (logfile);
    }
  if (!mode)
    {
      log_error ("please use --daemon, --server or --supervised\n");
      gpgrt_usage (1);
    }
  err = gpgpack_check_homedir (opt.homedir);
  if (err)
    log_fatal ("no such GnuPG home: %s (%s)\n",
               opt.homedir, gpg_strerror (err));
  err = tmpjournal_init (opt.homedir);
  if (err)
    log_fatal ("can't use the temp file journal in '%s': %s"
               " - make the home writable\n", opt.homedir, gpg_strerror (err));

  /* Past RLIMIT_FSIZE a write fails with EFBIG, which the export
   * reports, instead of killing the daemon.  */
  signal (SIGXFSZ, SIG_IGN);
  assuan_set_gpg_err_source (GPG_ERR_SOURCE_DEFAULT);
  assuan_sock_init ();
  err = plugin_load_dir (NULL, &opt.plugins);
  if (err)
    log_fatal ("error loading the pack format plugins: %s\n",
               gpg_strerror (err));
  err = gpgpack_socket_name (opt.homedir, &opt.socket_name);
  if (err)
    log_fatal ("can't determine the socket name: %s\n", gpg_strerror (err));

  if (mode == oServer)
    {
      init_libraries ();
      server_run_session (-1);
      plugin_release (opt.plugins);
      return 0;
    }

  if (mode == oSupervised)
    start_supervised ();
  else
    start_daemon ();
  listener_run ();
  listener_close ();
  /* Sessions still running end with the process; the temp file of an
   * unfinished --output-dir export stays in the journal and goes at
   * the next start (tmpjournal.c).  */
  return 0;
}
