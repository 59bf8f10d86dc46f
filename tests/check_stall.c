/* check_stall.c - no request can stall or hang gpgpackd
 *
 * Integration tests with the real daemon (harness.h): a hostile key
 * file is refused at once; a long Argon2 derivation in one session does
 * not delay NOP in another; a full or read-only GnuPG home makes
 * PACK_IMPORT fail in bounded time with the keyring unchanged; a client
 * that never reads its answer or stops inside an inquiry costs only its
 * own thread.  The filesystem tests mount a tmpfs and are skipped, with
 * a note, where mounting is not allowed.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"

#define FILE_PASSPHRASE "stall pass"
#define TEST_TIMEOUT 120      /* seconds; a hang fails by this timeout */
#define POLL_MS 10            /* pause of a bounded poll */
#define POLL_TRIES 1000       /* 10 s */
#define PHOTO_BYTES 400000    /* two such keys: more than pipe and
                                 socket buffers hold */

static th_home_t home_src;       /* keys, a daemon, the packs */
static char fpr_small[41];       /* ed25519, no photo */
static char fpr_big1[41], fpr_big2[41];  /* each with a PHOTO_BYTES photo */
static char outdir[80];
static char pack_pp[128], key_pp[128];   /* fpr_small, key file under
                                            FILE_PASSPHRASE (Argon2id
                                            defaults) */
static char pack_big[128], key_big[128]; /* fpr_big1 and fpr_big2, public */


/* Assert that ERR has the code WANT (any source).  */
#define ck_assert_code(err, want) do {                                  \
    gpg_error_t e_ = (err);                                             \
    ck_assert_msg (gpg_err_code (e_) == (want), "want %s, got %s <%s>",  \
                   gpg_strerror (gpg_error (want)), gpg_strerror (e_),  \
                   gpg_strsource (e_));                                 \
  } while (0)


/* Run COMMAND on HOME's daemon with the answers INQ.  */
static gpg_error_t
run_cmd (th_home_t *home, const char *command, const th_inquiry_t *inq,
         th_reply_t *reply)
{
  return th_command (home, 0, command, inq, reply);
}


/* Export PATTERNS (with OPTS) from home_src to OUTDIR/NAME.*; the
 * file names from PACK_CREATED go to R_PACK and R_KEY (128 bytes).
 * Used by the setup: no ck_assert.  */
static gpg_error_t
export_files (const char *opts, const char *name, const char *patterns,
              char *r_pack, char *r_key)
{
  th_inquiry_t inq[] = { { "NEW_PASSPHRASE", FILE_PASSPHRASE,
                           strlen (FILE_PASSPHRASE) }, { NULL } };
  th_reply_t reply = { NULL };
  char *cmd, *created = NULL;
  gpg_error_t err;

  cmd = gpgrt_bsprintf ("PACK_EXPORT --output-dir=%s --name=%s %s -- %s",
                        outdir, name, opts, patterns);
  err = cmd ? run_cmd (&home_src, cmd, inq, &reply)
            : gpg_error_from_syserror ();
  if (!err)
    created = th_status_get (reply.status, "PACK_CREATED", 0);
  if (!err && !(created && sscanf (created, "%*s %127s %127s",
                                   r_pack, r_key) == 2))
    err = gpg_error (GPG_ERR_INV_RESPONSE);
  free (created);
  th_reply_free (&reply);
  gpgrt_free (cmd);
  return err;
}


/* Generate a key for UID in home_src with a photo ID of PHOTO_BYTES
 * (a JPEG marker and filler; gpg --edit-key addphoto).  */
static gpg_error_t
make_photo_key (const char *uid, char *r_fpr)
{
  const char *argv[] = { th_prog ("GPG", "gpg"), "--homedir", home_src.dir,
                         "--batch", "--command-fd", "0", "--edit-key",
                         r_fpr, NULL };
  char path[128], *script, *photo;
  gpg_error_t err;

  err = th_genkey (&home_src, uid, "ed25519", NULL, r_fpr);
  if (err)
    return err;
  snprintf (path, sizeof path, "%s/photo.jpg", outdir);
  photo = malloc (PHOTO_BYTES);
  if (!photo)
    return gpg_error_from_syserror ();
  memset (photo, 'x', PHOTO_BYTES);
  memcpy (photo, "\xff\xd8\xff\xe0", 4);      /* JPEG SOI, APP0 */
  err = th_write_file (path, photo, PHOTO_BYTES);
  free (photo);
  script = gpgrt_bsprintf ("addphoto\n%s\ny\nsave\n", path);
  if (!err && !script)
    err = gpg_error_from_syserror ();
  if (!err && th_run (argv, script, NULL, NULL))
    err = gpg_error (GPG_ERR_GENERAL);
  gpgrt_free (script);
  return err;
}


