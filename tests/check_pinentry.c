/* check_pinentry.c - passphrases of protected keys asked where the client is
 *
 * Every home here has pinentry-record.sh (through a symlink DIR/pinentry)
 * as gpg-agent's pinentry: it records in DIR/pinentry.log the OPTION
 * lines and environment gpg-agent gave it and one "GETPIN" per
 * question, and answers from DIR/pinentry.pass (or cancels while
 * DIR/pinentry.cancel exists).  So a test sees on which terminal and
 * display the prompt would have appeared, and how often.  The daemon
 * is started with a terminal and display of its own in its
 * environment, which must never be where the client's prompt goes.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <gpgme.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"

#define PIN_PASS       "pin pass 1"    /* protects the keys of the homes */
#define DAEMON_TTY     "/dev/daemon-tty"
#define DAEMON_DISPLAY ":99"
#define TEST_TIMEOUT   120
#define PTY_WAIT_MS    60000           /* bound of a CLI run on a pty */

static char script[PATH_MAX];          /* pinentry-record.sh */
static th_home_t home_a;               /* cache ttl 0, key fpr_a */
static th_home_t home_c;               /* cache ttl 600, key fpr_c */
static char fpr_a[41], fpr_c[41];


/* --- the homes and the recording ---------------------------------- */

/* Path of NAME in HOME, in one of four static buffers used in turn.  */
static const char *
home_file (th_home_t *home, const char *name)
{
  static char buf[4][128];
  static int n;

  n = (n + 1) % 4;
  snprintf (buf[n], sizeof buf[n], "%s/%s", home->dir, name);
  return buf[n];
}

/* Start a new recording in HOME: empty log, PASSES as the answers
 * (lines), CANCEL to make pinentry cancel.  */
static void
record_start (th_home_t *home, const char *passes, int cancel)
{
  unlink (home_file (home, "pinentry.log"));
  unlink (home_file (home, "pinentry.cancel"));
  ck_assert_int_eq (th_write_file (home_file (home, "pinentry.pass"),
                                   passes, strlen (passes)), 0);
  if (cancel)
    ck_assert_int_eq (th_write_file (home_file (home, "pinentry.cancel"),
                                     "", 0), 0);
}

/* The recording of HOME ("" if pinentry never ran), malloced.  */
static char *
record_get (th_home_t *home)
{
  char *log;
  size_t len;

  if (th_read_file (home_file (home, "pinentry.log"), &log, &len))
    return strdup ("");
  return log;
}

/* Number of lines LINE in the recording LOG.  */
static int
record_count (const char *log, const char *line)
{
  size_t len = strlen (line);
  const char *p;
  int n = 0;

  for (p = log; (p = strstr (p, line)); p += len)
    if ((p == log || p[-1] == '\n') && p[len] == '\n')
      n++;
  return n;
}

/* Assert that LOG has the line LINE.  */
static void
assert_recorded (const char *log, const char *line)
{
  ck_assert_msg (record_count (log, line) > 0, "no line '%s' in:\n%s",
                 line, log);
}

/* Create HOME with the recording pinentry, gpg-agent's cache TTL, a
 * key protected by PIN_PASS (to R_FPR), an output directory and a
 * daemon started with DAEMON_TTY and DAEMON_DISPLAY as its own.  */
static gpg_error_t
make_home (th_home_t *home, int ttl, char *r_fpr)
{
  char *conf;
  gpg_error_t err;

  err = th_home_create (home);
  if (!err && symlink (script, home_file (home, "pinentry")))
    err = gpg_error_from_syserror ();
  conf = gpgrt_bsprintf ("pinentry-program %s\nallow-loopback-pinentry\n"
                         "default-cache-ttl %d\nmax-cache-ttl %d\n",
                         home_file (home, "pinentry"), ttl, ttl);
  if (!conf)
    return gpg_error_from_syserror ();
  if (!err)
    err = th_home_write (home, "gpg-agent.conf", conf);
  gpgrt_free (conf);
  if (!err)
    err = th_genkey (home, "Pin <pin@example.org>", "ed25519", PIN_PASS,
                     r_fpr);
  if (!err && mkdir (home_file (home, "out"), 0700))
    err = gpg_error_from_syserror ();
  if (!err)
    err = th_daemon_start (home);
  return err;
}

