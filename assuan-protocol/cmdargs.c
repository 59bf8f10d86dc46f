/* cmdargs.c - split Assuan command lines into options and arguments */
#include <config.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "argline.h"
#include "cmdargs.h"

gpg_error_t
cmdargs_split (const char *line, cmdargs_t *r_cmd)
{
  int options_done = 0;
  char *tok, *saveptr;

  r_cmd->nopts = r_cmd->nargs = 0;
  r_cmd->line = gpgrt_strdup (line);
  if (!r_cmd->line)
    return gpg_error_from_syserror ();
  for (tok = strtok_r (r_cmd->line, " \t", &saveptr); tok;
       tok = strtok_r (NULL, " \t", &saveptr))
    {
      if (!options_done && !strcmp (tok, "--"))
        options_done = 1;
      else if (!options_done && !strncmp (tok, "--", 2))
        {
          if (r_cmd->nopts == CMDARGS_MAX)
            return gpg_error (GPG_ERR_TOO_MANY);
          r_cmd->opts[r_cmd->nopts++] = tok;
        }
      else
        {
          options_done = 1;
          if (r_cmd->nargs == CMDARGS_MAX)
            return gpg_error (GPG_ERR_TOO_MANY);
          percent_unescape (tok);
          r_cmd->args[r_cmd->nargs++] = tok;
        }
    }
  return 0;
}

/* If OPTION is "--NAME" or "--NAME=VALUE" return 1 and store VALUE
 * (unescaped, or NULL) at R_VALUE; else return 0.  */
static int
match_option (const char *option, const char *name, const char **r_value)
{
  size_t n = strlen (name);

  if (strncmp (option + 2, name, n))
    return 0;
  if (!option[2 + n])
    *r_value = NULL;
  else if (option[2 + n] == '=')
    {
      *r_value = option + 2 + n + 1;
      percent_unescape ((char *)*r_value);
    }
  else
    return 0;
  return 1;
}

gpg_error_t
cmdargs_apply (const cmdargs_t *cmd, const cmdargs_opt_t *table,
               const char **r_bad)
{
  const cmdargs_opt_t *t;
  const char *value;
  int i;

  for (i = 0; i < cmd->nopts; i++)
    {
      value = NULL;
      for (t = table; t->name; t++)
        if (match_option (cmd->opts[i], t->name, &value))
          break;
      *r_bad = cmd->opts[i];
      if (!t->name)
        return gpg_error (GPG_ERR_UNKNOWN_OPTION);
      if (t->flag? !!value : !(value && *value))
        return gpg_error (GPG_ERR_INV_ARG);
      if (t->flag)
        *t->flag = 1;
      else if (t->list)
        t->list->items[t->list->count++] = value;
      else
        *t->value = value;
    }
  *r_bad = NULL;
  return 0;
}


void
cmdargs_release (cmdargs_t *cmd)
{
  gpgrt_free (cmd->line);
  cmd->line = NULL;
}
