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

/* "OUTDIR/NAME" (see clirun_path).  */
static const char *
out_path (const char *name)
{
  return clirun_path (outdir, name);
}


/* A fresh home with its daemon running.  */
static void
new_home (th_home_t *home)
{
  ck_assert_int_eq (th_home_create (home), 0);
  ck_assert_int_eq (th_daemon_start (home), 0);
}


/* Import FILE (with ARGS before it, NULL-terminated, at most 2) into a
 * new home: Alice's secret key arrives.  */
static void
import_ok (const char *file, const char *arg1, const char *arg2)
{
  th_home_t b;
  char *fprs;

  new_home (&b);
  ck_assert_int_eq (clirun (&b, NULL, NULL, NULL, "import", file,
                            arg1, arg2, NULL), 0);
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
  import_ok (out_path ("ac.html"), NULL, NULL);
  import_ok (out_path ("ac.asc"), NULL, NULL);
  import_ok (out_path ("op.asc"), NULL, NULL);
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
    import_ok (out_path (files[i]), "--key-file", pass_file);
}
END_TEST


/* BZip2 is refused by name, with the code of its text; nothing is
 * imported.  */
START_TEST (test_import_bzip2)
{
  th_home_t b;
  char *err = NULL;
  int status;

  new_home (&b);
  status = clirun (&b, NULL, NULL, &err, "import", out_path ("sym-bzip2.gpg"),
                   "--key-file", pass_file, NULL);
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
  TH_SETUP (th_genkey (&home_a, "Alice <alice@example.org>", "ed25519",
                       NULL, fpr_alice));
  snprintf (outdir, sizeof outdir, "%s/out", home_a.dir);
  snprintf (pass_file, sizeof pass_file, "%s/pass", home_a.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
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