static void
setup_fixture (void)
{
  char *name, *srcdir = getenv ("srcdir");

  TH_SETUP (th_init ());
  name = gpgrt_bsprintf ("%s/pinentry-record.sh", srcdir ? srcdir : ".");
  TH_SETUP (name && realpath (name, script) ? 0 : gpg_error_from_syserror ());
  gpgrt_free (name);
  /* The daemons (and the agents their gpg's start) get a terminal
   * and a display of their own, never the clients'.  */
  setenv ("GPG_TTY", DAEMON_TTY, 1);
  setenv ("DISPLAY", DAEMON_DISPLAY, 1);
  TH_SETUP (make_home (&home_a, 0, fpr_a));
  TH_SETUP (make_home (&home_c, 600, fpr_c));
  unsetenv ("GPG_TTY");
  unsetenv ("DISPLAY");
}


/* --- clients ------------------------------------------------------ */

/* PACK_EXPORT --secret of FPR into HOME's out directory as NAME, on
 * HOME's daemon socket.  */
static gpg_error_t
export_secret (th_home_t *home, const char *fpr, const char *name)
{
  char *cmd;
  gpg_error_t err;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --output-dir=%s"
                             " --name=%s -- %s", home_file (home, "out"),
                             name, fpr) >= 0);
  err = th_command (home, 0, cmd, NULL, NULL);
  gpgrt_free (cmd);
  return err;
}

/* True if HOME's out directory has NAME.gpgpack.  */
static int
have_pack (th_home_t *home, const char *name)
{
  struct stat st;
  char path[128];

  snprintf (path, sizeof path, "%s/out/%s.gpgpack", home->dir, name);
  return !stat (path, &st);
}

/* A gpgpack run on a pseudo-terminal.  */
typedef struct pty_run
{
  int master;
  pid_t pid;
  char slave[64];
  char out[8192];            /* what it wrote, NUL terminated */
  size_t outlen;
} pty_run_t;

/* Start "$GPGPACK --homedir HOME ARGS..." on a new pseudo-terminal,
 * without GPG_TTY, DISPLAY and WAYLAND_DISPLAY in its environment.  */
static void
pty_start (pty_run_t *run, th_home_t *home, const char *const *args)
{
  const char *argv[32];
  int argc = 0;

  argv[argc++] = th_prog ("GPGPACK", "gpgpack");
  argv[argc++] = "--homedir";
  argv[argc++] = home->dir;
  while (*args && argc < 31)
    argv[argc++] = *args++;
  argv[argc] = NULL;
  memset (run, 0, sizeof *run);
  run->pid = forkpty (&run->master, run->slave, NULL, NULL);
  ck_assert_int_ne (run->pid, -1);
  if (!run->pid)
    {
      unsetenv ("GPG_TTY");
      unsetenv ("DISPLAY");
      unsetenv ("WAYLAND_DISPLAY");
      execv (argv[0], (char **)argv);
      _exit (127);
    }
}

/* Read what RUN writes for at most WAIT_MS; return true once its
 * output holds TEXT (NULL: once it closed the terminal).  */
static int
pty_read_until (pty_run_t *run, const char *text, int wait_ms)
{
  struct pollfd pfd = { run->master, POLLIN };
  ssize_t n;
  int waited;

  for (waited = 0; waited < wait_ms; waited += 50)
    {
      if (text && strstr (run->out, text))
        return 1;
      if (poll (&pfd, 1, 50) <= 0)
        continue;
      n = read (run->master, run->out + run->outlen,
                sizeof run->out - 1 - run->outlen);
      if (n <= 0)
        return !text;   /* EIO: every slave fd is closed.  */
      run->outlen += n;
      run->out[run->outlen] = 0;
    }
  return 0;
}

