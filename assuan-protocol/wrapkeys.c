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

#include "wrapkeys.h"

/* Longest custodian name an envelope takes (doc/format.md).  */
#define MAX_NAME_LEN 255

/* Copy FPR upper-cased to OUT (65 bytes) if it is 40 or 64 hex
 * digits; else return false.  */
static int
normalize_fpr (const char *fpr, char out[65])
{
  size_t len = strlen (fpr), i;

  if ((len != 40 && len != 64) || strspn (fpr, "0123456789abcdefABCDEF")
      != len)
    return 0;
  for (i = 0; i < len; i++)
    out[i] = fpr[i] >= 'a' ? fpr[i] - 'a' + 'A' : fpr[i];
  out[len] = 0;
  return 1;
}

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

/* Return the reason why the encryption-capable subkeys of KEY are all
 * unusable; GPG_ERR_UNUSABLE_PUBKEY with its text, or 0 if one is
 * good.  */
static gpg_error_t
check_subkeys (ctrl_t ctrl, gpgme_key_t key)
{
  gpgme_subkey_t sub, expired = NULL;
  int any = 0;
  char date[16];

  for (sub = key->subkeys; sub; sub = sub->next)
    {
      if (!sub->can_encrypt)
        continue;
      any = 1;
      if (!sub->revoked && !sub->expired && !sub->disabled && !sub->invalid)
        return 0;
      if (sub->expired)
        expired = sub;
    }
  if (expired)
    return server_error (ctrl, gpg_error (GPG_ERR_UNUSABLE_PUBKEY),
                         "wrap key %s has no valid encryption subkey"
                         " (%s expired on %s); its owner must extend it"
                         " or add one", key->fpr, expired->fpr,
                         format_date (expired->expires, date));
  return server_error (ctrl, gpg_error (GPG_ERR_UNUSABLE_PUBKEY),
                       "wrap key %s has no valid encryption subkey (%s);"
                       " its owner must add one", key->fpr,
                       any ? "all are revoked or invalid" : "it can only sign");
}

/* Judge the key KEY found for the wrap key FPR.  */
static gpg_error_t
check_key (ctrl_t ctrl, const char *fpr, gpgme_key_t key)
{
  char date[16];

  if (strcasecmp (key->fpr, fpr))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_NAME),
                         "wrap key %s is a subkey of %s; give the primary"
                         " key's fingerprint", fpr, key->fpr);
  if (key->revoked)
    return server_error (ctrl, gpg_error (GPG_ERR_CERT_REVOKED),
                         "wrap key %s is revoked; ask its custodian for"
                         " their current key", fpr);
  if (key->expired)
    return server_error (ctrl, gpg_error (GPG_ERR_KEY_EXPIRED),
                         "wrap key %s expired on %s; its owner must extend"
                         " it (gpg --quick-set-expire) and send it again", fpr,
                         format_date (key->subkeys->expires, date));
  if (key->disabled)
    return server_error (ctrl, gpg_error (GPG_ERR_KEY_DISABLED),
                         "wrap key %s is disabled in this keyring;"
                         " enable it (gpg --edit-key %s enable)", fpr, fpr);
  if (key->invalid)
    return server_error (ctrl, gpg_error (GPG_ERR_BAD_PUBKEY),
                         "wrap key %s is invalid (gpg --check-signatures %s"
                         " shows why)", fpr, fpr);
  return check_subkeys (ctrl, key);
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

/* Judge the key found for wrap key I of KEYS and note its name.  */
static gpg_error_t
judge_key (ctrl_t ctrl, wrapkeys_t *keys, unsigned int i,
           gpgme_key_t *found, unsigned int nfound)
{
  gpgme_key_t key = find_key (found, nfound, keys->fprs[i]);
  gpg_error_t err;

  if (!key)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_PUBKEY),
                         "wrap key %s is not in the keyring; import the"
                         " custodian's public key first", keys->fprs[i]);
  err = check_key (ctrl, keys->fprs[i], key);
  if (err)
    return err;
  keys->names[i] = custodian_name (key);
  return keys->names[i] ? 0 : gpg_error_from_syserror ();
}

/* List the keys of the fingerprints in KEYS with one gpg run into
 * FOUND (room for KEYS->count) and judge each.  */
static gpg_error_t
lookup_keys (ctrl_t ctrl, gpgme_ctx_t ctx, wrapkeys_t *keys,
             gpgme_key_t *found)
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
    err = server_error (ctrl, err, "can't list the wrap keys");
  gpgme_op_keylist_end (ctx);
  for (i = 0; i < keys->count && !err; i++)
    err = judge_key (ctrl, keys, i, found, nfound);
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

/* Take the fingerprint GIVEN as wrap key I into KEYS, normalized.  */
static gpg_error_t
add_fpr (ctrl_t ctrl, wrapkeys_t *keys, unsigned int i, const char *given)
{
  char fpr[65];

  if (!normalize_fpr (given, fpr))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_USER_ID),
                         "wrap key '%s' is not a fingerprint; give the"
                         " full 40 or 64 hex digits (gpg -k"
                         " --with-colons shows them)", given);
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
    err = add_fpr (ctrl, r_keys, i, given[i]);
  for (i = 0; i < n && !err && !allow_same; i++)
    err = check_duplicate (ctrl, r_keys, i);
  if (!err)
    err = lookup_keys (ctrl, ctx, r_keys, found);
  if (err)
    wrapkeys_release (r_keys);
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
