/* check_gpgme_client.c - how a GPGME frontend drives gpgpackd (and a test)
 *
 * This is the code a Kleopatra-like frontend writes to use gpgpack: no
 * gpgpack library, only GPGME's generic Assuan engine
 * (GPGME_PROTOCOL_ASSUAN) talking to the daemon's socket.
 *
 *   1. Create a context, select GPGME_PROTOCOL_ASSUAN and point the
 *      engine at the daemon socket (GETINFO socket_name of a running
 *      daemon, or `gpgconf --list-dirs socketdir` + "/S.gpgpackd").
 *   2. Export: "PACK_EXPORT --secret -- FPR".  The pack comes back as
 *      D lines (data callback); the key file as a "KEYFILE <base64>"
 *      status line (status callback).
 *      With --passphrase the daemon first asks for a passphrase
 *      ("INQUIRE NEW_PASSPHRASE") that protects the key file.
 *   3. Import on another machine: "PACK_IMPORT".  The daemon asks for
 *      the pack ("INQUIRE PACK"), the key file ("INQUIRE KEYFILE") and
 *      its passphrase ("INQUIRE PASSPHRASE"); the inquire callback hands
 *      GPGME a gpgme_data_t with the bytes.  "IMPORTED <fpr>" status
 *      lines say what arrived.
 *
 * gpgme_op_assuan_transact_ext returns two errors: the return value is
 * a transport / GPGME error, OP_ERR is the daemon's answer (its ERR
 * line).  A frontend must check both.
 *
 * As a test it moves one secret key from home A to a fresh home B, each
 * with its own gpgpackd, and compares the keyrings.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gpgme.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"


/* ---- what a frontend writes ---------------------------------------- */

/* A GPGME context speaking raw Assuan to the gpgpackd at SOCKET.  */
static gpgme_error_t
pack_context_new (const char *socket, gpgme_ctx_t *r_ctx)
{
  gpgme_error_t err;

  err = gpgme_new (r_ctx);
  if (err)
    return err;
  err = gpgme_set_protocol (*r_ctx, GPGME_PROTOCOL_ASSUAN);
  if (!err)
    err = gpgme_ctx_set_engine_info (*r_ctx, GPGME_PROTOCOL_ASSUAN,
                                     socket, NULL);
  if (err)
    {
      gpgme_release (*r_ctx);
      *r_ctx = NULL;
    }
  return err;
}


/* Everything one transaction produces.  PACK collects the D lines,
 * KEYFILE the (still base64) KEYFILE status, FPRS the fingerprints of
 * EXPORTED / IMPORTED lines.  */
struct pack_job
{
  gpgme_data_t pack;         /* D lines of an export; input of an import */
  gpgme_data_t keyfile;      /* key file given to an import */
  const char *passphrase;    /* what the user typed into a dialog */
  int passphrase_asked;      /* how often the daemon asked for it */
  char *keyfile_b64;         /* from the KEYFILE status of an export */
  char fprs[8][41];
  int nfprs;
};


/* Data callback: the daemon streams the pack as D lines; GPGME has
 * already removed the percent escapes.  BUF NULL marks the END line.  */
static gpgme_error_t
on_data (void *opaque, const void *buf, size_t len)
{
  struct pack_job *job = opaque;

  if (buf && gpgme_data_write (job->pack, buf, len) != (ssize_t)len)
    return gpg_error_from_syserror ();
  return 0;
}


/* Status callback: remember the key file and the fingerprints.  */
static gpgme_error_t
on_status (void *opaque, const char *keyword, const char *args)
{
  struct pack_job *job = opaque;

  if (!strcmp (keyword, "KEYFILE"))
    {
      free (job->keyfile_b64);
      job->keyfile_b64 = strdup (args);
      if (!job->keyfile_b64)
        return gpg_error_from_syserror ();
    }
  else if ((!strcmp (keyword, "EXPORTED") || !strcmp (keyword, "IMPORTED"))
           && job->nfprs < 8)
    snprintf (job->fprs[job->nfprs++], 41, "%.40s", args);
  return 0;
}


/* Inquire callback: answer INQUIRE PACK and INQUIRE KEYFILE with the
 * data objects of the job, and NEW_PASSPHRASE (export --passphrase) and
 * PASSPHRASE (import of a protected key file) with the passphrase; a
 * real frontend would show a passphrase dialog here.  GPGME reads
 * *R_DATA to its end and sends it, then calls us again with KEYWORD
 * NULL to let us release it: the passphrase object is ours to free, the
 * job's objects stay.  Anything else is refused by cancelling.  */
static gpgme_error_t
on_inquire (void *opaque, const char *keyword, const char *args,
            gpgme_data_t *r_data)
{
  struct pack_job *job = opaque;

  if (!keyword)
    {
      if (*r_data != job->pack && *r_data != job->keyfile)
        gpgme_data_release (*r_data);
      *r_data = NULL;
      return 0;
    }
  if (!strcmp (keyword, "PACK"))
    *r_data = job->pack;
  else if (!strcmp (keyword, "KEYFILE"))
    *r_data = job->keyfile;
  else if ((!strcmp (keyword, "NEW_PASSPHRASE")
            || !strcmp (keyword, "PASSPHRASE")) && job->passphrase)
    {
      job->passphrase_asked++;
      return gpgme_data_new_from_mem (r_data, job->passphrase,
                                      strlen (job->passphrase), 0);
    }
  else
    return gpg_error (GPG_ERR_ASS_CANCELED);
  gpgme_data_seek (*r_data, 0, SEEK_SET);
  return 0;
}


