/* check_openpgp.c - tests of the openpgp and autocrypt formats
 * (plugin/openpgp/), alone and against the real gpg: every pack the
 * plugin writes is decrypted by stock gpg and its keys import with the
 * same fingerprints; what gpg --symmetric wrote opens in the plugin.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <gcrypt.h>

#include "harness.h"
#include "ckrun.h"
#include "packbuf.h"

#define PASS "correct horse"
#define SPEC_CODE "1742-0185-6197-1303-7016-8412-3581-4441-0597"

static plugin_set_t plugins;
static th_home_t home_a, home_b;      /* exporter and receiver */
static char fpr_a[41];
static char *seckey;                  /* home_a's secret key, binary */
static size_t seckeylen;

/* The example Setup Message of the Autocrypt Level 1 specification
 * (doc/appendix/example-setup-message.eml) with its setup code.  */
static const char spec_example[] =
  "<html><body>\n<pre>\n"
  "-----BEGIN PGP MESSAGE-----\n"
  "Passphrase-Format: numeric9x4\n"
  "Passphrase-Begin: 17\n\n"
  "jA0EBwMCFAxADoCdzeX/0ukBlqI5+pfpKb751qd/7nLNbkpy3gVcaf1QwRPZYt40\n"
  "Ynp08UqRQ2g48ZlnzHLSwlTGOPTuv2Jt8ka+pgZ45xzvJSG2gau03xP4VsC271kR\n"
  "VmCjdb0Y6Rk96mAwfGzrkbaRQ9Z7fIoL866GOv6h9neiVIkp+JYlTV6ISD0ZQJ4Q\n"
  "I6dOQkB/TWZyVjtiJDOQHdfNWliA6NtqaLq19wlu9L5xXjuNpY95KwR8EJXWe0+o\n"
  "Y3d2U/KxOAkXKghP2Qg1GtlPVeGC5T4p03TGI6pzKT+kHX6Rrm9wK6sM9aTquMmF\n"
  "Vok84Jg1DFnwivWC2RILR81rXi7k/+Y6MUbveFgJ9cQduqpxnmD7TjOblYu7M6zp\n"
  "YGAUxh8DRKlIMn2QsA++DBYQ6ACZvwuY8qTDLkqPDo4WqM313dsMJbyGjDdVE7EM\n"
  "PESS+RlABETpZXz8g/ycr6DIUNdlbPcmYlsBfHWDOuR2GFFTwmlv5slWS39dJv38\n"
  "E0eIe1CwdxI801Se7t7dUUS/ZF8wb6GlmxOcqGbF8eko1Z0S64IAm7/h13MRQCxI\n"
  "geQnHfGYVJ2FOimoCMEKwfa9x++RFTDW0u7spDC2uWvK/1viV8OfRppFhLr/kmKb\n"
  "18lWXuAz80DAjUDUsVqEq2MvJBJGoCJUEyjuRsLkHYRM5jYk4v50LyyR0Om73nWF\n"
  "nZBqmqNzdr7Xb9PHHdFhnEc0VvoYbrcM0RVYcEMW3YbmejM891j1d6Iv+/n/qND/\n"
  "NdebGrfWJMmFLf/iEkzTZ3/v5inW9LpWoRc94ioCjJTaEo8Rib6ARRFaJVIsmNXi\n"
  "YicFGO98D+zX+a2t9Yz6IpPajVslnOp6ScpmXgts/2XWD7oE+JgxSAqo/dLVsHgP\n"
  "Ufo=\n=pulM\n-----END PGP MESSAGE-----\n</pre></body></html>\n";

/* Known answer (doc/format.md): "gpgpack\n" sealed with PASS, random
 * bytes from packbuf_counter_random starting at 0 (salt 00..07, prefix
 * 08..17).  gpg decrypts it in test_kat_gpg.  */
