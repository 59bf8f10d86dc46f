/* check_shareimport.c - PACK_IMPORT of a share-mode pack with real gpg
 *
 * Home S exports two secret keys as a 3-of-4 share-mode pack to four
 * custodians: C1..C3 (unprotected, home C) and C4 (protected, home P,
 * whose gpg-agent runs the recording pinentry-record.sh).  Stock gpg
 * decrypts every share; the imports then get the encrypted shares,
 * their decrypted content, or both, by --share, INQUIRE SHARE
 * (libassuan and gpg-connect-agent) and the CLI.  Bad shares (too
 * few, another pack, another generation, twice, damaged, forged, not
 * a share, encrypted to a key not here) are crafted from real ones;
 * each must fail with its own error and leave the keyring
 * byte-identical.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include <sys/stat.h>
#include <gcrypt.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"
#include "plugin-util.h"
#include "share.h"
#include "envelope.h"

#define PIN_PASS     "custodian pass 4"   /* protects C4 in home P */
#define NSHARES      4
#define THRESHOLD    3
#define TEST_TIMEOUT 120

static char script[PATH_MAX];      /* pinentry-record.sh */
static th_home_t home_s;           /* the keys' owner: exports */
static th_home_t home_c;           /* custodians C1..C3, secret */
static th_home_t home_p;           /* custodian C4, protected */
static th_home_t home_bad;         /* C1's secret key, C2's public key */
static char fpr_own[2][41];        /* the exported keys */
static char fpr_c[NSHARES][41];    /* custodian keys C1..C4 */
static char outdir[128];
static char pack[256];             /* sp.gpgpack, 3-of-4 */
static char asc[NSHARES][256];     /* its shares, encrypted */
static char dec[NSHARES][256];     /* ... and decrypted by stock gpg */
static char other_dec[256];        /* share 3 of another pack, decrypted */
static char kpack[256], kkey[256]; /* a pack with a key file */


/* --- setup -------------------------------------------------------- */

/* "OUTDIR/NAME" (th_path).  */
static const char *
out_file (const char *name)
{
  return th_path (outdir, name);
}

/* Export both own keys from home S as NAME, 3-of-4 to C1..C4.  */
static gpg_error_t
export_shares (const char *name)
{
  char *cmd;
  gpg_error_t err;

  cmd = gpgrt_bsprintf ("PACK_EXPORT --secret --shares=%d --threshold=%d"
                        " --wrap-key=%s --wrap-key=%s --wrap-key=%s"
                        " --wrap-key=%s --output-dir=%s --name=%s -- %s %s",
                        NSHARES, THRESHOLD, fpr_c[0], fpr_c[1], fpr_c[2],
                        fpr_c[3], outdir, name, fpr_own[0], fpr_own[1]);
  if (!cmd)
    return gpg_error_from_syserror ();
  err = th_command (&home_s, 1, cmd, NULL, NULL);
  gpgrt_free (cmd);
  return err;
}

/* Home P: the recording pinentry answering PIN_PASS, key C4.  */
static gpg_error_t
make_home_p (void)
{
  char link[256], *conf;
  gpg_error_t err;

  err = th_home_create (&home_p);
  snprintf (link, sizeof link, "%s/pinentry", home_p.dir);
  if (!err && symlink (script, link))
    err = gpg_error_from_syserror ();
  conf = gpgrt_bsprintf ("pinentry-program %s\nallow-loopback-pinentry\n"
                         "default-cache-ttl 0\nmax-cache-ttl 0\n", link);
  if (!conf)
    return gpg_error_from_syserror ();
  if (!err)
    err = th_home_write (&home_p, "gpg-agent.conf", conf);
  gpgrt_free (conf);
  if (!err)
    err = th_home_write (&home_p, "pinentry.pass", PIN_PASS "\n");
  if (!err)
    err = th_genkey (&home_p, "Custodian Four <c4@example.org>", "ed25519",
                     PIN_PASS, fpr_c[3]);
  return err;
}