/* Run COMMAND for JOB on CTX; the daemon's own error wins.  */
static gpgme_error_t
pack_transact (gpgme_ctx_t ctx, const char *command, struct pack_job *job)
{
  gpgme_error_t err, op_err = 0;

  err = gpgme_op_assuan_transact_ext (ctx, command,
                                      on_data, job,
                                      on_inquire, job,
                                      on_status, job, &op_err);
  return err ? err : op_err;
}


/* Turn the base64 key file of an export into a data object for the
 * import.  A real frontend would write it to a file the user keeps
 * apart from the pack.  */
static gpgme_error_t
keyfile_from_export (struct pack_job *export, gpgme_data_t *r_keyfile)
{
  char *raw;
  size_t rawlen;
  gpgme_error_t err;

  if (!export->keyfile_b64)
    return gpg_error (GPG_ERR_NO_DATA);
  err = th_b64_decode (export->keyfile_b64, &raw, &rawlen);
  if (!err)
    err = gpgme_data_new_from_mem (r_keyfile, raw, rawlen, 1);
  free (raw);
  return err;
}


/* ---- the test ------------------------------------------------------ */

static th_home_t home_a, home_b;
static char fpr[41];


START_TEST (test_gpgme_roundtrip)
{
  struct pack_job export, import;
  gpgme_ctx_t ctx;
  char *cmd, *pub, *sec;

  memset (&export, 0, sizeof export);
  memset (&import, 0, sizeof import);

  /* Export from A, pack streamed into memory, key file protected by a
   * passphrase.  */
  export.passphrase = import.passphrase = "correct horse battery";
  ck_assert_int_eq (pack_context_new (home_a.socket, &ctx), 0);
  ck_assert_int_eq (gpgme_data_new (&export.pack), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --passphrase -- %s",
                             fpr) >= 0);
  ck_assert_int_eq (pack_transact (ctx, cmd, &export), 0);
  gpgrt_free (cmd);
  gpgme_release (ctx);
  ck_assert_int_eq (export.nfprs, 1);
  ck_assert_str_eq (export.fprs[0], fpr);
  ck_assert_int_eq (export.passphrase_asked, 1);
  ck_assert_int_gt (gpgme_data_seek (export.pack, 0, SEEK_END), 0);

  /* Import into B, answering the daemon's inquiries.  */
  import.pack = export.pack;
  ck_assert_int_eq (keyfile_from_export (&export, &import.keyfile), 0);
  ck_assert_int_eq (pack_context_new (home_b.socket, &ctx), 0);
  ck_assert_int_eq (pack_transact (ctx, "PACK_IMPORT", &import), 0);
  gpgme_release (ctx);
  ck_assert_int_eq (import.nfprs, 1);
  ck_assert_str_eq (import.fprs[0], fpr);
  ck_assert_int_eq (import.passphrase_asked, 1);

  /* B now holds the key, secret part included.  */
  pub = th_list_fprs (&home_b, 0);
  sec = th_list_fprs (&home_b, 1);
  ck_assert_str_eq (pub, fpr);
  ck_assert_str_eq (sec, fpr);
  free (pub);
  free (sec);

  gpgme_data_release (export.pack);
  gpgme_data_release (import.keyfile);
  free (export.keyfile_b64);
}
END_TEST


/* The daemon's error reaches the frontend as OP_ERR.  */
START_TEST (test_gpgme_error)
{
  struct pack_job job;
  gpgme_ctx_t ctx;

  memset (&job, 0, sizeof job);
  ck_assert_int_eq (pack_context_new (home_a.socket, &ctx), 0);
  ck_assert_int_eq (gpgme_data_new (&job.pack), 0);
  ck_assert_int_eq (gpg_err_code (pack_transact (ctx, "PACK_EXPORT -- "
                                                 "nobody@example.invalid",
                                                 &job)),
                    GPG_ERR_NOT_FOUND);
  gpgme_release (ctx);
  gpgme_data_release (job.pack);
}
END_TEST


/* Two homes with a running daemon each; Erin's key in home A.  */
static void
setup (void)
{
  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_genkey (&home_a, "Erin <erin@example.org>", "ed25519", NULL,
                       fpr));
  TH_SETUP (th_daemon_start (&home_a));
  TH_SETUP (th_home_create (&home_b));
  TH_SETUP (th_daemon_start (&home_b));
}


static Suite *
gpgme_client_suite (void)
{
  Suite *s;
  TCase *tc;

  s = suite_create ("gpgme-client");
  tc = tcase_create ("assuan-engine");
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_gpgme_roundtrip);
  tcase_add_test (tc, test_gpgme_error);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  return th_main (setup, gpgme_client_suite);
}
