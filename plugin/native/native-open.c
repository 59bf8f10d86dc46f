/* native-open.c - open a native pack: header, key checks, records
 *
 * Input is parsed as it arrives: the header, then record after record.
 * A record's plaintext is passed on only once its tag verified; the
 * manifest is collected and handed to the manifest sink once complete.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "native.h"

/* Check the key of S against the complete header in S->head.  */
static gpg_error_t
open_header (gpgpack_stream_t s)
{
  gpg_error_t err;

  err = native_header_parse (s->head, s->head_len, &s->hdr);
  if (err)
    return err;
  memcpy (s->keys->file_key, s->keyfile.file_key, NATIVE_KEY_LEN);
  err = native_derive_keys (s->keys, s->hdr.pack_id);
  if (err)
    return err;
  if (s->keyfile.has_pack_id
      && memcmp (s->keyfile.pack_id, s->hdr.pack_id, NATIVE_PACKID_LEN))
    {
      /* The key file names another pack.  If its key still matches the
       * key check, the pack id in the header has been altered.  */
      if (native_equal (s->hdr.raw + NATIVE_OFF_KCV, s->keys->kcv,
                        NATIVE_KCV_LEN))
        return plugin_err (GPG_ERR_BAD_MAC);
      return plugin_err (GPG_ERR_WRONG_SECKEY);
    }
  err = native_header_verify (&s->hdr, s->keys);
  if (!err)
    err = native_stream_buffers (s, s->hdr.chunk_size);
  if (!err)
    err = native_aead_init (&s->aead, &s->hdr, s->keys);
  if (!err)
    s->phase = NATIVE_PHASE_RECORDS;
  return err;
}


/* Complete manifest of S: hand it to the manifest sink and free it.  */
static gpg_error_t
manifest_done (gpgpack_stream_t s)
{
  gpg_error_t err = 0;

  if (s->manifest_len && s->manifest_sink.write)
    err = s->manifest_sink.write (s->manifest_sink.opaque, s->manifest,
                                  s->manifest_len);
  plugin_wipe (s->manifest, s->manifest_len);
  gcry_free (s->manifest);
  s->manifest = NULL;
  return err;
}


/* Take the manifest part of the LEN verified plaintext bytes at *BUF,
 * advancing *BUF and *LEN past what was consumed.  */
static gpg_error_t
take_manifest (gpgpack_stream_t s, const unsigned char **buf, size_t *len)
{
  size_t take;

  if (s->manifest_word_have < NATIVE_WORD_LEN)
    {
      take = NATIVE_WORD_LEN - s->manifest_word_have;
      take = take < *len ? take : *len;
      memcpy (s->manifest_word + s->manifest_word_have, *buf, take);
      s->manifest_word_have += take;
      *buf += take;
      *len -= take;
      if (s->manifest_word_have < NATIVE_WORD_LEN)
        return 0;
      s->manifest_len = native_get_u32 (s->manifest_word);
      if (s->manifest_len > NATIVE_MANIFEST_MAX)
        return plugin_err (GPG_ERR_TOO_LARGE);
      s->manifest = gcry_malloc (s->manifest_len + 1);
      if (!s->manifest)
        return gpg_error_from_syserror ();
    }
  take = s->manifest_len - s->manifest_have;
  take = take < *len ? take : *len;
  memcpy (s->manifest + s->manifest_have, *buf, take);
  s->manifest_have += take;
  *buf += take;
  *len -= take;
  if (s->manifest_have == s->manifest_len)
    return manifest_done (s);
  return 0;
}


/* True once the manifest of S has been handed on.  */
static int
manifest_complete (gpgpack_stream_t s)
{
  return s->manifest_word_have == NATIVE_WORD_LEN && !s->manifest;
}


/* Pass LEN verified plaintext bytes at BUF on to the sinks of S.  */
static gpg_error_t
deliver (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;

  while (len && !err && !manifest_complete (s))
    err = take_manifest (s, &buf, &len);
  if (!err && len)
    err = s->out.write (s->out.opaque, buf, len);
  return err;
}


