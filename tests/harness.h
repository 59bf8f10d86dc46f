/* harness.h - temporary GnuPG homes, keys, daemon and Assuan helpers for tests
 *
 * The integration tests (check_daemon, check_gpgme_client, check_cli) run
 * the real gpgpackd in throwaway GnuPG homes.  This harness creates those
 * homes, generates keys with GPGME, starts and stops the daemon, runs
 * programs with captured output and speaks Assuan to the daemon.
 *
 * Programs are taken from the environment set by tests/Makefile.am:
 * GPGPACKD (required for daemon tests), GPG, GPGCONF, GPG_CONNECT_AGENT
 * (default: looked up in PATH) and GPGPACK_PLUGIN_DIR (inherited by the
 * daemon).
 *
 * Lifetime: call th_init() once in main(); every home then lives below one
 * root directory /tmp/gpk.XXXXXX (paths stay short for Unix sockets) and
 * th_cleanup_all() at the end of main() stops every daemon and gpg-agent
 * there and removes the tree, even if a forked Check test died half-way.
 * Without th_init() homes are created directly as /tmp/gpk.XXXXXX.
 *
 * Build: tests/daemon.am builds libharness.a; a test links it with
 *   check_foo_CFLAGS = $(HARNESS_CFLAGS)
 *   check_foo_LDADD = $(HARNESS_LDADD)
 */
#ifndef GPGPACK_TESTS_HARNESS_H
#define GPGPACK_TESTS_HARNESS_H

#include <stddef.h>
#include <sys/types.h>
#include <gpg-error.h>
#include <assuan.h>
#include <check.h>

/* Exit status automake's harness reads as "skipped".  */
#define TH_EXIT_SKIP 77

/* One temporary GnuPG home.  */
typedef struct th_home
{
  char dir[64];          /* /tmp/gpk.XXXXXX[/h.XXXXXX] (short: sockets) */
  char socket[108];      /* S.gpgpackd path of this home */
  pid_t daemon_pid;      /* 0 if none started */
  pid_t spawn_pid;       /* our child from th_daemon_start, 0 once reaped */
} th_home_t;

/* Initialise GPGME / libassuan and create the root directory.  Also
 * arms a 300 s alarm so that a hung daemon fails the program instead of
 * hanging "make check".  Returns an error if GPGME or the root cannot be
 * set up.  */
gpg_error_t th_init (void);

/* Stop every daemon and gpg-agent below the root and remove it.  Only
 * the process that called th_init does anything.  */
void th_cleanup_all (void);

/* The program named by environment variable ENVVAR, else FALLBACK.  */
const char *th_prog (const char *envvar, const char *fallback);

/* True if $GPGPACKD names an executable: tests skip (exit 77) if not.  */
int th_have_daemon (void);

/* For a test program's setup: if EXPR (a gpg_error_t) fails, say
 * "PROG: setup: EXPR: error", clean up and exit 1, since no test can
 * run without what the setup makes.  */
#define TH_SETUP(expr) th_setup_check ((expr), #expr)
void th_setup_check (gpg_error_t err, const char *what);

/* The main of a test program that needs the daemon: skip unless
 * th_have_daemon (); ignore SIGPIPE (libassuan says BYE to closed
 * peers); run SETUP, then SUITE with Check's output; clean up and return
 * the exit status.  */
int th_main (void (*setup) (void), Suite *(*suite) (void));

/* Create a home: mkdtemp, gpg.conf, gpg-agent.conf with
 * allow-loopback-pinentry and no passphrase caching (so every use of a
 * protected key really asks); fill in DIR and SOCKET.  */
gpg_error_t th_home_create (th_home_t *home);

/* Write TEXT as file NAME in HOME (e.g. gpgpackd.conf).  */
gpg_error_t th_home_write (th_home_t *home, const char *name,
                           const char *text);

/* Generate a key for UID via GPGME.  ALGO "ed25519" makes an ed25519
 * primary with a cv25519 encryption subkey; any other value (e.g.
 * "rsa2048") is passed to gpgme_op_createkey as is.  PASSPHRASE NULL
 * makes an unprotected key; otherwise it is given through loopback
 * pinentry.  The fingerprint goes to R_FPR.  */
gpg_error_t th_genkey (th_home_t *home, const char *uid, const char *algo,
                       const char *passphrase, char r_fpr[41]);

/* A new OpenPGP GPGME context (gpgme_ctx_t) working on HOME with
 * $GPG.  */
struct gpgme_context;
gpg_error_t th_gpgme_new (th_home_t *home, struct gpgme_context **r_ctx);

/* Copy the key FPR from home FROM to home TO; SECRET also copies the
 * secret part (only for unprotected keys).  */
gpg_error_t th_copy_key (th_home_t *from, th_home_t *to, const char *fpr,
                         int secret);

/* Start "$GPGPACKD --daemon --homedir DIR" and wait, by polling connect
 * attempts (20 ms apart, at most 10 s), until its socket answers; then
 * record its pid (GETINFO pid) in DAEMON_PID.  The daemon's stdout goes
 * to /dev/null, its stderr to DIR/gpgpackd.log, which is copied to our
 * stderr if it does not come up.  */
gpg_error_t th_daemon_start (th_home_t *home);

/* Stop the daemon (KILLDAEMON, then wait for it with a bound) and
 * gpg-agent, remove the directory.  */
void th_home_destroy (th_home_t *home);

/* Run ARGV[0] with ARGV, feeding STDIN_TEXT (may be NULL) and capturing
 * stdout and stderr into malloced strings (R_OUT / R_ERR may be NULL).
 * Returns the exit status, 128+signal if killed, -1 if it could not be
 * run.  ARGV[0] without a slash is searched in PATH.  SIGPIPE is ignored
 * from the first call on.  */
