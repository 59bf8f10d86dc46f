/* check_gpgpackd.c - Check gpgpackd's process life: start, refuse a
 * second start, options file, SIGTERM removes the socket */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <check.h>
#include <assuan.h>

#include "ckrun.h"
#include "socketdir.h"

static char home[64];
static char *socket_name;

/* Run $GPGPACKD with ARG1, ARG2 (may be NULL) for HOME; return its
 * exit status.  */
static int
run_daemon (const char *arg1, const char *arg2)
{
  const char *prog = getenv ("GPGPACKD");
  pid_t pid;
  int status;

  ck_assert_ptr_nonnull (prog);
  pid = fork ();
  ck_assert_int_ne (pid, -1);
  if (!pid)
    {
      execl (prog, prog, "--homedir", home, arg1, arg2, (char *)NULL);
      _exit (127);
    }
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Where the data of a transaction goes: a NUL-terminated buffer.  */
struct data_sink
{
  char *buf;
  size_t size;
};

static gpg_error_t
data_cb (void *opaque, const void *buf, size_t len)
{
  struct data_sink *sink = opaque;
  size_t n = len < sink->size - 1? len : sink->size - 1;

  memcpy (sink->buf, buf, n);
  sink->buf[n] = 0;
  return 0;
}

/* Send COMMAND to the daemon; return the error.  The data (up to SIZE
 * - 1 bytes) is stored at R_DATA if not NULL.  */
static gpg_error_t
transact (const char *command, char *r_data, size_t size)
{
  struct data_sink sink = { r_data, size };
  assuan_context_t ctx;
  gpg_error_t err;

  ck_assert_int_eq (assuan_new (&ctx), 0);
  err = assuan_socket_connect (ctx, socket_name, ASSUAN_INVALID_PID, 0);
  if (!err)
    err = assuan_transact (ctx, command, r_data? data_cb : NULL, &sink,
                           NULL, NULL, NULL, NULL);
  assuan_release (ctx);
  return err;
}

/* Wait (bounded) until the socket is gone.  */
static int
socket_gone (void)
{
  int i;

  for (i = 0; i < 1000; i++)
    {
      if (access (socket_name, F_OK))
        return 1;
      usleep (10000);
    }
  return 0;
}

static void
setup (void)
{
  strcpy (home, "/tmp/gpk.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (home));
  ck_assert_int_eq (gpgpack_socket_name (home, &socket_name), 0);
}

static void
teardown (void)
{
  char cmd[256];

  transact ("KILLDAEMON", NULL, 0);
  socket_gone ();
  snprintf (cmd, sizeof cmd, "'%s' --homedir '%s' --kill all",
            getenv ("GPGCONF")? getenv ("GPGCONF") : "gpgconf", home);
  ck_assert_int_eq (system (cmd), 0);
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", home);
  ck_assert_int_eq (system (cmd), 0);
  gpgrt_free (socket_name);
}

START_TEST (test_refuse_second_start)
{
  char pid1[32], pid2[32];

  ck_assert_int_eq (run_daemon ("--daemon", NULL), 0);
  ck_assert_int_eq (transact ("GETINFO pid", pid1, sizeof pid1), 0);
  ck_assert_int_ne (run_daemon ("--daemon", NULL), 0);
  ck_assert_int_eq (transact ("GETINFO pid", pid2, sizeof pid2), 0);
  ck_assert_str_eq (pid1, pid2);
}
END_TEST

START_TEST (test_sigterm_removes_socket)
{
  char pid[32];

  ck_assert_int_eq (run_daemon ("--daemon", NULL), 0);
  ck_assert_int_eq (access (socket_name, F_OK), 0);
  ck_assert_int_eq (transact ("GETINFO pid", pid, sizeof pid), 0);
  ck_assert_int_eq (kill (atoi (pid), SIGTERM), 0);
  ck_assert (socket_gone ());
  /* And a new daemon starts on the same home.  */
  ck_assert_int_eq (run_daemon ("--daemon", NULL), 0);
  ck_assert_int_eq (transact ("NOP", NULL, 0), 0);
}
END_TEST

/* deny-secret-export from the options file: FORBIDDEN before any key
 * is looked up; public export is still allowed past the policy.  */
START_TEST (test_policy_from_options)
{
  char conf[96];
  FILE *fp;
  const char *prog = getenv ("GPGPACKD");
  pid_t pid;
  int status;

  snprintf (conf, sizeof conf, "%s/other.conf", home);
  fp = fopen (conf, "w");
  ck_assert_ptr_nonnull (fp);
  fputs ("deny-secret-export\n", fp);
  ck_assert_int_eq (fclose (fp), 0);
  pid = fork ();
  ck_assert_int_ne (pid, -1);
  if (!pid)
    {
      execl (prog, prog, "--homedir", home, "--options", conf, "--daemon",
             (char *)NULL);
      _exit (127);
    }
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert_int_eq (WEXITSTATUS (status), 0);
  ck_assert_int_eq (gpg_err_code (transact ("PACK_EXPORT --secret -- x",
                                            NULL, 0)),
                    GPG_ERR_FORBIDDEN);
  ck_assert_int_eq (gpg_err_code (transact ("PACK_EXPORT -- x", NULL, 0)),
                    GPG_ERR_NOT_FOUND);
  /* Fingerprints are looked up together; a missing one is named.  */
  ck_assert_int_eq (gpg_err_code (transact
                                  ("PACK_EXPORT -- 0x"
                                   "0123456789ABCDEF0123456789ABCDEF01234567",
                                   NULL, 0)),
                    GPG_ERR_NOT_FOUND);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("gpgpackd");
  TCase *tc = tcase_create ("process");

  if (!getenv ("GPGPACKD"))
    {
      fprintf (stderr, "check_gpgpackd: $GPGPACKD not set\n");
      return 77;
    }
  assuan_sock_init ();
  signal (SIGPIPE, SIG_IGN);  /* assuan_release says BYE to a closed peer */
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_refuse_second_start);
  tcase_add_test (tc, test_sigterm_removes_socket);
  tcase_add_test (tc, test_policy_from_options);
  suite_add_tcase (s, tc);
  return ckrun (s);
}
