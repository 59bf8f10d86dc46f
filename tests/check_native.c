/* check_native.c - tests of the native pack format plugin */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "packbuf.h"

#define HEADER_LEN 84          /* doc/format.md: header size */
#define WORD_LEN 4
#define TAG_LEN 16
#define PASSPHRASE "correct horse"
#define FPR_LINES "0123456789ABCDEF0123456789ABCDEF01234567 S\n" \
                  "89ABCDEF0123456789ABCDEF0123456789ABCDEF P\n"

/* A sealed pack with its key, input data and manifest.  */
typedef struct sealed
{
  packbuf_t pack;
  gpgpack_blob_t key;
  unsigned char *data;
  size_t len;
  const char *manifest;
} sealed_t;


/* Seal LEN pattern bytes with AEAD, CHUNK, MANIFEST and PASSPHRASE into
 * S, with cheap Argon2 settings.  */
static void
seal_pack (sealed_t *s, int aead, size_t chunk, const char *manifest,
           size_t len, const char *passphrase)
{
  gpgpack_seal_params_t params;

  memset (s, 0, sizeof *s);
  memset (&params, 0, sizeof params);
  s->data = packbuf_pattern (len);
  s->len = len;
  s->manifest = manifest;
  params.aead_algo = aead;
  params.chunk_size = chunk;
  params.manifest = manifest;
  params.manifestlen = manifest ? strlen (manifest) : 0;
  params.passphrase = passphrase;
  params.kdf_passes = 1;
  params.kdf_mem_kib = 64;
  ck_assert_code (packbuf_seal (packbuf_native (), &params, s->data, len, 0,
                                &s->pack, &s->key), 0);
}


static void
sealed_free (sealed_t *s)
{
  packbuf_free (&s->pack);
  packbuf_blob_free (&s->key);
  free (s->data);
}


/* Open PACK (LEN bytes) with the key of S and PASSPHRASE, feeding STEP
 * bytes at a time; return the error, OUT the plaintext.  */
static gpg_error_t
open_with (const sealed_t *s, const unsigned char *pack, size_t len,
           const char *passphrase, size_t step, packbuf_t *out)
{
  return packbuf_open (packbuf_native (), s->key.data, s->key.len, 0,
                       passphrase, pack, len, step, out, NULL);
}


/* Open a modified copy of S's pack and return the error.  */
static gpg_error_t
open_modified (const sealed_t *s, const unsigned char *pack, size_t len)
{
  packbuf_t out = { 0 };
  gpg_error_t err;

  err = open_with (s, pack, len, NULL, 0, &out);
  packbuf_free (&out);
  return err;
}


/* Open S's pack with bit BIT of byte OFF flipped.  */
static gpg_error_t
open_flipped (const sealed_t *s, size_t off, int bit)
{
  unsigned char *copy = malloc (s->pack.len);
  gpg_error_t err;

  ck_assert_ptr_nonnull (copy);
  memcpy (copy, s->pack.data, s->pack.len);
  copy[off] ^= 1 << bit;
  err = open_modified (s, copy, s->pack.len);
  free (copy);
  return err;
}


/* Round trip of LEN bytes; both sinks must see exactly the input.  */
static void
check_roundtrip (int aead, size_t chunk, const char *manifest, size_t len,
                 size_t step)
{
  packbuf_t out = { 0 }, man = { 0 };
  sealed_t s;

  seal_pack (&s, aead, chunk, manifest, len, NULL);
  ck_assert_code (packbuf_open (packbuf_native (), s.key.data, s.key.len, 0,
                                NULL, s.pack.data, s.pack.len, step,
                                &out, &man), 0);
  ck_assert_uint_eq (out.len, len);
  ck_assert (!len || !memcmp (out.data, s.data, len));
  ck_assert_uint_eq (man.len, manifest ? strlen (manifest) : 0);
  ck_assert_uint_eq (man.writes, manifest ? 1 : 0);
  ck_assert (!manifest || !memcmp (man.data, manifest, man.len));
  packbuf_free (&out);
  packbuf_free (&man);
  sealed_free (&s);
}


START_TEST (test_roundtrip_boundaries)
{
  /* Payload sizes around the 64-byte chunk, for the key data and for
   * the whole plaintext (4-byte manifest length in front).  */
  static const size_t sizes[] = { 0, 1, 59, 60, 61, 63, 64, 65, 124, 128,
                                  129, 197 };
  static const size_t steps[] = { 0, 1, 13, 84, 88 };
  static const int aeads[] = { GCRY_CIPHER_MODE_OCB, GCRY_CIPHER_MODE_GCM };
  unsigned int a, i, j;

  for (a = 0; a < 2; a++)
    for (i = 0; i < sizeof sizes / sizeof *sizes; i++)
      for (j = 0; j < sizeof steps / sizeof *steps; j++)
        {
          check_roundtrip (aeads[a], 64, NULL, sizes[i], steps[j]);
          check_roundtrip (aeads[a], 64, FPR_LINES, sizes[i], steps[j]);
        }
}
END_TEST


START_TEST (test_roundtrip_large)
{
  size_t big = 5 * 1024 * 1024 + 3;

  check_roundtrip (GCRY_CIPHER_MODE_OCB, 4096, FPR_LINES, big, 0);
  check_roundtrip (GCRY_CIPHER_MODE_GCM, 1024, FPR_LINES, big, 65537);
  check_roundtrip (0, 0, NULL, big, 4095);
}
END_TEST


/* Known answers (doc/format.md): random bytes 00 01 02 ..., so the
 * file key is 00..1f, the pack id 20..2f and the salt 30..3f.  */
struct vector
{
  int aead;
  size_t chunk;
  uint64_t created;
  const char *manifest;
  const char *data;
  const char *passphrase;
  const char *pack_hex;
  const char *keyfile;
};

