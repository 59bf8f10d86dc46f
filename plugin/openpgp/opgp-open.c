/* opgp-open.c - read a SKESK v4 + SEIPD v1 message: derive the key,
 * decrypt, check the MDC, inflate, hand out the literal data.  Errors found
 * inside the encryption are held back until the MDC has vouched for
 * the data, so that modified data shows as modified.  */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "openpgp.h"

/* Body of the literal data packet: skip format, name length, name and
 * date, pass the data on.  */
static gpg_error_t
literal_data (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  for (; len && s->lit_pos < s->lit_hdrlen; buf++, len--)
    if (s->lit_pos++ == 1)
      s->lit_hdrlen += *buf;
  return len ? s->out.write (s->out.opaque, buf, len) : 0;
}


/* Packets inside the compressed packet: exactly one literal data
 * packet.  */
static gpg_error_t
literal_packet (gpgpack_stream_t s, enum opgp_pkt_event ev, int tag,
                const unsigned char *buf, size_t len)
{
  if (ev == OPGP_PKT_START && (tag != OPGP_TAG_LITERAL || s->literal_seen))
    return plugin_err (GPG_ERR_INV_PACKET);
  if (ev == OPGP_PKT_START)
    {
      s->literal_seen = 1;
      s->lit_hdrlen = 6;
    }
  if (ev == OPGP_PKT_END && s->lit_pos < s->lit_hdrlen)
    return plugin_err (GPG_ERR_INV_PACKET);
  return ev == OPGP_PKT_DATA ? literal_data (s, buf, len) : 0;
}


/* Inflated bytes: the packets inside the compressed packet.  */
static gpg_error_t
inflated (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return opgp_pktr_feed (s, &s->decomp, buf, len);
}


/* The algorithm byte of a compressed packet.  BZip2 is refused by
 * name (GPG_ERR_COMPR_ALGO), as is any other unknown id.  */
static gpg_error_t
compr_start (gpgpack_stream_t s, unsigned char algo)
{
  s->compr_algo = algo;
  if (algo != OPGP_COMPR_NONE && algo != OPGP_COMPR_ZIP
      && algo != OPGP_COMPR_ZLIB)
    return plugin_err (GPG_ERR_COMPR_ALGO);
  opgp_inflate_init (&s->inflate, algo == OPGP_COMPR_ZLIB,
                     OPGP_MAX_INFLATED, inflated);
  return 0;
}


/* Body of a compressed data packet (RFC 4880, 5.6): algorithm, then
 * the data, stored (algorithm 0) or deflated.  */
static gpg_error_t
compressed_data (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;

  if (s->compr_algo < 0 && len)
    {
      err = compr_start (s, *buf++);
      len--;
    }
  if (err || !len)
    return err;
  return s->compr_algo == OPGP_COMPR_NONE ? inflated (s, buf, len)
         : opgp_inflate_feed (s, &s->inflate, buf, len);
}


/* End of the compressed packet: the deflate stream and the packets in
 * it must be complete.  */
static gpg_error_t
compressed_end (gpgpack_stream_t s)
{
  gpg_error_t err = 0;

  if (s->compr_algo < 0)
    return plugin_err (GPG_ERR_INV_PACKET);
  if (s->compr_algo != OPGP_COMPR_NONE)
    err = opgp_inflate_finish (s, &s->inflate);
  return err ? err : opgp_pktr_finish (s, &s->decomp);
}


/* Packets inside the SEIPD: one literal data packet, or one compressed
 * packet holding it.  */
static gpg_error_t
inner_packet (gpgpack_stream_t s, enum opgp_pkt_event ev, int tag,
              const unsigned char *buf, size_t len)
{
  if (ev == OPGP_PKT_START && s->packet_seen)
    return plugin_err (GPG_ERR_INV_PACKET);
  if (ev == OPGP_PKT_START)
    s->packet_seen = 1;
  if (tag != OPGP_TAG_COMPRESSED)
    return literal_packet (s, ev, tag, buf, len);
  if (ev == OPGP_PKT_START)
    {
      s->compr_algo = -1;
      return 0;
    }
  return ev == OPGP_PKT_DATA ? compressed_data (s, buf, len)
                             : compressed_end (s);
}


/* Decrypted bytes before the MDC: hashed, parsed unless an error was
 * seen already.  */
static void
release_plain (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  if (!len)
    return;
  gcry_md_write (s->mdc, buf, len);
  if (!s->inner_err)
    s->inner_err = opgp_pktr_feed (s, &s->inner, buf, len);
}


/* Decrypted bytes after the prefix: all but the last OPGP_MDC_LEN are
 * released, those are kept in S->hold.  */