/* Wait for RUN to end (bounded); return its wait status.  The
 * terminal stays open (its settings can still be read).  */
static int
pty_finish (pty_run_t *run)
{
  int status = 0, i;
  pid_t pid = 0;

  ck_assert_msg (pty_read_until (run, NULL, PTY_WAIT_MS),
                 "gpgpack did not finish:\n%s", run->out);
  for (i = 0; i < 200 && !(pid = waitpid (run->pid, &status, WNOHANG)); i++)
    poll (NULL, 0, 50);
  ck_assert_int_eq (pid, run->pid);
  return status;
}

/* Run gpgpack with ARGS on a pseudo-terminal; assert it succeeds.  The
 * slave's name goes to SLAVE.  */
static void
pty_cli_ok (th_home_t *home, const char *const *args, char slave[64])
{
  pty_run_t run;
  int status;

  pty_start (&run, home, args);
  status = pty_finish (&run);
  close (run.master);
  ck_assert_msg (WIFEXITED (status) && !WEXITSTATUS (status),
                 "gpgpack failed (%d):\n%s", status, run.out);
  strcpy (slave, run.slave);
}


/* --- tests -------------------------------------------------------- */

/* gpgpack export on a terminal: pinentry asks on that terminal (not
 * the daemon's), with its TERM, and nowhere else.  */
START_TEST (test_cli_pty_export)
{
  const char *args[] = { "export", "--secret", "--yes", "-o", NULL,
                         "--name", "pty", fpr_a, NULL };
  char slave[64], *log, *want;

  args[4] = home_file (&home_a, "out");
  record_start (&home_a, PIN_PASS "\n", 0);
  pty_cli_ok (&home_a, args, slave);
  log = record_get (&home_a);
  ck_assert (gpgrt_asprintf (&want, "OPTION ttyname=%s", slave) >= 0);
  assert_recorded (log, want);
  ck_assert_ptr_null (strstr (log, "ttyname=" DAEMON_TTY));
  ck_assert_ptr_null (strstr (log, "DISPLAY=" DAEMON_DISPLAY));
  ck_assert_int_eq (record_count (log, "GETPIN"), 1);
  ck_assert (have_pack (&home_a, "pty"));
  gpgrt_free (want);
  free (log);
}
END_TEST

/* The whole question and answer a user at a terminal has: the
 * "(y/N)" for --secret (no --yes), answered on the terminal, then
 * pinentry for the protected key on that same terminal.  */
START_TEST (test_cli_pty_confirm_then_pinentry)
{
  const char *args[] = { "export", "--secret", "-o", NULL,
                         "--name", "confirmed", fpr_a, NULL };
  char *log, *want;
  pty_run_t run;
  int status;

  args[3] = home_file (&home_a, "out");
  record_start (&home_a, PIN_PASS "\n", 0);
  pty_start (&run, &home_a, args);
  ck_assert_msg (pty_read_until (&run, "(y/N)", PTY_WAIT_MS),
                 "no confirmation asked:\n%s", run.out);
  ck_assert_int_eq (write (run.master, "y\n", 2), 2);
  status = pty_finish (&run);
  close (run.master);
  ck_assert_msg (WIFEXITED (status) && !WEXITSTATUS (status),
                 "gpgpack failed (%d):\n%s", status, run.out);
  log = record_get (&home_a);
  ck_assert (gpgrt_asprintf (&want, "OPTION ttyname=%s", run.slave) >= 0);
  assert_recorded (log, want);
  ck_assert_int_eq (record_count (log, "GETPIN"), 1);
  ck_assert (have_pack (&home_a, "confirmed"));
  gpgrt_free (want);
  free (log);
}
END_TEST

/* A protected key imported from a pack (gpg-agent keeps it in its
 * OpenPGP protection without asking), then exported again from the
 * new home on a terminal: gpg-agent's conversion asks there.  */
