/* check_load.c - Check gpgpackd under 64 clients at once
 *
 * 64 clients send 100 requests each, all at the same time, on their
 * own connections: GETINFO, NOP, PACK_INFO, small exports and imports
 * mixed.  Every request must succeed, and the daemon's resident memory
 * after the run must be what it was after a warm-up run of the same
 * clients (no leak per request or per connection); not so under the
 * sanitizers, whose quarantine keeps freed memory.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/stat.h>
#include <check.h>

#include "harness.h"

#define NCLIENTS 64
#define NREQUESTS 100
/* The warm-up reaches the measured run's peak: all clients at once,
 * each with an export and an import (any 20 requests in a row hold
 * both, see pick_command), so that the secure memory pages, thread
 * stacks and malloc arenas touched at the peak are resident before
 * the measured run and only a leak makes the daemon grow.  */
#define WARMUP_REQUESTS 25
/* Resident memory the daemon may gain over the measured run.  */
#define RSS_SLACK_KIB 2048
/* 800 of the requests run gpg: minutes on a loaded 2-core machine.  */
#define TEST_TIMEOUT 1500

static th_home_t home;
static char fprs[2][41];
static char *commands[4];     /* export, import, info, getinfo */

/* One client thread: its number, how many requests to send, and the
 * first failure it saw (a thread must not use Check's asserts).  */
struct client
{
  pthread_t thread;
  int num;
  int nrequests;
  int failures;
  char first_failure[200];
};

/* The command of request R of client C: mostly cheap ones, with an
 * export and an import in every 20.  */
static const char *
pick_command (int c, int r)
{
  switch ((c * 7 + r) % 20)
    {
    case 0:  return commands[0];
    case 10: return commands[1];
    case 1: case 5: case 15: return commands[2];
    case 2: case 12: return "NOP";
    default: return commands[3];
    }
}

static void *
client_run (void *arg)
{
  struct client *cl = arg;
  assuan_context_t ctx = NULL;
  th_reply_t reply;
  gpg_error_t err;
  int r;

  err = th_connect (&home, &ctx);
  for (r = 0; r < cl->nrequests; r++)
    {
      const char *cmd = pick_command (cl->num, r);

      if (!err)
        err = th_transact (ctx, cmd, NULL, &reply);
      if (!err && cmd == commands[0] && !reply.datalen)
        err = gpg_error (GPG_ERR_NO_DATA);
      if (!err)
        th_reply_free (&reply);
      if (err && !cl->failures++)
        snprintf (cl->first_failure, sizeof cl->first_failure,
                  "client %d, request %d (%.40s): %s", cl->num, r, cmd,
                  gpg_strerror (err));
      err = 0;
    }
  assuan_release (ctx);
  return NULL;
}

/* Run NCLIENTS clients of NREQUESTS each at once; return the failures. */
static int
run_clients (int nrequests)
{
  static struct client clients[NCLIENTS];
  int i, failures = 0;

  for (i = 0; i < NCLIENTS; i++)
    {
      memset (&clients[i], 0, sizeof clients[i]);
      clients[i].num = i;
      clients[i].nrequests = nrequests;
      ck_assert_int_eq (pthread_create (&clients[i].thread, NULL,
                                        client_run, &clients[i]), 0);
    }
  for (i = 0; i < NCLIENTS; i++)
    {
      pthread_join (clients[i].thread, NULL);
      if (clients[i].failures)
        fprintf (stderr, "%d failures, first: %s\n", clients[i].failures,
                 clients[i].first_failure);
      failures += clients[i].failures;
    }
  return failures;
}

/* The daemon's resident memory in KiB.  */
static long
daemon_rss_kib (void)
{
  char path[64], *text = NULL, *p;
  size_t len;
  long kib = -1;

  snprintf (path, sizeof path, "/proc/%d/status", (int)home.daemon_pid);
  if (!th_read_file (path, &text, &len) && (p = strstr (text, "VmRSS:")))
    kib = strtol (p + 6, NULL, 10);
  free (text);
  return kib;
}

START_TEST (test_many_clients)
{
  long warm, after;
  int failures;

  failures = run_clients (WARMUP_REQUESTS);
  ck_assert_int_eq (failures, 0);
  warm = daemon_rss_kib ();
  ck_assert_int_gt (warm, 0);
  failures = run_clients (NREQUESTS);
  after = daemon_rss_kib ();
  printf ("NOTE: %d clients x %d requests: %d failures; daemon RSS %ld KiB"
          " after warm-up, %ld KiB after\n", NCLIENTS, NREQUESTS, failures,
          warm, after);
  ck_assert_int_eq (failures, 0);
  /* AddressSanitizer keeps freed memory in quarantine, so the size
   * says nothing there; LeakSanitizer checks the daemon at its exit.  */
  if (getenv ("GPGPACK_SANITIZER_LOG"))
    return;
  ck_assert_msg (after <= warm + RSS_SLACK_KIB,
                 "daemon grew from %ld to %ld KiB", warm, after);
}
END_TEST

static void
setup_fixture (void)
{
  char outdir[128], *make_pack;

  TH_SETUP (th_init ());
  alarm (TEST_TIMEOUT + 120);  /* th_init's 300 s bound is too short here.  */
  TH_SETUP (th_home_create (&home));
  TH_SETUP (th_genkey (&home, "a@example.org", "ed25519", NULL, fprs[0]));
  TH_SETUP (th_genkey (&home, "b@example.org", "ed25519", NULL, fprs[1]));
  snprintf (outdir, sizeof outdir, "%s/out", home.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  TH_SETUP (th_daemon_start (&home));
  commands[0] = gpgrt_bsprintf ("PACK_EXPORT -- %s", fprs[0]);
  commands[1] = gpgrt_bsprintf ("PACK_IMPORT --key-file=%s/p.key"
                                " %s/p.gpgpack", outdir, outdir);
  commands[2] = gpgrt_bsprintf ("PACK_INFO %s/p.gpgpack", outdir);
  commands[3] = gpgrt_bsprintf ("GETINFO version");
  TH_SETUP (commands[0] && commands[1] && commands[2] && commands[3]
            ? 0 : gpg_error_from_syserror ());
  make_pack = gpgrt_bsprintf ("PACK_EXPORT --output-dir=%s --name=p -- %s %s",
                              outdir, fprs[0], fprs[1]);
  TH_SETUP (make_pack ? th_command (&home, 0, make_pack, NULL, NULL)
            : gpg_error_from_syserror ());
  gpgrt_free (make_pack);
}

static Suite *
load_suite (void)
{
  Suite *s = suite_create ("load");
  TCase *tc = tcase_create ("clients");

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_many_clients);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return th_main (setup_fixture, load_suite);
}
