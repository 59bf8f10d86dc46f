/* share.h - shares of a pack's file key: encoding, splitting, combining */
#ifndef GPGPACK_SHARE_H
#define GPGPACK_SHARE_H

#include <stddef.h>
#include <gpg-error.h>
#include "gpgpack-plugin.h"

/* Encoding of one share (doc/format.md, "Shares"); integers big-endian:
 *
 *   0  4  magic "GPKS"
 *   4  1  version (1)
 *   5  1  threshold t, 2..255
 *   6  1  index x, 1..255
 *   7  1  key length L, 1..255
 *   8  4  generation
 *  12 16  pack id
 *  28  L  y: the key's share, one GF(2^8) value per key byte
 *  28+L 16  checksum: SHA-256 of bytes 0 .. 27+L, first 16 bytes
 */
#define SHARE_MAGIC        "GPKS"
#define SHARE_VERSION      1
#define SHARE_PACK_ID_LEN  16
#define SHARE_HEADER_LEN   28
#define SHARE_CHECKSUM_LEN 16
#define SHARE_MAX_KEYLEN   255
#define SHARE_LEN(keylen)  (SHARE_HEADER_LEN + (keylen) + SHARE_CHECKSUM_LEN)

/* share_combine_key computes at most about this many combinations of T
 * shares when looking for the right key and a bad share.  */
#define SHARE_MAX_COMBINES 4096

/* Decoding a share fails with, in this order of checks:
 *   GPG_ERR_INV_DATA         it does not start with the magic
 *   GPG_ERR_UNKNOWN_VERSION  version other than SHARE_VERSION
 *   GPG_ERR_TRUNCATED        shorter than its key length says
 *   GPG_ERR_INV_LENGTH       longer than its key length says
 *   GPG_ERR_BAD_DATA         checksum mismatch (corrupt share)
 *   GPG_ERR_INV_VALUE        x = 0, t < 2 or L = 0 (checksum intact)
 * All errors use GPGPACK_ERR_SOURCE.  */

/* Return 1 if KEY (LEN bytes) is the key of the pack, else 0.  */
typedef int (*share_key_check_t) (const unsigned char *key, size_t len,
                                  void *opaque);

/* Split KEY (KEYLEN bytes, 1..255) into N shares any T of which recover
 * it (2 <= T <= N <= 255), with x = 1..N, bound to PACK_ID and
 * GENERATION.  R_SHARES is an array of N blobs the caller provides; on
 * success each holds one encoded share in secure memory, on error all
 * are empty (untouched when the parameters are refused).  RANDOM as in
 * shamir_split (NULL in production).
 * Errors: GPG_ERR_INV_VALUE (parameters out of range), GPG_ERR_INV_ARG
 * (a NULL pointer), or an allocation or libgcrypt error.  */
gpg_error_t share_split_key (const unsigned char *key, size_t keylen,
                             const unsigned char pack_id[SHARE_PACK_ID_LEN],
                             unsigned int generation,
                             unsigned int t, unsigned int n,
                             gpgpack_random_fn_t random, void *random_opaque,
                             gpgpack_blob_t *r_shares);

/* Recover into R_KEY (secure memory) the key from the N encoded SHARES
 * of the pack PACK_ID and check it with CHECK (which may be NULL only
 * in tests: the key is then taken as right).  Every share given must be
 * intact, of that pack and consistent with the others, else the call
 * fails, R_KEY stays empty and the position in SHARES of the first
 * offending share is stored at R_BAD_SHARE (may be NULL; -1 if no share
 * is to blame):
 *   a decoding error above   that share
 *   GPG_ERR_WRONG_SECKEY     a share of another pack
 *   GPG_ERR_INV_VALUE        threshold, generation or key length differs
 *                            from those of the first share (or N > 255)
 *   GPG_ERR_DUP_VALUE        a second share with the same index
 *   GPG_ERR_MISSING_KEY      fewer shares than the threshold (-1)
 *   GPG_ERR_BAD_DATA         a share that lies off the polynomial of the
 *                            key CHECK accepted (a corrupt share)
 *   GPG_ERR_BAD_KEY          no T of the shares give a key CHECK accepts,
 *                            so the bad share cannot be named (-1)
 * The first T shares are tried first; if more than T were given, other
 * T-subsets are tried in turn (up to SHARE_MAX_COMBINES), and of
 * those whose key CHECK accepts the one that most other shares agree
 * with decides the key and which share is to blame.  Any single bad
 * share is always found, and shares crafted to cancel out each other's
 * errors cannot shift the blame onto an honest share while the honest
 * ones outnumber the bad ones by more than T-2.  */
gpg_error_t share_combine_key (const gpgpack_blob_t *shares, unsigned int n,
                               const unsigned char pack_id[SHARE_PACK_ID_LEN],
                               share_key_check_t check, void *check_opaque,
                               gpgpack_blob_t *r_key, int *r_bad_share);

/* Describe the encoded SHARE of LEN bytes after checking that it is
 * intact (pack id in upper-case hex).  Errors: the decoding errors.  */
gpg_error_t share_parse_info (const void *share, size_t len,
                              gpgpack_share_info_t *r_info);

/* Check that the encoded SHARE is intact and belongs to the pack
 * PACK_ID.  Errors: the decoding errors, GPG_ERR_WRONG_SECKEY.  */
gpg_error_t share_check_pack (const void *share, size_t len,
                              const unsigned char pack_id[SHARE_PACK_ID_LEN]);

#endif /*GPGPACK_SHARE_H*/
