/* keyexport.c - export keys through GPGME and cut the output into keys
 *
 * gpg's export output is kept in buffers (secure memory) and cut into
 * key blocks whose fingerprints are computed from the key packets, so
 * the manifest is exactly what gpg exported, without listing the keys
 * (which costs gpg as much as exporting them).  A large secret export
 * is split into one piece per CPU, each exported by its own gpg in an
 * nPth thread with its own GPGME context.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyring.h"
#include "pgppacket.h"

/* Exports smaller than this are not split.  */
#define MIN_PARALLEL_KEYS 64
/* Never more pieces than this.  */
#define MAX_PIECES 16

/* One piece of a secret export: every STEP-th key of KEYS from FIRST
 * on.  gpg's export of a key costs more the later the key is in the
 * keyring, so interleaved pieces cost alike where halves would not.  */
struct export_piece
{
  ctrl_t ctrl;
  gpgme_ctx_t ctx;            /* NULL: a worker makes its own            */
  const keyring_keys_t *keys;
  unsigned int first, step;
  int started;
  npth_t thread;
  secbuf_t out;
  gpg_error_t err;
};

/* Append a copy of KEY to KEYS.  */
gpg_error_t
keyring_add_key (keyring_keys_t *keys, const keyring_key_t *key)
{
  keyring_key_t *newkeys;

  if (!(keys->count % 256))
    {
      newkeys = gpgrt_realloc (keys->keys,
                               (keys->count + 256) * sizeof *newkeys);
      if (!newkeys)
        return gpg_error_from_syserror ();
      keys->keys = newkeys;
    }
  keys->keys[keys->count++] = *key;
  return 0;
}

/* Move BUF into the buffers OWNER frees; BUF is left empty.  */
static gpg_error_t
keep_buffer (keyring_keys_t *owner, secbuf_t *buf)
{
  secbuf_t *newbufs;

  newbufs = gpgrt_realloc (owner->bufs, (owner->nbufs + 1) * sizeof *newbufs);
  if (!newbufs)
    return gpg_error_from_syserror ();
  owner->bufs = newbufs;
  owner->bufs[owner->nbufs++] = *buf;
  memset (buf, 0, sizeof *buf);
  return 0;
}

/* Export the keys of PATTERNS (NULL terminated) with MODE into OUT.  */
static gpg_error_t
export_to_buffer (gpgme_ctx_t ctx, const char **patterns,
                  gpgme_export_mode_t mode, secbuf_t *out)
{
  gpgme_data_t data;
  gpg_error_t err;

  err = secbuf_gpgme_data (out, &data);
  if (err)
    return err;
  UNLOCKED (err = gpgme_op_export_ext (ctx, patterns, mode, data));
  gpgme_data_release (data);
  return err;
}

/* Fill KEY for the key packet BODY/LEN of the key block starting at
 * BLOCK.  */
static gpg_error_t
key_entry (const unsigned char *block, const unsigned char *body,
           size_t len, int secret, keyring_key_t *key)
{
  memset (key, 0, sizeof *key);
  key->secret = secret;
  key->block = block;
  return pgp_v4_fingerprint (body, len, key->fpr);
}

/* Cut the export BUF into key blocks, appended to BLOCKS with the
 * SECRET flag; if SUBKEYS is not NULL append there the subkeys, with
 * the block of their primary key.  */
static gpg_error_t
split_export (const secbuf_t *buf, int secret, keyring_keys_t *blocks,
              keyring_keys_t *subkeys)
{
  keyring_key_t key, *primary = NULL;
  size_t off = 0, start, pktlen;
  gpg_error_t err = 0;
  int tag;

  while (off < buf->len && !err)
    {
      start = off;
      err = pgp_packet_header (buf->data, buf->len, &off, &tag, &pktlen);
      if (err)
        break;
      if (tag == 5 || tag == 6)
        {
          err = key_entry (buf->data + start, buf->data + off, pktlen,
                           secret, &key);
          if (!err)
            err = keyring_add_key (blocks, &key);
          if (!err)
            primary = blocks->keys + blocks->count - 1;
        }
      else if (!primary)
        err = gpg_error (GPG_ERR_INV_KEYRING);  /* Not a key block.  */
      else if (subkeys && (tag == 7 || tag == 14))
        {
          err = key_entry (primary->block, buf->data + off, pktlen,
                           secret, &key);
          if (!err)
            err = keyring_add_key (subkeys, &key);
        }
      off += pktlen;
      if (primary)
        primary->blocklen = buf->data + off - primary->block;
    }
  return err;
}

/* Export the public keys of PATTERNS (NULL terminated) into a buffer
 * kept by OWNER, cut into BLOCKS and SUBKEYS (see split_export).  */
gpg_error_t
keyring_export_public (gpgme_ctx_t ctx, const char **patterns,
                       keyring_keys_t *owner, keyring_keys_t *blocks,
                       keyring_keys_t *subkeys)
{
  secbuf_t out = { 0 };
  gpg_error_t err;

  err = export_to_buffer (ctx, patterns, 0, &out);
  if (!err)
    err = split_export (&out, 0, blocks, subkeys);
  if (!err && out.data)
    err = keep_buffer (owner, &out);
  secbuf_release (&out);
  return err;
}

/* Export the secret parts of PIECE's keys into PIECE->OUT; again after
 * a refused passphrase (keypass_retry).  */
