/* check_openpgpcli.c - the openpgp and autocrypt formats end to end:
 * gpgpack export and import with the real gpgpackd and gpg
 *
 * Home A holds Alice (ed25519, secret) and the packs made in setup:
 * an Autocrypt Setup Message (NAME.asc, NAME.key, NAME.html), an
 * openpgp pack, and what gpg --symmetric made of Alice's secret key
 * with each compression.  Each test imports into a fresh home.
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
static char outdir[80], pass_file[96];
static char *export_out;              /* gpgpack export's stdout (autocrypt) */

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


/* The Setup Message's three files, 0600; the HTML page holds the
 * armored message unchanged in its <pre>; the CLI named the page.  */
START_TEST (test_autocrypt_files)
{
  static const char *const names[] = { "ac.asc", "ac.key", "ac.html" };
  char *asc, *html, *pre;
  size_t asclen, htmllen, i;
  struct stat st;

  for (i = 0; i < 3; i++)
    {
      ck_assert_int_eq (stat (out_path (names[i]), &st), 0);
      ck_assert_int_eq (st.st_mode & 0777, 0600);
    }
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


/* NAME.html and NAME.asc each find NAME.key beside them.  */
START_TEST (test_import_beside)
{
  import_ok ("ac.html", NULL);
  import_ok ("ac.asc", NULL);
  import_ok ("op.asc", NULL);
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


/* The setup code is handed over once: the key file (CLI) or one
 * KEYFILE status (streamed); gpgpackd's log never has it.  */
START_TEST (test_code_once)
{
  char path[128], *code, *log = NULL, *status;
  size_t codelen, loglen = 0;
  th_reply_t reply;
  char command[128];

  snprintf (command, sizeof command,
            "PACK_EXPORT --secret --format=autocrypt -- %s", fpr_alice);
  ck_assert_int_eq (th_command (&home_a, 0, command, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "KEYFILE"), 1);
  status = th_status_get (reply.status, "KEYFILE", 0);
  ck_assert_uint_eq (strlen (status), 60);  /* Base64 of 44 characters */
  free (status);
  th_reply_free (&reply);
  ck_assert_int_eq (th_read_file (out_path ("ac.key"), &code, &codelen), 0);
  ck_assert_uint_eq (codelen, 44);
  snprintf (path, sizeof path, "%s/gpgpackd.log", home_a.dir);
  ck_assert_int_eq (th_read_file (path, &log, &loglen), 0);
  ck_assert_ptr_null (memmem (log, loglen, code, 44));
  ck_assert_ptr_null (memmem (log, loglen, code, 9));  /* first blocks */
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
  TH_SETUP (clirun (&home_a, NULL, NULL, NULL, "export", "-o", outdir,
                    "--name", "op", "--format=openpgp", "--secret", "--yes",
                    fpr_alice, NULL) ? gpg_error (GPG_ERR_GENERAL) : 0);
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
