/* opgp-seal.c - write an armored SKESK v4 + SEIPD v1 message around the
 * key data, or the Autocrypt Setup Message around one secret key */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "openpgp.h"

#define MSG_BEGIN "-----BEGIN PGP MESSAGE-----\n"
#define MSG_END   "-----END PGP MESSAGE-----\n"
#define KEY_BEGIN "-----BEGIN PGP PRIVATE KEY BLOCK-----\n" \
                  "Autocrypt-Prefer-Encrypt: mutual\n\n"
#define KEY_END   "-----END PGP PRIVATE KEY BLOCK-----\n"
#define ARMOR_LINE 64

static gpg_error_t
to_sink (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return s->out.write (s->out.opaque, buf, len);
}


/* Bytes of the outer armor body: checksum and Base64 to the sink.  */
static gpg_error_t
to_armor (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  s->outer_crc = gfe_crc24 (s->outer_crc, buf, len);
  return gfe_b64enc_feed (&s->outer_b64, buf, len, to_sink, s);
}


/* Plaintext of the SEIPD: into the MDC hash, encrypted into the SEIPD
 * packet.  */
static gpg_error_t
to_cipher (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err = 0;
  size_t n;

  gcry_md_write (s->mdc, buf, len);
  while (len && !err)
    {
      n = len < sizeof s->work ? len : sizeof s->work;
      if (gcry_cipher_encrypt (s->hd, s->work, n, buf, n))
        return plugin_err (GPG_ERR_INV_STATE);
      err = opgp_pktw_feed (s, &s->seipd, s->work, n);
      buf += n;
      len -= n;
    }
  return err;
}


/* Bytes of the literal data packet's body.  */
static gpg_error_t
to_literal (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  return opgp_pktw_feed (s, &s->lit, buf, len);
}


/* Autocrypt: bytes of the inner key armor.  */
static gpg_error_t
to_inner_armor (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  s->inner_crc = gfe_crc24 (s->inner_crc, buf, len);
  return gfe_b64enc_feed (&s->inner_b64, buf, len, to_literal, s);
}


/* Autocrypt: count the secret key packets of the key data.  */
static gpg_error_t
count_keys (gpgpack_stream_t s, enum opgp_pkt_event ev, int tag,
            const unsigned char *buf, size_t len)
{
  (void)buf;
  (void)len;
  if (ev == OPGP_PKT_START && tag == OPGP_TAG_SECKEY && ++s->nseckeys > 1)
    return plugin_err (GPG_ERR_TOO_MANY);
  return 0;
}


/* Number of secret keys ("FPR S" lines) in a manifest.  */
static unsigned int
manifest_secrets (const gpgpack_seal_params_t *params)
{
  const char *p = params->manifest, *end = p + params->manifestlen;
  unsigned int n = 0;

  for (; p && p + 2 < end; p++)
    if (p[0] == ' ' && p[1] == 'S' && (p[2] == '\n'))
      n++;
  return n;
}


/* True if the user's passphrase P may be a pack's only protection
 * against offline guessing (doc/format.md, "Passphrase"): at least
 * OPGP_MIN_PASSPHRASE characters (UTF-8), OPGP_MIN_DISTINCT bytes of
 * them different.  */
static int
strong_enough (const char *p)
{
  unsigned char seen[32] = { 0 };
  const unsigned char *s = (const unsigned char *)p;
  size_t chars = 0, distinct = 0;

  for (; *s; s++)
    {
      chars += (*s & 0xc0) != 0x80;
      distinct += !(seen[*s >> 3] & (1 << (*s & 7)));
      seen[*s >> 3] |= 1 << (*s & 7);
    }
  return chars >= OPGP_MIN_PASSPHRASE && distinct >= OPGP_MIN_DISTINCT;
}


/* The passphrase of the pack: the caller's, or a new setup code which
 * is also returned in *R_KEY (secure memory).  Autocrypt takes only
 * setup codes, openpgp no weak passphrase (GPG_ERR_INV_PASSPHRASE).  */
