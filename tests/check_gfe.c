/* check_gfe.c - tests of the GpgFrontend formats plugin (gfe1, gfe2, gfe3)
 *
 * The known answers (doc/format.md) were computed independently of the
 * plugin: gfe1 and the AES-GCM of gfe2 with Python (hashlib, base64,
 * cryptography), the Argon2id of gfe2 and all of gfe3 with libsodium
 * (crypto_pwhash, crypto_aead_xchacha20poly1305_ietf), the way
 * GpgFrontend itself computes them.  Random bytes come from
 * packbuf_counter_random starting at 0.
 */
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

#define PIN "1234"
#define MAX_PACK (32 * 1024 * 1024)
#define ARMOR_PUB "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZQ==\n" \
                  "=Zf8b\n-----END PGP PUBLIC KEY BLOCK-----\n"
#define ARMOR_SEC "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlFgEZQ==\n" \
                  "=AAAA\n-----END PGP PRIVATE KEY BLOCK-----\n"

/* Known answer: ARMOR_PUB sealed with PIN "1234".  */
static const char gfe1_key[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz01"
    "23456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123"
    "456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz012345"
    "6789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz01234567";
static const char gfe1_pack[] =
    "00a7c61da0e6e61da3f40a178e0fe7eec4bf6c1c5f1f96bd96542a13f0821a14"
    "509e927e79c9a340c8b10be68af37b16a4dd9a9488a6d7c82a194434559a25dc"
    "41314f5771a1c291ca8cabf48d8321049d510b5b136a2be0d0c548d97b8bd5ff"
    "ecf955a2479d7843db26e1f02999a8efab8d311136735f93cdfdd9178d902b44";
/* A v2.1.x-style key file with 0x00 bytes and a v2.0.x pack holding only
 * a private key block (ARMOR_SEC).  */
static const char gfe1_nulkey[] =
    "00250b30163b21072c12371d03280e33193e240a2f153a20062b11361c02270d"
    "32183d23092e14391f052a10351b01260c31173c22082d13381e04290f341a00"
    "250b30163b21072c12371d03280e33193e240a2f153a20062b11361c02270d32"
    "183d23092e14391f052a10351b01260c31173c22082d13381e04290f341a0025"
    "0b30163b21072c12371d03280e33193e240a2f153a20062b11361c02270d3218"
    "3d23092e14391f052a10351b01260c31173c22082d13381e04290f341a00250b"
    "30163b21072c12371d03280e33193e240a2f153a20062b11361c02270d32183d"
    "23092e14391f052a10351b01260c31173c22082d13381e04290f341a00250b30";
static const char gfe1_privpack[] =
    "7bc5e8d0efd8dc283c2a833642e24d61dd07ee4deb0f7ff63e0140e03f62493b"
    "79e7d75203c284056a5d8b6b8e24164a33d5b0100b94b7ec6271583c078787f9"
    "84def7948b4095e4ba3c29a97e32cbc5bd87806b42b3ee2dce06720c61a8fcb9"
    "ab77e7c599028fa9041ad0a2dccf484036f07281378ea0e6b23ac025589fe2ee";
static const char gfe2_pack[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b2505aab6"
    "d0909244e4afa5211d455ee8e82ecd516e8d166780190f0a47640621ca7a297d"
    "167fe00c8c8738b9f13fccf565714da1428906a2254d55f576a13e07a992c539"
    "c9e016a4fe63bdf47c270aa0612cb87358594332a09fcdcfc1babceb0d3e29b4"
    "b120eea5";
static const char gfe2_key[] =
    "1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637583ce8cd"
    "19b7860e1298b757ed5333c0b1554e885bbfee56b8e46804c4b0985a4e0a454c"
    "62693709882fefe30a408b56bd906839383f454a445df1097a34d13981b7eede"
    "cb33545dc4aca953117834d3813de4b69c4528585b67042de38b4e24fe3c09fb"
    "c794fcc732be7047c0bc3c22c9b7cfc3cb19cff95d3a6e6df01470748e663f94"
    "2641013ffd58c0da1c0175f45d0f29034c0d42803030e8e833ec53d83b64f975"
    "cd5192517c4e213128dc8f1c15d0bd912513e557ec7a8cb923415da95a7ca3b7"
    "d53de2830d4f2fb94df327dd1f9f9edf17e77cd5837270da5a7208a46aec46d3"
    "d4a15dbafe69841b64abfbbab52fc98b44ff1ea021e7e0f263fa709908f559cc"
    "f86e6390a6df814235cfc136";
static const char gfe3_pack[] =
    "474653454332000102030405060708090a0b0c0d0e0f10111213141516171819"
    "1a1b1c1d1e1f20212223242526276018af988f68895ba0e7621bef2c4eb399ec"
    "f4109a7246cbe5893ba4daf7b68c337d0f118c22293f5ce26e9385904e88e25b"
    "35bbcc083b2e533ac2fc9539604f6eeb330005e19f133a4a8877e9c79ccc42b0"
    "2da5487a1a9c4dc2c7f822e5f8b82bd3b88f8e47197a";
static const char gfe3_key[] =
    "47465345433228292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041"
    "42434445464748494a4b4c4d4e4ffc5f6777ba3712eced1732ed61ffa4561e70"
    "b2da112554167f12655b1efebcb3b961f61a82f398eba30ce8e44f4426c2f169"
    "59c7f134d6a56595b951c5848846172f3446a35dbcdb096c9a60609af3c18faf"
    "84a9352dadb08b606eaac4de21755f6ce631474603d1983ea81bafc13424cb61"
    "4e075716d6ea4e6d5c65d08b7eaf04af316099bd861a9eb86f3452148711dedc"
    "5da3641cb9058501a7ba09dfd525bcf7eb4bdd01a6f05d65c93235afcea550fb"
    "25ca5508efb2a7ad4c06480e2326b81f6a763d77f9cfbd037a4245a708ddd710"
    "801268ff63e11e80c45f56337892ec7337eab6f5ac91de08d57bb2702820447e"
    "e923087d2ecfdbbb1d82e2c6a2822902028572c37d6648a9d3978e358bb6";


/* The format NAME from $GPGPACK_PLUGIN_DIR (the set is kept).  */
static const gpgpack_format_t *
fmt (const char *name)
{
  static plugin_set_t set;
  const gpgpack_format_t *f;

  if (!set)
    ck_assert_int_eq (plugin_load_dir (NULL, &set), 0);
  f = plugin_find_format (set, name);
  ck_assert_msg (f != NULL, "no format %s", name);
  return f;
}


/* HEX decoded into a new buffer, its length to *R_LEN.  */
static unsigned char *
unhex (const char *hex, size_t *r_len)
{
  size_t n = strlen (hex) / 2, i;
  unsigned char *buf = malloc (n + 1);
  unsigned int v;

  ck_assert_ptr_nonnull (buf);
  for (i = 0; i < n; i++)
    {
      ck_assert_int_eq (sscanf (hex + 2 * i, "%2x", &v), 1);
      buf[i] = v;
    }
  *r_len = n;
  return buf;
}


/* A sealed pack with its key file.  */
typedef struct sealed
{
  packbuf_t pack;
  gpgpack_blob_t key;
} sealed_t;


/* Seal LEN bytes of DATA as NAME with PIN, feeding STEP bytes a time;
 * deterministic random if KAT.  */
static void
seal (sealed_t *s, const char *name, const void *data, size_t len,
      const char *pin, size_t step, int kat)
{
  gpgpack_seal_params_t params;
  unsigned char counter = 0;

  memset (s, 0, sizeof *s);
  memset (&params, 0, sizeof params);
  params.passphrase = pin;
  if (kat)
    {
      params.random = packbuf_counter_random;
      params.random_opaque = &counter;
    }
  ck_assert_code (packbuf_seal (fmt (name), &params, data, len, step,
                                &s->pack, &s->key), 0);
}


static void
sealed_free (sealed_t *s)
{
  packbuf_free (&s->pack);
  packbuf_blob_free (&s->key);
}


/* Open PACK with KEY and PIN; the error, the plaintext to OUT.  */
static gpg_error_t
open_pack (const char *name, const void *key, size_t keylen, const char *pin,
           const void *pack, size_t packlen, size_t step, packbuf_t *out)
{
  return packbuf_open (fmt (name), key, keylen, 0, pin, pack, packlen, step,
                       out, NULL);
}


/* Open a pack and discard the output; the error.  */
static gpg_error_t
open_err (const char *name, const void *key, size_t keylen, const char *pin,
          const void *pack, size_t packlen)
{
  packbuf_t out = { 0 };
  gpg_error_t err;

  err = open_pack (name, key, keylen, pin, pack, packlen, 0, &out);
  packbuf_free (&out);
  return err;
}


/* Open S's pack with byte OFF xor-ed with MASK; the error.  */
static gpg_error_t
open_flipped (const char *name, const sealed_t *s, size_t off, int mask,
              const char *pin)
{
  unsigned char *copy = malloc (s->pack.len);
  gpg_error_t err;

  ck_assert_ptr_nonnull (copy);
  memcpy (copy, s->pack.data, s->pack.len);
  copy[off] ^= mask;
  err = open_err (name, s->key.data, s->key.len, pin, copy, s->pack.len);
  free (copy);
  return err;
}


/* Seal DATA as NAME by the KAT random source and compare pack and key
 * with the independent answers; then open those.  */
static void
check_kat (const char *name, const char *data, const char *pin,
           const char *pack_hex, const char *key_hex, int key_is_text)
{
  unsigned char *pack, *key;
  size_t packlen, keylen;
  packbuf_t out = { 0 };
  sealed_t s;

  pack = unhex (pack_hex, &packlen);
  if (key_is_text)
    {
      key = (unsigned char *)strdup (key_hex);
      keylen = strlen (key_hex);
    }
  else
    key = unhex (key_hex, &keylen);
  seal (&s, name, data, strlen (data), pin, 0, 1);
  ck_assert_uint_eq (s.pack.len, packlen);
  ck_assert (!memcmp (s.pack.data, pack, packlen));
  ck_assert_uint_eq (s.key.len, keylen);
  ck_assert (!memcmp (s.key.data, key, keylen));
  ck_assert_code (open_pack (name, key, keylen, pin, pack, packlen, 7, &out),
                  0);
  ck_assert_uint_eq (out.len, strlen (data));
  ck_assert (!memcmp (out.data, data, out.len));
  packbuf_free (&out);
  sealed_free (&s);
  free (pack);
  free (key);
}


START_TEST (test_kat_gfe1)
{
  check_kat ("gfe1", ARMOR_PUB, NULL, gfe1_pack, gfe1_key, 1);
}
END_TEST


START_TEST (test_kat_gfe2)
{
  check_kat ("gfe2", ARMOR_PUB, PIN, gfe2_pack, gfe2_key, 0);
}
END_TEST


START_TEST (test_kat_gfe3)
{
  check_kat ("gfe3", ARMOR_PUB, PIN, gfe3_pack, gfe3_key, 0);
}
END_TEST


/* v2.1.x key files hold 0x00 bytes; v2.0.4-2.0.10 packs only the
 * private key block.  */
START_TEST (test_gfe1_old_versions)
{
  unsigned char *pack, *key;
  size_t packlen, keylen;
  packbuf_t out = { 0 };

  pack = unhex (gfe1_privpack, &packlen);
  key = unhex (gfe1_nulkey, &keylen);
  ck_assert_uint_eq (keylen, 256);
  ck_assert_ptr_nonnull (memchr (key, 0, keylen));
  ck_assert_code (open_pack ("gfe1", key, keylen, NULL, pack, packlen, 0,
                             &out), 0);
  ck_assert_str_eq ((char *)out.data, ARMOR_SEC);
  packbuf_free (&out);
  free (pack);
  free (key);
}
END_TEST


/* Seal and open LEN pattern bytes as NAME, feeding STEP at a time.  */
static void
roundtrip (const char *name, size_t len, size_t step)
{
  unsigned char *data = packbuf_pattern (len);
  packbuf_t out = { 0 };
  sealed_t s;

  seal (&s, name, data, len, PIN, step, 0);
  ck_assert_code (open_pack (name, s.key.data, s.key.len, PIN, s.pack.data,
                             s.pack.len, step, &out), 0);
  ck_assert_uint_eq (out.len, len);
  ck_assert (!len || !memcmp (out.data, data, len));
  packbuf_free (&out);
  sealed_free (&s);
  free (data);
}


START_TEST (test_roundtrip_gfe2)
{
  static const size_t sizes[] = { 0, 1, 15, 16, 4095, 4096, 4097, 4111,
                                  4112, 4113, 8192, 100000 };
  static const size_t steps[] = { 0, 1, 17, 4096 };
  unsigned int i, j;

  for (i = 0; i < sizeof sizes / sizeof *sizes; i++)
    for (j = 0; j < sizeof steps / sizeof *steps; j++)
      if (steps[j] != 1 || sizes[i] < 10000)
        roundtrip ("gfe2", sizes[i], steps[j]);
}
END_TEST


/* gfe3 with its real Argon2id cost (64 MiB): one round trip.  */
START_TEST (test_roundtrip_gfe3)
{
  roundtrip ("gfe3", 3 * 4096 + 5, 1000);
}
END_TEST


/* A minimal binary OpenPGP "key" of LEN bytes whose first packet has
 * tag TAG (new format); the rest is a pattern.  */
static unsigned char *
binary_key (int tag, size_t len)
{
  unsigned char *p = packbuf_pattern (len);

  p[0] = 0xc0 | tag;
  return p;
}


/* Base64-decode the body of the armor TEXT (between the blank line and
 * the checksum line) into OUT.  */
static void
dearmor (const char *text, packbuf_t *out)
{
  static const char alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *p = strstr (text, "\n\n"), *q;
  unsigned int v = 0, bits = 0;
  unsigned char c;

  ck_assert_ptr_nonnull (p);
  for (p += 2; *p && *p != '='; p++)
    {
      if (*p == '\n')
        continue;
      q = strchr (alpha, *p);
      ck_assert_ptr_nonnull (q);
      v = (v << 6) | (unsigned int)(q - alpha);
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          c = v >> bits;
          packbuf_append (out, &c, 1);
        }
    }
}


/* gfe1 armors binary key data itself; text passes unchanged.  */
START_TEST (test_roundtrip_gfe1)
{
  static const size_t sizes[] = { 1, 2, 3, 47, 48, 49, 1000, 70000 };
  static const size_t steps[] = { 0, 1, 5, 16 };
  static const int tags[] = { 5, 6 };
  unsigned char *data;
  packbuf_t out, bin;
  sealed_t s;
  unsigned int i, j, t;

  for (t = 0; t < 2; t++)
    for (i = 0; i < sizeof sizes / sizeof *sizes; i++)
      for (j = 0; j < sizeof steps / sizeof *steps; j++)
        {
          memset (&out, 0, sizeof out);
          memset (&bin, 0, sizeof bin);
          data = binary_key (tags[t], sizes[i]);
          seal (&s, "gfe1", data, sizes[i], NULL, steps[j], 0);
          ck_assert_uint_eq (s.pack.len % 16, 0);
          ck_assert_code (open_pack ("gfe1", s.key.data, s.key.len, NULL,
                                     s.pack.data, s.pack.len, steps[j],
                                     &out), 0);
          ck_assert_ptr_nonnull (strstr ((char *)out.data, tags[t] == 5
                                         ? "-----BEGIN PGP PRIVATE KEY BLOCK"
                                         : "-----BEGIN PGP PUBLIC KEY BLOCK"));
          dearmor ((char *)out.data, &bin);
          ck_assert_uint_eq (bin.len, sizes[i]);
          ck_assert (!memcmp (bin.data, data, sizes[i]));
          packbuf_free (&out);
          packbuf_free (&bin);
          sealed_free (&s);
          free (data);
        }
}
END_TEST


/* The armor we write for one byte 0x99 (old-format public key packet
 * tag): body and CRC-24 line as gpg expects them.  */
START_TEST (test_gfe1_armor_crc)
{
  static const unsigned char one[1] = { 0x99 };
  packbuf_t out = { 0 };
  sealed_t s;

  seal (&s, "gfe1", one, 1, NULL, 0, 0);
  ck_assert_code (open_pack ("gfe1", s.key.data, s.key.len, NULL,
                             s.pack.data, s.pack.len, 0, &out), 0);
  /* CRC-24 of 0x99 (RFC 4880 6.1), computed by Python: 0xb0ad3c.  */
  ck_assert_str_eq ((char *)out.data,
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n=sK08\n"
                    "-----END PGP PUBLIC KEY BLOCK-----\n");
  packbuf_free (&out);
  sealed_free (&s);
}
END_TEST


START_TEST (test_bad_gfe1)
{
  unsigned char *pack, *key, *other;
  size_t packlen, keylen, n;

  pack = unhex (gfe1_pack, &packlen);
  key = (unsigned char *)strdup (gfe1_key);
  keylen = strlen (gfe1_key);
  other = unhex (gfe1_nulkey, &n);
  /* Wrong key file: garbage instead of an armor header.  */
  ck_assert_code (open_err ("gfe1", other, n, NULL, pack, packlen),
                  GPG_ERR_BAD_KEY);
  /* Key file of another length; an oversized one.  */
  ck_assert_code (open_err ("gfe1", key, 255, NULL, pack, packlen),
                  GPG_ERR_INV_KEYINFO);
  ck_assert_code (open_err ("gfe1", key, 1024 * 1024 + 1, NULL, pack,
                            packlen), GPG_ERR_TOO_LARGE);
  /* Bit flips: first block (header) and later ones.  */
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, packlen), 0);
  pack[3] ^= 0x10;
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, packlen),
                  GPG_ERR_BAD_KEY);
  pack[3] ^= 0x10;
  pack[70] ^= 0x01;
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, packlen),
                  GPG_ERR_CHECKSUM);
  pack[70] ^= 0x01;
  pack[packlen - 1] ^= 0x80;
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, packlen),
                  GPG_ERR_CHECKSUM);
  pack[packlen - 1] ^= 0x80;
  /* Truncation: inside a block, at a block boundary, to one block.  */
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, packlen - 1),
                  GPG_ERR_TRUNCATED);
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, packlen - 16),
                  GPG_ERR_TRUNCATED);
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, 16),
                  GPG_ERR_TRUNCATED);
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, 0),
                  GPG_ERR_INV_DATA);
  /* Garbage.  */
  memset (pack, 'A', packlen);
  ck_assert_code (open_err ("gfe1", key, keylen, NULL, pack, packlen),
                  GPG_ERR_BAD_KEY);
  free (pack);
  free (key);
  free (other);
}
END_TEST


