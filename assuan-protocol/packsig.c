/* packsig.c - detached OpenPGP signatures over packs, with GPGME
 *
 * An export with a sign key writes NAME<pack_ext>.sig beside the pack:
 * an armored detached signature over every byte of the pack file, so
 * that stock "gpg --verify" checks it.  An import with --verify-key
 * verifies it over the pack as read, before the pack is opened; the
 * verdict names why a signature does not do (doc/protocol.md).
 */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fpr.h"
#include "packsig.h"
#include "keyring.h"
#include "wrapkeys.h"

/* Sign IN with CTX's signer as a detached signature into R_SIG,
 * asking a passphrase again after a wrong one (keypass_retry).  */
static gpg_error_t
sign_data (ctrl_t ctrl, gpgme_ctx_t ctx, gpgme_data_t in,
           gpgme_data_t *r_sig)
{
  gpgme_sign_result_t res;
  gpg_error_t err;
  int tries = 0;

  for (;;)
    {
      err = gpgme_data_new (r_sig);
      if (err)
        return err;
      UNLOCKED (err = gpgme_op_sign (ctx, in, *r_sig,
                                     GPGME_SIG_MODE_DETACH));
      if (!keypass_retry (ctrl, err, ++tries))
        break;
      gpgme_data_release (*r_sig);
      *r_sig = NULL;
      gpgme_data_seek (in, 0, SEEK_SET);
    }
  res = err ? NULL : gpgme_op_sign_result (ctx);
  if (!err && (!res || res->invalid_signers || !res->signatures))
    err = gpg_error (GPG_ERR_UNUSABLE_SECKEY);
  return err;
}

/* The client's error for signing with FPR that failed with ERR.  */
static gpg_error_t
sign_error (ctrl_t ctrl, gpg_error_t err, const char *fpr)
{
  switch (gpg_err_code (err))
    {
    case GPG_ERR_CANCELED:
      return server_error (ctrl, err, "the passphrase of sign key %s was"
                           " not given; nothing written", fpr);
    case GPG_ERR_BAD_PASSPHRASE:
      return server_error (ctrl, err, "wrong passphrase for sign key %s;"
                           " nothing written", fpr);
    default:
      return server_error (ctrl, err, "signing the pack with %s failed;"
                           " nothing written", fpr);
    }
}

gpg_error_t
packsig_sign (ctrl_t ctrl, const char *fpr, int fd, outfile_t out)
{
  gpgme_data_t in = NULL, sig = NULL;
  gpgme_ctx_t ctx = NULL;
  gpgme_key_t key = NULL;
  size_t len = 0;
  char *mem;
  gpg_error_t err;

  err = keyring_new_context (ctrl, &ctx);
  if (!err)
    UNLOCKED (err = gpgme_get_key (ctx, fpr, &key, 1));
  if (!err)
    {
      gpgme_set_armor (ctx, 1);
      err = gpgme_signers_add (ctx, key);
    }
  if (!err)
    err = gpgme_data_new_from_fd (&in, fd);
  if (!err)
    err = sign_data (ctrl, ctx, in, &sig);
  mem = err ? NULL : gpgme_data_release_and_get_mem (sig, &len);
  if (!err)
    err = mem ? outfile_write (out, mem, len) : gpg_error (GPG_ERR_NO_DATA);
  else
    {
      gpgme_data_release (sig);
      err = sign_error (ctrl, err, fpr);
    }
  gpgme_free (mem);
  gpgme_data_release (in);
  gpgme_key_unref (key);
  gpgme_release (ctx);
  return err;
}

/* The primary fingerprint of the key of FPR (a fingerprint or key id)
 * in CTX's keyring to OUT, else FPR itself.  */
static void
primary_of (gpgme_ctx_t ctx, const char *fpr, char out[65])
{
  gpgme_key_t key;
  gpg_error_t err;

  UNLOCKED (err = gpgme_get_key (ctx, fpr, &key, 0));
  snprintf (out, 65, "%s", !err && key->fpr ? key->fpr : fpr ? fpr : "?");
  if (!err)
    gpgme_key_unref (key);
}

