/* check_export.c - export of many keys, the --secret confirmation, export errors
 *
 * Home K holds 1000 unprotected ed25519 keys (made by one GPGME
 * genkey run) and a daemon.  The tests export all of them by command
 * line arguments, --patterns-from a file and stdin, and by INQUIRE
 * PATTERNS from gpg-connect-agent, and count the keys in the pack with
 * PACK_IMPORT --dry-run.  The (y/N) question of --secret is answered
 * on a pseudo-terminal; errors that can be found before it must come
 * without it.  Skipped (77) when $GPGPACKD or $GPGPACK is missing.
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
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <gpgme.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"
#include "clirun.h"

#define NKEYS 1000
/* Bound of one run on the pseudo-terminal, in 100 ms polls.  */
#define PTY_POLLS 1200
#define PROMPT "Export the secret keys? (y/N) "

static th_home_t home_k;
static char *all_fprs;            /* th_list_fprs form: sorted, "\n" */
static char *fprs[NKEYS];         /* point into fprs_copy */
static char *fprs_copy;


/* --- helpers ------------------------------------------------------- */


/* Make a fresh empty output directory below home K at PATH.  */
static void
new_outdir (char path[128])
{
  ck_assert_int_eq (th_new_outdir (&home_k, path), 0);
}

/* Number of entries (files, temp files too) in directory PATH.  */
static int
count_entries (const char *path)
{
  int n = th_dir_entries (path);

  ck_assert_int_ge (n, 0);
  return n;
}

/* qsort helper: order strings.  */
static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* Assert that the N fingerprints LIST (malloced, freed here) are
 * those of the NKEYS keys.  */
static void
assert_all_keys (char **list, int n)
{
  char *joined = calloc (n, 41), *p = joined;
  int i;

  ck_assert_int_eq (n, NKEYS);
  qsort (list, n, sizeof *list, cmp_str);
  for (i = 0; i < n; i++)
    {
      p += sprintf (p, "%s%.40s", i? "\n" : "", list[i]);
      free (list[i]);
    }
  ck_assert_str_eq (joined, all_fprs);
  free (joined);
}

/* Fill LIST (room for NKEYS) with the IMPORT_CANDIDATE lines "FPR
 * KIND" (malloced) of DIR/NAME.gpgpack in pack order, as PACK_IMPORT
 * --dry-run gives them; return their number.  */
static int
pack_candidates (const char *dir, const char *name, char **list)
{
  assuan_context_t ctx;
  th_reply_t reply;
  char *cmd;
  int i, n;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --dry-run --key-file=%s/%s.key"
                             " %s/%s.gpgpack", dir, name, dir, name) >= 0);
  ck_assert_int_eq (th_connect (&home_k, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, cmd, NULL, &reply), 0);
  assuan_release (ctx);
  gpgrt_free (cmd);
  n = th_status_count (reply.status, "IMPORT_CANDIDATE");
  ck_assert_int_le (n, NKEYS);
  for (i = 0; i < n; i++)
    list[i] = th_status_get (reply.status, "IMPORT_CANDIDATE", i);
  th_reply_free (&reply);
  return n;
}

/* Assert that DIR/NAME.gpgpack holds exactly the NKEYS keys.  */
static void
assert_pack_has_all (const char *dir, const char *name)
{
  static char *list[NKEYS + 1];

  assert_all_keys (list, pack_candidates (dir, name, list));
}

/* Assert that the "  FPR" lines of the CLI's output OUT (the keys the
 * daemon reported as sealed) are the NKEYS keys.  */
static void
assert_output_has_all (const char *out)
{
  static char *list[NKEYS + 1];
  const char *line;
  int n = 0;

  for (line = out; line; line = strchr (line, '\n'), line = line? line + 1
                                                              : NULL)
    if (!strncmp (line, "  ", 2) && strspn (line + 2, "0123456789ABCDEF") == 40)
      {
        ck_assert_int_lt (n, NKEYS + 1);
        list[n++] = strndup (line + 2, 40);
      }
  assert_all_keys (list, n);
}

/* The first N fingerprints as the text of a patterns file, each line
 * with LINE_END; malloced.  */
static char *
fprs_text (int n, const char *line_end)
{
  char *text = malloc (n * (40 + strlen (line_end)) + 1), *p = text;
  int i;

  for (i = 0; i < n; i++)
    p += sprintf (p, "%s%s", fprs[i], line_end);
  *p = 0;
  return text;
}

/* "gpgpack --homedir K ARGV..." plus the NULL-terminated varargs into
 * the array ARGV (room for NKEYS + 32).  */
