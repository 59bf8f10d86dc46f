/* packname.h - generated and checked base names of key packages */
#ifndef GPGPACK_PACKNAME_H
#define GPGPACK_PACKNAME_H

#include <stddef.h>

/* Longest package name accepted (the files add their extensions).  */
#define GPGPACK_NAME_MAX 200

/* Room for a generated name and its NUL.  */
#define GPGPACK_GENERATED_NAME_SIZE 20

/* Store a fresh "KeyPackage_XXXXXXXX" (8 random hex digits, from
 * libgcrypt's nonce generator) in BUF of GPGPACK_GENERATED_NAME_SIZE
 * bytes.  Daemon and GUI make their default names with it.  */
void gpgpack_generate_name (char buf[GPGPACK_GENERATED_NAME_SIZE]);

/* True if NAME can be the base name of the files of a pack: not empty,
 * not starting with '.', at most GPGPACK_NAME_MAX bytes, no '/' and no
 * control character.  */
int gpgpack_valid_name (const char *name);

#endif /*GPGPACK_PACKNAME_H*/
