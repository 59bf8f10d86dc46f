/* server.c - the Assuan command table and session handling of gpgpackd
 *
 * Modelled on GnuPG's kbx/kbxserver.c: a static command table, one
 * cmd_* per command with its hlp_* text right above it, an option
 * handler for the per-connection settings and GETINFO.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdarg.h>
#include <unistd.h>

#include "gpgpackd.h"
#include "cmdargs.h"
#include "sessopt.h"
#include "policy.h"
#include "argline.h"

#define set_error(e,t) assuan_set_error (ctx, gpg_error (e), (t))

/* OPTION: pinentry-mode here, the pinentry settings in sessopt.c.  */
static gpg_error_t
option_handler (assuan_context_t ctx, const char *key, const char *value)
{
  ctrl_t ctrl = assuan_get_pointer (ctx);
  gpg_error_t err;

  if (!strcmp (key, "pinentry-mode"))
    {
      if (!strcmp (value, "default"))
        ctrl->pinentry_mode = GPGME_PINENTRY_MODE_DEFAULT;
      else if (!strcmp (value, "ask"))
        ctrl->pinentry_mode = GPGME_PINENTRY_MODE_ASK;
      else if (!strcmp (value, "loopback"))
        ctrl->pinentry_mode = GPGME_PINENTRY_MODE_LOOPBACK;
      else if (!strcmp (value, "cancel"))
        ctrl->pinentry_mode = GPGME_PINENTRY_MODE_CANCEL;
      else if (!strcmp (value, "error"))
        ctrl->pinentry_mode = GPGME_PINENTRY_MODE_ERROR;
      else
        return set_error (GPG_ERR_INV_VALUE, "unknown pinentry-mode");
      return 0;
    }
  err = sessopt_set (ctrl, key, value);
  if (gpg_err_code (err) == GPG_ERR_UNKNOWN_OPTION)
    return set_error (GPG_ERR_UNKNOWN_OPTION, key);
  return err;
}


/* Send the status line KEYWORD with the formatted arguments.  */
gpg_error_t
server_status (ctrl_t ctrl, const char *keyword, const char *fmt, ...)
{
  va_list ap;
  char *args;
  gpg_error_t err;

  va_start (ap, fmt);
  args = gpgrt_vbsprintf (fmt, ap);
  va_end (ap);
  if (!args)
    return gpg_error_from_syserror ();
  err = assuan_write_status (ctrl->assuan, keyword, args);
  gpgrt_free (args);
  return err;
}

/* Attach a formatted text to ERR for the client's ERR line.  */
gpg_error_t
server_error (ctrl_t ctrl, gpg_error_t err, const char *fmt, ...)
{
  va_list ap;
  char *text;

  va_start (ap, fmt);
  text = gpgrt_vbsprintf (fmt, ap);
  va_end (ap);
  if (!text)
    return err;
  if (opt.verbose)
    log_info ("error: %s: %s\n", text, gpg_strerror (err));
  /* libassuan keeps only the pointer until the command is done.  */
  gpgrt_free (ctrl->errtext);
  ctrl->errtext = text;
  ctrl->errcode = err;
  return assuan_set_error (ctrl->assuan, err, text);
}

/* Split LINE into ARGS and apply its options to TABLE; say what is
 * wrong with them in the client's ERR line.  */
gpg_error_t
server_parse_args (ctrl_t ctrl, const char *line,
                   const cmdargs_opt_t *table, cmdargs_t *args)
{
  const char *bad;
  gpg_error_t err;

  err = cmdargs_split (line, args);
  if (err)
    return server_error (ctrl, err, "more than %d arguments on one line"
                         " (PACK_EXPORT takes more patterns with"
                         " --inquire-patterns)", CMDARGS_MAX);
  err = cmdargs_apply (args, table, &bad);
  if (gpg_err_code (err) == GPG_ERR_UNKNOWN_OPTION)
    return server_error (ctrl, err, "unknown option '%s'", bad);
  if (err)
    return server_error (ctrl, err, "bad use of option '%s'", bad);
  return 0;
}

/* Wipe and free a secret buffer from server_inquire.  */
void
server_free_secret (void *buf, size_t len)
{
  if (!buf)
    return;
  wipememory (buf, len);
  gcry_free (buf);
}

