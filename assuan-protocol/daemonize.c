/* daemonize.c - --daemon: fork into the background and report readiness
 *
 * The parent stays until the child says it is ready over a pipe, so
 * that "gpgpackd --daemon" exits 0 only once the socket listens, and
 * with the child's exit status (its error already on our common
 * stderr) if the child fails before that.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "gpgpackd.h"

/* What the child writes when it is ready.  */
#define READY_BYTE 'R'

/* In the parent: wait for the child PID's ready byte on FD; return the
 * exit status for the parent.  */
static int
wait_ready (int fd, pid_t pid)
{
  ssize_t n;
  char c;
  int status;

  do
    n = read (fd, &c, 1);
  while (n < 0 && errno == EINTR);
  if (n == 1 && c == READY_BYTE)
    return 0;
  /* No ready byte: the child died and has said why on stderr.  */
  if (waitpid (pid, &status, 0) == pid && WIFEXITED (status)
      && WEXITSTATUS (status))
    return WEXITSTATUS (status);
  return 2;
}


int
daemonize (void)
{
  int fds[2];
  pid_t pid;

  if (pipe (fds))
    log_fatal ("can't create a pipe: %s\n", strerror (errno));
  pid = fork ();
  if (pid == (pid_t)-1)
    log_fatal ("fork failed: %s\n", strerror (errno));
  if (pid)
    {
      close (fds[1]);
      exit (wait_ready (fds[0], pid));
    }
  close (fds[0]);
  if (fcntl (fds[1], F_SETFD, FD_CLOEXEC) == -1 || setsid () == -1)
    log_fatal ("can't detach from the terminal: %s\n", strerror (errno));
  return fds[1];
}


void
daemonize_ready (int ready_fd)
{
  const char ready = READY_BYTE;
  int fd;

  fd = open ("/dev/null", O_RDWR);
  if (fd == -1)
    log_fatal ("can't open /dev/null: %s\n", strerror (errno));
  if (chdir ("/"))
    log_fatal ("chdir to / failed: %s\n", strerror (errno));
  /* From here on errors go to the log file only (--log-file).  */
  dup2 (fd, 0);
  dup2 (fd, 1);
  dup2 (fd, 2);
  if (fd > 2)
    close (fd);
  if (write (ready_fd, &ready, 1) != 1)
    log_error ("can't tell the parent we are ready: %s\n", strerror (errno));
  close (ready_fd);
}
