/* cmd-refresh.c - SHARE_REFRESH: new shares of a pack, or a new pack
 *
 * T shares give the file key (shareimport.c); the whole pack is opened
 * with it to prove it right, nothing reaches the keyring.  The key is
 * then split on a new random polynomial (generation + 1) for the same
 * or new custodians; with --rekey the key data is sealed into a new
 * pack under a new file key instead, whose shares start at generation
 * 1.  The old pack and old shares are never touched (sharerefresh.c).
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpgpackd.h"
#include "cmdargs.h"
#include "packname.h"
#include "keyring.h"
#include "policy.h"
#include "shareimport.h"
#include "sharerefresh.h"

/* Name suffix of a re-keyed pack without --name.  */
#define REKEY_SUFFIX ".rekeyed"

/* What the client asked for.  */
struct refresh_request
{
  cmdargs_list_t shares;      /* --share files                           */
  const char *output_dir;
  const char *name;
  int rekey;
  int allow_same;
  const char *pack_file;
  char *dir_buf;              /* default OUTPUT_DIR and NAME, malloced   */
  char *name_buf;
  shareexport_t *sx;          /* --shares, --threshold, --wrap-key       */
};

const char hlp_share_refresh[] =
  "SHARE_REFRESH [--share=PATH...] [--output-dir=DIR] [--name=NAME]\n"
  "              [--shares=N --threshold=T --wrap-key=FPR...\n"
  "               [--inquire-wrap-keys]] [--allow-same-custodian]\n"
  "              [--rekey] [--] PACK\n"
  "\n"
  "Make a new set of shares of the share-mode pack PACK from enough of\n"
  "its shares (--share, then INQUIRE SHARE <have> <need> as PACK_IMPORT\n"
  "does).  The whole pack is authenticated with the key they give;\n"
  "nothing is imported.  The key is split on a new random polynomial\n"
  "with the next generation, so new shares do not combine with old\n"
  "ones; PACK is not changed.  Without --shares each share used gets a\n"
  "successor for the key that decrypted it (threshold as before);\n"
  "--shares=N --threshold=T --wrap-key=FPR (N times) name new\n"
  "custodians as PACK_EXPORT does.  --rekey seals the key data into a\n"
  "new pack (new pack id, new file key) with shares of generation 1\n"
  "instead: old shares open only the old pack.  Files go to DIR\n"
  "(default: PACK's directory) as NAME.gG.share-I-of-N.asc (NAME\n"
  "default: PACK's name without extension), with --rekey as\n"
  "NAME" REKEY_SUFFIX ".gpgpack and NAME" REKEY_SUFFIX
  ".share-I-of-N.asc; an existing file is\n"
  "never replaced and all files appear or none.  Status: SHARE_BAD as\n"
  "for PACK_IMPORT, SHARE_CREATED <i> <wrap-fpr> <path>, with --rekey\n"
  "PACK_CREATED <pack-id> <path> -, then SHARE_REFRESHED <pack-id>\n"
  "<generation> <threshold> <nshares>.  The new shares meet the policy\n"
  "as those of PACK_EXPORT --secret do.";

/* Parse LINE into REQ (pointing into ARGS): options and one PACK.  */
static gpg_error_t
parse_request (ctrl_t ctrl, char *line, cmdargs_t *args,
               struct refresh_request *req)
{
  const cmdargs_opt_t table[] = {
    { "share", NULL, NULL, &req->shares },
    { "output-dir", NULL, &req->output_dir },
    { "name", NULL, &req->name },
    { "rekey", &req->rekey },
    { "allow-same-custodian", &req->allow_same },
    { "shares", NULL, &req->sx->shares },
    { "threshold", NULL, &req->sx->threshold },
    { "wrap-key", NULL, NULL, &req->sx->wrap_keys },
    { "inquire-wrap-keys", &req->sx->inquire_wrap_keys },
    { NULL }
  };
  gpg_error_t err;

  err = server_parse_args (ctrl, line, table, args);
  if (!err && args->nargs != 1)
    err = server_error (ctrl, gpg_error (args->nargs ? GPG_ERR_TOO_MANY
                                         : GPG_ERR_MISSING_VALUE),
                        "give exactly one pack file: the pack whose shares"
                        " are renewed");
  if (!err)
    req->pack_file = args->args[0];
  return err;
}

