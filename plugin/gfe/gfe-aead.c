/* gfe-aead.c - gfe2 and gfe3: the "Enc" container and its key file
 *
 * Enc(pw, m) = [magic] || salt(16) || nonce || ciphertext || tag(16)
 * with K = Argon2id (pw, salt).  The pack is Enc(P, key data), the key
 * file Enc(PIN, P) for a random 256-byte P.  Sealing random order: P,
 * pack salt, pack nonce, key file salt, key file nonce.  Opening holds
 * back the last 16 bytes fed (they may be the tag) and decrypts the
 * rest in chunks of GFE_CHUNK bytes.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "gfe.h"

const gfe_variant_t gfe2_variant =
  { 2, "", 0, 12, 3, 8, "AES-256-GCM" };
const gfe_variant_t gfe3_variant =
  { 3, GFE3_MAGIC, GFE3_MAGIC_LEN, 24, 3, 65536, "XChaCha20-Poly1305" };


/* Length of the container head of V: magic, salt, nonce.  */
static size_t
head_len (const gfe_variant_t *v)
{
  return v->magic_len + GFE_SALT_LEN + v->nonce_len;
}


/* Fill HEAD with the magic and random salt and nonce of V.  */
static void
make_head (const gfe_variant_t *v, const gpgpack_seal_params_t *params,
           unsigned char *head)
{
  memcpy (head, v->magic, v->magic_len);
  plugin_random (params->random, params->random_opaque, head + v->magic_len, GFE_SALT_LEN + v->nonce_len);
}


/* A cipher handle for the container whose head is HEAD, keyed from the
 * password PW of PWLEN bytes.  */
static gpg_error_t
open_container (const gfe_variant_t *v, const unsigned char *head,
                const void *pw, size_t pwlen, gcry_cipher_hd_t *r_hd)
{
  unsigned char *key;
  gpg_error_t err;

  key = gcry_malloc_secure (GFE_KEY_LEN);
  if (!key)
    return gpg_error_from_syserror ();
  err = gfe_argon2id (v, pw, pwlen, head + v->magic_len, key);
  if (!err)
    err = gfe_cipher_open (v, key, head + v->magic_len + GFE_SALT_LEN, r_hd);
  plugin_wipe (key, GFE_KEY_LEN);
  gcry_free (key);
  return err;
}


/* The key file Enc(PIN, P) of S into R_KEY.  */
static gpg_error_t
make_keyfile (gpgpack_stream_t s, const gpgpack_seal_params_t *params,
              gpgpack_blob_t *r_key)
{
  const gfe_variant_t *v = s->variant;
  size_t hlen = head_len (v);
  gcry_cipher_hd_t hd;
  gpg_error_t err;

  err = gfe_blob_new (hlen + s->secret_len + GFE_TAG_LEN, r_key);
  if (err)
    return err;
  make_head (v, params, r_key->data);
  err = open_container (v, r_key->data, params->passphrase,
                        strlen (params->passphrase), &hd);
  if (!err)
    {
      err = gcry_cipher_final (hd);
      if (!err)
        err = gcry_cipher_encrypt (hd, r_key->data + hlen, s->secret_len,
                                   s->secret, s->secret_len);
      if (!err)
        err = gcry_cipher_gettag (hd, r_key->data + hlen + s->secret_len,
                                  GFE_TAG_LEN);
      gcry_cipher_close (hd);
    }
  return err;
}


gpg_error_t
gfe_aead_seal_start (const gfe_variant_t *v,
                     const gpgpack_seal_params_t *params,
                     gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  gpgpack_stream_t s;
  gpg_error_t err;

  r_key->data = NULL;
  r_key->len = 0;
  if (params->raw_key)
    return plugin_err (GPG_ERR_NOT_SUPPORTED);
  if (!params->passphrase || !*params->passphrase)
    return plugin_err (GPG_ERR_NO_PASSPHRASE);
  err = gfe_stream_new (v, 1, &params->out, &s);
  if (err)
    return err;
  s->secret_len = GFE_SECRET_LEN;
  plugin_random (params->random, params->random_opaque, s->secret, s->secret_len);
  s->head_len = head_len (v);
  make_head (v, params, s->head);
  err = open_container (v, s->head, s->secret, s->secret_len, &s->hd);
  if (!err)
    err = make_keyfile (s, params, r_key);
  if (!err)
    err = gfe_count (s, s->head_len + GFE_TAG_LEN);
  if (!err)
    err = s->out.write (s->out.opaque, s->head, s->head_len);
  if (err)
    {
      gfe_stream_release (s);
      plugin_blob_release (r_key);
      return err;
    }
  *r_stream = s;
  return 0;
}


/* Decrypt the key file KEY (KEYLEN bytes) of V with PASSPHRASE into
 * S->secret.  */
static gpg_error_t
open_keyfile (gpgpack_stream_t s, const unsigned char *key, size_t keylen,
              const char *passphrase)
{
  const gfe_variant_t *v = s->variant;
  size_t hlen = head_len (v);
  gcry_cipher_hd_t hd;
  gpg_error_t err;

  if (keylen > GFE_MAX_KEYFILE)
    return plugin_err (GPG_ERR_TOO_LARGE);
  if (keylen < hlen + GFE_TAG_LEN
      || keylen - hlen - GFE_TAG_LEN > GFE_SECRET_LEN
      || memcmp (key, v->magic, v->magic_len))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  if (!passphrase || !*passphrase)
    return plugin_err (GPG_ERR_NO_PASSPHRASE);
  s->secret_len = keylen - hlen - GFE_TAG_LEN;
  err = open_container (v, key, passphrase, strlen (passphrase), &hd);
  if (err)
    return err;
  err = gcry_cipher_final (hd);
  if (!err)
    err = gcry_cipher_decrypt (hd, s->secret, s->secret_len,
                               key + hlen, s->secret_len);
  if (!err && gcry_cipher_checktag (hd, key + hlen + s->secret_len,
                                    GFE_TAG_LEN))
    err = plugin_err (GPG_ERR_BAD_PASSPHRASE);
  gcry_cipher_close (hd);
  return err;
}