static const char kat_pack[] =
  "-----BEGIN PGP MESSAGE-----\n"
  "\n"
  "ww0ECQMIAAECAwQFBgfw0jkBgfYHuaHlnl/wySIIQNPbFnWwYGnKAWnSSe2eOJZ8\n"
  "nvHEbHIXbQ91ziVlG1l+oWX9vJ4evgAM6kg=\n"
  "=8nDA\n"
  "-----END PGP MESSAGE-----\n";


static const gpgpack_format_t *
format (const char *name)
{
  const gpgpack_format_t *fmt = plugin_find_format (plugins, name);

  ck_assert_msg (fmt != NULL, "no %s format in $GPGPACK_PLUGIN_DIR", name);
  return fmt;
}


/* Seal LEN bytes of DATA in format NAME with PASSPHRASE (NULL: a setup
 * code is made and returned in KEY).  */
static gpg_error_t
seal (const char *name, const char *passphrase, const void *data,
      size_t len, size_t step, packbuf_t *pack, gpgpack_blob_t *key)
{
  gpgpack_seal_params_t params;

  memset (&params, 0, sizeof params);
  params.passphrase = passphrase;
  return packbuf_seal (format (name), &params, data, len, step, pack, key);
}


static gpg_error_t
open_pack (const char *name, const char *passphrase, const void *pack,
           size_t packlen, size_t step, packbuf_t *out)
{
  return packbuf_open (format (name), NULL, 0, 0, passphrase, pack, packlen,
                       step, out, NULL);
}


/* The binary message inside the armored PACK, malloced.  */
static unsigned char *
dearmor (const packbuf_t *pack, size_t *r_len)
{
  char *text = calloc (1, pack->len + 1), *body, *end, *buf;
  size_t len;

  memcpy (text, pack->data, pack->len);
  body = strstr (text, "\n\n");
  ck_assert_ptr_nonnull (body);
  end = strstr (body, "\n=");
  ck_assert_ptr_nonnull (end);
  *end = 0;
  ck_assert_int_eq (th_b64_decode (body + 2, &buf, &len), 0);
  free (text);
  *r_len = len;
  return (unsigned char *)buf;
}


/* Seal and open DATA of LEN bytes, opening STEP bytes at a time.  */
static void
round_trip (const char *name, size_t len, size_t step)
{
  unsigned char *data = packbuf_pattern (len);
  packbuf_t pack = { 0 }, out = { 0 };
  gpgpack_blob_t key = { 0 };

  ck_assert_code (seal (name, PASS, data, len, step, &pack, &key), 0);
  ck_assert_ptr_null (key.data);          /* the caller's passphrase */
  ck_assert_code (open_pack (name, PASS, pack.data, pack.len, step, &out),
                  0);
  ck_assert_uint_eq (out.len, len);
  ck_assert (!len || !memcmp (out.data, data, len));
  free (data);
  packbuf_free (&pack);
  packbuf_free (&out);
}


START_TEST (test_round_trips)
{
  /* 0, 1, around the 1 KiB partial chunk (the literal packet carries a
   * 6-byte header, the SEIPD a version byte and an 18-byte prefix),
   * and over 1 MiB.  */
  static const size_t sizes[] = { 0, 1, 1017, 1018, 1019, 1024, 1025,
                                  2042, 2048, 4096, (1 << 20) + 7 };
  size_t i;

  for (i = 0; i < sizeof sizes / sizeof *sizes; i++)
    round_trip ("openpgp", sizes[i], i % 2 ? 0 : 333);
}
END_TEST


