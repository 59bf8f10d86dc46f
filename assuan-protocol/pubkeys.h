/* pubkeys.h - the public-keys file NAME.pub.asc written beside a pack */
#ifndef GPGPACKD_PUBKEYS_H
#define GPGPACKD_PUBKEYS_H

#include "keyring.h"
#include "outfile.h"

/* File name extension of the public-keys file.  */
#define PUBKEYS_EXT ".pub.asc"

/* Write to FILE the public keys of KEYS (KEYS->PUB, from
 * keyring_find_keys), armored, as "gpg --export --armor FPR..." gives
 * them.  */
gpg_error_t pubkeys_write (ctrl_t ctrl, const keyring_keys_t *keys,
                           outfile_t file);

#endif /*GPGPACKD_PUBKEYS_H*/