/* Announce MAXLEN with an INQUIRE_MAXLEN status line and INQUIRE
 * KEYWORD.  The answer is stored at R_BUF/R_LEN, NUL terminated; with
 * SECRET in wiped secure memory (free it with server_free_secret),
 * else as assuan memory (free it with assuan_free).  */
gpg_error_t
server_inquire (ctrl_t ctrl, const char *keyword, size_t maxlen, int secret,
                unsigned char **r_buf, size_t *r_len)
{
  gpg_error_t err;
  unsigned char *value = NULL;
  size_t valuelen = 0;

  *r_buf = NULL;
  *r_len = 0;
  err = server_status (ctrl, "INQUIRE_MAXLEN", "%zu", maxlen);
  if (err)
    return err;
  if (secret)
    assuan_begin_confidential (ctrl->assuan);
  ctrl->in_inquiry = 1;
  ctrl->bad_escape = 0;
  err = assuan_inquire (ctrl->assuan, keyword, &value, &valuelen, maxlen);
  ctrl->in_inquiry = 0;
  if (secret)
    assuan_end_confidential (ctrl->assuan);
  if (!err && ctrl->bad_escape)
    {
      wipememory (value, valuelen);
      assuan_free (ctrl->assuan, value);
      return server_error (ctrl, gpg_error (GPG_ERR_ASS_SYNTAX),
                           "a D line answering %s has a '%%' not followed"
                           " by two hex digits", keyword);
    }
  if (gpg_err_code (err) == GPG_ERR_ASS_TOO_MUCH_DATA
      || gpg_err_code (err) == GPG_ERR_TOO_LARGE)
    return server_error (ctrl, gpg_error (GPG_ERR_TOO_LARGE),
                         "%s exceeds %zu bytes", keyword, maxlen);
  if (err)
    return err;
  if (!secret)
    {
      *r_buf = value;    /* assuan_inquire NUL-terminates it.  */
      *r_len = valuelen;
      return 0;
    }
  *r_buf = gcry_malloc_secure (valuelen + 1);
  if (!*r_buf)
    err = gpg_error_from_syserror ();
  else
    {
      memcpy (*r_buf, value, valuelen);
      (*r_buf)[valuelen] = 0;
      *r_len = valuelen;
    }
  wipememory (value, valuelen);
  assuan_free (ctrl->assuan, value);
  return err;
}


static const char hlp_getinfo[] =
  "GETINFO <what>\n"
  "\n"
  "Multi purpose command to return certain information.\n"
  "Supported values of WHAT are:\n"
  "\n"
  "version     - Return the version of the program.\n"
  "pid         - Return the process id of the server.\n"
  "socket_name - Return the name of the socket.\n"
  "formats     - One line per pack format:\n"
  "              NAME PACK_EXT KEY_EXT FLAGS DESCRIPTION\n"
  "commands    - One line per command name.\n"
  "policy      - One line per policy rule of gpgpackd.conf in force:\n"
  "              NAME [VALUE] FILE:LINE (none without rules).";
static gpg_error_t cmd_getinfo (assuan_context_t ctx, char *line);

static const char hlp_killdaemon[] =
  "KILLDAEMON\n"
  "\n"
  "Stop the daemon once this connection has been closed.";
static gpg_error_t
cmd_killdaemon (assuan_context_t ctx, char *line)
{
  ctrl_t ctrl = assuan_get_pointer (ctx);

  ctrl->stopme = 1;
  assuan_set_flag (ctx, ASSUAN_FORCE_CLOSE, 1);
  return 0;
}

static const char hlp_option[] =
  "OPTION NAME=VALUE\n"
  "\n"
  "Set a session option: pinentry-mode=default|ask|loopback|cancel|\n"
  "error; ttyname, ttytype, display, xauthority, lc-ctype, lc-messages\n"
  "and putenv=VAR=VALUE are given to gpg-agent, whose pinentry then\n"
  "asks there for the passphrases of this session.";
static const char hlp_nop[] =
  "NOP\n"
  "\n"
  "Do nothing.";
static const char hlp_bye[] =
  "BYE\n"
  "\n"
  "Close the connection.";
static const char hlp_help[] =
  "HELP [COMMAND]\n"
  "\n"
  "List the commands or describe COMMAND.";

/* The command table; GETINFO commands lists it.  Entries without a
 * handler are libassuan's builtins, registered again for the help.  */
