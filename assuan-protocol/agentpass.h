/* agentpass.h - passphrases from gpg-agent's pinentry, where the client is */
#ifndef GPGPACKD_AGENTPASS_H
#define GPGPACKD_AGENTPASS_H

#include "gpgpackd.h"

/* The passphrases below go to R_PASSPHRASE in secure memory (free it
 * with server_free_secret).  gpg-agent is asked on a connection that
 * first gets the session's OPTIONs (ttyname, display, ...), so its
 * pinentry shows where the client is.  */

/* INQUIRE NEW_PASSPHRASE; if the client answers with an empty END and
 * the session is not in pinentry-mode loopback, ask gpg-agent for a
 * new key file passphrase (twice, not cached) instead.  */
gpg_error_t agentpass_inquire_new (ctrl_t ctrl, char **r_passphrase);

/* INQUIRE PASSPHRASE (a key file's, or with SETUP_CODE "PASSPHRASE
 * setup-code": a pack's setup code); an empty answer asks gpg-agent
 * (once, not cached) as agentpass_inquire_new does.  */
gpg_error_t agentpass_inquire (ctrl_t ctrl, int setup_code,
                               char **r_passphrase);

/* Ask gpg-agent for the passphrase of the OpenPGP key KEYID, showing
 * DESC, with the cache id "gpgpack:KEYID" (gpg-agent's cache TTLs
 * apply).  PREV_WAS_BAD clears the cached one and says "Bad
 * passphrase".  */
gpg_error_t agentpass_for_key (ctrl_t ctrl, const char *keyid,
                               const char *desc, int prev_was_bad,
                               char **r_passphrase);

/* Check that gpg-agent allows loopback pinentry, through which the
 * daemon's gpg's ask it for the keys' passphrases (a gpg refused
 * loopback exports secret keys as nothing, without an error).
 * GPG_ERR_NO_AGENT if none is running.  */
gpg_error_t agentpass_check_loopback (ctrl_t ctrl);

#endif /*GPGPACKD_AGENTPASS_H*/