/* The custodians' homes and home S with their public keys.  */
static void
setup_homes (void)
{
  static const char *const uids[] = { "Custodian One <c1@example.org>",
    "Custodian Two <c2@example.org>", "Custodian Three <c3@example.org>" };
  int i;

  TH_SETUP (th_home_create (&home_c));
  for (i = 0; i < 3; i++)
    TH_SETUP (th_genkey (&home_c, uids[i], "ed25519", NULL, fpr_c[i]));
  TH_SETUP (make_home_p ());
  TH_SETUP (th_home_create (&home_s));
  TH_SETUP (th_genkey (&home_s, "Owner <owner@example.org>", "ed25519",
                       NULL, fpr_own[0]));
  TH_SETUP (th_genkey (&home_s, "Owner Two <owner2@example.org>", "ed25519",
                       NULL, fpr_own[1]));
  for (i = 0; i < 3; i++)
    TH_SETUP (th_copy_key (&home_c, &home_s, fpr_c[i], 0));
  TH_SETUP (th_copy_key (&home_p, &home_s, fpr_c[3], 0));
  TH_SETUP (th_home_create (&home_bad));
  TH_SETUP (th_copy_key (&home_c, &home_bad, fpr_c[0], 1));
  TH_SETUP (th_copy_key (&home_c, &home_bad, fpr_c[1], 0));
  TH_SETUP (th_daemon_start (&home_bad));
}