static const struct
{
  const char *name;
  assuan_handler_t handler;
  const char *const help;
} command_table[] =
  {
    { "GETINFO",     cmd_getinfo,     hlp_getinfo },
    { "PACK_EXPORT", cmd_pack_export, hlp_pack_export },
    { "PACK_IMPORT", cmd_pack_import, hlp_pack_import },
    { "PACK_INFO",   cmd_pack_info,   hlp_pack_info },
    { "SHARE_INFO",  cmd_share_info,  hlp_share_info },
    { "SHARE_FORWARD", cmd_share_forward, hlp_share_forward },
    { "SHARE_REFRESH", cmd_share_refresh, hlp_share_refresh },
    { "KILLDAEMON",  cmd_killdaemon,  hlp_killdaemon },
    { "OPTION",      NULL,            hlp_option },
    { "NOP",         NULL,            hlp_nop },
    { "BYE",         NULL,            hlp_bye },
    { "HELP",        NULL,            hlp_help },
    { NULL }
  };

/* Send the formats as D lines.  */
static gpg_error_t
send_formats (assuan_context_t ctx)
{
  unsigned int i, n = plugin_format_count (opt.plugins);
  gpg_error_t err = 0;

  for (i = 0; i < n && !err; i++)
    {
      const gpgpack_format_t *fmt = plugin_format_nth (opt.plugins, i);
      char *text = gpgrt_bsprintf ("%s %s %s %u %s\n", fmt->name,
                                   fmt->pack_ext, fmt->key_ext, fmt->flags,
                                   fmt->description);
      if (!text)
        return gpg_error_from_syserror ();
      err = assuan_send_data (ctx, text, strlen (text));
      gpgrt_free (text);
    }
  return err;
}

static gpg_error_t
cmd_getinfo (assuan_context_t ctx, char *line)
{
  char numbuf[32];
  gpg_error_t err = 0;
  int i;

  if (!strcmp (line, "version"))
    return assuan_send_data (ctx, PACKAGE_VERSION, strlen (PACKAGE_VERSION));
  if (!strcmp (line, "pid"))
    {
      snprintf (numbuf, sizeof numbuf, "%lu", (unsigned long)getpid ());
      return assuan_send_data (ctx, numbuf, strlen (numbuf));
    }
  if (!strcmp (line, "socket_name"))
    return assuan_send_data (ctx, opt.socket_name, strlen (opt.socket_name));
  if (!strcmp (line, "formats"))
    return send_formats (ctx);
  if (!strcmp (line, "policy"))
    return policy_describe (assuan_get_pointer (ctx));
  if (!strcmp (line, "commands"))
    {
      for (i = 0; command_table[i].name && !err; i++)
        {
          err = assuan_send_data (ctx, command_table[i].name,
                                  strlen (command_table[i].name));
          if (!err)
            err = assuan_send_data (ctx, "\n", 1);
        }
      return err;
    }
  return server_error (assuan_get_pointer (ctx),
                       gpg_error (GPG_ERR_ASS_PARAMETER),
                       "unknown value for WHAT: use version, pid,"
                       " socket_name, formats, commands or policy");
}

/* Send the text server_error gave ERR, if it did, whole and
 * percent-escaped as status ERROR_TEXT before the ERR line: GPGME's
 * Assuan engine hands its clients only the code of an ERR line, and
 * libassuan cuts the text there at 100 bytes.  */
static void
send_error_text (ctrl_t ctrl, gpg_error_t err)
{
  char *escaped;

  if (!err || err != ctrl->errcode)
    return;
  escaped = percent_escape (ctrl->errtext);
  if (escaped)
    server_status (ctrl, "ERROR_TEXT", "%s", escaped);
  gpgrt_free (escaped);
}

/* The handler registered for every command of the table with a
 * cmd_* function: run it and send its error text (send_error_text).  */
static gpg_error_t
dispatch_command (assuan_context_t ctx, char *line)
{
  ctrl_t ctrl = assuan_get_pointer (ctx);
  const char *name = assuan_get_command_name (ctx);
  gpg_error_t err;
  int i;

  for (i = 0; command_table[i].name; i++)
    if (command_table[i].handler && !strcmp (command_table[i].name, name))
      break;
  if (!command_table[i].name)
    return gpg_error (GPG_ERR_ASS_UNKNOWN_CMD);
  ctrl->errcode = 0;
  err = command_table[i].handler (ctx, line);
  send_error_text (ctrl, err);
  return err;
}

