/* keyring.c - keyring access of gpgpackd through GPGME
 *
 * GPGME blocks in plain syscalls, so every GPGME operation runs with
 * the nPth lock released (npth_unprotect) and the callbacks GPGME calls
 * meanwhile (data writes, passphrases) take it back first.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <locale.h>

#include "keyring.h"

/* Run EXPR with the nPth lock released.  */
#define UNLOCKED(expr) \
  do { npth_unprotect (); expr; npth_protect (); } while (0)

/* Return a malloced copy of S with blanks, controls and '%' escaped.  */
static char *
percent_escape (const char *s)
{
  char *result = gpgrt_malloc (3 * strlen (s) + 1);
  char *d = result;

  if (!result)
    return NULL;
  for (; *s; s++)
    {
      if ((unsigned char)*s <= ' ' || *s == '%' || *s == 0x7f)
        d += sprintf (d, "%%%02X", (unsigned char)*s);
      else
        *d++ = *s;
    }
  *d = 0;
  return result;
}

/* GPGME passphrase callback for pinentry-mode loopback: ask the client
 * with INQUIRE KEY_PASSPHRASE <uid_hint>.  */
static gpgme_error_t
passphrase_cb (void *opaque, const char *uid_hint, const char *info,
               int prev_was_bad, int fd)
{
  ctrl_t ctrl = opaque;
  char *hint, *keyword = NULL;
  unsigned char *pass = NULL;
  size_t passlen = 0;
  gpg_error_t err;

  npth_protect ();
  hint = percent_escape (uid_hint? uid_hint : "");
  if (hint)
    keyword = gpgrt_bsprintf ("KEY_PASSPHRASE %s", hint);
  if (!keyword)
    err = gpg_error_from_syserror ();
  else
    err = server_inquire (ctrl, keyword, MAX_PASSPHRASE_LEN, 1,
                          &pass, &passlen);
  gpgrt_free (keyword);
  gpgrt_free (hint);
  npth_unprotect ();
  if (!err && (gpgme_io_writen (fd, pass, passlen)
               || gpgme_io_writen (fd, "\n", 1)))
    err = gpg_error_from_syserror ();
  server_free_secret (pass, passlen);
  return err;
}

gpg_error_t
keyring_new_context (ctrl_t ctrl, gpgme_ctx_t *r_ctx)
{
  gpgme_ctx_t ctx;
  gpg_error_t err;

  *r_ctx = NULL;
  err = gpgme_new (&ctx);
  if (err)
    return err;
  err = gpgme_set_protocol (ctx, GPGME_PROTOCOL_OpenPGP);
  if (!err)
    err = gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_OpenPGP, NULL,
                                     opt.homedir);
  if (!err)
    err = gpgme_set_pinentry_mode (ctx, ctrl->pinentry_mode);
  if (!err && ctrl->lc_ctype)
    err = gpgme_set_locale (ctx, LC_CTYPE, ctrl->lc_ctype);
  if (!err && ctrl->lc_messages)
    err = gpgme_set_locale (ctx, LC_MESSAGES, ctrl->lc_messages);
  if (err)
    {
      gpgme_release (ctx);
      return err;
    }
  if (ctrl->pinentry_mode == GPGME_PINENTRY_MODE_LOOPBACK)
    gpgme_set_passphrase_cb (ctx, passphrase_cb, ctrl);
  *r_ctx = ctx;
  return 0;
}

/* Append KEY to KEYS unless a key of the same fingerprint is there;
 * KEYS takes over the reference.  */
static gpg_error_t
add_key (keyring_keys_t *keys, gpgme_key_t key)
{
  gpgme_key_t *newkeys;
  unsigned int i;

  for (i = 0; i < keys->count; i++)
    if (!strcmp (keys->keys[i]->fpr, key->fpr))
      {
        gpgme_key_unref (key);
        return 0;
      }
  newkeys = gpgrt_realloc (keys->keys, (keys->count + 2) * sizeof *newkeys);
  if (!newkeys)
    return gpg_error_from_syserror ();
  keys->keys = newkeys;
  keys->keys[keys->count++] = key;
  keys->keys[keys->count] = NULL;
  return 0;
}

/* Add the keys matching PATTERN to KEYS; SECRET_ONLY lists only keys
 * with a secret part.  Return the number of matches at R_N.  */
static gpg_error_t
list_pattern (gpgme_ctx_t ctx, const char *pattern, int secret_only,
              keyring_keys_t *keys, unsigned int *r_n)
{
  gpgme_key_t key;
  gpg_error_t err;

  *r_n = 0;
  UNLOCKED (err = gpgme_op_keylist_start (ctx, pattern, secret_only));
  while (!err)
    {
      UNLOCKED (err = gpgme_op_keylist_next (ctx, &key));
      if (err)
        break;
      (*r_n)++;
      err = add_key (keys, key);
    }
  if (gpg_err_code (err) == GPG_ERR_EOF)
    err = 0;
  UNLOCKED (gpgme_op_keylist_end (ctx));
  return err;
}

