/* check_policy2.c - the policy where shares are made again, and on SIGHUP
 *
 * Unit level: policy_check by what a request is (an export, a
 * forwarded share, an import) meets only the rules meant for it;
 * deny-secret-export refuses secret shares of which one key gets T;
 * policy_add_all copies rules with their lines, a later one replacing
 * as policy_add does.
 *
 * Integration: home S exports a 2-of-3 share-mode pack to custodians
 * C1..C3; home P holds their secret keys and C4's, and a gpgpackd.conf
 * allowing only C1..C3 as wrap keys with min-threshold 3 and
 * deny-secret-export.  SHARE_FORWARD to C4 and SHARE_REFRESH (also
 * --rekey) to C4, below the threshold or with all shares to C1 (as
 * PACK_EXPORT --secret with them) are refused with GPG_ERR_FORBIDDEN
 * naming the rule and its FILE:LINE, before a share is asked for,
 * writing no file and leaving the keyring byte-identical; forwarding
 * to C2 and re-keying to C1..C3 at 3-of-3 go (deny-secret-export lets
 * a re-key's new pack leave as shares).  Rules and max-pack-size
 * given on gpgpackd's command line survive a SIGHUP, shown by GETINFO
 * policy and enforced.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <check.h>

#include "harness.h"
#include "policy.h"

/* Poll step and number of steps of every bounded wait: 20 s.  */
#define STEP_MS 20
#define STEPS   1000

#define NCUST 4

#define FPR_A "0123456789ABCDEF0123456789ABCDEF01234567"
#define FPR_B "89ABCDEF0123456789ABCDEF0123456789ABCDEF"

static th_home_t home_s;           /* the key's owner: exports */
static th_home_t home_p;           /* C1..C4 secret, the policy, a daemon */
static char fpr_own[41];
static char fpr_c[NCUST][41];
static char conf_p[128];           /* home P's gpgpackd.conf */
static char fixdir[128];           /* the exported pack tp and its shares */

static char pack[256];             /* FIXDIR/tp.gpgpack */
static char share[3][256];         /* FIXDIR/tp.share-I-of-3.asc */
static char outdir[128];           /* where a test that works writes */


/* --- ops ------------------------------------------------------------ */

/* A policy of conf a.conf: deny-secret-export (1), min-threshold 3
 * (2), allowed-wrap-key A (3), require-signature B (4).  */
static policy_t
four_rules (void)
{
  static const char *const rule[4][2] = {
    { "deny-secret-export", NULL }, { "min-threshold", "3" },
    { "allowed-wrap-key", FPR_A }, { "require-signature", FPR_B } };
  const char *why;
  char where[16];
  policy_t pol;
  int i;

  ck_assert_int_eq (policy_new (&pol), 0);
  for (i = 0; i < 4; i++)
    {
      snprintf (where, sizeof where, "a.conf:%d", i + 1);
      ck_assert_int_eq (policy_add (pol, rule[i][0], rule[i][1], where,
                                    &why), 0);
    }
  return pol;
}

/* Assert that REQ passes POL (REFUSAL NULL) or is refused with
 * GPG_ERR_FORBIDDEN and the text REFUSAL.  */
static void
assert_check (policy_t pol, const policy_export_t *req, const char *refusal)
{
  gpg_error_t err;
  char *text;

  err = policy_check (pol, req, &text);
  if (!refusal)
    {
      ck_assert_int_eq (err, 0);
      ck_assert_ptr_null (text);
      return;
    }
  ck_assert_int_eq (gpg_err_code (err), GPG_ERR_FORBIDDEN);
  ck_assert_str_eq (text, refusal);
  gpgrt_free (text);
}

/* A forwarded share meets allowed-wrap-key only: not min-threshold
 * (its threshold stays), not deny-secret-export (it is a share).  */