/* ---- Argon2 ----  */

/* A key file with the hostile Argon2 parameters is refused
 * before any derivation (which would take minutes: the test timeout
 * catches it) and before a passphrase is asked; nothing is imported.  */
START_TEST (test_hostile_kdf)
{
  th_home_t home;
  th_reply_t reply;
  char *text, *line, *hostile, *cmd, *fprs, path[160];
  size_t len;

  ck_assert_code (th_read_file (key_pp, &text, &len), 0);
  line = strstr (text, "argon2id t=");
  ck_assert_ptr_nonnull (line);
  ck_assert_ptr_nonnull (strstr (line, " salt="));
  hostile = gpgrt_bsprintf ("%.*sargon2id t=64 m=2097152 p=16%s",
                            (int)(line - text), text, strstr (line, " salt="));
  snprintf (path, sizeof path, "%s/hostile.key", outdir);
  ck_assert_code (th_write_file (path, hostile, strlen (hostile)), 0);

  ck_assert_code (th_home_create (&home), 0);
  ck_assert_code (th_daemon_start (&home), 0);
  cmd = gpgrt_bsprintf ("PACK_IMPORT --key-file=%s %s", path, pack_pp);
  ck_assert_code (run_cmd (&home, cmd, NULL, &reply),
                  GPG_ERR_LIMIT_REACHED);
  ck_assert (!reply.inquiries || !strstr (reply.inquiries, "PASSPHRASE"));
  fprs = th_list_fprs (&home, 0);
  ck_assert_str_eq (fprs, "");
  free (fprs);
  th_reply_free (&reply);
  gpgrt_free (cmd);
  gpgrt_free (hostile);
  free (text);
  th_home_destroy (&home);
}
END_TEST


/* Session A of test_kdf_unlocked: the dry-run import whose key file
 * needs the passphrase; SENT is when the passphrase went out.  */
struct session_a
{
  pthread_mutex_t lock;
  pthread_cond_t cond;
  assuan_context_t ctx;
  double sent, done;
  gpg_error_t err;
};


/* Inquiry callback of session A: answer PASSPHRASE, note the time.  */
static gpg_error_t
a_inquire (void *opaque, const char *line)
{
  struct session_a *a = opaque;
  gpg_error_t err;

  if (strncmp (line, "PASSPHRASE", 10))
    return 0;
  err = assuan_send_data (a->ctx, FILE_PASSPHRASE, strlen (FILE_PASSPHRASE));
  pthread_mutex_lock (&a->lock);
  a->sent = th_now_ms ();
  pthread_cond_signal (&a->cond);
  pthread_mutex_unlock (&a->lock);
  return err;
}


static void *
a_thread (void *arg)
{
  struct session_a *a = arg;
  char *cmd;

  cmd = gpgrt_bsprintf ("PACK_IMPORT --dry-run --key-file=%s %s",
                        key_pp, pack_pp);
  a->err = assuan_transact (a->ctx, cmd, NULL, NULL, a_inquire, a,
                            NULL, NULL);
  pthread_mutex_lock (&a->lock);
  a->done = th_now_ms ();
  pthread_mutex_unlock (&a->lock);
  gpgrt_free (cmd);
  return NULL;
}


/* True once session A has its answer.  */
static int
a_finished (struct session_a *a)
{
  int done;

  pthread_mutex_lock (&a->lock);
  done = a->done > 0;
  pthread_mutex_unlock (&a->lock);
  return done;
}


/* While session A derives the key file's Argon2id key (the writer's
 * defaults), session B sends NOP after NOP: none waits for more than
 * a small part of A's time.  With the nPth lock held during the
 * derivation, the NOP sent while it runs would wait for all of it.  */
