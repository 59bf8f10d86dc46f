/* check_openpgpcli.c - the openpgp and autocrypt formats end to end:
 * gpgpack export and import with the real gpgpackd and gpg
 *
 * Home A holds Alice (ed25519, secret) and the packs made in setup:
 * an Autocrypt Setup Message (ac.asc, ac.html; its setup code printed
 * once), an openpgp pack with its code in op.key (--write-setup-code),
 * and what gpg --symmetric made of Alice's secret key with each
 * compression.  Each test imports into a fresh home.
 * Skipped (77) without $GPGPACK.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <check.h>

#include "ckrun.h"
#include "clirun.h"

#define PASS "correct horse battery staple"

static th_home_t home_a;
static char fpr_alice[41];
static char outdir[80], pass_file[96], code_file[96];
static char *export_out;              /* gpgpack export's stdout (autocrypt) */
static char ac_code[45];              /* the setup code it printed */

#define out_path(name) clirun_path (outdir, (name))


/* gpgpack import OUTDIR/FILE, with "--key-file KEYFILE" unless NULL,
 * into the new home B (its daemon started); the exit status, stderr
 * to *R_ERR.  */
static int
import_new_home (th_home_t *b, const char *file, const char *keyfile,
                 char **r_err)
{
  ck_assert_int_eq (th_home_create (b), 0);
  ck_assert_int_eq (th_daemon_start (b), 0);
  return clirun (b, NULL, NULL, r_err, "import", out_path (file),
                 keyfile ? "--key-file" : NULL, keyfile, NULL);
}


/* gpgpack import OUTDIR/FILE (KEYFILE as above) into a new home: Alice's
 * secret key arrives.  */
static void
import_ok (const char *file, const char *keyfile)
{
  th_home_t b;
  char *fprs;

  ck_assert_int_eq (import_new_home (&b, file, keyfile, NULL), 0);
  fprs = th_list_fprs (&b, 1);
  ck_assert_str_eq (fprs, fpr_alice);
  free (fprs);
  th_home_destroy (&b);
}


/* The Setup Message's two files, 0600, and no key file; the HTML page
 * holds the armored message unchanged in its <pre>; the CLI named the
 * page and printed the setup code with what to do with it.  */
START_TEST (test_autocrypt_files)
{
  static const char *const names[] = { "ac.asc", "ac.html" };
  char *asc, *html, *pre;
  size_t asclen, htmllen, i;
  struct stat st;

  for (i = 0; i < 2; i++)
    {
      ck_assert_int_eq (stat (out_path (names[i]), &st), 0);
      ck_assert_int_eq (st.st_mode & 0777, 0600);
    }
  ck_assert_int_ne (access (out_path ("ac.key"), F_OK), 0);
  ck_assert_msg (strstr (export_out, "\nsetup code: ")
                 && strstr (export_out, "shown only this once"),
                 "%s", export_out);
  ck_assert_uint_eq (strlen (ac_code), 44);
  ck_assert_int_eq (th_read_file (out_path ("ac.asc"), &asc, &asclen), 0);
  ck_assert_int_eq (th_read_file (out_path ("ac.html"), &html, &htmllen),
                    0);
  pre = strstr (html, "<pre>\n");
  ck_assert_ptr_nonnull (pre);
  pre += 6;
  ck_assert (!strncmp (pre, asc, asclen));
  ck_assert_str_eq (pre + asclen, "</pre>\n</body></html>\n");
  ck_assert_ptr_nonnull (strstr (asc, "Passphrase-Format: numeric9x4\n"));
  ck_assert_ptr_nonnull (strstr (export_out, "ac.html\n"));
  free (asc);
  free (html);
}
END_TEST


/* NAME.asc finds NAME.key (--write-setup-code) beside it.  */
START_TEST (test_import_beside)
{
  ck_assert_int_eq (access (out_path ("op.key"), F_OK), 0);
  import_ok ("op.asc", NULL);
}
END_TEST


/* Without NAME.key, import asks for the setup code (here from
 * --passphrase-file) for NAME.asc and NAME.html; a wrong code is a bad
 * passphrase, and without a source --batch says what to give.  */
