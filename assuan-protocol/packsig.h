/* packsig.h - detached OpenPGP signatures over packs, with GPGME */
#ifndef GPGPACKD_PACKSIG_H
#define GPGPACKD_PACKSIG_H

#include "gpgpackd.h"
#include "outfile.h"
#include "packio.h"

/* The signature of PACKFILE is PACKFILE PACKSIG_EXT.  */
#define PACKSIG_EXT ".sig"
/* Bound of a signature file or INQUIRE SIGNATURE answer.  */
#define PACKSIG_MAX_LEN 65536

/* What a signature check found.  CODE is 0 for a valid signature by
 * the key asked for, else GPG_ERR_NO_DATA (no signature),
 * GPG_ERR_BAD_SIGNATURE, GPG_ERR_KEY_EXPIRED, GPG_ERR_SIG_EXPIRED,
 * GPG_ERR_CERT_REVOKED, GPG_ERR_NOT_TRUSTED (signed by another key)
 * or the error gpg gave.  SIGNER is the signing key's primary
 * fingerprint (its key id if it is not in the keyring), "" if none.  */
typedef struct packsig_verdict
{
  gpg_err_code_t code;
  char signer[65];
} packsig_verdict_t;

/* Write an armored detached signature by the secret key FPR (checked
 * with wrapkeys_check_signer) over the data readable from FD to OUT;
 * the key's passphrase is asked as for exports (keypass.c).  */
gpg_error_t packsig_sign (ctrl_t ctrl, const char *fpr, int fd,
                          outfile_t out);

/* Judge the signatures SIGS of a verify result of CTX: the one by
 * WANT (a primary fingerprint; NULL: the first one) to R_VERDICT.  */
void packsig_judge (gpgme_ctx_t ctx, gpgme_signature_t sigs,
                    const char *want, packsig_verdict_t *r_verdict);

/* Turn VERDICT on WHAT ("the pack", "share 2 (FILE)") into the
 * client's error for the --verify-key WANT; 0 if it is valid.  */
gpg_error_t packsig_error (ctrl_t ctrl, const packsig_verdict_t *verdict,
                           const char *what, const char *want);

/* Check the --verify-key GIVEN: a primary fingerprint of a key in
 * CTX's keyring; upper-cased to R_FPR.  */
gpg_error_t packsig_check_verify_key (ctrl_t ctrl, gpgme_ctx_t ctx,
                                      const char *given, char r_fpr[65]);

/* Get the signature of a pack into R_SIG: from SIGFILE, else from
 * PACKFILE PACKSIG_EXT, else (both NULL) by INQUIRE SIGNATURE.  A
 * missing signature is GPG_ERR_NO_DATA (R_SIG empty); with QUIET no
 * error text is set for it.  */
gpg_error_t packsig_get (ctrl_t ctrl, const char *sigfile,
                         const char *packfile, int quiet, secbuf_t *r_sig);

/* Verify SIG over DATA (LEN bytes) with CTX; the verdict on the
 * signature by WANT (NULL: the first) to R_VERDICT.  */
gpg_error_t packsig_verify (ctrl_t ctrl, gpgme_ctx_t ctx, const void *data,
                            size_t len, const secbuf_t *sig,
                            const char *want, packsig_verdict_t *r_verdict);

/* PACK_INFO: if SIGFILE is given or PACKFILE PACKSIG_EXT exists,
 * verify it over DATA (LEN bytes) and emit status SIGNER <fpr|->
 * good|bad|expired-key|expired|revoked|no-pubkey|none|invalid.  */
gpg_error_t packsig_describe (ctrl_t ctrl, const char *sigfile,
                              const char *packfile, const void *data,
                              size_t len);

#endif /*GPGPACKD_PACKSIG_H*/
