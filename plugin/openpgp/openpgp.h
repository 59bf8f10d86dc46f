/* openpgp.h - internal declarations of the openpgp and autocrypt formats
 *
 * Byte layouts in doc/format.md ("openpgp and autocrypt formats").
 * Module split: openpgp.c (format tables, probe, info, stream life),
 * opgp-s2k.c (S2K, algorithm ids, setup codes), opgp-packet.c (packet
 * framing: reading any length form, writing partial lengths),
 * opgp-armor.c (armor reader and writer), opgp-seal.c (writer),
 * opgp-open.c (reader: SKESK, SEIPD, MDC, compressed and literal data),
 * opgp-inflate.c (RFC 1951 inflate and the RFC 1950 wrapper).  Base64 and
 * the armor CRC come from gfe/gfe-b64.c.
 */
#ifndef GPGPACK_OPENPGP_H
#define GPGPACK_OPENPGP_H

#include <stddef.h>
#include <stdint.h>
#include <gcrypt.h>
#include "gpgpack-plugin.h"
#include "plugin-util.h"
#include "gfe-b64.h"    /* gfe_b64enc_t, gfe_b64dec_t, gfe_crc24 */

#define OPGP_PART_BITS    10          /* partial body chunks of 1 KiB */
#define OPGP_PART         (1u << OPGP_PART_BITS)
#define OPGP_MAX_BLOCK    16
#define OPGP_MDC_LEN      22          /* 0xD3 0x14 and a SHA-1 digest */
#define OPGP_MAX_SKESK    64          /* longest SKESK body accepted */
#define OPGP_LINE_MAX     1024        /* longest armor line examined */
#define OPGP_CODE_LEN     44          /* numeric9x4 with its 8 dashes */
#define OPGP_S2K_COUNT    0xf0        /* 33554432 bytes: ~100 ms here */
#define OPGP_MAX_PASSPHRASE 1024
#define OPGP_MIN_PASSPHRASE 12        /* characters of a user's passphrase */
#define OPGP_MIN_DISTINCT   5         /* ... of them different */
#define OPGP_CRC24_INIT   0xb704ce    /* RFC 4880, 6.1 */
#define OPGP_WSIZE        32768       /* deflate's window */
/* Most key data a compressed packet may inflate to: the daemon's
 * default bound of a pack, so that no pack it takes uncompressed is
 * refused compressed, and a compression bomb stops there.  */
#define OPGP_MAX_INFLATED (64u * 1024 * 1024)

/* OpenPGP ids (RFC 4880, 9).  */
#define OPGP_CIPHER_AES128 7
#define OPGP_CIPHER_AES256 9
#define OPGP_HASH_SHA256   8
#define OPGP_COMPR_NONE    0
#define OPGP_COMPR_ZIP     1          /* raw deflate */
#define OPGP_COMPR_ZLIB    2          /* RFC 1950 */
#define OPGP_COMPR_BZIP2   3
#define OPGP_S2K_ITERSALTED 3

/* Packet tags.  */
#define OPGP_TAG_SKESK     3
#define OPGP_TAG_COMPRESSED 8
#define OPGP_TAG_LITERAL   11
#define OPGP_TAG_SECKEY    5
#define OPGP_TAG_SEIPD     18

typedef gfe_emit_fn opgp_emit_fn;

/* Events of a packet reader.  */
enum opgp_pkt_event { OPGP_PKT_START, OPGP_PKT_DATA, OPGP_PKT_END };

typedef gpg_error_t (*opgp_pkt_fn) (gpgpack_stream_t s,
                                    enum opgp_pkt_event ev, int tag,
                                    const unsigned char *buf, size_t len);

/* Splits a byte stream into packets (old and new format, partial and
 * indeterminate lengths) and reports them to FN.  */