static const struct vector vectors[] =
  {
    { GCRY_CIPHER_MODE_OCB, 64, 1700000000,
      "0123456789ABCDEF0123456789ABCDEF01234567 S\n",
      "gpgpack native known-answer test vector 1: two chunks and a bit.\n",
      NULL,
      "8947504b0d0a1a0a01020000202122232425262728292a2b2c2d2e2f00000000"
      "6553f1000734387f3c17c5c16196e0f77a1a972f77a0ffecce9780b01d5bc678"
      "9d935c2e00c67b95dfae5f55359397fa2b6cdaa70000004040af87114b4c43e7"
      "1e79257aabe89a9fcb8293f780ea485b504f1a3757075280f7125785dce653a3"
      "7ee69cee49fbb76f0f90bb32f5abd215c6c28570f55dd88cb88ff765fe2e8b58"
      "c2de6ff407c85b978000003056dea13e4711ad3c6f15139cb62f1888584c7d24"
      "394b51052e2e83bbdbef77a6be9b300f0b15c54027ac1e741d559356cfbadbaa"
      "5041e02c5dd1fd7d845866da",
      "gpgpack-key v1\n"
      "pack 202122232425262728292A2B2C2D2E2F\n"
      "key 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F\n"
    },
    { GCRY_CIPHER_MODE_GCM, 64, 1700000001, NULL, "", NULL,
      "8947504b0d0a1a0a01030000202122232425262728292a2b2c2d2e2f00000000"
      "6553f1010734387f3c17c5c16196e0f77a1a972f886d582f5df7a494ae0c9390"
      "580feca19dc82fb8380fa851f9986b0c0eba6cd0800000045d139b4082aedd7f"
      "7d5ca4b84d7c1486fd622fe9",
      "gpgpack-key v1\n"
      "pack 202122232425262728292A2B2C2D2E2F\n"
      "key 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F\n"
    },
    { GCRY_CIPHER_MODE_OCB, 128, 1700000002,
      "89ABCDEF0123456789ABCDEF0123456789ABCDEF P\n",
      "vector 3: passphrase-protected key file\n",
      PASSPHRASE,
      "8947504b0d0a1a0a01020101202122232425262728292a2b2c2d2e2f00000000"
      "6553f1020734387f3c17c5c16196e0f77a1a972f582060857d714915f3aa37b8"
      "01f9b956699944840dce5cb07f7fc3d2f5897fd68000005753a491cf91f5b2d1"
      "dab5ba1bc8672f54425e464b249162a35c929710392fbbb65e6b270f34fe5e22"
      "fcbacdf8b42deed5c57a57dd85adb2a758397782fab3c16876c15b645d6488b5"
      "1507cb3e3c793fe2f5d07f83dc17a0e9ba3fd09bbd4556b06c000b8a566dcd",
      "gpgpack-key v1\n"
      "pack 202122232425262728292A2B2C2D2E2F\n"
      "argon2id t=1 m=64 p=4 salt=303132333435363738393A3B3C3D3E3F\n"
      "wrapped 3D2E67B28F8473B12C78A495F44F68A62FCBD76C55EB4C3EA7163D775B"
      "98A4E7CD2B63C727A348DCCF44619B3C771720\n"
    }
  };


/* Lower-case hex of LEN bytes; malloced.  */
static char *
to_hex (const unsigned char *p, size_t len)
{
  char *hex = malloc (2 * len + 1);
  size_t i;

  ck_assert_ptr_nonnull (hex);
  for (i = 0; i < len; i++)
    sprintf (hex + 2 * i, "%02x", p[i]);
  hex[2 * len] = 0;
  return hex;
}


START_TEST (test_vector_seal)
{
  const struct vector *v = &vectors[_i];
  gpgpack_seal_params_t params;
  unsigned char counter = 0;
  packbuf_t pack = { 0 };
  gpgpack_blob_t key;
  char *hex;

  memset (&params, 0, sizeof params);
  params.aead_algo = v->aead;
  params.chunk_size = v->chunk;
  params.created = v->created;
  params.manifest = v->manifest;
  params.manifestlen = v->manifest ? strlen (v->manifest) : 0;
  params.passphrase = v->passphrase;
  params.kdf_passes = 1;
  params.kdf_mem_kib = 64;
  params.random = packbuf_counter_random;
  params.random_opaque = &counter;
  ck_assert_code (packbuf_seal (packbuf_native (), &params, v->data,
                                strlen (v->data), 7, &pack, &key), 0);
  hex = to_hex (pack.data, pack.len);
  ck_assert_str_eq (hex, v->pack_hex);
  ck_assert_uint_eq (key.len, strlen (v->keyfile));
  ck_assert (!memcmp (key.data, v->keyfile, key.len));
  free (hex);
  packbuf_free (&pack);
  packbuf_blob_free (&key);
}
END_TEST


START_TEST (test_vector_open)
{
  const struct vector *v = &vectors[_i];
  packbuf_t pack = { 0 }, out = { 0 }, man = { 0 };
  unsigned int i, byte;
  unsigned char c;

  for (i = 0; i < strlen (v->pack_hex); i += 2)
    {
      ck_assert_int_eq (sscanf (v->pack_hex + i, "%2x", &byte), 1);
      c = byte;
      packbuf_append (&pack, &c, 1);
    }
  ck_assert_code (packbuf_open (packbuf_native (), v->keyfile,
                                strlen (v->keyfile), 0, v->passphrase,
                                pack.data, pack.len, 0, &out, &man), 0);
  ck_assert_uint_eq (out.len, strlen (v->data));
  ck_assert (!out.len || !memcmp (out.data, v->data, out.len));
  ck_assert_str_eq (man.len ? (char *)man.data : "",
                    v->manifest ? v->manifest : "");
  packbuf_free (&pack);
  packbuf_free (&out);
  packbuf_free (&man);
}
END_TEST


/* HKDF-Expand of doc/format.md for the file key K: the first OUTLEN
 * bytes of HMAC-SHA256 (K, "gpgpack native v1 " LABEL || P || 01).  */
static void
spec_expand (const unsigned char *k, const char *label,
             const unsigned char *p, unsigned char *out, size_t outlen)
{
  unsigned char mac[32];
  size_t maclen = sizeof mac;
  gcry_mac_hd_t hd;

  ck_assert_int_eq (gcry_mac_open (&hd, GCRY_MAC_HMAC_SHA256, 0, NULL), 0);
  gcry_mac_setkey (hd, k, 32);
  gcry_mac_write (hd, "gpgpack native v1 ", 18);
  gcry_mac_write (hd, label, strlen (label));
  if (p)
    gcry_mac_write (hd, p, 16);
  gcry_mac_write (hd, "\x01", 1);
  gcry_mac_read (hd, mac, &maclen);
  gcry_mac_close (hd);
  memcpy (out, mac, outlen);
}


/* An independent writer following doc/format.md, for packs the plugin
 * never writes: PLAIN (LEN bytes, manifest framing included) sealed with
 * AES-256-OCB, chunk 64, file key 00..1F and pack id 20..2F.  */
