/* check_policy.c - the policy rules of gpgpackd.conf (policy.c)
 *
 * Unit level ("rules"): policy_add's checks of each rule's value,
 * policy_check's refusals (each names its rule and FILE:LINE), the
 * order and replacement of rules, and a set of rules that stays valid
 * for a check holding it while a new set is installed.  The share
 * rules (allowed-wrap-key, min-threshold) are tested here, as no
 * command asks for shares yet.
 *
 * Integration ("daemon"): the real gpgpackd reads the rules from
 * gpgpackd.conf, shows them by GETINFO policy, refuses PACK_EXPORT
 * --secret under deny-secret-export without touching the keyring or
 * the output directory, takes new rules on SIGHUP (each answer one
 * whole set while SIGHUPs come), keeps the rules in force when the new
 * file has a malformed rule, and does not start with one (from the
 * file or the command line).
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <dirent.h>
#include <sys/stat.h>
#include <check.h>

#include "harness.h"
#include "policy.h"
#include "cmdargs.h"

/* Poll step and number of steps of every bounded wait: 20 s.  */
#define STEP_MS 20
#define STEPS   1000

#define DIM(v) (sizeof (v) / sizeof ((v)[0]))

#define FPR_A "0123456789ABCDEF0123456789ABCDEF01234567"
#define FPR_B "89ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define FPR_C "FEDCBA9876543210FEDCBA9876543210FEDCBA98"
#define FPR_V5 "0123456789ABCDEF0123456789ABCDEF" \
               "0123456789ABCDEF0123456789ABCDEF"

static th_home_t keyhome;        /* holds the key the daemon tests copy */
static char fpr_key[41];         /* ed25519/cv25519, no passphrase */


/* --- rules ---------------------------------------------------------- */

/* A new policy with the rules "NAME[=VALUE]@WHERE" given, NULL-ended;
 * every one must be accepted.  */
static policy_t
make_policy (const char *rule, ...)
{
  policy_t pol;
  va_list ap;
  char name[32], value[80], where[32];
  const char *why;

  ck_assert_int_eq (policy_new (&pol), 0);
  va_start (ap, rule);
  for (; rule; rule = va_arg (ap, const char *))
    {
      *value = 0;
      ck_assert (sscanf (rule, "%31[^=@]=%79[^@]@%31s", name, value, where) == 3
                 || sscanf (rule, "%31[^=@]@%31s", name, where) == 2);
      ck_assert_int_eq (policy_add (pol, name, *value ? value : NULL, where,
                                    &why), 0);
    }
  va_end (ap);
  return pol;
}

/* Assert that POL allows an export of SECRET, NSHARES, T, FPRS (REFUSAL
 * NULL) or refuses it with GPG_ERR_FORBIDDEN and the text REFUSAL.  */
static void
assert_check (policy_t pol, int secret, unsigned int nshares, unsigned int t,
              const char *const *fprs, const char *refusal)
{
  policy_export_t req = { secret, nshares, t, fprs };
  gpg_error_t err;
  char *text;

  err = policy_check (pol, &req, &text);
  if (!refusal)
    {
      ck_assert_msg (!err && !text, "refused: %s", text);
      return;
    }
  ck_assert_int_eq (gpg_err_code (err), GPG_ERR_FORBIDDEN);
  ck_assert_ptr_nonnull (text);
  ck_assert_str_eq (text, refusal);
  gpgrt_free (text);
}

/* Assert POL's GETINFO policy lines are EXPECTED.  */
static void
assert_format (policy_t pol, const char *expected)
{
  char *text;

  ck_assert_int_eq (policy_format (pol, &text), 0);
  ck_assert_str_eq (text, expected);
  gpgrt_free (text);
}

/* Assert that each of the N values BAD of rule NAME is refused with
 * GPG_ERR_INV_VALUE and the text WHY, and adds nothing to POL.  */
static void
assert_bad_values (policy_t pol, const char *name,
                   const char *const *bad, size_t n, const char *why)
{
  char *before, *after;
  const char *said;
  size_t i;

  ck_assert_int_eq (policy_format (pol, &before), 0);
  for (i = 0; i < n; i++)
    {
      ck_assert_msg (gpg_err_code (policy_add (pol, name, bad[i], "a.conf:1",
                                               &said))
                     == GPG_ERR_INV_VALUE, "accepted '%s'", bad[i]);
      ck_assert_str_eq (said, why);
    }
  ck_assert_int_eq (policy_format (pol, &after), 0);
  ck_assert_str_eq (after, before);
  gpgrt_free (before);
  gpgrt_free (after);
}