static void
cli_argv (const char **argv, ...)
{
  va_list ap;
  int argc = 0;

  argv[argc++] = clirun_gpgpack;
  argv[argc++] = "--homedir";
  argv[argc++] = home_k.dir;
  va_start (ap, argv);
  while ((argv[argc] = va_arg (ap, const char *)))
    argc++;
  va_end (ap);
}

/* Append the first N fingerprints to the NULL-terminated ARGV.  */
static void
argv_add_fprs (const char **argv, int n)
{
  int argc = 0, i;

  while (argv[argc])
    argc++;
  for (i = 0; i < n; i++)
    argv[argc++] = fprs[i];
  argv[argc] = NULL;
}

/* Assert that ERR is one line "gpgpack: export: ..." holding TEXT and
 * ending in the text of CODE.  */
static void
assert_error_line (const char *err, const char *text, gpg_err_code_t code)
{
  char *tail;

  ck_assert_ptr_nonnull (err);
  ck_assert_msg (!strncmp (err, "gpgpack: export: ", 17), "stderr: %s", err);
  ck_assert_msg (strchr (err, '\n') && !strchr (err, '\n')[1],
                 "not one line: %s", err);
  ck_assert_msg (strstr (err, text), "'%s' not in: %s", text, err);
  ck_assert (gpgrt_asprintf (&tail, ": %s\n", gpg_strerror (code)) >= 0);
  ck_assert_msg (strlen (err) >= strlen (tail)
                 && !strcmp (err + strlen (err) - strlen (tail), tail),
                 "'%s' does not end in %s", err, tail);
  gpgrt_free (tail);
}

/* Run COMMAND on home K's daemon answering INQ; return the error and
 * the inquiries asked in *R_INQUIRIES (malloced, may be NULL).  */
static gpg_error_t
daemon_cmd (const char *command, const th_inquiry_t *inq,
            char **r_inquiries)
{
  assuan_context_t ctx;
  th_reply_t reply;
  gpg_error_t err;

  ck_assert_int_eq (th_connect (&home_k, &ctx), 0);
  err = th_transact (ctx, command, inq, &reply);
  assuan_release (ctx);
  if (r_inquiries)
    *r_inquiries = strdup (reply.inquiries? reply.inquiries : "");
  th_reply_free (&reply);
  return err;
}

/* Run PACK_EXPORT OPTS --output-dir=DIR --name=p with the patterns
 * inquired as TEXT/LEN; return the error.  */
static gpg_error_t
export_inquired (const char *opts, const char *dir, const char *text,
                 size_t len)
{
  th_inquiry_t inq[] = { { "PATTERNS", text, len }, { NULL } };
  char *cmd;
  gpg_error_t err;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT %s --output-dir=%s --name=p"
                             " --inquire-patterns", opts, dir) >= 0);
  err = daemon_cmd (cmd, inq, NULL);
  gpgrt_free (cmd);
  return err;
}


/* --- pseudo-terminal ----------------------------------------------- */

/* In the child: start a session whose terminal is the pty SLAVE (its
 * name), or with no terminal at all if SLAVE is NULL (output to the
 * pipe end OUTFD); exec ARGV.  */
static void
child_exec (const char *const argv[], const char *slave, int outfd)
{
  int fd;

  setsid ();
  if (slave)
    fd = open (slave, O_RDWR);  /* Becomes the controlling terminal.  */
  else
    {
      fd = open ("/dev/null", O_RDONLY);
      dup2 (outfd, 1);
      dup2 (outfd, 2);
    }
  if (fd == -1)
    _exit (127);
  dup2 (fd, 0);
  if (slave)
    {
      dup2 (fd, 1);
      dup2 (fd, 2);
    }
  execv (argv[0], (char *const *)argv);
  _exit (127);
}

/* Read from FD what the terminal shows into *SCREEN until the child
 * closes it; type ANSWER (if not NULL) once PROMPT appeared.  */
static void
read_screen (int fd, const char *answer, char **screen)
{
  struct pollfd pfd = { fd, POLLIN };
  size_t len = 0;
  ssize_t n;
  int polls;

  *screen = calloc (1, 1);
  for (polls = 0; polls < PTY_POLLS; polls++)
    {
      if (poll (&pfd, 1, 100) <= 0)
        continue;
      *screen = realloc (*screen, len + 4097);
      n = read (fd, *screen + len, 4096);
      if (n <= 0)
        return;     /* EOF of the pipe, EIO of a pty without slave.  */
      len += n;
      (*screen)[len] = 0;
      if (answer && strstr (*screen, PROMPT))
        {
          ck_assert_int_eq (write (fd, answer, strlen (answer)),
                            strlen (answer));
          answer = NULL;
        }
    }
  ck_abort_msg ("the child did not end: %s", *screen);
}

