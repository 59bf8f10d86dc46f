/* gpgmeloop.h - run a GPGME operation in an own poll loop */
#ifndef GPGPACKD_GPGMELOOP_H
#define GPGPACKD_GPGMELOOP_H

#include <gpgme.h>

/* More fds than gpg's status, data and command pipes need.  */
#define GPGMELOOP_MAX_FDS 8

/* One fd GPGME asked to watch.  */
struct gpgmeloop_fd
{
  int fd;
  int dir;                    /* 1: readable, 0: writable                */
  gpgme_io_cb_t fnc;          /* NULL: slot free                         */
  void *fnc_data;
};

/* The loop of one operation.  */
typedef struct gpgmeloop
{
  struct gpgmeloop_fd fds[GPGMELOOP_MAX_FDS];
  int done;
  gpg_error_t err;
} gpgmeloop_t;

/* Make CTX run its next operation (started with gpgme_op_*_start) in
 * LOOP, then wait for its end with gpgmeloop_wait; gpgmeloop_detach
 * gives CTX back to GPGME's own loop.  No nPth lock may be held.  */
void gpgmeloop_attach (gpgmeloop_t *loop, gpgme_ctx_t ctx);
gpg_error_t gpgmeloop_wait (gpgmeloop_t *loop, gpgme_ctx_t ctx);
void gpgmeloop_detach (gpgme_ctx_t ctx);

#endif /*GPGPACKD_GPGMELOOP_H*/
