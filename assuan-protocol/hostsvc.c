/* hostsvc.c - encrypt and decrypt share messages for plugins with GPGME
 *
 * The plugin calls these from its own code, which runs with the nPth
 * lock released; they take it back before touching daemon state.  The
 * N encryptions of a wrap run in one nPth thread per CPU, each with
 * its own GPGME context, so N gpg processes work side by side.
 */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hostsvc.h"
#include "keyring.h"
#include "packio.h"

/* Never more encryption threads than this.  */
#define MAX_WORKERS 16

/* One worker of an encryption batch: items FIRST, FIRST+STEP, ...  */
struct encrypt_worker
{
  ctrl_t ctrl;
  const char *signer;
  unsigned int n, first, step;
  const char *const *fprs;
  const gpgpack_blob_t *items;
  gpgpack_blob_t *msgs;
  int started;
  npth_t thread;
  gpg_error_t err;
};

/* Move the GPGME data CIPHER's memory into the blob R_MSG.  */
static gpg_error_t
take_message (gpgme_data_t cipher, gpgpack_blob_t *r_msg)
{
  size_t len;
  char *mem = gpgme_data_release_and_get_mem (cipher, &len);

  if (!mem)
    return gpg_error (GPG_ERR_NO_DATA);
  r_msg->data = gcry_malloc (len ? len : 1);
  if (r_msg->data)
    {
      memcpy (r_msg->data, mem, len);
      r_msg->len = len;
    }
  gpgme_free (mem);
  return r_msg->data ? 0 : gpg_error_from_syserror ();
}

/* Encrypt PLAIN with CTX to the key FPR only into R_CIPHER, signed by
 * CTX's signers if SIGN, asking the sign key's passphrase again after
 * a wrong one (keypass_retry).  */
static gpg_error_t
encrypt_data (ctrl_t ctrl, gpgme_ctx_t ctx, int sign, const char *fpr,
              gpgme_data_t plain, gpgme_data_t *r_cipher)
{
  const gpgme_encrypt_flags_t flags = (GPGME_ENCRYPT_ALWAYS_TRUST
                                       | GPGME_ENCRYPT_NO_ENCRYPT_TO);
  gpg_error_t err;
  int tries = 0;

  for (;;)
    {
      err = gpgme_data_new (r_cipher);
      if (err)
        return err;
      if (sign)
        UNLOCKED (err = gpgme_op_encrypt_sign_ext (ctx, NULL, fpr, flags,
                                                   plain, *r_cipher));
      else
        UNLOCKED (err = gpgme_op_encrypt_ext (ctx, NULL, fpr, flags,
                                              plain, *r_cipher));
      if (!keypass_retry (ctrl, err, ++tries))
        return err;
      gpgme_data_release (*r_cipher);
      *r_cipher = NULL;
      gpgme_data_seek (plain, 0, SEEK_SET);
    }
}

/* Encrypt ITEM with WORKER's CTX to the key FPR only, armored, into
 * R_MSG.  FPR goes to gpg as the one recipient (-r), so one gpg run
 * does it: no key listing first.  */
static gpg_error_t
encrypt_one (struct encrypt_worker *worker, gpgme_ctx_t ctx, const char *fpr,
             const gpgpack_blob_t *item, gpgpack_blob_t *r_msg)
{
  gpgme_data_t plain = NULL, cipher = NULL;
  gpgme_encrypt_result_t res;
  gpg_error_t err;

  if (!*fpr || *fpr == '-' || strchr (fpr, '\n'))  /* One, no option. */
    return gpg_error (GPG_ERR_INV_USER_ID);
  err = gpgme_data_new_from_mem (&plain, (const char *) item->data,
                                 item->len, 0);
  if (!err)
    err = encrypt_data (worker->ctrl, ctx, !!worker->signer, fpr, plain,
                        &cipher);
  res = err ? NULL : gpgme_op_encrypt_result (ctx);
  if (res && res->invalid_recipients)
    err = gpg_error (GPG_ERR_UNUSABLE_PUBKEY);
  if (!err)
    {
      err = take_message (cipher, r_msg);
      cipher = NULL;
    }
  gpgme_data_release (cipher);
  gpgme_data_release (plain);
  return err;
}

