/* cmd-export.c - "gpgpack export": keys to a pack file and a key file
 *
 * The patterns always travel by INQUIRE PATTERNS, so their number is
 * not bounded by an Assuan line; so do the wrap keys of share mode
 * (INQUIRE WRAP_KEYS).  The "think twice" question for
 * --secret is the daemon's INQUIRE CONFIRM_SECRET, asked once the keys
 * are found and the files can be written.
 */
#include <config.h>

#include <stdio.h>
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
    ARGPARSE_s_n (oWriteSetupCode, "write-setup-code",
                  "write the setup code of an openpgp or autocrypt pack"
                  " to NAME.key instead of printing it"),
    ARGPARSE_s_n (oForce, "force", "overwrite existing files"),
    ARGPARSE_s_s (oPatternsFrom, "patterns-from",
                  "|FILE|read the key patterns from FILE (- for stdin)"),
    ARGPARSE_s_s (oSignKey, "sign-key",
                  "|FPR|sign the pack (and the shares) with key FPR"),
    ARGPARSE_group (302, "@\nShare mode (instead of a key file):\n "),
    ARGPARSE_s_i (oShares, "shares", "|N|split the key into N shares"),
    ARGPARSE_s_i (oThreshold, "threshold",
                  "|T|any T shares open the pack"),
    ARGPARSE_s_s (oWrapKey, "wrap-key",
                  "|FPR|encrypt the next share to key FPR (N times)"),
    ARGPARSE_s_n (oAllowSameCustodian, "allow-same-custodian",
                  "let one key get several shares"),
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

/* What the daemon asks for and reported about the export.  */
struct export_result
{
  char *patterns;       /* The answer to INQUIRE PATTERNS.  */
  size_t patternslen;
  char *wrap_keys;      /* The answer to INQUIRE WRAP_KEYS.  */
  size_t wrap_keyslen;
  estream_t shares;     /* One "share I: PATH\n  for FPR\n" each.  */
  estream_t fprs;       /* One "  FPR\n" per exported key.  */
  int n_keys;
  char *pack_id;
  char *pack_path;
  char *key_path;
  char *html_path;      /* HTML_CREATED: the mail attachment.  */
  char *pubkeys_path;   /* NAME.pub.asc, from PUBKEYS.  */
  estream_t sigs;       /* One "signature: PATH\n" per SIGNED.  */
  char *signer;         /* The fingerprint of the SIGNED lines.  */
};

/* Replace *FIELD by a copy of the status line's path ARGS, unescaped.  */
static gpg_error_t
set_path (char **field, const char *args)
{
  gpgrt_free (*field);
  *field = gpgrt_strdup (args);
  if (!*field)
    return gpg_error_from_syserror ();
  percent_unescape (*field);
  return 0;
}

/* Note the SIGNED <fpr> <path> ARGS in RES.  */
static gpg_error_t
note_signed (struct export_result *res, const char *args)
{
  char fpr[65], path[1001];

  if (sscanf (args, "%64s %1000s", fpr, path) != 2)
    return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
  percent_unescape (path);
  es_fprintf (res->sigs, "signature: %s\n", path);
  gpgrt_free (res->signer);
  res->signer = gpgrt_strdup (fpr);
  return res->signer ? 0 : gpg_error_from_syserror ();
}

/* Status handler: collect EXPORTED, SHARE_CREATED, HTML_CREATED,
 * PUBKEYS, SIGNED and PACK_CREATED.  */
static gpg_error_t
export_status (void *opaque, const char *keyword, const char *args)
{
  struct export_result *res = opaque;
  char id[65], pack[1001], key[1001];
  unsigned int index;

  if (!strcmp (keyword, "EXPORTED"))
    {
      es_fprintf (res->fprs, "  %s\n", args);
      res->n_keys++;
    }
  else if (!strcmp (keyword, "SHARE_CREATED"))
    {
      if (sscanf (args, "%u %64s %1000s", &index, id, pack) != 3)
        return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
      percent_unescape (pack);
      es_fprintf (res->shares, "share %u:  %s\n  for %s\n", index, pack, id);
    }
  else if (!strcmp (keyword, "HTML_CREATED"))
    return set_path (&res->html_path, args);
  else if (!strcmp (keyword, "SIGNED"))
    return note_signed (res, args);
  else if (!strcmp (keyword, "PUBKEYS"))
    return set_path (&res->pubkeys_path, args);
  else if (!strcmp (keyword, "PACK_CREATED"))
    {
      if (sscanf (args, "%64s %1000s %1000s", id, pack, key) != 3)
        return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
      percent_unescape (pack);
      percent_unescape (key);
      res->pack_id = gpgrt_strdup (id);
      res->pack_path = gpgrt_strdup (pack);
      res->key_path = gpgrt_strdup (key);
      if (!res->pack_id || !res->pack_path || !res->key_path)
        return gpg_error_from_syserror ();
    }
  return 0;
}

