/* check_loader.c - tests of the plugin loader (common/pluginload.c) */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <dlfcn.h>
#include <check.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "packbuf.h"

/* A temporary plugin directory.  */
typedef struct tmpdir
{
  char path[32];
  char files[4][PATH_MAX];
  unsigned int nfiles;
} tmpdir_t;


static void
tmpdir_create (tmpdir_t *td)
{
  memset (td, 0, sizeof *td);
  strcpy (td->path, "/tmp/gpk.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (td->path));
}


/* Put a symlink NAME to TARGET into TD.  */
static void
tmpdir_link (tmpdir_t *td, const char *name, const char *target)
{
  char *file = td->files[td->nfiles++];

  ck_assert_uint_lt (strlen (td->path) + 1 + strlen (name), PATH_MAX);
  strcpy (file, td->path);
  strcat (file, "/");
  strcat (file, name);
  ck_assert_int_eq (symlink (target, file), 0);
}


static void
tmpdir_remove (tmpdir_t *td)
{
  while (td->nfiles)
    unlink (td->files[--td->nfiles]);
  rmdir (td->path);
}


/* Absolute path of the module NAME in DIR, checked to exist.  */
static void
module_path (const char *dir, const char *name, char *path)
{
  char rel[PATH_MAX];

  snprintf (rel, sizeof rel, "%s/%s", dir, name);
  ck_assert_msg (realpath (rel, path), "no module %s", rel);
}


/* Load TD and return the error; an unexpected set is released.  */
static gpg_error_t
load_tmpdir (tmpdir_t *td)
{
  plugin_set_t set;
  gpg_error_t err;

  err = plugin_load_dir (td->path, &set);
  if (err)
    ck_assert_ptr_null (set);
  plugin_release (set);
  return err;
}


START_TEST (test_load_and_find)
{
  const gpgpack_format_t *fmt;
  plugin_set_t set;
  unsigned int i, n;

  ck_assert_int_eq (plugin_load_dir (NULL, &set), 0);
  n = plugin_format_count (set);
  ck_assert_uint_ge (n, 1);
  for (i = 0; i < n; i++)
    ck_assert_ptr_nonnull (plugin_format_nth (set, i));
  ck_assert_ptr_null (plugin_format_nth (set, n));
  fmt = plugin_find_format (set, "native");
  ck_assert_ptr_nonnull (fmt);
  ck_assert_str_eq (fmt->pack_ext, ".gpgpack");
  ck_assert_str_eq (fmt->key_ext, ".key");
  ck_assert_ptr_null (plugin_find_format (set, "no-such-format"));
  ck_assert_ptr_null (plugin_find_format (set, NULL));
  plugin_release (set);
  plugin_release (NULL);
}
END_TEST


START_TEST (test_detect)
{
  gpgpack_seal_params_t params;
  const gpgpack_format_t *fmt;
  packbuf_t pack = { 0 };
  gpgpack_blob_t key;
  plugin_set_t set;

  ck_assert_int_eq (plugin_load_dir (NULL, &set), 0);
  memset (&params, 0, sizeof params);
  ck_assert_int_eq (packbuf_seal (packbuf_native (), &params, "k", 1, 0,
                                  &pack, &key), 0);
  ck_assert_int_eq (plugin_detect (set, pack.data, pack.len, pack.len,
                                   "x.gpgpack", &fmt), 0);
  ck_assert_str_eq (fmt->name, "native");
  ck_assert_int_eq (gpg_err_code (plugin_detect (set, "no pack here", 12, 12,
                                                 NULL, &fmt)),
                    GPG_ERR_INV_DATA);
  ck_assert_ptr_null (fmt);
  ck_assert_int_eq (gpg_err_code (plugin_detect (set, "", 0, 0, NULL, &fmt)),
                    GPG_ERR_INV_DATA);
  packbuf_free (&pack);
  packbuf_blob_free (&key);
  plugin_release (set);
}
END_TEST


/* A module built for plugin ABI 1 is refused, also through the
 * environment variable.  */
START_TEST (test_abi_mismatch)
{
  char path[PATH_MAX];
  const char *saved;
  plugin_set_t set;
  tmpdir_t td;

  module_path (".libs", "badabi.so", path);
  tmpdir_create (&td);
  tmpdir_link (&td, "badabi.so", path);
  ck_assert_int_eq (gpg_err_code (load_tmpdir (&td)), GPG_ERR_INV_ENGINE);

  /* The environment variable overrides the default directory.  */
  saved = getenv ("GPGPACK_PLUGIN_DIR");
  setenv ("GPGPACK_PLUGIN_DIR", td.path, 1);
  ck_assert_int_eq (gpg_err_code (plugin_load_dir (NULL, &set)),
                    GPG_ERR_INV_ENGINE);
  ck_assert_ptr_null (set);
  setenv ("GPGPACK_PLUGIN_DIR", saved, 1);
  tmpdir_remove (&td);
}
END_TEST


START_TEST (test_not_a_plugin)
{
  Dl_info info;
  tmpdir_t td;

  /* A shared object without the entry symbol.  */
  ck_assert (dladdr ((void *)gcry_check_version, &info));
  tmpdir_create (&td);
  tmpdir_link (&td, "gcrypt.so", info.dli_fname);
  ck_assert_int_eq (gpg_err_code (load_tmpdir (&td)), GPG_ERR_INV_OBJ);
  tmpdir_remove (&td);

  /* A file that is no shared object at all.  */
  tmpdir_create (&td);
  tmpdir_link (&td, "junk.so", "/dev/null");
  ck_assert_int_eq (gpg_err_code (load_tmpdir (&td)), GPG_ERR_INV_OBJ);
  tmpdir_remove (&td);
}
END_TEST


START_TEST (test_duplicate_format)
{
  char path[PATH_MAX];
  tmpdir_t td;

  module_path (getenv ("GPGPACK_PLUGIN_DIR"), "native.so", path);
  tmpdir_create (&td);
  tmpdir_link (&td, "a.so", path);
  tmpdir_link (&td, "b.so", path);
  ck_assert_int_eq (gpg_err_code (load_tmpdir (&td)), GPG_ERR_DUP_NAME);
  tmpdir_remove (&td);
}
END_TEST


START_TEST (test_empty_and_missing_dir)
{
  const gpgpack_format_t *fmt;
  plugin_set_t set;
  tmpdir_t td;

  tmpdir_create (&td);
  tmpdir_link (&td, "README", "/dev/null");
  ck_assert_int_eq (plugin_load_dir (td.path, &set), 0);
  ck_assert_uint_eq (plugin_format_count (set), 0);
  ck_assert_ptr_null (plugin_format_nth (set, 0));
  ck_assert_int_eq (gpg_err_code (plugin_detect (set, "x", 1, 1, NULL, &fmt)),
                    GPG_ERR_INV_DATA);
  plugin_release (set);
  tmpdir_remove (&td);
  ck_assert_int_eq (gpg_err_code (plugin_load_dir (td.path, &set)),
                    GPG_ERR_ENOENT);
  ck_assert_ptr_null (set);
}
END_TEST


static Suite *
loader_suite (void)
{
  Suite *s = suite_create ("loader");
  TCase *tc = tcase_create ("load");

  tcase_add_test (tc, test_load_and_find);
  tcase_add_test (tc, test_detect);
  tcase_add_test (tc, test_abi_mismatch);
  tcase_add_test (tc, test_not_a_plugin);
  tcase_add_test (tc, test_duplicate_format);
  tcase_add_test (tc, test_empty_and_missing_dir);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{

  ckrun_init_gcrypt (65536);
  return ckrun (loader_suite ());
}
