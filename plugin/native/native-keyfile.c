/* native-keyfile.c - the native key file: text form, Argon2id wrapping
 *
 * Grammar (doc/format.md; each line ends in LF or CR LF, the last one
 * may end without; keywords are lower-case, hex digits of either case):
 *   "gpgpack-key v1"
 *   "pack " 32 hex digits                       (pack id)
 * then either
 *   "key " 64 hex digits                        (file key)
 * or
 *   "argon2id t=" T " m=" M " p=" P " salt=" 32 hex digits
 *   "wrapped " 96 hex digits   (AES-256-OCB of the file key under the
 *                               Argon2id key, nonce 0^12, AD = first
 *                               line || binary pack id)
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>

#include "native.h"

#define KEYFILE_MAGIC     "gpgpack-key "
#define KEYFILE_FIRST     "gpgpack-key v1"
#define KEYFILE_MAX       1024
#define WRAPPED_LEN       (NATIVE_KEY_LEN + NATIVE_TAG_LEN)

/* Argon2id parameters as stored in a key file.  */
typedef struct kdf_params
{
  unsigned long passes;
  unsigned long mem_kib;
  unsigned long lanes;
  unsigned char salt[NATIVE_SALT_LEN];
} kdf_params_t;

/* One line of a key file being parsed.  */
typedef struct line
{
  const char *s;
  size_t len;
} line_t;


/* True if PASSPHRASE asks for protection (NULL and "" do not).  */
int
native_has_passphrase (const char *passphrase)
{
  return passphrase && *passphrase;
}


/* Derive the 32-byte key-encryption key from PASSPHRASE and KDF.  */
static gpg_error_t
derive_kek (const char *passphrase, const kdf_params_t *kdf,
            unsigned char *kek)
{
  unsigned long param[4] = { NATIVE_KEY_LEN, kdf->passes, kdf->mem_kib,
                             kdf->lanes };
  gcry_kdf_hd_t hd;
  gpg_error_t err;

  err = gcry_kdf_open (&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, param, 4,
                       passphrase, strlen (passphrase),
                       kdf->salt, NATIVE_SALT_LEN, NULL, 0, NULL, 0);
  if (err)
    return err;
  err = gcry_kdf_compute (hd, NULL);
  if (!err)
    err = gcry_kdf_final (hd, NATIVE_KEY_LEN, kek);
  gcry_kdf_close (hd);
  return err;
}


/* Wrap (ENCRYPT true) or unwrap the file key under KEK, bound to
 * PACK_ID.  IN and OUT are WRAPPED_LEN (wrapped) or NATIVE_KEY_LEN.  */
static gpg_error_t
wrap_key (int encrypt, const unsigned char *kek, const unsigned char *pack_id,
          const unsigned char *in, unsigned char *out)
{
  static const unsigned char nonce[NATIVE_NONCE_LEN];
  gcry_cipher_hd_t hd;
  gpg_error_t err;

  err = gcry_cipher_open (&hd, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_OCB,
                          GCRY_CIPHER_SECURE);
  if (err)
    return err;
  err = gcry_cipher_setkey (hd, kek, NATIVE_KEY_LEN);
  if (!err)
    err = gcry_cipher_setiv (hd, nonce, sizeof nonce);
  if (!err)
    err = gcry_cipher_authenticate (hd, KEYFILE_FIRST, strlen (KEYFILE_FIRST));
  if (!err)
    err = gcry_cipher_authenticate (hd, pack_id, NATIVE_PACKID_LEN);
  if (!err)
    err = gcry_cipher_final (hd);
  if (!err && encrypt)
    err = gcry_cipher_encrypt (hd, out, NATIVE_KEY_LEN, in, NATIVE_KEY_LEN);
  if (!err && encrypt)
    err = gcry_cipher_gettag (hd, out + NATIVE_KEY_LEN, NATIVE_TAG_LEN);
  if (!err && !encrypt)
    err = gcry_cipher_decrypt (hd, out, NATIVE_KEY_LEN, in, NATIVE_KEY_LEN);
  if (!err && !encrypt)
    err = gcry_cipher_checktag (hd, in + NATIVE_KEY_LEN, NATIVE_TAG_LEN);
  gcry_cipher_close (hd);
  return err;
}


