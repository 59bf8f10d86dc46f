/* check_socketdir.c - Check common/socketdir.c against gpgconf */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "socketdir.h"

/* Return what `gpgconf [--homedir HOMEDIR] --list-dirs socketdir`
 * prints, without the newline, in a malloced string.  */
static char *
gpgconf_socketdir (const char *homedir)
{
  const char *gpgconf = getenv ("GPGCONF");
  char cmd[1024], line[1024];
  FILE *fp;
  size_t n;

  if (!gpgconf || !*gpgconf)
    gpgconf = "gpgconf";
  if (homedir)
    snprintf (cmd, sizeof cmd, "'%s' --homedir '%s' --list-dirs socketdir",
              gpgconf, homedir);
  else
    snprintf (cmd, sizeof cmd, "'%s' --list-dirs socketdir", gpgconf);
  fp = popen (cmd, "r");
  ck_assert_ptr_nonnull (fp);
  ck_assert_ptr_nonnull (fgets (line, sizeof line, fp));
  ck_assert_int_eq (pclose (fp), 0);
  n = strlen (line);
  if (n && line[n-1] == '\n')
    line[n-1] = 0;
  /* gpgconf percent-escapes ':' and '%'; our test dirs have neither.  */
  return strdup (line);
}

static char tmphome[64];

static void
setup (void)
{
  strcpy (tmphome, "/tmp/gpk.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (tmphome));
}

static void
teardown (void)
{
  rmdir (tmphome);
}

START_TEST (test_explicit_homedir)
{
  char *expected = gpgconf_socketdir (tmphome);
  char *dir;

  ck_assert_int_eq (gpgpack_socketdir (tmphome, &dir), 0);
  ck_assert_str_eq (dir, expected);
  gpgrt_free (dir);
  free (expected);
}
END_TEST

START_TEST (test_gnupghome_env)
{
  char *expected, *dir;

  setenv ("GNUPGHOME", tmphome, 1);
  expected = gpgconf_socketdir (NULL);
  ck_assert_int_eq (gpgpack_socketdir (NULL, &dir), 0);
  ck_assert_str_eq (dir, expected);
  gpgrt_free (dir);
  free (expected);
  unsetenv ("GNUPGHOME");
}
END_TEST

START_TEST (test_trailing_slash_and_relative)
{
  char withslash[80], *home, *dir, *expected;

  snprintf (withslash, sizeof withslash, "%s//", tmphome);
  home = gpgpack_homedir (withslash);
  ck_assert_str_eq (home, tmphome);
  gpgrt_free (home);

  ck_assert_int_eq (chdir ("/tmp"), 0);
  home = gpgpack_homedir (tmphome + 5);
  ck_assert_str_eq (home, tmphome);
  gpgrt_free (home);

  expected = gpgconf_socketdir (withslash);
  ck_assert_int_eq (gpgpack_socketdir (withslash, &dir), 0);
  ck_assert_str_eq (dir, expected);
  gpgrt_free (dir);
  free (expected);
}
END_TEST

START_TEST (test_socket_name)
{
  char *dir, *path, *expected;

  ck_assert_int_eq (gpgpack_socketdir (tmphome, &dir), 0);
  ck_assert_int_eq (gpgpack_socket_name (tmphome, &path), 0);
  expected = gpgrt_bsprintf ("%s/S.gpgpackd", dir);
  ck_assert_str_eq (path, expected);
  gpgrt_free (expected);
  gpgrt_free (path);
  gpgrt_free (dir);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("socketdir");
  TCase *tc = tcase_create ("core");

  gcry_check_version (NULL);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_explicit_homedir);
  tcase_add_test (tc, test_gnupghome_env);
  tcase_add_test (tc, test_trailing_slash_and_relative);
  tcase_add_test (tc, test_socket_name);
  suite_add_tcase (s, tc);
  return ckrun (s);
}
