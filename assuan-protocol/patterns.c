/* patterns.c - the key patterns of PACK_EXPORT: on the line or inquired
 *
 * An Assuan line holds at most 1000 bytes, about 23 fingerprints; more
 * patterns come by INQUIRE PATTERNS, one per line, so nothing is ever
 * cut short.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>

#include "patterns.h"

/* Strip blanks and a CR around the line S (in place); return it.  */
static char *
trim_line (char *s)
{
  char *end;

  s += strspn (s, " \t");
  end = s + strlen (s);
  while (end > s && strchr (" \t\r", end[-1]))
    end--;
  *end = 0;
  return s;
}

/* Append the non-empty lines of TEXT (NUL terminated, changed in
 * place) to PATS, which has room for MAX_PATTERNS.  */
static gpg_error_t
split_lines (ctrl_t ctrl, char *text, patterns_t *pats)
{
  char *line, *next, *pat;

  for (line = text; line; line = next)
    {
      next = strchr (line, '\n');
      if (next)
        *next++ = 0;
      pat = trim_line (line);
      if (!*pat)
        continue;
      if (pats->count == MAX_PATTERNS)
        return server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                             "more than %d patterns; split the export",
                             MAX_PATTERNS);
      pats->items[pats->count++] = pat;
    }
  return 0;
}

gpg_error_t
patterns_inquire (ctrl_t ctrl, const char *keyword, size_t maxlen,
                  patterns_t *r_pats)
{
  size_t len;
  gpg_error_t err;

  memset (r_pats, 0, sizeof *r_pats);
  r_pats->items = gpgrt_calloc (MAX_PATTERNS, sizeof *r_pats->items);
  if (!r_pats->items)
    return gpg_error_from_syserror ();
  if (!keyword)
    return 0;
  err = server_inquire (ctrl, keyword, maxlen, 0, &r_pats->data, &len);
  if (!err && memchr (r_pats->data, 0, len))
    err = server_error (ctrl, gpg_error (GPG_ERR_INV_VALUE),
                        "a line of %s holds a NUL byte", keyword);
  if (!err)
    err = split_lines (ctrl, (char *)r_pats->data, r_pats);
  return err;
}

gpg_error_t
patterns_collect (ctrl_t ctrl, char **line_args, int nline, int inquire,
                  patterns_t *r_pats)
{
  gpg_error_t err;

  err = patterns_inquire (ctrl, inquire ? "PATTERNS" : NULL,
                          MAX_PATTERNS_LEN, r_pats);
  if (err)
    return err;
  if (nline + r_pats->count > MAX_PATTERNS)
    return server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                         "more than %d patterns; split the export",
                         MAX_PATTERNS);
  memmove (r_pats->items + nline, r_pats->items,
           r_pats->count * sizeof *r_pats->items);
  memcpy (r_pats->items, line_args, nline * sizeof *line_args);
  r_pats->count += nline;
  if (!r_pats->count)
    return server_error (ctrl, gpg_error (GPG_ERR_MISSING_VALUE),
                         "no key pattern given");
  return 0;
}

void
patterns_release (ctrl_t ctrl, patterns_t *pats)
{
  gpgrt_free (pats->items);
  assuan_free (ctrl->assuan, pats->data);
  memset (pats, 0, sizeof *pats);
}
