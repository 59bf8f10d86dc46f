/* patterns.c - the key patterns of "gpgpack export": arguments and files
 *
 * The patterns are collected as the text of INQUIRE PATTERNS, one per
 * line, so that any number of them reaches the daemon uncut.
 */
#include <config.h>

#include <string.h>

#include "gpgpack.h"

/* Longest line of a --patterns-from file.  */
#define MAX_PATTERN_LINE 4096

gpg_error_t
patterns_init (cli_patterns_t *pats)
{
  memset (pats, 0, sizeof *pats);
  pats->text = es_fopenmem (0, "w+");
  return pats->text ? 0 : gpg_error_from_syserror ();
}

gpg_error_t
patterns_add (cli_patterns_t *pats, const char *pattern)
{
  if (strpbrk (pattern, "\r\n"))
    return gpg_error (GPG_ERR_INV_VALUE);
  if (es_fprintf (pats->text, "%s\n", pattern) < 0)
    return gpg_error_from_syserror ();
  pats->count++;
  return 0;
}

/* Add the pattern of LINE unless it is blank or a comment ('#' first
 * after blanks); LINE loses its blanks around it.  */
static gpg_error_t
add_line (cli_patterns_t *pats, char *line)
{
  char *end;

  line += strspn (line, " \t");
  end = line + strlen (line);
  while (end > line && strchr (" \t\r", end[-1]))
    end--;
  *end = 0;
  if (!*line || *line == '#')
    return 0;
  return patterns_add (pats, line);
}

/* Read one line of FP into BUF of SIZE bytes, without its LF; set
   *R_EOF at the end of the file.  */
static gpg_error_t
read_line (estream_t fp, char *buf, size_t size, int *r_eof)
{
  size_t len = 0;
  int c;

  while ((c = es_getc (fp)) != EOF && c != '\n')
    {
      if (!c)
        return gpg_error (GPG_ERR_INV_VALUE);
      if (len + 1 >= size)
        return gpg_error (GPG_ERR_LINE_TOO_LONG);
      buf[len++] = c;
    }
  if (c == EOF && es_ferror (fp))
    return gpg_error_from_syserror ();
  buf[len] = 0;
  *r_eof = c == EOF;
  return 0;
}

gpg_error_t
patterns_read_file (cli_patterns_t *pats, const char *fname,
                    char **r_detail)
{
  estream_t fp = strcmp (fname, "-") ? es_fopen (fname, "r") : es_stdin;
  char line[MAX_PATTERN_LINE + 1];
  unsigned int lnr = 0;
  gpg_error_t err = 0;
  int eof = 0;

  *r_detail = NULL;
  if (!fp)
    err = gpg_error_from_syserror ();
  while (!err && !eof)
    {
      lnr++;
      err = read_line (fp, line, sizeof line, &eof);
      if (!err)
        err = add_line (pats, line);
    }
  if (gpg_err_code (err) == GPG_ERR_LINE_TOO_LONG)
    *r_detail = gpgrt_bsprintf ("%s:%u: longer than %d bytes", fname, lnr,
                                MAX_PATTERN_LINE);
  else if (gpg_err_code (err) == GPG_ERR_INV_VALUE)
    *r_detail = gpgrt_bsprintf ("%s:%u: a NUL or CR inside the pattern",
                                fname, lnr);
  else if (err)
    *r_detail = gpgrt_bsprintf ("reading '%s'", fname);
  if (fp && fp != es_stdin)
    es_fclose (fp);
  return err;
}

gpg_error_t
patterns_text (cli_patterns_t *pats, char **r_text, size_t *r_len)
{
  gpg_error_t err = 0;

  *r_text = NULL;
  *r_len = 0;
  if (es_fclose_snatch (pats->text, (void **)r_text, r_len))
    err = gpg_error_from_syserror ();
  pats->text = NULL;
  return err;
}

void
patterns_release (cli_patterns_t *pats)
{
  es_fclose (pats->text);
  pats->text = NULL;
}