/* Run ARGV in a new session, on a new pseudo-terminal if TTY (else
 * with none at all: stdin /dev/null, output to a pipe); type ANSWER
 * when the (y/N) prompt shows.  All output goes to R_SCREEN; returns
 * the exit status.  */
static int
run_session (const char *const argv[], int tty, const char *answer,
             char **r_screen)
{
  int fd, pipefd[2] = { -1, -1 }, status;
  const char *slave = NULL;
  pid_t pid;

  if (tty)
    {
      fd = posix_openpt (O_RDWR | O_NOCTTY);
      ck_assert_int_ne (fd, -1);
      ck_assert_int_eq (grantpt (fd), 0);
      ck_assert_int_eq (unlockpt (fd), 0);
      slave = ptsname (fd);
    }
  else
    {
      ck_assert_int_eq (pipe (pipefd), 0);
      fd = pipefd[0];
    }
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  pid = fork ();
  ck_assert_int_ne (pid, -1);
  if (!pid)
    child_exec (argv, slave, pipefd[1]);
  if (pipefd[1] != -1)
    close (pipefd[1]);
  read_screen (fd, answer, r_screen);
  close (fd);
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  return WIFEXITED (status)? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* Run "gpgpack export --secret -o DIR --name s EXTRA FPR" (EXTRA may
 * be NULL) with TTY and ANSWER as run_session; the screen at
 * R_SCREEN.  */
static int
export_secret_session (const char *dir, const char *extra, const char *fpr,
                       int tty, const char *answer, char **r_screen)
{
  const char *argv[16];

  cli_argv (argv, "export", "--secret", "-o", dir, "--name", "s", fpr,
            extra, NULL);
  return run_session (argv, tty, answer, r_screen);
}


/* --- any number of keys -------------------------------------------- */

START_TEST (test_cli_1000_arguments)
{
  static const char *argv[NKEYS + 32];
  char dir[128], *out = NULL;

  new_outdir (dir);
  cli_argv (argv, "--batch", "export", "-o", dir, "--name", "p", "--", NULL);
  argv_add_fprs (argv, NKEYS);
  ck_assert_int_eq (th_run (argv, NULL, &out, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, "1000 keys exported"));
  assert_output_has_all (out);
  free (out);
  assert_pack_has_all (dir, "p");
}
END_TEST

START_TEST (test_cli_patterns_from_file)
{
  char dir[128], path[160], *body, *text, *out = NULL;

  new_outdir (dir);
  body = fprs_text (NKEYS - 2, " \r\n");
  ck_assert (gpgrt_asprintf (&text, "# all test keys\n\n  %s\t\n%s\n%s",
                             fprs[NKEYS - 2], body, fprs[NKEYS - 1]) >= 0);
  snprintf (path, sizeof path, "%s/patterns", dir);
  ck_assert_int_eq (th_write_file (path, text, strlen (text)), 0);
  ck_assert_int_eq (clirun (&home_k, NULL, &out, NULL, "export", "-o", dir,
                            "--name", "p", "--patterns-from", path, NULL), 0);
  assert_output_has_all (out);
  free (out);
  free (body);
  gpgrt_free (text);
}
END_TEST

START_TEST (test_cli_patterns_from_stdin)
{
  char dir[128], *text, *out = NULL;

  new_outdir (dir);
  text = fprs_text (NKEYS - 1, "\n");
  ck_assert_int_eq (clirun (&home_k, text, &out, NULL, "export", "-o", dir,
                            "--name", "p", "--patterns-from", "-",
                            fprs[NKEYS - 1], NULL), 0);
  assert_output_has_all (out);
  free (out);
  free (text);
}
END_TEST

/* gpg-connect-agent answers INQUIRE PATTERNS with D lines of a file.  */
START_TEST (test_gca_inquire_patterns)
{
  char dir[128], path[160], *text, *script, *out = NULL;

  new_outdir (dir);
  text = fprs_text (NKEYS, "\n");
  snprintf (path, sizeof path, "%s/patterns", home_k.dir);
  ck_assert_int_eq (th_write_file (path, text, strlen (text)), 0);
  ck_assert (gpgrt_asprintf (&script, "/definqfile PATTERNS %s\n"
                             "PACK_EXPORT --output-dir=%s --name=p"
                             " --inquire-patterns\n", path, dir) >= 0);
  ck_assert_int_eq (th_gca (&home_k, script, &out), 0);
  ck_assert_msg (!th_gca_errcode (out), "%s", out);
  ck_assert_ptr_nonnull (strstr (out, "S INQUIRE_MAXLEN 1048576"));
  assert_pack_has_all (dir, "p");
  free (out);
  free (text);
  gpgrt_free (script);
}
END_TEST

/* Patterns on the line and inquired ones go together.  */
START_TEST (test_line_and_inquired_patterns)
{
  th_inquiry_t inq[] = { { "PATTERNS", NULL, 0 }, { NULL } };
  assuan_context_t ctx;
  th_reply_t reply;
  char *cmd, *text;

  text = fprs_text (2, "\n");
  inq[0].data = text + 41;
  inq[0].len = 41;
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --inquire-patterns -- %s",
                             fprs[0]) >= 0);
  ck_assert_int_eq (th_connect (&home_k, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, cmd, inq, &reply), 0);
  assuan_release (ctx);
  ck_assert_int_eq (th_status_count (reply.status, "EXPORTED"), 2);
  ck_assert_ptr_nonnull (strstr (reply.status, fprs[1]));
  th_reply_free (&reply);
  gpgrt_free (cmd);
  free (text);
}
END_TEST



