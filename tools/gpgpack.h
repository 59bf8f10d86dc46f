/* gpgpack.h - declarations shared by the parts of the gpgpack CLI */
#ifndef GPGPACK_TOOLS_GPGPACK_H
#define GPGPACK_TOOLS_GPGPACK_H

#define GPGRT_ENABLE_ES_MACROS 1
#define GPGRT_ENABLE_LOG_MACROS 1
#define GPGRT_ENABLE_ARGPARSE_MACROS 1
#include <gpg-error.h>
#include <assuan.h>

#include "argline.h"

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
    oPatternsFrom,
    oWriteSetupCode,

    oKeyFile,
    oShare,
    oDryRun,
    oExpect,
    oExpectFile,

    oShares,
    oThreshold,
    oWrapKey,
    oAllowSameCustodian,
    oSignKey,
    oVerifyKey,
    oSignature,

    oPack,
    oTo,

    oRekey
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
/* Warn about the share SHARE_BAD <ARGS> names as set aside.  */
gpg_error_t report_bad_share (const char *args);

/* cmd-share.c */
int cmd_share_info (int argc, char **argv);
int cmd_share_forward (int argc, char **argv);

/* cmd-refresh.c */
int cmd_share_refresh (int argc, char **argv);

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
  /* Answers the inquiries of the command (KEYWORD, ARGS) that
     transact does not know itself: sends the data, not the END.  */
  gpg_error_t (*inquire) (struct transact_parm_s *parm, const char *keyword,
                          char *args);
  /* Receives the data of D lines (unescaped); NULL: ignore them.  */
  gpg_error_t (*data) (void *opaque, const void *buf, size_t len);
  /* The setup code of status KEYFILE (in locked memory), or NULL.  */
  const char *setup_code;
} transact_parm_t;
gpg_error_t transact (transact_parm_t *parm, const char *line);
void transact_set_detail (transact_parm_t *parm, const char *text);
void transact_release (transact_parm_t *parm);
int run_command (const char *what, const char *line,
                 gpg_error_t (*status) (void *, const char *, const char *),
                 void *opaque);
int run_transact (const char *what, transact_parm_t *parm, const char *line);

/* connect.c */
gpg_error_t connect_daemon (transact_parm_t *parm);

/* passphrase.c */
int passphrase_have_source (void);
int passphrase_have_openpgp_source (void);
gpg_error_t passphrase_get_openpgp (const char **r_value);
gpg_error_t passphrase_get (const char *prompt, int confirm,
                            const char **r_value);
gpg_error_t passphrase_keep_setup_code (char *b64, const char **r_code);
void passphrase_clear (void);
gpg_error_t ask_yes_no (const char *question, int *r_yes);

/* patterns.c */
/* Key patterns as the text of INQUIRE PATTERNS: one per line.  */
typedef struct cli_patterns
{
  estream_t text;
  int count;
} cli_patterns_t;
gpg_error_t patterns_init (cli_patterns_t *pats);
/* Add PATTERN; one with a CR or LF is GPG_ERR_INV_VALUE.  */
gpg_error_t patterns_add (cli_patterns_t *pats, const char *pattern);
/* Add the patterns of file FNAME ("-": stdin), one a line; blank lines
   and lines starting with '#' are skipped.  On error R_DETAIL gets a
   malloced text naming the file (and line).  */
gpg_error_t patterns_read_file (cli_patterns_t *pats, const char *fname,
                                char **r_detail);
/* Take the text (malloced, free with gpgrt_free); PATS is spent.  */
gpg_error_t patterns_text (cli_patterns_t *pats, char **r_text,
                           size_t *r_len);
void patterns_release (cli_patterns_t *pats);

/* progress.c */
void progress_update (const char *args);
void progress_done (void);

#endif /*GPGPACK_TOOLS_GPGPACK_H*/