/* Append the string STR to the text at *P.  */
static void
put_str (char **p, const char *str)
{
  size_t n = strlen (str);

  memcpy (*p, str, n);
  *p += n;
}


/* Append LEN bytes BIN as hex and a line end to the text at *P.  */
static void
put_hex_line (char **p, const unsigned char *bin, size_t len)
{
  native_hex_encode (bin, len, *p);
  *p += 2 * len;
  *(*p)++ = '\n';
}


/* Append the Argon2id line and the wrapped key for PARAMS to *P.  */
static gpg_error_t
put_wrapped (char **p, const native_header_t *hdr,
             const unsigned char *file_key,
             const gpgpack_seal_params_t *params)
{
  unsigned char *kek = NULL, wrapped[WRAPPED_LEN];
  kdf_params_t kdf;
  gpg_error_t err = 0;
  char line[80];

  kdf.passes = params->kdf_passes ? params->kdf_passes : NATIVE_KDF_PASSES;
  kdf.mem_kib = params->kdf_mem_kib? params->kdf_mem_kib : NATIVE_KDF_MEM_KIB;
  kdf.lanes = NATIVE_KDF_LANES;
  if (kdf.passes > NATIVE_KDF_MAX_PASSES || kdf.mem_kib < 8 * kdf.lanes
      || kdf.mem_kib > NATIVE_KDF_MAX_MEM_KIB)
    return plugin_err (GPG_ERR_INV_VALUE);
  plugin_random (params->random, params->random_opaque, kdf.salt, NATIVE_SALT_LEN);

  kek = native_secure_alloc (NATIVE_KEY_LEN, &err);
  if (!kek)
    return err;
  err = derive_kek (params->passphrase, &kdf, kek);
  if (!err)
    err = wrap_key (1, kek, hdr->pack_id, file_key, wrapped);
  native_secure_free (kek, NATIVE_KEY_LEN);
  if (err)
    return err;

  snprintf (line, sizeof line, "argon2id t=%lu m=%lu p=%lu salt=",
            kdf.passes, kdf.mem_kib, kdf.lanes);
  put_str (p, line);
  put_hex_line (p, kdf.salt, NATIVE_SALT_LEN);
  put_str (p, "wrapped ");
  put_hex_line (p, wrapped, WRAPPED_LEN);
  return 0;
}


/* Build the key blob for a pack with header HDR and FILE_KEY: the raw
 * key if PARAMS->raw_key, else the key file text (NUL-terminated, the
 * NUL not counted).  Secure memory.  */
gpg_error_t
native_keyfile_make (const native_header_t *hdr,
                     const unsigned char *file_key,
                     const gpgpack_seal_params_t *params,
                     gpgpack_blob_t *r_key)
{
  gpg_error_t err = 0;
  char *text, *p;

  if (params->raw_key)
    {
      r_key->data = native_secure_alloc (NATIVE_KEY_LEN, &err);
      if (!r_key->data)
        return err;
      memcpy (r_key->data, file_key, NATIVE_KEY_LEN);
      r_key->len = NATIVE_KEY_LEN;
      return 0;
    }

  text = p = native_secure_alloc (KEYFILE_MAX, &err);
  if (!text)
    return err;
  put_str (&p, KEYFILE_FIRST "\npack ");
  put_hex_line (&p, hdr->pack_id, NATIVE_PACKID_LEN);
  if (native_has_passphrase (params->passphrase))
    err = put_wrapped (&p, hdr, file_key, params);
  else
    {
      put_str (&p, "key ");
      put_hex_line (&p, file_key, NATIVE_KEY_LEN);
    }
  if (err)
    {
      native_secure_free (text, KEYFILE_MAX);
      return err;
    }
  r_key->data = (unsigned char *)text;
  r_key->len = p - text;
  return 0;
}