int th_run (const char *const argv[], const char *stdin_text,
            char **r_out, char **r_err);

/* Fingerprints of the primary keys in HOME's keyring (SECRET: only
 * those with a secret part), sorted, as one "\n"-joined malloced string
 * ("" for none); NULL on error.  */
char *th_list_fprs (th_home_t *home, int secret);

/* Connect to HOME's daemon socket.  */
gpg_error_t th_connect (th_home_t *home, assuan_context_t *r_ctx);

/* Start "$GPGPACKD --server --homedir DIR" over a pipe and connect.  */
gpg_error_t th_connect_server (th_home_t *home, assuan_context_t *r_ctx);

/* The answer to one INQUIRE keyword.  Arrays end with KEYWORD NULL.  */
typedef struct th_inquiry
{
  const char *keyword;
  const void *data;
  size_t len;
  int cancel;           /* answer with CAN instead of DATA */
} th_inquiry_t;

/* What a transaction returned: the D-line data and the status lines,
 * each status line as "KEYWORD args\n".  Release with th_reply_free.  */
typedef struct th_reply
{
  char *data;           /* NUL-terminated for convenience */
  size_t datalen;
  char *status;
  size_t statuslen;
  char *inquiries;      /* keywords the server asked for, "\n"-joined */
  size_t inquirieslen;
} th_reply_t;

/* Run COMMAND on CTX; answer inquiries from INQ (may be NULL; an
 * unknown keyword gets an empty answer); collect data and status lines
 * in R_REPLY (may be NULL).  Returns the server's error, also after a
 * cancelled inquiry (the connection stays usable).  */
gpg_error_t th_transact (assuan_context_t ctx, const char *command,
                         const th_inquiry_t *inq, th_reply_t *r_reply);
void th_reply_free (th_reply_t *reply);

/* Run COMMAND as th_transact does on a fresh connection to HOME's
 * daemon, or with SERVER to a "gpgpackd --server" of HOME.  */
gpg_error_t th_command (th_home_t *home, int server, const char *command,
                        const th_inquiry_t *inq, th_reply_t *r_reply);

/* "PACK_EXPORT --secret" of the key FPR as NAME into DIR on a
 * "gpgpackd --server" of HOME: with the N wrap keys WRAPS
 * (NULL-terminated) an (N-1)-of-N share-mode pack, with WRAPS NULL a
 * pack with a key file.  R_REPLY may be NULL.  */
gpg_error_t th_export_secret (th_home_t *home, const char *fpr,
                              const char *dir, const char *name,
                              const char *const *wraps, th_reply_t *r_reply);

/* Malloced copy of the args of the NTH (from 0) status line KEYWORD in
 * STATUS, or NULL.  */
char *th_status_get (const char *status, const char *keyword, int nth);

/* Number of status lines KEYWORD in STATUS.  */
int th_status_count (const char *status, const char *keyword);

/* Monotonic time in milliseconds.  */
double th_now_ms (void);
/* Sleep MS milliseconds: the pause of a bounded poll, or a random
 * point to interrupt something at.  */
void th_pause_ms (double ms);

/* Decode base64 TEXT into a malloced buffer.  */
gpg_error_t th_b64_decode (const char *text, char **r_buf, size_t *r_len);

/* Whole-file helpers.  th_read_file NUL-terminates its buffer.  */
gpg_error_t th_write_file (const char *path, const void *buf, size_t len);
gpg_error_t th_read_file (const char *path, char **r_buf, size_t *r_len);

/* "DIR/NAME" in one of eight static buffers used in turn: valid
 * until seven more calls.  */
const char *th_path (const char *dir, const char *name);

/* Output directories: a new empty one HOME/out.XXXXXX at PATH, and the
 * number of entries (dot files too) of PATH, -1 if it can't be read.  */
gpg_error_t th_new_outdir (th_home_t *home, char path[128]);
int th_dir_entries (const char *path);

/* The state of HOME's keyring, malloced: size and SHA-256 prefix of
 * pubring.kbx, then the names in private-keys-v1.d, sorted; equal
 * states mean an unchanged keyring.  NULL if out of core.  */
char *th_keyring_state (th_home_t *home);

/* The keyring state of HOME (th_keyring_state; none if HOME is NULL),
 * then the names and contents (SHA-256 prefix) of the entries of DIR
 * (dot files too), sorted, as one malloced string: equal states mean
 * nothing in the keyring or in DIR was written, removed or changed.
 * NULL if DIR can't be read or out of core.  */
char *th_dir_state (th_home_t *home, const char *dir);

/* Decrypt the file IN with stock gpg in HOME (with PASS through
 * loopback pinentry if not NULL) into the file OUT.  */
gpg_error_t th_gpg_decrypt (th_home_t *home, const char *pass,
                            const char *in, const char *out);

/* Run "$GPG_CONNECT_AGENT -S SOCKET --no-autostart" on HOME's daemon with
 * SCRIPT as stdin (a "/bye" is appended); stdout goes to R_OUT.  Returns
 * the exit status.  */
int th_gca (th_home_t *home, const char *script, char **r_out);

/* Decode the %XX escapes of S in place, e.g. in gpg-connect-agent's
 * output of an ERROR_TEXT status line or of a path in a status line.  */
void th_unescape (char *s);

/* The gpg-error code of the first "ERR <n> ..." line of OUT, 0 if none.  */
gpg_err_code_t th_gca_errcode (const char *out);

#endif /*GPGPACK_TESTS_HARNESS_H*/
