/* guitext.c - the sentences of gpgpack-gtk's result pages and errors */
#include <config.h>

#include <string.h>
#include <time.h>
#define GPGRT_ENABLE_ES_MACROS 1
#include <gpg-error.h>

#include "guilogic.h"

/* Return the text written to the memory stream FP (gpgrt_free) or NULL.  */
static char *
snatch (estream_t fp)
{
  void *buf = NULL;

  if (es_fputc (0, fp) == EOF || es_fclose_snatch (fp, &buf, NULL))
    {
      es_fclose (fp);
      gpgrt_free (buf);
      return NULL;
    }
  return buf;
}

/* Write the fingerprints of RES to FP, SECRET_WORD after secret ones.  */
static void
put_keys (estream_t fp, const gui_result_t *res, const char *secret_word)
{
  unsigned int i;

  for (i = 0; i < res->nkeys; i++)
    es_fprintf (fp, "  %s%s\n", res->keys[i].fpr,
                res->keys[i].secret ? secret_word : "");
}

char *
gui_export_summary (const gui_result_t *res)
{
  estream_t fp = es_fopenmem (0, "w+");
  unsigned int i;

  if (!fp)
    return NULL;
  es_fprintf (fp, "Files written:\n  %s\n", res->pack_path);
  if (res->key_path)
    es_fprintf (fp, "  %s\n", res->key_path);
  if (res->html_path)
    es_fprintf (fp, "  %s (the pack as a mail attachment)\n",
                res->html_path);
  for (i = 0; i < res->nshares; i++)
    es_fprintf (fp, "  %s\n", res->share_paths[i]);
  if (res->pubkeys_path)
    es_fprintf (fp, "  %s (the public keys)\n", res->pubkeys_path);
  es_fprintf (fp, "\n%u key%s exported:\n", res->nkeys,
              res->nkeys == 1 ? "" : "s");
  put_keys (fp, res, "");
  if (res->setup_code)
    es_fprintf (fp, "\nSetup code (shown only now, stored nowhere):\n"
                "  %s\n\nWrite it down and give it to the receiver by"
                " another way than the pack\n(paper, phone).  It opens the"
                " pack with gpgpack or gpg --decrypt.\n", res->setup_code);
  else
    es_fputs (res->nshares
              ? "\nGive each share to its custodian by its own way, and"
                " send the pack separately.\n"
              : "\nSend the pack and the key file by different ways (e.g."
                " one by mail, one on a USB stick),\n"
                "and delete both once the keys have arrived.\n", fp);
  return snatch (fp);
}

char *
gui_info_summary (const gui_result_t *res)
{
  estream_t fp = es_fopenmem (0, "w+");
  time_t created = res->created;
  char date[32] = "unknown";

  if (!fp)
    return NULL;
  if (res->created)
    strftime (date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime (&created));
  es_fprintf (fp, "Format: %s\nPack id: %s\nCreated: %s\n",
              res->format ? res->format : "unknown",
              *res->pack_id ? res->pack_id : "-", date);
  if (res->cipher)
    es_fprintf (fp, "Cipher: %s\n", res->cipher);
  if (res->needs_shares)
    es_fprintf (fp, "Needs: %u shares\n", res->needs_shares);
  else
    es_fprintf (fp, "Needs: %s%s\n",
                res->needs_keyfile ? "the key file" : "nothing else",
                res->needs_passphrase ? " and its passphrase" : "");
  return snatch (fp);
}

char *
gui_import_summary (const gui_result_t *res, int dry_run)
{
  estream_t fp = es_fopenmem (0, "w+");

  if (!fp)
    return NULL;
  if (dry_run)
    {
      es_fprintf (fp, "%u key%s would be imported:\n", res->nkeys,
                  res->nkeys == 1 ? "" : "s");
      put_keys (fp, res, " (with secret part)");
      return snatch (fp);
    }
  es_fprintf (fp, "Imported: %lu\nUnchanged: %lu\n"
              "Secret keys: %lu read, %lu imported, %lu unchanged\n",
              res->counts.imported, res->counts.unchanged,
              res->counts.secret_read, res->counts.secret_imported,
              res->counts.secret_unchanged);
  if (res->counts.not_imported)
    es_fprintf (fp, "Not imported: %lu\n", res->counts.not_imported);
  if (res->nkeys)
    es_fputs ("\nNew or changed keys:\n", fp);
  put_keys (fp, res, "");
  return snatch (fp);
}

/* What to do about the errors users meet, by code.  */
static const struct
{
  gpg_err_code_t code;
  const char *text;
} advice[] =
  {
    { GPG_ERR_INV_ID, "the key file belongs to another pack: choose the"
      " key file that was made with this pack" },
    { GPG_ERR_BAD_PASSPHRASE, "the passphrase of the key file is wrong:"
      " try again with the passphrase shown when the pack was made" },
    { GPG_ERR_BAD_MAC, "the pack or its key file is damaged or was"
      " changed: ask for a fresh copy of both" },
    { GPG_ERR_EEXIST, "a file of that name exists in the folder: choose"
      " another package name or folder" },
    { GPG_ERR_NOT_FOUND, "no key of this keyring matches: select the keys"
      " again" },
    { GPG_ERR_NO_SECKEY, "none of the selected keys has a secret part:"
      " untick \"Exclude keys without a secret part\"" },
    { GPG_ERR_CANCELED, "cancelled; nothing was written or imported" },
    { GPG_ERR_WRONG_BLOB_TYPE, "this is a key file, not a pack: choose the"
      " .gpgpack file as the pack and this one as its key file" },
    { GPG_ERR_NO_AGENT, "gpgpackd could not be started: check that it is"
      " installed and that the GnuPG home exists" }
  };

char *
gui_error_sentence (const char *what, gpg_error_t err, const char *error_text)
{
  const char *text = error_text;
  int i;

  for (i = 0; !text && i < sizeof advice / sizeof *advice; i++)
    if (advice[i].code == gpg_err_code (err))
      text = advice[i].text;
  if (gpg_err_code (err) == GPG_ERR_CANCELED && !error_text)
    return gpgrt_bsprintf ("%s %s.", what, text);
  return gpgrt_bsprintf ("%s failed: %s (%s).", what,
                         text ? text : gpg_strerror (err),
                         gpg_strerror (err));
}