static void
spec_seal (const unsigned char *plain, size_t len, packbuf_t *pack)
{
  unsigned char k[32], p[16], kp[32], km[32], nonce[12], hdr[HEADER_LEN];
  unsigned char ad[HEADER_LEN + WORD_LEN], tag[TAG_LEN], ct[64];
  size_t maclen = 32, n;
  gcry_cipher_hd_t hd;
  gcry_mac_hd_t mac;
  uint32_t i;

  for (i = 0; i < 32; i++)
    k[i] = i;
  for (i = 0; i < 16; i++)
    p[i] = 32 + i;
  spec_expand (k, "payload key", p, kp, 32);
  spec_expand (k, "header mac", p, km, 32);
  spec_expand (k, "nonce prefix", p, nonce, 7);
  memset (hdr, 0, sizeof hdr);
  memcpy (hdr, "\x89GPK\r\n\x1a\n\x01\x02\x00\x00", 12);
  memcpy (hdr + 12, p, 16);
  spec_expand (k, "key check", NULL, hdr + 36, 16);
  ck_assert_int_eq (gcry_mac_open (&mac, GCRY_MAC_HMAC_SHA256, 0, NULL), 0);
  gcry_mac_setkey (mac, km, 32);
  gcry_mac_write (mac, hdr, 52);
  gcry_mac_read (mac, hdr + 52, &maclen);
  gcry_mac_close (mac);
  packbuf_append (pack, hdr, sizeof hdr);

  ck_assert_int_eq (gcry_cipher_open (&hd, GCRY_CIPHER_AES256,
                                      GCRY_CIPHER_MODE_OCB, 0), 0);
  gcry_cipher_setkey (hd, kp, 32);
  memcpy (ad, hdr, sizeof hdr);
  for (i = 0; ; i++, plain += n, len -= n)
    {
      n = len < 64 ? len : 64;
      ad[HEADER_LEN] = (n < 64) << 7;
      ad[HEADER_LEN + 1] = ad[HEADER_LEN + 2] = 0;
      ad[HEADER_LEN + 3] = n;
      nonce[7] = i >> 24;
      nonce[8] = i >> 16;
      nonce[9] = i >> 8;
      nonce[10] = i;
      nonce[11] = n < 64;
      gcry_cipher_setiv (hd, nonce, 12);
      gcry_cipher_authenticate (hd, ad, sizeof ad);
      gcry_cipher_final (hd);
      gcry_cipher_encrypt (hd, ct, n, plain, n);
      gcry_cipher_gettag (hd, tag, TAG_LEN);
      packbuf_append (pack, ad + HEADER_LEN, WORD_LEN);
      packbuf_append (pack, ct, n);
      packbuf_append (pack, tag, TAG_LEN);
      if (n < 64)
        break;
    }
  gcry_cipher_close (hd);
}


/* Open the spec_seal pack of PLAIN with the raw key 00..1F.  */
static gpg_error_t
spec_open (const char *plain, size_t len, packbuf_t *out)
{
  unsigned char key[32];
  packbuf_t pack = { 0 };
  gpg_error_t err;
  int i;

  for (i = 0; i < 32; i++)
    key[i] = i;
  spec_seal ((const unsigned char *)plain, len, &pack);
  err = packbuf_open (packbuf_native (), key, 32, 1, NULL, pack.data,
                      pack.len, 0, out, NULL);
  packbuf_free (&pack);
  return err;
}


START_TEST (test_spec_writer)
{
  packbuf_t out = { 0 };

  /* The independent writer's pack opens: the spec and the plugin agree.  */
  ck_assert_code (spec_open ("\0\0\0\0key data", 12, &out), 0);
  ck_assert_uint_eq (out.len, 8);
  ck_assert (!memcmp (out.data, "key data", 8));
  /* Payloads the plugin never writes.  */
  ck_assert_code (spec_open ("\0\x10\0\x01", 4, &out), GPG_ERR_TOO_LARGE);
  ck_assert_code (spec_open ("\0\0\0\x10" "FPR", 7, &out),
                  GPG_ERR_INV_PACKET);
  /* A payload too short for the manifest length (0 to 3 bytes).  */
  ck_assert_code (spec_open ("", 0, &out), GPG_ERR_INV_PACKET);
  ck_assert_code (spec_open ("\0", 1, &out), GPG_ERR_INV_PACKET);
  ck_assert_code (spec_open ("\0\0", 2, &out), GPG_ERR_INV_PACKET);
  ck_assert_code (spec_open ("\0\0\0", 3, &out), GPG_ERR_INV_PACKET);
  /* A manifest length of 0 with no key data is a well-formed payload.  */
  packbuf_free (&out);
  ck_assert_code (spec_open ("\0\0\0\0", 4, &out), 0);
  ck_assert_uint_eq (out.len, 0);
  packbuf_free (&out);
}
END_TEST


/* Expected error when bit BIT of header byte OFF is flipped (OCB pack,
 * 64-byte chunks, key file without passphrase).  */
static gpg_err_code_t
header_flip_error (size_t off, int bit)
{
  if (off < 8)
    return GPG_ERR_INV_DATA;             /* magic */
  if (off == 8)
    return GPG_ERR_UNKNOWN_VERSION;
  if (off == 9)                          /* 2 -> 3 (GCM) is a valid id */
    return bit == 0 ? GPG_ERR_BAD_MAC : GPG_ERR_CIPHER_ALGO;
  if (off == 10)                         /* chunk octet 0 -> 1..8 is valid */
    return bit <= 3 ? GPG_ERR_BAD_MAC : GPG_ERR_INV_PACKET;
  if (off == 11)                         /* flags: bits 0, 1 are known */
    return bit <= 1 ? GPG_ERR_BAD_MAC : GPG_ERR_INV_PACKET;
  if (off >= 36 && off < 52)
    return GPG_ERR_BAD_KEY;              /* key check value */
  return GPG_ERR_BAD_MAC;                /* pack id, created, MAC */
}


START_TEST (test_header_flips)
{
  sealed_t s;
  size_t off;
  int bit;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, FPR_LINES, 100, NULL);
  for (off = 0; off < HEADER_LEN; off++)
    for (bit = 0; bit < 8; bit++)
      ck_assert_code (open_flipped (&s, off, bit),
                      header_flip_error (off, bit));
  sealed_free (&s);
}
END_TEST


/* Offset of record IDX in a pack of chunk size CHUNK.  */
static size_t
record_offset (size_t chunk, size_t idx)
{
  return HEADER_LEN + idx * (WORD_LEN + chunk + TAG_LEN);
}


