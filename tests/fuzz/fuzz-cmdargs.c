/* fuzz-cmdargs.c - fuzz target: the daemon's command-argument parser
 *
 * Input: an Assuan command line after its command word (no control
 * byte).  The line is split, its options applied to a table of the
 * daemon's option kinds, and every argument must survive percent_escape
 * and a second split unchanged, and its percent-plus escaping (for
 * gpg-agent's lines) must be one word of printable characters; else
 * the target aborts.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "argline.h"
#include "cmdargs.h"

/* Longest line libassuan hands a command (ASSUAN_LINELENGTH).  */
#define LINE_MAX_LEN 1000


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}


/* Apply the options of CMD to a table with flags and valued options as
 * PACK_EXPORT and PACK_IMPORT have them.  */
static void
apply_options (const cmdargs_t *cmd)
{
  int secret = 0, dry_run = 0, passphrase = 0;
  const char *format = NULL, *shares = NULL, *key_file = NULL, *bad;
  const cmdargs_opt_t table[] =
    {
      { "secret", &secret, NULL },
      { "dry-run", &dry_run, NULL },
      { "passphrase", &passphrase, NULL },
      { "format", NULL, &format },
      { "shares", NULL, &shares },
      { "key-file", NULL, &key_file },
      { NULL }
    };

  cmdargs_apply (cmd, table, &bad);
}


/* Abort unless ARG, escaped and split again, comes back unchanged.  */
static void
check_round_trip (const char *arg)
{
  char *escaped = percent_escape (arg), *line;
  cmdargs_t again;
  int ok;

  if (!escaped)
    abort ();
  line = malloc (strlen (escaped) + 4);
  if (!line)
    abort ();
  strcpy (line, "-- ");
  strcat (line, escaped);
  ok = !cmdargs_split (line, &again) && again.nargs == 1
       && !strcmp (again.args[0], arg);
  cmdargs_release (&again);
  free (line);
  free (escaped);
  if (!ok)
    abort ();
}


/* Abort unless the percent-plus escaping of ARG is printable ASCII
 * without blanks.  */
static void
check_plus (const char *arg)
{
  char *escaped = percent_plus_escape (arg);
  const unsigned char *p;

  if (!escaped)
    abort ();
  for (p = (const unsigned char *)escaped; *p; p++)
    if (*p <= ' ' || *p == 0x7f)
      abort ();
  free (escaped);
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char line[LINE_MAX_LEN + 1];
  cmdargs_t cmd;
  int i;

  if (size > LINE_MAX_LEN)
    size = LINE_MAX_LEN;
  memcpy (line, data, size);
  line[size] = 0;
  if (!cmdargs_split (line, &cmd))
    {
      apply_options (&cmd);
      for (i = 0; i < cmd.nargs; i++)
        if (*cmd.args[i])
          {
            check_round_trip (cmd.args[i]);
            check_plus (cmd.args[i]);
          }
    }
  cmdargs_release (&cmd);
  return 0;
}


/* Seeds: command lines as clients send them.  */
gpg_error_t
fuzz_seeds (const char *dir)
{
  static const char *const lines[] =
    {
      "--secret --format=native --name=alice -- alice@example.org",
      "--shares=3 --threshold=2 "
      "--wrap-key=0123456789ABCDEF0123456789ABCDEF01234567 bob",
      "--dry-run --key-file=/tmp/a%20b.key /tmp/a%20b.gpgpack",
      "--passphrase --secret=yes -- --not-an-option %25%2B+x",
      "--format= --unknown \t tab%09arg"
    };
  return fuzz_write_text_seeds (dir, "line", lines,
                                sizeof lines / sizeof *lines);
}
