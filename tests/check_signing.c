/* check_signing.c - signed packs with real gpg: --sign-key, --verify-key
 *
 * Home S exports its key O, signed by G (or H, or the protected P whose
 * passphrase the recording pinentry-record.sh gives), as a key-file
 * pack and as 2-of-3 shares to custodians C1..C3.  Stock gpg checks the
 * detached signature and shows the custodians a good signature on
 * their shares.  Home I (the custodians' secret keys, the signers'
 * public keys) imports with --verify-key: a valid signature, none, a
 * bad one (the pack flipped after signing), one by another key, one by
 * an expired key (E, made in 2020 with gpg's --faked-system-time, its
 * signature too), unsigned shares.  Every refusal has its own error and
 * leaves the keyring byte-identical.  Homes Q and K hold the policy
 * rules require-signature and sign-key.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <check.h>

#include "harness.h"

#define PIN_PASS     "signer pass P"
#define TEST_TIMEOUT 120
/* E is made, and signs, in the past; it expired the day after.  */
#define PAST         "20200101T000000"
#define PAST_LATER   "20200101T000100"

static th_home_t home_s;           /* exporter: O, G, H, P, E */
static th_home_t home_i;           /* importer: C1..C3, G H E public */
static th_home_t home_q;           /* require-signature G */
static th_home_t home_k;           /* sign-key G2 */
static char fpr_o[41], fpr_g[41], fpr_h[41], fpr_p[41], fpr_e[41];
static char fpr_c[3][41], fpr_ko[41], fpr_g2[41];
static char outdir[128];


/* --- helpers ------------------------------------------------------ */

/* "OUTDIR/NAME" (th_path).  */
static const char *
out (const char *name)
{
  return th_path (outdir, name);
}

/* Assert that gpg's STATUS (of WHAT) shows a good signature by FPR.  */
static void
assert_good_sig (const char *status, const char *fpr, const char *what)
{
  char *want = gpgrt_bsprintf ("VALIDSIG %s", fpr);

  ck_assert_ptr_nonnull (want);
  ck_assert_msg (strstr (status, "GOODSIG") && strstr (status, want),
                 "%s: want a good signature by %s in:\n%s", what, fpr,
                 status);
  gpgrt_free (want);
}

/* Run stock gpg in HOME with the NULL-terminated ARGS; its status
 * lines (--status-fd 1) to R_STATUS unless NULL.  Return its exit
 * status.  */
static int
gpg (th_home_t *home, char **r_status, ...)
{
  const char *argv[24] = { th_prog ("GPG", "gpg"), "--homedir", home->dir,
                           "--batch", "--status-fd", "1" };
  int argc = 6;
  va_list ap;

  va_start (ap, r_status);
  while (argc < 23 && (argv[argc] = va_arg (ap, const char *)))
    argc++;
  va_end (ap);
  argv[argc] = NULL;
  return th_run (argv, NULL, r_status, NULL);
}

/* Copy the file FROM to TO, flipping byte FLIP (-1: none).  */
static gpg_error_t
copy_file (const char *from, const char *to, long flip)
{
  char *buf;
  size_t len;
  gpg_error_t err = th_read_file (from, &buf, &len);

  if (err)
    return err;
  if (flip >= 0 && (size_t) flip < len)
    buf[flip] ^= 0x01;
  err = th_write_file (to, buf, len);
  free (buf);
  return err;
}

/* PACK_EXPORT --secret of O from home S to DIR as NAME with the
 * options OPTS; the reply to R_REPLY unless NULL.  */
static gpg_error_t
export (const char *dir, const char *name, const char *opts,
        th_reply_t *r_reply)
{
  char *cmd = gpgrt_bsprintf ("PACK_EXPORT --secret --output-dir=%s"
                              " --name=%s %s -- %s", dir, name,
                              opts, fpr_o);
  gpg_error_t err;

  if (!cmd)
    return gpg_error_from_syserror ();
  err = th_command (&home_s, 1, cmd, NULL, r_reply);
  gpgrt_free (cmd);
  return err;
}