START_TEST (test_cli_pty_import)
{
  const char *imp[] = { "import", NULL, NULL };
  const char *exp[] = { "export", "--secret", "--yes", "-o", NULL,
                        "--name", "again", fpr_a, NULL };
  th_home_t b;
  char slave[64], *log, *want, *sec, fpr_b[41];

  record_start (&home_a, PIN_PASS "\n", 0);
  ck_assert_int_eq (export_secret (&home_a, fpr_a, "toimp"), 0);
  ck_assert_int_eq (make_home (&b, 0, fpr_b), 0);
  record_start (&b, PIN_PASS "\n", 0);
  imp[1] = home_file (&home_a, "out/toimp.gpgpack");
  pty_cli_ok (&b, imp, slave);
  sec = th_list_fprs (&b, 1);
  ck_assert_ptr_nonnull (strstr (sec, fpr_a));
  free (sec);
  log = record_get (&b);
  ck_assert_int_eq (record_count (log, "GETPIN"), 0);
  free (log);

  exp[4] = home_file (&b, "out");
  pty_cli_ok (&b, exp, slave);
  log = record_get (&b);
  ck_assert (gpgrt_asprintf (&want, "OPTION ttyname=%s", slave) >= 0);
  assert_recorded (log, want);
  ck_assert_int_eq (record_count (log, "GETPIN"), 1);
  ck_assert (have_pack (&b, "again"));
  gpgrt_free (want);
  free (log);
  th_home_destroy (&b);
}
END_TEST

/* gpg-connect-agent with OPTIONs: pinentry gets them all.  */
START_TEST (test_gca_options)
{
  char *script_text, *out, *log;

  record_start (&home_a, PIN_PASS "\n", 0);
  ck_assert (gpgrt_asprintf
             (&script_text, "OPTION ttyname=/dev/pts/71\n"
              "OPTION ttytype=vt220\nOPTION display=:7\n"
              "OPTION lc-ctype=C.UTF-8\nOPTION lc-messages=C\n"
              "OPTION putenv=PINENTRY_USER_DATA=gca-data\n"
              "PACK_EXPORT --secret --output-dir=%s --name=gca -- %s\n",
              home_file (&home_a, "out"), fpr_a) >= 0);
  ck_assert_int_eq (th_gca (&home_a, script_text, &out), 0);
  ck_assert_int_eq (th_gca_errcode (out), 0);
  log = record_get (&home_a);
  assert_recorded (log, "OPTION ttyname=/dev/pts/71");
  assert_recorded (log, "OPTION ttytype=vt220");
  assert_recorded (log, "ENV DISPLAY=:7");
  assert_recorded (log, "OPTION lc-ctype=C.UTF-8");
  assert_recorded (log, "OPTION lc-messages=C");
  assert_recorded (log, "ENV PINENTRY_USER_DATA=gca-data");
  ck_assert (have_pack (&home_a, "gca"));
  gpgrt_free (script_text);
  free (out);
  free (log);
}
END_TEST

/* The error code of sending the OPTION lines TEXT to home_a's daemon.  */
static gpg_err_code_t
option_error (const char *text)
{
  gpg_err_code_t code;
  char *out;

  ck_assert_int_eq (th_gca (&home_a, text, &out), 0);
  code = th_gca_errcode (out);
  free (out);
  return code;
}

/* Bad session options: a specific error each.  */
START_TEST (test_bad_options)
{
  char *big, *line;

  ck_assert_int_eq (option_error ("OPTION putenv=NOEQUALS\n"),
                    GPG_ERR_INV_VALUE);
  ck_assert_int_eq (option_error ("OPTION putenv==x\n"), GPG_ERR_INV_VALUE);
  ck_assert_int_eq (option_error ("OPTION putenv=1X=x\n"),
                    GPG_ERR_INV_VALUE);
  ck_assert_int_eq (option_error ("OPTION ttyname=a\tb\n"),
                    GPG_ERR_INV_VALUE);
  ck_assert_int_eq (option_error ("OPTION tty-name=/dev/x\n"),
                    GPG_ERR_UNKNOWN_OPTION);
  big = calloc (1, 602);
  memset (big, 'x', 601);
  ck_assert (gpgrt_asprintf (&line, "OPTION display=%s\n", big) >= 0);
  ck_assert_int_eq (option_error (line), GPG_ERR_TOO_LARGE);
  gpgrt_free (line);
  free (big);
}
END_TEST