/* Secret keys leave only as shares; public exports are unaffected.  */
START_TEST (test_deny_secret_export)
{
  const char *fprs[] = { FPR_A, FPR_B };
  policy_t pol = make_policy ("deny-secret-export@a.conf:2", NULL);

  assert_check (pol, 1, 0, 0, NULL, "refused by policy: secret keys may"
                " leave only as shares (--shares) under deny-secret-export"
                " (a.conf:2)");
  assert_check (pol, 0, 0, 0, NULL, NULL);
  assert_check (pol, 1, 2, 2, fprs, NULL);
  assert_format (pol, "deny-secret-export a.conf:2\n");
  policy_release (pol);
}
END_TEST

/* Values of min-threshold outside 2..255 or not a number; a good one
 * is shown as a plain number.  */
START_TEST (test_min_threshold_values)
{
  static const char *const bad[] = { "1", "0", "256", "1000", "-3", "abc",
                                     "3x", "", " 3", "0x10" };
  policy_t pol = make_policy ("min-threshold=2@a.conf:2", NULL);
  const char *why;

  assert_bad_values (pol, "min-threshold", bad, DIM (bad),
                     "min-threshold must be a number from 2 to 255");
  ck_assert_int_eq (policy_add (pol, "min-threshold", "255", "a.conf:3",
                                &why), 0);
  assert_format (pol, "min-threshold 255 a.conf:3\n");
  ck_assert_int_eq (policy_add (pol, "min-threshold", "010", "a.conf:4",
                                &why), 0);
  assert_format (pol, "min-threshold 10 a.conf:4\n");
  policy_release (pol);
}
END_TEST

/* A threshold below min-threshold is refused, naming the line in force
 * (a later min-threshold replaces an earlier one); exports without
 * shares are not concerned.  */
START_TEST (test_min_threshold)
{
  const char *fprs[] = { FPR_A, FPR_B, FPR_C, FPR_A, FPR_B };
  policy_t pol = make_policy ("min-threshold=3@a.conf:1",
                              "deny-secret-export@a.conf:2",
                              "min-threshold=4@a.conf:9", NULL);

  assert_check (pol, 1, 5, 3, fprs, "refused by policy: threshold 3 is"
                " below min-threshold 4 (a.conf:9); ask for --threshold=4"
                " or more");
  assert_check (pol, 1, 5, 4, fprs, NULL);
  assert_check (pol, 0, 0, 0, NULL, NULL);
  assert_format (pol, "deny-secret-export a.conf:2\n"
                 "min-threshold 4 a.conf:9\n");
  policy_release (pol);
}
END_TEST

/* A fingerprint is 40 or 64 hex digits, kept upper-case.  */
START_TEST (test_wrap_key_values)
{
  static const char *const bad[] = {
    "", "0123", FPR_A "0", FPR_V5 "0", FPR_A "012345", "0x", "0x0" FPR_A,
    "0123456789ABCDEF0123456789ABCDEF0123456G", "0123 4567 89AB CDEF 0123"
    " 4567 89AB CDEF 0123 4567" };
  policy_t pol = make_policy (NULL);
  const char *why;

  assert_bad_values (pol, "allowed-wrap-key", bad, DIM (bad),
                     "a fingerprint must be 40 or 64 hex digits");
  ck_assert_int_eq (policy_add (pol, "allowed-wrap-key",
                                "0123456789abcdef0123456789abcdef01234567",
                                "a.conf:5", &why), 0);
  ck_assert_int_eq (policy_add (pol, "allowed-wrap-key", "0x" FPR_V5,
                                "a.conf:6", &why), 0);
  assert_format (pol, "allowed-wrap-key " FPR_A " a.conf:5\n"
                 "allowed-wrap-key " FPR_V5 " a.conf:6\n");
  policy_release (pol);
}
END_TEST

/* With allowed-wrap-key lines, every wrap key must be one of them; the
 * refusal names the key and the first such line.  */