/* A secret export of all 1000 keys runs as one gpg per CPU, each
 * given every n-th key: the pack still holds every key, with its
 * secret part, in pattern order.  */
START_TEST (test_secret_parallel_order)
{
  static char *list[NKEYS + 1];
  char dir[128], *text, want[64];
  int i, n;

  new_outdir (dir);
  text = fprs_text (NKEYS, "\n");
  ck_assert_int_eq (export_inquired ("--secret", dir, text, strlen (text)), 0);
  free (text);
  n = pack_candidates (dir, "p", list);
  ck_assert_int_eq (n, NKEYS);
  for (i = 0; i < n; i++)
    {
      snprintf (want, sizeof want, "%s secret", fprs[i]);
      ck_assert_str_eq (list[i], want);
      free (list[i]);
    }
}
END_TEST


/* --- bounds of the patterns ---------------------------------------- */

START_TEST (test_too_many_patterns)
{
  char dir[128], *text, *p;
  int i;

  new_outdir (dir);
  text = p = malloc (10001 * 2 + 1);
  for (i = 0; i < 10001; i++)
    p += sprintf (p, "x\n");
  ck_assert_int_eq (gpg_err_code (export_inquired ("", dir, text,
                                                   p - text)),
                    GPG_ERR_TOO_MANY);
  ck_assert_int_eq (count_entries (dir), 0);
  free (text);
}
END_TEST

START_TEST (test_patterns_too_large)
{
  size_t len = 1024 * 1024 + 1;
  char dir[128], *text = malloc (len);

  new_outdir (dir);
  memset (text, 'a', len);
  ck_assert_int_eq (gpg_err_code (export_inquired ("", dir, text, len)),
                    GPG_ERR_TOO_LARGE);
  ck_assert_int_eq (count_entries (dir), 0);
  free (text);
}
END_TEST

START_TEST (test_no_pattern_inquired)
{
  char dir[128];

  new_outdir (dir);
  ck_assert_int_eq (gpg_err_code (export_inquired ("", dir, "\n \n", 3)),
                    GPG_ERR_MISSING_VALUE);
  ck_assert_int_eq (gpg_err_code (export_inquired ("", dir, "a\0b", 3)),
                    GPG_ERR_INV_VALUE);
  ck_assert_int_eq (count_entries (dir), 0);
}
END_TEST

/* The error names the whole pattern: nothing is cut.  */
START_TEST (test_unknown_pattern_among_many)
{
  char dir[128], *text, *script, *out = NULL, *missing;

  new_outdir (dir);
  text = fprs_text (NKEYS, "\n");
  missing = text + 41 * (NKEYS - 1);
  memcpy (missing, "00000000", 8);        /* The last one unknown.  */
  ck_assert_int_eq (gpg_err_code (export_inquired ("", dir, text,
                                                   strlen (text))),
                    GPG_ERR_NOT_FOUND);
  ck_assert_int_eq (count_entries (dir), 0);
  missing[40] = 0;
  ck_assert (gpgrt_asprintf (&script, "PACK_EXPORT --output-dir=%s -- %s\n",
                             dir, missing) >= 0);
  th_gca (&home_k, script, &out);
  ck_assert_msg (strstr (out, missing), "%s", out);
  free (out);
  free (text);
  gpgrt_free (script);
}
END_TEST

