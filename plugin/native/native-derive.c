/* native-derive.c - subkeys and key check value from the file key */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "native.h"

#define LABEL_PREFIX "gpgpack native v1 "

/* HMAC-SHA256 with the 32-byte KEY over the concatenation of the N
 * buffers BUFS of lengths LENS; 32 bytes to MAC.  */
gpg_error_t
native_hmac (const unsigned char *key, const void *const *bufs,
             const size_t *lens, unsigned int n, unsigned char *mac)
{
  size_t maclen = NATIVE_MAC_LEN;
  gcry_mac_hd_t hd;
  gpg_error_t err;
  unsigned int i;

  err = gcry_mac_open (&hd, GCRY_MAC_HMAC_SHA256, GCRY_MAC_FLAG_SECURE, NULL);
  if (err)
    return err;
  err = gcry_mac_setkey (hd, key, NATIVE_KEY_LEN);
  for (i = 0; !err && i < n; i++)
    err = gcry_mac_write (hd, bufs[i], lens[i]);
  if (!err)
    err = gcry_mac_read (hd, mac, &maclen);
  gcry_mac_close (hd);
  return err;
}


/* HKDF-Expand (RFC 5869) with SHA-256 for OUTLEN <= 32 bytes: the first
 * OUTLEN bytes of HMAC-SHA256 (FILE_KEY, LABEL_PREFIX LABEL || PACK_ID ||
 * 0x01).  The file key is uniformly random, so it serves as the PRK
 * without an extract step.  PACK_ID may be NULL.  */
static gpg_error_t
expand (const unsigned char *file_key, const char *label,
        const unsigned char *pack_id, unsigned char *out, size_t outlen)
{
  static const unsigned char one = 1;
  const void *bufs[4] = { LABEL_PREFIX, label, pack_id, &one };
  size_t lens[4] = { strlen (LABEL_PREFIX), strlen (label),
                     pack_id ? NATIVE_PACKID_LEN : 0, 1 };
  unsigned char mac[NATIVE_MAC_LEN];
  gpg_error_t err;

  if (!pack_id)
    bufs[2] = "";
  err = native_hmac (file_key, bufs, lens, 4, mac);
  if (!err)
    memcpy (out, mac, outlen);
  plugin_wipe (mac, sizeof mac);
  return err;
}


/* The key check value of FILE_KEY: names a wrong key before any
 * decryption.  Independent of the pack id so that a pack id mismatch
 * can be told apart from a wrong key.  */
gpg_error_t
native_key_check (const unsigned char *file_key, unsigned char *kcv)
{
  return expand (file_key, "key check", NULL, kcv, NATIVE_KCV_LEN);
}


/* Fill KEYS from KEYS->file_key and PACK_ID.  */
gpg_error_t
native_derive_keys (native_keys_t *keys, const unsigned char *pack_id)
{
  gpg_error_t err;

  err = expand (keys->file_key, "payload key", pack_id,
                keys->payload_key, NATIVE_KEY_LEN);
  if (!err)
    err = expand (keys->file_key, "header mac", pack_id,
                  keys->mac_key, NATIVE_KEY_LEN);
  if (!err)
    err = expand (keys->file_key, "nonce prefix", pack_id,
                  keys->nonce_prefix, NATIVE_PREFIX_LEN);
  if (!err)
    err = native_key_check (keys->file_key, keys->kcv);
  return err;
}
