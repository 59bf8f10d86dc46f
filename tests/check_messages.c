/* check_messages.c - what gpgpack and gpgpackd tell the user, end to end
 *
 * Each message of the import and info side is checked twice where it
 * has two faces: the CLI's one stderr line (text and error code) and
 * the daemon's ERR code over Assuan (gpg-connect-agent).  Also the
 * output of "gpgpack formats", "gpgpack info" per format and the import
 * listing (imported / unchanged, the summary, its order on a terminal).
 * Home A holds Alice (ed25519, secret) and the packs made in setup;
 * each test imports into fresh homes.  Skipped (77) without $GPGPACKD.
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
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>

#include "ckrun.h"
#include "clirun.h"

#define FILE_PASSPHRASE "correct horse battery staple"

static th_home_t home_a;
static char fpr_alice[41];
static char outdir[80], pass_file[96];


/* --- helpers ------------------------------------------------------- */

/* "OUTDIR/NAME" (see clirun_path).  */
static const char *
out_path (const char *name)
{
  return clirun_path (outdir, name);
}

/* Assert that STATUS is 1 and ERR is one line "gpgpack: ...TEXT...:
 * <text of CODE>", so the text and the code's name agree.  */
static void
assert_cli_error (int status, const char *err, const char *text,
                  gpg_err_code_t code)
{
  char want[256];

  ck_assert_ptr_nonnull (err);
  ck_assert_msg (status == 1, "exit %d: %s", status, err);
  ck_assert_msg (!strncmp (err, "gpgpack: ", 9), "stderr: %s", err);
  ck_assert_msg (strchr (err, '\n') && !strchr (err, '\n')[1],
                 "not one line: %s", err);
  ck_assert_msg (strstr (err, text), "'%s' not in: %s", text, err);
  snprintf (want, sizeof want, ": %s\n", gpg_strerror (code));
  ck_assert_msg (strlen (err) > strlen (want)
                 && !strcmp (err + strlen (err) - strlen (want), want),
                 "'%s' does not end in '%s'", err, want);
}

/* Run the gpg-connect-agent SCRIPT on HOME's daemon; assert that it
 * ends in ERR CODE with TEXT in the error line.  */
static void
assert_assuan_error (th_home_t *home, const char *script, const char *text,
                     gpg_err_code_t code)
{
  char *out = NULL;

  ck_assert_int_eq (th_gca (home, script, &out), 0);
  ck_assert_msg (th_gca_errcode (out) == code, "want %s, got: %s",
                 gpg_strerror (code), out);
  ck_assert_msg (strstr (out, text), "'%s' not in: %s", text, out);
  free (out);
}

/* A fresh home with its daemon running.  */
static void
new_home (th_home_t *home)
{
  ck_assert_int_eq (th_home_create (home), 0);
  ck_assert_int_eq (th_daemon_start (home), 0);
}

/* Write gpg's export of Alice (ARMOR or binary, SECRET or public) to
 * PATH.  */
static gpg_error_t
gpg_export_alice (const char *path, int armor, int secret)
{
  const char *argv[] = { th_prog ("GPG", "gpg"), "--homedir", home_a.dir,
                         "--batch", "--yes", armor? "--armor" : "--no-armor",
                         "--output", path,
                         secret? "--export-secret-keys" : "--export",
                         fpr_alice, NULL };

  return th_run (argv, NULL, NULL, NULL)? gpg_error (GPG_ERR_GENERAL) : 0;
}


/* --- the key file -------------------------------------------------- */

