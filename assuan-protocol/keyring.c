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
#include <strings.h>
#include <errno.h>
#include <locale.h>

#include "fpr.h"
#include "keyring.h"
#include "cmdargs.h"
#include "sessopt.h"
#include "gpgmeloop.h"
#include "homefs.h"

/* Return 0 if GPGME found a gpg it can use; else an error with a text
 * (GPGME alone says only "Invalid crypto engine" when its first
 * operation starts).  */
static gpg_error_t
check_engine (ctrl_t ctrl)
{
  gpg_error_t err = gpg_error (GPG_ERR_INV_ENGINE);
  gpgme_engine_info_t info = NULL;

  if (!gpgme_engine_check_version (GPGME_PROTOCOL_OpenPGP))
    return 0;
  gpgme_get_engine_info (&info);
  while (info && info->protocol != GPGME_PROTOCOL_OpenPGP)
    info = info->next;
  if (!info || !info->file_name || !info->version)
    return server_error (ctrl, err, "gpg not found or not usable: check"
                         " that \"gpgconf --list-components\" lists gpg"
                         " in gpgpackd's PATH");
  return server_error (ctrl, err, "%s is gpg %s, GPGME needs %s or later:"
                       " install a newer GnuPG or check that \"gpgconf"
                       " --list-components\" lists it in gpgpackd's PATH",
                       info->file_name, info->version,
                       info->req_version ? info->req_version : "?");
}

gpg_error_t
keyring_new_context (ctrl_t ctrl, gpgme_ctx_t *r_ctx)
{
  gpgme_ctx_t ctx;
  const char *lc;
  gpg_error_t err;

  *r_ctx = NULL;
  err = check_engine (ctrl);
  if (err)
    return err;
  err = gpgme_new (&ctx);
  if (err)
    return err;
  /* The home comes with the engine info set once at start
   * (gpgme_set_engine_info): setting it again per context would make
   * GPGME run "gpg --version" every time.  */
  err = gpgme_set_protocol (ctx, GPGME_PROTOCOL_OpenPGP);
  if (!err)
    err = keypass_setup (ctrl, ctx);
  if (!err && (lc = sessopt_get (ctrl, "lc-ctype")))
    err = gpgme_set_locale (ctx, LC_CTYPE, lc);
  if (!err && (lc = sessopt_get (ctrl, "lc-messages")))
    err = gpgme_set_locale (ctx, LC_MESSAGES, lc);
  if (err)
    {
      gpgme_release (ctx);
      return err;
    }
  *r_ctx = ctx;
  return 0;
}

/* Return true if KEYS holds a key of fingerprint FPR.  */
static int
have_key (const keyring_keys_t *keys, const char *fpr)
{
  unsigned int i;

  for (i = 0; i < keys->count; i++)
    if (!strcmp (keys->keys[i].fpr, fpr))
      return 1;
  return 0;
}

/* The block of BLOCKS whose primary key or one of whose SUBKEYS has
 * the fingerprint FPR, or NULL.  */
static const keyring_key_t *
block_by_fingerprint (const keyring_keys_t *blocks,
                      const keyring_keys_t *subkeys, const char *fpr)
{
  const unsigned char *block = NULL;
  unsigned int i;

  for (i = 0; i < subkeys->count && !block; i++)
    if (!strcasecmp (subkeys->keys[i].fpr, fpr))
      block = subkeys->keys[i].block;
  for (i = 0; i < blocks->count; i++)
    if (!strcasecmp (blocks->keys[i].fpr, fpr)
        || blocks->keys[i].block == block)
      return &blocks->keys[i];
  return NULL;
}

/* Add the keys of PATTERNS, all fingerprints, to KEYS in pattern
 * order; one gpg run for all of them, its output kept by OWNER.  */
static gpg_error_t
collect_by_fingerprint (ctrl_t ctrl, gpgme_ctx_t ctx, char **patterns,
                        int npatterns, keyring_keys_t *owner,
                        keyring_keys_t *keys)
{
  keyring_keys_t blocks = { 0 }, subkeys = { 0 };
  const keyring_key_t *key;
  const char **list;
  char fpr[65];
  gpg_error_t err;
  int p;

  list = gpgrt_calloc (npatterns + 1, sizeof *list);
  if (!list)
    return gpg_error_from_syserror ();
  memcpy (list, patterns, npatterns * sizeof *list);
  err = keyring_export_public (ctx, list, owner, &blocks, &subkeys);
  if (err)
    err = server_error (ctrl, err, "exporting the keys '%s'... failed",
                        patterns[0]);
  for (p = 0; p < npatterns && !err; p++)
    {
      fpr_normalize (patterns[p], 0, fpr);
      key = block_by_fingerprint (&blocks, &subkeys, fpr);
      if (!key)
        err = server_error (ctrl, gpg_error (GPG_ERR_NOT_FOUND),
                            "no key matches '%s'", patterns[p]);
      else if (!have_key (keys, key->fpr))
        err = keyring_add_key (keys, key);
    }
  keyring_keys_release (&blocks);
  keyring_keys_release (&subkeys);
  gpgrt_free (list);
  return err;
}

