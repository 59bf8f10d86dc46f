/* check_guilogic.c - gpgpack-gtk's dialog logic, without a display */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "guilogic.h"
#include "packname.h"
#include "cmdargs.h"

#define FPR_A "0123456789ABCDEF0123456789ABCDEF01234567"
#define FPR_B "89ABCDEF0123456789ABCDEF0123456789ABCDEF"

static const char *const two_fprs[] = { FPR_A, FPR_B };

/* Valid choices for an export of two keys with a typed passphrase.  */
static gui_export_choices_t
good_export (void)
{
  gui_export_choices_t c = {
    .fprs = two_fprs, .nfprs = 2, .name = "KeyPackage_1",
    .output_dir = "/tmp/out dir", .protect = GUI_PROTECT_TYPED,
    .passphrase = "pass word", .passphrase_repeat = "pass word"
  };
  return c;
}

/* The code and field of checking C.  */
static gpg_err_code_t
export_check (const gui_export_choices_t *c, const char *field)
{
  gui_field_error_t f = { NULL, NULL };
  gpg_error_t err = gui_export_check (c, &f);

  if (err)
    {
      ck_assert_str_eq (f.field, field);
      ck_assert (f.text && strlen (f.text) > 10);
    }
  return gpg_err_code (err);
}

START_TEST (test_generated_name)
{
  char a[GPGPACK_GENERATED_NAME_SIZE], b[GPGPACK_GENERATED_NAME_SIZE];

  gpgpack_generate_name (a);
  gpgpack_generate_name (b);
  ck_assert_int_eq (strlen (a), 19);
  ck_assert (!strncmp (a, "KeyPackage_", 11));
  ck_assert_int_eq (strspn (a + 11, "0123456789abcdef"), 8);
  ck_assert_str_ne (a, b);
  ck_assert (gpgpack_valid_name (a));
}
END_TEST

START_TEST (test_passphrase)
{
  char *p, *q;
  int i;

  ck_assert_int_eq (gui_passphrase_generate (&p), 0);
  ck_assert_int_eq (gui_passphrase_generate (&q), 0);
  ck_assert_int_eq (strlen (p), 29);
  ck_assert (gcry_is_secure (p));
  for (i = 0; i < 29; i++)
    if (i % 5 == 4)
      ck_assert_int_eq (p[i], '-');
    else
      ck_assert (strchr ("0123456789ABCDEFGHJKMNPQRSTVWXYZ", p[i]));
  ck_assert_str_ne (p, q);
  gui_passphrase_free (p);
  gui_passphrase_free (q);
}
END_TEST

START_TEST (test_export_fields)
{
  gui_export_choices_t c = good_export ();
  static const char *const bad_fpr[] = { "ABCD" };

  ck_assert_int_eq (export_check (&c, NULL), 0);
  c.nfprs = 0;
  ck_assert_int_eq (export_check (&c, "keys"), GPG_ERR_NO_KEY);
  c = good_export (); c.fprs = bad_fpr; c.nfprs = 1;
  ck_assert_int_eq (export_check (&c, "keys"), GPG_ERR_INV_USER_ID);
  c = good_export (); c.name = "";
  ck_assert_int_eq (export_check (&c, "export.name"), GPG_ERR_INV_NAME);
  c.name = "a/b";
  ck_assert_int_eq (export_check (&c, "export.name"), GPG_ERR_INV_NAME);
  c.name = ".hidden";
  ck_assert_int_eq (export_check (&c, "export.name"), GPG_ERR_INV_NAME);
  c = good_export (); c.output_dir = "";
  ck_assert_int_eq (export_check (&c, "export.folder"), GPG_ERR_MISSING_VALUE);
  c.output_dir = "relative";
  ck_assert_int_eq (export_check (&c, "export.folder"), GPG_ERR_INV_VALUE);
  c = good_export (); c.passphrase_repeat = "pass wort";
  ck_assert_int_eq (export_check (&c, "export.passphrase-repeat"),
                    GPG_ERR_BAD_PASSPHRASE);
  c.passphrase = "";
  ck_assert_int_eq (export_check (&c, "export.passphrase"),
                    GPG_ERR_NO_PASSPHRASE);
  c.protect = GUI_PROTECT_GENERATED; c.passphrase = NULL;
  ck_assert_int_eq (export_check (&c, "export.passphrase"),
                    GPG_ERR_NO_PASSPHRASE);
  c.protect = GUI_PROTECT_NONE;
  ck_assert_int_eq (export_check (&c, NULL), 0);
  c.exclude_no_secret = 1;
  ck_assert_int_eq (export_check (&c, "export.exclude-no-secret"),
                    GPG_ERR_INV_ARG);
  c.secret = 1;
  ck_assert_int_eq (export_check (&c, NULL), 0);
}
END_TEST

