/* keyring.h - keyring access of gpgpackd through GPGME */
#ifndef GPGPACKD_KEYRING_H
#define GPGPACKD_KEYRING_H

#include "gpgpackd.h"

/* The keys of one export, in pack order.  */
typedef struct keyring_keys
{
  unsigned int count;
  gpgme_key_t *keys;          /* COUNT keys, NULL terminated             */
  unsigned char *secret;      /* secret[i]: export the secret part       */
} keyring_keys_t;

/* Receiver of exported key data.  */
typedef gpg_error_t (*keyring_feed_t) (void *opaque, const void *buf,
                                       size_t len);

gpg_error_t keyring_new_context (ctrl_t ctrl, gpgme_ctx_t *r_ctx);
gpg_error_t keyring_find_keys (ctrl_t ctrl, gpgme_ctx_t ctx,
                               char **patterns, int npatterns,
                               int secret, int exclude_no_secret,
                               keyring_keys_t *r_keys);
void keyring_keys_release (keyring_keys_t *keys);
char *keyring_manifest (const keyring_keys_t *keys, size_t *r_len);
gpg_error_t keyring_export (ctrl_t ctrl, gpgme_ctx_t ctx,
                            const keyring_keys_t *keys,
                            keyring_feed_t feed, void *feed_opaque);
gpg_error_t keyring_import (ctrl_t ctrl, gpgme_ctx_t ctx,
                            const void *data, size_t len);
gpg_error_t keyring_list_candidates (ctrl_t ctrl, gpgme_ctx_t ctx,
                                     const void *data, size_t len);

#endif /*GPGPACKD_KEYRING_H*/
