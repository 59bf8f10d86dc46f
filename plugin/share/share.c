/* share.c - shares of a pack's file key: encoding, splitting, combining */
#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "shamir.h"
#include "plugin-util.h"
#include "share.h"


/* The fields of one decoded share; pointers into the encoding.  */
typedef struct
{
  unsigned int threshold;
  unsigned char x;
  size_t keylen;
  unsigned long generation;
  const unsigned char *pack_id;
  const unsigned char *y;
} share_fields_t;

/* Store the first SHARE_CHECKSUM_LEN bytes of SHA-256 over the LEN
 * bytes at BUF (which include the secret y) at OUT.  */
static gpg_error_t
compute_checksum (const unsigned char *buf, size_t len, unsigned char *out)
{
  gcry_md_hd_t md;
  gpg_error_t err;

  err = gcry_md_open (&md, GCRY_MD_SHA256, GCRY_MD_FLAG_SECURE);
  if (err)
    return plugin_err (gpg_err_code (err));
  gcry_md_write (md, buf, len);
  memcpy (out, gcry_md_read (md, GCRY_MD_SHA256), SHARE_CHECKSUM_LEN);
  gcry_md_close (md);
  return 0;
}

/* Decode and check the encoded share P of LEN bytes into F (see share.h
 * for the errors and their order).  */
static gpg_error_t
decode_share (const unsigned char *p, size_t len, share_fields_t *f)
{
  unsigned char checksum[SHARE_CHECKSUM_LEN];
  size_t keylen;
  gpg_error_t err;

  if (!p)
    return plugin_err (GPG_ERR_INV_ARG);
  if (!len || memcmp (p, SHARE_MAGIC, len < 4 ? len : 4))
    return plugin_err (GPG_ERR_INV_DATA);
  if (len < 5)
    return plugin_err (GPG_ERR_TRUNCATED);
  if (p[4] != SHARE_VERSION)
    return plugin_err (GPG_ERR_UNKNOWN_VERSION);
  if (len < SHARE_HEADER_LEN)
    return plugin_err (GPG_ERR_TRUNCATED);
  keylen = p[7];
  if (len < SHARE_LEN (keylen))
    return plugin_err (GPG_ERR_TRUNCATED);
  if (len > SHARE_LEN (keylen))
    return plugin_err (GPG_ERR_INV_LENGTH);

  err = compute_checksum (p, SHARE_HEADER_LEN + keylen, checksum);
  if (err)
    return err;
  if (memcmp (checksum, p + SHARE_HEADER_LEN + keylen, SHARE_CHECKSUM_LEN))
    return plugin_err (GPG_ERR_BAD_DATA);

  f->threshold = p[5];
  f->x = p[6];
  f->keylen = keylen;
  f->generation = ((unsigned long)p[8] << 24 | (unsigned long)p[9] << 16
                   | (unsigned long)p[10] << 8 | p[11]);
  f->pack_id = p + 12;
  f->y = p + SHARE_HEADER_LEN;
  if (f->threshold < 2 || !f->x || !keylen)
    return plugin_err (GPG_ERR_INV_VALUE);
  return 0;
}

/* Fill in the header and checksum of the share P whose y bytes are
 * already in place.  */
static gpg_error_t
encode_share (unsigned char *p, const unsigned char *pack_id,
              unsigned int generation, unsigned int t, unsigned char x,
              size_t keylen)
{
  memcpy (p, SHARE_MAGIC, 4);
  p[4] = SHARE_VERSION;
  p[5] = t;
  p[6] = x;
  p[7] = keylen;
  p[8] = generation >> 24;
  p[9] = generation >> 16;
  p[10] = generation >> 8;
  p[11] = generation;
  memcpy (p + 12, pack_id, SHARE_PACK_ID_LEN);
  return compute_checksum (p, SHARE_HEADER_LEN + keylen,
                           p + SHARE_HEADER_LEN + keylen);
}

gpg_error_t
share_split_key (const unsigned char *key, size_t keylen,
                 const unsigned char pack_id[SHARE_PACK_ID_LEN],
                 unsigned int generation, unsigned int t, unsigned int n,
                 gpgpack_random_fn_t random, void *random_opaque,
                 gpgpack_blob_t *r_shares)
{
  unsigned char xs[SHAMIR_MAX_SHARES] = { 0 };
  unsigned char *ys[SHAMIR_MAX_SHARES];
  unsigned int i;
  gpg_error_t err;

  if (!key || !pack_id || !r_shares)
    return plugin_err (GPG_ERR_INV_ARG);
  if (!keylen || keylen > SHARE_MAX_KEYLEN
      || t < 2 || t > n || n > SHAMIR_MAX_SHARES)
    return plugin_err (GPG_ERR_INV_VALUE);

  memset (r_shares, 0, n * sizeof *r_shares);
  for (i = 0; i < n; i++)
    {
      r_shares[i].data = gcry_malloc_secure (SHARE_LEN (keylen));
      if (!r_shares[i].data)
        {
          err = plugin_err (gpg_err_code_from_syserror ());
          goto leave;
        }
      r_shares[i].len = SHARE_LEN (keylen);
      xs[i] = i + 1;
      ys[i] = r_shares[i].data + SHARE_HEADER_LEN;
    }
  err = shamir_split (key, keylen, t, n, random, random_opaque, xs, ys);
  for (i = 0; i < n && !err; i++)
    err = encode_share (r_shares[i].data, pack_id, generation, t, xs[i],
                        keylen);

 leave:
  if (err)
    for (i = 0; i < n; i++)
      plugin_blob_release (&r_shares[i]);
  return err;
}