/* Split off the next line of the text at *TEXT (*LEN bytes) into LINE.
 * A final line without LF is accepted; a CR right before an LF is
 * dropped (a CR anywhere else stays and makes the line malformed).
 * Returns false at the end of the text.  */
static int
next_line (const char **text, size_t *len, line_t *line)
{
  const char *nl;

  if (!*len)
    return 0;
  nl = memchr (*text, '\n', *len);
  line->s = *text;
  line->len = nl ? (size_t)(nl - *text) : *len;
  *text += line->len + !!nl;
  *len -= line->len + !!nl;
  if (nl && line->len && line->s[line->len - 1] == '\r')
    line->len--;
  return 1;
}


/* If LINE starts with PREFIX, drop it from LINE and return true.  */
static int
eat_prefix (line_t *line, const char *prefix)
{
  size_t n = strlen (prefix);

  if (line->len < n || memcmp (line->s, prefix, n))
    return 0;
  line->s += n;
  line->len -= n;
  return 1;
}


/* Parse PREFIX, a decimal number of at most 10 digits and a space from
 * LINE; the number (ULONG_MAX if larger) goes to *R_VAL.  */
static int
eat_number (line_t *line, const char *prefix, unsigned long *r_val)
{
  uint64_t val = 0;
  size_t n = 0;

  if (!eat_prefix (line, prefix))
    return 0;
  while (n < line->len && n < 10 && line->s[n] >= '0' && line->s[n] <= '9')
    val = val * 10 + (line->s[n++] - '0');
  if (!n || n == line->len || line->s[n] != ' ')
    return 0;
  line->s += n + 1;
  line->len -= n + 1;
  *r_val = val > ULONG_MAX? ULONG_MAX : val;
  return 1;
}


/* Check the version token of the first line LINE (after "gpgpack-key
 * "): "v1" is this version, "v" and other digits an unknown one
 * (GPG_ERR_UNKNOWN_VERSION), anything else a malformed key file.  */
static gpg_error_t
check_version (line_t line)
{
  size_t n;

  if (line.len < 2 || line.s[0] != 'v')
    return plugin_err (GPG_ERR_INV_KEYINFO);
  for (n = 1; n < line.len; n++)
    if (line.s[n] < '0' || line.s[n] > '9')
      return plugin_err (GPG_ERR_INV_KEYINFO);
  if (line.len != 2 || line.s[1] != '1')
    return plugin_err (GPG_ERR_UNKNOWN_VERSION);
  return 0;
}


/* Parse the Argon2id line LINE into KDF.  Parameters beyond what a
 * writer produces are GPG_ERR_LIMIT_REACHED, before any derivation.  */
static gpg_error_t
parse_kdf_line (line_t line, kdf_params_t *kdf)
{
  if (!eat_prefix (&line, "argon2id ")
      || !eat_number (&line, "t=", &kdf->passes)
      || !eat_number (&line, "m=", &kdf->mem_kib)
      || !eat_number (&line, "p=", &kdf->lanes)
      || !kdf->passes || !kdf->lanes || kdf->mem_kib < 8 * kdf->lanes
      || !eat_prefix (&line, "salt=")
      || native_hex_decode (line.s, line.len, kdf->salt, NATIVE_SALT_LEN))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  if (kdf->passes > NATIVE_KDF_MAX_PASSES
      || kdf->mem_kib > NATIVE_KDF_MAX_MEM_KIB
      || kdf->lanes > NATIVE_KDF_MAX_LANES)
    return plugin_err (GPG_ERR_LIMIT_REACHED);
  return 0;
}