gpg_error_t
gfe_aead_open_start (const gfe_variant_t *v,
                     const gpgpack_open_params_t *params,
                     gpgpack_stream_t *r_stream)
{
  gpgpack_stream_t s;
  gpg_error_t err;

  *r_stream = NULL;
  if (params->raw_key)
    return plugin_err (GPG_ERR_NOT_SUPPORTED);
  err = gfe_stream_new (v, 0, &params->out, &s);
  if (err)
    return err;
  s->head_len = head_len (v);
  err = open_keyfile (s, params->key, params->keylen, params->passphrase);
  if (err)
    {
      gfe_stream_release (s);
      return err;
    }
  *r_stream = s;
  return 0;
}


/* Write the LEN bytes of S->buf (plaintext) and wipe them.  */
static gpg_error_t
emit_plain (gpgpack_stream_t s, size_t len)
{
  gpg_error_t err = 0;

  if (len)
    err = s->out.write (s->out.opaque, s->buf, len);
  plugin_wipe (s->buf, len);
  return err;
}


/* Sealing: encrypt and write the full chunk in S->buf.  */
static gpg_error_t
seal_chunk (gpgpack_stream_t s)
{
  gpg_error_t err = gcry_cipher_encrypt (s->hd, s->buf, GFE_CHUNK, NULL, 0);

  return err? err : s->out.write (s->out.opaque, s->buf, GFE_CHUNK);
}


/* Sealing: buffer plaintext, encrypt and write every full chunk.  */
static gpg_error_t
seal_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return gfe_fill (s, s->buf, GFE_CHUNK, &s->buf_len, buf, len, seal_chunk);
}


/* Opening: complete the head, then key the cipher from P and its salt. */
static gpg_error_t
take_head (gpgpack_stream_t s, const unsigned char **buf, size_t *len)
{
  const gfe_variant_t *v = s->variant;
  size_t take = s->head_len - s->head_have;

  if (take > *len)
    take = *len;
  memcpy (s->head + s->head_have, *buf, take);
  s->head_have += take;
  *buf += take;
  *len -= take;
  if (s->head_have >= v->magic_len
      && memcmp (s->head, v->magic, v->magic_len))
    return plugin_err (GPG_ERR_INV_DATA);
  if (s->head_have < s->head_len)
    return 0;
  return open_container (v, s->head, s->secret, s->secret_len, &s->hd);
}


/* Opening: decrypt all but the last GFE_TAG_LEN bytes seen so far.  */
static gpg_error_t
open_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = gfe_count (s, len);
  size_t take;

  if (!err && s->head_have < s->head_len)
    err = take_head (s, &buf, &len);
  while (len && !err)
    {
      take = sizeof s->buf - s->buf_len < len ? sizeof s->buf - s->buf_len
                                              : len;
      memcpy (s->buf + s->buf_len, buf, take);
      s->buf_len += take;
      buf += take;
      len -= take;
      if (s->buf_len == sizeof s->buf && len)
        {
          err = gcry_cipher_decrypt (s->hd, s->buf, GFE_CHUNK, NULL, 0);
          if (!err)
            err = emit_plain (s, GFE_CHUNK);
          memmove (s->buf, s->buf + GFE_CHUNK, GFE_TAG_LEN);
          s->buf_len = GFE_TAG_LEN;
        }
    }
  return err;
}


gpg_error_t
gfe_aead_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return s->sealing ? seal_feed (s, buf, len) : open_feed (s, buf, len);
}


/* Sealing: encrypt the rest and append the tag.  */
static gpg_error_t
seal_finish (gpgpack_stream_t s)
{
  unsigned char tag[GFE_TAG_LEN];
  gpg_error_t err;

  err = gcry_cipher_final (s->hd);
  if (!err)
    err = gcry_cipher_encrypt (s->hd, s->buf, s->buf_len, NULL, 0);
  if (!err && s->buf_len)
    err = s->out.write (s->out.opaque, s->buf, s->buf_len);
  if (!err)
    err = gcry_cipher_gettag (s->hd, tag, sizeof tag);
  if (!err)
    err = s->out.write (s->out.opaque, tag, sizeof tag);
  return err;
}


/* Opening: decrypt the rest and check the tag before writing it.  */
static gpg_error_t
open_finish (gpgpack_stream_t s)
{
  size_t n;
  gpg_error_t err;

  if (s->head_have < s->head_len || s->buf_len < GFE_TAG_LEN)
    return plugin_err (s->total ? GPG_ERR_TRUNCATED : GPG_ERR_INV_DATA);
  n = s->buf_len - GFE_TAG_LEN;
  err = gcry_cipher_final (s->hd);
  if (!err)
    err = gcry_cipher_decrypt (s->hd, s->buf, n, NULL, 0);
  if (!err && gcry_cipher_checktag (s->hd, s->buf + n, GFE_TAG_LEN))
    err = plugin_err (GPG_ERR_CHECKSUM);
  if (!err)
    err = emit_plain (s, n);
  plugin_wipe (s->buf, n);
  return err;
}


gpg_error_t
gfe_aead_finish (gpgpack_stream_t s)
{
  return s->sealing ? seal_finish (s) : open_finish (s);
}