/* Run the command CMD (printf-style) with gpg-connect-agent on HOME's
 * daemon: it must fail with CODE and a text holding TEXT, and HOME's
 * keyring stay byte-identical.  */
static void
must_fail (th_home_t *home, gpg_err_code_t code, const char *text,
           const char *cmdfmt, ...)
{
  char *before = th_keyring_state (home), *after, *cmd, *script, *output;
  va_list ap;

  va_start (ap, cmdfmt);
  cmd = gpgrt_vbsprintf (cmdfmt, ap);
  va_end (ap);
  script = cmd ? gpgrt_bsprintf ("/definqfile SIGNATURE /dev/null\n"
                                 "/definqfile PACK %s\n%s\n",
                                 out ("a.gpgpack"), cmd) : NULL;
  ck_assert_ptr_nonnull (script);
  ck_assert_ptr_nonnull (before);
  ck_assert_int_eq (th_gca (home, script, &output), 0);
  th_unescape (output);
  ck_assert_msg (th_gca_errcode (output) == code, "%s: want %s in:\n%s",
                 cmd, gpg_strerror (gpg_error (code)), output);
  ck_assert_msg (strstr (output, text), "%s: no '%s' in:\n%s", cmd, text,
                 output);
  after = th_keyring_state (home);
  ck_assert_ptr_nonnull (after);
  ck_assert_str_eq (before, after);
  free (before);
  free (after);
  free (output);
  gpgrt_free (script);
  gpgrt_free (cmd);
}

/* The args of status KEYWORD in REPLY, which must have it.  */
static char *
status_of (const th_reply_t *reply, const char *keyword)
{
  char *args = th_status_get (reply->status, keyword, 0);

  ck_assert_msg (args != NULL, "no %s in:\n%s", keyword, reply->status);
  return args;
}


/* --- setup -------------------------------------------------------- */

/* Home S's gpg-agent runs the recording pinentry answering PIN_PASS.  */
static gpg_error_t
use_recording_pinentry (th_home_t *home)
{
  char script[PATH_MAX], link[256], *conf, *name;
  const char *srcdir = getenv ("srcdir");
  gpg_error_t err = 0;

  name = gpgrt_bsprintf ("%s/pinentry-record.sh", srcdir ? srcdir : ".");
  if (!name || !realpath (name, script))
    err = gpg_error_from_syserror ();
  gpgrt_free (name);
  snprintf (link, sizeof link, "%s/pinentry", home->dir);
  if (!err && symlink (script, link))
    err = gpg_error_from_syserror ();
  conf = gpgrt_bsprintf ("pinentry-program %s\nallow-loopback-pinentry\n"
                         "default-cache-ttl 0\nmax-cache-ttl 0\n", link);
  if (!err && !conf)
    err = gpg_error_from_syserror ();
  if (!err)
    err = th_home_write (home, "gpg-agent.conf", conf);
  gpgrt_free (conf);
  if (!err)
    err = th_home_write (home, "pinentry.pass", PIN_PASS "\n");
  return err;
}

/* E: a signing key made in home S on PAST that expired a day later;
 * its fingerprint from the colon listing.  */
static gpg_error_t
make_expired_key (void)
{
  char *status = NULL, *p;
  int rc;

  rc = gpg (&home_s, NULL, "--passphrase", "", "--pinentry-mode", "loopback",
            "--faked-system-time", PAST, "--quick-gen-key",
            "Expired Signer <e@example.org>", "ed25519", "sign", "1d", NULL);
  if (!rc)
    rc = gpg (&home_s, &status, "--with-colons", "--list-keys",
              "e@example.org", NULL);
  p = status ? strstr (status, "\nfpr:") : NULL;
  if (rc || !p || sscanf (p, "\nfpr:::::::::%40[0-9A-F]:", fpr_e) != 1)
    rc = 1;
  free (status);
  return rc ? gpg_error (GPG_ERR_GENERAL) : 0;
}

