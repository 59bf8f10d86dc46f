/* check_shamir.c - unit tests of GF(2^8), Shamir sharing and shares */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "gf256.h"
#include "shamir.h"
#include "share.h"
#include "plugin-util.h"

#define KEYLEN 32

/* Assert that ERR carries CODE (and the plugin error source).  */
#define ck_assert_err(err, code)                                        \
  do {                                                                  \
    gpg_error_t e_ = (err);                                             \
    ck_assert_msg (gpg_err_code (e_) == (code),                         \
                   "expected %s, got %s", gpg_strerror (code),          \
                   gpg_strerror (e_));                                  \
    if (code)                                                           \
      ck_assert_int_eq (gpg_err_source (e_), GPGPACK_ERR_SOURCE);       \
  } while (0)

static const unsigned char pack_a[SHARE_PACK_ID_LEN] =
  { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };
static const unsigned char pack_b[SHARE_PACK_ID_LEN] =
  { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
    0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf };

/* Deterministic "random" source: successive values of a byte counter.  */
static void
counter_random (void *opaque, void *buf, size_t len)
{
  unsigned char *counter = opaque;
  unsigned char *p = buf;

  while (len--)
    *p++ = ++*counter;
}

/* A random source that returns only zeros.  */
static void
zero_random (void *opaque, void *buf, size_t len)
{
  memset (buf, 0, len);
}

/* The key a check callback accepts, and how often it was asked.  */
typedef struct
{
  const unsigned char *key;
  size_t len;
  int calls;
} expect_t;

static int
check_key (const unsigned char *key, size_t len, void *opaque)
{
  expect_t *expect = opaque;

  expect->calls++;
  return len == expect->len && !memcmp (key, expect->key, len);
}

/* Bit-by-bit reference multiplication with branches.  */
static unsigned char
ref_mul (unsigned char a, unsigned char b)
{
  unsigned int x = a, r = 0;

  for (; b; b >>= 1)
    {
      if (b & 1)
        r ^= x;
      x <<= 1;
      if (x & 0x100)
        x ^= 0x11b;
    }
  return r;
}

static char *
to_hex (const unsigned char *p, size_t len)
{
  static char buf[2 * 512 + 1];
  size_t i;

  ck_assert_uint_le (len, 512);
  for (i = 0; i < len; i++)
    snprintf (buf + 2 * i, 3, "%02x", p[i]);
  return buf;
}

/* Recompute the checksum of a share whose body the test altered.  */
static void
reseal (gpgpack_blob_t *share)
{
  unsigned char digest[32];
  size_t bodylen = share->len - SHARE_CHECKSUM_LEN;

  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, share->data, bodylen);
  memcpy (share->data + bodylen, digest, SHARE_CHECKSUM_LEN);
}

/* Corrupt, keeping their checksums intact, the shares FROM .. TO-1: XOR
 * each y with random bytes, so that the errors of two shares do not
 * cancel out (which they could if all differed in the same byte).  */
static void
corrupt_range (gpgpack_blob_t *shares, unsigned int from, unsigned int to)
{
  unsigned char delta[SHARE_MAX_KEYLEN];
  size_t keylen, i;

  for (; from < to; from++)
    {
      keylen = shares[from].len - SHARE_LEN (0);
      gcry_randomize (delta, keylen, GCRY_WEAK_RANDOM);
      delta[0] |= 1;
      for (i = 0; i < keylen; i++)
        shares[from].data[SHARE_HEADER_LEN + i] ^= delta[i];
      reseal (&shares[from]);
    }
}

/* Split a random key into N shares of pack A, generation 1.  */
static void
split_random (unsigned char *key, unsigned int t, unsigned int n,
              gpgpack_blob_t *shares)
{
  gcry_randomize (key, KEYLEN, GCRY_STRONG_RANDOM);
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, t, n,
                                  NULL, NULL, shares), 0);
}

static void
release_shares (gpgpack_blob_t *shares, unsigned int n)
{
  unsigned int i;

  for (i = 0; i < n; i++)
    plugin_blob_release (&shares[i]);
}

