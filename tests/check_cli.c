/* check_cli.c - the gpgpack CLI end to end against a real gpgpackd
 *
 * Every test runs $GPGPACK in throwaway GnuPG homes made by the harness;
 * the daemon is autostarted by the CLI itself.  Home A holds the keys
 * (Alice: ed25519 with secret part; Dave: public only) and the packs
 * made in main; each test imports into a fresh home B and checks its
 * keyring.  Skipped (77) when $GPGPACKD is not executable.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <check.h>

#include "ckrun.h"
#include "clirun.h"

#define FILE_PASSPHRASE "correct horse battery staple"

static th_home_t home_a;
static char fpr_alice[41], fpr_dave[41];
static char outdir[80];                   /* packs made by main */
static char pass_file[96], wrong_pass_file[96];


/* --- helpers ------------------------------------------------------- */

/* Assert that ERR is the one error line "gpgpack: ...<TEXT>...".  */
static void
assert_one_error_line (const char *err, const char *text)
{
  ck_assert_ptr_nonnull (err);
  ck_assert_msg (!strncmp (err, "gpgpack: ", 9), "stderr: %s", err);
  ck_assert_msg (strchr (err, '\n') && !strchr (err, '\n')[1],
                 "not one line: %s", err);
  ck_assert_msg (strstr (err, text), "'%s' not in: %s", text, err);
}

/* Assert an exit status of 1 with one error line *ERRP naming CODE.
 * (*ERRP is read here, after the run that sets it.)  */
static void
assert_fails_with (int status, char **errp, gpg_err_code_t code)
{
  ck_assert_int_eq (status, 1);
  assert_one_error_line (*errp, gpg_strerror (code));
}

/* The value of the line "LABEL VALUE" in OUT, malloced, or NULL.  */
static char *
output_field (const char *out, const char *label)
{
  const char *s = strstr (out, label);
  size_t n;

  if (!s)
    return NULL;
  s += strlen (label);
  s += strspn (s, " ");
  n = strcspn (s, "\n");
  return strndup (s, n);
}

/* Export with "gpgpack export -o OUTDIR --name NAME EXTRA... FPR" from
 * home A (EXTRA NULL-terminated).  Returns the exit status.  */
static int
export_a (const char *name, const char *fpr, char **r_out, char **r_err,
          ...)
{
  const char *argv[24];
  va_list ap;
  int argc = 0;

  argv[argc++] = clirun_gpgpack;
  argv[argc++] = "--homedir";
  argv[argc++] = home_a.dir;
  argv[argc++] = "--batch";
  argv[argc++] = "export";
  argv[argc++] = "-o";
  argv[argc++] = outdir;
  argv[argc++] = "--name";
  argv[argc++] = name;
  va_start (ap, r_err);
  while ((argv[argc] = va_arg (ap, const char *)) && argc < 22)
    argc++;
  va_end (ap);
  argv[argc++] = fpr;
  argv[argc] = NULL;
  return clirun_argv (argv, NULL, r_out, r_err);
}

/* "OUTDIR/NAME" (see clirun_path).  */
static const char *
out_path (const char *name)
{
  return clirun_path (outdir, name);
}

/* A fresh home B (destroyed by the caller).  */
static void
new_home (th_home_t *home)
{
  ck_assert_int_eq (th_home_create (home), 0);
}


/* --- usage --------------------------------------------------------- */

START_TEST (test_version_and_help)
{
  const char *argv[] = { clirun_gpgpack, "--version", NULL };
  const char *help[] = { clirun_gpgpack, "help", "export", NULL };
  char *out = NULL;

  ck_assert_int_eq (th_run (argv, NULL, &out, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, "gpgpack " PACKAGE_VERSION));
  free (out);
  ck_assert_int_eq (th_run (help, NULL, &out, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, "--exclude-no-secret"));
  ck_assert_ptr_nonnull (strstr (out, "--passphrase-file"));
  free (out);
}
END_TEST

