/* native.h - internal declarations of the native gpgpack pack format
 *
 * The byte layout is specified in doc/format.md ("native").  Module
 * split: native-util.c (errors, hex, memory), native-derive.c (subkeys),
 * native-header.c (header), native-stream.c (STREAM chunks),
 * native-keyfile.c (key file, Argon2id), native-seal.c, native-open.c,
 * native-share.c (shares glue over share.c), native.c (format table).
 */
#ifndef GPGPACK_NATIVE_H
#define GPGPACK_NATIVE_H

#include <stddef.h>
#include <stdint.h>
#include <gcrypt.h>
#include "gpgpack-plugin.h"
#include "plugin-util.h"

#define NATIVE_MAGIC          "\x89GPK\r\n\x1a\n"
#define NATIVE_MAGIC_LEN      8
#define NATIVE_VERSION        1
#define NATIVE_AEAD_OCB       2      /* RFC 9580 AEAD algorithm ids */
#define NATIVE_AEAD_GCM       3
#define NATIVE_FLAG_PASSPHRASE 0x01  /* key file is passphrase-protected */
#define NATIVE_FLAG_RAWKEY    0x02   /* file key handed out raw (shares) */
#define NATIVE_FLAGS_KNOWN    0x03

#define NATIVE_KEY_LEN        32     /* file key and derived keys */
#define NATIVE_PACKID_LEN     16
#define NATIVE_KCV_LEN        16
#define NATIVE_MAC_LEN        32
#define NATIVE_NONCE_LEN      12
#define NATIVE_PREFIX_LEN     7      /* nonce = prefix || counter || last */
#define NATIVE_TAG_LEN        16
#define NATIVE_WORD_LEN       4      /* record word: last flag | length */
#define NATIVE_LAST_BIT       0x80000000u

/* Header offsets; the MAC covers bytes 0 .. NATIVE_OFF_MAC-1.  */
#define NATIVE_OFF_VERSION    8
#define NATIVE_OFF_AEAD       9
#define NATIVE_OFF_CHUNK      10
#define NATIVE_OFF_FLAGS      11
#define NATIVE_OFF_PACKID     12
#define NATIVE_OFF_CREATED    28
#define NATIVE_OFF_KCV        36
#define NATIVE_OFF_MAC        52
#define NATIVE_HEADER_LEN     84

/* Chunk size is 2^(c+6) with the chunk octet c in 0..14.  */
#define NATIVE_CHUNK_MIN_OCTET 0
#define NATIVE_CHUNK_MAX_OCTET 14
#define NATIVE_CHUNK_DEFAULT  16384  /* fits libgcrypt's default secmem */
#define NATIVE_MANIFEST_MAX   (1024 * 1024)

/* Argon2id defaults (RFC 9106, second recommended option) and the
 * limits of both writer and reader: a key file is attacker-controlled,
 * and these bound one derivation to about a minute and 1 GiB.  */
#define NATIVE_KDF_PASSES     3
#define NATIVE_KDF_MEM_KIB    65536
#define NATIVE_KDF_LANES      4
#define NATIVE_KDF_MAX_PASSES 10
#define NATIVE_KDF_MAX_MEM_KIB (1024 * 1024)
#define NATIVE_KDF_MAX_LANES  16
#define NATIVE_SALT_LEN       16

/* What a parsed header says.  */
typedef struct native_header
{
  unsigned char raw[NATIVE_HEADER_LEN];  /* the bytes as read or written */
  int aead;                              /* NATIVE_AEAD_* */
  size_t chunk_size;
  unsigned int flags;
  unsigned char pack_id[NATIVE_PACKID_LEN];
  uint64_t created;
} native_header_t;

/* Secrets of one pack; always in secure memory.  */
typedef struct native_keys
{
  unsigned char file_key[NATIVE_KEY_LEN];
  unsigned char payload_key[NATIVE_KEY_LEN];
  unsigned char mac_key[NATIVE_KEY_LEN];
  unsigned char kcv[NATIVE_KCV_LEN];
  unsigned char nonce_prefix[NATIVE_PREFIX_LEN];
} native_keys_t;

/* AEAD state of the STREAM construction over one pack's payload.  */
typedef struct native_aead
{
  gcry_cipher_hd_t hd;
  unsigned char nonce_prefix[NATIVE_PREFIX_LEN];
  uint32_t counter;                      /* index of the next chunk */
  int counter_used_up;                   /* 2^32 chunks done */
  unsigned char ad[NATIVE_HEADER_LEN + NATIVE_WORD_LEN];
} native_aead_t;

/* A parsed key file (or raw key).  */
typedef struct native_keyfile
{
  int has_pack_id;                       /* 0 for a raw key */
  unsigned char pack_id[NATIVE_PACKID_LEN];
  unsigned char *file_key;               /* secure, NATIVE_KEY_LEN */
} native_keyfile_t;