START_TEST (test_share_fields)
{
  gui_export_choices_t c = good_export ();
  static const char *const wrap[] = { FPR_A, FPR_B, "" };

  c.protect = GUI_PROTECT_NONE;
  c.nshares = 2; c.threshold = 2; c.wrap_keys = wrap;
  ck_assert_int_eq (export_check (&c, NULL), 0);
  c.nshares = 1;
  ck_assert_int_eq (export_check (&c, "export.shares"), GPG_ERR_INV_VALUE);
  c.nshares = 256;
  ck_assert_int_eq (export_check (&c, "export.shares"), GPG_ERR_INV_VALUE);
  c.nshares = 2; c.threshold = 3;
  ck_assert_int_eq (export_check (&c, "export.threshold"), GPG_ERR_INV_VALUE);
  c.threshold = 1;
  ck_assert_int_eq (export_check (&c, "export.threshold"), GPG_ERR_INV_VALUE);
  c.threshold = 2; c.protect = GUI_PROTECT_TYPED;
  ck_assert_int_eq (export_check (&c, "export.protect"), GPG_ERR_CONFLICT);
  c.protect = GUI_PROTECT_NONE; c.nshares = 3;
  ck_assert_int_eq (export_check (&c, "export.custodian"), GPG_ERR_NO_PUBKEY);
}
END_TEST

/* LINE split as gpgpackd splits it.  */
static void
split (const char *line, cmdargs_t *cmd)
{
  memset (cmd, 0, sizeof *cmd);
  ck_assert_int_eq (cmdargs_split (line, cmd), 0);
}

START_TEST (test_export_line)
{
  gui_export_choices_t c = good_export ();
  static const char *const wrap[] = { FPR_B, FPR_A };
  cmdargs_t cmd;
  char *line;

  c.secret = 1;
  ck_assert_int_eq (gui_export_line (&c, &line), 0);
  ck_assert_str_eq (line, "PACK_EXPORT --secret --confirm --format=native"
                    " --name=KeyPackage_1 --output-dir=/tmp/out%20dir"
                    " --passphrase --show-setup-code -- " FPR_A " " FPR_B);
  split (line + 12, &cmd);
  ck_assert_int_eq (cmd.nopts, 7);
  ck_assert_int_eq (cmd.nargs, 2);
  ck_assert_str_eq (cmd.args[1], FPR_B);
  cmdargs_release (&cmd);
  gpgrt_free (line);

  c = good_export ();
  c.protect = GUI_PROTECT_NONE; c.format = "gfe3"; c.name = "a+b%c";
  c.nshares = 2; c.threshold = 2; c.wrap_keys = wrap; c.nfprs = 1;
  ck_assert_int_eq (gui_export_line (&c, &line), 0);
  ck_assert_str_eq (line, "PACK_EXPORT --format=gfe3 --name=a%2Bb%25c"
                    " --output-dir=/tmp/out%20dir --shares=2 --threshold=2"
                    " --wrap-key=" FPR_B " --wrap-key=" FPR_A " -- " FPR_A);
  gpgrt_free (line);
}
END_TEST

START_TEST (test_import_lines)
{
  static const char *const shares[] = { "/s/x 1.asc", "/s/x2.asc" };
  gui_import_choices_t c = { .pack = "/p/my pack.gpgpack",
                             .key_file = "/p/k%.key", .dry_run = 1 };
  gui_field_error_t f;
  cmdargs_t cmd;
  char *line;

  ck_assert_int_eq (gui_import_check (&c, &f), 0);
  ck_assert_int_eq (gui_import_line (&c, &line), 0);
  ck_assert_str_eq (line, "PACK_IMPORT --key-file=/p/k%25.key --dry-run"
                    " -- /p/my%20pack.gpgpack");
  split (line + 12, &cmd);
  ck_assert_int_eq (cmd.nargs, 1);
  ck_assert_str_eq (cmd.args[0], "/p/my pack.gpgpack");
  cmdargs_release (&cmd);
  gpgrt_free (line);

  c.key_file = NULL; c.shares = shares; c.nshares = 2; c.dry_run = 0;
  ck_assert_int_eq (gui_import_line (&c, &line), 0);
  ck_assert_str_eq (line, "PACK_IMPORT --share=/s/x%201.asc"
                    " --share=/s/x2.asc -- /p/my%20pack.gpgpack");
  gpgrt_free (line);
  ck_assert_int_eq (gui_info_line ("/a b", &line), 0);
  ck_assert_str_eq (line, "PACK_INFO -- /a%20b");
  gpgrt_free (line);

  c.pack = "";
  ck_assert_int_eq (gpg_err_code (gui_import_check (&c, &f)),
                    GPG_ERR_MISSING_VALUE);
  ck_assert_str_eq (f.field, "import.pack");
  c.pack = "rel.gpgpack";
  ck_assert_int_eq (gpg_err_code (gui_import_check (&c, &f)),
                    GPG_ERR_INV_VALUE);
  c.pack = c.key_file = "/a.gpgpack";
  ck_assert_int_eq (gpg_err_code (gui_import_check (&c, &f)),
                    GPG_ERR_CONFLICT);
  ck_assert_str_eq (f.field, "import.key-file");
}
END_TEST

