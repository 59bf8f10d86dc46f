/* harness.c - temp GnuPG homes, keys, daemon and Assuan helpers for tests */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <poll.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <ftw.h>
#include <spawn.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <gpgme.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "harness.h"

extern char **environ;

/* Poll step and bound when waiting for a daemon to come or go.  */
#define POLL_STEP_MS 20
#define POLL_TRIES   500        /* 10 s */

/* Bound of a whole test program (th_init); a hang ends as a failure.  */
#define WATCHDOG_SECONDS 300

/* Root of all homes of this test program ("" without th_init) and the
 * pid that created it.  */
static char root_dir[32];
static pid_t root_pid;


/* Sleep one poll step.  */
static void
poll_pause (void)
{
  struct timespec ts = { 0, POLL_STEP_MS * 1000000L };

  nanosleep (&ts, NULL);
}


const char *
th_prog (const char *envvar, const char *fallback)
{
  const char *s = getenv (envvar);

  return (s && *s) ? s : fallback;
}


int
th_have_daemon (void)
{
  const char *d = getenv ("GPGPACKD");

  return d && *d && !access (d, X_OK);
}


void
th_setup_check (gpg_error_t err, const char *what)
{
  if (!err)
    return;
  fprintf (stderr, "%s: setup: %s: %s <%s>\n", program_invocation_short_name,
           what, gpg_strerror (err), gpg_strsource (err));
  th_cleanup_all ();
  exit (1);
}


int
th_main (void (*setup) (void), Suite *(*suite) (void))
{
  int failed;

  if (!th_have_daemon ())
    {
      printf ("SKIP: $GPGPACKD is not an executable daemon\n");
      return TH_EXIT_SKIP;
    }
  signal (SIGPIPE, SIG_IGN);
  setup ();
  failed = ckrun (suite ());
  th_cleanup_all ();
  return failed;
}


gpg_error_t
th_init (void)
{
  if (!gpgme_check_version (NULL))
    return gpg_error (GPG_ERR_NOT_INITIALIZED);
  if (gpgme_engine_check_version (GPGME_PROTOCOL_OpenPGP))
    return gpg_error (GPG_ERR_INV_ENGINE);
  assuan_set_gpg_err_source (GPG_ERR_SOURCE_DEFAULT);
  if (*root_dir)
    return 0;
  /* A hung daemon must not hang "make check": bound the whole program.  */
  signal (SIGALRM, SIG_DFL);
  alarm (WATCHDOG_SECONDS);
  strcpy (root_dir, "/tmp/gpk.XXXXXX");
  if (!mkdtemp (root_dir))
    {
      *root_dir = 0;
      return gpg_error_from_syserror ();
    }
  root_pid = getpid ();
  return 0;
}


/* Store the S.gpgpackd path for DIR in SOCKET, using the socket
 * directory gpgconf reports for that home.  */
static gpg_error_t
compute_socket (const char *dir, char socket[108])
{
  const char *argv[] = { th_prog ("GPGCONF", "gpgconf"), "--homedir", dir,
                         "--list-dirs", "socketdir", NULL };
  char *out = NULL;
  gpg_error_t err = 0;
  int n;

  if (th_run (argv, NULL, &out, NULL) || !out)
    err = gpg_error (GPG_ERR_ENOEXEC);
  else
    {
      out[strcspn (out, "\n")] = 0;
      n = snprintf (socket, 108, "%s/S.gpgpackd", out);
      if (n < 0 || n >= 108)
        err = gpg_error (GPG_ERR_ENAMETOOLONG);
    }
  free (out);
  return err;
}


gpg_error_t
th_home_write (th_home_t *home, const char *name, const char *text)
{
  char path[128];

  snprintf (path, sizeof path, "%s/%s", home->dir, name);
  return th_write_file (path, text, strlen (text));
}