static void
setup_fixture (void)
{
  char *name, *srcdir = getenv ("srcdir");
  char file[64], cmd[512];
  int i;

  TH_SETUP (th_init ());
  name = gpgrt_bsprintf ("%s/pinentry-record.sh", srcdir ? srcdir : ".");
  TH_SETUP (name && realpath (name, script) ? 0 : gpg_error_from_syserror ());
  gpgrt_free (name);
  setup_homes ();
  snprintf (outdir, sizeof outdir, "%s/out", home_s.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  TH_SETUP (export_shares ("sp"));
  TH_SETUP (export_shares ("op"));
  snprintf (pack, sizeof pack, "%s", out_file ("sp.gpgpack"));
  for (i = 0; i < NSHARES; i++)
    {
      snprintf (file, sizeof file, "sp.share-%d-of-%d.asc", i + 1, NSHARES);
      snprintf (asc[i], sizeof asc[i], "%s", out_file (file));
      snprintf (file, sizeof file, "sp.share-%d.txt", i + 1);
      snprintf (dec[i], sizeof dec[i], "%s", out_file (file));
      TH_SETUP (th_gpg_decrypt (i < 3 ? &home_c : &home_p,
                             i < 3 ? NULL : PIN_PASS, asc[i], dec[i]));
    }
  snprintf (other_dec, sizeof other_dec, "%s", out_file ("op.share-3.txt"));
  TH_SETUP (th_gpg_decrypt (&home_c, NULL, out_file ("op.share-3-of-4.asc"),
                         other_dec));
  snprintf (cmd, sizeof cmd, "PACK_EXPORT --secret --output-dir=%s"
            " --name=kp -- %s", outdir, fpr_own[0]);
  TH_SETUP (th_command (&home_s, 1, cmd, NULL, NULL));
  snprintf (kpack, sizeof kpack, "%s", out_file ("kp.gpgpack"));
  snprintf (kkey, sizeof kkey, "%s", out_file ("kp.key"));
}


/* --- helpers ------------------------------------------------------ */

/* "PACK_IMPORT --share=A --share=B ... [EXTRA] PACKFILE" for the
 * NULL-terminated share files in SHARES.  */
static char *
import_line (const char *const *shares, const char *extra,
             const char *packfile)
{
  char *line = strdup ("PACK_IMPORT"), *next;
  int i;

  for (i = 0; line && shares[i]; i++)
    {
      next = gpgrt_bsprintf ("%s --share=%s", line, shares[i]);
      free (line);
      line = next ? strdup (next) : NULL;
      gpgrt_free (next);
    }
  ck_assert_ptr_nonnull (line);
  next = gpgrt_bsprintf ("%s%s%s %s", line, extra ? " " : "",
                         extra ? extra : "", packfile);
  free (line);
  ck_assert_ptr_nonnull (next);
  return next;
}

/* Import PACKFILE into HOME with the share files SHARES (and EXTRA
 * options); inquiries get empty answers.  */
static gpg_error_t
import_shares (th_home_t *home, const char *const *shares, const char *extra,
               const char *packfile, th_reply_t *reply)
{
  char *cmd = import_line (shares, extra, packfile);
  gpg_error_t err;

  err = th_command (home, 1, cmd, NULL, reply);
  gpgrt_free (cmd);
  return err;
}

/* "A\nB", the own keys as th_list_fprs lists them.  */
static char *
own_fprs (void)
{
  int a = strcmp (fpr_own[0], fpr_own[1]) > 0;

  return gpgrt_bsprintf ("%s\n%s", fpr_own[a], fpr_own[!a]);
}

/* Assert that HOME has both own keys with their secret parts.  */
static void
assert_imported (th_home_t *home)
{
  char *want = own_fprs ();
  char *sec = th_list_fprs (home, 1);

  ck_assert_ptr_nonnull (sec);
  ck_assert_msg (strstr (sec, fpr_own[0]) && strstr (sec, fpr_own[1]),
                 "secret keys %s, want %s", sec, want);
  gpgrt_free (want);
  free (sec);
}

/* Import into home_bad with SHARES (and EXTRA) by gpg-connect-agent
 * must fail with CODE and a text containing the printf output of
 * TEXTFMT; INQUIRE SHARE gets an empty answer.  The keyring stays
 * byte-identical.  */
static void
import_must_fail (const char *const *shares, const char *extra,
                  const char *packfile, gpg_err_code_t code,
                  const char *textfmt, ...)
{
  char *before = th_keyring_state (&home_bad), *after, *text;
  va_list ap;
  char *cmd = import_line (shares, extra, packfile);
  char *script_text = gpgrt_bsprintf ("/definqfile SHARE /dev/null\n%s\n",
                                      cmd);
  gpg_error_t err;
  char *out;

  ck_assert_ptr_nonnull (script_text);
  ck_assert_int_eq (th_gca (&home_bad, script_text, &out), 0);
  gpgrt_free (script_text);
  gpgrt_free (cmd);
  th_unescape (out);
  err = th_gca_errcode (out);
  ck_assert_msg (err == code, "want %s, got %s in:\n%s",
                 gpg_strerror (gpg_error (code)),
                 gpg_strerror (gpg_error (err)), out);
  va_start (ap, textfmt);
  text = gpgrt_vbsprintf (textfmt, ap);
  va_end (ap);
  ck_assert_ptr_nonnull (text);
  ck_assert_msg (strstr (out, text), "no '%s' in:\n%s", text, out);
  gpgrt_free (text);
  after = th_keyring_state (&home_bad);
  ck_assert_str_eq (before, after);
  gpgrt_free (before);
  gpgrt_free (after);
  free (out);
}

/* Write a copy of the decrypted share IN whose share bytes EDIT
 * changed, with its checksum recomputed (a forgery the checksum
 * cannot reveal), to OUT_NAME in outdir; return its path.  */
static const char *
craft_share (const char *in, void (*edit) (unsigned char *share),
             const char *out_name)
{
  unsigned char digest[32];
  gpgpack_blob_t share, env;
  char *text, *custodian;
  const char *path = out_file (out_name);
  size_t len;

  ck_assert_int_eq (th_read_file (in, &text, &len), 0);
  ck_assert_int_eq (envelope_parse (text, len, &share, &custodian), 0);
  free (text);
  edit (share.data);
  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, share.data,
                       share.len - SHARE_CHECKSUM_LEN);
  memcpy (share.data + share.len - SHARE_CHECKSUM_LEN, digest,
          SHARE_CHECKSUM_LEN);
  ck_assert_int_eq (envelope_build (share.data, share.len, custodian,
                                    &env), 0);
  ck_assert_int_eq (th_write_file (path, env.data, env.len), 0);
  plugin_blob_release (&share);
  plugin_blob_release (&env);
  gcry_free (custodian);
  return path;
}