/* Feed the status lines of TEXT ("KEYWORD args\n"...) to RES.  */
static gpg_error_t
feed (gui_result_t *res, const char *text)
{
  char *copy = strdup (text), *line, *next, *sp;
  gpg_error_t err = 0;

  for (line = copy; !err && line && *line; line = next)
    {
      next = strchr (line, '\n');
      if (next)
        *next++ = 0;
      sp = strchr (line, ' ');
      if (sp)
        *sp++ = 0;
      err = gui_result_status (res, line, sp ? sp : "");
    }
  free (copy);
  return err;
}

START_TEST (test_export_status)
{
  gui_result_t res = { 0 };
  char *text;

  ck_assert_int_eq (feed (&res, "PROGRESS export ? 0 300\n"
                          "PROGRESS export ? 300 300\n"
                          "EXPORTED " FPR_A "\nEXPORTED " FPR_B "\n"
                          "PACK_CREATED 00112233445566778899AABBCCDDEEFF"
                          " /o/K.gpgpack /o/K.key\nPUBKEYS /o/K.pub.asc\n"
                          "SOMETHING new\n"), 0);
  ck_assert_int_eq (res.progress_cur, 300);
  ck_assert_int_eq (res.progress_total, 300);
  ck_assert_int_eq (res.nkeys, 2);
  ck_assert_str_eq (res.keys[1].fpr, FPR_B);
  ck_assert_str_eq (res.pack_id, "00112233445566778899AABBCCDDEEFF");
  ck_assert_str_eq (res.pack_path, "/o/K.gpgpack");
  ck_assert_str_eq (res.key_path, "/o/K.key");
  text = gui_export_summary (&res);
  ck_assert (strstr (text, "/o/K.key\n"));
  ck_assert (strstr (text, "/o/K.pub.asc (the public keys)\n"));
  ck_assert (strstr (text, FPR_B));
  ck_assert (strstr (text, "different ways"));
  gpgrt_free (text);
  gui_result_release (&res);

  ck_assert_int_eq (feed (&res, "SHARE_CREATED 1 " FPR_A " /o/K.share-1-of-2.asc\n"
                          "SHARE_CREATED 2 " FPR_B " /o/K.share-2-of-2.asc\n"
                          "PACK_CREATED 00112233445566778899AABBCCDDEEFF"
                          " /o/K.gpgpack -\n"), 0);
  ck_assert_int_eq (res.nshares, 2);
  ck_assert_str_eq (res.share_paths[1], "/o/K.share-2-of-2.asc");
  ck_assert_ptr_null (res.key_path);
  gui_result_release (&res);

  /* --show-setup-code: the code instead of a key file.  */
  ck_assert_int_eq (feed (&res, "EXPORTED " FPR_A "\nKEYFILE MTIzNC01Njc4LTk"
                          "wMTItMzQ1Ni03ODkwLTEyMzQtNTY3OC05MDEyLTM0NTY=\n"
                          "HTML_CREATED /o/A.html\nPACK_CREATED - /o/A.asc"
                          " -\n"), 0);
  ck_assert_ptr_null (res.key_path);
  ck_assert_str_eq (res.setup_code,
                    "1234-5678-9012-3456-7890-1234-5678-9012-3456");
  text = gui_export_summary (&res);
  ck_assert (strstr (text, "/o/A.html (the pack as a mail attachment)\n"));
  ck_assert (strstr (text, "Setup code (shown only now, stored nowhere):\n"
                     "  1234-5678-9012-3456-7890-1234-5678-9012-3456\n"));
  ck_assert (!strstr (text, "key file"));
  gpgrt_free (text);
  gui_result_release (&res);

  ck_assert_int_eq (gpg_err_code (feed (&res, "EXPORTED ABC\n")),
                    GPG_ERR_INV_RESPONSE);
  ck_assert_int_eq (gpg_err_code (feed (&res, "PROGRESS export\n")),
                    GPG_ERR_INV_RESPONSE);
  ck_assert_int_eq (gpg_err_code (feed (&res, "PACK_CREATED 00\n")),
                    GPG_ERR_INV_RESPONSE);
  gui_result_release (&res);
}
END_TEST

