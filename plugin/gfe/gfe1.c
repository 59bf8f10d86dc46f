/* gfe1.c - the gfe1 format: AES-256-ECB over Base64 of OpenPGP armor
 *
 * Sealing: binary key data (first byte with bit 7 set) is armored here
 * first; text must be what opening accepts, an armored key block from
 * its header line to its END line, and passes as is; the text is
 * Base64-encoded, padded with 0x80
 * and 0x00 to a block and encrypted under SHA-256 (key file).  Opening
 * reverses that strictly: a wrong key shows as text that is not Base64 of
 * an armor header (GPG_ERR_BAD_KEY); damage further on as bad Base64 or
 * padding (GPG_ERR_CHECKSUM); a pack cut at a block boundary as text
 * without an armor END line (GPG_ERR_TRUNCATED).
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "gfe.h"

#define ARMOR_LINE 64

static const char *const armor_heads[] =
  { "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    "-----BEGIN PGP PRIVATE KEY BLOCK-----" };
static const char *const armor_tails[] =
  { "-----END PGP PUBLIC KEY BLOCK-----",
    "-----END PGP PRIVATE KEY BLOCK-----" };

static const char keyfile_alphabet[] =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";


/* Key S's AES-256-ECB with SHA-256 of the KEYLEN key file bytes KEY.  */
static gpg_error_t
gfe1_key (gpgpack_stream_t s, const void *key, size_t keylen)
{
  unsigned char *digest;
  gpg_error_t err;

  digest = gcry_malloc_secure (32);
  if (!digest)
    return gpg_error_from_syserror ();
  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, key, keylen);
  err = gcry_cipher_open (&s->hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_ECB,
                          GCRY_CIPHER_SECURE);
  if (!err)
    err = gcry_cipher_setkey (s->hd, digest, 32);
  plugin_wipe (digest, 32);
  gcry_free (digest);
  return err;
}


/* A key file of 256 characters [0-9A-Za-z], as GpgFrontend 2.0 wrote:
 * readable by every gfe1 version.  Rejection sampling keeps it
 * uniform.  */
static void
make_keyfile (const gpgpack_seal_params_t *params, unsigned char *key)
{
  unsigned char r;
  size_t n = 0;

  while (n < GFE1_KEYFILE_LEN)
    {
      plugin_random (params->random, params->random_opaque, &r, 1);
      if (r < 248)
        key[n++] = keyfile_alphabet[r % 62];
    }
  plugin_wipe (&r, sizeof r);
}


gpg_error_t
gfe1_seal_start (const gpgpack_seal_params_t *params,
                 gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  gpgpack_stream_t s;
  gpg_error_t err;

  r_key->data = NULL;
  r_key->len = 0;
  if (params->raw_key || (params->passphrase && *params->passphrase))
    return plugin_err (GPG_ERR_NOT_SUPPORTED);
  err = gfe_stream_new (NULL, 1, &params->out, &s);
  if (err)
    return err;
  err = gfe_blob_new (GFE1_KEYFILE_LEN, r_key);
  if (!err)
    {
      make_keyfile (params, r_key->data);
      err = gfe1_key (s, r_key->data, r_key->len);
    }
  if (err)
    {
      gfe_stream_release (s);
      plugin_blob_release (r_key);
      return err;
    }
  *r_stream = s;
  return 0;
}


gpg_error_t
gfe1_open_start (const gpgpack_open_params_t *params,
                 gpgpack_stream_t *r_stream)
{
  gpgpack_stream_t s;
  gpg_error_t err;

  *r_stream = NULL;
  if (params->raw_key)
    return plugin_err (GPG_ERR_NOT_SUPPORTED);
  if (params->keylen > GFE_MAX_KEYFILE)
    return plugin_err (GPG_ERR_TOO_LARGE);
  if (params->keylen != GFE1_KEYFILE_LEN)
    return plugin_err (GPG_ERR_INV_KEYINFO);
  err = gfe_stream_new (NULL, 0, &params->out, &s);
  if (!err)
    err = gfe1_key (s, params->key, params->keylen);
  if (err)
    {
      gfe_stream_release (s);
      return err;
    }
  *r_stream = s;
  return 0;
}


/* Sealing: encrypt and write the full block in S->block.  */
static gpg_error_t
seal_block (gpgpack_stream_t s)
{
  gpg_error_t err = gcry_cipher_encrypt (s->hd, s->block, GFE1_BLOCK,
                                         NULL, 0);

  return err? err : s->out.write (s->out.opaque, s->block, GFE1_BLOCK);
}


/* Sealing: encrypt and write every full block of the Base64 text.  */
static gpg_error_t
block_out (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return gfe_fill (s, s->block, GFE1_BLOCK, &s->block_len, buf, len,
                   seal_block);
}


