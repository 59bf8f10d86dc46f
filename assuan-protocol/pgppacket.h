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

/* An MPI's value bytes (big-endian, no length prefix) in a packet.  */
typedef struct pgp_mpi
{
  const unsigned char *data;
  size_t len;
} pgp_mpi_t;

/* The public part of a v4 key packet: RFC 4880 algorithm id, the
 * curve OID of an ECC key, the public MPIs (RSA n e; DSA p q g y;
 * Elgamal p g y; ECC the point) and the length of the part.  */
typedef struct pgp_pubkey
{
  int algo;
  const unsigned char *oid;
  size_t oidlen;
  pgp_mpi_t mpis[4];
  int nmpis;
  size_t publen;
} pgp_pubkey_t;

/* Read the MPI at BODY[*OFF] (LEN bytes in all) into R_MPI and move
 * *OFF past it; a cut-off MPI gives GPG_ERR_INV_PACKET.  */
gpg_error_t pgp_read_mpi (const unsigned char *body, size_t len,
                          size_t *off, pgp_mpi_t *r_mpi);

/* Read the public part of the v4 public or secret key packet BODY/LEN
 * into R_KEY; another version, an unknown algorithm or a body that
 * does not parse gives GPG_ERR_UNKNOWN_VERSION.  */
gpg_error_t pgp_v4_public (const unsigned char *body, size_t len,
                           pgp_pubkey_t *r_key);

/* Store at FPR (upper-case hex) the fingerprint of the v4 public or
 * secret key packet BODY/LEN; another version, an unknown algorithm or
 * a body that does not parse gives GPG_ERR_UNKNOWN_VERSION.  */
gpg_error_t pgp_v4_fingerprint (const unsigned char *body, size_t len,
                                char fpr[41]);

#endif /*GPGPACKD_PGPPACKET_H*/
