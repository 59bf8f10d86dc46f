/* version.h - the --version lines gpgpackd and gpgpack share */
#ifndef GPGPACK_VERSION_H
#define GPGPACK_VERSION_H

#include <stddef.h>

/* The copyright line of --version (strusage level 14).  */
#define GPGPACK_COPYRIGHT_LINE "Copyright (C) 2026 The gpgpack authors"

/* A library whose version --version shows: its name and its
 * check_version function (called with NULL).  */
struct gpgpack_libversion
{
  const char *name;
  const char *(*check_version) (const char *req);
};

/* For strusage levels 20 to 29 (gpgrt prints them under the version
 * line): "NAME VERSION" of LIBS[LEVEL - 20], NULL past the NLIBS.  The
 * lines are built once and kept, as gnupg's make_libversion does.  */
const char *gpgpack_libversion_line (int level,
                                     const struct gpgpack_libversion *libs,
                                     size_t nlibs);

#endif /*GPGPACK_VERSION_H*/