/* Return true if FPR is in KEYS.  */
static int
has_fpr (const keyring_keys_t *keys, const char *fpr)
{
  unsigned int i;

  for (i = 0; i < keys->count; i++)
    if (!strcmp (keys->keys[i]->fpr, fpr))
      return 1;
  return 0;
}

/* Build at R_KEYS the keys of PATTERNS in order.  With SECRET the
 * secret part of each key that has one is exported; with
 * EXCLUDE_NO_SECRET keys without one are left out.  A pattern without
 * any match is GPG_ERR_NOT_FOUND naming it.  */
gpg_error_t
keyring_find_keys (ctrl_t ctrl, gpgme_ctx_t ctx, char **patterns,
                   int npatterns, int secret, int exclude_no_secret,
                   keyring_keys_t *r_keys)
{
  keyring_keys_t all = { 0 }, withsec = { 0 };
  gpg_error_t err = 0;
  unsigned int i, n;
  int p;

  memset (r_keys, 0, sizeof *r_keys);
  for (p = 0; p < npatterns && !err; p++)
    {
      err = list_pattern (ctx, patterns[p], 0, &all, &n);
      if (!err && !n)
        err = server_error (ctrl, gpg_error (GPG_ERR_NOT_FOUND),
                            "no key matches '%s'", patterns[p]);
      if (!err && secret)
        err = list_pattern (ctx, patterns[p], 1, &withsec, &n);
    }
  if (!err)
    {
      r_keys->secret = gpgrt_calloc (all.count + 1, 1);
      if (!r_keys->secret)
        err = gpg_error_from_syserror ();
    }
  for (i = 0; !err && i < all.count; i++)
    {
      int has_secret = secret && has_fpr (&withsec, all.keys[i]->fpr);

      if (exclude_no_secret && !has_secret)
        continue;
      r_keys->secret[r_keys->count] = has_secret;
      gpgme_key_ref (all.keys[i]);
      err = add_key (r_keys, all.keys[i]);
    }
  if (!err && !r_keys->count)
    err = server_error (ctrl, gpg_error (GPG_ERR_NO_SECKEY),
                        "none of the keys has a secret part");
  keyring_keys_release (&all);
  keyring_keys_release (&withsec);
  if (err)
    keyring_keys_release (r_keys);
  return err;
}

void
keyring_keys_release (keyring_keys_t *keys)
{
  unsigned int i;

  for (i = 0; i < keys->count; i++)
    gpgme_key_unref (keys->keys[i]);
  gpgrt_free (keys->keys);
  gpgrt_free (keys->secret);
  memset (keys, 0, sizeof *keys);
}

/* Return the manifest of KEYS ("FPR S|P\n" lines), malloced.  */
char *
keyring_manifest (const keyring_keys_t *keys, size_t *r_len)
{
  char *manifest = gpgrt_malloc (keys->count * 43 + 1);
  char *p = manifest;
  unsigned int i;

  if (!manifest)
    return NULL;
  for (i = 0; i < keys->count; i++)
    p += sprintf (p, "%s %c\n", keys->keys[i]->fpr,
                  keys->secret[i]? 'S' : 'P');
  *r_len = p - manifest;
  return manifest;
}

/* State of the GPGME data object that forwards exported bytes.  */
struct feed_state
{
  keyring_feed_t feed;
  void *opaque;
  gpg_error_t err;
  size_t nbytes;
};

/* GPGME write callback (called with the nPth lock released).  */
static ssize_t
feed_write_cb (void *handle, const void *buf, size_t len)
{
  struct feed_state *state = handle;

  npth_protect ();
  state->err = state->feed (state->opaque, buf, len);
  npth_unprotect ();
  if (state->err)
    {
      gpg_err_set_errno (EIO);
      return -1;
    }
  state->nbytes += len;
  return len;
}

/* Export KEYS[FIRST..LAST-1], all of the same kind, into STATE.  */
static gpg_error_t
export_run (gpgme_ctx_t ctx, const keyring_keys_t *keys,
            unsigned int first, unsigned int last, struct feed_state *state)
{
  static struct gpgme_data_cbs cbs = { NULL, feed_write_cb, NULL, NULL };
  gpgme_key_t *run;
  gpgme_data_t data;
  gpgme_export_mode_t mode = keys->secret[first]? GPGME_EXPORT_MODE_SECRET : 0;
  gpg_error_t err;
  size_t before = state->nbytes;

  run = gpgrt_calloc (last - first + 1, sizeof *run);
  if (!run)
    return gpg_error_from_syserror ();
  memcpy (run, keys->keys + first, (last - first) * sizeof *run);
  err = gpgme_data_new_from_cbs (&data, &cbs, state);
  if (!err)
    {
      UNLOCKED (err = gpgme_op_export_keys (ctx, run, mode, data));
      gpgme_data_release (data);
    }
  gpgrt_free (run);
  if (state->err)
    return state->err;
  if (!err && state->nbytes == before)
    err = gpg_error (GPG_ERR_NO_DATA);  /* gpg exported nothing.  */
  return err;
}

