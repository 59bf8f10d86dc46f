/* shareexport.c - PACK_EXPORT in share mode: the file key split t-of-n
 *
 * Instead of a key file the pack's raw file key is split by the
 * format's sharing core; each share goes in its envelope, encrypted to
 * one custodian's wrap key by the host services (hostsvc.c).
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>

#include "shareexport.h"
#include "hostsvc.h"

/* Parse the decimal number TEXT of option NAME into R_VALUE.  */
static gpg_error_t
parse_count (ctrl_t ctrl, const char *name, const char *text,
             unsigned int *r_value)
{
  unsigned long v;
  char *end;

  v = strtoul (text, &end, 10);
  if (*text < '0' || *text > '9' || *end || v > 100000)
    return server_error (ctrl, gpg_error (GPG_ERR_INV_VALUE),
                         "--%s=%s is not a number", name, text);
  *r_value = v;
  return 0;
}

/* Check that the companions of --shares come only with it.  */
static gpg_error_t
check_companions (ctrl_t ctrl, const shareexport_t *sx)
{
  const char *alone = sx->threshold ? "--threshold"
    : sx->wrap_keys.count ? "--wrap-key"
    : sx->allow_same ? "--allow-same-custodian"
    : sx->inquire_wrap_keys ? "--inquire-wrap-keys" : NULL;

  if (alone)
    return server_error (ctrl, gpg_error (GPG_ERR_INV_ARG),
                         "%s needs --shares=N", alone);
  return 0;
}

/* Check N and T of SX: 2 <= T <= N <= 255.  */
static gpg_error_t
check_numbers (ctrl_t ctrl, shareexport_t *sx)
{
  gpg_error_t err;

  if (!sx->threshold)
    return server_error (ctrl, gpg_error (GPG_ERR_MISSING_VALUE),
                         "--shares needs --threshold=T, the number of"
                         " shares that open the pack");
  err = parse_count (ctrl, "shares", sx->shares, &sx->nshares);
  if (!err)
    err = parse_count (ctrl, "threshold", sx->threshold, &sx->thresh);
  if (err)
    return err;
  if (sx->nshares > WRAPKEYS_MAX)
    return server_error (ctrl, gpg_error (GPG_ERR_TOO_LARGE),
                         "--shares=%u: at most %u shares", sx->nshares,
                         WRAPKEYS_MAX);
  if (sx->thresh < 2)
    return server_error (ctrl, gpg_error (GPG_ERR_INV_VALUE),
                         "--threshold=%u: at least 2 shares must be needed"
                         " (one share alone would be the key)", sx->thresh);
  if (sx->thresh > sx->nshares)
    return server_error (ctrl, gpg_error (GPG_ERR_INV_VALUE),
                         "--threshold=%u is more than --shares=%u: the pack"
                         " could never be opened", sx->thresh, sx->nshares);
  return 0;
}

/* Check that SX names one wrap key per share.  */
static gpg_error_t
check_key_count (ctrl_t ctrl, const shareexport_t *sx)
{
  if (sx->wrap_keys.count < sx->nshares)
    return server_error (ctrl, gpg_error (GPG_ERR_MISSING_VALUE),
                         "--shares=%u needs %u --wrap-key, %u given",
                         sx->nshares, sx->nshares, sx->wrap_keys.count);
  if (sx->wrap_keys.count > sx->nshares)
    return server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                         "%u --wrap-key given for --shares=%u; give one"
                         " per share", sx->wrap_keys.count, sx->nshares);
  return 0;
}

gpg_error_t
shareexport_check_args (ctrl_t ctrl, shareexport_t *sx,
                        const gpgpack_format_t *fmt, int passphrase)
{
  gpg_error_t err;

  sx->nshares = sx->thresh = 0;
  if (!sx->shares)
    return check_companions (ctrl, sx);
  if (!(fmt->flags & GPGPACK_FMT_SHARES) || !fmt->sharing)
    return server_error (ctrl, gpg_error (GPG_ERR_NOT_SUPPORTED),
                         "format '%s' has no share mode; use the native"
                         " format", fmt->name);
  if (passphrase)
    return server_error (ctrl, gpg_error (GPG_ERR_CONFLICT),
                         "--passphrase protects a key file, which share"
                         " mode does not write; leave it out");
  err = check_numbers (ctrl, sx);
  if (!err && !sx->inquire_wrap_keys)
    err = check_key_count (ctrl, sx);
  if (err)
    sx->nshares = sx->thresh = 0;
  return err;
}

