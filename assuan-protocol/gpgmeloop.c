/* gpgmeloop.c - run a GPGME operation in an own poll loop
 *
 * GPGME 1.18's private event loop polls a pipe to gpg for POLLOUT only:
 * when gpg exits (e.g. on ENOSPC) before it read all its input, poll
 * returns POLLERR forever and gpgme_op_import never returns, spinning.
 * Here the operation runs with GPGME's user I/O callbacks and a loop
 * that hands every revent, POLLERR and POLLHUP too, to GPGME's handler,
 * whose write then fails with EPIPE and ends the operation.
 */
#include <config.h>
#include <string.h>
#include <errno.h>
#include <poll.h>

#include "gpgmeloop.h"

/* GPGME registers FD with its handler FNC (DIR 1: gpg writes to FD).  */
static gpg_error_t
add_cb (void *opaque, int fd, int dir, gpgme_io_cb_t fnc, void *fnc_data,
        void **r_tag)
{
  gpgmeloop_t *loop = opaque;
  int i;

  for (i = 0; i < GPGMELOOP_MAX_FDS; i++)
    if (!loop->fds[i].fnc)
      {
        loop->fds[i].fd = fd;
        loop->fds[i].dir = dir;
        loop->fds[i].fnc = fnc;
        loop->fds[i].fnc_data = fnc_data;
        *r_tag = &loop->fds[i];
        return 0;
      }
  return gpg_error (GPG_ERR_TOO_MANY);
}


/* GPGME closed the fd of TAG.  */
static void
remove_cb (void *tag)
{
  struct gpgmeloop_fd *slot = tag;

  slot->fnc = NULL;
}


/* GPGME tells that the operation ended with TYPE_DATA's errors.  */
static void
event_cb (void *opaque, gpgme_event_io_t type, void *type_data)
{
  gpgmeloop_t *loop = opaque;
  gpgme_io_event_done_data_t done = type_data;

  if (type != GPGME_EVENT_DONE)
    return;
  loop->done = 1;
  loop->err = done->err? done->err : done->op_err;
}


void
gpgmeloop_attach (gpgmeloop_t *loop, gpgme_ctx_t ctx)
{
  struct gpgme_io_cbs cbs = { add_cb, loop, remove_cb, event_cb, loop };

  memset (loop, 0, sizeof *loop);
  gpgme_set_io_cbs (ctx, &cbs);
}


void
gpgmeloop_detach (gpgme_ctx_t ctx)
{
  struct gpgme_io_cbs cbs = { NULL };

  gpgme_set_io_cbs (ctx, &cbs);
}


/* Poll the fds of LOOP once and run the handlers of those with any
 * event.  */
static gpg_error_t
poll_once (gpgmeloop_t *loop)
{
  struct pollfd pfd[GPGMELOOP_MAX_FDS];
  struct gpgmeloop_fd *slot[GPGMELOOP_MAX_FDS];
  int i, n = 0;

  for (i = 0; i < GPGMELOOP_MAX_FDS; i++)
    if (loop->fds[i].fnc)
      {
        pfd[n].fd = loop->fds[i].fd;
        pfd[n].events = loop->fds[i].dir? POLLIN : POLLOUT;
        pfd[n].revents = 0;
        slot[n++] = &loop->fds[i];
      }
  if (!n)
    return gpg_error (GPG_ERR_INTERNAL);  /* Not done, nothing to wait for.  */
  if (poll (pfd, n, -1) < 0)
    return errno == EINTR? 0 : gpg_error_from_syserror ();
  for (i = 0; i < n; i++)
    if (pfd[i].revents && slot[i]->fnc && slot[i]->fd == pfd[i].fd)
      slot[i]->fnc (slot[i]->fnc_data, pfd[i].fd);  /* GPGME handles errors. */
  return 0;
}


gpg_error_t
gpgmeloop_wait (gpgmeloop_t *loop, gpgme_ctx_t ctx)
{
  gpg_error_t err = 0;

  while (!loop->done && !err)
    err = poll_once (loop);
  if (err)
    gpgme_cancel (ctx);
  return err? err : loop->err;
}
