/* bench-nop.c - Assuan round trips and sessions per second of a server
 *
 * Usage: bench-nop SOCKET ROUNDS SESSIONS
 * Connects to the Assuan server at SOCKET (gpgpackd or gpg-agent, the
 * same libassuan client for both), sends ROUNDS NOPs on one connection,
 * then opens SESSIONS connections of connect + NOP + BYE each, and
 * prints "NOPS_PER_SECOND SESSIONS_PER_SECOND" (wall clock).  For
 * tests/bench-assuan.sh.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <assuan.h>

#include "benchutil.h"

/* Connect a new context to SOCKET; NULL (and a message) on error.  */
static assuan_context_t
connect_server (const char *socket)
{
  assuan_context_t ctx;
  gpg_error_t err;

  err = assuan_new (&ctx);
  if (!err)
    {
      err = assuan_socket_connect (ctx, socket, ASSUAN_INVALID_PID, 0);
      if (err)
        assuan_release (ctx);
    }
  if (err)
    {
      fprintf (stderr, "bench-nop: %s: %s\n", socket, gpg_strerror (err));
      return NULL;
    }
  return ctx;
}


/* Send NOP on CTX; print the error if it fails.  */
static int
nop (assuan_context_t ctx)
{
  gpg_error_t err = assuan_transact (ctx, "NOP", NULL, NULL, NULL, NULL,
                                     NULL, NULL);

  if (err)
    fprintf (stderr, "bench-nop: NOP: %s\n", gpg_strerror (err));
  return !err;
}


int
main (int argc, char **argv)
{
  assuan_context_t ctx;
  long rounds, sessions, i;
  double t0, t_rounds;
  int ok = 1;

  if (argc != 4 || (rounds = atol (argv[2])) < 1
      || (sessions = atol (argv[3])) < 1)
    {
      fprintf (stderr, "usage: bench-nop SOCKET ROUNDS SESSIONS\n");
      return 2;
    }
  assuan_sock_init ();
  ctx = connect_server (argv[1]);
  if (!ctx)
    return 1;
  t0 = bench_now ();
  for (i = 0; i < rounds && ok; i++)
    ok = nop (ctx);
  t_rounds = bench_now () - t0;
  assuan_release (ctx);

  t0 = bench_now ();
  for (i = 0; i < sessions && ok; i++)
    {
      ctx = connect_server (argv[1]);
      ok = ctx && nop (ctx);
      assuan_release (ctx);   /* Sends BYE.  */
    }
  if (!ok)
    return 1;
  printf ("%.0f %.0f\n", rounds / t_rounds, sessions / (bench_now () - t0));
  return 0;
}
