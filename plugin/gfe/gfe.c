/* gfe.c - GpgFrontend's KeyPackage formats: plugin entry and tables */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "gfe.h"

/* True if FILENAME ends in EXT.  */
static int
has_ext (const char *filename, const char *ext)
{
  size_t n, e = strlen (ext);

  if (!filename)
    return 0;
  n = strlen (filename);
  return n >= e && !strcmp (filename + n - e, ext);
}


static int
has_gfe3_magic (const void *head, size_t headlen)
{
  return headlen >= GFE3_MAGIC_LEN
         && !memcmp (head, GFE3_MAGIC, GFE3_MAGIC_LEN);
}


/* gfe1 has no header: only the name and a block-aligned length; a low
 * score so that any format with a magic wins.  */
static int
gfe1_probe (const void *head, size_t headlen, uint64_t total,
            const char *filename)
{
  return has_ext (filename, ".gfepack") && total && total % GFE1_BLOCK == 0
         && total <= GFE_MAX_PACK ? 10 : 0;
}


/* gfe2 has no header either: the name, no gfe3 magic, room for salt,
 * IV and tag.  */
static int
gfe2_probe (const void *head, size_t headlen, uint64_t total,
            const char *filename)
{
  return has_ext (filename, ".gfpack") && !has_gfe3_magic (head, headlen)
         && total >= GFE_SALT_LEN + 12 + GFE_TAG_LEN
         && total <= GFE_MAX_PACK ? 20 : 0;
}


static int
gfe3_probe (const void *head, size_t headlen, uint64_t total,
            const char *filename)
{
  if (!has_gfe3_magic (head, headlen))
    return 0;
  return total >= GFE3_MAGIC_LEN + GFE_SALT_LEN + 24 + GFE_TAG_LEN ? 90 : 30;
}


static gpg_error_t
gfe1_info (const void *head, size_t headlen, gpgpack_info_t *r_info)
{
  memset (r_info, 0, sizeof *r_info);
  if (!headlen)
    return plugin_err (GPG_ERR_INV_DATA);
  r_info->cipher = "AES-256-ECB";
  r_info->needs = GPGPACK_FMT_KEYFILE;
  return 0;
}


/* info of gfe2 and gfe3: the cipher and the mandatory PIN.  */
static gpg_error_t
aead_info (const gfe_variant_t *v, const void *head, size_t headlen,
           gpgpack_info_t *r_info)
{
  memset (r_info, 0, sizeof *r_info);
  if (!headlen || (v->magic_len && !has_gfe3_magic (head, headlen)))
    return plugin_err (GPG_ERR_INV_DATA);
  r_info->cipher = v->cipher_name;
  r_info->needs = GPGPACK_FMT_KEYFILE | GPGPACK_FMT_PASSPHRASE
                  | GPGPACK_FMT_PIN_REQUIRED | GPGPACK_FMT_AUTHENTICATED;
  return 0;
}


static gpg_error_t
gfe2_info (const void *head, size_t headlen, gpgpack_info_t *r_info)
{
  return aead_info (&gfe2_variant, head, headlen, r_info);
}


static gpg_error_t
gfe3_info (const void *head, size_t headlen, gpgpack_info_t *r_info)
{
  return aead_info (&gfe3_variant, head, headlen, r_info);
}


static gpg_error_t
gfe2_seal_start (const gpgpack_seal_params_t *params,
                 gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  return gfe_aead_seal_start (&gfe2_variant, params, r_stream, r_key);
}


static gpg_error_t
gfe3_seal_start (const gpgpack_seal_params_t *params,
                 gpgpack_stream_t *r_stream, gpgpack_blob_t *r_key)
{
  return gfe_aead_seal_start (&gfe3_variant, params, r_stream, r_key);
}


static gpg_error_t
gfe2_open_start (const gpgpack_open_params_t *params,
                 gpgpack_stream_t *r_stream)
{
  return gfe_aead_open_start (&gfe2_variant, params, r_stream);
}


static gpg_error_t
gfe3_open_start (const gpgpack_open_params_t *params,
                 gpgpack_stream_t *r_stream)
{
  return gfe_aead_open_start (&gfe3_variant, params, r_stream);
}


/* Feed or finish S, remembering the first error: after a failure the
 * stream refuses all further work with the same error.  */
static gpg_error_t
gfe_feed (gpgpack_stream_t s, const void *buf, size_t len)
{
  if (!s->failed && s->finished)
    return plugin_err (GPG_ERR_INV_STATE);
  if (!s->failed)
    s->failed = s->variant ? gfe_aead_feed (s, buf, len)
                           : gfe1_feed (s, buf, len);
  return s->failed;
}


static gpg_error_t
gfe_finish (gpgpack_stream_t s)
{
  if (!s->failed && s->finished)
    return plugin_err (GPG_ERR_INV_STATE);
  s->finished = 1;
  if (!s->failed)
    s->failed = s->variant ? gfe_aead_finish (s) : gfe1_finish (s);
  return s->failed;
}


static const gpgpack_format_t gfe1_format =
  {
    "gfe1",
    "GpgFrontend 2.0.4-2.1.8 key package: AES-256-ECB, no integrity",
    ".gfepack", ".key",
    GPGPACK_FMT_KEYFILE,
    GFE_MAX_PACK,
    gfe1_probe, gfe1_info, gfe1_seal_start, gfe1_open_start,
    gfe_feed, gfe_finish, gfe_stream_release,
    NULL
  };

static const gpgpack_format_t gfe2_format =
  {
    "gfe2",
    "GpgFrontend 2.1.9-2.1.12 key package: Argon2id, AES-256-GCM, PIN",
    ".gfpack", ".key",
    GPGPACK_FMT_KEYFILE | GPGPACK_FMT_PASSPHRASE | GPGPACK_FMT_PIN_REQUIRED
    | GPGPACK_FMT_AUTHENTICATED,
    GFE_MAX_PACK,
    gfe2_probe, gfe2_info, gfe2_seal_start, gfe2_open_start,
    gfe_feed, gfe_finish, gfe_stream_release,
    NULL
  };

static const gpgpack_format_t gfe3_format =
  {
    "gfe3",
    "GpgFrontend 2.2 key package: Argon2id, XChaCha20-Poly1305, PIN",
    ".gfpack", ".key",
    GPGPACK_FMT_KEYFILE | GPGPACK_FMT_PASSPHRASE | GPGPACK_FMT_PIN_REQUIRED
    | GPGPACK_FMT_AUTHENTICATED,
    GFE_MAX_PACK,
    gfe3_probe, gfe3_info, gfe3_seal_start, gfe3_open_start,
    gfe_feed, gfe_finish, gfe_stream_release,
    NULL
  };

static const gpgpack_format_t *const gfe_formats[] =
  { &gfe1_format, &gfe2_format, &gfe3_format };

static const gpgpack_plugin_t gfe_plugin =
  {
    GPGPACK_PLUGIN_ABI_VERSION,
    "gfe",
    PACKAGE_VERSION,
    3,
    gfe_formats
  };


/* The plugin entry point.  */
const gpgpack_plugin_t *
gpgpack_plugin_entry (unsigned int abi)
{
  return abi == GPGPACK_PLUGIN_ABI_VERSION ? &gfe_plugin : NULL;
}
