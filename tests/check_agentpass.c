/* check_agentpass.c - PACK_EXPORT --passphrase with gpg-agent's pinentry
 *
 * The test homes' gpg-agent.conf names pinentry-record.sh (through a
 * symlink HOME/pinentry) as the pinentry: it answers "pinentry pass 3"
 * from HOME/pinentry.pass, or cancels where HOME/pinentry.cancel
 * exists.  The client answers
 * INQUIRE NEW_PASSPHRASE with an empty END, so the daemon asks the agent.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include <sys/stat.h>
#include <check.h>

#include "ckrun.h"
#include "harness.h"

#define PIN_PASSPHRASE "pinentry pass 3"   /* what the pinentry says */
#define TEST_TIMEOUT 60

static th_home_t home_ok;        /* pinentry answers PIN_PASSPHRASE */
static th_home_t home_cancel;    /* pinentry cancels */
static char fpr_ok[41], fpr_cancel[41];
static char pack_pin[128], key_pin[128];   /* made by setup_fixture */


/* Run COMMAND on HOME's daemon socket, OPTION_LINE (may be NULL)
 * first.  */
static gpg_error_t
run_cmd (th_home_t *home, const char *option_line, const char *command,
         const th_inquiry_t *inq, th_reply_t *reply)
{
  assuan_context_t ctx;
  gpg_error_t err;

  err = th_connect (home, &ctx);
  if (err)
    return err;
  if (option_line)
    err = th_transact (ctx, option_line, NULL, NULL);
  if (!err)
    err = th_transact (ctx, command, inq, reply);
  assuan_release (ctx);
  return err;
}

/* The output directory of HOME's exports.  */
static const char *
outdir (th_home_t *home)
{
  static char buf[96];

  snprintf (buf, sizeof buf, "%s/out", home->dir);
  return buf;
}

/* PACK_EXPORT --secret --passphrase of FPR from HOME into its outdir as
 * NAME, NEW_PASSPHRASE answered from INQ (NULL: empty answer); file
 * names to R_PACK / R_KEY (may be NULL).  No ck_assert: main uses it.  */
static gpg_error_t
export_pin (th_home_t *home, const char *option_line, const char *name,
            const char *fpr, const th_inquiry_t *inq,
            char *r_pack, char *r_key)
{
  th_reply_t reply;
  char *cmd, *created;
  gpg_error_t err;

  if (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --passphrase"
                      " --output-dir=%s --name=%s -- %s",
                      outdir (home), name, fpr) < 0)
    return gpg_error_from_syserror ();
  memset (&reply, 0, sizeof reply);
  err = run_cmd (home, option_line, cmd, inq, &reply);
  gpgrt_free (cmd);
  if (err)
    {
      th_reply_free (&reply);   /* What came before the error.  */
      return err;
    }
  if (!strstr (reply.inquiries, "NEW_PASSPHRASE\n"))
    err = gpg_error (GPG_ERR_INV_RESPONSE);
  created = th_status_get (reply.status, "PACK_CREATED", 0);
  if (!err && r_pack
      && (!created
          || sscanf (created, "%*s %127s %127s", r_pack, r_key) != 2))
    err = gpg_error (GPG_ERR_INV_RESPONSE);
  free (created);
  th_reply_free (&reply);
  return err;
}

/* Import PACK with KEY into a new home, answering PASSPHRASE.  */
static gpg_error_t
import_with (const char *pack, const char *key, const char *passphrase,
             th_home_t *home_b)
{
  th_inquiry_t inq[] = { { "PASSPHRASE", passphrase, strlen (passphrase) },
                         { NULL } };
  char *cmd;
  gpg_error_t err;

  ck_assert_int_eq (th_home_create (home_b), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s %s",
                             key, pack) >= 0);
  err = th_command (home_b, 1, cmd, inq, NULL);
  gpgrt_free (cmd);
  return err;
}

static void
assert_code (gpg_error_t err, gpg_err_code_t want)
{
  ck_assert_msg (gpg_err_code (err) == want, "want %s, got %s <%s>",
                 gpg_strerror (gpg_error (want)), gpg_strerror (err),
                 gpg_strsource (err));
}


/* The key file the fixture protected with the pinentry's passphrase
 * opens with it.  */
START_TEST (test_pinentry_roundtrip)
{
  th_home_t home_b;
  char *sec;

  ck_assert_int_eq (import_with (pack_pin, key_pin, PIN_PASSPHRASE,
                                 &home_b), 0);
  sec = th_list_fprs (&home_b, 1);
  ck_assert_str_eq (sec, fpr_ok);
  free (sec);
  th_home_destroy (&home_b);
}
END_TEST

/* ... and not with another passphrase.  */
START_TEST (test_pinentry_wrong_passphrase)
{
  th_home_t home_b;

  assert_code (import_with (pack_pin, key_pin, "pinentry pass 4", &home_b),
               GPG_ERR_BAD_PASSPHRASE);
  th_home_destroy (&home_b);
}
END_TEST

/* A cancelled pinentry cancels the export; no file is left.  */
START_TEST (test_pinentry_cancel)
{
  assert_code (export_pin (&home_cancel, NULL, "c", fpr_cancel, NULL,
                           NULL, NULL), GPG_ERR_CANCELED);
  ck_assert_int_eq (th_dir_entries (outdir (&home_cancel)), 0);
}
END_TEST

