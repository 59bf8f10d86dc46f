/* check_shareinfo.c - SHARE_INFO, SHARE_FORWARD and their CLI with real gpg
 *
 * Home A is custodian Bob's machine: Bob's key with its secret part, the
 * public keys of Carol (another custodian, home C), Dave (the machine a
 * share is forwarded to, home D) and of keys no share may go to
 * (expired, revoked, sign-only).  The pack and its 2-of-3 shares are
 * made in the setup by the native plugin, each share's envelope
 * encrypted by gpg (GPGME) to its custodian's key as gpgpackd's export
 * does: share 1 and 3 for Bob, share 2 for Carol.  Home P has a
 * passphrase-protected custodian key and the recording pinentry
 * (pinentry-record.sh).  One test takes the shares of a real
 * PACK_EXPORT --shares instead, forwards two of them to Dave and
 * imports the pack with those in home D.
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
#include <gpgme.h>
#include <gcrypt.h>
#include <check.h>

#include "ckrun.h"
#include "clirun.h"
#include "packbuf.h"

#define BOB   "Bob <bob@example.org>"
#define CAROL "Carol <carol@example.org>"
#define PAT_PASS "custodian pass"
#define NSHARES 3

static th_home_t home_a, home_c, home_d, home_p;
static char fpr_bob[41], fpr_carol[41], fpr_dave[41], fpr_pat[41];
static char fpr_expired[41], fpr_signonly[41], fpr_revoked[41];
static char pack_id[33];
static char *envelope_1;                  /* share 1 decrypted by gpg */
static char script[PATH_MAX];             /* pinentry-record.sh */


/* --- making keys, packs and shares --------------------------------- */

/* "DIR/NAME" of HOME in one of four static buffers.  */
static const char *
home_file (th_home_t *home, const char *name)
{
  return clirun_path (home->dir, name);
}

/* "DIR/NAME" of HOME in BUF, for a path kept across other calls.  */
static const char *
home_path (char buf[128], th_home_t *home, const char *name)
{
  snprintf (buf, 128, "%s/%s", home->dir, name);
  return buf;
}

/* A GPGME context on HOME's keyring, armored, at R_CTX.  */
static gpg_error_t
home_gpgme (th_home_t *home, gpgme_ctx_t *r_ctx)
{
  gpg_error_t err = gpgme_new (r_ctx);

  if (!err)
    err = gpgme_ctx_set_engine_info (*r_ctx, GPGME_PROTOCOL_OpenPGP,
                                     NULL, home->dir);
  if (!err)
    gpgme_set_armor (*r_ctx, 1);
  return err;
}

/* Run gpg in HOME with the arguments ARGS (NULL-terminated, at most
 * 16); its output to R_OUT (may be NULL).  Returns gpg's status.  */
static int
run_gpg (th_home_t *home, char **r_out, ...)
{
  const char *argv[24] = { th_prog ("GPG", "gpg"), "--homedir", home->dir,
                           "--batch", "--no-tty" };
  int argc = 5;
  va_list ap;

  va_start (ap, r_out);
  while (argc < 23 && (argv[argc] = va_arg (ap, const char *)))
    argc++;
  va_end (ap);
  argv[argc] = NULL;
  return th_run (argv, NULL, r_out, NULL);
}

/* Make in HOME with gpg's --quick-gen-key a key UID of ALGO, USAGE
 * and EXPIRE, created at FAKED_TIME (NULL: now), fingerprint to
 * R_FPR.  */
static gpg_error_t
cli_genkey (th_home_t *home, const char *uid, const char *algo,
            const char *usage, const char *expire, const char *faked_time,
            char r_fpr[41])
{
  char *out = NULL, *fpr;
  int rc;

  if (faked_time)
    rc = run_gpg (home, NULL, "--faked-system-time", faked_time,
                  "--pinentry-mode", "loopback", "--passphrase", "",
                  "--quick-gen-key", uid, algo, usage, expire, NULL);
  else
    rc = run_gpg (home, NULL, "--pinentry-mode", "loopback", "--passphrase",
                  "", "--quick-gen-key", uid, algo, usage, expire, NULL);
  if (!rc)
    rc = run_gpg (home, &out, "--with-colons", "--list-keys", uid, NULL);
  fpr = out ? strstr (out, "\nfpr:::::::::") : NULL;
  if (!rc && fpr && strlen (fpr) > 53)
    snprintf (r_fpr, 41, "%s", fpr + 13);
  free (out);
  return !rc && fpr ? 0 : gpg_error (GPG_ERR_GENERAL);
}