/* Make WORKER's signer (if any) the signer of CTX.  */
static gpg_error_t
add_signer (struct encrypt_worker *worker, gpgme_ctx_t ctx)
{
  gpgme_key_t key;
  gpg_error_t err;

  if (!worker->signer)
    return 0;
  UNLOCKED (err = gpgme_get_key (ctx, worker->signer, &key, 1));
  if (err)
    return err;
  err = gpgme_signers_add (ctx, key);
  gpgme_key_unref (key);
  return err;
}

/* Run WORKER's share of the batch with its own armored context.  */
static gpg_error_t
encrypt_items (struct encrypt_worker *worker)
{
  gpgme_ctx_t ctx;
  gpg_error_t err;
  unsigned int i;

  err = keyring_new_context (worker->ctrl, &ctx);
  if (err)
    return err;
  gpgme_set_armor (ctx, 1);
  err = add_signer (worker, ctx);
  for (i = worker->first; i < worker->n && !err; i += worker->step)
    err = encrypt_one (worker, ctx, worker->fprs[i], &worker->items[i],
                       &worker->msgs[i]);
  gpgme_release (ctx);
  return err;
}

/* nPth thread: one worker.  */
static void *
encrypt_thread (void *arg)
{
  struct encrypt_worker *worker = arg;

  worker->err = encrypt_items (worker);
  return NULL;
}

/* Encrypt the batch with NWORKERS workers; this thread is worker 0.  */
static gpg_error_t
encrypt_batch (hostsvc_t *svc, unsigned int n, const char *const *fprs,
               const gpgpack_blob_t *items, gpgpack_blob_t *msgs,
               struct encrypt_worker *workers, unsigned int nworkers)
{
  gpg_error_t err = 0;
  unsigned int i;
  int rc;

  for (i = 0; i < nworkers; i++)
    {
      struct encrypt_worker w = { svc->ctrl, svc->signer, n, i, nworkers,
                                  fprs, items, msgs };

      workers[i] = w;
    }
  for (i = 1; i < nworkers && !err; i++)
    {
      rc = npth_create (&workers[i].thread, NULL, encrypt_thread,
                        &workers[i]);
      if (rc)
        err = gpg_error_from_errno (rc);
      else
        workers[i].started = 1;
    }
  if (!err)
    err = encrypt_items (&workers[0]);
  for (i = 1; i < nworkers; i++)
    if (workers[i].started)
      {
        npth_join (workers[i].thread, NULL);
        if (!err)
          err = workers[i].err;
      }
  return err;
}

/* Host service: see gpgpack_host_t.encrypt.  */
static gpg_error_t
host_encrypt (void *opaque, unsigned int n, const char *const *fprs,
              const gpgpack_blob_t *items, gpgpack_blob_t *r_msgs)
{
  hostsvc_t *svc = opaque;
  struct encrypt_worker workers[MAX_WORKERS];
  long ncpu = sysconf (_SC_NPROCESSORS_ONLN);
  unsigned int i, nworkers;
  gpg_error_t err;

  nworkers = ncpu < 1 ? 1 : ncpu > MAX_WORKERS ? MAX_WORKERS : ncpu;
  if (nworkers > n)
    nworkers = n ? n : 1;
  memset (r_msgs, 0, n * sizeof *r_msgs);
  npth_protect ();
  err = encrypt_batch (svc, n, fprs, items, r_msgs, workers, nworkers);
  npth_unprotect ();
  for (i = 0; err && i < n; i++)
    {
      gcry_free (r_msgs[i].data);
      r_msgs[i].data = NULL;
      r_msgs[i].len = 0;
    }
  return err;
}

/* Write to BUF (SIZE bytes) the keys the message CTX decrypted (or
 * failed to decrypt) is for, space separated; with OPENED_ONLY only the
 * one whose secret key opened it.  */