/* Export KEYS in order through FEED, emitting PROGRESS per run.  */
gpg_error_t
keyring_export (ctrl_t ctrl, gpgme_ctx_t ctx, const keyring_keys_t *keys,
                keyring_feed_t feed, void *feed_opaque)
{
  struct feed_state state = { feed, feed_opaque, 0, 0 };
  unsigned int first, last;
  gpg_error_t err = 0;

  for (first = 0; first < keys->count && !err; first = last)
    {
      for (last = first + 1; last < keys->count; last++)
        if (keys->secret[last] != keys->secret[first])
          break;
      err = export_run (ctx, keys, first, last, &state);
      if (err)
        err = server_error (ctrl, err, "exporting %s key %s failed",
                            keys->secret[first]? "secret" : "public",
                            keys->keys[first]->fpr);
      else
        err = server_status (ctrl, "PROGRESS", "export ? %u %u",
                             last, keys->count);
    }
  return err;
}

/* Emit IMPORTED per imported key and IMPORT_RES like gpg.  */
static gpg_error_t
report_import (ctrl_t ctrl, gpgme_import_result_t res)
{
  gpgme_import_status_t st, prev;
  gpg_error_t err = 0;

  for (st = res->imports; st && !err; st = st->next)
    {
      if (st->result || !st->fpr)
        continue;
      for (prev = res->imports; prev != st; prev = prev->next)
        if (!prev->result && prev->fpr && !strcmp (prev->fpr, st->fpr))
          break;
      if (prev == st)
        err = server_status (ctrl, "IMPORTED", "%s", st->fpr);
    }
  if (!err)
    err = server_status (ctrl, "IMPORT_RES",
                         "%d %d %d 0 %d %d %d %d %d %d %d %d %d %d %d",
                         res->considered, res->no_user_id, res->imported,
                         res->unchanged, res->new_user_ids,
                         res->new_sub_keys, res->new_signatures,
                         res->new_revocations, res->secret_read,
                         res->secret_imported, res->secret_unchanged,
                         res->skipped_new_keys, res->not_imported,
                         res->skipped_v3_keys);
  return err;
}

/* Import the authenticated key data DATA/LEN.  */
gpg_error_t
keyring_import (ctrl_t ctrl, gpgme_ctx_t ctx, const void *buf, size_t len)
{
  gpgme_data_t data;
  gpgme_import_result_t res;
  gpg_error_t err;

  err = gpgme_data_new_from_mem (&data, buf, len, 0);
  if (err)
    return err;
  UNLOCKED (err = gpgme_op_import (ctx, data));
  gpgme_data_release (data);
  if (err)
    return server_error (ctrl, err, "gpg failed to import the keys");
  res = gpgme_op_import_result (ctx);
  if (!res || !res->considered)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_DATA),
                         "the pack holds no OpenPGP keys");
  return report_import (ctrl, res);
}

/* Emit IMPORT_CANDIDATE <fpr> secret|public for the keys in BUF.  */
gpg_error_t
keyring_list_candidates (ctrl_t ctrl, gpgme_ctx_t ctx,
                         const void *buf, size_t len)
{
  gpgme_data_t data;
  gpgme_key_t key;
  gpg_error_t err;
  unsigned int n = 0;

  err = gpgme_data_new_from_mem (&data, buf, len, 0);
  if (err)
    return err;
  UNLOCKED (err = gpgme_op_keylist_from_data_start (ctx, data, 0));
  while (!err)
    {
      UNLOCKED (err = gpgme_op_keylist_next (ctx, &key));
      if (err)
        break;
      n++;
      err = server_status (ctrl, "IMPORT_CANDIDATE", "%s %s", key->fpr,
                           key->secret? "secret" : "public");
      gpgme_key_unref (key);
    }
  if (gpg_err_code (err) == GPG_ERR_EOF)
    err = 0;
  UNLOCKED (gpgme_op_keylist_end (ctx));
  gpgme_data_release (data);
  if (!err && !n)
    err = server_error (ctrl, gpg_error (GPG_ERR_NO_DATA),
                        "the pack holds no OpenPGP keys");
  return err;
}