/* Combine SHARES expecting CODE and, on error, BAD as position.  */
static void
combine_expect (const gpgpack_blob_t *shares, unsigned int n,
                const unsigned char *key, gpg_err_code_t code, int bad)
{
  expect_t expect = { key, KEYLEN, 0 };
  gpgpack_blob_t out = { NULL, 0 };
  int r_bad = 1234;

  ck_assert_err (share_combine_key (shares, n, pack_a, check_key, &expect,
                                    &out, &r_bad), code);
  ck_assert_int_eq (r_bad, code ? bad : -1);
  if (code)
    ck_assert_ptr_null (out.data);
  else
    {
      ck_assert_uint_eq (out.len, KEYLEN);
      ck_assert_mem_eq (out.data, key, KEYLEN);
      ck_assert (gcry_is_secure (out.data));
      plugin_blob_release (&out);
    }
}


START_TEST (test_gf_mul)
{
  unsigned int a, b;

  ck_assert_uint_eq (gf256_mul (0x57, 0x83), 0xc1);  /* FIPS-197 4.2 */
  ck_assert_uint_eq (gf256_mul (0x57, 0x13), 0xfe);  /* FIPS-197 4.2.1 */
  ck_assert_uint_eq (gf256_mul (0x80, 0x02), 0x1b);
  for (a = 0; a < 256; a++)
    for (b = 0; b < 256; b++)
      ck_assert_uint_eq (gf256_mul (a, b), ref_mul (a, b));
}
END_TEST

START_TEST (test_gf_inv)
{
  unsigned int a;

  ck_assert_uint_eq (gf256_inv (0), 0);
  ck_assert_uint_eq (gf256_inv (1), 1);
  ck_assert_uint_eq (gf256_inv (0x53), 0xca);  /* FIPS-197 5.1.1 */
  for (a = 1; a < 256; a++)
    ck_assert_uint_eq (gf256_mul (a, gf256_inv (a)), 1);
}
END_TEST

/* Known answers: 2-of-3 of a 32 byte key, coefficients 01 02 03 ...  */
START_TEST (test_split_kat)
{
  static const char *const expected[3] = {
    "47504b530102012000000001a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    "010301070103010f010301070103011f010301070103010f010301070103013f"
    "206ef2b0398a8fab57851fa4d7a829b1",
    "47504b530102022000000001a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    "0205040b0e0908171a1d1c131611102f3235343b3e3938272a2d2c232621205f"
    "94345601e016e95e981173f6d587fac4",
    "47504b530102032000000001a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    "0307070f0b0f0f1f1317171f1b1f1f3f2327272f2b2f2f3f3337373f3b3f3f7f"
    "be70024652c0af68152e0c51872ffb17"
  };
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[3];
  unsigned char counter = 0;
  unsigned int i;

  for (i = 0; i < KEYLEN; i++)
    key[i] = i;
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, 2, 3,
                                  counter_random, &counter, shares), 0);
  ck_assert_uint_eq (counter, KEYLEN);  /* (t-1) * keylen bytes drawn */
  for (i = 0; i < 3; i++)
    {
      ck_assert_uint_eq (shares[i].len, SHARE_LEN (KEYLEN));
      ck_assert (gcry_is_secure (shares[i].data));
      ck_assert_str_eq (to_hex (shares[i].data, shares[i].len), expected[i]);
    }
  combine_expect (shares + 1, 2, key, 0, -1);
  release_shares (shares, 3);
}
END_TEST

/* Known answer: share 5 of a 3-of-5 of a 16 byte key, generation
 * 0x01020304, coefficients 01 02 03 ...  */
START_TEST (test_split_kat_3of5)
{
  unsigned char key[16], pack[SHARE_PACK_ID_LEN];
  gpgpack_blob_t shares[5];
  unsigned char counter = 0;
  unsigned int i;

  for (i = 0; i < 16; i++)
    key[i] = 0xff - i;
  memset (pack, 0x11, sizeof pack);
  ck_assert_err (share_split_key (key, 16, pack, 0x01020304, 3, 5,
                                  counter_random, &counter, shares), 0);
  ck_assert_str_eq (to_hex (shares[4].data, shares[4].len),
                    "47504b53010305100102030411111111111111111111111111111111"
                    "e0ddcaa7b4899e534875620f1c2136b6"
                    "ee4ed2efaaa5a836c7089c33306ed282");
  release_shares (shares, 5);
}
END_TEST