static void
note_recipients (gpgme_ctx_t ctx, int opened_only, char *buf, size_t size)
{
  gpgme_decrypt_result_t res = gpgme_op_decrypt_result (ctx);
  gpgme_recipient_t rcp;
  gpgme_key_t key;
  size_t len = 0;
  unsigned int n = 0;
  gpg_error_t err;

  *buf = 0;
  for (rcp = res ? res->recipients : NULL;
       rcp && n < HOSTSVC_MAX_MISSING; rcp = rcp->next)
    {
      if (opened_only && rcp->status)
        continue;
      UNLOCKED (err = gpgme_get_key (ctx, rcp->keyid, &key, 0));
      snprintf (buf + len, size - len, "%s%s", n++ ? " " : "",
                !err && key->fpr ? key->fpr : rcp->keyid);
      len = strlen (buf);
      if (!err)
        gpgme_key_unref (key);
      if (opened_only)
        break;
    }
}

/* Decrypt MSG into OUT with CTX, asking a passphrase again after a
 * wrong one (keypass_retry); judge its signature (if any).  */
static gpg_error_t
decrypt_message (hostsvc_t *svc, gpgme_ctx_t ctx, gpgme_data_t cipher,
                 secbuf_t *out)
{
  gpgme_data_t plain;
  gpg_error_t err;
  int tries = 0;

  for (;;)
    {
      err = secbuf_gpgme_data (out, &plain);
      if (err)
        return err;
      UNLOCKED (err = gpgme_op_decrypt_verify (ctx, cipher, plain));
      gpgme_data_release (plain);
      if (!keypass_retry (svc->ctrl, err, ++tries))
        break;
      secbuf_release (out);
      out->limit = HOSTSVC_MAX_PLAIN;
      gpgme_data_seek (cipher, 0, SEEK_SET);
    }
  if (!err)
    {
      gpgme_verify_result_t res = gpgme_op_verify_result (ctx);

      note_recipients (ctx, 1, svc->opened, sizeof svc->opened);
      packsig_judge (ctx, res ? res->signatures : NULL, svc->verify_key,
                     &svc->verdict);
    }
  else if (gpg_err_code (err) == GPG_ERR_NO_SECKEY)
    note_recipients (ctx, 0, svc->missing, sizeof svc->missing);
  return err;
}

/* Host service: see gpgpack_host_t.decrypt.  */
static gpg_error_t
host_decrypt (void *opaque, const void *msg, size_t len,
              gpgpack_blob_t *r_data)
{
  hostsvc_t *svc = opaque;
  secbuf_t out = { NULL, 0, 0, HOSTSVC_MAX_PLAIN };
  gpgme_data_t cipher = NULL;
  gpgme_ctx_t ctx = NULL;
  gpg_error_t err;

  r_data->data = NULL;
  r_data->len = 0;
  npth_protect ();
  *svc->missing = 0;
  *svc->opened = 0;
  hostsvc_reset_verdict (svc);
  err = keyring_new_context (svc->ctrl, &ctx);
  if (!err)
    err = gpgme_data_new_from_mem (&cipher, msg, len, 0);
  if (!err)
    err = decrypt_message (svc, ctx, cipher, &out);
  if (!err)
    {
      r_data->data = out.data;      /* Secure memory, wiped on release. */
      r_data->len = out.len;
    }
  else
    secbuf_release (&out);
  gpgme_data_release (cipher);
  gpgme_release (ctx);
  npth_unprotect ();
  return err;
}

void
hostsvc_reset_verdict (hostsvc_t *svc)
{
  memset (&svc->verdict, 0, sizeof svc->verdict);
  svc->verdict.code = GPG_ERR_NO_DATA;
}

void
hostsvc_init (ctrl_t ctrl, hostsvc_t *svc)
{
  gpgpack_host_t host = { GPGPACK_HOST_VERSION, sizeof host, svc,
                          host_encrypt, host_decrypt };

  memset (svc, 0, sizeof *svc);
  svc->host = host;
  svc->ctrl = ctrl;
  hostsvc_reset_verdict (svc);
}
