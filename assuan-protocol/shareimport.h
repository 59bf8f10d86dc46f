/* shareimport.h - the file key of a share-mode pack from its shares */
#ifndef GPGPACKD_SHAREIMPORT_H
#define GPGPACKD_SHAREIMPORT_H

#include "gpgpackd.h"
#include "cmdargs.h"
#include "packio.h"

/* Bound of one share: a file given with --share or an answer to
 * INQUIRE SHARE (an armored share message is about 1 KiB).  */
#define SHAREIMPORT_MAX_LEN 65536

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

#endif /*GPGPACKD_SHAREIMPORT_H*/
