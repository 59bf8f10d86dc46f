/* benchutil.c - what the benchmark programs share: a clock, JSON parts */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdlib.h>
#include <time.h>

#include "benchutil.h"


double
bench_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}


FILE *
bench_part_open (const char *name, int *r_unset)
{
  const char *dir = getenv ("BENCH_PARTS");
  char path[4096];

  *r_unset = !dir;
  if (!dir)
    return NULL;
  snprintf (path, sizeof path, "%s/%s.json", dir, name);
  return fopen (path, "w");
}