/* Every subset of the N shares of a T-of-N split: T or more recover the
 * key, fewer fail with GPG_ERR_MISSING_KEY without asking the check.  */
static void
all_subsets (unsigned int t, unsigned int n)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[9], subset[9];
  unsigned int mask, i, k;

  split_random (key, t, n, shares);
  for (mask = 1; mask < (1u << n); mask++)
    {
      expect_t expect = { key, KEYLEN, 0 };
      gpgpack_blob_t out = { NULL, 0 };
      int bad;

      for (i = k = 0; i < n; i++)
        if (mask & (1u << i))
          subset[k++] = shares[i];
      if (k < t)
        {
          ck_assert_err (share_combine_key (subset, k, pack_a, check_key,
                                            &expect, &out, &bad),
                         GPG_ERR_MISSING_KEY);
          ck_assert_ptr_null (out.data);
          ck_assert_int_eq (expect.calls, 0);
          ck_assert_int_eq (bad, -1);
        }
      else
        combine_expect (subset, k, key, 0, -1);
    }
  release_shares (shares, n);
}

START_TEST (test_subsets_3of5)
{
  all_subsets (3, 5);
}
END_TEST

START_TEST (test_subsets_5of9)
{
  all_subsets (5, 9);
}
END_TEST

/* Shares given in any order work.  */
START_TEST (test_order)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[5], reordered[3];

  split_random (key, 3, 5, shares);
  reordered[0] = shares[4];
  reordered[1] = shares[0];
  reordered[2] = shares[2];
  combine_expect (reordered, 3, key, 0, -1);
  release_shares (shares, 5);
}
END_TEST

/* The largest split, 255-of-255, and a 2-of-255.  */
START_TEST (test_max_shares)
{
  unsigned char key[KEYLEN];
  static gpgpack_blob_t shares[255];

  split_random (key, 255, 255, shares);
  combine_expect (shares, 255, key, 0, -1);
  combine_expect (shares, 254, key, GPG_ERR_MISSING_KEY, -1);
  release_shares (shares, 255);

  split_random (key, 2, 255, shares);
  combine_expect (shares + 200, 2, key, 0, -1);
  combine_expect (shares, 255, key, 0, -1);
  release_shares (shares, 255);
}
END_TEST

/* Raw Shamir with arbitrary x coordinates.  */
START_TEST (test_raw_arbitrary_x)
{
  static const unsigned char xs[4] = { 200, 17, 255, 1 };
  unsigned char secret[KEYLEN], out[KEYLEN], y[4][KEYLEN];
  unsigned char *ys[4] = { y[0], y[1], y[2], y[3] };

  gcry_randomize (secret, KEYLEN, GCRY_STRONG_RANDOM);
  ck_assert_err (shamir_split (secret, KEYLEN, 3, 4, NULL, NULL, xs, ys), 0);
  ck_assert_err (shamir_combine (xs + 1, (const unsigned char *const *)ys + 1,
                                 3, KEYLEN, out), 0);
  ck_assert_mem_eq (out, secret, KEYLEN);
  ck_assert_err (shamir_combine (xs, (const unsigned char *const *)ys,
                                 4, KEYLEN, out), 0);
  ck_assert_mem_eq (out, secret, KEYLEN);
  /* Two points of a degree-2 polynomial give another value.  */
  ck_assert_err (shamir_combine (xs, (const unsigned char *const *)ys,
                                 2, KEYLEN, out), 0);
  ck_assert (memcmp (out, secret, KEYLEN));
}
END_TEST

/* The top coefficient is not forced non-zero: with an all-zero random
 * source every share equals the secret.  */