START_TEST (test_usage_errors)
{
  static const struct { const char *args[4]; const char *text; } cases[] =
    {
      { { NULL }, "no command given" },
      { { "frobnicate", NULL }, "unknown command" },
      { { "export", "--no-such-option", "x", NULL }, "invalid option" },
      { { "export", NULL }, "no key given" },
      { { "export", "--secret", "x", NULL }, "needs --yes" },
      { { "export", "--passphrase", "x", NULL }, "--passphrase-file" },
      { { "export", "--exclude-no-secret", "x", NULL }, "needs --secret" },
      { { "import", NULL }, "exactly one PACK" },
      { { "import", "a.gpgpack", "b.gpgpack", NULL }, "exactly one PACK" },
      { { "info", NULL }, "exactly one PACK" },
      { { "help", "frobnicate", NULL }, "unknown command" }
    };
  char *err = NULL;
  int i;

  for (i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      ck_assert_int_eq (clirun (&home_a, NULL, NULL, &err, cases[i].args[0],
                                cases[i].args[1], cases[i].args[2],
                                cases[i].args[3], NULL), 2);
      assert_one_error_line (err, cases[i].text);
      free (err);
    }
}
END_TEST


/* --- round trips --------------------------------------------------- */

START_TEST (test_roundtrip_public)
{
  th_home_t b;
  char *out = NULL, *pack, *key, *fprs;

  ck_assert_int_eq (export_a ("pub1", fpr_dave, &out, NULL, NULL), 0);
  pack = output_field (out, "pack:");
  key = output_field (out, "key file:");
  ck_assert_str_eq (pack, out_path ("pub1.gpgpack"));
  ck_assert_str_eq (key, out_path ("pub1.key"));
  ck_assert_ptr_nonnull (strstr (out, fpr_dave));
  ck_assert_ptr_nonnull (strstr (out, "1 key exported"));
  ck_assert_ptr_nonnull (strstr (out, "Delete both after the transfer"));
  ck_assert_int_eq (access (pack, R_OK), 0);
  ck_assert_int_eq (access (key, R_OK), 0);
  free (out);

  new_home (&b);
  ck_assert_int_eq (clirun (&b, NULL, &out, NULL, "import", pack, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, fpr_dave));
  fprs = th_list_fprs (&b, 0);
  ck_assert_str_eq (fprs, fpr_dave);
  free (fprs);
  free (out);
  free (pack);
  free (key);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_roundtrip_secret_passphrase)
{
  th_home_t b;
  char *out = NULL, *fprs;

  new_home (&b);
  ck_assert_int_eq (clirun (&b, NULL, &out, NULL, "--passphrase-file",
                            pass_file, "import", out_path ("sec.gpgpack"),
                            "--key-file", out_path ("moved.key"), NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, fpr_alice));
  fprs = th_list_fprs (&b, 1);
  ck_assert_str_eq (fprs, fpr_alice);
  free (fprs);
  free (out);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_dry_run)
{
  th_home_t b;
  char *out = NULL;

  new_home (&b);
  ck_assert_int_eq (clirun (&b, NULL, &out, NULL, "import", "--dry-run",
                            out_path ("pub.gpgpack"), NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, "would import:"));
  ck_assert_ptr_nonnull (strstr (out, fpr_dave));
  clirun_assert_keyring_empty (&b);
  free (out);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_passphrase_fd)
{
  th_home_t b;
  char *out = NULL;

  new_home (&b);
  ck_assert_int_eq (clirun (&b, FILE_PASSPHRASE "\n", &out, NULL,
                            "--passphrase-fd", "0", "import", "--dry-run",
                            out_path ("sec.gpgpack"), "--key-file",
                            out_path ("moved.key"), NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, fpr_alice));
  ck_assert_ptr_nonnull (strstr (out, "secret"));
  clirun_assert_keyring_empty (&b);
  free (out);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_exclude_no_secret)
{
  char *out = NULL;

  ck_assert_int_eq (clirun (&home_a, NULL, &out, NULL, "export", "--secret",
                            "--yes", "--exclude-no-secret", "-o", outdir,
                            "--name", "excl", fpr_alice, fpr_dave, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, "1 key exported"));
  ck_assert_ptr_nonnull (strstr (out, fpr_alice));
  ck_assert_ptr_null (strstr (out, fpr_dave));
  free (out);
}
END_TEST