/* CAN to NEW_PASSPHRASE cancels the command without asking pinentry
 * (which would answer GPG_ERR_CANCELED here).  */
START_TEST (test_client_cancel)
{
  th_inquiry_t can[] = { { "NEW_PASSPHRASE", NULL, 0, 1 }, { NULL } };

  assert_code (export_pin (&home_cancel, NULL, "can", fpr_cancel, can,
                           NULL, NULL), GPG_ERR_ASS_CANCELED);
  ck_assert_int_eq (th_dir_entries (outdir (&home_cancel)), 0);
}
END_TEST

/* pinentry-mode loopback: the client must answer; empty is an error.  */
START_TEST (test_loopback_empty)
{
  assert_code (export_pin (&home_ok, "OPTION pinentry-mode=loopback", "lb",
                           fpr_ok, NULL, NULL, NULL),
               GPG_ERR_NO_PASSPHRASE);
}
END_TEST

/* pinentry-mode cancel and error go on to gpg-agent, whose pinentry
 * would have answered.  */
START_TEST (test_mode_cancel_error)
{
  assert_code (export_pin (&home_ok, "OPTION pinentry-mode=cancel", "mc",
                           fpr_ok, NULL, NULL, NULL), GPG_ERR_CANCELED);
  assert_code (export_pin (&home_ok, "OPTION pinentry-mode=error", "me",
                           fpr_ok, NULL, NULL, NULL), GPG_ERR_NO_PIN_ENTRY);
}
END_TEST

/* No gpg-agent running: GPG_ERR_NO_AGENT (a public export does not
 * start one).  */
START_TEST (test_no_agent)
{
  const char *kill_argv[] = { th_prog ("GPGCONF", "gpgconf"), "--homedir",
                              home_cancel.dir, "--kill", "gpg-agent", NULL };
  char *cmd;

  ck_assert_int_eq (th_run (kill_argv, NULL, NULL, NULL), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --passphrase --output-dir=%s"
                             " --name=na -- %s", outdir (&home_cancel),
                             fpr_cancel) >= 0);
  assert_code (run_cmd (&home_cancel, NULL, cmd, NULL, NULL),
               GPG_ERR_NO_AGENT);
  gpgrt_free (cmd);
  ck_assert_int_eq (th_dir_entries (outdir (&home_cancel)), 0);
}
END_TEST


/* Create HOME with SCRIPT as gpg-agent's pinentry (answering
 * PIN_PASSPHRASE, or cancelling if CANCEL), a key, an output directory
 * and a daemon.  */
static gpg_error_t
make_home (th_home_t *home, const char *script, int cancel, char *r_fpr)
{
  char link[128], file[128], *conf;
  gpg_error_t err;

  err = th_home_create (home);
  if (err)
    return err;
  snprintf (link, sizeof link, "%s/pinentry", home->dir);
  if (symlink (script, link))
    return gpg_error_from_syserror ();
  snprintf (file, sizeof file, "%s/pinentry.cancel", home->dir);
  if (cancel && (err = th_write_file (file, "", 0)))
    return err;
  snprintf (file, sizeof file, "%s/pinentry.pass", home->dir);
  err = th_write_file (file, PIN_PASSPHRASE "\n",
                       strlen (PIN_PASSPHRASE) + 1);
  conf = gpgrt_bsprintf ("pinentry-program %s\nallow-loopback-pinentry\n"
                         "default-cache-ttl 0\nmax-cache-ttl 0\n", link);
  if (!conf)
    return gpg_error_from_syserror ();
  if (!err)
    err = th_home_write (home, "gpg-agent.conf", conf);
  gpgrt_free (conf);
  if (!err)
    err = th_genkey (home, "Pin <pin@example.org>", "ed25519", NULL, r_fpr);
  if (!err && mkdir (outdir (home), 0700))
    err = gpg_error_from_syserror ();
  if (!err)
    err = th_daemon_start (home);
  return err;
}

static void
setup_fixture (void)
{
  char script[PATH_MAX], *name, *srcdir = getenv ("srcdir");


  TH_SETUP (th_init ());
  name = gpgrt_bsprintf ("%s/pinentry-record.sh", srcdir ? srcdir : ".");
  TH_SETUP (name && realpath (name, script) ? 0 : gpg_error_from_syserror ());
  gpgrt_free (name);
  TH_SETUP (make_home (&home_ok, script, 0, fpr_ok));
  TH_SETUP (make_home (&home_cancel, script, 1, fpr_cancel));
  TH_SETUP (export_pin (&home_ok, NULL, "pin", fpr_ok, NULL, pack_pin, key_pin));
}


static Suite *
agentpass_suite (void)
{
  Suite *s = suite_create ("agentpass");
  TCase *tc = tcase_create ("pinentry");

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_pinentry_roundtrip);
  tcase_add_test (tc, test_pinentry_wrong_passphrase);
  tcase_add_test (tc, test_pinentry_cancel);
  tcase_add_test (tc, test_client_cancel);
  tcase_add_test (tc, test_loopback_empty);
  tcase_add_test (tc, test_mode_cancel_error);
  tcase_add_test (tc, test_no_agent);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return th_main (setup_fixture, agentpass_suite);
}