START_TEST (test_zero_coefficients)
{
  static const unsigned char xs[3] = { 1, 2, 3 };
  unsigned char secret[KEYLEN], y[3][KEYLEN];
  unsigned char *ys[3] = { y[0], y[1], y[2] };
  unsigned int i;

  gcry_randomize (secret, KEYLEN, GCRY_STRONG_RANDOM);
  ck_assert_err (shamir_split (secret, KEYLEN, 3, 3, zero_random, NULL,
                               xs, ys), 0);
  for (i = 0; i < 3; i++)
    ck_assert_mem_eq (y[i], secret, KEYLEN);
}
END_TEST

/* Sanity of the distribution: over 8192 2-of-2 splits of one secret the
 * first byte of share 1 takes all 256 values, the secret's own value
 * included (it would never appear if the top coefficient were forced
 * non-zero).  Chance of a false failure: about 3e-12.  */
START_TEST (test_distribution)
{
  static const unsigned char xs[2] = { 1, 2 };
  unsigned char secret[1] = { 0x42 }, y[2][1];
  unsigned char *ys[2] = { y[0], y[1] };
  unsigned int seen[256] = { 0 };
  unsigned int i;

  for (i = 0; i < 8192; i++)
    {
      ck_assert_err (shamir_split (secret, 1, 2, 2, NULL, NULL, xs, ys), 0);
      seen[y[0][0]]++;
    }
  for (i = 0; i < 256; i++)
    ck_assert_msg (seen[i], "value %02x never seen", i);
}
END_TEST

START_TEST (test_raw_bad_x)
{
  unsigned char secret[KEYLEN] = { 1 }, out[KEYLEN], y[3][KEYLEN];
  unsigned char *ys[3] = { y[0], y[1], y[2] };
  const unsigned char *cys[3] = { y[0], y[1], y[2] };
  static const unsigned char zero_x[3] = { 1, 0, 3 };
  static const unsigned char dup_x[3] = { 5, 7, 5 };
  static const unsigned char good_x[3] = { 1, 2, 3 };

  ck_assert_err (shamir_split (secret, KEYLEN, 2, 3, NULL, NULL, zero_x, ys),
                 GPG_ERR_INV_VALUE);
  ck_assert_err (shamir_split (secret, KEYLEN, 2, 3, NULL, NULL, dup_x, ys),
                 GPG_ERR_DUP_VALUE);
  ck_assert_err (shamir_split (secret, KEYLEN, 2, 3, NULL, NULL, good_x, ys),
                 0);
  ck_assert_err (shamir_combine (zero_x, cys, 3, KEYLEN, out),
                 GPG_ERR_INV_VALUE);
  ck_assert_err (shamir_combine (dup_x, cys, 3, KEYLEN, out),
                 GPG_ERR_DUP_VALUE);
  ck_assert_err (shamir_combine (good_x, cys, 1, KEYLEN, out),
                 GPG_ERR_MISSING_KEY);
  ck_assert_err (shamir_combine (good_x, cys, 256, KEYLEN, out),
                 GPG_ERR_INV_VALUE);
  ck_assert_err (shamir_combine (good_x, cys, 3, 0, out), GPG_ERR_INV_VALUE);
}
END_TEST

START_TEST (test_split_params)
{
  unsigned char key[256] = { 0 };
  unsigned char *ys[256] = { NULL };
  static gpgpack_blob_t shares[256];

  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, 1, 3,
                                  NULL, NULL, shares), GPG_ERR_INV_VALUE);
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, 0, 3,
                                  NULL, NULL, shares), GPG_ERR_INV_VALUE);
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, 4, 3,
                                  NULL, NULL, shares), GPG_ERR_INV_VALUE);
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, 2, 256,
                                  NULL, NULL, shares), GPG_ERR_INV_VALUE);
  ck_assert_err (share_split_key (key, 0, pack_a, 1, 2, 3,
                                  NULL, NULL, shares), GPG_ERR_INV_VALUE);
  ck_assert_err (share_split_key (key, 256, pack_a, 1, 2, 3,
                                  NULL, NULL, shares), GPG_ERR_INV_VALUE);
  ck_assert_err (shamir_split (key, KEYLEN, 2, 256, NULL, NULL, key, ys),
                 GPG_ERR_INV_VALUE);
  ck_assert_err (share_split_key (NULL, KEYLEN, pack_a, 1, 2, 3,
                                  NULL, NULL, shares), GPG_ERR_INV_ARG);
}
END_TEST

