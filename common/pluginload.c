/* pluginload.c - load gpgpack pack-format plugins with dlopen */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <dirent.h>
#include <dlfcn.h>

#include "pluginload.h"

/* One loaded module.  */
struct plugin_module
{
  void *handle;
  const gpgpack_plugin_t *table;
};

struct plugin_set_s
{
  struct plugin_module *modules;
  unsigned int nmodules;
  const gpgpack_format_t **formats;
  unsigned int nformats;
};


/* scandir filter: regular names ending in ".so".  */
static int
is_module_name (const struct dirent *d)
{
  size_t n = strlen (d->d_name);

  return d->d_name[0] != '.' && n > 3 && !strcmp (d->d_name + n - 3, ".so");
}


/* The directory to load from: DIR, $GPGPACK_PLUGIN_DIR or the default.  */
static const char *
plugin_dir (const char *dir)
{
  const char *env;

  if (dir)
    return dir;
  env = getenv ("GPGPACK_PLUGIN_DIR");
  if (env && *env)
    return env;
  return GPGPACK_PLUGINDIR;
}


/* Open the module at PATH, check its ABI and store it at MOD.  */
static gpg_error_t
open_module (const char *path, struct plugin_module *mod)
{
  gpgpack_plugin_entry_t entry;
  const gpgpack_plugin_t *table;
  void *handle;

  handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    {
      gpgrt_log_error ("plugin '%s': %s\n", path, dlerror ());
      return gpg_error (GPG_ERR_INV_OBJ);
    }
  entry = (gpgpack_plugin_entry_t) dlsym (handle, GPGPACK_PLUGIN_ENTRY_NAME);
  if (!entry)
    {
      gpgrt_log_error ("plugin '%s': no symbol '%s'\n",
                       path, GPGPACK_PLUGIN_ENTRY_NAME);
      dlclose (handle);
      return gpg_error (GPG_ERR_INV_OBJ);
    }
  table = entry (GPGPACK_PLUGIN_ABI_VERSION);
  if (!table || table->abi_version != GPGPACK_PLUGIN_ABI_VERSION)
    {
      if (table)
        gpgrt_log_error ("plugin '%s' is built for plugin ABI %u but this"
                         " gpgpack needs ABI %u: rebuild it against this"
                         " version's gpgpack-plugin.h\n", path,
                         table->abi_version, GPGPACK_PLUGIN_ABI_VERSION);
      else
        gpgrt_log_error ("plugin '%s' does not serve plugin ABI %u: rebuild"
                         " it against this version's gpgpack-plugin.h\n",
                         path, GPGPACK_PLUGIN_ABI_VERSION);
      dlclose (handle);
      return gpg_error (GPG_ERR_INV_ENGINE);
    }
  mod->handle = handle;
  mod->table = table;
  return 0;
}


/* Append the formats of MOD to SET, refusing duplicate names.  */
static gpg_error_t
add_formats (plugin_set_t set, const struct plugin_module *mod)
{
  const gpgpack_format_t **grown;
  unsigned int i;

  if (!mod->table->nformats)
    return 0;
  grown = reallocarray (set->formats, set->nformats + mod->table->nformats,
                        sizeof *grown);
  if (!grown)
    return gpg_error_from_syserror ();
  set->formats = grown;
  for (i = 0; i < mod->table->nformats; i++)
    {
      const gpgpack_format_t *fmt = mod->table->formats[i];

      if (plugin_find_format (set, fmt->name))
        {
          gpgrt_log_error ("plugin '%s': format '%s' defined twice\n",
                           mod->table->name, fmt->name);
          return gpg_error (GPG_ERR_DUP_NAME);
        }
      set->formats[set->nformats++] = fmt;
    }
  return 0;
}


/* Load the module NAME of directory DIR into SET.  */
static gpg_error_t
load_one (plugin_set_t set, const char *dir, const char *name)
{
  struct plugin_module *mod;
  gpg_error_t err;
  char *path;

  path = gpgrt_bsprintf ("%s/%s", dir, name);
  if (!path)
    return gpg_error_from_syserror ();
  mod = &set->modules[set->nmodules];
  err = open_module (path, mod);
  gpgrt_free (path);
  if (err)
    return err;
  set->nmodules++;
  return add_formats (set, mod);
}


gpg_error_t
plugin_load_dir (const char *dir, plugin_set_t *r_set)
{
  struct dirent **names = NULL;
  plugin_set_t set;
  gpg_error_t err = 0;
  int n, i;

  *r_set = NULL;
  dir = plugin_dir (dir);
  n = scandir (dir, &names, is_module_name, alphasort);
  if (n < 0)
    return gpg_error_from_syserror ();
  set = calloc (1, sizeof *set);
  if (set && n)
    set->modules = calloc (n, sizeof *set->modules);
  if (!set || (n && !set->modules))
    err = gpg_error_from_syserror ();
  for (i = 0; i < n; i++)
    {
      if (!err)
        err = load_one (set, dir, names[i]->d_name);
      free (names[i]);
    }
  free (names);
  if (err)
    plugin_release (set);
  else
    *r_set = set;
  return err;
}


const gpgpack_format_t *
plugin_find_format (plugin_set_t set, const char *name)
{
  unsigned int i;

  for (i = 0; set && name && i < set->nformats; i++)
    if (!strcmp (set->formats[i]->name, name))
      return set->formats[i];
  return NULL;
}


unsigned int
plugin_format_count (plugin_set_t set)
{
  return set ? set->nformats : 0;
}


const gpgpack_format_t *
plugin_format_nth (plugin_set_t set, unsigned int idx)
{
  return set && idx < set->nformats ? set->formats[idx] : NULL;
}


gpg_error_t
plugin_detect (plugin_set_t set, const void *head, size_t headlen,
               uint64_t total, const char *filename,
               const gpgpack_format_t **r_fmt)
{
  int score, best = 0;
  unsigned int i;

  *r_fmt = NULL;
  if (headlen > GPGPACK_PROBE_BYTES)
    headlen = GPGPACK_PROBE_BYTES;
  for (i = 0; i < plugin_format_count (set); i++)
    {
      score = set->formats[i]->probe (head, headlen, total, filename);
      if (score > best)
        {
          best = score;
          *r_fmt = set->formats[i];
        }
    }
  return *r_fmt ? 0 : gpg_error (GPG_ERR_INV_DATA);
}


void
plugin_release (plugin_set_t set)
{
  unsigned int i;

  if (!set)
    return;
  for (i = 0; i < set->nmodules; i++)
    dlclose (set->modules[i].handle);
  free (set->modules);
  free (set->formats);
  free (set);
}
