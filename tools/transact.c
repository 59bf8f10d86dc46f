/* transact.c - run one Assuan command: status lines, inquiries, errors */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gpgpack.h"

/* Replace PARM's detail text by TEXT (may be NULL).  */
static void
set_detail (transact_parm_t *parm, const char *text)
{
  gpgrt_free (parm->detail);
  parm->detail = text ? gpgrt_strdup (text) : NULL;
}

/* Replace PARM's detail text by TEXT (may be NULL), for an inquiry
   handler.  */
void
transact_set_detail (transact_parm_t *parm, const char *text)
{
  set_detail (parm, text);
}

/* Send the passphrase VALUE as the answer to an inquiry.  */
static gpg_error_t
send_passphrase (transact_parm_t *parm, const char *value)
{
  gpg_error_t err;

  if (parm->inquire_maxlen && strlen (value) > parm->inquire_maxlen)
    {
      set_detail (parm, "passphrase longer than the daemon accepts");
      return gpg_error (GPG_ERR_TOO_LARGE);
    }
  assuan_begin_confidential (parm->ctx);
  err = assuan_send_data (parm->ctx, value, strlen (value));
  assuan_end_confidential (parm->ctx);
  return err;
}

/* Answer KEY_PASSPHRASE (ARGS: the uid hint "KEYID USERID") from
   --openpgp-passphrase-file/-fd.  */
static gpg_error_t
answer_key_passphrase (transact_parm_t *parm, char *args)
{
  const char *value;
  gpg_error_t err;
  char *detail;

  percent_unescape (args);
  err = passphrase_get_openpgp (&value);
  if (gpg_err_code (err) == GPG_ERR_NO_PASSPHRASE)
    detail = gpgrt_bsprintf ("key %s needs its passphrase:"
                             " use --openpgp-passphrase-file", args);
  else if (err)
    detail = gpgrt_bsprintf ("reading the OpenPGP passphrase from %s",
                             opt.openpgp_passphrase_file
                             ? opt.openpgp_passphrase_file
                             : "--openpgp-passphrase-fd");
  else
    return send_passphrase (parm, value);
  set_detail (parm, detail);
  gpgrt_free (detail);
  return err;
}

/* Answer the key file passphrase inquiry KEYWORD of the daemon; ARGS
   "setup-code": the pack's setup code is asked.  */
static gpg_error_t
answer_passphrase (transact_parm_t *parm, const char *keyword,
                   const char *args)
{
  gpg_error_t err;
  const char *value;
  int confirm = !strcmp (keyword, "NEW_PASSPHRASE");

  err = passphrase_get (confirm ? "New passphrase for the key file: "
                        : !strcmp (args, "setup-code")
                        ? "Setup code (or passphrase) of the pack: "
                        : "Passphrase of the key file: ", confirm, &value);
  if (gpg_err_code (err) == GPG_ERR_NOT_SUPPORTED)
    set_detail (parm, "no terminal to ask for the passphrase"
                " (use --passphrase-file)");
  else if (gpg_err_code (err) == GPG_ERR_NO_PASSPHRASE && opt.batch)
    set_detail (parm, "a passphrase is needed in --batch mode"
                " (use --passphrase-file)");
  else if (err && passphrase_have_source ())
    set_detail (parm, opt.passphrase_file ? opt.passphrase_file
                                          : "reading --passphrase-fd");
  if (err)
    return err;
  return send_passphrase (parm, value);
}

/* Answer the inquiry in LINE (keyword and arguments).  */
static gpg_error_t
answer_inquiry (transact_parm_t *parm, char *line)
{
  gpg_error_t err;
  char *args = line + strcspn (line, " ");

  if (*args)
    *args++ = 0;
  if (!strcmp (line, "PASSPHRASE") || !strcmp (line, "NEW_PASSPHRASE"))
    err = answer_passphrase (parm, line, args);
  else if (!strcmp (line, "KEY_PASSPHRASE"))
    err = answer_key_passphrase (parm, args);
  else if (!strcmp (line, "SHARE"))
    err = 0;  /* No shares beyond --share: the daemon says what it lacks.  */
  else if (!strcmp (line, "KEYFILE"))
    {
      set_detail (parm, "no key file next to the pack;"
                  " give it with --key-file FILE");
      err = gpg_error (GPG_ERR_ENOENT);
    }
  else if (parm->inquire)
    err = parm->inquire (parm, line, args);
  else
    {
      set_detail (parm, line);
      err = gpg_error (GPG_ERR_ASS_UNKNOWN_INQUIRE);
    }
  if (!err)
    err = assuan_send_data (parm->ctx, NULL, 0);  /* Sends END.  */
  return err;
}

/* Handle the status line KEYWORD with ARGS; FIRST_ERR is our own error
   so far, whose detail an ERROR_TEXT does not replace.  */