START_TEST (test_forward_op)
{
  const char *a[1] = { FPR_A }, *b[1] = { FPR_B };
  policy_export_t req = { .op = POLICY_FORWARD, .nshares = 1,
                          .wrap_fprs = a };
  policy_t pol = four_rules ();

  assert_check (pol, &req, NULL);
  req.wrap_fprs = b;
  assert_check (pol, &req, "refused by policy: wrap key " FPR_B " is not"
                " an allowed-wrap-key (a.conf:3); use one that GETINFO"
                " policy lists");
  req.op = POLICY_EXPORT;
  req.secret = 1;
  assert_check (pol, &req, "refused by policy: threshold 0 is below"
                " min-threshold 3 (a.conf:2); ask for --threshold=3 or"
                " more");
  policy_release (pol);
}
END_TEST

/* An import meets require-signature only.  */
START_TEST (test_import_op)
{
  policy_export_t imp = { .op = POLICY_IMPORT, .secret = 1 };
  policy_t pol = four_rules ();

  assert_check (pol, &imp, "refused by policy: imports need --verify-key"
                " under require-signature (a.conf:4); give one that"
                " GETINFO policy lists");
  imp.verify_fpr = FPR_A;
  assert_check (pol, &imp, "refused by policy: verify key " FPR_A " is not"
                " named by require-signature (a.conf:4); use one that"
                " GETINFO policy lists");
  imp.verify_fpr = FPR_B;
  assert_check (pol, &imp, NULL);
  policy_release (pol);
}
END_TEST

/* Under deny-secret-export secret keys leave as shares (a re-key's
 * too), but no wrap key may get as many as the threshold
 * (--allow-same-custodian); public ones and fewer go.  */
START_TEST (test_one_holder)
{
  const char *aab[3] = { FPR_A, FPR_A, FPR_B }, *abb[3] = { FPR_A, FPR_B,
                                                           FPR_B };
  policy_export_t req = { .secret = 1, .nshares = 3, .threshold = 2,
                          .wrap_fprs = aab };
  const char *why;
  policy_t pol;

  ck_assert_int_eq (policy_new (&pol), 0);
  ck_assert_int_eq (policy_add (pol, "deny-secret-export", NULL, "b.conf:7",
                                &why), 0);
  assert_check (pol, &req, "refused by policy: wrap key " FPR_A " would get"
                " 2 shares, as many as the threshold, and open the pack"
                " alone under deny-secret-export (b.conf:7); give each"
                " custodian fewer than 2");
  req.wrap_fprs = abb;
  req.threshold = 3;
  assert_check (pol, &req, NULL);
  req.threshold = 2;
  req.secret = 0;
  assert_check (pol, &req, NULL);
  policy_release (pol);
}
END_TEST

/* Rules copied by policy_add_all keep their lines and replace as
 * policy_add does: the copied min-threshold wins, wrap keys add up.  */
START_TEST (test_add_all)
{
  policy_t to = four_rules (), from;
  const char *why;
  char *text;

  ck_assert_int_eq (policy_new (&from), 0);
  ck_assert_int_eq (policy_add (from, "min-threshold", "5", "command line",
                                &why), 0);
  ck_assert_int_eq (policy_add (from, "allowed-wrap-key", FPR_B,
                                "command line", &why), 0);
  ck_assert_int_eq (policy_add (from, "deny-secret-export", NULL,
                                "command line", &why), 0);
  ck_assert_int_eq (policy_add_all (to, from), 0);
  ck_assert_int_eq (policy_format (to, &text), 0);
  ck_assert_str_eq (text, "allowed-wrap-key " FPR_A " a.conf:3\n"
                    "require-signature " FPR_B " a.conf:4\n"
                    "min-threshold 5 command line\n"
                    "allowed-wrap-key " FPR_B " command line\n"
                    "deny-secret-export command line\n");
  gpgrt_free (text);
  ck_assert_int_eq (policy_format (from, &text), 0);
  ck_assert_str_eq (text, "min-threshold 5 command line\n"
                    "allowed-wrap-key " FPR_B " command line\n"
                    "deny-secret-export command line\n");
  gpgrt_free (text);
  policy_release (to);
  policy_release (from);
}
END_TEST


/* --- shares --------------------------------------------------------- */

/* Name the files of the pack tp and its shares in FIXDIR.  */
static void
name_files (void)
{
  int i;

  snprintf (pack, sizeof pack, "%s/tp.gpgpack", fixdir);
  for (i = 0; i < 3; i++)
    snprintf (share[i], sizeof share[i], "%s/tp.share-%d-of-3.asc", fixdir,
              i + 1);
}