/* More than MAX_SESSOPT (16) distinct putenv variables.  */
START_TEST (test_too_many_options)
{
  char text[2048], *p = text;
  int i;

  for (i = 0; i < 17; i++)
    p += sprintf (p, "OPTION putenv=V%d=x\n", i);
  ck_assert_int_eq (option_error (text), GPG_ERR_TOO_MANY);
}
END_TEST

/* A GPGME Assuan client (GPGME_PROTOCOL_ASSUAN) sending OPTIONs.  */
START_TEST (test_gpgme_client)
{
  const char *lines[] = { "OPTION ttyname=/dev/pts/72", "OPTION display=:8",
                          NULL, NULL };
  gpgme_error_t err, op_err;
  gpgme_ctx_t ctx;
  char *cmd, *log;
  int i;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --output-dir=%s"
                             " --name=gpgme -- %s",
                             home_file (&home_a, "out"), fpr_a) >= 0);
  lines[2] = cmd;
  record_start (&home_a, PIN_PASS "\n", 0);
  ck_assert_int_eq (gpgme_new (&ctx), 0);
  ck_assert_int_eq (gpgme_set_protocol (ctx, GPGME_PROTOCOL_ASSUAN), 0);
  ck_assert_int_eq (gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_ASSUAN,
                                               home_a.socket, NULL), 0);
  for (i = 0; lines[i]; i++)
    {
      err = gpgme_op_assuan_transact_ext (ctx, lines[i], NULL, NULL, NULL,
                                          NULL, NULL, NULL, &op_err);
      ck_assert_msg (!err && !op_err, "%s: %s / %s", lines[i],
                     gpg_strerror (err), gpg_strerror (op_err));
    }
  gpgme_release (ctx);
  log = record_get (&home_a);
  assert_recorded (log, "OPTION ttyname=/dev/pts/72");
  assert_recorded (log, "ENV DISPLAY=:8");
  ck_assert (have_pack (&home_a, "gpgme"));
  gpgrt_free (cmd);
  free (log);
}
END_TEST

/* Run "gpgpack --batch OPTION VALUE export --secret ... FPR_A" into
 * pack NAME of home_a, STDIN_TEXT as its input; its stderr goes to
 * R_ERR.  Returns the exit status.  */
static int
batch_export (const char *option, const char *value, const char *stdin_text,
              const char *name, char **r_err)
{
  const char *argv[] = { th_prog ("GPGPACK", "gpgpack"), "--batch",
                         "--homedir", home_a.dir, option, value, "export",
                         "--secret", "--yes", "-o",
                         home_file (&home_a, "out"), "--name", name, fpr_a,
                         NULL };

  return th_run (argv, stdin_text, NULL, r_err);
}

/* --openpgp-passphrase-file and --openpgp-passphrase-fd: loopback,
 * pinentry never runs; a wrong one is BAD_PASSPHRASE.  */
START_TEST (test_batch)
{
  char pass_file[128], wrong_file[128], *err, *log;

  snprintf (pass_file, sizeof pass_file, "%s/openpgp.pass", home_a.dir);
  snprintf (wrong_file, sizeof wrong_file, "%s/wrong.pass", home_a.dir);
  ck_assert_int_eq (th_write_file (pass_file, PIN_PASS "\n", 11), 0);
  ck_assert_int_eq (th_write_file (wrong_file, "wrong\n", 6), 0);
  record_start (&home_a, "not asked\n", 0);
  ck_assert_msg (!batch_export ("--openpgp-passphrase-file", pass_file,
                                NULL, "bfile", &err), "%s", err);
  free (err);
  ck_assert_msg (!batch_export ("--openpgp-passphrase-fd", "0",
                                PIN_PASS "\n", "bfd", &err), "%s", err);
  free (err);
  ck_assert_int_eq (batch_export ("--openpgp-passphrase-file", wrong_file,
                                  NULL, "bwrong", &err), 1);
  ck_assert_msg (strstr (err, "Bad passphrase"), "%s", err);
  free (err);
  log = record_get (&home_a);
  ck_assert_int_eq (record_count (log, "GETPIN"), 0);
  ck_assert (have_pack (&home_a, "bfile") && have_pack (&home_a, "bfd"));
  ck_assert (!have_pack (&home_a, "bwrong"));
  free (log);
}
END_TEST

