/* check_protkeys.c - share mode with passphrase-protected keys
 *
 * The keys real users have are protected.  Home O owns the key OWN,
 * protected by PASS_O; home T holds the custodian keys C1..C3, all
 * protected by PASS_C.  Both homes' gpg-agent asks the scripted
 * pinentry (pinhome.h), which answers, cancels and counts the
 * questions.  O exports OWN as a 2-of-3 share-mode pack; the shares
 * are then opened, refreshed and imported in fresh byte copies of T
 * (ph_home_clone), through gpg-agent's pinentry and, for a loopback
 * client, through INQUIRE KEY_PASSPHRASE.  Every refusal leaves the
 * keyring and the directory byte-identical.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gpgme.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"
#include "pinhome.h"

#define PASS_O       "owner pass 5"       /* protects OWN */
#define PASS_C       "custodian pass 6"   /* protects C1..C3 */
#define TEST_TIMEOUT 120

static th_home_t home_o;           /* OWN, public C1..C3: exports */
static th_home_t home_t;           /* C1..C3: cloned by the tests */
static char fpr_own[41];
static char fpr_c[3][41];
static char fixdir[128];           /* fx.gpgpack, 2-of-3 to C1..C3 */


/* --- setup -------------------------------------------------------- */

/* "PACK_EXPORT --secret" of OWN as NAME into DIR, 2-of-3 to C1..C3, on
 * a "gpgpackd --server" of home O.  */
static gpg_error_t
export_shares (const char *dir, const char *name, th_reply_t *reply)
{
  const char *wraps[] = { fpr_c[0], fpr_c[1], fpr_c[2], NULL };

  return th_export_secret (&home_o, fpr_own, dir, name, wraps, reply);
}

static void
setup_fixture (void)
{
  char uid[64];
  int i;

  TH_SETUP (th_init ());
  TH_SETUP (ph_init ());
  TH_SETUP (ph_home_create (&home_t, 0));
  TH_SETUP (ph_home_create (&home_o, 0));
  TH_SETUP (th_genkey (&home_o, "Owner <owner@example.org>", "ed25519",
                       PASS_O, fpr_own));
  for (i = 0; i < 3; i++)
    {
      snprintf (uid, sizeof uid, "Custodian %d <c%d@example.org>", i + 1,
                i + 1);
      TH_SETUP (th_genkey (&home_t, uid, "ed25519", PASS_C, fpr_c[i]));
      TH_SETUP (th_copy_key (&home_t, &home_o, fpr_c[i], 0));
    }
  TH_SETUP (th_new_outdir (&home_o, fixdir));
  TH_SETUP (ph_answer (&home_o, PASS_O "\n", 0));
  TH_SETUP (export_shares (fixdir, "fx", NULL));
}


/* --- helpers ------------------------------------------------------ */

/* Share I (from 1) of the pack NAME in DIR, in th_path's buffers.  */
static const char *
share_file (const char *dir, const char *name, int i)
{
  char file[64];

  snprintf (file, sizeof file, "%s.share-%d-of-3.asc", name, i);
  return th_path (dir, file);
}

/* "CMD [OPTS] --share=A --share=B -- PACK", malloced.  */
static char *
share_line (const char *cmd, const char *opts, const char *a, const char *b,
            const char *pack)
{
  char *line = gpgrt_bsprintf ("%s%s%s --share=%s --share=%s -- %s", cmd,
                               opts ? " " : "", opts ? opts : "", a, b,
                               pack);

  ck_assert_ptr_nonnull (line);
  return line;
}

/* Assert that REPLY reports exactly the import of OWN and that HOME
 * has OWN's secret key.  */
static void
assert_own_imported (th_home_t *home, const th_reply_t *reply)
{
  char *imported = th_status_get (reply->status, "IMPORTED", 0);
  char *sec = th_list_fprs (home, 1);

  ck_assert_msg (imported && !strncmp (imported, fpr_own, 40), "%s",
                 reply->status);
  ck_assert_int_eq (th_status_count (reply->status, "IMPORTED"), 1);
  ck_assert_msg (sec && strstr (sec, fpr_own), "secret keys: %s", sec);
  free (imported);
  free (sec);
}