START_TEST (test_wrap_keys)
{
  const char *good[] = { FPR_B, FPR_A };
  const char *one_bad[] = { FPR_A, FPR_C };
  policy_t pol = make_policy ("allowed-wrap-key=" FPR_A "@a.conf:7",
                              "allowed-wrap-key=" FPR_B "@a.conf:8", NULL);
  policy_t one = make_policy ("allowed-wrap-key=" FPR_A "@b.conf:3", NULL);

  assert_check (pol, 1, 2, 2, good, NULL);
  assert_check (pol, 1, 2, 2, one_bad, "refused by policy: wrap key " FPR_C
                " is not an allowed-wrap-key (a.conf:7 and 1 more lines);"
                " use one that GETINFO policy lists");
  assert_check (one, 0, 2, 2, one_bad, "refused by policy: wrap key " FPR_C
                " is not an allowed-wrap-key (b.conf:3); use one that"
                " GETINFO policy lists");
  policy_release (pol);
  policy_release (one);
}
END_TEST

/* Without rules (an unknown name adds none) everything is allowed.  */
START_TEST (test_no_rules)
{
  const char *fprs[] = { FPR_A, FPR_B };
  policy_t pol = make_policy (NULL);
  const char *why;

  ck_assert_int_eq (gpg_err_code (policy_add (pol, "max-pack-size", "1",
                                              "a.conf:1", &why)),
                    GPG_ERR_UNKNOWN_OPTION);
  ck_assert_str_eq (why, "not a policy rule");
  assert_format (pol, "");
  assert_check (pol, 1, 0, 0, NULL, NULL);
  assert_check (pol, 1, 2, 2, fprs, NULL);
  policy_release (pol);
}
END_TEST

/* A check holding the rules in force keeps them, whole, while a SIGHUP
 * installs new ones; the next check sees only the new ones.  */
START_TEST (test_install_keeps_held_rules)
{
  policy_t held, now;

  policy_install (make_policy ("deny-secret-export@a.conf:1",
                               "min-threshold=3@a.conf:2", NULL));
  held = policy_acquire ();
  policy_install (make_policy ("min-threshold=5@b.conf:4", NULL));
  assert_check (held, 1, 0, 0, NULL, "refused by policy: secret keys may"
                " leave only as shares (--shares) under deny-secret-export"
                " (a.conf:1)");
  assert_format (held, "deny-secret-export a.conf:1\n"
                 "min-threshold 3 a.conf:2\n");
  now = policy_acquire ();
  ck_assert_ptr_ne (now, held);
  assert_check (now, 1, 0, 0, NULL, NULL);
  assert_format (now, "min-threshold 5 b.conf:4\n");
  policy_release (held);
  policy_release (now);
  policy_install (NULL);
}
END_TEST


/* --- the daemon ----------------------------------------------------- */

static th_home_t home;
static char confname[96];        /* HOME/gpgpackd.conf */

/* TEXT with every "@" replaced by AT (free it with gpgrt_free).  */
static char *
expand (const char *text, const char *at)
{
  char *result = gpgrt_strdup (""), *more;
  size_t n;

  while (result && *text)
    {
      n = strcspn (text, "@");
      more = gpgrt_bsprintf ("%s%.*s%s", result, (int)n, text,
                             text[n] ? at : "");
      gpgrt_free (result);
      result = more;
      text += n + !!text[n];
    }
  ck_assert_ptr_nonnull (result);
  return result;
}

/* Write gpgpackd.conf as TEXT, "@" standing for the home directory.  */
static void
write_conf (const char *text)
{
  char *conf = expand (text, home.dir);

  ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf", conf), 0);
  gpgrt_free (conf);
}

/* A fresh home with the test key and gpgpackd.conf of TEXT.  */
static void
make_home (const char *text)
{
  ck_assert_int_eq (th_home_create (&home), 0);
  ck_assert_int_eq (th_copy_key (&keyhome, &home, fpr_key, 1), 0);
  write_conf (text);
  snprintf (confname, sizeof confname, "%s/gpgpackd.conf", home.dir);
}

static void
teardown (void)
{
  th_home_destroy (&home);
}

/* Run COMMAND on the daemon; its data (malloced, "" if none) at
 * R_DATA, the text of its ERROR_TEXT status at R_TEXT (may be NULL).  */
static gpg_err_code_t
transact (const char *command, char **r_data, char **r_text)
{
  assuan_context_t ctx;
  th_reply_t reply = { NULL };
  gpg_error_t err;
  cmdargs_t args;
  char *escaped;

  ck_assert_int_eq (th_connect (&home, &ctx), 0);
  err = th_transact (ctx, command, NULL, &reply);
  assuan_release (ctx);
  if (r_data)
    *r_data = strdup (reply.data ? reply.data : "");
  escaped = th_status_get (reply.status ? reply.status : "", "ERROR_TEXT", 0);
  if (r_text)
    {
      ck_assert_ptr_nonnull (escaped);
      ck_assert_int_eq (cmdargs_split (escaped, &args), 0);
      ck_assert_int_eq (args.nargs, 1);
      *r_text = strdup (args.args[0]);
      cmdargs_release (&args);
    }
  free (escaped);
  th_reply_free (&reply);
  return gpg_err_code (err);
}

