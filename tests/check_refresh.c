/* check_refresh.c - SHARE_REFRESH and share-refresh with real gpg
 *
 * Home S exports its key as a 2-of-3 share-mode pack to custodians
 * C1..C3; home C holds the secret keys of C1..C5 and runs the daemon
 * that refreshes and re-keys.  Every test works on its own copy of the
 * pack and its shares.  New shares must open the pack and not combine
 * with old ones; old shares still open the old pack (what a refresh
 * does not do); a re-keyed pack opens only with its own shares.  Every
 * refusal must leave the directory (pack, shares, no temp file) and
 * the keyring byte-identical.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <check.h>

#include "harness.h"

#define NCUST        5
#define TEST_TIMEOUT 120

static th_home_t home_s;           /* the key's owner: exports */
static th_home_t home_c;           /* custodians C1..C5, the daemon */
static th_home_t home_pol;         /* C1..C3, gpgpackd.conf: min-threshold 3 */
static char fpr_own[41];
static char fpr_c[NCUST][41];
static char fixdir[128];           /* the exported files */
static char other_share[256];      /* share 1 of another pack */
static char key_pack[256];         /* a pack with a key file */

/* One test's copy of the pack tp and its three shares.  */
static char workdir[128];
static char pack[256];
static char old[3][256];


/* --- setup -------------------------------------------------------- */

/* Export the own key from home S as NAME to DIR: 2-of-3 to C1..C3, or
 * with a key file if !SHARES.  */
static gpg_error_t
export_pack (const char *name, int shares)
{
  const char *wraps[] = { fpr_c[0], fpr_c[1], fpr_c[2], NULL };

  return th_export_secret (&home_s, fpr_own, fixdir, name,
                           shares ? wraps : NULL, NULL);
}

static void
setup_fixture (void)
{
  char uid[64];
  int i;

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_c));
  TH_SETUP (th_home_create (&home_s));
  TH_SETUP (th_home_create (&home_pol));
  TH_SETUP (th_home_write (&home_pol, "gpgpackd.conf", "min-threshold 3\n"));
  for (i = 0; i < NCUST; i++)
    {
      snprintf (uid, sizeof uid, "Custodian %d <c%d@example.org>", i + 1,
                i + 1);
      TH_SETUP (th_genkey (&home_c, uid, "ed25519", NULL, fpr_c[i]));
      if (i < 3)
        TH_SETUP (th_copy_key (&home_c, &home_s, fpr_c[i], 0));
      if (i < 3)
        TH_SETUP (th_copy_key (&home_c, &home_pol, fpr_c[i], 1));
    }
  TH_SETUP (th_genkey (&home_s, "Owner <owner@example.org>", "ed25519",
                       NULL, fpr_own));
  TH_SETUP (th_new_outdir (&home_s, fixdir));
  TH_SETUP (export_pack ("tp", 1));
  TH_SETUP (export_pack ("op", 1));
  TH_SETUP (export_pack ("kp", 0));
  snprintf (other_share, sizeof other_share, "%s/op.share-1-of-3.asc",
            fixdir);
  snprintf (key_pack, sizeof key_pack, "%s/kp.gpgpack", fixdir);
  TH_SETUP (th_daemon_start (&home_c));
}


/* --- helpers ------------------------------------------------------ */

/* Copy the file FROM to TO.  */
static void
copy_file (const char *from, const char *to)
{
  char *buf;
  size_t len;

  ck_assert_int_eq (th_read_file (from, &buf, &len), 0);
  ck_assert_int_eq (th_write_file (to, buf, len), 0);
  free (buf);
}

/* Checked fixture of every test: copy the pack tp and its shares to a
 * new WORKDIR; set PACK, OLD.  */
static void
fresh_copy (void)
{
  char from[256];
  int i;

  ck_assert_int_eq (th_new_outdir (&home_c, workdir), 0);
  snprintf (from, sizeof from, "%s/tp.gpgpack", fixdir);
  snprintf (pack, sizeof pack, "%s/tp.gpgpack", workdir);
  copy_file (from, pack);
  for (i = 0; i < 3; i++)
    {
      snprintf (from, sizeof from, "%s/tp.share-%d-of-3.asc", fixdir, i + 1);
      snprintf (old[i], sizeof old[i], "%s/tp.share-%d-of-3.asc", workdir,
                i + 1);
      copy_file (from, old[i]);
    }
}

