/* fuzz-native.h - fixtures of the native-format fuzz targets */
#ifndef GPGPACK_FUZZ_NATIVE_H
#define GPGPACK_FUZZ_NATIVE_H

#include "fuzz.h"
#include "packbuf.h"

/* How to seal one fixture pack.  Every fixture is sealed with the same
 * random source, so all have the same file key and pack id: one key
 * file (of a given protection) opens them all.  */
typedef struct fuzz_native_variant
{
  const char *name;           /* seed file name */
  int aead;                   /* GCRY_CIPHER_MODE_OCB or _GCM */
  size_t chunk_size;
  size_t datalen;             /* bytes sealed */
  const unsigned char *data;  /* they; NULL: a fixed pattern */
  int manifest;               /* with a two-line manifest */
  int passphrase;             /* key file protected (cheap Argon2id) */
  int raw_key;                /* share mode: raw file key, no key file */
} fuzz_native_variant_t;

/* The manifest of the fixtures that have one.  */
extern const char fuzz_native_manifest[];

/* The native format, linked in (no dlopen: coverage applies).  */
const gpgpack_format_t *fuzz_native_format (void);

/* Seal the fixture V into PACK; its key (key file or raw key) to KEY. */
gpg_error_t fuzz_native_seal (const fuzz_native_variant_t *v,
                              packbuf_t *pack, gpgpack_blob_t *key);

#endif /*GPGPACK_FUZZ_NATIVE_H*/
