/* connect.c - connect to gpgpackd, starting it when nothing listens */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
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

/* How long we wait for a freshly started daemon: the first delay, the
   largest delay and the number of tries (about 15 s in all).  */
#define WAIT_FIRST_MS   10
#define WAIT_MAX_MS    500
#define WAIT_TRIES      40

/* The daemon to start: $GPGPACKD (tests) or the installed one.  */
static const char *
daemon_program (void)
{
  const char *s = getenv ("GPGPACKD");

  return s && *s ? s : GPGPACKD_PATH;
}

/* Sleep for MS milliseconds.  */
static void
sleep_ms (unsigned int ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while (nanosleep (&ts, &ts) && errno == EINTR)
    ;
}

/* Start "gpgpackd --daemon [--homedir HOMEDIR]" detached from us: the
   child forks the daemon and exits at once, so nobody waits for it.
   HOMEDIR (absolute) is passed only if the user gave --homedir.  */
static gpg_error_t
spawn_daemon (const char *homedir)
{
  const char *pgm = daemon_program ();
  const char *argv[5];
  int argc = 0;
  pid_t pid;
  int status;

  if (access (pgm, X_OK))
    return gpg_error_from_syserror ();
  argv[argc++] = pgm;
  argv[argc++] = "--daemon";
  if (opt.homedir)
    {
      argv[argc++] = "--homedir";
      argv[argc++] = homedir;
    }
  argv[argc] = NULL;

  pid = fork ();
  if (pid == (pid_t)(-1))
    return gpg_error_from_syserror ();
  if (!pid)
    {
      int fd;

      if (setsid () == -1 || fork ())
        _exit (0);
      fd = open ("/dev/null", O_RDWR);
      if (fd == -1)
        _exit (127);
      dup2 (fd, 0);
      dup2 (fd, 1);
      dup2 (fd, 2);
      closefrom (3);  /* The daemon outlives us: keep none of our fds.  */
      execv (pgm, (char **)argv);
      _exit (127);
    }
  if (waitpid (pid, &status, 0) == -1)
    return gpg_error_from_syserror ();
  return 0;
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

/* Start the daemon unless a concurrent client did, then wait with a
   growing delay until CTX connects to SOCKNAME.  */
static gpg_error_t
start_daemon (assuan_context_t ctx, const char *homedir, const char *sockname)
{
  gpg_error_t err;
  unsigned int delay = WAIT_FIRST_MS;
  int lockfd = -1, i;

  err = lock_spawning (homedir, &lockfd);
  if (err)
    return err;
  /* Another client may have started it while we waited for the lock.  */
  err = assuan_socket_connect (ctx, sockname, ASSUAN_INVALID_PID, 0);
  if (err)
    {
      if (opt.verbose)
        log_info ("no gpgpackd running - starting '%s'\n", daemon_program ());
      err = spawn_daemon (homedir);
      for (i = 0; !err; i++)
        {
          if (i == WAIT_TRIES)
            {
              err = gpg_error (GPG_ERR_TIMEOUT);
              break;
            }
          sleep_ms (delay);
          delay = delay * 2 > WAIT_MAX_MS ? WAIT_MAX_MS : delay * 2;
          if (!assuan_socket_connect (ctx, sockname, ASSUAN_INVALID_PID, 0))
            break;
        }
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
      err = start_daemon (parm->ctx, homedir, sockname);
      if (err)
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
