/* wrapkeys.c - the custodians' keys of share mode, checked with GPGME
 *
 * Every share is encrypted to one wrap key; a share encrypted to a key
 * its custodian can no longer use is lost (Vault wrote unseal keys to
 * expired subkeys, hashicorp/vault#2372).  So every wrap key is looked
 * up and judged here, before anything is exported or written.
 */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fpr.h"
#include "wrapkeys.h"

/* Longest custodian name an envelope takes (doc/format.md).  */
#define MAX_NAME_LEN 255

/* What a key is checked for: its name in messages and whether it must
 * sign (a sign key) or encrypt (a wrap key).  */
typedef struct keyuse
{
  const char *what;
  int sign;
} keyuse_t;

static const keyuse_t wrap_use = { "wrap key", 0 };
static const keyuse_t sign_use = { "sign key", 1 };

/* Write the UTC date of T as YYYY-MM-DD to BUF.  */
static const char *
format_date (long t, char buf[16])
{
  time_t tt = t;
  struct tm tm;

  if (!gmtime_r (&tt, &tm) || !strftime (buf, 16, "%Y-%m-%d", &tm))
    strcpy (buf, "?");
  return buf;
}

/* Return the reason why the subkeys of KEY capable of USE are all
 * unusable; GPG_ERR_UNUSABLE_PUBKEY with its text, or 0 if one is
 * good.  */
static gpg_error_t
check_subkeys (ctrl_t ctrl, const keyuse_t *use, gpgme_key_t key)
{
  const char *cap = use->sign ? "signing" : "encryption";
  gpgme_subkey_t sub, expired = NULL;
  int any = 0;
  char date[16];

  for (sub = key->subkeys; sub; sub = sub->next)
    {
      if (use->sign ? !sub->can_sign : !sub->can_encrypt)
        continue;
      any = 1;
      if (!sub->revoked && !sub->expired && !sub->disabled && !sub->invalid)
        return 0;
      if (sub->expired)
        expired = sub;
    }
  if (expired)
    return server_error (ctrl, gpg_error (GPG_ERR_UNUSABLE_PUBKEY),
                         "%s %s has no valid %s subkey"
                         " (%s expired on %s); its owner must extend it"
                         " or add one", use->what, key->fpr, cap,
                         expired->fpr, format_date (expired->expires, date));
  return server_error (ctrl, gpg_error (GPG_ERR_UNUSABLE_PUBKEY),
                       "%s %s has no valid %s subkey (%s);"
                       " its owner must add one", use->what, key->fpr, cap,
                       any ? "all are revoked or invalid"
                       : use->sign ? "it can only encrypt"
                       : "it can only sign");
}

/* Judge the key KEY found for the USE key FPR.  */
static gpg_error_t
check_key (ctrl_t ctrl, const keyuse_t *use, const char *fpr,
           gpgme_key_t key)
{
  const char *what = use->what;
  char date[16];

  if (strcasecmp (key->fpr, fpr))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_NAME),
                         "%s %s is a subkey of %s; give the primary"
                         " key's fingerprint", what, fpr, key->fpr);
  if (key->revoked)
    return server_error (ctrl, gpg_error (GPG_ERR_CERT_REVOKED),
                         "%s %s is revoked; use its owner's current key",
                         what, fpr);
  if (key->expired)
    return server_error (ctrl, gpg_error (GPG_ERR_KEY_EXPIRED),
                         "%s %s expired on %s; its owner must extend"
                         " it (gpg --quick-set-expire) and send it again",
                         what, fpr, format_date (key->subkeys->expires, date));
  if (key->disabled)
    return server_error (ctrl, gpg_error (GPG_ERR_KEY_DISABLED),
                         "%s %s is disabled in this keyring;"
                         " enable it (gpg --edit-key %s enable)",
                         what, fpr, fpr);
  if (key->invalid)
    return server_error (ctrl, gpg_error (GPG_ERR_BAD_PUBKEY),
                         "%s %s is invalid (gpg --check-signatures %s"
                         " shows why)", what, fpr, fpr);
  return check_subkeys (ctrl, use, key);
}

/* True if NAME can stand on an envelope's For: line.  */
static int
usable_name (const char *name)
{
  const unsigned char *s;

  if (!name || !*name || strlen (name) > MAX_NAME_LEN)
    return 0;
  for (s = (const unsigned char *) name; *s; s++)
    if (*s < 0x20 || *s == 0x7f)
      return 0;
  return 1;
}

/* The custodian's name for KEY: its first valid user id, else its
 * fingerprint; malloced.  */
static char *
custodian_name (gpgme_key_t key)
{
  gpgme_user_id_t uid;

  for (uid = key->uids; uid; uid = uid->next)
    if (!uid->revoked && !uid->invalid && usable_name (uid->uid))
      return gpgrt_strdup (uid->uid);
  return gpgrt_strdup (key->fpr);
}

/* The key of FOUND (NFOUND keys) whose primary key or a subkey has
 * the fingerprint FPR, or NULL.  */
static gpgme_key_t
find_key (gpgme_key_t *found, unsigned int nfound, const char *fpr)
{
  gpgme_subkey_t sub;
  unsigned int i;

  for (i = 0; i < nfound; i++)
    for (sub = found[i]->subkeys; sub; sub = sub->next)
      if (sub->fpr && !strcasecmp (sub->fpr, fpr))
        return found[i];
  return NULL;
}