START_TEST (test_record_flips)
{
  sealed_t s;
  size_t idx, off, nrec;

  /* 4 + 200 bytes of plaintext: 3 full records and a last one of 12.  */
  seal_pack (&s, _i ? GCRY_CIPHER_MODE_GCM : GCRY_CIPHER_MODE_OCB, 64, NULL,
             200, NULL);
  nrec = 4;
  ck_assert_uint_eq (s.pack.len, record_offset (64, 3) + WORD_LEN + 12
                     + TAG_LEN);
  for (idx = 0; idx < nrec; idx++)
    {
      off = record_offset (64, idx);
      ck_assert_code (open_flipped (&s, off, 7), GPG_ERR_INV_PACKET);
      ck_assert_code (open_flipped (&s, off, 6), GPG_ERR_INV_PACKET);
      if (idx < nrec - 1)
        ck_assert_code (open_flipped (&s, off + 3, 0), GPG_ERR_INV_PACKET);
      ck_assert_code (open_flipped (&s, off + WORD_LEN, 0), GPG_ERR_CHECKSUM);
      ck_assert_code (open_flipped (&s, off + WORD_LEN, 7), GPG_ERR_CHECKSUM);
      off = idx < nrec - 1 ? record_offset (64, idx + 1) : s.pack.len;
      ck_assert_code (open_flipped (&s, off - TAG_LEN, 0), GPG_ERR_CHECKSUM);
      ck_assert_code (open_flipped (&s, off - 1, 3), GPG_ERR_CHECKSUM);
    }
  sealed_free (&s);
}
END_TEST


START_TEST (test_only_verified_output)
{
  packbuf_t out = { 0 };
  unsigned char *copy;
  sealed_t s;

  /* Break the tag of record 2: the data of records 0 and 1 (minus the
   * 4-byte manifest length) must have come out, nothing after.  */
  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 200, NULL);
  copy = malloc (s.pack.len);
  memcpy (copy, s.pack.data, s.pack.len);
  copy[record_offset (64, 3) - 1] ^= 1;
  ck_assert_code (open_with (&s, copy, s.pack.len, NULL, 0, &out),
                  GPG_ERR_CHECKSUM);
  ck_assert_uint_eq (out.len, 2 * 64 - 4);
  ck_assert (!memcmp (out.data, s.data, out.len));
  packbuf_free (&out);
  free (copy);
  sealed_free (&s);
}
END_TEST


START_TEST (test_reorder)
{
  size_t reclen = WORD_LEN + 64 + TAG_LEN;
  unsigned char *copy;
  sealed_t s;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 200, NULL);
  copy = malloc (s.pack.len);
  /* Records 0 and 1 swapped.  */
  memcpy (copy, s.pack.data, s.pack.len);
  memcpy (copy + record_offset (64, 0), s.pack.data + record_offset (64, 1),
          reclen);
  memcpy (copy + record_offset (64, 1), s.pack.data + record_offset (64, 0),
          reclen);
  ck_assert_code (open_modified (&s, copy, s.pack.len), GPG_ERR_CHECKSUM);
  /* Record 1 replaced by record 0.  */
  memcpy (copy, s.pack.data, s.pack.len);
  memcpy (copy + record_offset (64, 1), s.pack.data + record_offset (64, 0),
          reclen);
  ck_assert_code (open_modified (&s, copy, s.pack.len), GPG_ERR_CHECKSUM);
  /* Record 2 dropped.  */
  memcpy (copy, s.pack.data, s.pack.len);
  memmove (copy + record_offset (64, 2), copy + record_offset (64, 3),
           s.pack.len - record_offset (64, 3));
  ck_assert_code (open_modified (&s, copy, s.pack.len - reclen),
                  GPG_ERR_CHECKSUM);
  free (copy);
  sealed_free (&s);
}
END_TEST


START_TEST (test_truncate)
{
  sealed_t s;
  size_t len;

  /* Every non-empty proper prefix, chunk boundaries included, is
   * truncated (an empty pack is test_short_pack's).  */
  seal_pack (&s, _i ? GCRY_CIPHER_MODE_GCM : GCRY_CIPHER_MODE_OCB, 64,
             FPR_LINES, 200, NULL);
  for (len = 1; len < s.pack.len; len++)
    ck_assert_code (open_modified (&s, s.pack.data, len), GPG_ERR_TRUNCATED);
  sealed_free (&s);
}
END_TEST


/* Packs shorter than the header: empty or another magic is not a
 * native pack, bytes that agree so far are a truncated one, a version
 * byte present is checked before the length.  */
START_TEST (test_short_pack)
{
  unsigned char head[HEADER_LEN];
  packbuf_t out = { 0 };
  sealed_t s;
  size_t len;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, NULL);
  ck_assert_code (open_modified (&s, s.pack.data, 0), GPG_ERR_INV_DATA);
  ck_assert_code (open_with (&s, NULL, 0, NULL, 0, &out), GPG_ERR_INV_DATA);
  memcpy (head, s.pack.data, HEADER_LEN);
  for (len = 1; len < HEADER_LEN; len++)
    {
      ck_assert_code (open_modified (&s, head, len), GPG_ERR_TRUNCATED);
      head[len < 8 ? len - 1 : 0] ^= 0x20;
      ck_assert_code (open_modified (&s, head, len), GPG_ERR_INV_DATA);
      head[len < 8 ? len - 1 : 0] ^= 0x20;
    }
  head[8] = 2;
  for (len = 9; len < HEADER_LEN; len++)
    ck_assert_code (open_modified (&s, head, len), GPG_ERR_UNKNOWN_VERSION);
  packbuf_free (&out);
  sealed_free (&s);
}
END_TEST


START_TEST (test_append)
{
  packbuf_t longer = { 0 };
  sealed_t s;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 200, NULL);
  packbuf_append (&longer, s.pack.data, s.pack.len);
  packbuf_append (&longer, "", 1);
  ck_assert_code (open_modified (&s, longer.data, longer.len),
                  GPG_ERR_INV_LENGTH);
  longer.len = s.pack.len;
  packbuf_append (&longer, s.pack.data + record_offset (64, 3),
                  s.pack.len - record_offset (64, 3));
  ck_assert_code (open_modified (&s, longer.data, longer.len),
                  GPG_ERR_INV_LENGTH);
  longer.len = s.pack.len;
  packbuf_append (&longer, s.pack.data, s.pack.len);
  ck_assert_code (open_modified (&s, longer.data, longer.len),
                  GPG_ERR_INV_LENGTH);
  packbuf_free (&longer);
  sealed_free (&s);
}
END_TEST


/* Open S's pack with the key file text KEYFILE and PASSPHRASE.  */
static gpg_error_t
open_keyfile (const sealed_t *s, const char *keyfile, const char *passphrase)
{
  packbuf_t out = { 0 };
  gpg_error_t err;

  err = packbuf_open (packbuf_native (), keyfile, strlen (keyfile), 0,
                      passphrase, s->pack.data, s->pack.len, 0, &out, NULL);
  packbuf_free (&out);
  return err;
}


