/* keyscan.h - walk the packets of binary or armored OpenPGP key data */
#ifndef GPGPACKD_KEYSCAN_H
#define GPGPACKD_KEYSCAN_H

#include <stddef.h>
#include <gpg-error.h>

/* Called for each packet: its TAG and body BODY/LEN.  An error stops
 * the walk and is returned by keyscan_walk.  */
typedef gpg_error_t (*keyscan_cb_t) (void *opaque, int tag,
                                     const unsigned char *body, size_t len);

/* Call CB for every packet of DATA/LEN in order: binary OpenPGP data,
 * or text with one or more armored blocks ("-----BEGIN PGP ..."),
 * which are decoded into secure memory.  Packets that do not parse
 * give GPG_ERR_INV_PACKET, text without an armored block
 * GPG_ERR_NO_DATA.  */
gpg_error_t keyscan_walk (const unsigned char *data, size_t len,
                          keyscan_cb_t cb, void *opaque);

#endif /*GPGPACKD_KEYSCAN_H*/
