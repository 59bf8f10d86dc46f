/* shareimport.h - the file key of a share-mode pack from its shares */
#ifndef GPGPACKD_SHAREIMPORT_H
#define GPGPACKD_SHAREIMPORT_H

#include "gpgpackd.h"
#include "cmdargs.h"
#include "packio.h"

/* Bound of one share: a file given with --share or an answer to
 * INQUIRE SHARE (an armored share message is about 1 KiB).  */
#define SHAREIMPORT_MAX_LEN 65536

/* Most shares one import accepts (x is one byte, never 0).  */
#define SHAREIMPORT_MAX_SHARES 255

/* The shares that gave the key: their split and, for each, the key
 * that decrypted it ("" if it came decrypted) and its position.  */
typedef struct shareimport_used
{
  unsigned int count;
  unsigned int threshold;
  unsigned int generation;
  unsigned int pos[SHAREIMPORT_MAX_SHARES];
  char opened[SHAREIMPORT_MAX_SHARES][41];
} shareimport_used_t;

/* Recover the raw file key of the share-mode pack whose leading HEADLEN
 * bytes are HEAD and whose description is INFO, from the share files
 * FILES and, while fewer than the threshold are usable, INQUIRE SHARE.
 * Damaged or forged shares are set aside (status SHARE_BAD) as long as
 * enough others remain.  With VERIFY_KEY (a primary fingerprint) every
 * share must be a message signed by that key (packsig_error names
 * what is wrong).  The key, checked against the pack by the plugin,
 * goes to R_KEY in secure memory.  */
gpg_error_t shareimport_key (ctrl_t ctrl, const gpgpack_format_t *fmt,
                             const void *head, size_t headlen,
                             const gpgpack_info_t *info,
                             const cmdargs_list_t *files,
                             const char *verify_key, secbuf_t *r_key);

/* Read the header of PACK, of format FMT, into R_HEADLEN and R_INFO
 * (as packio_pack_info) and tell whether it is a share-mode pack
 * whose key shareimport_key recovers (*R_SHARED).  */
gpg_error_t shareimport_is_shared (ctrl_t ctrl, const gpgpack_format_t *fmt,
                                   const secbuf_t *pack, size_t *r_headlen,
                                   gpgpack_info_t *r_info, int *r_shared);

/* As shareimport_key; also describe the shares used at R_USED.  */
gpg_error_t shareimport_key_used (ctrl_t ctrl, const gpgpack_format_t *fmt,
                                  const void *head, size_t headlen,
                                  const gpgpack_info_t *info,
                                  const cmdargs_list_t *files,
                                  const char *verify_key, secbuf_t *r_key,
                                  shareimport_used_t *r_used);

#endif /*GPGPACKD_SHAREIMPORT_H*/
