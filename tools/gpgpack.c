/* gpgpack.c - the gpgpack command line client: global options, dispatch */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include "gpgpack.h"
#include "version.h"

struct gpgpack_options opt;

/* The table used before the command word: global options only.  */
static gpgrt_opt_t global_opts[] =
  {
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

/* The commands and the one-line text of each.  */
static const struct
{
  const char *name;
  int (*func) (int argc, char **argv);
  const char *summary;
} commands[] =
  {
    { "export", cmd_export, "export keys as a key package" },
    { "import", cmd_import, "import the keys of a key package" },
    { "info",   cmd_info,   "describe a key package without its key" },
    { "formats", cmd_formats, "list the pack formats and what each needs" },
    { "share-info", cmd_share_info, "describe a share and check it" },
    { "share-forward", cmd_share_forward, "re-wrap a share to another key" },
    { "share-refresh", cmd_share_refresh,
      "renew the shares of a pack, or re-key it" }
  };

/* The command being parsed, so that --help describes it.  */
static const char *current_command;

/* The libraries whose versions --version shows, as gpg does.  */
static const struct gpgpack_libversion libversions[] =
  {
    { "libgpg-error", gpgrt_check_version },
    { "libassuan", assuan_check_version }
  };

/* Texts of the --help and --version output of argparse.  */
static const char *
my_strusage (int level)
{
  switch (level)
    {
    case  9: return "GPL-3.0-or-later";
    case 11: return "gpgpack";
    case 13: return PACKAGE_VERSION;
    case 14: return GPGPACK_COPYRIGHT_LINE;
    case 19: return "Please report bugs to <" PACKAGE_BUGREPORT ">.\n";
    case 40:
      return "Usage: gpgpack [options] COMMAND [options] [args] (-h for help)";
    case 41:
      if (current_command && !strcmp (current_command, "export"))
        return ("Syntax: gpgpack export [options] PATTERN...\n"
                "Export the keys matching PATTERN as a key package: a pack\n"
                "file and a key file, written to the current directory.\n");
      if (current_command && !strcmp (current_command, "import"))
        return ("Syntax: gpgpack import [options] PACK\n"
                "Import the keys of the key package PACK.  The key file\n"
                "next to PACK is used unless --key-file is given.\n");
      if (current_command && !strcmp (current_command, "info"))
        return ("Syntax: gpgpack info [options] PACK\n"
                "Describe the key package PACK without opening it.\n");
      if (current_command && !strcmp (current_command, "share-info"))
        return ("Syntax: gpgpack share-info [options] SHARE\n"
                "Say which pack, index, threshold and generation the share\n"
                "SHARE is of, whom it is for and that it is intact.\n");
      if (current_command && !strcmp (current_command, "share-forward"))
        return ("Syntax: gpgpack share-forward [options] SHARE --to FPR\n"
                "Re-wrap the share SHARE to the key FPR, never writing it\n"
                "decrypted.\n");
      if (current_command && !strcmp (current_command, "share-refresh"))
        return ("Syntax: gpgpack share-refresh [options] PACK --share SHARE...\n"
                "Make new shares of PACK from enough of its shares (or with\n"
                "--rekey a new pack and its shares); the old files stay.\n");
      if (current_command && !strcmp (current_command, "formats"))
        return ("Syntax: gpgpack formats [options]\n"
                "List the pack formats gpgpackd has and what each needs.\n");
      return ("Syntax: gpgpack [options] COMMAND [options] [args]\n"
              "Move OpenPGP keys between machines as key packages.\n"
              "\nCommands:\n"
              "  export PATTERN...  export keys as a key package\n"
              "  import PACK        import the keys of a key package\n"
              "  info PACK          describe a key package\n"
              "  formats            list the pack formats and their needs\n"
              "  share-info SHARE   describe a share and check it\n"
              "  share-forward SHARE --to FPR\n"
              "                     re-wrap a share to another key\n"
              "  share-refresh PACK --share SHARE...\n"
              "                     renew the shares of a pack, or re-key it\n"
              "  help [COMMAND]     show the options of COMMAND\n");
    default:
      return gpgpack_libversion_line (level, libversions, DIM (libversions));
    }
}

/* The file descriptor value of the option in PARGS; a negative one is
   a usage error.  */
static int
fd_option (gpgrt_argparse_t *pargs)
{
  if (pargs->r.ret_int < 0)
    usage_error ("invalid file descriptor %d", pargs->r.ret_int);
  return pargs->r.ret_int;
}

/* Handle the option in PARGS if it is a global one; return true if it
   was.  Argparse errors are flagged so that the next call reports
   them and exits with status 2.  */
int
parse_global_option (gpgrt_argparse_t *pargs)
{
  switch (pargs->r_opt)
    {
    case oVerbose: opt.verbose++; opt.quiet = 0; break;
    case oQuiet: opt.quiet = 1; opt.verbose = 0; break;
    case oHomedir: opt.homedir = pargs->r.ret_str; break;
    case oBatch: opt.batch = 1; break;
    case oYes: opt.answer_yes = 1; break;
    case oNoAutostart: opt.no_autostart = 1; break;
    case oPassphraseFile: opt.passphrase_file = pargs->r.ret_str; break;
    case oPassphraseFd: opt.passphrase_fd = fd_option (pargs); break;
    case oOpenpgpPassphraseFile:
      opt.openpgp_passphrase_file = pargs->r.ret_str;
      break;
    case oOpenpgpPassphraseFd:
      opt.openpgp_passphrase_fd = fd_option (pargs);
      break;
    case ARGPARSE_CONFFILE:     /* We read no config file:  */
    case ARGPARSE_NO_CONFFILE:  /* start of the command line.  */
      break;
    default:
      if (pargs->r_opt < 0)
        pargs->err = ARGPARSE_PRINT_ERROR;
      return 0;
    }
  return 1;
}

/* Print a usage error and exit with EXIT_USAGE.  */
void
usage_error (const char *format, ...)
{
  va_list arg_ptr;
  char *text;

  va_start (arg_ptr, format);
  text = gpgrt_vbsprintf (format, arg_ptr);
  va_end (arg_ptr);
  log_error ("%s\n", text ? text : format);
  gpgrt_free (text);
  exit (EXIT_USAGE);
}

/* Print the one error line for ERR and return the exit status.  WHAT
   names what failed; DETAIL, if not NULL, says more about it.  */
int
fail (gpg_error_t err, const char *what, const char *detail)
{
  if (detail && *detail)
    log_error ("%s: %s: %s\n", what, detail, gpg_strerror (err));
  else
    log_error ("%s: %s\n", what, gpg_strerror (err));
  return EXIT_FAILED;
}

/* Return NAME as an absolute path (malloced) or NULL on error.  */
char *
make_absolute (const char *name)
{
  char *cwd, *result;

  if (*name == '/')
    return gpgrt_strdup (name);
  cwd = getcwd (NULL, 0);
  if (!cwd)
    return NULL;
  if (!strcmp (name, "."))
    return cwd;
  result = gpgrt_strconcat (cwd, "/", name, NULL);
  free (cwd);
  return result;
}

/* Show the --help text of command NAME, or the global one if NAME is
   NULL, and exit.  Argparse prints it when it meets --help.  */
static void
show_help (const char *name)
{
  char *help_argv[] = { (char *)"gpgpack", (char *)"--help", NULL };
  char **argv = help_argv;
  int argc = 2;
  gpgrt_argparse_t pargs = { &argc, &argv, 0 };
  int i;

  if (!name)
    {
      while (gpgrt_argparser (&pargs, global_opts, NULL))
        ;
      exit (EXIT_OK);
    }
  for (i = 0; i < DIM (commands); i++)
    if (!strcmp (commands[i].name, name))
      {
        current_command = commands[i].name;
        help_argv[0] = (char *)name;
        exit (commands[i].func (argc, argv));
      }
  usage_error ("unknown command \"%s\"", name);
}

int
main (int argc, char **argv)
{
  gpgrt_argparse_t pargs = { &argc, &argv, 0 };
  int i;

  gpgrt_check_version (NULL);
  gpgrt_set_strusage (my_strusage);
  log_set_prefix ("gpgpack", GPGRT_LOG_WITH_PREFIX);
  assuan_set_gpg_err_source (GPG_ERR_SOURCE_DEFAULT);
  opt.passphrase_fd = -1;
  opt.openpgp_passphrase_fd = -1;

  while (gpgrt_argparser (&pargs, global_opts, NULL))
    parse_global_option (&pargs);
  gpgrt_argparse (NULL, &pargs, NULL);

  if (!argc)
    usage_error ("no command given");
  if (!strcmp (argv[0], "help"))
    show_help (argc > 1 ? argv[1] : NULL);

  for (i = 0; i < DIM (commands); i++)
    if (!strcmp (commands[i].name, argv[0]))
      {
        int rc;

        current_command = commands[i].name;
        rc = commands[i].func (argc, argv);
        passphrase_clear ();
        return rc;
      }
  usage_error ("unknown command \"%s\"", argv[0]);
  return EXIT_USAGE;
}