/* A passphrase-protected OpenPGP key with --openpgp-passphrase-file:
 * the CLI asks for loopback pinentry and answers KEY_PASSPHRASE from
 * the file.  */
START_TEST (test_protected_key_loopback)
{
  th_home_t c, b;
  char fpr[41], pack[96], *fprs, *err = NULL;
  const char *kill_agent[] = { th_prog ("GPGCONF", "gpgconf"), "--homedir",
                               c.dir, "--kill", "gpg-agent", NULL };

  new_home (&c);
  new_home (&b);
  ck_assert_int_eq (th_genkey (&c, "Erin <erin@example.org>", "ed25519",
                               FILE_PASSPHRASE, fpr), 0);
  /* A fresh gpg-agent has no cached passphrase.  */
  ck_assert_int_eq (th_run (kill_agent, NULL, NULL, NULL), 0);
  assert_fails_with (clirun (&c, NULL, NULL, &err,
                             "--openpgp-passphrase-file", wrong_pass_file,
                             "export", "--secret", "--yes", "-o", c.dir,
                             "--name", "erin", fpr, NULL),
                     &err, GPG_ERR_BAD_PASSPHRASE);
  free (err);
  ck_assert_int_eq (clirun (&c, NULL, NULL, NULL, "--openpgp-passphrase-file",
                            pass_file, "export", "--secret", "--yes", "-o",
                            c.dir, "--name", "erin", fpr, NULL), 0);
  snprintf (pack, sizeof pack, "%s/erin.gpgpack", c.dir);
  ck_assert_int_eq (clirun (&b, NULL, NULL, NULL, "import", pack, NULL), 0);
  fprs = th_list_fprs (&b, 1);
  ck_assert_str_eq (fprs, fpr);
  free (fprs);
  th_home_destroy (&b);
  th_home_destroy (&c);
}
END_TEST

START_TEST (test_info)
{
  char *out = NULL;

  ck_assert_int_eq (clirun (&home_a, NULL, &out, NULL, "info",
                            out_path ("pub.gpgpack"), NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, "format"));
  ck_assert_ptr_nonnull (strstr (out, "native"));
  free (out);
}
END_TEST

START_TEST (test_default_output_dir)
{
  char *out = NULL, *pack, *key;
  char dir[96];

  snprintf (dir, sizeof dir, "%s/cwd", home_a.dir);
  ck_assert_int_eq (mkdir (dir, 0700), 0);
  ck_assert_int_eq (chdir (dir), 0);   /* Check forked us: safe.  */
  ck_assert_int_eq (clirun (&home_a, NULL, &out, NULL, "export", fpr_dave,
                            NULL), 0);
  pack = output_field (out, "pack:");
  key = output_field (out, "key file:");
  ck_assert_msg (!strncmp (pack, dir, strlen (dir)), "pack at %s", pack);
  ck_assert_msg (!strncmp (key, dir, strlen (dir)), "key at %s", key);
  ck_assert_int_eq (access (pack, R_OK), 0);
  ck_assert_int_eq (access (key, R_OK), 0);
  free (pack);
  free (key);
  free (out);
}
END_TEST


/* --- daemon start -------------------------------------------------- */

/* Leave a socket file at PATH that nobody listens on.  */
static void
make_dead_socket (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);

  ck_assert_int_ge (fd, 0);
  ck_assert_int_lt (snprintf (addr.sun_path, sizeof addr.sun_path, "%s",
                              path), sizeof addr.sun_path);
  ck_assert_int_eq (bind (fd, (struct sockaddr *)&addr, sizeof addr), 0);
  close (fd);
}