/* Bad inputs of gfe2 and gfe3 (the container of NAME, sealed in S).  */
static void
check_bad_aead (const char *name, sealed_t *s, size_t head)
{
  unsigned char *copy;
  size_t n = s->pack.len;
  sealed_t other;

  /* Wrong PIN, missing PIN.  */
  ck_assert_code (open_err (name, s->key.data, s->key.len, "4321",
                            s->pack.data, n), GPG_ERR_BAD_PASSPHRASE);
  ck_assert_code (open_err (name, s->key.data, s->key.len, NULL,
                            s->pack.data, n), GPG_ERR_NO_PASSPHRASE);
  ck_assert_code (open_err (name, s->key.data, s->key.len, "",
                            s->pack.data, n), GPG_ERR_NO_PASSPHRASE);
  /* Wrong key file (same PIN): the pack's tag fails.  */
  seal (&other, name, "x", 1, PIN, 0, 0);
  ck_assert_code (open_err (name, other.key.data, other.key.len, PIN,
                            s->pack.data, n), GPG_ERR_CHECKSUM);
  sealed_free (&other);
  /* A flipped bit in the key file looks like a wrong PIN.  */
  copy = malloc (s->key.len);
  memcpy (copy, s->key.data, s->key.len);
  copy[s->key.len - 20] ^= 4;
  ck_assert_code (open_err (name, copy, s->key.len, PIN, s->pack.data, n),
                  GPG_ERR_BAD_PASSPHRASE);
  free (copy);
  /* Malformed key files: too short, too long.  */
  ck_assert_code (open_err (name, s->key.data, head + 15, PIN,
                            s->pack.data, n), GPG_ERR_INV_KEYINFO);
  ck_assert_code (open_err (name, s->key.data, head + 16 + 257, PIN,
                            s->pack.data, n), GPG_ERR_INV_KEYINFO);
  ck_assert_code (open_err (name, s->key.data, 1024 * 1024 + 1, PIN,
                            s->pack.data, n), GPG_ERR_TOO_LARGE);
  /* Bit flips in salt, ciphertext, tag.  */
  ck_assert_code (open_flipped (name, s, head - 1, 1, PIN),
                  GPG_ERR_CHECKSUM);
  ck_assert_code (open_flipped (name, s, head + 1, 0x40, PIN),
                  GPG_ERR_CHECKSUM);
  ck_assert_code (open_flipped (name, s, n - 1, 0x80, PIN),
                  GPG_ERR_CHECKSUM);
  /* Truncation: no tag, half a head, nothing.  */
  ck_assert_code (open_err (name, s->key.data, s->key.len, PIN,
                            s->pack.data, n - 1), GPG_ERR_CHECKSUM);
  ck_assert_code (open_err (name, s->key.data, s->key.len, PIN,
                            s->pack.data, head + 15), GPG_ERR_TRUNCATED);
  ck_assert_code (open_err (name, s->key.data, s->key.len, PIN,
                            s->pack.data, head / 2), GPG_ERR_TRUNCATED);
  ck_assert_code (open_err (name, s->key.data, s->key.len, PIN,
                            s->pack.data, 0), GPG_ERR_INV_DATA);
}


