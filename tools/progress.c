/* progress.c - draw the daemon's PROGRESS status lines as a bar */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gpgpack.h"

/* Width of the bar in characters.  */
#define BAR_WIDTH 30

/* True while a bar is on the current line of stderr.  */
static int bar_shown;

/* Show the progress "WHAT CHAR CUR TOTAL" of ARGS as a bar on stderr,
   if stderr is a terminal.  */
void
progress_update (const char *args)
{
  static const char fill[BAR_WIDTH + 1] = "==============================";
  char what[32];
  unsigned long cur, total;
  int done;

  if (opt.quiet || !isatty (2)
      || sscanf (args, "%31s %*s %lu %lu", what, &cur, &total) != 3)
    return;
  if (!total)
    es_fprintf (es_stderr, "\r%s: %lu", what, cur);
  else
    {
      if (cur > total)
        cur = total;
      done = (int)(cur * BAR_WIDTH / total);
      es_fprintf (es_stderr, "\r%s: [%.*s%*s] %3lu%%", what,
                  done, fill, BAR_WIDTH - done, "", cur * 100 / total);
    }
  es_fflush (es_stderr);
  bar_shown = 1;
}

/* End the line of a bar shown before.  */
void
progress_done (void)
{
  if (!bar_shown)
    return;
  es_fputs ("\n", es_stderr);
  bar_shown = 0;
}