/* Sealing: armor text goes into the outer Base64.  */
static gpg_error_t
text_out (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return gfe_b64enc_feed (&s->b64enc, buf, len, block_out, s);
}


static gpg_error_t
text_out_str (gpgpack_stream_t s, const char *str)
{
  return text_out (s, (const unsigned char *)str, strlen (str));
}


/* Sealing: the first input byte decides whether we armor (binary
 * OpenPGP) and, by its packet tag, which block kind we name.  */
static gpg_error_t
start_input (gpgpack_stream_t s, unsigned char first)
{
  unsigned int tag;
  int secret;
  gpg_error_t err;

  s->input_seen = 1;
  if (!(first & 0x80))
    return 0;
  tag = (first & 0x40) ? (first & 0x3f) : ((first >> 2) & 0x0f);
  secret = tag == 5 || tag == 7;
  s->armoring = 1;
  s->armor_tail = armor_tails[secret];
  s->armorenc.line_len = ARMOR_LINE;
  s->crc = 0xb704ce;
  err = text_out_str (s, armor_heads[secret]);
  if (!err)
    err = text_out_str (s, "\n\n");
  return err;
}


/* How the S->text_len bytes of text in S->text compare with the armor
 * header lines: -1 no header starts so, 0 not yet known, 1 a header
 * line is complete.  */
static int
header_state (gpgpack_stream_t s)
{
  int prefix_of_any = 0;
  size_t i, n;

  for (i = 0; i < 2; i++)
    {
      n = strlen (armor_heads[i]);
      if (!memcmp (s->text, armor_heads[i],
                   s->text_len < n ? s->text_len : n))
        {
          if (s->text_len >= n)
            return 1;
          prefix_of_any = 1;
        }
    }
  return prefix_of_any ? 0 : -1;
}


/* Copy the first bytes of BUF/LEN to S->text until the header can be
 * judged; return how many were taken.  */
static size_t
take_header (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  size_t take = sizeof s->text - s->text_len;

  if (take > len)
    take = len;
  memcpy (s->text + s->text_len, buf, take);
  s->text_len += take;
  return take;
}


/* Keep the last bytes of the LEN bytes of text at BUF in S->text, for
 * the END line check.  */
static void
keep_tail (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  size_t drop;

  if (len > sizeof s->text)
    {
      buf += len - sizeof s->text;
      len = sizeof s->text;
    }
  if (s->text_len + len > sizeof s->text)
    {
      drop = s->text_len + len - sizeof s->text;
      memmove (s->text, s->text + drop, s->text_len - drop);
      s->text_len -= drop;
    }
  memcpy (s->text + s->text_len, buf, len);
  s->text_len += len;
}


/* True if the kept tail of S is an armor END line and line ends.  */
static int
ends_with_armor_tail (gpgpack_stream_t s)
{
  size_t n = s->text_len, i, tlen;

  while (n && (s->text[n - 1] == '\n' || s->text[n - 1] == '\r'))
    n--;
  for (i = 0; i < 2; i++)
    {
      tlen = strlen (armor_tails[i]);
      if (n >= tlen && !memcmp (s->text + n - tlen, armor_tails[i], tlen))
        return 1;
    }
  return 0;
}


/* Sealing text: it must be an armored key block, or the pack could
 * never be opened (the header is how a key is told right, the END line
 * how a pack is known complete).  Checks the header, keeps the tail. */
static gpg_error_t
check_text (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  size_t used = 0;
  int state;

  if (s->phase == GFE1_HEADER)
    {
      used = take_header (s, buf, len);
      state = header_state (s);
      if (state < 0)
        return plugin_err (GPG_ERR_INV_DATA);
      if (state > 0)
        s->phase = GFE1_BODY;
    }
  if (s->phase == GFE1_BODY)
    keep_tail (s, buf + used, len - used);
  return 0;
}


static gpg_error_t
seal_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;

  if (!len)
    return 0;
  if (!s->input_seen)
    err = start_input (s, buf[0]);
  if (err)
    return err;
  if (!s->armoring)
    {
      err = check_text (s, buf, len);
      return err ? err : text_out (s, buf, len);
    }
  s->crc = gfe_crc24 (s->crc, buf, len);
  return gfe_b64enc_feed (&s->armorenc, buf, len, text_out, s);
}


