/* plugin-util.h - helpers every plugin module compiles in
 *
 * Errors with the plugin error source, wiping secrets, releasing blobs,
 * hex digits and drawing random bytes.  No state: each module gets its own copy.
 */
#ifndef GPGPACK_PLUGIN_UTIL_H
#define GPGPACK_PLUGIN_UTIL_H

#include <stddef.h>
#include "gpgpack-plugin.h"

/* CODE with the plugin error source GPGPACK_ERR_SOURCE.  */
gpg_error_t plugin_err (gpg_err_code_t code);

/* Overwrite LEN bytes at BUF with zeros; the compiler cannot drop it.  */
void plugin_wipe (void *buf, size_t len);

/* Wipe and free a (secure memory) blob and leave it empty: the release
 * rule of gpgpack_blob_t.  */
void plugin_blob_release (gpgpack_blob_t *blob);

/* Value of the hex digit C (either case), or -1.  */
int plugin_hex_value (int c);

/* Fill BUF with LEN random bytes from RANDOM (a test hook) if it is
 * set, else from libgcrypt's strong RNG.  */
void plugin_random (gpgpack_random_fn_t random, void *random_opaque,
                    void *buf, size_t len);

#endif /*GPGPACK_PLUGIN_UTIL_H*/