/* The key file of S as a string with FIND replaced by REPLACE.  */
static char *
edit_keyfile (const sealed_t *s, const char *find, const char *replace)
{
  char *text = malloc (s->key.len + strlen (replace) + 1), *hit;

  memcpy (text, s->key.data, s->key.len);
  text[s->key.len] = 0;
  hit = strstr (text, find);
  ck_assert_ptr_nonnull (hit);
  memmove (hit + strlen (replace), hit + strlen (find),
           strlen (hit + strlen (find)) + 1);
  memcpy (hit, replace, strlen (replace));
  return text;
}


/* Open S with its key file edited (FIND -> REPLACE) and expect CODE.  */
static void
check_edited (const sealed_t *s, const char *find, const char *replace,
              const char *passphrase, gpg_err_code_t code)
{
  char *text = edit_keyfile (s, find, replace);

  ck_assert_code (open_keyfile (s, text, passphrase), code);
  free (text);
}


/* Open S with the hex digit after PREFIX in its key file changed and
 * expect CODE.  */
static void
check_digit (const sealed_t *s, const char *prefix, const char *passphrase,
             gpg_err_code_t code)
{
  char *text = edit_keyfile (s, prefix, prefix), *digit;

  digit = strstr (text, prefix) + strlen (prefix);
  *digit = *digit == '0' ? '1' : '0';
  ck_assert_code (open_keyfile (s, text, passphrase), code);
  free (text);
}


START_TEST (test_keyfile_errors)
{
  static const char *const malformed[] =
    {
      "", "garbage", "gpgpack-key v1\n", "gpgpack-key\n",
      "gpgpack-key v1\npack 2021\nkey 00\n",
      "gpgpack-key v1\nkey 00\npack 00\n"
    };
  sealed_t s, other;
  unsigned int i;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, NULL);
  seal_pack (&other, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, NULL);
  ck_assert_code (open_keyfile (&s, (char *)s.key.data, NULL), 0);
  ck_assert_code (open_keyfile (&s, (char *)other.key.data, NULL),
                  GPG_ERR_WRONG_SECKEY);
  for (i = 0; i < sizeof malformed / sizeof *malformed; i++)
    ck_assert_code (open_keyfile (&s, malformed[i], NULL),
                    GPG_ERR_INV_KEYINFO);
  check_edited (&s, "v1", "v2", NULL, GPG_ERR_UNKNOWN_VERSION);
  check_edited (&s, "pack ", "pak ", NULL, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "\nkey ", "\nkey x", NULL, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "\n", "\r\n", NULL, 0);
  /* A different but well-formed key: the key check names it.  */
  check_digit (&s, "\nkey ", NULL, GPG_ERR_BAD_KEY);
  sealed_free (&s);
  sealed_free (&other);
}
END_TEST


/* Open S with its key file cut by CUT bytes at the end, then with
 * APPEND added, and expect CODE_CUT and CODE_APPEND.  */
static void
check_key_end (const sealed_t *s, size_t cut, const char *append,
               const char *passphrase, gpg_err_code_t code_cut,
               gpg_err_code_t code_append)
{
  char *text = edit_keyfile (s, "\n", "\n");
  size_t len = strlen (text) - cut;

  text[len] = 0;
  ck_assert_code (open_keyfile (s, text, passphrase), code_cut);
  text = realloc (text, len + strlen (append) + 1);
  strcpy (text + len, append);
  ck_assert_code (open_keyfile (s, text, passphrase), code_append);
  free (text);
}


/* doc/format.md, key file: the last line's LF may be missing, a CR
 * counts only before an LF, nothing may follow the last line.  */
START_TEST (test_keyfile_line_ends)
{
  sealed_t s, p;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, NULL);
  seal_pack (&p, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, PASSPHRASE);
  check_key_end (&s, 1, "\r\n", NULL, 0, 0);
  check_key_end (&p, 1, "\r\n", PASSPHRASE, 0, 0);
  check_key_end (&s, 1, "\r", NULL, 0, GPG_ERR_INV_KEYINFO);
  check_key_end (&s, 0, "\n", NULL, 0, GPG_ERR_INV_KEYINFO);
  check_key_end (&p, 0, "\n", PASSPHRASE, 0, GPG_ERR_INV_KEYINFO);
  check_key_end (&s, 0, " ", NULL, 0, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "v1\n", "v1\r\r\n", NULL, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "v1\n", "v1\r", NULL, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "\npack", "\n\npack", NULL, GPG_ERR_INV_KEYINFO);
  sealed_free (&s);
  sealed_free (&p);
}
END_TEST


/* Keywords are case-sensitive, hex digits are not.  */
START_TEST (test_keyfile_case)
{
  static const char *const keywords[][2] =
    {
      { "gpgpack-key", "GPGPACK-KEY" }, { "gpgpack-key", "Gpgpack-key" },
      { "v1", "V1" }, { "\npack ", "\nPACK " }, { "\nkey ", "\nKey " }
    };
  static const char *const protected[][2] =
    {
      { "argon2id", "ARGON2ID" }, { "t=", "T=" }, { "m=", "M=" },
      { "p=", "P=" }, { "salt=", "Salt=" }, { "wrapped", "WRAPPED" }
    };
  sealed_t s, p;
  char *text, *c;
  unsigned int i;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, NULL);
  seal_pack (&p, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, PASSPHRASE);
  for (i = 0; i < sizeof keywords / sizeof *keywords; i++)
    check_edited (&s, keywords[i][0], keywords[i][1], NULL,
                  GPG_ERR_INV_KEYINFO);
  for (i = 0; i < sizeof protected / sizeof *protected; i++)
    check_edited (&p, protected[i][0], protected[i][1], PASSPHRASE,
                  GPG_ERR_INV_KEYINFO);
  text = edit_keyfile (&s, "\n", "\n");
  for (c = strchr (text, '\n'); *c; c++)
    if (*c >= 'A' && *c <= 'F')
      *c += 'a' - 'A';
  ck_assert_code (open_keyfile (&s, text, NULL), 0);
  free (text);
  sealed_free (&s);
  sealed_free (&p);
}
END_TEST


/* The first line's version token: "v" and digits is a version (only
 * "v1" known), anything else a malformed key file.  */