static void
plain_bytes (gpgpack_stream_t s, const unsigned char *p, size_t n)
{
  size_t r, rh;

  if (s->hold_len + n > OPGP_MDC_LEN)
    {
      r = s->hold_len + n - OPGP_MDC_LEN;
      rh = r < s->hold_len ? r : s->hold_len;
      release_plain (s, s->hold, rh);
      memmove (s->hold, s->hold + rh, s->hold_len - rh);
      s->hold_len -= rh;
      release_plain (s, p, r - rh);
      p += r - rh;
      n -= r - rh;
    }
  memcpy (s->hold + s->hold_len, p, n);
  s->hold_len += n;
}


/* Random prefix bytes; its last two repeat the two before them (the
 * quick check of a wrong passphrase).  Returns the bytes used.  */
static size_t
prefix_bytes (gpgpack_stream_t s, const unsigned char *p, size_t n)
{
  size_t want = s->blocklen + 2 - s->prefix_have;

  if (n > want)
    n = want;
  memcpy (s->prefix + s->prefix_have, p, n);
  s->prefix_have += n;
  gcry_md_write (s->mdc, p, n);
  if (s->prefix_have == s->blocklen + 2
      && memcmp (s->prefix + s->blocklen - 2, s->prefix + s->blocklen, 2))
    s->quick_bad = 1;
  return n;
}


/* Ciphertext of the SEIPD body.  */
static gpg_error_t
seipd_data (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  size_t n, used;

  if (!s->version_seen && len)
    {
      if (buf[0] != 1)
        return plugin_err (GPG_ERR_UNKNOWN_VERSION);
      s->version_seen = 1;
      buf++;
      len--;
    }
  for (; len && !s->quick_bad; buf += n, len -= n)
    {
      n = len < sizeof s->work ? len : sizeof s->work;
      if (gcry_cipher_decrypt (s->hd, s->work, n, buf, n))
        return plugin_err (GPG_ERR_INV_STATE);
      used = s->prefix_have < s->blocklen + 2
             ? prefix_bytes (s, s->work, n) : 0;
      plain_bytes (s, s->work + used, n - used);
    }
  plugin_wipe (s->work, sizeof s->work);
  return 0;
}


/* End of the SEIPD: compare the MDC.  */
static gpg_error_t
seipd_end (gpgpack_stream_t s)
{
  s->seipd_done = 1;
  if (s->quick_bad)
    return 0;
  if (s->hold_len < OPGP_MDC_LEN || s->prefix_have < s->blocklen + 2)
    return plugin_err (GPG_ERR_TRUNCATED);
  gcry_md_write (s->mdc, s->hold, 2);
  if (s->hold[0] != 0xd3 || s->hold[1] != 0x14
      || memcmp (gcry_md_read (s->mdc, GCRY_MD_SHA1), s->hold + 2, 20))
    s->mdc_bad = 1;
  if (!s->inner_err)
    s->inner_err = opgp_pktr_finish (s, &s->inner);
  if (!s->inner_err && !s->literal_seen)
    s->inner_err = plugin_err (GPG_ERR_NO_DATA);
  return 0;
}


/* The complete SKESK: check it, derive the key, open the cipher.  */
static gpg_error_t
skesk_end (gpgpack_stream_t s)
{
  static const size_t s2k_len[4] = { 2, 10, 0, 11 };
  const unsigned char *p = s->skesk;
  unsigned char key[32];
  size_t keylen;
  int algo;
  gpg_error_t err;

  if (s->skesk_len < 4)
    return plugin_err (GPG_ERR_INV_PACKET);
  if (p[0] != 4)
    return plugin_err (GPG_ERR_UNKNOWN_VERSION);
  algo = opgp_cipher_to_gcry (p[1]);
  if (!algo)
    return plugin_err (GPG_ERR_CIPHER_ALGO);
  if (p[2] > 3 || !s2k_len[p[2]])
    return plugin_err (GPG_ERR_NOT_SUPPORTED);
  if (s->skesk_len != 2 + s2k_len[p[2]])
    return plugin_err (s->skesk_len < 2 + s2k_len[p[2]]
                       ? GPG_ERR_INV_PACKET : GPG_ERR_NOT_SUPPORTED);
  keylen = gcry_cipher_get_algo_keylen (algo);
  s->blocklen = gcry_cipher_get_algo_blklen (algo);
  err = opgp_s2k_derive (s->passphrase, p[2], p[3], p + 4,
                         p[2] == 3 ? opgp_s2k_count (p[12]) : 0, key, keylen);
  if (!err && gcry_cipher_open (&s->hd, algo, GCRY_CIPHER_MODE_CFB,
                                GCRY_CIPHER_SECURE))
    err = plugin_err (GPG_ERR_CIPHER_ALGO);
  if (!err && gcry_cipher_setkey (s->hd, key, keylen))
    err = plugin_err (GPG_ERR_BAD_KEY);
  plugin_wipe (key, sizeof key);
  return err;
}


