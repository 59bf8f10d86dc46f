/* gtkdaemon.c - run one gpgpackd command through GPGME's Assuan engine
 *
 * Each operation gets its own GPGME context (GPGME_PROTOCOL_ASSUAN) in
 * a GTask thread: connect (starting the daemon as the CLI does), send
 * the session options that put gpg-agent's pinentry on our display,
 * then the command.  GPGME keeps the connection between the
 * transactions of one context.  Status lines fill a gui_result_t;
 * inquiries are answered from the operation (passphrase) or by asking
 * the main loop (CONFIRM_SECRET).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <gcrypt.h>

#include "gtkgui.h"
#include "socketdir.h"
#include "daemonspawn.h"

struct gui_op
{
  unsigned int confirm_nkeys;   /* of the pending CONFIRM_SECRET */
  char *line;                   /* the command */
  char *passphrase;             /* secure memory, or NULL */
  gui_result_t result;          /* written by the thread only */
  GByteArray *data;             /* D lines */
  gui_confirm_fn_t confirm_fn;
  gpointer confirm_user;
  void (*progress_fn) (double, gpointer);
  gpointer progress_user;
  GMutex lock;                  /* guards ctx, cancelled, answer */
  GCond answered;
  gpgme_ctx_t ctx;
  int cancelled;
  int answer;                   /* -1 pending, 0 no, 1 yes */
  char *sockname;
};

gui_op_t *
gui_op_new (char *line, const char *passphrase)
{
  gui_op_t *op = g_new0 (gui_op_t, 1);

  op->line = line;
  if (passphrase)
    {
      op->passphrase = gcry_malloc_secure (strlen (passphrase) + 1);
      if (op->passphrase)
        strcpy (op->passphrase, passphrase);
    }
  op->data = g_byte_array_new ();
  g_mutex_init (&op->lock);
  g_cond_init (&op->answered);
  return op;
}

void
gui_op_set_confirm (gui_op_t *op, gui_confirm_fn_t fn, gpointer user)
{
  op->confirm_fn = fn;
  op->confirm_user = user;
}

void
gui_op_set_progress (gui_op_t *op, void (*fn) (double, gpointer),
                     gpointer user)
{
  op->progress_fn = fn;
  op->progress_user = user;
}

/* True once gui_op_cancel was called.  */
static int
is_cancelled (gui_op_t *op)
{
  int c;

  g_mutex_lock (&op->lock);
  c = op->cancelled;
  g_mutex_unlock (&op->lock);
  return c;
}

/* GPGME's data callback: collect the D lines.  */
static gpgme_error_t
on_data (void *opaque, const void *buf, size_t len)
{
  gui_op_t *op = opaque;

  if (buf)
    g_byte_array_append (op->data, buf, len);
  return 0;
}

/* A progress report for the main loop.  */
struct progress_call
{
  gui_op_t *op;
  double fraction;
};

/* Main loop: hand a PROGRESS fraction to the dialog.  These idle calls
 * are queued before the GTask's completion, so they run before the
 * operation is freed.  */
static gboolean
progress_on_main (gpointer data)
{
  struct progress_call *call = data;

  call->op->progress_fn (call->fraction, call->op->progress_user);
  g_free (call);
  return G_SOURCE_REMOVE;
}

/* GPGME's status callback.  */
static gpgme_error_t
on_status (void *opaque, const char *keyword, const char *args)
{
  gui_op_t *op = opaque;
  struct progress_call *call;
  gpg_error_t err;

  if (is_cancelled (op))
    return gpg_error (GPG_ERR_CANCELED);
  err = gui_result_status (&op->result, keyword, args);
  if (!err && op->progress_fn && !strcmp (keyword, "PROGRESS")
      && op->result.progress_total)
    {
      call = g_new (struct progress_call, 1);
      call->op = op;
      call->fraction = (double)op->result.progress_cur
                       / op->result.progress_total;
      g_main_context_invoke (NULL, progress_on_main, call);
    }
  return err;
}

/* Main loop: show the confirmation of a secret export.  */
static gboolean
confirm_on_main (gpointer data)
{
  gui_op_t *op = data;

  op->confirm_fn (op, op->confirm_nkeys, op->confirm_user);
  return G_SOURCE_REMOVE;
}

/* Thread: ask the main loop whether the secret parts may leave; wait
 * for gui_op_confirm or gui_op_cancel.  */
static gpgme_error_t
ask_confirm (gui_op_t *op, const char *args, gpgme_data_t *r_data)
{
  int yes;

  if (!op->confirm_fn)
    return gpg_error (GPG_ERR_CANCELED);
  op->confirm_nkeys = strtoul (args ? args : "0", NULL, 10);
  g_mutex_lock (&op->lock);
  op->answer = -1;
  g_mutex_unlock (&op->lock);
  g_main_context_invoke (NULL, confirm_on_main, op);
  g_mutex_lock (&op->lock);
  while (op->answer < 0 && !op->cancelled)
    g_cond_wait (&op->answered, &op->lock);
  yes = op->answer > 0 && !op->cancelled;
  g_mutex_unlock (&op->lock);
  if (!yes)
    return gpg_error (GPG_ERR_CANCELED);
  return gpgme_data_new_from_mem (r_data, "yes", 3, 0);
}

