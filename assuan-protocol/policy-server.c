/* policy-server.c - the policy rules in force as a session meets them */
#include <config.h>
#include <string.h>

#include "gpgpackd.h"
#include "policy.h"

/* Give the refusal ERR with its malloced TEXT (NULL: none) to the
 * client's ERR line; free TEXT.  */
static gpg_error_t
refusal (ctrl_t ctrl, gpg_error_t err, char *text)
{
  if (text)
    err = server_error (ctrl, err, "%s", text);
  gpgrt_free (text);
  return err;
}

/* Check REQ against the rules in force; a refusal goes to the
 * client's ERR line.  */
gpg_error_t
policy_check_export (ctrl_t ctrl, const policy_export_t *req)
{
  policy_t pol = policy_acquire ();
  gpg_error_t err;
  char *text;

  err = policy_check (pol, req, &text);
  policy_release (pol);
  return refusal (ctrl, err, text);
}

/* Check the --verify-key FPR of an import against the rules in force;
 * a refusal goes to the client's ERR line.  */
gpg_error_t
policy_check_import (ctrl_t ctrl, const char *fpr)
{
  policy_t pol = policy_acquire ();
  gpg_error_t err;
  char *text;

  err = policy_check_verify_key (pol, fpr, &text);
  policy_release (pol);
  return refusal (ctrl, err, text);
}

int
policy_sign_key (char r_fpr[65])
{
  policy_t pol = policy_acquire ();
  int found = policy_get_sign_key (pol, r_fpr);

  policy_release (pol);
  return found;
}

/* GETINFO policy: one D line per rule in force.  */
gpg_error_t
policy_describe (ctrl_t ctrl)
{
  policy_t pol = policy_acquire ();
  gpg_error_t err;
  char *text;

  err = policy_format (pol, &text);
  policy_release (pol);
  if (!err)
    err = assuan_send_data (ctrl->assuan, text, strlen (text));
  gpgrt_free (text);
  return err;
}