START_TEST (test_kat)
{
  unsigned char next = 0;
  gpgpack_seal_params_t params;
  packbuf_t pack = { 0 }, out = { 0 };
  gpgpack_blob_t key = { 0 };

  memset (&params, 0, sizeof params);
  params.passphrase = PASS;
  params.random = packbuf_counter_random;
  params.random_opaque = &next;
  ck_assert_code (packbuf_seal (format ("openpgp"), &params, "gpgpack\n", 8,
                                0, &pack, &key), 0);
  ck_assert_msg (pack.len == strlen (kat_pack)
                 && !memcmp (pack.data, kat_pack, pack.len),
                 "known answer differs:\n%.*s", (int)pack.len, pack.data);
  ck_assert_code (open_pack ("openpgp", PASS, kat_pack, strlen (kat_pack),
                             1, &out), 0);
  ck_assert_uint_eq (out.len, 8);
  packbuf_free (&pack);
  packbuf_free (&out);
}
END_TEST


/* The generated setup code: numeric9x4, handed back once, and the
 * passphrase of the pack (also as a key file with a newline).  */
START_TEST (test_setup_code)
{
  packbuf_t pack = { 0 }, out = { 0 };
  gpgpack_blob_t key = { 0 };
  char keyfile[64];
  int i;

  ck_assert_code (seal ("openpgp", NULL, "x", 1, 0, &pack, &key), 0);
  ck_assert_uint_eq (key.len, 44);
  for (i = 0; i < 44; i++)
    ck_assert (i % 5 == 4 ? key.data[i] == '-'
               : key.data[i] >= '0' && key.data[i] <= '9');
  snprintf (keyfile, sizeof keyfile, "%.44s\n", (char *)key.data);
  ck_assert_code (packbuf_open (format ("openpgp"), keyfile, strlen (keyfile),
                                0, NULL, pack.data, pack.len, 0, &out, NULL),
                  0);
  ck_assert_uint_eq (out.len, 1);
  packbuf_blob_free (&key);
  packbuf_free (&pack);
  packbuf_free (&out);
}
END_TEST


/* Open BUF (LEN bytes) with PASS and expect CODE, nothing authentic.  */
static void
expect_open (const char *name, const char *pass, const void *buf, size_t len,
             gpg_err_code_t code)
{
  packbuf_t out = { 0 };

  ck_assert_code (open_pack (name, pass, buf, len, 100, &out), code);
  packbuf_free (&out);
}


/* Changes to the SKESK (c3 0d 04 CIPHER S2K HASH salt[8] count) and
 * their errors.  */
static const struct
{
  size_t off;
  unsigned char value;
  gpg_err_code_t code;
} skesk_edits[] =
  {
    { 2, 5, GPG_ERR_UNKNOWN_VERSION },
    { 3, 99, GPG_ERR_CIPHER_ALGO },
    { 4, 101, GPG_ERR_NOT_SUPPORTED },
    { 5, 99, GPG_ERR_DIGEST_ALGO }
  };


START_TEST (test_bad_input)
{
  packbuf_t pack = { 0 };
  gpgpack_blob_t key = { 0 };
  unsigned char *bin, *copy;
  size_t binlen, n;
  char *mid;

  ck_assert_code (seal ("openpgp", PASS, "secret keys", 11, 0, &pack, &key),
                  0);
  expect_open ("openpgp", "wrong", pack.data, pack.len,
               GPG_ERR_BAD_PASSPHRASE);
  expect_open ("openpgp", NULL, pack.data, pack.len, GPG_ERR_NO_PASSPHRASE);
  expect_open ("openpgp", PASS, "hello\n", 6, GPG_ERR_INV_DATA);
  expect_open ("openpgp", PASS, "\xff\x01", 2, GPG_ERR_INV_PACKET);
  expect_open ("openpgp", PASS, pack.data, pack.len / 2, GPG_ERR_TRUNCATED);

  /* A flipped Base64 character: the armor checksum says modified.  */
  mid = memchr (pack.data + 40, '\n', pack.len - 40) + 5;
  *mid = *mid == 'A' ? 'B' : 'A';
  expect_open ("openpgp", PASS, pack.data, pack.len, GPG_ERR_CHECKSUM);
  *mid = 0;
  packbuf_free (&pack);

  /* Binary: the MDC finds any change to the ciphertext.  */
  ck_assert_code (seal ("openpgp", PASS, "secret keys", 11, 0, &pack, &key),
                  0);
  bin = dearmor (&pack, &binlen);
  expect_open ("openpgp", PASS, bin, binlen, 0);
  copy = malloc (binlen + 3);
  for (n = 40; n < binlen; n += 13)
    {
      memcpy (copy, bin, binlen);
      copy[n] ^= 0x10;
      expect_open ("openpgp", PASS, copy, binlen, GPG_ERR_CHECKSUM);
    }
  expect_open ("openpgp", PASS, bin, binlen - 1, GPG_ERR_TRUNCATED);
  memcpy (copy, bin, binlen);
  memcpy (copy + binlen, "\xcb\x00", 2);   /* a packet after the SEIPD */
  expect_open ("openpgp", PASS, copy, binlen + 2, GPG_ERR_INV_LENGTH);
  for (n = 0; n < sizeof skesk_edits / sizeof *skesk_edits; n++)
    {
      memcpy (copy, bin, binlen);
      copy[skesk_edits[n].off] = skesk_edits[n].value;
      expect_open ("openpgp", PASS, copy, binlen, skesk_edits[n].code);
    }
  free (copy);
  free (bin);
  packbuf_free (&pack);
}
END_TEST