gpg_error_t
th_home_create (th_home_t *home)
{
  gpg_error_t err;

  memset (home, 0, sizeof *home);
  if (*root_dir)
    snprintf (home->dir, sizeof home->dir, "%s/h.XXXXXX", root_dir);
  else
    strcpy (home->dir, "/tmp/gpk.XXXXXX");
  if (!mkdtemp (home->dir))
    return gpg_error_from_syserror ();
  err = th_home_write (home, "gpg.conf", "# written by tests/harness.c\n");
  if (!err)
    err = th_home_write (home, "gpg-agent.conf", "allow-loopback-pinentry\n"
                         "default-cache-ttl 0\nmax-cache-ttl 0\n");
  if (!err)
    err = compute_socket (home->dir, home->socket);
  return err;
}


gpg_error_t
th_gpgme_new (th_home_t *home, gpgme_ctx_t *r_ctx)
{
  gpg_error_t err;

  err = gpgme_new (r_ctx);
  if (err)
    return err;
  err = gpgme_ctx_set_engine_info (*r_ctx, GPGME_PROTOCOL_OpenPGP,
                                   getenv ("GPG"), home->dir);
  if (err)
    {
      gpgme_release (*r_ctx);
      *r_ctx = NULL;
    }
  return err;
}


/* GPGME passphrase callback answering with the string OPAQUE.  */
static gpgme_error_t
passphrase_cb (void *opaque, const char *uid_hint, const char *info,
               int prev_was_bad, int fd)
{
  const char *passphrase = opaque;

  if (prev_was_bad)
    return gpg_error (GPG_ERR_BAD_PASSPHRASE);
  if (gpgme_io_writen (fd, passphrase, strlen (passphrase))
      || gpgme_io_writen (fd, "\n", 1))
    return gpg_error_from_syserror ();
  return 0;
}


gpg_error_t
th_genkey (th_home_t *home, const char *uid, const char *algo,
           const char *passphrase, char r_fpr[41])
{
  int is_ed = !strcmp (algo, "ed25519");
  unsigned int flags = GPGME_CREATE_NOEXPIRE;
  gpgme_ctx_t ctx;
  gpgme_genkey_result_t res;
  gpgme_key_t key = NULL;
  gpg_error_t err;

  err = th_gpgme_new (home, &ctx);
  if (err)
    return err;
  if (passphrase)
    {
      gpgme_set_pinentry_mode (ctx, GPGME_PINENTRY_MODE_LOOPBACK);
      gpgme_set_passphrase_cb (ctx, passphrase_cb, (void *)passphrase);
    }
  else
    flags |= GPGME_CREATE_NOPASSWD;

  err = gpgme_op_createkey (ctx, uid, algo, 0, 0, NULL,
                            flags | (is_ed ? GPGME_CREATE_SIGN
                                     | GPGME_CREATE_CERT : 0));
  res = err ? NULL : gpgme_op_genkey_result (ctx);
  if (!err && (!res || !res->fpr || strlen (res->fpr) != 40))
    err = gpg_error (GPG_ERR_INV_ENGINE);
  if (!err)
    strcpy (r_fpr, res->fpr);
  if (!err && is_ed)
    err = gpgme_get_key (ctx, r_fpr, &key, 0);
  if (!err && is_ed)
    err = gpgme_op_createsubkey (ctx, key, "cv25519", 0, 0,
                                 flags | GPGME_CREATE_ENCR);
  gpgme_key_unref (key);
  gpgme_release (ctx);
  return err;
}


gpg_error_t
th_copy_key (th_home_t *from, th_home_t *to, const char *fpr, int secret)
{
  gpgme_ctx_t src = NULL, dst = NULL;
  gpgme_data_t data = NULL;
  gpg_error_t err;

  err = th_gpgme_new (from, &src);
  if (!err)
    err = th_gpgme_new (to, &dst);
  if (!err)
    err = gpgme_data_new (&data);
  if (!err)
    {
      gpgme_set_pinentry_mode (src, GPGME_PINENTRY_MODE_LOOPBACK);
      err = gpgme_op_export (src, fpr,
                             secret ? GPGME_EXPORT_MODE_SECRET : 0, data);
    }
  if (!err)
    {
      gpgme_data_seek (data, 0, SEEK_SET);
      err = gpgme_op_import (dst, data);
    }
  if (!err && !gpgme_op_import_result (dst)->considered)
    err = gpg_error (GPG_ERR_NO_DATA);
  gpgme_data_release (data);
  gpgme_release (dst);
  gpgme_release (src);
  return err;
}


