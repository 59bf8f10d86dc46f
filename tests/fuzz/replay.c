/* replay.c - run a fuzz target over files, without libFuzzer
 *
 * "replay-TARGET" alone (as make check runs it) feeds every file of
 * $srcdir/fuzz/regress/TARGET and $srcdir/fuzz/corpus/TARGET to the
 * target, so that each crash ever found stays fixed; "replay-TARGET
 * FILE|DIR..." replays those instead (a crash input from libFuzzer, on
 * a machine without clang); "replay-TARGET --seeds DIR" writes the
 * target's seed corpus into DIR.  FUZZ_TARGET names the target.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Feed the file PATH to the target; its bytes are in a buffer of their
 * own size, so that a read past the end is caught by ASan.  */
static int
replay_file (const char *path)
{
  unsigned char *buf = NULL;
  long size;
  FILE *fp = fopen (path, "rb");
  int ok;

  if (!fp)
    {
      perror (path);
      return 0;
    }
  ok = !fseek (fp, 0, SEEK_END) && (size = ftell (fp)) >= 0
       && !fseek (fp, 0, SEEK_SET)
       && (buf = malloc (size ? size : 1))
       && (!size || fread (buf, size, 1, fp) == 1);
  fclose (fp);
  if (!ok)
    fprintf (stderr, "%s: cannot read\n", path);
  else
    LLVMFuzzerTestOneInput (buf, size);
  free (buf);
  return ok;
}


/* Replay PATH, a file or every file in a directory; count the inputs at
 * *R_COUNT.  A missing directory is no error when OPTIONAL.  */
static int
replay_path (const char *path, int optional, int *r_count)
{
  char sub[4096];
  struct dirent *d;
  struct stat st;
  DIR *dir;
  int ok = 1;

  if (stat (path, &st))
    {
      if (!optional)
        perror (path);
      return optional;
    }
  if (!S_ISDIR (st.st_mode))
    {
      ++*r_count;
      return replay_file (path);
    }
  dir = opendir (path);
  if (!dir)
    {
      perror (path);
      return 0;
    }
  while ((d = readdir (dir)))
    {
      if (d->d_name[0] == '.')
        continue;
      snprintf (sub, sizeof sub, "%s/%s", path, d->d_name);
      ++*r_count;
      ok &= replay_file (sub);
    }
  closedir (dir);
  return ok;
}


/* The committed inputs of the target: regressions, then seeds.  */
static int
replay_committed (int *r_count)
{
  const char *srcdir = getenv ("srcdir");
  char path[4096];
  int ok;

  snprintf (path, sizeof path, "%s/fuzz/regress/%s",
            srcdir ? srcdir : ".", FUZZ_TARGET);
  ok = replay_path (path, 1, r_count);
  snprintf (path, sizeof path, "%s/fuzz/corpus/%s",
            srcdir ? srcdir : ".", FUZZ_TARGET);
  return replay_path (path, 0, r_count) && ok;
}


int
main (int argc, char **argv)
{
  gpg_error_t err;
  int i, ok = 1, count = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  if (argc == 3 && !strcmp (argv[1], "--seeds"))
    {
      err = fuzz_seeds (argv[2]);
      if (err)
        fprintf (stderr, "%s: %s\n", argv[2], gpg_strerror (err));
      return err ? EXIT_FAILURE : EXIT_SUCCESS;
    }
  if (argc < 2)
    ok = replay_committed (&count);
  for (i = 1; i < argc; i++)
    ok &= replay_path (argv[i], 0, &count);
  printf ("%s: %d inputs replayed\n", FUZZ_TARGET, count);
  return ok && count ? EXIT_SUCCESS : EXIT_FAILURE;
}
