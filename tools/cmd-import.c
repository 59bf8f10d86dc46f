/* cmd-import.c - "gpgpack import" and "gpgpack info" */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gpgpack.h"
#include "importres.h"

static gpgrt_opt_t import_opts[] =
  {
    ARGPARSE_group (301, "@Options:\n "),
    ARGPARSE_s_s (oKeyFile, "key-file",
                  "|FILE|the key file (default: next to PACK)"),
    ARGPARSE_s_s (oShare, "share",
                  "|FILE|a share of a share-mode pack (repeat: as many"
                  " as its threshold)"),
    ARGPARSE_s_s (oFormat, "format", "|NAME|the pack format (default: detect)"),
    ARGPARSE_s_n (oDryRun, "dry-run", "list the keys but import nothing"),
    ARGPARSE_s_s (oExpect, "expect",
                  "|FPR|the pack must hold this primary key (repeat: one"
                  " for each key; no others)"),
    ARGPARSE_s_s (oExpectFile, "expect-file",
                  "|FILE|the pack must hold exactly the keys of FILE"
                  " (the NAME.pub.asc of the export)"),
    ARGPARSE_s_s (oVerifyKey, "verify-key",
                  "|FPR|import only if key FPR signed the pack"),
    ARGPARSE_s_s (oSignature, "signature",
                  "|FILE|the pack's signature (default: PACK.sig)"),
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

static gpgrt_opt_t info_opts[] =
  {
    ARGPARSE_s_s (oSignature, "signature",
                  "|FILE|the pack's signature (default: PACK.sig)"),
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

/* Pack file extensions whose key file is "BASENAME.key": native, gfe,
 * openpgp and autocrypt (the armored message and its HTML attachment).  */
static const char *const pack_extensions[] =
  { ".gpgpack", ".gfepack", ".gfpack", ".asc", ".html" };

/* What the daemon reported about an import.  */
struct import_result
{
  int n_listed;                 /* IMPORT_OK or IMPORT_CANDIDATE lines.  */
  import_counts_t counts;       /* IMPORT_RES, if HAVE_RES.  */
  int have_res;
};

/* Most --share options of one import.  */
#define MAX_SHARE_FILES 255
/* Most --expect options of one import.  */
#define MAX_EXPECT 255

/* The options of "import" and "info".  */
struct pack_args
{
  const char *key_file;
  const char *format;
  const char *verify_key;
  char *signature;                /* --signature, made absolute.  */
  int dry_run;
  int nshares;
  char *shares[MAX_SHARE_FILES];  /* --share files, made absolute.  */
  int nexpect;
  const char *expect[MAX_EXPECT];  /* --expect fingerprints.  */
  char *expect_file;              /* --expect-file, made absolute.  */
};

/* Add the --share FILE to ARGS, made absolute.  */
static void
add_share_file (struct pack_args *args, const char *file)
{
  if (args->nshares == MAX_SHARE_FILES)
    usage_error ("more than 255 --share options");
  args->shares[args->nshares] = make_absolute (file);
  if (!args->shares[args->nshares++])
    exit (fail (gpg_error_from_syserror (), file, NULL));
}

/* Replace the file name at *SLOT by FILE made absolute.  */
static void
set_path (char **slot, const char *file)
{
  gpgrt_free (*slot);
  *slot = make_absolute (file);
  if (!*slot)
    exit (fail (gpg_error_from_syserror (), file, NULL));
}

/* Parse the command line of "import" or "info" with OPTS into the one
   PACK argument (made absolute) and ARGS.  */
static char *
parse_pack_args (int argc, char **argv, gpgrt_opt_t *opts,
                 struct pack_args *args)
{
  gpgrt_argparse_t pargs = { &argc, &argv, ARGPARSE_FLAG_MIXED };
  const char *pack = NULL;
  char *pack_abs;
  int npacks = 0;

  while (gpgrt_argparser (&pargs, opts, NULL))
    switch (pargs.r_opt)
      {
      case ARGPARSE_IS_ARG: pack = pargs.r.ret_str; npacks++; break;
      case oKeyFile: args->key_file = pargs.r.ret_str; break;
      case oShare: add_share_file (args, pargs.r.ret_str); break;
      case oFormat: args->format = pargs.r.ret_str; break;
      case oDryRun: args->dry_run = 1; break;
      case oVerifyKey: args->verify_key = pargs.r.ret_str; break;
      case oSignature: set_path (&args->signature, pargs.r.ret_str); break;
      case oExpect:
        if (args->nexpect == MAX_EXPECT)
          usage_error ("more than 255 --expect options");
        args->expect[args->nexpect++] = pargs.r.ret_str;
        break;
      case oExpectFile: set_path (&args->expect_file, pargs.r.ret_str); break;
      default: parse_global_option (&pargs); break;
      }
  gpgrt_argparse (NULL, &pargs, NULL);
  if (argc)  /* Arguments after "--".  */
    {
      pack = argv[0];
      npacks += argc;
    }
  if (npacks != 1)
    usage_error ("expected exactly one PACK file");
  pack_abs = make_absolute (pack);
  if (!pack_abs)
    exit (fail (gpg_error_from_syserror (), pack, NULL));
  return pack_abs;
}

/* The key file next to PACK ("NAME.key" for "NAME.gpgpack"), if it
   exists, malloced; else NULL.  */
static char *
default_key_file (const char *pack)
{
  size_t len = strlen (pack), extlen;
  char *key_file;
  int i;

  for (i = 0; i < DIM (pack_extensions); i++)
    {
      extlen = strlen (pack_extensions[i]);
      if (len <= extlen || strcmp (pack + len - extlen, pack_extensions[i]))
        continue;
      key_file = gpgrt_malloc (len - extlen + 5);
      if (!key_file)
        return NULL;
      memcpy (key_file, pack, len - extlen);
      strcpy (key_file + len - extlen, ".key");
      if (!access (key_file, F_OK))
        return key_file;
      gpgrt_free (key_file);
    }
  return NULL;
}

/* The word for a key of IMPORT_OK FLAGS: gpg's bits 1 new key, 2-8 new
   user IDs, signatures or subkeys, 16 with secret part (alone: the
   secret part was there already).  */
static const char *
import_word (unsigned long flags)
{
  if (flags & 1)
    return "imported";
  if (flags & (2 | 4 | 8))
    return "updated";
  return "unchanged";
}

/* Warn about the share the daemon set aside: ARGS of SHARE_BAD is
   "<position> damaged|forged <file, escaped, or - >".  */
gpg_error_t
report_bad_share (const char *args)
{
  unsigned int pos;
  char reason[16];
  int off = 0;
  char *file;

  if (sscanf (args, "%u %15s %n", &pos, reason, &off) != 2 || !off)
    return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
  file = gpgrt_strdup (args + off);
  if (!file)
    return gpg_error_from_syserror ();
  percent_unescape (file);
  log_info ("warning: share %u (%s) is %s; it is not used\n", pos,
            strcmp (file, "-") ? file : "inquired", reason);
  gpgrt_free (file);
  return 0;
}

/* Say which secret part the daemon could not check against its public
   key: ARGS of EXPECT_UNCHECKED is "<fpr> protected|algorithm|size".  */
static gpg_error_t
report_unchecked (const char *args)
{
  char fpr[41], reason[16];

  if (sscanf (args, "%40s %15s", fpr, reason) != 2)
    return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
  log_info ("note: secret key %s is not checked against its public key"
            " (%s)\n", fpr,
            !strcmp (reason, "protected") ? "protected by a passphrase"
            : !strcmp (reason, "size") ? "too large to check"
            : "algorithm not covered");
  return 0;
}

/* Status handler of import: list the keys, keep the IMPORT_RES.  */
static gpg_error_t
import_status (void *opaque, const char *keyword, const char *args)
{
  struct import_result *res = opaque;
  unsigned long flags;
  char fpr[41];

  if (!strcmp (keyword, "IMPORT_OK"))
    {
      if (sscanf (args, "%lu %40s", &flags, fpr) != 2)
        return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
      es_printf ("%s: %s\n", import_word (flags), fpr);
      res->n_listed++;
    }
  else if (!strcmp (keyword, "SHARE_BAD"))
    return report_bad_share (args);
  else if (!strcmp (keyword, "EXPECT_UNCHECKED"))
    return report_unchecked (args);
  else if (!strcmp (keyword, "EXPECT_OK") && !opt.quiet)
    log_info ("the pack holds exactly the expected keys (%s: keys,"
              " secret parts checked, unchecked)\n", args);
  else if (!strcmp (keyword, "IMPORT_CANDIDATE"))
    {
      es_printf ("would import: %s\n", args);
      res->n_listed++;
    }
  else if (!strcmp (keyword, "IMPORT_RES"))
    {
      gpg_error_t err = import_res_parse (args, &res->counts);

      if (err)
        return err;
      res->have_res = 1;
    }
  return 0;
}

/* Build "CMD [--OPT=VALUE]... [--FLAG] -- FILE" with escaped values
   from KEY_FILE and ARGS; NULL with errno set on error.  */
static char *
build_line (const char *cmd, const char *key_file,
            const struct pack_args *args, const char *file)
{
  char *line = gpgrt_strdup (cmd), *file_esc = percent_escape (file);
  gpg_error_t err = line && file_esc ? 0 : gpg_error_from_syserror ();
  int i;

  if (!err && key_file)
    err = append_arg (&line, "--key-file", key_file);
  for (i = 0; !err && i < args->nshares; i++)
    err = append_arg (&line, "--share", args->shares[i]);
  if (!err && args->format)
    err = append_arg (&line, "--format", args->format);
  if (!err && args->dry_run)
    err = append_arg (&line, "--dry-run", NULL);
  for (i = 0; !err && i < args->nexpect; i++)
    err = append_arg (&line, "--expect", args->expect[i]);
  if (!err && args->expect_file)
    err = append_arg (&line, "--expect-file", args->expect_file);
  if (!err && args->verify_key)
    err = append_arg (&line, "--verify-key", args->verify_key);
  if (!err && args->signature)
    err = append_arg (&line, "--signature", args->signature);
  if (!err)
    err = append_arg (&line, "--", NULL);
  if (!err)
    err = append_arg (&line, file_esc, NULL);
  gpgrt_free (file_esc);
  if (!err)
    return line;
  gpgrt_free (line);
  gpg_err_set_errno (gpg_err_code_to_errno (gpg_err_code (err)));
  return NULL;
}

/* Release what ARGS holds.  */
static void
release_pack_args (struct pack_args *args)
{
  int i;

  for (i = 0; i < args->nshares; i++)
    gpgrt_free (args->shares[i]);
  gpgrt_free (args->expect_file);
  gpgrt_free (args->signature);
}

/* Print the summary of an import and return the exit code: failure
   if some key was not imported.  The key lines on stdout come first,
   also where stdout is a terminal and stderr is not buffered.  */
static int
import_summary (struct import_result *res, int dry_run)
{
  es_fflush (es_stdout);
  if (dry_run)
    {
      if (!opt.quiet)
        log_info ("dry run: %d key%s in the pack, nothing imported\n",
                  res->n_listed, res->n_listed == 1? "" : "s");
      return EXIT_OK;
    }
  if (!res->have_res)
    return fail (gpg_error (GPG_ERR_ASS_INV_RESPONSE), "import",
                 "no IMPORT_RES from gpgpackd");
  if (!opt.quiet)
    log_info ("%lu key%s processed: %lu imported, %lu unchanged,"
              " %lu secret key%s imported, %lu secret key%s unchanged\n",
              res->counts.considered, res->counts.considered == 1? "" : "s",
              res->counts.imported, res->counts.unchanged,
              res->counts.secret_imported,
              res->counts.secret_imported == 1? "" : "s",
              res->counts.secret_unchanged,
              res->counts.secret_unchanged == 1? "" : "s");
  if (res->counts.not_imported)
    return fail (gpg_error (GPG_ERR_NOT_PROCESSED), "import",
                 "some keys were not imported");
  return EXIT_OK;
}

/* Run the import command.  */
int
cmd_import (int argc, char **argv)
{
  struct pack_args args = { NULL };
  struct import_result res = { 0 };
  char *pack, *key_abs = NULL, *line;
  int rc;

  pack = parse_pack_args (argc, argv, import_opts, &args);
  if (args.key_file)
    key_abs = make_absolute (args.key_file);
  else if (!args.nshares)
    key_abs = default_key_file (pack);
  if (opt.verbose && key_abs)
    log_info ("using key file '%s'\n", key_abs);
  line = build_line ("PACK_IMPORT", key_abs, &args, pack);
  if (!line || (args.key_file && !key_abs))
    rc = fail (gpg_error_from_syserror (), "import", NULL);
  else
    rc = run_command ("import", line, import_status, &res);
  if (rc == EXIT_OK)
    rc = import_summary (&res, args.dry_run);
  gpgrt_free (line);
  gpgrt_free (key_abs);
  gpgrt_free (pack);
  release_pack_args (&args);
  return rc;
}

/* Status handler of info: print each fact on its own line.  */
static gpg_error_t
info_status (void *opaque, const char *keyword, const char *args)
{
  static const struct { const char *keyword, *label; } labels[] =
    {
      { "FORMAT", "format" },  { "PACK_ID", "pack id" },
      { "CREATED", "created" }, { "CIPHER", "cipher" },
      { "CHUNK_SIZE", "chunk size" }, { "NEEDS", "needs" },
      { "SIGNER", "signed by" }
    };
  char date[64];
  time_t t;
  int i;

  for (i = 0; i < DIM (labels); i++)
    if (!strcmp (keyword, labels[i].keyword))
      {
        t = (time_t)strtoll (args, NULL, 10);
        if (!strcmp (keyword, "CREATED") && t
            && strftime (date, sizeof date, "%Y-%m-%d %H:%M:%S UTC",
                         gmtime (&t)))
          args = date;
        es_printf ("%-11s %s\n", labels[i].label, args);
      }
  return 0;
}

/* Run the info command.  */
int
cmd_info (int argc, char **argv)
{
  struct pack_args args = { NULL };
  char *pack, *line;
  int rc;

  pack = parse_pack_args (argc, argv, info_opts, &args);
  line = build_line ("PACK_INFO", NULL, &args, pack);
  if (!line)
    rc = fail (gpg_error_from_syserror (), "info", NULL);
  else
    rc = run_command ("info", line, info_status, NULL);
  gpgrt_free (line);
  gpgrt_free (pack);
  release_pack_args (&args);
  return rc;
}