START_TEST (test_kdf_unlocked)
{
  struct session_a a;
  assuan_context_t b;
  pthread_t thread;
  struct timespec until;
  double start, worst = 0;
  int nops = 0;

  memset (&a, 0, sizeof a);
  pthread_mutex_init (&a.lock, NULL);
  pthread_cond_init (&a.cond, NULL);
  ck_assert_code (th_connect (&home_src, &a.ctx), 0);
  ck_assert_code (th_connect (&home_src, &b), 0);
  ck_assert_int_eq (pthread_create (&thread, NULL, a_thread, &a), 0);
  clock_gettime (CLOCK_REALTIME, &until);
  until.tv_sec += 30;
  pthread_mutex_lock (&a.lock);
  while (!a.sent
         && pthread_cond_timedwait (&a.cond, &a.lock, &until) != ETIMEDOUT)
    ;
  pthread_mutex_unlock (&a.lock);
  ck_assert_msg (a.sent, "session A was never asked for the passphrase");
  for (; !a_finished (&a); nops++)
    {
      start = th_now_ms ();
      ck_assert_code (assuan_transact (b, "NOP", NULL, NULL, NULL, NULL,
                                       NULL, NULL), 0);
      if (th_now_ms () - start > worst)
        worst = th_now_ms () - start;
    }
  pthread_join (thread, NULL);
  ck_assert_code (a.err, 0);
  ck_assert_int_gt (nops, 0);
  printf ("NOTE: %d NOPs during A's %.0f ms, the slowest %.1f ms\n", nops,
          a.done - a.sent, worst);
  ck_assert_msg (worst * 3 < a.done - a.sent,
                 "a NOP took %.0f ms of A's %.0f ms", worst, a.done - a.sent);
  assuan_release (a.ctx);
  assuan_release (b);
}
END_TEST


/* ---- full / read-only GnuPG home ----  */

/* Make HOME's directory a tmpfs with mount options OPTS (its files
 * copied in) and
 * start a daemon there.  False (after a note) if mounting is refused.
 * Needs Check's fork mode (the default): the namespace is per test.  */
static int
mount_home (th_home_t *home, const char *opts)
{
  char *conf, *agentconf, path[128];
  size_t len;

  ck_assert_code (th_home_create (home), 0);
  snprintf (path, sizeof path, "%s/gpg.conf", home->dir);
  ck_assert_code (th_read_file (path, &conf, &len), 0);
  snprintf (path, sizeof path, "%s/gpg-agent.conf", home->dir);
  ck_assert_code (th_read_file (path, &agentconf, &len), 0);
  /* A mount namespace of this test process (and the daemon it starts):
   * the tmpfs goes away with them even if the test fails.  */
  if (unshare (CLONE_NEWNS)
      || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)
      || mount ("tmpfs", home->dir, "tmpfs", 0, opts))
    {
      printf ("NOTE: can't mount a tmpfs on %s (%s): test skipped\n",
              home->dir, strerror (errno));
      free (conf);
      free (agentconf);
      return 0;
    }
  ck_assert_code (th_home_write (home, "gpg.conf", conf), 0);
  ck_assert_code (th_home_write (home, "gpg-agent.conf", agentconf), 0);
  free (conf);
  free (agentconf);
  ck_assert_code (th_daemon_start (home), 0);
  return 1;
}


/* Stop HOME's daemon and unmount its tmpfs.  */
static void
unmount_home (th_home_t *home)
{
  char dir[sizeof home->dir];

  strcpy (dir, home->dir);
  th_home_destroy (home);
  ck_assert_int_eq (umount2 (dir, MNT_DETACH), 0);
}


/* Fill the filesystem of DIR but LEAVE bytes: a file written until
 * ENOSPC, then cut by LEAVE.  */
