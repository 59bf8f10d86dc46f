/* pgppacket.h - the OpenPGP packet facts gpgpackd reads off gpg's export */
#ifndef GPGPACKD_PGPPACKET_H
#define GPGPACKD_PGPPACKET_H

#include <stddef.h>
#include <gpg-error.h>

/* Read the packet header at BUF[*OFF] (LEN bytes in all): store the
 * tag at R_TAG, the body length at R_LEN and move *OFF to the body.
 * A header that is cut off, uses partial or indeterminate lengths or
 * claims more bytes than there are gives GPG_ERR_INV_PACKET.  */
gpg_error_t pgp_packet_header (const unsigned char *buf, size_t len,
                               size_t *off, int *r_tag, size_t *r_len);

/* Store at FPR (upper-case hex) the fingerprint of the v4 public or
 * secret key packet BODY/LEN; another version, an unknown algorithm or
 * a body that does not parse gives GPG_ERR_UNKNOWN_VERSION.  */
gpg_error_t pgp_v4_fingerprint (const unsigned char *body, size_t len,
                                char fpr[41]);

#endif /*GPGPACKD_PGPPACKET_H*/
