/* guilogic.c - gpgpack-gtk's field checks and Assuan request lines */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "guilogic.h"
#include "argline.h"
#include "fpr.h"
#include "packname.h"

/* Fill R_FIELD and return the error CODE.  */
static gpg_error_t
field_error (gui_field_error_t *r_field, gpg_err_code_t code,
             const char *field, const char *text)
{
  r_field->field = field;
  r_field->text = text;
  return gpg_error (code);
}

/* True if FPR is a v4 fingerprint.  */
static int
is_fpr (const char *fpr)
{
  char normal[65];

  return fpr && fpr_normalize (fpr, 0, normal);
}

/* Hand LINE to *R_LINE, or free it if ERR.  */
static gpg_error_t
give_line (gpg_error_t err, char *line, char **r_line)
{
  if (err)
    gpgrt_free (line);
  else
    *r_line = line;
  return err;
}

/* Check the share mode fields of C.  */
static gpg_error_t
check_shares (const gui_export_choices_t *c, gui_field_error_t *r_field)
{
  unsigned int i;

  if (c->nshares < 2 || c->nshares > GUI_MAX_SHARES)
    return field_error (r_field, GPG_ERR_INV_VALUE, "export.shares",
                        "Choose between 2 and 255 shares.");
  if (c->threshold < 2 || c->threshold > c->nshares)
    return field_error (r_field, GPG_ERR_INV_VALUE, "export.threshold",
                        "Choose a threshold of at least 2 and at most"
                        " the number of shares.");
  if (c->protect != GUI_PROTECT_NONE)
    return field_error (r_field, GPG_ERR_CONFLICT, "export.protect",
                        "Shares protect the pack themselves: set the key"
                        " file protection to \"None\".");
  for (i = 0; i < c->nshares; i++)
    if (!c->wrap_keys || !is_fpr (c->wrap_keys[i]))
      return field_error (r_field, GPG_ERR_NO_PUBKEY, "export.custodian",
                          "Choose a custodian key for every share.");
  return 0;
}

/* Check the key file protection fields of C.  */
static gpg_error_t
check_protection (const gui_export_choices_t *c, gui_field_error_t *r_field)
{
  if (c->protect == GUI_PROTECT_NONE)
    return 0;
  if (!c->passphrase || !*c->passphrase)
    return field_error (r_field, GPG_ERR_NO_PASSPHRASE, "export.passphrase",
                        c->protect == GUI_PROTECT_GENERATED
                        ? "Press \"Generate passphrase\" first, or choose"
                          " another protection."
                        : "Type a passphrase, or choose another"
                          " protection.");
  if (c->protect == GUI_PROTECT_TYPED
      && (!c->passphrase_repeat || strcmp (c->passphrase,
                                           c->passphrase_repeat)))
    return field_error (r_field, GPG_ERR_BAD_PASSPHRASE,
                        "export.passphrase-repeat",
                        "The two passphrases differ: type the same one"
                        " twice.");
  return 0;
}

gpg_error_t
gui_export_check (const gui_export_choices_t *c, gui_field_error_t *r_field)
{
  unsigned int i;

  if (!c->nfprs)
    return field_error (r_field, GPG_ERR_NO_KEY, "keys",
                        "Select at least one key in the list.");
  for (i = 0; i < c->nfprs; i++)
    if (!is_fpr (c->fprs[i]))
      return field_error (r_field, GPG_ERR_INV_USER_ID, "keys",
                          "Select the keys again: one of them has no"
                          " fingerprint.");
  if (!c->name || !gpgpack_valid_name (c->name))
    return field_error (r_field, GPG_ERR_INV_NAME, "export.name",
                        "Give the package a name of at most 200 characters"
                        " without \"/\", not starting with a dot.");
  if (!c->output_dir || !*c->output_dir)
    return field_error (r_field, GPG_ERR_MISSING_VALUE, "export.folder",
                        "Choose the folder the files are written to.");
  if (*c->output_dir != '/')
    return field_error (r_field, GPG_ERR_INV_VALUE, "export.folder",
                        "Choose the output folder with the folder chooser"
                        " (a full path).");
  if (c->exclude_no_secret && !c->secret)
    return field_error (r_field, GPG_ERR_INV_ARG, "export.exclude-no-secret",
                        "\"Exclude keys without a secret part\" needs"
                        " \"Include secret keys\".");
  if (c->nshares)
    return check_shares (c, r_field);
  return check_protection (c, r_field);
}