/* A corrupt share among T+1 is named, wherever it is, whether its
 * checksum was fixed up (found by the subset search) or not (found by
 * the checksum).  */
START_TEST (test_bad_share_named)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[5], given[4];
  unsigned int pos;

  split_random (key, 3, 5, shares);
  for (pos = 0; pos < 4; pos++)
    {
      gpgpack_blob_t bad = { gcry_malloc_secure (shares[pos].len),
                             shares[pos].len };

      memcpy (given, shares, sizeof given);
      memcpy (bad.data, shares[pos].data, bad.len);
      given[pos] = bad;
      bad.data[SHARE_HEADER_LEN + 7] ^= 0x01;
      combine_expect (given, 4, key, GPG_ERR_BAD_DATA, pos);
      reseal (&bad);
      combine_expect (given, 4, key, GPG_ERR_BAD_DATA, pos);
      /* Only T shares: the key is wrong but no share can be named.  */
      combine_expect (pos < 3 ? given : given + 1, 3, key,
                      GPG_ERR_BAD_KEY, -1);
      plugin_blob_release (&bad);
    }
  release_shares (shares, 5);
}
END_TEST

/* Two corrupt shares among the 9 of a 5-of-9: the first is named.  */
START_TEST (test_two_bad_shares)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[9];

  split_random (key, 5, 9, shares);
  corrupt_range (shares, 6, 7);
  corrupt_range (shares, 1, 2);
  combine_expect (shares, 9, key, GPG_ERR_BAD_DATA, 1);
  /* Five corrupt shares of nine: no five good ones are left.  */
  corrupt_range (shares, 0, 1);
  corrupt_range (shares, 2, 4);
  combine_expect (shares, 9, key, GPG_ERR_BAD_KEY, -1);
  release_shares (shares, 9);
}
END_TEST

/* Two colluding shares whose errors cancel out at 0 in the subset of
 * the first three shares of a 3-of-6: that subset gives the right key,
 * yet the blame must fall on a colluder, not on an honest share.  */
START_TEST (test_cancelling_shares)
{
  unsigned char key[KEYLEN], delta[KEYLEN];
  gpgpack_blob_t shares[6];
  unsigned char w0, w1;  /* Lagrange weights at 0 of x = 1 and 2 in {1,2,3} */
  size_t i;

  split_random (key, 3, 6, shares);
  w0 = gf256_mul (gf256_mul (2, 3), gf256_inv (gf256_mul (2 ^ 1, 3 ^ 1)));
  w1 = gf256_mul (gf256_mul (1, 3), gf256_inv (gf256_mul (1 ^ 2, 3 ^ 2)));
  gcry_randomize (delta, KEYLEN, GCRY_WEAK_RANDOM);
  delta[0] |= 1;
  for (i = 0; i < KEYLEN; i++)
    {
      shares[0].data[SHARE_HEADER_LEN + i] ^= delta[i];
      shares[1].data[SHARE_HEADER_LEN + i]
        ^= gf256_mul (gf256_mul (delta[i], w0), gf256_inv (w1));
    }
  reseal (&shares[0]);
  reseal (&shares[1]);
  combine_expect (shares, 3, key, 0, -1);  /* the crafted subset */
  combine_expect (shares, 6, key, GPG_ERR_BAD_DATA, 0);
  combine_expect (shares + 1, 5, key, GPG_ERR_BAD_DATA, 0);
  release_shares (shares, 6);
}
END_TEST

/* The subset search reaches the last subset, but not beyond
 * SHARE_MAX_COMBINES combinations.  */
