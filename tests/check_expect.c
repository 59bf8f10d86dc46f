/* check_expect.c - NAME.pub.asc beside every export; PACK_IMPORT
 * --expect/--expect-file and their CLI with real gpg
 *
 * Home K exports: Alice and Bob (ed25519 with a cv25519 subkey, no
 * passphrase) and Pat (the same, protected).  Home I imports, with an
 * empty keyring at first.  The export of Alice and Bob is made in the
 * setup by the real daemon; a pack whose secret key was swapped for
 * another key's under the same public key, and a pack of Pat's
 * protected key, are built here from gpg's exports and sealed by the
 * native plugin, as gpgpackd seals them.  Every refusal leaves home
 * I's keyring as it was.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <sys/stat.h>
#include <gpgme.h>
#include <gcrypt.h>
#include <check.h>

#include "ckrun.h"
#include "clirun.h"
#include "packbuf.h"
#include "pgppacket.h"

#define PAT_PASS "pat pass"

static th_home_t home_k, home_i;
static char fpr_alice[41], fpr_bob[41], fpr_pat[41];
static char outdir[128];         /* home K's export of Alice and Bob  */


/* --- making packs ---------------------------------------------------- */

/* "OUTDIR/NAME" in one of clirun's static buffers.  */
static const char *
out_file (const char *name)
{
  return clirun_path (outdir, name);
}

/* GPGME passphrase callback: the passphrase OPAQUE.  */
static gpg_error_t
passphrase_cb (void *opaque, const char *uid_hint, const char *info,
               int prev_was_bad, int fd)
{
  const char *pass = opaque;

  (void)uid_hint; (void)info;
  if (prev_was_bad)
    return gpg_error (GPG_ERR_BAD_PASSPHRASE);
  gpgme_io_writen (fd, pass, strlen (pass));
  gpgme_io_writen (fd, "\n", 1);
  return 0;
}

/* gpg's binary export of the secret key FPR from HOME (PASSPHRASE:
 * loopback) into R_BUF/R_LEN (malloced).  */
static gpg_error_t
export_secret (th_home_t *home, const char *fpr, const char *passphrase,
               char **r_buf, size_t *r_len)
{
  gpgme_ctx_t ctx = NULL;
  gpgme_data_t data = NULL;
  gpg_error_t err;

  *r_buf = NULL;
  err = gpgme_new (&ctx);
  if (!err)
    err = gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_OpenPGP, NULL,
                                     home->dir);
  if (!err)
    err = gpgme_data_new (&data);
  if (!err)
    {
      gpgme_set_pinentry_mode (ctx, GPGME_PINENTRY_MODE_LOOPBACK);
      gpgme_set_passphrase_cb (ctx, passphrase_cb, (void *)passphrase);
      err = gpgme_op_export (ctx, fpr, GPGME_EXPORT_MODE_SECRET, data);
    }
  if (data)
    *r_buf = gpgme_data_release_and_get_mem (data, r_len);
  if (!err && (!*r_buf || !*r_len))
    err = gpg_error (GPG_ERR_NO_DATA);
  gpgme_release (ctx);
  return err;
}

/* Seal DATA/LEN with the native plugin as OUTDIR/NAME.gpgpack and
 * its key file OUTDIR/NAME.key.  */
static gpg_error_t
seal_pack (const char *name, const void *data, size_t len)
{
  gpgpack_seal_params_t params;
  gpgpack_blob_t key = { NULL };
  packbuf_t pack = { NULL };
  char file[64];
  gpg_error_t err;

  memset (&params, 0, sizeof params);
  err = packbuf_seal (packbuf_native (), &params, data, len, 0, &pack, &key);
  snprintf (file, sizeof file, "%s.gpgpack", name);
  if (!err)
    err = th_write_file (out_file (file), pack.data, pack.len);
  snprintf (file, sizeof file, "%s.key", name);
  if (!err)
    err = th_write_file (out_file (file), key.data, key.len);
  packbuf_free (&pack);
  packbuf_blob_free (&key);
  return err;
}

/* Append to OUT a new-format packet header of TAG for LEN bytes.  */
static void
put_header (packbuf_t *out, int tag, size_t len)
{
  unsigned char h[6] = { 0xc0 | tag, 0xff, len >> 24, len >> 16, len >> 8,
                         len };

  packbuf_append (out, h, sizeof h);
}