/* Import the pack NAME in DIR with its shares 1 and 3 into a new clone
 * of home T (R_HOME), C1's and C3's passphrases answered at
 * pinentry.  */
static void
import_pack (const char *dir, const char *name, th_home_t *r_home)
{
  th_reply_t reply;
  char *line, file[64];

  ck_assert_int_eq (ph_home_clone (&home_t, r_home), 0);
  ck_assert_int_eq (ph_answer (r_home, PASS_C "\n", 0), 0);
  snprintf (file, sizeof file, "%s.gpgpack", name);
  line = share_line ("PACK_IMPORT", NULL, share_file (dir, name, 1),
                     share_file (dir, name, 3), th_path (dir, file));
  ck_assert_int_eq (th_command (r_home, 1, line, NULL, &reply), 0);
  assert_own_imported (r_home, &reply);
  ck_assert_int_ge (ph_asked (r_home), 2);
  ck_assert (ph_described (r_home, "<c1@example.org>"));
  ck_assert (ph_described (r_home, "<c3@example.org>"));
  ck_assert (!ph_described (r_home, "<c2@example.org>"));
  th_reply_free (&reply);
  gpgrt_free (line);
}

/* Assert that gpg-agent of HOME keeps every key of OWN in a file of
 * private-keys-v1.d as a protected-private-key.  */
static void
assert_files_protected (th_home_t *home)
{
  gpgme_ctx_t ctx;
  gpgme_key_t key;
  gpgme_subkey_t sub;
  char file[64], *buf;
  size_t len;

  ck_assert_int_eq (th_gpgme_new (home, &ctx), 0);
  ck_assert_int_eq (gpgme_get_key (ctx, fpr_own, &key, 1), 0);
  for (sub = key->subkeys; sub; sub = sub->next)
    {
      ck_assert_ptr_nonnull (sub->keygrip);
      snprintf (file, sizeof file, "private-keys-v1.d/%s.key", sub->keygrip);
      ck_assert_int_eq (th_read_file (th_path (home->dir, file), &buf,
                                      &len), 0);
      ck_assert_msg (memmem (buf, len, "protected-private-key", 21),
                     "%s is not protected", file);
      free (buf);
    }
  gpgme_key_unref (key);
  gpgme_release (ctx);
}

/* Sign a text with OWN in HOME by GPGME, gpg-agent's pinentry
 * answering PASS; return GPGME's error.  */
static gpg_error_t
sign_with_own (th_home_t *home, const char *pass)
{
  gpgme_data_t in, out;
  gpgme_ctx_t ctx;
  gpgme_key_t key;
  gpg_error_t err;

  ck_assert_int_eq (ph_answer (home, pass, 0), 0);
  ck_assert_int_eq (th_gpgme_new (home, &ctx), 0);
  ck_assert_int_eq (gpgme_get_key (ctx, fpr_own, &key, 1), 0);
  ck_assert_int_eq (gpgme_signers_add (ctx, key), 0);
  ck_assert_int_eq (gpgme_data_new_from_mem (&in, "text", 4, 0), 0);
  ck_assert_int_eq (gpgme_data_new (&out), 0);
  err = gpgme_op_sign (ctx, in, out, GPGME_SIG_MODE_DETACH);
  gpgme_data_release (in);
  gpgme_data_release (out);
  gpgme_key_unref (key);
  gpgme_release (ctx);
  return err;
}

/* Assert that the keyring of HOME and DIR are in the state BEFORE
 * (th_dir_state), which is freed.  */
static void
assert_unchanged (th_home_t *home, const char *dir, char *before)
{
  char *after = th_dir_state (home, dir);

  ck_assert_ptr_nonnull (after);
  ck_assert_str_eq (before, after);
  gpgrt_free (before);
  gpgrt_free (after);
}


/* --- PACK_EXPORT of a protected key ------------------------------- */

/* Pinentry asks for OWN's passphrase; the three shares and the pack
 * are written; two shares import OWN elsewhere, still protected by
 * the same passphrase.  */