/* Recover the file key into KF from the Argon2id line KDFLINE and the
 * "wrapped" line WRAPLINE using PASSPHRASE.  Both lines are parsed
 * before the Argon2id limits are checked (doc/format.md's order).  */
static gpg_error_t
unwrap_lines (line_t kdfline, line_t wrapline, const char *passphrase,
              native_keyfile_t *kf)
{
  unsigned char wrapped[WRAPPED_LEN], *kek;
  kdf_params_t kdf;
  gpg_error_t err;

  if (!eat_prefix (&wrapline, "wrapped ")
      || native_hex_decode (wrapline.s, wrapline.len, wrapped, WRAPPED_LEN))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  err = parse_kdf_line (kdfline, &kdf);
  if (err)
    return err;
  if (!native_has_passphrase (passphrase))
    return plugin_err (GPG_ERR_NO_PASSPHRASE);

  kek = native_secure_alloc (NATIVE_KEY_LEN, &err);
  if (!kek)
    return err;
  err = derive_kek (passphrase, &kdf, kek);
  if (!err)
    {
      err = wrap_key (0, kek, kf->pack_id, wrapped, kf->file_key);
      if (gpg_err_code (err) == GPG_ERR_CHECKSUM)
        err = plugin_err (GPG_ERR_BAD_PASSPHRASE);
    }
  native_secure_free (kek, NATIVE_KEY_LEN);
  return err;
}


/* Parse the key file TEXT of LEN bytes into KF (whose file_key buffer
 * is allocated), unwrapping with PASSPHRASE if it is protected.  */
static gpg_error_t
parse_text (const char *text, size_t len, const char *passphrase,
            native_keyfile_t *kf)
{
  line_t first, pack, third, fourth, extra;
  gpg_error_t err;
  int nlines;

  if (len > KEYFILE_MAX || memchr (text, 0, len))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  nlines = next_line (&text, &len, &first);
  if (!nlines || !eat_prefix (&first, KEYFILE_MAGIC))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  err = check_version (first);
  if (err)
    return err;
  nlines += next_line (&text, &len, &pack);
  nlines += next_line (&text, &len, &third);
  nlines += next_line (&text, &len, &fourth);
  nlines += next_line (&text, &len, &extra);
  if (nlines < 3 || nlines > 4 || !eat_prefix (&pack, "pack ")
      || native_hex_decode (pack.s, pack.len, kf->pack_id, NATIVE_PACKID_LEN))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  kf->has_pack_id = 1;
  if (nlines == 4)
    return unwrap_lines (third, fourth, passphrase, kf);
  if (!eat_prefix (&third, "key ")
      || native_hex_decode (third.s, third.len, kf->file_key, NATIVE_KEY_LEN))
    return plugin_err (GPG_ERR_INV_KEYINFO);
  return 0;
}


/* Parse the key file (or, with RAW, the raw file key) KEY of LEN bytes
 * into R_KF.  On error nothing is left allocated.  */
gpg_error_t
native_keyfile_parse (const void *key, size_t len, int raw,
                      const char *passphrase, native_keyfile_t *r_kf)
{
  gpg_error_t err = 0;

  memset (r_kf, 0, sizeof *r_kf);
  if (!key || !len)
    return plugin_err (GPG_ERR_INV_KEYINFO);
  r_kf->file_key = native_secure_alloc (NATIVE_KEY_LEN, &err);
  if (!r_kf->file_key)
    return err;
  if (!raw)
    err = parse_text (key, len, passphrase, r_kf);
  else if (len != NATIVE_KEY_LEN)
    err = plugin_err (GPG_ERR_INV_KEYINFO);
  else
    memcpy (r_kf->file_key, key, NATIVE_KEY_LEN);
  if (err)
    {
      native_secure_free (r_kf->file_key, NATIVE_KEY_LEN);
      r_kf->file_key = NULL;
    }
  return err;
}
