/* fuzz-pgppacket.c - fuzz target: gpgpackd's OpenPGP packet reader
 *
 * Input: a binary OpenPGP key export (no control byte).  It is walked
 * packet by packet as gpgpackd walks gpg's export, and the fingerprint
 * of every key packet is computed.  Seeds: real exports of ed25519,
 * RSA and DSA keys (fuzz/mkseeds.sh makes them with gpg).
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include "fuzz.h"
#include "pgppacket.h"

/* RFC 4880 packet tags of key packets.  */
#define TAG_SECRET_KEY     5
#define TAG_PUBLIC_KEY     6
#define TAG_SECRET_SUBKEY  7
#define TAG_PUBLIC_SUBKEY 14


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  size_t off = 0, len;
  char fpr[41];
  int tag;

  while (!pgp_packet_header (data, size, &off, &tag, &len))
    {
      if (tag == TAG_SECRET_KEY || tag == TAG_PUBLIC_KEY
          || tag == TAG_SECRET_SUBKEY || tag == TAG_PUBLIC_SUBKEY)
        pgp_v4_fingerprint (data + off, len, fpr);
      off += len;
    }
  return 0;
}


/* The seeds come from gpg (fuzz/mkseeds.sh), not from a fixture.  */
gpg_error_t
fuzz_seeds (const char *dir)
{
  return 0;
}