/* Print the text collected in the memory stream *FP and close it.  */
static void
print_collected (estream_t *fp)
{
  char *text = NULL;
  size_t len = 0;

  es_fputc (0, *fp);
  if (!es_fclose_snatch (*fp, (void **)&text, &len))
    es_fputs (text, es_stdout);
  *fp = NULL;
  gpgrt_free (text);
}

/* Print what opens the pack: the share files, the key file, the
 * setup code SETUP_CODE shown once, or the user's own passphrase.  */
static void
print_opener (struct export_result *res, int share_mode,
              const char *setup_code)
{
  if (share_mode)
    print_collected (&res->shares);
  else if (setup_code)
    es_printf ("setup code: %s\n", setup_code);
  else if (strcmp (res->key_path, "-"))
    es_printf ("key file: %s\n", res->key_path);
  else
    es_printf ("passphrase: the one you gave\n");
}

/* Print the advice for a pack opened by OPENER (print_opener).  */
static void
print_advice (int share_mode, const char *setup_code)
{
  if (share_mode)
    es_printf ("\nSend each share to its custodian by its own way; only"
               " that custodian's\nkey opens it (gpg --decrypt)."
               "  Delete the shares here after the transfer.\n");
  else if (setup_code)
    es_printf ("\nThe setup code is shown only this once and stored"
               " nowhere.  Write it down\nand give it to the receiver"
               " by another way than the pack (paper, phone).\nIt opens"
               " the pack with gpgpack import or gpg --decrypt.  Delete"
               " the\npack after the transfer.\n");
  else
    es_printf ("\nKeep the key file apart from the pack: send them by"
               " different ways\n(or carry the key file by hand)."
               "  Delete both after the transfer.\n");
}

/* Print where the files are, which keys went in, and the advice.  */
static void
print_result (struct export_result *res, int share_mode,
              const char *setup_code)
{
  es_printf ("pack:     %s\n", res->pack_path);
  print_opener (res, share_mode, setup_code);
  if (res->html_path)
    es_printf ("mail:     %s\n", res->html_path);
  if (res->pubkeys_path)
    es_printf ("pub keys: %s\n", res->pubkeys_path);
  if (res->signer)
    {
      print_collected (&res->sigs);
      es_printf ("  by %s\n", res->signer);
    }
  if (strcmp (res->pack_id, "-"))
    es_printf ("pack id:  %s\n", res->pack_id);
  es_printf ("%d key%s exported:\n", res->n_keys, res->n_keys == 1? "":"s");
  print_collected (&res->fprs);
  if (!opt.quiet)
    print_advice (share_mode, setup_code);
}

/* Answer INQUIRE CONFIRM_SECRET <NKEYS>: ask the "think twice"
   question on the terminal and send "yes" or "no".  */
static gpg_error_t
confirm_secret_export (transact_parm_t *parm, const char *nkeys)
{
  gpg_error_t err;
  char *question;
  int yes;

  question = gpgrt_bsprintf ("You are about to export the SECRET keys of"
                             " %s key%s.  Anyone who gets\nboth the pack"
                             " and its key file can use them.  Think twice."
                             "\nExport the secret keys? (y/N) ", nkeys,
                             strcmp (nkeys, "1")? "s" : "");
  if (!question)
    return gpg_error_from_syserror ();
  es_fflush (es_stdout);
  err = ask_yes_no (question, &yes);
  gpgrt_free (question);
  if (gpg_err_code (err) == GPG_ERR_NOT_SUPPORTED)
    {
      transact_set_detail (parm, "no terminal to confirm the export of"
                           " secret keys; add --yes");
      return gpg_error (GPG_ERR_NOT_CONFIRMED);
    }
  if (err)
    return err;
  return assuan_send_data (parm->ctx, yes? "yes" : "no", yes? 3 : 2);
}

