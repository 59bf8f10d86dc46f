/* wrapkeys.h - the custodians' keys of share mode, checked with GPGME */
#ifndef GPGPACKD_WRAPKEYS_H
#define GPGPACKD_WRAPKEYS_H

#include "gpgpackd.h"

/* Most shares (and so wrap keys) of one export: x is one byte, not 0.  */
#define WRAPKEYS_MAX 255

/* The wrap keys of one export, in share order.  */
typedef struct wrapkeys
{
  unsigned int count;
  char *fprs[WRAPKEYS_MAX];   /* primary fingerprints, upper case        */
  char *names[WRAPKEYS_MAX];  /* custodian names for the envelopes       */
} wrapkeys_t;

/* Check the N fingerprints GIVEN (N <= WRAPKEYS_MAX) and fill R_KEYS:
 * each must be a full primary key fingerprint of a key in CTX's
 * keyring that is not revoked, expired, disabled or invalid and has
 * a valid encryption subkey; unless ALLOW_SAME no key twice.  The
 * first bad key is named in the client's ERR line.  */
gpg_error_t wrapkeys_check (ctrl_t ctrl, gpgme_ctx_t ctx,
                            const char *const *given, unsigned int n,
                            int allow_same, wrapkeys_t *r_keys);
void wrapkeys_release (wrapkeys_t *keys);

/* Check the fingerprint GIVEN of a sign key as wrapkeys_check checks a
 * wrap key, but for a valid signing subkey, and that CTX's keyring has
 * its secret part; its primary fingerprint, upper case, to R_FPR.  */
gpg_error_t wrapkeys_check_signer (ctrl_t ctrl, gpgme_ctx_t ctx,
                                   const char *given, char r_fpr[65]);

#endif /*GPGPACKD_WRAPKEYS_H*/
