/* native-stream.c - STREAM construction: one AEAD record per chunk
 *
 * Record i is  word || ciphertext || tag  where word is a 32-bit
 * big-endian value: bit 31 marks the last record, bits 0..30 give the
 * plaintext length.  Nonce i = prefix(7) || i (32-bit BE) || last(1);
 * associated data = header || word.  So reordering, dropping or
 * re-flagging records fails authentication.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "native.h"

/* Prepare ST for the payload of the pack with header HDR and KEYS.  */
gpg_error_t
native_aead_init (native_aead_t *st, const native_header_t *hdr,
                  const native_keys_t *keys)
{
  gpg_error_t err;

  memset (st, 0, sizeof *st);
  err = gcry_cipher_open (&st->hd, GCRY_CIPHER_AES256,
                          native_aead_mode (hdr->aead), GCRY_CIPHER_SECURE);
  if (err)
    return err;
  err = gcry_cipher_setkey (st->hd, keys->payload_key, NATIVE_KEY_LEN);
  if (err)
    {
      native_aead_deinit (st);
      return err;
    }
  memcpy (st->nonce_prefix, keys->nonce_prefix, NATIVE_PREFIX_LEN);
  memcpy (st->ad, hdr->raw, NATIVE_HEADER_LEN);
  return 0;
}


/* Release the cipher of ST.  */
void
native_aead_deinit (native_aead_t *st)
{
  gcry_cipher_close (st->hd);
  st->hd = NULL;
}


/* Set nonce and associated data for the next chunk of ST, whose record
 * word is WORD; LAST says whether it is the last chunk.  */
static gpg_error_t
chunk_begin (native_aead_t *st, const unsigned char *word, int last)
{
  unsigned char nonce[NATIVE_NONCE_LEN];
  gpg_error_t err;

  if (st->counter_used_up)
    return plugin_err (GPG_ERR_TOO_LARGE);
  memcpy (nonce, st->nonce_prefix, NATIVE_PREFIX_LEN);
  native_put_u32 (nonce + NATIVE_PREFIX_LEN, st->counter);
  nonce[NATIVE_NONCE_LEN - 1] = !!last;
  memcpy (st->ad + NATIVE_HEADER_LEN, word, NATIVE_WORD_LEN);

  err = gcry_cipher_setiv (st->hd, nonce, sizeof nonce);
  if (!err)
    err = gcry_cipher_authenticate (st->hd, st->ad, sizeof st->ad);
  if (!err)
    err = gcry_cipher_final (st->hd);
  return err;
}


/* The chunk of ST is done: advance the counter.  */
static void
chunk_end (native_aead_t *st)
{
  if (!++st->counter)
    st->counter_used_up = 1;
}


/* Encrypt the LEN bytes PLAIN as the next chunk into RECORD, which has
 * room for NATIVE_WORD_LEN + LEN + NATIVE_TAG_LEN bytes.  */
gpg_error_t
native_chunk_seal (native_aead_t *st, const unsigned char *plain,
                   size_t len, int last, unsigned char *record)
{
  unsigned char *body = record + NATIVE_WORD_LEN;
  gpg_error_t err;

  native_put_u32 (record, (last ? NATIVE_LAST_BIT : 0) | (uint32_t)len);
  err = chunk_begin (st, record, last);
  if (!err)
    err = gcry_cipher_encrypt (st->hd, body, len, plain, len);
  if (!err)
    err = gcry_cipher_gettag (st->hd, body + len, NATIVE_TAG_LEN);
  if (!err)
    chunk_end (st);
  return err;
}


/* Decrypt and verify the next record RECORD, whose plaintext is LEN
 * bytes, into PLAIN.  On failure PLAIN is wiped.  */
gpg_error_t
native_chunk_open (native_aead_t *st, const unsigned char *record,
                   size_t len, int last, unsigned char *plain)
{
  const unsigned char *body = record + NATIVE_WORD_LEN;
  gpg_error_t err;

  err = chunk_begin (st, record, last);
  if (!err)
    err = gcry_cipher_decrypt (st->hd, plain, len, body, len);
  if (!err)
    {
      err = gcry_cipher_checktag (st->hd, body + len, NATIVE_TAG_LEN);
      if (gpg_err_code (err) == GPG_ERR_CHECKSUM)
        err = plugin_err (GPG_ERR_CHECKSUM);
    }
  if (err)
    plugin_wipe (plain, len);
  else
    chunk_end (st);
  return err;
}
