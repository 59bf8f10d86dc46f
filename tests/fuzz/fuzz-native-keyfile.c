/* fuzz-native-keyfile.c - fuzz target: a native key file for a fixed pack
 *
 * Input: one control byte (bit 0: the rest is a raw file key as shares
 * give it, else a key file), then the key.  No passphrase is given: a
 * protected key file is parsed up to its Argon2id parameters (which an
 * attacker may set to a minute of work, by design) and refused with
 * GPG_ERR_NO_PASSPHRASE; the unwrapping itself runs in every input of
 * the native-pack target.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <gcrypt.h>

#include "fuzz-native.h"

/* The pack; the seeds are its key in the three forms.  */
static const fuzz_native_variant_t plain =
  { "keyfile", GCRY_CIPHER_MODE_OCB, 64, 100, NULL, 1, 0, 0 };
static const fuzz_native_variant_t protected =
  { "keyfile-protected", GCRY_CIPHER_MODE_OCB, 64, 100, NULL, 1, 1, 0 };
static const fuzz_native_variant_t raw =
  { "raw-key", GCRY_CIPHER_MODE_OCB, 64, 100, NULL, 1, 0, 1 };

static packbuf_t pack;


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  gpgpack_blob_t key = { NULL };

  fuzz_init ();
  if (fuzz_native_seal (&plain, &pack, &key))
    abort ();
  packbuf_blob_free (&key);
  return 0;
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  packbuf_t out = { NULL }, manifest = { NULL };
  unsigned int ctl = fuzz_control (&data, &size);

  packbuf_open (fuzz_native_format (), data, size, ctl & 1, NULL,
                pack.data, pack.len, 0, &out, &manifest);
  packbuf_free (&out);
  packbuf_free (&manifest);
  return 0;
}


/* Write the key of the fixture V as the seed of that name.  */
static gpg_error_t
write_key (const char *dir, const fuzz_native_variant_t *v)
{
  gpgpack_blob_t key = { NULL };
  packbuf_t other = { NULL };
  gpg_error_t err;

  err = fuzz_native_seal (v, &other, &key);
  if (!err)
    err = fuzz_write_seed (dir, v->name, v->raw_key, key.data, key.len);
  packbuf_free (&other);
  packbuf_blob_free (&key);
  return err;
}


gpg_error_t
fuzz_seeds (const char *dir)
{
  gpg_error_t err = write_key (dir, &plain);

  if (!err)
    err = write_key (dir, &protected);
  if (!err)
    err = write_key (dir, &raw);
  return err;
}
