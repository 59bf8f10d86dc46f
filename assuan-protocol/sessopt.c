/* sessopt.c - a session's pinentry settings (OPTION ttyname, display...)
 *
 * They are kept as the "NAME=VALUE" strings gpg-agent takes with its
 * own OPTION command, in ctrl->sessopt, and sent on every connection
 * the daemon opens to gpg-agent for this session (agentpass.c), so
 * the pinentry shows where the client is.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>

#include "sessopt.h"

/* The options kept for gpg-agent.  */
static const char *const known_names[] =
  { "ttyname", "ttytype", "display", "xauthority", "lc-ctype",
    "lc-messages", "putenv", NULL };

/* Return true if NAME is one of known_names.  */
static int
is_known (const char *name)
{
  int i;

  for (i = 0; known_names[i]; i++)
    if (!strcmp (known_names[i], name))
      return 1;
  return 0;
}

/* Length of the prefix of ENTRY ("NAME=VALUE" or "putenv=VAR=VALUE")
 * that names the setting: "NAME=" or "putenv=VAR=".  */
static size_t
key_length (const char *entry)
{
  const char *eq = strchr (entry, '=');

  if (!strncmp (entry, "putenv=", 7))
    eq = strchr (eq + 1, '=');
  return eq - entry + 1;
}

/* Check VALUE of option NAME; for putenv it must be VAR=VALUE with VAR
 * a shell variable name.  */
static gpg_error_t
check_value (ctrl_t ctrl, const char *name, const char *value)
{
  const unsigned char *s;
  size_t varlen;

  if (strlen (value) > SESSOPT_MAXLEN)
    return server_error (ctrl, gpg_error (GPG_ERR_TOO_LARGE),
                         "OPTION %s: value longer than %d bytes",
                         name, SESSOPT_MAXLEN);
  for (s = (const unsigned char *)value; *s; s++)
    if (*s < ' ' || *s == 0x7f)
      return server_error (ctrl, gpg_error (GPG_ERR_INV_VALUE),
                           "OPTION %s: control character in the value",
                           name);
  if (strcmp (name, "putenv"))
    return 0;
  varlen = strspn (value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "abcdefghijklmnopqrstuvwxyz0123456789_");
  if (!varlen || value[varlen] != '=' || (*value >= '0' && *value <= '9'))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_VALUE),
                         "OPTION putenv wants VARIABLE=VALUE");
  return 0;
}

/* Index of the entry of CTRL with the key of ENTRY, or the count.  */
static unsigned int
find_entry (ctrl_t ctrl, const char *entry)
{
  size_t keylen = key_length (entry);
  unsigned int i;

  for (i = 0; i < ctrl->nsessopt; i++)
    if (key_length (ctrl->sessopt[i]) == keylen
        && !strncmp (ctrl->sessopt[i], entry, keylen))
      break;
  return i;
}

/* Remove entry I of CTRL.  */
static void
remove_entry (ctrl_t ctrl, unsigned int i)
{
  gpgrt_free (ctrl->sessopt[i]);
  ctrl->sessopt[i] = ctrl->sessopt[--ctrl->nsessopt];
}

gpg_error_t
sessopt_set (ctrl_t ctrl, const char *name, const char *value)
{
  char *entry;
  unsigned int i;
  gpg_error_t err;

  if (!is_known (name))
    return gpg_error (GPG_ERR_UNKNOWN_OPTION);
  err = check_value (ctrl, name, value);
  if (err)
    return err;
  entry = gpgrt_strconcat (name, "=", value, NULL);
  if (!entry)
    return gpg_error_from_syserror ();
  i = find_entry (ctrl, entry);
  if (i < ctrl->nsessopt)
    remove_entry (ctrl, i);
  if (ctrl->nsessopt == MAX_SESSOPT)
    {
      gpgrt_free (entry);
      return server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                           "more than %d session options for gpg-agent",
                           MAX_SESSOPT);
    }
  else
    ctrl->sessopt[ctrl->nsessopt++] = entry;
  return 0;
}

const char *
sessopt_get (ctrl_t ctrl, const char *name)
{
  size_t len = strlen (name);
  unsigned int i;

  for (i = 0; i < ctrl->nsessopt; i++)
    if (!strncmp (ctrl->sessopt[i], name, len) && ctrl->sessopt[i][len] == '=')
      return ctrl->sessopt[i] + len + 1;
  return NULL;
}

void
sessopt_release (ctrl_t ctrl)
{
  while (ctrl->nsessopt)
    remove_entry (ctrl, ctrl->nsessopt - 1);
}
