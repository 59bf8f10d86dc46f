/* pgppacket.c - the OpenPGP packet facts gpgpackd reads off gpg's export
 *
 * gpgpackd cuts gpg's binary export into key blocks and computes the
 * v4 fingerprints of their key packets (RFC 4880 4.2, 5.5.2, 12.2;
 * RFC 6637 9) instead of asking gpg to list the keys; keymatch.c reads
 * the public and secret MPIs of key packets with it.
 */
#include <config.h>
#include <string.h>
#include <gcrypt.h>

#include "pgppacket.h"

gpg_error_t
pgp_read_mpi (const unsigned char *body, size_t len, size_t *off,
              pgp_mpi_t *r_mpi)
{
  size_t bits;

  if (len - *off < 2)
    return gpg_error (GPG_ERR_INV_PACKET);
  bits = body[*off] << 8 | body[*off + 1];
  *off += 2;
  if (len - *off < (bits + 7) / 8)
    return gpg_error (GPG_ERR_INV_PACKET);
  r_mpi->data = body + *off;
  r_mpi->len = (bits + 7) / 8;
  *off += r_mpi->len;
  return 0;
}

gpg_error_t
pgp_v4_public (const unsigned char *body, size_t len, pgp_pubkey_t *r_key)
{
  size_t off = 6;
  int i;

  memset (r_key, 0, sizeof *r_key);
  if (len < off || body[0] != 4)
    return gpg_error (GPG_ERR_UNKNOWN_VERSION);
  r_key->algo = body[5];
  if (r_key->algo == 18 || r_key->algo == 19 || r_key->algo == 22)
    {                           /* ECC: OID first.  */
      if (len - off < 1 || body[off] == 0 || body[off] == 0xff
          || len - off - 1 < body[off])
        return gpg_error (GPG_ERR_UNKNOWN_VERSION);
      r_key->oid = body + off + 1;
      r_key->oidlen = body[off];
      off += 1 + body[off];
      r_key->nmpis = 1;
    }
  else if (r_key->algo >= 1 && r_key->algo <= 3)
    r_key->nmpis = 2;
  else if (r_key->algo == 16 || r_key->algo == 20)
    r_key->nmpis = 3;
  else if (r_key->algo == 17)
    r_key->nmpis = 4;
  else
    return gpg_error (GPG_ERR_UNKNOWN_VERSION);
  for (i = 0; i < r_key->nmpis; i++)
    if (pgp_read_mpi (body, len, &off, &r_key->mpis[i]))
      return gpg_error (GPG_ERR_UNKNOWN_VERSION);
  if (r_key->algo == 18)        /* ECDH: KDF parameters.  */
    {
      if (len - off < 1 || len - off - 1 < body[off])
        return gpg_error (GPG_ERR_UNKNOWN_VERSION);
      off += 1 + body[off];
    }
  r_key->publen = off;
  return 0;
}

gpg_error_t
pgp_v4_fingerprint (const unsigned char *body, size_t len, char fpr[41])
{
  static const char hex[] = "0123456789ABCDEF";
  unsigned char head[3], digest[20];
  gcry_buffer_t parts[2];
  pgp_pubkey_t key;
  size_t publen;
  gpg_error_t err;
  int i;

  err = pgp_v4_public (body, len, &key);
  if (err)
    return err;
  publen = key.publen;
  if (publen > 0xffff)
    return gpg_error (GPG_ERR_UNKNOWN_VERSION);
  head[0] = 0x99;
  head[1] = publen >> 8;
  head[2] = publen;
  memset (parts, 0, sizeof parts);
  parts[0].data = head;
  parts[0].len = 3;
  parts[1].data = (void *)body;
  parts[1].len = publen;
  err = gcry_md_hash_buffers (GCRY_MD_SHA1, 0, digest, parts, 2);
  if (err)
    return err;
  for (i = 0; i < 20; i++)
    {
      fpr[2 * i] = hex[digest[i] >> 4];
      fpr[2 * i + 1] = hex[digest[i] & 15];
    }
  fpr[40] = 0;
  return 0;
}

gpg_error_t
pgp_packet_header (const unsigned char *buf, size_t len, size_t *off,
               int *r_tag, size_t *r_len)
{
  unsigned int c, i, nlen;
  size_t pktlen;

  if (*off >= len || !((c = buf[(*off)++]) & 0x80))
    return gpg_error (GPG_ERR_INV_PACKET);
  if (c & 0x40)                 /* New format.  */
    {
      *r_tag = c & 0x3f;
      if (*off >= len)
        return gpg_error (GPG_ERR_INV_PACKET);
      c = buf[(*off)++];
      if (c < 192)
        pktlen = c;
      else if (c < 224 && *off < len)
        pktlen = ((c - 192) << 8) + buf[(*off)++] + 192;
      else if (c == 255 && len - *off >= 4)
        {
          pktlen = ((size_t)buf[*off] << 24 | buf[*off + 1] << 16
                    | buf[*off + 2] << 8 | buf[*off + 3]);
          *off += 4;
        }
      else                      /* Partial lengths: not in key exports. */
        return gpg_error (GPG_ERR_INV_PACKET);
    }
  else                          /* Old format.  */
    {
      *r_tag = (c >> 2) & 0xf;
      nlen = (c & 3) == 3? 0 : 1u << (c & 3);
      if (!nlen || len - *off < nlen)
        return gpg_error (GPG_ERR_INV_PACKET);
      for (pktlen = 0, i = 0; i < nlen; i++)
        pktlen = pktlen << 8 | buf[(*off)++];
    }
  if (pktlen > len - *off)
    return gpg_error (GPG_ERR_INV_PACKET);
  *r_len = pktlen;
  return 0;
}