/* Make generation 1 of a share generation 2.  */
static void
edit_generation (unsigned char *share)
{
  share[11] = 2;
}

/* Change the share's first y byte.  */
static void
edit_y (unsigned char *share)
{
  share[SHARE_HEADER_LEN] ^= 0x01;
}

/* A copy of the decrypted share IN with one hex digit of its body
 * changed, as OUT_NAME in outdir; return its path.  */
static const char *
damage_share (const char *in, const char *out_name)
{
  const char *path = out_file (out_name);
  char *text, *body;
  size_t len;

  ck_assert_int_eq (th_read_file (in, &text, &len), 0);
  body = strstr (text, "\n\n");
  ck_assert_ptr_nonnull (body);
  body[2 + 60] = body[2 + 60] == '0' ? '1' : '0';
  ck_assert_int_eq (th_write_file (path, text, len), 0);
  free (text);
  return path;
}


/* --- imports that work -------------------------------------------- */

/* Every 3-subset of the four decrypted shares, and all four, each into
 * a fresh home: both keys with their secret parts.  */
START_TEST (test_every_subset)
{
  int mask, i, n;

  for (mask = 0; mask < (1 << NSHARES); mask++)
    {
      const char *shares[NSHARES + 1];
      th_home_t fresh;
      th_reply_t reply;
      char *want, *got;

      for (n = 0, i = 0; i < NSHARES; i++)
        if (mask & (1 << i))
          shares[n++] = dec[i];
      shares[n] = NULL;
      if (n < THRESHOLD)
        continue;
      ck_assert_int_eq (th_home_create (&fresh), 0);
      ck_assert_int_eq (import_shares (&fresh, shares, NULL, pack, &reply),
                        0);
      ck_assert_int_eq (th_status_count (reply.status, "IMPORTED"), 2);
      ck_assert_int_eq (th_status_count (reply.status, "SHARE_BAD"), 0);
      want = own_fprs ();
      got = th_list_fprs (&fresh, 1);
      ck_assert_str_eq (got, want);
      free (got);
      gpgrt_free (want);
      th_reply_free (&reply);
      th_home_destroy (&fresh);
    }
}
END_TEST

/* Encrypted shares (decrypted with this keyring's custodian keys)
 * mixed with a decrypted one.  */
START_TEST (test_mixed)
{
  const char *shares[] = { asc[0], dec[2], asc[1], NULL };
  th_home_t fresh;

  ck_assert_int_eq (th_home_create (&fresh), 0);
  ck_assert_int_eq (th_copy_key (&home_c, &fresh, fpr_c[0], 1), 0);
  ck_assert_int_eq (th_copy_key (&home_c, &fresh, fpr_c[1], 1), 0);
  ck_assert_int_eq (import_shares (&fresh, shares, NULL, pack, NULL), 0);
  assert_imported (&fresh);
  th_home_destroy (&fresh);
}
END_TEST

/* The four shares with BAD in place of share POS, in a fresh home
 * with C2's secret key: the import succeeds and SHARE_BAD names BAD as
 * REASON.  */
static void
import_with_bad (const char *bad, int pos, const char *reason)
{
  const char *shares[] = { dec[0], dec[1], dec[2], dec[3], NULL };
  char want[600], *got;
  th_home_t fresh;
  th_reply_t reply;

  shares[pos - 1] = bad;
  ck_assert_int_eq (th_home_create (&fresh), 0);
  ck_assert_int_eq (th_copy_key (&home_c, &fresh, fpr_c[1], 1), 0);
  ck_assert_int_eq (import_shares (&fresh, shares, NULL, pack, &reply), 0);
  assert_imported (&fresh);
  got = th_status_get (reply.status, "SHARE_BAD", 0);
  snprintf (want, sizeof want, "%d %s %s", pos, reason, bad);
  ck_assert_ptr_nonnull (got);
  ck_assert_str_eq (got, want);
  free (got);
  th_reply_free (&reply);
  th_home_destroy (&fresh);
}