START_TEST (test_export_import)
{
  th_reply_t reply;
  th_home_t d;
  char dir[128];
  int asked;

  ck_assert_int_eq (th_new_outdir (&home_o, dir), 0);
  ck_assert_int_eq (ph_answer (&home_o, PASS_O "\n", 0), 0);
  ck_assert_int_eq (export_shares (dir, "ex", &reply), 0);
  /* Once for primary key and subkey (gpg-agent's cache nonce); twice
   * when the nonce expired on a slow machine (see check_pinentry).  */
  asked = ph_asked (&home_o);
  ck_assert_msg (asked == 1 || asked == 2, "asked %d times", asked);
  ck_assert (ph_described (&home_o, "<owner@example.org>"));
  ck_assert_int_eq (th_status_count (reply.status, "SHARE_CREATED"), 3);
  ck_assert_int_eq (th_dir_entries (dir), 5);   /* + .gpgpack .pub.asc */
  th_reply_free (&reply);

  import_pack (dir, "ex", &d);
  assert_files_protected (&d);
  ck_assert_int_eq (sign_with_own (&d, PASS_O "\n"), 0);
  ck_assert_int_eq (ph_asked (&d), 1);
  ck_assert (ph_described (&d, "<owner@example.org>"));
  th_home_destroy (&d);
}
END_TEST

/* Cancelled at pinentry: GPG_ERR_CANCELED, no file, keyring as it
 * was.  */
START_TEST (test_export_cancel)
{
  char dir[128], *before;

  ck_assert_int_eq (th_new_outdir (&home_o, dir), 0);
  before = th_dir_state (&home_o, dir);
  ck_assert_ptr_nonnull (before);
  ck_assert_int_eq (ph_answer (&home_o, PASS_O "\n", 1), 0);
  ck_assert_int_eq (gpg_err_code (export_shares (dir, "cx", NULL)),
                    GPG_ERR_CANCELED);
  ck_assert_int_ge (ph_asked (&home_o), 1);
  ck_assert_int_eq (th_dir_entries (dir), 0);
  assert_unchanged (&home_o, dir, before);
}
END_TEST


/* --- SHARE_REFRESH with protected custodian keys ------------------ */

/* A clone of home T (R_HOME) with a copy of the fixture pack and its
 * shares in its new directory R_DIR, pinentry answering PASS_C or,
 * with CANCEL, cancelling.  Returns the state of the keyring and the
 * directory (th_dir_state).  */
static char *
refresh_home (th_home_t *r_home, char r_dir[128], int cancel)
{
  char *buf, *state;
  size_t len;
  int i;

  ck_assert_int_eq (ph_home_clone (&home_t, r_home), 0);
  ck_assert_int_eq (th_new_outdir (r_home, r_dir), 0);
  ck_assert_int_eq (th_read_file (th_path (fixdir, "fx.gpgpack"), &buf,
                                  &len), 0);
  ck_assert_int_eq (th_write_file (th_path (r_dir, "fx.gpgpack"), buf,
                                   len), 0);
  free (buf);
  for (i = 1; i <= 3; i++)
    {
      ck_assert_int_eq (th_read_file (share_file (fixdir, "fx", i), &buf,
                                      &len), 0);
      ck_assert_int_eq (th_write_file (share_file (r_dir, "fx", i), buf,
                                       len), 0);
      free (buf);
    }
  ck_assert_int_eq (ph_answer (r_home, PASS_C "\n", cancel), 0);
  state = th_dir_state (r_home, r_dir);
  ck_assert_ptr_nonnull (state);
  return state;
}

/* Answered: generation 2 shares for C1 and C2, which import OWN.  */
START_TEST (test_refresh)
{
  th_reply_t reply;
  th_home_t r;
  char dir[128], *line;

  gpgrt_free (refresh_home (&r, dir, 0));
  line = share_line ("SHARE_REFRESH", NULL, share_file (dir, "fx", 1),
                     share_file (dir, "fx", 2), th_path (dir, "fx.gpgpack"));
  ck_assert_int_eq (th_command (&r, 1, line, NULL, &reply), 0);
  ck_assert_int_ge (ph_asked (&r), 2);
  ck_assert (ph_described (&r, "<c1@example.org>"));
  ck_assert (ph_described (&r, "<c2@example.org>"));
  ck_assert_int_eq (th_status_count (reply.status, "SHARE_CREATED"), 2);
  th_reply_free (&reply);
  gpgrt_free (line);

  ck_assert_int_eq (ph_answer (&r, PASS_C "\n", 0), 0);
  line = share_line ("PACK_IMPORT", NULL, th_path (dir, "fx.g2.share-1-of-2.asc"),
                     th_path (dir, "fx.g2.share-2-of-2.asc"),
                     th_path (dir, "fx.gpgpack"));
  ck_assert_int_eq (th_command (&r, 1, line, NULL, &reply), 0);
  assert_own_imported (&r, &reply);
  th_reply_free (&reply);
  gpgrt_free (line);
  th_home_destroy (&r);
}
END_TEST