/* Where opening stands in the pack.  */
enum native_open_phase
  {
    NATIVE_PHASE_HEADER,   /* collecting the header */
    NATIVE_PHASE_RECORDS,  /* reading records */
    NATIVE_PHASE_DONE      /* the last record has been read */
  };

/* State of one seal or open operation.  */
struct gpgpack_stream
{
  int sealing;
  gpg_error_t failed;                    /* sticky error */
  int finished;                          /* finish has been called */
  gpgpack_sink_t out;
  native_keys_t *keys;                   /* secure */
  native_header_t hdr;
  native_aead_t aead;
  int aead_ready;
  unsigned char *plain;                  /* secure, one chunk */
  size_t plain_len;
  unsigned char *record;                 /* one record: word, body, tag */
  size_t record_len;

  /* Opening only.  */
  native_keyfile_t keyfile;
  unsigned char head[NATIVE_HEADER_LEN]; /* header being collected */
  size_t head_len;
  enum native_open_phase phase;
  size_t need;                           /* length of the current record,
                                            0 until its word is read */
  int last;                              /* current record is the last */
  gpgpack_sink_t manifest_sink;
  unsigned char manifest_word[NATIVE_WORD_LEN];
  size_t manifest_word_have;
  unsigned char *manifest;               /* collected until complete */
  size_t manifest_len;
  size_t manifest_have;
};

/* native-util.c */
void *native_secure_alloc (size_t len, gpg_error_t *r_err);
void native_secure_free (void *buf, size_t len);
void native_hex_encode (const unsigned char *bin, size_t len, char *hex);
int native_hex_decode (const char *hex, size_t hexlen, unsigned char *bin,
                       size_t binlen);
void native_put_u32 (unsigned char *p, uint32_t v);
uint32_t native_get_u32 (const unsigned char *p);
int native_equal (const void *a, const void *b, size_t len);

/* native-derive.c */
gpg_error_t native_hmac (const unsigned char *key, const void *const *bufs,
                         const size_t *lens, unsigned int n,
                         unsigned char *mac);
gpg_error_t native_key_check (const unsigned char *file_key,
                              unsigned char *kcv);
gpg_error_t native_derive_keys (native_keys_t *keys,
                                const unsigned char *pack_id);

/* native-header.c */
gpg_error_t native_header_build (native_header_t *hdr,
                                 const native_keys_t *keys);
gpg_error_t native_header_parse (const void *buf, size_t len,
                                 native_header_t *hdr);
gpg_error_t native_header_verify (const native_header_t *hdr,
                                  const native_keys_t *keys);
const char *native_aead_name (int aead);
int native_aead_mode (int aead);

/* native-stream.c */
gpg_error_t native_aead_init (native_aead_t *st, const native_header_t *hdr,
                              const native_keys_t *keys);
void native_aead_deinit (native_aead_t *st);
gpg_error_t native_chunk_seal (native_aead_t *st, const unsigned char *plain,
                               size_t len, int last, unsigned char *record);
gpg_error_t native_chunk_open (native_aead_t *st, const unsigned char *record,
                               size_t len, int last, unsigned char *plain);

/* native-keyfile.c */
gpg_error_t native_keyfile_make (const native_header_t *hdr,
                                 const unsigned char *file_key,
                                 const gpgpack_seal_params_t *params,
                                 gpgpack_blob_t *r_key);
gpg_error_t native_keyfile_parse (const void *key, size_t len, int raw,
                                  const char *passphrase,
                                  native_keyfile_t *r_kf);
int native_has_passphrase (const char *passphrase);

/* native-seal.c */
gpg_error_t native_seal_start (const gpgpack_seal_params_t *params,
                               gpgpack_stream_t *r_stream,
                               gpgpack_blob_t *r_key);
gpg_error_t native_seal_feed (gpgpack_stream_t s, const unsigned char *buf,
                              size_t len);
gpg_error_t native_seal_finish (gpgpack_stream_t s);

/* native-open.c */
gpg_error_t native_open_start (const gpgpack_open_params_t *params,
                               gpgpack_stream_t *r_stream);
gpg_error_t native_open_feed (gpgpack_stream_t s, const unsigned char *buf,
                              size_t len);
gpg_error_t native_open_finish (gpgpack_stream_t s);

/* native-share.c */
extern const gpgpack_sharing_t native_sharing;

/* native.c */
gpg_error_t native_stream_new (int sealing, gpgpack_stream_t *r_stream);
gpg_error_t native_stream_buffers (gpgpack_stream_t s, size_t chunk_size);
void native_stream_release (gpgpack_stream_t s);

#endif /*GPGPACK_NATIVE_H*/
