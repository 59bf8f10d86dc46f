/* bench-run.c - run a command, report its wall time and peak RSS
 *
 * Usage: bench-run FILE COMMAND [ARGS...]
 * Runs COMMAND, then writes "SECONDS MAXRSS_KIB" to FILE: the
 * wall-clock time and the peak resident set of COMMAND and of the
 * processes it waited for (getrusage of the child, wait4).  Exits with
 * COMMAND's status (128 + signal number if it was killed).  For
 * tests/bench-keys.sh, which wants both figures without GNU time.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "benchutil.h"


int
main (int argc, char **argv)
{
  struct rusage ru;
  double t0;
  pid_t pid;
  FILE *fp;
  int status;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-run FILE COMMAND [ARGS...]\n");
      return 2;
    }
  t0 = bench_now ();
  pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "bench-run: fork: %s\n", strerror (errno));
      return 2;
    }
  if (!pid)
    {
      execvp (argv[2], argv + 2);
      fprintf (stderr, "bench-run: %s: %s\n", argv[2], strerror (errno));
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &ru) < 0)
    if (errno != EINTR)
      {
        fprintf (stderr, "bench-run: wait4: %s\n", strerror (errno));
        return 2;
      }
  fp = fopen (argv[1], "w");
  if (!fp
      || fprintf (fp, "%.3f %ld\n", bench_now () - t0, ru.ru_maxrss) < 0
      || fclose (fp))
    {
      fprintf (stderr, "bench-run: %s: %s\n", argv[1], strerror (errno));
      return 2;
    }
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}
