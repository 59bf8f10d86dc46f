/* shareimport.c - collect, check and combine the shares of a pack
 *
 * Shares come from --share files first, then by INQUIRE SHARE while
 * fewer than the threshold are usable.  Each is unwrapped by the plugin
 * (decrypted through hostsvc when it is the custodian's OpenPGP
 * message), checked against the pack, and kept in secure memory.  A
 * share that is damaged, or that the plugin's combine finds off the
 * others' polynomial, is set aside with a SHARE_BAD status line; every
 * other problem ends the import before the keyring is touched.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shareimport.h"
#include "hostsvc.h"
#include "argline.h"

#define MAX_SHARES SHAREIMPORT_MAX_SHARES

/* One usable share.  */
typedef struct share_item
{
  gpgpack_blob_t share;         /* the encoded share, secure memory     */
  gpgpack_share_info_t info;
  const char *file;             /* NULL if it came by INQUIRE SHARE     */
  unsigned int pos;             /* 1-based, in order of arrival         */
  char opened[41];              /* key that decrypted it; "" if none    */
} share_item_t;

/* The shares of one import so far.  */
typedef struct share_set
{
  ctrl_t ctrl;
  const gpgpack_sharing_t *sharing;
  const void *head;
  size_t headlen;
  const char *pack_id;
  hostsvc_t svc;
  unsigned int arrived;         /* shares received, usable or not       */
  unsigned int nbad;            /* shares set aside                     */
  unsigned int bad_pos;         /* the first of them: its position      */
  const char *bad_file;         /* ... its file (NULL: inquired)        */
  const char *bad_reason;       /* ... and why: "damaged" or "forged"   */
  unsigned int n;               /* usable shares in ITEM                */
  share_item_t item[MAX_SHARES];
} share_set_t;

/* Codes of unwrapping errors that mean the share is damaged: the
 * plugin's decoding errors, gpg's for a damaged OpenPGP message.  */
static const gpg_err_code_t damage_codes[] =
  {
    GPG_ERR_INV_PACKET, GPG_ERR_UNKNOWN_VERSION, GPG_ERR_TRUNCATED,
    GPG_ERR_INV_LENGTH, GPG_ERR_BAD_DATA, GPG_ERR_INV_VALUE,
    GPG_ERR_CHECKSUM, GPG_ERR_DECRYPT_FAILED, GPG_ERR_BAD_SIGNATURE,
    GPG_ERR_INV_ARMOR
  };

/* Armor header line of an OpenPGP message.  */
#define ARMOR_HEADER "-----BEGIN PGP MESSAGE-----"

/* True if ERR of unwrapping MSG (LEN bytes) means a damaged share: a
 * damage code, or no data gpg could use in what is an armored OpenPGP
 * message.  */
static int
is_damage (gpg_error_t err, const void *msg, size_t len)
{
  unsigned int i;

  if (gpg_err_code (err) == GPG_ERR_NO_DATA)
    return len >= strlen (ARMOR_HEADER)
           && !memcmp (msg, ARMOR_HEADER, strlen (ARMOR_HEADER));
  for (i = 0; i < DIM (damage_codes); i++)
    if (gpg_err_code (err) == damage_codes[i])
      return 1;
  return 0;
}

/* "share POS (FILE)" or "share POS (inquired)" into BUF of SIZE.  */
static const char *
share_name (char *buf, size_t size, unsigned int pos, const char *file)
{
  snprintf (buf, size, "share %u (%s)", pos, file ? file : "inquired");
  return buf;
}

/* Report the share at POS from FILE as set aside for REASON (a status
 * keyword) and count it.  */
static gpg_error_t
report_bad (share_set_t *set, unsigned int pos, const char *file,
            const char *reason)
{
  char name[1100];
  char *esc = percent_escape (file ? file : "-");
  gpg_error_t err;

  if (!esc)
    return gpg_error_from_syserror ();
  share_name (name, sizeof name, pos, file);
  log_info ("%s is %s; it is not used\n", name, reason);
  if (!set->nbad++)
    {
      set->bad_pos = pos;
      set->bad_file = file;
      set->bad_reason = reason;
    }
  err = server_status (set->ctrl, "SHARE_BAD", "%u %s %s", pos, reason, esc);
  gpgrt_free (esc);
  return err;
}