/* A wrong passphrase at pinentry, then the right one: asked again with
 * "Bad passphrase", and the export succeeds.  (gpg asks for the
 * subkey after the primary key failed, which gets the right one.)  */
START_TEST (test_wrong_then_right)
{
  char *log, *bad;

  record_start (&home_a, "wrong\n" PIN_PASS "\n", 0);
  ck_assert_int_eq (export_secret (&home_a, fpr_a, "retry"), 0);
  log = record_get (&home_a);
  bad = strstr (log, "SETERROR Bad passphrase\n");
  ck_assert_msg (bad && strstr (bad, "GETPIN\n"), "%s", log);
  ck_assert_msg (record_count (log, "GETPIN") == 3, "%s", log);
  ck_assert (have_pack (&home_a, "retry"));
  free (log);
}
END_TEST

/* Cancel at pinentry: GPG_ERR_CANCELED, no pack, keyring unchanged.  */
START_TEST (test_cancel)
{
  char *pub = th_list_fprs (&home_a, 0), *sec = th_list_fprs (&home_a, 1);
  char *pub2, *sec2;
  gpg_error_t err;

  record_start (&home_a, PIN_PASS "\n", 1);
  err = export_secret (&home_a, fpr_a, "cancel");
  ck_assert_msg (gpg_err_code (err) == GPG_ERR_CANCELED, "got %s",
                 gpg_strerror (err));
  ck_assert (!have_pack (&home_a, "cancel"));
  pub2 = th_list_fprs (&home_a, 0);
  sec2 = th_list_fprs (&home_a, 1);
  ck_assert_str_eq (pub, pub2);
  ck_assert_str_eq (sec, sec2);
  free (pub);
  free (sec);
  free (pub2);
  free (sec2);
}
END_TEST

/* Export FPR of HOME twice (packs NAME1, NAME2); return how often
 * pinentry asked.  */
static int
asked_in_two_exports (th_home_t *home, const char *fpr, const char *name1,
                      const char *name2)
{
  char *log;
  int n;

  record_start (home, PIN_PASS "\n", 0);
  ck_assert_int_eq (export_secret (home, fpr, name1), 0);
  ck_assert_int_eq (export_secret (home, fpr, name2), 0);
  log = record_get (home);
  n = record_count (log, "GETPIN");
  free (log);
  return n;
}

/* gpg-agent's cache: with ttl 600 the second export asks nothing; with
 * ttl 0 every export asks.  Within one export gpg-agent normally asks
 * once for primary key and subkey (its cache nonce), but under
 * max-cache-ttl 0 that nonce expires when the clock passes a full
 * second, so a slow machine may ask a third time: at least 2.  */
START_TEST (test_cache)
{
  ck_assert_int_eq (asked_in_two_exports (&home_c, fpr_c, "c1", "c2"), 1);
  ck_assert_int_ge (asked_in_two_exports (&home_a, fpr_a, "n1", "n2"), 2);
}
END_TEST

/* An empty answer to INQUIRE PASSPHRASE on import: gpg-agent's
 * pinentry asks for the key file's passphrase, the import succeeds.  */
