/* wrapkey.c - may a share be encrypted to this key? (GPGME key listing) */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wrapkey.h"

/* True if FPR is 40 or 64 hex digits.  */
static int
full_fingerprint (const char *fpr)
{
  size_t len = strspn (fpr, "0123456789abcdefABCDEF");

  return !fpr[len] && (len == 40 || len == 64);
}

/* True if KEY has a subkey that can encrypt now.  */
static int
can_encrypt_now (gpgme_key_t key)
{
  gpgme_subkey_t sub;

  for (sub = key->subkeys; sub; sub = sub->next)
    if (sub->can_encrypt && !sub->revoked && !sub->expired
        && !sub->disabled && !sub->invalid)
      return 1;
  return 0;
}

/* The reason KEY (the key FPR) cannot receive a share, or 0.  */
static gpg_error_t
refuse_key (ctrl_t ctrl, const char *what, const char *fpr, gpgme_key_t key)
{
  char date[32] = "?";
  time_t expires = key->subkeys ? (time_t)key->subkeys->expires : 0;

  if (key->revoked)
    return server_error (ctrl, gpg_error (GPG_ERR_CERT_REVOKED),
                         "%s %s is revoked: ask its owner for a current"
                         " key", what, fpr);
  if (key->expired)
    {
      strftime (date, sizeof date, "%Y-%m-%d", gmtime (&expires));
      return server_error (ctrl, gpg_error (GPG_ERR_KEY_EXPIRED),
                           "%s %s expired on %s: ask its owner to extend"
                           " it and import it again", what, fpr, date);
    }
  if (key->disabled)
    return server_error (ctrl, gpg_error (GPG_ERR_KEY_DISABLED),
                         "%s %s is disabled in this keyring: enable it"
                         " with gpg --edit-key", what, fpr);
  if (key->invalid)
    return server_error (ctrl, gpg_error (GPG_ERR_UNUSABLE_PUBKEY),
                         "%s %s is invalid: import it again", what, fpr);
  if (!can_encrypt_now (key))
    return server_error (ctrl, gpg_error (GPG_ERR_UNUSABLE_PUBKEY),
                         "%s %s has no valid encryption subkey (expired,"
                         " revoked or sign-only): ask its owner for one",
                         what, fpr);
  return 0;
}

gpg_error_t
wrapkey_check (ctrl_t ctrl, gpgme_ctx_t ctx, const char *what,
               const char *fpr, char **r_name)
{
  gpgme_key_t key = NULL;
  gpg_error_t err;

  if (r_name)
    *r_name = NULL;
  if (!full_fingerprint (fpr))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_USER_ID),
                         "%s '%s' is not a full fingerprint (40 or 64 hex"
                         " digits): give the key's fingerprint", what, fpr);
  UNLOCKED (err = gpgme_get_key (ctx, fpr, &key, 0));
  if (gpg_err_code (err) == GPG_ERR_EOF)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_PUBKEY),
                         "%s %s is not in the keyring: import its public"
                         " key first", what, fpr);
  if (err)
    return server_error (ctrl, err, "looking up %s %s failed", what, fpr);
  err = refuse_key (ctrl, what, fpr, key);
  if (!err && r_name)
    {
      *r_name = gpgrt_strdup (key->uids && key->uids->uid ? key->uids->uid
                                                          : fpr);
      if (!*r_name)
        err = gpg_error_from_syserror ();
    }
  gpgme_key_unref (key);
  return err;
}