START_TEST (test_autostart_dead_socket)
{
  th_home_t c;
  char *out = NULL;
  assuan_context_t ctx;

  new_home (&c);
  make_dead_socket (c.socket);
  ck_assert_int_ne (th_connect (&c, &ctx), 0);
  ck_assert_int_eq (clirun (&c, NULL, &out, NULL, "info",
                            out_path ("pub.gpgpack"), NULL), 0);
  ck_assert_int_eq (th_connect (&c, &ctx), 0);
  assuan_release (ctx);
  free (out);
  th_home_destroy (&c);
}
END_TEST

START_TEST (test_no_autostart)
{
  th_home_t c;
  char *err = NULL;

  new_home (&c);
  assert_fails_with (clirun (&c, NULL, NULL, &err, "--no-autostart", "info",
                             out_path ("pub.gpgpack"), NULL),
                     &err, GPG_ERR_NO_AGENT);
  free (err);
  th_home_destroy (&c);
}
END_TEST

START_TEST (test_autostart_missing_daemon)
{
  th_home_t c;
  char *err = NULL;

  new_home (&c);
  setenv ("GPGPACKD", "/nonexistent/gpgpackd", 1);
  assert_fails_with (clirun (&c, NULL, NULL, &err, "info",
                             out_path ("pub.gpgpack"), NULL),
                     &err, GPG_ERR_ENOENT);
  ck_assert_ptr_nonnull (strstr (err, "/nonexistent/gpgpackd"));
  free (err);
  th_home_destroy (&c);
}
END_TEST

/* Several CLIs started at once on a home without a daemon start exactly
 * one: GPGPACKD is a wrapper that counts its starts.  */
START_TEST (test_concurrent_autostart)
{
  enum { N_CLIENTS = 4 };
  th_home_t c;
  char wrapper[96], counter[96], *script, *starts = NULL;
  pid_t pids[N_CLIENTS];
  int i, status;
  size_t len;

  new_home (&c);
  snprintf (wrapper, sizeof wrapper, "%s/gpgpackd-wrapper", c.dir);
  snprintf (counter, sizeof counter, "%s/starts", c.dir);
  script = gpgrt_bsprintf ("#!/bin/sh\necho x >> '%s'\nexec '%s' \"$@\"\n",
                           counter, getenv ("GPGPACKD"));
  ck_assert_int_eq (th_write_file (wrapper, script, strlen (script)), 0);
  ck_assert_int_eq (chmod (wrapper, 0700), 0);
  setenv ("GPGPACKD", wrapper, 1);

  for (i = 0; i < N_CLIENTS; i++)
    {
      pids[i] = fork ();
      ck_assert_int_ge (pids[i], 0);
      if (!pids[i])
        _exit (clirun (&c, NULL, NULL, NULL, "info",
                       out_path ("pub.gpgpack"), NULL));
    }
  for (i = 0; i < N_CLIENTS; i++)
    {
      ck_assert_int_eq (waitpid (pids[i], &status, 0), pids[i]);
      ck_assert_msg (WIFEXITED (status) && !WEXITSTATUS (status),
                     "client %d: status %d", i, status);
    }
  ck_assert_int_eq (th_read_file (counter, &starts, &len), 0);
  ck_assert_str_eq (starts, "x\n");
  free (starts);
  gpgrt_free (script);
  th_home_destroy (&c);
}
END_TEST


/* --- errors -------------------------------------------------------- */

/* Imports into a new home that fail with CODE, their error line naming
 * HINT if not NULL, the keyring left empty: "[--passphrase-file WRONG]
 * import PACK [--key-file KEY]", files of the output directory.  */
