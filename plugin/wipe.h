/* wipe.h - wipe secrets so that the compiler cannot drop the stores */
#ifndef GPGPACK_WIPE_H
#define GPGPACK_WIPE_H

#include <stddef.h>
#include <gcrypt.h>
#include "gpgpack-plugin.h"

/* Overwrite LEN bytes at PTR with zeros through a volatile pointer.  */
static inline void
wipe_secret (void *ptr, size_t len)
{
  volatile unsigned char *p = ptr;

  while (len--)
    *p++ = 0;
}

/* Wipe and free a (secure memory) blob and leave it empty; the
 * gpgpack_blob_t release rule of gpgpack-plugin.h.  */
static inline void
wipe_blob (gpgpack_blob_t *blob)
{
  if (blob->data)
    {
      wipe_secret (blob->data, blob->len);
      gcry_free (blob->data);
    }
  blob->data = NULL;
  blob->len = 0;
}

#endif /*GPGPACK_WIPE_H*/