/* Home P's keyring state and the number of files in FIXDIR and in
 * OUTDIR, malloced: equal states mean nothing was written.  */
static char *
work_state (void)
{
  char *keyring = th_keyring_state (&home_p), *state;

  ck_assert_ptr_nonnull (keyring);
  state = gpgrt_bsprintf ("%s\n%d files, %d out", keyring,
                          th_dir_entries (fixdir), th_dir_entries (outdir));
  ck_assert_ptr_nonnull (state);
  free (keyring);
  return state;
}

/* Run the Assuan LINE on home P's daemon by gpg-connect-agent, a
 * share inquiry answered with share 1: it must fail with
 * GPG_ERR_FORBIDDEN and the text "refused by policy: " WHY, without
 * asking for a share, and write nothing.  */
static void
must_refuse (const char *line, const char *why)
{
  char *before = work_state (), *after, *script, *out;

  script = gpgrt_bsprintf ("/definqfile SHARE %s\n%s\n", share[0], line);
  ck_assert_ptr_nonnull (script);
  ck_assert_int_eq (th_gca (&home_p, script, &out), 0);
  th_unescape (out);
  ck_assert_msg (th_gca_errcode (out) == GPG_ERR_FORBIDDEN, "%s", out);
  ck_assert_msg (strstr (out, "refused by policy: ")
                 && strstr (out, why), "no '%s' in:\n%s", why, out);
  ck_assert_msg (!strstr (out, "INQUIRE"), "a share was asked for:\n%s",
                 out);
  after = work_state ();
  ck_assert_str_eq (before, after);
  gpgrt_free (script);
  gpgrt_free (before);
  gpgrt_free (after);
  free (out);
}

/* "wrap key C4 is not an allowed-wrap-key (CONF:1 and 2 more lines)"
 * in a static buffer.  */
static const char *
c4_not_allowed (void)
{
  static char text[512];

  snprintf (text, sizeof text, "wrap key %s is not an allowed-wrap-key"
            " (%s:1 and 2 more lines); use one that GETINFO policy lists",
            fpr_c[3], conf_p);
  return text;
}

/* "threshold 2 is below min-threshold 3 (CONF:4)" in a static
 * buffer.  */
static const char *
below_three (void)
{
  static char text[512];

  snprintf (text, sizeof text, "threshold 2 is below min-threshold 3"
            " (%s:4); ask for --threshold=3 or more", conf_p);
  return text;
}

/* SHARE_FORWARD to C4, which no allowed-wrap-key lists, is refused
 * before the share is read (from a file, or inquired); to C2 it goes.  */
START_TEST (test_forward_refused)
{
  char line[768], out[256];

  snprintf (out, sizeof out, "%s/fwd.asc", outdir);
  snprintf (line, sizeof line, "SHARE_FORWARD --to=%s --output=%s %s",
            fpr_c[3], out, share[0]);
  must_refuse (line, c4_not_allowed ());
  snprintf (line, sizeof line, "SHARE_FORWARD --to=%s", fpr_c[3]);
  must_refuse (line, c4_not_allowed ());

  snprintf (line, sizeof line, "SHARE_FORWARD --to=%s --output=%s %s",
            fpr_c[1], out, share[0]);
  ck_assert_int_eq (th_command (&home_p, 0, line, NULL, NULL), 0);
  ck_assert_int_eq (th_dir_entries (outdir), 1);
}
END_TEST

/* "SHARE_REFRESH --share=1..3 OPTS -- PACK" in LINE.  */
static void
refresh_line (char line[2048], const char *opts)
{
  snprintf (line, 2048, "SHARE_REFRESH --share=%s --share=%s --share=%s"
            " %s -- %s", share[0], share[1], share[2], opts, pack);
}

/* SHARE_REFRESH (also --rekey) naming C4 as a new custodian is
 * refused; so are the default successors (2-of-3) and named ones
 * below min-threshold 3, and all 3 of 3 shares to C1.  */
