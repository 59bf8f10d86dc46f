/* packio.c - drive the plugins' streams: read packs, open, detect */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "packio.h"
#include "notpack.h"

gpg_error_t
secbuf_append (secbuf_t *buf, const void *data, size_t len)
{
  if (buf->len + len < buf->len
      || (buf->limit && buf->len + len > buf->limit))
    return gpg_error (GPG_ERR_TOO_LARGE);
  if (buf->len + len > buf->size)
    {
      size_t newsize = buf->size? buf->size : 4096;
      unsigned char *p;

      while (newsize < buf->len + len)
        newsize *= 2;
      /* Not gcry_realloc: the old block must be wiped, not just freed. */
      p = gcry_malloc_secure (newsize);
      if (!p)
        return gpg_error_from_syserror ();
      if (buf->data)
        {
          memcpy (p, buf->data, buf->len);
          wipememory (buf->data, buf->size);
          gcry_free (buf->data);
        }
      buf->data = p;
      buf->size = newsize;
    }
  memcpy (buf->data + buf->len, data, len);
  buf->len += len;
  return 0;
}

void
secbuf_release (secbuf_t *buf)
{
  if (buf->data)
    {
      wipememory (buf->data, buf->size);
      gcry_free (buf->data);
    }
  memset (buf, 0, sizeof *buf);
}

gpg_error_t
secbuf_sink_write (void *opaque, const void *data, size_t len)
{
  return secbuf_append (opaque, data, len);
}

/* GPGME write callback (called with the nPth lock released): append
 * to the secbuf_t HANDLE.  */
static ssize_t
secbuf_gpgme_write (void *handle, const void *buf, size_t len)
{
  gpg_error_t err;

  npth_protect ();
  err = secbuf_append (handle, buf, len);
  npth_unprotect ();
  if (err)
    {
      gpg_err_set_errno (gpg_err_code (err) == GPG_ERR_TOO_LARGE
                         ? EFBIG : EIO);
      return -1;
    }
  return len;
}

gpg_error_t
secbuf_gpgme_data (secbuf_t *buf, gpgme_data_t *r_data)
{
  static struct gpgme_data_cbs cbs = { NULL, secbuf_gpgme_write, NULL, NULL };

  return gpgme_data_new_from_cbs (r_data, &cbs, buf);
}

