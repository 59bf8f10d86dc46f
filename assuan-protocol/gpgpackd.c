/* gpgpackd.c - the gpgpack daemon: options, socket, connection loop
 *
 * Modelled on GnuPG's kbx/keyboxd.c: gpgrt argparse with gpgpackd.conf
 * in the homedir, one nPth thread per connection, SIGTERM and
 * KILLDAEMON stop the daemon and remove the socket.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <locale.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "gpgpackd.h"
#include "socketdir.h"
#include "common.h"

ASSUAN_SYSTEM_NPTH_IMPL;

struct gpgpackd_options opt;

enum cmd_and_opt_values
  {
    aNull = 0,
    oDaemon = 500,
    oServer,
    oHomedir,
    oOptions,
    oLogFile,
    oVerbose,
    oQuiet,
    oDenySecretExport,
    oMaxPackSize
  };

static gpgrt_opt_t opts[] =
  {
    ARGPARSE_group (300, "@Options:\n "),
    ARGPARSE_s_n (oDaemon,  "daemon", "run in daemon mode (background)"),
    ARGPARSE_s_n (oServer,  "server", "run one session on stdin/stdout"),
    ARGPARSE_s_s (oHomedir, "homedir", "|DIR|use DIR as GnuPG home"),
    ARGPARSE_conffile (oOptions, "options", "|FILE|read options from FILE"),
    ARGPARSE_s_s (oLogFile, "log-file", "|FILE|write log output to FILE"),
    ARGPARSE_s_n (oVerbose, "verbose", "verbose"),
    ARGPARSE_s_n (oQuiet,   "quiet", "be somewhat more quiet"),
    ARGPARSE_s_n (oDenySecretExport, "deny-secret-export",
                  "refuse to export secret keys"),
    ARGPARSE_s_u (oMaxPackSize, "max-pack-size",
                  "|N|accept inquired packs of at most N bytes"),
    ARGPARSE_end ()
  };

/* The listening socket and whether we created it.  */
static assuan_fd_t listen_fd = ASSUAN_INVALID_FD;
static int socket_created;
/* Number of live connections and the shutdown request.  */
static int active_connections;
static volatile int shutdown_pending;