/* More than 256 arguments on one line: an error that says what to use.  */
START_TEST (test_too_many_line_arguments)
{
  char *script, *p, *out = NULL;
  int i;

  script = p = malloc (40 + 300 * 2);
  p += sprintf (p, "PACK_EXPORT --");
  for (i = 0; i < 300; i++)
    p += sprintf (p, " x");
  strcpy (p, "\n");
  th_gca (&home_k, script, &out);
  ck_assert_int_eq (th_gca_errcode (out), GPG_ERR_TOO_MANY);
  ck_assert_msg (strstr (out, "--inquire-patterns"), "%s", out);
  free (out);
  free (script);
}
END_TEST

/* A command line over 1000 bytes is refused by the CLI, not cut.  */
START_TEST (test_cli_line_too_long)
{
  char longdir[1200], *err = NULL;

  memset (longdir, 'd', sizeof longdir - 1);
  longdir[0] = '/';
  longdir[sizeof longdir - 1] = 0;
  ck_assert_int_eq (clirun (&home_k, NULL, NULL, &err, "export", "-o",
                            longdir, fprs[0], NULL), 1);
  assert_error_line (err, "longer than the 1000 bytes",
                     GPG_ERR_ASS_LINE_TOO_LONG);
  free (err);
}
END_TEST

START_TEST (test_cli_patterns_from_errors)
{
  char dir[128], path[160], line[5000], *err = NULL, *text;
  int i;

  new_outdir (dir);
  snprintf (path, sizeof path, "%s/missing", dir);
  ck_assert_int_eq (clirun (&home_k, NULL, NULL, &err, "export", "-o", dir,
                            "--patterns-from", path, NULL), 1);
  assert_error_line (err, path, GPG_ERR_ENOENT);
  free (err);

  memset (line, 'a', sizeof line - 1);
  line[sizeof line - 1] = 0;
  ck_assert_int_eq (clirun (&home_k, line, NULL, &err, "export", "-o", dir,
                            "--patterns-from", "-", NULL), 1);
  assert_error_line (err, "-:1: longer than 4096 bytes",
                     GPG_ERR_LINE_TOO_LONG);
  free (err);

  text = malloc (300 * 4001 + 1);        /* Over 1 MiB of patterns.  */
  memset (text, 'a', 300 * 4001);
  for (i = 1; i <= 300; i++)
    text[i * 4001 - 1] = '\n';
  text[300 * 4001] = 0;
  ck_assert_int_eq (clirun (&home_k, text, NULL, &err, "export", "-o", dir,
                            "--patterns-from", "-", NULL), 1);
  assert_error_line (err, "the patterns exceed what gpgpackd takes at once;"
                     " split the export", GPG_ERR_TOO_LARGE);
  free (err);
  free (text);

  ck_assert_int_eq (clirun (&home_k, "# only a comment\n\n", NULL, &err,
                            "export", "-o", dir, "--patterns-from", "-",
                            NULL), 2);
  ck_assert_ptr_nonnull (strstr (err, "no key given"));
  free (err);

  ck_assert_int_eq (clirun (&home_k, NULL, NULL, &err, "export", "-o", dir,
                            "a\nb", NULL), 2);
  ck_assert_ptr_nonnull (strstr (err, "line break"));
  free (err);
  ck_assert_int_eq (count_entries (dir), 0);
}
END_TEST


/* --- the confirmation over Assuan ---------------------------------- */

/* PACK_EXPORT --secret --confirm of fprs[0] to DIR (name "s") plus
 * EXTRA, answering CONFIRM_SECRET with ANSWER or CAN; the inquiries
 * go to R_INQUIRIES.  */
static gpg_error_t
export_confirm (const char *dir, const char *extra, const char *fpr,
                const char *answer, char **r_inquiries)
{
  th_inquiry_t inq[] = { { "CONFIRM_SECRET", answer,
                           answer? strlen (answer) : 0, !answer },
                         { NULL } };
  char *cmd;
  gpg_error_t err;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --confirm"
                             " --output-dir=%s --name=s %s -- %s", dir,
                             extra, fpr) >= 0);
  err = daemon_cmd (cmd, inq, r_inquiries);
  gpgrt_free (cmd);
  return err;
}