/* "WORKDIR/NAME" in one of eight static buffers used in turn.  */
static const char *
work_file (const char *name)
{
  static char buf[8][256];
  static int n;

  n = (n + 1) % 8;
  snprintf (buf[n], sizeof buf[n], "%s/%s", workdir, name);
  return buf[n];
}

/* The names and contents (SHA-256) of every file in DIR, sorted, and
 * the keyring state of home C, malloced: equal states mean nothing
 * was written, removed or changed.  */
static char *
dir_state (const char *dir)
{
  char *state = th_dir_state (&home_c, dir);

  ck_assert_ptr_nonnull (state);
  return state;
}

/* "CMD --share=A ... OPTS -- FILE" for the NULL-terminated SHARES.  */
static char *
share_line (const char *cmd, const char *const *shares, const char *opts,
            const char *file)
{
  char *line = gpgrt_strdup (cmd), *next;
  int i;

  for (i = 0; line && shares[i]; i++)
    {
      next = gpgrt_bsprintf ("%s --share=%s", line, shares[i]);
      gpgrt_free (line);
      line = next;
    }
  ck_assert_ptr_nonnull (line);
  next = gpgrt_bsprintf ("%s %s -- %s", line, opts ? opts : "", file);
  gpgrt_free (line);
  ck_assert_ptr_nonnull (next);
  return next;
}

/* Run "CMD --share=... OPTS -- FILE" on home C's daemon; inquiries get
 * empty answers.  */
static gpg_error_t
run (const char *cmd, const char *const *shares, const char *opts,
     const char *file, th_reply_t *reply)
{
  char *line = share_line (cmd, shares, opts, file);
  gpg_error_t err;

  err = th_command (&home_c, 0, line, NULL, reply);
  gpgrt_free (line);
  return err;
}

/* Assert that the pack FILE opens with SHARES (the whole pack
 * authenticated, nothing imported).  */
static void
assert_opens (const char *file, const char *const *shares)
{
  th_reply_t reply;
  char *candidate;

  ck_assert_int_eq (run ("PACK_IMPORT --dry-run", shares, NULL, file,
                         &reply), 0);
  candidate = th_status_get (reply.status, "IMPORT_CANDIDATE", 0);
  ck_assert_msg (candidate && strstr (reply.status, fpr_own), "%s",
                 reply.status);
  free (candidate);
  th_reply_free (&reply);
}

/* Run "CMD --share=... OPTS -- FILE" by gpg-connect-agent: it must
 * fail with CODE and a text containing the printf output of TEXTFMT,
 * leaving WORKDIR and the keyring as they were.  */
static void
must_fail (const char *cmd, const char *const *shares, const char *opts,
           const char *file, gpg_err_code_t code, const char *textfmt, ...)
{
  char *before = dir_state (workdir), *after, *text, *out, *script;
  char *line = share_line (cmd, shares, opts, file);
  gpg_err_code_t got;
  va_list ap;

  script = gpgrt_bsprintf ("/definqfile SHARE /dev/null\n%s\n", line);
  ck_assert_ptr_nonnull (script);
  ck_assert_int_eq (th_gca (&home_c, script, &out), 0);
  th_unescape (out);
  got = th_gca_errcode (out);
  ck_assert_msg (got == code, "want %s, got %s in:\n%s",
                 gpg_strerror (gpg_error (code)),
                 gpg_strerror (gpg_error (got)), out);
  va_start (ap, textfmt);
  text = gpgrt_vbsprintf (textfmt, ap);
  va_end (ap);
  ck_assert_msg (text && strstr (out, text), "no '%s' in:\n%s", text, out);
  after = dir_state (workdir);
  ck_assert_str_eq (before, after);
  gpgrt_free (text);
  gpgrt_free (script);
  gpgrt_free (line);
  gpgrt_free (before);
  gpgrt_free (after);
  free (out);
}

/* The pack id PACK_INFO reports for FILE, malloced.  */
static char *
pack_id (const char *file)
{
  const char *none[] = { NULL };
  th_reply_t reply;
  char *id;

  ck_assert_int_eq (run ("PACK_INFO", none, NULL, file, &reply), 0);
  id = th_status_get (reply.status, "PACK_ID", 0);
  ck_assert_ptr_nonnull (id);
  th_reply_free (&reply);
  return id;
}