/* A passphrase of the user's: at least 12 characters (not bytes), 5
 * bytes different; else GPG_ERR_INV_PASSPHRASE and no pack.  */
#define UMLAUTS6 "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f\xc3\xa9\xc3\xa8"
START_TEST (test_weak_passphrase)
{
  static const struct
  {
    const char *pass;
    gpg_err_code_t code;
  } cases[] =
    {
      { "short words", GPG_ERR_INV_PASSPHRASE },         /* 11 */
      { "aaaaaaaaaaaaaaaaaaaaaaaa", GPG_ERR_INV_PASSPHRASE },
      { "abcdabcdabcd", GPG_ERR_INV_PASSPHRASE },        /* 4 different */
      { UMLAUTS6 "\xc3\xa4\xc3\xb6\xc3\xbc\xc3\x9f\xc3\xa9",
        GPG_ERR_INV_PASSPHRASE },                       /* 11, 22 bytes */
      { "abcdeabcdeab", 0 },
      { UMLAUTS6 UMLAUTS6, 0 }
    };
  packbuf_t pack = { 0 };
  gpgpack_blob_t key = { 0 };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      ck_assert_code (seal ("openpgp", cases[i].pass, "x", 1, 0, &pack,
                            &key), cases[i].code);
      ck_assert (cases[i].code ? !pack.len : pack.len > 0);
      packbuf_free (&pack);
    }
}
END_TEST


START_TEST (test_no_share_mode)
{
  gpgpack_seal_params_t params;
  packbuf_t pack = { 0 }, out = { 0 };
  gpgpack_blob_t key = { 0 };

  memset (&params, 0, sizeof params);
  params.raw_key = 1;
  ck_assert_code (packbuf_seal (format ("openpgp"), &params, "x", 1, 0,
                                &pack, &key), GPG_ERR_NOT_SUPPORTED);
  ck_assert_code (packbuf_open (format ("openpgp"), "k", 1, 1, NULL,
                                kat_pack, strlen (kat_pack), 0, &out, NULL),
                  GPG_ERR_NOT_SUPPORTED);
  packbuf_free (&pack);
  packbuf_free (&out);
}
END_TEST


/* Secret key packets (tag 5) of a stand-in key stream.  */
#define ONE_KEY "\xc5\x01\x04\xcd\x01x"
#define INNER_HEAD "-----BEGIN PGP PRIVATE KEY BLOCK-----\n" \
                   "Autocrypt-Prefer-Encrypt: mutual\n\n"

