/* benchutil.h - what the benchmark programs share: a clock, JSON parts */
#ifndef GPGPACK_BENCHUTIL_H
#define GPGPACK_BENCHUTIL_H

#include <stdio.h>

/* Seconds since an arbitrary point, monotonic.  */
double bench_now (void);

/* Open $BENCH_PARTS/NAME.json for writing the benchmark's figures
 * (make bench collects these files).  Returns NULL with *R_UNSET true
 * when BENCH_PARTS is not set, NULL with errno set on error.  */
FILE *bench_part_open (const char *name, int *r_unset);

#endif /*GPGPACK_BENCHUTIL_H*/
