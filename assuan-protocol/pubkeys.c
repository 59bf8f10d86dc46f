/* pubkeys.c - the public-keys file NAME.pub.asc written beside a pack
 *
 * An importer checks a pack against this file (PACK_IMPORT
 * --expect-file): it is "gpg --export --armor" of the packed keys.
 * The public export that found the keys (keyring_find_keys) already
 * holds their key blocks in gpg's order, so they are armored here with
 * libgpg-error's encoder, which writes gpg's armor byte for byte,
 * rather than exported by gpg a second time.
 */
#include <config.h>
#include <errno.h>

#include "pubkeys.h"

/* Armor title of a public key block.  */
#define PUBKEYS_TITLE "PGP PUBLIC KEY BLOCK"

/* Cookie of the stream that writes to an output file.  */
struct pubkeys_sink
{
  outfile_t file;
  gpg_error_t err;            /* First error writing FILE.  */
};

/* Write function of the stream: LEN bytes of BUF to the file.  */
static gpgrt_ssize_t
sink_write (void *cookie, const void *buf, size_t len)
{
  struct pubkeys_sink *sink = cookie;

  if (!sink->err)
    sink->err = outfile_write (sink->file, buf, len);
  if (sink->err)
    {
      errno = EIO;
      return -1;
    }
  return len;
}

/* Feed function of keyring_feed_blocks: armor the bytes.  */
static gpg_error_t
armor_feed (void *opaque, const void *buf, size_t len)
{
  return gpg_error (gpgrt_b64enc_write (opaque, buf, len));
}

/* Armor the key blocks of KEYS->PUB to STREAM.  */
static gpg_error_t
armor_keys (const keyring_keys_t *keys, gpgrt_stream_t stream)
{
  gpgrt_b64state_t state;
  gpg_error_t err;

  state = gpgrt_b64enc_start (stream, PUBKEYS_TITLE);
  if (!state)
    return gpg_error_from_syserror ();
  err = keyring_feed_blocks (keys->pub, keys->npub, armor_feed, state);
  if (!err)
    err = gpg_error (gpgrt_b64enc_finish (state));
  else
    gpgrt_b64enc_finish (state);  /* Frees STATE; ERR is the cause.  */
  return err;
}

gpg_error_t
pubkeys_write (ctrl_t ctrl, const keyring_keys_t *keys, outfile_t file)
{
  gpgrt_cookie_io_functions_t io = { NULL, sink_write, NULL, NULL };
  struct pubkeys_sink sink = { file, 0 };
  gpgrt_stream_t stream;
  gpg_error_t err;

  stream = gpgrt_fopencookie (&sink, "w", io);
  if (!stream)
    return gpg_error_from_syserror ();
  err = armor_keys (keys, stream);
  if (gpgrt_fclose (stream) && !err)
    err = gpg_error_from_syserror ();
  if (sink.err)
    return server_error (ctrl, sink.err, "can't write '%s'; free space in"
                         " the output directory", outfile_name (file));
  if (err)
    return server_error (ctrl, err, "armoring the public keys for '%s'"
                         " failed; export fewer keys at a time",
                         outfile_name (file));
  return 0;
}
