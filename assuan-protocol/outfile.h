/* outfile.h - atomic 0600 output files (temp name, fsync, rename) */
#ifndef GPGPACKD_OUTFILE_H
#define GPGPACKD_OUTFILE_H

#include <gpg-error.h>

typedef struct outfile_s *outfile_t;

/* The longest DIR/NAME, percent-escaped, that outfile_create takes:
 * two of them and a pack id fit on one status line (libassuan cuts
 * lines at 1000 bytes without telling).  */
#define OUTFILE_ARG_MAX 450

/* Start writing DIR/NAME under a temporary name with mode 0600.
 * Unless FORCE an existing DIR/NAME gives GPG_ERR_EEXIST; a name
 * escaping to more than OUTFILE_ARG_MAX bytes GPG_ERR_ENAMETOOLONG.  */
gpg_error_t outfile_create (const char *dir, const char *name, int force,
                            outfile_t *r_file);
gpg_error_t outfile_write (outfile_t file, const void *buf, size_t len);
/* Flush and fsync the temp file; then give it its final name.  */
gpg_error_t outfile_commit (outfile_t file);
/* Commit the N FILES in order (NULL entries, files not made, are
 * skipped); if one fails, remove those committed before it: all
 * appear or none.  */
gpg_error_t outfile_commit_all (outfile_t *files, unsigned int n);
/* Remove a committed file again (a later step failed).  */
void outfile_remove (outfile_t file);
/* Discard an uncommitted temp file; free FILE.  NULL is allowed.  */
void outfile_release (outfile_t file);
/* A new read-only descriptor of what was written to FILE so far
 * (e.g. to sign it), or -1 with errno set.  */
int outfile_reopen (outfile_t file);
/* The final name.  */
const char *outfile_name (outfile_t file);
/* The final name as status lines carry it: percent-escaped (blank,
 * '%', '+' and control characters as %XX), so it is one word.  */
const char *outfile_arg (outfile_t file);

#endif /*GPGPACKD_OUTFILE_H*/