START_TEST (test_no_key_file)
{
  th_home_t b;
  char *err = NULL;
  int status;

  new_home (&b);
  status = clirun (&b, NULL, NULL, &err, "import",
                   out_path ("nokey.gpgpack"), NULL);
  assert_cli_error (status, err, "give it with --key-file",
                    GPG_ERR_ENOENT);
  clirun_assert_keyring_empty (&b);
  free (err);
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_key_file_of_another_pack)
{
  th_home_t b;
  char *err = NULL, *script;
  int status;

  new_home (&b);
  status = clirun (&b, NULL, NULL, &err, "import", out_path ("pub.gpgpack"),
                   "--key-file", out_path ("other.key"), NULL);
  assert_cli_error (status, err, "the key file is of another pack: give"
                    " this pack's key file with --key-file",
                    GPG_ERR_INV_ID);
  free (err);
  ck_assert (gpgrt_asprintf (&script, "PACK_IMPORT --key-file=%s %s\n",
                             out_path ("other.key"),
                             out_path ("pub.gpgpack")) >= 0);
  assert_assuan_error (&b, script, "of another pack", GPG_ERR_INV_ID);
  gpgrt_free (script);
  clirun_assert_keyring_empty (&b);
  th_home_destroy (&b);
}
END_TEST

/* Files users give where the pack belongs: a gpgpack key file, and
 * what "gpg --export" writes (armored or not, public or secret).  Each
 * is named with what to do, by the CLI and over Assuan, for import and
 * info; nothing is imported.  */
START_TEST (test_not_a_pack)
{
  static const char keyfile_text[] =
    "this is a gpgpack key file, not a pack; give it with --key-file";
  static const char openpgp_text[] =
    "this is OpenPGP key data, not a key package: use gpg --import";
  static const struct
  {
    const char *cmd, *assuan_cmd, *file, *text;
    gpg_err_code_t code;
  } cases[] =
    {
      { "import", "PACK_IMPORT", "pub.key", keyfile_text,
        GPG_ERR_WRONG_BLOB_TYPE },
      { "info", "PACK_INFO", "pub.key", keyfile_text,
        GPG_ERR_WRONG_BLOB_TYPE },
      { "import", "PACK_IMPORT", "alice.gpg", openpgp_text,
        GPG_ERR_NOT_ENCRYPTED },
      { "import", "PACK_IMPORT", "alice.asc", openpgp_text,
        GPG_ERR_NOT_ENCRYPTED },
      { "import", "PACK_IMPORT", "alice-sec.gpg", openpgp_text,
        GPG_ERR_NOT_ENCRYPTED },
      { "info", "PACK_INFO", "alice-sec.asc", openpgp_text,
        GPG_ERR_NOT_ENCRYPTED }
    };
  th_home_t b;
  char *err = NULL, *script;
  int i, status;

  new_home (&b);
  for (i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      status = clirun (&b, NULL, NULL, &err, cases[i].cmd,
                       out_path (cases[i].file), NULL);
      assert_cli_error (status, err, cases[i].text, cases[i].code);
      free (err);
      ck_assert (gpgrt_asprintf (&script, "%s %s\n", cases[i].assuan_cmd,
                                 out_path (cases[i].file)) >= 0);
      assert_assuan_error (&b, script, cases[i].text, cases[i].code);
      gpgrt_free (script);
    }
  clirun_assert_keyring_empty (&b);
  th_home_destroy (&b);
}
END_TEST

/* An unknown --format name is an unknown name, for import and info. */
START_TEST (test_unknown_format_name)
{
  th_home_t b;
  char *err = NULL, *script;
  int status;

  new_home (&b);
  status = clirun (&b, NULL, NULL, &err, "import", "--format=nosuch",
                   out_path ("pub.gpgpack"), NULL);
  assert_cli_error (status, err, "no pack format named 'nosuch'"
                    " (\"gpgpack formats\" lists them)",
                    GPG_ERR_UNKNOWN_NAME);
  free (err);
  ck_assert (gpgrt_asprintf (&script, "PACK_INFO --format=nosuch %s\n",
                             out_path ("pub.gpgpack")) >= 0);
  assert_assuan_error (&b, script, "no pack format named",
                       GPG_ERR_UNKNOWN_NAME);
  gpgrt_free (script);
  clirun_assert_keyring_empty (&b);
  th_home_destroy (&b);
}
END_TEST