START_TEST (test_search_bounds)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[20];

  split_random (key, 2, 5, shares);
  corrupt_range (shares, 0, 3);  /* only {3, 4}, the last, is good */
  combine_expect (shares, 5, key, GPG_ERR_BAD_DATA, 0);
  release_shares (shares, 5);

  split_random (key, 10, 20, shares);
  corrupt_range (shares, 0, 10);  /* the good subset is number 184756 */
  combine_expect (shares, 20, key, GPG_ERR_BAD_KEY, -1);
  release_shares (shares, 20);
}
END_TEST

/* Without a check callback a share off the polynomial of the first T
 * is still detected.  */
START_TEST (test_no_check)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[3], out = { NULL, 0 };
  int bad;

  split_random (key, 2, 3, shares);
  ck_assert_err (share_combine_key (shares, 2, pack_a, NULL, NULL,
                                    &out, &bad), 0);
  ck_assert_mem_eq (out.data, key, KEYLEN);
  plugin_blob_release (&out);
  shares[2].data[SHARE_HEADER_LEN] ^= 0x01;
  reseal (&shares[2]);
  ck_assert_err (share_combine_key (shares, 3, pack_a, NULL, NULL,
                                    &out, &bad), GPG_ERR_BAD_DATA);
  ck_assert_int_eq (bad, 2);
  ck_assert_ptr_null (out.data);
  release_shares (shares, 3);
}
END_TEST

/* A share of another pack, alone or among good ones.  */
START_TEST (test_foreign_pack)
{
  unsigned char key[KEYLEN], other_key[KEYLEN];
  gpgpack_blob_t shares[3], foreign[3], given[3];
  expect_t expect = { key, KEYLEN, 0 };
  gpgpack_blob_t out = { NULL, 0 };
  int bad;

  split_random (key, 2, 3, shares);
  gcry_randomize (other_key, KEYLEN, GCRY_STRONG_RANDOM);
  ck_assert_err (share_split_key (other_key, KEYLEN, pack_b, 1, 2, 3,
                                  NULL, NULL, foreign), 0);
  given[0] = shares[0];
  given[1] = shares[1];
  given[2] = foreign[2];
  combine_expect (given, 3, key, GPG_ERR_WRONG_SECKEY, 2);
  ck_assert_err (share_combine_key (shares, 3, pack_b, check_key, &expect,
                                    &out, &bad), GPG_ERR_WRONG_SECKEY);
  ck_assert_int_eq (bad, 0);
  ck_assert_int_eq (expect.calls, 0);
  ck_assert_err (share_check_pack (foreign[0].data, foreign[0].len, pack_a),
                 GPG_ERR_WRONG_SECKEY);
  ck_assert_err (share_check_pack (foreign[0].data, foreign[0].len, pack_b),
                 0);
  release_shares (shares, 3);
  release_shares (foreign, 3);
}
END_TEST

/* Shares of another generation or threshold do not mix.  */
START_TEST (test_mixed_sets)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t gen1[3], gen2[3], t3[3], given[3];

  split_random (key, 2, 3, gen1);
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 2, 2, 3,
                                  NULL, NULL, gen2), 0);
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, 3, 3,
                                  NULL, NULL, t3), 0);
  given[0] = gen1[0];
  given[1] = gen2[1];
  given[2] = gen1[2];
  combine_expect (given, 3, key, GPG_ERR_INV_VALUE, 1);
  given[1] = t3[1];
  combine_expect (given, 3, key, GPG_ERR_INV_VALUE, 1);
  combine_expect (gen2, 2, key, 0, -1);  /* a refreshed set on its own */
  release_shares (gen1, 3);
  release_shares (gen2, 3);
  release_shares (t3, 3);
}
END_TEST

/* The same index twice, as the same share or two different ones.  */
START_TEST (test_duplicate_index)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[3], again[3], given[3];

  split_random (key, 2, 3, shares);
  ck_assert_err (share_split_key (key, KEYLEN, pack_a, 1, 2, 3,
                                  NULL, NULL, again), 0);
  given[0] = shares[0];
  given[1] = shares[0];
  combine_expect (given, 2, key, GPG_ERR_DUP_VALUE, 1);
  given[0] = shares[1];
  given[1] = shares[2];
  given[2] = again[1];
  combine_expect (given, 3, key, GPG_ERR_DUP_VALUE, 2);
  release_shares (shares, 3);
  release_shares (again, 3);
}
END_TEST