/* One connect attempt to SOCKET.  */
static gpg_error_t
connect_socket (const char *socket, assuan_context_t *r_ctx)
{
  gpg_error_t err;

  err = assuan_new (r_ctx);
  if (err)
    return err;
  err = assuan_socket_connect (*r_ctx, socket, ASSUAN_INVALID_PID, 0);
  if (err)
    {
      assuan_release (*r_ctx);
      *r_ctx = NULL;
    }
  return err;
}


gpg_error_t
th_connect (th_home_t *home, assuan_context_t *r_ctx)
{
  return connect_socket (home->socket, r_ctx);
}


gpg_error_t
th_connect_server (th_home_t *home, assuan_context_t *r_ctx)
{
  const char *argv[] = { th_prog ("GPGPACKD", "gpgpackd"), "--server",
                         "--homedir", home->dir, NULL };
  assuan_fd_t keep[] = { 2, ASSUAN_INVALID_FD };
  gpg_error_t err;

  err = assuan_new (r_ctx);
  if (err)
    return err;
  err = assuan_pipe_connect (*r_ctx, argv[0], argv, keep, NULL, NULL, 0);
  if (err)
    {
      assuan_release (*r_ctx);
      *r_ctx = NULL;
    }
  return err;
}


/* Spawn ARGV with the given child stdin/stdout/stderr fds (-1: inherit).
 * Returns the pid or -1.  */
