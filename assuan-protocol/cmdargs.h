/* cmdargs.h - split Assuan command lines into options and arguments */
#ifndef GPGPACKD_CMDARGS_H
#define GPGPACKD_CMDARGS_H

#include <gpg-error.h>

#define CMDARGS_MAX 256

/* A command line split into "--name[=value]" options first, then the
 * percent-unescaped arguments (after an optional "--").  They point
 * into a copy of the line: Assuan reuses its line buffer for inquiries. */
typedef struct cmdargs
{
  char *line;
  int nopts;
  char *opts[CMDARGS_MAX];
  int nargs;
  char *args[CMDARGS_MAX];
} cmdargs_t;

gpg_error_t cmdargs_split (const char *line, cmdargs_t *r_cmd);
void cmdargs_release (cmdargs_t *cmd);

/* The values of an option given several times, in order.  */
typedef struct cmdargs_list
{
  unsigned int count;
  const char *items[CMDARGS_MAX];
} cmdargs_list_t;

/* An option a command accepts: "--NAME" sets *FLAG to 1, "--NAME=VALUE"
 * with a non-empty VALUE stores it at *VALUE (pointing into the copy of
 * the line; given again, the last one counts) or appends it to *LIST
 * (a repeatable option).  Exactly one of FLAG, VALUE and LIST is set; a
 * NULL NAME ends a table.  */
typedef struct cmdargs_opt
{
  const char *name;
  int *flag;
  const char **value;
  cmdargs_list_t *list;
} cmdargs_opt_t;

/* Apply the options of CMD to TABLE.  An option not in TABLE gives
 * GPG_ERR_UNKNOWN_OPTION, a flag with a value or a missing value
 * GPG_ERR_INV_ARG; the offending option is then stored at R_BAD.  */
gpg_error_t cmdargs_apply (const cmdargs_t *cmd, const cmdargs_opt_t *table,
                           const char **r_bad);

#endif /*GPGPACKD_CMDARGS_H*/