START_TEST (test_bad_gfe2)
{
  sealed_t s;

  seal (&s, "gfe2", ARMOR_PUB, strlen (ARMOR_PUB), PIN, 0, 0);
  check_bad_aead ("gfe2", &s, 28);
  sealed_free (&s);
}
END_TEST


START_TEST (test_bad_gfe3)
{
  sealed_t s;

  seal (&s, "gfe3", ARMOR_PUB, strlen (ARMOR_PUB), PIN, 0, 0);
  check_bad_aead ("gfe3", &s, 46);
  /* gfe3 only: magic of pack and key file; the 62-byte minimum.  */
  s.pack.data[0] = 'X';
  ck_assert_code (open_err ("gfe3", s.key.data, s.key.len, PIN,
                            s.pack.data, s.pack.len), GPG_ERR_INV_DATA);
  s.key.data[5] = 'X';
  ck_assert_code (open_err ("gfe3", s.key.data, s.key.len, PIN,
                            s.pack.data, s.pack.len), GPG_ERR_INV_KEYINFO);
  ck_assert_code (open_err ("gfe3", s.key.data, 61, PIN, s.pack.data,
                            s.pack.len), GPG_ERR_INV_KEYINFO);
  sealed_free (&s);
}
END_TEST


/* Sealing needs a PIN for gfe2/gfe3, refuses one for gfe1, and gfe1
 * takes only armor text or binary OpenPGP.  */