START_TEST (test_autocrypt_rules)
{
  static const char manifest[] = "AAAA S\nBBBB S\n";
  gpgpack_seal_params_t params;
  packbuf_t pack = { 0 }, out = { 0 };
  gpgpack_blob_t key = { 0 };

  ck_assert_code (seal ("autocrypt", NULL, ONE_KEY ONE_KEY, 12, 0, &pack,
                        &key), GPG_ERR_TOO_MANY);
  packbuf_free (&pack);
  ck_assert_code (seal ("autocrypt", NULL, "\xcd\x01x", 3, 0, &pack, &key),
                  GPG_ERR_NO_SECKEY);
  packbuf_free (&pack);
  ck_assert_code (seal ("autocrypt", "my own words", ONE_KEY, 6, 0, &pack,
                        &key), GPG_ERR_BAD_PASSPHRASE);
  packbuf_free (&pack);
  memset (&params, 0, sizeof params);
  params.manifest = manifest;
  params.manifestlen = strlen (manifest);
  ck_assert_code (packbuf_seal (format ("autocrypt"), &params, ONE_KEY, 6, 0,
                                &pack, &key), GPG_ERR_TOO_MANY);
  packbuf_free (&pack);

  ck_assert_code (seal ("autocrypt", NULL, ONE_KEY, 6, 0, &pack, &key), 0);
  ck_assert_uint_eq (key.len, 44);
  ck_assert_ptr_nonnull (strstr ((char *)pack.data,
                                 "Passphrase-Format: numeric9x4\n"));
  ck_assert (!strncmp (strstr ((char *)pack.data, "Passphrase-Begin: ") + 18,
                       (char *)key.data, 2));
  ck_assert_code (open_pack ("autocrypt", (char *)key.data, pack.data,
                             pack.len, 0, &out), 0);
  ck_assert (out.len > strlen (INNER_HEAD)
             && !memcmp (out.data, INNER_HEAD, strlen (INNER_HEAD)));
  packbuf_blob_free (&key);
  packbuf_free (&pack);
  packbuf_free (&out);
}
END_TEST


/* The specification's example, compressed by gpg (ZIP): with the
 * right code it opens to an armored secret key; a wrong code is a bad
 * passphrase.  */
START_TEST (test_autocrypt_spec_example)
{
  static const char head[] = "-----BEGIN PGP PRIVATE KEY BLOCK-----";
  packbuf_t out = { 0 };

  ck_assert_code (open_pack ("autocrypt", SPEC_CODE, spec_example,
                             strlen (spec_example), 7, &out), 0);
  ck_assert (out.len > strlen (head)
             && !memcmp (out.data, head, strlen (head)));
  ck_assert_ptr_nonnull (memmem (out.data, out.len,
                                 "-----END PGP PRIVATE KEY BLOCK-----", 35));
  packbuf_free (&out);
  expect_open ("autocrypt", "1742-0185-6197-1303-7016-8412-3581-4441-0598",
               spec_example, strlen (spec_example), GPG_ERR_BAD_PASSPHRASE);
}
END_TEST


/* Run gpg with ARGS (at most 16) in HOME; its stdout to *R_OUT (may be
 * NULL).  */
static int
run_gpg (th_home_t *home, const char *const *args, char **r_out)
{
  const char *argv[24] = { th_prog ("GPG", "gpg"), "--homedir", home->dir,
                           "--batch", "--pinentry-mode", "loopback" };
  int i;

  for (i = 0; args[i]; i++)
    argv[6 + i] = args[i];
  argv[6 + i] = NULL;
  return th_run (argv, NULL, r_out, NULL);
}


/* PACK decrypts with stock gpg and PASS; the keys import into home_b
 * with home_a's fingerprint.  */
