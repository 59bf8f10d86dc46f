/* guilogic.h - what gpgpack-gtk's dialogs decide, in plain C (no GTK)
 *
 * The export and import dialogs turn the user's choices into one
 * PACK_EXPORT / PACK_IMPORT / PACK_INFO line for gpgpackd and read its
 * status lines into a result; the checks of every field live here too,
 * so that tests/check_guilogic.c tests them without a display.
 */
#ifndef GPGPACK_GUI_GUILOGIC_H
#define GPGPACK_GUI_GUILOGIC_H

#include <stddef.h>
#include <gpg-error.h>

#include "importres.h"

/* Upper bound of the shares of one pack (x values 1..255).  */
#define GUI_MAX_SHARES 255

/* The protection of the key file the user picked.  */
typedef enum
  {
    GUI_PROTECT_NONE = 0,       /* key file as it is                    */
    GUI_PROTECT_GENERATED,      /* a passphrase we generated, shown once */
    GUI_PROTECT_TYPED           /* one the user typed twice              */
  }
gui_protect_t;

/* The export dialog's fields, in the dialog's order.  */
typedef struct gui_export_choices
{
  const char *const *fprs;      /* the keys chosen in the key list */
  unsigned int nfprs;
  const char *name;             /* package name                     */
  const char *output_dir;       /* absolute folder                  */
  gui_protect_t protect;
  const char *passphrase;       /* GENERATED or TYPED               */
  const char *passphrase_repeat;  /* TYPED: the second entry        */
  int secret;                   /* "Include secret keys"            */
  int exclude_no_secret;
  const char *format;           /* NULL: native                     */
  unsigned int nshares;         /* 0: no share mode                 */
  unsigned int threshold;
  const char *const *wrap_keys; /* NSHARES custodian fingerprints   */
} gui_export_choices_t;

/* A field the user has to fix: the widget name (also the test
 * script's name of it) and one sentence saying what to do.  */
typedef struct gui_field_error
{
  const char *field;
  const char *text;
} gui_field_error_t;

/* Check C; on error fill R_FIELD and return the error code.  */
gpg_error_t gui_export_check (const gui_export_choices_t *c,
                              gui_field_error_t *r_field);

/* Build the PACK_EXPORT line for C (checked) into *R_LINE (gpgrt_free).
 * Secret exports ask with --confirm; protected key files with
 * --passphrase.  */
gpg_error_t gui_export_line (const gui_export_choices_t *c, char **r_line);

/* The import dialog's choices.  */
typedef struct gui_import_choices
{
  const char *pack;             /* absolute path of the pack        */
  const char *key_file;         /* or NULL (shares, or asked later) */
  const char *const *shares;    /* NSHARES share files              */
  unsigned int nshares;
  int dry_run;
} gui_import_choices_t;

/* Check the import fields; as gui_export_check.  */
gpg_error_t gui_import_check (const gui_import_choices_t *c,
                              gui_field_error_t *r_field);
/* Build "PACK_IMPORT [--key-file=K] [--share=S...] [--dry-run] -- PACK". */
gpg_error_t gui_import_line (const gui_import_choices_t *c, char **r_line);
/* Build "PACK_INFO -- PACK".  */
gpg_error_t gui_info_line (const char *pack, char **r_line);

/* Store a fresh passphrase at *R_PASS in libgcrypt secure memory (free
 * with gui_passphrase_free): 24 characters of Crockford's base32 from
 * GCRY_STRONG_RANDOM (120 bits) in groups of four, e.g.
 * "7KQ2-XM4D-...".  */
gpg_error_t gui_passphrase_generate (char **r_pass);
/* Wipe and free a passphrase from gui_passphrase_generate.  */
void gui_passphrase_free (char *pass);

/* One key of a result: fingerprint and whether its secret part came.  */
typedef struct gui_result_key
{
  char fpr[41];
  int secret;
} gui_result_key_t;

/* What the status lines of one command said.  */
typedef struct gui_result
{
  /* PROGRESS: the last current / total numbers.  */
  unsigned long progress_cur, progress_total;
  /* PACK_CREATED / SHARE_CREATED / PUBKEYS / HTML_CREATED: the files
   * written.  */
  char pack_id[33];
  char *pack_path, *key_path, *pubkeys_path, *html_path;
  /* KEYFILE of PACK_EXPORT --show-setup-code: the setup code, shown
   * once; wiped by gui_result_release.  */
  char *setup_code;
  char **share_paths;
  unsigned int nshares;
  /* EXPORTED, IMPORTED, IMPORT_CANDIDATE: the keys.  */
  gui_result_key_t *keys;
  unsigned int nkeys;
  /* IMPORT_RES: the counts of gpg's import.  */
  int have_import_res;
  import_counts_t counts;
  /* PACK_INFO: FORMAT, CREATED, CIPHER, NEEDS.  */
  char *format, *cipher;
  unsigned long created;
  int needs_keyfile, needs_passphrase;
  unsigned int needs_shares;
  /* ERROR_TEXT: the daemon's whole error text.  */
  char *error_text;
} gui_result_t;

/* Take one status line (KEYWORD and ARGS as GPGME hands them over) into
 * RES; unknown keywords are ignored.  A malformed known line is
 * GPG_ERR_INV_RESPONSE.  */
gpg_error_t gui_result_status (gui_result_t *res, const char *keyword,
                               const char *args);
void gui_result_release (gui_result_t *res);

/* The text of the export result page (gpgrt_free): files, keys and the
 * advice to send pack and key file by different ways.  */
char *gui_export_summary (const gui_result_t *res);
/* The text of PACK_INFO's answer, for the import dialog.  */
char *gui_info_summary (const gui_result_t *res);
/* The text of a dry run (WHAT "would be imported") or of an import.  */
char *gui_import_summary (const gui_result_t *res, int dry_run);

/* One sentence for ERR of an operation WHAT ("Export", "Import"...):
 * the daemon's ERROR_TEXT if it sent one, else what to do for the
 * errors users meet, else gpg_strerror.  gpgrt_free it.  */
char *gui_error_sentence (const char *what, gpg_error_t err,
                          const char *error_text);

/* One format of "GETINFO formats".  */
typedef struct gui_format
{
  char name[32];
  unsigned long flags;          /* GPGPACK_FMT_* */
} gui_format_t;

/* Parse the D lines of "GETINFO formats" into R_FORMATS (up to MAX);
 * the count goes to R_N.  */
gpg_error_t gui_formats_parse (const char *text, gui_format_t *r_formats,
                               unsigned int max, unsigned int *r_n);

#endif /*GPGPACK_GUI_GUILOGIC_H*/