static pid_t
spawn (const char *const argv[], int fd_in, int fd_out, int fd_err)
{
  posix_spawn_file_actions_t fa;
  pid_t pid;
  int rc;

  posix_spawn_file_actions_init (&fa);
  if (fd_in >= 0)
    posix_spawn_file_actions_adddup2 (&fa, fd_in, 0);
  if (fd_out >= 0)
    posix_spawn_file_actions_adddup2 (&fa, fd_out, 1);
  if (fd_err >= 0)
    posix_spawn_file_actions_adddup2 (&fa, fd_err, 2);
  rc = posix_spawnp (&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  if (rc)
    {
      errno = rc;
      return -1;
    }
  return pid;
}


/* Append LEN bytes of BUF to the malloced string *STR of length *LEN_P.  */
static int
append (char **str, size_t *len_p, const void *buf, size_t len)
{
  char *p = realloc (*str, *len_p + len + 1);

  if (!p)
    return -1;
  memcpy (p + *len_p, buf, len);
  *len_p += len;
  p[*len_p] = 0;
  *str = p;
  return 0;
}


/* Exit status of PID, waiting for it; 128+signal if it was killed.  */
static int
wait_status (pid_t pid)
{
  int status;

  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}


/* Close FD if open.  */
static void
close_fd (int fd)
{
  if (fd >= 0)
    close (fd);
}


/* Close the polled fd PFD and count it out of *OPEN_FDS.  */
static void
drop_fd (struct pollfd *pfd, int *open_fds)
{
  close (pfd->fd);
  pfd->fd = -1;
  (*open_fds)--;
}


/* Write STDIN_TEXT to FD_IN and read FD_OUT / FD_ERR into TEXT[0] /
 * TEXT[1] (lengths TEXTLEN) until the child closed both; closes all
 * three fds.  */
static void
pump (int fd_in, const char *stdin_text, int fd_out, int fd_err,
      char *text[2], size_t textlen[2])
{
  size_t towrite = stdin_text ? strlen (stdin_text) : 0;
  struct pollfd pfd[3] = { { fd_out, POLLIN, 0 }, { fd_err, POLLIN, 0 },
                           { fd_in, POLLOUT, 0 } };
  char buf[4096];
  int i, open_fds = 3;
  ssize_t n;

  if (!towrite)
    drop_fd (&pfd[2], &open_fds);
  else   /* A big STDIN_TEXT must not block us while the child writes.  */
    fcntl (fd_in, F_SETFL, fcntl (fd_in, F_GETFL) | O_NONBLOCK);
  while (open_fds)
    {
      if (poll (pfd, 3, -1) < 0 && errno != EINTR)
        break;
      for (i = 0; i < 2; i++)
        if (pfd[i].fd >= 0 && pfd[i].revents)
          {
            n = read (pfd[i].fd, buf, sizeof buf);
            if (n > 0)
              append (&text[i], &textlen[i], buf, n);
            else if (!n || errno != EINTR)
              drop_fd (&pfd[i], &open_fds);
          }
      if (pfd[2].fd >= 0 && pfd[2].revents)
        {
          n = write (pfd[2].fd, stdin_text, towrite);
          if (n > 0)
            {
              stdin_text += n;
              towrite -= n;
            }
          if (!towrite || (n < 0 && errno != EINTR && errno != EAGAIN))
            drop_fd (&pfd[2], &open_fds);
        }
    }
  for (i = 0; i < 3; i++)
    close_fd (pfd[i].fd);
}


/* Hand the collected TEXT to *R_TEXT ("" if none) or free it.  */
static void
take_text (char *text, char **r_text)
{
  if (r_text)
    *r_text = text ? text : strdup ("");
  else
    free (text);
}


int
th_run (const char *const argv[], const char *stdin_text,
        char **r_out, char **r_err)
{
  int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
  char *text[2] = { NULL, NULL };
  size_t textlen[2] = { 0, 0 };
  pid_t pid = -1;

  signal (SIGPIPE, SIG_IGN);
  if (!pipe2 (in, O_CLOEXEC) && !pipe2 (out, O_CLOEXEC)
      && !pipe2 (err, O_CLOEXEC))
    pid = spawn (argv, in[0], out[1], err[1]);
  close_fd (in[0]);
  close_fd (out[1]);
  close_fd (err[1]);
  if (pid < 0)
    {
      close_fd (in[1]);
      close_fd (out[0]);
      close_fd (err[0]);
      return -1;
    }
  pump (in[1], stdin_text, out[0], err[0], text, textlen);
  take_text (text[0], r_out);
  take_text (text[1], r_err);
  return wait_status (pid);
}


/* assuan_transact data callback: collect D-lines in the th_reply_t.  */
static gpg_error_t
collect_data (void *opaque, const void *buf, size_t len)
{
  th_reply_t *reply = opaque;

  if (append (&reply->data, &reply->datalen, buf, len))
    return gpg_error_from_syserror ();
  return 0;
}


/* assuan_transact status callback: collect "KEYWORD args\n".  */
static gpg_error_t
collect_status (void *opaque, const char *line)
{
  th_reply_t *reply = opaque;

  if (append (&reply->status, &reply->statuslen, line, strlen (line))
      || append (&reply->status, &reply->statuslen, "\n", 1))
    return gpg_error_from_syserror ();
  return 0;
}


/* State of one th_transact call.  */
struct transact_state
{
  assuan_context_t ctx;
  const th_inquiry_t *inq;
  th_reply_t *reply;
};


/* assuan_transact callbacks need one opaque; these unwrap it.  */
static gpg_error_t
data_cb (void *opaque, const void *buf, size_t len)
{
  return collect_data (((struct transact_state *)opaque)->reply, buf, len);
}

static gpg_error_t
status_cb (void *opaque, const char *line)
{
  return collect_status (((struct transact_state *)opaque)->reply, line);
}


/* Answer the inquiry LINE ("KEYWORD [args]") from the table; an
 * unknown keyword gets an empty answer.  Records the keyword.  */
static gpg_error_t
inquire_cb (void *opaque, const char *line)
{
  struct transact_state *st = opaque;
  size_t kwlen = strcspn (line, " ");
  const th_inquiry_t *q;

  if (append (&st->reply->inquiries, &st->reply->inquirieslen, line, kwlen)
      || append (&st->reply->inquiries, &st->reply->inquirieslen, "\n", 1))
    return gpg_error_from_syserror ();
  for (q = st->inq; q && q->keyword; q++)
    if (strlen (q->keyword) == kwlen && !strncmp (q->keyword, line, kwlen))
      {
        if (q->cancel)   /* assuan_transact sends CAN and reads on */
          return gpg_error (GPG_ERR_ASS_CANCELED);
        return q->len ? assuan_send_data (st->ctx, q->data, q->len) : 0;
      }
  return 0;
}


gpg_error_t
th_transact (assuan_context_t ctx, const char *command,
             const th_inquiry_t *inq, th_reply_t *r_reply)
{
  th_reply_t dummy;
  struct transact_state st;
  gpg_error_t err;

  memset (&dummy, 0, sizeof dummy);
  st.ctx = ctx;
  st.inq = inq;
  st.reply = r_reply ? r_reply : &dummy;
  memset (st.reply, 0, sizeof *st.reply);
  err = assuan_transact (ctx, command, data_cb, &st, inquire_cb, &st,
                         status_cb, &st);
  th_reply_free (&dummy);
  return err;
}


void
th_reply_free (th_reply_t *reply)
{
  if (!reply)
    return;
  free (reply->data);
  free (reply->status);
  free (reply->inquiries);
  memset (reply, 0, sizeof *reply);
}


void
th_unescape (char *s)
{
  char *d = s;
  unsigned int c;

  for (; *s; s++)
    if (*s == '%' && sscanf (s + 1, "%2x", &c) == 1)
      {
        *d++ = c;
        s += 2;
      }
    else
      *d++ = *s;
  *d = 0;
}


gpg_error_t
th_command (th_home_t *home, int server, const char *command,
            const th_inquiry_t *inq, th_reply_t *r_reply)
{
  assuan_context_t ctx;
  gpg_error_t err;

  err = server ? th_connect_server (home, &ctx) : th_connect (home, &ctx);
  if (err)
    return err;
  err = th_transact (ctx, command, inq, r_reply);
  assuan_release (ctx);
  return err;
}


gpg_error_t
th_export_secret (th_home_t *home, const char *fpr, const char *dir,
                  const char *name, const char *const *wraps,
                  th_reply_t *r_reply)
{
  char *cmd, *next;
  gpg_error_t err;
  int n;

  for (n = 0; wraps && wraps[n]; n++)
    ;
  cmd = n ? gpgrt_bsprintf ("PACK_EXPORT --secret --shares=%d"
                            " --threshold=%d", n, n - 1)
          : gpgrt_strdup ("PACK_EXPORT --secret");
  for (n = 0; cmd && wraps && wraps[n]; n++)
    {
      next = gpgrt_bsprintf ("%s --wrap-key=%s", cmd, wraps[n]);
      gpgrt_free (cmd);
      cmd = next;
    }
  next = cmd ? gpgrt_bsprintf ("%s --output-dir=%s --name=%s -- %s", cmd,
                               dir, name, fpr) : NULL;
  gpgrt_free (cmd);
  if (!next)
    return gpg_error_from_syserror ();
  err = th_command (home, 1, next, NULL, r_reply);
  gpgrt_free (next);
  return err;
}

char *
th_status_get (const char *status, const char *keyword, int nth)
{
  size_t kwlen = strlen (keyword);
  const char *line, *end;

  for (line = status; line && *line; line = end + 1)
    {
      end = strchr (line, '\n');
      if (!end)
        end = line + strlen (line);
      if (!strncmp (line, keyword, kwlen)
          && (line[kwlen] == ' ' || line + kwlen == end)
          && !nth--)
        {
          line += kwlen;
          while (*line == ' ')
            line++;
          return strndup (line, end - line);
        }
      if (!*end)
        break;
    }
  return NULL;
}


int
th_status_count (const char *status, const char *keyword)
{
  int n = 0;
  char *s;

  while ((s = th_status_get (status, keyword, n)))
    {
      free (s);
      n++;
    }
  return n;
}


gpg_error_t
th_b64_decode (const char *text, char **r_buf, size_t *r_len)
{
  gpgrt_b64state_t state = gpgrt_b64dec_start (NULL);
  gpg_error_t err;

  *r_buf = strdup (text);
  if (!state || !*r_buf)
    return gpg_error_from_syserror ();
  err = gpgrt_b64dec_proc (state, *r_buf, strlen (*r_buf), r_len);
  if (!err)
    err = gpgrt_b64dec_finish (state);
  else
    gpgrt_b64dec_finish (state);
  return err;
}


gpg_error_t
th_write_file (const char *path, const void *buf, size_t len)
{
  FILE *fp = fopen (path, "wb");
  int bad;

  if (!fp)
    return gpg_error_from_syserror ();
  bad = len && fwrite (buf, len, 1, fp) != 1;
  if (fclose (fp) || bad)
    return gpg_error_from_syserror ();
  return 0;
}


gpg_error_t
th_new_outdir (th_home_t *home, char path[128])
{
  snprintf (path, 128, "%s/out.XXXXXX", home->dir);
  return mkdtemp (path) ? 0 : gpg_error_from_syserror ();
}

int
th_dir_entries (const char *path)
{
  DIR *dir = opendir (path);
  struct dirent *d;
  int n = 0;

  if (!dir)
    return -1;
  while ((d = readdir (dir)))
    if (strcmp (d->d_name, ".") && strcmp (d->d_name, ".."))
      n++;
  closedir (dir);
  return n;
}

gpg_error_t
th_read_file (const char *path, char **r_buf, size_t *r_len)
{
  FILE *fp = fopen (path, "rb");
  char tmp[4096];
  size_t n;
  gpg_error_t err = 0;

  *r_buf = NULL;
  *r_len = 0;
  if (!fp)
    return gpg_error_from_syserror ();
  while ((n = fread (tmp, 1, sizeof tmp, fp)) > 0)
    if (append (r_buf, r_len, tmp, n))
      {
        err = gpg_error_from_syserror ();
        break;
      }
  if (!err && ferror (fp))
    err = gpg_error (GPG_ERR_EIO);
  fclose (fp);
  if (!err && !*r_buf)
    *r_buf = strdup ("");
  return err;
}


int
th_gca (th_home_t *home, const char *script, char **r_out)
{
  const char *argv[] = { th_prog ("GPG_CONNECT_AGENT", "gpg-connect-agent"),
                         "-S", home->socket, NULL };
  char *input;
  int rc;

  if (gpgrt_asprintf (&input, "%s/bye\n", script) < 0)
    return -1;
  rc = th_run (argv, input, r_out, NULL);
  gpgrt_free (input);
  return rc;
}


gpg_err_code_t
th_gca_errcode (const char *out)
{
  const char *p;

  for (p = out; p && *p; p = strchr (p, '\n'), p = p ? p + 1 : NULL)
    if (!strncmp (p, "ERR ", 4))
      return gpg_err_code (strtoul (p + 4, NULL, 10));
  return 0;
}


/* Ask the daemon on SOCKET to terminate and wait, by polling connect,
 * until it is gone.  Returns false if it still answers.  */
static int
kill_daemon (const char *socket)
{
  assuan_context_t ctx;
  int i;

  if (connect_socket (socket, &ctx))
    return 1;
  th_transact (ctx, "KILLDAEMON", NULL, NULL);
  assuan_release (ctx);
  for (i = 0; i < POLL_TRIES; i++, poll_pause ())
    {
      if (connect_socket (socket, &ctx))
        return 1;
      assuan_release (ctx);
    }
  return 0;
}


/* Copy the daemon's log LOGNAME to stderr: why it did not start.  */
static void
show_log (const char *logname)
{
  char *text;
  size_t len;

  if (!th_read_file (logname, &text, &len) && len)
    fprintf (stderr, "harness: %s:\n%s", logname, text);
  free (text);
}


gpg_error_t
th_daemon_start (th_home_t *home)
{
  const char *argv[] = { th_prog ("GPGPACKD", "gpgpackd"), "--daemon",
                         "--homedir", home->dir, NULL };
  assuan_context_t ctx = NULL;
  th_reply_t reply;
  gpg_error_t err = gpg_error (GPG_ERR_TIMEOUT);
  char logname[96];
  pid_t pid;
  int i, status, fd_null, fd_log;

  snprintf (logname, sizeof logname, "%s/gpgpackd.log", home->dir);
  fd_null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  fd_log = open (logname, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  pid = (fd_null < 0 || fd_log < 0) ? -1
        : spawn (argv, fd_null, fd_null, fd_log);
  if (pid < 0)
    err = gpg_error_from_syserror ();
  if (fd_null >= 0)
    close (fd_null);
  if (fd_log >= 0)
    close (fd_log);
  if (pid < 0)
    return err;
  home->spawn_pid = pid;
  for (i = 0; i < POLL_TRIES; i++, poll_pause ())
    {
      if (!connect_socket (home->socket, &ctx))
        {
          err = 0;
          break;
        }
      /* A daemon that forks lets its parent exit 0; failing is final.  */
      if (home->spawn_pid && waitpid (pid, &status, WNOHANG) == pid)
        {
          home->spawn_pid = 0;
          if (!WIFEXITED (status) || WEXITSTATUS (status))
            {
              err = gpg_error (GPG_ERR_SERVER_FAILED);
              break;
            }
        }
    }
  if (err)
    {
      show_log (logname);
      return err;
    }
  err = th_transact (ctx, "GETINFO pid", NULL, &reply);
  if (!err)
    home->daemon_pid = (pid_t)strtol (reply.data ? reply.data : "0", NULL, 10);
  if (!err && home->daemon_pid <= 0)
    err = gpg_error (GPG_ERR_INV_RESPONSE);
  th_reply_free (&reply);
  assuan_release (ctx);
  return err;
}


/* nftw callback removing one entry.  */
static int
remove_entry (const char *path, const struct stat *st, int type,
              struct FTW *ftw)
{
  return remove (path);
}


/* Stop what runs for the home DIR with socket SOCKET (daemon DAEMON_PID
 * if known, else 0) and remove DIR.  */
static void
shutdown_home (const char *dir, const char *socket, pid_t daemon_pid)
{
  const char *kill_argv[] = { th_prog ("GPGCONF", "gpgconf"), "--homedir",
                              dir, "--kill", "all", NULL };
  const char *rmsd_argv[] = { kill_argv[0], "--homedir", dir,
                              "--remove-socketdir", NULL };

  if (!kill_daemon (socket) && daemon_pid > 0)
    kill (daemon_pid, SIGTERM);
  th_run (kill_argv, NULL, NULL, NULL);
  th_run (rmsd_argv, NULL, NULL, NULL);
  nftw (dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}


void
th_home_destroy (th_home_t *home)
{
  int i;

  if (!*home->dir)
    return;
  shutdown_home (home->dir, home->socket, home->daemon_pid);
  for (i = 0; home->spawn_pid && i < POLL_TRIES; i++)
    {
      pid_t r = waitpid (home->spawn_pid, NULL, WNOHANG);

      if (r == home->spawn_pid || (r < 0 && errno == ECHILD))
        home->spawn_pid = 0;
      else
        poll_pause ();
    }
  if (home->spawn_pid)
    {
      kill (home->spawn_pid, SIGKILL);
      waitpid (home->spawn_pid, NULL, 0);
    }
  memset (home, 0, sizeof *home);
}


void
th_cleanup_all (void)
{
  char dir[sizeof root_dir + 260], socket[108];
  struct dirent *de;
  DIR *dp;

  if (!*root_dir || getpid () != root_pid)
    return;
  dp = opendir (root_dir);
  while (dp && (de = readdir (dp)))
    {
      if (strncmp (de->d_name, "h.", 2))
        continue;
      snprintf (dir, sizeof dir, "%s/%s", root_dir, de->d_name);
      if (!compute_socket (dir, socket))
        shutdown_home (dir, socket, 0);
    }
  if (dp)
    closedir (dp);
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  nftw (root_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  *root_dir = 0;
}


/* qsort comparison of two string pointers.  */
static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}


char *
th_list_fprs (th_home_t *home, int secret)
{
  gpgme_ctx_t ctx;
  gpgme_key_t key;
  char **fprs = NULL, **tmp;
  char *result = NULL;
  size_t n = 0, i, len = 0;
  gpg_error_t err;

  if (th_gpgme_new (home, &ctx))
    return NULL;
  err = gpgme_op_keylist_start (ctx, NULL, secret);
  while (!err && !(err = gpgme_op_keylist_next (ctx, &key)))
    {
      tmp = realloc (fprs, (n + 1) * sizeof *fprs);
      if (tmp)
        {
          fprs = tmp;
          fprs[n++] = strdup (key->fpr);
        }
      gpgme_key_unref (key);
    }
  gpgme_release (ctx);
  if (gpg_err_code (err) == GPG_ERR_EOF)
    {
      if (n)
        qsort (fprs, n, sizeof *fprs, cmp_str);
      result = strdup ("");
      for (i = 0; result && i < n; i++)
        if (append (&result, &len, i ? "\n" : "", i ? 1 : 0)
            || append (&result, &len, fprs[i], strlen (fprs[i])))
          {
            free (result);
            result = NULL;
          }
    }
  for (i = 0; i < n; i++)
    free (fprs[i]);
  free (fprs);
  return result;
}


double
th_now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}


void
th_pause_ms (double ms)
{
  struct timespec ts;

  ts.tv_sec = (time_t)(ms / 1000);
  ts.tv_nsec = (long)((ms - ts.tv_sec * 1000.0) * 1e6);
  nanosleep (&ts, NULL);
}

/* The state of HOME's keyring, malloced: SHA-256 of pubring.kbx, then
 * the names in private-keys-v1.d, sorted.  */
char *
th_keyring_state (th_home_t *home)
{
  unsigned char digest[32];
  struct dirent **names;
  char path[256], *buf = NULL, *state;
  size_t len = 0;
  int i, n;

  snprintf (path, sizeof path, "%s/pubring.kbx", home->dir);
  if (th_read_file (path, &buf, &len))
    len = 0;
  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, buf ? buf : "", len);
  free (buf);
  state = gpgrt_bsprintf ("%zu:%02x%02x%02x%02x%02x%02x%02x%02x", len,
                          digest[0], digest[1], digest[2], digest[3],
                          digest[4], digest[5], digest[6], digest[7]);
  snprintf (path, sizeof path, "%s/private-keys-v1.d", home->dir);
  n = scandir (path, &names, NULL, alphasort);
  for (i = 0; i < n; i++)
    {
      char *next = state ? gpgrt_bsprintf ("%s %s", state,
                                           names[i]->d_name) : NULL;

      gpgrt_free (state);
      state = next;
      free (names[i]);
    }
  if (n >= 0)
    free (names);
  return state;
}

char *
th_dir_state (th_home_t *home, const char *dir)
{
  unsigned char digest[32];
  struct dirent **names;
  char path[512], *buf, *state, *next;
  size_t len;
  int i, n;

  state = home ? th_keyring_state (home) : gpgrt_strdup ("");
  n = scandir (dir, &names, NULL, alphasort);
  for (i = 0; i < n; i++)
    {
      snprintf (path, sizeof path, "%s/%s", dir, names[i]->d_name);
      buf = NULL;
      len = 0;
      if (names[i]->d_type == DT_REG && th_read_file (path, &buf, &len))
        len = 0;
      gcry_md_hash_buffer (GCRY_MD_SHA256, digest, buf ? buf : "", len);
      next = state ? gpgrt_bsprintf ("%s\n%s %02x%02x%02x%02x%02x%02x",
                                     state, names[i]->d_name, digest[0],
                                     digest[1], digest[2], digest[3],
                                     digest[4], digest[5]) : NULL;
      gpgrt_free (state);
      state = next;
      free (buf);
      free (names[i]);
    }
  if (n < 0)
    {
      gpgrt_free (state);
      return NULL;
    }
  free (names);
  return state;
}

gpg_error_t
th_gpg_decrypt (th_home_t *home, const char *pass, const char *in,
                const char *out)
{
  const char *argv[] = { th_prog ("GPG", "gpg"), "--homedir", home->dir,
                         "--batch", "--quiet", "--output", out,
                         "--decrypt", in, NULL, NULL, NULL, NULL, NULL };

  if (pass)
    {
      argv[7] = "--pinentry-mode";
      argv[8] = "loopback";
      argv[9] = "--passphrase";
      argv[10] = pass;
      argv[11] = "--decrypt";
      argv[12] = in;
    }
  return th_run (argv, NULL, NULL, NULL) ? gpg_error (GPG_ERR_GENERAL) : 0;
}

const char *
th_path (const char *dir, const char *name)
{
  static char buf[8][256];
  static int n;

  n = (n + 1) % 8;
  snprintf (buf[n], sizeof buf[n], "%s/%s", dir, name);
  return buf[n];
}
