/* pinhome.c - test homes whose gpg-agent asks the scripted pinentry */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "pinhome.h"

static char script[PATH_MAX];       /* pinentry-record.sh */

gpg_error_t
ph_init (void)
{
  const char *srcdir = getenv ("srcdir");
  char *name = gpgrt_bsprintf ("%s/pinentry-record.sh",
                               srcdir ? srcdir : ".");
  gpg_error_t err = 0;

  if (!name || !realpath (name, script))
    err = gpg_error_from_syserror ();
  gpgrt_free (name);
  return err;
}

gpg_error_t
ph_home_create (th_home_t *home, int ttl)
{
  char *conf;
  gpg_error_t err;

  if (!*script)
    return gpg_error (GPG_ERR_NOT_INITIALIZED);
  err = th_home_create (home);
  if (!err && symlink (script, th_path (home->dir, "pinentry")))
    err = gpg_error_from_syserror ();
  conf = gpgrt_bsprintf ("pinentry-program %s\nallow-loopback-pinentry\n"
                         "default-cache-ttl %d\nmax-cache-ttl %d\n",
                         th_path (home->dir, "pinentry"), ttl, ttl);
  if (!conf)
    return gpg_error_from_syserror ();
  if (!err)
    err = th_home_write (home, "gpg-agent.conf", conf);
  gpgrt_free (conf);
  return err;
}

/* Copy the file FROM/NAME to TO/NAME.  */
static gpg_error_t
copy_file (const char *from, const char *to, const char *name)
{
  char *buf;
  size_t len;
  gpg_error_t err;

  err = th_read_file (th_path (from, name), &buf, &len);
  if (!err)
    err = th_write_file (th_path (to, name), buf, len);
  free (buf);
  return err;
}

gpg_error_t
ph_home_clone (th_home_t *from, th_home_t *to)
{
  char src[128], dst[128];
  struct dirent *d;
  gpg_error_t err;
  DIR *dir;

  err = ph_home_create (to, 0);
  if (!err)
    err = copy_file (from->dir, to->dir, "pubring.kbx");
  snprintf (src, sizeof src, "%s/private-keys-v1.d", from->dir);
  snprintf (dst, sizeof dst, "%s/private-keys-v1.d", to->dir);
  if (!err && mkdir (dst, 0700))
    err = gpg_error_from_syserror ();
  dir = err ? NULL : opendir (src);
  if (!err && !dir)
    err = gpg_error_from_syserror ();
  while (!err && (d = readdir (dir)))
    if (d->d_type == DT_REG)
      err = copy_file (src, dst, d->d_name);
  if (dir)
    closedir (dir);
  return err;
}

gpg_error_t
ph_answer (th_home_t *home, const char *passes, int cancel)
{
  const char *flag = th_path (home->dir, "pinentry.cancel");
  gpg_error_t err;

  unlink (th_path (home->dir, "pinentry.log"));
  unlink (flag);
  err = th_write_file (th_path (home->dir, "pinentry.pass"), passes,
                       strlen (passes));
  if (!err && cancel)
    err = th_write_file (flag, "", 0);
  return err;
}

/* The number of lines of HOME's recording that start with PREFIX and
 * hold TEXT.  */
static int
count_lines (th_home_t *home, const char *prefix, const char *text)
{
  char *log, *line, *end;
  size_t len;
  int n = 0;

  if (th_read_file (th_path (home->dir, "pinentry.log"), &log, &len))
    return 0;
  for (line = log; *line; line = end + !!*end)
    {
      end = line + strcspn (line, "\n");
      if (!strncmp (line, prefix, strlen (prefix))
          && memmem (line, end - line, text, strlen (text)))
        n++;
    }
  free (log);
  return n;
}

int
ph_asked (th_home_t *home)
{
  return count_lines (home, "GETPIN", "GETPIN");
}

int
ph_described (th_home_t *home, const char *text)
{
  return count_lines (home, "SETDESC ", text) > 0;
}