START_TEST (test_refresh_refused)
{
  static const char *const mode[2] = { "", "--rekey" };
  char opts[512], line[2048], why[512];
  int i;

  for (i = 0; i < 2; i++)
    {
      snprintf (opts, sizeof opts, "%s --shares=3 --threshold=3"
                " --wrap-key=%s --wrap-key=%s --wrap-key=%s", mode[i],
                fpr_c[0], fpr_c[1], fpr_c[3]);
      refresh_line (line, opts);
      must_refuse (line, c4_not_allowed ());
      refresh_line (line, mode[i]);
      must_refuse (line, below_three ());
      snprintf (opts, sizeof opts, "%s --shares=3 --threshold=2"
                " --wrap-key=%s --wrap-key=%s --wrap-key=%s", mode[i],
                fpr_c[0], fpr_c[1], fpr_c[2]);
      refresh_line (line, opts);
      must_refuse (line, below_three ());
      /* Named custodians: refused before any share is inquired.  */
      snprintf (line, sizeof line, "SHARE_REFRESH %s -- %s", opts, pack);
      must_refuse (line, below_three ());
      snprintf (line, sizeof line, "SHARE_REFRESH %s --shares=3"
                " --threshold=3 --wrap-key=%s --wrap-key=%s --wrap-key=%s"
                " --allow-same-custodian -- %s", mode[i], fpr_c[0],
                fpr_c[0], fpr_c[0], pack);
      snprintf (why, sizeof why, "wrap key %s would get 3 shares, as many"
                " as the threshold, and open the pack alone under"
                " deny-secret-export (%s:5)", fpr_c[0], conf_p);
      must_refuse (line, why);
    }
}
END_TEST

/* PACK_EXPORT --secret with all 3 of 3 shares to C1 is refused under
 * deny-secret-export, before anything is written.  */
START_TEST (test_export_one_holder)
{
  char line[1024], why[512];

  snprintf (line, sizeof line, "PACK_EXPORT --secret --shares=3"
            " --threshold=3 --wrap-key=%s --wrap-key=%s --wrap-key=%s"
            " --allow-same-custodian --output-dir=%s -- %s", fpr_c[0],
            fpr_c[0], fpr_c[0], outdir, fpr_c[3]);
  snprintf (why, sizeof why, "wrap key %s would get 3 shares, as many as"
            " the threshold, and open the pack alone under"
            " deny-secret-export (%s:5); give each custodian fewer than 3",
            fpr_c[0], conf_p);
  must_refuse (line, why);
}
END_TEST

/* Under deny-secret-export a re-key writes its new pack with shares
 * only (3-of-3 to C1..C3, as the rules allow).  */
START_TEST (test_rekey_allowed)
{
  char opts[512], line[2048];
  th_reply_t reply;

  snprintf (opts, sizeof opts, "--rekey --shares=3 --threshold=3"
            " --wrap-key=%s --wrap-key=%s --wrap-key=%s --output-dir=%s",
            fpr_c[0], fpr_c[1], fpr_c[2], outdir);
  refresh_line (line, opts);
  ck_assert_int_eq (th_command (&home_p, 0, line, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "SHARE_CREATED"), 3);
  ck_assert_int_eq (th_status_count (reply.status, "PACK_CREATED"), 1);
  ck_assert_int_eq (th_dir_entries (outdir), 4);
  th_reply_free (&reply);
}
END_TEST


/* --- cmdline -------------------------------------------------------- */

static th_home_t home_d;           /* a daemon with rules on its command line */

static void
teardown_d (void)
{
  th_home_destroy (&home_d);
}

/* Write home D's gpgpackd.conf: a log file and then TEXT.  */
static void
write_conf_d (const char *text)
{
  char *conf = gpgrt_bsprintf ("log-file %s/daemon.log\n%s", home_d.dir,
                               text);

  ck_assert_ptr_nonnull (conf);
  ck_assert_int_eq (th_home_write (&home_d, "gpgpackd.conf", conf), 0);
  gpgrt_free (conf);
}

/* Wait (bounded: a SIGHUP may be on its way) until GETINFO policy of
 * home D is WANT; assert it is.  */
