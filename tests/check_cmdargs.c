/* check_cmdargs.c - Check the daemon's command line splitting */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "ckrun.h"
#include "cmdargs.h"

START_TEST (test_split)
{
  char line[] = "--secret --name=a%20b -- --not-an-option x%25y";
  cmdargs_t cmd;
  const char *value;

  ck_assert_int_eq (cmdargs_split (line, &cmd), 0);
  ck_assert_int_eq (cmd.nopts, 2);
  ck_assert_int_eq (cmd.nargs, 2);
  ck_assert_str_eq (cmd.args[0], "--not-an-option");
  ck_assert_str_eq (cmd.args[1], "x%y");
  ck_assert_int_eq (cmdargs_match (cmd.opts[0], "secret", &value), 1);
  ck_assert_ptr_null (value);
  ck_assert_int_eq (cmdargs_match (cmd.opts[0], "secre", &value), 0);
  ck_assert_int_eq (cmdargs_match (cmd.opts[1], "name", &value), 1);
  ck_assert_str_eq (value, "a b");

  /* Assuan reuses the line buffer for inquiries: the args must not
   * point into it.  */
  memset (line, 'X', sizeof line - 1);
  ck_assert_str_eq (cmd.args[0], "--not-an-option");
  ck_assert_str_eq (value, "a b");
  cmdargs_release (&cmd);
}
END_TEST

START_TEST (test_options_end_at_first_argument)
{
  char line[] = "  file.gpgpack --dry-run ";
  cmdargs_t cmd;

  ck_assert_int_eq (cmdargs_split (line, &cmd), 0);
  ck_assert_int_eq (cmd.nopts, 0);
  ck_assert_int_eq (cmd.nargs, 2);
  ck_assert_str_eq (cmd.args[1], "--dry-run");
  cmdargs_release (&cmd);
}
END_TEST

START_TEST (test_too_many)
{
  static char line[CMDARGS_MAX * 2 + 8];
  cmdargs_t cmd;
  int i;

  for (i = 0; i <= CMDARGS_MAX; i++)
    strcat (line, "a ");
  ck_assert_int_eq (gpg_err_code (cmdargs_split (line, &cmd)),
                    GPG_ERR_TOO_MANY);
  cmdargs_release (&cmd);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cmdargs");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_split);
  tcase_add_test (tc, test_options_end_at_first_argument);
  tcase_add_test (tc, test_too_many);
  suite_add_tcase (s, tc);
  return ckrun (s);
}