/* GPGME's inquire callback; KEYWORD NULL: release *R_DATA.  */
static gpgme_error_t
on_inquire (void *opaque, const char *keyword, const char *args,
            gpgme_data_t *r_data)
{
  gui_op_t *op = opaque;

  if (!keyword)
    {
      gpgme_data_release (*r_data);
      *r_data = NULL;
      return 0;
    }
  if (is_cancelled (op))
    return gpg_error (GPG_ERR_CANCELED);
  if (!strcmp (keyword, "CONFIRM_SECRET"))
    return ask_confirm (op, args, r_data);
  if (!strcmp (keyword, "NEW_PASSPHRASE") || !strcmp (keyword, "PASSPHRASE"))
    return op->passphrase
           ? gpgme_data_new_from_mem (r_data, op->passphrase,
                                      strlen (op->passphrase), 0)
           : gpgme_data_new (r_data);  /* empty: gpg-agent's pinentry */
  return gpg_error (GPG_ERR_ASS_CANCELED);
}

/* Run LINE on the connected context of OP.  */
static gpg_error_t
transact (gui_op_t *op, const char *line)
{
  gpgme_error_t err, op_err = 0;

  err = gpgme_op_assuan_transact_ext (op->ctx, line, on_data, op,
                                      on_inquire, op, on_status, op,
                                      &op_err);
  return err ? err : op_err;
}

/* gpgpack_start_daemon's probe: a NOP on a fresh context.  */
static gpg_error_t
try_connect (void *opaque)
{
  gui_op_t *op = opaque;
  gpgme_ctx_t ctx;
  gpg_error_t err;

  err = gpgme_new (&ctx);
  if (!err)
    err = gpgme_set_protocol (ctx, GPGME_PROTOCOL_ASSUAN);
  if (!err)
    err = gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_ASSUAN,
                                     op->sockname, NULL);
  if (err)
    {
      gpgme_release (ctx);
      return err;
    }
  g_mutex_lock (&op->lock);
  gpgme_release (op->ctx);
  op->ctx = ctx;
  g_mutex_unlock (&op->lock);
  return transact (op, "NOP");
}

/* Connect OP, starting the daemon when nothing answers.  */
static gpg_error_t
connect_daemon (gui_op_t *op)
{
  char *homedir = gpgpack_homedir (gui_homedir);
  char *detail = NULL;
  gpg_error_t err;

  if (!homedir)
    return gpg_error_from_syserror ();
  err = gpgpack_socket_name (gui_homedir, &op->sockname);
  if (!err && try_connect (op))
    err = gpgpack_start_daemon (homedir, gui_homedir ? homedir : NULL, 0,
                                try_connect, op, &detail);
  if (detail)
    gui_result_status (&op->result, "ERROR_TEXT", detail);
  gpgrt_free (detail);
  gpgrt_free (homedir);
  return err;
}

/* Send "OPTION NAME=VALUE" if VALUE is set; an unknown one is fine.  */
static gpg_error_t
send_option (gui_op_t *op, const char *name, const char *value)
{
  gpg_error_t err;
  char *line;

  if (!value || !*value)
    return 0;
  line = g_strdup_printf ("OPTION %s=%s", name, value);
  err = transact (op, line);
  g_free (line);
  return gpg_err_code (err) == GPG_ERR_UNKNOWN_OPTION ? 0 : err;
}

/* Put gpg-agent's pinentry on our display.  */
static gpg_error_t
send_session_options (gui_op_t *op)
{
  gpg_error_t err;

  err = send_option (op, "display", g_getenv ("DISPLAY"));
  if (!err)
    err = send_option (op, "xauthority", g_getenv ("XAUTHORITY"));
  if (!err)
    err = send_option (op, "lc-ctype", setlocale (LC_CTYPE, NULL));
  return err;
}

/* The GTask thread of an operation.  */
static void
op_thread (GTask *task, gpointer source, gpointer data, GCancellable *c)
{
  gui_op_t *op = data;
  gpg_error_t err;

  err = connect_daemon (op);
  if (!err)
    err = send_session_options (op);
  if (!err)
    err = is_cancelled (op) ? gpg_error (GPG_ERR_CANCELED)
                            : transact (op, op->line);
  if (is_cancelled (op))
    err = gpg_error (GPG_ERR_CANCELED);
  g_byte_array_append (op->data, (const guint8 *)"", 1);
  g_mutex_lock (&op->lock);
  gpgme_release (op->ctx);      /* closes the connection */
  op->ctx = NULL;
  g_mutex_unlock (&op->lock);
  g_task_return_int (task, err);
}

void
gui_op_run (gui_op_t *op, GAsyncReadyCallback done, gpointer user)
{
  GTask *task = g_task_new (NULL, NULL, done, user);

  g_task_set_task_data (task, op, NULL);
  g_task_run_in_thread (task, op_thread);
  g_object_unref (task);
}

gpg_error_t
gui_op_finish (gui_op_t *op, GAsyncResult *result)
{
  return (gpg_error_t)g_task_propagate_int (G_TASK (result), NULL);
}

gui_result_t *
gui_op_result (gui_op_t *op)
{
  return &op->result;
}

const char *
gui_op_data (gui_op_t *op)
{
  return (const char *)op->data->data;
}

void
gui_op_confirm (gui_op_t *op, int yes)
{
  g_mutex_lock (&op->lock);
  op->answer = !!yes;
  g_cond_signal (&op->answered);
  g_mutex_unlock (&op->lock);
}

void
gui_op_cancel (gui_op_t *op)
{
  g_mutex_lock (&op->lock);
  op->cancelled = 1;
  if (op->ctx)
    gpgme_cancel_async (op->ctx);
  g_cond_signal (&op->answered);
  g_mutex_unlock (&op->lock);
}

void
gui_op_free (gui_op_t *op)
{
  if (!op)
    return;
  gpgrt_free (op->line);
  if (op->passphrase)
    explicit_bzero (op->passphrase, strlen (op->passphrase));
  gcry_free (op->passphrase);
  gui_result_release (&op->result);
  g_byte_array_unref (op->data);
  g_mutex_clear (&op->lock);
  g_cond_clear (&op->answered);
  gpgrt_free (op->sockname);
  g_free (op);
}