/* Assert that status line NTH of KEYWORD in REPLY is WANT.  */
static void
assert_status (const th_reply_t *reply, const char *keyword, int nth,
               const char *want)
{
  char *got = th_status_get (reply->status, keyword, nth);

  ck_assert_msg (got && !strcmp (got, want), "want %s %s in:\n%s", keyword,
                 want, reply->status);
  free (got);
}

/* Assert that the work copy's pack is byte-identical to the exported
 * one.  */
static void
assert_pack_untouched (void)
{
  char orig[256], *a, *b;
  size_t alen, blen;

  snprintf (orig, sizeof orig, "%s/tp.gpgpack", fixdir);
  ck_assert_int_eq (th_read_file (orig, &a, &alen), 0);
  ck_assert_int_eq (th_read_file (pack, &b, &blen), 0);
  ck_assert (alen == blen && !memcmp (a, b, alen));
  free (a);
  free (b);
}

/* Assert that share line NTH of REPLY is "NTH+1 FPR WORKDIR/NAME".  */
static void
assert_share (const th_reply_t *reply, int nth, const char *fpr,
              const char *name)
{
  char want[512];

  snprintf (want, sizeof want, "%d %s %s/%s", nth + 1, fpr, workdir, name);
  assert_status (reply, "SHARE_CREATED", nth, want);
}

/* Refresh the work copy with OLD shares 1 and 3 and OPTS; assert it
 * worked.  */
static void
refresh_ok (const char *opts, th_reply_t *reply)
{
  const char *shares[] = { old[0], old[2], NULL };

  ck_assert_int_eq (run ("SHARE_REFRESH", shares, opts, pack, reply), 0);
}


/* --- refresh ------------------------------------------------------ */

/* All three shares: three new ones to C1..C3, generation 2, beside the
 * pack; they open it, the pack is unchanged, and a second refresh
 * gives generation 3.  */
START_TEST (test_same_custodians)
{
  const char *all[] = { old[0], old[1], old[2], NULL };
  const char *g2[] = { work_file ("tp.g2.share-1-of-3.asc"),
                       work_file ("tp.g2.share-3-of-3.asc"), NULL };
  const char *g3[] = { work_file ("tp.g3.share-1-of-2.asc"),
                       work_file ("tp.g3.share-2-of-2.asc"), NULL };
  char *id, want[512], name[64];
  th_reply_t reply;
  int i;

  ck_assert_int_eq (run ("SHARE_REFRESH", all, NULL, pack, &reply), 0);
  id = pack_id (pack);
  for (i = 0; i < 3; i++)
    {
      snprintf (name, sizeof name, "tp.g2.share-%d-of-3.asc", i + 1);
      assert_share (&reply, i, fpr_c[i], name);
    }
  snprintf (want, sizeof want, "%s 2 2 3", id);
  assert_status (&reply, "SHARE_REFRESHED", 0, want);
  th_reply_free (&reply);
  assert_opens (pack, g2);
  ck_assert_int_eq (run ("SHARE_REFRESH", g2, NULL, pack, &reply), 0);
  th_reply_free (&reply);
  assert_opens (pack, g3);
  ck_assert_int_eq (gpg_err_code (run ("SHARE_REFRESH", g2, NULL, pack,
                                       NULL)), GPG_ERR_EEXIST);
  assert_pack_untouched ();
  ck_assert_int_eq (th_dir_entries (workdir), 4 + 3 + 2);
  free (id);
}
END_TEST

/* New custodians C3..C5, 3-of-3, to another directory and name: all
 * three open the pack, two do not.  */