START_TEST (test_import_setup_code)
{
  th_home_t b;
  char *err = NULL, wrong_file[128];
  int status;

  import_ok ("ac.asc", code_file);
  import_ok ("ac.html", code_file);
  snprintf (wrong_file, sizeof wrong_file, "%s/wrong", home_a.dir);
  ck_assert_int_eq (th_write_file (wrong_file, "1111-2222-3333-4444-5555-"
                                   "6666-7777-8888-9999\n", 45), 0);
  ck_assert_int_eq (th_home_create (&b), 0);
  ck_assert_int_eq (th_daemon_start (&b), 0);
  status = clirun (&b, NULL, NULL, &err, "--passphrase-file", wrong_file,
                   "import", out_path ("ac.asc"), NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (strstr (err, gpg_strerror (GPG_ERR_BAD_PASSPHRASE)),
                 "stderr: %s", err);
  free (err);
  status = clirun (&b, NULL, NULL, &err, "import", out_path ("ac.asc"),
                   NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (strstr (err, "use --passphrase-file"), "stderr: %s", err);
  clirun_assert_keyring_empty (&b);
  free (err);
  th_home_destroy (&b);
}
END_TEST


/* What gpg --symmetric wrote with its default compression, ZLIB, ZIP
 * and none imports with the passphrase as key file.  */
START_TEST (test_import_gpg_symmetric)
{
  static const char *const files[] =
    { "sym-default.gpg", "sym-zlib.gpg", "sym-zip.gpg", "sym-none.gpg" };
  size_t i;

  for (i = 0; i < sizeof files / sizeof *files; i++)
    import_ok (files[i], pass_file);
}
END_TEST


/* BZip2 is refused by name, with the code of its text; nothing is
 * imported.  */
START_TEST (test_import_bzip2)
{
  th_home_t b;
  char *err = NULL;
  int status;

  status = import_new_home (&b, "sym-bzip2.gpg", pass_file, &err);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (strstr (err, "compressed with BZip2")
                 && strstr (err, "gpg --decrypt FILE | gpg --import")
                 && strstr (err, gpg_strerror (GPG_ERR_COMPR_ALGO)),
                 "stderr: %s", err);
  clirun_assert_keyring_empty (&b);
  free (err);
  th_home_destroy (&b);
}
END_TEST


/* A weak --passphrase for openpgp is refused with what to do; nothing
 * is written.  */
START_TEST (test_weak_passphrase)
{
  char weak_file[128], *err = NULL;
  int status;

  snprintf (weak_file, sizeof weak_file, "%s/weak", home_a.dir);
  ck_assert_int_eq (th_write_file (weak_file, "swordfish\n", 10), 0);
  status = clirun (&home_a, NULL, NULL, &err, "--passphrase-file", weak_file,
                   "export", "-o", outdir, "--name", "weak",
                   "--format=openpgp", "--passphrase", fpr_alice, NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (strstr (err, "the passphrase is too weak")
                 && strstr (err, "leave out --passphrase")
                 && strstr (err, gpg_strerror (GPG_ERR_INV_PASSPHRASE)),
                 "stderr: %s", err);
  ck_assert_int_ne (access (out_path ("weak.asc"), F_OK), 0);
  ck_assert_int_ne (access (out_path ("weak.key"), F_OK), 0);
  free (err);
}
END_TEST


/* Run COMMAND (with OUTDIR and Alice's fingerprint for its two %s) in
 * home A: it succeeds with one KEYFILE status, 60 base64 characters
 * (44 bytes: a setup code); its PACK_CREATED is returned.  */
static char *
export_shown (const char *command)
{
  char line[256], *status;
  th_reply_t reply;

  snprintf (line, sizeof line, command, outdir, fpr_alice);
  ck_assert_int_eq (th_command (&home_a, 0, line, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "KEYFILE"), 1);
  status = th_status_get (reply.status, "KEYFILE", 0);
  ck_assert_uint_eq (strlen (status), 60);
  free (status);
  status = th_status_get (reply.status, "PACK_CREATED", 0);
  th_reply_free (&reply);
  return status;
}


/* The setup code is handed over once: printed by the CLI, in NAME.key
 * when asked, or in one KEYFILE status (streamed, or --show-setup-code,
 * then without a key file); --show-setup-code leaves formats without
 * setup codes alone; gpgpackd's log never has a code.  */
START_TEST (test_code_once)
{
  char path[256], *code, *log = NULL, *created;
  size_t codelen, loglen = 0;

  free (export_shown ("PACK_EXPORT --secret --format=autocrypt -- %.0s%s"));
  created = export_shown ("PACK_EXPORT --secret --format=openpgp"
                          " --output-dir=%s --name=shown --show-setup-code"
                          " -- %s");
  ck_assert_msg (strlen (created) > 2
                 && !strcmp (created + strlen (created) - 2, " -"),
                 "%s", created);
  free (created);
  ck_assert_int_eq (access (out_path ("shown.asc"), F_OK), 0);
  ck_assert_int_ne (access (out_path ("shown.key"), F_OK), 0);
  snprintf (path, sizeof path, "PACK_EXPORT --secret --output-dir=%s"
            " --name=nat --show-setup-code -- %s", outdir, fpr_alice);
  ck_assert_int_eq (th_command (&home_a, 0, path, NULL, NULL), 0);
  ck_assert_int_eq (access (out_path ("nat.key"), F_OK), 0);

  ck_assert_int_eq (th_read_file (out_path ("op.key"), &code, &codelen), 0);
  ck_assert_uint_eq (codelen, 44);
  snprintf (path, sizeof path, "%s/gpgpackd.log", home_a.dir);
  ck_assert_int_eq (th_read_file (path, &log, &loglen), 0);
  ck_assert_ptr_null (memmem (log, loglen, code, 44));
  ck_assert_ptr_null (memmem (log, loglen, code, 9));  /* first blocks */
  ck_assert_ptr_null (memmem (log, loglen, ac_code, 9));
  free (code);
  free (log);
}
END_TEST


static Suite *
openpgpcli_suite (void)
{
  Suite *s = suite_create ("openpgpcli");
  TCase *tc = tcase_create ("cli");

  tcase_add_test (tc, test_autocrypt_files);
  tcase_add_test (tc, test_import_beside);
  tcase_add_test (tc, test_import_setup_code);
  tcase_add_test (tc, test_import_gpg_symmetric);
  tcase_add_test (tc, test_import_bzip2);
  tcase_add_test (tc, test_weak_passphrase);
  tcase_add_test (tc, test_code_once);
  suite_add_tcase (s, tc);
  return s;
}


/* gpg --symmetric of Alice's secret key, compressed with ALGO
 * ("default": gpg's choice), to OUTDIR/sym-ALGO.gpg.  */
static gpg_error_t
gpg_symmetric (const char *algo)
{
  char in[128], out[128];
  const char *exp[] = { th_prog ("GPG", "gpg"), "--homedir", home_a.dir,
                        "--batch", "--yes", "--output", in,
                        "--export-secret-keys", fpr_alice, NULL };
  const char *sym[] = { th_prog ("GPG", "gpg"), "--homedir", home_a.dir,
                        "--batch", "--yes", "--pinentry-mode", "loopback",
                        "--passphrase", PASS, "--cipher-algo", "AES256",
                        "--output", out, "--symmetric", in, NULL, NULL,
                        NULL };
  const char *const compress[] = { "--compress-algo", algo, in };

  snprintf (in, sizeof in, "%s/alice-sec.gpg", home_a.dir);
  snprintf (out, sizeof out, "%s/sym-%s.gpg", outdir, algo);
  if (strcmp (algo, "default"))
    memcpy (sym + 14, compress, sizeof compress);
  return th_run (exp, NULL, NULL, NULL) || th_run (sym, NULL, NULL, NULL)
         ? gpg_error (GPG_ERR_GENERAL) : 0;
}


/* Keep the setup code in gpgpack export's output OUT in AC_CODE and
 * CODE_FILE.  */
static gpg_error_t
keep_setup_code (const char *out)
{
  const char *code = strstr (out, "\nsetup code: ");

  if (!code || strlen (code + 13) < 45 || code[13 + 44] != '\n')
    return gpg_error (GPG_ERR_NOT_FOUND);
  memcpy (ac_code, code + 13, 44);
  snprintf (code_file, sizeof code_file, "%s/code", outdir);
  return th_write_file (code_file, code + 13, 45);
}


/* Fill home A and make the packs the tests share.  */
static void
setup_fixture (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_daemon_start (&home_a));   /* its log: home_a/gpgpackd.log */
  snprintf (outdir, sizeof outdir, "%s/out", home_a.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  snprintf (pass_file, sizeof pass_file, "%s/pass", outdir);
  TH_SETUP (th_genkey (&home_a, "Alice <alice@openpgp.example>", "ed25519",
                       NULL, fpr_alice));
  TH_SETUP (th_write_file (pass_file, PASS "\n", strlen (PASS) + 1));
  TH_SETUP (clirun (&home_a, NULL, &export_out, NULL, "export", "-o",
                    outdir, "--name", "ac", "--format=autocrypt", "--secret",
                    "--yes", fpr_alice, NULL)
            ? gpg_error (GPG_ERR_GENERAL) : 0);
  TH_SETUP (keep_setup_code (export_out));
  TH_SETUP (clirun (&home_a, NULL, NULL, NULL, "export", "-o", outdir,
                    "--name", "op", "--format=openpgp", "--secret", "--yes",
                    "--write-setup-code", fpr_alice, NULL)
            ? gpg_error (GPG_ERR_GENERAL) : 0);
  TH_SETUP (gpg_symmetric ("default"));
  TH_SETUP (gpg_symmetric ("zlib"));
  TH_SETUP (gpg_symmetric ("zip"));
  TH_SETUP (gpg_symmetric ("none"));
  TH_SETUP (gpg_symmetric ("bzip2"));
}


int
main (void)
{
  return clirun_main ("check_openpgpcli", setup_fixture, openpgpcli_suite);
}
