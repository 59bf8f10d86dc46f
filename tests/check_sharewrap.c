/* check_sharewrap.c - unit tests of share envelopes and plugin ABI 2 wrap */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "packbuf.h"
#include "share.h"
#include "envelope.h"
#include "plugin-util.h"

/* Assert that ERR carries CODE, whatever its source (host services'
 * errors keep theirs): weaker than packbuf.h's.  */
#undef ck_assert_code
#define ck_assert_code(err, code) do {                                  \
    gpg_error_t e_ = (err);                                             \
    ck_assert_msg (gpg_err_code (e_) == (code),                         \
                   "expected %s, got %s", gpg_strerror (gpg_error (code)), \
                   gpg_strerror (e_));                                  \
  } while (0)

#define NSHARES 5
#define THRESHOLD 3

/* The envelope of doc/format.md, "Share envelope": share 2 of the share
 * test vector there (key 00 01 .. 1F split 2 of 3 with the coefficients
 * 01 02 .. 20, pack id A0 .. AF, generation 1).  */
static const char vector[] =
  "GPGPACK SHARE 1\n"
  "Pack: A0A1A2A3A4A5A6A7A8A9AAABACADAEAF\n"
  "Index: 2\n"
  "Threshold: 2\n"
  "Generation: 1\n"
  "For: Bob <bob@example.org>\n"
  "\n"
  "47504B530102022000000001A0A1A2A3A4A5A6A7A8A9AAABACADAEAF0205040B\n"
  "0E0908171A1D1C131611102F3235343B3E3938272A2D2C232621205F94345601\n"
  "E016E95E981173F6D587FAC4\n";

static const unsigned char pack_a[SHARE_PACK_ID_LEN] =
  { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };

static const char *const fprs[NSHARES] =
  { "1111111111111111111111111111111111111111",
    "2222222222222222222222222222222222222222",
    "3333333333333333333333333333333333333333",
    "4444444444444444444444444444444444444444",
    "5555555555555555555555555555555555555555" };


/* TEST ONLY: a host whose "encryption" is none.  A message is the line
 * FAKE_MARK FPR LF followed by the bytes in clear, so that the plugin's
 * side of ABI 2 can be tested without gpg.  Encryption call number
 * FAIL_AT fails; decryption fails for FPR MISSING_FPR ("key not here").  */
#define FAKE_MARK "TEST-ONLY NOT ENCRYPTED, FOR "
#define MISSING_FPR "9999999999999999999999999999999999999999"

typedef struct
{
  unsigned int calls;
  unsigned int fail_at;
} fake_state_t;


/* Make the fake message of DATA for FPR at R_MSG.  */
static void
fake_message (const char *fpr, const gpgpack_blob_t *data,
              gpgpack_blob_t *r_msg)
{
  size_t head = strlen (FAKE_MARK) + strlen (fpr) + 1;

  r_msg->data = gcry_xmalloc (head + data->len);
  snprintf ((char *) r_msg->data, head + 1, "%s%s\n", FAKE_MARK, fpr);
  memcpy (r_msg->data + head, data->data, data->len);
  r_msg->len = head + data->len;
}


static gpg_error_t
fake_encrypt (void *opaque, unsigned int n, const char *const *fprs,
              const gpgpack_blob_t *items, gpgpack_blob_t *r_msgs)
{
  fake_state_t *st = opaque;
  unsigned int i;

  for (i = 0; i < n; i++)
    {
      if (++st->calls == st->fail_at)
        {
          while (i--)
            packbuf_blob_free (&r_msgs[i]);
          return gpg_error (GPG_ERR_UNUSABLE_PUBKEY);
        }
      fake_message (fprs[i], &items[i], &r_msgs[i]);
    }
  return 0;
}


