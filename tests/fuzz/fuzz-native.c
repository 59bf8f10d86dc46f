/* fuzz-native.c - deterministic native packs for the fuzz targets */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "fuzz-native.h"

/* First byte of the fixture random source.  */
#define FIXTURE_RANDOM_START 0x42

/* Creation time of every fixture: 2026-01-01 00:00:00 UTC.  */
#define FIXTURE_CREATED 1767225600

const char fuzz_native_manifest[] =
  "0123456789ABCDEF0123456789ABCDEF01234567 S\n"
  "89ABCDEF0123456789ABCDEF0123456789ABCDEF P\n";


const gpgpack_format_t *
fuzz_native_format (void)
{
  const gpgpack_plugin_t *plugin;

  plugin = gpgpack_plugin_entry (GPGPACK_PLUGIN_ABI_VERSION);
  if (!plugin)
    abort ();
  return plugin->formats[0];
}


gpg_error_t
fuzz_native_seal (const fuzz_native_variant_t *v, packbuf_t *pack,
                  gpgpack_blob_t *key)
{
  unsigned char next = FIXTURE_RANDOM_START;
  gpgpack_seal_params_t params;
  unsigned char *pattern = NULL;
  gpg_error_t err;

  memset (&params, 0, sizeof params);
  params.aead_algo = v->aead;
  params.chunk_size = v->chunk_size;
  params.created = FIXTURE_CREATED;
  params.raw_key = v->raw_key;
  params.random = packbuf_counter_random;
  params.random_opaque = &next;
  if (v->manifest)
    {
      params.manifest = fuzz_native_manifest;
      params.manifestlen = strlen (fuzz_native_manifest);
    }
  if (v->passphrase)
    {
      params.passphrase = FUZZ_PASSPHRASE;
      params.kdf_passes = 1;
      params.kdf_mem_kib = 32;
    }
  if (!v->data)
    pattern = packbuf_pattern (v->datalen);
  err = packbuf_seal (fuzz_native_format (), &params,
                      v->data ? v->data : pattern, v->datalen, 0, pack, key);
  free (pattern);
  return err;
}
