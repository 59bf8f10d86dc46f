/* agentpass.c - passphrases from gpg-agent's pinentry, where the client is
 *
 * Every question goes to gpg-agent of our homedir on a connection of
 * its own that first carries the session's OPTIONs (ttyname, display,
 * lc-ctype, putenv...), so the pinentry shows on the client's terminal
 * or display, whoever started the daemon or the agent.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "socketdir.h"
#include "agentpass.h"
#include "argline.h"

/* What gpg-agent's pinentry shows for the key file.  */
#define PIN_PROMPT   "Passphrase:"
#define DESC_NEW     "Please enter a passphrase to protect the key file\n" \
                     "of the key package gpgpackd is exporting."
#define DESC_KEYFILE "Please enter the passphrase of the key file\n" \
                     "of the key package gpgpackd is importing."
#define DESC_SETUP_CODE "Please enter the setup code (or the passphrase)\n" \
                        "of the key package gpgpackd is importing."

/* One GET_PASSPHRASE question; NULL fields are sent as "X".  */
struct pin_request
{
  const char *cacheid;        /* NULL: not cached                        */
  const char *errtext;        /* why asked again                         */
  const char *desc;
  int repeat;                 /* ask for a confirmation                  */
};

/* The D lines of GET_PASSPHRASE --data, collected in secure memory.  */
struct pin_buffer
{
  char *buf;          /* MAX_PASSPHRASE_LEN + 1 bytes of secure memory */
  size_t len;
};

/* GPGME data callback: append a D line to the pin_buffer OPAQUE.  Runs
 * without the nPth lock; it only copies.  */
static gpgme_error_t
collect_pin (void *opaque, const void *data, size_t datalen)
{
  struct pin_buffer *pin = opaque;

  if (datalen > MAX_PASSPHRASE_LEN - pin->len)
    return gpg_error (GPG_ERR_TOO_LARGE);
  memcpy (pin->buf + pin->len, data, datalen);
  pin->len += datalen;
  pin->buf[pin->len] = 0;
  return 0;
}

/* Run COMMAND on the agent context ACTX (nPth lock released), storing
 * D lines in PIN (may be NULL).  Returns the transport error, else the
 * agent's.  */
static gpg_error_t
agent_transact (gpgme_ctx_t actx, const char *command, struct pin_buffer *pin)
{
  gpgme_error_t err, op_err = 0;

  npth_unprotect ();
  err = gpgme_op_assuan_transact_ext (actx, command,
                                      pin ? collect_pin : NULL, pin,
                                      NULL, NULL, NULL, NULL, &op_err);
  npth_protect ();
  return err ? err : op_err;
}

/* An Assuan context on gpg-agent's socket of our homedir; its name
 * goes to R_SOCKET (malloced).  */
static gpg_error_t
agent_open (gpgme_ctx_t *r_actx, char **r_socket)
{
  char *socketdir;
  gpg_error_t err;

  *r_actx = NULL;
  err = gpgpack_socketdir (opt.homedir, &socketdir);
  if (err)
    return err;
  *r_socket = gpgrt_bsprintf ("%s/S.gpg-agent", socketdir);
  gpgrt_free (socketdir);
  if (!*r_socket)
    return gpg_error_from_syserror ();
  err = gpgme_new (r_actx);
  if (!err)
    err = gpgme_set_protocol (*r_actx, GPGME_PROTOCOL_ASSUAN);
  if (!err)
    err = gpgme_ctx_set_engine_info (*r_actx, GPGME_PROTOCOL_ASSUAN,
                                     *r_socket, NULL);
  return err;
}

/* Send the session's OPTIONs of CTRL on the agent context ACTX and
 * hand on its pinentry-mode: cancel and error make the agent fail
 * instead of asking.  */
