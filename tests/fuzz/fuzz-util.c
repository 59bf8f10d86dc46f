/* fuzz-util.c - libgcrypt set-up, input control byte and seed files */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "fuzz.h"

/* libgcrypt calls this to ask whether P is secure memory: none of it is
 * (it all comes from malloc), which only makes libgcrypt copy less into
 * secure buffers of its own.  */
static int
not_secure (const void *p)
{
  return 0;
}


void
fuzz_init (void)
{
  static int done;

  if (done)
    return;
  done = 1;
  gcry_set_allocation_handler (malloc, malloc, not_secure, realloc, free);
  if (!gcry_check_version (GCRYPT_VERSION))
    {
      fprintf (stderr, "libgcrypt too old (need %s)\n", GCRYPT_VERSION);
      exit (EXIT_FAILURE);
    }
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
}


unsigned int
fuzz_control (const uint8_t **data, size_t *size)
{
  unsigned int ctl;

  if (!*size)
    return 0;
  ctl = **data;
  (*data)++;
  (*size)--;
  return ctl;
}


gpg_error_t
fuzz_write_seed (const char *dir, const char *name, int ctl,
                 const void *buf, size_t len)
{
  char path[1024];
  unsigned char c = ctl;
  FILE *fp;
  int bad;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  fp = fopen (path, "wb");
  if (!fp)
    return gpg_error_from_syserror ();
  bad = (ctl >= 0 && fwrite (&c, 1, 1, fp) != 1)
        || (len && fwrite (buf, len, 1, fp) != 1);
  if (fclose (fp) || bad)
    return gpg_error (GPG_ERR_EIO);
  return 0;
}



gpg_error_t
fuzz_write_text_seeds (const char *dir, const char *prefix,
                       const char *const *texts, size_t n)
{
  char name[64];
  gpg_error_t err = 0;
  size_t i;

  for (i = 0; i < n && !err; i++)
    {
      snprintf (name, sizeof name, "%s-%zu", prefix, i);
      err = fuzz_write_seed (dir, name, -1, texts[i], strlen (texts[i]));
    }
  return err;
}
