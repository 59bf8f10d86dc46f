/* check_faults.c - Check exports that are killed or hit a file size limit
 *
 * gpgpackd is killed with SIGKILL at random points of a PACK_EXPORT
 * --secret --output-dir; the next daemon start for that home must
 * remove the temp files the dead one left (its journal, tmpjournal.c),
 * and a key file never stands without its pack.  A daemon under a
 * small RLIMIT_FSIZE fails the export with EFBIG and leaves no file.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <spawn.h>
#include <check.h>

#include "harness.h"

#define TRIALS 12
#define POLL_MS 10
#define TEST_TIMEOUT 300

static th_home_t home;
static char fprs[3][41];
static char outdir[128], journal[128];
static char *export_cmd, *import_cmd;

/* Entries of DIR that start with '.' (temp files) to *R_DOT, all
 * others to the return value; remove them all if CLEAR.  */
static int
scan_dir (const char *dir, int *r_dot, int clear)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  char path[400];
  int n = 0;

  ck_assert_ptr_nonnull (d);
  *r_dot = 0;
  while ((de = readdir (d)))
    {
      if (!strcmp (de->d_name, ".") || !strcmp (de->d_name, ".."))
        continue;
      if (*de->d_name == '.')
        ++*r_dot;
      else
        n++;
      snprintf (path, sizeof path, "%s/%s", dir, de->d_name);
      if (clear)
        ck_assert_int_eq (unlink (path), 0);
    }
  closedir (d);
  return n;
}

static int
file_exists (const char *name)
{
  char path[400];

  snprintf (path, sizeof path, "%s/%s", outdir, name);
  return !access (path, F_OK);
}

/* Ask the daemon for its pid: an earlier test (another process:
 * Check's fork mode) may have restarted it.  */
static void
update_daemon_pid (void)
{
  assuan_context_t ctx;
  th_reply_t reply;

  ck_assert_int_eq (th_connect (&home, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, "GETINFO pid", NULL, &reply), 0);
  home.daemon_pid = (pid_t)strtol (reply.data ? reply.data : "0", NULL, 10);
  th_reply_free (&reply);
  assuan_release (ctx);
  ck_assert_int_gt (home.daemon_pid, 0);
}

/* Send the daemon SIGNO and poll, bounded, until it is gone.  */
static void
stop_daemon (int signo)
{
  int i;

  update_daemon_pid ();
  ck_assert_int_eq (kill (home.daemon_pid, signo), 0);
  for (i = 0; !kill (home.daemon_pid, 0) && i < 10000 / POLL_MS; i++)
    th_pause_ms (POLL_MS);
  ck_assert_msg (kill (home.daemon_pid, 0) && errno == ESRCH,
                 "daemon %d still alive after signal %d",
                 (int)home.daemon_pid, signo);
}

/* Kills at random points of an export: after each, the next start
 * leaves no temp file and no journal entry; k.key never without
 * k.gpgpack, k.pub.asc (committed last) never without both.  */
START_TEST (test_kill_export)
{
  assuan_context_t ctx;
  double t0, full;
  int i, dot, in_flight = 0, finals = 0;

  ck_assert_int_eq (th_connect (&home, &ctx), 0);
  t0 = th_now_ms ();
  ck_assert_int_eq (th_transact (ctx, export_cmd, NULL, NULL), 0);
  full = th_now_ms () - t0;
  assuan_release (ctx);
  ck_assert_int_eq (scan_dir (outdir, &dot, 1), 3);  /* pack, key, pub.asc */
  srand ((unsigned int)time (NULL));
  for (i = 0; i < TRIALS; i++)
    {
      ck_assert_int_eq (th_connect (&home, &ctx), 0);
      ck_assert_int_eq (assuan_write_line (ctx, export_cmd), 0);
      th_pause_ms (full * rand () / RAND_MAX);
      stop_daemon (SIGKILL);
      assuan_release (ctx);
      scan_dir (outdir, &dot, 0);
      in_flight += dot > 0;
      ck_assert_int_eq (th_daemon_start (&home), 0);
      finals += scan_dir (outdir, &dot, 0);
      ck_assert_msg (!dot, "trial %d: %d temp files left", i, dot);
      ck_assert_int_eq (scan_dir (journal, &dot, 0), 0);
      ck_assert (!file_exists ("k.key") || file_exists ("k.gpgpack"));
      ck_assert (!file_exists ("k.pub.asc")
                 || (file_exists ("k.gpgpack") && file_exists ("k.key")));
      scan_dir (outdir, &dot, 1);
    }
  printf ("NOTE: %d SIGKILLs during an export of %.0f ms: %d left temp"
          " files (all removed by the next start); %d final files\n",
          TRIALS, full, in_flight, finals);
}
END_TEST

