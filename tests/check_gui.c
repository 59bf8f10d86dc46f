/* check_gui.c - gpgpack-gtk end to end on a virtual display (Xvfb)
 *
 * The real program runs under xvfb-run with --test-script: the script
 * fills the dialogs by widget name and waits for the program's own
 * "STATE" reports (each wait bounded inside the program).  Two keys go
 * from home A to home B through the export and import dialogs; a wrong
 * key file and a cancelled export change nothing; a protected key's
 * passphrase is asked by gpg-agent's (scripted) pinentry.  Each dialog
 * is saved as gui-*.png in the build directory (doc/ keeps copies for
 * README).
 *
 * Skips (77) when gpgpack-gtk was not built (no GTK 4) or xvfb-run is
 * missing.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"
#include "pinhome.h"

#define PROT_PASS "gui pass 7"        /* protects fpr_p in home P */

static th_home_t home_a, home_b, home_c, home_p;
static char fpr1[41], fpr2[41], fpr_p[41];
static char outdir[128], canceldir[128], otherdir[128], protdir[128];

/* Write SCRIPT into HOME and run gpgpack-gtk on it under xvfb-run with
 * HOME as its GnuPG home and PACK (may be NULL) to open; its stdout
 * goes to *R_OUT.  Returns the exit status.  */
static int
run_gui (th_home_t *home, const char *script, const char *pack, char **r_out)
{
  char fname[128];
  const char *argv[12];
  char *err = NULL;
  int i = 0, rc;

  snprintf (fname, sizeof fname, "%s/gui.script", home->dir);
  ck_assert_int_eq (th_write_file (fname, script, strlen (script)), 0);
  argv[i++] = th_prog ("XVFB_RUN", "xvfb-run");
  argv[i++] = "-a";
  argv[i++] = th_prog ("GPGPACK_GTK", NULL);
  argv[i++] = "--homedir";
  argv[i++] = home->dir;
  argv[i++] = "--test-script";
  argv[i++] = fname;
  if (pack)
    argv[i++] = pack;
  argv[i] = NULL;
  rc = th_run (argv, NULL, r_out, &err);
  if (rc)
    fprintf (stderr, "gpgpack-gtk exited %d\n--- stdout:\n%s--- stderr:\n%s\n",
             rc, *r_out ? *r_out : "", err ? err : "");
  free (err);
  return rc;
}

/* The start of an export script in home A: both keys, export dialog.  */
#define EXPORT_START                                                    \
  "await keys-loaded\n"                                                 \
  "select keys %s\n"                                                    \
  "select keys %s\n"                                                    \
  "click main.export\n"                                                 \
  "await export-ready\n"

START_TEST (test_export)
{
  char *script, *out, path[200];

  ck_assert (gpgrt_asprintf
             (&script, EXPORT_START
              "snapshot main gui-main.png\n"
              "set export.name two\n"
              "choose export.folder %s\n"
              "click export.choose-folder\n"
              "set export.protect Generate\n"
              "click export.generate-passphrase\n"
              "choose export.passphrase-file %s/pass.txt\n"
              "click export.save-passphrase\n"
              "await passphrase-saved\n"
              "set export.secret 1\n"
              "snapshot export gui-export.png\n"
              "click export.run\n"
              "await confirm-asked\n"
              "snapshot confirm gui-confirm.png\n"
              "click confirm.yes\n"
              "await export-done\n"
              "snapshot export gui-export-result.png\n",
              fpr1, fpr2, outdir, home_a.dir) >= 0);
  ck_assert_int_eq (run_gui (&home_a, script, NULL, &out), 0);
  ck_assert_ptr_nonnull (strstr (out, "STATE export-done "));
  snprintf (path, sizeof path, "%s/two.gpgpack", outdir);
  ck_assert_int_eq (access (path, R_OK), 0);
  snprintf (path, sizeof path, "%s/two.key", outdir);
  ck_assert_int_eq (access (path, R_OK), 0);
  snprintf (path, sizeof path, "%s/two.pub.asc", outdir);
  ck_assert_int_eq (access (path, R_OK), 0);
  ck_assert_int_eq (th_dir_entries (outdir), 3);
  gpgrt_free (script);
  free (out);
}
END_TEST

