/* cmd-refresh.c - "gpgpack share-refresh": new shares or a new pack */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpgpack.h"

static gpgrt_opt_t refresh_opts[] =
  {
    ARGPARSE_group (301, "@Options:\n "),
    ARGPARSE_s_s (oShare, "share", "|FILE|a share of PACK (repeatable)"),
    ARGPARSE_s_s (oOutputDir, "output-dir",
                  "|DIR|write the new files to DIR (default: beside PACK)"),
    ARGPARSE_s_s (oName, "name", "|NAME|base name of the new files"),
    ARGPARSE_s_i (oShares, "shares", "|N|make N new shares"),
    ARGPARSE_s_i (oThreshold, "threshold", "|T|any T new shares open it"),
    ARGPARSE_s_s (oWrapKey, "wrap-key",
                  "|FPR|the key of a new share's custodian (N times)"),
    ARGPARSE_s_n (oAllowSameCustodian, "allow-same-custodian",
                  "let one key get several shares"),
    ARGPARSE_s_n (oRekey, "rekey",
                  "seal the keys into a new pack with a new key"),
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

/* Most --share and --wrap-key options.  */
#define MAX_FILES 255

/* The command line.  */
struct refresh_args
{
  char *pack;                   /* PACK, made absolute */
  char *output_dir;             /* -o, made absolute, or NULL */
  const char *name;
  int nshares, threshold, allow_same, rekey;
  int nfiles, nkeys;
  char *files[MAX_FILES];       /* --share, made absolute */
  const char *keys[MAX_FILES];  /* --wrap-key */
};

/* NAME made absolute, or exit with the error.  */
static char *
absolute (const char *name)
{
  char *abs = make_absolute (name);

  if (!abs)
    exit (fail (gpg_error_from_syserror (), name, NULL));
  return abs;
}

/* Check the options for the new shares in ARGS; usage errors exit.  */
static void
check_share_args (const struct refresh_args *args)
{
  if (!args->nshares && (args->threshold || args->nkeys))
    usage_error ("share-refresh: %s needs --shares N", args->threshold
                 ? "--threshold" : "--wrap-key");
  if (!args->nshares)
    return;
  if (args->nshares < 2 || args->nshares > 255)
    usage_error ("share-refresh: --shares %d: give 2 to 255 shares",
                 args->nshares);
  if (args->threshold < 2 || args->threshold > args->nshares)
    usage_error ("share-refresh: --shares needs --threshold T, 2 to %d",
                 args->nshares);
  if (args->nkeys != args->nshares)
    usage_error ("share-refresh: --shares %d needs %d --wrap-key, %d given",
                 args->nshares, args->nshares, args->nkeys);
}

/* Parse the command line into ARGS; usage errors exit.  */
static void
parse_refresh_args (int argc, char **argv, struct refresh_args *args)
{
  gpgrt_argparse_t pargs = { &argc, &argv, ARGPARSE_FLAG_MIXED };
  const char *pack = NULL;
  int npacks = 0;

  memset (args, 0, sizeof *args);
  while (gpgrt_argparser (&pargs, refresh_opts, NULL))
    switch (pargs.r_opt)
      {
      case ARGPARSE_IS_ARG: pack = pargs.r.ret_str; npacks++; break;
      case oShare:
        if (args->nfiles == MAX_FILES)
          usage_error ("more than %d --share options", MAX_FILES);
        args->files[args->nfiles++] = absolute (pargs.r.ret_str);
        break;
      case oWrapKey:
        if (args->nkeys == MAX_FILES)
          usage_error ("more than %d --wrap-key options", MAX_FILES);
        args->keys[args->nkeys++] = pargs.r.ret_str;
        break;
      case oOutputDir: args->output_dir = absolute (pargs.r.ret_str); break;
      case oName: args->name = pargs.r.ret_str; break;
      case oShares: args->nshares = pargs.r.ret_int; break;
      case oThreshold: args->threshold = pargs.r.ret_int; break;
      case oAllowSameCustodian: args->allow_same = 1; break;
      case oRekey: args->rekey = 1; break;
      default: parse_global_option (&pargs); break;
      }
  gpgrt_argparse (NULL, &pargs, NULL);
  if (npacks + argc != 1)     /* ARGV: the arguments after "--".  */
    usage_error ("expected exactly one PACK file");
  check_share_args (args);
  args->pack = absolute (argc ? argv[0] : pack);
}

/* Append the number N as option NAME to *LINE, if N is set.  */
static gpg_error_t
append_count (char **line, const char *name, int n)
{
  char num[16];

  if (!n)
    return 0;
  snprintf (num, sizeof num, "%d", n);
  return append_arg (line, name, num);
}

/* The SHARE_REFRESH line for ARGS at *R_LINE (malloced).  */
static gpg_error_t
build_refresh_line (const struct refresh_args *args, char **r_line)
{
  char *pack_esc = percent_escape (args->pack);
  gpg_error_t err = 0;
  int i;

  *r_line = pack_esc ? gpgrt_strdup ("SHARE_REFRESH") : NULL;
  if (!*r_line)
    err = gpg_error_from_syserror ();
  for (i = 0; !err && i < args->nfiles; i++)
    err = append_arg (r_line, "--share", args->files[i]);
  if (!err && args->output_dir)
    err = append_arg (r_line, "--output-dir", args->output_dir);
  if (!err && args->name)
    err = append_arg (r_line, "--name", args->name);
  if (!err)
    err = append_count (r_line, "--shares", args->nshares);
  if (!err)
    err = append_count (r_line, "--threshold", args->threshold);
  for (i = 0; !err && i < args->nkeys; i++)
    err = append_arg (r_line, "--wrap-key", args->keys[i]);
  if (!err && args->allow_same)
    err = append_arg (r_line, "--allow-same-custodian", NULL);
  if (!err && args->rekey)
    err = append_arg (r_line, "--rekey", NULL);
  if (!err)
    err = append_arg (r_line, "--", NULL);
  if (!err)
    err = append_arg (r_line, pack_esc, NULL);
  gpgrt_free (pack_esc);
  return err;
}

/* Status handler: print the new files as they are reported.  */
static gpg_error_t
refresh_status (void *opaque, const char *keyword, const char *args)
{
  char id[65], path[1001];
  unsigned int index, gen, t, n;

  (void)opaque;
  if (!strcmp (keyword, "SHARE_BAD"))
    return report_bad_share (args);
  if (!strcmp (keyword, "SHARE_CREATED"))
    {
      if (sscanf (args, "%u %64s %1000s", &index, id, path) != 3)
        return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
      percent_unescape (path);
      es_printf ("share %u:  %s\n  for %s\n", index, path, id);
    }
  else if (!strcmp (keyword, "PACK_CREATED"))
    {
      if (sscanf (args, "%64s %1000s", id, path) != 2)
        return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
      percent_unescape (path);
      es_printf ("new pack: %s\npack id:  %s\n", path, id);
    }
  else if (!strcmp (keyword, "SHARE_REFRESHED"))
    {
      if (sscanf (args, "%64s %u %u %u", id, &gen, &t, &n) != 4)
        return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
      es_printf ("generation %u: any %u of these %u shares open pack %s\n",
                 gen, t, n, id);
    }
  return 0;
}

/* Tell what the new files change and what the user must do now.  */
static void
print_advice (const struct refresh_args *args)
{
  if (opt.quiet)
    return;
  if (args->rekey)
    es_printf ("\nThe new pack has a new key: the old shares open nothing"
               " but the old pack\n%s.  Destroy that pack and every old"
               " share; send each new share\nto its custodian.\n",
               args->pack);
  else
    es_printf ("\nThe new shares do not combine with older ones, but the"
               " pack is unchanged:\nenough OLD shares still open it.  Have"
               " every custodian destroy the old share\nonce the new one"
               " arrived (or re-key with --rekey).\n");
}

/* Run the share-refresh command.  */
int
cmd_share_refresh (int argc, char **argv)
{
  struct refresh_args args;
  gpg_error_t err;
  char *line = NULL;
  int rc, i;

  parse_refresh_args (argc, argv, &args);
  err = build_refresh_line (&args, &line);
  if (err)
    rc = fail (err, "share-refresh", NULL);
  else
    rc = run_command ("share-refresh", line, refresh_status, NULL);
  if (rc == EXIT_OK)
    print_advice (&args);
  es_fflush (es_stdout);
  gpgrt_free (line);
  for (i = 0; i < args.nfiles; i++)
    gpgrt_free (args.files[i]);
  gpgrt_free (args.output_dir);
  gpgrt_free (args.pack);
  return rc;
}
