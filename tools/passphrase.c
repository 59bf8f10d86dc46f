/* passphrase.c - passphrases from the terminal (no echo), a file or an fd */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <sys/mman.h>

#include "gpgpack.h"

/* The daemon accepts passphrases up to this length (INQUIRE_MAXLEN).  */
#define MAX_PASSPHRASE 1024

/* How often a mistyped confirmation may be retried.  */
#define CONFIRM_TRIES 3

/* One locked page holding the passphrase and its confirmation; not
   written to swap nor to core dumps.  */
static char *secure_page;
static size_t secure_page_size;

/* Set once the passphrase of --passphrase-file/-fd has been read: it
   answers every passphrase question of this run.  */
static int have_batch_passphrase;

/* True if a passphrase can be had without a terminal.  */
int
passphrase_have_source (void)
{
  return opt.passphrase_file || opt.passphrase_fd != -1;
}

/* Map and lock the secure page if not done yet.  */
static gpg_error_t
secure_page_init (void)
{
  long pagesize = sysconf (_SC_PAGESIZE);

  if (secure_page)
    return 0;
  secure_page_size = ((2 * (MAX_PASSPHRASE + 2) + pagesize - 1)
                      / pagesize * pagesize);
  secure_page = mmap (NULL, secure_page_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (secure_page == MAP_FAILED)
    {
      secure_page = NULL;
      return gpg_error_from_syserror ();
    }
  if (mlock (secure_page, secure_page_size))
    log_info ("WARNING: passphrase memory could not be locked: %s\n",
              strerror (errno));
  madvise (secure_page, secure_page_size, MADV_DONTDUMP);
  return 0;
}

/* Wipe and unmap the secure page.  */
void
passphrase_clear (void)
{
  if (!secure_page)
    return;
  explicit_bzero (secure_page, secure_page_size);
  munlock (secure_page, secure_page_size);
  munmap (secure_page, secure_page_size);
  secure_page = NULL;
  have_batch_passphrase = 0;
}

/* Read one line from FD into BUF of SIZE bytes, without the line end.
   Reads byte by byte so nothing after the line is consumed.  */
static gpg_error_t
read_line (int fd, char *buf, size_t size)
{
  size_t len = 0;
  ssize_t n;
  char c;

  for (;;)
    {
      n = read (fd, &c, 1);
      if (n == -1 && errno == EINTR)
        continue;
      if (n == -1)
        return gpg_error_from_syserror ();
      if (!n || c == '\n')
        break;
      if (len + 1 >= size)
        return gpg_error (GPG_ERR_TOO_LARGE);
      buf[len++] = c;
    }
  if (len && buf[len - 1] == '\r')
    len--;
  buf[len] = 0;
  return 0;
}

/* Show PROMPT on the terminal and read a line into BUF; with NOECHO
   the typed characters are not shown.  */
static gpg_error_t
read_tty (const char *prompt, int noecho, char *buf, size_t size)
{
  struct termios saved, term;
  gpg_error_t err;
  int fd;

  fd = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd == -1)
    return gpg_error (GPG_ERR_NOT_SUPPORTED);  /* No terminal.  */
  if (write (fd, prompt, strlen (prompt)) < 0)
    {
      err = gpg_error_from_syserror ();
      close (fd);
      return err;
    }
  if (noecho && !tcgetattr (fd, &saved))
    {
      term = saved;
      term.c_lflag &= ~ECHO;
      tcsetattr (fd, TCSAFLUSH, &term);
    }
  else
    noecho = 0;
  err = read_line (fd, buf, size);
  if (noecho)
    {
      tcsetattr (fd, TCSAFLUSH, &saved);
      if (write (fd, "\n", 1) < 0 && !err)
        err = gpg_error_from_syserror ();
    }
  close (fd);
  return err;
}

/* Read the passphrase of --passphrase-file or --passphrase-fd.  */
static gpg_error_t
read_batch_passphrase (char *buf, size_t size)
{
  gpg_error_t err;
  int fd = opt.passphrase_fd;

  if (opt.passphrase_file)
    {
      fd = open (opt.passphrase_file, O_RDONLY | O_CLOEXEC);
      if (fd == -1)
        return gpg_error_from_syserror ();
    }
  err = read_line (fd, buf, size);
  if (opt.passphrase_file)
    close (fd);
  return err;
}

/* Get a passphrase: from --passphrase-file/-fd if given (read once),
   else from the terminal with PROMPT, asked twice if CONFIRM.  The
   value stays valid until the next call or passphrase_clear.  */
gpg_error_t
passphrase_get (const char *prompt, int confirm, const char **r_value)
{
  gpg_error_t err;
  char *value, *repeat;
  int tries;

  err = secure_page_init ();
  if (err)
    return err;
  value = secure_page;
  repeat = secure_page + MAX_PASSPHRASE + 2;
  *r_value = value;

  if (passphrase_have_source ())
    {
      if (!have_batch_passphrase)
        err = read_batch_passphrase (value, MAX_PASSPHRASE + 1);
      have_batch_passphrase = !err;
      return err;
    }
  if (opt.batch)
    return gpg_error (GPG_ERR_NO_PASSPHRASE);

  for (tries = 0; tries < CONFIRM_TRIES; tries++)
    {
      err = read_tty (prompt, 1, value, MAX_PASSPHRASE + 1);
      if (!err && !*value)
        err = gpg_error (GPG_ERR_NO_PASSPHRASE);
      if (!err && confirm)
        err = read_tty ("Repeat the passphrase: ", 1,
                        repeat, MAX_PASSPHRASE + 1);
      if (err || !confirm || !strcmp (value, repeat))
        return err;
      log_info ("the passphrases do not match; try again\n");
    }
  return gpg_error (GPG_ERR_BAD_PASSPHRASE);
}

/* Ask QUESTION on the terminal; R_YES is set for an answer starting
   with 'y'.  GPG_ERR_NOT_SUPPORTED if there is no terminal.  */
gpg_error_t
ask_yes_no (const char *question, int *r_yes)
{
  gpg_error_t err;
  char answer[16];

  *r_yes = 0;
  err = read_tty (question, 0, answer, sizeof answer);
  if (gpg_err_code (err) == GPG_ERR_TOO_LARGE)
    err = 0;  /* A long answer is no "yes".  */
  else if (!err)
    *r_yes = (*answer == 'y' || *answer == 'Y');
  return err;
}