static gpg_error_t
fake_decrypt (void *opaque, const void *msg, size_t len,
              gpgpack_blob_t *r_data)
{
  size_t mlen = strlen (FAKE_MARK), head = mlen + 41;

  if (len < head || memcmp (msg, FAKE_MARK, mlen))
    return gpg_error (GPG_ERR_NO_DATA);
  if (!memcmp ((const char *) msg + mlen, MISSING_FPR, 40))
    return gpg_error (GPG_ERR_NO_SECKEY);
  r_data->data = gcry_xmalloc_secure (len - head + 1);
  memcpy (r_data->data, (const char *) msg + head, len - head);
  r_data->len = len - head;
  return 0;
}


/* A fake host with fresh state in ST.  */
static gpgpack_host_t
fake_host (fake_state_t *st)
{
  gpgpack_host_t host = { GPGPACK_HOST_VERSION, sizeof host, st,
                          fake_encrypt, fake_decrypt };

  memset (st, 0, sizeof *st);
  return host;
}


/* A native pack sealed with a raw file key, and its shares wrapped with
 * the fake host and unwrapped again.  */
typedef struct
{
  packbuf_t pack;
  gpgpack_blob_t key;
  gpgpack_blob_t msgs[NSHARES];
  gpgpack_blob_t shares[NSHARES];
} wrapped_t;


/* Wrap-parameters for W's pack and key of GENERATION through HOST.  */
static gpgpack_wrap_params_t
wrap_params (wrapped_t *w, const gpgpack_host_t *host, unsigned int generation)
{
  gpgpack_wrap_params_t p;

  memset (&p, 0, sizeof p);
  p.host = host;
  p.key = w->key.data;
  p.keylen = w->key.len;
  p.pack_head = w->pack.data;
  p.headlen = w->pack.len;
  p.generation = generation;
  p.threshold = THRESHOLD;
  p.nshares = NSHARES;
  p.wrap_fprs = fprs;
  return p;
}


static void
seal_raw (wrapped_t *w)
{
  gpgpack_seal_params_t params;

  memset (w, 0, sizeof *w);
  memset (&params, 0, sizeof params);
  params.raw_key = 1;
  ck_assert_code (packbuf_seal (packbuf_native (), &params, "keys", 4, 0,
                                &w->pack, &w->key), 0);
}


/* Seal, wrap NSHARES of GENERATION and unwrap them all into W.  */
static void
wrap_pack (wrapped_t *w, unsigned int generation, wrapped_t *same_pack)
{
  const gpgpack_sharing_t *sh = packbuf_native ()->sharing;
  gpgpack_wrap_params_t p;
  gpgpack_host_t host;
  fake_state_t st;
  unsigned int i;

  if (same_pack)
    {
      memset (w, 0, sizeof *w);
      packbuf_append (&w->pack, same_pack->pack.data, same_pack->pack.len);
      w->key.data = gcry_xmalloc_secure (same_pack->key.len);
      memcpy (w->key.data, same_pack->key.data, same_pack->key.len);
      w->key.len = same_pack->key.len;
    }
  else
    seal_raw (w);
  host = fake_host (&st);
  p = wrap_params (w, &host, generation);
  ck_assert_code (sh->wrap (&p, w->msgs), 0);
  ck_assert_uint_eq (st.calls, NSHARES);
  for (i = 0; i < NSHARES; i++)
    ck_assert_code (sh->unwrap (&host, w->msgs[i].data, w->msgs[i].len,
                                &w->shares[i], NULL), 0);
}


static void
wrapped_free (wrapped_t *w)
{
  unsigned int i;

  packbuf_free (&w->pack);
  packbuf_blob_free (&w->key);
  for (i = 0; i < NSHARES; i++)
    {
      packbuf_blob_free (&w->msgs[i]);
      packbuf_blob_free (&w->shares[i]);
    }
}


/* Combine the N shares S against W's pack; key to R_KEY, blame to R_BAD.  */
static gpg_error_t
combine (wrapped_t *w, const gpgpack_blob_t *s, unsigned int n,
         gpgpack_blob_t *r_key, int *r_bad)
{
  return packbuf_native ()->sharing->combine (s, n, w->pack.data, w->pack.len,
                                              r_key, r_bad);
}