/* Add the keys of PATTERNS, none of them a fingerprint, to FOUND in
 * pattern order, their key blocks kept by OWNER: one gpg run each, to
 * tell which one matches nothing.  */
static gpg_error_t
collect_by_pattern (ctrl_t ctrl, gpgme_ctx_t ctx, char **patterns,
                    int npatterns, keyring_keys_t *owner,
                    keyring_keys_t *found)
{
  const char *one[2] = { NULL, NULL };
  keyring_keys_t blocks = { 0 };
  gpg_error_t err = 0;
  unsigned int i;
  int p;

  for (p = 0; p < npatterns && !err; p++)
    {
      one[0] = patterns[p];
      blocks.count = 0;
      err = keyring_export_public (ctx, one, owner, &blocks, NULL);
      if (err)
        err = server_error (ctrl, err, "exporting the keys '%s' failed",
                            patterns[p]);
      else if (!blocks.count)
        err = server_error (ctrl, gpg_error (GPG_ERR_NOT_FOUND),
                            "no key matches '%s'", patterns[p]);
      for (i = 0; i < blocks.count && !err; i++)
        if (npatterns == 1 || !have_key (found, blocks.keys[i].fpr))
          err = keyring_add_key (found, &blocks.keys[i]);
    }
  keyring_keys_release (&blocks);
  return err;
}

/* Add the keys of PATTERNS to KEYS in pattern order, their public
 * key blocks kept by OWNER, all from one gpg run and so in the order
 * gpg exports them.  Fingerprints are exported with one gpg run;
 * other patterns need one run each to tell which one matches nothing,
 * and if there are several, one more run for all the keys found.  */
static gpg_error_t
collect_keys (ctrl_t ctrl, gpgme_ctx_t ctx, char **patterns, int npatterns,
              keyring_keys_t *owner, keyring_keys_t *keys)
{
  keyring_keys_t found = { 0 }, each = { 0 };
  char **fprs = NULL, fpr[65];
  gpg_error_t err;
  unsigned int i;
  int p;

  for (p = 0; p < npatterns && fpr_normalize (patterns[p], 0, fpr); p++)
    ;
  if (p == npatterns)
    return collect_by_fingerprint (ctrl, ctx, patterns, npatterns,
                                   owner, keys);
  if (npatterns == 1)
    return collect_by_pattern (ctrl, ctx, patterns, 1, owner, keys);
  err = collect_by_pattern (ctrl, ctx, patterns, npatterns, &each, &found);
  if (!err && !(fprs = gpgrt_calloc (found.count, sizeof *fprs)))
    err = gpg_error_from_syserror ();
  for (i = 0; i < found.count && !err; i++)
    fprs[i] = found.keys[i].fpr;
  if (!err)
    err = collect_by_fingerprint (ctrl, ctx, fprs, found.count, owner, keys);
  gpgrt_free (fprs);
  keyring_keys_release (&found);
  keyring_keys_release (&each);
  return err;
}

/* qsort and bsearch helper: order keys by fingerprint.  */
static int
cmp_fpr (const void *a, const void *b)
{
  return strcmp (((const keyring_key_t *)a)->fpr,
                 ((const keyring_key_t *)b)->fpr);
}

/* Add to KEYS first the key blocks of SECRET (any order) of keys in
 * CANDIDATES, then, unless EXCLUDE_NO_SECRET, the public blocks of the
 * other CANDIDATES; each group in the order of CANDIDATES.  */