/* Where the NTH (from 0) secret key or subkey packet of a key block
 * is: its header at START, body at BODY (LEN bytes), public part
 * PUBLEN bytes of it.  */
typedef struct secret_packet
{
  size_t start, body, len, publen;
} secret_packet_t;

/* Find the NTH secret key or subkey packet of BLOCK/LEN at R_PKT.  */
static gpg_error_t
nth_secret (const char *block, size_t len, int nth, secret_packet_t *r_pkt)
{
  const unsigned char *buf = (const unsigned char *)block;
  size_t off = 0, start;
  pgp_pubkey_t key;
  int tag;

  while (off < len)
    {
      start = off;
      if (pgp_packet_header (buf, len, &off, &tag, &r_pkt->len))
        break;
      if ((tag == 5 || tag == 7) && !nth--)
        {
          r_pkt->start = start;
          r_pkt->body = off;
          if (pgp_v4_public (buf + off, r_pkt->len, &key))
            break;
          r_pkt->publen = key.publen;
          return 0;
        }
      off += r_pkt->len;
    }
  return gpg_error (GPG_ERR_INV_PACKET);
}

/* Seal as OUTDIR/NAME.gpgpack Alice's exported key in which the NTH
 * secret key packet (0 the primary, 1 the subkey) keeps its public
 * part and gets the secret part of Bob's NTH one.  */
static gpg_error_t
make_swapped (const char *name, int nth)
{
  char *alice = NULL, *bob = NULL;
  size_t alen = 0, blen = 0;
  secret_packet_t a, b;
  packbuf_t out = { NULL };
  gpg_error_t err;

  err = export_secret (&home_k, fpr_alice, "", &alice, &alen);
  if (!err)
    err = export_secret (&home_k, fpr_bob, "", &bob, &blen);
  if (!err)
    err = nth_secret (alice, alen, nth, &a);
  if (!err)
    err = nth_secret (bob, blen, nth, &b);
  if (!err)
    {
      packbuf_append (&out, alice, a.start);
      put_header (&out, nth ? 7 : 5, a.publen + b.len - b.publen);
      packbuf_append (&out, alice + a.body, a.publen);
      packbuf_append (&out, bob + b.body + b.publen, b.len - b.publen);
      packbuf_append (&out, alice + a.body + a.len, alen - a.body - a.len);
      err = seal_pack (name, out.data, out.len);
    }
  packbuf_free (&out);
  gpgme_free (alice);
  gpgme_free (bob);
  return err;
}

/* Seal as OUTDIR/pat.gpgpack Pat's key as gpg exports it: its secret
 * parts in their OpenPGP passphrase protection.  */
static gpg_error_t
make_protected (void)
{
  char *data = NULL;
  size_t len = 0;
  gpg_error_t err;

  err = export_secret (&home_k, fpr_pat, PAT_PASS, &data, &len);
  if (!err)
    err = seal_pack ("pat", data, len);
  gpgme_free (data);
  return err;
}

/* Run COMMAND (a printf format) on HOME's daemon into REPLY.  */
static gpg_error_t
command (th_home_t *home, th_reply_t *reply, const char *format, ...)
{
  va_list ap;
  char *line;
  gpg_error_t err;

  va_start (ap, format);
  line = gpgrt_vbsprintf (format, ap);
  va_end (ap);
  if (!line)
    return gpg_error_from_syserror ();
  err = th_command (home, 0, line, NULL, reply);
  gpgrt_free (line);
  return err;
}

static void
setup_fixture (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_k));
  TH_SETUP (th_home_create (&home_i));
  TH_SETUP (th_genkey (&home_k, "Alice <alice@example.org>", "ed25519",
                       NULL, fpr_alice));
  TH_SETUP (th_genkey (&home_k, "Bob <bob@example.org>", "ed25519", NULL,
                       fpr_bob));
  TH_SETUP (th_genkey (&home_k, "Pat <pat@example.org>", "ed25519",
                       PAT_PASS, fpr_pat));
  TH_SETUP (th_new_outdir (&home_k, outdir));
  TH_SETUP (th_daemon_start (&home_k));
  TH_SETUP (th_daemon_start (&home_i));
  TH_SETUP (command (&home_k, NULL, "PACK_EXPORT --secret --output-dir=%s"
                     " --name=ab -- %s %s", outdir, fpr_alice, fpr_bob));
  TH_SETUP (command (&home_k, NULL, "PACK_EXPORT --secret --output-dir=%s"
                     " --name=a -- %s", outdir, fpr_alice));
  TH_SETUP (make_swapped ("swap0", 0));
  TH_SETUP (make_swapped ("swap1", 1));
  TH_SETUP (make_protected ());
}


