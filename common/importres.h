/* importres.h - the counts of an IMPORT_RES status line */
#ifndef GPGPACK_IMPORTRES_H
#define GPGPACK_IMPORTRES_H

#include <gpg-error.h>

/* The 15 counts of gpg's IMPORT_RES, in the order of the line.  */
typedef struct import_counts
{
  unsigned long considered, no_user_id, imported, imported_rsa, unchanged;
  unsigned long new_user_ids, new_sub_keys, new_signatures, new_revocations;
  unsigned long secret_read, secret_imported, secret_unchanged;
  unsigned long skipped_new_keys, not_imported, skipped_v3_keys;
} import_counts_t;

/* Parse ARGS, the arguments of an IMPORT_RES status line, into
 * R_COUNTS.  Anything but 15 blank-separated decimal counts is
 * GPG_ERR_INV_RESPONSE and leaves R_COUNTS unchanged.  */
gpg_error_t import_res_parse (const char *args, import_counts_t *r_counts);

#endif /*GPGPACK_IMPORTRES_H*/