static gpg_error_t
order_keys (keyring_keys_t *candidates, keyring_keys_t *secret,
            int exclude_no_secret, keyring_keys_t *keys)
{
  const keyring_key_t *found;
  gpg_error_t err = 0;
  unsigned int i;

  if (secret->count)
    qsort (secret->keys, secret->count, sizeof *secret->keys, cmp_fpr);
  for (i = 0; i < candidates->count && !err; i++)
    {
      found = (!secret->count? NULL
               : bsearch (&candidates->keys[i], secret->keys, secret->count,
                          sizeof *secret->keys, cmp_fpr));
      candidates->keys[i].secret = !!found;
      if (found)
        err = keyring_add_key (keys, found);
    }
  for (i = 0; i < candidates->count && !err; i++)
    if (!candidates->keys[i].secret && !exclude_no_secret)
      err = keyring_add_key (keys, &candidates->keys[i]);
  return err;
}

/* qsort helper: order keys by the place of their block in one export
 * buffer, which is the order gpg exported them in.  */
static int
cmp_block (const void *a, const void *b)
{
  const unsigned char *x = ((const keyring_key_t *)a)->block;
  const unsigned char *y = ((const keyring_key_t *)b)->block;

  return x < y? -1 : x > y;
}

/* Keep in KEYS->PUB the public key blocks of the CANDIDATES (all from
 * one gpg run) that go into the pack, in gpg's order.  */
static gpg_error_t
keep_public (const keyring_keys_t *candidates, int exclude_no_secret,
             keyring_keys_t *keys)
{
  unsigned int i;

  keys->pub = gpgrt_calloc (candidates->count + 1, sizeof *keys->pub);
  if (!keys->pub)
    return gpg_error_from_syserror ();
  for (i = 0; i < candidates->count; i++)
    if (candidates->keys[i].secret || !exclude_no_secret)
      keys->pub[keys->npub++] = candidates->keys[i];
  qsort (keys->pub, keys->npub, sizeof *keys->pub, cmp_block);
  return 0;
}

/* Build at R_KEYS the keys of PATTERNS in pack order with their key
 * blocks as gpg exports them: the keys whose secret part is exported
 * first, then the others, each group in pattern order.  With SECRET
 * the secret part of each key that has one is exported, after
 * CONFIRM (if not NULL) agreed for the keys found; with
 * EXCLUDE_NO_SECRET keys without one are left out.  A pattern without
 * any match is GPG_ERR_NOT_FOUND naming it.  The public export (cheap
 * for gpg) tells which keys match, the secret one which of them have
 * a secret part: no key listing is needed.  R_KEYS->PUB gets their
 * public key blocks from the public export.  */
gpg_error_t
keyring_find_keys (ctrl_t ctrl, gpgme_ctx_t ctx, char **patterns,
                   int npatterns, int secret, int exclude_no_secret,
                   keyring_confirm_t confirm, keyring_keys_t *r_keys)
{
  keyring_keys_t candidates = { 0 }, secret_blocks = { 0 };
  gpg_error_t err;

  memset (r_keys, 0, sizeof *r_keys);
  err = collect_keys (ctrl, ctx, patterns, npatterns, r_keys, &candidates);
  if (!err && secret && confirm)
    err = confirm (ctrl, candidates.count);
  if (!err && secret)
    err = keyring_export_secret (ctrl, ctx, &candidates, r_keys,
                                 &secret_blocks);
  if (!err)
    err = order_keys (&candidates, &secret_blocks, exclude_no_secret,
                      r_keys);
  if (!err)
    err = keep_public (&candidates, exclude_no_secret, r_keys);
  if (!err && !r_keys->count)
    err = server_error (ctrl, gpg_error (GPG_ERR_NO_SECKEY),
                        "none of the keys has a secret part");
  keyring_keys_release (&candidates);
  keyring_keys_release (&secret_blocks);
  if (err)
    keyring_keys_release (r_keys);
  return err;
}

/* Release KEYS and wipe the export buffers it keeps.  */
void
keyring_keys_release (keyring_keys_t *keys)
{
  unsigned int i;

  for (i = 0; i < keys->nbufs; i++)
    secbuf_release (&keys->bufs[i]);
  gpgrt_free (keys->bufs);
  gpgrt_free (keys->keys);
  gpgrt_free (keys->pub);
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
    p += sprintf (p, "%s %c\n", keys->keys[i].fpr,
                  keys->keys[i].secret? 'S' : 'P');
  *r_len = p - manifest;
  return manifest;
}

/* An entry of an import result gpg accepted, with its place among them.  */
typedef struct import_entry
{
  gpgme_import_status_t st;
  unsigned int idx;
} import_entry_t;

/* qsort order of import entries: by fingerprint, then by place.  */
static int
cmp_import_entry (const void *a, const void *b)
{
  const import_entry_t *x = a, *y = b;
  int c = strcmp (x->st->fpr, y->st->fpr);

  if (c)
    return c;
  return x->idx < y->idx? -1 : x->idx > y->idx;
}

