/* keyexport.c - export keys through GPGME into a plugin's feed
 *
 * Keys go out in pack order.  A large export is split into one piece
 * per CPU: the first piece streams straight into the feed while nPth
 * threads, each with its own GPGME context, export the others into
 * secure memory; those are fed in order once the first is done.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "keyring.h"
#include "packio.h"

/* Exports smaller than this are not split.  */
#define MIN_PARALLEL_KEYS 64
/* Never more pieces than this.  */
#define MAX_PIECES 16

/* Forwarding state of the GPGME data object of one piece.  */
struct feed_state
{
  keyring_feed_t feed;
  void *opaque;
  gpg_error_t err;
  size_t nbytes;
};

/* One piece of an export: KEYS[FIRST..LAST-1], all of one kind.  */
struct export_piece
{
  ctrl_t ctrl;
  const keyring_keys_t *keys;
  unsigned int first, last;
  int threaded;               /* exported by a worker into OUT            */
  int started;
  npth_t thread;
  secbuf_t out;
  gpg_error_t err;
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
  gpgme_export_mode_t mode = keys->secret[first]? GPGME_EXPORT_MODE_SECRET
                                                : 0;
  gpgme_key_t *run;
  gpgme_data_t data;
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

/* nPth thread: export one piece into its secure buffer.  */
static void *
export_worker (void *arg)
{
  struct export_piece *piece = arg;
  struct feed_state state = { secbuf_sink_write, &piece->out, 0, 0 };
  gpgme_ctx_t ctx;

  piece->err = keyring_new_context (piece->ctrl, &ctx);
  if (!piece->err)
    {
      piece->err = export_run (ctx, piece->keys, piece->first, piece->last,
                               &state);
      gpgme_release (ctx);
    }
  return NULL;
}

/* Cut KEYS into runs of one kind and those into at most MAX_PIECES
 * pieces of about COUNT/NCPU keys; store them at PIECES.  */
static unsigned int
plan_pieces (ctrl_t ctrl, const keyring_keys_t *keys,
             struct export_piece *pieces)
{
  long ncpu = sysconf (_SC_NPROCESSORS_ONLN);
  unsigned int size = keys->count, first, last, runend, n = 0;
  /* Workers must not inquire: one client answers one question.  */
  int parallel = (ncpu > 1 && keys->count >= MIN_PARALLEL_KEYS
                  && ctrl->pinentry_mode != GPGME_PINENTRY_MODE_LOOPBACK);

  if (parallel)
    size = (keys->count + ncpu - 1) / (ncpu < MAX_PIECES? ncpu : MAX_PIECES);
  for (first = 0; first < keys->count; first = runend)
    {
      for (runend = first + 1; runend < keys->count; runend++)
        if (keys->secret[runend] != keys->secret[first])
          break;
      for (; first < runend; first = last)
        {
          last = (runend - first > size && n < MAX_PIECES - 1
                  ? first + size : runend);
          memset (&pieces[n], 0, sizeof pieces[n]);
          pieces[n].ctrl = ctrl;
          pieces[n].keys = keys;
          pieces[n].first = first;
          pieces[n].last = last;
          pieces[n].threaded = parallel && n > 0;
          n++;
        }
    }
  return n;
}

/* Start the worker threads of PIECES.  */
static gpg_error_t
start_workers (struct export_piece *pieces, unsigned int npieces)
{
  unsigned int i;
  int rc;

  for (i = 0; i < npieces; i++)
    if (pieces[i].threaded)
      {
        rc = npth_create (&pieces[i].thread, NULL, export_worker,
                          &pieces[i]);
        if (rc)
          return gpg_error_from_errno (rc);
        pieces[i].started = 1;
      }
  return 0;
}

/* Deliver piece P to STATE: export it here or take a worker's output. */
static gpg_error_t
deliver_piece (gpgme_ctx_t ctx, struct export_piece *p,
               struct feed_state *state)
{
  gpg_error_t err;

