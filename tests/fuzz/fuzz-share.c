/* fuzz-share.c - fuzz target: share envelopes, share decoding, combining
 *
 * Input: one control byte (bit 0: describe each share without the pack
 * head; bit 1: give each encoded share a right checksum, so that the
 * fuzzer, which cannot forge SHA-256, reaches the combining with any
 * indexes and values), then up to MAX_ITEMS items, each a two-byte
 * big-endian length and that many bytes: a share envelope (already
 * decrypted) or an encoded share.  Each item is unwrapped (an envelope)
 * or taken as it is, described with the native sharing's info, and
 * then all are combined against the fixture pack's header, so that a
 * combined key is checked as in an import.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "fuzz-native.h"
#include "envelope.h"
#include "share.h"

#define CTL_NO_HEAD  0x01
#define CTL_FIX_SUMS 0x02
#define MAX_ITEMS 8
#define HEAD_LEN 84                 /* doc/format.md: native header */

/* The pack the shares belong to: share mode, raw file key.  */
static const fuzz_native_variant_t fixture =
  { "share-pack", GCRY_CIPHER_MODE_OCB, 64, 100, NULL, 1, 0, 1 };

static packbuf_t pack;
static gpgpack_blob_t file_key;


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  if (fuzz_native_seal (&fixture, &pack, &file_key) || pack.len < HEAD_LEN)
    abort ();
  return 0;
}


/* Split the items off DATA/SIZE into ITEMS; return how many.  */
static unsigned int
split_items (const uint8_t *data, size_t size, gpgpack_blob_t *items)
{
  unsigned int n = 0;
  size_t len;

  while (n < MAX_ITEMS && size >= 2)
    {
      len = (size_t)data[0] << 8 | data[1];
      data += 2;
      size -= 2;
      if (len > size)
        len = size;
      items[n].data = (unsigned char *)data;
      items[n++].len = len;
      data += len;
      size -= len;
    }
  return n;
}


/* Store the right checksum in the encoded SHARE if its length fits
 * its key length (share.h has the layout).  */
static void
fix_checksum (gpgpack_blob_t *share)
{
  unsigned char digest[32];
  size_t keylen;

  if (share->len < SHARE_HEADER_LEN)
    return;
  keylen = share->data[7];
  if (share->len != SHARE_LEN (keylen))
    return;
  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, share->data,
                       SHARE_HEADER_LEN + keylen);
  memcpy (share->data + SHARE_HEADER_LEN + keylen, digest,
          SHARE_CHECKSUM_LEN);
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const gpgpack_sharing_t *sh = fuzz_native_format ()->sharing;
  gpgpack_blob_t items[MAX_ITEMS], shares[MAX_ITEMS], key = { NULL };
  unsigned int ctl = fuzz_control (&data, &size);
  unsigned int i, n = split_items (data, size, items);
  gpgpack_share_info_t info;
  int bad;

  for (i = 0; i < n; i++)
    {
      if (sh->unwrap (NULL, items[i].data, items[i].len, &shares[i], NULL))
        {
          shares[i].data = gcry_malloc (items[i].len ? items[i].len : 1);
          if (!shares[i].data)
            abort ();
          memcpy (shares[i].data, items[i].data, items[i].len);
          shares[i].len = items[i].len;
          if (ctl & CTL_FIX_SUMS)
            fix_checksum (&shares[i]);
        }
      sh->info (shares[i].data, shares[i].len,
                (ctl & CTL_NO_HEAD) ? NULL : pack.data, HEAD_LEN, &info);
    }
  sh->combine (shares, n, pack.data, HEAD_LEN, &key, &bad);
  packbuf_blob_free (&key);
  for (i = 0; i < n; i++)
    packbuf_blob_free (&shares[i]);
  return 0;
}


/* Append ITEM with its length to SEED.  */
static void
add_item (packbuf_t *seed, const void *item, size_t len)
{
  unsigned char word[2] = { len >> 8, len };

  packbuf_append (seed, word, 2);
  packbuf_append (seed, item, len);
}


/* Write the seed NAME with control byte CTL: the first N of the shares
 * SHARES, the first NENV of them in envelopes.  */
static gpg_error_t
write_shares (const char *dir, const char *name, unsigned int ctl,
              const gpgpack_blob_t *shares, unsigned int n, unsigned int nenv)
{
  gpgpack_blob_t env = { NULL };
  packbuf_t seed = { NULL };
  gpg_error_t err = 0;
  unsigned int i;

  for (i = 0; i < n && !err; i++)
    if (i < nenv)
      {
        err = envelope_build (shares[i].data, shares[i].len, "Alice", &env);
        if (!err)
          add_item (&seed, env.data, env.len);
        packbuf_blob_free (&env);
      }
    else
      add_item (&seed, shares[i].data, shares[i].len);
  if (!err)
    err = fuzz_write_seed (dir, name, ctl, seed.data, seed.len);
  packbuf_free (&seed);
  return err;
}


gpg_error_t
fuzz_seeds (const char *dir)
{
  const gpgpack_sharing_t *sh = fuzz_native_format ()->sharing;
  gpgpack_blob_t shares[5];
  unsigned char next = 7;
  gpg_error_t err;
  unsigned int i;

  err = sh->split (file_key.data, file_key.len, pack.data, HEAD_LEN, 1,
                   3, 5, packbuf_counter_random, &next, shares);
  if (err)
    return err;
  err = write_shares (dir, "three-raw", 0, shares, 3, 0);
  if (!err)
    err = write_shares (dir, "three-enveloped", CTL_NO_HEAD, shares, 3, 3);
  if (!err)
    err = write_shares (dir, "two-of-three", 0, shares, 2, 1);
  shares[1].data[30] ^= 1;
  if (!err)
    err = write_shares (dir, "five-one-corrupt", 0, shares, 5, 0);
  if (!err)
    err = write_shares (dir, "five-one-off-polynomial", CTL_FIX_SUMS,
                        shares, 5, 0);
  for (i = 0; i < 5; i++)
    packbuf_blob_free (&shares[i]);
  return err;
}