static const struct import_error
{
  const char *pack, *key;
  int wrong_pass;
  gpg_err_code_t code;
  const char *hint;
} import_errors[] =
  {
    { "nonexistent.gpgpack", NULL, 0, GPG_ERR_ENOENT, NULL },
    { "pub.gpgpack", "pub2.key", 0, GPG_ERR_INV_ID, NULL },
    { "sec.gpgpack", NULL, 0, GPG_ERR_ENOENT, "--key-file" },
    { "sec.gpgpack", "moved.key", 1, GPG_ERR_BAD_PASSPHRASE, NULL },
    { "sec.gpgpack", "moved.key", 0, GPG_ERR_NO_PASSPHRASE,
      "--passphrase-file" }
  };

START_TEST (test_err_import)
{
  const struct import_error *t = &import_errors[_i];
  const char *a[6] = { NULL };
  th_home_t b;
  char *err = NULL;
  int n = 0;

  if (t->wrong_pass)
    {
      a[n++] = "--passphrase-file";
      a[n++] = wrong_pass_file;
    }
  a[n++] = "import";
  a[n++] = out_path (t->pack);
  if (t->key)
    {
      a[n++] = "--key-file";
      a[n++] = out_path (t->key);
    }
  new_home (&b);
  assert_fails_with (clirun (&b, NULL, NULL, &err, a[0], a[1], a[2], a[3],
                             a[4], a[5], NULL), &err, t->code);
  if (t->hint)
    ck_assert_ptr_nonnull (strstr (err, t->hint));
  clirun_assert_keyring_empty (&b);
  free (err);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_err_corrupt_pack)
{
  th_home_t b;
  char *err = NULL, *buf, *key;
  size_t len, keylen;

  ck_assert_int_eq (th_read_file (out_path ("pub.gpgpack"), &buf, &len), 0);
  ck_assert_int_eq (th_read_file (out_path ("pub.key"), &key, &keylen), 0);
  buf[len - 10] ^= 0x01;
  ck_assert_int_eq (th_write_file (out_path ("flip.gpgpack"), buf, len), 0);
  ck_assert_int_eq (th_write_file (out_path ("flip.key"), key, keylen), 0);
  new_home (&b);
  ck_assert_int_eq (clirun (&b, NULL, NULL, &err, "import",
                            out_path ("flip.gpgpack"), NULL), 1);
  assert_one_error_line (err, "gpgpack: import: ");
  clirun_assert_keyring_empty (&b);
  free (err);
  free (buf);
  free (key);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_err_passphrase_source)
{
  th_home_t b;
  char *err = NULL;

  new_home (&b);
  assert_fails_with (clirun (&b, NULL, NULL, &err, "--passphrase-file",
                             out_path ("nonexistent"), "import",
                             out_path ("sec.gpgpack"), "--key-file",
                             out_path ("moved.key"), NULL),
                     &err, GPG_ERR_ENOENT);
  ck_assert_ptr_nonnull (strstr (err, out_path ("nonexistent")));
  free (err);
  assert_fails_with (clirun (&b, NULL, NULL, &err, "--passphrase-fd", "9",
                             "import", out_path ("sec.gpgpack"), "--key-file",
                             out_path ("moved.key"), NULL),
                     &err, GPG_ERR_EBADF);
  free (err);
  clirun_assert_keyring_empty (&b);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_err_no_match)
{
  char *err = NULL;

  assert_fails_with (export_a ("nomatch", "nobody@nowhere.invalid",
                               NULL, &err, NULL),
                     &err, GPG_ERR_NOT_FOUND);
  ck_assert_int_ne (access (out_path ("nomatch.gpgpack"), F_OK), 0);
  free (err);
}
END_TEST

START_TEST (test_err_exists)
{
  char *err = NULL;

  assert_fails_with (export_a ("pub", fpr_dave, NULL, &err, NULL),
                     &err, GPG_ERR_EEXIST);
  free (err);
  ck_assert_int_eq (export_a ("pub", fpr_dave, NULL, NULL, "--force", NULL),
                    0);
}
END_TEST