/* Revoke FPR of HOME with the revocation certificate gpg made for it.  */
static gpg_error_t
revoke_key (th_home_t *home, const char *fpr)
{
  char name[128], *cert;
  size_t len;
  gpg_error_t err;
  char *colon;

  snprintf (name, sizeof name, "openpgp-revocs.d/%s.rev", fpr);
  err = th_read_file (home_file (home, name), &cert, &len);
  if (err)
    return err;
  /* gpg puts a colon before the armor line against accidents.  */
  colon = strstr (cert, ":-----BEGIN");
  if (colon)
    memmove (colon, colon + 1, strlen (colon));
  err = th_write_file (home_file (home, "revoke.asc"), cert, strlen (cert));
  free (cert);
  if (!err && run_gpg (home, NULL, "--import", home_file (home, "revoke.asc"),
                       NULL))
    err = gpg_error (GPG_ERR_GENERAL);
  return err;
}

/* Host service for the setup, encrypting as gpgpackd does: each item
 * with real gpg in the home OPAQUE to exactly its key.  */
static gpg_error_t
gpg_encrypt (void *opaque, unsigned int n, const char *const *fprs,
             const gpgpack_blob_t *items, gpgpack_blob_t *r_msgs)
{
  gpgme_ctx_t ctx;
  gpgme_key_t keys[2] = { NULL, NULL };
  gpgme_data_t plain = NULL, cipher = NULL;
  gpg_error_t err;
  unsigned int i;
  size_t len;
  char *mem;

  err = home_gpgme (opaque, &ctx);
  for (i = 0; i < n && !err; i++)
    {
      err = gpgme_get_key (ctx, fprs[i], &keys[0], 0);
      if (!err)
        err = gpgme_data_new_from_mem (&plain, (const char *) items[i].data,
                                       items[i].len, 0);
      if (!err)
        err = gpgme_data_new (&cipher);
      if (!err)
        err = gpgme_op_encrypt (ctx, keys, GPGME_ENCRYPT_ALWAYS_TRUST
                                | GPGME_ENCRYPT_NO_ENCRYPT_TO, plain, cipher);
      mem = err ? NULL : gpgme_data_release_and_get_mem (cipher, &len);
      cipher = NULL;
      if (mem)
        {
          r_msgs[i].data = gcry_xmalloc (len);
          memcpy (r_msgs[i].data, mem, len);
          r_msgs[i].len = len;
          gpgme_free (mem);
        }
      gpgme_data_release (cipher);
      gpgme_data_release (plain);
      gpgme_key_unref (keys[0]);
      plain = cipher = NULL;
      keys[0] = NULL;
    }
  gpgme_release (ctx);
  return err;
}

/* Host service the plugin requires of a host; wrap never calls it.  */
static gpg_error_t
no_decrypt (void *opaque, const void *msg, size_t len, gpgpack_blob_t *r_data)
{
  (void)opaque; (void)msg; (void)len; (void)r_data;
  return gpg_error (GPG_ERR_NOT_IMPLEMENTED);
}

/* Seal a native pack as FILE in home A's out directory; its raw file
 * key to KEY, its pack id to PACK_ID unless NULL.  */
static gpg_error_t
make_pack (const char *file, packbuf_t *pack, gpgpack_blob_t *key)
{
  gpgpack_seal_params_t params;
  gpg_error_t err;

  memset (&params, 0, sizeof params);
  params.raw_key = 1;
  memset (pack, 0, sizeof *pack);
  err = packbuf_seal (packbuf_native (), &params, "keys", 4, 0, pack, key);
  if (!err)
    err = th_write_file (home_file (&home_a, file), pack->data, pack->len);
  return err;
}

/* The pack pack.gpgpack, another one other.gpgpack, and the shares
 * share-I.asc of pack.gpgpack, wrapped to FPRS (share I to FPRS[I-1],
 * encrypted in HOME) in home A's out directory, and in HOME's for the
 * shares.  */
static gpg_error_t
make_shares (th_home_t *home, const char *prefix, const char *const *fprs,
             const char *const *custodians, unsigned int n)
{
  const gpgpack_format_t *fmt = packbuf_native ();
  gpgpack_host_t host = { GPGPACK_HOST_VERSION, sizeof host, home,
                          gpg_encrypt, no_decrypt };
  gpgpack_wrap_params_t p;
  gpgpack_blob_t key = { NULL }, msgs[NSHARES] = { { NULL } };
  gpgpack_info_t info;
  packbuf_t pack;
  char name[64];
  gpg_error_t err;
  unsigned int i;

  snprintf (name, sizeof name, "out/%s.gpgpack", prefix);
  err = make_pack (name, &pack, &key);
  if (!err)
    err = fmt->info (pack.data, pack.len, &info);
  if (!err && !strcmp (prefix, "pack"))
    memcpy (pack_id, info.pack_id, sizeof pack_id);
  memset (&p, 0, sizeof p);
  p.host = &host;
  p.key = key.data;
  p.keylen = key.len;
  p.pack_head = pack.data;
  p.headlen = pack.len;
  p.generation = 1;
  p.threshold = 2;
  p.nshares = n;
  p.wrap_fprs = fprs;
  p.custodians = custodians;
  if (!err)
    err = fmt->sharing->wrap (&p, msgs);
  for (i = 0; i < n && !err; i++)
    {
      snprintf (name, sizeof name, "out/%s-%u.asc", prefix, i + 1);
      err = th_write_file (home_file (home, name), msgs[i].data, msgs[i].len);
    }
  for (i = 0; i < n; i++)
    packbuf_blob_free (&msgs[i]);
  packbuf_blob_free (&key);
  packbuf_free (&pack);
  return err;
}

