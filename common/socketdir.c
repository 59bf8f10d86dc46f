/* socketdir.c - Locate the GnuPG home and socket directory like gpgconf
 *
 * This follows gnupg's common/homedir.c (gnupg_homedir and
 * _gnupg_socketdir_internal) so that S.gpgpackd lives next to
 * S.gpg-agent, wherever `gpgconf --list-dirs socketdir` says that is.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <pwd.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <gcrypt.h>

#include "common.h"
#include "socketdir.h"

#define DEFAULT_HOMEDIR "~/.gnupg"

/* Return a malloced copy of DIR with trailing slashes removed.  */
static char *
strip_trailing_slashes (const char *dir)
{
  char *result = gpgrt_strdup (dir);
  char *p;

  if (!result || !*result)
    return result;
  p = result + strlen (result) - 1;
  while (p > result && *p == '/')
    *p-- = 0;
  return result;
}

/* Return the malloced absolute form of NAME: a leading "~" is the
 * user's home, a relative name is taken from the working directory.  */
static char *
make_absolute (const char *name)
{
  const char *home;
  char *cwd, *result;

  if (*name == '~' && (!name[1] || name[1] == '/'))
    {
      home = getenv ("HOME");
      if (!home || !*home)
        {
          struct passwd *pw = getpwuid (getuid ());
          home = pw ? pw->pw_dir : NULL;
        }
      if (!home)
        {
          gpg_err_set_errno (ENOENT);
          return NULL;
        }
      return gpgrt_bsprintf ("%s%s", home, name + 1);
    }
  if (*name == '/')
    return gpgrt_strdup (name);

  cwd = getcwd (NULL, 0);
  if (!cwd)
    return NULL;
  result = gpgrt_bsprintf ("%s/%s", cwd, name);
  free (cwd);
  return result;
}

char *
gpgpack_homedir (const char *homedir)
{
  char *fixed, *result;

  if (!homedir || !*homedir)
    homedir = getenv ("GNUPGHOME");
  if (!homedir || !*homedir)
    homedir = DEFAULT_HOMEDIR;
  fixed = strip_trailing_slashes (homedir);
  if (!fixed)
    return NULL;
  result = make_absolute (fixed);
  gpgrt_free (fixed);
  return result;
}

/* Return true if HOMEDIR (absolute) is the default ~/.gnupg.  */
static int
is_default_homedir (const char *homedir)
{
  char *standard = make_absolute (DEFAULT_HOMEDIR);
  int result = standard && !strcmp (standard, homedir);

  gpgrt_free (standard);
  return result;
}

/* Return the malloced z-base-32 encoding of the first NBITS (a
 * multiple of 8) of DATA, as gnupg's zb32_encode does.  */
static char *
zb32_encode (const unsigned char *data, unsigned int nbits)
{
  static const char alphabet[] = "ybndrfg8ejkmcpqxot1uwisza345h769";
  unsigned int nchars = (nbits + 4) / 5;
  unsigned int i, bit;
  char *result = gpgrt_malloc (nchars + 1);

  if (!result)
    return NULL;
  for (i = 0; i < nchars; i++)
    {
      unsigned int value = 0, k;

      for (k = 0; k < 5; k++)
        {
          bit = i * 5 + k;
          value <<= 1;
          if (bit < nbits && (data[bit / 8] & (0x80 >> (bit % 8))))
            value |= 1;
        }
      result[i] = alphabet[value];
    }
  result[nchars] = 0;
  return result;
}

/* Return true if DIR is a directory of ours that nobody else may use.  */
static int
is_private_dir (const struct stat *sb)
{
  return (S_ISDIR (sb->st_mode) && sb->st_uid == getuid ()
          && !(sb->st_mode & (S_IRWXG | S_IRWXO)));
}

/* Return true if DIR exists as a private directory, creating it with
 * mode 0700 if it does not exist.  */
static int
ensure_private_dir (const char *dir)
{
  struct stat sb;

  if (stat (dir, &sb))
    {
      if (errno != ENOENT || mkdir (dir, 0700) || stat (dir, &sb))
        return 0;
    }
  return is_private_dir (&sb);
}

/* Return the malloced socket directory below /run/user/UID for
 * HOMEDIR, or NULL if gnupg would fall back to the homedir.  */
static char *
run_user_socketdir (const char *homedir)
{
  static const char *const bases[] = { "/run", "/var/run", NULL };
  char prefix[64];
  unsigned char sha1[20];
  struct stat sb;
  char *suffix, *name;
  int i;

  for (i = 0; bases[i]; i++)
    {
      snprintf (prefix, sizeof prefix, "%s/user/%u",
                bases[i], (unsigned int)getuid ());
      if (!stat (prefix, &sb) && S_ISDIR (sb.st_mode))
        break;
    }
  if (!bases[i] || sb.st_uid != getuid ())
    return NULL;
  strcat (prefix, "/gnupg");
  if (!ensure_private_dir (prefix))
    return NULL;
  if (is_default_homedir (homedir))
    return gpgrt_strdup (prefix);

  gcry_md_hash_buffer (GCRY_MD_SHA1, sha1, homedir, strlen (homedir));
  suffix = zb32_encode (sha1, 8 * 15);
  if (!suffix)
    return NULL;
  name = gpgrt_bsprintf ("%s/d.%s", prefix, suffix);
  gpgrt_free (suffix);
  if (name && !ensure_private_dir (name))
    {
      gpgrt_free (name);
      name = NULL;
    }
  return name;
}

gpg_error_t
gpgpack_socketdir (const char *homedir, char **r_dir)
{
  char *home;

  *r_dir = NULL;
  home = gpgpack_homedir (homedir);
  if (!home)
    return gpg_error_from_syserror ();
  *r_dir = run_user_socketdir (home);
  if (*r_dir)
    gpgrt_free (home);
  else
    *r_dir = home;   /* gnupg's fallback: the homedir itself.  */
  return 0;
}

gpg_error_t
gpgpack_socket_name (const char *homedir, char **r_path)
{
  gpg_error_t err;
  char *dir;

  *r_path = NULL;
  err = gpgpack_socketdir (homedir, &dir);
  if (err)
    return err;
  *r_path = gpgrt_bsprintf ("%s/%s", dir, GPGPACK_SOCKET_NAME);
  gpgrt_free (dir);
  if (!*r_path)
    return gpg_error_from_syserror ();
  return 0;
}

gpg_error_t
gpgpack_check_homedir (const char *homedir)
{
  struct stat sb;

  if (stat (homedir, &sb))
    return gpg_error_from_syserror ();
  if (!S_ISDIR (sb.st_mode))
    return gpg_error (GPG_ERR_ENOTDIR);
  return 0;
}