static gpg_error_t
choose_passphrase (int autocrypt, const gpgpack_seal_params_t *params,
                   char *pass, gpgpack_blob_t *r_key)
{
  if (params->passphrase)
    {
      if (strlen (params->passphrase) > OPGP_MAX_PASSPHRASE)
        return plugin_err (GPG_ERR_TOO_LARGE);
      if (!*params->passphrase
          || (autocrypt && !opgp_is_setup_code (params->passphrase)))
        return plugin_err (GPG_ERR_BAD_PASSPHRASE);
      if (!strong_enough (params->passphrase))
        return plugin_err (GPG_ERR_INV_PASSPHRASE);
      strcpy (pass, params->passphrase);
      return 0;
    }
  opgp_setup_code (params->random, params->random_opaque, pass);
  r_key->data = gcry_malloc_secure (OPGP_CODE_LEN + 1);
  if (!r_key->data)
    return gpg_err_make (GPGPACK_ERR_SOURCE, gpg_err_code_from_syserror ());
  memcpy (r_key->data, pass, OPGP_CODE_LEN + 1);
  r_key->len = OPGP_CODE_LEN;
  return 0;
}


/* Armor header and SKESK; derive the key into S->hd.  */
static gpg_error_t
write_head (gpgpack_stream_t s, const gpgpack_seal_params_t *params,
            unsigned char *key)
{
  unsigned char skesk[15] = { 0xc3, 13, 4, 0, OPGP_S2K_ITERSALTED,
                              OPGP_HASH_SHA256 };
  int algo = s->autocrypt ? OPGP_CIPHER_AES128 : OPGP_CIPHER_AES256;
  char begin[] = "Passphrase-Format: numeric9x4\nPassphrase-Begin: xx\n";
  size_t keylen;
  gpg_error_t err;

  skesk[3] = algo;
  plugin_random (params->random, params->random_opaque, skesk + 6, 8);
  skesk[14] = OPGP_S2K_COUNT;
  keylen = gcry_cipher_get_algo_keylen (opgp_cipher_to_gcry (algo));
  err = opgp_s2k_derive (s->passphrase, OPGP_S2K_ITERSALTED,
                         OPGP_HASH_SHA256, skesk + 6,
                         opgp_s2k_count (OPGP_S2K_COUNT), key, keylen);
  if (!err && gcry_cipher_open (&s->hd, opgp_cipher_to_gcry (algo),
                                GCRY_CIPHER_MODE_CFB, GCRY_CIPHER_SECURE))
    err = plugin_err (GPG_ERR_CIPHER_ALGO);
  if (!err && gcry_cipher_setkey (s->hd, key, keylen))
    err = plugin_err (GPG_ERR_BAD_KEY);
  s->blocklen = 16;
  if (!err)
    err = to_sink (s, (const unsigned char *)MSG_BEGIN, strlen (MSG_BEGIN));
  memcpy (begin + strlen (begin) - 3, s->passphrase, 2);
  if (!err && s->autocrypt)
    err = to_sink (s, (const unsigned char *)begin, strlen (begin));
  if (!err)
    err = to_sink (s, (const unsigned char *)"\n", 1);
  if (!err)
    err = to_armor (s, skesk, sizeof skesk);
  return err;
}


/* SEIPD version, random prefix with its quick check, literal header.  */
static gpg_error_t
write_prefix (gpgpack_stream_t s, const gpgpack_seal_params_t *params)
{
  static const unsigned char version = 1;
  static const unsigned char lithead[6] = { 'b', 0, 0, 0, 0, 0 };
  unsigned char prefix[18];
  gpg_error_t err;

  plugin_random (params->random, params->random_opaque, prefix, 16);
  prefix[16] = prefix[14];
  prefix[17] = prefix[15];
  err = opgp_pktw_feed (s, &s->seipd, &version, 1);
  if (!err)
    err = to_cipher (s, prefix, sizeof prefix);
  plugin_wipe (prefix, sizeof prefix);
  if (!err)
    err = to_literal (s, lithead, sizeof lithead);
  if (!err && s->autocrypt)
    err = to_literal (s, (const unsigned char *)KEY_BEGIN,
                      strlen (KEY_BEGIN));
  return err;
}