/* A directory or a device where a file belongs, said as such.  */
START_TEST (test_not_a_file)
{
  th_home_t b;
  char *err = NULL;
  int status;

  new_home (&b);
  status = clirun (&b, NULL, NULL, &err, "info", outdir, NULL);
  assert_cli_error (status, err, "is a directory: give a file",
                    GPG_ERR_EISDIR);
  free (err);
  status = clirun (&b, NULL, NULL, &err, "import", "/dev/null", NULL);
  assert_cli_error (status, err, "is not a regular file (a FIFO, device or"
                    " socket): give a regular file", GPG_ERR_EINVAL);
  free (err);
  clirun_assert_keyring_empty (&b);
  th_home_destroy (&b);
}
END_TEST

/* An error text longer than the 100 bytes libassuan puts on an ERR
 * line arrives whole: as status ERROR_TEXT before the ERR, and as the
 * CLI's error line.  */
START_TEST (test_long_error_text)
{
  char path[300], script[320], *err = NULL, *out = NULL;
  const char *full;
  th_home_t b;
  int status;

  snprintf (path, sizeof path, "%s/%0150d.gpgpack", outdir, 0);
  new_home (&b);
  status = clirun (&b, NULL, NULL, &err, "info", path, NULL);
  assert_cli_error (status, err, path, GPG_ERR_ENOENT);
  snprintf (script, sizeof script, "PACK_INFO %s", path);
  ck_assert_int_eq (th_gca (&b, script, &out), 0);
  ck_assert_int_eq (th_gca_errcode (out), GPG_ERR_ENOENT);
  full = strstr (out, "S ERROR_TEXT ");
  ck_assert_msg (full && strstr (full, path) && strstr (full, path) <
                 strstr (full, "\nERR "), "no whole ERROR_TEXT in: %s", out);
  free (out);
  free (err);
  th_home_destroy (&b);
}
END_TEST

/* Garbage is still "no known format", pointing at gpgpack formats.  */
START_TEST (test_garbage_pack)
{
  static const char garbage[] = "gpgpack-ke\nnot a key package\n";
  th_home_t b;
  char *err = NULL;
  int status;

  ck_assert_int_eq (th_write_file (out_path ("garbage.bin"), garbage,
                                   sizeof garbage - 1), 0);
  new_home (&b);
  status = clirun (&b, NULL, NULL, &err, "import",
                   out_path ("garbage.bin"), NULL);
  assert_cli_error (status, err, "\"gpgpack formats\" lists them",
                    GPG_ERR_INV_DATA);
  clirun_assert_keyring_empty (&b);
  free (err);
  th_home_destroy (&b);
}
END_TEST


/* --- formats and info ---------------------------------------------- */

START_TEST (test_formats)
{
  char *out = NULL;

  ck_assert_int_eq (clirun (&home_a, NULL, &out, NULL, "formats", NULL), 0);
  ck_assert_msg (strstr (out, "native  NAME.gpgpack + NAME.key: "), "%s",
                 out);
  ck_assert_msg (strstr (out, "needs: the key file, a passphrase if"
                         " exported with --passphrase; the key can be split"
                         " into shares\n"), "%s", out);
  ck_assert_msg (strstr (out, "gfe3    NAME.gfpack + NAME.key: "), "%s",
                 out);
  ck_assert_msg (strstr (out, "needs: the key file, a passphrase (required:"
                         " export with --passphrase)\n"), "%s", out);
  ck_assert_msg (strstr (out, "; no integrity protection\n"), "%s", out);
  ck_assert_msg (strstr (out, "openpgp NAME.asc + setup code: ")
                 && strstr (out, "needs: the setup code export printed (or"
                            " the passphrase given with --passphrase)\n"),
                 "%s", out);
  free (out);
}
END_TEST