static void
setup_keys (void)
{
  int i;

  TH_SETUP (th_home_create (&home_s));
  TH_SETUP (use_recording_pinentry (&home_s));
  TH_SETUP (th_genkey (&home_s, "Owner <o@example.org>", "ed25519", NULL,
                       fpr_o));
  TH_SETUP (th_genkey (&home_s, "Signer G <g@example.org>", "ed25519", NULL,
                       fpr_g));
  TH_SETUP (th_genkey (&home_s, "Signer H <h@example.org>", "ed25519", NULL,
                       fpr_h));
  TH_SETUP (th_genkey (&home_s, "Signer P <p@example.org>", "ed25519",
                       PIN_PASS, fpr_p));
  TH_SETUP (make_expired_key ());
  TH_SETUP (th_home_create (&home_i));
  for (i = 0; i < 3; i++)
    {
      char uid[64];

      snprintf (uid, sizeof uid, "Custodian %d <c%d@example.org>", i + 1,
                i + 1);
      TH_SETUP (th_genkey (&home_i, uid, "ed25519", NULL, fpr_c[i]));
      TH_SETUP (th_copy_key (&home_i, &home_s, fpr_c[i], 0));
    }
  TH_SETUP (th_copy_key (&home_s, &home_i, fpr_g, 0));
  TH_SETUP (th_copy_key (&home_s, &home_i, fpr_h, 0));
  TH_SETUP (th_copy_key (&home_s, &home_i, fpr_e, 0));
  TH_SETUP (th_home_create (&home_q));
  TH_SETUP (th_copy_key (&home_s, &home_q, fpr_g, 0));
  TH_SETUP (th_copy_key (&home_s, &home_q, fpr_h, 0));
  TH_SETUP (th_home_create (&home_k));
  TH_SETUP (th_genkey (&home_k, "K Owner <k@example.org>", "ed25519", NULL,
                       fpr_ko));
  TH_SETUP (th_genkey (&home_k, "Signer G2 <g2@example.org>", "ed25519",
                       NULL, fpr_g2));
}

/* The packs the tests read, in OUTDIR: a (signed by G), u (unsigned),
 * h (by H), f (a flipped after signing), e (u signed by the expired
 * E), s (2-of-3 shares, signed by G), su (unsigned shares, the pack
 * signed by G with stock gpg).  */