/* --- checks ---------------------------------------------------------- */

/* "PACK_IMPORT --key-file=OUTDIR/NAME.key OPTS -- OUTDIR/NAME.gpgpack"
 * into home I, by gpg-connect-agent, must fail with CODE and a text
 * holding TEXT; the keyring stays as it was.  */
static void
import_refused (const char *name, const char *opts, gpg_err_code_t code,
                const char *text)
{
  char *before = th_keyring_state (&home_i), *after, *script, *out = NULL;
  char key[64], pack[64];
  gpg_err_code_t got;

  snprintf (key, sizeof key, "%s.key", name);
  snprintf (pack, sizeof pack, "%s.gpgpack", name);
  script = gpgrt_bsprintf ("PACK_IMPORT --key-file=%s %s -- %s\n",
                           out_file (key), opts, out_file (pack));
  ck_assert_ptr_nonnull (script);
  ck_assert_int_eq (th_gca (&home_i, script, &out), 0);
  th_unescape (out);
  got = th_gca_errcode (out);
  ck_assert_msg (got == code, "%s: want %s, got %s in:\n%s", script,
                 gpg_strerror (gpg_error (code)),
                 gpg_strerror (gpg_error (got)), out);
  ck_assert_msg (strstr (out, text), "no '%s' in:\n%s", text, out);
  after = th_keyring_state (&home_i);
  ck_assert_str_eq (before, after);
  gpgrt_free (script);
  gpgrt_free (before);
  gpgrt_free (after);
  free (out);
}

/* PACK_IMPORT of OUTDIR/NAME.gpgpack into home I with OPTS must
 * succeed; its reply to REPLY.  */
static void
import_ok (const char *name, const char *opts, th_reply_t *reply)
{
  char key[64], pack[64];
  gpg_error_t err;

  snprintf (key, sizeof key, "%s.key", name);
  snprintf (pack, sizeof pack, "%s.gpgpack", name);
  err = command (&home_i, reply, "PACK_IMPORT --key-file=%s %s -- %s",
                 out_file (key), opts, out_file (pack));
  ck_assert_msg (!err, "import %s %s: %s", name, opts, gpg_strerror (err));
}

/* Assert that status KEYWORD of REPLY is ARGS, once.  */
static void
assert_status (const th_reply_t *reply, const char *keyword,
               const char *args)
{
  char *got = th_status_get (reply->status, keyword, 0);

  ck_assert_msg (got && !strcmp (got, args), "%s: want '%s', got '%s'",
                 keyword, args, got ? got : "(none)");
  ck_assert_int_eq (th_status_count (reply->status, keyword), 1);
  free (got);
}

/* The export's public-keys file is what gpg --export --armor gives for
 * the keys, mode 0600, beside the pack and key file; it imports
 * cleanly in another home, without any secret part.  */
