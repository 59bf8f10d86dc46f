/* check_daemon.c - integration tests of gpgpackd against doc/protocol.md
 *
 * Runs the real daemon in throwaway GnuPG homes (see harness.h) and drives
 * it three ways: gpg-connect-agent on the socket, libassuan on the socket
 * and libassuan over a pipe to "gpgpackd --server".  Keys move from home A
 * to fresh homes and are compared by fingerprint and secret-key presence.
 *
 * The peer uid check (a client of another uid is refused) is tested by
 * switching a child to uid 65534, which needs root; as another user
 * that test only prints a note.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>

#include "ckrun.h"
#include "gpgpack-plugin.h"
#include "harness.h"

#define KEY_PASSPHRASE  "key pass 1"     /* protects fpr_prot in home A */
#define FILE_PASSPHRASE "file pass 2"    /* protects the key file of pack_pp */
#define N_CLIENTS 32
#define TEST_TIMEOUT 60                  /* seconds; a test takes < 5 */

static th_home_t home_a;         /* the source: keys and a daemon */
static th_home_t home_bad;       /* target of every bad-input import */
static char fpr_ed[41];          /* ed25519/cv25519, no passphrase */
static char fpr_prot[41];        /* ed25519/cv25519, KEY_PASSPHRASE */
static char fpr_rsa[41];         /* rsa2048, no passphrase */
static char fpr_pub[41];         /* public key only in home A */
static char outdir[80];          /* packs made by main for many tests */
static char pack1[128], key1[128];    /* fpr_ed secret, no passphrase */
static char pack2[128], key2[128];    /* another pack of the same key */
static char pack_pp[128], key_pp[128]; /* key file under FILE_PASSPHRASE */


/* Run COMMAND on HOME's daemon socket (or "--server" pipe if SERVER).  */
static gpg_error_t
run_cmd (th_home_t *home, int server, const char *command,
         const th_inquiry_t *inq, th_reply_t *reply)
{
  return th_command (home, server, command, inq, reply);
}


/* "A\nB" for two fingerprints, sorted like th_list_fprs.  */
static char *
sorted_pair (const char *a, const char *b)
{
  char *s;

  if (strcmp (a, b) > 0)
    return sorted_pair (b, a);
  ck_assert (gpgrt_asprintf (&s, "%s\n%s", a, b) >= 0);
  return s;
}


/* Assert HOME's keyring lists exactly PUB and SEC (th_list_fprs form).  */
static void
assert_keyring (th_home_t *home, const char *pub, const char *sec)
{
  char *p = th_list_fprs (home, 0);
  char *s = th_list_fprs (home, 1);

  ck_assert_ptr_nonnull (p);
  ck_assert_ptr_nonnull (s);
  ck_assert_str_eq (p, pub);
  ck_assert_str_eq (s, sec);
  free (p);
  free (s);
}


/* Export with --output-dir=OUTDIR --name=NAME plus OPTS of PATTERNS from
 * home A; store the file names from PACK_CREATED.  Also used by main
 * before the tests run: no ck_assert here.  */
static gpg_error_t
export_to_files (const char *opts, const char *name, const char *patterns,
                 const th_inquiry_t *inq, char *r_pack, char *r_key)
{
  th_reply_t reply;
  char *cmd, *created;
  gpg_error_t err;

  if (gpgrt_asprintf (&cmd, "PACK_EXPORT --output-dir=%s --name=%s %s -- %s",
                      outdir, name, opts, patterns) < 0)
    return gpg_error_from_syserror ();
  err = run_cmd (&home_a, 0, cmd, inq, &reply);
  gpgrt_free (cmd);
  created = err ? NULL : th_status_get (reply.status, "PACK_CREATED", 0);
  if (!err && (!created
               || sscanf (created, "%*s %127s %127s", r_pack, r_key) != 2))
    err = gpg_error (GPG_ERR_INV_RESPONSE);
  free (created);
  th_reply_free (&reply);
  return err;
}


/* Import the files PACK and KEY into HOME over a --server pipe; an
 * INQUIRE PASSPHRASE gets PASSPHRASE (NULL: an empty answer).  */
static gpg_error_t
import_files (th_home_t *home, const char *pack, const char *key,
              const char *passphrase, th_reply_t *reply)
{
  th_inquiry_t inq[] = { { "PASSPHRASE", passphrase,
                           passphrase ? strlen (passphrase) : 0 },
                         { NULL } };
  char *cmd;
  gpg_error_t err;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s %s",
                             key, pack) >= 0);
  err = run_cmd (home, 1, cmd, inq, reply);
  gpgrt_free (cmd);
  return err;
}


/* Run the streamed export CMD over CTX: the pack bytes end up in
 * REPLY->data, the key file (decoded KEYFILE status) in *R_KEY.  */
static gpg_error_t
export_streamed (assuan_context_t ctx, const char *cmd,
                 const th_inquiry_t *inq, th_reply_t *reply,
                 char **r_key, size_t *r_keylen)
{
  gpg_error_t err;
  char *b64;

  *r_key = NULL;
  err = th_transact (ctx, cmd, inq, reply);
  if (err)
    return err;
  b64 = th_status_get (reply->status, "KEYFILE", 0);
  if (!b64 || !reply->datalen)
    err = gpg_error (GPG_ERR_NO_DATA);
  else
    err = th_b64_decode (b64, r_key, r_keylen);
  free (b64);
  return err;
}


/* Run "PACK_IMPORT OPTS" over CTX, answering INQUIRE PACK, KEYFILE and
 * PASSPHRASE from memory (no file names on the command line).  */
static gpg_error_t
import_inquired (assuan_context_t ctx, const char *opts,
                 const char *pack, size_t packlen,
                 const char *key, size_t keylen, const char *passphrase,
                 th_reply_t *reply)
{
  th_inquiry_t inq[] = { { "PACK", pack, packlen },
                         { "KEYFILE", key, keylen },
                         { "PASSPHRASE", passphrase,
                           passphrase ? strlen (passphrase) : 0 },
                         { NULL } };
  char *cmd;
  gpg_error_t err;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT %s", opts) >= 0);
  err = th_transact (ctx, cmd, inq, reply);
  gpgrt_free (cmd);
  return err;
}


/* A streamed export: the reply (pack in its data) and the key file.  */
typedef struct streamed
{
  th_reply_t reply;
  char *key;
  size_t keylen;
} streamed_t;

/* Run "PACK_EXPORT " FORMAT... over a new connection to home A, after
 * the command SETUP if not NULL, answering INQ; the export to R_EXP.  */
static void
export_from_a (const char *setup, const th_inquiry_t *inq,
               streamed_t *r_exp, const char *format, ...)
{
  assuan_context_t ctx;
  va_list ap;
  char *args, *cmd;

  va_start (ap, format);
  args = gpgrt_vbsprintf (format, ap);
  va_end (ap);
  ck_assert_ptr_nonnull (args);
  cmd = gpgrt_strconcat ("PACK_EXPORT ", args, NULL);
  ck_assert_ptr_nonnull (cmd);
  ck_assert_int_eq (th_connect (&home_a, &ctx), 0);
  if (setup)
    ck_assert_int_eq (th_transact (ctx, setup, NULL, NULL), 0);
  ck_assert_int_eq (export_streamed (ctx, cmd, inq, &r_exp->reply,
                                     &r_exp->key, &r_exp->keylen), 0);
  assuan_release (ctx);
  gpgrt_free (cmd);
  gpgrt_free (args);
}

static void
streamed_release (streamed_t *exp)
{
  free (exp->key);
  th_reply_free (&exp->reply);
}

/* Create R_HOME and import EXP there by INQUIRE over a pipe, answering
 * PASSPHRASE; the reply to R_IMP.  */
