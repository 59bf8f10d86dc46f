/* connect.c - connect to gpgpackd, starting it when nothing listens */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpgpack.h"
#include "socketdir.h"
#include "daemonspawn.h"

/* What try_connect connects: CTX (libassuan) to the socket SOCKNAME.  */
struct try_connect_parm
{
  assuan_context_t ctx;
  const char *sockname;
};

/* gpgpack_start_daemon's probe: connect to the daemon.  */
static gpg_error_t
try_connect (void *opaque)
{
  struct try_connect_parm *parm = opaque;

  return assuan_socket_connect (parm->ctx, parm->sockname,
                                ASSUAN_INVALID_PID, 0);
}

/* Send "OPTION NAME=VALUE" if VALUE is set.  If OPTIONAL, a daemon
   that does not know the option is fine.  */
static gpg_error_t
send_option (assuan_context_t ctx, const char *name, const char *value,
             int optional)
{
  transact_parm_t parm = { ctx };
  gpg_error_t err;
  char *line;

  if (!value || !*value)
    return 0;
  line = gpgrt_bsprintf ("OPTION %s=%s", name, value);
  if (!line)
    return gpg_error_from_syserror ();
  err = transact (&parm, line);
  gpgrt_free (line);
  transact_release (&parm);
  if (optional && gpg_err_code (err) == GPG_ERR_UNKNOWN_OPTION)
    err = 0;
  return err;
}

/* The locale of CATEGORY ("LC_CTYPE"...) as setlocale would take it
   from the environment, or NULL.  */
static const char *
env_locale (const char *category)
{
  const char *names[] = { "LC_ALL", category, "LANG" };
  const char *value;
  int i;

  for (i = 0; i < DIM (names); i++)
    if ((value = getenv (names[i])) && *value)
      return value;
  return NULL;
}

/* Send "OPTION putenv=NAME=VALUE" with NAME's value in our environment,
   empty if it is not set (so gpg-agent's own does not count).  */
static gpg_error_t
send_putenv (assuan_context_t ctx, const char *name)
{
  const char *value = getenv (name);
  gpg_error_t err;
  char *assignment;

  assignment = gpgrt_strconcat (name, "=", value ? value : "", NULL);
  if (!assignment)
    return gpg_error_from_syserror ();
  err = send_option (ctx, "putenv", assignment, 1);
  gpgrt_free (assignment);
  return err;
}

/* Tell the daemon about our terminal and display, as gpg tells
   gpg-agent, so gpg-agent's pinentry shows up here; ask for loopback
   pinentry when the OpenPGP keys' passphrase is given in a file or
   fd.  */
static gpg_error_t
send_session_options (assuan_context_t ctx)
{
  const char *tty = getenv ("GPG_TTY");
  const char *display = getenv ("DISPLAY");
  gpg_error_t err = 0;

  if (!tty || !*tty)
    tty = ttyname (0);
  if (passphrase_have_openpgp_source ())
    err = send_option (ctx, "pinentry-mode", "loopback", 0);
  if (!err)
    err = send_option (ctx, "ttyname", tty, 1);
  if (!err)
    err = send_option (ctx, "ttytype", getenv ("TERM"), 1);
  if (!err && display && *display)
    err = send_option (ctx, "display", display, 1);
  else if (!err)  /* None here: or gpg-agent would use its own.  */
    err = send_putenv (ctx, "DISPLAY");
  if (!err)
    err = send_option (ctx, "xauthority", getenv ("XAUTHORITY"), 1);
  if (!err)
    err = send_putenv (ctx, "WAYLAND_DISPLAY");
  if (!err)
    err = send_option (ctx, "lc-ctype", env_locale ("LC_CTYPE"), 1);
  if (!err)
    err = send_option (ctx, "lc-messages", env_locale ("LC_MESSAGES"), 1);
  return err;
}

/* Connect PARM->ctx to the daemon of the active homedir, starting it
   if needed, and send our session options.  On error PARM->detail
   says what went wrong.  */
gpg_error_t
connect_daemon (transact_parm_t *parm)
{
  gpg_error_t err;
  char *homedir = NULL;
  char *sockname = NULL;

  homedir = gpgpack_homedir (opt.homedir);
  if (!homedir)
    return gpg_error_from_syserror ();
  err = gpgpack_check_homedir (homedir);
  if (err)
    {
      parm->detail = gpgrt_bsprintf ("no such GnuPG home: %s", homedir);
      goto leave;
    }
  err = gpgpack_socket_name (opt.homedir, &sockname);
  if (!err)
    err = assuan_new (&parm->ctx);
  if (err)
    goto leave;
  if (opt.verbose > 1)
    log_info ("connecting to '%s'\n", sockname);

  err = assuan_socket_connect (parm->ctx, sockname, ASSUAN_INVALID_PID, 0);
  if (err && opt.no_autostart)
    {
      err = gpg_error (GPG_ERR_NO_AGENT);
      parm->detail = gpgrt_bsprintf ("nothing listens on %s"
                                     " and --no-autostart is given",
                                     sockname);
    }
  else if (err)
    {
      struct try_connect_parm tc = { parm->ctx, sockname };

      err = gpgpack_start_daemon (homedir, opt.homedir ? homedir : NULL,
                                  opt.verbose, try_connect, &tc,
                                  &parm->detail);
      if (err && !parm->detail)
        parm->detail = gpgrt_bsprintf ("starting %s (socket %s)",
                                       gpgpack_daemon_program (), sockname);
    }
  if (!err)
    err = send_session_options (parm->ctx);

 leave:
  gpgrt_free (sockname);
  gpgrt_free (homedir);
  return err;
}