/* The passphrase the export saved, without its newline.  */
static char *
saved_passphrase (void)
{
  char fname[128], *text;
  size_t len;

  snprintf (fname, sizeof fname, "%s/pass.txt", home_a.dir);
  ck_assert_int_eq (th_read_file (fname, &text, &len), 0);
  ck_assert_int_eq (len, 30);
  text[29] = 0;
  return text;
}

START_TEST (test_import)
{
  char *script, *out, *pass, pack[200], *have, want[100];

  pass = saved_passphrase ();
  snprintf (pack, sizeof pack, "%s/two.gpgpack", outdir);
  ck_assert (gpgrt_asprintf
             (&script, "await import-info\n"
              "set import.passphrase %s\n"
              "snapshot import gui-import.png\n"
              "click import.dry-run\n"
              "await import-dryrun\n"
              "snapshot import gui-import-dryrun.png\n"
              "click import.run\n"
              "await import-done\n"
              "snapshot import gui-import-result.png\n", pass) >= 0);
  ck_assert_int_eq (run_gui (&home_b, script, pack, &out), 0);
  ck_assert_ptr_nonnull (strstr (out, "STATE import-info native\n"));
  ck_assert_ptr_nonnull (strstr (out, "STATE import-dryrun\n"));
  ck_assert_ptr_nonnull (strstr (out, "STATE import-done\n"));
  snprintf (want, sizeof want, "%s\n%s", strcmp (fpr1, fpr2) < 0 ? fpr1 : fpr2,
            strcmp (fpr1, fpr2) < 0 ? fpr2 : fpr1);
  have = th_list_fprs (&home_b, 1);
  ck_assert_str_eq (have, want);
  free (have);
  gpgrt_free (script);
  free (pass);
  free (out);
}
END_TEST

START_TEST (test_wrong_key_file)
{
  char *script, *out, *pass, pack[200], *have, cmd[300], want[64];

  /* Another pack of home A, with its own key file.  */
  snprintf (cmd, sizeof cmd, "PACK_EXPORT --name=other --output-dir=%s -- %s",
            otherdir, fpr1);
  ck_assert_int_eq (th_command (&home_a, 1, cmd, NULL, NULL), 0);
  pass = saved_passphrase ();
  snprintf (pack, sizeof pack, "%s/two.gpgpack", outdir);
  ck_assert (gpgrt_asprintf
             (&script, "await import-info\n"
              "set import.key-file %s/other.key\n"
              "set import.passphrase %s\n"
              "click import.run\n"
              "await import-failed\n"
              "snapshot import gui-import-error.png\n",
              otherdir, pass) >= 0);
  ck_assert_int_eq (run_gui (&home_c, script, pack, &out), 0);
  snprintf (want, sizeof want, "STATE import-failed %u\n", GPG_ERR_INV_ID);
  ck_assert_ptr_nonnull (strstr (out, want));
  have = th_list_fprs (&home_c, 0);
  ck_assert_str_eq (have, "");
  free (have);
  gpgrt_free (script);
  free (pass);
  free (out);
}
END_TEST

START_TEST (test_cancelled_export)
{
  char *script, *out, want[64];

  ck_assert (gpgrt_asprintf
             (&script, EXPORT_START
              "set export.name cancelled\n"
              "set export.folder %s\n"
              "set export.protect None\n"
              "set export.secret 1\n"
              "click export.run\n"
              "await confirm-asked\n"
              "click export.cancel\n"
              "await export-failed\n",
              fpr1, fpr2, canceldir) >= 0);
  ck_assert_int_eq (run_gui (&home_a, script, NULL, &out), 0);
  snprintf (want, sizeof want, "STATE export-failed %u\n", GPG_ERR_CANCELED);
  ck_assert_ptr_nonnull (strstr (out, want));
  ck_assert_int_eq (th_dir_entries (canceldir), 0);
  gpgrt_free (script);
  free (out);
}
END_TEST

START_TEST (test_bad_fields)
{
  char *script, *out;

  ck_assert (gpgrt_asprintf
             (&script, EXPORT_START
              "set export.name a/b\n"
              "set export.folder %s\n"
              "click export.run\n"
              "await export-invalid\n"
              "set export.name ok\n"
              "set export.protect Type\n"
              "set export.passphrase one\n"
              "set export.passphrase-repeat two\n"
              "click export.run\n"
              "await export-invalid\n",
              fpr1, fpr2, canceldir) >= 0);
  ck_assert_int_eq (run_gui (&home_a, script, NULL, &out), 0);
  ck_assert_ptr_nonnull (strstr (out, "STATE export-invalid export.name\n"));
  ck_assert_ptr_nonnull (strstr (out, "STATE export-invalid"
                                 " export.passphrase-repeat\n"));
  ck_assert_int_eq (th_dir_entries (canceldir), 0);
  gpgrt_free (script);
  free (out);
}
END_TEST