START_TEST (test_keyfile_version)
{
  static const char *const unknown[] = { "v2", "v0", "v01", "v10",
                                         "v99999999999999999999" };
  static const char *const malformed[] = { "vx", "v", "v1a", "v1 ", "1",
                                           " v1", "v-1", "v+1", "v1.0" };
  sealed_t s;
  unsigned int i;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, NULL);
  for (i = 0; i < sizeof unknown / sizeof *unknown; i++)
    check_edited (&s, "v1", unknown[i], NULL, GPG_ERR_UNKNOWN_VERSION);
  for (i = 0; i < sizeof malformed / sizeof *malformed; i++)
    check_edited (&s, "v1", malformed[i], NULL, GPG_ERR_INV_KEYINFO);
  /* The version is checked before the rest of the key file.  */
  ck_assert_code (open_keyfile (&s, "gpgpack-key v2\nanything", NULL),
                  GPG_ERR_UNKNOWN_VERSION);
  sealed_free (&s);
}
END_TEST


START_TEST (test_passphrase)
{
  sealed_t s, other;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, PASSPHRASE);
  seal_pack (&other, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, PASSPHRASE);
  ck_assert_code (open_keyfile (&s, (char *)s.key.data, PASSPHRASE), 0);
  ck_assert_code (open_keyfile (&s, (char *)s.key.data, NULL),
                  GPG_ERR_NO_PASSPHRASE);
  ck_assert_code (open_keyfile (&s, (char *)s.key.data, ""),
                  GPG_ERR_NO_PASSPHRASE);
  ck_assert_code (open_keyfile (&s, (char *)s.key.data, "wrong horse"),
                  GPG_ERR_BAD_PASSPHRASE);
  ck_assert_code (open_keyfile (&s, (char *)other.key.data, PASSPHRASE),
                  GPG_ERR_WRONG_SECKEY);
  check_edited (&s, "salt=", "salt=0", PASSPHRASE, GPG_ERR_INV_KEYINFO);
  check_digit (&s, "salt=", PASSPHRASE, GPG_ERR_BAD_PASSPHRASE);
  check_digit (&s, "wrapped ", PASSPHRASE, GPG_ERR_BAD_PASSPHRASE);
  check_edited (&s, "t=1 ", "t=0 ", PASSPHRASE, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "m=64 ", "m=7 ", PASSPHRASE, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "argon2id", "argon2i", PASSPHRASE, GPG_ERR_INV_KEYINFO);
  check_edited (&s, "t=1 ", "t=12345678901 ", PASSPHRASE,
                GPG_ERR_INV_KEYINFO);
  check_edited (&s, "wrapped ", "wrapped 00", PASSPHRASE,
                GPG_ERR_INV_KEYINFO);
  sealed_free (&s);
  sealed_free (&other);
}
END_TEST


/* Argon2 parameters beyond the limits are refused before deriving
 * (a derivation with them would take minutes and hit the timeout).  */
START_TEST (test_kdf_limits)
{
  sealed_t s;
  char *text;

  seal_pack (&s, GCRY_CIPHER_MODE_OCB, 64, NULL, 10, PASSPHRASE);
  check_edited (&s, "t=1 m=64 p=4 ", "t=64 m=2097152 p=16 ", PASSPHRASE,
                GPG_ERR_LIMIT_REACHED);
  check_edited (&s, "t=1 m=64 p=4 ", "t=64 m=2097152 p=16 ", NULL,
                GPG_ERR_LIMIT_REACHED);
  check_edited (&s, "t=1 ", "t=11 ", PASSPHRASE, GPG_ERR_LIMIT_REACHED);
  check_edited (&s, "t=1 ", "t=9999999999 ", PASSPHRASE,
                GPG_ERR_LIMIT_REACHED);
  check_edited (&s, "m=64 ", "m=1048577 ", PASSPHRASE, GPG_ERR_LIMIT_REACHED);
  check_edited (&s, "m=64 p=4 ", "m=256 p=17 ", PASSPHRASE,
                GPG_ERR_LIMIT_REACHED);
  /* A malformed key file is named as such before any limit.  */
  text = edit_keyfile (&s, "t=1 ", "t=11 ");
  strstr (text, "wrapped ")[8] = 'x';
  ck_assert_code (open_keyfile (&s, text, PASSPHRASE), GPG_ERR_INV_KEYINFO);
  free (text);
  /* At the limit the parameters are used (and so give a wrong KEK).  */
  check_edited (&s, "t=1 ", "t=10 ", PASSPHRASE, GPG_ERR_BAD_PASSPHRASE);
  check_edited (&s, "p=4 ", "p=8 ", PASSPHRASE, GPG_ERR_BAD_PASSPHRASE);
  sealed_free (&s);
}
END_TEST


START_TEST (test_raw_key)
{
  const gpgpack_format_t *fmt = packbuf_native ();
  gpgpack_seal_params_t params;
  packbuf_t pack = { 0 }, out = { 0 };
  gpgpack_info_t info;
  gpgpack_blob_t key;
  unsigned char wrong[32];

  memset (&params, 0, sizeof params);
  params.raw_key = 1;
  ck_assert_code (packbuf_seal (fmt, &params, "secret", 6, 0, &pack, &key),
                  0);
  ck_assert_uint_eq (key.len, 32);
  ck_assert_code (fmt->info (pack.data, pack.len, &info), 0);
  ck_assert_uint_eq (info.needs & (GPGPACK_FMT_SHARES | GPGPACK_FMT_KEYFILE),
                     GPGPACK_FMT_SHARES);
  ck_assert_code (packbuf_open (fmt, key.data, 32, 1, NULL, pack.data,
                                pack.len, 0, &out, NULL), 0);
  ck_assert_uint_eq (out.len, 6);
  memcpy (wrong, key.data, 32);
  wrong[31] ^= 1;
  ck_assert_code (packbuf_open (fmt, wrong, 32, 1, NULL, pack.data,
                                pack.len, 0, &out, NULL), GPG_ERR_BAD_KEY);
  ck_assert_code (packbuf_open (fmt, key.data, 31, 1, NULL, pack.data,
                                pack.len, 0, &out, NULL), GPG_ERR_INV_KEYINFO);
  packbuf_free (&pack);
  packbuf_free (&out);
  packbuf_blob_free (&key);
}
END_TEST


/* Seal 10 bytes with PARAMS changed by the caller; return the error.  */
static gpg_error_t
seal_with (gpgpack_seal_params_t *params)
{
  packbuf_t pack = { 0 };
  gpgpack_blob_t key;
  gpg_error_t err;

  err = packbuf_seal (packbuf_native (), params, "0123456789", 10, 0,
                      &pack, &key);
  if (!err)
    packbuf_blob_free (&key);
  packbuf_free (&pack);
  return err;
}