static gpg_error_t
agent_send_options (ctrl_t ctrl, gpgme_ctx_t actx)
{
  gpg_error_t err = 0;
  char *line;
  unsigned int i;

  for (i = 0; i < ctrl->nsessopt && !err; i++)
    {
      line = gpgrt_strconcat ("OPTION ", ctrl->sessopt[i], NULL);
      if (!line)
        return gpg_error_from_syserror ();
      err = agent_transact (actx, line, NULL);
      gpgrt_free (line);
    }
  if (!err && ctrl->pinentry_mode == GPGME_PINENTRY_MODE_CANCEL)
    err = agent_transact (actx, "OPTION pinentry-mode=cancel", NULL);
  else if (!err && ctrl->pinentry_mode == GPGME_PINENTRY_MODE_ERROR)
    err = agent_transact (actx, "OPTION pinentry-mode=error", NULL);
  return err;
}

/* Attach a text for the client to the agent's error ERR.  */
static gpg_error_t
agent_error (ctrl_t ctrl, gpg_error_t err, const char *socket)
{
  switch (gpg_err_code (err))
    {
    case GPG_ERR_ASS_CONNECT_FAILED:
    case GPG_ERR_ENOENT:
    case GPG_ERR_ECONNREFUSED:
      return server_error (ctrl, gpg_error (GPG_ERR_NO_AGENT),
                           "no gpg-agent running at %s", socket);
    case GPG_ERR_CANCELED:
      return server_error (ctrl, gpg_error (GPG_ERR_CANCELED),
                           "passphrase entry cancelled");
    case GPG_ERR_NO_PIN_ENTRY:
      return server_error (ctrl, gpg_error (GPG_ERR_NO_PIN_ENTRY),
                           "gpg-agent could not run its pinentry");
    case GPG_ERR_NO_PASSPHRASE:
      return server_error (ctrl, gpg_error (GPG_ERR_NO_PASSPHRASE),
                           "empty passphrase from pinentry");
    default:
      return server_error (ctrl, err, "asking gpg-agent for the passphrase");
    }
}

/* The GET_PASSPHRASE line of REQ, malloced.  */
static char *
get_passphrase_line (const struct pin_request *req)
{
  char *cacheid, *errtext, *prompt, *desc, *line = NULL;

  cacheid = percent_plus_escape (req->cacheid? req->cacheid : "X");
  errtext = percent_plus_escape (req->errtext? req->errtext : "X");
  prompt = percent_plus_escape (PIN_PROMPT);
  desc = percent_plus_escape (req->desc);
  if (cacheid && errtext && prompt && desc)
    line = gpgrt_bsprintf ("GET_PASSPHRASE --data --repeat=%d %s %s %s %s",
                           req->repeat, cacheid, errtext, prompt, desc);
  gpgrt_free (desc);
  gpgrt_free (prompt);
  gpgrt_free (errtext);
  gpgrt_free (cacheid);
  return line;
}

/* Run REQ on an agent connection with the session's options: first
 * CLEAR_PASSPHRASE of its cache id if it has an ERRTEXT (the cached
 * one was wrong), then GET_PASSPHRASE into PIN.  */
static gpg_error_t
agent_ask (ctrl_t ctrl, const struct pin_request *req, struct pin_buffer *pin,
           char **r_socket)
{
  gpgme_ctx_t actx = NULL;
  char *line, *clear = NULL;
  gpg_error_t err;

  line = get_passphrase_line (req);
  if (req->cacheid && req->errtext)
    clear = gpgrt_strconcat ("CLEAR_PASSPHRASE ", req->cacheid, NULL);
  err = line && (clear || !req->errtext) ? 0 : gpg_error_from_syserror ();
  if (!err)
    err = agent_open (&actx, r_socket);
  if (!err)
    err = agent_send_options (ctrl, actx);
  if (!err && clear)
    err = agent_transact (actx, clear, NULL);
  if (!err)
    err = agent_transact (actx, line, pin);
  gpgme_release (actx);
  gpgrt_free (clear);
  gpgrt_free (line);
  return err;
}

/* Ask gpg-agent's pinentry REQ; the passphrase goes to R_PASSPHRASE in
 * secure memory.  */
