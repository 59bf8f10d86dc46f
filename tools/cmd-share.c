/* cmd-share.c - "gpgpack share-info" and "gpgpack share-forward" */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "gpgpack.h"

static gpgrt_opt_t share_info_opts[] =
  {
    ARGPARSE_group (301, "@Options:\n "),
    ARGPARSE_s_s (oPack, "pack", "|PACK|check that the share belongs to PACK"),
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

static gpgrt_opt_t share_forward_opts[] =
  {
    ARGPARSE_group (301, "@Options:\n "),
    ARGPARSE_s_s (oTo, "to", "|FPR|re-wrap the share to the key FPR"),
    /* -o, the short option export has for its --output-dir.  */
    ARGPARSE_s_s (oOutputDir, "output",
                  "|FILE|write it to FILE (default: standard output)"),
    ARGPARSE_s_n (oForce, "force", "replace an existing FILE"),
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

/* The command line of a share command.  */
struct share_args
{
  char *share;                  /* SHARE, made absolute */
  char *pack;                   /* --pack, made absolute, or NULL */
  char *output;                 /* -o, made absolute, or NULL */
  const char *to;
  int force;
};

/* NAME made absolute at *R_ABS, or exit with the error.  */
static void
absolute_arg (const char *name, char **r_abs)
{
  *r_abs = make_absolute (name);
  if (!*r_abs)
    exit (fail (gpg_error_from_syserror (), name, NULL));
}

/* Parse the command line of a share command with OPTS into ARGS: one
   SHARE argument and the options.  */
static void
parse_share_args (int argc, char **argv, gpgrt_opt_t *opts,
                  struct share_args *args)
{
  gpgrt_argparse_t pargs = { &argc, &argv, ARGPARSE_FLAG_MIXED };
  const char *share = NULL, *pack = NULL, *output = NULL;
  int nshares = 0;

  memset (args, 0, sizeof *args);
  while (gpgrt_argparser (&pargs, opts, NULL))
    switch (pargs.r_opt)
      {
      case ARGPARSE_IS_ARG: share = pargs.r.ret_str; nshares++; break;
      case oPack: pack = pargs.r.ret_str; break;
      case oTo: args->to = pargs.r.ret_str; break;
      case oOutputDir: output = pargs.r.ret_str; break;
      case oForce: args->force = 1; break;
      default: parse_global_option (&pargs); break;
      }
  gpgrt_argparse (NULL, &pargs, NULL);
  if (argc)  /* Arguments after "--".  */
    {
      share = argv[0];
      nshares += argc;
    }
  if (nshares != 1)
    usage_error ("expected exactly one SHARE file");
  absolute_arg (share, &args->share);
  if (pack)
    absolute_arg (pack, &args->pack);
  if (output)
    absolute_arg (output, &args->output);
}

/* Free what ARGS holds.  */
static void
release_share_args (struct share_args *args)
{
  gpgrt_free (args->share);
  gpgrt_free (args->pack);
  gpgrt_free (args->output);
}

/* The Assuan line of CMD for ARGS at *R_LINE (malloced).  */
static gpg_error_t
build_share_line (const char *cmd, const struct share_args *args,
                  char **r_line)
{
  char *share_esc = percent_escape (args->share);
  gpg_error_t err = 0;

  *r_line = share_esc ? gpgrt_strdup (cmd) : NULL;
  if (!*r_line)
    err = gpg_error_from_syserror ();
  if (!err && args->pack)
    err = append_arg (r_line, "--pack", args->pack);
  if (!err && args->to)
    err = append_arg (r_line, "--to", args->to);
  if (!err && args->output)
    err = append_arg (r_line, "--output", args->output);
  if (!err && args->force)
    err = append_arg (r_line, "--force", NULL);
  if (!err)
    err = append_arg (r_line, "--", NULL);
  if (!err)
    err = append_arg (r_line, share_esc, NULL);
  gpgrt_free (share_esc);
  return err;
}

/* What SHARE_INFO reported.  */
struct share_facts
{
  char *info;                   /* "<pack-id> <index> <threshold> <gen>" */
  char *custodian;              /* percent-escaped */
  char *wrapped;                /* fingerprint or "-" */
  char *pack;                   /* "match", "mismatch" or NULL */
};

/* Status handler of share-info: keep the facts.  */
static gpg_error_t
share_info_status (void *opaque, const char *keyword, const char *args)
{
  struct share_facts *facts = opaque;
  char **slot = (!strcmp (keyword, "SHARE_INFO") ? &facts->info
                 : !strcmp (keyword, "SHARE_CUSTODIAN") ? &facts->custodian
                 : !strcmp (keyword, "SHARE_WRAPPED") ? &facts->wrapped
                 : !strcmp (keyword, "SHARE_PACK") ? &facts->pack : NULL);

  if (!slot)
    return 0;
  gpgrt_free (*slot);
  *slot = gpgrt_strdup (args);
  return *slot ? 0 : gpg_error_from_syserror ();
}

/* Print FACTS of the share of ARGS in one line; return the exit code:
   failure if it does not belong to the pack given.  */
static int
print_share_facts (struct share_facts *facts, const struct share_args *args)
{
  char pack_id[33], *custodian;
  unsigned int index, threshold, generation;

  if (!facts->info || !facts->custodian || !facts->wrapped
      || sscanf (facts->info, "%32s %u %u %u", pack_id, &index, &threshold,
                 &generation) != 4)
    return fail (gpg_error (GPG_ERR_ASS_INV_RESPONSE), "share-info",
                 "incomplete SHARE_INFO from gpgpackd");
  custodian = facts->custodian;
  percent_unescape (custodian);
  es_printf ("share %u of pack %s, %u needed, generation %u, for %s, ",
             index, pack_id, threshold, generation, custodian);
  if (strcmp (facts->wrapped, "-"))
    es_printf ("encrypted to %s, ", facts->wrapped);
  es_printf ("intact");
  if (facts->pack)
    es_printf (", %s to %s", strcmp (facts->pack, "match")
               ? "does NOT belong" : "belongs", args->pack);
  es_printf ("\n");
  es_fflush (es_stdout);
  if (facts->pack && strcmp (facts->pack, "match"))
    return fail (gpg_error (GPG_ERR_WRONG_SECKEY), "share-info",
                 "the share is of another pack");
  return EXIT_OK;
}

/* Run the share-info command.  */
int
cmd_share_info (int argc, char **argv)
{
  struct share_facts facts = { NULL };
  struct share_args args;
  gpg_error_t err;
  char *line;
  int rc;

  parse_share_args (argc, argv, share_info_opts, &args);
  err = build_share_line ("SHARE_INFO", &args, &line);
  if (err)
    rc = fail (err, "share-info", NULL);
  else
    rc = run_command ("share-info", line, share_info_status, &facts);
  if (rc == EXIT_OK)
    rc = print_share_facts (&facts, &args);
  gpgrt_free (facts.info);
  gpgrt_free (facts.custodian);
  gpgrt_free (facts.wrapped);
  gpgrt_free (facts.pack);
  gpgrt_free (line);
  release_share_args (&args);
  return rc;
}

/* Data handler of share-forward: the message to standard output.  */
static gpg_error_t
forward_data (void *opaque, const void *buf, size_t len)
{
  (void)opaque;
  if (es_write (es_stdout, buf, len, NULL))
    return gpg_error_from_syserror ();
  return 0;
}

/* Status handler of share-forward: say where the share went
 * (SHARE_FORWARDED <fpr> <escaped path>, "-" when sent as D lines).  */
static gpg_error_t
forward_status (void *opaque, const char *keyword, const char *args)
{
  size_t fprlen = strcspn (args, " ");
  char *path;

  (void)opaque;
  if (strcmp (keyword, "SHARE_FORWARDED") || opt.quiet
      || !strcmp (args + fprlen, " -"))
    return 0;
  path = gpgrt_strdup (args + fprlen + !!args[fprlen]);
  if (!path)
    return gpg_error_from_syserror ();
  percent_unescape (path);
  log_info ("wrote %s: the share re-wrapped to key %.*s\n",
            path, (int)fprlen, args);
  gpgrt_free (path);
  return 0;
}

/* Run the share-forward command.  */
int
cmd_share_forward (int argc, char **argv)
{
  transact_parm_t parm = { NULL, forward_status };
  struct share_args args;
  gpg_error_t err;
  char *line;
  int rc;

  parse_share_args (argc, argv, share_forward_opts, &args);
  if (!args.to)
    usage_error ("share-forward needs --to FPR: the key of the machine"
                 " the share goes to");
  parm.data = forward_data;
  err = build_share_line ("SHARE_FORWARD", &args, &line);
  if (err)
    rc = fail (err, "share-forward", NULL);
  else
    rc = run_transact ("share-forward", &parm, line);
  if (es_fflush (es_stdout) && rc == EXIT_OK)
    rc = fail (gpg_error_from_syserror (), "share-forward",
               "writing to standard output");
  gpgrt_free (line);
  release_share_args (&args);
  return rc;
}