START_TEST (test_info_fields)
{
  char *out = NULL;

  ck_assert_int_eq (clirun (&home_a, NULL, &out, NULL, "info",
                            out_path ("pin.gfpack"), NULL), 0);
  ck_assert_msg (strstr (out, "format      gfe3\n"), "%s", out);
  ck_assert_msg (strstr (out, "cipher "), "%s", out);
  ck_assert_msg (strstr (out, "needs       keyfile passphrase\n"), "%s", out);
  ck_assert_msg (!strstr (out, "pack id") && !strstr (out, "created")
                 && !strstr (out, "chunk size"), "%s", out);
  free (out);
  ck_assert_int_eq (clirun (&home_a, NULL, &out, NULL, "info",
                            out_path ("pub.gpgpack"), NULL), 0);
  ck_assert_msg (strstr (out, "pack id ") && strstr (out, "created ")
                 && strstr (out, " UTC\n") && strstr (out, "chunk size "),
                 "%s", out);
  free (out);
}
END_TEST


/* --- import listing ------------------------------------------------ */

/* Import PACK (key file next to it) into HOME twice: first the key is
 * listed imported, then unchanged, in the CLI and in IMPORT_OK.  */
static void
import_twice (th_home_t *home, const char *pack, const char *first_summary,
              const char *second_summary)
{
  const char *words[2] = { "imported", "unchanged" };
  const char *summaries[2] = { first_summary, second_summary };
  char *out = NULL, *err = NULL, want[64];
  int i;

  for (i = 0; i < 2; i++)
    {
      ck_assert_int_eq (clirun (home, NULL, &out, &err, "--passphrase-file",
                                pass_file, "import", pack, NULL), 0);
      snprintf (want, sizeof want, "%s: %s\n", words[i], fpr_alice);
      ck_assert_msg (!strcmp (out, want), "stdout: %s", out);
      ck_assert_msg (strstr (err, summaries[i]), "stderr: %s", err);
      free (out);
      free (err);
    }
}

START_TEST (test_import_unchanged_public)
{
  th_home_t b;

  new_home (&b);
  import_twice (&b, out_path ("pub.gpgpack"),
                "1 key processed: 1 imported, 0 unchanged, 0 secret keys"
                " imported, 0 secret keys unchanged\n",
                "1 key processed: 0 imported, 1 unchanged, 0 secret keys"
                " imported, 0 secret keys unchanged\n");
  th_home_destroy (&b);
}
END_TEST

START_TEST (test_import_unchanged_secret)
{
  th_home_t b;
  char *script, *out = NULL, want[64];

  new_home (&b);
  import_twice (&b, out_path ("sec.gpgpack"),
                "1 key processed: 1 imported, 0 unchanged, 1 secret key"
                " imported, 0 secret keys unchanged\n",
                "1 key processed: 0 imported, 1 unchanged, 0 secret keys"
                " imported, 1 secret key unchanged\n");
  /* The daemon's face: IMPORT_OK 16 (secret, nothing new), no IMPORTED. */
  ck_assert (gpgrt_asprintf (&script, "PACK_IMPORT --key-file=%s %s\n",
                             out_path ("sec.key"),
                             out_path ("sec.gpgpack")) >= 0);
  ck_assert_int_eq (th_gca (&b, script, &out), 0);
  ck_assert_msg (!th_gca_errcode (out), "%s", out);
  snprintf (want, sizeof want, "S IMPORT_OK 16 %s\n", fpr_alice);
  ck_assert_msg (strstr (out, want), "%s", out);
  ck_assert_msg (!strstr (out, "S IMPORTED "), "%s", out);
  free (out);
  gpgrt_free (script);
  th_home_destroy (&b);
}
END_TEST

/* A key the keyring has, coming back with a new user ID, is listed
 * "updated:" (IMPORT_OK with a new-user-ID bit); the same pack once
 * more is IMPORT_OK 0 without IMPORTED.  */
