/* bench-run.c - run a command, report its wall time, CPU time and peak RSS
 *
 * Usage: bench-run [-p PID]... [-d PID] FILE COMMAND [ARGS...]
 *        bench-run --reaper COMMAND [ARGS...]
 *
 * The first form runs COMMAND, then writes "SECONDS MAXRSS_KIB
 * CPU_SECONDS" to FILE: the wall-clock time until COMMAND exits, the
 * peak resident set of COMMAND and of the processes it waited for
 * (wait4), and the CPU time (user + system) of the whole operation.
 * That is the CPU of COMMAND and of every process it started: bench-run
 * is their child subreaper, so the gpg that GPGME double-forks is
 * reaped here, after COMMAND, and counted (RUSAGE_CHILDREN); plus the
 * growth during the run of the CPU of each running PID given with -p
 * (gpg-agent: its own and its waited-for children's, from
 * /proc/PID/stat), and with -d of gpgpackd's and of the processes it
 * started, which its parent, a "bench-run --reaper", reaps (that
 * parent's children's CPU, once it has reaped all but the daemon).
 * Exits with COMMAND's status (128 + signal number if it was killed).
 *
 * The second form starts a daemon (COMMAND forks and exits when the
 * daemon is ready) under a child subreaper that stays in the
 * background, reaping what the daemon leaves until the daemon is gone;
 * it exits with COMMAND's status.
 *
 * For tests/bench-keys.sh, which wants these figures without GNU time.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <fcntl.h>
#include <signal.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "benchutil.h"

/* How long to wait for what a command left running to end.  */
#define REAP_BOUND_SECONDS 120
#define MAX_PIDS 8


/* Print a message and exit with status 2, bench-run's own failure.  */
static void
die (const char *what, const char *why)
{
  fprintf (stderr, "bench-run: %s: %s\n", what, why);
  exit (2);
}


/* Parse /proc/PID/stat: the parent into *R_PPID, the CPU seconds into
 * *R_OWN (utime + stime) and *R_CHILDREN (cutime + cstime).  Returns
 * -1 if there is no such process.  */
static int
proc_stat (pid_t pid, pid_t *r_ppid, double *r_own, double *r_children)
{
  char path[64], buf[1024], *p;
  unsigned long long f[15];
  FILE *fp;
  size_t n;
  int i;

  snprintf (path, sizeof path, "/proc/%ld/stat", (long)pid);
  fp = fopen (path, "r");
  if (!fp)
    return -1;
  n = fread (buf, 1, sizeof buf - 1, fp);
  fclose (fp);
  buf[n] = 0;
  p = strrchr (buf, ')');   /* The command name may hold anything.  */
  if (!p || p[1] != ' ')
    return -1;
  p += 3;   /* Past ") " and the state letter.  */
  for (i = 0; i < 15; i++)
    f[i] = strtoull (p, &p, 10);
  *r_ppid = (pid_t)f[0];
  *r_own = (double)(f[10] + f[11]) / sysconf (_SC_CLK_TCK);
  *r_children = (double)(f[12] + f[13]) / sysconf (_SC_CLK_TCK);
  return 0;
}


/* The CPU seconds of PID with the children it waited for; exits if it
 * is gone.  */
static double
proc_cpu (pid_t pid)
{
  double own, children;
  pid_t ppid;

  if (proc_stat (pid, &ppid, &own, &children))
    die ("no such process", "a -p or -d PID is not running");
  return own + children;
}


/* The number of processes whose parent is PARENT, not counting KEEP.  */
static int
count_children (pid_t parent, pid_t keep)
{
  struct dirent *d;
  double own, children;
  pid_t pid, ppid;
  DIR *dir;
  int n = 0;

  dir = opendir ("/proc");
  if (!dir)
    die ("/proc", strerror (errno));
  while ((d = readdir (dir)))
    {
      pid = (pid_t)atol (d->d_name);
      if (pid > 0 && pid != keep
          && !proc_stat (pid, &ppid, &own, &children) && ppid == parent)
        n++;
    }
  closedir (dir);
  return n;
}


/* Whether PID is a "bench-run --reaper" (a bench-run, not us).  */
static int
is_reaper (pid_t pid)
{
  char path[64], comm[32] = "";
  FILE *fp;

  snprintf (path, sizeof path, "/proc/%ld/comm", (long)pid);
  fp = fopen (path, "r");
  if (!fp)
    return 0;
  if (!fgets (comm, sizeof comm, fp))
    *comm = 0;
  fclose (fp);
  return pid != getpid () && !strcmp (comm, "bench-run\n");
}


/* The CPU seconds of the processes DAEMON's parent, a bench-run
 * --reaper, has reaped so far, once it has reaped all of them but
 * DAEMON (polled, at most REAP_BOUND_SECONDS).  */