START_TEST (test_damaged_among_more)
{
  import_with_bad (damage_share (dec[1], "damaged-2.txt"), 2, "damaged");
}
END_TEST

/* Share 2 as its custodian received it, with a character of its
 * armored body changed: gpg finds no data in it.  */
START_TEST (test_damaged_asc_among_more)
{
  const char *path = out_file ("damaged-2.asc");
  char *text, *line;
  size_t len;

  ck_assert_int_eq (th_read_file (asc[1], &text, &len), 0);
  line = strstr (text, "\n\n");
  ck_assert_ptr_nonnull (line);
  line[2 + 10] = line[2 + 10] == 'A' ? 'B' : 'A';
  ck_assert_int_eq (th_write_file (path, text, len), 0);
  free (text);
  import_with_bad (path, 2, "damaged");
}
END_TEST

START_TEST (test_forged_among_more)
{
  import_with_bad (craft_share (dec[2], edit_y, "forged-3.txt"), 3,
                   "forged");
}
END_TEST

/* Shares by INQUIRE SHARE only, answered in turn from a list.  */
struct inquire_state
{
  assuan_context_t ctx;
  const char *const *files;
  int next;
  char asked[256];          /* the inquiry lines, "|"-joined */
};

static gpg_error_t
inquire_next (void *opaque, const char *line)
{
  struct inquire_state *st = opaque;
  const char *file = st->files[st->next];
  char *buf;
  size_t len;
  gpg_error_t err;

  strncat (st->asked, line, sizeof st->asked - strlen (st->asked) - 2);
  strcat (st->asked, "|");
  if (strncmp (line, "SHARE ", 6) || !file)
    return 0;
  st->next++;
  err = th_read_file (file, &buf, &len);
  if (!err)
    err = assuan_send_data (st->ctx, buf, len);
  free (buf);
  return err;
}

/* Run PACK_IMPORT of the pack by INQUIRE SHARE answered from FILES in
 * HOME; the inquiry lines go to ASKED.  */
static gpg_error_t
import_inquired (th_home_t *home, const char *const *files, char *asked)
{
  struct inquire_state st = { NULL, files, 0, "" };
  char *cmd = gpgrt_bsprintf ("PACK_IMPORT %s", pack);
  gpg_error_t err;

  ck_assert_ptr_nonnull (cmd);
  ck_assert_int_eq (th_connect_server (home, &st.ctx), 0);
  err = assuan_transact (st.ctx, cmd, NULL, NULL, inquire_next, &st,
                         NULL, NULL);
  assuan_release (st.ctx);
  gpgrt_free (cmd);
  strcpy (asked, st.asked);
  return err;
}

START_TEST (test_inquire_all)
{
  const char *const files[] = { dec[3], asc[0], dec[1], NULL };
  char asked[256];
  th_home_t fresh;

  ck_assert_int_eq (th_home_create (&fresh), 0);
  ck_assert_int_eq (th_copy_key (&home_c, &fresh, fpr_c[0], 1), 0);
  ck_assert_int_eq (import_inquired (&fresh, files, asked), 0);
  ck_assert_str_eq (asked, "SHARE 0 0|SHARE 1 3|SHARE 2 3|");
  assert_imported (&fresh);
  th_home_destroy (&fresh);
}
END_TEST

/* Two shares by inquiry, then an empty answer: too few.  */
START_TEST (test_inquire_too_few)
{
  const char *const files[] = { dec[3], dec[1], NULL };
  char asked[256], *before = th_keyring_state (&home_bad), *after;

  ck_assert_int_eq (gpg_err_code (import_inquired (&home_bad, files,
                                                   asked)),
                    GPG_ERR_MISSING_KEY);
  ck_assert_str_eq (asked, "SHARE 0 0|SHARE 1 3|SHARE 2 3|");
  after = th_keyring_state (&home_bad);
  ck_assert_str_eq (before, after);
  gpgrt_free (before);
  gpgrt_free (after);
}
END_TEST

