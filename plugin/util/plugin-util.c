/* plugin-util.c - helpers every plugin module compiles in */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>
#include <gcrypt.h>

#include "plugin-util.h"

gpg_error_t
plugin_err (gpg_err_code_t code)
{
  return gpg_err_make (GPGPACK_ERR_SOURCE, code);
}


/* memset followed by a barrier that claims to read the memory (fast for
 * whole chunks), or a volatile loop without GCC-style asm.  */
void
plugin_wipe (void *buf, size_t len)
{
#ifdef __GNUC__
  memset (buf, 0, len);
  __asm__ __volatile__ ("" : : "r" (buf) : "memory");
#else
  volatile unsigned char *p = buf;

  while (len--)
    *p++ = 0;
#endif
}


void
plugin_blob_release (gpgpack_blob_t *blob)
{
  if (blob->data)
    {
      plugin_wipe (blob->data, blob->len);
      gcry_free (blob->data);
    }
  blob->data = NULL;
  blob->len = 0;
}


int
plugin_hex_value (int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}


void
plugin_random (gpgpack_random_fn_t random, void *random_opaque,
               void *buf, size_t len)
{
  if (random)
    random (random_opaque, buf, len);
  else
    gcry_randomize (buf, len, GCRY_STRONG_RANDOM);
}