/* Set the usable share at index I aside as REASON.  */
static gpg_error_t
set_aside (share_set_t *set, unsigned int i, const char *reason)
{
  share_item_t *item = &set->item[i];
  gpg_error_t err;

  err = report_bad (set, item->pos, item->file, reason);
  wipememory (item->share.data, item->share.len);
  gcry_free (item->share.data);
  set->n--;
  memmove (item, item + 1, (set->n - i) * sizeof *item);
  return err;
}

/* The error for a share that could not be unwrapped (ERR), NAME.  */
static gpg_error_t
unwrap_error (share_set_t *set, gpg_error_t err, const char *name)
{
  gpg_err_code_t code = gpg_err_code (err);

  if (code == GPG_ERR_NO_SECKEY)
    return server_error (set->ctrl, gpg_error (GPG_ERR_NO_SECKEY),
                         "%s is encrypted to %s; its custodian must decrypt"
                         " it and pass on its content", name,
                         *set->svc.missing ? set->svc.missing
                                           : "a key not here");
  if (code == GPG_ERR_NO_DATA || code == GPG_ERR_INV_DATA)
    return server_error (set->ctrl, gpg_error (GPG_ERR_INV_DATA),
                         "%s is not a gpgpack share (neither a share"
                         " message nor its decrypted content):"
                         " give the share files", name);
  return server_error (set->ctrl, err, "decrypting %s failed", name);
}

/* Check the unwrapped share ITEM, NAME, against the pack and the
 * shares before it.  */
static gpg_error_t
check_share (share_set_t *set, share_item_t *item, const char *name)
{
  char other[1100];
  gpg_error_t err;
  unsigned int i;

  err = set->sharing->info (item->share.data, item->share.len,
                            set->head, set->headlen, &item->info);
  if (gpg_err_code (err) == GPG_ERR_WRONG_SECKEY)
    return server_error (set->ctrl, gpg_error (GPG_ERR_INV_ID),
                         "%s is of pack %s, not of this pack %s: give the"
                         " shares of this pack", name, item->info.pack_id,
                         set->pack_id);
  if (err)
    return server_error (set->ctrl, err, "checking %s against this pack"
                         " failed", name);
  for (i = 0; i < set->n; i++)
    if (set->item[i].info.index == item->info.index)
      return server_error (set->ctrl, gpg_error (GPG_ERR_DUP_VALUE),
                           "%s has index %u, as %s: give each share once",
                           name, item->info.index,
                           share_name (other, sizeof other,
                                       set->item[i].pos, set->item[i].file));
  return 0;
}

/* Unwrap the share message MSG of LEN bytes from FILE (NULL:
 * inquired) and add it to SET, or set it aside if it is damaged.  */
static gpg_error_t
add_share (share_set_t *set, const void *msg, size_t len, const char *file)
{
  share_item_t *item = &set->item[set->n];
  char name[1100];
  gpg_error_t err;

  if (set->arrived == MAX_SHARES)
    return server_error (set->ctrl, gpg_error (GPG_ERR_TOO_MANY),
                         "more than %d shares: give at most one per"
                         " custodian", MAX_SHARES);
  memset (item, 0, sizeof *item);
  item->pos = ++set->arrived;
  item->file = file;
  share_name (name, sizeof name, item->pos, file);
  *set->svc.opened = 0;         /* Stays so if MSG is an envelope.  */
  hostsvc_reset_verdict (&set->svc);
  UNLOCKED (err = set->sharing->unwrap (&set->svc.host, msg, len,
                                        &item->share, NULL));
  strcpy (item->opened, set->svc.opened);
  if (is_damage (err, msg, len))
    return report_bad (set, item->pos, file, "damaged");
  if (err)
    return unwrap_error (set, err, name);
  err = check_share (set, item, name);
  if (!err && set->svc.verify_key)
    err = packsig_error (set->ctrl, &set->svc.verdict, name,
                         set->svc.verify_key);
  if (!err)
    {
      set->n++;
      return 0;
    }
  wipememory (item->share.data, item->share.len);
  gcry_free (item->share.data);
  return err;
}

