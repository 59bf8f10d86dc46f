/* daemonspawn.c - start gpgpackd for a client that found no daemon listening */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#define GPGRT_ENABLE_LOG_MACROS 1
#include <gpg-error.h>

#include "daemonspawn.h"

#ifndef GPGPACKD_PATH
# error GPGPACKD_PATH must be defined by the Makefile
#endif

/* Name of the lock file in the homedir taken while starting the daemon,
   like gnupg's gnupg_spawn_agent_sentinel.  */
#define SPAWN_LOCK_NAME "gpgpackd.spawn-lock"

/* How long autostart waits for the daemon and after how long it says so
   on a terminal, in milliseconds (gpg: "waiting for the agent to come up
   ... (5s)").  */
#define WAIT_MS       5000
#define WAIT_NOTE_MS  1000
/* How much of the daemon's stderr we keep for the error line.  */
#define MAX_DAEMON_MSG 1024

const char *
gpgpack_daemon_program (void)
{
  const char *s = getenv ("GPGPACKD");

  return s && *s ? s : GPGPACKD_PATH;
}

/* Milliseconds on the monotonic clock.  */
static long long
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Append what FD has to MSG (SIZE bytes, kept NUL-terminated); return
   false once FD is closed.  */
static int
read_some (int fd, char *msg, size_t size)
{
  size_t len = strlen (msg);
  char buf[256];
  ssize_t n;

  do
    n = read (fd, buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return 0;
  if ((size_t)n > size - 1 - len)
    n = size - 1 - len;
  memcpy (msg + len, buf, n);
  msg[len + n] = 0;
  return 1;
}

/* Collect the starting daemon's stderr from FD into MSG until the
   daemon closes it (it is ready, or it died) or WAIT_MS are over.  */
static gpg_error_t
wait_daemon_stderr (int fd, char *msg, size_t size)
{
  long long deadline = now_ms () + WAIT_MS;
  long long note_at = isatty (2) ? deadline - WAIT_MS + WAIT_NOTE_MS
                                 : deadline;
  struct pollfd pfd = { fd, POLLIN, 0 };
  long long t;
  int n;

  for (;;)
    {
      t = now_ms ();
      if (t >= deadline)
        return gpg_error (GPG_ERR_TIMEOUT);
      if (t >= note_at)
        {
          log_info ("waiting for gpgpackd to come up ... (%ds)\n",
                    WAIT_MS / 1000);
          note_at = deadline;
        }
      n = poll (&pfd, 1, (note_at < deadline ? note_at : deadline) - t);
      if (n < 0 && errno != EINTR)
        return gpg_error_from_syserror ();
      if (n > 0 && !read_some (fd, msg, size))
        return 0;
    }
}

/* Fork and exec "PGM --daemon [--homedir HOMEDIR]" with stdin/stdout
   on /dev/null and stderr on ERRFD; return its pid or -1.  HOMEDIR
   NULL: the daemon finds the home as we did.  */
static pid_t
exec_daemon (const char *pgm, const char *homedir, int errfd)
{
  const char *argv[] = { pgm, "--daemon", "--homedir", homedir, NULL };
  pid_t pid;
  int fd;

  if (!homedir)
    argv[2] = NULL;
  pid = fork ();
  if (pid)
    return pid;
  fd = open ("/dev/null", O_RDWR);
  if (fd == -1 || dup2 (fd, 0) == -1 || dup2 (fd, 1) == -1
      || dup2 (errfd, 2) == -1)
    _exit (127);
  closefrom (3);  /* The daemon outlives us: keep none of our fds.  */
  execv (pgm, (char **)argv);
  _exit (127);
}

/* Return the error line of the daemon in its stderr MSG: the last line,
   without the "gpgpackd: " and "Fatal: " of its log prefix.  */
static const char *
daemon_message (char *msg)
{
  char *p;

  while ((p = strrchr (msg, '\n')) && !p[1])
    *p = 0;
  p = strrchr (msg, '\n');
  p = p ? p + 1 : msg;
  if (!strncmp (p, "gpgpackd: ", 10))
    p += 10;
  if (!strncmp (p, "Fatal: ", 7))
    p += 7;
  return p;
}

/* Start "gpgpackd --daemon" and wait (at most WAIT_MS) until it says it
   is ready by exiting 0 (it forked and its socket listens).  If it
   fails, its error line goes to *R_DETAIL.  HOMEDIR (absolute) or
   NULL is passed on.  */
static gpg_error_t
spawn_daemon (const char *homedir, char **r_detail)
{
  const char *pgm = gpgpack_daemon_program ();
  char msg[MAX_DAEMON_MSG] = "";
  gpg_error_t err;
  int fds[2], status;
  pid_t pid;

  if (access (pgm, X_OK))
    return gpg_error_from_syserror ();
  if (pipe2 (fds, O_CLOEXEC))
    return gpg_error_from_syserror ();
  pid = exec_daemon (pgm, homedir, fds[1]);
  close (fds[1]);
  err = pid == (pid_t)-1 ? gpg_error_from_syserror ()
                         : wait_daemon_stderr (fds[0], msg, sizeof msg);
  close (fds[0]);
  if (err)
    *r_detail = gpgrt_bsprintf ("%s did not come up within %d s",
                                pgm, WAIT_MS / 1000);
  else if (waitpid (pid, &status, 0) == -1)
    err = gpg_error_from_syserror ();
  else if (!WIFEXITED (status) || WEXITSTATUS (status))
    {
      err = gpg_error (GPG_ERR_SERVER_FAILED);
      if (*msg)
        *r_detail = gpgrt_bsprintf ("gpgpackd did not start: %s",
                                    daemon_message (msg));
      else   /* It logs to its --log-file.  */
        *r_detail = gpgrt_bsprintf ("%s exited with status %d"
                                    " (see its log file)", pgm,
                                    WIFEXITED (status)
                                    ? WEXITSTATUS (status) : -1);
    }
  return err;
}

/* Take the spawn lock of HOMEDIR; the descriptor to close is stored at
   R_FD.  Blocks while another client is starting the daemon (which
   takes at most the bounded wait below).  */
static gpg_error_t
lock_spawning (const char *homedir, int *r_fd)
{
  struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  char *fname;
  int fd;

  fname = gpgrt_strconcat (homedir, "/" SPAWN_LOCK_NAME, NULL);
  if (!fname)
    return gpg_error_from_syserror ();
  fd = open (fname, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  gpgrt_free (fname);
  if (fd == -1)
    return gpg_error_from_syserror ();
  while (fcntl (fd, F_SETLKW, &lk) == -1)
    if (errno != EINTR)
      {
        gpg_error_t err = gpg_error_from_syserror ();
        close (fd);
        return err;
      }
  *r_fd = fd;
  return 0;
}

gpg_error_t
gpgpack_start_daemon (const char *homedir, const char *homedir_opt,
                      int verbose, gpgpack_connect_fn_t try_connect,
                      void *opaque, char **r_detail)
{
  gpg_error_t err;
  int lockfd = -1;

  err = lock_spawning (homedir, &lockfd);
  if (err)
    return err;
  /* Another client may have started it while we waited for the lock.  */
  err = try_connect (opaque);
  if (err)
    {
      if (verbose)
        log_info ("no gpgpackd running - starting '%s'\n",
                  gpgpack_daemon_program ());
      err = spawn_daemon (homedir_opt, r_detail);
      /* Also after a failure: it may be "already running" for a daemon
         started by other means meanwhile.  */
      if (!try_connect (opaque))
        err = 0;
      else if (!err)
        err = gpg_error (GPG_ERR_NO_AGENT);
    }
  close (lockfd);  /* Releases the lock.  */
  return err;
}
