/* homefs.h - room for an import on the filesystem of the GnuPG home */
#ifndef GPGPACKD_HOMEFS_H
#define GPGPACKD_HOMEFS_H

#include "gpgpackd.h"

/* Check that the GnuPG home's filesystem has room for importing LEN
 * bytes of key data: GPG_ERR_ENOSPC with a text saying what to do,
 * else 0.  */
gpg_error_t homefs_check_room (ctrl_t ctrl, size_t len);

/* After an import of LEN bytes failed: GPG_ERR_EROFS if the home's
 * filesystem is read-only, GPG_ERR_ENOSPC if it is full (with texts),
 * else 0.  */
gpg_error_t homefs_explain (ctrl_t ctrl, size_t len);

#endif /*GPGPACKD_HOMEFS_H*/
