/* fuzz-native-pack.c - fuzz target: open a native pack with a fixed key
 *
 * Input: one control byte, the feed step (0: all at once; else the pack
 * arrives in pieces of that many bytes, to drive the streaming parser
 * through every split of header and records), then the pack.  The key
 * file is the fixtures' passphrase-protected one, so inputs made from
 * the seeds get past the header MAC into records and manifest.  probe
 * and info see the pack too.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <gcrypt.h>

#include "fuzz-native.h"

/* The seeds: the fixture variants a pack can take.  */
static const fuzz_native_variant_t variants[] =
  {
    { "ocb-manifest",  GCRY_CIPHER_MODE_OCB,  64, 100, 1, 1, 0 },
    { "gcm-manifest",  GCRY_CIPHER_MODE_GCM, 128, 300, 1, 1, 0 },
    { "ocb-empty",     GCRY_CIPHER_MODE_OCB,  64,   0, 0, 1, 0 },
    { "ocb-one-chunk", GCRY_CIPHER_MODE_OCB,  64,  40, 0, 1, 0 }
  };

static gpgpack_blob_t keyfile;


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  packbuf_t pack = { NULL };

  fuzz_init ();
  if (fuzz_native_seal (&variants[0], &pack, &keyfile))
    abort ();
  packbuf_free (&pack);
  return 0;
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const gpgpack_format_t *fmt = fuzz_native_format ();
  packbuf_t out = { NULL }, manifest = { NULL };
  gpgpack_info_t info;
  unsigned int step = fuzz_control (&data, &size);

  fmt->probe (data, size, size, NULL);
  fmt->info (data, size < GPGPACK_PROBE_BYTES ? size : GPGPACK_PROBE_BYTES,
             &info);
  packbuf_open (fmt, keyfile.data, keyfile.len, 0, FUZZ_PASSPHRASE,
                data, size, step, &out, &manifest);
  packbuf_free (&out);
  packbuf_free (&manifest);
  return 0;
}


gpg_error_t
fuzz_seeds (const char *dir)
{
  static const unsigned int steps[] = { 0, 1, 7, 100 };
  gpgpack_blob_t key = { NULL };
  packbuf_t pack = { NULL };
  gpg_error_t err = 0;
  size_t i;

  for (i = 0; i < sizeof variants / sizeof *variants && !err; i++)
    {
      err = fuzz_native_seal (&variants[i], &pack, &key);
      if (!err)
        err = fuzz_write_seed (dir, variants[i].name, steps[i],
                               pack.data, pack.len);
      packbuf_free (&pack);
      packbuf_blob_free (&key);
    }
  return err;
}
