/* keyring.h - keyring access of gpgpackd through GPGME */
#ifndef GPGPACKD_KEYRING_H
#define GPGPACKD_KEYRING_H

#include "gpgpackd.h"

/* Run EXPR (a GPGME call) with the nPth lock released; GPGME blocks
 * in plain syscalls.  Callbacks GPGME calls meanwhile take the lock
 * back (npth_protect) and release it again before returning.  */
#define UNLOCKED(expr) \
  do { npth_unprotect (); expr; npth_protect (); } while (0)

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
/*-- keyexport.c --*/
typedef struct keyring_prefetch_s *keyring_prefetch_t;
keyring_prefetch_t keyring_prefetch_start (ctrl_t ctrl, char **patterns,
                                           int npatterns, int secret);
void keyring_prefetch_release (keyring_prefetch_t prefetch);
gpg_error_t keyring_export (ctrl_t ctrl, gpgme_ctx_t ctx,
                            const keyring_keys_t *keys,
                            keyring_prefetch_t prefetch,
                            keyring_feed_t feed, void *feed_opaque);
gpg_error_t keyring_import (ctrl_t ctrl, gpgme_ctx_t ctx,
                            const void *data, size_t len);
gpg_error_t keyring_list_candidates (ctrl_t ctrl, gpgme_ctx_t ctx,
                                     const void *data, size_t len);

#endif /*GPGPACKD_KEYRING_H*/