START_TEST (test_envelope_vector)
{
  unsigned char key[32], counter = 1;
  gpgpack_blob_t shares[3], env, back;
  unsigned int i;

  for (i = 0; i < sizeof key; i++)
    key[i] = i;
  ck_assert_code (share_split_key (key, sizeof key, pack_a, 1, 2, 3,
                                   packbuf_counter_random, &counter,
                                   shares), 0);
  ck_assert_code (envelope_build (shares[1].data, shares[1].len,
                                  "Bob <bob@example.org>", &env), 0);
  ck_assert_uint_eq (env.len, strlen (vector));
  ck_assert (!memcmp (env.data, vector, env.len));
  ck_assert_code (envelope_parse (vector, strlen (vector), &back, NULL), 0);
  ck_assert_uint_eq (back.len, shares[1].len);
  ck_assert (!memcmp (back.data, shares[1].data, back.len));
  plugin_blob_release (&back);
  plugin_blob_release (&env);
  for (i = 0; i < 3; i++)
    plugin_blob_release (&shares[i]);
}
END_TEST


/* Parse VECTOR with the first occurrence of FROM replaced by TO.  */
static gpg_error_t
parse_edited (const char *from, const char *to)
{
  char buf[sizeof vector + 64];
  const char *at = strstr (vector, from);
  gpgpack_blob_t share;
  gpg_error_t err;

  ck_assert_ptr_nonnull (at);
  snprintf (buf, sizeof buf, "%.*s%s%s", (int) (at - vector), vector, to,
            at + strlen (from));
  err = envelope_parse (buf, strlen (buf), &share, NULL);
  if (err)
    ck_assert_ptr_null (share.data);
  plugin_blob_release (&share);
  return err;
}


START_TEST (test_envelope_errors)
{
  gpgpack_blob_t env;

  ck_assert_code (parse_edited ("GPGPACK", "GPGPAKK"), GPG_ERR_INV_DATA);
  ck_assert_code (parse_edited ("SHARE 1", "SHARE 2"),
                  GPG_ERR_UNKNOWN_VERSION);
  ck_assert_code (parse_edited ("Index: 2", "Index: 3"), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("Generation: 1", "Generation: 01"),
                  GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("For: ", "To: "), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("For: Bob", "For: \x01" "Bob"),
                  GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("\n\n", "\n"), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("4750", "4g50"), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("\n4750", "\n4751"), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("0205040B", "0205040b"), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("FAC4\n", "FAC4\n\n"), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("FAC4\n", "FAC4"), GPG_ERR_INV_PACKET);
  ck_assert_code (parse_edited ("0205", "0215"), GPG_ERR_BAD_DATA);
  ck_assert_code (envelope_build ("GPKS", 4, "Alice", &env),
                  GPG_ERR_TRUNCATED);
}
END_TEST


START_TEST (test_envelope_custodian)
{
  unsigned char key[32] = { 0 };
  gpgpack_blob_t shares[2], env;
  char name[ENVELOPE_MAX_CUSTODIAN + 2];

  ck_assert_code (share_split_key (key, sizeof key, pack_a, 0, 2, 2, NULL,
                                   NULL, shares), 0);
  ck_assert_code (envelope_build (shares[0].data, shares[0].len, "",
                                  &env), GPG_ERR_INV_VALUE);
  ck_assert_code (envelope_build (shares[0].data, shares[0].len, "A\nB",
                                  &env), GPG_ERR_INV_VALUE);
  memset (name, 'a', sizeof name - 1);
  name[sizeof name - 1] = 0;
  ck_assert_code (envelope_build (shares[0].data, shares[0].len, name,
                                  &env), GPG_ERR_INV_VALUE);
  name[sizeof name - 2] = 0;
  ck_assert_code (envelope_build (shares[0].data, shares[0].len, name,
                                  &env), 0);
  plugin_blob_release (&env);
  plugin_blob_release (&shares[0]);
  plugin_blob_release (&shares[1]);
}
END_TEST


