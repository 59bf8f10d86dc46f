/* native.c - the "native" pack format: plugin entry, table, stream life */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "native.h"

/* A new, empty stream with its key storage.  */
gpg_error_t
native_stream_new (int sealing, gpgpack_stream_t *r_stream)
{
  gpgpack_stream_t s;
  gpg_error_t err = 0;

  *r_stream = NULL;
  s = gcry_calloc (1, sizeof *s);
  if (!s)
    return gpg_error_from_syserror ();
  s->sealing = sealing;
  s->keys = native_secure_alloc (sizeof *s->keys, &err);
  if (!s->keys)
    {
      gcry_free (s);
      return err;
    }
  *r_stream = s;
  return 0;
}


/* Allocate the chunk buffers of S for CHUNK_SIZE: the plaintext one in
 * secure memory, the record one (ciphertext only) in normal memory.  */
gpg_error_t
native_stream_buffers (gpgpack_stream_t s, size_t chunk_size)
{
  gpg_error_t err = 0;

  s->plain = native_secure_alloc (chunk_size, &err);
  if (!s->plain)
    return err;
  s->record = gcry_malloc (NATIVE_WORD_LEN + chunk_size + NATIVE_TAG_LEN);
  if (!s->record)
    return gpg_error_from_syserror ();
  return 0;
}


void
native_stream_release (gpgpack_stream_t s)
{
  if (!s)
    return;
  native_aead_deinit (&s->aead);
  native_secure_free (s->keys, sizeof *s->keys);
  native_secure_free (s->plain, s->hdr.chunk_size);
  gcry_free (s->record);
  native_secure_free (s->keyfile.file_key, NATIVE_KEY_LEN);
  if (s->manifest)
    plugin_wipe (s->manifest, s->manifest_len);
  gcry_free (s->manifest);
  plugin_wipe (s, sizeof *s);
  gcry_free (s);
}


/* Feed or finish S, remembering the first error: after a failure the
 * stream refuses all further work with the same error.  */
static gpg_error_t
native_feed (gpgpack_stream_t s, const void *buf, size_t len)
{
  if (!s->failed && s->finished)
    return plugin_err (GPG_ERR_INV_STATE);
  if (!s->failed)
    s->failed = s->sealing ? native_seal_feed (s, buf, len)
                           : native_open_feed (s, buf, len);
  return s->failed;
}


static gpg_error_t
native_finish (gpgpack_stream_t s)
{
  if (!s->failed && s->finished)
    return plugin_err (GPG_ERR_INV_STATE);
  s->finished = 1;
  if (!s->failed)
    s->failed = s->sealing ? native_seal_finish (s) : native_open_finish (s);
  return s->failed;
}


static int
native_probe (const void *head, size_t headlen, uint64_t total,
              const char *filename)
{
  return headlen >= NATIVE_MAGIC_LEN
         && !memcmp (head, NATIVE_MAGIC, NATIVE_MAGIC_LEN) ? 100 : 0;
}


static gpg_error_t
native_info (const void *head, size_t headlen, gpgpack_info_t *r_info)
{
  native_header_t hdr;
  gpg_error_t err;

  memset (r_info, 0, sizeof *r_info);
  err = native_header_parse (head, headlen, &hdr);
  if (err)
    return err;
  native_hex_encode (hdr.pack_id, NATIVE_PACKID_LEN, r_info->pack_id);
  r_info->created = hdr.created;
  r_info->cipher = native_aead_name (hdr.aead);
  r_info->chunk_size = hdr.chunk_size;
  r_info->needs = GPGPACK_FMT_MANIFEST | GPGPACK_FMT_AUTHENTICATED;
  if (hdr.flags & NATIVE_FLAG_RAWKEY)
    r_info->needs |= GPGPACK_FMT_SHARES;
  else
    r_info->needs |= GPGPACK_FMT_KEYFILE;
  if (hdr.flags & NATIVE_FLAG_PASSPHRASE)
    r_info->needs |= GPGPACK_FMT_PASSPHRASE;
  return 0;
}


static const gpgpack_format_t native_format =
  {
    "native",
    "gpgpack native pack: AES-256-OCB/GCM STREAM chunks, key file",
    ".gpgpack",
    ".key",
    GPGPACK_FMT_KEYFILE | GPGPACK_FMT_PASSPHRASE | GPGPACK_FMT_SHARES
    | GPGPACK_FMT_MANIFEST | GPGPACK_FMT_AUTHENTICATED,
    0,
    native_probe,
    native_info,
    native_seal_start,
    native_open_start,
    native_feed,
    native_finish,
    native_stream_release,
    &native_sharing
  };

static const gpgpack_format_t *const native_formats[] = { &native_format };

static const gpgpack_plugin_t native_plugin =
  {
    GPGPACK_PLUGIN_ABI_VERSION,
    "native",
    PACKAGE_VERSION,
    1,
    native_formats
  };


/* The plugin entry point.  */
const gpgpack_plugin_t *
gpgpack_plugin_entry (unsigned int abi)
{
  return abi == GPGPACK_PLUGIN_ABI_VERSION ? &native_plugin : NULL;
}
