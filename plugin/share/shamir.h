/* shamir.h - Shamir secret sharing over GF(2^8), byte by byte */
#ifndef GPGPACK_SHAMIR_H
#define GPGPACK_SHAMIR_H

#include <stddef.h>
#include <gpg-error.h>
#include "gpgpack-plugin.h"

/* Largest number of shares: x coordinates are the non-zero bytes.  */
#define SHAMIR_MAX_SHARES 255

/* Split the LEN bytes of SECRET into N shares any T of which recover it
 * (2 <= T <= N <= 255).  XS (input) holds the N x coordinates, which
 * must be non-zero and distinct; YS (output) holds N caller-provided
 * buffers of LEN bytes, which should be in secure memory.  Each secret
 * byte gets its own polynomial of degree T-1 whose T-1 upper
 * coefficients are drawn in one call of RANDOM (or gcry_randomize with
 * GCRY_STRONG_RANDOM when RANDOM is NULL) of (T-1)*LEN bytes: the
 * coefficient of x^k for byte j is byte (k-1)*LEN + j.
 * Errors: GPG_ERR_INV_VALUE (T, N or LEN out of range, an x of 0),
 * GPG_ERR_DUP_VALUE (two equal x), or an allocation error.  */
gpg_error_t shamir_split (const unsigned char *secret, size_t len,
                          unsigned int t, unsigned int n,
                          gpgpack_random_fn_t random, void *random_opaque,
                          const unsigned char *xs, unsigned char **ys);

/* Recover into SECRET (LEN bytes, caller-provided, secure memory) the
 * value at x = 0 of the polynomial through the K points (XS[i], YS[i]).
 * Recovers the secret only when K is at least the threshold used when
 * splitting; with fewer points the result is unrelated garbage.
 * Errors: GPG_ERR_MISSING_KEY (K < 2), GPG_ERR_INV_VALUE (K > 255, an x
 * of 0), GPG_ERR_DUP_VALUE (two equal x).  */
gpg_error_t shamir_combine (const unsigned char *xs,
                            const unsigned char *const *ys,
                            unsigned int k, size_t len,
                            unsigned char *secret);

#endif /*GPGPACK_SHAMIR_H*/