/* Home P: the recording pinentry, Pat's protected key, a share of the
 * pack for Pat as out/pat-1.asc, its daemon.  */
static gpg_error_t
make_pin_home (void)
{
  const char *fprs[2] = { fpr_pat, fpr_pat };
  const char *names[2] = { "Pat", "Pat" };
  char *conf;
  gpg_error_t err;

  err = th_home_create (&home_p);
  if (!err && symlink (script, home_file (&home_p, "pinentry")))
    err = gpg_error_from_syserror ();
  conf = gpgrt_bsprintf ("pinentry-program %s\nallow-loopback-pinentry\n"
                         "default-cache-ttl 0\nmax-cache-ttl 0\n",
                         home_file (&home_p, "pinentry"));
  if (!err && conf)
    err = th_home_write (&home_p, "gpg-agent.conf", conf);
  gpgrt_free (conf);
  if (!err)
    err = th_genkey (&home_p, "Pat <pat@example.org>", "ed25519", PAT_PASS,
                     fpr_pat);
  if (!err && mkdir (home_file (&home_p, "out"), 0700))
    err = gpg_error_from_syserror ();
  if (!err)
    err = make_shares (&home_p, "pat", fprs, names, 2);
  if (!err)
    err = th_daemon_start (&home_p);
  return err;
}

/* Bob's, Carol's and Dave's keys in their homes, the public ones in A,
 * the keys no share may go to.  */
static gpg_error_t
make_keys (void)
{
  gpg_error_t err;

  err = th_genkey (&home_a, BOB, "ed25519", NULL, fpr_bob);
  if (!err)
    err = th_genkey (&home_c, CAROL, "ed25519", NULL, fpr_carol);
  if (!err)
    err = th_genkey (&home_d, "Dave <dave@example.org>", "ed25519", NULL,
                     fpr_dave);
  if (!err)
    err = th_copy_key (&home_c, &home_a, fpr_carol, 0);
  if (!err)
    err = th_copy_key (&home_d, &home_a, fpr_dave, 0);
  if (!err)
    err = cli_genkey (&home_a, "Old <old@example.org>", "future-default",
                      "default", "1d", "20200101T000000", fpr_expired);
  if (!err)
    err = cli_genkey (&home_a, "Signer <signer@example.org>", "ed25519",
                      "sign", "never", NULL, fpr_signonly);
  if (!err)
    err = cli_genkey (&home_a, "Gone <gone@example.org>", "future-default",
                      "default", "never", NULL, fpr_revoked);
  if (!err)
    err = revoke_key (&home_a, fpr_revoked);
  return err;
}

static void
setup_fixture (void)
{
  const char *fprs[NSHARES] = { fpr_bob, fpr_carol, fpr_bob };
  const char *names[NSHARES] = { BOB, CAROL, BOB };
  char *name, *srcdir = getenv ("srcdir");

  TH_SETUP (th_init ());
  name = gpgrt_bsprintf ("%s/pinentry-record.sh", srcdir ? srcdir : ".");
  TH_SETUP (name && realpath (name, script) ? 0 : gpg_error_from_syserror ());
  gpgrt_free (name);
  TH_SETUP (th_home_create (&home_a));
  TH_SETUP (th_home_create (&home_c));
  TH_SETUP (th_home_create (&home_d));
  TH_SETUP (mkdir (home_file (&home_a, "out"), 0700)
            ? gpg_error_from_syserror () : 0);
  TH_SETUP (make_keys ());
  TH_SETUP (make_shares (&home_a, "pack", fprs, names, NSHARES));
  TH_SETUP (make_shares (&home_a, "other", fprs, names, 2));
  TH_SETUP (run_gpg (&home_a, &envelope_1, "--decrypt",
                     home_file (&home_a, "out/pack-1.asc"), NULL)
            ? gpg_error (GPG_ERR_GENERAL) : 0);
  TH_SETUP (th_write_file (home_file (&home_a, "out/env-1.txt"), envelope_1,
                           strlen (envelope_1)));
  TH_SETUP (th_daemon_start (&home_a));
  TH_SETUP (th_daemon_start (&home_d));
  TH_SETUP (make_pin_home ());
}


/* --- Assuan helpers ------------------------------------------------ */

/* Run COMMAND (printf format) on HOME's daemon; status lines and data
 * to REPLY; INQ answers inquiries.  */
static gpg_error_t
run_on (th_home_t *home, const th_inquiry_t *inq, th_reply_t *reply,
        const char *fmt, ...)
{
  va_list ap;
  char *cmd;
  gpg_error_t err;

  memset (reply, 0, sizeof *reply);   /* Freed even if connecting fails. */
  va_start (ap, fmt);
  cmd = gpgrt_vbsprintf (fmt, ap);
  va_end (ap);
  ck_assert_ptr_nonnull (cmd);
  err = th_command (home, 0, cmd, inq, reply);
  gpgrt_free (cmd);
  return err;
}

