/* packbuf.c - memory sinks and one-call seal/open for the plugin tests */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "packbuf.h"

static gpg_error_t
packbuf_write (void *opaque, const void *buf, size_t len)
{
  packbuf_t *pb = opaque;

  pb->writes++;
  packbuf_append (pb, buf, len);
  return 0;
}


gpgpack_sink_t
packbuf_sink (packbuf_t *pb)
{
  gpgpack_sink_t sink = { packbuf_write, pb };

  return sink;
}


void
packbuf_append (packbuf_t *pb, const void *buf, size_t len)
{
  if (pb->len + len + 1 > pb->size)
    {
      pb->size = 2 * (pb->len + len) + 64;
      pb->data = realloc (pb->data, pb->size);
      if (!pb->data)
        abort ();
    }
  if (len)
    memcpy (pb->data + pb->len, buf, len);
  pb->len += len;
  pb->data[pb->len] = 0;
}


void
packbuf_free (packbuf_t *pb)
{
  free (pb->data);
  memset (pb, 0, sizeof *pb);
}


unsigned char *
packbuf_pattern (size_t len)
{
  unsigned char *p = malloc (len + 1);
  size_t i;

  if (!p)
    abort ();
  for (i = 0; i < len; i++)
    p[i] = (i * 7 + (i >> 8) + 1) & 0xff;
  return p;
}


const gpgpack_format_t *
packbuf_native (void)
{
  static plugin_set_t set;
  const gpgpack_format_t *fmt;
  gpg_error_t err;

  if (!set)
    {
      err = plugin_load_dir (NULL, &set);
      if (err)
        {
          fprintf (stderr, "loading plugins: %s\n", gpg_strerror (err));
          abort ();
        }
    }
  fmt = plugin_find_format (set, "native");
  if (!fmt)
    {
      fprintf (stderr, "no native format in $GPGPACK_PLUGIN_DIR\n");
      abort ();
    }
  return fmt;
}


/* Feed LEN bytes of BUF to STREAM in pieces of STEP (0: at once).  */
static gpg_error_t
feed_steps (const gpgpack_format_t *fmt, gpgpack_stream_t stream,
            const unsigned char *buf, size_t len, size_t step)
{
  gpg_error_t err = 0;
  size_t n;

  if (!step)
    step = len ? len : 1;
  while (len && !err)
    {
      n = len < step ? len : step;
      err = fmt->feed (stream, buf, n);
      buf += n;
      len -= n;
    }
  return err;
}


gpg_error_t
packbuf_seal (const gpgpack_format_t *fmt, gpgpack_seal_params_t *params,
              const void *data, size_t len, size_t step,
              packbuf_t *pack, gpgpack_blob_t *key)
{
  gpgpack_stream_t stream;
  gpg_error_t err;

  params->out = packbuf_sink (pack);
  err = fmt->seal_start (params, &stream, key);
  if (err)
    return err;
  err = feed_steps (fmt, stream, data, len, step);
  if (!err)
    err = fmt->finish (stream);
  fmt->release (stream);
  if (err)
    packbuf_blob_free (key);
  return err;
}


gpg_error_t
packbuf_open (const gpgpack_format_t *fmt, const void *key, size_t keylen,
              int raw, const char *passphrase,
              const void *pack, size_t packlen, size_t step,
              packbuf_t *out, packbuf_t *manifest)
{
  gpgpack_open_params_t params;
  gpgpack_stream_t stream;
  gpg_error_t err;

  memset (&params, 0, sizeof params);
  params.out = packbuf_sink (out);
  if (manifest)
    params.manifest = packbuf_sink (manifest);
  params.key = key;
  params.keylen = keylen;
  params.raw_key = raw;
  params.passphrase = passphrase;
  err = fmt->open_start (&params, &stream);
  if (err)
    return err;
  err = feed_steps (fmt, stream, pack, packlen, step);
  if (!err)
    err = fmt->finish (stream);
  fmt->release (stream);
  return err;
}


void
packbuf_blob_free (gpgpack_blob_t *blob)
{
  if (blob->data)
    {
      memset (blob->data, 0, blob->len);
      gcry_free (blob->data);
    }
  blob->data = NULL;
  blob->len = 0;
}


void
packbuf_counter_random (void *opaque, void *buf, size_t len)
{
  unsigned char *next = opaque, *p = buf;

  while (len--)
    *p++ = (*next)++;
}