static void
gpg_opens (const packbuf_t *pack, const char *pass)
{
  char path[128], out[128], *fprs;
  const char *dec[] = { "--passphrase", pass, "--output", out, "--decrypt",
                        path, NULL };
  const char *imp[] = { "--import", out, NULL };

  snprintf (path, sizeof path, "%s/pack.asc", home_b.dir);
  snprintf (out, sizeof out, "%s/keys", home_b.dir);
  remove (out);
  ck_assert_int_eq (th_write_file (path, pack->data, pack->len), 0);
  ck_assert_int_eq (run_gpg (&home_b, dec, NULL), 0);
  ck_assert_int_eq (run_gpg (&home_b, imp, NULL), 0);
  fprs = th_list_fprs (&home_b, 1);
  ck_assert_str_eq (fprs, fpr_a);
  free (fprs);
}


START_TEST (test_gpg_decrypts_ours)
{
  packbuf_t pack = { 0 };
  gpgpack_blob_t key = { 0 };

  ck_assert_code (seal ("openpgp", NULL, seckey, seckeylen, 0, &pack, &key),
                  0);
  gpg_opens (&pack, (char *)key.data);
  packbuf_blob_free (&key);
  packbuf_free (&pack);
  ck_assert_code (seal ("autocrypt", NULL, seckey, seckeylen, 0, &pack,
                        &key), 0);
  gpg_opens (&pack, (char *)key.data);
  packbuf_blob_free (&key);
  packbuf_free (&pack);
}
END_TEST


START_TEST (test_kat_gpg)
{
  char path[128], *out = NULL;
  const char *dec[] = { "--passphrase", PASS, "--decrypt", path, NULL };

  snprintf (path, sizeof path, "%s/kat.asc", home_b.dir);
  ck_assert_int_eq (th_write_file (path, kat_pack, strlen (kat_pack)), 0);
  ck_assert_int_eq (run_gpg (&home_b, dec, &out), 0);
  ck_assert_str_eq (out, "gpgpack\n");
  free (out);
}
END_TEST


/* gpg --symmetric of the exported key with EXTRA options, opened by the
 * plugin as format NAME with PASS: expect CODE.  */
static void
gpg_symmetric (const char *name, const char *pass, const char *const *extra,
               gpg_err_code_t code)
{
  char in[128], path[128], *pack;
  const char *args[16] = { "--passphrase", PASS, "--symmetric", "--output",
                           path };
  size_t packlen, i, n = 5;
  packbuf_t out = { 0 };

  snprintf (in, sizeof in, "%s/exported", home_a.dir);
  snprintf (path, sizeof path, "%s/sym.gpg", home_a.dir);
  remove (path);
  for (i = 0; extra[i]; i++)
    args[n++] = extra[i];
  args[n++] = in;
  args[n] = NULL;
  ck_assert_int_eq (run_gpg (&home_a, args, NULL), 0);
  ck_assert_int_eq (th_read_file (path, &pack, &packlen), 0);
  ck_assert_code (open_pack (name, pass, pack, packlen, 4000, &out), code);
  if (!code)
    ck_assert (out.len == seckeylen && !memcmp (out.data, seckey, seckeylen));
  packbuf_free (&out);
  free (pack);
}


START_TEST (test_opens_gpg_symmetric)
{
  const char *plain[] = { "--cipher-algo", "AES256", "--compress-algo",
                          "none", NULL };
  const char *armored[] = { "--armor", "--cipher-algo", "AES256",
                            "--compress-algo", "none", NULL };
  const char *aes128[] = { "--cipher-algo", "AES", "--s2k-digest-algo",
                           "SHA1", "--compress-algo", "none", NULL };
  const char *deflt[] = { "--cipher-algo", "AES256", NULL };
  const char *zlib[] = { "--cipher-algo", "AES256", "--compress-algo",
                         "zlib", "--armor", NULL };
  const char *zip[] = { "--cipher-algo", "AES256", "--compress-algo", "zip",
                        "--compress-level", "1", NULL };
  const char *bzip2[] = { "--cipher-algo", "AES256", "--compress-algo",
                          "bzip2", NULL };

  gpg_symmetric ("openpgp", PASS, plain, 0);
  gpg_symmetric ("openpgp", PASS, armored, 0);
  gpg_symmetric ("autocrypt", PASS, aes128, 0);
  gpg_symmetric ("openpgp", "not it", plain, GPG_ERR_BAD_PASSPHRASE);
  gpg_symmetric ("openpgp", PASS, deflt, 0);
  gpg_symmetric ("openpgp", PASS, zlib, 0);
  gpg_symmetric ("openpgp", PASS, zip, 0);
  gpg_symmetric ("openpgp", PASS, bzip2, GPG_ERR_COMPR_ALGO);
  gpg_symmetric ("openpgp", "not it", bzip2, GPG_ERR_BAD_PASSPHRASE);
}
END_TEST