/* Assert that ERR has CODE.  */
#define assert_code(err, code) do {                                     \
    gpg_error_t e_ = (err);                                             \
    ck_assert_msg (gpg_err_code (e_) == (code), "expected %s, got %s",   \
                   gpg_strerror (gpg_error (code)), gpg_strerror (e_)); \
  } while (0)

/* Assert that status KEYWORD of REPLY is VALUE.  */
static void
assert_status (const th_reply_t *reply, const char *keyword,
               const char *value)
{
  char *got = th_status_get (reply->status, keyword, 0);

  ck_assert_msg (got && !strcmp (got, value), "%s: expected '%s', got '%s'",
                 keyword, value, got ? got : "(none)");
  free (got);
}

/* The SHARE_INFO line expected for share INDEX of the pack.  */
static const char *
info_line (unsigned int index)
{
  static char line[64];

  snprintf (line, sizeof line, "%s %u 2 1", pack_id, index);
  return line;
}

/* The error text of the last command on HOME's daemon, as
 * gpg-connect-agent shows it, for COMMAND.  */
static char *
error_text (th_home_t *home, const char *command)
{
  char *script_text = gpgrt_bsprintf ("%s\n", command), *out = NULL;

  ck_assert_ptr_nonnull (script_text);
  th_gca (home, script_text, &out);
  gpgrt_free (script_text);
  ck_assert_ptr_nonnull (out);
  return out;
}

/* Assert that COMMAND on HOME fails with CODE and a text with NEEDLE
 * (on the ERR line or, when longer, the ERROR_TEXT status).  */
static void
assert_refused (th_home_t *home, const char *command, gpg_err_code_t code,
                const char *needle)
{
  char *out = error_text (home, command);

  th_unescape (out);

  ck_assert_msg (th_gca_errcode (out) == code, "expected %s: %s",
                 gpg_strerror (gpg_error (code)), out);
  ck_assert_msg (strstr (out, needle), "'%s' not in: %s", needle, out);
  free (out);
}

/* Write TEXT as NAME in home A's out directory; return its path.  */
static const char *
out_file (const char *name, const char *text)
{
  const char *path = home_file (&home_a, name);

  ck_assert_int_eq (th_write_file (path, text, strlen (text)), 0);
  return path;
}


/* --- SHARE_INFO ---------------------------------------------------- */

START_TEST (test_info_encrypted)
{
  th_reply_t reply;

  assert_code (run_on (&home_a, NULL, &reply, "SHARE_INFO %s",
                       home_file (&home_a, "out/pack-1.asc")), 0);
  assert_status (&reply, "SHARE_INFO", info_line (1));
  assert_status (&reply, "SHARE_CUSTODIAN", "Bob%20<bob@example.org>");
  assert_status (&reply, "SHARE_WRAPPED", fpr_bob);
  ck_assert_int_eq (th_status_count (reply.status, "SHARE_PACK"), 0);
  th_reply_free (&reply);

  assert_code (run_on (&home_a, NULL, &reply, "SHARE_INFO %s",
                       home_file (&home_a, "out/pack-3.asc")), 0);
  assert_status (&reply, "SHARE_INFO", info_line (3));
  th_reply_free (&reply);
}
END_TEST

START_TEST (test_info_decrypted)
{
  th_inquiry_t inq[] = { { "SHARE", envelope_1, strlen (envelope_1) },
                         { NULL } };
  th_reply_t reply;

  ck_assert_ptr_nonnull (strstr (envelope_1, "GPGPACK SHARE 1\n"));
  assert_code (run_on (&home_a, NULL, &reply, "SHARE_INFO %s",
                       home_file (&home_a, "out/env-1.txt")), 0);
  assert_status (&reply, "SHARE_INFO", info_line (1));
  assert_status (&reply, "SHARE_WRAPPED", "-");
  th_reply_free (&reply);

  /* The same, inquired; in home D, which has no key of the share.  */
  assert_code (run_on (&home_d, inq, &reply, "SHARE_INFO"), 0);
  ck_assert_str_eq (reply.inquiries, "SHARE\n");
  assert_status (&reply, "INQUIRE_MAXLEN", "65536");
  assert_status (&reply, "SHARE_INFO", info_line (1));
  assert_status (&reply, "SHARE_CUSTODIAN", "Bob%20<bob@example.org>");
  assert_status (&reply, "SHARE_WRAPPED", "-");
  th_reply_free (&reply);
}
END_TEST

