/* ckrun.h - run a Check suite the way every gpgpack test program does */
#ifndef GPGPACK_CKRUN_H
#define GPGPACK_CKRUN_H

#include <stddef.h>
#include <check.h>

/* Check libgcrypt's version (exit on mismatch) and give it a secure
 * memory pool of SECMEM bytes.  */
void ckrun_init_gcrypt (size_t secmem);

/* Run every test of SUITE with Check's normal output, which ends in its
 * summary line; return EXIT_SUCCESS or EXIT_FAILURE.  */
int ckrun (Suite *suite);

#endif /*GPGPACK_CKRUN_H*/