static void
setup_packs (void)
{
  char opts[512];

  snprintf (outdir, sizeof outdir, "%s/out", home_s.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  snprintf (opts, sizeof opts, "--sign-key=%s", fpr_g);
  TH_SETUP (export (outdir, "a", opts, NULL));
  TH_SETUP (export (outdir, "u", "", NULL));
  snprintf (opts, sizeof opts, "--sign-key=%s", fpr_h);
  TH_SETUP (export (outdir, "h", opts, NULL));
  TH_SETUP (copy_file (out ("a.gpgpack"), out ("f.gpgpack"), 200));
  TH_SETUP (copy_file (out ("a.gpgpack.sig"), out ("f.gpgpack.sig"), -1));
  TH_SETUP (copy_file (out ("a.key"), out ("f.key"), -1));
  TH_SETUP (copy_file (out ("u.gpgpack"), out ("e.gpgpack"), -1));
  TH_SETUP (copy_file (out ("u.key"), out ("e.key"), -1));
  TH_SETUP (gpg (&home_s, NULL, "--faked-system-time", PAST_LATER,
                 "--local-user", fpr_e, "--armor", "--output",
                 out ("e.gpgpack.sig"), "--detach-sign", out ("e.gpgpack"),
                 NULL) ? gpg_error (GPG_ERR_GENERAL) : 0);
  snprintf (opts, sizeof opts, "--sign-key=%s --shares=3 --threshold=2"
            " --wrap-key=%s --wrap-key=%s --wrap-key=%s", fpr_g, fpr_c[0],
            fpr_c[1], fpr_c[2]);
  TH_SETUP (export (outdir, "s", opts, NULL));
  snprintf (opts, sizeof opts, "--shares=3 --threshold=2 --wrap-key=%s"
            " --wrap-key=%s --wrap-key=%s", fpr_c[0], fpr_c[1], fpr_c[2]);
  TH_SETUP (export (outdir, "su", opts, NULL));
  TH_SETUP (gpg (&home_s, NULL, "--local-user", fpr_g, "--armor", "--output",
                 out ("su.gpgpack.sig"), "--detach-sign", out ("su.gpgpack"),
                 NULL) ? gpg_error (GPG_ERR_GENERAL) : 0);
}

static void
setup_fixture (void)
{
  char conf[128];

  TH_SETUP (th_init ());
  setup_keys ();
  setup_packs ();
  snprintf (conf, sizeof conf, "require-signature %s\n", fpr_g);
  TH_SETUP (th_home_write (&home_q, "gpgpackd.conf", conf));
  snprintf (conf, sizeof conf, "sign-key %s\n", fpr_g2);
  TH_SETUP (th_home_write (&home_k, "gpgpackd.conf", conf));
  TH_SETUP (th_daemon_start (&home_s));
  TH_SETUP (th_daemon_start (&home_i));
  TH_SETUP (th_daemon_start (&home_q));
  TH_SETUP (th_daemon_start (&home_k));
}


/* --- signing ------------------------------------------------------ */

/* Stock gpg verifies the .sig of a signed export, made by G.  */
START_TEST (test_gpg_verifies)
{
  char *status;

  ck_assert_int_eq (gpg (&home_i, &status, "--verify", out ("a.gpgpack.sig"),
                         out ("a.gpgpack"), NULL), 0);
  assert_good_sig (status, fpr_g, "a.gpgpack.sig");
  free (status);
  ck_assert_int_ne (gpg (&home_i, NULL, "--verify", out ("f.gpgpack.sig"),
                         out ("f.gpgpack"), NULL), 0);
}
END_TEST

/* The export says SIGNED <fpr> <sigpath> for the pack and for the
 * public keys, and writes the five files; stock gpg verifies the
 * public keys' signature, and still imports them.  */
START_TEST (test_signed_status)
{
  char opts[128], dir[128], *args, *want, *status;
  th_reply_t reply;
  th_home_t fresh;
  int i;

  TH_SETUP (th_new_outdir (&home_s, dir));
  snprintf (opts, sizeof opts, "--sign-key=%s", fpr_g);
  ck_assert_int_eq (export (dir, "n", opts, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "SIGNED"), 2);
  for (i = 0; i < 2; i++)
    {
      args = th_status_get (reply.status, "SIGNED", i);
      want = gpgrt_bsprintf ("%s %s/n.%s.sig", fpr_g, dir,
                             i ? "pub.asc" : "gpgpack");
      ck_assert_str_eq (args, want);
      free (args);
      gpgrt_free (want);
    }
  ck_assert_int_eq (th_dir_entries (dir), 5);
  th_reply_free (&reply);
  ck_assert_int_eq (gpg (&home_i, &status, "--verify",
                         th_path (dir, "n.pub.asc.sig"),
                         th_path (dir, "n.pub.asc"), NULL), 0);
  assert_good_sig (status, fpr_g, "n.pub.asc.sig");
  free (status);
  TH_SETUP (th_home_create (&fresh));
  ck_assert_int_eq (gpg (&fresh, NULL, "--import", th_path (dir, "n.pub.asc"),
                         NULL), 0);
  args = th_list_fprs (&fresh, 0);
  ck_assert_str_eq (args, fpr_o);
  free (args);
  th_home_destroy (&fresh);
}
END_TEST

/* Each custodian's gpg shows a good signature by G on the share.  */
START_TEST (test_share_signed)
{
  char name[64], *status;
  int i;

  for (i = 0; i < 3; i++)
    {
      snprintf (name, sizeof name, "s.share-%d-of-3.asc", i + 1);
      ck_assert_int_eq (gpg (&home_i, &status, "--output", "/dev/null",
                             "--decrypt", out (name), NULL), 0);
      assert_good_sig (status, fpr_g, name);
      free (status);
    }
  ck_assert_int_eq (gpg (&home_i, NULL, "--verify", out ("s.gpgpack.sig"),
                         out ("s.gpgpack"), NULL), 0);
}
END_TEST

/* A protected sign key: its passphrase comes from gpg-agent's
 * pinentry, and the signature verifies.  */
START_TEST (test_protected_signer)
{
  char opts[128], log[256], *text;
  size_t len;

  snprintf (log, sizeof log, "%s/pinentry.log", home_s.dir);
  unlink (log);
  snprintf (opts, sizeof opts, "--sign-key=%s", fpr_p);
  ck_assert_int_eq (export (outdir, "p", opts, NULL), 0);
  ck_assert_int_eq (th_read_file (log, &text, &len), 0);
  ck_assert_msg (strstr (text, "GETPIN"), "no GETPIN in:\n%s", text);
  free (text);
  TH_SETUP (th_copy_key (&home_s, &home_i, fpr_p, 0));
  ck_assert_int_eq (gpg (&home_i, NULL, "--verify", out ("p.gpgpack.sig"),
                         out ("p.gpgpack"), NULL), 0);
}
END_TEST

/* Bad sign keys are refused up front, by fingerprint; nothing is
 * written.  */
START_TEST (test_bad_sign_key)
{
  static const struct { int key; gpg_err_code_t code; const char *text; }
  cases[] = {
    { 0, GPG_ERR_NO_PUBKEY, "is not in the keyring" },
    { 1, GPG_ERR_NO_SECKEY, "has no secret part" },
    { 2, GPG_ERR_KEY_EXPIRED, "expired on 2020-01-02" },
    { 3, GPG_ERR_INV_USER_ID, "is not a fingerprint" }
  };
  const char *keys[] = { "0123456789ABCDEF0123456789ABCDEF01234567",
                         fpr_c[0], fpr_e, "g@example.org" };
  char dir[128];
  size_t i;

  for (i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      TH_SETUP (th_new_outdir (&home_s, dir));
      must_fail (&home_s, cases[i].code, cases[i].text,
                 "PACK_EXPORT --secret --sign-key=%s --output-dir=%s -- %s",
                 keys[cases[i].key], dir, fpr_o);
      ck_assert_int_eq (th_dir_entries (dir), 0);
    }
  must_fail (&home_s, GPG_ERR_NOT_SUPPORTED, "give --output-dir",
             "PACK_EXPORT --sign-key=%s -- %s", fpr_g, fpr_o);
}
END_TEST


/* --- verifying ---------------------------------------------------- */

/* A valid signature by G: the import goes through.  */
START_TEST (test_verify_valid)
{
  char cmd[512];
  th_reply_t reply;

  snprintf (cmd, sizeof cmd, "PACK_IMPORT --verify-key=%s --key-file=%s %s",
            fpr_g, out ("a.key"), out ("a.gpgpack"));
  ck_assert_int_eq (th_command (&home_i, 1, cmd, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORTED"), 1);
  th_reply_free (&reply);
}
END_TEST

/* The pack and its signature sent by INQUIRE.  */
START_TEST (test_verify_inquired)
{
  char *pack, *sig, *key;
  size_t packlen, siglen, keylen;
  th_inquiry_t inq[4] = { { "PACK" }, { "SIGNATURE" }, { "KEYFILE" } };
  char cmd[128];

  TH_SETUP (th_read_file (out ("a.gpgpack"), &pack, &packlen));
  TH_SETUP (th_read_file (out ("a.gpgpack.sig"), &sig, &siglen));
  TH_SETUP (th_read_file (out ("a.key"), &key, &keylen));
  inq[0].data = pack; inq[0].len = packlen;
  inq[1].data = sig; inq[1].len = siglen;
  inq[2].data = key; inq[2].len = keylen;
  snprintf (cmd, sizeof cmd, "PACK_IMPORT --dry-run --verify-key=%s", fpr_g);
  ck_assert_int_eq (th_command (&home_i, 1, cmd, inq, NULL), 0);
  inq[0].data = pack; inq[0].len = packlen;
  snprintf (cmd, sizeof cmd, "PACK_IMPORT --dry-run --verify-key=%s", fpr_h);
  ck_assert_int_eq (gpg_err_code (th_command (&home_i, 1, cmd, inq, NULL)),
                    GPG_ERR_NOT_TRUSTED);
  free (pack);
  free (sig);
  free (key);
}
END_TEST

/* No signature, a bad one, another signer's, an expired signer's;
 * and --verify-key itself wrong.  */
START_TEST (test_verify_refused)
{
  static const struct { const char *pack; int key; gpg_err_code_t code;
                        const char *text; } cases[] = {
    { "u", 0, GPG_ERR_NO_DATA, "the pack has no signature" },
    { "f", 0, GPG_ERR_BAD_SIGNATURE, "changed after signing" },
    { "h", 0, GPG_ERR_NOT_TRUSTED, "not by the --verify-key" },
    { "e", 1, GPG_ERR_KEY_EXPIRED, "whose key has expired" },
    { "a", 2, GPG_ERR_NO_PUBKEY, "is not in the keyring" },
    { "a", 3, GPG_ERR_INV_USER_ID, "is not a fingerprint" }
  };
  const char *keys[] = { fpr_g, fpr_e,
                         "0123456789ABCDEF0123456789ABCDEF01234567", "G" };
  char pack[64], key[64];
  size_t i;

  for (i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      snprintf (pack, sizeof pack, "%s.gpgpack", cases[i].pack);
      snprintf (key, sizeof key, "%s.key", cases[i].pack);
      must_fail (&home_i, cases[i].code, cases[i].text,
                 "PACK_IMPORT --verify-key=%s --key-file=%s %s",
                 keys[cases[i].key], out (key), out (pack));
    }
  must_fail (&home_i, GPG_ERR_NO_DATA, "INQUIRE SIGNATURE got an empty",
             "PACK_IMPORT --verify-key=%s", fpr_g);
  must_fail (&home_i, GPG_ERR_NOT_TRUSTED, "signed by",
             "PACK_IMPORT --verify-key=%s --signature=%s --key-file=%s %s",
             fpr_g, out ("h.gpgpack.sig"), out ("h.key"), out ("h.gpgpack"));
  must_fail (&home_i, GPG_ERR_INV_ARG, "--signature needs --verify-key",
             "PACK_IMPORT --signature=%s %s", out ("a.gpgpack.sig"),
             out ("a.gpgpack"));
}
END_TEST

/* Shares signed by G: imported with --verify-key=G; refused with H. */
START_TEST (test_verify_shares)
{
  char cmd[1024];

  snprintf (cmd, sizeof cmd, "PACK_IMPORT --dry-run --verify-key=%s"
            " --share=%s --share=%s %s", fpr_g, out ("s.share-1-of-3.asc"),
            out ("s.share-3-of-3.asc"), out ("s.gpgpack"));
  ck_assert_int_eq (th_command (&home_i, 1, cmd, NULL, NULL), 0);
  must_fail (&home_i, GPG_ERR_NOT_TRUSTED, "not by the --verify-key",
             "PACK_IMPORT --verify-key=%s --signature=%s --share=%s"
             " --share=%s %s", fpr_h, out ("s.gpgpack.sig"),
             out ("s.share-1-of-3.asc"), out ("s.share-2-of-3.asc"),
             out ("s.gpgpack"));
}
END_TEST

/* A signed pack whose shares are not signed: each share is refused.  */
START_TEST (test_verify_unsigned_shares)
{
  must_fail (&home_i, GPG_ERR_NO_DATA, "share 1 (", "PACK_IMPORT"
             " --verify-key=%s --share=%s --share=%s %s", fpr_g,
             out ("su.share-1-of-3.asc"), out ("su.share-2-of-3.asc"),
             out ("su.gpgpack"));
}
END_TEST

/* PACK_INFO shows the signer and the verdict.  */
START_TEST (test_info)
{
  static const struct { const char *pack; int key; const char *word; }
  cases[] = {
    { "a", 0, "good" }, { "f", 0, "bad" }, { "h", 1, "good" },
    { "e", 2, "expired-key" }
  };
  const char *keys[] = { fpr_g, fpr_h, fpr_e };
  char cmd[256], name[64], *args, *want;
  th_reply_t reply;
  size_t i;

  for (i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      snprintf (name, sizeof name, "%s.gpgpack", cases[i].pack);
      snprintf (cmd, sizeof cmd, "PACK_INFO %s", out (name));
      ck_assert_int_eq (th_command (&home_i, 1, cmd, NULL, &reply), 0);
      args = status_of (&reply, "SIGNER");
      want = gpgrt_bsprintf ("%s %s", keys[cases[i].key], cases[i].word);
      ck_assert_str_eq (args, want);
      free (args);
      gpgrt_free (want);
      th_reply_free (&reply);
    }
  snprintf (cmd, sizeof cmd, "PACK_INFO %s", out ("u.gpgpack"));
  ck_assert_int_eq (th_command (&home_i, 1, cmd, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "SIGNER"), 0);
  th_reply_free (&reply);
}
END_TEST


/* The CLI: export --sign-key prints the signature, info the signer,
 * import --verify-key refuses another signer's pack with one line.  */
START_TEST (test_cli)
{
  const char *gpgpack = th_prog ("GPGPACK", "gpgpack");
  const char *exp[] = { gpgpack, "--homedir", home_s.dir, "--yes", "export",
                        "--secret", "--sign-key", fpr_g, "--output-dir", NULL,
                        "--name", "c", fpr_o, NULL };
  const char *info[] = { gpgpack, "--homedir", home_i.dir, "info",
                         out ("a.gpgpack"), NULL };
  const char *imp[] = { gpgpack, "--homedir", home_i.dir, "import",
                        "--dry-run", "--verify-key", fpr_g, out ("h.gpgpack"),
                        NULL };
  char dir[128], *text, *errtext, *want;

  TH_SETUP (th_new_outdir (&home_s, dir));
  exp[9] = dir;
  ck_assert_int_eq (th_run (exp, NULL, &text, NULL), 0);
  want = gpgrt_bsprintf ("signature: %s/c.gpgpack.sig\nsignature: %s/"
                         "c.pub.asc.sig\n  by %s\n", dir, dir, fpr_g);
  ck_assert_msg (strstr (text, want), "no '%s' in:\n%s", want, text);
  free (text);
  gpgrt_free (want);
  ck_assert_int_eq (th_run (info, NULL, &text, NULL), 0);
  want = gpgrt_bsprintf ("signed by   %s good\n", fpr_g);
  ck_assert_msg (strstr (text, want), "no '%s' in:\n%s", want, text);
  free (text);
  gpgrt_free (want);
  ck_assert_int_ne (th_run (imp, NULL, NULL, &errtext), 0);
  ck_assert_msg (strstr (errtext, "not by the --verify-key"), "%s", errtext);
  free (errtext);
}
END_TEST


/* --- policy ------------------------------------------------------- */

/* In home Q, the pack BAD signed by BAD_FPR is refused by the
 * require-signature rule, the pack GOOD signed by GOOD_FPR goes in.  */
static void
assert_required (const char *bad, const char *bad_fpr, const char *good,
                 const char *good_fpr)
{
  char cmd[512], pack[64], key[64];

  snprintf (pack, sizeof pack, "%s.gpgpack", bad);
  snprintf (key, sizeof key, "%s.key", bad);
  must_fail (&home_q, GPG_ERR_FORBIDDEN, "named by require-signature",
             "PACK_IMPORT --dry-run --verify-key=%s --key-file=%s %s",
             bad_fpr, out (key), out (pack));
  snprintf (pack, sizeof pack, "%s.gpgpack", good);
  snprintf (key, sizeof key, "%s.key", good);
  snprintf (cmd, sizeof cmd, "PACK_IMPORT --dry-run --verify-key=%s"
            " --key-file=%s %s", good_fpr, out (key), out (pack));
  ck_assert_int_eq (th_command (&home_q, 0, cmd, NULL, NULL), 0);
}

/* require-signature G: imports without --verify-key, or with H, are
 * refused naming the rule; with G they go through.  */
START_TEST (test_require_signature)
{
  must_fail (&home_q, GPG_ERR_FORBIDDEN, "gpgpackd.conf:1",
             "PACK_IMPORT --dry-run --key-file=%s %s", out ("a.key"),
             out ("a.gpgpack"));
  assert_required ("h", fpr_h, "a", fpr_g);
}
END_TEST

/* sign-key G2: an export without --sign-key is signed by G2, a
 * streamed one refused; GETINFO policy lists the rule.  */
START_TEST (test_sign_key_rule)
{
  char cmd[512], dir[128], *args, *want;
  th_reply_t reply;

  TH_SETUP (th_new_outdir (&home_k, dir));
  snprintf (cmd, sizeof cmd, "PACK_EXPORT --output-dir=%s --name=k -- %s",
            dir, fpr_ko);
  ck_assert_int_eq (th_command (&home_k, 0, cmd, NULL, &reply), 0);
  args = status_of (&reply, "SIGNED");
  want = gpgrt_bsprintf ("%s %s/k.gpgpack.sig", fpr_g2, dir);
  ck_assert_str_eq (args, want);
  free (args);
  gpgrt_free (want);
  th_reply_free (&reply);
  must_fail (&home_k, GPG_ERR_NOT_SUPPORTED, "sign-key rule",
             "PACK_EXPORT -- %s", fpr_ko);
  ck_assert_int_eq (th_command (&home_k, 0, "GETINFO policy", NULL, &reply),
                    0);
  want = gpgrt_bsprintf ("sign-key %s ", fpr_g2);
  ck_assert_msg (strstr (reply.data, want), "no '%s' in:\n%s", want,
                 reply.data);
  gpgrt_free (want);
  th_reply_free (&reply);
}
END_TEST


/* A SIGHUP with require-signature H in gpgpackd.conf: GETINFO policy
 * shows it (polled, bounded), then H's pack goes in and G's not.  */
START_TEST (test_require_reload)
{
  char conf[128], *want;
  th_reply_t reply;
  int i, seen = 0;

  snprintf (conf, sizeof conf, "require-signature %s\n", fpr_h);
  ck_assert_int_eq (th_home_write (&home_q, "gpgpackd.conf", conf), 0);
  ck_assert_int_eq (kill (home_q.daemon_pid, SIGHUP), 0);
  want = gpgrt_bsprintf ("require-signature %s ", fpr_h);
  for (i = 0; i < 400 && !seen; i++)
    {
      if (i)
        th_pause_ms (25);
      ck_assert_int_eq (th_command (&home_q, 0, "GETINFO policy", NULL,
                                    &reply), 0);
      seen = reply.data && strstr (reply.data, want);
      th_reply_free (&reply);
    }
  ck_assert_msg (seen, "GETINFO policy never showed '%s'", want);
  gpgrt_free (want);
  assert_required ("a", fpr_g, "h", fpr_h);
}
END_TEST


static Suite *
signing_suite (void)
{
  Suite *s = suite_create ("signing");
  TCase *tc;

  tc = tcase_create ("sign");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_gpg_verifies);
  tcase_add_test (tc, test_signed_status);
  tcase_add_test (tc, test_share_signed);
  tcase_add_test (tc, test_protected_signer);
  tcase_add_test (tc, test_bad_sign_key);
  suite_add_tcase (s, tc);

  tc = tcase_create ("verify");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_verify_refused);
  tcase_add_test (tc, test_verify_inquired);
  tcase_add_test (tc, test_verify_shares);
  tcase_add_test (tc, test_verify_unsigned_shares);
  tcase_add_test (tc, test_info);
  tcase_add_test (tc, test_cli);
  tcase_add_test (tc, test_verify_valid);
  suite_add_tcase (s, tc);

  tc = tcase_create ("policy");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_require_signature);
  tcase_add_test (tc, test_sign_key_rule);
  tcase_add_test (tc, test_require_reload);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  return th_main (setup_fixture, signing_suite);
}