/* Wait (bounded: a SIGHUP may be on its way) until GETINFO policy is
 * EXPECTED, "@" standing for the conf file; assert it is.  */
static void
assert_getinfo (const char *expected)
{
  char *want = expand (expected, confname), *data = NULL;
  int i;

  for (i = 0; i < STEPS; i++)
    {
      if (i)
        th_pause_ms (STEP_MS);
      free (data);
      ck_assert_int_eq (transact ("GETINFO policy", &data, NULL), 0);
      if (!strcmp (data, want))
        break;
    }
  ck_assert_str_eq (data, want);
  free (data);
  gpgrt_free (want);
}

/* Wait (bounded) until the daemon's log shows TEXT.  */
static void
wait_log_has (const char *text)
{
  char path[128], *buf = NULL;
  size_t len;
  int i, found = 0;

  snprintf (path, sizeof path, "%s/daemon.log", home.dir);
  for (i = 0; i < STEPS && !found; i++)
    {
      if (i)
        th_pause_ms (STEP_MS);
      if (!th_read_file (path, &buf, &len))
        found = !!strstr (buf, text);
      free (buf);
      buf = NULL;
    }
  ck_assert_msg (found, "the log never showed '%s'", text);
}

/* Rewrite gpgpackd.conf as TEXT (see write_conf) and send SIGHUP.  */
static void
reread (const char *text)
{
  write_conf (text);
  ck_assert_int_eq (kill (home.daemon_pid, SIGHUP), 0);
}

/* Every rule shows with its line; a conf without rules shows none.  */
START_TEST (test_getinfo_policy)
{
  make_home ("# policy\n"
             "deny-secret-export\n"
             "allowed-wrap-key " FPR_A "\n"
             "\n"
             "allowed-wrap-key 89abcdef0123456789abcdef0123456789abcdef\n"
             "min-threshold 3\n");
  ck_assert_int_eq (th_daemon_start (&home), 0);
  assert_getinfo ("deny-secret-export @:2\n"
                  "allowed-wrap-key " FPR_A " @:3\n"
                  "allowed-wrap-key " FPR_B " @:5\n"
                  "min-threshold 3 @:6\n");
  reread ("# none\n");
  assert_getinfo ("");
}
END_TEST

/* The names of the entries of directory DIR, each with "\n" (free
 * it with gpgrt_free).  */
static char *
list_dir (const char *dir)
{
  DIR *dp = opendir (dir);
  struct dirent *de;
  char *names = gpgrt_strdup (""), *more;

  ck_assert_ptr_nonnull (dp);
  while (names && (de = readdir (dp)))
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      {
        more = gpgrt_bsprintf ("%s%s\n", names, de->d_name);
        gpgrt_free (names);
        names = more;
      }
  closedir (dp);
  ck_assert_ptr_nonnull (names);
  return names;
}

/* PACK_EXPORT --secret is refused by deny-secret-export, naming its
 * line, before anything is written or looked up; public exports go.  */
START_TEST (test_secret_export_refused)
{
  char outdir[96], *cmd, *text, *pub, *sec, *files;

  make_home ("log-file @/daemon.log\n"
             "deny-secret-export\n");
  ck_assert_int_eq (th_daemon_start (&home), 0);
  snprintf (outdir, sizeof outdir, "%s/out", home.dir);
  ck_assert_int_eq (mkdir (outdir, 0700), 0);
  pub = th_list_fprs (&home, 0);
  sec = th_list_fprs (&home, 1);
  ck_assert_str_eq (sec, fpr_key);

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --output-dir=%s"
                             " -- %s", outdir, fpr_key) >= 0);
  ck_assert_int_eq (transact (cmd, NULL, &text), GPG_ERR_FORBIDDEN);
  gpgrt_free (cmd);
  ck_assert (gpgrt_asprintf (&cmd, "refused by policy: secret keys may"
                             " leave only as shares (--shares) under"
                             " deny-secret-export (%s:2)", confname) >= 0);
  ck_assert_str_eq (text, cmd);
  gpgrt_free (cmd);
  free (text);
  files = list_dir (outdir);
  ck_assert_str_eq (files, "");
  gpgrt_free (files);
  text = th_list_fprs (&home, 0);
  ck_assert_str_eq (text, pub);
  free (text);
  text = th_list_fprs (&home, 1);
  ck_assert_str_eq (text, sec);
  free (text);

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --output-dir=%s --name=p"
                             " -- %s", outdir, fpr_key) >= 0);
  ck_assert_int_eq (transact (cmd, NULL, NULL), 0);
  gpgrt_free (cmd);
  files = list_dir (outdir);
  ck_assert (strstr (files, "p.gpgpack\n") && strstr (files, "p.key\n"));
  gpgrt_free (files);
  free (pub);
  free (sec);
}
END_TEST