/* Every T-subset of the unwrapped shares gives the key; the messages
 * name their wrap key and carry the envelope.  */
START_TEST (test_wrap_subsets)
{
  gpgpack_share_info_t info;
  gpgpack_blob_t sub[THRESHOLD], key;
  unsigned int a, b, c, i, n = 0;
  wrapped_t w;
  int bad;

  wrap_pack (&w, 4, NULL);
  for (i = 0; i < NSHARES; i++)
    {
      ck_assert (!strncmp ((char *) w.msgs[i].data + strlen (FAKE_MARK),
                           fprs[i], 40));
      ck_assert (strstr ((char *) w.msgs[i].data, "\nFor: "));
      ck_assert_code (packbuf_native ()->sharing->info
                      (w.shares[i].data, w.shares[i].len, w.pack.data,
                       w.pack.len, &info), 0);
      ck_assert_uint_eq (info.index, i + 1);
      ck_assert_uint_eq (info.threshold, THRESHOLD);
      ck_assert_uint_eq (info.generation, 4);
    }
  for (a = 0; a < NSHARES; a++)
    for (b = a + 1; b < NSHARES; b++)
      for (c = b + 1; c < NSHARES; c++, n++)
        {
          sub[0] = w.shares[c];
          sub[1] = w.shares[a];
          sub[2] = w.shares[b];
          ck_assert_code (combine (&w, sub, THRESHOLD, &key, &bad), 0);
          ck_assert_uint_eq (key.len, w.key.len);
          ck_assert (!memcmp (key.data, w.key.data, key.len));
          packbuf_blob_free (&key);
        }
  ck_assert_uint_eq (n, 10);
  wrapped_free (&w);
}
END_TEST


/* Recompute the checksum of the encoded SHARE after it was edited.  */
static void
forge_checksum (gpgpack_blob_t *share)
{
  unsigned char digest[32];
  size_t body = share->len - SHARE_CHECKSUM_LEN;

  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, share->data, body);
  memcpy (share->data + body, digest, SHARE_CHECKSUM_LEN);
}


START_TEST (test_wrap_combine_errors)
{
  gpgpack_blob_t set[4], key;
  wrapped_t w, other, gen2;
  int bad;

  wrap_pack (&w, 1, NULL);
  wrap_pack (&other, 1, NULL);
  wrap_pack (&gen2, 2, &w);

  /* T-1 shares.  */
  ck_assert_code (combine (&w, w.shares, THRESHOLD - 1, &key, &bad),
                  GPG_ERR_MISSING_KEY);
  ck_assert_int_eq (bad, -1);
  /* A duplicate.  */
  set[0] = w.shares[0], set[1] = w.shares[1], set[2] = w.shares[1];
  ck_assert_code (combine (&w, set, 3, &key, &bad), GPG_ERR_DUP_VALUE);
  ck_assert_int_eq (bad, 2);
  /* A share of another pack.  */
  set[2] = other.shares[2];
  ck_assert_code (combine (&w, set, 3, &key, &bad), GPG_ERR_WRONG_SECKEY);
  ck_assert_int_eq (bad, 2);
  /* A share of another generation of the same pack.  */
  set[2] = gen2.shares[2];
  ck_assert_code (combine (&w, set, 3, &key, &bad), GPG_ERR_INV_VALUE);
  ck_assert_int_eq (bad, 2);
  /* A forged share (intact checksum) among T+1 is named...  */
  set[2] = w.shares[2], set[3] = w.shares[3];
  set[1].data[SHARE_HEADER_LEN] ^= 0x5a;
  forge_checksum (&set[1]);
  ck_assert_code (combine (&w, set, 4, &key, &bad), GPG_ERR_BAD_DATA);
  ck_assert_int_eq (bad, 1);
  ck_assert_ptr_null (key.data);
  /* ... and the others open the pack.  */
  set[1] = set[3];
  ck_assert_code (combine (&w, set, 3, &key, &bad), 0);
  ck_assert (!memcmp (key.data, w.key.data, key.len));
  packbuf_blob_free (&key);
  wrapped_free (&w);
  wrapped_free (&other);
  wrapped_free (&gen2);
}
END_TEST


