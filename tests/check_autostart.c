/* check_autostart.c - the CLI starting gpgpackd: errors, waiting, bound
 *
 * gpgpack autostarts the real gpgpackd in a fresh home.  A daemon that
 * cannot start is reported with its own file:line message; a missing
 * home is named; a daemon that does not come up is waited for at most
 * about 5 s, and a terminal is told after 1 s.  To hold a real daemon
 * before it is ready, its gpgpackd.conf names a FIFO as log file: it
 * blocks opening it until the test opens the other end.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>
#include <assuan.h>

#include "ckrun.h"
#include "harness.h"

/* Bound of every wait for output: the CLI's own bound is 5 s.  */
#define OUTPUT_BOUND_MS 20000

static th_home_t home;
static char fifo[96];
static int fifo_fd = -1;


/* Number of lines in TEXT.  */
static int
count_lines (const char *text)
{
  int n = 0;

  for (; *text; text++)
    n += *text == '\n';
  return n;
}

/* Run "gpgpack --homedir DIR info NOPE.gpgpack" with pipes; return the
 * exit status and stderr at R_ERR.  The command itself must fail (no
 * such pack) once the daemon answers.  */
static int
run_info (const char *dir, char **r_err)
{
  const char *argv[] = { th_prog ("GPGPACK", "gpgpack"), "--homedir", dir,
                         "info", "/nonexistent/nope.gpgpack", NULL };

  return th_run (argv, NULL, NULL, r_err);
}

/* True if a daemon answers on HOME's socket.  */
static int
daemon_answers (void)
{
  assuan_context_t ctx;

  if (th_connect (&home, &ctx))
    return 0;
  assuan_release (ctx);
  return 1;
}

/* Make the daemon of HOME block before it is ready: its log file is a
 * FIFO nobody reads yet.  */
static void
hold_daemon (void)
{
  char conf[128];

  snprintf (fifo, sizeof fifo, "%s/log.fifo", home.dir);
  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  snprintf (conf, sizeof conf, "log-file %s\n", fifo);
  ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf", conf), 0);
}

/* Let the held daemon go on: open the FIFO's reading end (kept open
 * until teardown so that its log lines have somewhere to go).  */
static void
release_daemon (void)
{
  fifo_fd = open (fifo, O_RDONLY | O_NONBLOCK);
  ck_assert_int_ge (fifo_fd, 0);
}

/* Read from FD into the malloced *TEXT until it contains UNTIL (NULL:
 * until end of file) or OUTPUT_BOUND_MS pass.  */
static void
read_until (int fd, char **text, const char *until)
{
  struct pollfd pfd = { fd, POLLIN, 0 };
  size_t len = *text ? strlen (*text) : 0;
  char buf[512];
  ssize_t n;
  int waited = 0;

  while (waited < OUTPUT_BOUND_MS && !(until && *text && strstr (*text, until)))
    {
      if (poll (&pfd, 1, 100) == 0)
        {
          waited += 100;
          continue;
        }
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        break;   /* EIO: the other side of the pty is closed.  */
      *text = realloc (*text, len + n + 1);
      ck_assert_ptr_nonnull (*text);
      memcpy (*text + len, buf, n);
      len += n;
      (*text)[len] = 0;
    }
}

static void
setup (void)
{
  ck_assert_int_eq (th_home_create (&home), 0);
}

static void
teardown (void)
{
  th_home_destroy (&home);
  if (fifo_fd >= 0)
    close (fifo_fd);
  fifo_fd = -1;
}


/* A bad gpgpackd.conf: the CLI fails at once with the daemon's
 * file:line message as its one error line; no daemon is left.  */
START_TEST (test_bad_conf_reported)
{
  char *err = NULL;

  ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf",
                                   "bogus-option\n"), 0);
  ck_assert_int_eq (run_info (home.dir, &err), 1);
  ck_assert_msg (strstr (err, "gpgpackd.conf:1: invalid option"),
                 "stderr: %s", err);
  ck_assert_msg (count_lines (err) == 1, "stderr: %s", err);
  ck_assert (!daemon_answers ());
  free (err);
}
END_TEST

START_TEST (test_no_such_home)
{
  char missing[96], *err = NULL;

  snprintf (missing, sizeof missing, "%s/missing", home.dir);
  ck_assert_int_eq (run_info (missing, &err), 1);
  ck_assert_msg (strstr (err, "no such GnuPG home: ")
                 && strstr (err, missing), "stderr: %s", err);
  ck_assert_msg (count_lines (err) == 1, "stderr: %s", err);
  ck_assert_ptr_null (strstr (err, "starting"));
  free (err);
}
END_TEST

/* Not on a terminal: no "waiting" line; a daemon that never comes up
 * ends the wait with a timeout naming the bound.  */
START_TEST (test_bounded_wait)
{
  char *err = NULL;

  hold_daemon ();
  ck_assert_int_eq (run_info (home.dir, &err), 1);
  ck_assert_msg (strstr (err, "did not come up within 5 s: Timeout"),
                 "stderr: %s", err);
  ck_assert_ptr_null (strstr (err, "waiting for"));
  free (err);
  /* Released, the same daemon comes up and the CLI uses it.  */
  release_daemon ();
  ck_assert_int_eq (run_info (home.dir, &err), 1);
  ck_assert_msg (strstr (err, "can't open"), "stderr: %s", err);
  free (err);
}
END_TEST

/* On a terminal the CLI says it waits; once the daemon is up the
 * command goes on.  */
START_TEST (test_waiting_on_terminal)
{
  const char *prog = th_prog ("GPGPACK", "gpgpack");
  char *text = NULL;
  pid_t pid;
  int master, status;

  hold_daemon ();
  pid = forkpty (&master, NULL, NULL, NULL);
  ck_assert_int_ne (pid, -1);
  if (!pid)
    {
      execl (prog, prog, "--homedir", home.dir, "info",
             "/nonexistent/nope.gpgpack", (char *)NULL);
      _exit (127);
    }
  read_until (master, &text, "waiting for gpgpackd to come up");
  ck_assert_msg (text && strstr (text, "waiting for gpgpackd to come up"),
                 "terminal: %s", text ? text : "");
  release_daemon ();
  read_until (master, &text, NULL);
  close (master);
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert_msg (strstr (text, "can't open"), "terminal: %s", text);
  ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 1);
  ck_assert (daemon_answers ());
  free (text);
}
END_TEST

static Suite *
autostart_suite (void)
{
  Suite *s = suite_create ("autostart");
  TCase *tc = tcase_create ("autostart");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_bad_conf_reported);
  tcase_add_test (tc, test_no_such_home);
  tcase_add_test (tc, test_bounded_wait);
  tcase_add_test (tc, test_waiting_on_terminal);
  suite_add_tcase (s, tc);
  return s;
}

static void
setup_all (void)
{
  TH_SETUP (th_init ());
}

int
main (void)
{
  return th_main (setup_all, autostart_suite);
}