/* Total record length for the record word WORD of S; sets S->last.  */
static gpg_error_t
record_length (gpgpack_stream_t s, const unsigned char *word, size_t *r_len)
{
  uint32_t w = native_get_u32 (word);
  size_t plainlen = w & ~NATIVE_LAST_BIT;

  s->last = !!(w & NATIVE_LAST_BIT);
  if (s->last ? plainlen >= s->hdr.chunk_size
              : plainlen != s->hdr.chunk_size)
    return plugin_err (GPG_ERR_INV_PACKET);
  *r_len = NATIVE_WORD_LEN + plainlen + NATIVE_TAG_LEN;
  return 0;
}


/* Verify the complete record REC of S and deliver its plaintext.  */
static gpg_error_t
open_record (gpgpack_stream_t s, const unsigned char *rec)
{
  size_t plainlen = s->need - NATIVE_WORD_LEN - NATIVE_TAG_LEN;
  gpg_error_t err;

  err = native_chunk_open (&s->aead, rec, plainlen, s->last, s->plain);
  if (!err)
    err = deliver (s, s->plain, plainlen);
  plugin_wipe (s->plain, plainlen);
  if (!err && s->last)
    {
      if (!manifest_complete (s))
        err = plugin_err (GPG_ERR_INV_PACKET);
      s->phase = NATIVE_PHASE_DONE;
    }
  s->record_len = 0;
  s->need = 0;
  return err;
}


/* Consume record bytes from *BUF (*LEN bytes): a whole record straight
 * from the input when possible, else collected in S->record.  */
static gpg_error_t
feed_record (gpgpack_stream_t s, const unsigned char **buf, size_t *len)
{
  gpg_error_t err;
  size_t take;

  if (!s->record_len && *len >= NATIVE_WORD_LEN)
    {
      err = record_length (s, *buf, &s->need);
      if (err)
        return err;
      if (*len >= s->need)
        {
          take = s->need;
          err = open_record (s, *buf);
          *buf += take;
          *len -= take;
          return err;
        }
    }
  take = s->need ? s->need - s->record_len
                 : NATIVE_WORD_LEN - s->record_len;
  take = take < *len ? take : *len;
  memcpy (s->record + s->record_len, *buf, take);
  s->record_len += take;
  *buf += take;
  *len -= take;
  if (!s->need && s->record_len == NATIVE_WORD_LEN)
    return record_length (s, s->record, &s->need);
  if (s->need && s->record_len == s->need)
    return open_record (s, s->record);
  return 0;
}


gpg_error_t
native_open_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;
  size_t take;

  while (len && !err)
    switch (s->phase)
      {
      case NATIVE_PHASE_HEADER:
        take = NATIVE_HEADER_LEN - s->head_len;
        take = take < len ? take : len;
        memcpy (s->head + s->head_len, buf, take);
        s->head_len += take;
        buf += take;
        len -= take;
        if (s->head_len == NATIVE_HEADER_LEN)
          err = open_header (s);
        break;
      case NATIVE_PHASE_DONE:
        err = plugin_err (GPG_ERR_INV_LENGTH);
        break;
      default:
        err = feed_record (s, &buf, &len);
        break;
      }
  return err;
}


gpg_error_t
native_open_finish (gpgpack_stream_t s)
{
  switch (s->phase)
    {
    case NATIVE_PHASE_DONE:
      return 0;
    case NATIVE_PHASE_HEADER:
      return native_header_parse (s->head, s->head_len, &s->hdr);
    default:
      return plugin_err (GPG_ERR_TRUNCATED);
    }
}


gpg_error_t
native_open_start (const gpgpack_open_params_t *params,
                   gpgpack_stream_t *r_stream)
{
  gpgpack_stream_t s;
  gpg_error_t err;

  *r_stream = NULL;
  if (!params->out.write)
    return plugin_err (GPG_ERR_INV_VALUE);
  err = native_stream_new (0, &s);
  if (err)
    return err;
  s->out = params->out;
  s->manifest_sink = params->manifest;
  err = native_keyfile_parse (params->key, params->keylen, params->raw_key,
                              params->passphrase, &s->keyfile);
  if (err)
    {
      native_stream_release (s);
      return err;
    }
  *r_stream = s;
  return 0;
}
