/* check_gpgpackd.c - Check gpgpackd's process life, as gpg-agent's
 *
 * Each test gets a fresh home (harness.h) and runs the real gpgpackd:
 * --daemon exits only once ready, with the error (file:line) and a
 * non-zero status otherwise; a second daemon is refused; a daemon
 * removes only its own socket; it ends when its socket or homedir goes;
 * SIGHUP re-reads gpgpackd.conf; --supervised takes its socket the way
 * systemd passes it; --version and -v.
 *
 * The "autostart" case runs $GPGPACK, which starts the daemon: a daemon
 * that cannot start is reported with its own file:line message; a
 * missing home is named; a daemon that does not come up is waited for
 * at most about 5 s, and a terminal is told after 1 s.  To hold a real
 * daemon before it is ready, its gpgpackd.conf names a FIFO as log
 * file: it blocks opening it until the test opens the other end.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <check.h>
#include <gcrypt.h>
#include <assuan.h>

#include "ckrun.h"
#include "harness.h"

/* Poll step and number of steps: 20 s, twice what a tick may take.  */
#define STEP_MS 20
#define STEPS   1000

static th_home_t home;


/* Sleep one poll step.  */
static void
pause_step (void)
{
  struct timespec ts = { 0, STEP_MS * 1000000L };

  nanosleep (&ts, NULL);
}

/* Run "$GPGPACKD --homedir HOME ARGS..." (at most 3, NULL-terminated);
 * return its exit status and its stderr at R_ERR (may be NULL).  */
static int
run_daemon (char **r_err, ...)
{
  const char *argv[7] = { th_prog ("GPGPACKD", "gpgpackd"), "--homedir",
                          home.dir };
  va_list ap;
  int i;

  va_start (ap, r_err);
  for (i = 3; i < 6 && (argv[i] = va_arg (ap, const char *)); i++)
    ;
  va_end (ap);
  return th_run (argv, NULL, NULL, r_err);
}

/* Send COMMAND to HOME's daemon; return its error and, if R_DATA is not
 * NULL, its malloced data ("" if none).  */
static gpg_error_t
transact (const char *command, char **r_data)
{
  assuan_context_t ctx;
  th_reply_t reply = { NULL };
  gpg_error_t err;

  err = th_connect (&home, &ctx);
  if (err)
    return err;
  err = th_transact (ctx, command, NULL, &reply);
  assuan_release (ctx);
  if (r_data)
    *r_data = strdup (reply.data ? reply.data : "");
  th_reply_free (&reply);
  return err;
}

/* The pid the daemon of HOME reports.  */
static pid_t
daemon_pid (void)
{
  char *data = NULL;
  pid_t pid;

  ck_assert_int_eq (transact ("GETINFO pid", &data), 0);
  pid = (pid_t)atol (data);
  free (data);
  ck_assert_int_gt (pid, 0);
  return pid;
}