/* Default REQ's output directory and name from its pack file and the
 * format FMT; check the name.  */
static gpg_error_t
default_names (ctrl_t ctrl, struct refresh_request *req,
               const gpgpack_format_t *fmt)
{
  const char *slash = strrchr (req->pack_file, '/');
  const char *base = slash ? slash + 1 : req->pack_file;
  size_t len = strlen (base), extlen = strlen (fmt->pack_ext);

  if (!req->output_dir)
    {
      req->output_dir = req->dir_buf = slash == req->pack_file
        ? gpgrt_strdup ("/") : slash
        ? gpgrt_bsprintf ("%.*s", (int)(slash - req->pack_file),
                          req->pack_file)
        : gpgrt_strdup (".");
      if (!req->dir_buf)
        return gpg_error_from_syserror ();
    }
  if (!req->name)
    {
      if (len > extlen && !strcmp (base + len - extlen, fmt->pack_ext))
        len -= extlen;
      req->name = req->name_buf = gpgrt_bsprintf
        ("%.*s%s", (int)len, base, req->rekey ? REKEY_SUFFIX : "");
      if (!req->name_buf)
        return gpg_error_from_syserror ();
    }
  if (!gpgpack_valid_name (req->name))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_NAME),
                         "invalid name '%s' for the new files: give"
                         " --name=NAME", req->name);
  return 0;
}

/* Get the raw file key of the share-mode PACK of format FMT from the
 * shares of REQ into R_KEY; describe the shares used at R_USED.  */
static gpg_error_t
get_key (ctrl_t ctrl, const gpgpack_format_t *fmt, const secbuf_t *pack,
         const struct refresh_request *req, secbuf_t *r_key,
         shareimport_used_t *r_used)
{
  gpgpack_info_t info;
  size_t headlen;
  gpg_error_t err;
  int shared;

  err = shareimport_is_shared (ctrl, fmt, pack, &headlen, &info, &shared);
  if (err)
    return err;
  if (!shared)
    return server_error (ctrl, gpg_error (GPG_ERR_NOT_SUPPORTED),
                         "'%s' was not exported in share mode: it has no"
                         " shares to refresh (export it again with"
                         " --shares)", req->pack_file);
  return shareimport_key_used (ctrl, fmt, pack->data, headlen, &info,
                               &req->shares, NULL, r_key, r_used);
}

/* Without --shares: one new share for the key that decrypted each
 * share of USED, the threshold as before.  */
static gpg_error_t
default_custodians (ctrl_t ctrl, shareexport_t *sx,
                    const shareimport_used_t *used)
{
  unsigned int i;

  for (i = 0; i < used->count; i++)
    {
      if (!*used->opened[i])
        return server_error (ctrl, gpg_error (GPG_ERR_MISSING_VALUE),
                             "share %u came decrypted, so its custodian's"
                             " key is unknown: name the new custodians"
                             " with --shares=N --threshold=T"
                             " --wrap-key=FPR", used->pos[i]);
      sx->wrap_keys.items[i] = used->opened[i];
    }
  sx->wrap_keys.count = sx->nshares = used->count;
  sx->thresh = used->threshold;
  return 0;
}

/* Check the new shares' number, threshold and keys of SX against the
 * keyring and the policy as an export's.  New shares (and a re-key's
 * new pack) hand out the pack's key data, which may be secret: they
 * count as an export of secret keys in share mode, which
 * deny-secret-export allows unless one key gets T shares.  */
static gpg_error_t
check_new_shares (ctrl_t ctrl, shareexport_t *sx)
{
  policy_export_t asked = { .secret = 1 };
  gpgme_ctx_t gctx = NULL;
  gpg_error_t err;

  err = keyring_new_context (ctrl, &gctx);
  if (!err)
    err = shareexport_check_keys (ctrl, sx, gctx);
  gpgme_release (gctx);
  if (err)
    return err;
  asked.nshares = sx->nshares;
  asked.threshold = sx->thresh;
  asked.wrap_fprs = (const char *const *) sx->keys.fprs;
  return policy_check_export (ctrl, &asked);
}

/* The generation of the new shares after the USED ones in JOB.  */
static gpg_error_t
set_generation (sharerefresh_t *job, const shareimport_used_t *used)
{
  if (job->rekey)
    return 0;                 /* A new pack: its first generation.  */
  if (used->generation >= 0xffffffffu)
    return server_error (job->ctrl, gpg_error (GPG_ERR_TOO_LARGE),
                         "the shares are of the last generation there"
                         " is: re-key the pack with --rekey");
  job->sx->generation = used->generation + 1;
  return 0;
}

