/* tmpjournal.h - the home's journal of output temp files in flight */
#ifndef GPGPACKD_TMPJOURNAL_H
#define GPGPACKD_TMPJOURNAL_H

#include <gpg-error.h>

/* Use HOMEDIR/gpgpackd-tmp.d as the journal (made if missing) and
 * remove the temp files of daemons that died with them in flight.  */
gpg_error_t tmpjournal_init (const char *homedir);
/* Record PATH, which ends with a tmpjournal_mark(), as in flight
 * before it is created; the entry to R_ENTRY (NULL without a
 * journal).  */
gpg_error_t tmpjournal_add (const char *path, char **r_entry);
/* PATH is gone: drop ENTRY from the journal and free it.  */
void tmpjournal_remove (char *entry);
/* The mark of this process's temp files: ".gpgpackd-PID-SEQ".  */
char *tmpjournal_mark (void);

#endif /*GPGPACKD_TMPJOURNAL_H*/
