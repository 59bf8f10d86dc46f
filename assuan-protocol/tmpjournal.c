/* tmpjournal.c - the home's journal of output temp files in flight
 *
 * A kill -9 of gpgpackd during an export leaves its temp files in the
 * output directory, which the next daemon can't know.  So before a
 * temp file is created, a symlink HOMEDIR/gpgpackd-tmp.d/PID-SEQ points
 * to it; it goes when the file is committed or removed.  At start the
 * daemon removes the targets of the entries of dead PIDs, but only
 * names carrying that entry's mark (".gpgpackd-PID-SEQ"), then the
 * entries.  A live process with a reused PID keeps its entries.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "tmpjournal.h"

#define JOURNAL_NAME "gpgpackd-tmp.d"

static char *journal_dir;       /* NULL: no journal (unit tests).  */
static unsigned int next_seq;

char *
tmpjournal_mark (void)
{
  unsigned int seq = __atomic_fetch_add (&next_seq, 1, __ATOMIC_RELAXED);

  return gpgrt_bsprintf (".gpgpackd-%lu-%u", (unsigned long)getpid (), seq);
}

/* Remove the temp file of journal entry NAME if its process is dead.  */
static void
clean_entry (const char *name)
{
  char *entry, *mark, target[4096];
  unsigned long pid;
  size_t tlen, mlen;
  ssize_t n;

  if (sscanf (name, "%lu-", &pid) != 1 || !pid
      || !kill ((pid_t)pid, 0) || errno != ESRCH)
    return;
  entry = gpgrt_bsprintf ("%s/%s", journal_dir, name);
  mark = gpgrt_bsprintf (".gpgpackd-%s", name);
  if (entry && mark)
    {
      n = readlink (entry, target, sizeof target - 1);
      tlen = n > 0 ? (size_t)n : 0;
      mlen = strlen (mark);
      target[tlen] = 0;
      if (tlen > mlen && !strcmp (target + tlen - mlen, mark))
        unlink (target);   /* Gone already if the kill came before.  */
      unlink (entry);
    }
  gpgrt_free (entry);
  gpgrt_free (mark);
}

gpg_error_t
tmpjournal_init (const char *homedir)
{
  struct dirent *de;
  DIR *dir;

  journal_dir = gpgrt_bsprintf ("%s/" JOURNAL_NAME, homedir);
  if (!journal_dir)
    return gpg_error_from_syserror ();
  if (mkdir (journal_dir, S_IRWXU) && errno != EEXIST)
    return gpg_error_from_syserror ();
  dir = opendir (journal_dir);
  if (!dir)
    return gpg_error_from_syserror ();
  while ((de = readdir (dir)))
    if (*de->d_name != '.')
      clean_entry (de->d_name);
  closedir (dir);
  return 0;
}

gpg_error_t
tmpjournal_add (const char *path, char **r_entry)
{
  const char *mark = strrchr (path, '.');   /* ".gpgpackd-PID-SEQ" */

  *r_entry = NULL;
  if (!journal_dir)
    return 0;
  *r_entry = gpgrt_bsprintf ("%s/%s", journal_dir,
                             mark + sizeof ".gpgpackd-" - 1);
  if (!*r_entry)
    return gpg_error_from_syserror ();
  if (symlink (path, *r_entry))
    {
      gpg_error_t err = gpg_error_from_syserror ();

      gpgrt_free (*r_entry);
      *r_entry = NULL;
      return err;
    }
  return 0;
}

void
tmpjournal_remove (char *entry)
{
  if (entry)
    unlink (entry);
  gpgrt_free (entry);
}