/* gpg-connect-agent: two shares by --share, the third by inquiry.  */
START_TEST (test_inquire_gca)
{
  th_home_t fresh;
  char *script_text, *out;

  ck_assert_int_eq (th_home_create (&fresh), 0);
  ck_assert_int_eq (th_daemon_start (&fresh), 0);
  script_text = gpgrt_bsprintf ("/definqfile SHARE %s\n"
                                "PACK_IMPORT --share=%s --share=%s %s\n",
                                dec[2], dec[0], dec[3], pack);
  ck_assert_int_eq (th_gca (&fresh, script_text, &out), 0);
  ck_assert_msg (!th_gca_errcode (out) && strstr (out, "S IMPORTED"),
                 "%s", out);
  free (out);
  gpgrt_free (script_text);
  assert_imported (&fresh);
  th_home_destroy (&fresh);
}
END_TEST


/* --- bad shares: own error, keyring unchanged --------------------- */

START_TEST (test_bad_too_few)
{
  const char *shares[] = { dec[0], dec[1], NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_MISSING_KEY,
                    "need 3 shares, have 2");
}
END_TEST

START_TEST (test_bad_none)
{
  const char *shares[] = { NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_MISSING_KEY,
                    "exported in share mode: give its shares with --share");
}
END_TEST

START_TEST (test_bad_other_pack)
{
  const char *shares[] = { dec[0], dec[1], other_dec, NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_INV_ID,
                    "share 3 (%s) is of pack", other_dec);
}
END_TEST

START_TEST (test_bad_generation)
{
  const char *gen2 = craft_share (dec[2], edit_generation, "gen2-3.txt");
  const char *shares[] = { dec[0], gen2, dec[1], NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_CONFLICT,
                    "share 2 (%s) is from generation 2, the others from 1",
                    gen2);
}
END_TEST

START_TEST (test_bad_duplicate)
{
  const char *shares[] = { dec[0], dec[1], asc[0], NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_DUP_VALUE,
                    "share 3 (%s) has index 1, as share 1 (%s)",
                    asc[0], dec[0]);
}
END_TEST

START_TEST (test_bad_damaged)
{
  const char *bad = damage_share (dec[1], "damaged-2b.txt");
  const char *shares[] = { dec[0], bad, dec[2], NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_BAD_DATA,
                    "need 3 intact shares, have 2 (share 2 (%s) is"
                    " damaged)", bad);
}
END_TEST

START_TEST (test_bad_forged)
{
  const char *bad = craft_share (dec[2], edit_y, "forged-3b.txt");
  const char *shares[] = { dec[0], dec[1], bad, NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_BAD_KEY,
                    "the 3 shares do not give this pack's key");
}
END_TEST

START_TEST (test_bad_garbage)
{
  const char *garbage = out_file ("garbage.txt");
  const char *shares[] = { dec[0], garbage, dec[1], NULL };

  ck_assert_int_eq (th_write_file (garbage, "hello, world\n", 13), 0);
  import_must_fail (shares, NULL, pack, GPG_ERR_INV_DATA,
                    "share 2 (%s) is not a gpgpack share", garbage);
}
END_TEST

/* Share 2 encrypted to C2, whose secret key home_bad lacks (its
 * public key is there, so the error names its fingerprint).  */
START_TEST (test_bad_not_here)
{
  const char *shares[] = { dec[0], asc[1], dec[2], NULL };

  import_must_fail (shares, NULL, pack, GPG_ERR_NO_SECKEY,
                    "share 2 (%s) is encrypted to %s; its custodian must"
                    " decrypt it", asc[1], fpr_c[1]);
}
END_TEST

/* --share for a pack with a key file, --key-file for a share pack.  */
START_TEST (test_bad_not_share_mode)
{
  const char *shares[] = { dec[0], dec[1], dec[2], NULL };
  const char *none[] = { NULL };
  char extra[300];

  import_must_fail (shares, NULL, kpack, GPG_ERR_NOT_SUPPORTED,
                    "exported with a key file, not in share mode");
  snprintf (extra, sizeof extra, "--key-file=%s", kkey);
  import_must_fail (none, extra, pack, GPG_ERR_NOT_SUPPORTED,
                    "exported in share mode and has no key file");
}
END_TEST