/* The verdict code of the signature SIG.  */
static gpg_err_code_t
sig_code (gpgme_signature_t sig)
{
  gpg_err_code_t code = gpg_err_code (sig->status);

  if (sig->summary & GPGME_SIGSUM_KEY_REVOKED)
    return GPG_ERR_CERT_REVOKED;
  if (!code && (sig->summary & GPGME_SIGSUM_KEY_EXPIRED))
    return GPG_ERR_KEY_EXPIRED;
  return code;
}

void
packsig_judge (gpgme_ctx_t ctx, gpgme_signature_t sigs, const char *want,
               packsig_verdict_t *r_verdict)
{
  gpgme_signature_t sig;
  char primary[65];

  memset (r_verdict, 0, sizeof *r_verdict);
  r_verdict->code = GPG_ERR_NO_DATA;
  for (sig = sigs; sig; sig = sig->next)
    {
      primary_of (ctx, sig->fpr, primary);
      if (want && strcasecmp (primary, want))
        {
          if (!*r_verdict->signer)
            {
              strcpy (r_verdict->signer, primary);
              r_verdict->code = GPG_ERR_NOT_TRUSTED;
            }
          continue;
        }
      strcpy (r_verdict->signer, primary);
      r_verdict->code = sig_code (sig);
      return;
    }
}

gpg_error_t
packsig_error (ctrl_t ctrl, const packsig_verdict_t *verdict,
               const char *what, const char *want)
{
  gpg_error_t err = gpg_error (verdict->code);
  const char *by = verdict->signer;

  switch (verdict->code)
    {
    case GPG_ERR_NO_ERROR:
      return 0;
    case GPG_ERR_NO_DATA:
      return server_error (ctrl, err, "%s carries no signature; ask its"
                           " sender for one made with --sign-key=%s", what,
                           want);
    case GPG_ERR_BAD_SIGNATURE:
      return server_error (ctrl, err, "the signature by %s does not match"
                           " %s: it was changed after signing; do not"
                           " import it", by, what);
    case GPG_ERR_KEY_EXPIRED:
      return server_error (ctrl, err, "%s is signed by %s, whose key has"
                           " expired; the signer must extend it (gpg"
                           " --quick-set-expire) and send it again", what, by);
    case GPG_ERR_CERT_REVOKED:
      return server_error (ctrl, err, "%s is signed by %s, whose key is"
                           " revoked; do not import it", what, by);
    case GPG_ERR_NOT_TRUSTED:
      return server_error (ctrl, err, "%s is signed by %s, not by the"
                           " --verify-key %s; do not import it", what, by,
                           want);
    default:
      return server_error (ctrl, err, "the signature by %s on %s is not"
                           " valid", by, what);
    }
}

gpg_error_t
packsig_check_verify_key (ctrl_t ctrl, gpgme_ctx_t ctx, const char *given,
                          char r_fpr[65])
{
  gpgme_key_t key;
  gpg_error_t err;

  if (!fpr_normalize (given, 1, r_fpr))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_USER_ID),
                         "verify key '%s' is not a fingerprint; give the"
                         " full 40 or 64 hex digits", given);
  UNLOCKED (err = gpgme_get_key (ctx, r_fpr, &key, 0));
  if (gpg_err_code (err) == GPG_ERR_EOF)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_PUBKEY),
                         "verify key %s is not in the keyring; import the"
                         " signer's public key first", r_fpr);
  if (err)
    return server_error (ctrl, err, "can't look up the verify key %s",
                         r_fpr);
  if (strcasecmp (key->fpr, r_fpr))
    err = server_error (ctrl, gpg_error (GPG_ERR_INV_NAME),
                        "verify key %s is a subkey of %s; give the primary"
                        " key's fingerprint", r_fpr, key->fpr);
  gpgme_key_unref (key);
  return err;
}

/* INQUIRE SIGNATURE into R_SIG; an empty answer is no signature.  */
static gpg_error_t
inquire_signature (ctrl_t ctrl, secbuf_t *r_sig)
{
  unsigned char *value;
  size_t len;
  gpg_error_t err;

  err = server_inquire (ctrl, "SIGNATURE", PACKSIG_MAX_LEN, 0, &value, &len);
  if (!err && len)
    err = secbuf_append (r_sig, value, len);
  else if (!err)
    err = server_error (ctrl, gpg_error (GPG_ERR_NO_DATA), "the pack has"
                        " no signature: INQUIRE SIGNATURE got an empty"
                        " answer; send the pack's .sig file");
  assuan_free (ctrl->assuan, value);
  return err;
}