static const char *
my_strusage (int level)
{
  switch (level)
    {
    case 9: return "GPL-3.0-or-later";
    case 11: return "gpgpackd (gpgpack)";
    case 13: return PACKAGE_VERSION;
    case 19: return "Please report bugs to <" PACKAGE_BUGREPORT ">.\n";
    case 1:
    case 40: return "Usage: gpgpackd [options] (-h for help)";
    case 41: return "Syntax: gpgpackd [options] [--daemon|--server]\n"
               "Serve gpgpack requests over Assuan\n";
    default: return NULL;
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

/* Parse the command line and gpgpackd.conf; return the mode.  */
static int
parse_options (int argc, char **argv, const char **r_logfile)
{
  gpgrt_argparse_t pargs = { &argc, &argv, ARGPARSE_FLAG_USER };
  int mode = 0;

  preparse_homedir (argc, argv);
  gpgrt_set_confdir (GPGRT_CONFDIR_USER, opt.homedir);
  opt.max_pack_size = DEFAULT_MAX_PACK_SIZE;
  while (gpgrt_argparser (&pargs, opts, "gpgpackd.conf"))
    {
      switch (pargs.r_opt)
        {
        case ARGPARSE_CONFFILE:
          if (opt.verbose && pargs.r_type)
            log_info ("reading options from '%s'\n", pargs.r.ret_str);
          break;
        case oDaemon:
        case oServer: mode = pargs.r_opt; break;
        case oHomedir: break;   /* Done by preparse_homedir.  */
        case oLogFile: *r_logfile = pargs.r.ret_str; break;
        case oVerbose: opt.verbose++; break;
        case oQuiet: opt.verbose = 0; break;
        case oDenySecretExport: opt.deny_secret_export = 1; break;
        case oMaxPackSize: opt.max_pack_size = pargs.r.ret_ulong; break;
        default: pargs.err = ARGPARSE_PRINT_ERROR; break;
        }
    }
  gpgrt_argparse (NULL, &pargs, NULL);
  if (argc)
    gpgrt_usage (1);
  return mode;
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
  gcry_control (GCRYCTL_INIT_SECMEM, 65536, 0);
  gcry_control (GCRYCTL_AUTO_EXPAND_SECMEM, 1024 * 1024);
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);

  assuan_set_system_hooks (ASSUAN_SYSTEM_NPTH);

  setlocale (LC_ALL, "");
  gpgme_check_version (NULL);
  gpgme_set_locale (NULL, LC_CTYPE, setlocale (LC_CTYPE, NULL));
  gpgme_set_engine_info (GPGME_PROTOCOL_OpenPGP, NULL, opt.homedir);
}

/* Return true if a daemon already answers on NAME.  */
static int
socket_in_use (const char *name)
{
  assuan_context_t ctx;
  int in_use;

  if (assuan_new (&ctx))
    return 0;
  in_use = !assuan_socket_connect (ctx, name, ASSUAN_INVALID_PID, 0);
  assuan_release (ctx);
  return in_use;
}

/* Create, bind and listen on the socket OPT.SOCKET_NAME.  */
static void
create_server_socket (void)
{
  struct sockaddr_un addr;
  int redirected;

  if (socket_in_use (opt.socket_name))
    log_fatal ("a gpgpackd is already running - not starting a new one\n");

  listen_fd = assuan_sock_new (AF_UNIX, SOCK_STREAM, 0);
  if (listen_fd == ASSUAN_INVALID_FD)
    log_fatal ("can't create socket: %s\n", strerror (errno));
  memset (&addr, 0, sizeof addr);
  if (assuan_sock_set_sockaddr_un (opt.socket_name, (struct sockaddr *)&addr,
                                   &redirected))
    log_fatal ("socket name '%s' is too long\n", opt.socket_name);
  remove (opt.socket_name);   /* Stale: nobody answered.  */
  if (assuan_sock_bind (listen_fd, (struct sockaddr *)&addr, sizeof addr))
    log_fatal ("error binding socket to '%s': %s\n",
               opt.socket_name, strerror (errno));
  socket_created = 1;
  if (chmod (opt.socket_name, S_IRUSR | S_IWUSR))
    log_fatal ("can't set permissions of '%s': %s\n",
               opt.socket_name, strerror (errno));
  if (listen (listen_fd, SOMAXCONN))
    log_fatal ("listen() failed: %s\n", strerror (errno));
  if (opt.verbose)
    log_info ("listening on socket '%s'\n", opt.socket_name);
}

static void
cleanup (void)
{
  if (socket_created)
    remove (opt.socket_name);
  socket_created = 0;
}

void
daemon_request_shutdown (void)
{
  shutdown_pending = 1;
}

/* Thread body serving one accepted connection.  */
static void *
connection_thread (void *arg)
{
  int fd = (int)(intptr_t)arg;

  active_connections++;
  server_run_session (fd);
  active_connections--;
  if (shutdown_pending)
    kill (getpid (), SIGTERM);   /* Wake up the accept loop.  */
  return NULL;
}

/* Accept connections until SIGTERM/SIGINT or KILLDAEMON.  */
static void
accept_loop (void)
{
  npth_attr_t tattr;
  sigset_t sigs;
  int signo;

  npth_attr_init (&tattr);
  npth_attr_setdetachstate (&tattr, NPTH_CREATE_DETACHED);
  npth_sigev_init ();
  npth_sigev_add (SIGTERM);
  npth_sigev_add (SIGINT);
  npth_sigev_add (SIGHUP);
  sigs = *npth_sigev_sigmask ();
  npth_sigev_fini ();

  while (!shutdown_pending)
    {
      fd_set rfds;
      struct sockaddr_un paddr;
      socklen_t plen = sizeof paddr;
      npth_t thread;
      int fd;

      FD_ZERO (&rfds);
      FD_SET (listen_fd, &rfds);
      if (npth_pselect (listen_fd + 1, &rfds, NULL, NULL, NULL, &sigs) < 0)
        {
          if (errno != EINTR)
            log_error ("npth_pselect failed: %s\n", strerror (errno));
          while (npth_sigev_get_pending (&signo))
            if (signo == SIGTERM || signo == SIGINT)
              shutdown_pending = 1;
          continue;
        }
      fd = npth_accept (listen_fd, (struct sockaddr *)&paddr, &plen);
      if (fd < 0)
        {
          log_error ("accept failed: %s\n", strerror (errno));
          continue;
        }
      if (npth_create (&thread, &tattr, connection_thread,
                       (void *)(intptr_t)fd))
        {
          log_error ("error spawning connection handler: %s\n",
                     strerror (errno));
          close (fd);
        }
    }
  if (opt.verbose)
    log_info ("shutting down (%d connections active)\n", active_connections);
  npth_attr_destroy (&tattr);
}

/* Fork into the background; the parent returns only once the socket
 * is listening so clients can connect right away.  */
static void
detach (const char *logfile)
{
  pid_t pid = fork ();
  int fd;

  if (pid == (pid_t)-1)
    log_fatal ("fork failed: %s\n", strerror (errno));
  if (pid)
    {
      socket_created = 0;   /* The child owns it now.  */
      exit (0);
    }
  if (setsid () == -1)
    log_fatal ("setsid() failed: %s\n", strerror (errno));
  fd = open ("/dev/null", O_RDWR);
  if (fd == -1)
    log_fatal ("can't open /dev/null: %s\n", strerror (errno));
  dup2 (fd, 0);
  dup2 (fd, 1);
  if (!logfile)
    dup2 (fd, 2);
  if (fd > 2)
    close (fd);
  if (chdir ("/"))
    log_fatal ("chdir to / failed: %s\n", strerror (errno));
}

int
main (int argc, char **argv)
{
  const char *logfile = NULL;
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
    }
  if (!mode)
    {
      log_error ("please use --daemon or --server\n");
      gpgrt_usage (1);
    }

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

  atexit (cleanup);
  create_server_socket ();
  detach (logfile);
  init_libraries ();
  accept_loop ();
  cleanup ();
  /* Running sessions die with us; they hold no state on disk except
   * outfile temp names, which they remove on error only.  */
  return 0;
}