/* True while PID runs (a zombie waiting for init counts as gone).  */
static int
process_alive (pid_t pid)
{
  char path[64], buf[512], *p;
  FILE *fp;
  size_t n;

  snprintf (path, sizeof path, "/proc/%ld/stat", (long)pid);
  fp = fopen (path, "r");
  if (!fp)
    return kill (pid, 0) == 0;
  n = fread (buf, 1, sizeof buf - 1, fp);
  fclose (fp);
  buf[n] = 0;
  p = strrchr (buf, ')');
  return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* Wait (bounded) until PID is gone; return true if it is.  */
static int
wait_gone (pid_t pid)
{
  int i;

  for (i = 0; i < STEPS && process_alive (pid); i++)
    pause_step ();
  return !process_alive (pid);
}

/* KILLDAEMON and wait (bounded) until the daemon is gone.  */
static void
stop_daemon (void)
{
  pid_t pid = daemon_pid ();

  ck_assert_int_eq (transact ("KILLDAEMON", NULL), 0);
  ck_assert (wait_gone (pid));
}

/* Wait (bounded) until the error of COMMAND is EXPECTED; return it.  */
static gpg_err_code_t
wait_for_error (const char *command, gpg_err_code_t expected)
{
  gpg_err_code_t ec = GPG_ERR_NO_ERROR;
  int i;

  for (i = 0; i < STEPS; i++, pause_step ())
    if ((ec = gpg_err_code (transact (command, NULL))) == expected)
      break;
  return ec;
}

/* Wait (bounded) until file NAME in HOME contains TEXT.  */
static int
wait_file_has (const char *name, const char *text)
{
  char path[128], *buf = NULL;
  size_t len;
  int i, found = 0;

  snprintf (path, sizeof path, "%s/%s", home.dir, name);
  for (i = 0; i < STEPS && !found; i++, pause_step ())
    {
      if (!th_read_file (path, &buf, &len))
        found = !!strstr (buf, text);
      free (buf);
      buf = NULL;
    }
  return found;
}


/* --- the CLI's autostart ------------------------------------------ */

/* Bound of every wait for output: the CLI's own bound is 5 s.  */
#define OUTPUT_BOUND_MS 20000

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


START_TEST (test_refuse_second_start)
{
  char *err = NULL;
  pid_t pid;

  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  pid = daemon_pid ();
  ck_assert_int_ne (run_daemon (&err, "--daemon", NULL), 0);
  ck_assert_ptr_nonnull (strstr (err, "gpgpackd is already running"));
  ck_assert_int_eq (daemon_pid (), pid);
  free (err);
}
END_TEST

START_TEST (test_sigterm_removes_socket)
{
  pid_t pid;

  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  ck_assert_int_eq (access (home.socket, F_OK), 0);
  pid = daemon_pid ();
  ck_assert_int_eq (kill (pid, SIGTERM), 0);
  ck_assert (wait_gone (pid));
  ck_assert_int_ne (access (home.socket, F_OK), 0);
  /* And a new daemon starts on the same home.  */
  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  ck_assert_int_eq (transact ("NOP", NULL), 0);
}
END_TEST

/* A bad gpgpackd.conf: --daemon exits non-zero at once with the
 * file:line message, and no daemon is left listening.  */
START_TEST (test_bad_conf)
{
  char *err = NULL;

  ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf",
                                   "verbose\nbogus-option\n"), 0);
  ck_assert_int_ne (run_daemon (&err, "--daemon", NULL), 0);
  ck_assert_msg (strstr (err, "gpgpackd.conf:2: invalid option"),
                 "stderr: %s", err);
  ck_assert_int_ne (access (home.socket, F_OK), 0);
  free (err);
}
END_TEST

START_TEST (test_no_such_home)
{
  char *err = NULL;

  strcat (home.dir, "/missing");
  ck_assert_int_ne (run_daemon (&err, "--daemon", NULL), 0);
  ck_assert_msg (strstr (err, "no such GnuPG home: ")
                 && strstr (err, home.dir), "stderr: %s", err);
  *strrchr (home.dir, '/') = 0;
  free (err);
}
END_TEST

/* A daemon whose socket was taken over by a newer one leaves that
 * socket alone when it ends.  */
START_TEST (test_keeps_newer_socket)
{
  pid_t a, b;

  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  a = daemon_pid ();
  ck_assert_int_eq (unlink (home.socket), 0);
  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  b = daemon_pid ();
  ck_assert_int_ne (a, b);
  kill (a, SIGTERM);   /* It may have ended on its own already.  */
  ck_assert (wait_gone (a));
  ck_assert_int_eq (access (home.socket, F_OK), 0);
  ck_assert_int_eq (daemon_pid (), b);
}
END_TEST

START_TEST (test_exit_when_socket_removed)
{
  pid_t pid;

  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  pid = daemon_pid ();
  ck_assert_int_eq (unlink (home.socket), 0);
  ck_assert (wait_gone (pid));
}
END_TEST

START_TEST (test_exit_when_homedir_removed)
{
  char moved[80];
  pid_t pid;

  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  pid = daemon_pid ();
  snprintf (moved, sizeof moved, "%s.moved", home.dir);
  ck_assert_int_eq (rename (home.dir, moved), 0);
  ck_assert (wait_gone (pid));
  ck_assert_int_eq (rename (moved, home.dir), 0);
}
END_TEST

/* SIGHUP re-reads gpgpackd.conf; a file with an error is logged with
 * its file:line and the settings in force stay.  */