static void
assert_getinfo (const char *want)
{
  th_reply_t reply = { NULL };
  int i;

  for (i = 0; i < STEPS; i++)
    {
      if (i)
        th_pause_ms (STEP_MS);
      th_reply_free (&reply);
      ck_assert_int_eq (th_command (&home_d, 0, "GETINFO policy", NULL,
                                    &reply), 0);
      if (reply.data && !strcmp (reply.data, want))
        break;
    }
  ck_assert_str_eq (reply.data ? reply.data : "", want);
  th_reply_free (&reply);
}

/* Assert that an export in share mode to C1, C2 and C3 (threshold
 * THRESH) ends with CODE (0: it worked) on home D's daemon, naming WHY
 * if not NULL.  */
static void
export_fails (int thresh, gpg_err_code_t code, const char *why)
{
  char *script, *out;

  script = gpgrt_bsprintf ("PACK_EXPORT --secret --shares=3 --threshold=%d"
                           " --wrap-key=%s --wrap-key=%s --wrap-key=%s"
                           " --output-dir=%s -- %s\n", thresh, fpr_c[0],
                           fpr_c[1], fpr_c[2], home_d.dir, fpr_own);
  ck_assert_ptr_nonnull (script);
  ck_assert_int_eq (th_gca (&home_d, script, &out), 0);
  th_unescape (out);
  ck_assert_msg (th_gca_errcode (out) == code, "%s", out);
  ck_assert_msg (!why || strstr (out, why), "no '%s' in:\n%s", why, out);
  gpgrt_free (script);
  free (out);
}

/* Assert that PACK_INFO of a 200-byte file fails with CODE.  */
static void
pack_info_fails (gpg_err_code_t code)
{
  char path[128], cmd[160], junk[200];

  snprintf (path, sizeof path, "%s/junk.gpgpack", home_d.dir);
  memset (junk, 'x', sizeof junk);
  ck_assert_int_eq (th_write_file (path, junk, sizeof junk), 0);
  snprintf (cmd, sizeof cmd, "PACK_INFO %s", path);
  ck_assert_int_eq (gpg_err_code (th_command (&home_d, 0, cmd, NULL, NULL)),
                    code);
}

/* Rules on the command line come after gpgpackd.conf's at the start and
 * again after a SIGHUP with an edited file: GETINFO policy shows them,
 * the command line's min-threshold 3 wins over the file's and is
 * enforced, the file's new wrap key joins the command line's;
 * --max-pack-size stays as well.  */
START_TEST (test_cmdline_survives_sighup)
{
  const char *argv[] = { th_prog ("GPGPACKD", "gpgpackd"), "--daemon",
                         "--homedir", NULL, "--allowed-wrap-key", NULL,
                         "--min-threshold", "3", "--max-pack-size", "100",
                         NULL };
  char *want, *conf;
  th_reply_t reply;
  int i;

  ck_assert_int_eq (th_home_create (&home_d), 0);
  ck_assert_int_eq (th_copy_key (&home_s, &home_d, fpr_own, 1), 0);
  for (i = 0; i < 3; i++)
    ck_assert_int_eq (th_copy_key (&home_s, &home_d, fpr_c[i], 0), 0);
  write_conf_d ("min-threshold 2\n");
  argv[3] = home_d.dir;
  argv[5] = fpr_c[0];
  ck_assert_int_eq (th_run (argv, NULL, NULL, NULL), 0);
  ck_assert_int_eq (th_command (&home_d, 0, "GETINFO pid", NULL, &reply),
                    0);
  home_d.daemon_pid = atoi (reply.data);
  th_reply_free (&reply);
  want = gpgrt_bsprintf ("allowed-wrap-key %s command line\n"
                         "min-threshold 3 command line\n", fpr_c[0]);
  assert_getinfo (want);
  gpgrt_free (want);
  pack_info_fails (GPG_ERR_TOO_LARGE);

  conf = gpgrt_bsprintf ("allowed-wrap-key %s\nallowed-wrap-key %s\n"
                         "min-threshold 5\n", fpr_c[1], fpr_c[2]);
  write_conf_d (conf);
  gpgrt_free (conf);
  ck_assert_int_eq (kill (home_d.daemon_pid, SIGHUP), 0);
  want = gpgrt_bsprintf ("allowed-wrap-key %s %s/gpgpackd.conf:2\n"
                         "allowed-wrap-key %s %s/gpgpackd.conf:3\n"
                         "allowed-wrap-key %s command line\n"
                         "min-threshold 3 command line\n", fpr_c[1],
                         home_d.dir, fpr_c[2], home_d.dir, fpr_c[0]);
  assert_getinfo (want);
  gpgrt_free (want);
  export_fails (2, GPG_ERR_FORBIDDEN, "refused by policy: threshold 2 is"
                " below min-threshold 3 (command line)");
  pack_info_fails (GPG_ERR_TOO_LARGE);
  /* At 3 of C1 (command line), C2 and C3 (the file) it goes.  */
  export_fails (3, GPG_ERR_NO_ERROR, NULL);
}
END_TEST


