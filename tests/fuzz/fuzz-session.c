/* fuzz-session.c - fuzz target: a whole Assuan session of gpgpackd
 *
 * Input: the bytes a client sends (no control byte), at most
 * SESSION_MAX_INPUT of them: command lines, and the D/END/CAN lines
 * that answer the server's INQUIREs, which read on in the same stream.
 * gpgpackd's server code (server.c and every cmd-*.c) is linked in and
 * serves the input in-process on one end of a socketpair, exactly as a
 * daemon serves an accepted connection; a thread writes the input to
 * the other end, closes its writing side and reads every reply.
 *
 * GPGME is left out: gpg and gpgconf are given names no PATH holds
 * (gpgme_set_global_flag), so a command that reaches the keyring fails
 * there, in GPGME, with no process started and nothing written; the
 * GnuPG home is an empty temporary directory, removed at exit.  The
 * pack formats are the built plugins of $GPGPACK_PLUGIN_DIR (make
 * check and make fuzz set it), loaded once; their parsers have their
 * own targets.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "gpgpackd.h"
#include "socketdir.h"
#include "policy.h"

/* Longest input fed: less than a socket's buffer, so that writing it
 * never waits for the server.  */
#define SESSION_MAX_INPUT 65536

struct gpgpackd_options opt;

/* The temporary GnuPG home and the socket directory made for it.  */
static char fuzz_home[] = "/tmp/gpk.fuzz-session.XXXXXX";
static char *fuzz_socketdir;

/* What the client thread sends; SHOW: copy the replies to stderr.  */
struct client
{
  int fd;
  const uint8_t *data;
  size_t size;
  int show;
};


/* KILLDAEMON in a session: there is no listener to stop.  */
void
daemon_request_shutdown (void)
{
}


/* Remove the temporary home and its socket directory (both empty:
 * nothing reaches gpg or the agent).  */
static void
remove_home (void)
{
  if (fuzz_socketdir && strcmp (fuzz_socketdir, fuzz_home))
    rmdir (fuzz_socketdir);
  rmdir (fuzz_home);
  gpgrt_free (fuzz_socketdir);
}


/* Give gpg and gpgconf names no directory of PATH holds.  */
static void
hide_gnupg (void)
{
  if (gpgme_set_global_flag ("gpg-name", "gpgpack-fuzz-no-gpg")
      || gpgme_set_global_flag ("gpgconf-name", "gpgpack-fuzz-no-gpgconf"))
    abort ();
  gpgme_check_version (NULL);
}


int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  policy_t pol;
  gpg_error_t err;

  fuzz_init ();
  npth_init ();
  signal (SIGPIPE, SIG_IGN);
  hide_gnupg ();
  if (!mkdtemp (fuzz_home))
    abort ();
  atexit (remove_home);
  opt.homedir = fuzz_home;
  opt.max_pack_size = DEFAULT_MAX_PACK_SIZE;
  gpgme_set_engine_info (GPGME_PROTOCOL_OpenPGP, NULL, opt.homedir);
  err = gpgpack_socketdir (opt.homedir, &fuzz_socketdir);
  if (!err)
    err = gpgpack_socket_name (opt.homedir, &opt.socket_name);
  if (!err)
    err = plugin_load_dir (NULL, &opt.plugins);
  if (!err)
    err = policy_new (&pol);   /* No rules, as without gpgpackd.conf.  */
  if (!err)
    policy_install (pol);
  if (err)
    {
      fprintf (stderr, "fuzz-session: set-up failed: %s (is"
               " GPGPACK_PLUGIN_DIR the built plugins?)\n",
               gpg_strerror (err));
      exit (EXIT_FAILURE);
    }
  return 0;
}


/* The client: send the input, close the writing side, read until the
 * server closes (with $FUZZ_SESSION_SHOW set copying the server's
 * lines to stderr, to see what "replay-session FILE" does).  */
static void *
client_thread (void *arg)
{
  struct client *cl = arg;
  char buf[4096];
  ssize_t n;

  while (cl->size && (n = write (cl->fd, cl->data, cl->size)) > 0)
    {
      cl->data += n;
      cl->size -= n;
    }
  shutdown (cl->fd, SHUT_WR);
  while ((n = read (cl->fd, buf, sizeof buf)) > 0)
    if (cl->show)
      fwrite (buf, n, 1, stderr);
  return NULL;
}


int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct client cl;
  pthread_t thread;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM, 0, fds))
    abort ();
  cl.fd = fds[1];
  cl.data = data;
  cl.size = size < SESSION_MAX_INPUT ? size : SESSION_MAX_INPUT;
  cl.show = !!getenv ("FUZZ_SESSION_SHOW");
  if (pthread_create (&thread, NULL, client_thread, &cl))
    abort ();
  server_run_session (fds[0]);   /* Closes fds[0].  */
  pthread_join (thread, NULL);
  close (fds[1]);
  return 0;
}


/* Seeds: sessions as clients hold them, with inquiry answers.  */
gpg_error_t
fuzz_seeds (const char *dir)
{
  static const char *const sessions[] =
    {
      "GETINFO version\nGETINFO pid\nGETINFO formats\nGETINFO commands\n"
      "GETINFO policy\nGETINFO socket_name\nGETINFO nothing\nBYE\n",
      "OPTION pinentry-mode=loopback\nOPTION ttyname=/dev/tty1\n"
      "OPTION lc-ctype=C\nOPTION putenv=A=b\nOPTION bogus=1\n"
      "OPTION pinentry-mode=sideways\nNOP\nHELP\nHELP PACK_EXPORT\n",
      "PACK_INFO\nD GPGPACK\nEND\nPACK_INFO --format=native\n"
      "D %00%01%02\nEND\nPACK_INFO /nonexistent.gpgpack\n",
      "PACK_EXPORT --secret --format=native --name=a%20b --force"
      " --output-dir=/nonexistent -- alice@example.org\n"
      "PACK_EXPORT --inquire-patterns --shares=3 --threshold=9\n"
      "D alice\nEND\nPACK_EXPORT --unknown x\n"
      "PACK_EXPORT --exclude-no-secret --confirm --passphrase -- --\n"
      "PACK_EXPORT --shares=2 --threshold=2 --inquire-wrap-keys"
      " --allow-same-custodian --wrap-key=0123\nD 0123\nEND\n",
      "PACK_IMPORT --dry-run\nD GPGPACK%0A\nEND\n"
      "PACK_IMPORT --format=native\nD x\nEND\nD key\nEND\nD secret\nEND\n"
      "PACK_IMPORT --key-file=/nonexistent.key /nonexistent.gpgpack\n"
      "PACK_IMPORT --share=/nonexistent.share --share=/x\nCAN\n",
      "SHARE_INFO\nD -----BEGIN PGP MESSAGE-----%0A\nEND\n"
      "SHARE_INFO /nonexistent.share\nSHARE_FORWARD --to=0123\n"
      "SHARE_FORWARD --to=0123456789ABCDEF0123456789ABCDEF01234567\n"
      "D x\nEND\n",
      "KILLDAEMON\nNOP\n"
    };
  return fuzz_write_text_seeds (dir, "session", sessions,
                                sizeof sessions / sizeof *sessions);
}