START_TEST (test_import_updated)
{
  th_home_t b, c;
  char *out = NULL, *err = NULL, *script, want[96];
  const char *add_uid[] = { th_prog ("GPG", "gpg"), "--homedir", NULL,
                            "--batch", "--quick-add-uid", fpr_alice,
                            "Alice <alice@example.net>", NULL };

  new_home (&b);
  ck_assert_int_eq (th_home_create (&c), 0);
  ck_assert_int_eq (th_copy_key (&home_a, &c, fpr_alice, 1), 0);
  add_uid[2] = c.dir;
  ck_assert_int_eq (th_run (add_uid, NULL, NULL, NULL), 0);
  ck_assert_int_eq (clirun (&c, NULL, NULL, NULL, "export", "-o", c.dir,
                            "--name", "uid", fpr_alice, NULL), 0);
  ck_assert_int_eq (clirun (&b, NULL, NULL, NULL, "import",
                            out_path ("pub.gpgpack"), NULL), 0);
  ck_assert (gpgrt_asprintf (&script, "%s/uid.gpgpack", c.dir) >= 0);
  ck_assert_int_eq (clirun (&b, NULL, &out, &err, "import", script, NULL),
                    0);
  snprintf (want, sizeof want, "updated: %s\n", fpr_alice);
  ck_assert_msg (!strcmp (out, want), "stdout: %s", out);
  ck_assert_msg (strstr (err, "1 key processed: 0 imported, 0 unchanged"),
                 "stderr: %s", err);
  free (out);
  free (err);
  gpgrt_free (script);
  ck_assert (gpgrt_asprintf (&script, "PACK_IMPORT --key-file=%s/uid.key"
                             " %s/uid.gpgpack\n", c.dir, c.dir) >= 0);
  ck_assert_int_eq (th_gca (&b, script, &out), 0);
  snprintf (want, sizeof want, "S IMPORT_OK 0 %s\n", fpr_alice);
  ck_assert_msg (strstr (out, want) && !strstr (out, "S IMPORTED "), "%s",
                 out);
  free (out);
  gpgrt_free (script);
  th_home_destroy (&c);
  th_home_destroy (&b);
}
END_TEST

/* On a terminal (stdout and stderr on one pseudo-terminal, as a user
 * sees them) the key lines come before the summary.  */
START_TEST (test_import_order_on_terminal)
{
  th_home_t b;
  char buf[4096], *imported, *summary;
  size_t len = 0;
  ssize_t n;
  int master, slave, status;
  pid_t pid;

  new_home (&b);
  master = posix_openpt (O_RDWR | O_NOCTTY);
  ck_assert_int_ge (master, 0);
  ck_assert_int_eq (grantpt (master), 0);
  ck_assert_int_eq (unlockpt (master), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (!pid)
    {
      setsid ();
      slave = open (ptsname (master), O_RDWR);
      if (slave < 0 || dup2 (slave, 1) < 0 || dup2 (slave, 2) < 0)
        _exit (127);
      execl (clirun_gpgpack, clirun_gpgpack, "--homedir", b.dir, "--batch",
             "import", out_path ("pub.gpgpack"), (char *)NULL);
      _exit (127);
    }
  /* Read until the last writer closes the terminal (EIO).  */
  while (len < sizeof buf - 1
         && ((n = read (master, buf + len, sizeof buf - 1 - len)) > 0
             || (n < 0 && errno == EINTR)))
    len += n > 0? n : 0;
  buf[len] = 0;
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert_msg (WIFEXITED (status) && !WEXITSTATUS (status), "%s", buf);
  close (master);
  imported = strstr (buf, "imported: ");
  summary = strstr (buf, "key processed");
  ck_assert_msg (imported && summary && imported < summary, "%s", buf);
  th_home_destroy (&b);
}
END_TEST


/* --- installed files ---------------------------------------------- */

/* The value of "pkg-config ARG gpgpack-plugin.pc" (built, not yet
 * installed), malloced, without the newline.  */
static char *
pkg_config (const char *arg)
{
  const char *argv[] = { PKG_CONFIG, arg, GPGPACK_PC, NULL };
  char *out = NULL;

  ck_assert_int_eq (th_run (argv, NULL, &out, NULL), 0);
  out[strcspn (out, "\n")] = 0;
  return out;
}

/* gpgpack-plugin.pc names the dirs the daemon and make install use.  */
START_TEST (test_pkg_config)
{
  char *value;

  value = pkg_config ("--modversion");
  ck_assert_str_eq (value, PACKAGE_VERSION);
  free (value);
  value = pkg_config ("--variable=plugindir");
  ck_assert_str_eq (value, GPGPACK_PLUGINDIR);
  free (value);
  value = pkg_config ("--variable=includedir");
  ck_assert_str_eq (value, GPGPACK_INCLUDEDIR);
  free (value);
}
END_TEST


/* --- setup --------------------------------------------------------- */

/* Export Alice from home A to OUTDIR with the options after NAME:
 * "gpgpack --passphrase-file PASS_FILE export -o OUTDIR FPR --name
 * NAME ...".  */
#define EXPORT_A(...) clirun (&home_a, NULL, NULL, NULL, "--passphrase-file", \
                              pass_file, "export", "-o", outdir, fpr_alice, \
                              "--name", __VA_ARGS__, NULL)