START_TEST (test_seal_params)
{
  gpgpack_seal_params_t params;
  static char big[1024 * 1024 + 1];

  memset (&params, 0, sizeof params);
  params.aead_algo = GCRY_CIPHER_MODE_CBC;
  ck_assert_code (seal_with (&params), GPG_ERR_CIPHER_ALGO);
  memset (&params, 0, sizeof params);
  params.chunk_size = 100;
  ck_assert_code (seal_with (&params), GPG_ERR_INV_VALUE);
  params.chunk_size = 32;
  ck_assert_code (seal_with (&params), GPG_ERR_INV_VALUE);
  params.chunk_size = 2 * 1024 * 1024;
  ck_assert_code (seal_with (&params), GPG_ERR_INV_VALUE);
  memset (&params, 0, sizeof params);
  params.raw_key = 1;
  params.passphrase = PASSPHRASE;
  ck_assert_code (seal_with (&params), GPG_ERR_INV_VALUE);
  memset (&params, 0, sizeof params);
  params.passphrase = PASSPHRASE;
  params.kdf_mem_kib = 16;
  ck_assert_code (seal_with (&params), GPG_ERR_INV_VALUE);
  params.kdf_mem_kib = 1024 * 1024 + 1;
  ck_assert_code (seal_with (&params), GPG_ERR_INV_VALUE);
  params.kdf_mem_kib = 64;
  params.kdf_passes = 11;
  ck_assert_code (seal_with (&params), GPG_ERR_INV_VALUE);
  memset (&params, 0, sizeof params);
  params.manifest = big;
  params.manifestlen = sizeof big;
  ck_assert_code (seal_with (&params), GPG_ERR_TOO_LARGE);
}
END_TEST


START_TEST (test_probe_info)
{
  const gpgpack_format_t *fmt = packbuf_native ();
  gpgpack_info_t info;
  unsigned char head[HEADER_LEN];
  sealed_t s, p;

  seal_pack (&s, GCRY_CIPHER_MODE_GCM, 128, NULL, 10, NULL);
  seal_pack (&p, 0, 0, NULL, 10, PASSPHRASE);
  ck_assert_int_eq (fmt->probe (s.pack.data, s.pack.len, s.pack.len, NULL),
                    100);
  ck_assert_int_eq (fmt->probe ("garbage!garbage!", 16, 16, "x.gpgpack"), 0);
  ck_assert_int_eq (fmt->probe (s.pack.data, 7, 7, NULL), 0);

  ck_assert_code (fmt->info (s.pack.data, HEADER_LEN, &info), 0);
  ck_assert_str_eq (info.cipher, "AES-256-GCM");
  ck_assert_uint_eq (info.chunk_size, 128);
  ck_assert_uint_eq (info.needs, GPGPACK_FMT_KEYFILE | GPGPACK_FMT_MANIFEST
                     | GPGPACK_FMT_AUTHENTICATED);
  ck_assert_uint_eq (strlen (info.pack_id), 32);
  ck_assert (info.created > 1700000000);
  ck_assert_uint_eq (info.threshold, 0);
  ck_assert_code (fmt->info (p.pack.data, p.pack.len, &info), 0);
  ck_assert_str_eq (info.cipher, "AES-256-OCB");
  ck_assert_uint_eq (info.chunk_size, 16384);
  ck_assert (info.needs & GPGPACK_FMT_PASSPHRASE);

  ck_assert_code (fmt->info ("garbage!garbage!", 16, &info), GPG_ERR_INV_DATA);
  ck_assert_code (fmt->info (s.pack.data, HEADER_LEN - 1, &info),
                  GPG_ERR_TRUNCATED);
  memcpy (head, s.pack.data, HEADER_LEN);
  head[8] = 2;
  ck_assert_code (fmt->info (head, HEADER_LEN, &info),
                  GPG_ERR_UNKNOWN_VERSION);
  head[8] = 1;
  head[9] = 1;
  ck_assert_code (fmt->info (head, HEADER_LEN, &info), GPG_ERR_CIPHER_ALGO);
  sealed_free (&s);
  sealed_free (&p);
}
END_TEST


/* A sink that fails.  */
static gpg_error_t
failing_write (void *opaque, const void *buf, size_t len)
{
  return gpg_error (GPG_ERR_ENOSPC);
}


START_TEST (test_stream_states)
{
  const gpgpack_format_t *fmt = packbuf_native ();
  gpgpack_seal_params_t params;
  gpgpack_stream_t stream;
  packbuf_t pack = { 0 };
  gpgpack_blob_t key;

  /* A sink error comes back unchanged and sticks.  */
  memset (&params, 0, sizeof params);
  params.out.write = failing_write;
  ck_assert_int_eq (gpg_err_code (fmt->seal_start (&params, &stream, &key)),
                    GPG_ERR_ENOSPC);
  ck_assert_ptr_null (stream);
  ck_assert_ptr_null (key.data);

  /* No feeding after finish.  */
  params.out = packbuf_sink (&pack);
  ck_assert_code (fmt->seal_start (&params, &stream, &key), 0);
  ck_assert_code (fmt->finish (stream), 0);
  ck_assert_code (fmt->feed (stream, "x", 1), GPG_ERR_INV_STATE);
  ck_assert_code (fmt->finish (stream), GPG_ERR_INV_STATE);
  fmt->release (stream);
  fmt->release (NULL);
  packbuf_free (&pack);
  packbuf_blob_free (&key);
}
END_TEST


/* A pack sealed for share mode: raw file key, split 2 of 3.  */
typedef struct shared_pack
{
  packbuf_t pack;
  gpgpack_blob_t key;
  gpgpack_blob_t shares[3];
} shared_pack_t;


static void
share_pack (shared_pack_t *sp, unsigned int generation)
{
  const gpgpack_format_t *fmt = packbuf_native ();
  gpgpack_seal_params_t params;

  memset (sp, 0, sizeof *sp);
  memset (&params, 0, sizeof params);
  params.raw_key = 1;
  params.manifest = FPR_LINES;
  params.manifestlen = strlen (FPR_LINES);
  ck_assert_code (packbuf_seal (fmt, &params, "keys", 4, 0, &sp->pack,
                                &sp->key), 0);
  ck_assert_code (fmt->sharing->split (sp->key.data, sp->key.len,
                                       sp->pack.data, sp->pack.len,
                                       generation, 2, 3, NULL, NULL,
                                       sp->shares), 0);
}


