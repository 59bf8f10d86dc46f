/* argline.c - build Assuan command lines with percent-escaped arguments */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argline.h"

/* Return a malloced copy of STRING with controls, blanks, '%', '+' and
   DEL as %XX, or with PLUS blanks as '+'; NULL on error.  */
static char *
escape (const char *string, int plus)
{
  const unsigned char *s;
  char *result, *p;

  result = p = gpgrt_malloc (3 * strlen (string) + 1);
  if (!result)
    return NULL;
  for (s = (const unsigned char *)string; *s; s++)
    {
      if (plus && *s == ' ')
        *p++ = '+';
      else if (*s <= ' ' || *s == '%' || *s == '+' || *s == 0x7f)
        {
          snprintf (p, 4, "%%%02X", *s);
          p += 3;
        }
      else
        *p++ = *s;
    }
  *p = 0;
  return result;
}

char *
percent_escape (const char *string)
{
  return escape (string, 0);
}

char *
percent_plus_escape (const char *string)
{
  return escape (string, 1);
}

/* Append " --NAME=VALUE" (VALUE escaped) to the line at *LINE.  */
gpg_error_t
append_arg (char **line, const char *name, const char *value)
{
  char *escaped = value ? percent_escape (value) : NULL;
  char *newline;

  if (value && !escaped)
    return gpg_error_from_syserror ();
  newline = gpgrt_strconcat (*line, " ", name, value? "=" : "",
                             value? escaped : "", NULL);
  gpgrt_free (escaped);
  if (!newline)
    return gpg_error_from_syserror ();
  gpgrt_free (*line);
  *line = newline;
  return 0;
}

/* Decode the %XX escapes of STRING in place.  */
void
percent_unescape (char *string)
{
  char *d = string, *s;

  for (s = string; *s; s++)
    if (*s == '%' && isxdigit ((unsigned char)s[1])
        && isxdigit ((unsigned char)s[2]))
      {
        char hex[3] = { s[1], s[2], 0 };
        *d++ = (char)strtoul (hex, NULL, 16);
        s += 2;
      }
    else
      *d++ = *s;
  *d = 0;
}

gpg_error_t
base64_unescape (char *string, size_t *r_len)
{
  gpgrt_b64state_t state = gpgrt_b64dec_start (NULL);
  gpg_error_t err, err2;

  *r_len = 0;
  if (!state)
    return gpg_error_from_syserror ();
  err = gpgrt_b64dec_proc (state, string, strlen (string), r_len);
  err2 = gpgrt_b64dec_finish (state);
  err = err ? err : err2;
  if (err)
    *r_len = 0;
  string[*r_len] = 0;
  return err;
}