/* SIGTERM at random points of an export: the daemon ends without
 * leaving a partial file at a final name, and its next start removes
 * any temp file; k.key never without k.gpgpack.  */
START_TEST (test_sigterm_export)
{
  assuan_context_t ctx;
  double t0, full;
  int i, dot;

  ck_assert_int_eq (th_connect (&home, &ctx), 0);
  t0 = th_now_ms ();
  ck_assert_int_eq (th_transact (ctx, export_cmd, NULL, NULL), 0);
  full = th_now_ms () - t0;
  assuan_release (ctx);
  scan_dir (outdir, &dot, 1);
  for (i = 0; i < TRIALS / 2; i++)
    {
      ck_assert_int_eq (th_connect (&home, &ctx), 0);
      ck_assert_int_eq (assuan_write_line (ctx, export_cmd), 0);
      th_pause_ms (full * rand () / RAND_MAX);
      stop_daemon (SIGTERM);
      assuan_release (ctx);
      ck_assert (!file_exists ("k.key") || file_exists ("k.gpgpack"));
      ck_assert_int_eq (th_daemon_start (&home), 0);
      scan_dir (outdir, &dot, 0);
      ck_assert_msg (!dot, "trial %d: %d temp files left", i, dot);
      ck_assert_int_eq (scan_dir (journal, &dot, 0), 0);
      scan_dir (outdir, &dot, 1);
    }
}
END_TEST