START_TEST (test_sighup_rereads_conf)
{
  char conf[160];
  pid_t pid;

  snprintf (conf, sizeof conf, "log-file %s/daemon.log\n", home.dir);
  ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf", conf), 0);
  ck_assert_int_eq (run_daemon (NULL, "--daemon", NULL), 0);
  pid = daemon_pid ();
  ck_assert_int_eq (gpg_err_code (transact ("PACK_EXPORT --secret -- x",
                                            NULL)), GPG_ERR_NOT_FOUND);

  strcat (conf, "deny-secret-export\n");
  ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf", conf), 0);
  ck_assert_int_eq (kill (pid, SIGHUP), 0);
  ck_assert_int_eq (wait_for_error ("PACK_EXPORT --secret -- x",
                                    GPG_ERR_FORBIDDEN), GPG_ERR_FORBIDDEN);

  strcat (conf, "bogus-option\n");
  ck_assert_int_eq (th_home_write (&home, "gpgpackd.conf", conf), 0);
  ck_assert_int_eq (kill (pid, SIGHUP), 0);
  ck_assert (wait_file_has ("daemon.log", "keeping the settings in force"));
  ck_assert (wait_file_has ("daemon.log", "gpgpackd.conf:3: invalid option"));
  ck_assert_int_eq (gpg_err_code (transact ("PACK_EXPORT --secret -- x",
                                            NULL)), GPG_ERR_FORBIDDEN);
}
END_TEST

/* deny-secret-export from --options: FORBIDDEN before any key is
 * looked up; public export is still allowed past the policy.  */
START_TEST (test_policy_from_options)
{
  char conf[96];

  snprintf (conf, sizeof conf, "%s/other.conf", home.dir);
  ck_assert_int_eq (th_home_write (&home, "other.conf",
                                   "deny-secret-export\n"), 0);
  ck_assert_int_eq (run_daemon (NULL, "--options", conf, "--daemon", NULL),
                    0);
  ck_assert_int_eq (gpg_err_code (transact ("PACK_EXPORT --secret -- x",
                                            NULL)), GPG_ERR_FORBIDDEN);
  ck_assert_int_eq (gpg_err_code (transact ("PACK_EXPORT -- x", NULL)),
                    GPG_ERR_NOT_FOUND);
  /* Fingerprints are looked up together; a missing one is named.  */
  ck_assert_int_eq (gpg_err_code (transact
                                  ("PACK_EXPORT -- 0x"
                                   "0123456789ABCDEF0123456789ABCDEF01234567",
                                   NULL)),
                    GPG_ERR_NOT_FOUND);
}
END_TEST

/* Bind and listen on HOME's socket path as systemd's socket unit does;
 * return the descriptor.  */
static int
listen_like_systemd (void)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  ck_assert_int_ge (fd, 0);
  strcpy (addr.sun_path, home.socket);
  ck_assert_int_eq (bind (fd, (struct sockaddr *)&addr, sizeof addr), 0);
  ck_assert_int_eq (listen (fd, 8), 0);
  return fd;
}

/* Start "$GPGPACKD --supervised" with FD as descriptor 3 and the
 * LISTEN_* variables set in the child, as systemd does (WITH_PID 0:
 * without LISTEN_PID).  Its stderr goes to HOME/supervised.log.  */
