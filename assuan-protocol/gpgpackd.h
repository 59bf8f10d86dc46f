/* gpgpackd.h - declarations shared by the parts of gpgpackd */
#ifndef GPGPACKD_H
#define GPGPACKD_H

#define GPGRT_ENABLE_LOG_MACROS 1
#define GPGRT_ENABLE_ARGPARSE_MACROS 1
#include <string.h>
#include <gpg-error.h>
#include <gcrypt.h>
#include <npth.h>
#include <assuan.h>
#include <gpgme.h>

#include "gpgpack-plugin.h"
#include "pluginload.h"

#ifndef DIM
# define DIM(v) (sizeof (v) / sizeof ((v)[0]))
#endif

/* Default bound of an inquired pack (--max-pack-size).  */
#define DEFAULT_MAX_PACK_SIZE (64u * 1024 * 1024)
/* Bounds of inquired passphrases and key files.  */
#define MAX_PASSPHRASE_LEN 1024
#define MAX_KEYFILE_LEN    65536
/* Bound of the session options kept for gpg-agent (sessopt.c).  */
#define MAX_SESSOPT 16

/* Daemon-wide settings from the command line and gpgpackd.conf.  */
struct gpgpackd_options
{
  int verbose;
  char *homedir;              /* absolute, malloced                      */
  char *socket_name;          /* S.gpgpackd path, malloced               */
  size_t max_pack_size;       /* bound of INQUIRE PACK                   */
  plugin_set_t plugins;       /* the loaded pack formats                 */
};
extern struct gpgpackd_options opt;

/* Per-connection state.  */
struct server_control_s
{
  assuan_context_t assuan;
  gpgme_pinentry_mode_t pinentry_mode;
  unsigned int nsessopt;      /* OPTIONs for gpg-agent's pinentry:      */
  char *sessopt[MAX_SESSOPT]; /* "NAME=VALUE" as gpg-agent takes them   */
  int stopme;                 /* KILLDAEMON seen                         */
  char *errtext;              /* text of the last assuan_set_error       */
  gpg_error_t errcode;        /* its error; 0 before the current command */
  int in_inquiry;             /* server_inquire waits for the answer     */
  int bad_escape;             /* it dropped a D line with a broken escape */
};
typedef struct server_control_s *ctrl_t;

/* Run EXPR (a GPGME call, or a plugin call that may compute for long)
 * with the nPth lock released, so other sessions are served meanwhile.
 * Callbacks made meanwhile take the lock back (npth_protect) and
 * release it again before returning.  */
#define UNLOCKED(expr) \
  do { npth_unprotect (); expr; npth_protect (); } while (0)

/* Wipe LEN bytes at P so the compiler cannot drop it.  */
#define wipememory(p, len) explicit_bzero ((p), (len))

/*-- server.c --*/
void server_run_session (int fd);     /* fd -1: stdin/stdout */
gpg_error_t server_status (ctrl_t ctrl, const char *keyword,
                           const char *fmt, ...) GPGRT_ATTR_PRINTF (3, 4);
gpg_error_t server_error (ctrl_t ctrl, gpg_error_t err,
                          const char *fmt, ...) GPGRT_ATTR_PRINTF (3, 4);
gpg_error_t server_inquire (ctrl_t ctrl, const char *keyword,
                            size_t maxlen, int secret,
                            unsigned char **r_buf, size_t *r_len);
void server_free_secret (void *buf, size_t len);
struct cmdargs;
struct cmdargs_opt;
gpg_error_t server_parse_args (ctrl_t ctrl, const char *line,
                               const struct cmdargs_opt *table,
                               struct cmdargs *args);

/*-- gpgpackd.c --*/
void daemon_reread_config (void);     /* SIGHUP */

/*-- listener.c --*/
/* Create, bind and listen on OPT.SOCKET_NAME (--daemon); EADDRINUSE if
 * a daemon already answers there.  */
gpg_error_t listener_create (void);
/* Take the listening socket systemd passed (--supervised); NO_DATA if
 * there is none for this process.  */
gpg_error_t listener_from_systemd (void);
/* Serve connections until a signal, KILLDAEMON, or the loss of our
 * socket or homedir ends it.  */
void listener_run (void);
/* Remove the socket file if we made it and it is still ours.  */
void listener_close (void);
void daemon_request_shutdown (void);

/*-- daemonize.c --*/
/* Fork; the parent exits when the child is ready (0) or died (its
 * status).  Returns in the child, detached, the fd for daemonize_ready.  */
int daemonize (void);
/* Close stdin/stdout/stderr and tell the parent we are ready.  */
void daemonize_ready (int ready_fd);

/*-- cmd-export.c --*/
gpg_error_t cmd_pack_export (assuan_context_t ctx, char *line);
extern const char hlp_pack_export[];
/*-- cmd-import.c --*/
gpg_error_t cmd_pack_import (assuan_context_t ctx, char *line);
extern const char hlp_pack_import[];
/*-- cmd-info.c --*/
gpg_error_t cmd_pack_info (assuan_context_t ctx, char *line);
extern const char hlp_pack_info[];
/*-- cmd-share.c --*/
gpg_error_t cmd_share_info (assuan_context_t ctx, char *line);
extern const char hlp_share_info[];
gpg_error_t cmd_share_forward (assuan_context_t ctx, char *line);
extern const char hlp_share_forward[];
/*-- cmd-refresh.c --*/
gpg_error_t cmd_share_refresh (assuan_context_t ctx, char *line);
extern const char hlp_share_refresh[];

#endif /*GPGPACKD_H*/
