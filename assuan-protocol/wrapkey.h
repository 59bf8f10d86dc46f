/* wrapkey.h - may a share be encrypted to this key? */
#ifndef GPGPACKD_WRAPKEY_H
#define GPGPACKD_WRAPKEY_H

#include "gpgpackd.h"

/* Check with CTX that FPR, a full fingerprint (40 or 64 hex digits),
 * names a key of the keyring a share can be encrypted to now: not
 * revoked, expired, disabled or invalid, with a valid encryption
 * subkey.  WHAT ("wrap key", "--to key") starts the error text.  On
 * success *R_NAME (unless R_NAME is NULL) receives the key's primary
 * user id, or FPR if it has none (free with gpgrt_free).  Errors:
 * GPG_ERR_INV_USER_ID, GPG_ERR_NO_PUBKEY, GPG_ERR_CERT_REVOKED,
 * GPG_ERR_KEY_EXPIRED, GPG_ERR_KEY_DISABLED, GPG_ERR_UNUSABLE_PUBKEY,
 * each with a text naming FPR and the reason.  */
gpg_error_t wrapkey_check (ctrl_t ctrl, gpgme_ctx_t ctx, const char *what,
                           const char *fpr, char **r_name);

#endif /*GPGPACKD_WRAPKEY_H*/