START_TEST (test_confirm_yes_no)
{
  char dir[128], *inq;

  new_outdir (dir);
  ck_assert_int_eq (gpg_err_code (export_confirm (dir, "", fprs[0], "no",
                                                  &inq)), GPG_ERR_CANCELED);
  ck_assert_str_eq (inq, "CONFIRM_SECRET\n");
  free (inq);
  ck_assert_int_eq (gpg_err_code (export_confirm (dir, "", fprs[0], "yess",
                                                  NULL)), GPG_ERR_CANCELED);
  ck_assert_int_eq (count_entries (dir), 0);
  ck_assert_int_eq (export_confirm (dir, "", fprs[0], "yes", &inq), 0);
  ck_assert_str_eq (inq, "CONFIRM_SECRET\n");
  free (inq);
  ck_assert_int_eq (count_entries (dir), 3);   /* pack, key file, pub keys */
}
END_TEST

/* gpg-connect-agent cancels an inquiry it has no answer for.  */
START_TEST (test_confirm_cancel)
{
  char dir[128], *script, *out = NULL;

  new_outdir (dir);
  ck_assert (gpgrt_asprintf (&script, "PACK_EXPORT --secret --confirm"
                             " --output-dir=%s -- %s\n", dir, fprs[0]) >= 0);
  th_gca (&home_k, script, &out);
  ck_assert_int_eq (th_gca_errcode (out), GPG_ERR_CANCELED);
  ck_assert_msg (strstr (out, "INQUIRE CONFIRM_SECRET 1\n")
                 && strstr (out, "not confirmed; nothing written"), "%s", out);
  ck_assert_int_eq (count_entries (dir), 0);
  free (out);
  gpgrt_free (script);
}
END_TEST

/* Without --confirm nothing is asked (GPGME and gca clients).  */
START_TEST (test_no_confirm_no_question)
{
  char dir[128], *cmd, *inq;

  new_outdir (dir);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --output-dir=%s"
                             " --name=s -- %s", dir, fprs[0]) >= 0);
  ck_assert_int_eq (daemon_cmd (cmd, NULL, &inq), 0);
  ck_assert_str_eq (inq, "");
  ck_assert_int_eq (count_entries (dir), 3);   /* pack, key file, pub keys */
  free (inq);
  gpgrt_free (cmd);
}
END_TEST

/* A file in the way, a missing directory, an unknown key: the error
 * comes before the question.  */
START_TEST (test_confirm_after_checks)
{
  char dir[128], missing[160], *inq;

  new_outdir (dir);
  snprintf (missing, sizeof missing, "%s/missing", dir);
  ck_assert_int_eq (gpg_err_code (export_confirm (missing, "", fprs[0], "yes",
                                                  &inq)), GPG_ERR_ENOENT);
  ck_assert_str_eq (inq, "");
  free (inq);
  ck_assert_int_eq (gpg_err_code (export_confirm (dir, "", "nobody@nowhere",
                                                  "yes", &inq)),
                    GPG_ERR_NOT_FOUND);
  ck_assert_str_eq (inq, "");
  free (inq);
  ck_assert_int_eq (count_entries (dir), 0);
  ck_assert_int_eq (export_confirm (dir, "", fprs[0], "yes", NULL), 0);
  ck_assert_int_eq (gpg_err_code (export_confirm (dir, "", fprs[0], "yes",
                                                  &inq)), GPG_ERR_EEXIST);
  ck_assert_str_eq (inq, "");
  free (inq);
  ck_assert_int_eq (count_entries (dir), 3);   /* pack, key file, pub keys */
}
END_TEST


/* --- the confirmation in the CLI ----------------------------------- */

/* The CLI's question answered yes or no, or not asked with --yes:
 * OPTS and the terminal's INPUT; the exit STATUS, what the screen
 * shows (SHOWS, SHOWS2 if not NULL) or not (LACKS), the files written.  */
static const struct cli_confirm
{
  const char *opts, *input;
  int status;
  const char *shows, *shows2, *lacks;
  int entries;
} cli_confirms[] =
  {
    { NULL, "y\n", 0, "the SECRET keys of 1 key.", "1 key exported", NULL,
      3 /* pack, key file, pub keys */ },
    { NULL, "n\n", 1, PROMPT, "gpgpack: export: secret key export not"
      " confirmed; nothing written: Operation cancelled", NULL, 0 },
    { "--yes", NULL, 0, NULL, NULL, "(y/N)", 3 }
  };

START_TEST (test_cli_confirm)
{
  const struct cli_confirm *t = &cli_confirms[_i];
  char dir[128], *screen;

  new_outdir (dir);
  ck_assert_int_eq (export_secret_session (dir, t->opts, fprs[0], 1,
                                           t->input, &screen), t->status);
  ck_assert_msg (!t->shows || strstr (screen, t->shows), "%s", screen);
  ck_assert_msg (!t->shows2 || strstr (screen, t->shows2), "%s", screen);
  ck_assert_msg (!t->lacks || !strstr (screen, t->lacks), "%s", screen);
  ck_assert_int_eq (count_entries (dir), t->entries);
  free (screen);
}
END_TEST