START_TEST (test_pubkeys_file)
{
  const char *argv[] = { th_prog ("GPG", "gpg"), "--homedir", home_k.dir,
                         "--batch", "--export", "--armor", fpr_alice,
                         fpr_bob, NULL };
  char *want = NULL, *got = NULL, *fprs, *expect, dir[128];
  th_home_t other;
  th_reply_t reply;
  struct stat st;
  size_t len;

  ck_assert_int_eq (th_new_outdir (&home_k, dir), 0);
  ck_assert_int_eq (command (&home_k, &reply, "PACK_EXPORT --secret"
                             " --output-dir=%s --name=p -- %s %s", dir,
                             fpr_alice, fpr_bob), 0);
  assert_status (&reply, "PUBKEYS", clirun_path (dir, "p.pub.asc"));
  th_reply_free (&reply);
  ck_assert_int_eq (th_dir_entries (dir), 3);
  ck_assert_int_eq (th_read_file (clirun_path (dir, "p.pub.asc"), &got,
                                  &len), 0);
  ck_assert_int_eq (th_run (argv, NULL, &want, NULL), 0);
  ck_assert_str_eq (got, want);
  ck_assert_int_eq (stat (clirun_path (dir, "p.pub.asc"), &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);

  ck_assert_int_eq (th_home_create (&other), 0);
  ck_assert_int_eq (th_copy_key (&home_k, &other, fpr_pat, 0), 0);
  {
    const char *imp[] = { th_prog ("GPG", "gpg"), "--homedir", other.dir,
                          "--batch", "--import",
                          clirun_path (dir, "p.pub.asc"), NULL };

    ck_assert_int_eq (th_run (imp, NULL, NULL, NULL), 0);
  }
  fprs = th_list_fprs (&other, 0);
  expect = gpgrt_bsprintf ("%s\n%s\n%s", fpr_alice, fpr_bob, fpr_pat);
  ck_assert_ptr_nonnull (fprs);
  ck_assert_msg (strstr (fprs, fpr_alice) && strstr (fprs, fpr_bob),
                 "imported %s", fprs);
  free (fprs);
  fprs = th_list_fprs (&other, 1);
  ck_assert_str_eq (fprs, "");
  free (fprs);
  gpgrt_free (expect);
  th_home_destroy (&other);
  free (want);
  free (got);
}
END_TEST

/* Other formats and share mode write it too; streamed, there is none. */
START_TEST (test_pubkeys_modes)
{
  static const char *const modes[] = {
    "--format=openpgp", "--format=gfe1",
    "--shares=2 --threshold=2 --allow-same-custodian"
  };
  char dir[128], *opts;
  th_reply_t reply;
  int i;

  for (i = 0; i < 3; i++)
    {
      opts = gpgrt_bsprintf ("%s%s%s%s%s", modes[i],
                             i == 2 ? " --wrap-key=" : "",
                             i == 2 ? fpr_bob : "",
                             i == 2 ? " --wrap-key=" : "",
                             i == 2 ? fpr_bob : "");
      ck_assert_ptr_nonnull (opts);
      ck_assert_int_eq (th_new_outdir (&home_k, dir), 0);
      ck_assert_int_eq (command (&home_k, &reply, "PACK_EXPORT --secret"
                                 " --output-dir=%s --name=m %s -- %s", dir,
                                 opts, fpr_alice), 0);
      assert_status (&reply, "PUBKEYS", clirun_path (dir, "m.pub.asc"));
      th_reply_free (&reply);
      gpgrt_free (opts);
    }
  ck_assert_int_eq (command (&home_k, &reply, "PACK_EXPORT -- %s",
                             fpr_alice), 0);
  ck_assert_int_eq (th_status_count (reply.status, "PUBKEYS"), 0);
  ck_assert_uint_gt (reply.datalen, 0);
  th_reply_free (&reply);
}
END_TEST

/* A public-keys file in the way stops the export before anything is
 * written; a later failure leaves no file either.  */
START_TEST (test_pubkeys_atomic)
{
  char dir[128];
  gpg_error_t err;

  ck_assert_int_eq (th_new_outdir (&home_k, dir), 0);
  ck_assert_int_eq (th_write_file (clirun_path (dir, "x.pub.asc"), "x", 1),
                    0);
  err = command (&home_k, NULL, "PACK_EXPORT --output-dir=%s --name=x"
                 " -- %s", dir, fpr_alice);
  ck_assert_int_eq (gpg_err_code (err), GPG_ERR_EEXIST);
  ck_assert_int_eq (th_dir_entries (dir), 1);
  ck_assert_int_eq (th_new_outdir (&home_k, dir), 0);
  err = command (&home_k, NULL, "PACK_EXPORT --output-dir=%s --name=y"
                 " -- %s nobody@example.org", dir, fpr_alice);
  ck_assert_int_eq (gpg_err_code (err), GPG_ERR_NOT_FOUND);
  ck_assert_int_eq (th_dir_entries (dir), 0);
}
END_TEST

/* The right keys by fingerprint (either case): checked, imported.  */
START_TEST (test_expect_right)
{
  th_reply_t reply;
  char *opts, *lower = strdup (fpr_bob), *p, *fprs;

  for (p = lower; *p; p++)
    *p = tolower ((unsigned char)*p);
  opts = gpgrt_bsprintf ("--expect=%s --expect=0x%s", fpr_alice, lower);
  import_ok ("ab", opts, &reply);
  assert_status (&reply, "EXPECT_OK", "2 4 0");
  ck_assert_int_eq (th_status_count (reply.status, "EXPECT_UNCHECKED"), 0);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORT_OK"), 2);
  th_reply_free (&reply);
  fprs = th_list_fprs (&home_i, 1);
  ck_assert_msg (strstr (fprs, fpr_alice) && strstr (fprs, fpr_bob),
                 "secret keys %s", fprs);
  free (fprs);
  gpgrt_free (opts);
  free (lower);
}
END_TEST

/* The public-keys file of the export, with --dry-run: checked first.  */
START_TEST (test_expect_file_right)
{
  th_reply_t reply;
  char *opts = gpgrt_bsprintf ("--dry-run --expect-file=%s",
                               out_file ("ab.pub.asc"));

  import_ok ("ab", opts, &reply);
  assert_status (&reply, "EXPECT_OK", "2 4 0");
  ck_assert_int_eq (th_status_count (reply.status, "IMPORT_CANDIDATE"), 2);
  th_reply_free (&reply);
  gpgrt_free (opts);
}
END_TEST

START_TEST (test_expect_missing)
{
  char *opts = gpgrt_bsprintf ("--expect=%s --expect=%s --expect=%s",
                               fpr_alice, fpr_bob, fpr_pat);
  char *text = gpgrt_bsprintf ("the pack lacks the expected key %s;",
                               fpr_pat);

  import_refused ("ab", opts, GPG_ERR_NO_KEY, text);
  gpgrt_free (opts);
  gpgrt_free (text);
  opts = gpgrt_bsprintf ("--expect-file=%s", out_file ("ab.pub.asc"));
  text = gpgrt_bsprintf ("the pack lacks the expected key %s;", fpr_bob);
  import_refused ("a", opts, GPG_ERR_NO_KEY, text);
  gpgrt_free (opts);
  gpgrt_free (text);
}
END_TEST

START_TEST (test_expect_extra)
{
  char *opts = gpgrt_bsprintf ("--expect=%s", fpr_alice);
  char *text = gpgrt_bsprintf ("the pack holds the key %s, which is not"
                               " expected; nothing imported", fpr_bob);

  import_refused ("ab", opts, GPG_ERR_UNEXPECTED_MSG, text);
  gpgrt_free (opts);
  opts = gpgrt_bsprintf ("--expect-file=%s", out_file ("a.pub.asc"));
  import_refused ("ab", opts, GPG_ERR_UNEXPECTED_MSG, text);
  gpgrt_free (opts);
  gpgrt_free (text);
}
END_TEST

/* Bad --expect and --expect-file values, each with its own error.  */
START_TEST (test_expect_bad_args)
{
  char *opts;

  import_refused ("ab", "--expect=alice@example.org", GPG_ERR_INV_USER_ID,
                  "--expect 'alice@example.org' is not a fingerprint");
  import_refused ("ab", "--expect=0xDEADBEEF", GPG_ERR_INV_USER_ID,
                  "is not a fingerprint");
  opts = gpgrt_bsprintf ("--expect-file=%s", out_file ("none.asc"));
  import_refused ("ab", opts, GPG_ERR_ENOENT, "can't open");
  gpgrt_free (opts);
  opts = gpgrt_bsprintf ("--expect-file=%s", out_file ("ab.key"));
  import_refused ("ab", opts, GPG_ERR_NO_DATA, "is not an OpenPGP key file");
  gpgrt_free (opts);
}
END_TEST

/* Alice's public key with Bob's secret primary key (_i 0) or secret
 * subkey (_i 1): refused, naming the key, whichever way the keys are
 * expected.  */
START_TEST (test_swapped_secret)
{
  char *opts = gpgrt_bsprintf ("--expect=%s", fpr_alice);
  char *text = gpgrt_bsprintf ("(primary key %s) does not belong to its"
                               " public key", fpr_alice);
  char *named = gpgrt_bsprintf ("the secret part of key %s ", fpr_alice);
  const char *name = _i ? "swap1" : "swap0";

  import_refused (name, opts, GPG_ERR_BAD_SECKEY, text);
  if (!_i)
    import_refused (name, opts, GPG_ERR_BAD_SECKEY, named);
  gpgrt_free (opts);
  opts = gpgrt_bsprintf ("--dry-run --expect-file=%s",
                         out_file ("a.pub.asc"));
  import_refused (name, opts, GPG_ERR_BAD_SECKEY, text);
  gpgrt_free (opts);
  gpgrt_free (text);
  gpgrt_free (named);
}
END_TEST

/* A protected key can't be checked: said per secret part, imported.  */
START_TEST (test_protected_unchecked)
{
  char *opts = gpgrt_bsprintf ("--expect=%s", fpr_pat);
  char *line = gpgrt_bsprintf ("%s protected", fpr_pat);
  th_reply_t reply;

  import_ok ("pat", opts, &reply);
  assert_status (&reply, "EXPECT_OK", "1 0 2");
  ck_assert_int_eq (th_status_count (reply.status, "EXPECT_UNCHECKED"), 2);
  ck_assert_ptr_nonnull (strstr (reply.status, line));
  ck_assert_int_eq (th_status_count (reply.status, "IMPORT_OK"), 1);
  th_reply_free (&reply);
  gpgrt_free (opts);
  gpgrt_free (line);
}
END_TEST

/* gpgpack export names the file; gpgpack import --expect[-file] says
 * what was checked and fails on a wrong key with one line.  */
START_TEST (test_cli)
{
  char dir[128], *out = NULL, *err = NULL;
  int rc;

  ck_assert_int_eq (th_new_outdir (&home_k, dir), 0);
  rc = clirun (&home_k, NULL, &out, NULL, "export", "-o", dir, "--name",
               "cli", fpr_alice, NULL);
  ck_assert_int_eq (rc, 0);
  ck_assert_msg (strstr (out, clirun_path (dir, "cli.pub.asc"))
                 && strstr (out, "pub keys: "), "output:\n%s", out);
  free (out);

  rc = clirun (&home_i, NULL, NULL, &err, "import", "--dry-run",
               "--expect-file", out_file ("ab.pub.asc"),
               out_file ("ab.gpgpack"), NULL);
  ck_assert_int_eq (rc, 0);
  ck_assert_msg (strstr (err, "the pack holds exactly the expected keys"),
                 "stderr:\n%s", err);
  free (err);

  rc = clirun (&home_i, NULL, NULL, &err, "import", "--expect", fpr_alice,
               out_file ("ab.gpgpack"), NULL);
  ck_assert_int_eq (rc, 1);
  ck_assert_msg (strstr (err, "which is not expected"), "stderr:\n%s", err);
  ck_assert_ptr_nonnull (strstr (err, "Unexpected message"));
  free (err);

  rc = clirun (&home_i, NULL, NULL, &err, "import", "--dry-run", "--expect",
               fpr_pat, out_file ("pat.gpgpack"), NULL);
  ck_assert_int_eq (rc, 0);
  ck_assert_msg (strstr (err, "not checked against its public key"
                         " (protected by a passphrase)"), "stderr:\n%s", err);
  free (err);
}
END_TEST

static Suite *
expect_suite (void)
{
  Suite *s = suite_create ("expect");
  TCase *tc = tcase_create ("expect");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_pubkeys_file);
  tcase_add_test (tc, test_pubkeys_modes);
  tcase_add_test (tc, test_pubkeys_atomic);
  tcase_add_test (tc, test_expect_bad_args);
  tcase_add_test (tc, test_expect_missing);
  tcase_add_test (tc, test_expect_extra);
  tcase_add_loop_test (tc, test_swapped_secret, 0, 2);
  tcase_add_test (tc, test_expect_file_right);
  tcase_add_test (tc, test_expect_right);
  tcase_add_test (tc, test_protected_unchecked);
  tcase_add_test (tc, test_cli);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return clirun_main ("check_expect", setup_fixture, expect_suite);
}