/* Start sealing (openpgp if !AUTOCRYPT).  */
gpg_error_t
opgp_seal_start (int autocrypt, const gpgpack_seal_params_t *params,
                 gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  unsigned char key[32];
  gpgpack_stream_t s;
  gpg_error_t err;

  if (!params || !r_stream || !r_key || !params->out.write)
    return plugin_err (GPG_ERR_INV_ARG);
  *r_stream = NULL;
  memset (r_key, 0, sizeof *r_key);
  if (params->raw_key)
    return plugin_err (GPG_ERR_NOT_SUPPORTED);    /* no share mode */
  if (autocrypt && manifest_secrets (params) > 1)
    return plugin_err (GPG_ERR_TOO_MANY);
  err = opgp_stream_new (autocrypt, 1, &params->out, &s);
  if (err)
    return err;
  err = choose_passphrase (autocrypt, params, s->passphrase, r_key);
  opgp_pktw_init (&s->lit, OPGP_TAG_LITERAL, to_cipher);
  opgp_pktw_init (&s->seipd, OPGP_TAG_SEIPD, to_armor);
  opgp_pktr_init (&s->keyscan, count_keys);
  s->outer_b64.line_len = s->inner_b64.line_len = ARMOR_LINE;
  s->outer_crc = s->inner_crc = OPGP_CRC24_INIT;
  if (!err && gcry_md_open (&s->mdc, GCRY_MD_SHA1, 0))
    err = plugin_err (GPG_ERR_DIGEST_ALGO);
  if (!err)
    err = write_head (s, params, key);
  plugin_wipe (key, sizeof key);
  if (!err)
    err = write_prefix (s, params);
  if (err)
    {
      plugin_blob_release (r_key);
      opgp_stream_release (s);
      return err;
    }
  *r_stream = s;
  return 0;
}


/* LEN bytes of key data.  */
gpg_error_t
opgp_seal_feed (gpgpack_stream_t s, const unsigned char *buf, size_t len)
{
  gpg_error_t err;

  if (!s->autocrypt)
    return to_literal (s, buf, len);
  err = opgp_pktr_feed (s, &s->keyscan, buf, len);
  return err ? err : to_inner_armor (s, buf, len);
}


/* Close the literal packet, append the MDC, close SEIPD and armor.  */
gpg_error_t
opgp_seal_finish (gpgpack_stream_t s)
{
  unsigned char mdc[OPGP_MDC_LEN] = { 0xd3, 0x14 };
  gpg_error_t err = 0;

  if (s->autocrypt)
    {
      err = opgp_pktr_finish (s, &s->keyscan);
      if (!err && !s->nseckeys)
        err = plugin_err (GPG_ERR_NO_SECKEY);
      if (!err)
        err = opgp_armor_tail (s, &s->inner_b64, s->inner_crc, KEY_END,
                               to_literal);
    }
  if (!err)
    err = opgp_pktw_finish (s, &s->lit);
  if (err)
    return err;
  gcry_md_write (s->mdc, mdc, 2);
  memcpy (mdc + 2, gcry_md_read (s->mdc, GCRY_MD_SHA1), 20);
  if (gcry_cipher_encrypt (s->hd, mdc, sizeof mdc, NULL, 0))
    return plugin_err (GPG_ERR_INV_STATE);
  err = opgp_pktw_feed (s, &s->seipd, mdc, sizeof mdc);
  if (!err)
    err = opgp_pktw_finish (s, &s->seipd);
  if (!err)
    err = opgp_armor_tail (s, &s->outer_b64, s->outer_crc, MSG_END, to_sink);
  return err;
}