/* A share claiming x = 0 (or t < 2, or key length 0) with an intact
 * checksum is refused.  */
START_TEST (test_bad_fields)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[3], given[2];
  gpgpack_share_info_t info;
  gpgpack_blob_t empty;
  unsigned int field;

  split_random (key, 2, 3, shares);
  for (field = 5; field <= 6; field++)
    {
      unsigned char saved = shares[1].data[field];

      shares[1].data[field] = field == 5 ? 1 : 0;
      reseal (&shares[1]);
      ck_assert_err (share_parse_info (shares[1].data, shares[1].len, &info),
                     GPG_ERR_INV_VALUE);
      given[0] = shares[0];
      given[1] = shares[1];
      combine_expect (given, 2, key, GPG_ERR_INV_VALUE, 1);
      shares[1].data[field] = saved;
      reseal (&shares[1]);
    }

  empty.len = SHARE_LEN (0);
  empty.data = gcry_malloc_secure (empty.len);
  memcpy (empty.data, shares[0].data, SHARE_HEADER_LEN);
  empty.data[7] = 0;
  reseal (&empty);
  ck_assert_err (share_parse_info (empty.data, empty.len, &info),
                 GPG_ERR_INV_VALUE);
  plugin_blob_release (&empty);
  release_shares (shares, 3);
}
END_TEST

/* Truncated, overlong, unknown version, garbage.  */
START_TEST (test_encodings)
{
  static const char garbage[] = "-----BEGIN PGP MESSAGE-----\n";
  unsigned char key[KEYLEN], buf[SHARE_LEN (KEYLEN) + 1];
  gpgpack_blob_t shares[2];
  gpgpack_share_info_t info;
  size_t len;

  split_random (key, 2, 2, shares);
  memcpy (buf, shares[0].data, shares[0].len);
  ck_assert_err (share_parse_info (buf, 0, &info), GPG_ERR_INV_DATA);
  for (len = 1; len < shares[0].len; len++)
    ck_assert_err (share_parse_info (buf, len, &info), GPG_ERR_TRUNCATED);
  buf[shares[0].len] = 0;
  ck_assert_err (share_parse_info (buf, shares[0].len + 1, &info),
                 GPG_ERR_INV_LENGTH);
  ck_assert_err (share_parse_info (garbage, sizeof garbage - 1, &info),
                 GPG_ERR_INV_DATA);
  ck_assert_err (share_parse_info ("G", 1, &info), GPG_ERR_TRUNCATED);
  ck_assert_err (share_parse_info ("X", 1, &info), GPG_ERR_INV_DATA);
  buf[4] = 2;
  ck_assert_err (share_parse_info (buf, shares[0].len, &info),
                 GPG_ERR_UNKNOWN_VERSION);
  buf[4] = 0;
  ck_assert_err (share_parse_info (buf, shares[0].len, &info),
                 GPG_ERR_UNKNOWN_VERSION);
  buf[4] = SHARE_VERSION;
  ck_assert_err (share_parse_info (buf, shares[0].len, &info), 0);
  ck_assert_err (share_parse_info (NULL, 10, &info), GPG_ERR_INV_ARG);
  release_shares (shares, 2);
}
END_TEST

/* Every single bit flip in a share is caught, with the error of the
 * field it hits.  */