/* Renew the shares of the authentic PACK whose key is KEY (PLAIN and
 * MANIFEST its content) as JOB says.  */
static gpg_error_t
renew (sharerefresh_t *job, const secbuf_t *pack, const secbuf_t *key,
       const secbuf_t *plain, const secbuf_t *manifest)
{
  gpgpack_blob_t old_key = { key->data, key->len }, new_key = { NULL, 0 };
  gpg_error_t err;

  err = sharerefresh_create_files (job);
  if (!err && job->rekey)
    err = sharerefresh_reseal (job, plain, manifest, &new_key);
  else if (!err)
    {
      job->headlen = pack->len < sizeof job->head ? pack->len
                                                  : sizeof job->head;
      memcpy (job->head, pack->data, job->headlen);
    }
  if (!err)
    err = sharerefresh_write (job, job->rekey ? &new_key : &old_key);
  if (!err)
    err = sharerefresh_report (job);
  server_free_secret (new_key.data, new_key.len);
  return err;
}

/* Open the PACK of JOB with the shares of REQ and renew its shares.  */
static gpg_error_t
refresh_pack (sharerefresh_t *job, struct refresh_request *req,
              const secbuf_t *pack, shareimport_used_t *used)
{
  secbuf_t key = { 0 }, plain = { 0 }, manifest = { 0 };
  gpg_error_t err = 0;

  /* Custodians named by --shares are checked before any share is
   * asked for or decrypted; the default ones are known only after.  */
  if (req->sx->shares)
    err = check_new_shares (job->ctrl, req->sx);
  if (!err)
    err = get_key (job->ctrl, job->fmt, pack, req, &key, used);
  if (!err)
    {
      err = packio_open_raw (job->fmt, pack->data, pack->len, key.data,
                             key.len, &plain, &manifest);
      if (err)
        err = packio_error (job->ctrl, err, job->fmt);
    }
  if (!err && !req->sx->shares)
    err = default_custodians (job->ctrl, req->sx, used);
  if (!err && !req->sx->shares)
    err = check_new_shares (job->ctrl, req->sx);
  if (!err)
    err = set_generation (job, used);
  if (!err)
    err = renew (job, pack, &key, &plain, &manifest);
  secbuf_release (&manifest);
  secbuf_release (&plain);
  secbuf_release (&key);
  return err;
}

gpg_error_t
cmd_share_refresh (assuan_context_t ctx, char *line)
{
  ctrl_t ctrl = assuan_get_pointer (ctx);
  struct refresh_request req = { { 0 } };
  sharerefresh_t job = { ctrl };
  shareimport_used_t *used;
  secbuf_t pack = { 0 };
  cmdargs_t *args;
  gpg_error_t err;

  args = gpgrt_calloc (1, sizeof *args);
  used = gpgrt_calloc (1, sizeof *used);
  req.sx = job.sx = gpgrt_calloc (1, sizeof *req.sx);
  err = args && used && req.sx ? 0 : gpg_error_from_syserror ();
  if (!err)
    err = parse_request (ctrl, line, args, &req);
  if (!err)
    err = packio_read_file (ctrl, req.pack_file, opt.max_pack_size, 0, &pack);
  if (!err)
    err = packio_find_format (ctrl, NULL, pack.data, pack.len,
                              req.pack_file, &job.fmt);
  if (!err)
    err = shareexport_check_args (ctrl, req.sx, job.fmt, 0);
  if (!err)
    err = default_names (ctrl, &req, job.fmt);
  if (!err)
    {
      req.sx->allow_same = req.allow_same;
      job.output_dir = req.output_dir;
      job.name = req.name;
      job.rekey = req.rekey;
      err = refresh_pack (&job, &req, &pack, used);
    }

  sharerefresh_release (&job);
  if (req.sx)
    shareexport_release (ctrl, req.sx);
  gpgrt_free (req.sx);
  secbuf_release (&pack);
  gpgrt_free (req.dir_buf);
  gpgrt_free (req.name_buf);
  gpgrt_free (used);
  if (args)
    cmdargs_release (args);
  gpgrt_free (args);
  return err;
}