static void
import_into_new_home (th_home_t *r_home, const streamed_t *exp,
                      const char *passphrase, th_reply_t *r_imp)
{
  assuan_context_t ctx;

  ck_assert_int_eq (th_home_create (r_home), 0);
  ck_assert_int_eq (th_connect_server (r_home, &ctx), 0);
  ck_assert_int_eq (import_inquired (ctx, "", exp->reply.data,
                                     exp->reply.datalen, exp->key,
                                     exp->keylen, passphrase, r_imp), 0);
  assuan_release (ctx);
}


/* --- info commands ------------------------------------------------- */

START_TEST (test_getinfo)
{
  static const char *const cmds[] = { "PACK_EXPORT", "PACK_IMPORT",
                                      "PACK_INFO", "GETINFO", "NOP",
                                      "KILLDAEMON", NULL };
  th_reply_t reply;
  char pid[32];
  int i;

  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO version", NULL, &reply), 0);
  ck_assert_str_eq (reply.data, PACKAGE_VERSION);
  th_reply_free (&reply);

  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO pid", NULL, &reply), 0);
  snprintf (pid, sizeof pid, "%ld", (long)home_a.daemon_pid);
  ck_assert_str_eq (reply.data, pid);
  th_reply_free (&reply);

  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO socket_name", NULL,
                             &reply), 0);
  ck_assert_str_eq (reply.data, home_a.socket);
  th_reply_free (&reply);

  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO formats", NULL,
                             &reply), 0);
  ck_assert_msg (!strncmp (reply.data, "native .gpgpack .key ", 21)
                 || strstr (reply.data, "\nnative .gpgpack .key "),
                 "GETINFO formats: %s", reply.data);
  th_reply_free (&reply);

  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO commands", NULL,
                             &reply), 0);
  for (i = 0; cmds[i]; i++)
    ck_assert_msg (strstr (reply.data, cmds[i]),
                   "GETINFO commands lacks %s", cmds[i]);
  th_reply_free (&reply);

  ck_assert_int_eq (gpg_err_code (run_cmd (&home_a, 0, "GETINFO nosuchthing",
                                           NULL, NULL)),
                    GPG_ERR_ASS_PARAMETER);
}
END_TEST


/* HELP CMD prints comment lines for every command GETINFO lists.  */
START_TEST (test_help)
{
  th_reply_t reply;
  char *cmd, *tok, *save = NULL, *out;

  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO commands", NULL,
                             &reply), 0);
  for (tok = strtok_r (reply.data, " \n,", &save); tok;
       tok = strtok_r (NULL, " \n,", &save))
    {
      ck_assert (gpgrt_asprintf (&cmd, "HELP %s\n", tok) >= 0);
      ck_assert_int_eq (th_gca (&home_a, cmd, &out), 0);
      ck_assert_msg (strstr (out, "# "), "no help text for %s: %s", tok, out);
      ck_assert_msg (!th_gca_errcode (out), "HELP %s: %s", tok, out);
      gpgrt_free (cmd);
      free (out);
    }
  th_reply_free (&reply);

  ck_assert_int_eq (th_gca (&home_a, "HELP PACK_EXPORT\n", &out), 0);
  ck_assert_ptr_nonnull (strstr (out, "--secret"));
  ck_assert_ptr_nonnull (strstr (out, "--output-dir"));
  free (out);
}
END_TEST


START_TEST (test_server_pipe)
{
  th_reply_t reply;

  ck_assert_int_eq (run_cmd (&home_a, 1, "NOP", NULL, NULL), 0);
  ck_assert_int_eq (run_cmd (&home_a, 1, "GETINFO version", NULL, &reply), 0);
  ck_assert_str_eq (reply.data, PACKAGE_VERSION);
  th_reply_free (&reply);
}
END_TEST


START_TEST (test_pack_info)
{
  th_reply_t reply;
  char *cmd, *s;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_INFO %s", pack1) >= 0);
  ck_assert_int_eq (run_cmd (&home_a, 0, cmd, NULL, &reply), 0);
  gpgrt_free (cmd);
  s = th_status_get (reply.status, "FORMAT", 0);
  ck_assert_str_eq (s, "native");
  free (s);
  s = th_status_get (reply.status, "PACK_ID", 0);
  ck_assert_ptr_nonnull (s);
  ck_assert_uint_eq (strlen (s), 32);
  free (s);
  s = th_status_get (reply.status, "NEEDS", 0);
  ck_assert_ptr_nonnull (s);
  ck_assert_ptr_nonnull (strstr (s, "keyfile"));
  ck_assert_ptr_null (strstr (s, "passphrase"));
  free (s);
  ck_assert_int_eq (th_status_count (reply.status, "CREATED"), 1);
  th_reply_free (&reply);

  /* Without FILE the pack comes by INQUIRE PACK.  */
  {
    th_inquiry_t inq[] = { { "PACK", NULL, 0 }, { NULL } };
    char *pack;

    ck_assert_int_eq (th_read_file (pack1, &pack, &inq[0].len), 0);
    inq[0].data = pack;
    ck_assert_int_eq (run_cmd (&home_a, 0, "PACK_INFO", inq, &reply), 0);
    s = th_status_get (reply.status, "FORMAT", 0);
    ck_assert_str_eq (s, "native");
    free (s);
    th_reply_free (&reply);
    free (pack);
  }

  /* A forced format wins over detection, and a wrong one is refused.  */
  {
    th_inquiry_t inq[] = { { "PACK", NULL, 0 }, { NULL } };
    char *pack;

    ck_assert_int_eq (th_read_file (pack1, &pack, &inq[0].len), 0);
    inq[0].data = pack;
    ck_assert_int_eq (run_cmd (&home_a, 0, "PACK_INFO --format=native",
                               inq, &reply), 0);
    s = th_status_get (reply.status, "FORMAT", 0);
    ck_assert_str_eq (s, "native");
    free (s);
    th_reply_free (&reply);
    ck_assert_int_eq (gpg_err_code (run_cmd (&home_a, 0,
                                             "PACK_INFO --format=nosuch",
                                             inq, NULL)),
                      GPG_ERR_UNKNOWN_NAME);
    free (pack);
  }

  ck_assert (gpgrt_asprintf (&cmd, "PACK_INFO %s", pack_pp) >= 0);
  ck_assert_int_eq (run_cmd (&home_a, 0, cmd, NULL, &reply), 0);
  gpgrt_free (cmd);
  s = th_status_get (reply.status, "NEEDS", 0);
  ck_assert_ptr_nonnull (s);
  ck_assert_ptr_nonnull (strstr (s, "passphrase"));
  free (s);
  th_reply_free (&reply);
}
END_TEST


/* --- round trips --------------------------------------------------- */