START_TEST (test_import_status)
{
  gui_result_t res = { 0 };
  char *text;

  ck_assert_int_eq (feed (&res, "FORMAT native\nPACK_ID 00112233445566778899AABBCCDDEEFF\n"
                          "CREATED 1700000000\nCIPHER AES256.OCB\n"
                          "NEEDS keyfile passphrase\n"), 0);
  ck_assert_str_eq (res.format, "native");
  ck_assert (res.needs_keyfile && res.needs_passphrase);
  text = gui_info_summary (&res);
  ck_assert (strstr (text, "Format: native\n"));
  ck_assert (strstr (text, "2023-11-14 22:13 UTC"));
  gpgrt_free (text);
  gui_result_release (&res);

  ck_assert_int_eq (feed (&res, "IMPORT_CANDIDATE " FPR_A " secret\n"
                          "IMPORT_CANDIDATE " FPR_B " public\n"), 0);
  ck_assert_int_eq (res.nkeys, 2);
  ck_assert (res.keys[0].secret && !res.keys[1].secret);
  text = gui_import_summary (&res, 1);
  ck_assert (strstr (text, "2 keys would be imported"));
  gpgrt_free (text);
  gui_result_release (&res);

  ck_assert_int_eq (feed (&res, "IMPORTED " FPR_A "\n"
                          "IMPORT_RES 2 0 1 0 1 0 0 0 0 1 1 0 0 0 0\n"
                          "ERROR_TEXT the%20key%25file\n"), 0);
  ck_assert (res.have_import_res);
  ck_assert_int_eq (res.counts.imported, 1);
  ck_assert_int_eq (res.counts.unchanged, 1);
  ck_assert_int_eq (res.counts.secret_imported, 1);
  ck_assert_str_eq (res.error_text, "the key%file");
  text = gui_import_summary (&res, 0);
  ck_assert (strstr (text, "Imported: 1\nUnchanged: 1\n"));
  gpgrt_free (text);
  ck_assert_int_eq (gpg_err_code (feed (&res, "IMPORT_RES 1 2 3\n")),
                    GPG_ERR_INV_RESPONSE);
  gui_result_release (&res);
}
END_TEST

START_TEST (test_errors_and_formats)
{
  gui_format_t f[4];
  unsigned int n;
  char *s;

  s = gui_error_sentence ("Import", gpg_error (GPG_ERR_INV_ID), NULL);
  ck_assert_str_eq (s, "Import failed: the key file belongs to another"
                    " pack: choose the key file that was made with this"
                    " pack (Invalid ID).");
  gpgrt_free (s);
  s = gui_error_sentence ("Export", gpg_error (GPG_ERR_CANCELED), NULL);
  ck_assert_str_eq (s, "Export cancelled; nothing was written or imported.");
  gpgrt_free (s);
  s = gui_error_sentence ("Import", gpg_error (GPG_ERR_ENOENT), "no pack");
  ck_assert_str_eq (s, "Import failed: no pack (No such file or directory).");
  gpgrt_free (s);

  ck_assert_int_eq (gui_formats_parse ("native .gpgpack .key 59 our pack\n"
                                       "gfe1 .gfepack .key 1 old\n",
                                       f, 4, &n), 0);
  ck_assert_int_eq (n, 2);
  ck_assert_str_eq (f[1].name, "gfe1");
  ck_assert_int_eq (f[0].flags, 59);
  ck_assert_int_eq (gpg_err_code (gui_formats_parse ("x\n", f, 4, &n)),
                    GPG_ERR_INV_RESPONSE);
  ck_assert_int_eq (gpg_err_code (gui_formats_parse ("a b c 1\na b c 2\n",
                                                     f, 1, &n)),
                    GPG_ERR_TOO_MANY);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("guilogic");
  TCase *tc = tcase_create ("core");

  ckrun_init_gcrypt (16384);
  tcase_add_test (tc, test_generated_name);
  tcase_add_test (tc, test_passphrase);
  tcase_add_test (tc, test_export_fields);
  tcase_add_test (tc, test_share_fields);
  tcase_add_test (tc, test_export_line);
  tcase_add_test (tc, test_import_lines);
  tcase_add_test (tc, test_export_status);
  tcase_add_test (tc, test_import_status);
  tcase_add_test (tc, test_errors_and_formats);
  suite_add_tcase (s, tc);
  return ckrun (s);
}