static gpg_error_t
handle_status (transact_parm_t *parm, char *line, gpg_error_t first_err)
{
  char *args = line + strcspn (line, " ");

  if (*args)
    *args++ = 0;
  if (!strcmp (line, "INQUIRE_MAXLEN"))
    {
      parm->inquire_maxlen = strtoul (args, NULL, 10);
      return 0;
    }
  if (!strcmp (line, "PROGRESS"))
    {
      progress_update (args);
      return 0;
    }
  if (!strcmp (line, "KEYFILE"))  /* A setup code shown, not written.  */
    return passphrase_keep_setup_code (args, &parm->setup_code);
  if (!strcmp (line, "ERROR_TEXT"))  /* The whole text of the ERR.  */
    {
      percent_unescape (args);
      if (!first_err)
        set_detail (parm, args);
      return 0;
    }
  return parm->status ? parm->status (parm->opaque, line, args) : 0;
}

/* Keep the text the daemon gave after the error code in an ERR line:
   "ERR <code> <strerror> <<source>>[ - <text>]", unless an ERROR_TEXT
   status line just gave it whole (the ERR line holds its start).  */
static void
take_error_text (transact_parm_t *parm, const char *line)
{
  const char *text = strstr (line, "> - ");

  if (text && parm->detail
      && !strncmp (parm->detail, text + 4, strlen (text + 4)))
    return;
  set_detail (parm, text ? text + 4 : NULL);
}

/* Send the command LINE and process the responses until OK or ERR.
   The first error (ours or the daemon's) is returned; on error
   PARM->detail may say more.  */
gpg_error_t
transact (transact_parm_t *parm, const char *line)
{
  gpg_error_t err, first_err = 0;
  assuan_response_t response;
  char *buf, *copy;
  int len, off;

  set_detail (parm, NULL);
  if (strlen (line) > ASSUAN_LINELENGTH - 2)
    {
      set_detail (parm, "the command for gpgpackd is longer than the 1000"
                  " bytes of an Assuan line; shorten the names in it");
      return gpg_error (GPG_ERR_ASS_LINE_TOO_LONG);
    }
  err = assuan_write_line (parm->ctx, line);
  if (err)
    return err;
  for (;;)
    {
      err = assuan_client_read_response (parm->ctx, &buf, &len);
      if (!err)
        err = assuan_client_parse_response (parm->ctx, buf, len,
                                            &response, &off);
      if (err)
        break;
      if (response == ASSUAN_RESPONSE_OK)
        break;
      if (response == ASSUAN_RESPONSE_ERROR)
        {
          err = strtoul (buf + off, NULL, 10);
          if (!err)
            err = gpg_error (GPG_ERR_ASS_INV_RESPONSE);
          if (!first_err)
            take_error_text (parm, buf + off);
          break;
        }
      if (response == ASSUAN_RESPONSE_DATA && parm->data)
        {
          err = parm->data (parm->opaque, buf + off, len - off);
          if (err && !first_err)
            first_err = err;
          continue;
        }
      if (response != ASSUAN_RESPONSE_STATUS
          && response != ASSUAN_RESPONSE_INQUIRE)
        continue;  /* Comments; data nobody asked for.  */

      copy = gpgrt_strdup (buf + off);
      if (!copy)
        err = gpg_error_from_syserror ();
      else if (response == ASSUAN_RESPONSE_STATUS)
        err = handle_status (parm, copy, first_err);
      else
        {
          err = answer_inquiry (parm, copy);
          if (err)
            assuan_write_line (parm->ctx, "CAN");
        }
      gpgrt_free (copy);
      if (err && !first_err)
        first_err = err;
    }
  progress_done ();
  return first_err ? first_err : err;
}

/* Run the command LINE on a fresh connection to the daemon with the status
   handler STATUS; print the error for WHAT and return the exit code.  */
int
run_command (const char *what, const char *line,
             gpg_error_t (*status) (void *, const char *, const char *),
             void *opaque)
{
  transact_parm_t parm = { NULL, status, opaque };

  return run_transact (what, &parm, line);
}

/* Run the command LINE as run_command does, with the handlers of PARM
   (its context is set here).  */
int
run_transact (const char *what, transact_parm_t *parm, const char *line)
{
  gpg_error_t err;
  int rc = EXIT_OK;

  err = connect_daemon (parm);
  if (err)
    rc = fail (err, "connecting to gpgpackd", parm->detail);
  else if ((err = transact (parm, line)))
    rc = fail (err, what, parm->detail);
  transact_release (parm);
  assuan_release (parm->ctx);
  parm->ctx = NULL;
  return rc;
}

/* Release what PARM holds.  */
void
transact_release (transact_parm_t *parm)
{
  gpgrt_free (parm->detail);
  parm->detail = NULL;
}