/* True if ST is an entry of an import result gpg accepted.  */
static int
import_accepted (gpgme_import_status_t st)
{
  return !st->result && st->fpr;
}

/* The flags to report for the accepted entries of RES, in their order,
 * in *R_FLAGS (malloced, one per entry): the GPGME_IMPORT_* bits of all
 * entries for the key (gpg reports the public and the secret part
 * apart) at its first entry, -1 at the others.  Sorting by fingerprint
 * keeps this O(n log n) for the 10,000 keys of a large pack.  */
static gpg_error_t
import_flags (gpgme_import_result_t res, int **r_flags)
{
  gpgme_import_status_t st;
  import_entry_t *entries;
  unsigned int n = 0, i, j;
  int *flags;

  *r_flags = NULL;
  for (st = res->imports; st; st = st->next)
    n += import_accepted (st);
  entries = gpgrt_calloc (n + 1, sizeof *entries);
  flags = gpgrt_calloc (n + 1, sizeof *flags);
  if (!entries || !flags)
    {
      gpgrt_free (entries);
      gpgrt_free (flags);
      return gpg_error_from_syserror ();
    }
  for (i = 0, st = res->imports; st; st = st->next)
    if (import_accepted (st))
      {
        entries[i].st = st;
        entries[i].idx = i;
        i++;
      }
  qsort (entries, n, sizeof *entries, cmp_import_entry);
  for (i = 0; i < n; i = j)
    {
      flags[entries[i].idx] = entries[i].st->status;
      for (j = i + 1; j < n && !strcmp (entries[j].st->fpr,
                                        entries[i].st->fpr); j++)
        {
          flags[entries[i].idx] |= entries[j].st->status;
          flags[entries[j].idx] = -1;
        }
    }
  gpgrt_free (entries);
  *r_flags = flags;
  return 0;
}

/* Emit IMPORT_OK <flags> <fpr> per key gpg accepted, IMPORTED <fpr>
 * per key that was new or changed (not for one the keyring already
 * had as it is), then IMPORT_RES like gpg.  */
static gpg_error_t
report_import (ctrl_t ctrl, gpgme_import_result_t res)
{
  gpgme_import_status_t st;
  gpg_error_t err;
  unsigned int i = 0;
  int *flags, f;

  err = import_flags (res, &flags);
  if (err)
    return err;
  for (st = res->imports; st && !err; st = st->next)
    {
      if (!import_accepted (st))
        continue;
      f = flags[i++];
      if (f < 0)
        continue;
      err = server_status (ctrl, "IMPORT_OK", "%d %s", f, st->fpr);
      if (!err && (f & ~GPGME_IMPORT_SECRET))
        err = server_status (ctrl, "IMPORTED", "%s", st->fpr);
    }
  gpgrt_free (flags);
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

/* Run gpg's import of DATA on CTX in an own poll loop, so that a gpg
 * ending before it read all of DATA ends the operation (gpgmeloop.c).
 * Called with the nPth lock released.  */
static gpg_error_t
run_import (gpgme_ctx_t ctx, gpgme_data_t data)
{
  gpgmeloop_t loop;
  gpg_error_t err;

  gpgmeloop_attach (&loop, ctx);
  err = gpgme_op_import_start (ctx, data);
  if (!err)
    err = gpgmeloop_wait (&loop, ctx);
  gpgmeloop_detach (ctx);
  return err;
}

/* Import the authenticated key data DATA/LEN.  gpg adds the keys one
 * by one, so the home's filesystem is checked for room first; after a
 * failure it tells whether a full or read-only filesystem was why.  */
gpg_error_t
keyring_import (ctrl_t ctrl, gpgme_ctx_t ctx, const void *buf, size_t len)
{
  gpgme_data_t data;
  gpgme_import_result_t res = NULL;
  gpg_error_t err, fserr;

  err = homefs_check_room (ctrl, len);
  if (err)
    return err;
  err = gpgme_data_new_from_mem (&data, buf, len, 0);
  if (err)
    return err;
  UNLOCKED (err = run_import (ctx, data));
  gpgme_data_release (data);
  if (!err)
    res = gpgme_op_import_result (ctx);
  fserr = (err || !res || !res->considered)? homefs_explain (ctrl, len) : 0;
  if (fserr)
    return fserr;
  if (err)
    return server_error (ctrl, err, "gpg failed to import the keys");
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