/* Errors found before the question come without it.  */
START_TEST (test_cli_errors_before_question)
{
  char dir[128], missing[160], *screen;

  new_outdir (dir);
  snprintf (missing, sizeof missing, "%s/missing", dir);
  ck_assert_int_eq (export_secret_session (missing, NULL, fprs[0], 1, "y\n",
                                           &screen), 1);
  ck_assert_msg (!strstr (screen, "(y/N)")
                 && strstr (screen, "give a writable --output-dir: No such"
                            " file or directory"), "%s", screen);
  free (screen);
  ck_assert_int_eq (export_secret_session (dir, NULL, "nobody@nowhere", 1,
                                           "y\n", &screen), 1);
  ck_assert_msg (!strstr (screen, "(y/N)")
                 && strstr (screen, "no key matches 'nobody@nowhere'"),
                 "%s", screen);
  free (screen);
  ck_assert_int_eq (export_secret_session (dir, "--yes", fprs[0], 1, NULL,
                                           &screen), 0);
  free (screen);
  ck_assert_int_eq (export_secret_session (dir, NULL, fprs[0], 1, "y\n",
                                           &screen), 1);
  ck_assert_msg (!strstr (screen, "(y/N)")
                 && strstr (screen, "add --force to replace it: File exists"),
                 "%s", screen);
  free (screen);
}
END_TEST

/* No terminal and no --batch: the keys are checked, then the missing
 * confirmation is an error whose code says so.  */
START_TEST (test_cli_no_terminal)
{
  char dir[128], *screen;

  new_outdir (dir);
  ck_assert_int_eq (export_secret_session (dir, NULL, fprs[0], 0, NULL,
                                           &screen), 1);
  assert_error_line (screen, "no terminal to confirm the export of secret"
                     " keys; add --yes", GPG_ERR_NOT_CONFIRMED);
  ck_assert_int_eq (count_entries (dir), 0);
  free (screen);
  ck_assert_int_eq (export_secret_session (dir, NULL, "nobody@nowhere", 0,
                                           NULL, &screen), 1);
  assert_error_line (screen, "no key matches", GPG_ERR_NOT_FOUND);
  free (screen);
}
END_TEST


/* --- messages a user can act on ------------------------------------ */

/* Run "gpgpack --batch export -o DIR --name m fprs[0] OPT1 OPT2 OPT3"
 * (OPT2, OPT3 may be NULL) and assert the one error line with TEXT and CODE;
 * then the same request over Assuan (LINE_OPTS) must fail with CODE.  */
static void
assert_export_message (const char *dir, const char *line_opts,
                       const char *text, gpg_err_code_t code,
                       const char *opt1, const char *opt2, const char *opt3)
{
  char *err = NULL, *cmd;

  ck_assert_int_eq (clirun (&home_k, NULL, NULL, &err, "export", "-o", dir,
                            "--name", "m", fprs[0], opt1, opt2, opt3, NULL),
                    1);
  assert_error_line (err, text, code);
  free (err);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --output-dir=%s --name=m"
                             " %s -- %s", dir, line_opts, fprs[0]) >= 0);
  ck_assert_int_eq (gpg_err_code (daemon_cmd (cmd, NULL, NULL)), code);
  gpgrt_free (cmd);
}

START_TEST (test_messages)
{
  char dir[128], path[160], *text;

  new_outdir (dir);
  assert_export_message (dir, "--format=gfe3", "format 'gfe3' needs a"
                         " passphrase for its key file; add --passphrase",
                         GPG_ERR_NO_PASSPHRASE, "--format=gfe3", NULL, NULL);
  assert_export_message (dir, "--format=gfe1 --passphrase", "format 'gfe1'"
                         " has no passphrase protection; leave out"
                         " --passphrase", GPG_ERR_NOT_SUPPORTED,
                         "--format=gfe1", "--passphrase",
                         "--passphrase-file=/dev/null");
  assert_export_message (dir, "--format=nosuch", "no pack format named"
                         " 'nosuch' (\"gpgpack formats\" lists them)",
                         GPG_ERR_UNKNOWN_NAME, "--format=nosuch", NULL, NULL);
  ck_assert (gpgrt_asprintf (&text, "PACK_EXPORT --confirm -- %s",
                             fprs[0]) >= 0);
  ck_assert_int_eq (gpg_err_code (daemon_cmd (text, NULL, NULL)),
                    GPG_ERR_INV_ARG);
  gpgrt_free (text);
  ck_assert_int_eq (count_entries (dir), 0);
  snprintf (path, sizeof path, "%s/m.key", dir);
  ck_assert_int_eq (th_write_file (path, "x", 1), 0);
  ck_assert (gpgrt_asprintf (&text, "'%s' already exists; add --force to"
                             " replace it", path) >= 0);
  assert_export_message (dir, "", text, GPG_ERR_EEXIST, "--format=native",
                         NULL, NULL);
  ck_assert_int_eq (count_entries (dir), 1);
  gpgrt_free (text);
}
END_TEST


