/* shareexport.h - PACK_EXPORT in share mode: the file key split t-of-n */
#ifndef GPGPACKD_SHAREEXPORT_H
#define GPGPACKD_SHAREEXPORT_H

#include "gpgpackd.h"
#include "cmdargs.h"
#include "wrapkeys.h"
#include "patterns.h"

/* The generation of the shares of a new pack.  */
#define SHAREEXPORT_GENERATION 1

/* Bound of the answer to INQUIRE WRAP_KEYS: 255 fingerprints of 64
 * digits with CR LF, and room for blanks.  */
#define SHAREEXPORT_MAX_KEYS_LEN 32768

/* Share mode of one export: the options as given, then what the
 * checks made of them.  NSHARES is 0 outside share mode.  */
typedef struct shareexport
{
  const char *shares;         /* --shares=N                              */
  const char *threshold;      /* --threshold=T                           */
  int allow_same;             /* --allow-same-custodian                  */
  int inquire_wrap_keys;      /* --inquire-wrap-keys                     */
  cmdargs_list_t wrap_keys;   /* --wrap-key=FPR, then the inquired ones  */
  patterns_t inquired;        /* the answer to INQUIRE WRAP_KEYS         */
  unsigned int nshares;
  unsigned int thresh;
  unsigned int generation;    /* of the new shares; 0: the first one     */
  wrapkeys_t keys;            /* the checked wrap keys and custodians    */
  const char *signer;         /* sign key of the share messages, or NULL */
  gpgpack_blob_t *msgs;       /* NSHARES armored messages after wrap     */
} shareexport_t;

/* Check the share options of SX for format FMT before anything else
 * happens (PASSPHRASE: --passphrase was given); set NSHARES and
 * THRESH.  Without --shares and its companions nothing is done.  */
gpg_error_t shareexport_check_args (ctrl_t ctrl, shareexport_t *sx,
                                    const gpgpack_format_t *fmt,
                                    int passphrase);

/* Ask for more wrap keys if SX says so (INQUIRE WRAP_KEYS); check
 * their number and then each in CTX's keyring (wrapkeys.c).  */
gpg_error_t shareexport_check_keys (ctrl_t ctrl, shareexport_t *sx,
                                    gpgme_ctx_t ctx);

/* The file name extension of share I (from 0): ".share-I+1-of-N.asc",
 * from generation 2 on ".gG.share-I+1-of-N.asc"; malloced.  */
char *shareexport_file_ext (const shareexport_t *sx, unsigned int i);

/* Split the raw file KEY of the pack that starts with HEAD (HEADLEN
 * bytes) with FMT's sharing and wrap every share to its key: SX->MSGS
 * receives the NSHARES messages.  */
gpg_error_t shareexport_wrap (ctrl_t ctrl, shareexport_t *sx,
                              const gpgpack_format_t *fmt,
                              const void *head, size_t headlen,
                              const gpgpack_blob_t *key);

/* Send the messages of SX to the client: for each share status
 * SHARE_BEGIN <index> <wrap-fpr>, D lines, SHARE_END <index>.  */
gpg_error_t shareexport_stream (ctrl_t ctrl, const shareexport_t *sx);

void shareexport_release (ctrl_t ctrl, shareexport_t *sx);

#endif /*GPGPACKD_SHAREEXPORT_H*/
