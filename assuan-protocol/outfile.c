/* outfile.c - atomic 0600 output files (temp name, fsync, rename)
 *
 * Output goes to DIR/.NAME.gpgpackd-PID-SEQ (O_EXCL, mode 0600),
 * recorded in the home's journal first (tmpjournal.c) so that the next
 * daemon removes it if this one is killed; commit fsyncs
 * it and moves it to DIR/NAME: link(2) when existing files must not be
 * replaced (atomic no-clobber), rename(2) with --force; then the
 * directory is fsynced too.  Nothing is left behind on error.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "outfile.h"
#include "tmpjournal.h"
#include "argline.h"

struct outfile_s
{
  int fd;
  int force;
  int committed;
  int tmp_exists;
  char *dir;
  char *name;        /* DIR/NAME */
  char *arg;         /* DIR/NAME percent-escaped for status lines */
  char *tmpname;     /* DIR/.NAME.gpgpackd-PID-SEQ */
  char *entry;       /* Its journal entry or NULL.  */
};

/* Create FILE's temp file, journal entry first.  */
static gpg_error_t
create_tmp (outfile_t file, const char *name)
{
  char *mark = tmpjournal_mark ();
  gpg_error_t err;

  file->tmpname = mark ? gpgrt_bsprintf ("%s/.%s%s", file->dir, name, mark)
                       : NULL;
  gpgrt_free (mark);
  if (!file->tmpname)
    return gpg_error_from_syserror ();
  err = tmpjournal_add (file->tmpname, &file->entry);
  if (err)
    return err;
  file->fd = open (file->tmpname, O_WRONLY | O_CREAT | O_EXCL,
                   S_IRUSR | S_IWUSR);
  file->tmp_exists = file->fd != -1;
  if (file->fd == -1 || fchmod (file->fd, S_IRUSR | S_IWUSR))
    return gpg_error_from_syserror ();
  return 0;
}

gpg_error_t
outfile_create (const char *dir, const char *name, int force,
                outfile_t *r_file)
{
  outfile_t file;
  gpg_error_t err;

  *r_file = NULL;
  file = calloc (1, sizeof *file);
  if (!file)
    return gpg_error_from_syserror ();
  file->fd = -1;
  file->force = force;
  file->dir = strdup (dir);
  file->name = gpgrt_bsprintf ("%s/%s", dir, name);
  file->arg = file->name ? percent_escape (file->name) : NULL;
  if (!file->dir || !file->arg)
    {
      err = gpg_error_from_syserror ();
      goto leave;
    }
  if (strlen (file->arg) > OUTFILE_ARG_MAX)
    {
      err = gpg_error (GPG_ERR_ENAMETOOLONG);
      goto leave;
    }
  if (!force && !access (file->name, F_OK))
    {
      err = gpg_error (GPG_ERR_EEXIST);
      goto leave;
    }
  err = create_tmp (file, name);
  if (err)
    goto leave;
  *r_file = file;
  return 0;

 leave:
  outfile_release (file);
  return err;
}

gpg_error_t
outfile_write (outfile_t file, const void *buf, size_t len)
{
  const char *p = buf;
  ssize_t n;

  while (len)
    {
      n = write (file->fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return gpg_error_from_syserror ();
      p += n;
      len -= n;
    }
  return 0;
}

/* Make the directory entry of FILE durable.  */
static void
sync_dir (outfile_t file)
{
  int fd = open (file->dir, O_RDONLY | O_DIRECTORY);

  if (fd != -1)
    {
      fsync (fd);
      close (fd);
    }
}

gpg_error_t
outfile_commit (outfile_t file)
{
  gpg_error_t err = 0;

  if (fsync (file->fd) || close (file->fd))
    err = gpg_error_from_syserror ();
  file->fd = -1;
  if (err)
    return err;
  if (file->force)
    {
      if (rename (file->tmpname, file->name))
        return gpg_error_from_syserror ();
      file->tmp_exists = 0;
    }
  else
    {
      if (link (file->tmpname, file->name))
        return gpg_error_from_syserror ();
      unlink (file->tmpname);
      file->tmp_exists = 0;
    }
  tmpjournal_remove (file->entry);
  file->entry = NULL;
  file->committed = 1;
  sync_dir (file);
  return 0;
}

gpg_error_t
outfile_commit_all (outfile_t *files, unsigned int n)
{
  gpg_error_t err = 0;
  unsigned int i, done;

  for (done = 0; done < n && !err; done++)
    err = files[done] ? outfile_commit (files[done]) : 0;
  for (i = 0; err && i < done; i++)
    outfile_remove (files[i]);
  return err;
}

void
outfile_remove (outfile_t file)
{
  if (file && file->committed)
    {
      unlink (file->name);
      file->committed = 0;
    }
}

void
outfile_release (outfile_t file)
{
  if (!file)
    return;
  if (file->fd != -1)
    close (file->fd);
  if (file->tmp_exists)
    unlink (file->tmpname);
  tmpjournal_remove (file->entry);
  free (file->dir);
  gpgrt_free (file->name);
  gpgrt_free (file->arg);
  gpgrt_free (file->tmpname);
  free (file);
}

int
outfile_reopen (outfile_t file)
{
  return open (file->tmpname, O_RDONLY);
}

const char *
outfile_name (outfile_t file)
{
  return file->name;
}

const char *
outfile_arg (outfile_t file)
{
  return file->arg;
}