/* Cancelled: GPG_ERR_CANCELED, nothing written, the directory and the
 * keyring byte-identical.  */
START_TEST (test_refresh_cancel)
{
  th_home_t r;
  char dir[128], *line, *before;

  before = refresh_home (&r, dir, 1);
  line = share_line ("SHARE_REFRESH", NULL, share_file (dir, "fx", 1),
                     share_file (dir, "fx", 2), th_path (dir, "fx.gpgpack"));
  ck_assert_int_eq (gpg_err_code (th_command (&r, 1, line, NULL, NULL)),
                    GPG_ERR_CANCELED);
  ck_assert_int_ge (ph_asked (&r), 1);
  assert_unchanged (&r, dir, before);
  gpgrt_free (line);
  th_home_destroy (&r);
}
END_TEST

/* Run "gpgpack share-refresh" in HOME on the copy in DIR with shares 1
 * and 2; the exit status, stderr at R_ERR.  */
static int
cli_refresh (th_home_t *home, const char *dir, char **r_err)
{
  const char *argv[] = { th_prog ("GPGPACK", "gpgpack"), "--homedir",
                         home->dir, "--batch", "share-refresh", NULL,
                         "--share", NULL, "--share", NULL, NULL };

  argv[5] = th_path (dir, "fx.gpgpack");
  argv[7] = share_file (dir, "fx", 1);
  argv[9] = share_file (dir, "fx", 2);
  return th_run (argv, NULL, NULL, r_err);
}

/* gpgpack share-refresh: cancelled, one line naming the cancel and
 * nothing changed; answered, the new shares.  */
START_TEST (test_cli_refresh)
{
  th_home_t r;
  char dir[128], *err, *before;

  before = refresh_home (&r, dir, 1);
  ck_assert_int_ne (cli_refresh (&r, dir, &err), 0);
  ck_assert_msg (strstr (err, "cancel") && strchr (err, '\n')
                 == err + strlen (err) - 1, "%s", err);
  free (err);
  assert_unchanged (&r, dir, before);

  ck_assert_int_eq (ph_answer (&r, PASS_C "\n", 0), 0);
  ck_assert_msg (!cli_refresh (&r, dir, &err), "%s", err);
  free (err);
  ck_assert_int_ge (ph_asked (&r), 2);
  ck_assert_int_eq (th_dir_entries (dir), 4 + 2);
  th_home_destroy (&r);
}
END_TEST


/* --- PACK_IMPORT by a loopback client ----------------------------- */

/* On a new "gpgpackd --server" of HOME in pinentry-mode loopback,
 * import the fixture pack with shares 1 and 2, answering INQUIRE
 * KEY_PASSPHRASE with PASS.  */
static gpg_error_t
loopback_import (th_home_t *home, const char *pass, th_reply_t *reply)
{
  th_inquiry_t inq[] = { { "KEY_PASSPHRASE", pass, strlen (pass) },
                         { NULL } };
  assuan_context_t ctx;
  char *line;
  gpg_error_t err;

  ck_assert_int_eq (th_connect_server (home, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, "OPTION pinentry-mode=loopback",
                                 NULL, NULL), 0);
  line = share_line ("PACK_IMPORT", NULL, share_file (fixdir, "fx", 1),
                     share_file (fixdir, "fx", 2),
                     th_path (fixdir, "fx.gpgpack"));
  err = th_transact (ctx, line, inq, reply);
  gpgrt_free (line);
  assuan_release (ctx);
  return err;
}

/* The right passphrase imports; the client is asked, pinentry
 * never.  */
