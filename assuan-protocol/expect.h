/* expect.h - PACK_IMPORT --expect/--expect-file: exactly the expected keys */
#ifndef GPGPACKD_EXPECT_H
#define GPGPACKD_EXPECT_H

#include "gpgpackd.h"
#include "cmdargs.h"

/* A set of primary key fingerprints (upper-case hex), sorted once
 * complete.  */
typedef struct expect_fprs
{
  unsigned int count;
  unsigned int size;
  char (*fprs)[41];
} expect_fprs_t;

/* The keys an import expects; none given: no checks.  */
typedef struct expect
{
  expect_fprs_t want;
} expect_t;

/* Collect at R_EXP the fingerprints of FPRS (--expect) and of the
 * primary keys in FILE (--expect-file, may be NULL).  */
gpg_error_t expect_collect (ctrl_t ctrl, const cmdargs_list_t *fprs,
                            const char *file, expect_t *r_exp);

/* If EXP expects keys: check that the authentic key data DATA/LEN
 * holds exactly those primary keys and that every unprotected secret
 * key or subkey in it belongs to its public key (keymatch.c).  Status
 * EXPECT_UNCHECKED <fpr> protected|algorithm per secret part not
 * checked, then EXPECT_OK <keys> <checked> <unchecked>.  */
gpg_error_t expect_check (ctrl_t ctrl, const expect_t *exp,
                          const void *data, size_t len);

void expect_release (expect_t *exp);

#endif /*GPGPACKD_EXPECT_H*/