/* Public export to files with gpg-connect-agent, import over a pipe.  */
START_TEST (test_roundtrip_public_files)
{
  th_home_t home_b;
  th_reply_t reply;
  char *script, *out, *created, *id, *info;
  char pack[128], key[128], want[300];
  struct stat st;

  ck_assert (gpgrt_asprintf (&script, "PACK_EXPORT --output-dir=%s "
                             "--name=pub1 -- %s\n", outdir, fpr_ed) >= 0);
  ck_assert_int_eq (th_gca (&home_a, script, &out), 0);
  gpgrt_free (script);
  ck_assert_msg (!th_gca_errcode (out), "export failed: %s", out);
  snprintf (want, sizeof want, "S EXPORTED %s", fpr_ed);
  ck_assert_ptr_nonnull (strstr (out, want));
  snprintf (pack, sizeof pack, "%s/pub1.gpgpack", outdir);
  snprintf (key, sizeof key, "%s/pub1.key", outdir);
  created = strstr (out, "S PACK_CREATED ");
  ck_assert_ptr_nonnull (created);
  snprintf (want, sizeof want, " %s %s", pack, key);
  ck_assert_ptr_nonnull (strstr (created, want));
  id = strndup (created + 15, strcspn (created + 15, " "));
  free (out);

  ck_assert_int_eq (stat (pack, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);
  ck_assert_int_eq (stat (key, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);

  ck_assert (gpgrt_asprintf (&script, "PACK_INFO %s", pack) >= 0);
  ck_assert_int_eq (run_cmd (&home_a, 0, script, NULL, &reply), 0);
  gpgrt_free (script);
  info = th_status_get (reply.status, "PACK_ID", 0);
  ck_assert_str_eq (info, id);
  free (info);
  free (id);
  th_reply_free (&reply);

  ck_assert_int_eq (th_home_create (&home_b), 0);
  ck_assert_int_eq (import_files (&home_b, pack, key, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORTED"), 1);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORT_RES"), 1);
  th_reply_free (&reply);
  assert_keyring (&home_b, fpr_ed, "");
  th_home_destroy (&home_b);
}
END_TEST


/* Secret export of two keys streamed over the socket; import by INQUIRE
 * over a pipe; both secret keys arrive.  */
START_TEST (test_roundtrip_secret_streamed)
{
  th_home_t home_b;
  streamed_t exp;
  th_reply_t imp;
  char *created, *both;

  export_from_a (NULL, NULL, &exp, "--secret -- %s %s", fpr_ed, fpr_rsa);
  ck_assert_int_eq (th_status_count (exp.reply.status, "EXPORTED"), 2);
  created = th_status_get (exp.reply.status, "PACK_CREATED", 0);
  ck_assert_ptr_nonnull (created);
  ck_assert_ptr_nonnull (strstr (created, " - -"));
  free (created);

  import_into_new_home (&home_b, &exp, NULL, &imp);
  ck_assert_ptr_nonnull (strstr (imp.inquiries, "PACK\n"));
  ck_assert_ptr_nonnull (strstr (imp.inquiries, "KEYFILE\n"));
  ck_assert_int_eq (th_status_count (imp.status, "IMPORTED"), 2);
  th_reply_free (&imp);
  both = sorted_pair (fpr_ed, fpr_rsa);
  assert_keyring (&home_b, both, both);
  gpgrt_free (both);
  streamed_release (&exp);
  th_home_destroy (&home_b);
}
END_TEST


/* Every format the daemon loaded (GETINFO formats) carries a secret key
 * there and back, detected on import and named by PACK_INFO.  Formats
 * that require a passphrase (GPGPACK_FMT_PIN_REQUIRED) get one.  The
 * streamed pack and key are stored under the format's extensions and
 * imported from there: headerless formats (gfe1, gfe2) are told apart
 * only by file name, as in GpgFrontend.  */
START_TEST (test_roundtrip_every_format)
{
  th_inquiry_t pass[] = { { "NEW_PASSPHRASE", FILE_PASSPHRASE,
                            strlen (FILE_PASSPHRASE) }, { NULL } };
  th_reply_t formats, imp, info;
  streamed_t exp;
  th_home_t home_b;
  char name[64], pack_ext[32], key_ext[32], *line, *save = NULL, *cmd;
  char *fmt, *packpath, *keypath;
  unsigned int flags;
  int n = 0;

  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO formats", NULL, &formats),
                    0);
  for (line = strtok_r (formats.data, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save), n++)
    {
      ck_assert_int_eq (sscanf (line, "%63s %31s %31s %u", name, pack_ext,
                                key_ext, &flags), 4);
      export_from_a (NULL, pass, &exp, "--secret --format=%s %s -- %s", name,
                     (flags & GPGPACK_FMT_PIN_REQUIRED) ? "--passphrase" : "",
                     fpr_ed);

      ck_assert_int_eq (th_home_create (&home_b), 0);
      ck_assert (gpgrt_asprintf (&packpath, "%s/rt%s", home_b.dir,
                                 pack_ext) >= 0);
      ck_assert (gpgrt_asprintf (&keypath, "%s/rt%s", home_b.dir,
                                 key_ext) >= 0);
      ck_assert_int_eq (th_write_file (packpath, exp.reply.data,
                                       exp.reply.datalen), 0);
      ck_assert_int_eq (th_write_file (keypath, exp.key, exp.keylen), 0);

      ck_assert (gpgrt_asprintf (&cmd, "PACK_INFO %s", packpath) >= 0);
      ck_assert_int_eq (run_cmd (&home_a, 0, cmd, NULL, &info), 0);
      gpgrt_free (cmd);
      fmt = th_status_get (info.status, "FORMAT", 0);
      ck_assert_str_eq (fmt, name);
      free (fmt);
      th_reply_free (&info);

      ck_assert_msg (!import_files (&home_b, packpath, keypath,
                                    FILE_PASSPHRASE, &imp),
                     "import of a %s pack failed", name);
      assert_keyring (&home_b, fpr_ed, fpr_ed);
      th_home_destroy (&home_b);
      th_reply_free (&imp);
      streamed_release (&exp);
      gpgrt_free (packpath);
      gpgrt_free (keypath);
    }
  ck_assert_int_ge (n, 1);
  th_reply_free (&formats);
}
END_TEST


/* --exclude-no-secret drops the public-only key; without it, the
 * public-only key travels too (as public key).  */
START_TEST (test_exclude_no_secret)
{
  th_home_t home_b;
  th_reply_t reply;
  char *patterns, *exported, pack[128], key[128];

  ck_assert (gpgrt_asprintf (&patterns, "%s %s", fpr_ed, fpr_pub) >= 0);
  ck_assert_int_eq (export_to_files ("--secret --exclude-no-secret", "excl",
                                     patterns, NULL, pack, key), 0);
  gpgrt_free (patterns);

  ck_assert_int_eq (th_home_create (&home_b), 0);
  ck_assert_int_eq (import_files (&home_b, pack, key, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORTED"), 1);
  exported = th_status_get (reply.status, "IMPORTED", 0);
  ck_assert_ptr_nonnull (strstr (exported, fpr_ed));
  free (exported);
  th_reply_free (&reply);
  assert_keyring (&home_b, fpr_ed, fpr_ed);
  th_home_destroy (&home_b);
}
END_TEST


/* Round trips that ask the client: the key file protected by a
 * passphrase (INQUIRE NEW_PASSPHRASE, the import asks by INQUIRE
 * PASSPHRASE), and a passphrase-protected OpenPGP key whose passphrase
 * the daemon asks under pinentry-mode=loopback (INQUIRE
 * KEY_PASSPHRASE).  SETUP (or NULL) before "PACK_EXPORT OPTS -- FPR";
 * ASKED is answered ANSWER, which the key file must not hold;
 * IMPORT_PASS (or NULL) answers the import.  */
static const struct asking_roundtrip
{
  const char *setup, *opts;
  const char *fpr;
  const char *asked, *answer, *import_pass;
} asking_roundtrips[] =
  {
    { NULL, "--secret --passphrase", fpr_ed,
      "NEW_PASSPHRASE", FILE_PASSPHRASE, FILE_PASSPHRASE },
    { "OPTION pinentry-mode=loopback", "--secret", fpr_prot,
      "KEY_PASSPHRASE", KEY_PASSPHRASE, NULL }
  };

START_TEST (test_roundtrip_asking)
{
  const struct asking_roundtrip *t = &asking_roundtrips[_i];
  th_inquiry_t inq[] = { { t->asked, t->answer, strlen (t->answer) },
                         { NULL } };
  th_home_t home_b;
  streamed_t exp;
  th_reply_t imp;
  char *asked = gpgrt_strconcat (t->asked, "\n", NULL);

  ck_assert_ptr_nonnull (asked);
  export_from_a (t->setup, inq, &exp, "%s -- %s", t->opts, t->fpr);
  ck_assert_ptr_nonnull (strstr (exp.reply.inquiries, asked));
  ck_assert_ptr_null (strstr (exp.key, t->answer));

  import_into_new_home (&home_b, &exp, t->import_pass, &imp);
  ck_assert (!t->import_pass || strstr (imp.inquiries, "PASSPHRASE\n"));
  th_reply_free (&imp);
  assert_keyring (&home_b, t->fpr, t->fpr);
  streamed_release (&exp);
  th_home_destroy (&home_b);
  gpgrt_free (asked);
}
END_TEST


/* --dry-run names the candidates and imports nothing.  */
START_TEST (test_dry_run)
{
  th_home_t home_b;
  th_reply_t reply;
  char *cmd, *cand, want[64];

  ck_assert_int_eq (th_home_create (&home_b), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --dry-run --key-file=%s %s",
                             key1, pack1) >= 0);
  ck_assert_int_eq (run_cmd (&home_b, 1, cmd, NULL, &reply), 0);
  gpgrt_free (cmd);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORT_CANDIDATE"), 1);
  cand = th_status_get (reply.status, "IMPORT_CANDIDATE", 0);
  snprintf (want, sizeof want, "%s secret", fpr_ed);
  ck_assert_str_eq (cand, want);
  free (cand);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORTED"), 0);
  th_reply_free (&reply);
  assert_keyring (&home_b, "", "");
  th_home_destroy (&home_b);
}
END_TEST


/* Export and import entirely with gpg-connect-agent (/datafile for the
 * D lines, /definqfile for the inquiries) against two daemons.  */
START_TEST (test_roundtrip_gca)
{
  th_home_t home_b;
  char *script, *out, *b64, *key;
  char pack[128], keypath[128], want[64];
  size_t keylen;

  snprintf (pack, sizeof pack, "%s/gca.gpgpack", outdir);
  snprintf (keypath, sizeof keypath, "%s/gca.key", outdir);
  ck_assert (gpgrt_asprintf (&script, "/datafile %s\n"
                             "PACK_EXPORT --secret -- %s\n/datafile\n",
                             pack, fpr_ed) >= 0);
  ck_assert_int_eq (th_gca (&home_a, script, &out), 0);
  gpgrt_free (script);
  ck_assert_msg (!th_gca_errcode (out), "export failed: %s", out);
  b64 = strstr (out, "S KEYFILE ");
  ck_assert_ptr_nonnull (b64);
  b64 = strndup (b64 + 10, strcspn (b64 + 10, "\n"));
  ck_assert_int_eq (th_b64_decode (b64, &key, &keylen), 0);
  ck_assert_int_eq (th_write_file (keypath, key, keylen), 0);
  free (b64);
  free (key);
  free (out);

  ck_assert_int_eq (th_home_create (&home_b), 0);
  ck_assert_int_eq (th_daemon_start (&home_b), 0);
  ck_assert (gpgrt_asprintf (&script, "/definqfile PACK %s\n"
                             "/definqfile KEYFILE %s\nPACK_IMPORT\n",
                             pack, keypath) >= 0);
  ck_assert_int_eq (th_gca (&home_b, script, &out), 0);
  gpgrt_free (script);
  ck_assert_msg (!th_gca_errcode (out), "import failed: %s", out);
  snprintf (want, sizeof want, "S IMPORTED %s", fpr_ed);
  ck_assert_ptr_nonnull (strstr (out, want));
  ck_assert_ptr_nonnull (strstr (out, "S IMPORT_RES "));
  free (out);
  assert_keyring (&home_b, fpr_ed, fpr_ed);
  th_home_destroy (&home_b);
}
END_TEST


/* Patterns: a percent-escaped user id with spaces, and a key matched by
 * two patterns travels once.  */
START_TEST (test_patterns)
{
  th_reply_t reply;
  char *cmd, *fpr;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT -- "
                             "Alice%%20<alice@example.org> %s "
                             "alice@example.org", fpr_ed) >= 0);
  ck_assert_int_eq (run_cmd (&home_a, 0, cmd, NULL, &reply), 0);
  gpgrt_free (cmd);
  ck_assert_int_eq (th_status_count (reply.status, "EXPORTED"), 1);
  fpr = th_status_get (reply.status, "EXPORTED", 0);
  ck_assert_str_eq (fpr, fpr_ed);
  free (fpr);
  th_reply_free (&reply);
}
END_TEST