/* A protected key: gpg-agent's pinentry (the scripted one) asks for
 * its passphrase during the export, once (twice when gpg-agent's cache
 * nonce expired on a slow machine, see check_pinentry).  */
START_TEST (test_protected_export)
{
  char *script, *out;
  int asked;

  ck_assert_int_eq (ph_answer (&home_p, PROT_PASS "\n", 0), 0);
  ck_assert (gpgrt_asprintf
             (&script, "await keys-loaded\n"
              "select keys %s\n"
              "click main.export\n"
              "await export-ready\n"
              "set export.name prot\n"
              "set export.folder %s\n"
              "set export.protect None\n"
              "set export.secret 1\n"
              "click export.run\n"
              "await confirm-asked\n"
              "click confirm.yes\n"
              "await export-done\n", fpr_p, protdir) >= 0);
  ck_assert_int_eq (run_gui (&home_p, script, NULL, &out), 0);
  asked = ph_asked (&home_p);
  ck_assert_msg (asked == 1 || asked == 2, "asked %d times", asked);
  ck_assert_int_eq (access (th_path (protdir, "prot.gpgpack"), R_OK), 0);
  ck_assert_int_eq (th_dir_entries (protdir), 3);
  gpgrt_free (script);
  free (out);
}
END_TEST

/* Home A with two keys; empty homes B and C; home P with a protected
 * key and the scripted pinentry; the daemons are started by
 * gpgpack-gtk itself.  */
static void
setup (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_genkey (&home_a, "Alice <alice@example.org>", "ed25519", NULL,
                       fpr1));
  TH_SETUP (th_genkey (&home_a, "Bob <bob@example.org>", "ed25519", NULL,
                       fpr2));
  TH_SETUP (th_new_outdir (&home_a, outdir));
  TH_SETUP (th_new_outdir (&home_a, canceldir));
  TH_SETUP (th_new_outdir (&home_a, otherdir));
  TH_SETUP (th_home_create (&home_b));
  TH_SETUP (th_home_create (&home_c));
  TH_SETUP (ph_init ());
  TH_SETUP (ph_home_create (&home_p, 0));
  TH_SETUP (th_genkey (&home_p, "Pat <pat@example.org>", "ed25519",
                       PROT_PASS, fpr_p));
  TH_SETUP (th_new_outdir (&home_p, protdir));
}

static Suite *
gui_suite (void)
{
  Suite *s = suite_create ("gui");
  TCase *tc = tcase_create ("xvfb");

  tcase_set_timeout (tc, 120);
  /* In this order: the import needs the export's files.  */
  tcase_add_test (tc, test_export);
  tcase_add_test (tc, test_import);
  tcase_add_test (tc, test_wrong_key_file);
  tcase_add_test (tc, test_cancelled_export);
  tcase_add_test (tc, test_bad_fields);
  tcase_add_test (tc, test_protected_export);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  const char *gtk = getenv ("GPGPACK_GTK");
  const char *xvfb = getenv ("XVFB_RUN");

  if (!gtk || access (gtk, X_OK) || !xvfb || access (xvfb, X_OK))
    {
      fprintf (stderr, "check_gui: skipped: %s\n",
               !gtk || access (gtk, X_OK)
               ? "gpgpack-gtk not built (configure found no GTK 4)"
               : "xvfb-run not found (Debian: xvfb xauth)");
      return TH_EXIT_SKIP;
    }
  /* Xvfb has no GL: GTK draws with cairo; no accessibility bus.  */
  setenv ("GSK_RENDERER", "cairo", 1);
  setenv ("GDK_BACKEND", "x11", 1);
  setenv ("LIBGL_ALWAYS_SOFTWARE", "1", 1);
  setenv ("GTK_A11Y", "none", 1);
  setenv ("NO_AT_BRIDGE", "1", 1);
  return th_main (setup, gui_suite);
}