START_TEST (test_new_custodians)
{
  char opts[512], outdir[128];
  const char *new3[4], *new2[3];
  th_reply_t reply;
  int i;

  ck_assert_int_eq (th_new_outdir (&home_c, outdir), 0);
  snprintf (opts, sizeof opts, "--shares=3 --threshold=3 --wrap-key=%s"
            " --wrap-key=%s --wrap-key=%s --output-dir=%s --name=team",
            fpr_c[2], fpr_c[3], fpr_c[4], outdir);
  refresh_ok (opts, &reply);
  for (i = 0; i < 3; i++)
    {
      char want[512], *path = gpgrt_bsprintf ("%s/team.g2.share-%d-of-3.asc",
                                              outdir, i + 1);

      snprintf (want, sizeof want, "%d %s %s", i + 1, fpr_c[2 + i], path);
      assert_status (&reply, "SHARE_CREATED", i, want);
      new3[i] = path;
    }
  new3[3] = NULL;
  ck_assert_int_eq (th_dir_entries (outdir), 3);
  th_reply_free (&reply);
  assert_opens (pack, new3);
  new2[0] = new3[0];
  new2[1] = new3[2];
  new2[2] = NULL;
  must_fail ("PACK_IMPORT --dry-run", new2, NULL, pack,
             GPG_ERR_MISSING_KEY, "need 3 shares, have 2");
  for (i = 0; i < 3; i++)
    gpgrt_free ((char *) new3[i]);
}
END_TEST

/* Old and new shares do not combine, in an import and in a refresh;
 * the old shares still open the pack (what a refresh does not do).  */
START_TEST (test_generations)
{
  const char *mixed[] = { work_file ("tp.g2.share-1-of-2.asc"), old[2],
                          work_file ("tp.g2.share-2-of-2.asc"), NULL };
  const char *olds[] = { old[1], old[2], NULL };
  th_reply_t reply;

  refresh_ok (NULL, &reply);
  assert_share (&reply, 0, fpr_c[0], "tp.g2.share-1-of-2.asc");
  assert_share (&reply, 1, fpr_c[2], "tp.g2.share-2-of-2.asc");
  th_reply_free (&reply);
  must_fail ("PACK_IMPORT --dry-run", mixed, NULL, pack, GPG_ERR_CONFLICT,
             "share 2 (%s) is from generation 1, the others from 2",
             old[2]);
  must_fail ("SHARE_REFRESH", mixed, NULL, pack, GPG_ERR_CONFLICT,
             "share 2 (%s) is from generation 1, the others from 2",
             old[2]);
  assert_opens (pack, olds);
}
END_TEST

/* A share given decrypted names no key: the new custodians must be
 * given; with them it works.  */
START_TEST (test_decrypted_share)
{
  const char *dec = work_file ("share-1.txt");
  const char *shares[] = { dec, old[1], NULL };
  char opts[256];
  th_reply_t reply;

  ck_assert_int_eq (th_gpg_decrypt (&home_c, NULL, old[0], dec), 0);
  must_fail ("SHARE_REFRESH", shares, NULL, pack, GPG_ERR_MISSING_VALUE,
             "share 1 came decrypted, so its custodian's key is unknown");
  snprintf (opts, sizeof opts, "--shares=2 --threshold=2 --wrap-key=%s"
            " --wrap-key=%s", fpr_c[0], fpr_c[3]);
  ck_assert_int_eq (run ("SHARE_REFRESH", shares, opts, pack, &reply), 0);
  assert_share (&reply, 1, fpr_c[3], "tp.g2.share-2-of-2.asc");
  th_reply_free (&reply);
}
END_TEST


/* --- re-key ------------------------------------------------------- */

/* A new pack with a new id and key: it opens with its new shares only;
 * the old pack is untouched and the old shares still open it.  */
START_TEST (test_rekey)
{
  const char *all[] = { old[0], old[1], old[2], NULL };
  const char *news[] = { work_file ("tp.rekeyed.share-1-of-3.asc"),
                         work_file ("tp.rekeyed.share-3-of-3.asc"), NULL };
  const char *olds[] = { old[0], old[1], NULL };
  const char *newpack = work_file ("tp.rekeyed.gpgpack");
  char *old_id, *new_id, want[512];
  th_reply_t reply;

  old_id = pack_id (pack);
  ck_assert_int_eq (run ("SHARE_REFRESH --rekey", all, NULL, pack, &reply),
                    0);
  new_id = pack_id (newpack);
  ck_assert_str_ne (old_id, new_id);
  snprintf (want, sizeof want, "%s %s -", new_id, newpack);
  assert_status (&reply, "PACK_CREATED", 0, want);
  snprintf (want, sizeof want, "%s 1 2 3", new_id);
  assert_status (&reply, "SHARE_REFRESHED", 0, want);
  assert_share (&reply, 2, fpr_c[2], "tp.rekeyed.share-3-of-3.asc");
  th_reply_free (&reply);
  assert_opens (newpack, news);
  must_fail ("PACK_IMPORT --dry-run", olds, NULL, newpack, GPG_ERR_INV_ID,
             "is of pack %s, not of this pack %s", old_id, new_id);
  assert_pack_untouched ();
  assert_opens (pack, olds);
  ck_assert_int_eq (th_dir_entries (workdir), 4 + 1 + 3);
  free (old_id);
  free (new_id);
}
END_TEST

