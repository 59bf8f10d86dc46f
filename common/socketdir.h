/* socketdir.h - Locate the GnuPG home and socket directory like gpgconf */
#ifndef GPGPACK_SOCKETDIR_H
#define GPGPACK_SOCKETDIR_H

#include <gpg-error.h>

/* The homedir in use: HOMEDIR if given, else $GNUPGHOME, else
 * ~/.gnupg; made absolute, trailing slashes removed.  Malloced
 * (gpgrt_free); NULL on error with errno set.  */
char *gpgpack_homedir (const char *homedir);

/* Return 0 if HOMEDIR (absolute) exists as a directory, else the
 * error (ENOENT, ENOTDIR...) to report as "no such GnuPG home".  */
gpg_error_t gpgpack_check_homedir (const char *homedir);

/* Store at R_DIR the socket directory exactly as `gpgconf --list-dirs
 * socketdir` computes it for HOMEDIR (see gpgpack_homedir); like
 * gpgconf it creates /run/user/UID/gnupg[/d.ZB32] when needed.  */
gpg_error_t gpgpack_socketdir (const char *homedir, char **r_dir);

/* Store at R_PATH the full name of the S.gpgpackd socket for HOMEDIR.  */
gpg_error_t gpgpack_socket_name (const char *homedir, char **r_path);

#endif /*GPGPACK_SOCKETDIR_H*/