/* Fill home A and make the packs and key exports the tests share.  */
static void
setup_fixture (void)
{
#define RUN(expr) TH_SETUP ((expr) ? gpg_error (GPG_ERR_GENERAL) : 0)

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_genkey (&home_a, "Alice <alice@example.org>", "ed25519",
                       NULL, fpr_alice));
  snprintf (outdir, sizeof outdir, "%s/out", home_a.dir);
  snprintf (pass_file, sizeof pass_file, "%s/pass", home_a.dir);
  RUN (mkdir (outdir, 0700));
  TH_SETUP (th_write_file (pass_file, FILE_PASSPHRASE "\n",
                           strlen (FILE_PASSPHRASE) + 1));
  RUN (EXPORT_A ("pub"));
  RUN (EXPORT_A ("other"));
  RUN (EXPORT_A ("nokey"));
  RUN (unlink (out_path ("nokey.key")));
  RUN (EXPORT_A ("sec", "--secret", "--yes"));
  RUN (EXPORT_A ("pin", "--format=gfe3", "--passphrase"));
  TH_SETUP (gpg_export_alice (out_path ("alice.gpg"), 0, 0));
  TH_SETUP (gpg_export_alice (out_path ("alice.asc"), 1, 0));
  TH_SETUP (gpg_export_alice (out_path ("alice-sec.gpg"), 0, 1));
  TH_SETUP (gpg_export_alice (out_path ("alice-sec.asc"), 1, 1));
#undef RUN
}

static Suite *
messages_suite (void)
{
  Suite *s = suite_create ("messages");
  TCase *tc;

  tc = tcase_create ("not-a-pack");
  tcase_add_test (tc, test_no_key_file);
  tcase_add_test (tc, test_key_file_of_another_pack);
  tcase_add_test (tc, test_not_a_pack);
  tcase_add_test (tc, test_unknown_format_name);
  tcase_add_test (tc, test_not_a_file);
  tcase_add_test (tc, test_garbage_pack);
  tcase_add_test (tc, test_long_error_text);
  suite_add_tcase (s, tc);

  tc = tcase_create ("describe");
  tcase_add_test (tc, test_formats);
  tcase_add_test (tc, test_info_fields);
  suite_add_tcase (s, tc);

  tc = tcase_create ("import-listing");
  tcase_add_test (tc, test_import_unchanged_public);
  tcase_add_test (tc, test_import_unchanged_secret);
  tcase_add_test (tc, test_import_updated);
  tcase_add_test (tc, test_import_order_on_terminal);
  suite_add_tcase (s, tc);

  tc = tcase_create ("installed");
  tcase_add_test (tc, test_pkg_config);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return clirun_main ("check_messages", setup_fixture, messages_suite);
}
