/* agentpass.c - a new key file passphrase from the client or gpg-agent's pinentry */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "socketdir.h"
#include "agentpass.h"
#include "cmdargs.h"

/* What gpg-agent's pinentry shows; cmdargs_escape makes them arguments.  */
#define PIN_PROMPT "Passphrase:"
#define PIN_DESC   "Please enter a passphrase to protect the key file\n" \
                   "of the key package gpgpackd is exporting."

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

/* Hand the session's pinentry-mode on to gpg-agent: cancel and error
 * make the agent fail instead of asking.  */
static gpg_error_t
agent_set_pinentry_mode (ctrl_t ctrl, gpgme_ctx_t actx)
{
  if (ctrl->pinentry_mode == GPGME_PINENTRY_MODE_CANCEL)
    return agent_transact (actx, "OPTION pinentry-mode=cancel", NULL);
  if (ctrl->pinentry_mode == GPGME_PINENTRY_MODE_ERROR)
    return agent_transact (actx, "OPTION pinentry-mode=error", NULL);
  return 0;
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

/* Ask gpg-agent for a new passphrase, entered twice, not cached.  */
static gpg_error_t
agent_get_new_passphrase (ctrl_t ctrl, char **r_passphrase)
{
  struct pin_buffer pin = { NULL, 0 };
  gpgme_ctx_t actx = NULL;
  char *socket = NULL, *prompt, *desc, *command = NULL;
  gpg_error_t err;

  prompt = cmdargs_escape (PIN_PROMPT, 1);
  desc = cmdargs_escape (PIN_DESC, 1);
  if (prompt && desc)
    command = gpgrt_bsprintf ("GET_PASSPHRASE --data --repeat=1 X X %s %s",
                              prompt, desc);
  pin.buf = gcry_malloc_secure (MAX_PASSPHRASE_LEN + 1);
  err = command && pin.buf ? 0 : gpg_error_from_syserror ();
  if (!err)
    err = agent_open (&actx, &socket);
  if (!err)
    err = agent_set_pinentry_mode (ctrl, actx);
  if (!err)
    err = agent_transact (actx, command, &pin);
  if (!err && !pin.len)
    err = gpg_error (GPG_ERR_NO_PASSPHRASE);
  if (err && socket)
    err = agent_error (ctrl, err, socket);
  if (!err)
    *r_passphrase = pin.buf;
  else if (pin.buf)
    server_free_secret (pin.buf, MAX_PASSPHRASE_LEN + 1);
  gpgme_release (actx);
  gpgrt_free (socket);
  gpgrt_free (command);
  gpgrt_free (desc);
  gpgrt_free (prompt);
  return err;
}

gpg_error_t
agentpass_inquire_new (ctrl_t ctrl, char **r_passphrase)
{
  unsigned char *buf;
  size_t len;
  gpg_error_t err;

  *r_passphrase = NULL;
  err = server_inquire (ctrl, "NEW_PASSPHRASE", MAX_PASSPHRASE_LEN, 1,
                        &buf, &len);
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
                         "empty answer to NEW_PASSPHRASE");
  return agent_get_new_passphrase (ctrl, r_passphrase);
}