START_TEST (test_info_pack)
{
  th_reply_t reply;

  assert_code (run_on (&home_a, NULL, &reply, "SHARE_INFO --pack=%s %s",
                       home_file (&home_a, "out/pack.gpgpack"),
                       home_file (&home_a, "out/pack-1.asc")), 0);
  assert_status (&reply, "SHARE_PACK", "match");
  th_reply_free (&reply);

  assert_code (run_on (&home_a, NULL, &reply, "SHARE_INFO --pack=%s %s",
                       home_file (&home_a, "out/other.gpgpack"),
                       home_file (&home_a, "out/pack-1.asc")), 0);
  assert_status (&reply, "SHARE_INFO", info_line (1));
  assert_status (&reply, "SHARE_PACK", "mismatch");
  th_reply_free (&reply);

  /* A pack that is not one.  */
  assert_code (run_on (&home_a, NULL, &reply, "SHARE_INFO --pack=%s %s",
                       home_file (&home_a, "out/env-1.txt"),
                       home_file (&home_a, "out/pack-1.asc")),
               GPG_ERR_INV_DATA);
  th_reply_free (&reply);
}
END_TEST

START_TEST (test_info_corrupt)
{
  char *bad = strdup (envelope_1), *body, *cmd;
  const char *path;

  ck_assert_ptr_nonnull (bad);
  /* A hex digit of the share flipped: its checksum no longer matches. */
  body = strstr (bad, "\n\n");
  ck_assert_ptr_nonnull (body);
  body[62] = body[62] == 'A' ? 'B' : 'A';    /* In the key's share.  */
  path = out_file ("out/flipped.txt", bad);
  cmd = gpgrt_bsprintf ("SHARE_INFO %s", path);
  assert_refused (&home_a, cmd, GPG_ERR_BAD_DATA, "flipped.txt");
  assert_refused (&home_a, cmd, GPG_ERR_BAD_DATA, "checksum");
  gpgrt_free (cmd);
  free (bad);

  /* The header text altered: the share itself is intact.  */
  bad = strdup (envelope_1);
  ck_assert_ptr_nonnull (strstr (bad, "Index: 1\n"));
  strstr (bad, "Index: 1\n")[7] = '3';
  path = out_file ("out/altered.txt", bad);
  cmd = gpgrt_bsprintf ("SHARE_INFO %s", path);
  assert_refused (&home_a, cmd, GPG_ERR_INV_PACKET, "altered.txt");
  gpgrt_free (cmd);
  free (bad);

  /* Neither an envelope nor an OpenPGP message.  */
  cmd = gpgrt_bsprintf ("SHARE_INFO %s", out_file ("out/junk.txt", "junk\n"));
  assert_refused (&home_a, cmd, GPG_ERR_NO_DATA, "junk.txt");
  gpgrt_free (cmd);

  /* An OpenPGP message to Bob that holds no envelope.  */
  ck_assert_int_eq (run_gpg (&home_a, NULL, "--trust-model", "always",
                             "--armor", "--recipient", fpr_bob, "--output",
                             home_file (&home_a, "out/letter.asc"),
                             "--encrypt", home_file (&home_a, "out/junk.txt"),
                             NULL), 0);
  cmd = gpgrt_bsprintf ("SHARE_INFO %s",
                        home_file (&home_a, "out/letter.asc"));
  assert_refused (&home_a, cmd, GPG_ERR_INV_DATA, "not a share envelope");
  gpgrt_free (cmd);
}
END_TEST

START_TEST (test_info_not_here)
{
  char *cmd = gpgrt_bsprintf ("SHARE_INFO %s",
                              home_file (&home_a, "out/pack-2.asc"));
  char *text = gpgrt_bsprintf ("is encrypted to %s; its custodian must"
                               " decrypt it", fpr_carol);
  th_reply_t reply;

  assert_refused (&home_a, cmd, GPG_ERR_NO_SECKEY, text);
  /* Carol's own machine opens it.  */
  assert_code (th_daemon_start (&home_c), 0);
  assert_code (run_on (&home_c, NULL, &reply, "SHARE_INFO %s",
                       home_file (&home_a, "out/pack-2.asc")), 0);
  assert_status (&reply, "SHARE_INFO", info_line (2));
  assert_status (&reply, "SHARE_CUSTODIAN", "Carol%20<carol@example.org>");
  assert_status (&reply, "SHARE_WRAPPED", fpr_carol);
  th_reply_free (&reply);
  gpgrt_free (text);
  gpgrt_free (cmd);
}
END_TEST

