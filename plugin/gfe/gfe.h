/* gfe.h - internal declarations of the GpgFrontend pack formats
 *
 * Byte layouts in doc/format.md ("GpgFrontend formats").  Module split:
 * gfe.c (format tables, probe, info, stream life), gfe-util.c (errors,
 * memory, random), gfe-b64.c (Base64 and OpenPGP armor, gfe-b64.h),
 * gfe1.c (gfe1: AES-256-ECB over Base64 of the armor), gfe-aead.c (the
 * "Enc" container of gfe2 and gfe3, key files), gfe-kdf.c (Argon2id
 * and HChaCha20).
 */
#ifndef GPGPACK_GFE_H
#define GPGPACK_GFE_H

#include <stddef.h>
#include <stdint.h>
#include <gcrypt.h>
#include "gpgpack-plugin.h"
#include "plugin-util.h"
#include "gfe-b64.h"

#define GFE_MAX_PACK        (32u * 1024 * 1024)  /* GpgFrontend's dialogs */
#define GFE_MAX_KEYFILE     (1024u * 1024)
#define GFE_CHUNK           4096    /* bytes en/decrypted per call */
#define GFE_KEY_LEN         32
#define GFE_TAG_LEN         16
#define GFE_SALT_LEN        16
#define GFE_SECRET_LEN      256     /* P of gfe2/gfe3, key file of gfe1 */
#define GFE_MAX_HEAD        (6 + GFE_SALT_LEN + 24)

#define GFE1_KEYFILE_LEN    256
#define GFE1_BLOCK          16
#define GFE1_ARMOR_MAX      40      /* longest armor line we look for */

#define GFE3_MAGIC          "GFSEC2"
#define GFE3_MAGIC_LEN      6

/* The "Enc" container of gfe2 and gfe3.  */
typedef struct gfe_variant
{
  int version;                  /* 2 or 3 */
  const char *magic;            /* "" for gfe2 */
  size_t magic_len;
  size_t nonce_len;             /* 12 (GCM) or 24 (XChaCha20) */
  unsigned int kdf_passes;
  unsigned int kdf_mem_kib;
  const char *cipher_name;
} gfe_variant_t;

extern const gfe_variant_t gfe2_variant;
extern const gfe_variant_t gfe3_variant;

/* Where gfe1 stands while opening, or sealing text.  */
enum gfe1_phase
  {
    GFE1_HEADER,                /* checking for an armor header */
    GFE1_BODY,                  /* header good, passing text on */
    GFE1_PADDING                /* 0x80 seen: only 0x00 may follow */
  };

/* State of one seal or open operation; allocated in secure memory, so
 * that every buffer of plaintext, key or text lives there.  */
struct gpgpack_stream
{
  const gfe_variant_t *variant; /* NULL for gfe1 */
  int sealing;
  int finished;
  gpg_error_t failed;           /* sticky error */
  gpgpack_sink_t out;
  uint64_t total;               /* pack bytes read or written */
  gcry_cipher_hd_t hd;

  /* gfe2/gfe3 */
  unsigned char secret[GFE_SECRET_LEN];  /* P: the pack's password */
  size_t secret_len;
  unsigned char head[GFE_MAX_HEAD];      /* magic || salt || nonce */
  size_t head_len, head_have;
  unsigned char buf[GFE_CHUNK + GFE_TAG_LEN];  /* plain or held-back ct */
  size_t buf_len;

  /* gfe1 */
  unsigned char block[GFE1_BLOCK];
  size_t block_len;
  gfe_b64enc_t b64enc;          /* Base64 of the armor text */
  gfe_b64enc_t armorenc;        /* armor body when sealing binary data */
  int armoring;                 /* sealing binary: we write the armor */
  int input_seen;
  unsigned int crc;             /* CRC-24 of the armored binary */
  const char *armor_tail;       /* END line of the armor we write */
  gfe_b64dec_t b64dec;
  enum gfe1_phase phase;
  unsigned char text[GFE1_ARMOR_MAX];    /* first, later last, text bytes */
  unsigned char plain[GFE1_BLOCK];       /* one decrypted block */
  unsigned char decoded[GFE1_BLOCK];     /* its Base64 decoded */
  size_t text_len;
};

/* gfe-util.c */
gpg_error_t gfe_stream_new (const gfe_variant_t *variant, int sealing,
                            const gpgpack_sink_t *out,
                            gpgpack_stream_t *r_stream);
void gfe_stream_release (gpgpack_stream_t s);
gpg_error_t gfe_count (gpgpack_stream_t s, size_t len);
gpg_error_t gfe_fill (gpgpack_stream_t s, unsigned char *block, size_t size,
                      size_t *fill, const unsigned char *buf, size_t len,
                      gpg_error_t (*full) (gpgpack_stream_t s));
gpg_error_t gfe_blob_new (size_t len, gpgpack_blob_t *r_blob);

/* gfe1.c */
gpg_error_t gfe1_seal_start (const gpgpack_seal_params_t *params,
                             gpgpack_stream_t *r_stream,
                             gpgpack_blob_t *r_key);
gpg_error_t gfe1_open_start (const gpgpack_open_params_t *params,
                             gpgpack_stream_t *r_stream);
gpg_error_t gfe1_feed (gpgpack_stream_t s, const unsigned char *buf,
                       size_t len);
gpg_error_t gfe1_finish (gpgpack_stream_t s);

/* gfe-aead.c */
gpg_error_t gfe_aead_seal_start (const gfe_variant_t *v,
                                 const gpgpack_seal_params_t *params,
                                 gpgpack_stream_t *r_stream,
                                 gpgpack_blob_t *r_key);
gpg_error_t gfe_aead_open_start (const gfe_variant_t *v,
                                 const gpgpack_open_params_t *params,
                                 gpgpack_stream_t *r_stream);
gpg_error_t gfe_aead_feed (gpgpack_stream_t s, const unsigned char *buf,
                           size_t len);
gpg_error_t gfe_aead_finish (gpgpack_stream_t s);

/* gfe-kdf.c */
gpg_error_t gfe_argon2id (const gfe_variant_t *v, const void *pw,
                          size_t pwlen, const unsigned char *salt,
                          unsigned char *key);
gpg_error_t gfe_cipher_open (const gfe_variant_t *v, const unsigned char *key,
                             const unsigned char *nonce,
                             gcry_cipher_hd_t *r_hd);
void gfe_hchacha20 (const unsigned char *key, const unsigned char *nonce16,
                    unsigned char *subkey);

#endif /*GPGPACK_GFE_H*/