static void
shared_pack_free (shared_pack_t *sp)
{
  unsigned int i;

  packbuf_free (&sp->pack);
  packbuf_blob_free (&sp->key);
  for (i = 0; i < 3; i++)
    packbuf_blob_free (&sp->shares[i]);
}


/* Combine share A and, unless NULL, share B against the pack HEAD;
 * return the error, the bad share to R_BAD, the key to R_KEY.  */
static gpg_error_t
combine (const gpgpack_blob_t *a, const gpgpack_blob_t *b,
         const packbuf_t *head, gpgpack_blob_t *r_key, int *r_bad)
{
  gpgpack_blob_t shares[2];

  shares[0] = *a;
  if (b)
    shares[1] = *b;
  return packbuf_native ()->sharing->combine (shares, b ? 2 : 1, head->data,
                                              head->len, r_key, r_bad);
}


START_TEST (test_shares_roundtrip)
{
  const gpgpack_format_t *fmt = packbuf_native ();
  packbuf_t out = { 0 };
  gpgpack_blob_t key;
  shared_pack_t sp;
  int bad;

  share_pack (&sp, 0);
  ck_assert_code (combine (&sp.shares[2], &sp.shares[0], &sp.pack, &key, &bad),
                  0);
  ck_assert_int_eq (bad, -1);
  ck_assert_uint_eq (key.len, 32);
  ck_assert (!memcmp (key.data, sp.key.data, 32));
  ck_assert_code (packbuf_open (fmt, key.data, key.len, 1, NULL,
                                sp.pack.data, sp.pack.len, 0, &out, NULL), 0);
  ck_assert_uint_eq (out.len, 4);
  packbuf_free (&out);
  packbuf_blob_free (&key);
  shared_pack_free (&sp);
}
END_TEST


START_TEST (test_shares_errors)
{
  const gpgpack_format_t *fmt = packbuf_native ();
  gpgpack_share_info_t info;
  gpgpack_info_t pinfo;
  gpgpack_blob_t key, shares[3];
  shared_pack_t sp, other;
  int bad;

  share_pack (&sp, 7);
  share_pack (&other, 7);

  /* Info without and with the pack; a share of another pack.  */
  ck_assert_code (fmt->sharing->info (sp.shares[1].data, sp.shares[1].len,
                                      NULL, 0, &info), 0);
  ck_assert_code (fmt->info (sp.pack.data, sp.pack.len, &pinfo), 0);
  ck_assert_str_eq (info.pack_id, pinfo.pack_id);
  ck_assert_uint_eq (info.index, 2);
  ck_assert_uint_eq (info.threshold, 2);
  ck_assert_uint_eq (info.generation, 7);
  ck_assert_code (fmt->sharing->info (sp.shares[1].data, sp.shares[1].len,
                                      sp.pack.data, sp.pack.len, &info), 0);
  ck_assert_code (fmt->sharing->info (sp.shares[1].data, sp.shares[1].len,
                                      other.pack.data, other.pack.len, &info),
                  GPG_ERR_WRONG_SECKEY);

  /* Too few shares; a share of another pack; a corrupt share named.  */
  ck_assert_code (combine (&sp.shares[0], NULL, &sp.pack, &key, &bad),
                  GPG_ERR_MISSING_KEY);
  ck_assert_code (combine (&sp.shares[0], &other.shares[1], &sp.pack,
                           &key, &bad), GPG_ERR_WRONG_SECKEY);
  ck_assert_int_eq (bad, 1);
  ck_assert_ptr_null (key.data);
  memcpy (shares, sp.shares, sizeof shares);
  shares[1].data[30] ^= 0x10;
  ck_assert_code (combine (&shares[0], &shares[1], &sp.pack, &key, &bad),
                  GPG_ERR_BAD_DATA);
  ck_assert_int_eq (bad, 1);

  /* Shares of the right pack combined against another header.  */
  ck_assert_code (combine (&sp.shares[0], &sp.shares[2], &other.pack,
                           &key, &bad), GPG_ERR_WRONG_SECKEY);

  /* Splitting refuses a key that is not the pack's, and garbage.  */
  ck_assert_code (fmt->sharing->split (other.key.data, 32, sp.pack.data,
                                       sp.pack.len, 0, 2, 3, NULL, NULL,
                                       shares), GPG_ERR_BAD_KEY);
  ck_assert_code (fmt->sharing->split (sp.key.data, 32, "garbage", 7, 0, 2,
                                       3, NULL, NULL, shares),
                  GPG_ERR_INV_DATA);
  ck_assert_code (fmt->sharing->split (sp.key.data, 32, sp.pack.data,
                                       sp.pack.len, 0, 4, 3, NULL, NULL,
                                       shares), GPG_ERR_INV_VALUE);
  shared_pack_free (&sp);
  shared_pack_free (&other);
}
END_TEST


static Suite *
native_suite (void)
{
  Suite *s = suite_create ("native");
  TCase *tc;

  tc = tcase_create ("roundtrip");
  tcase_add_test (tc, test_roundtrip_boundaries);
  tcase_add_test (tc, test_roundtrip_large);
  tcase_add_loop_test (tc, test_vector_seal, 0, 3);
  tcase_add_loop_test (tc, test_vector_open, 0, 3);
  tcase_add_test (tc, test_spec_writer);
  suite_add_tcase (s, tc);

  tc = tcase_create ("tamper");
  tcase_add_test (tc, test_header_flips);
  tcase_add_loop_test (tc, test_record_flips, 0, 2);
  tcase_add_test (tc, test_only_verified_output);
  tcase_add_test (tc, test_reorder);
  tcase_add_loop_test (tc, test_truncate, 0, 2);
  tcase_add_test (tc, test_short_pack);
  tcase_add_test (tc, test_append);
  suite_add_tcase (s, tc);

  tc = tcase_create ("keys");
  tcase_add_test (tc, test_keyfile_errors);
  tcase_add_test (tc, test_keyfile_line_ends);
  tcase_add_test (tc, test_keyfile_case);
  tcase_add_test (tc, test_keyfile_version);
  tcase_add_test (tc, test_passphrase);
  tcase_add_test (tc, test_kdf_limits);
  tcase_add_test (tc, test_raw_key);
  tcase_add_test (tc, test_shares_roundtrip);
  tcase_add_test (tc, test_shares_errors);
  suite_add_tcase (s, tc);

  tc = tcase_create ("api");
  tcase_add_test (tc, test_seal_params);
  tcase_add_test (tc, test_probe_info);
  tcase_add_test (tc, test_stream_states);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{

  ckrun_init_gcrypt (65536);
  return ckrun (native_suite ());
}
