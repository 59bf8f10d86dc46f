/* openpgp.c - the openpgp and autocrypt formats: plugin entry and tables */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "openpgp.h"

#define BEGIN_MSG "-----BEGIN PGP MESSAGE-----"
#define SETUP_HDR "Passphrase-Format: numeric9x4"
/* The "key file" is the setup code (NAME.key, or shown once); openpgp
 * also takes a passphrase of the user's instead.  */
#define OPENPGP_FLAGS (GPGPACK_FMT_KEYFILE | GPGPACK_FMT_PASSPHRASE \
                       | GPGPACK_FMT_AUTHENTICATED | GPGPACK_FMT_SETUP_CODE)
#define AUTOCRYPT_FLAGS (GPGPACK_FMT_KEYFILE | GPGPACK_FMT_AUTHENTICATED \
                         | GPGPACK_FMT_MAIL_HTML | GPGPACK_FMT_SETUP_CODE)

/* True if the LEN bytes at HEAD contain the string STR.  */
static int
contains (const void *head, size_t len, const char *str)
{
  size_t n = strlen (str);
  const char *p = head;

  for (; len >= n; p++, len--)
    if (!memcmp (p, str, n))
      return 1;
  return 0;
}


/* A binary SKESK v4 (old or new packet format) at HEAD.  */
static int
binary_skesk (const unsigned char *head, size_t len)
{
  return (len > 2 && head[0] == 0x8c && head[2] == 4)
         || (len > 2 && head[0] == 0xc3 && head[2] == 4);
}


/* Any armored message may be ours; an Autocrypt one rates higher for
 * autocrypt, so that a Setup Message is named as such.  */
static int
openpgp_probe (const void *head, size_t headlen, uint64_t total,
               const char *filename)
{
  (void)total;
  (void)filename;
  if (binary_skesk (head, headlen))
    return 50;
  return contains (head, headlen, BEGIN_MSG) ? 50 : 0;
}


static int
autocrypt_probe (const void *head, size_t headlen, uint64_t total,
                 const char *filename)
{
  (void)total;
  (void)filename;
  return contains (head, headlen, BEGIN_MSG)
         && contains (head, headlen, SETUP_HDR) ? 60 : 0;
}


/* info of both formats: NEEDS, the cipher.  */
static gpg_error_t
describe (const void *head, size_t headlen, const char *cipher,
          unsigned int needs, gpgpack_info_t *r_info)
{
  memset (r_info, 0, sizeof *r_info);
  if (!binary_skesk (head, headlen) && !contains (head, headlen, BEGIN_MSG))
    return plugin_err (GPG_ERR_INV_DATA);
  r_info->cipher = cipher;
  r_info->needs = needs;
  return 0;
}


static gpg_error_t
openpgp_info (const void *head, size_t headlen, gpgpack_info_t *r_info)
{
  return describe (head, headlen, "OpenPGP SKESK+SEIPD (AES-256 when ours)",
                   OPENPGP_FLAGS, r_info);
}


static gpg_error_t
autocrypt_info (const void *head, size_t headlen, gpgpack_info_t *r_info)
{
  return describe (head, headlen, "OpenPGP SKESK+SEIPD, AES-128",
                   AUTOCRYPT_FLAGS, r_info);
}


static gpg_error_t
openpgp_seal_start (const gpgpack_seal_params_t *params,
                    gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  return opgp_seal_start (0, params, r_stream, r_key);
}


static gpg_error_t
autocrypt_seal_start (const gpgpack_seal_params_t *params,
                      gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  return opgp_seal_start (1, params, r_stream, r_key);
}


static gpg_error_t
openpgp_open_start (const gpgpack_open_params_t *params,
                    gpgpack_stream_t *r_stream)
{
  return opgp_open_start (0, params, r_stream);
}


static gpg_error_t
autocrypt_open_start (const gpgpack_open_params_t *params,
                      gpgpack_stream_t *r_stream)
{
  return opgp_open_start (1, params, r_stream);
}


/* Feed or finish S, remembering the first error.  */
static gpg_error_t
opgp_feed (gpgpack_stream_t s, const void *buf, size_t len)
{
  if (!s)
    return plugin_err (GPG_ERR_INV_ARG);
  if (!s->failed && s->finished)
    return plugin_err (GPG_ERR_INV_STATE);
  if (!s->failed)
    s->failed = s->sealing ? opgp_seal_feed (s, buf, len)
                           : opgp_open_feed (s, buf, len);
  return s->failed;
}


static gpg_error_t
opgp_finish (gpgpack_stream_t s)
{
  if (!s)
    return plugin_err (GPG_ERR_INV_ARG);
  if (!s->failed && s->finished)
    return plugin_err (GPG_ERR_INV_STATE);
  s->finished = 1;
  if (!s->failed)
    s->failed = s->sealing ? opgp_seal_finish (s) : opgp_open_finish (s);
  return s->failed;
}


/* A new stream in secure memory.  */
gpg_error_t
opgp_stream_new (int autocrypt, int sealing, const gpgpack_sink_t *out,
                 gpgpack_stream_t *r_stream)
{
  gpgpack_stream_t s = gcry_calloc_secure (1, sizeof *s);

  if (!s)
    return gpg_err_make (GPGPACK_ERR_SOURCE, gpg_err_code_from_syserror ());
  s->autocrypt = autocrypt;
  s->sealing = sealing;
  s->out = *out;
  *r_stream = s;
  return 0;
}


void
opgp_stream_release (gpgpack_stream_t s)
{
  if (!s)
    return;
  gcry_cipher_close (s->hd);
  gcry_md_close (s->mdc);
  plugin_wipe (s, sizeof *s);
  gcry_free (s);
}


static const gpgpack_format_t openpgp_format =
  {
    "openpgp",
    "OpenPGP message (SKESK, SEIPD with MDC): opens with gpg --decrypt",
    ".asc", ".key",
    OPENPGP_FLAGS,
    0,
    openpgp_probe, openpgp_info, openpgp_seal_start, openpgp_open_start,
    opgp_feed, opgp_finish, opgp_stream_release,
    NULL
  };

static const gpgpack_format_t autocrypt_format =
  {
    "autocrypt",
    "Autocrypt Setup Message: one secret key, numeric9x4 setup code",
    ".asc", ".key",
    AUTOCRYPT_FLAGS,
    0,
    autocrypt_probe, autocrypt_info, autocrypt_seal_start,
    autocrypt_open_start, opgp_feed, opgp_finish, opgp_stream_release,
    NULL
  };

static const gpgpack_format_t *const openpgp_formats[] =
  { &openpgp_format, &autocrypt_format };

static const gpgpack_plugin_t openpgp_plugin =
  {
    GPGPACK_PLUGIN_ABI_VERSION,
    "openpgp",
    PACKAGE_VERSION,
    2,
    openpgp_formats
  };


/* The plugin entry point.  */
const gpgpack_plugin_t *
gpgpack_plugin_entry (unsigned int abi)
{
  return abi == GPGPACK_PLUGIN_ABI_VERSION ? &openpgp_plugin : NULL;
}
