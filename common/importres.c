/* importres.c - the counts of an IMPORT_RES status line */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "importres.h"

gpg_error_t
import_res_parse (const char *args, import_counts_t *r_counts)
{
  import_counts_t c;
  unsigned long *fields[] =
    { &c.considered, &c.no_user_id, &c.imported, &c.imported_rsa,
      &c.unchanged, &c.new_user_ids, &c.new_sub_keys, &c.new_signatures,
      &c.new_revocations, &c.secret_read, &c.secret_imported,
      &c.secret_unchanged, &c.skipped_new_keys, &c.not_imported,
      &c.skipped_v3_keys };
  unsigned int i;
  char *end;

  for (i = 0; i < sizeof fields / sizeof *fields; i++)
    {
      while (*args == ' ')
        args++;
      if (!isdigit ((unsigned char)*args))
        return gpg_error (GPG_ERR_INV_RESPONSE);
      errno = 0;
      *fields[i] = strtoul (args, &end, 10);
      if (errno || (*end && *end != ' '))
        return gpg_error (GPG_ERR_INV_RESPONSE);
      args = end;
    }
  while (*args == ' ')
    args++;
  if (*args)
    return gpg_error (GPG_ERR_INV_RESPONSE);
  *r_counts = c;
  return 0;
}