START_TEST (test_loopback_import)
{
  th_reply_t reply;
  th_home_t d;

  ck_assert_int_eq (ph_home_clone (&home_t, &d), 0);
  ck_assert_int_eq (ph_answer (&d, "not asked\n", 0), 0);
  ck_assert_int_eq (loopback_import (&d, PASS_C, &reply), 0);
  assert_own_imported (&d, &reply);
  ck_assert_msg (strstr (reply.inquiries, "KEY_PASSPHRASE"), "%s",
                 reply.inquiries);
  ck_assert_int_eq (ph_asked (&d), 0);
  th_reply_free (&reply);
  th_home_destroy (&d);
}
END_TEST

/* gpg-connect-agent in pinentry-mode loopback imports the fixture
 * pack with shares 1 and 2 on HOME's daemon, answering KEY_PASSPHRASE
 * from the file PASSFILE; its output, escapes decoded, at R_OUT.  */
static void
gca_loopback_import (th_home_t *home, const char *passfile, char **r_out)
{
  char *line, *script;

  line = share_line ("PACK_IMPORT", NULL, share_file (fixdir, "fx", 1),
                     share_file (fixdir, "fx", 2),
                     th_path (fixdir, "fx.gpgpack"));
  script = gpgrt_bsprintf ("OPTION pinentry-mode=loopback\n"
                           "/definqfile KEY_PASSPHRASE %s\n%s\n",
                           passfile, line);
  ck_assert_ptr_nonnull (script);
  ck_assert_int_eq (th_gca (home, script, r_out), 0);
  th_unescape (*r_out);
  gpgrt_free (script);
  gpgrt_free (line);
}

/* A wrong passphrase: GPG_ERR_BAD_PASSPHRASE, by libassuan,
 * gpg-connect-agent (with a text naming the share) and the CLI (one
 * line); keyring unchanged, pinentry never asked.  */
START_TEST (test_loopback_wrong)
{
  const char *argv[] = { th_prog ("GPGPACK", "gpgpack"), "--homedir", NULL,
                         "--batch", "--openpgp-passphrase-file", NULL,
                         "import", "--share", NULL, "--share", NULL, NULL,
                         NULL };
  th_reply_t reply;
  th_home_t d;
  char *before, *after, *out, *err;

  ck_assert_int_eq (ph_home_clone (&home_t, &d), 0);
  ck_assert_int_eq (ph_answer (&d, "not asked\n", 0), 0);
  before = th_keyring_state (&d);
  ck_assert_int_eq (gpg_err_code (loopback_import (&d, "wrong", &reply)),
                    GPG_ERR_BAD_PASSPHRASE);
  th_reply_free (&reply);

  ck_assert_int_eq (th_write_file (th_path (d.dir, "wrong.pass"), "wrong",
                                   5), 0);
  ck_assert_int_eq (th_daemon_start (&d), 0);
  gca_loopback_import (&d, th_path (d.dir, "wrong.pass"), &out);
  ck_assert_msg (th_gca_errcode (out) == GPG_ERR_BAD_PASSPHRASE
                 && strstr (out, "Bad passphrase")
                 && strstr (out, "decrypting share 1 ("), "%s", out);
  free (out);

  argv[2] = d.dir;
  argv[5] = th_path (d.dir, "wrong.pass");
  argv[8] = share_file (fixdir, "fx", 1);
  argv[10] = share_file (fixdir, "fx", 2);
  argv[11] = th_path (fixdir, "fx.gpgpack");
  ck_assert_int_eq (th_run (argv, NULL, NULL, &err), 1);
  ck_assert_msg (strstr (err, "Bad passphrase")
                 && strchr (err, '\n') == err + strlen (err) - 1, "%s", err);
  free (err);

  after = th_keyring_state (&d);
  ck_assert_str_eq (before, after);
  ck_assert_int_eq (ph_asked (&d), 0);
  gpgrt_free (before);
  gpgrt_free (after);
  th_home_destroy (&d);
}
END_TEST


static Suite *
protkeys_suite (void)
{
  Suite *s = suite_create ("protkeys");
  TCase *tc = tcase_create ("protkeys");

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_export_import);
  tcase_add_test (tc, test_export_cancel);
  tcase_add_test (tc, test_refresh);
  tcase_add_test (tc, test_refresh_cancel);
  tcase_add_test (tc, test_cli_refresh);
  tcase_add_test (tc, test_loopback_import);
  tcase_add_test (tc, test_loopback_wrong);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return th_main (setup_fixture, protkeys_suite);
}
