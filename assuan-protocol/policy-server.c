/* policy-server.c - the policy rules in force as a session meets them */
#include <config.h>
#include <string.h>

#include "gpgpackd.h"
#include "policy.h"

/* Check REQ against the rules in force; a refusal goes to the
 * client's ERR line with its text.  */
gpg_error_t
policy_check_export (ctrl_t ctrl, const policy_export_t *req)
{
  policy_t pol = policy_acquire ();
  gpg_error_t err;
  char *text;

  err = policy_check (pol, req, &text);
  policy_release (pol);
  if (text)
    err = server_error (ctrl, err, "%s", text);
  gpgrt_free (text);
  return err;
}

/* Check the --verify-key FPR of an import as any request.  */
gpg_error_t
policy_check_import (ctrl_t ctrl, const char *fpr)
{
  policy_export_t req = { .op = POLICY_IMPORT, .verify_fpr = fpr };

  return policy_check_export (ctrl, &req);
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
