/* native-header.c - encode, parse and authenticate the native pack header */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "native.h"

/* Name of the AEAD id AEAD for messages and info().  */
const char *
native_aead_name (int aead)
{
  return aead == NATIVE_AEAD_GCM ? "AES-256-GCM" : "AES-256-OCB";
}


/* libgcrypt cipher mode of the AEAD id AEAD, or 0 if unknown.  */
int
native_aead_mode (int aead)
{
  switch (aead)
    {
    case NATIVE_AEAD_OCB: return GCRY_CIPHER_MODE_OCB;
    case NATIVE_AEAD_GCM: return GCRY_CIPHER_MODE_GCM;
    default: return 0;
    }
}


/* HMAC-SHA256 over the header bytes before the MAC field.  */
static gpg_error_t
header_mac (const unsigned char *raw, const unsigned char *mac_key,
            unsigned char *mac)
{
  const void *bufs[1] = { raw };
  size_t lens[1] = { NATIVE_OFF_MAC };

  return native_hmac (mac_key, bufs, lens, 1, mac);
}


/* Encode the fields of HDR into HDR->raw, adding the key check value
 * and the MAC from KEYS.  HDR->chunk_size must be a valid power of 2.  */
gpg_error_t
native_header_build (native_header_t *hdr, const native_keys_t *keys)
{
  unsigned char *p = hdr->raw;
  unsigned int octet = 0;
  int i;

  while (((size_t)64 << octet) < hdr->chunk_size)
    octet++;
  memcpy (p, NATIVE_MAGIC, NATIVE_MAGIC_LEN);
  p[NATIVE_OFF_VERSION] = NATIVE_VERSION;
  p[NATIVE_OFF_AEAD] = hdr->aead;
  p[NATIVE_OFF_CHUNK] = octet;
  p[NATIVE_OFF_FLAGS] = hdr->flags;
  memcpy (p + NATIVE_OFF_PACKID, hdr->pack_id, NATIVE_PACKID_LEN);
  for (i = 0; i < 8; i++)
    p[NATIVE_OFF_CREATED + i] = hdr->created >> (56 - 8 * i);
  memcpy (p + NATIVE_OFF_KCV, keys->kcv, NATIVE_KCV_LEN);
  return header_mac (p, keys->mac_key, p + NATIVE_OFF_MAC);
}


/* Parse the LEN leading bytes BUF of a pack into HDR, checking the
 * structure only (no key needed).  The checks follow doc/format.md:
 * an empty pack or another magic is not a native pack, a shorter one
 * whose bytes agree so far is truncated.  */
gpg_error_t
native_header_parse (const void *buf, size_t len, native_header_t *hdr)
{
  const unsigned char *p = buf;
  size_t n = len < NATIVE_MAGIC_LEN ? len : NATIVE_MAGIC_LEN;
  int i;

  memset (hdr, 0, sizeof *hdr);
  if (!len || memcmp (p, NATIVE_MAGIC, n))
    return plugin_err (GPG_ERR_INV_DATA);
  if (len <= NATIVE_OFF_VERSION)
    return plugin_err (GPG_ERR_TRUNCATED);
  if (p[NATIVE_OFF_VERSION] != NATIVE_VERSION)
    return plugin_err (GPG_ERR_UNKNOWN_VERSION);
  if (len < NATIVE_HEADER_LEN)
    return plugin_err (GPG_ERR_TRUNCATED);
  if (!native_aead_mode (p[NATIVE_OFF_AEAD]))
    return plugin_err (GPG_ERR_CIPHER_ALGO);
  if (p[NATIVE_OFF_CHUNK] > NATIVE_CHUNK_MAX_OCTET
      || (p[NATIVE_OFF_FLAGS] & ~NATIVE_FLAGS_KNOWN))
    return plugin_err (GPG_ERR_INV_PACKET);

  memcpy (hdr->raw, p, NATIVE_HEADER_LEN);
  hdr->aead = p[NATIVE_OFF_AEAD];
  hdr->chunk_size = (size_t)64 << p[NATIVE_OFF_CHUNK];
  hdr->flags = p[NATIVE_OFF_FLAGS];
  memcpy (hdr->pack_id, p + NATIVE_OFF_PACKID, NATIVE_PACKID_LEN);
  for (i = 0; i < 8; i++)
    hdr->created = (hdr->created << 8) | p[NATIVE_OFF_CREATED + i];
  return 0;
}


/* Check the key check value and then the MAC of HDR with KEYS.  */
gpg_error_t
native_header_verify (const native_header_t *hdr, const native_keys_t *keys)
{
  unsigned char mac[NATIVE_MAC_LEN];
  gpg_error_t err;

  if (!native_equal (hdr->raw + NATIVE_OFF_KCV, keys->kcv, NATIVE_KCV_LEN))
    return plugin_err (GPG_ERR_BAD_KEY);
  err = header_mac (hdr->raw, keys->mac_key, mac);
  if (err)
    return err;
  if (!native_equal (hdr->raw + NATIVE_OFF_MAC, mac, NATIVE_MAC_LEN))
    return plugin_err (GPG_ERR_BAD_MAC);
  return 0;
}
