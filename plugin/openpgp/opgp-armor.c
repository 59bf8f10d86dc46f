/* opgp-armor.c - OpenPGP armor (RFC 4880, 6): a streaming reader that
 * skips text around the armor, and the end of an armor being written */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "openpgp.h"

#define BEGIN_LINE "-----BEGIN PGP MESSAGE-----"
#define END_LINE   "-----END PGP MESSAGE-----"

/* Where the reader stands.  */
enum { AR_SEEK, AR_HEAD, AR_BODY, AR_CRC, AR_DONE };

void
opgp_armor_init (opgp_armor_t *a, opgp_emit_fn emit)
{
  memset (a, 0, sizeof *a);
  a->emit = emit;
  a->crc = OPGP_CRC24_INIT;
}


/* Decode one body line of Base64 and pass the bytes on.  */
static gpg_error_t
body_line (gpgpack_stream_t s, opgp_armor_t *a, const char *line, size_t n)
{
  unsigned char out[OPGP_LINE_MAX / 4 * 3 + 3];
  size_t outlen;
  gpg_error_t err;

  if (gfe_b64dec_feed (&a->dec, (const unsigned char *)line, n, out, &outlen))
    return plugin_err (GPG_ERR_INV_DATA);
  a->crc = gfe_crc24 (a->crc, out, outlen);
  err = outlen ? a->emit (s, out, outlen) : 0;
  plugin_wipe (out, outlen);
  return err;
}


/* The checksum line "=XXXX".  */
static gpg_error_t
crc_line (opgp_armor_t *a, const char *line, size_t n)
{
  gfe_b64dec_t dec;
  size_t outlen;

  memset (&dec, 0, sizeof dec);
  if (n != 5 || gfe_b64dec_feed (&dec, (const unsigned char *)line + 1, 4,
                                 a->crc_given, &outlen) || outlen != 3)
    return plugin_err (GPG_ERR_INV_DATA);
  a->have_crc = 1;
  return 0;
}


/* Handle one complete LINE of N characters (trailing blanks gone).  */
static gpg_error_t
armor_line (gpgpack_stream_t s, opgp_armor_t *a, const char *line, size_t n)
{
  int is_end = n == strlen (END_LINE) && !memcmp (line, END_LINE, n);

  switch (a->state)
    {
    case AR_SEEK:
      if (n == strlen (BEGIN_LINE) && !memcmp (line, BEGIN_LINE, n))
        a->state = AR_HEAD;
      return 0;
    case AR_HEAD:                 /* "Key: value" lines, then a blank */
      if (!n)
        a->state = AR_BODY;
      else if (!memchr (line, ':', n))
        return plugin_err (GPG_ERR_INV_DATA);
      return 0;
    case AR_BODY:
      if (is_end)
        a->state = AR_DONE;
      else if (n && line[0] == '=' && gfe_b64dec_complete (&a->dec))
        {
          a->state = AR_CRC;
          return crc_line (a, line, n);
        }
      else
        return body_line (s, a, line, n);
      return 0;
    case AR_CRC:
      if (!is_end)
        return plugin_err (GPG_ERR_INV_DATA);
      a->state = AR_DONE;
      return 0;
    default:                      /* text after the armor is ignored */
      return 0;
    }
}


/* End the current line: trim trailing blanks and handle it, unless it
 * was too long to be anything but text around the armor.  */
static gpg_error_t
end_line (gpgpack_stream_t s, opgp_armor_t *a)
{
  size_t n = a->line_len;
  gpg_error_t err = 0;

  while (n && (a->line[n - 1] == '\r' || a->line[n - 1] == ' '
               || a->line[n - 1] == '\t'))
    n--;
  if (!a->overlong)
    err = armor_line (s, a, a->line, n);
  else if (a->state != AR_SEEK && a->state != AR_DONE)
    err = plugin_err (GPG_ERR_INV_DATA);
  plugin_wipe (a->line, a->line_len);
  a->line_len = 0;
  a->overlong = 0;
  return err;
}


/* Feed LEN bytes: armored text, or a binary message (first byte with
 * the high bit set) passed on unchanged.  */
gpg_error_t
opgp_armor_feed (gpgpack_stream_t s, opgp_armor_t *a,
                 const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;

  if (len && a->state == AR_SEEK && !a->line_len && !a->binary
      && !a->overlong && (buf[0] & 0x80))
    a->binary = 1;
  if (a->binary)
    return a->emit (s, buf, len);
  for (; len && !err; buf++, len--)
    {
      if (*buf == '\n')
        err = end_line (s, a);
      else if (a->line_len < OPGP_LINE_MAX)
        a->line[a->line_len++] = *buf;
      else
        a->overlong = 1;
    }
  return err;
}


/* End of input: the armor must be complete and its checksum right
 * (GPG_ERR_CHECKSUM: the text was modified).  */
gpg_error_t
opgp_armor_finish (gpgpack_stream_t s, opgp_armor_t *a)
{
  unsigned char crc[3];
  gpg_error_t err = 0;

  if (a->binary)
    return 0;
  if (a->line_len || a->overlong)
    err = end_line (s, a);
  if (err)
    return err;
  if (a->state == AR_SEEK)
    return plugin_err (GPG_ERR_INV_DATA);
  if (a->state != AR_DONE || !gfe_b64dec_complete (&a->dec))
    return plugin_err (GPG_ERR_TRUNCATED);
  crc[0] = a->crc >> 16;
  crc[1] = a->crc >> 8;
  crc[2] = a->crc;
  if (a->have_crc && memcmp (crc, a->crc_given, 3))
    return plugin_err (GPG_ERR_CHECKSUM);
  return 0;
}


/* Finish the Base64 body E, write the checksum line of CRC and
 * ENDLINE, all to EMIT.  */
gpg_error_t
opgp_armor_tail (gpgpack_stream_t s, gfe_b64enc_t *e, unsigned int crc,
                 const char *endline, opgp_emit_fn emit)
{
  unsigned char crcbytes[3] = { crc >> 16, crc >> 8, crc };
  gfe_b64enc_t crcenc;
  gpg_error_t err;

  err = gfe_b64enc_finish (e, emit, s);
  if (!err)
    err = emit (s, (const unsigned char *)"=", 1);
  memset (&crcenc, 0, sizeof crcenc);
  if (!err)
    err = gfe_b64enc_feed (&crcenc, crcbytes, 3, emit, s);
  if (!err)
    err = emit (s, (const unsigned char *)"\n", 1);
  if (!err)
    err = emit (s, (const unsigned char *)endline, strlen (endline));
  return err;
}
