/* listener.c - gpgpackd's listening socket and accept loop
 *
 * The socket is either made here (--daemon) or handed over by systemd
 * (--supervised, sd_listen_fds protocol).  Like gpg-agent's
 * handle_connections, the accept loop wakes up every few seconds to
 * check that its socket and homedir are still there, re-reads the
 * configuration on SIGHUP and stops on SIGTERM, SIGINT or KILLDAEMON.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "gpgpackd.h"

/* Seconds between two checks of socket and homedir (gpg-agent: 2).  */
#define TICK_SECONDS 2
/* The first descriptor systemd passes (SD_LISTEN_FDS_START).  */
#define SYSTEMD_FIRST_FD 3

static assuan_fd_t listen_fd = ASSUAN_INVALID_FD;
/* The socket file we bound, to remove it at exit only while it is
 * still ours; 0 if systemd owns the socket.  */
static int socket_owned;
static dev_t socket_dev;
static ino_t socket_ino;
/* Number of live connections and the shutdown request.  */
static int active_connections;
static volatile int shutdown_pending;


/* Return true if a daemon already answers on NAME.  */
static int
socket_in_use (const char *name)
{
  assuan_context_t ctx;
  int in_use;

  if (assuan_new (&ctx))
    return 0;
  in_use = !assuan_socket_connect (ctx, name, ASSUAN_INVALID_PID, 0);
  assuan_release (ctx);
  return in_use;
}


/* Bind the new socket FD to OPT.SOCKET_NAME and remember the file.  */
static gpg_error_t
bind_socket (assuan_fd_t fd)
{
  struct sockaddr_un addr;
  struct stat sb;
  int redirected;

  memset (&addr, 0, sizeof addr);
  if (assuan_sock_set_sockaddr_un (opt.socket_name, (struct sockaddr *)&addr,
                                   &redirected))
    return gpg_error (GPG_ERR_ENAMETOOLONG);
  remove (opt.socket_name);   /* Stale: nobody answered.  */
  if (assuan_sock_bind (fd, (struct sockaddr *)&addr, sizeof addr)
      || stat (opt.socket_name, &sb))
    return gpg_error_from_syserror ();
  socket_owned = 1;
  socket_dev = sb.st_dev;
  socket_ino = sb.st_ino;
  if (chmod (opt.socket_name, S_IRUSR | S_IWUSR))
    return gpg_error_from_syserror ();
  return 0;
}


gpg_error_t
listener_create (void)
{
  gpg_error_t err;

  if (socket_in_use (opt.socket_name))
    return gpg_error (GPG_ERR_EADDRINUSE);
  listen_fd = assuan_sock_new (AF_UNIX, SOCK_STREAM, 0);
  if (listen_fd == ASSUAN_INVALID_FD)
    return gpg_error_from_syserror ();
  err = bind_socket (listen_fd);
  if (!err && listen (listen_fd, SOMAXCONN))
    err = gpg_error_from_syserror ();
  if (!err && opt.verbose)
    log_info ("listening on socket '%s'\n", opt.socket_name);
  return err;
}


/* Return the index of the descriptor named "std" in systemd's
 * colon-separated NAMES (none given: the first one), or -1.  */
static int
systemd_fd_index (const char *names, int nfds)
{
  size_t n;
  int i;

  if (!names || !*names)
    return 0;
  for (i = 0; i < nfds && *names; i++)
    {
      n = strcspn (names, ":");
      if (n == 3 && !strncmp (names, "std", 3))
        return i;
      names += n + (names[n] == ':');
    }
  return -1;
}


/* Set OPT.SOCKET_NAME to the path FD is bound to.  */
static gpg_error_t
name_from_socket (int fd)
{
  struct sockaddr_un addr;
  socklen_t len = sizeof addr;

  memset (&addr, 0, sizeof addr);
  if (getsockname (fd, (struct sockaddr *)&addr, &len))
    return gpg_error_from_syserror ();
  if (addr.sun_family != AF_UNIX || !*addr.sun_path)
    return gpg_error (GPG_ERR_INV_ARG);
  gpgrt_free (opt.socket_name);
  opt.socket_name = gpgrt_strdup (addr.sun_path);
  return opt.socket_name ? 0 : gpg_error_from_syserror ();
}


