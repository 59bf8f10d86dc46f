/* native-seal.c - seal key data into a native pack
 *
 * Plaintext = manifest length (32-bit BE) || manifest || key data, cut
 * into chunks of the header's chunk size.  A full chunk is sealed as
 * soon as it is full and is never the last one; finish seals the rest
 * (0 .. chunk size - 1 bytes) as the last chunk.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>
#include <time.h>

#include "native.h"

/* Seal LEN bytes at PLAIN as the next chunk of S and write the record.  */
static gpg_error_t
put_chunk (gpgpack_stream_t s, const unsigned char *plain, size_t len,
           int last)
{
  gpg_error_t err;

  err = native_chunk_seal (&s->aead, plain, len, last, s->record);
  if (!err)
    err = s->out.write (s->out.opaque, s->record,
                        NATIVE_WORD_LEN + len + NATIVE_TAG_LEN);
  return err;
}


gpg_error_t
native_seal_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  size_t chunk = s->hdr.chunk_size, take;
  gpg_error_t err = 0;

  while (len && !err)
    {
      if (!s->plain_len && len >= chunk)
        {
          /* A whole chunk is at hand: seal it without copying.  */
          err = put_chunk (s, buf, chunk, 0);
          take = chunk;
        }
      else
        {
          take = chunk - s->plain_len < len ? chunk - s->plain_len : len;
          memcpy (s->plain + s->plain_len, buf, take);
          s->plain_len += take;
          if (s->plain_len == chunk)
            {
              err = put_chunk (s, s->plain, chunk, 0);
              s->plain_len = 0;
            }
        }
      buf += take;
      len -= take;
    }
  return err;
}


gpg_error_t
native_seal_finish (gpgpack_stream_t s)
{
  gpg_error_t err;

  err = put_chunk (s, s->plain, s->plain_len, 1);
  plugin_wipe (s->plain, s->plain_len);
  s->plain_len = 0;
  return err;
}


/* Check PARAMS and fill the public fields of HDR from them.  */
static gpg_error_t
check_params (const gpgpack_seal_params_t *params, native_header_t *hdr)
{
  size_t chunk = params->chunk_size ? params->chunk_size
                                    : NATIVE_CHUNK_DEFAULT;

  memset (hdr, 0, sizeof *hdr);
  if (!params->out.write
      || (params->raw_key && native_has_passphrase (params->passphrase))
      || (params->manifestlen && !params->manifest)
      || chunk < ((size_t)64 << NATIVE_CHUNK_MIN_OCTET)
      || chunk > ((size_t)64 << NATIVE_CHUNK_MAX_OCTET)
      || (chunk & (chunk - 1)))
    return plugin_err (GPG_ERR_INV_VALUE);
  if (params->manifestlen > NATIVE_MANIFEST_MAX)
    return plugin_err (GPG_ERR_TOO_LARGE);
  switch (params->aead_algo)
    {
    case 0:
    case GCRY_CIPHER_MODE_OCB: hdr->aead = NATIVE_AEAD_OCB; break;
    case GCRY_CIPHER_MODE_GCM: hdr->aead = NATIVE_AEAD_GCM; break;
    default: return plugin_err (GPG_ERR_CIPHER_ALGO);
    }
  hdr->chunk_size = chunk;
  hdr->created = params->created ? params->created : (uint64_t)time (NULL);
  if (params->raw_key)
    hdr->flags |= NATIVE_FLAG_RAWKEY;
  else if (native_has_passphrase (params->passphrase))
    hdr->flags |= NATIVE_FLAG_PASSPHRASE;
  return 0;
}


/* Create the keys and the header of S, write the header and start the
 * payload with the manifest.  The key blob goes to R_KEY.  */
static gpg_error_t
seal_begin (gpgpack_stream_t s, const gpgpack_seal_params_t *params,
            gpgpack_blob_t *r_key)
{
  unsigned char word[NATIVE_WORD_LEN];
  gpg_error_t err;

  plugin_random (params->random, params->random_opaque, s->keys->file_key, NATIVE_KEY_LEN);
  plugin_random (params->random, params->random_opaque, s->hdr.pack_id, NATIVE_PACKID_LEN);
  err = native_derive_keys (s->keys, s->hdr.pack_id);
  if (!err)
    err = native_header_build (&s->hdr, s->keys);
  if (!err)
    err = native_stream_buffers (s, s->hdr.chunk_size);
  if (!err)
    err = native_aead_init (&s->aead, &s->hdr, s->keys);
  if (!err)
    err = native_keyfile_make (&s->hdr, s->keys->file_key, params, r_key);
  if (err)
    return err;
  err = s->out.write (s->out.opaque, s->hdr.raw, NATIVE_HEADER_LEN);
  native_put_u32 (word, params->manifestlen);
  if (!err)
    err = native_seal_feed (s, word, sizeof word);
  if (!err && params->manifestlen)
    err = native_seal_feed (s, params->manifest, params->manifestlen);
  return err;
}


gpg_error_t
native_seal_start (const gpgpack_seal_params_t *params,
                   gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  gpgpack_stream_t s;
  gpg_error_t err;

  *r_stream = NULL;
  r_key->data = NULL;
  r_key->len = 0;
  err = native_stream_new (1, &s);
  if (err)
    return err;
  s->out = params->out;
  err = check_params (params, &s->hdr);
  if (!err)
    err = seal_begin (s, params, r_key);
  if (err)
    {
      native_secure_free (r_key->data, r_key->len);
      r_key->data = NULL;
      r_key->len = 0;
      native_stream_release (s);
      return err;
    }
  *r_stream = s;
  return 0;
}
