/* gpgpack.h - declarations shared by the parts of the gpgpack CLI */
#ifndef GPGPACK_TOOLS_GPGPACK_H
#define GPGPACK_TOOLS_GPGPACK_H

#define GPGRT_ENABLE_ES_MACROS 1
#define GPGRT_ENABLE_LOG_MACROS 1
#define GPGRT_ENABLE_ARGPARSE_MACROS 1
#include <gpg-error.h>
#include <assuan.h>

#ifndef DIM
# define DIM(v) (sizeof (v) / sizeof ((v)[0]))
#endif

/* Exit codes (documented in gpgpack(1)).  */
#define EXIT_OK        0   /* Everything asked for was done.          */
#define EXIT_FAILED    1   /* The operation failed (or partly).       */
#define EXIT_USAGE     2   /* Bad command line; nothing was done.     */

/* Options common to all commands.  */
struct gpgpack_options
{
  int verbose;
  int quiet;
  int batch;
  int answer_yes;
  int no_autostart;
  const char *homedir;          /* --homedir or NULL.  */
  const char *passphrase_file;  /* --passphrase-file or NULL.  */
  int passphrase_fd;            /* --passphrase-fd or -1.  */
  const char *openpgp_passphrase_file; /* --openpgp-passphrase-file.  */
  int openpgp_passphrase_fd;    /* --openpgp-passphrase-fd or -1.  */
};
extern struct gpgpack_options opt;

/* The options of every command; the values are argparse short codes. */
enum cmd_and_opt_values
  {
    oVerbose    = 'v',
    oQuiet      = 'q',
    oOutputDir  = 'o',

    oNoop       = 500,
    oHomedir,
    oBatch,
    oYes,
    oNoAutostart,
    oPassphraseFile,
    oPassphraseFd,
    oOpenpgpPassphraseFile,
    oOpenpgpPassphraseFd,

    oSecret,
    oExcludeNoSecret,
    oName,
    oFormat,
    oPassphrase,
    oForce,

    oKeyFile,
    oDryRun
  };

/* The entries of the global options, included in every table.  */
#define GPGPACK_GLOBAL_OPTS                                             \
  ARGPARSE_group (300, "@\nGlobal options:\n "),                        \
  ARGPARSE_s_n (oVerbose, "verbose", "verbose"),                        \
  ARGPARSE_s_n (oQuiet,   "quiet",   "be somewhat more quiet"),         \
  ARGPARSE_s_s (oHomedir, "homedir", "|DIR|use DIR as the GnuPG home"), \
  ARGPARSE_s_n (oBatch,   "batch",   "never ask anything"),             \
  ARGPARSE_s_n (oYes,     "yes",     "assume yes on most questions"),   \
  ARGPARSE_s_n (oNoAutostart, "no-autostart",                          \
                "do not start gpgpackd"),                               \
  ARGPARSE_s_s (oPassphraseFile, "passphrase-file",                     \
                "|FILE|read the passphrase from FILE"),                 \
  ARGPARSE_s_i (oPassphraseFd, "passphrase-fd",                         \
                "|N|read the passphrase from file descriptor N"),       \
  ARGPARSE_s_s (oOpenpgpPassphraseFile, "openpgp-passphrase-file",      \
                "|FILE|read the OpenPGP keys' passphrase from FILE"),   \
  ARGPARSE_s_i (oOpenpgpPassphraseFd, "openpgp-passphrase-fd",          \
                "|N|read the OpenPGP keys' passphrase from fd N")

/* gpgpack.c */
int parse_global_option (gpgrt_argparse_t *pargs);
void usage_error (const char *format, ...) GPGRT_ATTR_PRINTF(1,2);
int fail (gpg_error_t err, const char *what, const char *detail);
char *make_absolute (const char *name);

/* cmd-export.c */
int cmd_export (int argc, char **argv);

/* cmd-import.c */
int cmd_import (int argc, char **argv);
int cmd_info (int argc, char **argv);

/* cmd-formats.c */
int cmd_formats (int argc, char **argv);

/* transact.c */
/* What a command's status lines and inquiries are handed to.  */
typedef struct transact_parm_s
{
  assuan_context_t ctx;
  /* Called with KEYWORD and the rest of each status line.  */
  gpg_error_t (*status) (void *opaque, const char *keyword, const char *args);
  void *opaque;
  size_t inquire_maxlen;        /* From the last INQUIRE_MAXLEN, or 0. */
  char *detail;                 /* Why it failed, beyond the error code:
                                   the daemon's ERR text or ours.  */
} transact_parm_t;
gpg_error_t transact (transact_parm_t *parm, const char *line);
char *percent_escape (const char *string);
void transact_release (transact_parm_t *parm);
int run_command (const char *what, const char *line,
                 gpg_error_t (*status) (void *, const char *, const char *),
                 void *opaque);

/* connect.c */
gpg_error_t connect_daemon (transact_parm_t *parm);

/* passphrase.c */
int passphrase_have_source (void);
int passphrase_have_openpgp_source (void);
gpg_error_t passphrase_get_openpgp (const char **r_value);
gpg_error_t passphrase_get (const char *prompt, int confirm,
                            const char **r_value);
void passphrase_clear (void);
gpg_error_t ask_yes_no (const char *question, int *r_yes);

/* progress.c */
void progress_update (const char *args);
void progress_done (void);

#endif /*GPGPACK_TOOLS_GPGPACK_H*/
