/* wrap.h - shares in envelopes, encrypted and decrypted by the host */
#ifndef GPGPACK_WRAP_H
#define GPGPACK_WRAP_H

#include <stddef.h>
#include <gpg-error.h>
#include "gpgpack-plugin.h"

/* Put each of the N encoded SHARES in its envelope naming CUSTODIANS[I]
 * (or WRAP_FPRS[I] if CUSTODIANS is NULL) and have HOST encrypt them,
 * in one call, each to WRAP_FPRS[I]; the armored messages go to
 * R_MESSAGES (N blobs the caller provides; all empty on error).  Errors: GPG_ERR_INV_ARG (no
 * usable host or fingerprints), those of envelope_build, and the host's
 * encryption errors unchanged.  */
gpg_error_t share_wrap_all (const gpgpack_host_t *host,
                            const gpgpack_blob_t *shares, unsigned int n,
                            const char *const *wrap_fprs,
                            const char *const *custodians,
                            gpgpack_blob_t *r_messages);

/* The encoded share in MSG: an envelope, or an OpenPGP message HOST
 * decrypts to one (HOST may be NULL when MSG is an envelope); the
 * envelope's custodian name to R_CUSTODIAN unless that is NULL.  Errors:
 * those of envelope_parse, GPG_ERR_INV_ARG (MSG needs a host and has
 * none), and the host's decryption errors unchanged.  */
gpg_error_t share_unwrap (const gpgpack_host_t *host,
                          const void *msg, size_t len,
                          gpgpack_blob_t *r_share, char **r_custodian);

#endif /*GPGPACK_WRAP_H*/
