/* fuzz-keyscan.c - fuzz target: PACK_IMPORT --expect's reading of key data
 *
 * Input: key data as a pack holds it or an --expect-file, binary or
 * armored.  It is walked as expect.c walks it (keyscan.c): the
 * fingerprint of every key packet, and every secret key packet's
 * secret checked against its public part (keymatch.c, libgcrypt).
 * Seeds: real exports of gpg, secret and public, binary and armored,
 * of ed25519/cv25519, RSA, DSA/Elgamal and NIST P-256 keys and of a
 * protected key (fuzz/mkseeds.sh makes them).
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include "fuzz.h"
#include "keyscan.h"
#include "keymatch.h"
#include "pgppacket.h"

/* keyscan callback: what expect.c does with each packet.  */
static gpg_error_t
visit (void *opaque, int tag, const unsigned char *body, size_t len)
{
  char fpr[41];

  (void)opaque;
  if (tag == 5 || tag == 6 || tag == 7 || tag == 14)
    pgp_v4_fingerprint (body, len, fpr);
  if (tag == 5 || tag == 7)
    keymatch_check (body, len);
  return 0;
}


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  keyscan_walk (data, size, visit, NULL);
  return 0;
}


/* The seeds come from gpg (fuzz/mkseeds.sh), not from a fixture.  */
gpg_error_t
fuzz_seeds (const char *dir)
{
  (void)dir;
  return 0;
}