/* Keys go into the pack in pattern order, not gpg's keyring order, and
 * the manifest (what --dry-run lists) matches the key data: export
 * Carol then Alice (the keyring has Alice first) and compare.  */
START_TEST (test_pattern_order)
{
  assuan_context_t ctx;
  th_reply_t reply, imp;
  char *cmd, *key, *exported, *cand, want[64];
  size_t keylen;
  const char *order[2] = { fpr_rsa, fpr_ed };
  int i;

  ck_assert_int_eq (th_connect (&home_a, &ctx), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret -- %s %s",
                             fpr_rsa, fpr_ed) >= 0);
  ck_assert_int_eq (export_streamed (ctx, cmd, NULL, &reply, &key, &keylen),
                    0);
  gpgrt_free (cmd);
  ck_assert_int_eq (import_inquired (ctx, "--dry-run", reply.data,
                                     reply.datalen, key, keylen, NULL, &imp),
                    0);
  assuan_release (ctx);
  ck_assert_int_eq (th_status_count (imp.status, "IMPORT_CANDIDATE"), 2);
  for (i = 0; i < 2; i++)
    {
      exported = th_status_get (reply.status, "EXPORTED", i);
      cand = th_status_get (imp.status, "IMPORT_CANDIDATE", i);
      ck_assert_str_eq (exported, order[i]);
      snprintf (want, sizeof want, "%s secret", order[i]);
      ck_assert_str_eq (cand, want);
      free (exported);
      free (cand);
    }
  free (key);
  th_reply_free (&imp);
  th_reply_free (&reply);
}
END_TEST


/* Importing keys the keyring already has: accepted, counted unchanged.  */
START_TEST (test_import_unchanged)
{
  th_reply_t reply;
  char *res;
  int count, imported, unchanged;

  ck_assert_int_eq (import_files (&home_a, pack1, key1, NULL, &reply), 0);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORTED"), 0);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORT_OK"), 1);
  res = th_status_get (reply.status, "IMPORT_RES", 0);
  ck_assert_ptr_nonnull (res);
  ck_assert_int_eq (sscanf (res, "%d %*d %d %*d %d", &count, &imported,
                            &unchanged), 3);
  ck_assert_int_eq (count, 1);
  ck_assert_int_eq (imported, 0);
  ck_assert_int_eq (unchanged, 1);
  free (res);
  th_reply_free (&reply);
}
END_TEST


/* No temporary output file (".NAME….XXXXXX") survives the exports.  */
START_TEST (test_no_temp_files_left)
{
  struct dirent *de;
  DIR *dir;

  dir = opendir (outdir);
  ck_assert_ptr_nonnull (dir);
  while ((de = readdir (dir)))
    ck_assert_msg (*de->d_name != '.' || !strcmp (de->d_name, ".")
                   || !strcmp (de->d_name, ".."),
                   "temporary file left: %s", de->d_name);
  closedir (dir);
}
END_TEST


/* --- bad inputs: specific error, keyring unchanged ----------------- */

/* Import PACK / KEY with PASSPHRASE into home_bad; assert error CODE and
 * that the keyring did not change.  */
