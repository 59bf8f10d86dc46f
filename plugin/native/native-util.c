/* native-util.c - small helpers of the native format: errors, memory, hex */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "native.h"

/* Zeroed secure memory of LEN bytes; on failure NULL and *R_ERR set.  */
void *
native_secure_alloc (size_t len, gpg_error_t *r_err)
{
  void *buf = gcry_calloc_secure (1, len);

  if (!buf)
    *r_err = gpg_error_from_syserror ();
  return buf;
}


/* Wipe and free a buffer from native_secure_alloc; NULL is allowed.  */
void
native_secure_free (void *buf, size_t len)
{
  if (!buf)
    return;
  plugin_wipe (buf, len);
  gcry_free (buf);
}


/* Write LEN bytes of BIN as upper-case hex and a NUL to HEX.  */
void
native_hex_encode (const unsigned char *bin, size_t len, char *hex)
{
  static const char digits[] = "0123456789ABCDEF";

  for (; len; len--, bin++)
    {
      *hex++ = digits[*bin >> 4];
      *hex++ = digits[*bin & 15];
    }
  *hex = 0;
}


/* Decode exactly BINLEN bytes from the HEXLEN hex digits at HEX into
 * BIN.  Returns 0 on success, -1 on a bad digit or length.  */
int
native_hex_decode (const char *hex, size_t hexlen, unsigned char *bin,
                   size_t binlen)
{
  int hi, lo;

  if (hexlen != 2 * binlen)
    return -1;
  for (; binlen; binlen--, hex += 2)
    {
      hi = plugin_hex_value (hex[0]);
      lo = plugin_hex_value (hex[1]);
      if (hi < 0 || lo < 0)
        return -1;
      *bin++ = (hi << 4) | lo;
    }
  return 0;
}


void
native_put_u32 (unsigned char *p, uint32_t v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}


uint32_t
native_get_u32 (const unsigned char *p)
{
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16)
         | ((uint32_t)p[2] << 8) | p[3];
}


/* Compare LEN bytes in constant time; true if equal.  */
int
native_equal (const void *a, const void *b, size_t len)
{
  const unsigned char *pa = a, *pb = b;
  unsigned char diff = 0;

  while (len--)
    diff |= *pa++ ^ *pb++;
  return !diff;
}
