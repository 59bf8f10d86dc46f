/* pluginload.h - find, load and query gpgpack pack-format plugins
 *
 * A plugin set holds every module (*.so) of one directory.  Loading is
 * all or nothing: a module that cannot be used makes plugin_load_dir
 * fail with one of these codes (the module's file name is logged with
 * gpgrt's log_error):
 *
 *   GPG_ERR_INV_ENGINE      the module's ABI version differs from
 *                           GPGPACK_PLUGIN_ABI_VERSION (the entry point
 *                           returned NULL or a table of another version)
 *   GPG_ERR_INV_OBJ         dlopen failed or the module lacks the entry
 *                           symbol GPGPACK_PLUGIN_ENTRY_NAME
 *   GPG_ERR_DUP_NAME        two modules define a format of the same name
 *   GPG_ERR_ENOENT, ...     the directory cannot be read (errno code)
 *
 * The directory is DIR if given, else $GPGPACK_PLUGIN_DIR if set and not
 * empty, else the configure default GPGPACK_PLUGINDIR.  A directory
 * without any module gives an empty set, not an error.
 */
#ifndef GPGPACK_PLUGINLOAD_H
#define GPGPACK_PLUGINLOAD_H

#include <stdint.h>
#include <gpg-error.h>
#include "gpgpack-plugin.h"

typedef struct plugin_set_s *plugin_set_t;

/* Load every *.so in DIR into a new set stored at R_SET.  */
gpg_error_t plugin_load_dir (const char *dir, plugin_set_t *r_set);

/* The format called NAME, or NULL.  */
const gpgpack_format_t *plugin_find_format (plugin_set_t set,
                                            const char *name);

/* Number of formats in SET and the IDX-th of them (NULL if out of range);
 * the order is that of the module file names, then of each table.  */
unsigned int plugin_format_count (plugin_set_t set);
const gpgpack_format_t *plugin_format_nth (plugin_set_t set,
                                           unsigned int idx);

/* Ask every format to probe HEAD (at most GPGPACK_PROBE_BYTES are
 * passed); the best score wins, the earlier format on a tie.  No score
 * above 0 gives GPG_ERR_INV_DATA.  */
gpg_error_t plugin_detect (plugin_set_t set, const void *head, size_t headlen,
                           uint64_t total, const char *filename,
                           const gpgpack_format_t **r_fmt);

/* Unload every module of SET; NULL is allowed.  */
void plugin_release (plugin_set_t set);

#endif /*GPGPACK_PLUGINLOAD_H*/
