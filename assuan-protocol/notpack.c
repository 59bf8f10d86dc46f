/* notpack.c - name the files users give where a key package belongs */
#include <config.h>
#include <string.h>

#include "notpack.h"
#include "pgppacket.h"

/* The first line of a native key file (doc/format.md).  */
#define KEYFILE_MAGIC "gpgpack-key "

/* True if DATA/LEN is an ASCII-armored OpenPGP key block.  */
static int
is_armored_keys (const unsigned char *data, size_t len)
{
  static const char *const headers[] =
    { "-----BEGIN PGP PUBLIC KEY BLOCK-----",
      "-----BEGIN PGP PRIVATE KEY BLOCK-----" };
  size_t off = 0, n;
  int i;

  while (off < len && (data[off] == ' ' || data[off] == '\t'
                       || data[off] == '\r' || data[off] == '\n'))
    off++;
  for (i = 0; i < 2; i++)
    {
      n = strlen (headers[i]);
      if (len - off >= n && !memcmp (data + off, headers[i], n))
        return 1;
    }
  return 0;
}

/* True if DATA/LEN starts with a binary OpenPGP key packet, as
 * "gpg --export" and "gpg --export-secret-keys" write.  */
static int
is_binary_keys (const unsigned char *data, size_t len)
{
  size_t off = 0, bodylen;
  int tag;

  if (pgp_packet_header (data, len, &off, &tag, &bodylen))
    return 0;
  return tag == 5 || tag == 6;  /* Secret key, public key.  */
}

gpg_error_t
notpack_check (ctrl_t ctrl, const void *data, size_t len)
{
  if (len >= strlen (KEYFILE_MAGIC)
      && !memcmp (data, KEYFILE_MAGIC, strlen (KEYFILE_MAGIC)))
    return server_error (ctrl, gpg_error (GPG_ERR_WRONG_BLOB_TYPE),
                         "this is a gpgpack key file, not a pack;"
                         " give it with --key-file and the pack as"
                         " argument");
  if (is_armored_keys (data, len) || is_binary_keys (data, len))
    return server_error (ctrl, gpg_error (GPG_ERR_NOT_ENCRYPTED),
                         "this is OpenPGP key data, not a key package:"
                         " use gpg --import");
  return 0;
}
