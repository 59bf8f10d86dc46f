/* clirun.c - run the gpgpack CLI in the harness's test homes */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clirun.h"

const char *clirun_gpgpack;

int
clirun_main (const char *name, void (*setup) (void), Suite *(*suite) (void))
{
  clirun_gpgpack = getenv ("GPGPACK");
  if (!clirun_gpgpack || access (clirun_gpgpack, X_OK))
    {
      fprintf (stderr, "%s: $GPGPACK not executable: skipped\n", name);
      return TH_EXIT_SKIP;
    }
  return th_main (setup, suite);
}

int
clirun_argv (const char *argv[], const char *stdin_text, char **r_out,
             char **r_err)
{
  char *err = NULL;
  int status;

  status = th_run (argv, stdin_text, r_out, &err);
  if (r_err)
    *r_err = err;
  else
    {
      if (status && err)
        fprintf (stderr, "%s %s: %s", argv[3], argv[4], err);
      free (err);
    }
  return status;
}

int
clirun_va (th_home_t *home, const char *stdin_text, char **r_out,
           char **r_err, va_list ap)
{
  const char *argv[32], *arg;
  int argc = 0;

  argv[argc++] = clirun_gpgpack;
  argv[argc++] = "--homedir";
  argv[argc++] = home->dir;
  argv[argc++] = "--batch";
  while ((arg = va_arg (ap, const char *)))
    {
      if (argc == 31)
        return -1;  /* As th_run for "could not run"; also in a setup. */
      argv[argc++] = arg;
    }
  argv[argc] = NULL;
  return clirun_argv (argv, stdin_text, r_out, r_err);
}

int
clirun (th_home_t *home, const char *stdin_text, char **r_out, char **r_err,
        ...)
{
  va_list ap;
  int status;

  va_start (ap, r_err);
  status = clirun_va (home, stdin_text, r_out, r_err, ap);
  va_end (ap);
  return status;
}

const char *
clirun_path (const char *dir, const char *name)
{
  static char paths[4][160];
  static int next;
  char *path = paths[next++ % 4];

  snprintf (path, sizeof paths[0], "%s/%s", dir, name);
  return path;
}

void
clirun_assert_keyring_empty (th_home_t *home)
{
  char *fprs = th_list_fprs (home, 0);

  ck_assert_ptr_nonnull (fprs);
  ck_assert_str_eq (fprs, "");
  free (fprs);
}
