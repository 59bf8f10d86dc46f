/* fpr.c - check and normalize the hex fingerprints users give */
#include <config.h>

#include <ctype.h>
#include <string.h>

#include "fpr.h"

size_t
fpr_normalize (const char *s, int v5, char out[65])
{
  size_t len, i;

  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    s += 2;
  len = strlen (s);
  if ((len != 40 && !(v5 && len == 64))
      || strspn (s, "0123456789abcdefABCDEF") != len)
    return 0;
  for (i = 0; i < len; i++)
    out[i] = toupper ((unsigned char)s[i]);
  out[len] = 0;
  return len;
}