START_TEST (test_seal_params)
{
  static const char not_key_block[] =
    "-----BEGIN PGP MESSAGE-----\n\nowGbwMvMwCE=\n"
    "-----END PGP MESSAGE-----\n";
  static const char no_end_line[] =
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEaQAAABYJKwYBBAHaRw8B\n"
    "=AAAA\n-----END PGP PUBLIC KEY LIC KEY BLOCK-----\n\nmBLOCK-----\n";
  gpgpack_seal_params_t params;
  packbuf_t pack = { 0 };
  gpgpack_blob_t key;

  memset (&params, 0, sizeof params);
  ck_assert_code (packbuf_seal (fmt ("gfe2"), &params, "x", 1, 0, &pack,
                                &key), GPG_ERR_NO_PASSPHRASE);
  params.passphrase = "";
  ck_assert_code (packbuf_seal (fmt ("gfe3"), &params, "x", 1, 0, &pack,
                                &key), GPG_ERR_NO_PASSPHRASE);
  params.passphrase = PIN;
  ck_assert_code (packbuf_seal (fmt ("gfe1"), &params, "x", 1, 0, &pack,
                                &key), GPG_ERR_NOT_SUPPORTED);
  /* gfe1 text that is not armor, or stops within the header prefix.  */
  params.passphrase = NULL;
  ck_assert_code (packbuf_seal (fmt ("gfe1"), &params, "-----BEGIN X", 12,
                                1, &pack, &key), GPG_ERR_INV_DATA);
  ck_assert_code (packbuf_seal (fmt ("gfe1"), &params, "-----BEGIN", 10,
                                0, &pack, &key), GPG_ERR_INV_DATA);
  /* Text our own opening would refuse (found by fuzz-gfe1): another
   * armor than a key block, no END line, nothing at all.  */
  ck_assert_code (packbuf_seal (fmt ("gfe1"), &params, not_key_block,
                                strlen (not_key_block), 0, &pack, &key),
                  GPG_ERR_INV_DATA);
  ck_assert_code (packbuf_seal (fmt ("gfe1"), &params, no_end_line,
                                strlen (no_end_line), 7, &pack, &key),
                  GPG_ERR_INV_DATA);
  ck_assert_code (packbuf_seal (fmt ("gfe1"), &params, "", 0, 0, &pack,
                                &key), GPG_ERR_INV_DATA);
  packbuf_free (&pack);
}
END_TEST


