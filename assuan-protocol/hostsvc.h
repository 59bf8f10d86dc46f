/* hostsvc.h - the OpenPGP services gpgpackd offers plugins (ABI 2 host) */
#ifndef GPGPACKD_HOSTSVC_H
#define GPGPACKD_HOSTSVC_H

#include "gpgpackd.h"
#include "packsig.h"

/* Bound of a decrypted share message (an envelope is about 300 bytes;
 * more is a compression bomb or not a share).  */
#define HOSTSVC_MAX_PLAIN 65536

/* Most recipients of an undecryptable message hostsvc remembers.  */
#define HOSTSVC_MAX_MISSING 4

/* The host table a plugin gets, and what the last call left behind.  */
typedef struct hostsvc
{
  gpgpack_host_t host;        /* hand &SVC->host to the plugin           */
  ctrl_t ctrl;                /* session whose pinentry options apply    */
  /* Set by the caller: the key (primary fingerprint) that signs each
   * message encrypted, or NULL; the key whose signature a decrypted
   * message is judged by, or NULL for its first signature.  */
  const char *signer;
  const char *verify_key;
  /* After decrypt succeeded: its signature's verdict (code
   * GPG_ERR_NO_DATA for an unsigned message or before).  */
  packsig_verdict_t verdict;
  /* After decrypt failed with GPG_ERR_NO_SECKEY: the keys the message
   * is encrypted to, space separated: the primary key's fingerprint
   * where its public key is here, else the key id gpg named.  */
  char missing[HOSTSVC_MAX_MISSING * 41];
  /* After decrypt succeeded: the key that opened the message, named as
   * in MISSING ("" before).  */
  char opened[41];
} hostsvc_t;

/* Set up SVC for CTRL's session.  Encryption (and signing, with a
 * SIGNER) runs several gpg at once
 * (one per CPU), always to exactly the key named, never also to gpg's
 * encrypt-to keys; decryption asks a key's passphrase as exports do
 * (keypass.c).  Both take the nPth lock themselves: call the plugin
 * with the lock released (UNLOCKED).  */
void hostsvc_init (ctrl_t ctrl, hostsvc_t *svc);

/* Forget the verdict of the last message decrypted: no signature.  */
void hostsvc_reset_verdict (hostsvc_t *svc);

#endif /*GPGPACKD_HOSTSVC_H*/