START_TEST (test_info_pinentry)
{
  char log_path_buf[128];
  const char *log_path = home_path (log_path_buf, &home_p, "pinentry.log");
  char *log = NULL;
  size_t len;
  th_reply_t reply;

  unlink (log_path);
  ck_assert_int_eq (th_write_file (home_file (&home_p, "pinentry.pass"),
                                   PAT_PASS "\n", strlen (PAT_PASS) + 1), 0);
  assert_code (run_on (&home_p, NULL, &reply, "SHARE_INFO %s",
                       home_file (&home_p, "out/pat-1.asc")), 0);
  assert_status (&reply, "SHARE_WRAPPED", fpr_pat);
  assert_status (&reply, "SHARE_CUSTODIAN", "Pat");
  th_reply_free (&reply);
  ck_assert_int_eq (th_read_file (log_path, &log, &len), 0);
  ck_assert_msg (strstr (log, "GETPIN\n"), "pinentry not asked: %s", log);
  free (log);

  /* Cancelled at the pinentry.  */
  ck_assert_int_eq (th_write_file (home_file (&home_p, "pinentry.cancel"),
                                   "", 0), 0);
  assert_code (run_on (&home_p, NULL, &reply, "SHARE_INFO %s",
                       home_file (&home_p, "out/pat-2.asc")),
               GPG_ERR_CANCELED);
  th_reply_free (&reply);
  unlink (home_file (&home_p, "pinentry.cancel"));
}
END_TEST


/* --- SHARE_FORWARD ------------------------------------------------- */

/* gpg --decrypt of FILE in HOME, malloced (NULL if it fails).  */
static char *
gpg_decrypt (th_home_t *home, const char *file)
{
  char *out = NULL;

  if (run_gpg (home, &out, "--decrypt", file, NULL))
    {
      free (out);
      return NULL;
    }
  return out;
}