/* Answer the inquiries of PACK_EXPORT.  */
static gpg_error_t
export_inquire (transact_parm_t *parm, const char *keyword, char *args)
{
  struct export_result *res = parm->opaque;

  if (!strcmp (keyword, "CONFIRM_SECRET"))
    return confirm_secret_export (parm, args);
  if (!strcmp (keyword, "WRAP_KEYS"))
    return assuan_send_data (parm->ctx, res->wrap_keys, res->wrap_keyslen);
  if (strcmp (keyword, "PATTERNS"))
    {
      transact_set_detail (parm, keyword);
      return gpg_error (GPG_ERR_ASS_UNKNOWN_INQUIRE);
    }
  if (parm->inquire_maxlen && res->patternslen > parm->inquire_maxlen)
    {
      transact_set_detail (parm, "the patterns exceed what gpgpackd takes"
                           " at once; split the export");
      return gpg_error (GPG_ERR_TOO_LARGE);
    }
  return assuan_send_data (parm->ctx, res->patterns, res->patternslen);
}

/* What the user asked for on the command line.  */
struct export_request
{
  cli_patterns_t patterns;
  cli_patterns_t wrap_keys;   /* --wrap-key, one a line */
  const char *output_dir, *name, *format, *sign_key;
  int secret, exclude_no_secret, passphrase, force, write_setup_code;
  int shares, threshold, allow_same;
};

/* Add the command line argument TEXT, WHAT ("a key pattern", "a
 * --wrap-key"), to LIST; usage errors exit.  */
static void
add_arg (cli_patterns_t *list, const char *text, const char *what)
{
  gpg_error_t err = patterns_add (list, text);

  if (gpg_err_code (err) == GPG_ERR_INV_VALUE)
    usage_error ("export: %s may not hold a line break", what);
  if (err)
    exit (fail (err, "export", NULL));
}

/* Add the patterns of --patterns-from FNAME to REQ.  */
static void
add_patterns_from (struct export_request *req, const char *fname)
{
  char *detail;
  gpg_error_t err;
  int rc;

  err = patterns_read_file (&req->patterns, fname, &detail);
  if (err)
    {
      rc = fail (err, "export", detail);
      gpgrt_free (detail);
      exit (rc);
    }
}

/* Check the share mode options of REQ; usage errors exit.  The daemon
 * checks them again, and the keys.  */
static void
check_share_args (const struct export_request *req)
{
  if (!req->shares && (req->threshold || req->wrap_keys.count
                       || req->allow_same))
    usage_error ("export: %s needs --shares N", req->threshold
                 ? "--threshold" : req->wrap_keys.count ? "--wrap-key"
                 : "--allow-same-custodian");
  if (!req->shares)
    return;
  if (req->shares < 2 || req->shares > 255)
    usage_error ("export: --shares %d: give 2 to 255 shares", req->shares);
  if (!req->threshold)
    usage_error ("export: --shares needs --threshold T, the number of"
                 " shares that open the pack");
  if (req->threshold < 2 || req->threshold > req->shares)
    usage_error ("export: --threshold %d: give 2 to %d (--shares)",
                 req->threshold, req->shares);
  if (req->wrap_keys.count != req->shares)
    usage_error ("export: --shares %d needs %d --wrap-key, %d given",
                 req->shares, req->shares, req->wrap_keys.count);
  if (req->passphrase)
    usage_error ("export: --passphrase protects a key file, which share"
                 " mode does not write; leave it out");
}

/* Parse the export command line into REQ; usage errors exit.  */
static void
parse_export_args (int argc, char **argv, struct export_request *req)
{
  gpgrt_argparse_t pargs = { &argc, &argv, ARGPARSE_FLAG_MIXED };
  gpg_error_t err;
  int i;

  req->output_dir = ".";
  err = patterns_init (&req->patterns);
  if (!err)
    err = patterns_init (&req->wrap_keys);
  if (err)
    exit (fail (err, "export", NULL));
  while (gpgrt_argparser (&pargs, export_opts, NULL))
    switch (pargs.r_opt)
      {
      case ARGPARSE_IS_ARG:
        add_arg (&req->patterns, pargs.r.ret_str, "a key pattern");
        break;
      case oPatternsFrom: add_patterns_from (req, pargs.r.ret_str); break;
      case oSecret: req->secret = 1; break;
      case oExcludeNoSecret: req->exclude_no_secret = 1; break;
      case oOutputDir: req->output_dir = pargs.r.ret_str; break;
      case oName: req->name = pargs.r.ret_str; break;
      case oFormat: req->format = pargs.r.ret_str; break;
      case oPassphrase: req->passphrase = 1; break;
      case oForce: req->force = 1; break;
      case oWriteSetupCode: req->write_setup_code = 1; break;
      case oSignKey: req->sign_key = pargs.r.ret_str; break;
      case oShares: req->shares = pargs.r.ret_int; break;
      case oThreshold: req->threshold = pargs.r.ret_int; break;
      case oWrapKey:
        add_arg (&req->wrap_keys, pargs.r.ret_str, "a --wrap-key");
        break;
      case oAllowSameCustodian: req->allow_same = 1; break;
      default: parse_global_option (&pargs); break;
      }
  gpgrt_argparse (NULL, &pargs, NULL);
  for (i = 0; i < argc; i++)  /* Arguments after "--".  */
    add_arg (&req->patterns, argv[i], "a key pattern");

  if (!req->patterns.count)
    usage_error ("export: no key given (a fingerprint, key id or user id,"
                 " or --patterns-from FILE)");
  if (req->exclude_no_secret && !req->secret)
    usage_error ("export: --exclude-no-secret needs --secret");
  if (req->secret && opt.batch && !opt.answer_yes)
    usage_error ("export: --secret in --batch mode needs --yes");
  if (req->passphrase && opt.batch && !passphrase_have_source ())
    usage_error ("export: --passphrase in --batch mode needs"
                 " --passphrase-file or --passphrase-fd");
  check_share_args (req);
}