  if (!p->threaded)
    return export_run (ctx, p->keys, p->first, p->last, state);
  npth_join (p->thread, NULL);
  p->started = 0;
  err = p->err;
  if (!err)
    err = state->feed (state->opaque, p->out.data, p->out.len);
  secbuf_release (&p->out);
  return err;
}

static gpg_error_t use_prefetch (keyring_prefetch_t prefetch,
                                 const keyring_keys_t *keys,
                                 keyring_feed_t feed, void *feed_opaque);

/* Export KEYS in order through FEED, emitting PROGRESS per piece.  If
 * PREFETCH holds exactly these keys it is used instead.  */
gpg_error_t
keyring_export (ctrl_t ctrl, gpgme_ctx_t ctx, const keyring_keys_t *keys,
                keyring_prefetch_t prefetch,
                keyring_feed_t feed, void *feed_opaque)
{
  struct feed_state state = { feed, feed_opaque, 0, 0 };
  struct export_piece pieces[MAX_PIECES + 1];
  unsigned int i, npieces;
  gpg_error_t err;

  if (prefetch)
    {
      err = use_prefetch (prefetch, keys, feed, feed_opaque);
      if (!err)
        return server_status (ctrl, "PROGRESS", "export ? %u %u",
                              keys->count, keys->count);
      if (gpg_err_code (err) != GPG_ERR_FALSE)
        return server_error (ctrl, err, "exporting the keys failed");
    }
  npieces = plan_pieces (ctrl, keys, pieces);
  err = start_workers (pieces, npieces);
  for (i = 0; i < npieces && !err; i++)
    {
      err = deliver_piece (ctx, &pieces[i], &state);
      if (err)
        err = server_error (ctrl, err, "exporting %s keys %s... failed",
                            keys->secret[pieces[i].first]? "secret"
                                                         : "public",
                            keys->keys[pieces[i].first]->fpr);
      else
        err = server_status (ctrl, "PROGRESS", "export ? %u %u",
                             pieces[i].last, keys->count);
    }
  for (i = 0; i < npieces; i++)   /* After an error: reap the rest.  */
    if (pieces[i].started)
      {
        npth_join (pieces[i].thread, NULL);
        secbuf_release (&pieces[i].out);
      }
  return err;
}


/* A speculative export by pattern, run while the keys are listed.  */
struct keyring_prefetch_s
{
  ctrl_t ctrl;
  const char *pattern;
  int secret;
  npth_t thread;
  int joined;
  secbuf_t out;
  gpg_error_t err;
};

/* Wait for the thread of PREFETCH (once).  */
static void
prefetch_wait (keyring_prefetch_t prefetch)
{
  if (!prefetch->joined)
    npth_join (prefetch->thread, NULL);
  prefetch->joined = 1;
}

/* nPth thread: export PREFETCH->PATTERN into its buffer.  */
static void *
prefetch_worker (void *arg)
{
  static struct gpgme_data_cbs cbs = { NULL, feed_write_cb, NULL, NULL };
  keyring_prefetch_t prefetch = arg;
  struct feed_state state = { secbuf_sink_write, &prefetch->out, 0, 0 };
  const char *patterns[2] = { prefetch->pattern, NULL };
  gpgme_ctx_t ctx;
  gpgme_data_t data;

  prefetch->err = keyring_new_context (prefetch->ctrl, &ctx);
  if (prefetch->err)
    return NULL;
  prefetch->err = gpgme_data_new_from_cbs (&data, &cbs, &state);
  if (!prefetch->err)
    {
      UNLOCKED (prefetch->err = gpgme_op_export_ext
                (ctx, patterns,
                 prefetch->secret? GPGME_EXPORT_MODE_SECRET : 0, data));
      gpgme_data_release (data);
    }
  if (!prefetch->err)
    prefetch->err = state.err;
  gpgme_release (ctx);
  return NULL;
}

/* Start exporting the keys of a single PATTERN while they are being
 * listed; the result is used if the listing agrees with it (see
 * keyring_export).  Returns NULL when not applicable.  */
keyring_prefetch_t
keyring_prefetch_start (ctrl_t ctrl, char **patterns, int npatterns,
                        int secret)
{
  keyring_prefetch_t prefetch;

  if (npatterns != 1 || sysconf (_SC_NPROCESSORS_ONLN) < 2
      || ctrl->pinentry_mode == GPGME_PINENTRY_MODE_LOOPBACK)
    return NULL;
  prefetch = gpgrt_calloc (1, sizeof *prefetch);
  if (!prefetch)
    return NULL;
  prefetch->ctrl = ctrl;
  prefetch->pattern = patterns[0];
  prefetch->secret = secret;
  if (npth_create (&prefetch->thread, NULL, prefetch_worker, prefetch))
    {
      gpgrt_free (prefetch);
      return NULL;
    }
  return prefetch;
}

/* Wait for PREFETCH and free it.  NULL is allowed.  */
void
keyring_prefetch_release (keyring_prefetch_t prefetch)
{
  if (!prefetch)
    return;
  prefetch_wait (prefetch);
  secbuf_release (&prefetch->out);
  gpgrt_free (prefetch);
}

/* Return the number of primary key packets (tags 5 and 6) in the
 * OpenPGP packet stream BUF, or -1 if it does not parse.  */
static long
count_primary_keys (const unsigned char *buf, size_t len)
{
  size_t off = 0, pktlen;
  long n = 0;
  int tag;

  while (off < len)
    {
      unsigned int c = buf[off++];

      if (!(c & 0x80))
        return -1;
      if (c & 0x40)             /* New format.  */
        {
          tag = c & 0x3f;
          if (off >= len)
            return -1;
          c = buf[off++];
          if (c < 192)
            pktlen = c;
          else if (c < 224 && off < len)
            pktlen = ((c - 192) << 8) + buf[off++] + 192;
          else if (c == 255 && len - off >= 4)
            {
              pktlen = ((size_t)buf[off] << 24 | buf[off + 1] << 16
                        | buf[off + 2] << 8 | buf[off + 3]);
              off += 4;
            }
          else
            return -1;          /* Partial lengths: not in key exports. */
        }
      else                      /* Old format.  */
        {
          unsigned int i, nlen = (c & 3) == 3? 0 : 1u << (c & 3);

          tag = (c >> 2) & 0xf;
          if (!nlen || len - off < nlen)
            return -1;
          for (pktlen = 0, i = 0; i < nlen; i++)
            pktlen = pktlen << 8 | buf[off++];
        }
      if (pktlen > len - off)
        return -1;
      off += pktlen;
      if (tag == 5 || tag == 6)
        n++;
    }
  return n;
}

/* Hand the prefetched export to FEED if it holds exactly KEYS: one
 * pattern, all keys of the kind that was exported, the same count.
 * Return GPG_ERR_FALSE if it cannot be used.  */
static gpg_error_t
use_prefetch (keyring_prefetch_t prefetch, const keyring_keys_t *keys,
              keyring_feed_t feed, void *feed_opaque)
{
  unsigned int i;

  prefetch_wait (prefetch);
  if (prefetch->err)
    return gpg_error (GPG_ERR_FALSE);
  for (i = 0; i < keys->count; i++)
    if (keys->secret[i] != prefetch->secret)
      return gpg_error (GPG_ERR_FALSE);
  if (count_primary_keys (prefetch->out.data, prefetch->out.len)
      != keys->count)
    return gpg_error (GPG_ERR_FALSE);
  return feed (feed_opaque, prefetch->out.data, prefetch->out.len);
}
