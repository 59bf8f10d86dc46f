/* homefs.c - room for an import on the filesystem of the GnuPG home
 *
 * gpg adds each key to pubring.kbx by writing a copy of the whole
 * keyring (pubring.kbx.tmp) and renaming it; on a full filesystem it
 * fails after some keys were added.  So the room is checked before the
 * import, and the filesystem again to explain an import that failed.
 * The error texts stay under the 100 characters libassuan keeps of a
 * text on an ERR line.
 */
#include <config.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "homefs.h"

/* Free inodes an import needs at least (temp file, locks, key files).  */
#define MIN_FREE_INODES 16
/* Room for the trustdb and lock files beyond the keys.  */
#define SLACK_BYTES (64 * 1024)

/* Bytes an import of LEN bytes of key data into the keyring at
 * KEYRING may need: a copy of the keyring with the keys, and as much
 * again for secret key files and the trustdb.  */
static unsigned long long
bytes_needed (const char *keyring, size_t len)
{
  struct stat st;
  unsigned long long need = 2ULL * len + SLACK_BYTES;

  if (!stat (keyring, &st))
    need += st.st_size;
  return need;
}

/* Fill FS for the GnuPG home; false if there is nothing to tell (no
 * statvfs, or a filesystem that reports no sizes).  */
static int
home_statvfs (struct statvfs *fs)
{
  return !statvfs (opt.homedir, fs) && fs->f_blocks;
}

gpg_error_t
homefs_check_room (ctrl_t ctrl, size_t len)
{
  struct statvfs fs;
  unsigned long long avail, need;
  char *keyring;

  if (!home_statvfs (&fs))
    return 0;
  if (fs.f_files && fs.f_favail < MIN_FREE_INODES)
    return server_error (ctrl, gpg_error (GPG_ERR_ENOSPC),
                         "no free inode left in the GnuPG home;"
                         " free some and import again");
  keyring = gpgrt_bsprintf ("%s/pubring.kbx", opt.homedir);
  if (!keyring)
    return gpg_error_from_syserror ();
  need = bytes_needed (keyring, len);
  gpgrt_free (keyring);
  avail = (unsigned long long)fs.f_bavail * fs.f_frsize;
  if (avail >= need)
    return 0;
  return server_error (ctrl, gpg_error (GPG_ERR_ENOSPC),
                       "no space left in the GnuPG home: %llu KiB free,"
                       " %llu KiB needed; free some and import again",
                       avail / 1024, need / 1024);
}

gpg_error_t
homefs_explain (ctrl_t ctrl, size_t len)
{
  struct statvfs fs;

  if (home_statvfs (&fs) && (fs.f_flag & ST_RDONLY))
    return server_error (ctrl, gpg_error (GPG_ERR_EROFS),
                         "the GnuPG home is on a read-only filesystem;"
                         " remount it read-write and import again");
  return homefs_check_room (ctrl, len);
}