/* A re-key with --name and two shares: two new shares, C1 and C3.  */
START_TEST (test_rekey_named)
{
  const char *news[] = { work_file ("moved.share-1-of-2.asc"),
                         work_file ("moved.share-2-of-2.asc"), NULL };
  th_reply_t reply;

  refresh_ok ("--rekey --name=moved", &reply);
  assert_share (&reply, 1, fpr_c[2], "moved.share-2-of-2.asc");
  th_reply_free (&reply);
  assert_opens (work_file ("moved.gpgpack"), news);
  assert_pack_untouched ();
}
END_TEST


/* --- refusals ----------------------------------------------------- */

START_TEST (test_too_few)
{
  const char *one[] = { old[0], NULL };

  must_fail ("SHARE_REFRESH", one, NULL, pack, GPG_ERR_MISSING_KEY,
             "need 2 shares, have 1");
}
END_TEST

/* A share of another pack; a pack with a key file; the shares given
 * with another pack.  */
START_TEST (test_wrong_pack)
{
  const char *shares[] = { old[0], old[1], NULL };
  const char *foreign[] = { old[0], other_share, NULL };
  char other[256];

  must_fail ("SHARE_REFRESH", foreign, NULL, pack, GPG_ERR_INV_ID,
             "share 2 (%s) is of pack", other_share);
  must_fail ("SHARE_REFRESH", shares, NULL, key_pack, GPG_ERR_NOT_SUPPORTED,
             "was not exported in share mode");
  snprintf (other, sizeof other, "%s/op.gpgpack", fixdir);
  must_fail ("SHARE_REFRESH", shares, NULL, other, GPG_ERR_INV_ID,
             "is of pack");
}
END_TEST

/* Failures where the files are made: no directory, a file in the way,
 * an unknown wrap key.  Nothing appears, nothing changes.  */
START_TEST (test_write_failures)
{
  const char *shares[] = { old[0], old[1], NULL };
  char opts[512];

  must_fail ("SHARE_REFRESH --output-dir=/nonexistent/dir", shares, NULL,
             pack, GPG_ERR_ENOENT, "give a writable --output-dir");
  ck_assert_int_eq (th_write_file (work_file ("tp.g2.share-2-of-2.asc"),
                                   "keep\n", 5), 0);
  must_fail ("SHARE_REFRESH", shares, NULL, pack, GPG_ERR_EEXIST,
             "tp.g2.share-2-of-2.asc' already exists and is never"
             " replaced");
  snprintf (opts, sizeof opts, "--shares=2 --threshold=2 --wrap-key=%s"
            " --wrap-key=%s --name=x", fpr_c[0], fpr_own);
  must_fail ("SHARE_REFRESH", shares, opts, pack, GPG_ERR_NO_PUBKEY,
             "wrap key %s is not in the keyring", fpr_own);
  must_fail ("SHARE_REFRESH --rekey", shares, opts, pack, GPG_ERR_NO_PUBKEY,
             "wrap key %s is not in the keyring", fpr_own);
  if (geteuid ())             /* root writes anyway */
    {
      ck_assert_int_eq (chmod (workdir, 0500), 0);
      must_fail ("SHARE_REFRESH --name=y", shares, NULL, pack,
                 GPG_ERR_EACCES, "give a writable --output-dir");
      ck_assert_int_eq (chmod (workdir, 0700), 0);
    }
}
END_TEST

