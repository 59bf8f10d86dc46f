/* fuzz-native-pack.c - fuzz target: open a native pack with a fixed key
 *
 * Input: one control byte, then the pack.  The control byte's low seven
 * bits are the feed step (0: all at once; else the pack arrives in
 * pieces of that many bytes, to drive the streaming parser through
 * every split of header and records).  The key file is the fixtures'
 * passphrase-protected one, so inputs made from the seeds get past the
 * header MAC into records and manifest.  probe and info see the pack
 * too.  With the top bit set the rest is key data instead: its first
 * byte chooses AEAD and chunk size, and it is sealed and opened again
 * and must come back unchanged, with the manifest (else abort).
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "fuzz-native.h"

/* The seeds: the fixture variants a pack can take.  */
static const fuzz_native_variant_t variants[] =
  {
    { "ocb-manifest",  GCRY_CIPHER_MODE_OCB,  64, 100, NULL, 1, 1, 0 },
    { "gcm-manifest",  GCRY_CIPHER_MODE_GCM, 128, 300, NULL, 1, 1, 0 },
    { "ocb-empty",     GCRY_CIPHER_MODE_OCB,  64,   0, NULL, 0, 1, 0 },
    { "ocb-one-chunk", GCRY_CIPHER_MODE_OCB,  64,  40, NULL, 0, 1, 0 }
  };

#define CTL_ROUNDTRIP 0x80
#define STEP_MASK     0x7f

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


/* Seal DATA/SIZE (after its choice byte) and open it with STEP; abort
 * unless data and manifest come back.  */
static void
round_trip (const uint8_t *data, size_t size, unsigned int step)
{
  fuzz_native_variant_t v = variants[0];
  packbuf_t pack = { NULL }, out = { NULL }, manifest = { NULL };
  gpgpack_blob_t key = { NULL };
  unsigned int choice = fuzz_control (&data, &size);
  int ok;

  v.aead = choice & 1 ? GCRY_CIPHER_MODE_GCM : GCRY_CIPHER_MODE_OCB;
  v.chunk_size = (size_t)64 << ((choice >> 1) & 3);
  v.data = data;
  v.datalen = size;
  if (fuzz_native_seal (&v, &pack, &key))
    abort ();
  ok = !packbuf_open (fuzz_native_format (), key.data, key.len, 0,
                      FUZZ_PASSPHRASE, pack.data, pack.len, step, &out,
                      &manifest)
       && out.len == size && (!size || !memcmp (out.data, data, size))
       && manifest.len == strlen (fuzz_native_manifest)
       && !memcmp (manifest.data, fuzz_native_manifest, manifest.len);
  packbuf_free (&pack);
  packbuf_free (&out);
  packbuf_free (&manifest);
  packbuf_blob_free (&key);
  if (!ok)
    abort ();
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const gpgpack_format_t *fmt = fuzz_native_format ();
  packbuf_t out = { NULL }, manifest = { NULL };
  gpgpack_info_t info;
  unsigned int ctl = fuzz_control (&data, &size);

  if (ctl & CTL_ROUNDTRIP)
    {
      round_trip (data, size, ctl & STEP_MASK);
      return 0;
    }
  fmt->probe (data, size, size, NULL);
  fmt->info (data, size < GPGPACK_PROBE_BYTES ? size : GPGPACK_PROBE_BYTES,
             &info);
  packbuf_open (fmt, keyfile.data, keyfile.len, 0, FUZZ_PASSPHRASE,
                data, size, ctl & STEP_MASK, &out, &manifest);
  packbuf_free (&out);
  packbuf_free (&manifest);
  return 0;
}


gpg_error_t
fuzz_seeds (const char *dir)
{
  static const unsigned int steps[] = { 0, 1, 7, 100 };
  static const char roundtrip[] = "\x03 crosses two chunks of 128 bytes, "
    "as data to be sealed and opened again: the last chunk is short, "
    "and its end is the pack's end.";
  gpgpack_blob_t key = { NULL };
  packbuf_t pack = { NULL };
  gpg_error_t err = 0;
  size_t i;

  err = fuzz_write_seed (dir, "roundtrip", CTL_ROUNDTRIP | 5, roundtrip,
                         strlen (roundtrip));
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