static pid_t
spawn_supervised (int fd, int with_pid)
{
  const char *prog = th_prog ("GPGPACKD", "gpgpackd");
  char buf[32], log[96];
  pid_t pid;
  int logfd;

  snprintf (log, sizeof log, "%s/supervised.log", home.dir);
  pid = fork ();
  ck_assert_int_ne (pid, -1);
  if (pid)
    return pid;
  logfd = open (log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (logfd < 0 || dup2 (logfd, 2) < 0 || dup2 (fd, 3) < 0)
    _exit (127);
  snprintf (buf, sizeof buf, "%ld", (long)getpid ());
  if (with_pid)
    setenv ("LISTEN_PID", buf, 1);
  else
    unsetenv ("LISTEN_PID");
  setenv ("LISTEN_FDS", "1", 1);
  setenv ("LISTEN_FDNAMES", "std", 1);
  execl (prog, prog, "--homedir", home.dir, "--supervised", (char *)NULL);
  _exit (127);
}

/* Exit status of our child PID.  */
static int
child_status (pid_t pid)
{
  int status;

  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert (WIFEXITED (status));
  return WEXITSTATUS (status);
}

START_TEST (test_supervised)
{
  char *data = NULL;
  pid_t pid;
  int fd;

  fd = listen_like_systemd ();
  pid = spawn_supervised (fd, 1);
  close (fd);
  /* The socket listened before the daemon ran: it answers at once.  */
  ck_assert_int_eq (daemon_pid (), pid);
  ck_assert_int_eq (transact ("GETINFO socket_name", &data), 0);
  ck_assert_str_eq (data, home.socket);
  free (data);
  ck_assert_int_eq (transact ("KILLDAEMON", NULL), 0);
  ck_assert_int_eq (child_status (pid), 0);
  /* systemd owns the socket: the daemon leaves it.  */
  ck_assert_int_eq (access (home.socket, F_OK), 0);
}
END_TEST

START_TEST (test_supervised_without_systemd)
{
  pid_t pid;
  int fd;

  fd = listen_like_systemd ();
  pid = spawn_supervised (fd, 0);
  close (fd);
  ck_assert_int_ne (child_status (pid), 0);
  ck_assert (wait_file_has ("supervised.log", "LISTEN_FDS"));
}
END_TEST

START_TEST (test_version)
{
  const char *argv[] = { th_prog ("GPGPACKD", "gpgpackd"), "--version",
                         NULL };
  char *out = NULL, line[64];

  ck_assert_int_eq (th_run (argv, NULL, &out, NULL), 0);
  ck_assert_msg (strstr (out, "Copyright (C) 2026 The gpgpack authors\n"),
                 "%s", out);
  ck_assert_ptr_null (strstr (out, "YEAR"));
  snprintf (line, sizeof line, "\nlibgcrypt %s\n", gcry_check_version (NULL));
  ck_assert_msg (strstr (out, line), "%s", out);
  snprintf (line, sizeof line, "\nlibassuan %s\n",
            assuan_check_version (NULL));
  ck_assert_msg (strstr (out, line), "%s", out);
  ck_assert_ptr_nonnull (strstr (out, "\nlibgpg-error "));
  ck_assert_ptr_nonnull (strstr (out, "\ngpgme "));
  free (out);
}
END_TEST

/* gpgpack --version: the same copyright line, its libraries.  */
START_TEST (test_cli_version)
{
  const char *argv[] = { th_prog ("GPGPACK", "gpgpack"), "--version", NULL };
  char *out = NULL, line[64];

  ck_assert_int_eq (th_run (argv, NULL, &out, NULL), 0);
  ck_assert_msg (strstr (out, "Copyright (C) 2026 The gpgpack authors\n"),
                 "%s", out);
  snprintf (line, sizeof line, "\nlibassuan %s\n",
            assuan_check_version (NULL));
  ck_assert_msg (strstr (out, line), "%s", out);
  ck_assert_ptr_nonnull (strstr (out, "\nlibgpg-error "));
  free (out);
}
END_TEST

/* -v is --verbose: the daemon says where it listens before it is
 * ready, so the message reaches our stderr; -q is --quiet.  */
START_TEST (test_short_verbose)
{
  char *err = NULL;

  ck_assert_int_eq (run_daemon (&err, "-v", "--daemon", NULL), 0);
  ck_assert_msg (strstr (err, "listening on socket"), "stderr: %s", err);
  free (err);
  stop_daemon ();
  ck_assert_int_eq (run_daemon (&err, "-q", "--daemon", NULL), 0);
  ck_assert_str_eq (err, "");
  free (err);
  /* Only -v and -q are short options.  */
  stop_daemon ();
  ck_assert_int_ne (run_daemon (&err, "-r", "--daemon", NULL), 0);
  ck_assert_msg (strstr (err, "invalid option"), "stderr: %s", err);
  free (err);
}
END_TEST

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

START_TEST (test_cli_no_such_home)
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
gpgpackd_suite (void)
{
  Suite *s = suite_create ("gpgpackd");
  TCase *tc = tcase_create ("process");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_refuse_second_start);
  tcase_add_test (tc, test_sigterm_removes_socket);
  tcase_add_test (tc, test_bad_conf);
  tcase_add_test (tc, test_no_such_home);
  tcase_add_test (tc, test_keeps_newer_socket);
  tcase_add_test (tc, test_exit_when_socket_removed);
  tcase_add_test (tc, test_exit_when_homedir_removed);
  tcase_add_test (tc, test_sighup_rereads_conf);
  tcase_add_test (tc, test_policy_from_options);
  tcase_add_test (tc, test_supervised);
  tcase_add_test (tc, test_supervised_without_systemd);
  tcase_add_test (tc, test_version);
  tcase_add_test (tc, test_short_verbose);
  suite_add_tcase (s, tc);

  tc = tcase_create ("cli");   /* gpgpack starting the daemon */
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_bad_conf_reported);
  tcase_add_test (tc, test_cli_no_such_home);
  tcase_add_test (tc, test_bounded_wait);
  tcase_add_test (tc, test_cli_version);
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
  return th_main (setup_all, gpgpackd_suite);
}
