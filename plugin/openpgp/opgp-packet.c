/* opgp-packet.c - OpenPGP packet framing: a streaming reader of every
 * length form and a writer of partial body lengths (RFC 4880, 4.2) */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "openpgp.h"

enum { PKT_TAG, PKT_LEN, PKT_BODY };

void
opgp_pktr_init (opgp_pktr_t *r, opgp_pkt_fn fn)
{
  memset (r, 0, sizeof *r);
  r->fn = fn;
}


/* The packet tag byte C: start a packet.  */
static gpg_error_t
read_tag (gpgpack_stream_t s, opgp_pktr_t *r, unsigned char c)
{
  static const size_t old_len[3] = { 1, 2, 4 };

  if (!(c & 0x80))
    return plugin_err (GPG_ERR_INV_PACKET);
  r->partial = r->indeterminate = 0;
  r->len_have = 0;
  r->newfmt = !!(c & 0x40);
  if (c & 0x40)
    {
      r->tag = c & 0x3f;
      r->len_need = 0;          /* known after the first length byte */
      r->state = PKT_LEN;
    }
  else if ((c & 3) == 3)
    {
      r->tag = (c >> 2) & 15;
      r->indeterminate = 1;
      r->left = UINT64_MAX;
      r->state = PKT_BODY;
    }
  else
    {
      r->tag = (c >> 2) & 15;
      r->len_need = old_len[c & 3];
      r->state = PKT_LEN;
    }
  return r->fn (s, OPGP_PKT_START, r->tag, NULL, 0);
}


/* Length byte C; *R_DONE becomes true once the length is known.  */
static void
read_len (opgp_pktr_t *r, unsigned char c, int *r_done)
{
  const unsigned char *l = r->len;
  size_t i;

  r->len[r->len_have++] = c;
  if (r->newfmt && r->len_have == 1)
    {
      r->partial = c >= 224 && c < 255;
      r->len_need = c < 192 || r->partial ? 1 : c < 224 ? 2 : 5;
    }
  *r_done = r->len_have == r->len_need;
  if (!*r_done)
    return;
  if (!r->newfmt || l[0] == 255)
    for (r->left = 0, i = r->newfmt; i < r->len_need; i++)
      r->left = (r->left << 8) | l[i];
  else if (r->partial)
    r->left = (uint64_t)1 << (l[0] & 0x1f);
  else if (l[0] < 192)
    r->left = l[0];
  else
    r->left = ((uint64_t)(l[0] - 192) << 8) + l[1] + 192;
}


/* The packet's body (or current chunk) ended.  */
static gpg_error_t
chunk_end (gpgpack_stream_t s, opgp_pktr_t *r)
{
  r->len_have = 0;
  if (r->partial)
    {
      r->state = PKT_LEN;       /* the next chunk's length follows */
      r->len_need = 0;
      return 0;
    }
  r->state = PKT_TAG;
  return r->fn (s, OPGP_PKT_END, r->tag, NULL, 0);
}


/* Feed LEN bytes of a packet sequence to R.  */
gpg_error_t
opgp_pktr_feed (gpgpack_stream_t s, opgp_pktr_t *r,
                const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;
  size_t n;
  int done;

  while (len && !err)
    {
      if (r->state == PKT_TAG)
        {
          err = read_tag (s, r, *buf++);
          len--;
          continue;
        }
      if (r->state == PKT_LEN)
        {
          read_len (r, *buf++, &done);
          len--;
          if (done)
            r->state = PKT_BODY;
          if (done && !r->left)
            err = chunk_end (s, r);
          continue;
        }
      n = len < r->left ? len : (size_t)r->left;
      err = r->fn (s, OPGP_PKT_DATA, r->tag, buf, n);
      buf += n;
      len -= n;
      if (!r->indeterminate)
        r->left -= n;
      if (!err && !r->left)
        err = chunk_end (s, r);
    }
  return err;
}


/* End of input: an indeterminate packet ends here; anything else but a
 * packet boundary is a truncation.  */
gpg_error_t
opgp_pktr_finish (gpgpack_stream_t s, opgp_pktr_t *r)
{
  if (r->state == PKT_BODY && r->indeterminate)
    {
      r->state = PKT_TAG;
      return r->fn (s, OPGP_PKT_END, r->tag, NULL, 0);
    }
  return r->state == PKT_TAG ? 0 : plugin_err (GPG_ERR_TRUNCATED);
}


void
opgp_pktw_init (opgp_pktw_t *w, int tag, opgp_emit_fn emit)
{
  memset (w, 0, sizeof *w);
  w->tag = tag;
  w->emit = emit;
}


/* Emit the tag byte if not yet done, the length header HDR of HDRLEN
 * bytes and the buffered body.  */
static gpg_error_t
emit_chunk (gpgpack_stream_t s, opgp_pktw_t *w, unsigned char *hdr,
            size_t hdrlen)
{
  gpg_error_t err = 0;
  unsigned char tag = 0xc0 | w->tag;

  if (!w->started)
    err = w->emit (s, &tag, 1);
  w->started = 1;
  if (!err)
    err = w->emit (s, hdr, hdrlen);
  if (!err && w->len)
    err = w->emit (s, w->buf, w->len);
  w->len = 0;
  return err;
}


/* Add LEN body bytes; every full OPGP_PART goes out as a partial chunk. */
gpg_error_t
opgp_pktw_feed (gpgpack_stream_t s, opgp_pktw_t *w,
                const unsigned char *buf, size_t len)
{
  unsigned char hdr = 0xe0 | OPGP_PART_BITS;
  gpg_error_t err = 0;
  size_t n;

  while (len && !err)
    {
      if (w->len == OPGP_PART)
        err = emit_chunk (s, w, &hdr, 1);
      n = OPGP_PART - w->len < len ? OPGP_PART - w->len : len;
      memcpy (w->buf + w->len, buf, n);
      w->len += n;
      buf += n;
      len -= n;
    }
  return err;
}


/* Emit what is buffered as the last chunk, with a definite length.  */
gpg_error_t
opgp_pktw_finish (gpgpack_stream_t s, opgp_pktw_t *w)
{
  unsigned char hdr[2];
  size_t n = w->len;            /* at most OPGP_PART < 8384 */

  if (n < 192)
    {
      hdr[0] = n;
      return emit_chunk (s, w, hdr, 1);
    }
  hdr[0] = ((n - 192) >> 8) + 192;
  hdr[1] = (n - 192) & 0xff;
  return emit_chunk (s, w, hdr, 2);
}