gpg_error_t
packsig_get (ctrl_t ctrl, const char *sigfile, const char *packfile,
             int quiet, secbuf_t *r_sig)
{
  char *name;
  gpg_error_t err;

  memset (r_sig, 0, sizeof *r_sig);
  if (!sigfile && !packfile)
    return inquire_signature (ctrl, r_sig);
  if (sigfile)
    return packio_read_file (ctrl, sigfile, PACKSIG_MAX_LEN, 0, r_sig);
  name = gpgrt_strconcat (packfile, PACKSIG_EXT, NULL);
  if (!name)
    return gpg_error_from_syserror ();
  if (access (name, F_OK))
    err = quiet ? gpg_error (GPG_ERR_NO_DATA)
          : server_error (ctrl, gpg_error (GPG_ERR_NO_DATA), "the pack has"
                          " no signature: '%s' does not exist; give the"
                          " signature with --signature=FILE", name);
  else
    err = packio_read_file (ctrl, name, PACKSIG_MAX_LEN, 0, r_sig);
  gpgrt_free (name);
  return err;
}

/* The word of PACK_INFO's SIGNER status for the verdict CODE.  */
static const char *
verdict_word (gpg_err_code_t code)
{
  switch (code)
    {
    case GPG_ERR_NO_ERROR:      return "good";
    case GPG_ERR_BAD_SIGNATURE: return "bad";
    case GPG_ERR_KEY_EXPIRED:   return "expired-key";
    case GPG_ERR_SIG_EXPIRED:   return "expired";
    case GPG_ERR_CERT_REVOKED:  return "revoked";
    case GPG_ERR_NO_PUBKEY:     return "no-pubkey";
    case GPG_ERR_NO_DATA:       return "none";
    default:                    return "invalid";
    }
}

gpg_error_t
packsig_describe (ctrl_t ctrl, const char *sigfile, const char *packfile,
                  const void *data, size_t len)
{
  packsig_verdict_t verdict;
  gpgme_ctx_t ctx = NULL;
  secbuf_t sig;
  gpg_error_t err;

  if (!sigfile && !packfile)
    return 0;
  err = packsig_get (ctrl, sigfile, packfile, 1, &sig);
  if (gpg_err_code (err) == GPG_ERR_NO_DATA && !sigfile)
    return 0;
  if (!err)
    err = keyring_new_context (ctrl, &ctx);
  if (!err)
    err = packsig_verify (ctrl, ctx, data, len, &sig, NULL, &verdict);
  if (!err)
    err = server_status (ctrl, "SIGNER", "%s %s",
                         *verdict.signer ? verdict.signer : "-",
                         verdict_word (verdict.code));
  gpgme_release (ctx);
  secbuf_release (&sig);
  return err;
}

gpg_error_t
packsig_verify (ctrl_t ctrl, gpgme_ctx_t ctx, const void *data, size_t len,
                const secbuf_t *sig, const char *want,
                packsig_verdict_t *r_verdict)
{
  gpgme_data_t sigdata = NULL, text = NULL;
  gpgme_verify_result_t res;
  gpg_error_t err;

  memset (r_verdict, 0, sizeof *r_verdict);
  r_verdict->code = GPG_ERR_NO_DATA;
  err = gpgme_data_new_from_mem (&sigdata, (const char *) sig->data,
                                 sig->len, 0);
  if (!err)
    err = gpgme_data_new_from_mem (&text, data, len, 0);
  if (!err)
    UNLOCKED (err = gpgme_op_verify (ctx, sigdata, text, NULL));
  res = err ? NULL : gpgme_op_verify_result (ctx);
  if (res)
    packsig_judge (ctx, res->signatures, want, r_verdict);
  if (gpg_err_code (err) == GPG_ERR_NO_DATA)
    err = 0;          /* Not an OpenPGP signature: the verdict says so.  */
  else if (err)
    err = server_error (ctrl, err, "can't verify the pack's signature");
  gpgme_data_release (text);
  gpgme_data_release (sigdata);
  return err;
}