START_TEST (test_import_empty_passphrase)
{
  th_inquiry_t exp_inq[] = { { "NEW_PASSPHRASE", "file pass 2", 11 },
                             { NULL } };
  th_inquiry_t imp_inq[] = { { "PASSPHRASE", "", 0 }, { NULL } };
  assuan_context_t ctx;
  th_home_t b;
  char *cmd, *log, *sec, fpr_b[41];

  record_start (&home_c, PIN_PASS "\n", 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --passphrase --output-dir=%s"
                             " --name=kfpass -- %s",
                             home_file (&home_c, "out"), fpr_c) >= 0);
  ck_assert_int_eq (th_connect (&home_c, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, cmd, exp_inq, NULL), 0);
  assuan_release (ctx);
  gpgrt_free (cmd);

  ck_assert_int_eq (make_home (&b, 0, fpr_b), 0);
  record_start (&b, "file pass 2\n", 0);
  ck_assert_int_eq (th_connect (&b, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, "OPTION ttyname=/dev/pts/73",
                                 NULL, NULL), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s %s",
                             home_file (&home_c, "out/kfpass.key"),
                             home_file (&home_c, "out/kfpass.gpgpack")) >= 0);
  ck_assert_int_eq (th_transact (ctx, cmd, imp_inq, NULL), 0);
  assuan_release (ctx);
  gpgrt_free (cmd);
  log = record_get (&b);
  ck_assert_int_eq (record_count (log, "GETPIN"), 1);
  assert_recorded (log, "OPTION ttyname=/dev/pts/73");
  sec = th_list_fprs (&b, 0);
  ck_assert_ptr_nonnull (strstr (sec, fpr_c));
  free (sec);
  free (log);
  th_home_destroy (&b);
}
END_TEST

/* Generate in HOME the keys K<FIRST>..K<FIRST+N-1> <k...@par.example>,
 * the first one protected by PIN_PASS, the others not (gpg's
 * %no-protection holds for the rest of its run).  */
static void
gen_par_keys (th_home_t *home, int first, int n)
{
  const char *gen[] = { th_prog ("GPG", "gpg"), "--homedir", home->dir,
                        "--batch", "--pinentry-mode", "loopback",
                        "--passphrase", PIN_PASS, "--gen-key", NULL, NULL };
  char params[128], *text;
  size_t len = 0;
  int i;

  text = calloc (n, 160);
  for (i = first; i < first + n; i++)
    len += sprintf (text + len, "Key-Type: eddsa\nKey-Curve: ed25519\n"
                    "Name-Real: K%d\nName-Email: k%d@par.example\n%s\n"
                    "Expire-Date: 0\n%%commit\n", i, i,
                    i > first ? "%no-protection" : "Passphrase: " PIN_PASS);
  snprintf (params, sizeof params, "%s/keys.params", home->dir);
  ck_assert_int_eq (th_write_file (params, text, len), 0);
  free (text);
  gen[9] = params;   /* --passphrase: for the self-signatures (ttl 0) */
  ck_assert_msg (!th_run (gen, NULL, NULL, &text), "%s", text);
  free (text);
}

/* 64 keys (MIN_PARALLEL_KEYS), the first and the last protected: the
 * export is split over the CPUs, the gpg's of the first and the last
 * piece ask gpg-agent at the same time; each protected key is asked
 * for once, all are exported.  */
START_TEST (test_parallel_export)
{
  th_reply_t reply;
  assuan_context_t ctx;
  th_home_t p;
  char fpr_p[41], *cmd, *log;

  ck_assert_int_eq (make_home (&p, 0, fpr_p), 0);
  gen_par_keys (&p, 0, 63);
  gen_par_keys (&p, 63, 1);

  record_start (&p, PIN_PASS "\n", 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --output-dir=%s"
                             " --name=par -- par.example",
                             home_file (&p, "out")) >= 0);
  ck_assert_int_eq (th_connect (&p, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, cmd, NULL, &reply), 0);
  assuan_release (ctx);
  ck_assert_int_eq (th_status_count (reply.status, "EXPORTED"), 64);
  log = record_get (&p);
  ck_assert_msg (record_count (log, "GETPIN") == 2, "%s", log);
  free (log);
  th_reply_free (&reply);
  gpgrt_free (cmd);
  th_home_destroy (&p);
}
END_TEST