/* Start "gpgpack --homedir TO import" of the pack in OUTDIR.  */
static pid_t
start_cli_import (th_home_t *to)
{
  char pack[200], key[200];
  const char *argv[] = { th_prog ("GPGPACK", "gpgpack"), "--homedir",
                         to->dir, "--batch", "import", "--key-file", key,
                         pack, NULL };
  posix_spawn_file_actions_t fa;
  pid_t pid;

  snprintf (pack, sizeof pack, "%s/k.gpgpack", outdir);
  snprintf (key, sizeof key, "%s/k.key", outdir);
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_addopen (&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen (&fa, 2, "/dev/null", O_WRONLY, 0);
  ck_assert_int_eq (posix_spawn (&pid, argv[0], &fa, NULL,
                                 (char *const *)argv, environ), 0);
  posix_spawn_file_actions_destroy (&fa);
  return pid;
}

/* The CLI killed (SIGKILL, then SIGTERM, alternately) at random points
 * of an import: the daemon goes on serving, the same import then
 * completes with every key, and no lock file is left in the home.  */
START_TEST (test_kill_cli_import)
{
  th_home_t to;
  double t0, full;
  int i, status, dot;
  char *fpr_list, lock[200];
  pid_t pid;

  ck_assert_int_eq (th_command (&home, 0, export_cmd, NULL, NULL), 0);
  for (i = 0; i < TRIALS / 2; i++)
    {
      ck_assert_int_eq (th_home_create (&to), 0);
      ck_assert_int_eq (th_daemon_start (&to), 0);
      t0 = th_now_ms ();
      pid = start_cli_import (&to);
      if (i)
        th_pause_ms (full * rand () / RAND_MAX);
      else
        {
          ck_assert_int_eq (waitpid (pid, &status, 0), pid);
          ck_assert_msg (WIFEXITED (status) && !WEXITSTATUS (status),
                         "import failed: status %d", status);
          full = th_now_ms () - t0;
        }
      if (i)
        {
          kill (pid, i % 2 ? SIGKILL : SIGTERM);
          ck_assert_int_eq (waitpid (pid, &status, 0), pid);
        }
      ck_assert_int_eq (th_command (&to, 0, import_cmd, NULL, NULL), 0);
      fpr_list = th_list_fprs (&to, 1);
      ck_assert_ptr_nonnull (fpr_list);
      ck_assert (strstr (fpr_list, fprs[0]) && strstr (fpr_list, fprs[1])
                 && strstr (fpr_list, fprs[2]));
      free (fpr_list);
      snprintf (lock, sizeof lock, "%s/pubring.kbx.lock", to.dir);
      ck_assert_msg (access (lock, F_OK), "trial %d: %s left", i, lock);
      th_home_destroy (&to);
    }
  scan_dir (outdir, &dot, 1);
}
END_TEST

/* An export by a daemon under a small RLIMIT_FSIZE (prlimit):
 * GPG_ERR_EFBIG, not a SIGXFSZ death; no file left, not even a temp
 * file; the daemon still answers.  */
START_TEST (test_fsize_export)
{
  struct rlimit old, small;
  assuan_context_t ctx;
  int dot;

  update_daemon_pid ();
  ck_assert_int_eq (prlimit (home.daemon_pid, RLIMIT_FSIZE, NULL, &old), 0);
  small = old;
  small.rlim_cur = 256;   /* Less than the pack of three keys.  */
  ck_assert_int_eq (prlimit (home.daemon_pid, RLIMIT_FSIZE, &small, NULL), 0);
  ck_assert_int_eq (th_connect (&home, &ctx), 0);
  ck_assert_int_eq (gpg_err_code (th_transact (ctx, export_cmd, NULL, NULL)),
                    GPG_ERR_EFBIG);
  ck_assert_int_eq (th_transact (ctx, "NOP", NULL, NULL), 0);
  assuan_release (ctx);
  ck_assert_int_eq (scan_dir (outdir, &dot, 0), 0);
  ck_assert_int_eq (dot, 0);
  ck_assert_int_eq (prlimit (home.daemon_pid, RLIMIT_FSIZE, &old, NULL), 0);
}
END_TEST

static void
setup_fixture (void)
{
  static const char *uids[] = { "a@example.org", "b@example.org",
                                "c@example.org" };
  int i;

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home));
  for (i = 0; i < 3; i++)
    TH_SETUP (th_genkey (&home, uids[i], "ed25519", NULL, fprs[i]));
  snprintf (outdir, sizeof outdir, "%s/out", home.dir);
  snprintf (journal, sizeof journal, "%s/gpgpackd-tmp.d", home.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  export_cmd = gpgrt_bsprintf ("PACK_EXPORT --secret --output-dir=%s"
                               " --name=k -- %s %s %s", outdir,
                               fprs[0], fprs[1], fprs[2]);
  import_cmd = gpgrt_bsprintf ("PACK_IMPORT --key-file=%s/k.key %s/k.gpgpack",
                               outdir, outdir);
  TH_SETUP (export_cmd && import_cmd ? 0 : gpg_error_from_syserror ());
  TH_SETUP (th_daemon_start (&home));
}

static Suite *
faults_suite (void)
{
  Suite *s = suite_create ("faults");
  TCase *tc = tcase_create ("kill");

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_kill_export);
  tcase_add_test (tc, test_sigterm_export);
  tcase_add_test (tc, test_kill_cli_import);
  tcase_add_test (tc, test_fsize_export);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return th_main (setup_fixture, faults_suite);
}
