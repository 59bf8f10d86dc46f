/* envelope.c - build and parse the text envelope of one share */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "plugin-util.h"
#include "share.h"
#include "envelope.h"

/* Hex digits per body line.  */
#define HEX_PER_LINE 64

/* Bytes of the header lines apart from the custodian, with room for
 * the largest numbers.  */
#define HEADER_ROOM 128


/* True if NAME is an acceptable custodian name.  */
static int
custodian_ok (const char *name)
{
  size_t n = name ? strlen (name) : 0;
  const unsigned char *p;

  if (!n || n > ENVELOPE_MAX_CUSTODIAN)
    return 0;
  for (p = (const unsigned char *) name; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return 0;
  return 1;
}


/* Append the LEN bytes at SHARE as upper-case hex lines to BUF at *POS.  */
static void
put_hex_lines (char *buf, size_t *pos, const unsigned char *share, size_t len)
{
  size_t i;

  for (i = 0; i < len; i++)
    {
      snprintf (buf + *pos, 3, "%02X", share[i]);
      *pos += 2;
      if ((2 * (i + 1)) % HEX_PER_LINE == 0 || i + 1 == len)
        buf[(*pos)++] = '\n';
    }
}


gpg_error_t
envelope_build (const void *share, size_t len, const char *custodian,
                gpgpack_blob_t *r_env)
{
  gpgpack_share_info_t info;
  gpg_error_t err;
  size_t size, pos;
  char *buf;

  r_env->data = NULL;
  r_env->len = 0;
  err = share_parse_info (share, len, &info);
  if (err)
    return err;
  if (!custodian_ok (custodian))
    return plugin_err (GPG_ERR_INV_VALUE);
  size = HEADER_ROOM + strlen (custodian) + 3 * len + 1;
  buf = gcry_malloc_secure (size);
  if (!buf)
    return gpg_error_from_syserror ();
  pos = snprintf (buf, size, "%s%s\nPack: %s\nIndex: %u\nThreshold: %u\n"
                  "Generation: %u\nFor: %s\n\n",
                  ENVELOPE_MAGIC, ENVELOPE_VERSION, info.pack_id, info.index,
                  info.threshold, info.generation, custodian);
  put_hex_lines (buf, &pos, share, len);
  r_env->data = (unsigned char *) buf;
  r_env->len = pos;
  return 0;
}


/* Decode the hex digits of TEXT (LEN bytes, line feeds skipped) into a
 * new secure blob R_OUT.  */
static gpg_error_t
decode_hex_body (const char *text, size_t len, gpgpack_blob_t *r_out)
{
  unsigned char *out;
  size_t i, n = 0;
  int hi = -1, v;

  out = gcry_malloc_secure (len / 2 + 1);
  if (!out)
    return gpg_error_from_syserror ();
  for (i = 0; i < len; i++)
    {
      if (text[i] == '\n')
        continue;
      if ((v = plugin_hex_value ((unsigned char) text[i])) < 0)
        break;
      if (hi < 0)
        hi = v;
      else
        {
          out[n++] = (hi << 4) | v;
          hi = -1;
        }
    }
  r_out->data = out;
  r_out->len = n;
  if (i < len || hi >= 0 || !n)
    {
      plugin_blob_release (r_out);
      return plugin_err (GPG_ERR_INV_PACKET);
    }
  return 0;
}


/* Locate the custodian name of ENV (copied to NAME) and its body.  */
static gpg_error_t
split_envelope (const char *env, size_t len,
                char name[ENVELOPE_MAX_CUSTODIAN + 1], const char **r_body)
{
  const char *for_line, *eol, *body;

  for_line = memmem (env, len, "\nFor: ", 6);
  if (!for_line)
    return plugin_err (GPG_ERR_INV_PACKET);
  for_line += 6;
  eol = memchr (for_line, '\n', env + len - for_line);
  if (!eol || eol - for_line > ENVELOPE_MAX_CUSTODIAN)
    return plugin_err (GPG_ERR_INV_PACKET);
  body = memmem (eol, env + len - eol, "\n\n", 2);
  if (!body)
    return plugin_err (GPG_ERR_INV_PACKET);
  memcpy (name, for_line, eol - for_line);
  name[eol - for_line] = 0;
  *r_body = body + 2;
  return 0;
}


/* Parse by decoding the body and checking that envelope_build gives
 * back ENV byte for byte: the header text cannot mislead a reader.  */
gpg_error_t
envelope_parse (const void *env, size_t len, gpgpack_blob_t *r_share,
                char **r_custodian)
{
  const size_t mlen = strlen (ENVELOPE_MAGIC);
  char name[ENVELOPE_MAX_CUSTODIAN + 1];
  gpgpack_blob_t again = { NULL, 0 };
  const char *text = env, *body = NULL;
  gpg_error_t err;

  r_share->data = NULL;
  r_share->len = 0;
  if (r_custodian)
    *r_custodian = NULL;
  if (len < mlen || memcmp (text, ENVELOPE_MAGIC, mlen))
    return plugin_err (GPG_ERR_INV_DATA);
  if (len < mlen + 2 || memcmp (text + mlen, ENVELOPE_VERSION "\n", 2))
    return plugin_err (GPG_ERR_UNKNOWN_VERSION);
  err = split_envelope (text, len, name, &body);
  if (!err && !custodian_ok (name))
    err = plugin_err (GPG_ERR_INV_PACKET);
  if (!err)
    err = decode_hex_body (body, text + len - body, r_share);
  if (!err)
    err = envelope_build (r_share->data, r_share->len, name, &again);
  if (gpg_err_code (err) == GPG_ERR_INV_DATA)
    err = plugin_err (GPG_ERR_INV_PACKET);  /* INV_DATA: no envelope */
  if (!err && (again.len != len || memcmp (again.data, env, len)))
    err = plugin_err (GPG_ERR_INV_PACKET);
  plugin_blob_release (&again);
  if (!err && r_custodian && !(*r_custodian = gcry_strdup (name)))
    err = gpg_error_from_syserror ();
  if (err)
    plugin_blob_release (r_share);
  return err;
}