/* Checked fixture: a new empty OUTDIR in home P.  */
static void
new_outdir (void)
{
  ck_assert_int_eq (th_new_outdir (&home_p, outdir), 0);
}

/* One case for all: the unit tests run beside the fixture as well.  */
static Suite *
policy2_suite (void)
{
  const TTest *const tests[] = {
    test_forward_op, test_import_op, test_one_holder, test_add_all,
    test_forward_refused, test_export_one_holder,
    test_refresh_refused, test_rekey_allowed, test_cmdline_survives_sighup
  };
  Suite *s = suite_create ("policy2");
  TCase *tc = tcase_create ("policy2");
  size_t i;

  tcase_add_checked_fixture (tc, new_outdir, teardown_d);
  tcase_set_timeout (tc, 120);
  for (i = 0; i < sizeof tests / sizeof *tests; i++)
    tcase_add_test (tc, tests[i]);
  suite_add_tcase (s, tc);
  return s;
}

/* Export the own key of home S as the 2-of-3 share-mode pack tp to
 * C1..C3 into FIXDIR.  */
static gpg_error_t
export_pack (void)
{
  char cmd[512];

  snprintf (cmd, sizeof cmd, "PACK_EXPORT --secret --shares=3"
            " --threshold=2 --wrap-key=%s --wrap-key=%s --wrap-key=%s"
            " --output-dir=%s --name=tp -- %s", fpr_c[0], fpr_c[1],
            fpr_c[2], fixdir, fpr_own);
  name_files ();
  return th_command (&home_s, 1, cmd, NULL, NULL);
}

/* Home P's gpgpackd.conf: C1..C3 (lines 1-3), min-threshold 3 (4),
 * deny-secret-export (5).  */
static gpg_error_t
write_conf_p (void)
{
  char *conf;
  gpg_error_t err;

  conf = gpgrt_bsprintf ("allowed-wrap-key %s\nallowed-wrap-key %s\n"
                         "allowed-wrap-key %s\nmin-threshold 3\n"
                         "deny-secret-export\n", fpr_c[0], fpr_c[1],
                         fpr_c[2]);
  if (!conf)
    return gpg_error_from_syserror ();
  err = th_home_write (&home_p, "gpgpackd.conf", conf);
  gpgrt_free (conf);
  snprintf (conf_p, sizeof conf_p, "%s/gpgpackd.conf", home_p.dir);
  return err;
}

static void
setup_all (void)
{
  char uid[64];
  int i;

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_s));
  TH_SETUP (th_home_create (&home_p));
  for (i = 0; i < NCUST; i++)
    {
      snprintf (uid, sizeof uid, "Custodian %d <c%d@example.org>", i + 1,
                i + 1);
      TH_SETUP (th_genkey (&home_p, uid, "ed25519", NULL, fpr_c[i]));
      TH_SETUP (th_copy_key (&home_p, &home_s, fpr_c[i], 0));
    }
  TH_SETUP (th_genkey (&home_s, "Owner <owner@example.org>", "ed25519",
                       NULL, fpr_own));
  TH_SETUP (th_new_outdir (&home_s, fixdir));
  TH_SETUP (export_pack ());
  TH_SETUP (write_conf_p ());
  TH_SETUP (th_daemon_start (&home_p));
}

int
main (void)
{
  return th_main (setup_all, policy2_suite);
}
