/* pinhome.h - test homes whose gpg-agent asks the scripted pinentry
 *
 * A pinentry home is a harness home (th_home_create) whose
 * gpg-agent.conf names pinentry-record.sh, through a symlink
 * HOME/pinentry, as its pinentry.  The script appends a line "GETPIN"
 * per question to HOME/pinentry.log and answers the N-th question with
 * line N of HOME/pinentry.pass (its last line if it has fewer), or
 * cancels while HOME/pinentry.cancel exists; it also records the
 * description of each question ("SETDESC ...").  So a test decides what
 * the user types and counts how often the user was asked.
 *
 * The script is found as $srcdir/pinentry-record.sh (ph_init).
 */
#ifndef GPGPACK_TESTS_PINHOME_H
#define GPGPACK_TESTS_PINHOME_H

#include "harness.h"

/* Find pinentry-record.sh; call once after th_init.  */
gpg_error_t ph_init (void);

/* Create HOME as a pinentry home with gpg-agent's cache TTL (0: every
 * use of a protected key asks).  */
gpg_error_t ph_home_create (th_home_t *home, int ttl);

/* Create TO as a pinentry home (TTL 0) holding a byte copy of FROM's
 * keyring: pubring.kbx and the key files of private-keys-v1.d, so
 * protected secret keys stay protected by the same passphrases.  */
gpg_error_t ph_home_clone (th_home_t *from, th_home_t *to);

/* Start a new recording in HOME: empty log, PASSES ("\n"-terminated
 * lines) as the answers, and with CANCEL every question cancelled.  */
gpg_error_t ph_answer (th_home_t *home, const char *passes, int cancel);

/* How often pinentry asked in HOME since ph_answer.  */
int ph_asked (th_home_t *home);

/* True if a question in HOME since ph_answer had TEXT in its
 * description (SETDESC, e.g. the key's user id).  */
int ph_described (th_home_t *home, const char *text);

#endif /*GPGPACK_TESTS_PINHOME_H*/