/* Register the command table with CTX.  */
static gpg_error_t
register_commands (assuan_context_t ctx)
{
  gpg_error_t err;
  int i;

  for (i = 0; command_table[i].name; i++)
    {
      err = assuan_register_command (ctx, command_table[i].name,
                                     command_table[i].handler
                                     ? dispatch_command : NULL,
                                     command_table[i].help);
      if (err)
        return err;
    }
  return assuan_register_option_handler (ctx, option_handler);
}

/* Return 0 if the peer of CTX runs under our uid.  */
static gpg_error_t
check_peer (assuan_context_t ctx)
{
  assuan_peercred_t peer;
  gpg_error_t err = assuan_get_peercred (ctx, &peer);

  if (err)
    return err;
  if (peer->uid != getuid ())
    {
      log_info ("refusing connection of uid %lu (pid %lu)\n",
                (unsigned long)peer->uid, (unsigned long)peer->pid);
      return gpg_error (GPG_ERR_EPERM);
    }
  return 0;
}

/* Whether the N bytes at S escape every '%' as "%XX" (hex digits, as
 * percent_unescape takes them).  */
static int
escapes_ok (const char *s, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (s[i] == '%')
      {
        if (n - i < 3 || !isxdigit ((unsigned char)s[i + 1])
            || !isxdigit ((unsigned char)s[i + 2]))
          return 0;
        i += 2;
      }
  return 1;
}

/* libassuan's monitor of every line of the session CTRL (HOOK): while
 * server_inquire waits, drop a D line with a broken escape and note
 * it.  assuan_inquire (libassuan 2.5.5, still in 3.0.2) loops forever
 * on a D line ending in "%" or "%X": its unescaping makes no progress
 * there, holding the nPth lock, so one client would stop the daemon.  */
static unsigned int
io_monitor (assuan_context_t ctx, void *hook, int direction,
            const char *line, size_t linelen)
{
  ctrl_t ctrl = hook;

  (void)ctx;
  if (direction || !ctrl->in_inquiry || linelen < 2
      || (line[0] != 'D' && line[0] != 'd') || line[1] != ' '
      || escapes_ok (line + 2, linelen - 2))
    return 0;
  ctrl->bad_escape = 1;
  return ASSUAN_IO_MONITOR_IGNORE;
}

/* Set up the Assuan context of one session.  */
static gpg_error_t
init_session (assuan_context_t ctx, int fd)
{
  gpg_error_t err;

  if (fd == -1)
    {
      assuan_fd_t filedes[2] = { assuan_fdopen (0), assuan_fdopen (1) };
      err = assuan_init_pipe_server (ctx, filedes);
    }
  else
    {
      err = assuan_init_socket_server (ctx, fd,
                                       ASSUAN_SOCKET_SERVER_ACCEPTED);
    }
  if (!err)
    err = register_commands (ctx);
  if (!err)
    err = assuan_set_hello_line (ctx, "gpgpackd " PACKAGE_VERSION
                                 " at your service");
  return err;
}

/* Serve one session on FD (-1: stdin/stdout) until the client leaves.  */
void
server_run_session (int fd)
{
  struct server_control_s ctrl = { NULL };
  assuan_context_t ctx = NULL;
  gpg_error_t err;

  err = assuan_new (&ctx);
  if (!err)
    err = init_session (ctx, fd);
  if (err)
    {
      log_error ("failed to initialize the server: %s\n", gpg_strerror (err));
      if (ctx)
        assuan_release (ctx);
      else if (fd != -1)
        close (fd);
      return;
    }
  ctrl.assuan = ctx;
  ctrl.pinentry_mode = GPGME_PINENTRY_MODE_DEFAULT;
  assuan_set_pointer (ctx, &ctrl);
  assuan_set_io_monitor (ctx, io_monitor, &ctrl);

  while (!(err = assuan_accept (ctx)))
    {
      if (fd != -1 && (err = check_peer (ctx)))
        break;
      err = assuan_process (ctx);
      if (err)
        log_info ("Assuan processing failed: %s\n", gpg_strerror (err));
    }
  if (err != -1 && opt.verbose)
    log_info ("Assuan accept problem: %s\n", gpg_strerror (err));

  if (ctrl.stopme)
    daemon_request_shutdown ();
  assuan_release (ctx);
  gpgrt_free (ctrl.errtext);
  sessopt_release (&ctrl);
}
