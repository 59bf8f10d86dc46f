/* fuzz-gfe.c - fuzz targets of GpgFrontend's formats gfe1, gfe2, gfe3
 *
 * Compiled once per format, FUZZ_GFE being its number.  Input: one
 * control byte, then the bytes its top bits say:
 *   00xxxxxx  a pack, opened with the fixture key file
 *   10xxxxxx  a key file, opening the fixture pack
 *   x1xxxxxx  key data, sealed with the fixture's random source (so the
 *             fixture key file opens it) and opened again: the opened
 *             data must be the sealed data (gfe1 armors binary data
 *             and returns the armor, so there only text is compared).
 * The low six bits are the feed step (0: all at once).
 *
 * Argon2id is the cost of every gfe2/gfe3 open (64 MiB for gfe3) and
 * libgcrypt's, not ours: the targets link with -Wl,--wrap=gfe_argon2id
 * and remember its last results, so that the fixture's derivations are
 * done once and the fuzzer spends its time in our parsers.  For the
 * same reason a fuzzed pack or key file of gfe2/gfe3 gets the fixture's
 * salt put back: no parser looks at it, only the KDF.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "fuzz.h"
#include "packbuf.h"
#include "gfe.h"

#define MODE_KEYFILE   0x80
#define MODE_ROUNDTRIP 0x40
#define STEP_MASK      0x3f
#define MEMO_SIZE      8

/* gfe1 has no passphrase; gfe2 and gfe3 require one.  */
#define PASSPHRASE (FUZZ_GFE == 1 ? NULL : FUZZ_PASSPHRASE)

/* A remembered Argon2id result.  */
typedef struct memo
{
  const gfe_variant_t *variant;
  unsigned char pw_hash[32];
  unsigned char salt[GFE_SALT_LEN];
  unsigned char key[GFE_KEY_LEN];
} memo_t;

static memo_t memo[MEMO_SIZE];
static unsigned int memo_next, memo_used;

static gpgpack_blob_t keyfile;
static packbuf_t fixture_pack;

gpg_error_t __real_gfe_argon2id (const gfe_variant_t *v, const void *pw,
                                 size_t pwlen, const unsigned char *salt,
                                 unsigned char *key);


/* gfe_argon2id, remembering its last MEMO_SIZE results.  */
gpg_error_t
__wrap_gfe_argon2id (const gfe_variant_t *v, const void *pw, size_t pwlen,
                     const unsigned char *salt, unsigned char *key)
{
  unsigned char pw_hash[32];
  memo_t *m;
  unsigned int i;
  gpg_error_t err;

  gcry_md_hash_buffer (GCRY_MD_SHA256, pw_hash, pw, pwlen);
  for (i = 0; i < memo_used; i++)
    if (memo[i].variant == v && !memcmp (memo[i].pw_hash, pw_hash, 32)
        && !memcmp (memo[i].salt, salt, GFE_SALT_LEN))
      {
        memcpy (key, memo[i].key, GFE_KEY_LEN);
        return 0;
      }
  err = __real_gfe_argon2id (v, pw, pwlen, salt, key);
  if (err)
    return err;
  m = &memo[memo_next];
  memo_next = (memo_next + 1) % MEMO_SIZE;
  memo_used += memo_used < MEMO_SIZE;
  m->variant = v;
  memcpy (m->pw_hash, pw_hash, 32);
  memcpy (m->salt, salt, GFE_SALT_LEN);
  memcpy (m->key, key, GFE_KEY_LEN);
  return 0;
}


static const gpgpack_format_t *
gfe_format (void)
{
  return gpgpack_plugin_entry (GPGPACK_PLUGIN_ABI_VERSION)
         ->formats[FUZZ_GFE - 1];
}


/* Seal DATA/LEN with the fixture's random source and passphrase into
 * PACK, the key file to KEY.  */
static gpg_error_t
seal_fixture (const void *data, size_t len, size_t step, packbuf_t *pack,
              gpgpack_blob_t *key)
{
  unsigned char next = 0x42;
  gpgpack_seal_params_t params;

  memset (&params, 0, sizeof params);
  params.passphrase = PASSPHRASE;
  params.random = packbuf_counter_random;
  params.random_opaque = &next;
  return packbuf_seal (gfe_format (), &params, data, len, step, pack, key);
}


