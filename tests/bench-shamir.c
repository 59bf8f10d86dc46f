/* bench-shamir.c - Shamir split and combine at n = 255
 *
 * Usage: bench-shamir [REPEATS [N [T]]]   (default 20, 255, N/2+1)
 * Splits a 32-byte secret (the size of a pack key) into N shares any T
 * of which recover it, and combines T of them, REPEATS times; checks
 * every combine and prints the mean milliseconds of one split (with
 * libgcrypt's strong random for its coefficients, as gpgpack draws it)
 * and of one combine; with $BENCH_PARTS set also as JSON to
 * $BENCH_PARTS/shamir.json (make bench).
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "shamir.h"
#include "benchutil.h"

#define SECRET_LEN 32

/* Write the figures to $BENCH_PARTS/shamir.json if that is set.  */
static int
write_part (unsigned int n, unsigned int t, double split_ms,
            double combine_ms)
{
  int unset;
  FILE *fp = bench_part_open ("shamir", &unset);

  if (!fp)
    return unset;
  fprintf (fp, "{\"secret_bytes\": %d, \"n\": %u, \"t\": %u,"
           " \"split_ms\": %.3f, \"combine_ms\": %.3f}\n",
           SECRET_LEN, n, t, split_ms, combine_ms);
  return !fclose (fp);
}


int
main (int argc, char **argv)
{
  int repeats = argc > 1 ? atoi (argv[1]) : 20;
  unsigned int n = argc > 2 ? atoi (argv[2]) : SHAMIR_MAX_SHARES;
  unsigned int t = argc > 3 ? atoi (argv[3]) : n / 2 + 1;
  static unsigned char ybuf[SHAMIR_MAX_SHARES][SECRET_LEN];
  unsigned char secret[SECRET_LEN], back[SECRET_LEN];
  unsigned char xs[SHAMIR_MAX_SHARES], *ys[SHAMIR_MAX_SHARES];
  double t_split = 0, t_combine = 0, t0;
  gpg_error_t err = 0;
  unsigned int i;
  int r;

  if (repeats < 1 || n < 2 || n > SHAMIR_MAX_SHARES || t < 2 || t > n)
    {
      fprintf (stderr, "usage: bench-shamir [REPEATS [N [T]]]\n");
      return 2;
    }
  gcry_check_version (NULL);
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
  for (i = 0; i < n; i++)
    {
      xs[i] = i + 1;
      ys[i] = ybuf[i];
    }
  for (r = 0; r < repeats && !err; r++)
    {
      gcry_randomize (secret, sizeof secret, GCRY_STRONG_RANDOM);
      t0 = bench_now ();
      err = shamir_split (secret, sizeof secret, t, n, NULL, NULL, xs, ys);
      t_split += bench_now () - t0;
      t0 = bench_now ();
      if (!err)   /* The last T shares: the highest x coordinates.  */
        err = shamir_combine (xs + n - t,
                              (const unsigned char *const *)ys + n - t,
                              t, sizeof secret, back);
      t_combine += bench_now () - t0;
      if (!err && memcmp (secret, back, sizeof secret))
        err = gpg_error (GPG_ERR_BAD_DATA);
    }
  if (err)
    {
      fprintf (stderr, "bench-shamir: %s\n", gpg_strerror (err));
      return 1;
    }
  t_split *= 1000.0 / repeats;
  t_combine *= 1000.0 / repeats;
  printf ("bench-shamir: %d-byte secret, n = %u, t = %u: split %.2f ms,"
          " combine %.2f ms (mean of %d)\n",
          SECRET_LEN, n, t, t_split, t_combine, repeats);
  if (!write_part (n, t, t_split, t_combine))
    {
      perror ("bench-shamir: BENCH_PARTS");
      return 1;
    }
  return 0;
}
