/* keypass.c - passphrases of OpenPGP keys for the gpg's GPGME runs
 *
 * gpg always runs in pinentry-mode loopback, so its questions come to
 * a GPGME passphrase callback here.  With the session's pinentry-mode
 * loopback the client is asked (INQUIRE KEY_PASSPHRASE); with default
 * or ask, gpg-agent's pinentry, through agentpass.c, with the
 * session's ttyname/display.  GPGME cannot give each gpg its own
 * environment, this way the parallel export keeps its threads.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyring.h"
#include "agentpass.h"
#include "argline.h"

/* How often gpg-agent's pinentry asks for one key's passphrase when
 * gpg refuses it: gpg in loopback tries only once, so the operation is
 * run again (keypass_retry), as gpg-agent's own pinentry would ask.  */
#define KEYPASS_TRIES 3

/* How many keys of one gpg run are remembered for a retry.  */
#define MAX_ASKED 16

/* Key ids of keys asked for.  */
struct keyids
{
  unsigned int n;
  char id[MAX_ASKED][17];
};

/* The keys the agent path asked for in the current gpg run of this
 * thread, and those of the run before that gpg ended with a refused
 * passphrase: those are asked again with "Bad passphrase".  A GPGME
 * operation calls its passphrase callback in the thread that runs it,
 * so this is the state of one export piece.  */
static __thread struct keyids asked, refused;

/* True if IDS holds KEYID.  */
static int
keyids_have (const struct keyids *ids, const char *keyid)
{
  unsigned int i;

  for (i = 0; i < ids->n; i++)
    if (!strcmp (ids->id[i], keyid))
      return 1;
  return 0;
}

/* Give the passphrase PASS to gpg on FD, and wipe and free it.  */
static gpg_error_t
write_passphrase (char *pass, size_t passlen, int fd)
{
  gpg_error_t err = 0;

  if (gpgme_io_writen (fd, pass, passlen) || gpgme_io_writen (fd, "\n", 1))
    err = gpg_error_from_syserror ();
  server_free_secret (pass, passlen);
  return err;
}

/* GPGME passphrase callback for pinentry-mode loopback: ask the client
 * with INQUIRE KEY_PASSPHRASE <uid_hint>.  */
static gpgme_error_t
client_passphrase_cb (void *opaque, const char *uid_hint, const char *info,
                      int prev_was_bad, int fd)
{
  ctrl_t ctrl = opaque;
  char *hint, *keyword = NULL;
  unsigned char *pass = NULL;
  size_t passlen = 0;
  gpg_error_t err;

  npth_protect ();
  hint = percent_escape (uid_hint? uid_hint : "");
  if (hint)
    keyword = gpgrt_bsprintf ("KEY_PASSPHRASE %s", hint);
  if (!keyword)
    err = gpg_error_from_syserror ();
  else
    err = server_inquire (ctrl, keyword, MAX_PASSPHRASE_LEN, 1,
                          &pass, &passlen);
  gpgrt_free (keyword);
  gpgrt_free (hint);
  npth_unprotect ();
  if (err)
    return err;
  return write_passphrase ((char *)pass, passlen, fd);
}

/* What the daemon is doing with a key, for pinentry's text.  */
static const char *
current_operation (ctrl_t ctrl)
{
  const char *command = assuan_get_command_name (ctrl->assuan);

  if (command && !strcmp (command, "PACK_IMPORT"))
    return "import it from a key package";
  return "export it into a key package";
}

/* The pinentry text for the key of UID_HINT ("KEYID USER ID"),
 * malloced; the key id goes to KEYID.  */
static char *
key_description (ctrl_t ctrl, const char *uid_hint, char keyid[17])
{
  size_t n = uid_hint? strcspn (uid_hint, " ") : 0;
  const char *uid = n? uid_hint + n + (uid_hint[n] == ' ') : "";

  snprintf (keyid, 17, "%.*s", n > 16? 16 : (int)n, uid_hint? uid_hint : "");
  return gpgrt_bsprintf ("Please enter the passphrase of the OpenPGP"
                         " secret key\n\"%s\"\nID %s: gpgpackd is about to"
                         " %s.", uid, *keyid? keyid : "?",
                         current_operation (ctrl));
}

/* GPGME passphrase callback for pinentry-mode default and ask: ask
 * gpg-agent's pinentry on the client's terminal or display.  */
static gpgme_error_t
agent_passphrase_cb (void *opaque, const char *uid_hint, const char *info,
                     int prev_was_bad, int fd)
{
  ctrl_t ctrl = opaque;
  char keyid[17], *desc, *pass = NULL;
  gpg_error_t err;

  npth_protect ();
  desc = key_description (ctrl, uid_hint, keyid);
  if (keyids_have (&refused, keyid))
    prev_was_bad = 1;
  if (asked.n < MAX_ASKED && !keyids_have (&asked, keyid))
    strcpy (asked.id[asked.n++], keyid);
  if (!desc)
    err = gpg_error_from_syserror ();
  else
    err = agentpass_for_key (ctrl, keyid, desc, prev_was_bad, &pass);
  gpgrt_free (desc);
  npth_unprotect ();
  if (err)
    return err;
  return write_passphrase (pass, strlen (pass), fd);
}

gpg_error_t
keypass_setup (ctrl_t ctrl, gpgme_ctx_t ctx)
{
  switch (ctrl->pinentry_mode)
    {
    case GPGME_PINENTRY_MODE_LOOPBACK:
      gpgme_set_passphrase_cb (ctx, client_passphrase_cb, ctrl);
      break;
    case GPGME_PINENTRY_MODE_CANCEL:
    case GPGME_PINENTRY_MODE_ERROR:
      return gpgme_set_pinentry_mode (ctx, ctrl->pinentry_mode);
    default:
      gpgme_set_passphrase_cb (ctx, agent_passphrase_cb, ctrl);
      break;
    }
  return gpgme_set_pinentry_mode (ctx, GPGME_PINENTRY_MODE_LOOPBACK);
}

int
keypass_retry (ctrl_t ctrl, gpg_error_t err, int tries)
{
  int retry = (gpg_err_code (err) == GPG_ERR_BAD_PASSPHRASE
               && tries < KEYPASS_TRIES
               && (ctrl->pinentry_mode == GPGME_PINENTRY_MODE_DEFAULT
                   || ctrl->pinentry_mode == GPGME_PINENTRY_MODE_ASK));

  refused = asked;
  if (!retry)
    refused.n = 0;
  asked.n = 0;
  return retry;
}

/* Make gpg start gpg-agent for CTX: list the secret key FPR.  */
static void
start_agent (gpgme_ctx_t ctx, const char *fpr)
{
  gpgme_key_t key;

  UNLOCKED (if (!gpgme_op_keylist_start (ctx, fpr, 1)
                && !gpgme_op_keylist_next (ctx, &key))
              gpgme_key_unref (key);
            gpgme_op_keylist_end (ctx));
}

gpg_error_t
keypass_check (ctrl_t ctrl, gpgme_ctx_t ctx, const char *fpr)
{
  gpg_error_t err;

  if (ctrl->pinentry_mode != GPGME_PINENTRY_MODE_DEFAULT
      && ctrl->pinentry_mode != GPGME_PINENTRY_MODE_ASK)
    return 0;
  err = agentpass_check_loopback (ctrl);
  if (gpg_err_code (err) == GPG_ERR_NO_AGENT)
    {
      start_agent (ctx, fpr);
      err = agentpass_check_loopback (ctrl);
    }
  return err;
}