static gpg_error_t
export_piece (struct export_piece *piece)
{
  const char **patterns;
  gpgme_ctx_t ctx = piece->ctx;
  gpg_error_t err = 0;
  unsigned int i, n = 0;
  int tries = 0;

  patterns = gpgrt_calloc (piece->keys->count / piece->step + 2,
                           sizeof *patterns);
  if (!patterns)
    return gpg_error_from_syserror ();
  for (i = piece->first; i < piece->keys->count; i += piece->step)
    patterns[n++] = piece->keys->keys[i].fpr;
  if (!ctx)
    err = keyring_new_context (piece->ctrl, &ctx);
  while (!err)
    {
      err = export_to_buffer (ctx, patterns, GPGME_EXPORT_MODE_SECRET,
                              &piece->out);
      if (!keypass_retry (piece->ctrl, err, ++tries))
        break;
      secbuf_release (&piece->out);
      err = 0;
    }
  if (ctx != piece->ctx)
    gpgme_release (ctx);
  gpgrt_free (patterns);
  return err;
}

/* nPth thread: export one piece.  */
static void *
export_worker (void *arg)
{
  struct export_piece *piece = arg;

  piece->err = export_piece (piece);
  return NULL;
}

/* Deal KEYS into one piece per CPU, at most MAX_PIECES; the first is
 * exported with CTX.  Returns the number of pieces (none for no keys:
 * an empty pattern list would export every key).  */
static unsigned int
plan_pieces (ctrl_t ctrl, gpgme_ctx_t ctx, const keyring_keys_t *keys,
             struct export_piece *pieces)
{
  long ncpu = sysconf (_SC_NPROCESSORS_ONLN);
  unsigned int n = 1, i;

  if (!keys->count)
    return 0;
  /* Workers must not inquire: one client answers one question.  */
  if (ncpu > 1 && keys->count >= MIN_PARALLEL_KEYS
      && ctrl->pinentry_mode != GPGME_PINENTRY_MODE_LOOPBACK)
    n = ncpu < MAX_PIECES? ncpu : MAX_PIECES;
  for (i = 0; i < n; i++)
    {
      memset (&pieces[i], 0, sizeof pieces[i]);
      pieces[i].ctrl = ctrl;
      pieces[i].ctx = i? NULL : ctx;
      pieces[i].keys = keys;
      pieces[i].first = i;
      pieces[i].step = n;
    }
  return n;
}

/* Export the secret parts of KEYS (those that have one) into buffers
 * kept by OWNER; append their key blocks to BLOCKS.  Keys without a
 * secret part are not there; the order is gpg's.  */
gpg_error_t
keyring_export_secret (ctrl_t ctrl, gpgme_ctx_t ctx,
                       const keyring_keys_t *keys, keyring_keys_t *owner,
                       keyring_keys_t *blocks)
{
  struct export_piece pieces[MAX_PIECES];
  unsigned int i, npieces;
  gpg_error_t err = 0;
  int rc;

  if (keys->count)
    err = keypass_check (ctrl, ctx, keys->keys[0].fpr);
  npieces = err? 0 : plan_pieces (ctrl, ctx, keys, pieces);
  for (i = 1; i < npieces && !err; i++)
    {
      rc = npth_create (&pieces[i].thread, NULL, export_worker, &pieces[i]);
      if (rc)
        err = gpg_error_from_errno (rc);
      else
        pieces[i].started = 1;
    }
  if (!err && npieces)
    pieces[0].err = export_piece (&pieces[0]);
  for (i = 0; i < npieces; i++)
    {
      if (pieces[i].started)
        npth_join (pieces[i].thread, NULL);
      if (!err && pieces[i].err)
        err = server_error (ctrl, pieces[i].err,
                            "exporting secret keys %s... failed",
                            keys->keys[pieces[i].first].fpr);
      if (!err)
        err = split_export (&pieces[i].out, 1, blocks, NULL);
      if (!err && pieces[i].out.data)
        err = keep_buffer (owner, &pieces[i].out);
      secbuf_release (&pieces[i].out);
    }
  return err;
}

/* Feed the COUNT key blocks at KEYS in order to FEED, adjacent blocks
 * in one call.  */
gpg_error_t
keyring_feed_blocks (const keyring_key_t *keys, unsigned int count,
                     keyring_feed_t feed, void *feed_opaque)
{
  const unsigned char *run = NULL;
  size_t runlen = 0;
  gpg_error_t err = 0;
  unsigned int i;

  for (i = 0; i < count && !err; i++)
    {
      if (run && run + runlen == keys[i].block)
        {
          runlen += keys[i].blocklen;
          continue;
        }
      if (run)
        err = feed (feed_opaque, run, runlen);
      run = keys[i].block;
      runlen = keys[i].blocklen;
    }
  if (!err && run)
    err = feed (feed_opaque, run, runlen);
  return err;
}

/* Feed the key blocks of KEYS in order to FEED; emit PROGRESS when
 * done.  */
gpg_error_t
keyring_export (ctrl_t ctrl, const keyring_keys_t *keys,
                keyring_feed_t feed, void *feed_opaque)
{
  gpg_error_t err;

  err = keyring_feed_blocks (keys->keys, keys->count, feed, feed_opaque);
  if (err)
    return server_error (ctrl, err, "feeding the keys to the plugin failed");
  return server_status (ctrl, "PROGRESS", "export ? %u %u",
                        keys->count, keys->count);
}
