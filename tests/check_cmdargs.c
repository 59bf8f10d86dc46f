/* check_cmdargs.c - Check the daemon's command line splitting */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "ckrun.h"
#include "argline.h"
#include "cmdargs.h"

START_TEST (test_split)
{
  char line[] = "--secret --name=a%20b -- --not-an-option x%25y";
  cmdargs_t cmd;
  int secret = 0, force = 0;
  const char *name = NULL, *bad;
  const cmdargs_opt_t table[] = {
    { "secre", &force }, { "secret", &secret }, { "name", NULL, &name },
    { NULL }
  };

  ck_assert_int_eq (cmdargs_split (line, &cmd), 0);
  ck_assert_int_eq (cmd.nopts, 2);
  ck_assert_int_eq (cmd.nargs, 2);
  ck_assert_str_eq (cmd.args[0], "--not-an-option");
  ck_assert_str_eq (cmd.args[1], "x%y");
  ck_assert_int_eq (cmdargs_apply (&cmd, table, &bad), 0);
  ck_assert_ptr_null (bad);
  ck_assert_int_eq (secret, 1);
  ck_assert_int_eq (force, 0);   /* a prefix of an option is not it */
  ck_assert_str_eq (name, "a b");

  /* Assuan reuses the line buffer for inquiries: the args must not
   * point into it.  */
  memset (line, 'X', sizeof line - 1);
  ck_assert_str_eq (cmd.args[0], "--not-an-option");
  ck_assert_str_eq (name, "a b");
  cmdargs_release (&cmd);
}
END_TEST

/* A repeatable option keeps every value in order; a plain one the last. */
START_TEST (test_repeated)
{
  char line[] = "--wrap-key=A --name=x --wrap-key=B%20C --name=y --wrap-key=A";
  cmdargs_list_t keys = { 0 };
  const char *name = NULL, *bad;
  const cmdargs_opt_t table[] = {
    { "wrap-key", NULL, NULL, &keys }, { "name", NULL, &name }, { NULL }
  };
  cmdargs_t cmd;

  ck_assert_int_eq (cmdargs_split (line, &cmd), 0);
  ck_assert_int_eq (cmdargs_apply (&cmd, table, &bad), 0);
  ck_assert_uint_eq (keys.count, 3);
  ck_assert_str_eq (keys.items[0], "A");
  ck_assert_str_eq (keys.items[1], "B C");
  ck_assert_str_eq (keys.items[2], "A");
  ck_assert_str_eq (name, "y");
  cmdargs_release (&cmd);
}
END_TEST

/* Apply TABLE to the options of LINE; return the error code and copy
 * the offending option to BADBUF.  */
static gpg_err_code_t
apply_line (const char *line, const cmdargs_opt_t *table, char *badbuf)
{
  cmdargs_t cmd;
  const char *bad;
  gpg_error_t err;

  ck_assert_int_eq (cmdargs_split (line, &cmd), 0);
  err = cmdargs_apply (&cmd, table, &bad);
  strcpy (badbuf, bad? bad : "");
  cmdargs_release (&cmd);
  return gpg_err_code (err);
}

START_TEST (test_apply_errors)
{
  int flag = 0;
  const char *value = NULL;
  const cmdargs_opt_t table[] = {
    { "dry-run", &flag }, { "key-file", NULL, &value }, { NULL }
  };
  char bad[64];

  ck_assert_int_eq (apply_line ("--dry-run --nope x", table, bad),
                    GPG_ERR_UNKNOWN_OPTION);
  ck_assert_str_eq (bad, "--nope");
  ck_assert_int_eq (apply_line ("--dry-run=yes", table, bad),
                    GPG_ERR_INV_ARG);
  ck_assert_str_eq (bad, "--dry-run=yes");
  ck_assert_int_eq (apply_line ("--key-file", table, bad), GPG_ERR_INV_ARG);
  ck_assert_int_eq (apply_line ("--key-file=", table, bad), GPG_ERR_INV_ARG);
  ck_assert_int_eq (apply_line ("--key-files=a", table, bad),
                    GPG_ERR_UNKNOWN_OPTION);
  ck_assert_int_eq (apply_line ("--dry-run x", table, bad), 0);
  ck_assert_int_eq (flag, 1);
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

/* An argument escaped (check_common tests the escaping itself) comes
 * back whole from cmdargs_split.  */
START_TEST (test_escape)
{
  char *e;
  cmdargs_t cmd;

  e = percent_escape ("Alice <a@x> 100%+\n\x7f");
  ck_assert_int_eq (cmdargs_split (e, &cmd), 0);
  ck_assert_int_eq (cmd.nargs, 1);
  ck_assert_str_eq (cmd.args[0], "Alice <a@x> 100%+\n\x7f");
  cmdargs_release (&cmd);
  gpgrt_free (e);
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
  tcase_add_test (tc, test_apply_errors);
  tcase_add_test (tc, test_repeated);
  tcase_add_test (tc, test_escape);
  suite_add_tcase (s, tc);
  return ckrun (s);
}
