/* connect.c - connect to gpgpackd, starting it when nothing listens */
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

#include "gpgpack.h"
#include "socketdir.h"

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

/* The daemon to start: $GPGPACKD (tests) or the installed one.  */
static const char *
daemon_program (void)
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
   on /dev/null and stderr on ERRFD; return its pid or -1.  */
static pid_t
exec_daemon (const char *pgm, const char *homedir, int errfd)
{
  const char *argv[] = { pgm, "--daemon", "--homedir", homedir, NULL };
  pid_t pid;
  int fd;

  if (!opt.homedir)
    argv[2] = NULL;  /* Pass on only what the user gave.  */
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
   fails, its error line goes to *R_DETAIL.  HOMEDIR (absolute) is
   passed only if the user gave --homedir.  */
static gpg_error_t
spawn_daemon (const char *homedir, char **r_detail)
{
  const char *pgm = daemon_program ();
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

/* Start the daemon unless a concurrent client did, then connect CTX to
   SOCKNAME.  On error *R_DETAIL may say what went wrong.  */
static gpg_error_t
start_daemon (assuan_context_t ctx, const char *homedir, const char *sockname,
              char **r_detail)
{
  gpg_error_t err;
  int lockfd = -1;

  err = lock_spawning (homedir, &lockfd);
  if (err)
    return err;
  /* Another client may have started it while we waited for the lock.  */
  err = assuan_socket_connect (ctx, sockname, ASSUAN_INVALID_PID, 0);
  if (err)
    {
      if (opt.verbose)
        log_info ("no gpgpackd running - starting '%s'\n", daemon_program ());
      err = spawn_daemon (homedir, r_detail);
      /* Also after a failure: it may be "already running" for a daemon
         started by other means meanwhile.  */
      if (!assuan_socket_connect (ctx, sockname, ASSUAN_INVALID_PID, 0))
        err = 0;
      else if (!err)
        err = gpg_error (GPG_ERR_NO_AGENT);
    }
  close (lockfd);  /* Releases the lock.  */
  return err;
}

/* Send "OPTION NAME=VALUE" if VALUE is set.  If OPTIONAL, a daemon
   that does not know the option is fine.  */
static gpg_error_t
send_option (assuan_context_t ctx, const char *name, const char *value,
             int optional)
{
  transact_parm_t parm = { ctx };
  gpg_error_t err;
  char *line;

  if (!value || !*value)
    return 0;
  line = gpgrt_bsprintf ("OPTION %s=%s", name, value);
  if (!line)
    return gpg_error_from_syserror ();
  err = transact (&parm, line);
  gpgrt_free (line);
  transact_release (&parm);
  if (optional && gpg_err_code (err) == GPG_ERR_UNKNOWN_OPTION)
    err = 0;
  return err;
}

/* The locale of CATEGORY ("LC_CTYPE"...) as setlocale would take it
   from the environment, or NULL.  */
static const char *
env_locale (const char *category)
{
  const char *names[] = { "LC_ALL", category, "LANG" };
  const char *value;
  int i;

  for (i = 0; i < DIM (names); i++)
    if ((value = getenv (names[i])) && *value)
      return value;
  return NULL;
}

/* Send "OPTION putenv=NAME=VALUE" with NAME's value in our environment,
   empty if it is not set (so gpg-agent's own does not count).  */
static gpg_error_t
send_putenv (assuan_context_t ctx, const char *name)
{
  const char *value = getenv (name);
  gpg_error_t err;
  char *assignment;

  assignment = gpgrt_strconcat (name, "=", value ? value : "", NULL);
  if (!assignment)
    return gpg_error_from_syserror ();
  err = send_option (ctx, "putenv", assignment, 1);
  gpgrt_free (assignment);
  return err;
}

/* Tell the daemon about our terminal and display, as gpg tells
   gpg-agent, so gpg-agent's pinentry shows up here; ask for loopback
   pinentry when the OpenPGP keys' passphrase is given in a file or
   fd.  */
static gpg_error_t
send_session_options (assuan_context_t ctx)
{
  const char *tty = getenv ("GPG_TTY");
  const char *display = getenv ("DISPLAY");
  gpg_error_t err = 0;

  if (!tty || !*tty)
    tty = ttyname (0);
  if (passphrase_have_openpgp_source ())
    err = send_option (ctx, "pinentry-mode", "loopback", 0);
  if (!err)
    err = send_option (ctx, "ttyname", tty, 1);
  if (!err)
    err = send_option (ctx, "ttytype", getenv ("TERM"), 1);
  if (!err && display && *display)
    err = send_option (ctx, "display", display, 1);
  else if (!err)  /* None here: or gpg-agent would use its own.  */
    err = send_putenv (ctx, "DISPLAY");
  if (!err)
    err = send_option (ctx, "xauthority", getenv ("XAUTHORITY"), 1);
  if (!err)
    err = send_putenv (ctx, "WAYLAND_DISPLAY");
  if (!err)
    err = send_option (ctx, "lc-ctype", env_locale ("LC_CTYPE"), 1);
  if (!err)
    err = send_option (ctx, "lc-messages", env_locale ("LC_MESSAGES"), 1);
  return err;
}

/* Connect PARM->ctx to the daemon of the active homedir, starting it
   if needed, and send our session options.  On error PARM->detail
   says what went wrong.  */
gpg_error_t
connect_daemon (transact_parm_t *parm)
{
  gpg_error_t err;
  char *homedir = NULL;
  char *sockname = NULL;

  homedir = gpgpack_homedir (opt.homedir);
  if (!homedir)
    return gpg_error_from_syserror ();
  err = gpgpack_check_homedir (homedir);
  if (err)
    {
      parm->detail = gpgrt_bsprintf ("no such GnuPG home: %s", homedir);
      goto leave;
    }
  err = gpgpack_socket_name (opt.homedir, &sockname);
  if (!err)
    err = assuan_new (&parm->ctx);
  if (err)
    goto leave;
  if (opt.verbose > 1)
    log_info ("connecting to '%s'\n", sockname);

  err = assuan_socket_connect (parm->ctx, sockname, ASSUAN_INVALID_PID, 0);
  if (err && opt.no_autostart)
    {
      err = gpg_error (GPG_ERR_NO_AGENT);
      parm->detail = gpgrt_bsprintf ("nothing listens on %s"
                                     " and --no-autostart is given",
                                     sockname);
    }
  else if (err)
    {
      err = start_daemon (parm->ctx, homedir, sockname, &parm->detail);
      if (err && !parm->detail)
        parm->detail = gpgrt_bsprintf ("starting %s (socket %s)",
                                       daemon_program (), sockname);
    }
  if (!err)
    err = send_session_options (parm->ctx);

 leave:
  gpgrt_free (sockname);
  gpgrt_free (homedir);
  return err;
}