/* Combine the shares F[IDX[0]] .. F[IDX[T-1]] into KEY.  */
static gpg_error_t
combine_subset (const share_fields_t *f, const unsigned int *idx,
                unsigned int t, unsigned char *key)
{
  unsigned char xs[SHAMIR_MAX_SHARES];
  const unsigned char *ys[SHAMIR_MAX_SHARES];
  unsigned int i;

  for (i = 0; i < t; i++)
    {
      xs[i] = f[idx[i]].x;
      ys[i] = f[idx[i]].y;
    }
  return shamir_combine (xs, ys, t, f[0].keylen, key);
}

/* Step IDX, a T-subset of 0..N-1 in increasing order, to the next one
 * in colexicographic order; return 0 after the last.  Colex order tries
 * every subset of the first M shares before any subset with share M, so
 * a single bad share among the first T is found within T+1 trials.  */
static int
next_subset (unsigned int *idx, unsigned int t, unsigned int n)
{
  unsigned int j;

  for (j = 0; j + 1 < t && idx[j] + 1 == idx[j + 1]; j++)
    idx[j] = j;
  if (j + 1 == t && idx[j] + 1 >= n)
    return 0;
  idx[j]++;
  return 1;
}

/* Count in *R_NDISAGREE the shares of F outside the T-subset IDX that
 * are not on the polynomial through IDX, whose value at 0 is KEY, and
 * store the position of the first at *R_FIRST (-1 if none).  Share J is
 * tested by combining it with T-1 members of IDX into SCRATCH: as every
 * Lagrange weight at 0 is non-zero, the result equals KEY exactly when
 * J is on that polynomial.  */
static gpg_error_t
count_disagreeing (const share_fields_t *f, unsigned int n, unsigned int t,
                   const unsigned int *idx, const unsigned char *key,
                   unsigned char *scratch,
                   unsigned int *r_ndisagree, int *r_first)
{
  unsigned int probe[SHAMIR_MAX_SHARES];
  unsigned char in_subset[SHAMIR_MAX_SHARES] = { 0 };
  unsigned char diff;
  unsigned int i, j;
  size_t k;
  gpg_error_t err;

  *r_ndisagree = 0;
  *r_first = -1;
  memcpy (probe, idx, t * sizeof *idx);
  for (i = 0; i < t; i++)
    in_subset[idx[i]] = 1;
  for (j = 0; j < n; j++)
    {
      if (in_subset[j])
        continue;
      probe[0] = j;
      err = combine_subset (f, probe, t, scratch);
      if (err)
        return err;
      for (diff = 0, k = 0; k < f[0].keylen; k++)
        diff |= scratch[k] ^ key[k];
      if (diff && !(*r_ndisagree)++)
        *r_first = j;
    }
  return 0;
}

/* Recover into KEY the key from the N shares F of threshold T, with
 * CANDIDATE and SCRATCH (key length bytes each) as work space.  The
 * T-subsets are tried in colex order; each whose key CHECK accepts (all
 * without CHECK) is rated by how many other shares disagree with it and
 * the best wins: its key goes to KEY, its first disagreeing share to
 * *R_BAD.  Two polynomials through the same key agree on at most T-2
 * shares, so one that D shares disagree with, 2D < N-T+2, cannot be
 * beaten and ends the search; so does computing SHARE_MAX_COMBINES
 * combinations.  GPG_ERR_BAD_KEY if CHECK accepts none.  Rating by
 * agreement keeps shares crafted so that their errors cancel out at 0
 * from shifting the blame onto honest ones.  */
static gpg_error_t
recover_key (const share_fields_t *f, unsigned int n, unsigned int t,
             share_key_check_t check, void *check_opaque,
             unsigned char *key, unsigned char *candidate,
             unsigned char *scratch, int *r_bad)
{
  unsigned int idx[SHAMIR_MAX_SHARES];
  unsigned int i, ndisagree, combines = 0;
  unsigned int best = SHAMIR_MAX_SHARES + 1;
  int first;
  gpg_error_t err;

  for (i = 0; i < t; i++)
    idx[i] = i;
  do
    {
      combines++;
      err = combine_subset (f, idx, t, candidate);
      if (err)
        return err;
      if (check && check (candidate, f[0].keylen, check_opaque) != 1)
        continue;
      combines += n - t;
      err = count_disagreeing (f, n, t, idx, candidate, scratch,
                               &ndisagree, &first);
      if (err)
        return err;
      if (ndisagree < best)
        {
          best = ndisagree;
          *r_bad = first;
          memcpy (key, candidate, f[0].keylen);
        }
    }
  while (2 * best >= n - t + 2 && combines < SHARE_MAX_COMBINES
         && next_subset (idx, t, n));
  return best > SHAMIR_MAX_SHARES ? plugin_err (GPG_ERR_BAD_KEY) : 0;
}