/* SIGHUP swaps in the rules of the edited file; a secret export the
 * old rules refused goes on past the policy.  */
START_TEST (test_sighup_new_rules)
{
  make_home ("log-file @/daemon.log\n"
             "deny-secret-export\n");
  ck_assert_int_eq (th_daemon_start (&home), 0);
  assert_getinfo ("deny-secret-export @:2\n");
  ck_assert_int_eq (transact ("PACK_EXPORT --secret -- nosuchkey", NULL,
                              NULL), GPG_ERR_FORBIDDEN);
  reread ("log-file @/daemon.log\n"
          "min-threshold 4\n"
          "allowed-wrap-key " FPR_C "\n");
  assert_getinfo ("min-threshold 4 @:2\n"
                  "allowed-wrap-key " FPR_C " @:3\n");
  ck_assert_int_eq (transact ("PACK_EXPORT --secret -- nosuchkey", NULL,
                              NULL), GPG_ERR_NOT_FOUND);
}
END_TEST

/* Rules read while a client asks again and again: every answer is one
 * whole set, never old and new rules mixed.  The file is replaced by
 * rename, so that each re-read finds one whole file.  */
START_TEST (test_sighup_swaps_whole_set)
{
  static const char *const conf[2] = {
    "deny-secret-export\nmin-threshold 3\nallowed-wrap-key " FPR_A "\n",
    "allowed-wrap-key " FPR_B "\nmin-threshold 5\ndeny-secret-export\n" };
  char *want[2], tmp[128], *data;
  assuan_context_t ctx;
  th_reply_t reply;
  int i;

  make_home (conf[0]);
  ck_assert_int_eq (th_daemon_start (&home), 0);
  want[0] = expand ("deny-secret-export @:1\nmin-threshold 3 @:2\n"
                    "allowed-wrap-key " FPR_A " @:3\n", confname);
  want[1] = expand ("allowed-wrap-key " FPR_B " @:1\nmin-threshold 5 @:2\n"
                    "deny-secret-export @:3\n", confname);
  snprintf (tmp, sizeof tmp, "%s.new", confname);
  ck_assert_int_eq (th_connect (&home, &ctx), 0);
  for (i = 0; i < 200; i++)
    {
      if (!(i % 5))
        {
          ck_assert_int_eq (th_write_file (tmp, conf[i / 5 % 2],
                                           strlen (conf[i / 5 % 2])), 0);
          ck_assert_int_eq (rename (tmp, confname), 0);
          ck_assert_int_eq (kill (home.daemon_pid, SIGHUP), 0);
        }
      ck_assert_int_eq (th_transact (ctx, "GETINFO policy", NULL, &reply),
                        0);
      data = reply.data ? reply.data : "";
      ck_assert_msg (!strcmp (data, want[0]) || !strcmp (data, want[1]),
                     "GETINFO policy mixed: %s", data);
      th_reply_free (&reply);
    }
  assuan_release (ctx);
  gpgrt_free (want[0]);
  gpgrt_free (want[1]);
}
END_TEST

/* A malformed rule on SIGHUP is logged with its FILE:LINE and the
 * rules in force stay, whole.  */