/* A compression bomb made by gpg: 65 MiB of zeros, some 64 KiB
 * compressed, stops at the bound (OPGP_MAX_INFLATED, 64 MiB) with
 * GPG_ERR_TOO_LARGE.  */
START_TEST (test_gpg_bomb)
{
  char in[128], path[128], *pack;
  const char *args[] = { "--passphrase", PASS, "--s2k-count", "1024",
                         "--compress-algo", "zlib", "--compress-level", "9",
                         "--symmetric", "--output", path, in, NULL };
  size_t packlen;
  packbuf_t out = { 0 };
  FILE *fp;

  snprintf (in, sizeof in, "%s/zeros", home_a.dir);
  snprintf (path, sizeof path, "%s/bomb.gpg", home_a.dir);
  fp = fopen (in, "wb");
  ck_assert_ptr_nonnull (fp);
  ck_assert_int_eq (ftruncate (fileno (fp), 65 << 20), 0);
  ck_assert_int_eq (fclose (fp), 0);
  ck_assert_int_eq (run_gpg (&home_a, args, NULL), 0);
  remove (in);
  ck_assert_int_eq (th_read_file (path, &pack, &packlen), 0);
  ck_assert_uint_lt (packlen, 1 << 20);
  ck_assert_code (open_pack ("openpgp", PASS, pack, packlen, 0, &out),
                  GPG_ERR_TOO_LARGE);
  ck_assert_uint_le (out.len, 64 << 20);
  packbuf_free (&out);
  free (pack);
  remove (path);
}
END_TEST


static Suite *
openpgp_suite (void)
{
  Suite *s = suite_create ("openpgp");
  TCase *tc = tcase_create ("plugin");

  tcase_add_test (tc, test_round_trips);
  tcase_add_test (tc, test_kat);
  tcase_add_test (tc, test_setup_code);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_weak_passphrase);
  tcase_add_test (tc, test_no_share_mode);
  tcase_add_test (tc, test_autocrypt_rules);
  tcase_add_test (tc, test_autocrypt_spec_example);
  suite_add_tcase (s, tc);
  tc = tcase_create ("gpg");
  tcase_add_test (tc, test_gpg_decrypts_ours);
  tcase_add_test (tc, test_kat_gpg);
  tcase_add_test (tc, test_opens_gpg_symmetric);
  tcase_add_test (tc, test_gpg_bomb);
  suite_add_tcase (s, tc);
  return s;
}


/* Two homes; home_a has an unprotected key, exported for the tests.  */
static void
setup (void)
{
  char path[128];
  const char *exp[] = { "--output", path, "--export-secret-keys", NULL };

  ckrun_init_gcrypt (1 << 20);
  TH_SETUP (plugin_load_dir (NULL, &plugins));
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_home_create (&home_b));
  TH_SETUP (th_genkey (&home_a, "alice@example.org", "ed25519", NULL,
                       fpr_a));
  snprintf (path, sizeof path, "%s/exported", home_a.dir);
  if (run_gpg (&home_a, exp, NULL))
    TH_SETUP (gpg_error (GPG_ERR_NO_SECKEY));
  TH_SETUP (th_read_file (path, &seckey, &seckeylen));
}


int
main (void)
{
  return th_main (setup, openpgp_suite);
}