/* The key data of the fixture and of the seeds: an armored key.  */
static const char armored[] =
  "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
  "mDMEaQAAABYJKwYBBAHaRw8BAQdA\n=AAAA\n"
  "-----END PGP PUBLIC KEY BLOCK-----\n";


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  if (seal_fixture (armored, strlen (armored), 0, &fixture_pack, &keyfile))
    abort ();
  return 0;
}


/* True if OUT is what sealing DATA/SIZE must open to.  */
static int
same_data (const packbuf_t *out, const uint8_t *data, size_t size)
{
  if (FUZZ_GFE == 1 && size && (data[0] & 0x80))
    return 1;                   /* gfe1 returns the armor it wrote */
  return out->len == size && (!size || !memcmp (out->data, data, size));
}


/* Seal DATA/SIZE, open it again and abort unless the data came back.  */
static void
round_trip (const uint8_t *data, size_t size, size_t step)
{
  packbuf_t pack = { NULL }, out = { NULL };
  gpgpack_blob_t key = { NULL };
  int sealed, ok = 0;

  sealed = !seal_fixture (data, size, step, &pack, &key);
  if (sealed)
    ok = !packbuf_open (gfe_format (), key.data, key.len, 0, PASSPHRASE,
                        pack.data, pack.len, step, &out, NULL)
         && same_data (&out, data, size);
  packbuf_free (&pack);
  packbuf_free (&out);
  packbuf_blob_free (&key);
  if (sealed && !ok)
    abort ();
}


/* A copy of DATA/SIZE, a gfe2/gfe3 pack or key file, with the salt of
 * FIXTURE (one of the same kind).  */
static unsigned char *
pin_salt (const uint8_t *data, size_t size, const unsigned char *fixture)
{
  const gfe_variant_t *v = FUZZ_GFE == 3 ? &gfe3_variant : &gfe2_variant;
  unsigned char *copy = malloc (size ? size : 1);

  if (!copy)
    abort ();
  memcpy (copy, data, size);
  if (FUZZ_GFE != 1 && size >= v->magic_len + GFE_SALT_LEN)
    memcpy (copy + v->magic_len, fixture + v->magic_len, GFE_SALT_LEN);
  return copy;
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const gpgpack_format_t *fmt = gfe_format ();
  unsigned int ctl = fuzz_control (&data, &size);
  packbuf_t out = { NULL };
  gpgpack_info_t info;
  unsigned char *copy;

  if (ctl & MODE_ROUNDTRIP)
    {
      round_trip (data, size, ctl & STEP_MASK);
      return 0;
    }
  if (ctl & MODE_KEYFILE)
    {
      copy = pin_salt (data, size, keyfile.data);
      packbuf_open (fmt, copy, size, 0, PASSPHRASE, fixture_pack.data,
                    fixture_pack.len, 0, &out, NULL);
    }
  else
    {
      copy = pin_salt (data, size, fixture_pack.data);
      fmt->probe (copy, size, size, fmt->pack_ext);
      fmt->info (copy, size, &info);
      packbuf_open (fmt, keyfile.data, keyfile.len, 0, PASSPHRASE,
                    copy, size, ctl & STEP_MASK, &out, NULL);
    }
  free (copy);
  packbuf_free (&out);
  return 0;
}


gpg_error_t
fuzz_seeds (const char *dir)
{
  static const unsigned char binary[] = { 0x99, 0x00, 0x03, 4, 1, 2 };
  gpg_error_t err;

  err = fuzz_write_seed (dir, "pack", 0, fixture_pack.data,
                         fixture_pack.len);
  if (!err)
    err = fuzz_write_seed (dir, "pack-step-5", 5, fixture_pack.data,
                           fixture_pack.len);
  if (!err)
    err = fuzz_write_seed (dir, "keyfile", MODE_KEYFILE, keyfile.data,
                           keyfile.len);
  if (!err)
    err = fuzz_write_seed (dir, "roundtrip-armor", MODE_ROUNDTRIP,
                           armored, strlen (armored));
  if (!err)
    err = fuzz_write_seed (dir, "roundtrip-binary", MODE_ROUNDTRIP | 3,
                           binary, sizeof binary);
  return err;
}
