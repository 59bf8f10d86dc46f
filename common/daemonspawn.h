/* daemonspawn.h - start gpgpackd for a client that found no daemon listening */
#ifndef GPGPACK_DAEMONSPAWN_H
#define GPGPACK_DAEMONSPAWN_H

#include <gpg-error.h>

/* Connect the caller's Assuan connection (libassuan or GPGME) to the
 * daemon's socket; 0 once something answers.  */
typedef gpg_error_t (*gpgpack_connect_fn_t) (void *opaque);

/* The daemon to start: $GPGPACKD (tests) or the installed one.  */
const char *gpgpack_daemon_program (void);

/* Start "gpgpackd --daemon" of HOMEDIR (absolute) the way gpg starts
 * gpg-agent: under the spawn lock file of HOMEDIR, unless TRY_CONNECT
 * (called with OPAQUE) succeeds meanwhile; wait for it with a bound
 * and connect with TRY_CONNECT.  HOMEDIR_OPT is the --homedir to pass
 * on (what the user gave) or NULL.  VERBOSE logs the start.  On error
 * *R_DETAIL may get a malloced text saying why.  */
gpg_error_t gpgpack_start_daemon (const char *homedir,
                                  const char *homedir_opt, int verbose,
                                  gpgpack_connect_fn_t try_connect,
                                  void *opaque, char **r_detail);

#endif /*GPGPACK_DAEMONSPAWN_H*/
