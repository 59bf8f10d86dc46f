/* gfe-kdf.c - Argon2id and the AEAD ciphers of gfe2 (AES-256-GCM) and
 * gfe3 (XChaCha20-Poly1305, HChaCha20 over libgcrypt's ChaCha20)
 *
 * XChaCha20-Poly1305-IETF (draft-irtf-cfrg-xchacha-03) is the RFC 8439
 * AEAD with the subkey HChaCha20 (key, nonce[0..15]) and the nonce
 * 0x00000000 || nonce[16..23].  HChaCha20 is twenty ChaCha rounds over
 * constants, key and 16 nonce bytes, without the final addition.  It is
 * written here rather than linking libsodium for one call: libsodium's
 * AEAD is one-shot and would force holding a whole 32 MiB pack in
 * memory, while libgcrypt's ChaCha20-Poly1305 streams; the function is
 * checked against the draft's vector and libsodium-made packs in
 * tests/check_gfe.c.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "gfe.h"

/* Argon2id v1.3, p = 1, of PW with SALT, 32 bytes to KEY, with the
 * passes and memory of variant V.  */
gpg_error_t
gfe_argon2id (const gfe_variant_t *v, const void *pw, size_t pwlen,
              const unsigned char *salt, unsigned char *key)
{
  unsigned long param[4] = { GFE_KEY_LEN, v->kdf_passes, v->kdf_mem_kib, 1 };
  gcry_kdf_hd_t hd;
  gpg_error_t err;

  err = gcry_kdf_open (&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, param, 4,
                       pw, pwlen, salt, GFE_SALT_LEN, NULL, 0, NULL, 0);
  if (err)
    return err;
  err = gcry_kdf_compute (hd, NULL);
  if (!err)
    err = gcry_kdf_final (hd, GFE_KEY_LEN, key);
  gcry_kdf_close (hd);
  return err;
}


static uint32_t
rotl32 (uint32_t v, int c)
{
  return (v << c) | (v >> (32 - c));
}


static uint32_t
get_le32 (const unsigned char *p)
{
  return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16)
         | ((uint32_t)p[3] << 24);
}


static void
put_le32 (unsigned char *p, uint32_t v)
{
  p[0] = v;
  p[1] = v >> 8;
  p[2] = v >> 16;
  p[3] = v >> 24;
}


#define QUARTER(a, b, c, d) do {                     \
    x[a] += x[b]; x[d] = rotl32 (x[d] ^ x[a], 16);    \
    x[c] += x[d]; x[b] = rotl32 (x[b] ^ x[c], 12);    \
    x[a] += x[b]; x[d] = rotl32 (x[d] ^ x[a], 8);     \
    x[c] += x[d]; x[b] = rotl32 (x[b] ^ x[c], 7);     \
  } while (0)

/* HChaCha20 of the 32-byte KEY and NONCE16: 32 bytes to SUBKEY.  */
void
gfe_hchacha20 (const unsigned char *key, const unsigned char *nonce16,
               unsigned char *subkey)
{
  uint32_t x[16];
  int i;

  x[0] = 0x61707865;            /* "expand 32-byte k" */
  x[1] = 0x3320646e;
  x[2] = 0x79622d32;
  x[3] = 0x6b206574;
  for (i = 0; i < 8; i++)
    x[4 + i] = get_le32 (key + 4 * i);
  for (i = 0; i < 4; i++)
    x[12 + i] = get_le32 (nonce16 + 4 * i);
  for (i = 0; i < 10; i++)
    {
      QUARTER (0, 4, 8, 12);
      QUARTER (1, 5, 9, 13);
      QUARTER (2, 6, 10, 14);
      QUARTER (3, 7, 11, 15);
      QUARTER (0, 5, 10, 15);
      QUARTER (1, 6, 11, 12);
      QUARTER (2, 7, 8, 13);
      QUARTER (3, 4, 9, 14);
    }
  for (i = 0; i < 4; i++)
    {
      put_le32 (subkey + 4 * i, x[i]);
      put_le32 (subkey + 16 + 4 * i, x[12 + i]);
    }
  plugin_wipe (x, sizeof x);
}


/* Open the AEAD of variant V keyed with KEY and NONCE.  */
gpg_error_t
gfe_cipher_open (const gfe_variant_t *v, const unsigned char *key,
                 const unsigned char *nonce, gcry_cipher_hd_t *r_hd)
{
  unsigned char *subkey, iv[12];
  gcry_cipher_hd_t hd;
  gpg_error_t err;

  *r_hd = NULL;
  subkey = gcry_malloc_secure (GFE_KEY_LEN);
  if (!subkey)
    return gpg_error_from_syserror ();
  if (v->nonce_len == 12)
    err = gcry_cipher_open (&hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM,
                            GCRY_CIPHER_SECURE);
  else
    err = gcry_cipher_open (&hd, GCRY_CIPHER_CHACHA20,
                            GCRY_CIPHER_MODE_POLY1305, GCRY_CIPHER_SECURE);
  if (err)
    {
      gcry_free (subkey);
      return err;
    }
  if (v->nonce_len == 12)
    {
      err = gcry_cipher_setkey (hd, key, GFE_KEY_LEN);
      if (!err)
        err = gcry_cipher_setiv (hd, nonce, 12);
    }
  else
    {
      gfe_hchacha20 (key, nonce, subkey);
      memset (iv, 0, 4);
      memcpy (iv + 4, nonce + 16, 8);
      err = gcry_cipher_setkey (hd, subkey, GFE_KEY_LEN);
      if (!err)
        err = gcry_cipher_setiv (hd, iv, sizeof iv);
    }
  plugin_wipe (subkey, GFE_KEY_LEN);
  gcry_free (subkey);
  if (err)
    gcry_cipher_close (hd);
  else
    *r_hd = hd;
  return err;
}