/* Bad options: each its own error, nothing written.  */
START_TEST (test_bad_options)
{
  const char *shares[] = { old[0], old[1], NULL };

  must_fail ("SHARE_REFRESH --threshold=2", shares, NULL, pack,
             GPG_ERR_INV_ARG, "--threshold needs --shares=N");
  must_fail ("SHARE_REFRESH --shares=3 --threshold=1", shares, NULL, pack,
             GPG_ERR_INV_VALUE, "at least 2 shares must be needed");
  must_fail ("SHARE_REFRESH --name=.hidden", shares, NULL, pack,
             GPG_ERR_INV_NAME, "invalid name '.hidden'");
}
END_TEST


/* The policy of gpgpackd.conf holds for the new shares as for an
 * export: the default 2-of-3 is below min-threshold 3, 3-of-3 is
 * not.  */
START_TEST (test_policy)
{
  const char *all[] = { old[0], old[1], old[2], NULL };
  char *line = share_line ("SHARE_REFRESH", all, NULL, pack);
  char *before = dir_state (workdir), *after, opts[512];
  gpg_error_t err;

  err = th_command (&home_pol, 1, line, NULL, NULL);
  ck_assert_int_eq (gpg_err_code (err), GPG_ERR_FORBIDDEN);
  after = dir_state (workdir);
  ck_assert_str_eq (before, after);
  gpgrt_free (line);
  snprintf (opts, sizeof opts, "--shares=3 --threshold=3 --wrap-key=%s"
            " --wrap-key=%s --wrap-key=%s", fpr_c[0], fpr_c[1], fpr_c[2]);
  line = share_line ("SHARE_REFRESH", all, opts, pack);
  ck_assert_int_eq (th_command (&home_pol, 1, line, NULL, NULL), 0);
  ck_assert_int_eq (th_dir_entries (workdir), 4 + 3);
  gpgrt_free (line);
  gpgrt_free (before);
  gpgrt_free (after);
}
END_TEST


/* --- the CLI ------------------------------------------------------ */

/* Run gpgpack share-refresh on the work copy with shares 1 and 2 and
 * EXTRA (or NULL); the exit status, stdout at R_OUT.  */
static int
cli_refresh (const char *extra, char **r_out)
{
  const char *argv[] = { th_prog ("GPGPACK", "gpgpack"), "--homedir",
                         home_c.dir, "--batch", "share-refresh", pack,
                         "--share", old[0], "--share", old[1], extra, NULL };

  return th_run (argv, NULL, r_out, NULL);
}

START_TEST (test_cli)
{
  char *out;

  ck_assert_int_eq (cli_refresh (NULL, &out), 0);
  ck_assert_msg (strstr (out, "generation 2: any 2 of these 2 shares")
                 && strstr (out, "enough OLD shares still open it"),
                 "%s", out);
  free (out);
  ck_assert_int_eq (cli_refresh ("--rekey", &out), 0);
  ck_assert_msg (strstr (out, "new pack: ") && strstr (out, "Destroy that"
                                                       " pack"), "%s", out);
  free (out);
  ck_assert_int_ne (cli_refresh ("--rekey", &out), 0);   /* exists */
  free (out);
  ck_assert_int_eq (th_dir_entries (workdir), 4 + 2 + 3);
}
END_TEST


/* A new test case NAME of S whose tests each get a fresh copy.  */
static TCase *
add_tcase (Suite *s, const char *name)
{
  TCase *tc = tcase_create (name);

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_checked_fixture (tc, fresh_copy, NULL);
  suite_add_tcase (s, tc);
  return tc;
}

static Suite *
refresh_suite (void)
{
  Suite *s = suite_create ("refresh");
  TCase *tc = add_tcase (s, "refresh");

  tcase_add_test (tc, test_same_custodians);
  tcase_add_test (tc, test_new_custodians);
  tcase_add_test (tc, test_generations);
  tcase_add_test (tc, test_decrypted_share);
  tcase_add_test (tc, test_rekey);
  tcase_add_test (tc, test_rekey_named);
  tcase_add_test (tc, test_cli);
  tc = add_tcase (s, "bad");
  tcase_add_test (tc, test_too_few);
  tcase_add_test (tc, test_wrong_pack);
  tcase_add_test (tc, test_write_failures);
  tcase_add_test (tc, test_bad_options);
  tcase_add_test (tc, test_policy);
  return s;
}


int
main (void)
{
  return th_main (setup_fixture, refresh_suite);
}
