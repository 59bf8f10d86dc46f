/* keymatch.h - does a secret key packet's secret belong to its public key */
#ifndef GPGPACKD_KEYMATCH_H
#define GPGPACKD_KEYMATCH_H

#include <stddef.h>
#include <gpg-error.h>

/* Check with libgcrypt that the secret part of the v4 secret key or
 * subkey packet BODY/LEN (in secure memory) belongs to its public
 * part.  Returns 0 if it does, GPG_ERR_BAD_SECKEY if it does not,
 * GPG_ERR_UNUSABLE_SECKEY if the secret part is protected (S2K usage
 * not 0: no check without its passphrase), GPG_ERR_PUBKEY_ALGO or
 * GPG_ERR_UNKNOWN_CURVE for a key this check does not cover, and
 * GPG_ERR_INV_PACKET for a packet that does not parse.  */
gpg_error_t keymatch_check (const unsigned char *body, size_t len);

#endif /*GPGPACKD_KEYMATCH_H*/