/* Packets of the message: one SKESK, then one SEIPD, then nothing.  */
static gpg_error_t
outer_packet (gpgpack_stream_t s, enum opgp_pkt_event ev, int tag,
              const unsigned char *buf, size_t len)
{
  if (ev == OPGP_PKT_START)
    {
      if (s->seipd_done)
        return plugin_err (GPG_ERR_INV_LENGTH);
      if (tag != (s->outer_seen ? OPGP_TAG_SEIPD : OPGP_TAG_SKESK))
        return plugin_err (GPG_ERR_INV_PACKET);
      s->outer_seen = tag;
      return 0;
    }
  if (tag == OPGP_TAG_SEIPD)
    return ev == OPGP_PKT_DATA ? seipd_data (s, buf, len) : seipd_end (s);
  if (ev == OPGP_PKT_END)
    return skesk_end (s);
  if (len > sizeof s->skesk - s->skesk_len)
    return plugin_err (GPG_ERR_INV_PACKET);
  memcpy (s->skesk + s->skesk_len, buf, len);
  s->skesk_len += len;
  return 0;
}


/* Armor-decoded bytes of the message.  */
static gpg_error_t
message_bytes (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return opgp_pktr_feed (s, &s->outer, buf, len);
}


/* The passphrase: PARAMS->passphrase, else the key file's text (a
 * setup code written to NAME.key) without trailing white space.  */
static gpg_error_t
take_passphrase (const gpgpack_open_params_t *params, char *pass)
{
  const char *p = params->passphrase ? params->passphrase : params->key;
  size_t n = params->passphrase ? strlen (p) : params->keylen;

  if (!p)
    return plugin_err (GPG_ERR_NO_PASSPHRASE);
  while (!params->passphrase && n && (p[n - 1] == '\n' || p[n - 1] == '\r'
                                      || p[n - 1] == ' '))
    n--;
  if (!n)
    return plugin_err (GPG_ERR_NO_PASSPHRASE);
  if (n > OPGP_MAX_PASSPHRASE || memchr (p, 0, n))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  memcpy (pass, p, n);
  pass[n] = 0;
  return 0;
}


gpg_error_t
opgp_open_start (int autocrypt, const gpgpack_open_params_t *params,
                 gpgpack_stream_t *r_stream)
{
  gpgpack_stream_t s;
  gpg_error_t err;

  if (!params || !r_stream || !params->out.write)
    return plugin_err (GPG_ERR_INV_ARG);
  *r_stream = NULL;
  if (params->raw_key)
    return plugin_err (GPG_ERR_NOT_SUPPORTED);    /* no share mode */
  err = opgp_stream_new (autocrypt, 0, &params->out, &s);
  if (err)
    return err;
  err = take_passphrase (params, s->passphrase);
  if (!err && gcry_md_open (&s->mdc, GCRY_MD_SHA1, 0))
    err = plugin_err (GPG_ERR_DIGEST_ALGO);
  if (err)
    {
      opgp_stream_release (s);
      return err;
    }
  opgp_armor_init (&s->armor, message_bytes);
  opgp_pktr_init (&s->outer, outer_packet);
  opgp_pktr_init (&s->inner, inner_packet);
  opgp_pktr_init (&s->decomp, literal_packet);
  *r_stream = s;
  return 0;
}


gpg_error_t
opgp_open_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return opgp_armor_feed (s, &s->armor, buf, len);
}


/* End of the pack.  In this order: truncation, a modified armor
 * (checksum), a wrong passphrase (quick check), modified data (MDC),
 * and only then what was wrong inside authentic data.  */
gpg_error_t
opgp_open_finish (gpgpack_stream_t s)
{
  gpg_error_t err;

  err = opgp_armor_finish (s, &s->armor);
  if (!err)
    err = opgp_pktr_finish (s, &s->outer);
  if (!err && !s->seipd_done)
    err = plugin_err (s->outer_seen ? GPG_ERR_TRUNCATED : GPG_ERR_INV_DATA);
  if (err)
    return err;
  if (s->quick_bad)
    return plugin_err (GPG_ERR_BAD_PASSPHRASE);
  if (s->mdc_bad)
    return plugin_err (GPG_ERR_CHECKSUM);
  return s->inner_err;
}
