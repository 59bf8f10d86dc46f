/* passphrase.c - passphrases from the terminal (no echo), a file or an fd */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>
#include <sys/mman.h>

#include "gpgpack.h"

/* The daemon accepts passphrases up to this length (INQUIRE_MAXLEN).  */
#define MAX_PASSPHRASE 1024

/* How often a mistyped confirmation may be retried.  */
#define CONFIRM_TRIES 3

/* One locked page holding the key file's passphrase, its
   confirmation, the OpenPGP keys' passphrase and the setup code the
   daemon sent; not written to swap nor to core dumps.  */
static char *secure_page;
static size_t secure_page_size;
#define SLOT_SIZE (MAX_PASSPHRASE + 2)
#define SETUP_CODE_SLOT 3

/* A passphrase for --batch use: a file or an fd, read once; it then
   answers every question of its kind in this run.  */
struct batch_source
{
  const char *const *file;      /* Points to the option's value.  */
  const int *fd;                /* Points to the option's value (-1).  */
  int slot;                     /* Where in the secure page.  */
  int have;                     /* Read already.  */
};

/* --passphrase-file/-fd: the key file's passphrase.  */
static struct batch_source keyfile_source =
  { &opt.passphrase_file, &opt.passphrase_fd, 0 };
/* --openpgp-passphrase-file/-fd: the OpenPGP keys' passphrase.  */
static struct batch_source openpgp_source =
  { &opt.openpgp_passphrase_file, &opt.openpgp_passphrase_fd, 2 };

/* The terminal a no-echo read is in, and its settings before, for the
   signal handler that puts them back.  */
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved;

/* The signals that end us during a no-echo read.  */
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* True if SOURCE has a file or an fd.  */
static int
source_given (const struct batch_source *source)
{
  return *source->file || *source->fd != -1;
}

/* True if a passphrase can be had without a terminal.  */
int
passphrase_have_source (void)
{
  return source_given (&keyfile_source);
}

/* True if --openpgp-passphrase-file/-fd is given.  */
int
passphrase_have_openpgp_source (void)
{
  return source_given (&openpgp_source);
}

/* Map and lock the secure page if not done yet.  */
static gpg_error_t
secure_page_init (void)
{
  long pagesize = sysconf (_SC_PAGESIZE);

  if (secure_page)
    return 0;
  secure_page_size = ((4 * SLOT_SIZE + pagesize - 1)
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
  keyfile_source.have = openpgp_source.have = 0;
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

/* Signal handler during a no-echo read: put the terminal back, then
   die of SIG as if we had no handler.  */
static void
restore_tty_and_die (int sig)
{
  if (tty_fd != -1)
    tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
  signal (sig, SIG_DFL);
  raise (sig);
}

/* Turn off echo on the terminal FD, remembering its settings and
   catching the fatal signals (their old actions go to OLD) so they
   are restored.  Returns false if FD's settings cannot be had.  */
static int
echo_off (int fd, struct sigaction *old)
{
  struct sigaction sa;
  struct termios term;
  int i;

  if (tcgetattr (fd, &tty_saved))
    return 0;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = restore_tty_and_die;
  sigemptyset (&sa.sa_mask);
  tty_fd = fd;
  for (i = 0; i < DIM (fatal_signals); i++)
    sigaction (fatal_signals[i], &sa, &old[i]);
  term = tty_saved;
  term.c_lflag &= ~ECHO;
  tcsetattr (fd, TCSAFLUSH, &term);
  return 1;
}

/* Undo echo_off.  */
static void
echo_on (int fd, const struct sigaction *old)
{
  int i;

  tcsetattr (fd, TCSAFLUSH, &tty_saved);
  tty_fd = -1;
  for (i = 0; i < DIM (fatal_signals); i++)
    sigaction (fatal_signals[i], &old[i], NULL);
}

/* Show PROMPT on the terminal and read a line into BUF; with NOECHO
   the typed characters are not shown (and echo comes back even if a
   signal ends us meanwhile).  */
static gpg_error_t
read_tty (const char *prompt, int noecho, char *buf, size_t size)
{
  struct sigaction old[DIM (fatal_signals)];
  gpg_error_t err;
  int fd;

  fd = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd == -1)
    return gpg_error (GPG_ERR_NOT_SUPPORTED);  /* No terminal.  */
  /* Echo goes off before the prompt shows: nothing typed after it
     is echoed.  */
  noecho = noecho && echo_off (fd, old);
  if (write (fd, prompt, strlen (prompt)) < 0)
    err = gpg_error_from_syserror ();
  else
    err = read_line (fd, buf, size);
  if (noecho)
    {
      echo_on (fd, old);
      if (write (fd, "\n", 1) < 0 && !err)
        err = gpg_error_from_syserror ();
    }
  close (fd);
  return err;
}

/* Read the passphrase of SOURCE into its slot, once; it is stored at
   R_VALUE.  */
static gpg_error_t
read_batch_passphrase (struct batch_source *source, const char **r_value)
{
  char *buf = secure_page + source->slot * SLOT_SIZE;
  gpg_error_t err = 0;
  int fd = *source->fd;

  *r_value = buf;
  if (source->have)
    return 0;
  if (*source->file)
    {
      fd = open (*source->file, O_RDONLY | O_CLOEXEC);
      if (fd == -1)
        return gpg_error_from_syserror ();
    }
  err = read_line (fd, buf, MAX_PASSPHRASE + 1);
  if (*source->file)
    close (fd);
  source->have = !err;
  return err;
}

/* Get the passphrase of the OpenPGP keys from
   --openpgp-passphrase-file/-fd (read once) at R_VALUE;
   GPG_ERR_NO_PASSPHRASE if neither is given.  */
gpg_error_t
passphrase_get_openpgp (const char **r_value)
{
  gpg_error_t err;

  if (!passphrase_have_openpgp_source ())
    return gpg_error (GPG_ERR_NO_PASSPHRASE);
  err = secure_page_init ();
  if (!err)
    err = read_batch_passphrase (&openpgp_source, r_value);
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
  repeat = secure_page + SLOT_SIZE;
  *r_value = value;

  if (passphrase_have_source ())
    return read_batch_passphrase (&keyfile_source, r_value);
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

/* Keep the setup code of the status line KEYFILE, base64 at B64
   (wiped here), in the secure page; *R_CODE points to it until
   passphrase_clear.  */
gpg_error_t
passphrase_keep_setup_code (char *b64, const char **r_code)
{
  size_t b64len = strlen (b64), len = 0;
  char *slot;
  gpg_error_t err;

  err = secure_page_init ();
  if (!err && b64len / 4 * 3 > MAX_PASSPHRASE)
    err = gpg_error (GPG_ERR_TOO_LARGE);
  if (!err)
    err = base64_unescape (b64, &len);
  if (!err)
    {
      slot = secure_page + SETUP_CODE_SLOT * SLOT_SIZE;
      memcpy (slot, b64, len);
      slot[len] = 0;
      *r_code = slot;
    }
  explicit_bzero (b64, b64len);
  return err;
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
