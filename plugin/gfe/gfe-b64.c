/* gfe-b64.c - streaming Base64 (RFC 4648) and the OpenPGP armor CRC */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include <gcrypt.h>
#include "plugin-util.h"
#include "gfe-b64.h"

static const char b64_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Encode the 1..3 bytes at IN (N of them) as 4 characters at OUT.  */
static void
encode_group (const unsigned char *in, unsigned int n, unsigned char *out)
{
  unsigned int v = (in[0] << 16) | ((n > 1 ? in[1] : 0) << 8)
                   | (n > 2 ? in[2] : 0);

  out[0] = b64_alphabet[(v >> 18) & 63];
  out[1] = b64_alphabet[(v >> 12) & 63];
  out[2] = n > 1 ? b64_alphabet[(v >> 6) & 63] : '=';
  out[3] = n > 2 ? b64_alphabet[v & 63] : '=';
}


/* Append the 4 characters of one group to OUT (at *N), with a line
 * break after E->line_len characters if that is set.  */
static void
put_group (gfe_b64enc_t *e, const unsigned char *group, unsigned char *out,
           size_t *n)
{
  memcpy (out + *n, group, 4);
  *n += 4;
  e->column += 4;
  if (e->line_len && e->column >= e->line_len)
    {
      out[(*n)++] = '\n';
      e->column = 0;
    }
}


/* Encode LEN bytes at IN, handing the text to EMIT in pieces.  */
gpg_error_t
gfe_b64enc_feed (gfe_b64enc_t *e, const unsigned char *in, size_t len,
                 gfe_emit_fn emit, gpgpack_stream_t s)
{
  unsigned char group[4];
  size_t n = 0;
  gpg_error_t err = 0;

  while (len && !err)
    {
      e->pending[e->npending++] = *in++;
      len--;
      if (e->npending < 3)
        continue;
      encode_group (e->pending, 3, group);
      e->npending = 0;
      put_group (e, group, e->out, &n);
      if (n > sizeof e->out - 5)
        {
          err = emit (s, e->out, n);
          n = 0;
        }
    }
  if (!err && n)
    err = emit (s, e->out, n);
  plugin_wipe (e->out, sizeof e->out);
  plugin_wipe (group, sizeof group);
  return err;
}


/* Encode what is pending, with '=' padding; end a broken line.  */
gpg_error_t
gfe_b64enc_finish (gfe_b64enc_t *e, gfe_emit_fn emit, gpgpack_stream_t s)
{
  unsigned char group[4];
  size_t n = 0;
  gpg_error_t err = 0;

  if (e->npending)
    {
      encode_group (e->pending, e->npending, group);
      put_group (e, group, e->out, &n);
    }
  if (e->line_len && e->column)
    e->out[n++] = '\n';
  if (n)
    err = emit (s, e->out, n);
  plugin_wipe (e->pending, sizeof e->pending);
  plugin_wipe (e->out, sizeof e->out);
  plugin_wipe (group, sizeof group);
  e->npending = e->column = 0;
  return err;
}


/* The 6-bit value of Base64 character C, or -1.  */
static int
b64_value (unsigned char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}


/* Decode one complete group of D into OUT; the number of bytes.  */
static size_t
decode_group (gfe_b64dec_t *d, unsigned char *out)
{
  unsigned int v = 0, i, pad = 0;

  for (i = 0; i < 4; i++)
    {
      if (d->quad[i] == '=')
        pad++;
      v = (v << 6) | (d->quad[i] == '=' ? 0 : b64_value (d->quad[i]));
    }
  out[0] = v >> 16;
  out[1] = v >> 8;
  out[2] = v;
  d->nquad = 0;
  return 3 - pad;
}


/* Decode LEN characters at IN strictly into OUT (room for 3*LEN/4 + 3
 * bytes), the byte count to *R_OUTLEN.  Returns -1 on a character
 * outside the alphabet, misplaced '=' or text after the padding.  */
int
gfe_b64dec_feed (gfe_b64dec_t *d, const unsigned char *in, size_t len,
                 unsigned char *out, size_t *r_outlen)
{
  size_t n = 0;

  for (; len; len--, in++)
    {
      if (d->ended && (*in != '=' || d->nquad == 4))
        return -1;
      if (*in == '=')
        {
          /* Only the last one or two characters of a group.  */
          if (d->nquad < 2 || (d->ended && d->quad[d->nquad - 1] != '='))
            return -1;
          d->ended = 1;
        }
      else if (b64_value (*in) < 0)
        return -1;
      d->quad[d->nquad++] = *in;
      if (d->nquad == 4)
        {
          n += decode_group (d, out + n);
          if (d->ended)
            d->nquad = 4;   /* closed: any further character is an error */
        }
    }
  *r_outlen = n;
  return 0;
}


/* True if D ended on a group boundary.  */
int
gfe_b64dec_complete (const gfe_b64dec_t *d)
{
  return d->nquad == 0 || (d->ended && d->nquad == 4);
}


/* Update the OpenPGP armor checksum (RFC 4880, 6.1) CRC over LEN bytes. */
unsigned int
gfe_crc24 (unsigned int crc, const unsigned char *buf, size_t len)
{
  int i;

  while (len--)
    {
      crc ^= (unsigned int)*buf++ << 16;
      for (i = 0; i < 8; i++)
        {
          crc <<= 1;
          if (crc & 0x1000000)
            crc ^= 0x1864cfb;
        }
    }
  return crc & 0xffffff;
}