START_TEST (test_err_garbage_info)
{
  char *err = NULL;
  static const char garbage[] = "this is not a key package at all\n";

  ck_assert_int_eq (th_write_file (out_path ("garbage.gpgpack"), garbage,
                                   sizeof garbage - 1), 0);
  assert_fails_with (clirun (&home_a, NULL, NULL, &err, "info",
                             out_path ("garbage.gpgpack"), NULL),
                     &err, GPG_ERR_INV_DATA);
  free (err);
}
END_TEST


/* --- setup --------------------------------------------------------- */

/* Fill home A and make the packs the tests share; exit on failure.  */
static void
setup_fixture (void)
{
  th_home_t scratch;

#define RUN(expr) TH_SETUP ((expr) ? gpg_error (GPG_ERR_GENERAL) : 0)

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_genkey (&home_a, "Alice <alice@example.org>", "ed25519", NULL,
                   fpr_alice));
  TH_SETUP (th_home_create (&scratch));
  TH_SETUP (th_genkey (&scratch, "Dave <dave@example.org>", "ed25519", NULL,
                   fpr_dave));
  TH_SETUP (th_copy_key (&scratch, &home_a, fpr_dave, 0));
  th_home_destroy (&scratch);

  snprintf (outdir, sizeof outdir, "%s/out", home_a.dir);
  snprintf (pass_file, sizeof pass_file, "%s/pass", home_a.dir);
  snprintf (wrong_pass_file, sizeof wrong_pass_file, "%s/wrong", home_a.dir);
  RUN (mkdir (outdir, 0700));
  TH_SETUP (th_write_file (pass_file, FILE_PASSPHRASE "\n",
                       strlen (FILE_PASSPHRASE) + 1));
  TH_SETUP (th_write_file (wrong_pass_file, "wrong\n", 6));
  RUN (export_a ("pub", fpr_dave, NULL, NULL, NULL));
  RUN (export_a ("pub2", fpr_dave, NULL, NULL, NULL));
  RUN (export_a ("sec", fpr_alice, NULL, NULL, "--secret", "--yes",
                 "--passphrase", "--passphrase-file", pass_file, NULL));
  /* The key file of "sec" is not next to its pack: --key-file needed. */
  RUN (rename (out_path ("sec.key"), out_path ("moved.key")));
#undef RUN
}

static Suite *
cli_suite (void)
{
  Suite *s = suite_create ("gpgpack");
  TCase *tc;

  tc = tcase_create ("usage");
  tcase_add_test (tc, test_version_and_help);
  tcase_add_test (tc, test_usage_errors);
  suite_add_tcase (s, tc);

  tc = tcase_create ("roundtrip");
  tcase_add_test (tc, test_roundtrip_public);
  tcase_add_test (tc, test_roundtrip_secret_passphrase);
  tcase_add_test (tc, test_dry_run);
  tcase_add_test (tc, test_passphrase_fd);
  tcase_add_test (tc, test_exclude_no_secret);
  tcase_add_test (tc, test_protected_key_loopback);
  tcase_add_test (tc, test_info);
  tcase_add_test (tc, test_default_output_dir);
  suite_add_tcase (s, tc);

  tc = tcase_create ("autostart");
  tcase_add_test (tc, test_autostart_dead_socket);
  tcase_add_test (tc, test_no_autostart);
  tcase_add_test (tc, test_autostart_missing_daemon);
  tcase_add_test (tc, test_concurrent_autostart);
  suite_add_tcase (s, tc);

  tc = tcase_create ("errors");
  tcase_add_loop_test (tc, test_err_import, 0,
                       sizeof import_errors / sizeof *import_errors);
  tcase_add_test (tc, test_err_corrupt_pack);
  tcase_add_test (tc, test_err_passphrase_source);
  tcase_add_test (tc, test_err_no_match);
  tcase_add_test (tc, test_err_exists);
  tcase_add_test (tc, test_err_garbage_info);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return clirun_main ("check_cli", setup_fixture, cli_suite);
}
