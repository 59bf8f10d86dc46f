/* pubkeys.c - the public-keys file NAME.pub.asc written beside a pack
 *
 * An importer checks a pack against this file (PACK_IMPORT
 * --expect-file): it is gpg's armored public export of the packed keys,
 * made through GPGME with the keys' fingerprints as patterns.
 */
#include <config.h>
#include <stdlib.h>

#include "pubkeys.h"

/* Export the public keys of PATTERNS (NULL terminated), armored, into
 * DATA with a context of its own.  */
static gpg_error_t
export_armored (ctrl_t ctrl, const char **patterns, gpgme_data_t data)
{
  gpgme_ctx_t ctx;
  gpg_error_t err;

  err = keyring_new_context (ctrl, &ctx);
  if (err)
    return err;
  gpgme_set_armor (ctx, 1);
  UNLOCKED (err = gpgme_op_export_ext (ctx, patterns, 0, data));
  gpgme_release (ctx);
  return err;
}

gpg_error_t
pubkeys_write (ctrl_t ctrl, const keyring_keys_t *keys, outfile_t file)
{
  gpgme_data_t data = NULL;
  const char **patterns;
  char *text = NULL;
  size_t len = 0;
  gpg_error_t err;
  unsigned int i;

  patterns = gpgrt_calloc (keys->count + 1, sizeof *patterns);
  if (!patterns)
    return gpg_error_from_syserror ();
  for (i = 0; i < keys->count; i++)
    patterns[i] = keys->keys[i].fpr;
  err = gpgme_data_new (&data);
  if (!err)
    err = export_armored (ctrl, patterns, data);
  if (data)
    text = gpgme_data_release_and_get_mem (data, &len);
  if (!err && !text)
    err = gpg_error (GPG_ERR_NO_PUBKEY);
  if (err)
    err = server_error (ctrl, err, "exporting the public keys for '%s'"
                        " failed; check the keyring with gpg --list-keys",
                        outfile_name (file));
  if (!err && (err = outfile_write (file, text, len)))
    err = server_error (ctrl, err, "can't write '%s'; free space in the"
                        " output directory", outfile_name (file));
  gpgme_free (text);
  gpgrt_free (patterns);
  return err;
}