typedef struct opgp_pktr
{
  opgp_pkt_fn fn;
  int state;                    /* enum in opgp-packet.c */
  int tag;
  int partial;                  /* the current chunk is not the last */
  int indeterminate;            /* old format, length type 3 */
  int newfmt;                   /* new-format length encoding */
  unsigned char len[5];
  size_t len_have, len_need;
  uint64_t left;                /* bytes left in the current chunk */
} opgp_pktr_t;

/* Writes one packet of tag TAG in partial-length chunks to EMIT.  */
typedef struct opgp_pktw
{
  int tag;
  int started;                  /* tag byte written */
  opgp_emit_fn emit;
  unsigned char buf[OPGP_PART];
  size_t len;
} opgp_pktw_t;

/* A canonical Huffman code: codes per length, symbols in code order. */
typedef struct opgp_huff
{
  unsigned short count[16];
  unsigned short symbol[288];
  unsigned int maxlen;          /* longest code */
} opgp_huff_t;

/* Inflater state (opgp-inflate.c): resumes at any input byte.  */
typedef struct opgp_inflate
{
  int state;                    /* enum in opgp-inflate.c */
  int zlib;                     /* RFC 1950 header and Adler-32 */
  int last;                     /* the current block is the final one */
  uint64_t bits;                /* bit buffer, least significant first */
  unsigned int nbits;
  unsigned int left;            /* stored bytes left */
  unsigned int nlen, ndist, ncode, have;   /* dynamic block header */
  unsigned short lengths[320];  /* code lengths being read */
  opgp_huff_t lencode, distcode;
  uint64_t total, max;          /* output so far, and its bound */
  uint32_t adler_a, adler_b;
  unsigned char window[OPGP_WSIZE];
  size_t wpos, flushed;         /* next byte, first byte not emitted */
  opgp_emit_fn emit;
} opgp_inflate_t;

/* Armor reader state.  */
typedef struct opgp_armor
{
  int state;                    /* enum in opgp-armor.c */
  int binary;                   /* input is not armored */
  int overlong;                 /* current line exceeds LINE */
  char line[OPGP_LINE_MAX + 1];
  size_t line_len;
  gfe_b64dec_t dec;
  unsigned int crc;             /* CRC-24 of the decoded bytes */
  unsigned char crc_given[3];
  int have_crc;
  opgp_emit_fn emit;            /* receives the decoded bytes */
} opgp_armor_t;

/* State of one seal or open operation; in secure memory.  */
struct gpgpack_stream
{
  int autocrypt;
  int sealing;
  int finished;
  gpg_error_t failed;           /* sticky error */
  gpgpack_sink_t out;
  gcry_cipher_hd_t hd;
  gcry_md_hd_t mdc;             /* SHA-1 of the MDC */
  size_t blocklen;
  unsigned char work[OPGP_PART];  /* en- or decrypted bytes */

  /* sealing */
  opgp_pktw_t lit;              /* literal data packet */
  opgp_pktw_t seipd;            /* its encryption */
  gfe_b64enc_t outer_b64;
  unsigned int outer_crc;
  gfe_b64enc_t inner_b64;       /* autocrypt: the armored key inside */
  unsigned int inner_crc;
  opgp_pktr_t keyscan;          /* autocrypt: counts secret keys */
  unsigned int nseckeys;

  /* opening */
  char passphrase[OPGP_MAX_PASSPHRASE + 1];
  opgp_armor_t armor;
  opgp_pktr_t outer;            /* packets of the message */
  opgp_pktr_t inner;            /* packets inside the SEIPD */
  int outer_seen;               /* 0, SKESK, SEIPD: last outer packet */
  int seipd_done;
  unsigned char skesk[OPGP_MAX_SKESK];
  size_t skesk_len;
  unsigned char prefix[OPGP_MAX_BLOCK + 2];
  size_t prefix_have;
  int version_seen;             /* SEIPD version byte read */
  int quick_bad;                /* quick check failed: wrong passphrase */
  int mdc_bad;
  unsigned char hold[OPGP_MDC_LEN];
  size_t hold_len;
  gpg_error_t inner_err;        /* reported only for authentic data */
  int packet_seen;              /* the one packet inside the SEIPD */
  int literal_seen;
  int compr_algo;               /* -1: compressed packet, algo unread */
  opgp_inflate_t inflate;
  opgp_pktr_t decomp;           /* packets inside the compressed one */
  size_t lit_pos;               /* literal header bytes read */
  size_t lit_hdrlen;            /* its length, once the name length is known */
};

