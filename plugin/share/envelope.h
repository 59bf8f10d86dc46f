/* envelope.h - the text a share travels in inside its OpenPGP message */
#ifndef GPGPACK_ENVELOPE_H
#define GPGPACK_ENVELOPE_H

#include <stddef.h>
#include <gpg-error.h>
#include "gpgpack-plugin.h"

/* First line of an envelope (doc/format.md, "Share envelope").  */
#define ENVELOPE_MAGIC   "GPGPACK SHARE "
#define ENVELOPE_VERSION "1"

/* Longest custodian name (bytes of UTF-8) an envelope carries.  */
#define ENVELOPE_MAX_CUSTODIAN 255

/* Put the encoded SHARE (LEN bytes) with its header text naming
 * CUSTODIAN into a new envelope at R_ENV (secure memory).  Errors: the
 * share decoding errors of share.h, GPG_ERR_INV_VALUE (CUSTODIAN empty,
 * too long or with a control character).  */
gpg_error_t envelope_build (const void *share, size_t len,
                            const char *custodian, gpgpack_blob_t *r_env);

/* Take the encoded share out of the envelope ENV (LEN bytes) into
 * R_SHARE (secure memory) and, unless R_CUSTODIAN is NULL, its
 * custodian name into a new gcry_malloc string at R_CUSTODIAN.  The envelope must be exactly what
 * envelope_build makes of that share.  Errors: GPG_ERR_INV_DATA (not an
 * envelope), GPG_ERR_UNKNOWN_VERSION, GPG_ERR_INV_PACKET (malformed, its
 * body not a share, or its header text disagrees with its share), the
 * other share decoding errors.  */
gpg_error_t envelope_parse (const void *env, size_t len,
                            gpgpack_blob_t *r_share, char **r_custodian);

#endif /*GPGPACK_ENVELOPE_H*/