/* gpg-agent with no-allow-loopback-pinentry: a clear error, no pack.  */
START_TEST (test_loopback_refused)
{
  const char *reload[] = { th_prog ("GPGCONF", "gpgconf"), "--homedir",
                           NULL, "--reload", "gpg-agent", NULL };
  const char *probe[] = { th_prog ("GPG_CONNECT_AGENT", "gpg-connect-agent"),
                          "--homedir", NULL, "--no-autostart",
                          "OPTION pinentry-mode=loopback", "/bye", NULL };
  th_home_t b;
  char fpr_b[41], *cmd, *out = NULL;
  int i;

  ck_assert_int_eq (make_home (&b, 0, fpr_b), 0);
  ck_assert_int_eq (th_home_write (&b, "gpg-agent.conf",
                                   "no-allow-loopback-pinentry\n"), 0);
  reload[2] = probe[2] = b.dir;
  ck_assert_int_eq (th_run (reload, NULL, NULL, NULL), 0);
  for (i = 0; i < 200; i++, free (out), poll (NULL, 0, 50))
    if (!th_run (probe, NULL, &out, NULL) && strstr (out, "ERR "))
      break;
  ck_assert_int_lt (i, 200);
  free (out);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --output-dir=%s"
                             " --name=norl -- %s\n", home_file (&b, "out"),
                             fpr_b) >= 0);
  ck_assert_int_eq (th_gca (&b, cmd, &out), 0);
  ck_assert_msg (th_gca_errcode (out) == GPG_ERR_NOT_SUPPORTED, "%s", out);
  ck_assert_msg (strstr (out, "remove no-allow-loopback-pinentry"), "%s", out);
  ck_assert (!have_pack (&b, "norl"));
  free (out);
  gpgrt_free (cmd);
  th_home_destroy (&b);
}
END_TEST

/* Ctrl-C at the CLI's own no-echo prompt: the terminal gets its echo
 * back before gpgpack dies of SIGINT.  */
START_TEST (test_ctrl_c_restores_echo)
{
  const char *args[] = { "export", "--passphrase", "-o", NULL, "--name",
                         "ctrlc", fpr_a, NULL };
  struct termios term;
  pty_run_t run;
  int status;

  args[3] = home_file (&home_a, "out");
  pty_start (&run, &home_a, args);
  ck_assert_msg (pty_read_until (&run, "New passphrase", PTY_WAIT_MS),
                 "no prompt:\n%s", run.out);
  ck_assert_int_eq (tcgetattr (run.master, &term), 0);
  ck_assert (!(term.c_lflag & ECHO));
  ck_assert_int_eq (write (run.master, "\003", 1), 1);
  status = pty_finish (&run);
  ck_assert_msg (WIFSIGNALED (status) && WTERMSIG (status) == SIGINT,
                 "status %d", status);
  ck_assert_int_eq (tcgetattr (run.master, &term), 0);
  ck_assert_msg (term.c_lflag & ECHO, "echo is still off");
  close (run.master);
}
END_TEST


static Suite *
pinentry_suite (void)
{
  Suite *s = suite_create ("pinentry");
  TCase *tc = tcase_create ("pinentry");

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_cli_pty_export);
  tcase_add_test (tc, test_cli_pty_confirm_then_pinentry);
  tcase_add_test (tc, test_cli_pty_import);
  tcase_add_test (tc, test_gca_options);
  tcase_add_test (tc, test_bad_options);
  tcase_add_test (tc, test_too_many_options);
  tcase_add_test (tc, test_gpgme_client);
  tcase_add_test (tc, test_batch);
  tcase_add_test (tc, test_wrong_then_right);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_cache);
  tcase_add_test (tc, test_import_empty_passphrase);
  tcase_add_test (tc, test_parallel_export);
  tcase_add_test (tc, test_loopback_refused);
  tcase_add_test (tc, test_ctrl_c_restores_echo);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return th_main (setup_fixture, pinentry_suite);
}