/* Append the share mode options of REQ to the line at *LINE.  */
static gpg_error_t
append_share_args (const struct export_request *req, char **line)
{
  char num[16];
  gpg_error_t err;

  snprintf (num, sizeof num, "%d", req->shares);
  err = append_arg (line, "--shares", num);
  snprintf (num, sizeof num, "%d", req->threshold);
  if (!err)
    err = append_arg (line, "--threshold", num);
  if (!err && req->allow_same)
    err = append_arg (line, "--allow-same-custodian", NULL);
  if (!err)
    err = append_arg (line, "--inquire-wrap-keys", NULL);
  return err;
}

/* Build the PACK_EXPORT line for REQ at *R_LINE (malloced).  */
static gpg_error_t
build_export_line (const struct export_request *req, char **r_line)
{
  gpg_error_t err;
  char *outdir_abs;

  outdir_abs = make_absolute (req->output_dir);
  *r_line = gpgrt_strdup ("PACK_EXPORT");
  if (!outdir_abs || !*r_line)
    err = gpg_error_from_syserror ();
  else
    err = append_arg (r_line, "--output-dir", outdir_abs);
  gpgrt_free (outdir_abs);
  if (!err && req->secret)
    err = append_arg (r_line, "--secret", NULL);
  if (!err && req->secret && !opt.answer_yes)
    err = append_arg (r_line, "--confirm", NULL);
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
  if (!err && !req->write_setup_code && !req->shares)
    err = append_arg (r_line, "--show-setup-code", NULL);
  if (!err && req->sign_key)
    err = append_arg (r_line, "--sign-key", req->sign_key);
  if (!err && req->shares)
    err = append_share_args (req, r_line);
  if (!err)
    err = append_arg (r_line, "--inquire-patterns", NULL);
  return err;
}

/* Run the export command.  */
int
cmd_export (int argc, char **argv)
{
  struct export_request req = { { NULL } };
  struct export_result res = { NULL };
  transact_parm_t parm = { NULL, export_status, &res };
  gpg_error_t err;
  char *line = NULL;
  int rc;

  parm.inquire = export_inquire;
  parse_export_args (argc, argv, &req);
  err = build_export_line (&req, &line);
  if (!err)
    err = patterns_text (&req.patterns, &res.patterns, &res.patternslen);
  if (!err)
    err = patterns_text (&req.wrap_keys, &res.wrap_keys, &res.wrap_keyslen);
  if (!err)
    {
      res.fprs = es_fopenmem (0, "w+");
      res.shares = es_fopenmem (0, "w+");
      res.sigs = es_fopenmem (0, "w+");
      if (!res.fprs || !res.shares || !res.sigs)
        err = gpg_error_from_syserror ();
    }
  if (err)
    rc = fail (err, "export", NULL);
  else
    rc = run_transact ("export", &parm, line);
  if (rc == EXIT_OK && !res.pack_path)
    rc = fail (gpg_error (GPG_ERR_ASS_INV_RESPONSE), "export",
               "no PACK_CREATED from gpgpackd");
  if (rc == EXIT_OK)
    print_result (&res, !!req.shares, parm.setup_code);

  es_fclose (res.fprs);
  es_fclose (res.shares);
  gpgrt_free (res.patterns);
  gpgrt_free (res.wrap_keys);
  gpgrt_free (res.pack_id);
  gpgrt_free (res.pack_path);
  gpgrt_free (res.key_path);
  gpgrt_free (res.html_path);
  gpgrt_free (res.pubkeys_path);
  es_fclose (res.sigs);
  gpgrt_free (res.signer);
  gpgrt_free (line);
  patterns_release (&req.patterns);
  patterns_release (&req.wrap_keys);
  return rc;
}