START_TEST (test_sighup_bad_rule)
{
  char *line;

  make_home ("log-file @/daemon.log\n"
             "deny-secret-export\n"
             "min-threshold 3\n");
  ck_assert_int_eq (th_daemon_start (&home), 0);
  reread ("log-file @/daemon.log\n"
          "min-threshold 2\n"
          "min-threshold 256\n");
  ck_assert (gpgrt_asprintf (&line, "%s:3: bad min-threshold '256':"
                             " min-threshold must be a number from 2 to"
                             " 255", confname) >= 0);
  wait_log_has (line);
  gpgrt_free (line);
  reread ("log-file @/daemon.log\n"
          "allowed-wrap-key 0123\n");
  ck_assert (gpgrt_asprintf (&line, "%s:2: bad allowed-wrap-key '0123':"
                             " a fingerprint must be 40 or 64 hex digits",
                             confname) >= 0);
  wait_log_has (line);
  gpgrt_free (line);
  wait_log_has ("has errors - keeping the settings in force");
  assert_getinfo ("deny-secret-export @:2\n"
                  "min-threshold 3 @:3\n");
}
END_TEST

/* A malformed rule in gpgpackd.conf: the daemon does not start (exit
 * 2) and says which line is wrong and why.  */
START_TEST (test_bad_rule_at_start)
{
  static const struct { const char *rule, *says; } bad[] = {
    { "min-threshold 1", ":2: bad min-threshold '1': min-threshold must"
      " be a number from 2 to 255" },
    { "min-threshold 256", ":2: bad min-threshold '256'" },
    { "allowed-wrap-key " FPR_A "0", ":2: bad allowed-wrap-key '" FPR_A
      "0': a fingerprint must be 40 or 64 hex digits" },
    { "allowed-wrap-key 0123456789ABCDEF0123456789ABCDEF0123456X",
      ":2: bad allowed-wrap-key" }
  };
  const char *argv[] = { th_prog ("GPGPACKD", "gpgpackd"), "--daemon",
                         "--homedir", NULL, NULL };
  char conf[160], *err;
  assuan_context_t ctx;
  size_t i;

  make_home ("");
  argv[3] = home.dir;
  for (i = 0; i < DIM (bad); i++)
    {
      snprintf (conf, sizeof conf, "deny-secret-export\n%s\n", bad[i].rule);
      ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf", conf), 0);
      ck_assert_int_eq (th_run (argv, NULL, NULL, &err), 2);
      ck_assert_msg (strstr (err, confname) && strstr (err, bad[i].says),
                     "stderr: %s", err);
      free (err);
      ck_assert_int_ne (th_connect (&home, &ctx), 0);
    }
}
END_TEST


/* Rules on the command line are shown and named as from there; a
 * malformed one stops the start as well.  */
START_TEST (test_rule_on_command_line)
{
  const char *argv[] = { th_prog ("GPGPACKD", "gpgpackd"), "--daemon",
                         "--homedir", NULL, "--min-threshold", "1", NULL };
  char *err;

  make_home ("deny-secret-export\n");
  argv[3] = home.dir;
  ck_assert_int_eq (th_run (argv, NULL, NULL, &err), 2);
  ck_assert_msg (strstr (err, "command line: bad min-threshold '1'"),
                 "stderr: %s", err);
  free (err);
  argv[5] = "7";
  ck_assert_int_eq (th_run (argv, NULL, NULL, NULL), 0);
  assert_getinfo ("deny-secret-export @:1\n"
                  "min-threshold 7 command line\n");
}
END_TEST


static Suite *
policy_suite (void)
{
  Suite *s = suite_create ("policy");
  TCase *tc = tcase_create ("rules");

  tcase_add_test (tc, test_no_rules);
  tcase_add_test (tc, test_deny_secret_export);
  tcase_add_test (tc, test_min_threshold_values);
  tcase_add_test (tc, test_min_threshold);
  tcase_add_test (tc, test_wrap_key_values);
  tcase_add_test (tc, test_wrap_keys);
  tcase_add_test (tc, test_install_keeps_held_rules);
  suite_add_tcase (s, tc);

  tc = tcase_create ("daemon");
  tcase_add_checked_fixture (tc, NULL, teardown);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_getinfo_policy);
  tcase_add_test (tc, test_secret_export_refused);
  tcase_add_test (tc, test_sighup_new_rules);
  tcase_add_test (tc, test_sighup_swaps_whole_set);
  tcase_add_test (tc, test_sighup_bad_rule);
  tcase_add_test (tc, test_bad_rule_at_start);
  tcase_add_test (tc, test_rule_on_command_line);
  suite_add_tcase (s, tc);
  return s;
}

static void
setup_all (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&keyhome));
  TH_SETUP (th_genkey (&keyhome, "policy <policy@example.org>", "ed25519",
                       NULL, fpr_key));
}

int
main (void)
{
  return th_main (setup_all, policy_suite);
}