static void
import_must_fail (const char *pack, const char *key, const char *passphrase,
                  gpg_err_code_t code)
{
  char *pub = th_list_fprs (&home_bad, 0);
  char *sec = th_list_fprs (&home_bad, 1);
  gpg_error_t err;

  ck_assert_ptr_nonnull (pub);
  err = import_files (&home_bad, pack, key, passphrase, NULL);
  ck_assert_msg (gpg_err_code (err) == code,
                 "import of %s: want %s, got %s <%s>", pack,
                 gpg_strerror (gpg_error (code)), gpg_strerror (err),
                 gpg_strsource (err));
  assert_keyring (&home_bad, pub, sec);
  free (pub);
  free (sec);
}


/* Write LEN bytes of BUF to the file NAME below outdir; its path to
 * R_PATH (128 bytes).  */
static void
write_bad_file (const char *name, const void *buf, size_t len, char *r_path)
{
  snprintf (r_path, 128, "%s/%s", outdir, name);
  ck_assert_int_eq (th_write_file (r_path, buf, len), 0);
}

/* A copy of pack1 changed by EDIT (flip one bit at OFF / truncate to OFF)
 * in the file NAME below outdir.  */
static void
make_bad_pack (const char *name, long off, int truncate_it, char *r_path)
{
  char *buf;
  size_t len;

  ck_assert_int_eq (th_read_file (pack1, &buf, &len), 0);
  if (off < 0)
    off += len;
  ck_assert (off >= 0 && off < (long)len);
  if (truncate_it)
    len = off;
  else
    buf[off] ^= 0x10;
  write_bad_file (name, buf, len, r_path);
  free (buf);
}


START_TEST (test_bad_missing_file)
{
  char path[128];

  snprintf (path, sizeof path, "%s/does-not-exist.gpgpack", outdir);
  import_must_fail (path, key1, NULL, GPG_ERR_ENOENT);
  snprintf (path, sizeof path, "%s/does-not-exist.key", outdir);
  import_must_fail (pack1, path, NULL, GPG_ERR_ENOENT);
}
END_TEST

START_TEST (test_bad_wrong_keyfile)
{
  import_must_fail (pack1, key2, NULL, GPG_ERR_INV_ID);
  import_must_fail (pack2, key1, NULL, GPG_ERR_INV_ID);
}
END_TEST

START_TEST (test_bad_passphrase)
{
  import_must_fail (pack_pp, key_pp, "not the passphrase",
                    GPG_ERR_BAD_PASSPHRASE);
}
END_TEST

/* A bit flipped in the last chunk's tag fails that chunk.  */
START_TEST (test_bad_bitflip)
{
  char path[128];

  make_bad_pack ("flip.gpgpack", -1, 0, path);
  import_must_fail (path, key1, NULL, GPG_ERR_CHECKSUM);
}
END_TEST

/* Bits flipped anywhere must fail somehow and change nothing.  */
START_TEST (test_bad_bitflip_anywhere)
{
  char path[128], *buf;
  size_t len;
  gpg_error_t err;
  char *pub = th_list_fprs (&home_bad, 0);
  long off;

  ck_assert_int_eq (th_read_file (pack1, &buf, &len), 0);
  free (buf);
  for (off = 0; off < (long)len; off += len / 7 + 1)
    {
      make_bad_pack ("flipn.gpgpack", off, 0, path);
      err = import_files (&home_bad, path, key1, NULL, NULL);
      ck_assert_msg (err, "flip at %ld accepted", off);
      ck_assert_msg (gpg_err_code (err) != GPG_ERR_GENERAL,
                     "flip at %ld: bare General error", off);
    }
  assert_keyring (&home_bad, pub, "");
  free (pub);
}
END_TEST

/* A bit flipped in the header's MAC (doc/format.md: native header is
 * 84 bytes, MAC at offset 52).  */
START_TEST (test_bad_header_mac)
{
  char path[128];

  make_bad_pack ("hdrmac.gpgpack", 60, 0, path);
  import_must_fail (path, key1, NULL, GPG_ERR_BAD_MAC);
}
END_TEST

/* A pack that ends before its last chunk: cut in the middle, and cut
 * right after the 84-byte header.  */
START_TEST (test_bad_truncated)
{
  char path[128], *buf;
  size_t len;

  ck_assert_int_eq (th_read_file (pack1, &buf, &len), 0);
  free (buf);
  make_bad_pack ("trunc.gpgpack", len / 2, 1, path);
  import_must_fail (path, key1, NULL, GPG_ERR_TRUNCATED);
  make_bad_pack ("trunc2.gpgpack", 84, 1, path);
  import_must_fail (path, key1, NULL, GPG_ERR_TRUNCATED);
}
END_TEST

/* Bytes after the last chunk.  */
START_TEST (test_bad_trailing)
{
  char path[128], *buf;
  size_t len;

  ck_assert_int_eq (th_read_file (pack1, &buf, &len), 0);
  buf = realloc (buf, len + 16);
  ck_assert_ptr_nonnull (buf);
  memset (buf + len, 0x5a, 16);
  write_bad_file ("trailing.gpgpack", buf, len + 16, path);
  free (buf);
  import_must_fail (path, key1, NULL, GPG_ERR_INV_LENGTH);
}
END_TEST

START_TEST (test_bad_garbage)
{
  char path[128], garbage[2048];
  size_t i;

  for (i = 0; i < sizeof garbage; i++)
    garbage[i] = (char)(i * 7 + 3);
  write_bad_file ("garbage.bin", garbage, sizeof garbage, path);
  import_must_fail (path, key1, NULL, GPG_ERR_INV_DATA);
}
END_TEST

/* A key file that is not one.  */
START_TEST (test_bad_keyfile_garbage)
{
  char path[128];

  write_bad_file ("garbage.key", "not a key file\n", 15, path);
  import_must_fail (pack1, path, NULL, GPG_ERR_INV_KEYINFO);
}
END_TEST

/* A passphrase-protected key file but an empty passphrase in
 * pinentry-mode loopback (in the other modes gpg-agent's pinentry asks
 * instead: check_pinentry).  */
START_TEST (test_bad_no_passphrase)
{
  th_inquiry_t inq[] = { { "PASSPHRASE", "", 0 }, { NULL } };
  char *pub = th_list_fprs (&home_bad, 0);
  char *sec = th_list_fprs (&home_bad, 1);
  assuan_context_t ctx;
  char *cmd;

  ck_assert_int_eq (th_connect_server (&home_bad, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, "OPTION pinentry-mode=loopback",
                                 NULL, NULL), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s %s",
                             key_pp, pack_pp) >= 0);
  ck_assert_int_eq (gpg_err_code (th_transact (ctx, cmd, inq, NULL)),
                    GPG_ERR_NO_PASSPHRASE);
  gpgrt_free (cmd);
  assuan_release (ctx);
  assert_keyring (&home_bad, pub, sec);
  free (pub);
  free (sec);
}
END_TEST

/* Oversize input: a 70000 byte key file by INQUIRE (max 65536), and a
 * pack bigger than max-pack-size from a file and by INQUIRE.  */
START_TEST (test_bad_oversize)
{
  th_home_t home_s;
  assuan_context_t ctx;
  char *big, *pack, *cmd, *pub;
  size_t packlen;
  gpg_error_t err;

  pub = th_list_fprs (&home_bad, 0);
  big = calloc (1, 70000);
  ck_assert_ptr_nonnull (big);
  ck_assert_int_eq (th_read_file (pack1, &pack, &packlen), 0);
  ck_assert_int_eq (th_connect_server (&home_bad, &ctx), 0);
  err = import_inquired (ctx, "", pack, packlen, big, 70000, NULL, NULL);
  ck_assert_msg (gpg_err_code (err) == GPG_ERR_TOO_LARGE,
                 "oversize key file: %s", gpg_strerror (err));
  assuan_release (ctx);
  assert_keyring (&home_bad, pub, "");
  free (pub);
  free (big);

  ck_assert_int_eq (th_home_create (&home_s), 0);
  ck_assert_int_eq (th_home_write (&home_s, "gpgpackd.conf",
                                   "max-pack-size 100\n"), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s %s",
                             key1, pack1) >= 0);
  ck_assert_int_eq (gpg_err_code (run_cmd (&home_s, 1, cmd, NULL, NULL)),
                    GPG_ERR_TOO_LARGE);
  gpgrt_free (cmd);
  ck_assert_int_eq (th_connect_server (&home_s, &ctx), 0);
  err = import_inquired (ctx, "", pack, packlen, "k", 1, NULL, NULL);
  ck_assert_msg (gpg_err_code (err) == GPG_ERR_TOO_LARGE,
                 "oversize pack: %s", gpg_strerror (err));
  assuan_release (ctx);
  assert_keyring (&home_s, "", "");
  free (pack);
  th_home_destroy (&home_s);
}
END_TEST