START_TEST (test_forward_file)
{
  char fwd_buf[128];
  const char *fwd = home_path (fwd_buf, &home_a, "out/fwd-1.asc");
  char *plain;
  struct stat st;
  th_reply_t reply;
  char *expect;

  unlink (fwd);
  assert_code (run_on (&home_a, NULL, &reply,
                       "SHARE_FORWARD --to=%s --output=%s %s", fpr_dave, fwd,
                       home_file (&home_a, "out/pack-1.asc")), 0);
  expect = gpgrt_bsprintf ("%s %s", fpr_dave, fwd);
  assert_status (&reply, "SHARE_FORWARDED", expect);
  gpgrt_free (expect);
  ck_assert_int_eq (reply.datalen, 0);
  th_reply_free (&reply);
  ck_assert_int_eq (stat (fwd, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);

  /* Dave's machine: stock gpg shows the same envelope ...  */
  plain = gpg_decrypt (&home_d, fwd);
  ck_assert_ptr_nonnull (plain);
  ck_assert_str_eq (plain, envelope_1);
  free (plain);
  /* ... Bob's key no longer opens it ...  */
  ck_assert_ptr_null (gpg_decrypt (&home_a, fwd));
  /* ... and it is the same share there.  */
  assert_code (run_on (&home_d, NULL, &reply, "SHARE_INFO %s", fwd), 0);
  assert_status (&reply, "SHARE_INFO", info_line (1));
  assert_status (&reply, "SHARE_CUSTODIAN", "Bob%20<bob@example.org>");
  assert_status (&reply, "SHARE_WRAPPED", fpr_dave);
  th_reply_free (&reply);

  /* Not over an existing file.  */
  assert_code (run_on (&home_a, NULL, &reply,
                       "SHARE_FORWARD --to=%s --output=%s %s", fpr_dave, fwd,
                       home_file (&home_a, "out/pack-1.asc")),
               GPG_ERR_EEXIST);
  th_reply_free (&reply);
}
END_TEST

START_TEST (test_forward_data)
{
  th_inquiry_t inq[] = { { "SHARE", envelope_1, strlen (envelope_1) },
                         { NULL } };
  char fwd_buf[128];
  const char *fwd = home_path (fwd_buf, &home_a, "out/fwd-data.asc");
  th_reply_t reply;
  char *plain, *expect;

  /* The decrypted envelope, inquired, goes out as D lines.  */
  assert_code (run_on (&home_a, inq, &reply, "SHARE_FORWARD --to=%s",
                       fpr_dave), 0);
  ck_assert_msg (!strncmp (reply.data, "-----BEGIN PGP MESSAGE-----", 27),
                 "data: %s", reply.data);
  expect = gpgrt_bsprintf ("%s -", fpr_dave);
  assert_status (&reply, "SHARE_FORWARDED", expect);
  gpgrt_free (expect);
  ck_assert_int_eq (th_write_file (fwd, reply.data, reply.datalen), 0);
  th_reply_free (&reply);
  plain = gpg_decrypt (&home_d, fwd);
  ck_assert_ptr_nonnull (plain);
  ck_assert_str_eq (plain, envelope_1);
  free (plain);
}
END_TEST

START_TEST (test_forward_refused)
{
  static const struct
  {
    const char *to;             /* NULL: fpr_* below */
    const char **fpr;
    gpg_err_code_t code;
    const char *text;
  } cases[] =
    {
      { "0123456789ABCDEF0123456789ABCDEF01234567", NULL, GPG_ERR_NO_PUBKEY,
        "is not in the keyring" },
      { "0123456789ABCDEF", NULL, GPG_ERR_INV_USER_ID,
        "is not a fingerprint" },
      { NULL, NULL, GPG_ERR_KEY_EXPIRED, "expired on 2020-01-02" },
      { NULL, NULL, GPG_ERR_CERT_REVOKED, "is revoked" },
      { NULL, NULL, GPG_ERR_UNUSABLE_PUBKEY, "has no valid encryption subkey" }
    };
  const char *fprs[] = { NULL, NULL, fpr_expired, fpr_revoked, fpr_signonly };
  char fwd_buf[128];
  const char *fwd = home_path (fwd_buf, &home_a, "out/refused.asc");
  char *before = th_list_fprs (&home_a, 0), *after, *cmd;
  unsigned int i;

  for (i = 0; i < sizeof cases / sizeof *cases; i++)
    {
      const char *to = cases[i].to ? cases[i].to : fprs[i];

      cmd = gpgrt_bsprintf ("SHARE_FORWARD --to=%s --output=%s %s", to, fwd,
                            home_file (&home_a, "out/pack-1.asc"));
      assert_refused (&home_a, cmd, cases[i].code, cases[i].text);
      assert_refused (&home_a, cmd, cases[i].code, to);
      ck_assert_msg (access (fwd, F_OK), "%s made %s", to, fwd);
      gpgrt_free (cmd);
    }
  cmd = gpgrt_bsprintf ("SHARE_FORWARD --output=%s %s", fwd,
                        home_file (&home_a, "out/pack-1.asc"));
  assert_refused (&home_a, cmd, GPG_ERR_MISSING_VALUE, "--to=FPR");
  gpgrt_free (cmd);
  cmd = gpgrt_bsprintf ("SHARE_FORWARD --to=%s --output=out/x.asc %s",
                        fpr_dave, home_file (&home_a, "out/pack-1.asc"));
  assert_refused (&home_a, cmd, GPG_ERR_INV_NAME, "not an absolute");
  gpgrt_free (cmd);
  after = th_list_fprs (&home_a, 0);
  ck_assert_str_eq (before, after);
  free (before);
  free (after);
}
END_TEST


/* --- shares PACK_EXPORT made ---------------------------------------- */

/* Forward share INDEX of the pack exp.gpgpack from home A to Dave as
 * exp-fwd-INDEX.asc, and check it in home D against PACK: the line
 * EXPECT; the forwarded file's path to FWD.  */
static void
forward_exported (unsigned int index, const char *pack, const char *expect,
                  char fwd[128])
{
  char share_buf[128], name[64];
  th_reply_t reply;

  snprintf (name, sizeof name, "out/exp.share-%u-of-3.asc", index);
  home_path (share_buf, &home_a, name);
  snprintf (name, sizeof name, "out/exp-fwd-%u.asc", index);
  home_path (fwd, &home_a, name);
  assert_code (run_on (&home_a, NULL, &reply, "SHARE_FORWARD --to=%s"
                       " --output=%s %s", fpr_dave, fwd, share_buf), 0);
  th_reply_free (&reply);
  assert_code (run_on (&home_d, NULL, &reply, "SHARE_INFO --pack=%s %s",
                       pack, fwd), 0);
  assert_status (&reply, "SHARE_INFO", expect);
  assert_status (&reply, "SHARE_WRAPPED", fpr_dave);
  assert_status (&reply, "SHARE_PACK", "match");
  th_reply_free (&reply);
}

START_TEST (test_exported_share)
{
  char pack_buf[128], fwd1[128], fwd3[128], *id, *expect, *fprs;
  const char *pack = home_path (pack_buf, &home_a, "out/exp.gpgpack");
  th_reply_t reply;

  /* Carol's public key, 2 of 3 shares, 1 and 3 for Bob.  */
  assert_code (run_on (&home_a, NULL, &reply, "PACK_EXPORT --shares=3"
                       " --threshold=2 --wrap-key=%s --wrap-key=%s"
                       " --wrap-key=%s --allow-same-custodian"
                       " --output-dir=%s --name=exp -- %s", fpr_bob,
                       fpr_carol, fpr_bob, home_file (&home_a, "out"),
                       fpr_carol), 0);
  th_reply_free (&reply);
  assert_code (run_on (&home_a, NULL, &reply, "PACK_INFO %s", pack), 0);
  id = th_status_get (reply.status, "PACK_ID", 0);
  ck_assert_ptr_nonnull (id);
  th_reply_free (&reply);

  assert_code (run_on (&home_a, NULL, &reply, "SHARE_INFO --pack=%s %s",
                       pack, home_file (&home_a, "out/exp.share-1-of-3.asc")),
               0);
  expect = gpgrt_bsprintf ("%s 1 2 1", id);
  assert_status (&reply, "SHARE_INFO", expect);
  assert_status (&reply, "SHARE_CUSTODIAN", "Bob%20<bob@example.org>");
  assert_status (&reply, "SHARE_WRAPPED", fpr_bob);
  assert_status (&reply, "SHARE_PACK", "match");
  th_reply_free (&reply);
  forward_exported (1, pack, expect, fwd1);
  gpgrt_free (expect);
  expect = gpgrt_bsprintf ("%s 3 2 1", id);
  forward_exported (3, pack, expect, fwd3);

  /* The two forwarded shares open the pack on Dave's machine.  */
  assert_code (run_on (&home_d, NULL, &reply, "PACK_IMPORT --share=%s"
                       " --share=%s %s", fwd1, fwd3, pack), 0);
  th_reply_free (&reply);
  fprs = th_list_fprs (&home_d, 0);
  ck_assert_ptr_nonnull (strstr (fprs, fpr_carol));
  free (fprs);
  gpgrt_free (expect);
  free (id);
}
END_TEST


/* --- the CLI ------------------------------------------------------- */

START_TEST (test_cli_share_info)
{
  char *out = NULL, *err = NULL, *expect;
  char pack_buf[128];
  const char *pack = home_path (pack_buf, &home_a, "out/pack.gpgpack");
  int rc;

  rc = clirun (&home_a, NULL, &out, &err, "share-info", "--pack", pack,
               home_file (&home_a, "out/pack-1.asc"), NULL);
  ck_assert_msg (rc == 0, "rc %d: %s", rc, err);
  expect = gpgrt_bsprintf ("share 1 of pack %s, 2 needed, generation 1,"
                           " for " BOB ", encrypted to %s, intact, belongs"
                           " to %s\n", pack_id, fpr_bob, pack);
  ck_assert_str_eq (out, expect);
  gpgrt_free (expect);
  free (out);
  free (err);

  /* Another pack: the facts, then one error line.  */
  pack = home_path (pack_buf, &home_a, "out/other.gpgpack");
  rc = clirun (&home_a, NULL, &out, &err, "share-info", "--pack", pack,
               home_file (&home_a, "out/env-1.txt"), NULL);
  ck_assert_int_eq (rc, 1);
  ck_assert_ptr_nonnull (strstr (out, ", intact, does NOT belong to"));
  ck_assert_msg (strchr (err, '\n') && !strchr (err, '\n')[1]
                 && strstr (err, "of another pack"), "stderr: %s", err);
  free (out);
  free (err);

  /* A share this keyring cannot open: one line naming the key.  */
  rc = clirun (&home_a, NULL, &out, &err, "share-info",
               home_file (&home_a, "out/pack-2.asc"), NULL);
  ck_assert_int_eq (rc, 1);
  ck_assert_str_eq (out, "");
  ck_assert_msg (strchr (err, '\n') && !strchr (err, '\n')[1]
                 && strstr (err, fpr_carol), "stderr: %s", err);
  free (out);
  free (err);
}
END_TEST

START_TEST (test_cli_share_forward)
{
  char fwd_buf[128];
  const char *fwd = home_path (fwd_buf, &home_a, "out/cli-fwd.asc");
  char *out = NULL, *err = NULL, *plain;
  int rc;

  unlink (fwd);
  rc = clirun (&home_a, NULL, &out, &err, "share-forward",
               home_file (&home_a, "out/pack-3.asc"), "--to", fpr_dave,
               "-o", fwd, NULL);
  ck_assert_msg (rc == 0, "rc %d: %s", rc, err);
  ck_assert_str_eq (out, "");
  free (out);
  free (err);
  plain = gpg_decrypt (&home_d, fwd);
  ck_assert_ptr_nonnull (plain);
  ck_assert_ptr_nonnull (strstr (plain, "Index: 3\n"));
  free (plain);

  /* To standard output.  */
  rc = clirun (&home_a, NULL, &out, &err, "share-forward",
               home_file (&home_a, "out/pack-3.asc"), "--to", fpr_dave, NULL);
  ck_assert_int_eq (rc, 0);
  ck_assert_msg (!strncmp (out, "-----BEGIN PGP MESSAGE-----\n", 28),
                 "stdout: %s", out);
  free (out);
  free (err);

  /* Without --to: a usage error.  */
  rc = clirun (&home_a, NULL, NULL, &err, "share-forward",
               home_file (&home_a, "out/pack-3.asc"), NULL);
  ck_assert_int_eq (rc, 2);
  ck_assert_ptr_nonnull (strstr (err, "needs --to FPR"));
  free (err);
}
END_TEST


static Suite *
shareinfo_suite (void)
{
  Suite *s = suite_create ("shareinfo");
  TCase *tc = tcase_create ("custodian");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_info_encrypted);
  tcase_add_test (tc, test_info_decrypted);
  tcase_add_test (tc, test_info_pack);
  tcase_add_test (tc, test_info_corrupt);
  tcase_add_test (tc, test_info_not_here);
  tcase_add_test (tc, test_info_pinentry);
  tcase_add_test (tc, test_forward_file);
  tcase_add_test (tc, test_forward_data);
  tcase_add_test (tc, test_forward_refused);
  tcase_add_test (tc, test_exported_share);
  tcase_add_test (tc, test_cli_share_info);
  tcase_add_test (tc, test_cli_share_forward);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return clirun_main ("check_shareinfo", setup_fixture, shareinfo_suite);
}
