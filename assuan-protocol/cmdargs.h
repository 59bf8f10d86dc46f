/* cmdargs.h - split Assuan command lines into options and arguments */
#ifndef GPGPACKD_CMDARGS_H
#define GPGPACKD_CMDARGS_H

#include <gpg-error.h>

#define CMDARGS_MAX 256

/* A command line split in place: "--name[=value]" options first, then
 * the percent-unescaped arguments (after an optional "--").  */
typedef struct cmdargs
{
  int nopts;
  char *opts[CMDARGS_MAX];
  int nargs;
  char *args[CMDARGS_MAX];
} cmdargs_t;

gpg_error_t cmdargs_split (char *line, cmdargs_t *r_cmd);

/* If OPTION is "--NAME" or "--NAME=VALUE" return 1 and store VALUE (or
 * NULL) at R_VALUE; else return 0.  */
int cmdargs_match (const char *option, const char *name,
                   const char **r_value);

#endif /*GPGPACKD_CMDARGS_H*/