START_TEST (test_bit_flips)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[2];
  gpgpack_share_info_t info;
  gpg_err_code_t want;
  size_t i;
  int bit;

  split_random (key, 2, 2, shares);
  for (i = 0; i < shares[0].len; i++)
    for (bit = 0; bit < 8; bit++)
      {
        shares[0].data[i] ^= 1 << bit;
        if (i < 4)
          want = GPG_ERR_INV_DATA;
        else if (i == 4)
          want = GPG_ERR_UNKNOWN_VERSION;
        else if (i == 7)
          want = (shares[0].data[7] > KEYLEN
                  ? GPG_ERR_TRUNCATED : GPG_ERR_INV_LENGTH);
        else
          want = GPG_ERR_BAD_DATA;
        ck_assert_err (share_parse_info (shares[0].data, shares[0].len,
                                         &info), want);
        combine_expect (shares, 2, key, want, 0);
        shares[0].data[i] ^= 1 << bit;
      }
  release_shares (shares, 2);
}
END_TEST

START_TEST (test_parse_info)
{
  unsigned char key[KEYLEN] = { 0 };
  gpgpack_blob_t shares[5];
  gpgpack_share_info_t info;
  unsigned int i;

  ck_assert_err (share_split_key (key, KEYLEN, pack_b, 0xfffffffe, 4, 5,
                                  NULL, NULL, shares), 0);
  for (i = 0; i < 5; i++)
    {
      ck_assert_err (share_parse_info (shares[i].data, shares[i].len, &info),
                     0);
      ck_assert_str_eq (info.pack_id, "B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF");
      ck_assert_uint_eq (info.index, i + 1);
      ck_assert_uint_eq (info.threshold, 4);
      ck_assert_uint_eq (info.generation, 0xfffffffe);
    }
  release_shares (shares, 5);
}
END_TEST

START_TEST (test_combine_args)
{
  unsigned char key[KEYLEN];
  gpgpack_blob_t shares[2], out = { NULL, 0 };
  int bad;

  split_random (key, 2, 2, shares);
  ck_assert_err (share_combine_key (shares, 0, pack_a, NULL, NULL,
                                    &out, &bad), GPG_ERR_MISSING_KEY);
  ck_assert_err (share_combine_key (shares, 256, pack_a, NULL, NULL,
                                    &out, &bad), GPG_ERR_INV_VALUE);
  ck_assert_err (share_combine_key (NULL, 2, pack_a, NULL, NULL,
                                    &out, &bad), GPG_ERR_INV_ARG);
  ck_assert_err (share_combine_key (shares, 2, pack_a, NULL, NULL,
                                    &out, NULL), 0);
  plugin_blob_release (&out);
  release_shares (shares, 2);
}
END_TEST


static Suite *
shamir_suite (void)
{
  Suite *s = suite_create ("shamir");
  TCase *tc;

  tc = tcase_create ("gf256");
  tcase_add_test (tc, test_gf_mul);
  tcase_add_test (tc, test_gf_inv);
  suite_add_tcase (s, tc);

  tc = tcase_create ("shamir");
  tcase_add_test (tc, test_raw_arbitrary_x);
  tcase_add_test (tc, test_zero_coefficients);
  tcase_add_test (tc, test_distribution);
  tcase_add_test (tc, test_raw_bad_x);
  suite_add_tcase (s, tc);

  tc = tcase_create ("share");
  tcase_add_test (tc, test_split_kat);
  tcase_add_test (tc, test_split_kat_3of5);
  tcase_add_test (tc, test_subsets_3of5);
  tcase_add_test (tc, test_subsets_5of9);
  tcase_add_test (tc, test_order);
  tcase_add_test (tc, test_max_shares);
  tcase_add_test (tc, test_split_params);
  tcase_add_test (tc, test_bad_share_named);
  tcase_add_test (tc, test_two_bad_shares);
  tcase_add_test (tc, test_search_bounds);
  tcase_add_test (tc, test_cancelling_shares);
  tcase_add_test (tc, test_no_check);
  tcase_add_test (tc, test_foreign_pack);
  tcase_add_test (tc, test_mixed_sets);
  tcase_add_test (tc, test_duplicate_index);
  tcase_add_test (tc, test_bad_fields);
  tcase_add_test (tc, test_encodings);
  tcase_add_test (tc, test_bit_flips);
  tcase_add_test (tc, test_parse_info);
  tcase_add_test (tc, test_combine_args);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{

  ckrun_init_gcrypt (262144);

  return ckrun (shamir_suite ());
}