/* Read the share file FILE and add it to SET.  */
static gpg_error_t
add_file (share_set_t *set, const char *file)
{
  secbuf_t buf;
  gpg_error_t err;

  err = packio_read_file (set->ctrl, file, SHAREIMPORT_MAX_LEN, 1, &buf);
  if (!err)
    err = add_share (set, buf.data, buf.len, file);
  secbuf_release (&buf);
  return err;
}

/* The generation most usable shares of SET have (ties: the earlier).  */
static unsigned int
common_generation (const share_set_t *set)
{
  unsigned int i, j, count, best = 0, gen = set->item[0].info.generation;

  for (i = 0; i < set->n; i++)
    {
      for (count = 0, j = 0; j < set->n; j++)
        count += set->item[j].info.generation == set->item[i].info.generation;
      if (count > best)
        {
          best = count;
          gen = set->item[i].info.generation;
        }
    }
  return gen;
}

/* Refuse shares of SET from another generation or with another
 * threshold than the others: they are of another split.  */
static gpg_error_t
check_split (share_set_t *set)
{
  unsigned int i, gen;
  const share_item_t *item;
  char name[1100];

  if (!set->n)
    return 0;
  gen = common_generation (set);
  for (i = 0; i < set->n; i++)
    {
      item = &set->item[i];
      share_name (name, sizeof name, item->pos, item->file);
      if (item->info.generation != gen)
        return server_error (set->ctrl, gpg_error (GPG_ERR_CONFLICT),
                             "%s is from generation %u, the others from %u:"
                             " old and refreshed shares do not combine;"
                             " give shares of generation %u", name,
                             item->info.generation, gen, gen);
      if (item->info.threshold != set->item[0].info.threshold)
        return server_error (set->ctrl, gpg_error (GPG_ERR_CONFLICT),
                             "%s needs %u shares, the others %u: it is of"
                             " another split; give shares of one split",
                             name, item->info.threshold,
                             set->item[0].info.threshold);
    }
  return 0;
}

/* The error when no more shares come and SET has too few.  */
static gpg_error_t
not_enough (share_set_t *set)
{
  unsigned int need = set->n ? set->item[0].info.threshold : 0;
  char bad[1100];

  share_name (bad, sizeof bad, set->bad_pos, set->bad_file);
  if (set->nbad && need)
    return server_error (set->ctrl, gpg_error (GPG_ERR_BAD_DATA),
                         "need %u intact shares, have %u (%s is %s):"
                         " give another share", need, set->n, bad,
                         set->bad_reason);
  if (set->nbad)
    return server_error (set->ctrl, gpg_error (GPG_ERR_BAD_DATA),
                         "no intact share (%s is damaged): give intact"
                         " shares with --share", bad);
  if (!need)
    return server_error (set->ctrl, gpg_error (GPG_ERR_MISSING_KEY),
                         "this pack was exported in share mode: give its"
                         " shares with --share FILE");
  return server_error (set->ctrl, gpg_error (GPG_ERR_MISSING_KEY),
                       "need %u shares, have %u: give %u more with"
                       " --share", need, set->n, need - set->n);
}

/* Ask the client for one more share: INQUIRE SHARE <have> <need>.  */
static gpg_error_t
inquire_share (share_set_t *set)
{
  unsigned int need = set->n ? set->item[0].info.threshold : 0;
  unsigned char *buf;
  char keyword[32];
  size_t len;
  gpg_error_t err;

  snprintf (keyword, sizeof keyword, "SHARE %u %u", set->n, need);
  err = server_inquire (set->ctrl, keyword, SHAREIMPORT_MAX_LEN, 1,
                        &buf, &len);
  if (err)
    return err;
  err = len ? add_share (set, buf, len, NULL) : not_enough (set);
  server_free_secret (buf, len);
  return err;
}

