/* agentpass.h - a new key file passphrase from the client or gpg-agent's pinentry */
#ifndef GPGPACKD_AGENTPASS_H
#define GPGPACKD_AGENTPASS_H

#include "gpgpackd.h"

/* INQUIRE NEW_PASSPHRASE; if the client answers with an empty END and
 * the session is not in pinentry-mode loopback, ask gpg-agent of our
 * homedir for a new passphrase with its pinentry instead.  The
 * passphrase goes to R_PASSPHRASE in secure memory (free it with
 * server_free_secret).  */
gpg_error_t agentpass_inquire_new (ctrl_t ctrl, char **r_passphrase);

#endif /*GPGPACKD_AGENTPASS_H*/