/* Append the wrap keys of INQUIRE WRAP_KEYS to those of SX.  */
static gpg_error_t
inquire_keys (ctrl_t ctrl, shareexport_t *sx)
{
  gpg_error_t err;
  int i;

  err = patterns_inquire (ctrl, "WRAP_KEYS", SHAREEXPORT_MAX_KEYS_LEN,
                          &sx->inquired);
  if (!err && sx->wrap_keys.count + sx->inquired.count > WRAPKEYS_MAX)
    err = server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                        "more than %u wrap keys; give one per share",
                        WRAPKEYS_MAX);
  for (i = 0; !err && i < sx->inquired.count; i++)
    sx->wrap_keys.items[sx->wrap_keys.count++] = sx->inquired.items[i];
  return err;
}

gpg_error_t
shareexport_check_keys (ctrl_t ctrl, shareexport_t *sx, gpgme_ctx_t ctx)
{
  gpg_error_t err = 0;

  if (sx->inquire_wrap_keys)
    err = inquire_keys (ctrl, sx);
  if (!err && sx->inquire_wrap_keys)
    err = check_key_count (ctrl, sx);
  if (err)
    return err;
  return wrapkeys_check (ctrl, ctx, sx->wrap_keys.items, sx->nshares,
                         sx->allow_same, &sx->keys);
}

char *
shareexport_file_ext (const shareexport_t *sx, unsigned int i)
{
  if (sx->generation > SHAREEXPORT_GENERATION)
    return gpgrt_bsprintf (".g%u.share-%u-of-%u.asc", sx->generation, i + 1,
                           sx->nshares);
  return gpgrt_bsprintf (".share-%u-of-%u.asc", i + 1, sx->nshares);
}

gpg_error_t
shareexport_wrap (ctrl_t ctrl, shareexport_t *sx,
                  const gpgpack_format_t *fmt,
                  const void *head, size_t headlen, const gpgpack_blob_t *key)
{
  gpgpack_wrap_params_t params = { NULL };
  hostsvc_t svc;
  gpg_error_t err;

  sx->msgs = gpgrt_calloc (sx->nshares, sizeof *sx->msgs);
  if (!sx->msgs)
    return gpg_error_from_syserror ();
  hostsvc_init (ctrl, &svc);
  svc.signer = sx->signer;
  params.host = &svc.host;
  params.key = key->data;
  params.keylen = key->len;
  params.pack_head = head;
  params.headlen = headlen;
  params.generation = sx->generation ? sx->generation
                                     : SHAREEXPORT_GENERATION;
  params.threshold = sx->thresh;
  params.nshares = sx->nshares;
  params.wrap_fprs = (const char *const *) sx->keys.fprs;
  params.custodians = (const char *const *) sx->keys.names;
  UNLOCKED (err = fmt->sharing->wrap (&params, sx->msgs));
  if (err)
    return server_error (ctrl, err, "can't wrap the shares to their"
                         " keys; nothing written");
  return 0;
}

gpg_error_t
shareexport_stream (ctrl_t ctrl, const shareexport_t *sx)
{
  gpg_error_t err = 0;
  unsigned int i;

  for (i = 0; i < sx->nshares && !err; i++)
    {
      err = server_status (ctrl, "SHARE_BEGIN", "%u %s", i + 1,
                           sx->keys.fprs[i]);
      if (!err)
        err = assuan_send_data (ctrl->assuan, sx->msgs[i].data,
                                sx->msgs[i].len);
      if (!err)
        err = assuan_send_data (ctrl->assuan, NULL, 0);
      if (!err)
        err = server_status (ctrl, "SHARE_END", "%u", i + 1);
    }
  return err;
}

void
shareexport_release (ctrl_t ctrl, shareexport_t *sx)
{
  unsigned int i;

  if (sx->msgs)
    for (i = 0; i < sx->nshares; i++)
      gcry_free (sx->msgs[i].data);
  gpgrt_free (sx->msgs);
  sx->msgs = NULL;
  wrapkeys_release (&sx->keys);
  patterns_release (ctrl, &sx->inquired);
}
