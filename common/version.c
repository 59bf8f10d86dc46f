/* version.c - the library version lines of --version, as gnupg prints them */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <gpg-error.h>

#include "version.h"

/* Strusage levels gpgrt shows as additional version lines.  */
#define FIRST_LEVEL 20
#define MAX_LINES   10

const char *
gpgpack_libversion_line (int level, const struct gpgpack_libversion *libs,
                         size_t nlibs)
{
  static char *lines[MAX_LINES];
  size_t i;

  if (level < FIRST_LEVEL || level >= FIRST_LEVEL + MAX_LINES)
    return NULL;
  i = level - FIRST_LEVEL;
  if (i >= nlibs)
    return NULL;
  if (!lines[i])
    lines[i] = gpgrt_bsprintf ("%s %s", libs[i].name,
                               libs[i].check_version (NULL));
  return lines[i];
}