/* Judge the key found for USE key I of KEYS and note its name.  */
static gpg_error_t
judge_key (ctrl_t ctrl, const keyuse_t *use, wrapkeys_t *keys,
           unsigned int i, gpgme_key_t *found, unsigned int nfound)
{
  gpgme_key_t key = find_key (found, nfound, keys->fprs[i]);
  gpg_error_t err;

  if (!key)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_PUBKEY),
                         "%s %s is not in the keyring; import its owner's"
                         " public key first", use->what, keys->fprs[i]);
  err = check_key (ctrl, use, keys->fprs[i], key);
  if (err)
    return err;
  keys->names[i] = custodian_name (key);
  return keys->names[i] ? 0 : gpg_error_from_syserror ();
}

/* List the keys of the fingerprints in KEYS with one gpg run into
 * FOUND (room for KEYS->count) and judge each for USE.  */
static gpg_error_t
lookup_keys (ctrl_t ctrl, gpgme_ctx_t ctx, const keyuse_t *use,
             wrapkeys_t *keys, gpgme_key_t *found)
{
  const char *patterns[WRAPKEYS_MAX + 1];
  unsigned int i, nfound = 0;
  gpgme_key_t key;
  gpg_error_t err;

  memcpy (patterns, keys->fprs, keys->count * sizeof *patterns);
  patterns[keys->count] = NULL;
  UNLOCKED (err = gpgme_op_keylist_ext_start (ctx, patterns, 0, 0));
  while (!err)
    {
      UNLOCKED (err = gpgme_op_keylist_next (ctx, &key));
      if (!err && nfound == keys->count)
        gpgme_key_unref (key);   /* A key listed twice.  */
      else if (!err)
        found[nfound++] = key;
    }
  if (gpg_err_code (err) == GPG_ERR_EOF)
    err = 0;
  else
    err = server_error (ctrl, err, "can't list the %ss", use->what);
  gpgme_op_keylist_end (ctx);
  for (i = 0; i < keys->count && !err; i++)
    err = judge_key (ctrl, use, keys, i, found, nfound);
  for (i = 0; i < nfound; i++)
    gpgme_key_unref (found[i]);
  return err;
}

/* Refuse the wrap key of share I if an earlier share has it too.  */
static gpg_error_t
check_duplicate (ctrl_t ctrl, const wrapkeys_t *keys, unsigned int i)
{
  unsigned int j;

  for (j = 0; j < i; j++)
    if (!strcmp (keys->fprs[j], keys->fprs[i]))
      return server_error (ctrl, gpg_error (GPG_ERR_DUP_VALUE),
                           "wrap key %s is given for shares %u and %u;"
                           " one custodian would hold two shares: add"
                           " --allow-same-custodian if that is meant",
                           keys->fprs[i], j + 1, i + 1);
  return 0;
}

/* Take the fingerprint GIVEN as USE key I into KEYS, normalized.  */
static gpg_error_t
add_fpr (ctrl_t ctrl, const keyuse_t *use, wrapkeys_t *keys, unsigned int i,
         const char *given)
{
  char fpr[65];

  if (!fpr_normalize (given, 1, fpr))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_USER_ID),
                         "%s '%s' is not a fingerprint; give the"
                         " full 40 or 64 hex digits (gpg -k"
                         " --with-colons shows them)", use->what, given);
  keys->fprs[i] = gpgrt_strdup (fpr);
  if (!keys->fprs[i])
    return gpg_error_from_syserror ();
  keys->count = i + 1;
  return 0;
}

gpg_error_t
wrapkeys_check (ctrl_t ctrl, gpgme_ctx_t ctx, const char *const *given,
                unsigned int n, int allow_same, wrapkeys_t *r_keys)
{
  gpgme_key_t found[WRAPKEYS_MAX];
  gpg_error_t err = 0;
  unsigned int i;

  memset (r_keys, 0, sizeof *r_keys);
  if (n > WRAPKEYS_MAX)
    return gpg_error (GPG_ERR_TOO_MANY);
  for (i = 0; i < n && !err; i++)
    err = add_fpr (ctrl, &wrap_use, r_keys, i, given[i]);
  for (i = 0; i < n && !err && !allow_same; i++)
    err = check_duplicate (ctrl, r_keys, i);
  if (!err)
    err = lookup_keys (ctrl, ctx, &wrap_use, r_keys, found);
  if (err)
    wrapkeys_release (r_keys);
  return err;
}

/* Refuse the sign key FPR unless CTX's keyring has its secret part.  */
static gpg_error_t
check_secret (ctrl_t ctrl, gpgme_ctx_t ctx, const char *fpr)
{
  gpgme_key_t key;
  gpg_error_t err;

  UNLOCKED (err = gpgme_get_key (ctx, fpr, &key, 1));
  if (!err)
    {
      gpgme_key_unref (key);
      return 0;
    }
  if (gpg_err_code (err) == GPG_ERR_EOF)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_SECKEY),
                         "sign key %s has no secret part in this keyring;"
                         " sign with a key of your own", fpr);
  return server_error (ctrl, err, "can't look up the sign key %s", fpr);
}

gpg_error_t
wrapkeys_check_signer (ctrl_t ctrl, gpgme_ctx_t ctx, const char *given,
                       char r_fpr[65])
{
  gpgme_key_t found[1];
  wrapkeys_t keys;
  gpg_error_t err;

  memset (&keys, 0, sizeof keys);
  err = add_fpr (ctrl, &sign_use, &keys, 0, given);
  if (!err)
    err = lookup_keys (ctrl, ctx, &sign_use, &keys, found);
  if (!err)
    err = check_secret (ctrl, ctx, keys.fprs[0]);
  if (!err)
    strcpy (r_fpr, keys.fprs[0]);
  wrapkeys_release (&keys);
  return err;
}

void
wrapkeys_release (wrapkeys_t *keys)
{
  unsigned int i;

  for (i = 0; i < keys->count; i++)
    {
      gpgrt_free (keys->fprs[i]);
      gpgrt_free (keys->names[i]);
    }
  memset (keys, 0, sizeof *keys);
}
