/* keyring.h - keyring access of gpgpackd through GPGME */
#ifndef GPGPACKD_KEYRING_H
#define GPGPACKD_KEYRING_H

#include "gpgpackd.h"
#include "packio.h"

/* One key of an export and its key block as gpg exported it.  */
typedef struct keyring_key
{
  char fpr[41];
  int secret;                 /* BLOCK holds the secret part             */
  const unsigned char *block; /* Points into a buffer of the export      */
  size_t blocklen;
} keyring_key_t;

/* The keys of one export, in pack order, and the export buffers (in
 * secure memory) their blocks point into.  keyring_find_keys also
 * keeps the public key blocks of the same keys in PUB, in the order
 * "gpg --export FPR..." gives them (for NAME.pub.asc).  */
typedef struct keyring_keys
{
  unsigned int count;
  keyring_key_t *keys;
  unsigned int nbufs;
  secbuf_t *bufs;
  unsigned int npub;
  keyring_key_t *pub;
} keyring_keys_t;

/* Receiver of exported key data.  */
typedef gpg_error_t (*keyring_feed_t) (void *opaque, const void *buf,
                                       size_t len);

/* Asked before secret parts are exported: may the secret parts of
 * the NKEYS keys found go?  An error stops the export.  */
typedef gpg_error_t (*keyring_confirm_t) (ctrl_t ctrl, unsigned int nkeys);

gpg_error_t keyring_new_context (ctrl_t ctrl, gpgme_ctx_t *r_ctx);
gpg_error_t keyring_find_keys (ctrl_t ctrl, gpgme_ctx_t ctx,
                               char **patterns, int npatterns,
                               int secret, int exclude_no_secret,
                               keyring_confirm_t confirm,
                               keyring_keys_t *r_keys);
void keyring_keys_release (keyring_keys_t *keys);
char *keyring_manifest (const keyring_keys_t *keys, size_t *r_len);
/*-- keypass.c --*/
/* Run CTX's gpg in pinentry-mode loopback with the passphrase callback
 * of CTRL's pinentry-mode: the client's INQUIRE KEY_PASSPHRASE for
 * loopback, gpg-agent's pinentry where the client is for default and
 * ask; cancel and error are left to gpg.  */
gpg_error_t keypass_setup (ctrl_t ctrl, gpgme_ctx_t ctx);
/* True if the operation that failed with ERR after TRIES runs is to be
 * run again, gpg-agent's pinentry then saying "Bad passphrase" for the
 * key whose passphrase gpg refused.  */
int keypass_retry (ctrl_t ctrl, gpg_error_t err, int tries);
/* For the agent path (pinentry-mode default, ask): check that
 * gpg-agent allows loopback, starting it through CTX's gpg (a listing
 * of the secret key FPR) if it is not running.  */
gpg_error_t keypass_check (ctrl_t ctrl, gpgme_ctx_t ctx, const char *fpr);
/*-- keyexport.c --*/
gpg_error_t keyring_add_key (keyring_keys_t *keys, const keyring_key_t *key);
gpg_error_t keyring_export_public (gpgme_ctx_t ctx, const char **patterns,
                                   keyring_keys_t *owner,
                                   keyring_keys_t *blocks,
                                   keyring_keys_t *subkeys);
gpg_error_t keyring_export_secret (ctrl_t ctrl, gpgme_ctx_t ctx,
                                   const keyring_keys_t *keys,
                                   keyring_keys_t *owner,
                                   keyring_keys_t *blocks);
gpg_error_t keyring_feed_blocks (const keyring_key_t *keys,
                                 unsigned int count, keyring_feed_t feed,
                                 void *feed_opaque);
gpg_error_t keyring_export (ctrl_t ctrl, const keyring_keys_t *keys,
                            keyring_feed_t feed, void *feed_opaque);
gpg_error_t keyring_import (ctrl_t ctrl, gpgme_ctx_t ctx,
                            const void *data, size_t len);
gpg_error_t keyring_list_candidates (ctrl_t ctrl, gpgme_ctx_t ctx,
                                     const void *data, size_t len);

#endif /*GPGPACKD_KEYRING_H*/
