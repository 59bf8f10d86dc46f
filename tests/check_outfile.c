/* check_outfile.c - Check the daemon's atomic 0600 output files */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <check.h>

#include "ckrun.h"
#include "outfile.h"

static char dir[64];

static void
setup (void)
{
  strcpy (dir, "/tmp/gpk.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (dir));
}

static void
teardown (void)
{
  char cmd[128];

  snprintf (cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq (system (cmd), 0);
}

/* Number of directory entries in DIR besides . and ..  */
static int
count_entries (void)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  int n = 0;

  ck_assert_ptr_nonnull (d);
  while ((de = readdir (d)))
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      n++;
  closedir (d);
  return n;
}

/* Read DIR/NAME into BUF (NUL terminated).  */
static void
read_back (const char *name, char *buf, size_t size)
{
  char path[128];
  FILE *fp;
  size_t n;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  fp = fopen (path, "r");
  ck_assert_ptr_nonnull (fp);
  n = fread (buf, 1, size - 1, fp);
  buf[n] = 0;
  fclose (fp);
}

START_TEST (test_commit)
{
  outfile_t f;
  struct stat st;
  char path[128], buf[32];

  ck_assert_int_eq (outfile_create (dir, "a.key", 0, &f), 0);
  ck_assert_int_eq (outfile_write (f, "hello", 5), 0);
  snprintf (path, sizeof path, "%s/a.key", dir);
  ck_assert_int_ne (access (path, F_OK), 0);    /* Not before commit.  */
  ck_assert_int_eq (outfile_commit (f), 0);
  ck_assert_str_eq (outfile_name (f), path);
  outfile_release (f);
  ck_assert_int_eq (stat (path, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);
  read_back ("a.key", buf, sizeof buf);
  ck_assert_str_eq (buf, "hello");
  ck_assert_int_eq (count_entries (), 1);       /* No temp file left.  */
}
END_TEST

START_TEST (test_release_discards)
{
  outfile_t f;

  ck_assert_int_eq (outfile_create (dir, "b.key", 0, &f), 0);
  ck_assert_int_eq (outfile_write (f, "x", 1), 0);
  outfile_release (f);
  ck_assert_int_eq (count_entries (), 0);
}
END_TEST

START_TEST (test_no_clobber)
{
  outfile_t f, g;
  char buf[32];

  ck_assert_int_eq (outfile_create (dir, "c.key", 0, &f), 0);
  ck_assert_int_eq (outfile_write (f, "one", 3), 0);
  ck_assert_int_eq (outfile_commit (f), 0);
  outfile_release (f);
  ck_assert_int_eq (gpg_err_code (outfile_create (dir, "c.key", 0, &g)),
                    GPG_ERR_EEXIST);
  ck_assert_ptr_null (g);

  /* A file appearing between create and commit is not replaced.  */
  ck_assert_int_eq (outfile_create (dir, "d.key", 0, &f), 0);
  ck_assert_int_eq (outfile_create (dir, "d.key", 0, &g), 0);
  ck_assert_int_eq (outfile_write (f, "first", 5), 0);
  ck_assert_int_eq (outfile_write (g, "second", 6), 0);
  ck_assert_int_eq (outfile_commit (f), 0);
  ck_assert_int_eq (gpg_err_code (outfile_commit (g)), GPG_ERR_EEXIST);
  outfile_release (f);
  outfile_release (g);
  read_back ("d.key", buf, sizeof buf);
  ck_assert_str_eq (buf, "first");
  ck_assert_int_eq (count_entries (), 2);
}
END_TEST

START_TEST (test_force_and_remove)
{
  outfile_t f;
  char buf[32];

  ck_assert_int_eq (outfile_create (dir, "e.key", 0, &f), 0);
  ck_assert_int_eq (outfile_commit (f), 0);
  outfile_release (f);
  ck_assert_int_eq (outfile_create (dir, "e.key", 1, &f), 0);
  ck_assert_int_eq (outfile_write (f, "new", 3), 0);
  ck_assert_int_eq (outfile_commit (f), 0);
  read_back ("e.key", buf, sizeof buf);
  ck_assert_str_eq (buf, "new");
  outfile_remove (f);
  outfile_release (f);
  ck_assert_int_eq (count_entries (), 0);
}
END_TEST

START_TEST (test_bad_dir)
{
  outfile_t f;
  char missing[96];

  snprintf (missing, sizeof missing, "%s/nonexistent", dir);
  ck_assert_int_eq (gpg_err_code (outfile_create (missing, "f.key", 0, &f)),
                    GPG_ERR_ENOENT);
  ck_assert_ptr_null (f);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("outfile");
  TCase *tc = tcase_create ("core");

  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_commit);
  tcase_add_test (tc, test_release_discards);
  tcase_add_test (tc, test_no_clobber);
  tcase_add_test (tc, test_force_and_remove);
  tcase_add_test (tc, test_bad_dir);
  suite_add_tcase (s, tc);
  return ckrun (s);
}
