/* keyscan.c - walk the packets of binary or armored OpenPGP key data
 *
 * Packs hold gpg's binary export or, in the GpgFrontend formats, its
 * armored text; public-keys files are armored.  Armor is decoded with
 * libgpg-error's Base64 decoder (its "PGP" mode skips the armor
 * headers and the checksum line), one block at a time, in secure
 * memory since a block may hold secret keys; the packets are read
 * with pgppacket.c.
 */
#include <config.h>
#include <string.h>
#include <gcrypt.h>

#include "keyscan.h"
#include "pgppacket.h"

/* Start of every armored block.  */
#define ARMOR_BEGIN "-----BEGIN PGP "

/* Walk the binary packets of DATA/LEN.  */
static gpg_error_t
walk_binary (const unsigned char *data, size_t len, keyscan_cb_t cb,
             void *opaque)
{
  size_t off = 0, pktlen;
  gpg_error_t err = 0;
  int tag;

  while (off < len && !err)
    {
      err = pgp_packet_header (data, len, &off, &tag, &pktlen);
      if (!err)
        err = cb (opaque, tag, data + off, pktlen);
      off += err ? 0 : pktlen;
    }
  return err;
}

/* Decode the armored block TEXT/LEN (from its BEGIN line) and walk
 * its packets.  */
static gpg_error_t
walk_armored (const char *text, size_t len, keyscan_cb_t cb, void *opaque)
{
  gpgrt_b64state_t state;
  char *buf = gcry_malloc_secure (len ? len : 1);
  size_t n = 0;
  gpg_error_t err, err2;

  if (!buf)
    return gpg_error_from_syserror ();
  memcpy (buf, text, len);
  state = gpgrt_b64dec_start ("PGP");
  err = state ? gpgrt_b64dec_proc (state, buf, len, &n)
              : gpg_error_from_syserror ();
  err2 = state ? gpgrt_b64dec_finish (state) : 0;
  if (!err && err2)
    err = err2;
  if (!err && !n)
    err = gpg_error (GPG_ERR_INV_PACKET);
  if (!err)
    err = walk_binary ((unsigned char *)buf, n, cb, opaque);
  explicit_bzero (buf, len);
  gcry_free (buf);
  return err;
}

/* The next armor BEGIN line of TEXT/LEN at or after FROM, or NULL.  */
static const char *
next_block (const char *text, size_t len, const char *from)
{
  const char *p;

  for (p = from; p < text + len; p++)
    {
      p = memmem (p, text + len - p, ARMOR_BEGIN, strlen (ARMOR_BEGIN));
      if (!p || p == text || p[-1] == '\n')
        return p;
    }
  return NULL;
}

gpg_error_t
keyscan_walk (const unsigned char *data, size_t len, keyscan_cb_t cb,
              void *opaque)
{
  const char *text = (const char *)data, *block, *next;
  gpg_error_t err = 0;

  if (len && (data[0] & 0x80))
    return walk_binary (data, len, cb, opaque);
  block = next_block (text, len, text);
  if (!block)
    return gpg_error (GPG_ERR_NO_DATA);
  for (; block && !err; block = next)
    {
      next = next_block (text, len, block + 1);
      err = walk_armored (block, (next ? next : text + len) - block,
                          cb, opaque);
    }
  return err;
}
