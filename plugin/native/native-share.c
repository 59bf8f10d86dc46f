/* native-share.c - secret sharing of a native pack's file key
 *
 * Glue between the native header and share/: shares are bound to the
 * pack id of the header, and a combined key is accepted only if it
 * matches the header's key check value and MAC.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>
#include <gcrypt.h>

#include "native.h"
#include "share.h"
#include "shamir.h"
#include "wrap.h"

/* True if KEY (LEN bytes) is the file key of the pack whose parsed
 * header is OPAQUE.  */
static int
key_matches (const unsigned char *key, size_t len, void *opaque)
{
  const native_header_t *hdr = opaque;
  native_keys_t *keys;
  gpg_error_t err = 0;

  if (len != NATIVE_KEY_LEN)
    return 0;
  keys = native_secure_alloc (sizeof *keys, &err);
  if (!keys)
    return 0;
  memcpy (keys->file_key, key, NATIVE_KEY_LEN);
  err = native_derive_keys (keys, hdr->pack_id);
  if (!err)
    err = native_header_verify (hdr, keys);
  native_secure_free (keys, sizeof *keys);
  return !err;
}


static gpg_error_t
native_split (const void *key, size_t keylen,
              const void *pack_head, size_t headlen, unsigned int generation,
              unsigned int threshold, unsigned int nshares,
              gpgpack_random_fn_t random, void *random_opaque,
              gpgpack_blob_t *r_shares)
{
  native_header_t hdr;
  gpg_error_t err;

  err = native_header_parse (pack_head, headlen, &hdr);
  if (err)
    return err;
  if (!key_matches (key, keylen, &hdr))
    return plugin_err (GPG_ERR_BAD_KEY);
  return share_split_key (key, keylen, hdr.pack_id, generation,
                          threshold, nshares, random, random_opaque,
                          r_shares);
}


static gpg_error_t
native_combine (const gpgpack_blob_t *shares, unsigned int nshares,
                const void *pack_head, size_t headlen,
                gpgpack_blob_t *r_key, int *r_bad_share)
{
  native_header_t hdr;
  gpg_error_t err;

  *r_bad_share = -1;
  r_key->data = NULL;
  r_key->len = 0;
  err = native_header_parse (pack_head, headlen, &hdr);
  if (err)
    return err;
  return share_combine_key (shares, nshares, hdr.pack_id, key_matches, &hdr,
                            r_key, r_bad_share);
}


static gpg_error_t
native_share_info (const void *share, size_t sharelen,
                   const void *pack_head, size_t headlen,
                   gpgpack_share_info_t *r_info)
{
  native_header_t hdr;
  gpg_error_t err;

  err = share_parse_info (share, sharelen, r_info);
  if (err || !pack_head)
    return err;
  err = native_header_parse (pack_head, headlen, &hdr);
  if (!err)
    err = share_check_pack (share, sharelen, hdr.pack_id);
  return err;
}


/* Split as native_split, then envelope and wrap each share.  */
static gpg_error_t
native_wrap (const gpgpack_wrap_params_t *p, gpgpack_blob_t *r_messages)
{
  gpgpack_blob_t *shares;
  gpg_error_t err;
  unsigned int i;

  if (!p || !p->nshares || p->nshares > SHAMIR_MAX_SHARES)
    return plugin_err (p ? GPG_ERR_INV_VALUE : GPG_ERR_INV_ARG);
  shares = gcry_calloc (p->nshares, sizeof *shares);
  if (!shares)
    return gpg_error_from_syserror ();
  err = native_split (p->key, p->keylen, p->pack_head, p->headlen,
                      p->generation, p->threshold, p->nshares,
                      p->random, p->random_opaque, shares);
  if (!err)
    err = share_wrap_all (p->host, shares, p->nshares, p->wrap_fprs,
                          p->custodians, r_messages);
  for (i = 0; i < p->nshares; i++)
    plugin_blob_release (&shares[i]);
  gcry_free (shares);
  return err;
}


const gpgpack_sharing_t native_sharing =
  {
    native_split,
    native_combine,
    native_share_info,
    native_wrap,
    share_unwrap
  };