/* --- setup --------------------------------------------------------- */

/* Generate NKEYS unprotected ed25519 keys in HOME with one GPGME
 * genkey run (gpg's batch key generation, one %commit per key).  */
static gpg_error_t
gen_keys (th_home_t *home)
{
  static const char block[] =
    "Key-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\n"
    "Name-Email: k%d@many.example\nExpire-Date: 0\n"
    "%%no-protection\n%%commit\n";
  gpgme_ctx_t ctx;
  char *parms, *p;
  gpg_error_t err;
  int i;

  parms = p = malloc (NKEYS * sizeof block + 100);
  if (!parms)
    return gpg_error_from_syserror ();
  p += sprintf (p, "<GnupgKeyParms format=\"internal\">\n");
  for (i = 0; i < NKEYS; i++)
    p += sprintf (p, block, i);
  strcpy (p, "</GnupgKeyParms>\n");
  err = gpgme_new (&ctx);
  if (!err)
    err = gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_OpenPGP, NULL,
                                     home->dir);
  if (!err)
    err = gpgme_op_genkey (ctx, parms, NULL, NULL);
  gpgme_release (ctx);
  free (parms);
  return err;
}

/* Make home K with its keys and daemon; split the fingerprints.  */
static void
setup_fixture (void)
{
  char *save = NULL, *fpr;
  int n = 0;

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_k));
  TH_SETUP (gen_keys (&home_k));
  TH_SETUP (th_daemon_start (&home_k));
  all_fprs = th_list_fprs (&home_k, 0);
  TH_SETUP (all_fprs ? 0 : gpg_error (GPG_ERR_NO_DATA));
  fprs_copy = strdup (all_fprs);
  for (fpr = strtok_r (fprs_copy, "\n", &save); fpr && n < NKEYS;
       fpr = strtok_r (NULL, "\n", &save))
    fprs[n++] = fpr;
  TH_SETUP (n == NKEYS ? 0 : gpg_error (GPG_ERR_NO_DATA));
}

static Suite *
export_suite (void)
{
  Suite *s = suite_create ("export");
  TCase *tc;

  tc = tcase_create ("many-keys");
  tcase_add_test (tc, test_cli_1000_arguments);
  tcase_add_test (tc, test_cli_patterns_from_file);
  tcase_add_test (tc, test_cli_patterns_from_stdin);
  tcase_add_test (tc, test_gca_inquire_patterns);
  tcase_add_test (tc, test_line_and_inquired_patterns);
  tcase_add_test (tc, test_secret_parallel_order);
  suite_add_tcase (s, tc);

  tc = tcase_create ("pattern-bounds");
  tcase_add_test (tc, test_too_many_patterns);
  tcase_add_test (tc, test_patterns_too_large);
  tcase_add_test (tc, test_no_pattern_inquired);
  tcase_add_test (tc, test_unknown_pattern_among_many);
  tcase_add_test (tc, test_too_many_line_arguments);
  tcase_add_test (tc, test_cli_line_too_long);
  tcase_add_test (tc, test_cli_patterns_from_errors);
  suite_add_tcase (s, tc);

  tc = tcase_create ("confirm");
  tcase_add_test (tc, test_confirm_yes_no);
  tcase_add_test (tc, test_confirm_cancel);
  tcase_add_test (tc, test_no_confirm_no_question);
  tcase_add_test (tc, test_confirm_after_checks);
  tcase_add_loop_test (tc, test_cli_confirm, 0,
                       sizeof cli_confirms / sizeof *cli_confirms);
  tcase_add_test (tc, test_cli_errors_before_question);
  tcase_add_test (tc, test_cli_no_terminal);
  suite_add_tcase (s, tc);

  tc = tcase_create ("messages");
  tcase_add_test (tc, test_messages);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return clirun_main ("check_export", setup_fixture, export_suite);
}