static gpg_error_t
agent_get_passphrase (ctrl_t ctrl, const struct pin_request *req,
                      char **r_passphrase)
{
  struct pin_buffer pin = { NULL, 0 };
  char *socket = NULL;
  gpg_error_t err;

  *r_passphrase = NULL;
  pin.buf = gcry_malloc_secure (MAX_PASSPHRASE_LEN + 1);
  err = pin.buf ? 0 : gpg_error_from_syserror ();
  if (!err)
    err = agent_ask (ctrl, req, &pin, &socket);
  if (!err && !pin.len)
    err = gpg_error (GPG_ERR_NO_PASSPHRASE);
  if (err && socket)
    err = agent_error (ctrl, err, socket);
  if (!err)
    *r_passphrase = pin.buf;
  else if (pin.buf)
    server_free_secret (pin.buf, MAX_PASSPHRASE_LEN + 1);
  gpgrt_free (socket);
  return err;
}

/* INQUIRE KEYWORD; an empty answer, unless the session is in
 * pinentry-mode loopback, asks gpg-agent's pinentry REQ instead.  */
static gpg_error_t
inquire_or_ask (ctrl_t ctrl, const char *keyword,
                const struct pin_request *req, char **r_passphrase)
{
  unsigned char *buf;
  size_t len;
  gpg_error_t err;

  *r_passphrase = NULL;
  err = server_inquire (ctrl, keyword, MAX_PASSPHRASE_LEN, 1, &buf, &len);
  if (err)
    return err;
  if (len)
    {
      *r_passphrase = (char *)buf;
      return 0;
    }
  server_free_secret (buf, 1);
  if (ctrl->pinentry_mode == GPGME_PINENTRY_MODE_LOOPBACK)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_PASSPHRASE),
                         "empty answer to %s in pinentry-mode loopback",
                         keyword);
  return agent_get_passphrase (ctrl, req, r_passphrase);
}

gpg_error_t
agentpass_inquire_new (ctrl_t ctrl, char **r_passphrase)
{
  const struct pin_request req = { NULL, NULL, DESC_NEW, 1 };

  return inquire_or_ask (ctrl, "NEW_PASSPHRASE", &req, r_passphrase);
}

gpg_error_t
agentpass_inquire (ctrl_t ctrl, int setup_code, char **r_passphrase)
{
  const struct pin_request req = { NULL, NULL, setup_code ? DESC_SETUP_CODE
                                                          : DESC_KEYFILE, 0 };

  return inquire_or_ask (ctrl, setup_code ? "PASSPHRASE setup-code"
                                          : "PASSPHRASE", &req, r_passphrase);
}

gpg_error_t
agentpass_for_key (ctrl_t ctrl, const char *keyid, const char *desc,
                   int prev_was_bad, char **r_passphrase)
{
  struct pin_request req = { NULL, NULL, desc, 0 };
  char *cacheid;
  gpg_error_t err;

  cacheid = gpgrt_strconcat ("gpgpack:", keyid, NULL);
  if (!cacheid)
    return gpg_error_from_syserror ();
  req.cacheid = cacheid;
  req.errtext = prev_was_bad? "Bad passphrase" : NULL;
  err = agent_get_passphrase (ctrl, &req, r_passphrase);
  gpgrt_free (cacheid);
  return err;
}

gpg_error_t
agentpass_check_loopback (ctrl_t ctrl)
{
  gpgme_ctx_t actx = NULL;
  char *socket = NULL;
  gpg_error_t err;

  err = agent_open (&actx, &socket);
  if (!err)
    err = agent_transact (actx, "OPTION pinentry-mode=loopback", NULL);
  if (gpg_err_code (err) == GPG_ERR_NOT_SUPPORTED)
    err = server_error (ctrl, err, "gpg-agent refuses loopback pinentry:"
                        " remove no-allow-loopback-pinentry from"
                        " gpg-agent.conf");
  else if (err && socket)
    err = agent_error (ctrl, err, socket);
  gpgme_release (actx);
  gpgrt_free (socket);
  return err;
}