/* Feed ZEROS bytes of zeros in 1 MiB steps to STREAM; the error.  */
static gpg_error_t
feed_zeros (const gpgpack_format_t *f, gpgpack_stream_t stream, size_t zeros)
{
  static unsigned char mib[1024 * 1024];
  gpg_error_t err = 0;
  size_t n;

  while (zeros && !err)
    {
      n = zeros < sizeof mib ? zeros : sizeof mib;
      err = f->feed (stream, mib, n);
      zeros -= n;
    }
  return err;
}


/* Packs over 32 MiB: refused when sealing and when opening.  */
START_TEST (test_oversize)
{
  static const char *const names[] = { "gfe1", "gfe2" };
  gpgpack_seal_params_t sp;
  gpgpack_open_params_t op;
  gpgpack_stream_t stream;
  gpgpack_blob_t key;
  packbuf_t sink = { 0 };
  const gpgpack_format_t *f;
  unsigned int i;

  for (i = 0; i < 2; i++)
    {
      f = fmt (names[i]);
      memset (&sp, 0, sizeof sp);
      sp.out = packbuf_sink (&sink);
      sp.passphrase = i ? PIN : NULL;
      ck_assert_code (f->seal_start (&sp, &stream, &key), 0);
      /* gfe1 takes binary OpenPGP (armored, 4/3 bigger) after a tag.  */
      ck_assert_code (f->feed (stream, "\x99", 1), 0);
      ck_assert_code (feed_zeros (f, stream, MAX_PACK), GPG_ERR_TOO_LARGE);
      f->release (stream);
      packbuf_free (&sink);

      memset (&op, 0, sizeof op);
      op.out = packbuf_sink (&sink);
      op.key = key.data;
      op.keylen = key.len;
      op.passphrase = PIN;
      ck_assert_code (f->open_start (&op, &stream), 0);
      /* gfe1 fails on the first block of zeros, so feed gfe2 only.  */
      if (i)
        ck_assert_code (feed_zeros (f, stream, MAX_PACK + 1),
                        GPG_ERR_TOO_LARGE);
      f->release (stream);
      packbuf_free (&sink);
      packbuf_blob_free (&key);
    }
}
END_TEST


