/* ckrun.c - run a Check suite the way every gpgpack test program does */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <gcrypt.h>

#include "ckrun.h"

void
ckrun_init_gcrypt (size_t secmem)
{
  if (!gcry_check_version (GCRYPT_VERSION))
    {
      fprintf (stderr, "libgcrypt too old (need %s, have %s)\n",
               GCRYPT_VERSION, gcry_check_version (NULL));
      exit (EXIT_FAILURE);
    }
  gcry_control (GCRYCTL_INIT_SECMEM, secmem, 0);
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
}


int
ckrun (Suite *suite)
{
  SRunner *sr = srunner_create (suite);
  int failed;

  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