/* --- the CLI and pinentry ----------------------------------------- */

/* Run "gpgpack --homedir HOME --batch import PACK --share S..." with
 * the NULL-terminated SHARES; stderr to *R_ERR.  Returns the exit
 * status.  */
static int
cli_import (th_home_t *home, const char *const *shares, char **r_err)
{
  const char *argv[16] = { th_prog ("GPGPACK", "gpgpack"), "--homedir",
                           home->dir, "--batch", "import", pack };
  int argc = 6, i;

  for (i = 0; shares[i] && argc < 14; i++)
    {
      argv[argc++] = "--share";
      argv[argc++] = shares[i];
    }
  argv[argc] = NULL;
  return th_run (argv, NULL, NULL, r_err);
}

START_TEST (test_cli)
{
  const char *bad = damage_share (dec[1], "damaged-2c.txt");
  const char *too_few[] = { dec[0], dec[3], NULL };
  const char *with_bad[] = { dec[0], bad, dec[2], dec[3], NULL };
  th_home_t fresh;
  char *err_text, want[256];

  ck_assert_int_eq (th_home_create (&fresh), 0);
  ck_assert_int_ne (cli_import (&fresh, too_few, &err_text), 0);
  ck_assert_msg (strstr (err_text, "need 3 shares, have 2"), "%s", err_text);
  free (err_text);
  ck_assert_int_eq (cli_import (&fresh, with_bad, &err_text), 0);
  snprintf (want, sizeof want, "warning: share 2 (%s) is damaged", bad);
  ck_assert_msg (strstr (err_text, want), "%s", err_text);
  free (err_text);
  assert_imported (&fresh);
  th_home_destroy (&fresh);
}
END_TEST

/* Share 4 encrypted to C4, whose key is protected: gpg-agent's
 * pinentry asks once, then the import goes on.  */
START_TEST (test_pinentry)
{
  const char *shares[] = { dec[0], asc[3], dec[1], NULL };
  char log[256], *text;
  size_t len;

  snprintf (log, sizeof log, "%s/pinentry.log", home_p.dir);
  unlink (log);
  ck_assert_int_eq (import_shares (&home_p, shares, NULL, pack, NULL), 0);
  assert_imported (&home_p);
  ck_assert_int_eq (th_read_file (log, &text, &len), 0);
  ck_assert_msg (strstr (text, "GETPIN")
                 && !strstr (strstr (text, "GETPIN") + 1, "GETPIN"),
                 "want one GETPIN in:\n%s", text);
  free (text);
}
END_TEST


static Suite *
shareimport_suite (void)
{
  Suite *s = suite_create ("shareimport");
  TCase *tc;

  tc = tcase_create ("import");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_every_subset);
  tcase_add_test (tc, test_mixed);
  tcase_add_test (tc, test_damaged_among_more);
  tcase_add_test (tc, test_damaged_asc_among_more);
  tcase_add_test (tc, test_forged_among_more);
  tcase_add_test (tc, test_inquire_all);
  tcase_add_test (tc, test_inquire_gca);
  tcase_add_test (tc, test_cli);
  tcase_add_test (tc, test_pinentry);
  suite_add_tcase (s, tc);

  tc = tcase_create ("bad");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_inquire_too_few);
  tcase_add_test (tc, test_bad_too_few);
  tcase_add_test (tc, test_bad_none);
  tcase_add_test (tc, test_bad_other_pack);
  tcase_add_test (tc, test_bad_generation);
  tcase_add_test (tc, test_bad_duplicate);
  tcase_add_test (tc, test_bad_damaged);
  tcase_add_test (tc, test_bad_forged);
  tcase_add_test (tc, test_bad_garbage);
  tcase_add_test (tc, test_bad_not_here);
  tcase_add_test (tc, test_bad_not_share_mode);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  return th_main (setup_fixture, shareimport_suite);
}
