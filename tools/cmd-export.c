/* cmd-export.c - "gpgpack export": keys to a pack file and a key file */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "gpgpack.h"

static gpgrt_opt_t export_opts[] =
  {
    ARGPARSE_group (301, "@Options:\n "),
    ARGPARSE_s_n (oSecret, "secret", "export the secret keys too"),
    ARGPARSE_s_n (oExcludeNoSecret, "exclude-no-secret",
                  "leave out keys without a secret part"),
    ARGPARSE_s_s (oOutputDir, "output-dir",
                  "|DIR|write the files to DIR (default: .)"),
    ARGPARSE_s_s (oName, "name", "|NAME|name the files NAME.*"),
    ARGPARSE_s_s (oFormat, "format", "|NAME|use pack format NAME"),
    ARGPARSE_s_n (oPassphrase, "passphrase",
                  "protect the key file with a passphrase"),
    ARGPARSE_s_n (oForce, "force", "overwrite existing files"),
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

/* What the daemon reported about the export.  */
struct export_result
{
  estream_t fprs;       /* One "  FPR\n" per exported key.  */
  int n_keys;
  char *pack_id;
  char *pack_path;
  char *key_path;
};

/* Status handler: collect EXPORTED and PACK_CREATED.  */
static gpg_error_t
export_status (void *opaque, const char *keyword, const char *args)
{
  struct export_result *res = opaque;
  char id[65], pack[1001], key[1001];

  if (!strcmp (keyword, "EXPORTED"))
    {
      es_fprintf (res->fprs, "  %s\n", args);
      res->n_keys++;
    }
  else if (!strcmp (keyword, "PACK_CREATED"))
    {
      if (sscanf (args, "%64s %1000s %1000s", id, pack, key) != 3)
        return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
      res->pack_id = gpgrt_strdup (id);
      res->pack_path = gpgrt_strdup (pack);
      res->key_path = gpgrt_strdup (key);
      if (!res->pack_id || !res->pack_path || !res->key_path)
        return gpg_error_from_syserror ();
    }
  return 0;
}

/* Print where the files are, which keys went in, and the advice.  */
static void
print_result (struct export_result *res)
{
  char *fprs = NULL;
  size_t len = 0;

  es_printf ("pack:     %s\n", res->pack_path);
  es_printf ("key file: %s\n", res->key_path);
  if (strcmp (res->pack_id, "-"))
    es_printf ("pack id:  %s\n", res->pack_id);
  es_printf ("%d key%s exported:\n", res->n_keys, res->n_keys == 1? "":"s");
  es_fputc (0, res->fprs);
  if (!es_fclose_snatch (res->fprs, (void **)&fprs, &len))
    es_fputs (fprs, es_stdout);
  res->fprs = NULL;
  gpgrt_free (fprs);
  if (!opt.quiet)
    es_printf ("\nKeep the key file apart from the pack: send them by"
               " different ways\n(or carry the key file by hand)."
               "  Delete both after the transfer.\n");
}

/* Ask the "think twice" question for --secret; return an exit status
   or -1 to go on.  */
static int
confirm_secret_export (void)
{
  gpg_error_t err;
  int yes;

  if (opt.answer_yes)
    return -1;
  if (opt.batch)
    usage_error ("exporting secret keys in --batch mode needs --yes");
  es_fflush (es_stdout);
  err = ask_yes_no ("You are about to export SECRET keys.  Anyone who gets"
                    " both the pack\nand its key file can use them."
                    "  Think twice.\n"
                    "Export the secret keys? (y/N) ", &yes);
  if (gpg_err_code (err) == GPG_ERR_NOT_SUPPORTED)
    return fail (err, "export", "no terminal to confirm --secret (use --yes)");
  if (err)
    return fail (err, "export", "asking for confirmation");
  if (!yes)
    return fail (gpg_error (GPG_ERR_CANCELED), "export", NULL);
  return -1;
}

/* Append " --NAME=VALUE" (VALUE escaped) to the line at *LINE.  */
static gpg_error_t
append_arg (char **line, const char *name, const char *value)
{
  char *escaped = value ? percent_escape (value) : NULL;
  char *newline;

  if (value && !escaped)
    return gpg_error_from_syserror ();
  newline = gpgrt_strconcat (*line, " ", name, value? "=" : "",
                             value? escaped : "", NULL);
  gpgrt_free (escaped);
  if (!newline)
    return gpg_error_from_syserror ();
  gpgrt_free (*line);
  *line = newline;
  return 0;
}

/* What the user asked for on the command line.  */
struct export_request
{
  const char **patterns;
  int npatterns;
  const char *output_dir, *name, *format;
  int secret, exclude_no_secret, passphrase, force;
};

/* Parse the export command line into REQ; usage errors exit.  */
static void
parse_export_args (int argc, char **argv, struct export_request *req)
{
  gpgrt_argparse_t pargs = { &argc, &argv, ARGPARSE_FLAG_MIXED };
  int i;

  req->output_dir = ".";
  req->patterns = calloc (argc + 1, sizeof *req->patterns);
  if (!req->patterns)
    exit (fail (gpg_error_from_syserror (), "export", NULL));
  while (gpgrt_argparser (&pargs, export_opts, NULL))
    switch (pargs.r_opt)
      {
      case ARGPARSE_IS_ARG:
        req->patterns[req->npatterns++] = pargs.r.ret_str;
        break;
      case oSecret: req->secret = 1; break;
      case oExcludeNoSecret: req->exclude_no_secret = 1; break;
      case oOutputDir: req->output_dir = pargs.r.ret_str; break;
      case oName: req->name = pargs.r.ret_str; break;
      case oFormat: req->format = pargs.r.ret_str; break;
      case oPassphrase: req->passphrase = 1; break;
      case oForce: req->force = 1; break;
      default: parse_global_option (&pargs); break;
      }
  gpgrt_argparse (NULL, &pargs, NULL);
  for (i = 0; i < argc; i++)  /* Arguments after "--".  */
    req->patterns[req->npatterns++] = argv[i];

  if (!req->npatterns)
    usage_error ("export: no key given (a fingerprint, key id or user id)");
  if (req->exclude_no_secret && !req->secret)
    usage_error ("export: --exclude-no-secret needs --secret");
  if (req->passphrase && opt.batch && !passphrase_have_source ())
    usage_error ("export: --passphrase in --batch mode needs"
                 " --passphrase-file or --passphrase-fd");
}

/* Build the PACK_EXPORT line for REQ at *R_LINE (malloced).  */
static gpg_error_t
build_export_line (const struct export_request *req, char **r_line)
{
  gpg_error_t err;
  char *outdir_abs, *escaped;
  int i;

  outdir_abs = make_absolute (req->output_dir);
  *r_line = gpgrt_strdup ("PACK_EXPORT");
  if (!outdir_abs || !*r_line)
    err = gpg_error_from_syserror ();
  else
    err = append_arg (r_line, "--output-dir", outdir_abs);
  gpgrt_free (outdir_abs);
  if (!err && req->secret)
    err = append_arg (r_line, "--secret", NULL);
  if (!err && req->exclude_no_secret)
    err = append_arg (r_line, "--exclude-no-secret", NULL);
  if (!err && req->name)
    err = append_arg (r_line, "--name", req->name);
  if (!err && req->format)
    err = append_arg (r_line, "--format", req->format);
  if (!err && req->passphrase)
    err = append_arg (r_line, "--passphrase", NULL);
  if (!err && req->force)
    err = append_arg (r_line, "--force", NULL);
  if (!err)
    err = append_arg (r_line, "--", NULL);
  for (i = 0; !err && i < req->npatterns; i++)
    {
      escaped = percent_escape (req->patterns[i]);
      err = escaped ? append_arg (r_line, escaped, NULL)
                    : gpg_error_from_syserror ();
      gpgrt_free (escaped);
    }
  return err;
}

/* Run the export command.  */
int
cmd_export (int argc, char **argv)
{
  struct export_request req = { NULL };
  struct export_result res = { NULL };
  gpg_error_t err;
  char *line = NULL;
  int rc;

  parse_export_args (argc, argv, &req);
  if (req.secret && (rc = confirm_secret_export ()) != -1)
    goto leave;

  err = build_export_line (&req, &line);
  if (!err)
    {
      res.fprs = es_fopenmem (0, "w+");
      if (!res.fprs)
        err = gpg_error_from_syserror ();
    }
  if (err)
    rc = fail (err, "export", NULL);
  else
    rc = run_command ("export", line, export_status, &res);
  if (rc == EXIT_OK && !res.pack_path)
    rc = fail (gpg_error (GPG_ERR_ASS_INV_RESPONSE), "export",
               "no PACK_CREATED from gpgpackd");
  if (rc == EXIT_OK)
    print_result (&res);

 leave:
  es_fclose (res.fprs);
  gpgrt_free (res.pack_id);
  gpgrt_free (res.pack_path);
  gpgrt_free (res.key_path);
  gpgrt_free (line);
  free (req.patterns);
  return rc;
}