/* Decode the N SHARES into F and check that they belong together; on
 * error *R_BAD is the position of the offending share.  */
static gpg_error_t
decode_all (const gpgpack_blob_t *shares, unsigned int n,
            const unsigned char *pack_id, share_fields_t *f, int *r_bad)
{
  unsigned int i, j;
  gpg_error_t err;

  for (i = 0; i < n; i++)
    {
      *r_bad = i;
      err = decode_share (shares[i].data, shares[i].len, &f[i]);
      if (err)
        return err;
      if (memcmp (f[i].pack_id, pack_id, SHARE_PACK_ID_LEN))
        return plugin_err (GPG_ERR_WRONG_SECKEY);
      if (f[i].threshold != f[0].threshold
          || f[i].generation != f[0].generation
          || f[i].keylen != f[0].keylen)
        return plugin_err (GPG_ERR_INV_VALUE);
      for (j = 0; j < i; j++)
        if (f[j].x == f[i].x)
          return plugin_err (GPG_ERR_DUP_VALUE);
    }
  *r_bad = -1;
  return 0;
}

gpg_error_t
share_combine_key (const gpgpack_blob_t *shares, unsigned int n,
                   const unsigned char pack_id[SHARE_PACK_ID_LEN],
                   share_key_check_t check, void *check_opaque,
                   gpgpack_blob_t *r_key, int *r_bad_share)
{
  share_fields_t f[SHAMIR_MAX_SHARES];
  unsigned char *key = NULL;
  unsigned char *work = NULL;
  unsigned int t;
  size_t keylen = 0;
  int bad = -1;
  gpg_error_t err;

  if (r_bad_share)
    *r_bad_share = -1;
  if (!shares || !pack_id || !r_key)
    return plugin_err (GPG_ERR_INV_ARG);
  r_key->data = NULL;
  r_key->len = 0;
  if (!n)
    return plugin_err (GPG_ERR_MISSING_KEY);
  if (n > SHAMIR_MAX_SHARES)
    return plugin_err (GPG_ERR_INV_VALUE);

  err = decode_all (shares, n, pack_id, f, &bad);
  if (err)
    goto leave;
  t = f[0].threshold;
  keylen = f[0].keylen;
  if (n < t)
    {
      err = plugin_err (GPG_ERR_MISSING_KEY);
      goto leave;
    }

  key = gcry_malloc_secure (keylen);
  work = gcry_malloc_secure (2 * keylen);
  if (!key || !work)
    {
      err = plugin_err (gpg_err_code_from_syserror ());
      goto leave;
    }
  err = recover_key (f, n, t, check, check_opaque, key, work, work + keylen,
                     &bad);
  if (!err && bad != -1)
    err = plugin_err (GPG_ERR_BAD_DATA);
  if (!err)
    {
      r_key->data = key;
      r_key->len = keylen;
      key = NULL;
    }

 leave:
  if (key)
    {
      plugin_wipe (key, keylen);
      gcry_free (key);
    }
  if (work)
    {
      plugin_wipe (work, 2 * keylen);
      gcry_free (work);
    }
  if (err && r_bad_share)
    *r_bad_share = bad;
  return err;
}

gpg_error_t
share_parse_info (const void *share, size_t len, gpgpack_share_info_t *r_info)
{
  share_fields_t f;
  unsigned int i;
  gpg_error_t err;

  if (!r_info)
    return plugin_err (GPG_ERR_INV_ARG);
  err = decode_share (share, len, &f);
  if (err)
    return err;
  for (i = 0; i < SHARE_PACK_ID_LEN; i++)
    snprintf (r_info->pack_id + 2 * i, 3, "%02X", f.pack_id[i]);
  r_info->index = f.x;
  r_info->threshold = f.threshold;
  r_info->generation = f.generation;
  return 0;
}

gpg_error_t
share_check_pack (const void *share, size_t len,
                  const unsigned char pack_id[SHARE_PACK_ID_LEN])
{
  share_fields_t f;
  gpg_error_t err;

  if (!pack_id)
    return plugin_err (GPG_ERR_INV_ARG);
  err = decode_share (share, len, &f);
  if (err)
    return err;
  if (memcmp (f.pack_id, pack_id, SHARE_PACK_ID_LEN))
    return plugin_err (GPG_ERR_WRONG_SECKEY);
  return 0;
}
