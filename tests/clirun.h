/* clirun.h - run the gpgpack CLI in the harness's test homes
 *
 * Shared by the CLI tests (check_cli, check_messages): the program is
 * $GPGPACK (set by tests/Makefile.am); link libclirun.a before
 * $(HARNESS_LDADD).
 */
#ifndef GPGPACK_TESTS_CLIRUN_H
#define GPGPACK_TESTS_CLIRUN_H

#include <stdarg.h>
#include "harness.h"

/* The gpgpack program under test; set by clirun_main.  */
extern const char *clirun_gpgpack;

/* The main of a CLI test program NAME: skip (77) unless $GPGPACK is
 * executable, else th_main (SETUP, SUITE).  */
int clirun_main (const char *name, void (*setup) (void),
                 Suite *(*suite) (void));

/* Run ARGV like th_run; when the caller does not look at stderr
 * (R_ERR NULL), a failing run shows it in the test log.  */
int clirun_argv (const char *argv[], const char *stdin_text, char **r_out,
                 char **r_err);

/* Run "gpgpack --homedir HOME --batch ARGS..." (ARGS NULL-terminated,
 * at most 27) with STDIN_TEXT; return the exit status (-1 if it could
 * not run) and the output in R_OUT and R_ERR (malloced, may be NULL).
 * No Check assertion: usable in a program's setup too.  */
int clirun (th_home_t *home, const char *stdin_text, char **r_out,
            char **r_err, ...);
int clirun_va (th_home_t *home, const char *stdin_text, char **r_out,
               char **r_err, va_list ap);

/* "DIR/NAME" in one of four static buffers, so that one call can take
 * several of them.  */
const char *clirun_path (const char *dir, const char *name);

/* Assert that HOME's keyring is empty.  */
void clirun_assert_keyring_empty (th_home_t *home);

#endif /*GPGPACK_TESTS_CLIRUN_H*/
