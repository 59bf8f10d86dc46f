/* opgp-inflate.c - streaming inflate (RFC 1951) with the zlib wrapper
 * (RFC 1950) for OpenPGP compressed data: fixed 32 KiB window, bounded
 * output, any input split.  Modelled on zlib's contrib/puff.  */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "openpgp.h"

#define NEED_BITS  (-1)         /* decode: more input needed */
#define BAD_CODE   (-2)         /* decode: no such code */
#define ADLER_BASE 65521u
#define ADLER_NMAX 5552         /* bytes before the sums must be reduced */

/* Where the inflater stands.  */
enum { Z_ZLIB, Z_BLOCK, Z_STORED_LEN, Z_STORED, Z_TABLE, Z_CLEN, Z_LENS,
       Z_CODES, Z_ADLER, Z_DONE };

/* Bases and extra bits of length symbols 257..285 and distance
 * symbols 0..29 (RFC 1951, 3.2.5).  */
static const unsigned short len_base[29] =
  { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
    59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const unsigned char len_extra[29] =
  { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
    4, 5, 5, 5, 5, 0 };
static const unsigned short dist_base[30] =
  { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
    513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
    24577 };
static const unsigned char dist_extra[30] =
  { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
    10, 11, 11, 12, 12, 13, 13 };
/* Order of the code length code lengths.  */
static const unsigned char clen_order[19] =
  { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };


void
opgp_inflate_init (opgp_inflate_t *z, int zlib, uint64_t max,
                   opgp_emit_fn emit)
{
  memset (z, 0, sizeof *z);
  z->state = zlib ? Z_ZLIB : Z_BLOCK;
  z->zlib = zlib;
  z->max = max;
  z->emit = emit;
  z->adler_a = 1;
}


/* Adler-32 (RFC 1950, 8.2) of LEN more output bytes.  */
static void
adler_update (opgp_inflate_t *z, const unsigned char *p, size_t len)
{
  size_t n;

  while (len)
    {
      n = len < ADLER_NMAX ? len : ADLER_NMAX;
      len -= n;
      for (; n; n--)
        {
          z->adler_a += *p++;
          z->adler_b += z->adler_a;
        }
      z->adler_a %= ADLER_BASE;
      z->adler_b %= ADLER_BASE;
    }
}


/* Hand the window's unflushed bytes to EMIT; a full window starts
 * over.  */
static gpg_error_t
flush (gpgpack_stream_t s, opgp_inflate_t *z)
{
  size_t n = z->wpos - z->flushed;
  gpg_error_t err = 0;

  if (z->zlib)
    adler_update (z, z->window + z->flushed, n);
  if (n)
    err = z->emit (s, z->window + z->flushed, n);
  if (z->wpos == OPGP_WSIZE)
    z->wpos = 0;
  z->flushed = z->wpos;
  return err;
}


/* One output byte; beyond Z->max is GPG_ERR_TOO_LARGE.  */
static gpg_error_t
put (gpgpack_stream_t s, opgp_inflate_t *z, unsigned char c)
{
  if (z->total == z->max)
    return plugin_err (GPG_ERR_TOO_LARGE);
  z->total++;
  z->window[z->wpos++] = c;
  return z->wpos == OPGP_WSIZE ? flush (s, z) : 0;
}


/* Copy LEN bytes from DIST back in the output.  */
static gpg_error_t
copy_match (gpgpack_stream_t s, opgp_inflate_t *z, unsigned int len,
            unsigned int dist)
{
  gpg_error_t err = 0;
  size_t from;

  if (dist > z->total)          /* before the start of the data */
    return plugin_err (GPG_ERR_INV_INDEX);
  for (; len && !err; len--)
    {
      from = (z->wpos + OPGP_WSIZE - dist) % OPGP_WSIZE;
      err = put (s, z, z->window[from]);
    }
  return err;
}


/* Take N bits (N <= 32) from the bit buffer BITS, NBITS; -1 if too few. */
static long
take (uint64_t *bits, unsigned int *nbits, unsigned int n)
{
  long v;

  if (*nbits < n)
    return -1;
  v = (long)(*bits & ((UINT64_C (1) << n) - 1));
  *bits >>= n;
  *nbits -= n;
  return v;
}


/* Decode one symbol of H from the bit buffer BITS, NBITS (canonical code, bit by
 * bit): the symbol, NEED_BITS or BAD_CODE.  */
static int
decode (const opgp_huff_t *h, uint64_t *bits, unsigned int *nbits)
{
  int code = 0, first = 0, index = 0, len;

  for (len = 1; len <= (int)h->maxlen; len++)
    {
      if (!*nbits)
        return NEED_BITS;
      code |= (int)(*bits & 1);
      *bits >>= 1;
      (*nbits)--;
      if (code - h->count[len] < first)
        return h->symbol[index + (code - first)];
      index += h->count[len];
      first = (first + h->count[len]) << 1;
      code <<= 1;
    }
  return BAD_CODE;
}


/* Build H from N code lengths.  Over-subscribed sets are
 * GPG_ERR_BAD_DATA, so are incomplete ones if COMPLETE, else unless
 * all codes have length 0 or 1 (RFC 1951 allows one distance code).  */
static gpg_error_t
construct (opgp_huff_t *h, const unsigned short *length, unsigned int n,
           int complete)
{
  unsigned short offs[16];
  unsigned int sym, len;
  int left = 1;

  memset (h->count, 0, sizeof h->count);
  for (sym = 0; sym < n; sym++)
    h->count[length[sym]]++;
  for (h->maxlen = 0, len = 1; len <= 15; len++)
    {
      left = (left << 1) - h->count[len];
      if (left < 0)
        return plugin_err (GPG_ERR_BAD_DATA);
      if (h->count[len])
        h->maxlen = len;
    }
  if (left > 0 && (complete || h->count[0] + h->count[1] != n))
    return plugin_err (GPG_ERR_BAD_DATA);
  for (offs[1] = 0, len = 1; len < 15; len++)
    offs[len + 1] = offs[len] + h->count[len];
  for (sym = 0; sym < n; sym++)
    if (length[sym])
      h->symbol[offs[length[sym]]++] = sym;
  return 0;
}


/* The fixed codes of block type 1 (RFC 1951, 3.2.6).  */
static void
fixed_tables (opgp_inflate_t *z)
{
  unsigned int i;

  for (i = 0; i < 288; i++)
    z->lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
  construct (&z->lencode, z->lengths, 288, 1);
  /* 30 codes of 5 bits: incomplete, codes 30 and 31 decode as bad.  */
  memset (z->distcode.count, 0, sizeof z->distcode.count);
  z->distcode.count[5] = 30;
  z->distcode.maxlen = 5;
  for (i = 0; i < 30; i++)
    z->distcode.symbol[i] = (unsigned short)i;
}


/* A block header: BFINAL, BTYPE.  */
static gpg_error_t
block_header (opgp_inflate_t *z)
{
  long v = take (&z->bits, &z->nbits, 3);

  if (v < 0)
    return 0;
  z->last = v & 1;
  switch (v >> 1)
    {
    case 0:
      take (&z->bits, &z->nbits, z->nbits % 8);
      z->state = Z_STORED_LEN;
      return 0;
    case 1:
      fixed_tables (z);
      z->state = Z_CODES;
      return 0;
    case 2:
      z->state = Z_TABLE;
      return 0;
    default:
      return plugin_err (GPG_ERR_INV_VALUE);
    }
}


/* LEN and NLEN of a stored block.  */
static gpg_error_t
stored_len (opgp_inflate_t *z)
{
  long len, nlen;

  if (z->nbits < 32)
    return 0;
  len = take (&z->bits, &z->nbits, 16);
  nlen = take (&z->bits, &z->nbits, 16);
  if (len != (~nlen & 0xffff))
    return plugin_err (GPG_ERR_BAD_DATA);
  z->left = (unsigned int)len;
  z->state = z->left ? Z_STORED : z->last ? Z_ADLER : Z_BLOCK;
  return 0;
}


/* HLIT, HDIST, HCLEN of a dynamic block.  */
static gpg_error_t
table_sizes (opgp_inflate_t *z)
{
  if (z->nbits < 14)
    return 0;
  z->nlen = take (&z->bits, &z->nbits, 5) + 257;
  z->ndist = take (&z->bits, &z->nbits, 5) + 1;
  z->ncode = take (&z->bits, &z->nbits, 4) + 4;
  if (z->nlen > 286 || z->ndist > 30)
    return plugin_err (GPG_ERR_BAD_DATA);
  memset (z->lengths, 0, sizeof z->lengths);  /* HCLEN may be < 19 */
  z->have = 0;
  z->state = Z_CLEN;
  return 0;
}


/* The code length code's lengths, 3 bits each.  */
static gpg_error_t
clen_lengths (opgp_inflate_t *z)
{
  gpg_error_t err;
  long v;

  while (z->have < z->ncode && (v = take (&z->bits, &z->nbits, 3)) >= 0)
    z->lengths[clen_order[z->have++]] = (unsigned short)v;
  if (z->have < z->ncode)
    return 0;
  err = construct (&z->lencode, z->lengths, 19, 1);
  memset (z->lengths, 0, sizeof z->lengths);
  z->have = 0;
  z->state = Z_LENS;
  return err;
}


/* One code length symbol with its repeat count; *R_MORE is 0 if more
 * input is needed (nothing consumed).  */
static gpg_error_t
one_length (opgp_inflate_t *z, int *r_more)
{
  static const unsigned char rep_bits[3] = { 2, 3, 7 };
  static const unsigned char rep_base[3] = { 3, 3, 11 };
  uint64_t bits = z->bits;
  unsigned int nbits = z->nbits, fill;
  int sym = decode (&z->lencode, &bits, &nbits);
  long rep = 1;

  *r_more = 0;
  if (sym == BAD_CODE)
    return plugin_err (GPG_ERR_BAD_DATA);
  if (sym == NEED_BITS)
    return 0;
  fill = sym < 16 ? (unsigned int)sym : 0;
  if (sym >= 16)
    {
      if (sym == 16 && !z->have)
        return plugin_err (GPG_ERR_BAD_DATA);   /* nothing to repeat */
      if (sym == 16)
        fill = z->lengths[z->have - 1];
      rep = take (&bits, &nbits, rep_bits[sym - 16]);
      if (rep < 0)
        return 0;
      rep += rep_base[sym - 16];
    }
  if (z->have + rep > z->nlen + z->ndist)
    return plugin_err (GPG_ERR_BAD_DATA);
  while (rep--)
    z->lengths[z->have++] = (unsigned short)fill;
  z->bits = bits;
  z->nbits = nbits;
  *r_more = 1;
  return 0;
}


/* The literal/length and distance code lengths, then both codes.  */
static gpg_error_t
code_lengths (opgp_inflate_t *z)
{
  gpg_error_t err = 0;
  int more = 1;

  while (!err && more && z->have < z->nlen + z->ndist)
    err = one_length (z, &more);
  if (err || z->have < z->nlen + z->ndist)
    return err;
  if (!z->lengths[256])
    return plugin_err (GPG_ERR_BAD_DATA);       /* no end of block */
  err = construct (&z->lencode, z->lengths, z->nlen, 0);
  if (!err)
    err = construct (&z->distcode, z->lengths + z->nlen, z->ndist, 0);
  z->state = Z_CODES;
  return err;
}


/* One literal, end of block or length/distance pair; *R_MORE is 0 if
 * more input is needed (nothing consumed).  */
static gpg_error_t
one_code (gpgpack_stream_t s, opgp_inflate_t *z, int *r_more)
{
  uint64_t bits = z->bits;
  unsigned int nbits = z->nbits;
  int sym = decode (&z->lencode, &bits, &nbits), dsym;
  long len, dist;

  *r_more = 0;
  if (sym == BAD_CODE || sym > 285)
    return plugin_err (GPG_ERR_BAD_DATA);
  if (sym == NEED_BITS)
    return 0;
  if (sym >= 257)
    {
      len = take (&bits, &nbits, len_extra[sym - 257]);
      dsym = len < 0 ? NEED_BITS : decode (&z->distcode, &bits, &nbits);
      if (dsym == BAD_CODE)
        return plugin_err (GPG_ERR_BAD_DATA);
      dist = dsym < 0 ? -1 : take (&bits, &nbits, dist_extra[dsym]);
      if (dist < 0)
        return 0;
      len += len_base[sym - 257];
      dist += dist_base[dsym];
    }
  z->bits = bits;
  z->nbits = nbits;
  *r_more = 1;
  if (sym < 256)
    return put (s, z, (unsigned char)sym);
  if (sym == 256)
    {
      z->state = z->last ? Z_ADLER : Z_BLOCK;
      return 0;
    }
  return copy_match (s, z, (unsigned int)len, (unsigned int)dist);
}


/* Huffman-coded data of a block.  */
static gpg_error_t
codes (gpgpack_stream_t s, opgp_inflate_t *z)
{
  gpg_error_t err = 0;
  int more = 1;

  while (!err && more && z->state == Z_CODES)
    err = one_code (s, z, &more);
  return err;
}


/* The zlib header (RFC 1950, 2.2): deflate, a window of at most 32 KiB,
 * no preset dictionary, the check bits right.  */
static gpg_error_t
zlib_header (opgp_inflate_t *z)
{
  long cmf, flg;

  if (z->nbits < 16)
    return 0;
  cmf = take (&z->bits, &z->nbits, 8);
  flg = take (&z->bits, &z->nbits, 8);
  if ((cmf & 15) != 8 || (cmf >> 4) > 7)
    return plugin_err (GPG_ERR_COMPR_ALGO);
  if ((cmf * 256 + flg) % 31)
    return plugin_err (GPG_ERR_INV_VALUE);
  if (flg & 0x20)
    return plugin_err (GPG_ERR_NOT_SUPPORTED);
  z->state = Z_BLOCK;
  return 0;
}


/* After the last block: zlib's Adler-32, big-endian, byte aligned.  */
static gpg_error_t
adler_trailer (gpgpack_stream_t s, opgp_inflate_t *z)
{
  uint32_t want = 0;
  gpg_error_t err;
  int i;

  take (&z->bits, &z->nbits, z->nbits % 8);
  if (!z->zlib)
    {
      z->state = Z_DONE;
      return 0;
    }
  if (z->nbits < 32)
    return 0;
  for (i = 0; i < 4; i++)
    want = (want << 8) | (uint32_t)take (&z->bits, &z->nbits, 8);
  err = flush (s, z);
  z->state = Z_DONE;
  if (!err && want != ((z->adler_b << 16) | z->adler_a))
    err = plugin_err (GPG_ERR_CHECKSUM);
  return err;
}


/* Stored bytes, from the bit buffer first.  */
static gpg_error_t
stored (gpgpack_stream_t s, opgp_inflate_t *z, const unsigned char **buf,
        size_t *len)
{
  gpg_error_t err = 0;
  long c;

  for (; z->left && !err; z->left--)
    {
      c = take (&z->bits, &z->nbits, 8);
      if (c < 0 && !*len)
        return 0;
      if (c < 0)
        {
          c = **buf;
          (*buf)++;
          (*len)--;
        }
      err = put (s, z, (unsigned char)c);
    }
  if (!err)
    z->state = z->last ? Z_ADLER : Z_BLOCK;
  return err;
}


/* One step of the state machine on the bit buffer (and, for stored
 * bytes, the input).  */
static gpg_error_t
step (gpgpack_stream_t s, opgp_inflate_t *z, const unsigned char **buf,
      size_t *len)
{
  switch (z->state)
    {
    case Z_ZLIB: return zlib_header (z);
    case Z_BLOCK: return block_header (z);
    case Z_STORED_LEN: return stored_len (z);
    case Z_STORED: return stored (s, z, buf, len);
    case Z_TABLE: return table_sizes (z);
    case Z_CLEN: return clen_lengths (z);
    case Z_LENS: return code_lengths (z);
    case Z_CODES: return codes (s, z);
    case Z_ADLER: return adler_trailer (s, z);
    default:                    /* Z_DONE: nothing may follow */
      return z->nbits >= 8 || *len ? plugin_err (GPG_ERR_INV_LENGTH) : 0;
    }
}


/* Feed LEN bytes of compressed data: fill the bit buffer, step until
 * a step makes no progress.  */
gpg_error_t
opgp_inflate_feed (gpgpack_stream_t s, opgp_inflate_t *z,
                   const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;
  unsigned int nbits;
  size_t oldlen;
  int state;

  do
    {
      for (; z->nbits <= 56 && len; buf++, len--, z->nbits += 8)
        z->bits |= (uint64_t)*buf << z->nbits;
      state = z->state;
      nbits = z->nbits;
      oldlen = len;
      err = step (s, z, &buf, &len);
    }
  while (!err && (state != z->state || nbits != z->nbits || oldlen != len));
  return err ? err : flush (s, z);
}


/* End of the compressed data: the stream must be complete.  */
gpg_error_t
opgp_inflate_finish (gpgpack_stream_t s, opgp_inflate_t *z)
{
  gpg_error_t err = opgp_inflate_feed (s, z, NULL, 0);

  if (!err && z->state != Z_DONE)
    err = plugin_err (GPG_ERR_TRUNCATED);
  return err;
}