gpg_error_t
listener_from_systemd (void)
{
  const char *s = getenv ("LISTEN_PID");
  int nfds, idx;

  if (!s || strtoul (s, NULL, 10) != (unsigned long)getpid ())
    return gpg_error (GPG_ERR_NO_DATA);
  s = getenv ("LISTEN_FDS");
  nfds = s ? atoi (s) : 0;
  idx = systemd_fd_index (getenv ("LISTEN_FDNAMES"), nfds);
  if (nfds < 1 || idx < 0)
    return gpg_error (GPG_ERR_NO_DATA);
  /* Our children (gpg, gpg-agent) must not take them for theirs.  */
  unsetenv ("LISTEN_PID");
  unsetenv ("LISTEN_FDS");
  unsetenv ("LISTEN_FDNAMES");
  listen_fd = SYSTEMD_FIRST_FD + idx;
  if (opt.verbose)
    log_info ("listening on the socket from systemd (fd %d)\n", listen_fd);
  return name_from_socket (listen_fd);
}


/* Return true if the socket file is still the one we bound.  */
static int
socket_is_ours (void)
{
  struct stat sb;

  return (!stat (opt.socket_name, &sb)
          && sb.st_dev == socket_dev && sb.st_ino == socket_ino);
}


void
listener_close (void)
{
  if (socket_owned && socket_is_ours ())
    remove (opt.socket_name);
  socket_owned = 0;
}


void
daemon_request_shutdown (void)
{
  shutdown_pending = 1;
}


/* The periodic check: stop if our homedir is gone or, unless systemd
 * owns it, our socket was removed or replaced.  */
static void
handle_tick (void)
{
  struct stat sb;

  if (stat (opt.homedir, &sb))
    {
      log_info ("homedir '%s' removed - shutting down\n", opt.homedir);
      shutdown_pending = 1;
    }
  else if (socket_owned && !socket_is_ours ())
    {
      log_info ("socket '%s' removed or taken over - shutting down\n",
                opt.socket_name);
      socket_owned = 0;   /* Not ours any more: never remove it.  */
      shutdown_pending = 1;
    }
}


/* Act on the signals that arrived during npth_pselect.  */
static void
handle_signals (void)
{
  int signo;

  while (npth_sigev_get_pending (&signo))
    if (signo == SIGTERM || signo == SIGINT)
      shutdown_pending = 1;
    else if (signo == SIGHUP)
      daemon_reread_config ();
}


/* Thread body serving one accepted connection.  */
static void *
connection_thread (void *arg)
{
  int fd = (int)(intptr_t)arg;

  active_connections++;
  server_run_session (fd);
  active_connections--;
  if (shutdown_pending)
    kill (getpid (), SIGTERM);   /* Wake up the accept loop.  */
  return NULL;
}


/* Accept one connection on LISTEN_FD and serve it in a new thread.  */
static void
accept_one (npth_attr_t *tattr)
{
  struct sockaddr_un paddr;
  socklen_t plen = sizeof paddr;
  npth_t thread;
  int fd;

  fd = npth_accept (listen_fd, (struct sockaddr *)&paddr, &plen);
  if (fd < 0)
    {
      log_error ("accept failed: %s\n", strerror (errno));
      return;
    }
  if (npth_create (&thread, tattr, connection_thread, (void *)(intptr_t)fd))
    {
      log_error ("error spawning connection handler: %s\n", strerror (errno));
      close (fd);
    }
}


void
listener_run (void)
{
  struct timespec tick = { TICK_SECONDS, 0 };
  time_t last_tick = time (NULL);
  npth_attr_t tattr;
  sigset_t sigs;
  fd_set rfds;
  int n;

  npth_attr_init (&tattr);
  npth_attr_setdetachstate (&tattr, NPTH_CREATE_DETACHED);
  npth_sigev_init ();
  npth_sigev_add (SIGTERM);
  npth_sigev_add (SIGINT);
  npth_sigev_add (SIGHUP);
  sigs = *npth_sigev_sigmask ();
  npth_sigev_fini ();

  while (!shutdown_pending)
    {
      FD_ZERO (&rfds);
      FD_SET (listen_fd, &rfds);
      n = npth_pselect (listen_fd + 1, &rfds, NULL, NULL, &tick, &sigs);
      if (n < 0 && errno != EINTR)
        log_error ("npth_pselect failed: %s\n", strerror (errno));
      if (n < 0)
        handle_signals ();
      else if (n)
        accept_one (&tattr);
      /* Also when busy: connections must not keep the check away.  */
      if (time (NULL) - last_tick >= TICK_SECONDS)
        {
          handle_tick ();
          last_tick = time (NULL);
        }
    }
  if (opt.verbose)
    log_info ("shutting down (%d connections active)\n", active_connections);
  npth_attr_destroy (&tattr);
}
