/* check_bigkey.c - key data larger than gpgpackd's 1 MiB secure pool
 *
 * A key with a 1.2 MB photo ID is exported and imported whole: the
 * buffers holding it are single secure allocations over 1 MiB, which
 * libgcrypt serves only up to its auto-expand size (gpgpackd.c).
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <check.h>

#include "harness.h"

#define PHOTO_LEN (1200 * 1000)

static th_home_t from, to;
static char fpr[41];
static char outdir[128];


/* Write a JPEG-looking file of PHOTO_LEN bytes to PATH.  */
static gpg_error_t
write_photo (const char *path)
{
  static const unsigned char head[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10,
                                        'J', 'F', 'I', 'F', 0 };
  unsigned char *jpeg = malloc (PHOTO_LEN);
  gpg_error_t err;
  size_t i;

  if (!jpeg)
    return gpg_error_from_syserror ();
  for (i = 0; i < PHOTO_LEN; i++)
    jpeg[i] = i * 7 % 251;
  memcpy (jpeg, head, sizeof head);
  jpeg[PHOTO_LEN - 2] = 0xff;
  jpeg[PHOTO_LEN - 1] = 0xd9;
  err = th_write_file (path, jpeg, PHOTO_LEN);
  free (jpeg);
  return err;
}


/* Add a photo ID of PHOTO_LEN bytes to the key FPR of HOME with gpg's
 * addphoto (confirming the size question); GPG_ERR_ENOEXEC if gpg
 * fails.  */
static gpg_error_t
add_big_photo (th_home_t *home, const char *keyfpr)
{
  const char *argv[] = { th_prog ("GPG", "gpg"), "--homedir", home->dir,
                         "--batch", "--command-fd", "0", "--edit-key",
                         keyfpr, NULL };
  char path[128], *script;
  gpg_error_t err;
  int status;

  snprintf (path, sizeof path, "%s/photo.jpg", home->dir);
  err = write_photo (path);
  if (err)
    return err;
  script = gpgrt_bsprintf ("addphoto\n%s\ny\nsave\n", path);
  if (!script)
    return gpg_error_from_syserror ();
  status = th_run (argv, script, NULL, NULL);
  gpgrt_free (script);
  return status ? gpg_error (GPG_ERR_ENOEXEC) : 0;
}


/* Run COMMAND on the daemon of HOME; it must succeed with one status
 * line KEYWORD.  */
static void
run_once (th_home_t *home, const char *command, const char *keyword)
{
  assuan_context_t ctx;
  th_reply_t reply;

  ck_assert_int_eq (th_connect (home, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, command, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, keyword), 1);
  th_reply_free (&reply);
  assuan_release (ctx);
}


/* The photo ID arrives whole: exported past 1 MiB, imported, listed.  */
START_TEST (test_big_key_roundtrip)
{
  const char *argv[] = { th_prog ("GPG", "gpg"), "--homedir", to.dir,
                         "--with-colons", "--list-keys", fpr, NULL };
  char cmd[512], *listing;

  snprintf (cmd, sizeof cmd,
            "PACK_EXPORT --output-dir=%s --name=big -- %s", outdir, fpr);
  run_once (&from, cmd, "EXPORTED");
  snprintf (cmd, sizeof cmd,
            "PACK_IMPORT --key-file=%s/big.key %s/big.gpgpack", outdir, outdir);
  run_once (&to, cmd, "IMPORT_OK");
  ck_assert_int_eq (th_run (argv, NULL, &listing, NULL), 0);
  ck_assert_msg (strstr (listing, "\nuat:") != NULL,
                 "no photo ID imported:\n%s", listing);
  free (listing);
}
END_TEST


static void
setup_fixture (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&from));
  TH_SETUP (th_home_create (&to));
  TH_SETUP (th_genkey (&from, "big@example.org", "ed25519", NULL, fpr));
  TH_SETUP (add_big_photo (&from, fpr));
  snprintf (outdir, sizeof outdir, "%s/out", from.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  TH_SETUP (th_daemon_start (&from));
  TH_SETUP (th_daemon_start (&to));
}


static Suite *
bigkey_suite (void)
{
  Suite *s = suite_create ("bigkey");
  TCase *tc = tcase_create ("roundtrip");

  tcase_add_test (tc, test_big_key_roundtrip);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  return th_main (setup_fixture, bigkey_suite);
}
