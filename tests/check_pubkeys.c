/* check_pubkeys.c - NAME.pub.asc is gpg's armored export, whatever the patterns
 *
 * gpgpackd armors NAME.pub.asc itself from the public export that found
 * the keys (assuan-protocol/pubkeys.c); these tests hold it to what
 * "gpg --export --armor" writes for the same keys when the patterns
 * come in another order than the keyring's, are several user IDs (one
 * gpg run each, then one for all), mix subkey and "0x" fingerprints,
 * and when --exclude-no-secret drops a key.  Home K holds Alice, Bob
 * (ed25519 with a cv25519 subkey, no passphrase) and Carol's public key
 * only, generated in that order.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "harness.h"

static th_home_t home_k, home_c;
static char fpr_alice[41], fpr_bob[41], fpr_carol[41];

static void
setup_fixture (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_k));
  TH_SETUP (th_home_create (&home_c));
  TH_SETUP (th_genkey (&home_k, "Alice <alice@example.org>", "ed25519",
                       NULL, fpr_alice));
  TH_SETUP (th_genkey (&home_k, "Bob <bob@example.org>", "ed25519", NULL,
                       fpr_bob));
  TH_SETUP (th_genkey (&home_c, "Carol <carol@example.org>", "ed25519",
                       NULL, fpr_carol));
  TH_SETUP (th_copy_key (&home_c, &home_k, fpr_carol, 0));
  TH_SETUP (th_daemon_start (&home_k));
}

/* PACK_EXPORT OPTS --output-dir=DIR --name=p -- PATTERNS in home K into
 * a new directory DIR; the reply goes to REPLY.  */
static gpg_error_t
export (char dir[128], const char *opts, const char *patterns,
        th_reply_t *reply)
{
  char *line;
  gpg_error_t err;

  ck_assert_int_eq (th_new_outdir (&home_k, dir), 0);
  line = gpgrt_bsprintf ("PACK_EXPORT %s --output-dir=%s --name=p -- %s",
                         opts, dir, patterns);
  ck_assert_ptr_nonnull (line);
  err = th_command (&home_k, 0, line, NULL, reply);
  gpgrt_free (line);
  return err;
}

/* Assert that DIR/p.pub.asc is what "gpg --export --armor" writes for
 * the NULL-terminated PATTERNS in home K.  */
static void
assert_gpg_armor (const char *dir, const char *const *patterns)
{
  const char *argv[16] = { th_prog ("GPG", "gpg"), "--homedir", home_k.dir,
                           "--batch", "--export", "--armor" };
  char *want = NULL, *got = NULL;
  size_t len;
  int i;

  for (i = 0; patterns[i]; i++)
    argv[6 + i] = patterns[i];
  ck_assert_int_eq (th_run (argv, NULL, &want, NULL), 0);
  ck_assert_int_eq (th_read_file (th_path (dir, "p.pub.asc"), &got, &len),
                    0);
  ck_assert_msg (*want, "gpg exported nothing");
  ck_assert_str_eq (got, want);
  free (want);
  free (got);
}

/* Assert that the NTH EXPORTED line of REPLY names FPR.  */
static void
assert_exported (th_reply_t *reply, int nth, const char *fpr)
{
  char *got = th_status_get (reply->status, "EXPORTED", nth);

  ck_assert_msg (got && !strcmp (got, fpr), "EXPORTED #%d: want %s, got %s",
                 nth, fpr, got ? got : "(none)");
  free (got);
}

/* Several user IDs against the keyring's order: one gpg run each, then
 * one for all; the pack keeps the secret keys first in pattern order,
 * NAME.pub.asc gpg's order.  */
START_TEST (test_user_ids)
{
  const char *const want[] = { "carol@example.org", "bob@example.org",
                               "alice@example.org", NULL };
  th_reply_t reply;
  char dir[128];

  ck_assert_int_eq (export (dir, "--secret", "carol@example.org"
                            " bob@example.org alice@example.org", &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "EXPORTED"), 3);
  assert_exported (&reply, 0, fpr_bob);
  assert_exported (&reply, 1, fpr_alice);
  assert_exported (&reply, 2, fpr_carol);
  th_reply_free (&reply);
  assert_gpg_armor (dir, want);
}
END_TEST

/* One user ID matching two keys, public keys only.  */
START_TEST (test_one_pattern)
{
  const char *const want[] = { "example.org", NULL };
  th_reply_t reply;
  char dir[128];

  ck_assert_int_eq (export (dir, "", "example.org", &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "EXPORTED"), 3);
  th_reply_free (&reply);
  assert_gpg_armor (dir, want);
}
END_TEST

/* Fingerprints in reverse order, one as "0x", one of a subkey, and a
 * key named twice: one gpg run, each key once.  */
START_TEST (test_fingerprints)
{
  const char *const want[] = { fpr_alice, fpr_bob, fpr_carol, NULL };
  const char *subkey_argv[] = { th_prog ("GPG", "gpg"), "--homedir",
                                home_k.dir, "--batch", "--with-colons",
                                "--list-keys", fpr_alice, NULL };
  char *listing = NULL, *patterns, *sub, dir[128];
  th_reply_t reply;

  ck_assert_int_eq (th_run (subkey_argv, NULL, &listing, NULL), 0);
  sub = strstr (listing, "\nsub:");
  ck_assert_ptr_nonnull (sub);
  sub = strstr (sub, "\nfpr:::::::::");
  ck_assert_ptr_nonnull (sub);
  sub += strlen ("\nfpr:::::::::");
  sub[40] = 0;
  patterns = gpgrt_bsprintf ("%s 0x%s %s %s", fpr_carol, fpr_bob, sub,
                             fpr_alice);
  ck_assert_ptr_nonnull (patterns);
  ck_assert_int_eq (export (dir, "--secret", patterns, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "EXPORTED"), 3);
  assert_exported (&reply, 0, fpr_bob);
  assert_exported (&reply, 1, fpr_alice);
  th_reply_free (&reply);
  assert_gpg_armor (dir, want);
  gpgrt_free (patterns);
  free (listing);
}
END_TEST

/* --exclude-no-secret leaves Carol out of the pack and of
 * NAME.pub.asc.  */
START_TEST (test_exclude_no_secret)
{
  const char *const want[] = { fpr_bob, fpr_alice, NULL };
  th_reply_t reply;
  char dir[128];

  ck_assert_int_eq (export (dir, "--secret --exclude-no-secret",
                            "carol@example.org bob@example.org"
                            " alice@example.org", &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "EXPORTED"), 2);
  th_reply_free (&reply);
  assert_gpg_armor (dir, want);
}
END_TEST

/* One of several user IDs matching nothing: GPG_ERR_NOT_FOUND naming
 * it, no file left.  */
START_TEST (test_no_match)
{
  th_reply_t reply;
  char dir[128];

  ck_assert_int_eq (gpg_err_code (export (dir, "--secret",
                                          "bob@example.org nobody@example.org"
                                          " alice@example.org", &reply)),
                    GPG_ERR_NOT_FOUND);
  th_reply_free (&reply);
  ck_assert_int_eq (th_dir_entries (dir), 0);
}
END_TEST

static Suite *
pubkeys_suite (void)
{
  Suite *s = suite_create ("pubkeys");
  TCase *tc = tcase_create ("pubkeys");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_user_ids);
  tcase_add_test (tc, test_one_pattern);
  tcase_add_test (tc, test_fingerprints);
  tcase_add_test (tc, test_exclude_no_secret);
  tcase_add_test (tc, test_no_match);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return th_main (setup_fixture, pubkeys_suite);
}