/* Combine the usable shares of SET into R_KEY and set *R_DONE; a
 * share combine finds off the others' polynomial is set aside.  */
static gpg_error_t
combine (share_set_t *set, secbuf_t *r_key, int *r_done)
{
  gpgpack_blob_t shares[MAX_SHARES], key = { NULL, 0 };
  unsigned int i;
  int bad = -1;
  gpg_error_t err;

  for (i = 0; i < set->n; i++)
    shares[i] = set->item[i].share;
  UNLOCKED (err = set->sharing->combine (shares, set->n, set->head,
                                         set->headlen, &key, &bad));
  if (gpg_err_code (err) == GPG_ERR_BAD_DATA && bad >= 0
      && bad < (int) set->n)
    return set_aside (set, bad, "forged");
  if (gpg_err_code (err) == GPG_ERR_BAD_KEY)
    return server_error (set->ctrl, gpg_error (GPG_ERR_BAD_KEY),
                         "the %u shares do not give this pack's key: one is"
                         " forged or damaged; give one more share to find"
                         " which", set->n);
  if (err)
    return server_error (set->ctrl, err, "combining the shares failed");
  r_key->data = key.data;
  r_key->len = key.len;
  r_key->size = key.len;
  *r_done = 1;
  return 0;
}

/* Collect shares into SET until combine gives the key at R_KEY.  */
static gpg_error_t
collect_and_combine (share_set_t *set, secbuf_t *r_key)
{
  gpg_error_t err = 0;
  int done = 0;

  while (!err && !done)
    {
      err = check_split (set);
      if (!err && set->n && set->n >= set->item[0].info.threshold)
        err = combine (set, r_key, &done);
      else if (!err)
        err = inquire_share (set);
    }
  return err;
}

/* Describe the shares of SET that gave the key at R_USED.  */
static void
note_used (const share_set_t *set, shareimport_used_t *r_used)
{
  unsigned int i;

  r_used->count = set->n;
  r_used->threshold = set->item[0].info.threshold;
  r_used->generation = set->item[0].info.generation;
  for (i = 0; i < set->n; i++)
    {
      r_used->pos[i] = set->item[i].pos;
      strcpy (r_used->opened[i], set->item[i].opened);
    }
}

gpg_error_t
shareimport_key (ctrl_t ctrl, const gpgpack_format_t *fmt,
                 const void *head, size_t headlen,
                 const gpgpack_info_t *info,
                 const cmdargs_list_t *files, const char *verify_key,
                 secbuf_t *r_key)
{
  return shareimport_key_used (ctrl, fmt, head, headlen, info, files,
                               verify_key, r_key, NULL);
}

gpg_error_t
shareimport_key_used (ctrl_t ctrl, const gpgpack_format_t *fmt,
                      const void *head, size_t headlen,
                      const gpgpack_info_t *info,
                      const cmdargs_list_t *files, const char *verify_key,
                      secbuf_t *r_key, shareimport_used_t *r_used)
{
  share_set_t *set;
  gpg_error_t err = 0;
  unsigned int i;

  memset (r_key, 0, sizeof *r_key);
  set = gpgrt_calloc (1, sizeof *set);
  if (!set)
    return gpg_error_from_syserror ();
  set->ctrl = ctrl;
  set->sharing = fmt->sharing;
  set->head = head;
  set->headlen = headlen;
  set->pack_id = info->pack_id;
  hostsvc_init (ctrl, &set->svc);
  set->svc.verify_key = verify_key;
  for (i = 0; i < files->count && !err; i++)
    err = add_file (set, files->items[i]);
  if (!err)
    err = collect_and_combine (set, r_key);
  if (!err && r_used)
    note_used (set, r_used);
  for (i = 0; i < set->n; i++)
    {
      wipememory (set->item[i].share.data, set->item[i].share.len);
      gcry_free (set->item[i].share.data);
    }
  gpgrt_free (set);
  return err;
}