/* Wrap through HOST with T and N; all messages must stay empty on error. */
static gpg_error_t
try_wrap (wrapped_t *w, const gpgpack_host_t *host, unsigned int t,
          unsigned int n)
{
  gpgpack_wrap_params_t p = wrap_params (w, host, 0);
  gpgpack_blob_t msgs[NSHARES];
  gpg_error_t err;
  unsigned int i;

  p.threshold = t;
  p.nshares = n;
  memset (msgs, 0, sizeof msgs);
  err = packbuf_native ()->sharing->wrap (&p, msgs);
  for (i = 0; i < NSHARES; i++)
    {
      if (err)
        ck_assert_ptr_null (msgs[i].data);
      packbuf_blob_free (&msgs[i]);
    }
  return err;
}


START_TEST (test_wrap_refusals)
{
  const gpgpack_sharing_t *sh = packbuf_native ()->sharing;
  gpgpack_host_t host, small;
  gpgpack_blob_t share;
  fake_state_t st;
  wrapped_t w;
  char msg[128], *name;

  seal_raw (&w);
  host = fake_host (&st);
  ck_assert_code (try_wrap (&w, NULL, 2, 3), GPG_ERR_INV_ARG);
  small = host;
  small.size = offsetof (gpgpack_host_t, decrypt);
  ck_assert_code (try_wrap (&w, &small, 2, 3), GPG_ERR_INV_ARG);
  ck_assert_code (try_wrap (&w, &host, 1, 3), GPG_ERR_INV_VALUE);
  ck_assert_code (try_wrap (&w, &host, 4, 3), GPG_ERR_INV_VALUE);
  ck_assert_code (try_wrap (&w, &host, 2, 256), GPG_ERR_INV_VALUE);
  ck_assert_code (try_wrap (&w, &host, 2, 0), GPG_ERR_INV_VALUE);
  ck_assert_uint_eq (st.calls, 0);
  /* The host fails on the third share: nothing is handed back.  */
  st.fail_at = 3;
  ck_assert_code (try_wrap (&w, &host, 2, NSHARES), GPG_ERR_UNUSABLE_PUBKEY);
  ck_assert_uint_eq (st.calls, 3);

  /* Unwrapping: a share for a key that is not here; garbage; an
   * envelope needs no host.  */
  snprintf (msg, sizeof msg, "%s%s\n%s", FAKE_MARK, MISSING_FPR, "x");
  ck_assert_code (sh->unwrap (&host, msg, strlen (msg), &share, &name),
                  GPG_ERR_NO_SECKEY);
  ck_assert_ptr_null (name);
  ck_assert_code (sh->unwrap (&host, "junk", 4, &share, NULL),
                  GPG_ERR_NO_DATA);
  ck_assert_code (sh->unwrap (NULL, "junk", 4, &share, NULL),
                  GPG_ERR_INV_ARG);
  ck_assert_code (sh->unwrap (NULL, vector, strlen (vector), &share, &name),
                  0);
  ck_assert_str_eq (name, "Bob <bob@example.org>");
  gcry_free (name);
  packbuf_blob_free (&share);
  wrapped_free (&w);
}
END_TEST


static Suite *
sharewrap_suite (void)
{
  Suite *s = suite_create ("sharewrap");
  TCase *tc;

  tc = tcase_create ("envelope");
  tcase_add_test (tc, test_envelope_vector);
  tcase_add_test (tc, test_envelope_errors);
  tcase_add_test (tc, test_envelope_custodian);
  suite_add_tcase (s, tc);

  tc = tcase_create ("wrap");
  tcase_add_test (tc, test_wrap_subsets);
  tcase_add_test (tc, test_wrap_combine_errors);
  tcase_add_test (tc, test_wrap_refusals);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  ckrun_init_gcrypt (65536);
  return ckrun (sharewrap_suite ());
}