gpg_error_t
packio_read_file (ctrl_t ctrl, const char *filename, size_t maxlen,
                  int secure, secbuf_t *r_buf)
{
  struct stat st;
  gpg_error_t err = 0;
  int fd;

  memset (r_buf, 0, sizeof *r_buf);
  /* Non-blocking: opening a FIFO must not wait for a writer.  */
  fd = open (filename, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (fd == -1)
    {
      err = gpg_error_from_syserror ();
      return server_error (ctrl, err, "can't open '%s'", filename);
    }
  if (fstat (fd, &st))
    err = gpg_error_from_syserror ();
  else if (S_ISDIR (st.st_mode))
    err = server_error (ctrl, gpg_error (GPG_ERR_EISDIR),
                        "'%s' is a directory: give a file", filename);
  else if (!S_ISREG (st.st_mode))
    err = server_error (ctrl, gpg_error (GPG_ERR_EINVAL),
                        "'%s' is not a regular file (a FIFO, device or"
                        " socket): give a regular file", filename);
  else if (fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK))
    err = gpg_error_from_syserror ();
  else if (st.st_size > maxlen)
    err = server_error (ctrl, gpg_error (GPG_ERR_TOO_LARGE),
                        "'%s' exceeds %zu bytes", filename, maxlen);
  else
    {
      r_buf->size = st.st_size + 1;
      r_buf->data = secure? gcry_malloc_secure (r_buf->size)
                          : gcry_malloc (r_buf->size);
      if (!r_buf->data)
        err = gpg_error_from_syserror ();
    }
  while (!err && r_buf->len < st.st_size)
    {
      ssize_t n = read (fd, r_buf->data + r_buf->len,
                        st.st_size - r_buf->len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        err = n? gpg_error_from_syserror () : gpg_error (GPG_ERR_EOF);
      else
        r_buf->len += n;
    }
  close (fd);
  if (err)
    secbuf_release (r_buf);
  else
    r_buf->data[r_buf->len] = 0;
  return err;
}

gpg_error_t
packio_find_format (ctrl_t ctrl, const char *forced, const void *pack,
                    size_t packlen, const char *filename,
                    const gpgpack_format_t **r_fmt)
{
  gpg_error_t err;

  if (forced)
    {
      *r_fmt = plugin_find_format (opt.plugins, forced);
      if (!*r_fmt)
        return server_error (ctrl, gpg_error (GPG_ERR_UNKNOWN_NAME),
                             "no pack format named '%s'"
                             " (\"gpgpack formats\" lists them)", forced);
      return 0;
    }
  err = plugin_detect (opt.plugins, pack,
                       packlen < GPGPACK_PROBE_BYTES? packlen
                                                    : GPGPACK_PROBE_BYTES,
                       packlen, filename, r_fmt);
  if (err)
    err = notpack_check (ctrl, pack, packlen);
  if (!err && !*r_fmt)
    err = server_error (ctrl, gpg_error (GPG_ERR_INV_DATA),
                        "not a key package of a format gpgpackd knows"
                        " (\"gpgpack formats\" lists them)");
  return err;
}

/* Plugin sink (called with the nPth lock released): run the daemon's
 * sink gpgpack_sink_t OPAQUE with the lock held.  */
static gpg_error_t
locked_sink_write (void *opaque, const void *buf, size_t len)
{
  const gpgpack_sink_t *inner = opaque;
  gpg_error_t err;

  npth_protect ();
  err = inner->write (inner->opaque, buf, len);
  npth_unprotect ();
  return err;
}

void
packio_lock_sink (gpgpack_sink_t *sink, gpgpack_sink_t *inner)
{
  *inner = *sink;
  sink->write = locked_sink_write;
  sink->opaque = inner;
}

/* Run a whole open of PACK by FMT with PARAMS (nPth lock released).  */
static gpg_error_t
open_stream (const gpgpack_format_t *fmt, const gpgpack_open_params_t *params,
             const void *pack, size_t packlen)
{
  gpgpack_stream_t stream = NULL;
  gpg_error_t err;

  err = fmt->open_start (params, &stream);
  if (!err)
    err = fmt->feed (stream, pack, packlen);
  if (!err)
    err = fmt->finish (stream);
  fmt->release (stream);
  return err;
}

/* Open PACK with PARAMS (its OUT writing to R_PLAIN; with R_MANIFEST
 * its MANIFEST sink set up here) as packio_open does.  */
static gpg_error_t
open_into (const gpgpack_format_t *fmt, gpgpack_open_params_t *params,
           const void *pack, size_t packlen, secbuf_t *r_plain,
           secbuf_t *r_manifest)
{
  gpgpack_sink_t plain_sink, manifest_sink;
  gpg_error_t err;

  memset (r_plain, 0, sizeof *r_plain);
  packio_lock_sink (&params->out, &plain_sink);
  if (r_manifest)
    {
      memset (r_manifest, 0, sizeof *r_manifest);
      params->manifest.write = secbuf_sink_write;
      params->manifest.opaque = r_manifest;
      packio_lock_sink (&params->manifest, &manifest_sink);
    }
  UNLOCKED (err = open_stream (fmt, params, pack, packlen));
  if (err)
    secbuf_release (r_plain);
  if (err && r_manifest)
    secbuf_release (r_manifest);
  return err;
}

gpg_error_t
packio_open (const gpgpack_format_t *fmt, const void *pack, size_t packlen,
             const void *key, size_t keylen, int raw_key,
             const char *passphrase, secbuf_t *r_plain)
{
  gpgpack_open_params_t params = { { secbuf_sink_write, r_plain } };

  params.key = key;
  params.keylen = keylen;
  params.raw_key = raw_key;
  params.passphrase = passphrase;
  return open_into (fmt, &params, pack, packlen, r_plain, NULL);
}

gpg_error_t
packio_open_raw (const gpgpack_format_t *fmt, const void *pack,
                 size_t packlen, const void *key, size_t keylen,
                 secbuf_t *r_plain, secbuf_t *r_manifest)
{
  gpgpack_open_params_t params = { { secbuf_sink_write, r_plain } };

  params.key = key;
  params.keylen = keylen;
  params.raw_key = 1;
  return open_into (fmt, &params, pack, packlen, r_plain, r_manifest);
}

gpg_error_t
packio_get_pack (ctrl_t ctrl, const char *filename, secbuf_t *r_pack)
{
  unsigned char *buf;
  size_t len;
  gpg_error_t err;

  if (filename)
    return packio_read_file (ctrl, filename, opt.max_pack_size, 0, r_pack);
  memset (r_pack, 0, sizeof *r_pack);
  err = server_inquire (ctrl, "PACK", opt.max_pack_size, 0, &buf, &len);
  if (err)
    return err;
  r_pack->data = gcry_malloc (len + 1);
  if (!r_pack->data)
    err = gpg_error_from_syserror ();
  else
    {
      memcpy (r_pack->data, buf, len + 1);
      r_pack->len = len;
      r_pack->size = len + 1;
    }
  assuan_free (ctrl->assuan, buf);
  return err;
}

/* Inflate errors of the openpgp format in authentic data.  */
#define COMPRESSED_DAMAGED "the compressed key data in the pack is malformed" \
  " (its sender's compressor is broken): have the pack made again"

/* What the daemon says about an error of a plugin opening or
 * describing a pack: its own code where the plugin's would read wrong
 * to a user, and a text saying what to do.  */
static const struct
{
  gpg_err_code_t plugin_code, code;
  const char *text;
} plugin_errors[] =
  {
    { GPG_ERR_INV_DATA, GPG_ERR_INV_DATA, "not a pack of this format" },
    { GPG_ERR_INV_PACKET, GPG_ERR_INV_PACKET,
      "pack header or record malformed: the pack is damaged" },
    { GPG_ERR_UNKNOWN_VERSION, GPG_ERR_UNKNOWN_VERSION,
      "pack version not supported by this gpgpack" },
    { GPG_ERR_CIPHER_ALGO, GPG_ERR_CIPHER_ALGO,
      "pack cipher not supported by this gpgpack" },
    { GPG_ERR_BAD_MAC, GPG_ERR_BAD_MAC,
      "pack header authentication failed: the pack is damaged or altered" },
    { GPG_ERR_CHECKSUM, GPG_ERR_CHECKSUM,
      "a pack chunk failed authentication: the pack is damaged or altered" },
    { GPG_ERR_TRUNCATED, GPG_ERR_TRUNCATED,
      "the pack is truncated: copy it again" },
    { GPG_ERR_INV_LENGTH, GPG_ERR_INV_LENGTH,
      "data follows the end of the pack: copy it again" },
    { GPG_ERR_TOO_LARGE, GPG_ERR_TOO_LARGE,
      "the pack, or the key data compressed in it, is too large" },
    { GPG_ERR_COMPR_ALGO, GPG_ERR_COMPR_ALGO,
      "the key data is compressed with BZip2 (or an unknown algorithm),"
      " which gpgpack does not inflate: import it with"
      " \"gpg --decrypt FILE | gpg --import\", or have it made with"
      " --compress-algo zlib" },
    { GPG_ERR_BAD_DATA, GPG_ERR_BAD_DATA, COMPRESSED_DAMAGED },
    { GPG_ERR_INV_VALUE, GPG_ERR_INV_VALUE, COMPRESSED_DAMAGED },
    { GPG_ERR_INV_INDEX, GPG_ERR_INV_INDEX, COMPRESSED_DAMAGED },
    { GPG_ERR_INV_KEYINFO, GPG_ERR_INV_KEYINFO,
      "the key file is malformed: give this pack's key file"
      " with --key-file" },
    { GPG_ERR_WRONG_SECKEY, GPG_ERR_INV_ID,
      "the key file is of another pack: give this pack's key file"
      " with --key-file" },
    { GPG_ERR_BAD_KEY, GPG_ERR_BAD_KEY,
      "the key does not open this pack: give this pack's key file"
      " with --key-file" },
    { GPG_ERR_NO_PASSPHRASE, GPG_ERR_NO_PASSPHRASE,
      "the key file needs a passphrase" },
    { GPG_ERR_BAD_PASSPHRASE, GPG_ERR_BAD_PASSPHRASE,
      "wrong passphrase for the key file" },
    { GPG_ERR_LIMIT_REACHED, GPG_ERR_LIMIT_REACHED,
      "the key file's Argon2 cost exceeds t=10 m=1GiB p=16;"
      " ask for a new key file" }
  };

gpg_error_t
packio_error (ctrl_t ctrl, gpg_error_t err, const gpgpack_format_t *fmt)
{
  gpg_err_code_t code = gpg_err_code (err);
  unsigned int i;

  for (i = 0; i < sizeof plugin_errors / sizeof *plugin_errors; i++)
    if (plugin_errors[i].plugin_code == code)
      return server_error (ctrl, gpg_error (plugin_errors[i].code),
                           "%s (format %s)", plugin_errors[i].text,
                           fmt->name);
  return server_error (ctrl, err, "opening the pack failed (format %s)",
                       fmt->name);
}

gpg_error_t
packio_pack_info (ctrl_t ctrl, const gpgpack_format_t *fmt,
                  const secbuf_t *pack, size_t *r_headlen,
                  gpgpack_info_t *r_info)
{
  gpg_error_t err;

  *r_headlen = pack->len < GPGPACK_PROBE_BYTES ? pack->len
                                               : GPGPACK_PROBE_BYTES;
  memset (r_info, 0, sizeof *r_info);
  err = fmt->info (pack->data, *r_headlen, r_info);
  return err ? packio_error (ctrl, err, fmt) : 0;
}
