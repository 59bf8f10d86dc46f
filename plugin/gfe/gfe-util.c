/* gfe-util.c - errors, secure memory and randomness of the gfe formats */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "gfe.h"

/* A new stream in secure memory for VARIANT (NULL: gfe1) writing to OUT. */
gpg_error_t
gfe_stream_new (const gfe_variant_t *variant, int sealing,
                const gpgpack_sink_t *out, gpgpack_stream_t *r_stream)
{
  gpgpack_stream_t s;

  *r_stream = NULL;
  if (!out->write)
    return plugin_err (GPG_ERR_INV_ARG);
  s = gcry_calloc_secure (1, sizeof *s);
  if (!s)
    return gpg_error_from_syserror ();
  s->variant = variant;
  s->sealing = sealing;
  s->out = *out;
  *r_stream = s;
  return 0;
}


/* Wipe and free S; NULL is allowed.  */
void
gfe_stream_release (gpgpack_stream_t s)
{
  if (!s)
    return;
  gcry_cipher_close (s->hd);
  plugin_wipe (s, sizeof *s);
  gcry_free (s);
}


/* Account for LEN more pack bytes of S; GPG_ERR_TOO_LARGE beyond the
 * cap of GpgFrontend's dialogs.  */
gpg_error_t
gfe_count (gpgpack_stream_t s, size_t len)
{
  if (len > GFE_MAX_PACK || s->total + len > GFE_MAX_PACK)
    return plugin_err (GPG_ERR_TOO_LARGE);
  s->total += len;
  return 0;
}


/* A zeroed key blob of LEN bytes in secure memory.  */
gpg_error_t
gfe_blob_new (size_t len, gpgpack_blob_t *r_blob)
{
  r_blob->data = gcry_calloc_secure (1, len);
  if (!r_blob->data)
    return gpg_error_from_syserror ();
  r_blob->len = len;
  return 0;
}


/* Count LEN more bytes of S, append BUF/LEN to the SIZE-byte buffer
 * BLOCK filled to *FILL, and hand every full buffer to FULL.  */
gpg_error_t
gfe_fill (gpgpack_stream_t s, unsigned char *block, size_t size,
          size_t *fill, const unsigned char *buf, size_t len,
          gpg_error_t (*full) (gpgpack_stream_t s))
{
  gpg_error_t err = gfe_count (s, len);
  size_t take;

  while (len && !err)
    {
      take = size - *fill < len ? size - *fill : len;
      memcpy (block + *fill, buf, take);
      *fill += take;
      buf += take;
      len -= take;
      if (*fill == size)
        {
          *fill = 0;
          err = full (s);
        }
    }
  return err;
}