/* A wrong passphrase for a protected OpenPGP key: BAD_PASSPHRASE and no
 * files left behind.  */
START_TEST (test_bad_key_passphrase)
{
  th_inquiry_t inq[] = { { "KEY_PASSPHRASE", "wrong", 5 }, { NULL } };
  assuan_context_t ctx;
  char *cmd, path[128];
  struct stat st;

  ck_assert_int_eq (th_connect (&home_a, &ctx), 0);
  ck_assert_int_eq (th_transact (ctx, "OPTION pinentry-mode=loopback",
                                 NULL, NULL), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --output-dir=%s "
                             "--name=badpp -- %s", outdir, fpr_prot) >= 0);
  ck_assert_int_eq (gpg_err_code (th_transact (ctx, cmd, inq, NULL)),
                    GPG_ERR_BAD_PASSPHRASE);
  gpgrt_free (cmd);
  assuan_release (ctx);
  snprintf (path, sizeof path, "%s/badpp.gpgpack", outdir);
  ck_assert_int_ne (stat (path, &st), 0);
  snprintf (path, sizeof path, "%s/badpp.key", outdir);
  ck_assert_int_ne (stat (path, &st), 0);
}
END_TEST

/* Command line mistakes.  */
START_TEST (test_bad_usage)
{
  char *cmd;

  ck_assert_int_eq (gpg_err_code (run_cmd (&home_a, 0, "PACK_EXPORT", NULL,
                                           NULL)),
                    GPG_ERR_MISSING_VALUE);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --bogus -- %s", fpr_ed) >= 0);
  ck_assert_int_eq (gpg_err_code (run_cmd (&home_a, 0, cmd, NULL, NULL)),
                    GPG_ERR_UNKNOWN_OPTION);
  gpgrt_free (cmd);
  ck_assert_int_eq (gpg_err_code (run_cmd (&home_a, 0, "OPTION foo=bar",
                                           NULL, NULL)),
                    GPG_ERR_UNKNOWN_OPTION);
}
END_TEST


/* Assert that COMMAND on home A's daemon fails with CODE.  */
static void
cmd_must_fail (const char *command, const th_inquiry_t *inq,
               gpg_err_code_t code)
{
  gpg_error_t err = run_cmd (&home_a, 0, command, inq, NULL);

  ck_assert_msg (gpg_err_code (err) == code, "%s: want %s, got %s",
                 command, gpg_strerror (gpg_error (code)),
                 gpg_strerror (err));
}

/* Misused PACK_EXPORT options.  */
START_TEST (test_bad_export_args)
{
  char *cmd;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --exclude-no-secret -- %s",
                             fpr_ed) >= 0);
  cmd_must_fail (cmd, NULL, GPG_ERR_INV_ARG);
  gpgrt_free (cmd);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret --exclude-no-secret"
                             " -- %s", fpr_pub) >= 0);
  cmd_must_fail (cmd, NULL, GPG_ERR_NO_SECKEY);
  gpgrt_free (cmd);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --output-dir=%s "
                             "--name=../escape -- %s", outdir, fpr_ed) >= 0);
  cmd_must_fail (cmd, NULL, GPG_ERR_INV_NAME);
  gpgrt_free (cmd);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --output-dir=%s "
                             "--name=.hidden -- %s", outdir, fpr_ed) >= 0);
  cmd_must_fail (cmd, NULL, GPG_ERR_INV_NAME);
  gpgrt_free (cmd);
  cmd_must_fail ("OPTION pinentry-mode=sometimes", NULL, GPG_ERR_INV_VALUE);
}
END_TEST

/* Misused PACK_IMPORT arguments.  */
START_TEST (test_bad_import_args)
{
  char *cmd;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s %s",
                             key1, outdir) >= 0);
  cmd_must_fail (cmd, NULL, GPG_ERR_EISDIR);
  gpgrt_free (cmd);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s %s %s",
                             key1, pack1, pack2) >= 0);
  cmd_must_fail (cmd, NULL, GPG_ERR_TOO_MANY);
  gpgrt_free (cmd);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --format=nosuchformat "
                             "--key-file=%s %s", key1, pack1) >= 0);
  cmd_must_fail (cmd, NULL, GPG_ERR_UNKNOWN_NAME);
  gpgrt_free (cmd);
}
END_TEST


/* No key matches: NOT_FOUND, and the text names the pattern.  */
START_TEST (test_bad_no_match)
{
  char *out;

  ck_assert_int_eq (gpg_err_code (run_cmd (&home_a, 0, "PACK_EXPORT -- "
                                           "nobody@example.invalid",
                                           NULL, NULL)),
                    GPG_ERR_NOT_FOUND);
  ck_assert_int_eq (th_gca (&home_a, "PACK_EXPORT -- nobody@example.invalid\n",
                            &out), 0);
  ck_assert_int_eq (th_gca_errcode (out), GPG_ERR_NOT_FOUND);
  ck_assert_msg (strstr (out, "nobody@example.invalid"),
                 "error text does not name the pattern: %s", out);
  free (out);
}
END_TEST

/* Existing output files are refused without --force.  */
START_TEST (test_bad_exists)
{
  char pack[128], key[128], *before, *after;
  size_t blen, alen;

  ck_assert_int_eq (export_to_files ("", "exists", fpr_ed, NULL, pack, key),
                    0);
  ck_assert_int_eq (th_read_file (pack, &before, &blen), 0);
  ck_assert_int_eq (gpg_err_code (export_to_files ("", "exists", fpr_ed, NULL,
                                                   pack, key)),
                    GPG_ERR_EEXIST);
  ck_assert_int_eq (th_read_file (pack, &after, &alen), 0);
  ck_assert (blen == alen && !memcmp (before, after, blen));
  free (after);
  ck_assert_int_eq (export_to_files ("--force", "exists", fpr_ed, NULL,
                                     pack, key), 0);
  ck_assert_int_eq (th_read_file (pack, &after, &alen), 0);
  ck_assert (blen != alen || memcmp (before, after, blen));
  free (before);
  free (after);
}
END_TEST

START_TEST (test_bad_format_name)
{
  char *cmd;

  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --format=nosuchformat -- %s",
                             fpr_ed) >= 0);
  ck_assert_int_eq (gpg_err_code (run_cmd (&home_a, 0, cmd, NULL, NULL)),
                    GPG_ERR_UNKNOWN_NAME);
  gpgrt_free (cmd);
}
END_TEST

/* Policy deny-secret-export in gpgpackd.conf: secret export FORBIDDEN,
 * public export still fine.  */