START_TEST (test_probe_info)
{
  static const char magic_head[] = "GFSEC2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
  plugin_set_t set;
  const gpgpack_format_t *f;
  gpgpack_info_t info;
  unsigned char zero[64] = { 0 };
  sealed_t s;

  ck_assert_int_eq (plugin_load_dir (NULL, &set), 0);
  ck_assert_int_eq (plugin_detect (set, magic_head, 40, 1000, "a.gfpack",
                                   &f), 0);
  ck_assert_str_eq (f->name, "gfe3");
  ck_assert_int_eq (plugin_detect (set, zero, 64, 1000, "a.gfpack", &f), 0);
  ck_assert_str_eq (f->name, "gfe2");
  ck_assert_int_eq (plugin_detect (set, zero, 64, 1024, "a.gfepack", &f), 0);
  ck_assert_str_eq (f->name, "gfe1");
  ck_assert_int_eq (gpg_err_code (plugin_detect (set, zero, 64, 1001,
                                                 "a.gfepack", &f)),
                    GPG_ERR_INV_DATA);
  ck_assert_int_eq (gpg_err_code (plugin_detect (set, zero, 64, 1024, NULL,
                                                 &f)), GPG_ERR_INV_DATA);
  /* native's magic wins even under a gfe name.  */
  memset (&s, 0, sizeof s);
  {
    gpgpack_seal_params_t params;

    memset (&params, 0, sizeof params);
    ck_assert_int_eq (packbuf_seal (packbuf_native (), &params, "k", 1, 0,
                                    &s.pack, &s.key), 0);
  }
  ck_assert_int_eq (plugin_detect (set, s.pack.data, s.pack.len, 1024,
                                   "a.gfepack", &f), 0);
  ck_assert_str_eq (f->name, "native");
  sealed_free (&s);

  ck_assert_code (fmt ("gfe3")->info (magic_head, 40, &info), 0);
  ck_assert_str_eq (info.cipher, "XChaCha20-Poly1305");
  ck_assert_str_eq (info.pack_id, "");
  ck_assert_uint_eq (info.created, 0);
  ck_assert_uint_eq (info.needs & GPGPACK_FMT_PIN_REQUIRED,
                     GPGPACK_FMT_PIN_REQUIRED);
  ck_assert_code (fmt ("gfe3")->info (zero, 64, &info), GPG_ERR_INV_DATA);
  ck_assert_code (fmt ("gfe2")->info (zero, 64, &info), 0);
  ck_assert_str_eq (info.cipher, "AES-256-GCM");
  ck_assert_code (fmt ("gfe1")->info (zero, 64, &info), 0);
  ck_assert_str_eq (info.cipher, "AES-256-ECB");
  ck_assert_uint_eq (info.needs, GPGPACK_FMT_KEYFILE);
  ck_assert_uint_eq (fmt ("gfe1")->flags & GPGPACK_FMT_AUTHENTICATED, 0);
  ck_assert_uint_eq (fmt ("gfe2")->max_pack_size, MAX_PACK);
  plugin_release (set);
}
END_TEST


static Suite *
gfe_suite (void)
{
  Suite *s = suite_create ("gfe");
  TCase *tc = tcase_create ("gfe");

  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_kat_gfe1);
  tcase_add_test (tc, test_kat_gfe2);
  tcase_add_test (tc, test_kat_gfe3);
  tcase_add_test (tc, test_gfe1_old_versions);
  tcase_add_test (tc, test_roundtrip_gfe1);
  tcase_add_test (tc, test_gfe1_armor_crc);
  tcase_add_test (tc, test_roundtrip_gfe2);
  tcase_add_test (tc, test_roundtrip_gfe3);
  tcase_add_test (tc, test_bad_gfe1);
  tcase_add_test (tc, test_bad_gfe2);
  tcase_add_test (tc, test_bad_gfe3);
  tcase_add_test (tc, test_seal_params);
  tcase_add_test (tc, test_oversize);
  tcase_add_test (tc, test_probe_info);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  ckrun_init_gcrypt (65536);
  return ckrun (gfe_suite ());
}
