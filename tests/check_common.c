/* check_common.c - Check common/'s line helpers: escaping, IMPORT_RES, fingerprints */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "ckrun.h"
#include "argline.h"
#include "importres.h"
#include "fpr.h"

#define FPR_LOWER "0123456789abcdef0123456789abcdef01234567"
#define FPR_UPPER "0123456789ABCDEF0123456789ABCDEF01234567"

START_TEST (test_escape)
{
  char *e;

  e = percent_escape ("Alice <a@x> 100%+\n\x7f");
  ck_assert_str_eq (e, "Alice%20<a@x>%20100%25%2B%0A%7F");
  percent_unescape (e);                                 /* round trip */
  ck_assert_str_eq (e, "Alice <a@x> 100%+\n\x7f");
  gpgrt_free (e);
  e = percent_plus_escape ("Key file: 1+1%\t");
  ck_assert_str_eq (e, "Key+file:+1%2B1%25%09");
  gpgrt_free (e);
  e = percent_plus_escape ("");
  ck_assert_str_eq (e, "");
  gpgrt_free (e);
}
END_TEST

START_TEST (test_unescape_keeps_malformed)
{
  char s[] = "100%2 %zz%4";

  percent_unescape (s);
  ck_assert_str_eq (s, "100%2 %zz%4");
}
END_TEST

/* A KEYFILE argument decodes in place, NUL-terminated; an empty one
 * to nothing.  */
START_TEST (test_base64)
{
  char ok[] = "MTIzNC01Njc4LTkwMTItMzQ1Ni03ODkwLTEyMzQtNTY3OC05MDEyLTM0NTY=";
  char empty[] = "";
  size_t len;

  ck_assert_int_eq (base64_unescape (ok, &len), 0);
  ck_assert_uint_eq (len, 44);
  ck_assert_str_eq (ok, "1234-5678-9012-3456-7890-1234-5678-9012-3456");
  ck_assert_int_eq (base64_unescape (empty, &len), 0);
  ck_assert_uint_eq (len, 0);
}
END_TEST

START_TEST (test_import_res)
{
  import_counts_t c;

  ck_assert_int_eq (import_res_parse ("5 0 1 0 2 0 0 0 0 4 3 1 0 2 7", &c),
                    0);
  ck_assert_int_eq (c.considered, 5);
  ck_assert_int_eq (c.imported, 1);
  ck_assert_int_eq (c.unchanged, 2);
  ck_assert_int_eq (c.secret_read, 4);
  ck_assert_int_eq (c.secret_imported, 3);
  ck_assert_int_eq (c.secret_unchanged, 1);
  ck_assert_int_eq (c.not_imported, 2);
  ck_assert_int_eq (c.skipped_v3_keys, 7);
}
END_TEST

/* Each malformed IMPORT_RES is refused and leaves the counts as they
 * were.  */
static const char *const bad_import_res[] =
  {
    "",
    "1 2 3",
    "1 0 1 0 0 0 0 0 0 0 0 0 0 0",              /* 14 counts */
    "1 0 1 0 0 0 0 0 0 0 0 0 0 0 0 9",          /* 16 counts */
    "1 0 1 0 0 0 0 0 0 0 0 0 0 0 x",
    "1 0 1 0 0 0 0 0 0 0 0 0 0 0 -1",
    "1 0 1 0 0 0 0 0 0 0 0 0 0 0 0x",
    "1 0 1 0 0 0 0 0 0 0 0 0 0 0 99999999999999999999999"
  };

START_TEST (test_import_res_bad)
{
  import_counts_t c = { 42 };

  ck_assert_int_eq (gpg_err_code (import_res_parse (bad_import_res[_i], &c)),
                    GPG_ERR_INV_RESPONSE);
  ck_assert_int_eq (c.considered, 42);
}
END_TEST

START_TEST (test_fpr)
{
  char out[65];

  ck_assert_int_eq (fpr_normalize (FPR_LOWER, 0, out), 40);
  ck_assert_str_eq (out, FPR_UPPER);
  ck_assert_int_eq (fpr_normalize ("0x" FPR_LOWER, 0, out), 40);
  ck_assert_str_eq (out, FPR_UPPER);
  ck_assert_int_eq (fpr_normalize ("0X" FPR_UPPER, 1, out), 40);
  ck_assert_int_eq (fpr_normalize (FPR_LOWER "abcdef0123456789abcdef01",
                                   1, out), 64);
  ck_assert_str_eq (out, FPR_UPPER "ABCDEF0123456789ABCDEF01");
}
END_TEST

/* Not a fingerprint: wrong length, not hex, a 64-digit one without V5,
 * a bare "0x".  */
static const char *const bad_fprs[] =
  {
    "", "0x", FPR_LOWER "8", "0x" FPR_LOWER "8", FPR_UPPER " ",
    "g123456789abcdef0123456789abcdef01234567",
    FPR_LOWER "abcdef0123456789abcdef01",
    "0x0x23456789abcdef0123456789abcdef01234567"
  };

START_TEST (test_fpr_bad)
{
  char out[65] = "untouched";

  ck_assert_int_eq (fpr_normalize (bad_fprs[_i], 0, out), 0);
  ck_assert_str_eq (out, "untouched");
}
END_TEST

/* One test case per file of common/ tested here.  */
static Suite *
common_suite (void)
{
  Suite *s = suite_create ("common");
  TCase *argline = tcase_create ("argline");
  TCase *importres = tcase_create ("importres");
  TCase *fpr = tcase_create ("fpr");

  tcase_add_test (argline, test_escape);
  tcase_add_test (argline, test_unescape_keeps_malformed);
  tcase_add_test (argline, test_base64);
  tcase_add_test (importres, test_import_res);
  tcase_add_loop_test (importres, test_import_res_bad, 0,
                       sizeof bad_import_res / sizeof *bad_import_res);
  tcase_add_test (fpr, test_fpr);
  tcase_add_loop_test (fpr, test_fpr_bad, 0,
                       sizeof bad_fprs / sizeof *bad_fprs);
  suite_add_tcase (s, argline);
  suite_add_tcase (s, importres);
  suite_add_tcase (s, fpr);
  return s;
}

int
main (void)
{
  return ckrun (common_suite ());
}
