/* gfe-b64.h - streaming Base64 and the OpenPGP armor CRC (gfe-b64.c)
 *
 * Used by the gfe and openpgp modules; independent of their stream
 * state, which EMIT callbacks only pass along.
 */
#ifndef GPGPACK_GFE_B64_H
#define GPGPACK_GFE_B64_H

#include <stddef.h>
#include "gpgpack-plugin.h"

/* Streaming Base64 encoder; LINE_LEN 0 means no line breaks.  */
typedef struct gfe_b64enc
{
  unsigned char pending[3];
  unsigned int npending;
  unsigned int line_len;
  unsigned int column;
  unsigned char out[260];       /* text on its way to the emitter */
} gfe_b64enc_t;

/* Streaming strict Base64 decoder (no whitespace, '=' only at the end). */
typedef struct gfe_b64dec
{
  unsigned char quad[4];
  unsigned int nquad;
  int ended;                    /* '=' seen: nothing but '=' may follow */
} gfe_b64dec_t;

typedef gpg_error_t (*gfe_emit_fn) (gpgpack_stream_t s,
                                    const unsigned char *buf, size_t len);
gpg_error_t gfe_b64enc_feed (gfe_b64enc_t *e, const unsigned char *in,
                             size_t len, gfe_emit_fn emit,
                             gpgpack_stream_t s);
gpg_error_t gfe_b64enc_finish (gfe_b64enc_t *e, gfe_emit_fn emit,
                               gpgpack_stream_t s);
int gfe_b64dec_feed (gfe_b64dec_t *d, const unsigned char *in, size_t len,
                     unsigned char *out, size_t *r_outlen);
int gfe_b64dec_complete (const gfe_b64dec_t *d);
unsigned int gfe_crc24 (unsigned int crc, const unsigned char *buf,
                        size_t len);

#endif /*GPGPACK_GFE_B64_H*/