/* Sealing: end the armor we write (checksum line, END line).  */
static gpg_error_t
end_armor (gpgpack_stream_t s)
{
  gfe_b64enc_t crcenc = { { 0 } };
  unsigned char crc[3];
  gpg_error_t err;

  crc[0] = s->crc >> 16;
  crc[1] = s->crc >> 8;
  crc[2] = s->crc;
  err = gfe_b64enc_finish (&s->armorenc, text_out, s);
  if (!err)
    err = text_out_str (s, "=");
  if (!err)
    err = gfe_b64enc_feed (&crcenc, crc, 3, text_out, s);
  if (!err)
    err = text_out_str (s, "\n");
  if (!err)
    err = text_out_str (s, s->armor_tail);
  if (!err)
    err = text_out_str (s, "\n");
  return err;
}


static gpg_error_t
seal_finish (gpgpack_stream_t s)
{
  static const unsigned char pad[GFE1_BLOCK] = { 0x80 };
  gpg_error_t err = 0;

  if (s->armoring)
    err = end_armor (s);
  else if (s->phase != GFE1_BODY || !ends_with_armor_tail (s))
    err = plugin_err (GPG_ERR_INV_DATA);
  if (!err)
    err = gfe_b64enc_finish (&s->b64enc, block_out, s);
  if (!err && s->block_len)
    err = block_out (s, pad, GFE1_BLOCK - s->block_len);
  return err;
}


/* Opening: the armor header decides, as soon as it can, whether the key
 * was right; the bytes are held until then.  */
static gpg_error_t
check_header (gpgpack_stream_t s, const unsigned char *buf, size_t len,
              size_t *r_used)
{
  int state;

  *r_used = take_header (s, buf, len);
  state = header_state (s);
  if (state < 0)
    return plugin_err (GPG_ERR_BAD_KEY);
  if (!state)
    return 0;
  s->phase = GFE1_BODY;
  return s->out.write (s->out.opaque, s->text, s->text_len);
}


/* Opening: LEN bytes of armor text decoded from the Base64.  */
static gpg_error_t
armor_in (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;
  size_t used;

  if (s->phase == GFE1_HEADER)
    {
      err = check_header (s, buf, len, &used);
      buf += used;
      len -= used;
    }
  if (!err && len && s->phase == GFE1_BODY)
    err = s->out.write (s->out.opaque, buf, len);
  if (!err && len)
    keep_tail (s, buf, len);
  return err;
}


/* Opening: one decrypted block of Base64 text and padding.  */
static gpg_error_t
text_in (gpgpack_stream_t s, const unsigned char *block)
{
  unsigned char *decoded = s->decoded;
  gpg_error_t err = 0, bad;
  size_t i, n;

  bad = plugin_err (s->phase == GFE1_HEADER ? GPG_ERR_BAD_KEY
                                         : GPG_ERR_CHECKSUM);
  for (i = 0; i < GFE1_BLOCK && s->phase != GFE1_PADDING; i++)
    if (block[i] == 0x80)
      break;
  if (gfe_b64dec_feed (&s->b64dec, block, i, decoded, &n))
    return bad;
  if (n)
    err = armor_in (s, decoded, n);
  plugin_wipe (decoded, GFE1_BLOCK);
  if (err || i == GFE1_BLOCK)
    return err;
  if (s->phase == GFE1_HEADER)
    return bad;
  if (s->phase != GFE1_PADDING)
    {
      s->phase = GFE1_PADDING;
      i++;
    }
  for (; i < GFE1_BLOCK; i++)
    if (block[i])
      return bad;
  return 0;
}


/* Opening: decrypt the full block in S->block into the Base64 text.  */
static gpg_error_t
open_block (gpgpack_stream_t s)
{
  gpg_error_t err = gcry_cipher_decrypt (s->hd, s->plain, GFE1_BLOCK,
                                         s->block, GFE1_BLOCK);

  return err? err : text_in (s, s->plain);
}


static gpg_error_t
open_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = gfe_fill (s, s->block, GFE1_BLOCK, &s->block_len,
                              buf, len, open_block);

  plugin_wipe (s->plain, GFE1_BLOCK);
  return err;
}


static gpg_error_t
open_finish (gpgpack_stream_t s)
{
  if (!s->total)
    return plugin_err (GPG_ERR_INV_DATA);
  if (s->block_len || !gfe_b64dec_complete (&s->b64dec))
    return plugin_err (GPG_ERR_TRUNCATED);
  if (s->phase == GFE1_HEADER)
    return plugin_err (s->text_len ? GPG_ERR_TRUNCATED : GPG_ERR_BAD_KEY);
  if (!ends_with_armor_tail (s))
    return plugin_err (GPG_ERR_TRUNCATED);
  return 0;
}


gpg_error_t
gfe1_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return s->sealing ? seal_feed (s, buf, len) : open_feed (s, buf, len);
}


gpg_error_t
gfe1_finish (gpgpack_stream_t s)
{
  return s->sealing ? seal_finish (s) : open_finish (s);
}
