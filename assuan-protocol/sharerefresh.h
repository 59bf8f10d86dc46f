/* sharerefresh.h - SHARE_REFRESH's output: new shares, or a new pack */
#ifndef GPGPACKD_SHAREREFRESH_H
#define GPGPACKD_SHAREREFRESH_H

#include "gpgpackd.h"
#include "outfile.h"
#include "packio.h"
#include "shareexport.h"

/* One refresh or re-key once its shares and wrap keys are checked.  */
typedef struct sharerefresh
{
  ctrl_t ctrl;
  const gpgpack_format_t *fmt;
  const char *output_dir;
  const char *name;           /* base of the new files' names            */
  int rekey;                  /* a new pack too, as FILES[0]             */
  shareexport_t *sx;          /* N, T, the checked keys, the generation  */
  outfile_t *files;           /* [0] the new pack if REKEY, then shares  */
  unsigned int nfiles;
  unsigned char head[GPGPACK_PROBE_BYTES];  /* of the pack the new     */
  size_t headlen;                           /* shares open             */
  gpg_error_t write_err;      /* first error writing a file              */
} sharerefresh_t;

/* Start the output files of JOB (all with new names, never replacing
 * a file).  */
gpg_error_t sharerefresh_create_files (sharerefresh_t *job);

/* Re-key: seal the authentic key data PLAIN with the pack's MANIFEST
 * into JOB's new pack under a new random file key, returned at R_KEY
 * (secure memory); JOB's head is then the new pack's.  */
gpg_error_t sharerefresh_reseal (sharerefresh_t *job, const secbuf_t *plain,
                                 const secbuf_t *manifest,
                                 gpgpack_blob_t *r_key);

/* Split KEY on a new random polynomial, wrap the shares to their keys,
 * write and commit all of JOB's files: all appear or none.  */
gpg_error_t sharerefresh_write (sharerefresh_t *job,
                                const gpgpack_blob_t *key);

/* Status SHARE_CREATED per share, PACK_CREATED for a new pack and
 * SHARE_REFRESHED <pack-id> <generation> <threshold> <nshares>.  */
gpg_error_t sharerefresh_report (sharerefresh_t *job);

/* Remove JOB's uncommitted files and free them.  */
void sharerefresh_release (sharerefresh_t *job);

#endif /*GPGPACKD_SHAREREFRESH_H*/