START_TEST (test_bad_policy)
{
  th_home_t home_d;
  char *cmd;

  ck_assert_int_eq (th_home_create (&home_d), 0);
  ck_assert_int_eq (th_copy_key (&home_a, &home_d, fpr_ed, 1), 0);
  ck_assert_int_eq (th_home_write (&home_d, "gpgpackd.conf",
                                   "deny-secret-export\n"), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret -- %s", fpr_ed) >= 0);
  ck_assert_int_eq (gpg_err_code (run_cmd (&home_d, 1, cmd, NULL, NULL)),
                    GPG_ERR_FORBIDDEN);
  gpgrt_free (cmd);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT -- %s", fpr_ed) >= 0);
  ck_assert_int_eq (run_cmd (&home_d, 1, cmd, NULL, NULL), 0);
  gpgrt_free (cmd);
  th_home_destroy (&home_d);
}
END_TEST


/* --- concurrency --------------------------------------------------- */

/* One client thread: export fpr_ed from home A, import into *ARG.  */
struct client_job
{
  th_home_t *target;
  pthread_barrier_t *barrier;
  gpg_error_t err;
  int exported, imported;
};

static void *
client_thread (void *arg)
{
  struct client_job *job = arg;
  assuan_context_t ctx = NULL;
  th_reply_t exp, imp;
  char *cmd = NULL, *key = NULL;
  size_t keylen;

  memset (&exp, 0, sizeof exp);
  memset (&imp, 0, sizeof imp);
  pthread_barrier_wait (job->barrier);
  job->err = th_connect (&home_a, &ctx);
  if (!job->err && gpgrt_asprintf (&cmd, "PACK_EXPORT --secret -- %s",
                                   fpr_ed) < 0)
    job->err = gpg_error_from_syserror ();
  if (!job->err)
    job->err = export_streamed (ctx, cmd, NULL, &exp, &key, &keylen);
  assuan_release (ctx);
  ctx = NULL;
  job->exported = th_status_count (exp.status, "EXPORTED");
  if (!job->err)
    job->err = th_connect (job->target, &ctx);
  if (!job->err)
    {
      th_inquiry_t inq[] = { { "PACK", exp.data, exp.datalen },
                             { "KEYFILE", key, keylen }, { NULL } };

      job->err = th_transact (ctx, "PACK_IMPORT", inq, &imp);
    }
  assuan_release (ctx);
  job->imported = th_status_count (imp.status, "IMPORT_OK");
  gpgrt_free (cmd);
  free (key);
  th_reply_free (&exp);
  th_reply_free (&imp);
  return NULL;
}

START_TEST (test_concurrent_clients)
{
  struct client_job jobs[N_CLIENTS];
  pthread_t threads[N_CLIENTS];
  pthread_barrier_t barrier;
  th_home_t home_b;
  int i;

  ck_assert_int_eq (th_home_create (&home_b), 0);
  ck_assert_int_eq (th_daemon_start (&home_b), 0);
  pthread_barrier_init (&barrier, NULL, N_CLIENTS);
  for (i = 0; i < N_CLIENTS; i++)
    {
      memset (&jobs[i], 0, sizeof jobs[i]);
      jobs[i].target = &home_b;
      jobs[i].barrier = &barrier;
      ck_assert_int_eq (pthread_create (&threads[i], NULL, client_thread,
                                        &jobs[i]), 0);
    }
  for (i = 0; i < N_CLIENTS; i++)
    pthread_join (threads[i], NULL);
  pthread_barrier_destroy (&barrier);
  for (i = 0; i < N_CLIENTS; i++)
    {
      ck_assert_msg (!jobs[i].err, "client %d: %s <%s>", i,
                     gpg_strerror (jobs[i].err), gpg_strsource (jobs[i].err));
      ck_assert_int_eq (jobs[i].exported, 1);
      ck_assert_int_eq (jobs[i].imported, 1);
    }
  assert_keyring (&home_b, fpr_ed, fpr_ed);
  th_home_destroy (&home_b);
}
END_TEST


/* A client that hangs in, then drops out of, an INQUIRE does not stop
 * the daemon from serving others.  */
START_TEST (test_disconnect_mid_inquire)
{
  assuan_context_t stuck, ctx;
  th_reply_t reply, imp;
  char *cmd, *line, *key, pid[32];
  size_t linelen, keylen;

  ck_assert_int_eq (th_connect (&home_a, &stuck), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --key-file=%s", key1) >= 0);
  ck_assert_int_eq (assuan_write_line (stuck, cmd), 0);
  gpgrt_free (cmd);
  do
    ck_assert_int_eq (assuan_read_line (stuck, &line, &linelen), 0);
  while (strncmp (line, "INQUIRE ", 8));
  ck_assert_ptr_nonnull (strstr (line, "PACK"));

  /* While STUCK waits, another client gets a whole export done.  */
  ck_assert_int_eq (th_connect (&home_a, &ctx), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --secret -- %s", fpr_ed) >= 0);
  ck_assert_int_eq (export_streamed (ctx, cmd, NULL, &reply, &key, &keylen),
                    0);
  gpgrt_free (cmd);
  assuan_release (ctx);

  /* STUCK hangs up in the middle of its inquiry.  */
  assuan_release (stuck);

  ck_assert_int_eq (th_connect (&home_a, &ctx), 0);
  ck_assert_int_eq (import_inquired (ctx, "--dry-run", reply.data,
                                     reply.datalen, key, keylen, NULL,
                                     &imp), 0);
  ck_assert_int_eq (th_status_count (imp.status, "IMPORT_CANDIDATE"), 1);
  assuan_release (ctx);
  th_reply_free (&imp);
  th_reply_free (&reply);
  free (key);
  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO pid", NULL, &reply), 0);
  snprintf (pid, sizeof pid, "%ld", (long)home_a.daemon_pid);
  ck_assert_str_eq (reply.data, pid);
  th_reply_free (&reply);
}
END_TEST


/* A client that answers an inquiry with CAN ends only its command: the
 * same connection works on.  */
START_TEST (test_cancel_inquiry)
{
  th_inquiry_t cancel[] = { { "PACK", NULL, 0, 1 }, { NULL } };
  assuan_context_t ctx;
  th_reply_t reply;
  char *cmd;

  ck_assert_int_eq (th_connect (&home_a, &ctx), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --dry-run --key-file=%s",
                             key1) >= 0);
  ck_assert_int_eq (gpg_err_code (th_transact (ctx, cmd, cancel, NULL)),
                    GPG_ERR_ASS_CANCELED);
  gpgrt_free (cmd);
  ck_assert_int_eq (th_transact (ctx, "NOP", NULL, NULL), 0);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_IMPORT --dry-run --key-file=%s %s",
                             key1, pack1) >= 0);
  ck_assert_int_eq (th_transact (ctx, cmd, NULL, &reply), 0);
  gpgrt_free (cmd);
  ck_assert_int_eq (th_status_count (reply.status, "IMPORT_CANDIDATE"), 1);
  th_reply_free (&reply);
  assuan_release (ctx);
}
END_TEST


/* A second daemon for a home that has one refuses to start (exit 2) and
 * leaves the first alone.  */
START_TEST (test_second_daemon)
{
  const char *argv[] = { th_prog ("GPGPACKD", "gpgpackd"), "--daemon",
                         "--homedir", home_a.dir, NULL };
  th_reply_t reply;
  char pid[32];

  ck_assert_int_eq (th_run (argv, NULL, NULL, NULL), 2);
  ck_assert_int_eq (run_cmd (&home_a, 0, "GETINFO pid", NULL, &reply), 0);
  snprintf (pid, sizeof pid, "%ld", (long)home_a.daemon_pid);
  ck_assert_str_eq (reply.data, pid);
  th_reply_free (&reply);
}
END_TEST