/* Append " --shares=N --threshold=T --wrap-key=FPR..." of C.  */
static gpg_error_t
append_shares (const gui_export_choices_t *c, char **line)
{
  char num[16];
  gpg_error_t err;
  unsigned int i;

  snprintf (num, sizeof num, "%u", c->nshares);
  err = append_arg (line, "--shares", num);
  snprintf (num, sizeof num, "%u", c->threshold);
  if (!err)
    err = append_arg (line, "--threshold", num);
  for (i = 0; i < c->nshares && !err; i++)
    err = append_arg (line, "--wrap-key", c->wrap_keys[i]);
  return err;
}

gpg_error_t
gui_export_line (const gui_export_choices_t *c, char **r_line)
{
  char *line = gpgrt_strdup ("PACK_EXPORT");
  gpg_error_t err = line ? 0 : gpg_error_from_syserror ();
  unsigned int i;

  if (!err && c->secret)
    err = append_arg (&line, "--secret", NULL);
  if (!err && c->secret)
    err = append_arg (&line, "--confirm", NULL);
  if (!err && c->exclude_no_secret)
    err = append_arg (&line, "--exclude-no-secret", NULL);
  if (!err)
    err = append_arg (&line, "--format", c->format ? c->format : "native");
  if (!err)
    err = append_arg (&line, "--name", c->name);
  if (!err)
    err = append_arg (&line, "--output-dir", c->output_dir);
  if (!err && !c->nshares && c->protect != GUI_PROTECT_NONE)
    err = append_arg (&line, "--passphrase", NULL);
  if (!err && !c->nshares)
    err = append_arg (&line, "--show-setup-code", NULL);
  if (!err && c->nshares)
    err = append_shares (c, &line);
  if (!err)
    err = append_arg (&line, "--", NULL);
  for (i = 0; i < c->nfprs && !err; i++)
    err = append_arg (&line, c->fprs[i], NULL);
  return give_line (err, line, r_line);
}

gpg_error_t
gui_import_check (const gui_import_choices_t *c, gui_field_error_t *r_field)
{
  if (!c->pack || !*c->pack)
    return field_error (r_field, GPG_ERR_MISSING_VALUE, "import.pack",
                        "Choose the pack file to import.");
  if (*c->pack != '/' || (c->key_file && *c->key_file
                          && *c->key_file != '/'))
    return field_error (r_field, GPG_ERR_INV_VALUE, "import.pack",
                        "Choose the files with the file chooser"
                        " (a full path).");
  if (c->key_file && *c->key_file && !strcmp (c->key_file, c->pack))
    return field_error (r_field, GPG_ERR_CONFLICT, "import.key-file",
                        "The key file is the pack itself: choose the"
                        " key file that came with it.");
  return 0;
}

/* Append " -- FILE" (escaped) to *LINE.  */
static gpg_error_t
append_file (char **line, const char *file)
{
  char *escaped = percent_escape (file);
  gpg_error_t err;

  if (!escaped)
    return gpg_error_from_syserror ();
  err = append_arg (line, "--", NULL);
  if (!err)
    err = append_arg (line, escaped, NULL);
  gpgrt_free (escaped);
  return err;
}

gpg_error_t
gui_import_line (const gui_import_choices_t *c, char **r_line)
{
  char *line = gpgrt_strdup ("PACK_IMPORT");
  gpg_error_t err = line ? 0 : gpg_error_from_syserror ();
  unsigned int i;

  if (!err && c->key_file && *c->key_file)
    err = append_arg (&line, "--key-file", c->key_file);
  for (i = 0; i < c->nshares && !err; i++)
    err = append_arg (&line, "--share", c->shares[i]);
  if (!err && c->dry_run)
    err = append_arg (&line, "--dry-run", NULL);
  if (!err)
    err = append_file (&line, c->pack);
  return give_line (err, line, r_line);
}

gpg_error_t
gui_info_line (const char *pack, char **r_line)
{
  char *line = gpgrt_strdup ("PACK_INFO");
  gpg_error_t err = line ? 0 : gpg_error_from_syserror ();

  if (!err)
    err = append_file (&line, pack);
  return give_line (err, line, r_line);
}
