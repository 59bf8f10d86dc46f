/* guipass.c - the strong passphrase "Generate passphrase" shows once */
#include <config.h>

#include <string.h>
#include <gcrypt.h>

#include "guilogic.h"

/* Crockford's base32: no I, L, O, U to misread.  */
static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define PASS_CHARS 24           /* 24 * 5 = 120 bits */
#define GROUP      4

gpg_error_t
gui_passphrase_generate (char **r_pass)
{
  unsigned char *rnd;
  char *pass, *p;
  int i;

  rnd = gcry_malloc_secure (PASS_CHARS);
  pass = gcry_malloc_secure (PASS_CHARS + PASS_CHARS / GROUP);
  if (!rnd || !pass)
    {
      gpg_error_t err = gpg_error_from_syserror ();
      gcry_free (rnd);
      gcry_free (pass);
      return err;
    }
  gcry_randomize (rnd, PASS_CHARS, GCRY_STRONG_RANDOM);
  for (i = 0, p = pass; i < PASS_CHARS; i++)
    {
      if (i && !(i % GROUP))
        *p++ = '-';
      *p++ = alphabet[rnd[i] & 31];  /* 256 is a multiple of 32: uniform */
    }
  *p = 0;
  explicit_bzero (rnd, PASS_CHARS);
  gcry_free (rnd);
  *r_pass = pass;
  return 0;
}

void
gui_passphrase_free (char *pass)
{
  if (!pass)
    return;
  explicit_bzero (pass, strlen (pass));
  gcry_free (pass);
}