/* opgp-s2k.c */
int opgp_cipher_to_gcry (int algo);
int opgp_hash_to_gcry (int algo);
unsigned long opgp_s2k_count (unsigned char c);
gpg_error_t opgp_s2k_derive (const char *passphrase, int type, int hash,
                             const unsigned char *salt, unsigned long count,
                             unsigned char *key, size_t keylen);
void opgp_setup_code (gpgpack_random_fn_t random, void *random_opaque,
                      char *code);
int opgp_is_setup_code (const char *s);

/* opgp-packet.c */
void opgp_pktr_init (opgp_pktr_t *r, opgp_pkt_fn fn);
gpg_error_t opgp_pktr_feed (gpgpack_stream_t s, opgp_pktr_t *r,
                            const unsigned char *buf, size_t len);
gpg_error_t opgp_pktr_finish (gpgpack_stream_t s, opgp_pktr_t *r);
void opgp_pktw_init (opgp_pktw_t *w, int tag, opgp_emit_fn emit);
gpg_error_t opgp_pktw_feed (gpgpack_stream_t s, opgp_pktw_t *w,
                            const unsigned char *buf, size_t len);
gpg_error_t opgp_pktw_finish (gpgpack_stream_t s, opgp_pktw_t *w);

/* opgp-armor.c */
void opgp_armor_init (opgp_armor_t *a, opgp_emit_fn emit);
gpg_error_t opgp_armor_feed (gpgpack_stream_t s, opgp_armor_t *a,
                             const unsigned char *buf, size_t len);
gpg_error_t opgp_armor_finish (gpgpack_stream_t s, opgp_armor_t *a);
gpg_error_t opgp_armor_tail (gpgpack_stream_t s, gfe_b64enc_t *e,
                             unsigned int crc, const char *endline,
                             opgp_emit_fn emit);

/* opgp-inflate.c */
void opgp_inflate_init (opgp_inflate_t *z, int zlib, uint64_t max,
                        opgp_emit_fn emit);
gpg_error_t opgp_inflate_feed (gpgpack_stream_t s, opgp_inflate_t *z,
                               const unsigned char *buf, size_t len);
gpg_error_t opgp_inflate_finish (gpgpack_stream_t s, opgp_inflate_t *z);

/* opgp-seal.c */
gpg_error_t opgp_seal_start (int autocrypt,
                             const gpgpack_seal_params_t *params,
                             gpgpack_stream_t *r_stream,
                             gpgpack_blob_t *r_key);
gpg_error_t opgp_seal_feed (gpgpack_stream_t s, const unsigned char *buf,
                            size_t len);
gpg_error_t opgp_seal_finish (gpgpack_stream_t s);

/* opgp-open.c */
gpg_error_t opgp_open_start (int autocrypt,
                             const gpgpack_open_params_t *params,
                             gpgpack_stream_t *r_stream);
gpg_error_t opgp_open_feed (gpgpack_stream_t s, const unsigned char *buf,
                            size_t len);
gpg_error_t opgp_open_finish (gpgpack_stream_t s);

/* openpgp.c */
gpg_error_t opgp_stream_new (int autocrypt, int sealing,
                             const gpgpack_sink_t *out,
                             gpgpack_stream_t *r_stream);
void opgp_stream_release (gpgpack_stream_t s);

#endif /*GPGPACK_OPENPGP_H*/