static void
fill_fs_leaving (const char *dir, off_t leave)
{
  char path[128], block[4096];
  struct stat st;
  int fd;

  memset (block, 0, sizeof block);
  snprintf (path, sizeof path, "%s/filler", dir);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ck_assert_int_ge (fd, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  ck_assert_int_eq (errno, ENOSPC);
  ck_assert_int_eq (fstat (fd, &st), 0);
  ck_assert_int_ge (st.st_size, leave);
  ck_assert_int_eq (ftruncate (fd, st.st_size - leave), 0);
  close (fd);
}


/* Fill the filesystem of DIR.  */
static void
fill_fs (const char *dir)
{
  fill_fs_leaving (dir, 0);
}


/* Use up the free inodes of DIR: empty files until ENOSPC.  */
static void
fill_inodes (const char *dir)
{
  char path[128];
  int i, fd = 0;

  for (i = 0; fd >= 0 && i < 100000; i++)
    {
      snprintf (path, sizeof path, "%s/f%d", dir, i);
      fd = open (path, O_WRONLY | O_CREAT, 0600);
      if (fd >= 0)
        close (fd);
    }
  ck_assert_int_lt (fd, 0);
  ck_assert_int_eq (errno, ENOSPC);
}


/* Import pack_big into HOME: expect CODE; the keyring stays empty and
 * the daemon still answers.  A hang fails by the test timeout.  */
static void
import_big_fails (th_home_t *home, gpg_err_code_t code)
{
  th_reply_t reply;
  assuan_context_t ctx;
  char *cmd, *fprs;

  cmd = gpgrt_bsprintf ("PACK_IMPORT --key-file=%s %s", key_big, pack_big);
  ck_assert_code (th_connect (home, &ctx), 0);
  ck_assert_code (th_transact (ctx, cmd, NULL, &reply), code);
  ck_assert_code (th_transact (ctx, "NOP", NULL, NULL), 0);
  assuan_release (ctx);
  fprs = th_list_fprs (home, 0);
  ck_assert_ptr_nonnull (fprs);
  ck_assert_str_eq (fprs, "");
  free (fprs);
  th_reply_free (&reply);
  gpgrt_free (cmd);
}


/* Make the filesystem of DIR read-only.  EBUSY while a process the
 * new home started (slow under sanitizers) still has a file open for
 * writing: polled, bounded.  */
static void
remount_ro (const char *dir)
{
  int i, rc;

  for (i = 0; (rc = mount (NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL))
         && errno == EBUSY && i < 5000 / POLL_MS; i++)
    th_pause_ms (POLL_MS);
  ck_assert_msg (!rc, "remounting %s read-only: %s", dir, strerror (errno));
}


/* The spoiled homes: mount options, what spoils the home, the error.  */
static const struct fs_case
{
  const char *opts;
  void (*spoil) (const char *dir);
  gpg_err_code_t code;
} fs_cases[] =
  {
    /* Full: refused before gpg runs.  */
    { "size=4m,mode=0700", fill_fs, GPG_ERR_ENOSPC },
    /* No free inodes but free bytes: refused before gpg runs.  */
    { "size=4m,nr_inodes=200,mode=0700", fill_inodes, GPG_ERR_ENOSPC },
    /* Read-only: gpg fails on the first key and exits with the second
     * one unread, where GPGME 1.18's own loop spun forever.  */
    { "size=4m,mode=0700", remount_ro, GPG_ERR_EROFS }
  };


/* PACK_IMPORT into a spoiled home ends with the case's error.  */
START_TEST (test_home_fs)
{
  const struct fs_case *c = &fs_cases[_i];
  th_home_t home;

  if (!mount_home (&home, c->opts))
    return;
  c->spoil (home.dir);
  import_big_fails (&home, c->code);
  unmount_home (&home);
}
END_TEST


/* PACK_EXPORT --output-dir onto a filesystem that fills up during
 * the write (the 800 KB of the big keys, 128 KiB free): ENOSPC with
 * its text, no file left in the output directory, not even a temp
 * file, and the daemon still answers.  */
START_TEST (test_export_full_fs)
{
  th_home_t home;
  char out[128], *cmd;
  th_reply_t reply;
  assuan_context_t ctx;

  if (!mount_home (&home, "size=4m,mode=0700"))
    return;
  ck_assert_code (th_copy_key (&home_src, &home, fpr_big1, 0), 0);
  ck_assert_code (th_copy_key (&home_src, &home, fpr_big2, 0), 0);
  snprintf (out, sizeof out, "%s/out", home.dir);
  ck_assert_int_eq (mkdir (out, 0700), 0);
  fill_fs_leaving (home.dir, 128 * 1024);
  cmd = gpgrt_bsprintf ("PACK_EXPORT --output-dir=%s --name=x -- %s %s",
                        out, fpr_big1, fpr_big2);
  ck_assert_code (th_connect (&home, &ctx), 0);
  ck_assert_code (th_transact (ctx, cmd, NULL, &reply), GPG_ERR_ENOSPC);
  ck_assert_code (th_transact (ctx, "NOP", NULL, NULL), 0);
  assuan_release (ctx);
  ck_assert_int_eq (th_dir_entries (out), 0);
  th_reply_free (&reply);
  gpgrt_free (cmd);
  unmount_home (&home);
}
END_TEST


/* ---- clients that stop ----  */

/* Number of threads of the daemon of HOME.  */
static int
thread_count (th_home_t *home)
{
  char path[64];
  struct dirent *de;
  DIR *dp;
  int n = 0;

  snprintf (path, sizeof path, "/proc/%d/task", (int)home->daemon_pid);
  dp = opendir (path);
  ck_assert_ptr_nonnull (dp);
  while ((de = readdir (dp)))
    if (*de->d_name != '.')
      n++;
  closedir (dp);
  return n;
}


/* Poll (bounded) until the daemon of HOME has N threads.  */
static void
wait_threads (th_home_t *home, int n)
{
  int i;

  for (i = 0; i < POLL_TRIES && thread_count (home) != n; i++)
    th_pause_ms (POLL_MS);
  ck_assert_int_eq (thread_count (home), n);
}


/* A raw connection to HOME's daemon that sends LINE and reads nothing.  */
static int
raw_send (th_home_t *home, const char *line)
{
  struct sockaddr_un addr;
  int fd;

  memset (&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy (addr.sun_path, home->socket);
  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (connect (fd, (struct sockaddr *)&addr, sizeof addr), 0);
  ck_assert_int_eq (write (fd, line, strlen (line)), strlen (line));
  return fd;
}


/* Poll (bounded) until FD holds at least N unread bytes, or the text
 * WANT if not NULL.  */
static void
wait_pending (int fd, int n, const char *want)
{
  char buf[4096];
  int i, avail = 0;
  ssize_t got = 0;

  for (i = 0; i < POLL_TRIES; i++)
    {
      ck_assert_int_eq (ioctl (fd, FIONREAD, &avail), 0);
      got = recv (fd, buf, sizeof buf - 1, MSG_PEEK | MSG_DONTWAIT);
      buf[got > 0 ? got : 0] = 0;
      if (avail >= n && (!want || strstr (buf, want)))
        return;
      th_pause_ms (POLL_MS);
    }
  ck_abort_msg ("%d bytes pending, want %d and '%s'", avail, n,
                want ? want : "");
}


/* Another client gets NOP and GETINFO answered.  */
static void
assert_served (th_home_t *home)
{
  assuan_context_t ctx;
  th_reply_t reply;

  ck_assert_code (th_connect (home, &ctx), 0);
  ck_assert_code (th_transact (ctx, "NOP", NULL, NULL), 0);
  ck_assert_code (th_transact (ctx, "GETINFO pid", NULL, &reply), 0);
  ck_assert_int_eq (atoi (reply.data), home->daemon_pid);
  th_reply_free (&reply);
  assuan_release (ctx);
}


/* A streamed export (800 KB) whose client never reads: the socket
 * takes far less, so the daemon's thread blocks in its write.  Once
 * the pack is flowing (32 KiB unread), others are still served; when
 * the client goes, its thread ends.  */
START_TEST (test_client_never_reads)
{
  int base, fd;
  char *cmd;

  base = thread_count (&home_src);
  cmd = gpgrt_bsprintf ("PACK_EXPORT -- %s %s\n", fpr_big1, fpr_big2);
  fd = raw_send (&home_src, cmd);
  wait_pending (fd, 32 * 1024, NULL);
  assert_served (&home_src);
  close (fd);
  wait_threads (&home_src, base);
  assert_served (&home_src);
  gpgrt_free (cmd);
}
END_TEST


/* A client that stops inside INQUIRE PACK: others are served; when it
 * goes, its thread ends.  */
START_TEST (test_client_stops_in_inquiry)
{
  int base, fd;

  base = thread_count (&home_src);
  fd = raw_send (&home_src, "PACK_IMPORT\n");
  wait_pending (fd, 1, "INQUIRE PACK");
  ck_assert_int_eq (thread_count (&home_src), base + 1);
  assert_served (&home_src);
  close (fd);
  wait_threads (&home_src, base);
  assert_served (&home_src);
}
END_TEST


static void
setup_fixture (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_src));
  snprintf (outdir, sizeof outdir, "%s/out", home_src.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  TH_SETUP (th_genkey (&home_src, "Small <small@example.org>", "ed25519",
                       NULL, fpr_small));
  TH_SETUP (make_photo_key ("Big One <big1@example.org>", fpr_big1));
  TH_SETUP (make_photo_key ("Big Two <big2@example.org>", fpr_big2));
  TH_SETUP (th_daemon_start (&home_src));
  TH_SETUP (export_files ("--passphrase", "pp", fpr_small, pack_pp, key_pp));
  {
    char *both = gpgrt_bsprintf ("%s %s", fpr_big1, fpr_big2);

    TH_SETUP (both ? export_files ("", "big", both, pack_big, key_big)
              : gpg_error_from_syserror ());
    gpgrt_free (both);
  }
}


static Suite *
stall_suite (void)
{
  Suite *s = suite_create ("stall");
  TCase *tc = tcase_create ("stall");

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_hostile_kdf);
  tcase_add_test (tc, test_kdf_unlocked);
  tcase_add_loop_test (tc, test_home_fs, 0,
                       sizeof fs_cases / sizeof *fs_cases);
  tcase_add_test (tc, test_export_full_fs);
  tcase_add_test (tc, test_client_never_reads);
  tcase_add_test (tc, test_client_stops_in_inquiry);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  return th_main (setup_fixture, stall_suite);
}