/* KILLDAEMON stops the daemon, which removes its socket.  */
START_TEST (test_killdaemon)
{
  struct timespec step = { 0, 20 * 1000000L };
  th_home_t home_k;
  struct stat st;
  int i;

  ck_assert_int_eq (th_home_create (&home_k), 0);
  ck_assert_int_eq (th_daemon_start (&home_k), 0);
  ck_assert_int_eq (run_cmd (&home_k, 0, "KILLDAEMON", NULL, NULL), 0);
  for (i = 0; i < 500 && !stat (home_k.socket, &st); i++)
    nanosleep (&step, NULL);
  ck_assert_msg (stat (home_k.socket, &st), "socket still there");
  th_home_destroy (&home_k);
}
END_TEST


/* Another uid (nobody) that can reach the socket is not served.  Needs
 * root to change uid; skipped (passes with a note) otherwise.  The home
 * and its parent are opened up (0711, socket 0666) for the test only.  */
START_TEST (test_peer_uid)
{
  th_home_t home_p;
  char parent[64], *slash;
  assuan_context_t ctx;
  pid_t pid;
  int status;

  if (getuid ())
    {
      printf ("NOTE: peer uid check needs root to switch uid; skipped\n");
      return;
    }
  ck_assert_int_eq (th_home_create (&home_p), 0);
  ck_assert_int_eq (th_daemon_start (&home_p), 0);
  strcpy (parent, home_p.dir);
  slash = strrchr (parent, '/');
  *slash = 0;
  ck_assert_int_eq (chmod (parent, 0711), 0);
  ck_assert_int_eq (chmod (home_p.dir, 0711), 0);
  ck_assert_int_eq (chmod (home_p.socket, 0666), 0);

  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (!pid)
    {
      /* Exit 0 if refused, 1 if served, 2 if we could not switch, 3 if
       * the socket was out of reach (the test would prove nothing).  */
      gpg_error_t err;

      if (setgid (65534) || setuid (65534))
        _exit (2);
      err = th_connect (&home_p, &ctx);
      if (gpg_err_code (err) == GPG_ERR_ASS_CONNECT_FAILED
          || gpg_err_code (err) == GPG_ERR_EACCES
          || gpg_err_code (err) == GPG_ERR_ENOENT)
        _exit (3);
      if (err)
        _exit (0);
      _exit (th_transact (ctx, "GETINFO pid", NULL, NULL) ? 0 : 1);
    }
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  chmod (parent, 0700);
  ck_assert (WIFEXITED (status));
  ck_assert_msg (WEXITSTATUS (status) != 1, "a peer of uid 65534 was served");
  /* Proving nothing is only acceptable where the machine forbids the
   * experiment: no CAP_SETUID, or a socket dir outside the home (e.g.
   * /run/user/0, mode 0700).  */
  if (WEXITSTATUS (status) == 2
      || (WEXITSTATUS (status) == 3
          && strncmp (home_p.socket, home_p.dir, strlen (home_p.dir))))
    printf ("NOTE: peer uid check impossible here (%s); skipped\n",
            WEXITSTATUS (status) == 2 ? "cannot switch uid"
            : "socket dir outside the home");
  else
    ck_assert_int_eq (WEXITSTATUS (status), 0);
  ck_assert_int_eq (run_cmd (&home_p, 0, "NOP", NULL, NULL), 0);
  th_home_destroy (&home_p);
}
END_TEST


/* --- setup --------------------------------------------------------- */

/* Fill home A and make the packs many tests share.  Exits on failure:
 * nothing else can run without them.  */
static void
setup_fixture (void)
{
  th_inquiry_t pp_inq[] = { { "NEW_PASSPHRASE", FILE_PASSPHRASE,
                              strlen (FILE_PASSPHRASE) }, { NULL } };
  th_home_t scratch;


  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_genkey (&home_a, "Alice <alice@example.org>", "ed25519", NULL,
                   fpr_ed));
  TH_SETUP (th_genkey (&home_a, "Bob <bob@example.org>", "ed25519",
                   KEY_PASSPHRASE, fpr_prot));
  TH_SETUP (th_genkey (&home_a, "Carol <carol@example.org>", "rsa2048", NULL,
                   fpr_rsa));
  TH_SETUP (th_home_create (&scratch));
  TH_SETUP (th_genkey (&scratch, "Dave <dave@example.org>", "ed25519", NULL,
                   fpr_pub));
  TH_SETUP (th_copy_key (&scratch, &home_a, fpr_pub, 0));
  th_home_destroy (&scratch);
  TH_SETUP (th_home_create (&home_bad));
  TH_SETUP (th_copy_key (&home_a, &home_bad, fpr_pub, 0));

  snprintf (outdir, sizeof outdir, "%s/out", home_a.dir);
  TH_SETUP (mkdir (outdir, 0700) ? gpg_error_from_syserror () : 0);
  TH_SETUP (th_daemon_start (&home_a));
  TH_SETUP (export_to_files ("--secret", "pack1", fpr_ed, NULL, pack1, key1));
  TH_SETUP (export_to_files ("--secret", "pack2", fpr_ed, NULL, pack2, key2));
  TH_SETUP (export_to_files ("--secret --passphrase", "packpp", fpr_ed, pp_inq,
                         pack_pp, key_pp));
}


static Suite *
daemon_suite (void)
{
  Suite *s = suite_create ("gpgpackd");
  TCase *tc;

  tc = tcase_create ("info");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_getinfo);
  tcase_add_test (tc, test_help);
  tcase_add_test (tc, test_server_pipe);
  tcase_add_test (tc, test_pack_info);
  tcase_add_test (tc, test_second_daemon);
  tcase_add_test (tc, test_killdaemon);
  suite_add_tcase (s, tc);

  tc = tcase_create ("roundtrip");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_roundtrip_public_files);
  tcase_add_test (tc, test_roundtrip_secret_streamed);
  tcase_add_test (tc, test_exclude_no_secret);
  tcase_add_loop_test (tc, test_roundtrip_asking, 0,
                       sizeof asking_roundtrips / sizeof *asking_roundtrips);
  tcase_add_test (tc, test_dry_run);
  tcase_add_test (tc, test_roundtrip_gca);
  tcase_add_test (tc, test_roundtrip_every_format);
  tcase_add_test (tc, test_patterns);
  tcase_add_test (tc, test_pattern_order);
  tcase_add_test (tc, test_import_unchanged);
  suite_add_tcase (s, tc);

  tc = tcase_create ("bad-input");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_bad_missing_file);
  tcase_add_test (tc, test_bad_wrong_keyfile);
  tcase_add_test (tc, test_bad_passphrase);
  tcase_add_test (tc, test_bad_bitflip);
  tcase_add_test (tc, test_bad_bitflip_anywhere);
  tcase_add_test (tc, test_bad_header_mac);
  tcase_add_test (tc, test_bad_truncated);
  tcase_add_test (tc, test_bad_trailing);
  tcase_add_test (tc, test_bad_garbage);
  tcase_add_test (tc, test_bad_keyfile_garbage);
  tcase_add_test (tc, test_bad_no_passphrase);
  tcase_add_test (tc, test_bad_oversize);
  tcase_add_test (tc, test_bad_key_passphrase);
  tcase_add_test (tc, test_bad_usage);
  tcase_add_test (tc, test_bad_export_args);
  tcase_add_test (tc, test_bad_import_args);
  tcase_add_test (tc, test_bad_no_match);
  tcase_add_test (tc, test_bad_exists);
  tcase_add_test (tc, test_bad_format_name);
  tcase_add_test (tc, test_bad_policy);
  suite_add_tcase (s, tc);

  tc = tcase_create ("concurrency");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_concurrent_clients);
  tcase_add_test (tc, test_disconnect_mid_inquire);
  tcase_add_test (tc, test_cancel_inquiry);
  tcase_add_test (tc, test_peer_uid);
  suite_add_tcase (s, tc);

  /* Runs last: looks at what all the exports above left behind.  */
  tc = tcase_create ("aftermath");
  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_no_temp_files_left);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  return th_main (setup_fixture, daemon_suite);
}