static double
reaped_cpu (pid_t daemon)
{
  struct timespec tick = { 0, 1000000 };
  double own, children, t0 = bench_now ();
  pid_t reaper;

  if (proc_stat (daemon, &reaper, &own, &children))
    die ("no such process", "the -d PID (gpgpackd) is not running");
  if (!is_reaper (reaper))
    die ("-d", "start gpgpackd under \"bench-run --reaper\"");
  while (count_children (reaper, daemon))
    {
      if (bench_now () - t0 > REAP_BOUND_SECONDS)
        die ("-d", "gpgpackd's children outlived the bound");
      nanosleep (&tick, NULL);
    }
  if (proc_stat (reaper, &reaper, &own, &children))
    die ("-d", "gpgpackd's reaper is gone");
  return children;
}


/* SIGALRM: only interrupt the wait in reap_all.  */
static void
on_alarm (int sig)
{
  (void)sig;
}


/* Reap every process left to us, at most REAP_BOUND_SECONDS.  */
static void
reap_all (void)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;   /* No SA_RESTART: wait returns EINTR.  */
  sigaction (SIGALRM, &sa, NULL);
  alarm (REAP_BOUND_SECONDS);
  while (wait (NULL) > 0)
    ;
  if (errno != ECHILD)
    die ("a process the command started is still running",
         errno == EINTR ? "start long-lived ones (gpg-agent) before" :
         strerror (errno));
  alarm (0);
}


/* Fork and run ARGV; returns the child's pid.  */
static pid_t
spawn (char **argv)
{
  pid_t pid = fork ();

  if (pid < 0)
    die ("fork", strerror (errno));
  if (!pid)
    {
      execvp (argv[0], argv);
      fprintf (stderr, "bench-run: %s: %s\n", argv[0], strerror (errno));
      _exit (127);
    }
  return pid;
}


/* Wait for PID; returns its exit status as a shell would.  */
static int
wait_status (pid_t pid, struct rusage *ru)
{
  int status;

  while (wait4 (pid, &status, 0, ru) < 0)
    if (errno != EINTR)
      die ("wait4", strerror (errno));
  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);
  return WEXITSTATUS (status);
}


/* --reaper: run ARGV under a background subreaper that outlives it
 * (see the top); returns ARGV's status.  */
static int
reaper_main (char **argv)
{
  int fds[2], null;
  unsigned char status = 2;
  pid_t pid;

  if (pipe2 (fds, O_CLOEXEC))
    die ("pipe", strerror (errno));
  pid = fork ();
  if (pid < 0)
    die ("fork", strerror (errno));
  if (pid)
    {
      close (fds[1]);
      if (read (fds[0], &status, 1) != 1)
        die ("--reaper", "the reaper died");
      return status;
    }
  close (fds[0]);
  if (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
    die ("prctl", strerror (errno));
  status = wait_status (spawn (argv), NULL);
  null = open ("/dev/null", O_RDWR);
  if (write (fds[1], &status, 1) != 1 || null < 0
      || dup2 (null, 0) < 0 || dup2 (null, 1) < 0 || dup2 (null, 2) < 0)
    _exit (2);
  close (fds[1]);
  while (wait (NULL) > 0 || errno == EINTR)
    ;
  _exit (0);
}


/* The CPU seconds so far of the NPIDS processes PIDS (-p) and of
 * DAEMON (-d, if not 0) with what its reaper reaped.  */
static double
others_cpu (const pid_t *pids, int npids, pid_t daemon)
{
  double cpu = 0;
  int i;

  for (i = 0; i < npids; i++)
    cpu += proc_cpu (pids[i]);
  if (daemon)
    cpu += proc_cpu (daemon) + reaped_cpu (daemon);
  return cpu;
}


/* The CPU seconds of every process reaped here.  */
static double
children_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
         + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}


int
main (int argc, char **argv)
{
  pid_t pids[MAX_PIDS], daemon = 0;
  double t0, t1, cpu;
  struct rusage ru;
  int npids = 0, status;
  FILE *fp;

  if (argc > 2 && !strcmp (argv[1], "--reaper"))
    return reaper_main (argv + 2);
  for (argv++, argc--; argc > 2 && (!strcmp (*argv, "-p")
                                   || !strcmp (*argv, "-d"));
       argv += 2, argc -= 2)
    if (argv[0][1] == 'd')
      daemon = (pid_t)atol (argv[1]);
    else if (npids < MAX_PIDS)
      pids[npids++] = (pid_t)atol (argv[1]);
    else
      die ("-p", "too many PIDs");
  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-run [-p PID]... [-d PID] FILE COMMAND"
               " [ARGS...]\n       bench-run --reaper COMMAND [ARGS...]\n");
      return 2;
    }
  if (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
    die ("prctl", strerror (errno));
  cpu = -others_cpu (pids, npids, daemon);
  t0 = bench_now ();
  status = wait_status (spawn (argv + 1), &ru);
  t1 = bench_now ();
  reap_all ();
  cpu += children_cpu () + others_cpu (pids, npids, daemon);
  fp = fopen (argv[0], "w");
  if (!fp || fprintf (fp, "%.3f %ld %.3f\n", t1 - t0, ru.ru_maxrss, cpu) < 0
      || fclose (fp))
    die (argv[0], strerror (errno));
  return status;
}
