/* sessopt.h - a session's pinentry settings (OPTION ttyname, display...) */
#ifndef GPGPACKD_SESSOPT_H
#define GPGPACKD_SESSOPT_H

#include "gpgpackd.h"

/* Longest value of one session option (a tty name, a display, an
 * environment variable with its value).  */
#define SESSOPT_MAXLEN 512

/* Store the session option NAME=VALUE of CTRL for gpg-agent's
 * pinentry: ttyname, ttytype, display, xauthority, lc-ctype,
 * lc-messages, putenv (VAR=VALUE, once per variable).  A later value
 * replaces an earlier one.  Another NAME is
 * GPG_ERR_UNKNOWN_OPTION (no text attached); a bad value or too many
 * putenv variables an error with a text for the client.  */
gpg_error_t sessopt_set (ctrl_t ctrl, const char *name, const char *value);

/* The value of the session option NAME (not putenv), or NULL.  */
const char *sessopt_get (ctrl_t ctrl, const char *name);

/* Free the session options of CTRL.  */
void sessopt_release (ctrl_t ctrl);

#endif /*GPGPACKD_SESSOPT_H*/
