/* packname.c - generated and checked base names of key packages */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "packname.h"

void
gpgpack_generate_name (char buf[GPGPACK_GENERATED_NAME_SIZE])
{
  unsigned char rnd[4];

  gcry_create_nonce (rnd, sizeof rnd);
  snprintf (buf, GPGPACK_GENERATED_NAME_SIZE, "KeyPackage_%02x%02x%02x%02x",
            rnd[0], rnd[1], rnd[2], rnd[3]);
}

int
gpgpack_valid_name (const char *name)
{
  const unsigned char *s;

  if (!*name || *name == '.' || strlen (name) > GPGPACK_NAME_MAX)
    return 0;
  for (s = (const unsigned char *)name; *s; s++)
    if (*s < 0x20 || *s == '/' || *s == 0x7f)
      return 0;
  return 1;
}
