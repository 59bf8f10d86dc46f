/* check_shareexport.c - PACK_EXPORT in share mode against real gpg
 *
 * Home D holds the key to export (Owner), the public keys of three
 * custodians, each generated in a home of its own that keeps the only
 * copy of its secret key, and the bad wrap keys: expired, revoked,
 * sign-only, with an expired encryption subkey, disabled.  Every share must open
 * with stock "gpg --decrypt" in its custodian's home and in no other,
 * be encrypted to that one key only (also with encrypt-to in gpg.conf)
 * and carry the envelope of its index, threshold, pack and custodian.
 * Every refused request leaves no file, no temp file and the keyring
 * as it was.  The native plugin's combine shows that any two of the
 * decrypted shares, and no single one, open the pack.  Skipped (77)
 * when $GPGPACKD or $GPGPACK is missing.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <ctype.h>
#include <unistd.h>
#include <signal.h>
#include <sys/stat.h>
#include <check.h>
#include <gcrypt.h>

#include "ckrun.h"
#include "harness.h"
#include "clirun.h"
#include "pluginload.h"

#ifndef DIM
# define DIM(v) (sizeof (v) / sizeof ((v)[0]))
#endif

#define NCUST 3
/* The dates of the keys made in the past (gpg --faked-system-time).  */
#define PAST "20200101T000000"
#define PAST_LATER "20200101T000100"
#define PAST_EXPIRY "2020-01-02"

static th_home_t home_d;              /* the daemon's home             */
static th_home_t cust[NCUST];         /* one custodian's secret key each */
static const char *const cust_uid[NCUST] =
  { "Alice <alice@example.org>", "Bob <bob@example.org>",
    "Carol <carol@example.org>" };
static char fpr_owner[41];
static char fpr_cust[NCUST][41];
static char subfpr_alice[41];         /* Alice's encryption subkey     */
static char fpr_expired[41], fpr_revoked[41], fpr_signonly[41];
static char fpr_subexpired[41], fpr_disabled[41];
static char *keyring_before;          /* th_list_fprs of home D        */


/* --- helpers ------------------------------------------------------- */

/* Run "$GPG --homedir HOME --batch ARGS..." (NULL-terminated) with
 * STDIN_TEXT; output to R_OUT (may be NULL).  Return the exit status.  */
static int
gpg_run (th_home_t *home, const char *stdin_text, char **r_out, ...)
{
  const char *argv[24];
  va_list ap;
  int argc = 0;

  argv[argc++] = th_prog ("GPG", "gpg");
  argv[argc++] = "--homedir";
  argv[argc++] = home->dir;
  argv[argc++] = "--batch";
  va_start (ap, r_out);
  while ((argv[argc] = va_arg (ap, const char *)))
    argc++;
  va_end (ap);
  return th_run (argv, stdin_text, r_out, NULL);
}

/* The NTH "fpr:" of the colon listing of PATTERN in HOME to R_FPR.  */
static gpg_error_t
listed_fpr (th_home_t *home, const char *pattern, int nth, char r_fpr[41])
{
  char *out = NULL, *p;
  int rc;

  rc = gpg_run (home, NULL, &out, "--with-colons", "--list-keys",
                pattern, NULL);
  for (p = out; !rc && p && (p = strstr (p, "\nfpr:")); p++)
    if (!nth--)
      {
        p = strchr (p, ':');
        if (sscanf (p, ":::::::::%40[0-9A-F]:", r_fpr) == 1)
          {
            free (out);
            return 0;
          }
      }
  free (out);
  return gpg_error (GPG_ERR_NOT_FOUND);
}

/* Make a key for UID in home D with gpg's quick-gen-key ALGO USAGE
 * EXPIRE, created at FAKED_TIME unless NULL; its fingerprint to
 * R_FPR.  */
static gpg_error_t
quick_key (const char *uid, const char *algo, const char *usage,
           const char *expire, const char *faked_time, char r_fpr[41])
{
  int rc;

  if (faked_time)
    rc = gpg_run (&home_d, NULL, NULL, "--passphrase", "", "--pinentry-mode",
                  "loopback", "--faked-system-time", faked_time,
                  "--quick-gen-key", uid, algo, usage, expire, NULL);
  else
    rc = gpg_run (&home_d, NULL, NULL, "--passphrase", "", "--pinentry-mode",
                  "loopback", "--quick-gen-key", uid, algo, usage, expire,
                  NULL);
  if (rc)
    return gpg_error (GPG_ERR_GENERAL);
  return listed_fpr (&home_d, uid, 0, r_fpr);
}

/* Revoke key FPR of home D with the certificate gpg made for it.  */
static gpg_error_t
revoke_key (const char *fpr)
{
  char path[200], *cert, *p;
  size_t len;
  gpg_error_t err;

  snprintf (path, sizeof path, "%s/openpgp-revocs.d/%s.rev", home_d.dir, fpr);
  err = th_read_file (path, &cert, &len);
  if (err)
    return err;
  p = strstr (cert, ":-----BEGIN");   /* gpg's guard against accidents */
  if (p)
    memmove (p, p + 1, strlen (p));
  err = gpg_run (&home_d, cert, NULL, "--import", NULL)
        ? gpg_error (GPG_ERR_GENERAL) : 0;
  free (cert);
  return err;
}

/* Make a fresh empty output directory below home D at PATH.  */
static void
new_outdir (char path[128])
{
  ck_assert_int_eq (th_new_outdir (&home_d, path), 0);
}

/* Number of entries (files, temp files too) in directory PATH.  */
static int
count_entries (const char *path)
{
  int n = th_dir_entries (path);

  ck_assert_int_ge (n, 0);
  return n;
}


/* " --wrap-key=F" for each of the N fingerprints FPRS, malloced.  */
static char *
wrap_opts (const char *const *fprs, int n)
{
  char *s = calloc (n, 64), *p = s;
  int i;

  for (i = 0; i < n; i++)
    p += sprintf (p, " --wrap-key=%s", fprs[i]);
  return s;
}

/* Run COMMAND on home D's daemon; reply to R_REPLY.  */
static gpg_error_t
run_cmd (const char *command, const th_inquiry_t *inq, th_reply_t *r_reply)
{
  assuan_context_t ctx;
  gpg_error_t err;

  ck_assert_int_eq (th_connect (&home_d, &ctx), 0);
  err = th_transact (ctx, command, inq, r_reply);
  assuan_release (ctx);
  return err;
}

/* Assert that the envelope TEXT is that of share INDEX of THRESHOLD
 * for pack PACK_ID (any case) and custodian NAME.  */
static void
assert_envelope (const char *text, const char *pack_id, unsigned int index,
                 unsigned int threshold, const char *name)
{
  char id[33], *head;
  int i;

  for (i = 0; i < 32 && pack_id[i]; i++)
    id[i] = toupper ((unsigned char)pack_id[i]);
  id[i] = 0;
  ck_assert (gpgrt_asprintf (&head, "GPGPACK SHARE 1\nPack: %s\nIndex: %u\n"
                             "Threshold: %u\nGeneration: 1\nFor: %s\n\n", id,
                             index, threshold, name) >= 0);
  ck_assert_msg (text && !strncmp (text, head, strlen (head)),
                 "envelope:\n%s\nexpected to start with:\n%s", text, head);
  gpgrt_free (head);
}

/* Assert that the armored message MSG opens in custodian WHO's home
 * only, and return its plaintext (malloced).  */
static char *
decrypt_share (const char *msg, int who)
{
  char *plain = NULL, *other = NULL;
  int i;

  ck_assert_msg (!strncmp (msg, "-----BEGIN PGP MESSAGE-----", 27),
                 "not an armored message: %.60s", msg);
  for (i = 0; i < NCUST; i++)
    if (i != who)
      {
        ck_assert_int_ne (gpg_run (&cust[i], msg, &other, "--decrypt",
                                   NULL), 0);
        free (other);
      }
  ck_assert_int_eq (gpg_run (&cust[who], msg, &plain, "--decrypt", NULL), 0);
  return plain;
}

/* Assert that MSG is encrypted to exactly one key, Alice's
 * encryption subkey (gpg --list-packets in home D, which has no
 * custodian's secret key).  */
static void
assert_only_alice (const char *msg)
{
  char *out = NULL, *p;
  int n = 0;

  gpg_run (&home_d, msg, &out, "--list-packets", NULL);
  ck_assert_ptr_nonnull (out);
  for (p = out; (p = strstr (p, ":pubkey enc packet:")); p++)
    n++;
  ck_assert_msg (n == 1, "%d recipients:\n%s", n, out);
  ck_assert_msg (strstr (out, subfpr_alice + 24), "not to Alice's"
                 " subkey %s:\n%s", subfpr_alice, out);
  free (out);
}

/* Export Owner's key with the N wrap keys FPRS, threshold T, and
 * EXTRA options into a new directory DIR; return the reply.  */
static void
export_files (char dir[128], const char *const *fprs, int n, int t,
              const char *extra, th_reply_t *reply)
{
  char *cmd, *wraps = wrap_opts (fprs, n);

  new_outdir (dir);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --output-dir=%s --name=p"
                             " --shares=%d --threshold=%d%s %s -- %s", dir,
                             n, t, wraps, extra, fpr_owner) >= 0);
  ck_assert_int_eq (run_cmd (cmd, NULL, reply), 0);
  gpgrt_free (cmd);
  free (wraps);
}

/* Assert status SHARE_CREATED number NTH: share NTH+1 to FPR at
 * DIR/p.share-NTH+1-of-N.asc, mode 0600; return its content.  */
static char *
check_share_file (const th_reply_t *reply, const char *dir, int nth, int n,
                  const char *fpr)
{
  char *args = th_status_get (reply->status, "SHARE_CREATED", nth);
  char *expect, *msg;
  struct stat st;
  size_t len;

  ck_assert (gpgrt_asprintf (&expect, "%d %s %s/p.share-%d-of-%d.asc",
                             nth + 1, fpr, dir, nth + 1, n) >= 0);
  ck_assert_ptr_nonnull (args);
  ck_assert_str_eq (args, expect);
  ck_assert_int_eq (stat (strrchr (expect, ' ') + 1, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);
  ck_assert_int_eq (th_read_file (strrchr (expect, ' ') + 1, &msg, &len), 0);
  free (args);
  gpgrt_free (expect);
  return msg;
}

/* The pack id of REPLY's PACK_CREATED, and assert its paths: the pack
 * in DIR (or "-" if DIR is NULL) and no key file.  Malloced.  */
static char *
check_pack_created (const th_reply_t *reply, const char *dir)
{
  char *args = th_status_get (reply->status, "PACK_CREATED", 0);
  char *id = calloc (1, 65), pack[300], key[300], *expect;

  ck_assert_ptr_nonnull (args);
  ck_assert_int_eq (sscanf (args, "%64s %299s %299s", id, pack, key), 3);
  ck_assert_str_eq (key, "-");
  ck_assert (gpgrt_asprintf (&expect, "%s%s", dir ? dir : "-",
                             dir ? "/p.gpgpack" : "") >= 0);
  ck_assert_str_eq (pack, expect);
  gpgrt_free (expect);
  free (args);
  return id;
}


/* --- share files ----------------------------------------------------- */

/* 2 of 3: three share files, each opens for its custodian only and
 * carries its envelope; no key file, no temp file.  */
START_TEST (test_files_2of3)
{
  const char *fprs[NCUST] = { fpr_cust[0], fpr_cust[1], fpr_cust[2] };
  char dir[128], *msg, *plain, *id;
  th_reply_t reply;
  int i;

  export_files (dir, fprs, NCUST, 2, "", &reply);
  ck_assert_int_eq (th_status_count (reply.status, "SHARE_CREATED"), NCUST);
  ck_assert_int_eq (th_status_count (reply.status, "KEYFILE"), 0);
  id = check_pack_created (&reply, dir);
  for (i = 0; i < NCUST; i++)
    {
      msg = check_share_file (&reply, dir, i, NCUST, fpr_cust[i]);
      plain = decrypt_share (msg, i);
      assert_envelope (plain, id, i + 1, 2, cust_uid[i]);
      if (!i)
        assert_only_alice (msg);
      free (plain);
      free (msg);
    }
  ck_assert_int_eq (count_entries (dir), 2 + NCUST);   /* + NAME.pub.asc */
  free (id);
  th_reply_free (&reply);
  /* PACK_INFO says that the pack needs shares, not a key file.  */
  ck_assert (gpgrt_asprintf (&msg, "PACK_INFO %s/p.gpgpack", dir) >= 0);
  ck_assert_int_eq (run_cmd (msg, NULL, &reply), 0);
  plain = th_status_get (reply.status, "NEEDS", 0);
  ck_assert_str_eq (plain, "shares");
  free (plain);
  gpgrt_free (msg);
  th_reply_free (&reply);
}
END_TEST

/* Combine the encoded shares of the decrypted envelopes ENVS[I] for
 * each I in PICK (N of them) with the pack DIR/p.gpgpack.  */
static gpg_error_t
combine_shares (const gpgpack_format_t *fmt, const char *dir,
                char *const *envs, const int *pick, int n)
{
  gpgpack_blob_t shares[NCUST], key = { NULL, 0 };
  char path[200], *pack;
  size_t len;
  int i, bad;
  gpg_error_t err;

  snprintf (path, sizeof path, "%s/p.gpgpack", dir);
  ck_assert_int_eq (th_read_file (path, &pack, &len), 0);
  for (i = 0; i < n; i++)
    ck_assert_int_eq (fmt->sharing->unwrap (NULL, envs[pick[i]],
                                            strlen (envs[pick[i]]),
                                            &shares[i], NULL), 0);
  err = fmt->sharing->combine (shares, n, pack, len < GPGPACK_PROBE_BYTES
                               ? len : GPGPACK_PROBE_BYTES, &key, &bad);
  ck_assert_uint_eq (key.len, err ? 0 : 32);
  for (i = 0; i < n; i++)
    {
      explicit_bzero (shares[i].data, shares[i].len);
      gcry_free (shares[i].data);
    }
  gcry_free (key.data);
  free (pack);
  return err;
}

/* Any two of the three shares open the pack; one alone does not.  */
START_TEST (test_shares_combine)
{
  const char *fprs[NCUST] = { fpr_cust[0], fpr_cust[1], fpr_cust[2] };
  static const int pairs[3][2] = { { 0, 1 }, { 0, 2 }, { 2, 1 } };
  const gpgpack_format_t *fmt;
  plugin_set_t plugins;
  char dir[128], *msg, *envs[NCUST];
  th_reply_t reply;
  int i;

  ck_assert_int_eq (plugin_load_dir (NULL, &plugins), 0);
  fmt = plugin_find_format (plugins, "native");
  ck_assert_ptr_nonnull (fmt);
  export_files (dir, fprs, NCUST, 2, "", &reply);
  for (i = 0; i < NCUST; i++)
    {
      msg = check_share_file (&reply, dir, i, NCUST, fpr_cust[i]);
      envs[i] = decrypt_share (msg, i);
      free (msg);
    }
  for (i = 0; i < 3; i++)
    ck_assert_int_eq (combine_shares (fmt, dir, envs, pairs[i], 2), 0);
  for (i = 0; i < NCUST; i++)
    ck_assert_int_eq (gpg_err_code (combine_shares (fmt, dir, envs, &i, 1)),
                      GPG_ERR_MISSING_KEY);
  for (i = 0; i < NCUST; i++)
    free (envs[i]);
  plugin_release (plugins);
  th_reply_free (&reply);
}
END_TEST

/* The same key twice with --allow-same-custodian: both its shares
 * open with it, with their own indexes.  */
START_TEST (test_allow_same)
{
  const char *fprs[3] = { fpr_cust[0], fpr_cust[0], fpr_cust[1] };
  char dir[128], *msg, *plain, *id;
  th_reply_t reply;
  int i;

  export_files (dir, fprs, 3, 3, "--allow-same-custodian", &reply);
  id = check_pack_created (&reply, dir);
  for (i = 0; i < 3; i++)
    {
      msg = check_share_file (&reply, dir, i, 3, fprs[i]);
      plain = decrypt_share (msg, i < 2 ? 0 : 1);
      assert_envelope (plain, id, i + 1, 3, cust_uid[i < 2 ? 0 : 1]);
      free (plain);
      free (msg);
    }
  free (id);
  th_reply_free (&reply);
}
END_TEST

/* The wrap keys by INQUIRE WRAP_KEYS (as the CLI sends them), in
 * lower case with CR LF and blank lines.  */
START_TEST (test_inquire_wrap_keys)
{
  char dir[128], *cmd, text[200], *msg, *plain, *id;
  th_inquiry_t inq[2] = { { "WRAP_KEYS", text, 0 }, { NULL } };
  th_reply_t reply;
  int i, j;

  for (i = j = 0; i < NCUST; i++)
    j += sprintf (text + j, "%s\r\n\n", fpr_cust[i]);
  for (i = 0; text[i]; i++)
    text[i] = tolower ((unsigned char)text[i]);
  inq[0].len = j;
  new_outdir (dir);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --output-dir=%s --name=p"
                             " --shares=3 --threshold=3 --inquire-wrap-keys"
                             " %s", dir, fpr_owner) >= 0);
  ck_assert_int_eq (run_cmd (cmd, inq, &reply), 0);
  ck_assert_str_eq (reply.inquiries, "WRAP_KEYS\n");
  id = check_pack_created (&reply, dir);
  for (i = 0; i < NCUST; i++)
    {
      msg = check_share_file (&reply, dir, i, NCUST, fpr_cust[i]);
      plain = decrypt_share (msg, i);
      assert_envelope (plain, id, i + 1, 3, cust_uid[i]);
      free (plain);
      free (msg);
    }
  free (id);
  gpgrt_free (cmd);
  th_reply_free (&reply);
}
END_TEST


/* --- streamed ---------------------------------------------------------- */

#define MAX_PARTS 8

/* The D lines of a streamed export cut at SHARE_BEGIN: part 0 is the
 * pack, part I share I.  */
struct parts
{
  int n;                      /* index of the part being received     */
  int ended;                  /* SHARE_END lines in order             */
  int bad_order;
  char *data[MAX_PARTS];
  size_t len[MAX_PARTS];
  char fpr[MAX_PARTS][65];
  char status[4096];
};

static gpg_error_t
parts_data (void *opaque, const void *buf, size_t len)
{
  struct parts *p = opaque;

  if (p->ended != p->n - (p->n > 0) || p->n >= MAX_PARTS)
    p->bad_order = 1;    /* Data between SHARE_END and SHARE_BEGIN.  */
  if (p->n >= MAX_PARTS)
    return 0;
  p->data[p->n] = realloc (p->data[p->n], p->len[p->n] + len + 1);
  memcpy (p->data[p->n] + p->len[p->n], buf, len);
  p->len[p->n] += len;
  p->data[p->n][p->len[p->n]] = 0;
  return 0;
}

static gpg_error_t
parts_status (void *opaque, const char *line)
{
  struct parts *p = opaque;
  unsigned int index;
  char fpr[65];

  if (sscanf (line, "SHARE_BEGIN %u %64s", &index, fpr) == 2)
    {
      if (index != (unsigned int)p->n + 1 || p->ended != p->n
          || p->n + 1 >= MAX_PARTS)
        p->bad_order = 1;
      else
        strcpy (p->fpr[++p->n], fpr);
    }
  else if (sscanf (line, "SHARE_END %u", &index) == 1)
    {
      if (index != (unsigned int)p->n || p->ended != p->n - 1)
        p->bad_order = 1;
      p->ended++;
    }
  strncat (p->status, line, sizeof p->status - strlen (p->status) - 2);
  strcat (p->status, "\n");
  return 0;
}

/* Without --output-dir: the pack, then each share between SHARE_BEGIN
 * and SHARE_END; no KEYFILE, no SHARE_CREATED, PACK_CREATED with "-".  */
START_TEST (test_streamed)
{
  struct parts p;
  assuan_context_t ctx;
  char *cmd, *wraps, *plain, id[65];
  const char *fprs[NCUST] = { fpr_cust[0], fpr_cust[1], fpr_cust[2] };
  int i;

  memset (&p, 0, sizeof p);
  wraps = wrap_opts (fprs, NCUST);
  ck_assert (gpgrt_asprintf (&cmd, "PACK_EXPORT --name=p --shares=3"
                             " --threshold=2%s %s", wraps, fpr_owner) >= 0);
  ck_assert_int_eq (th_connect (&home_d, &ctx), 0);
  ck_assert_int_eq (assuan_transact (ctx, cmd, parts_data, &p, NULL, NULL,
                                     parts_status, &p), 0);
  assuan_release (ctx);
  ck_assert_msg (!p.bad_order, "status and data out of order:\n%s",
                 p.status);
  ck_assert_int_eq (p.n, NCUST);
  ck_assert_int_eq (p.ended, NCUST);
  ck_assert_ptr_null (strstr (p.status, "KEYFILE"));
  ck_assert_ptr_null (strstr (p.status, "SHARE_CREATED"));
  ck_assert (strstr (p.status, "PACK_CREATED "));
  ck_assert_int_eq (sscanf (strstr (p.status, "PACK_CREATED ") + 13,
                            "%64s - -", id), 1);
  ck_assert_uint_gt (p.len[0], 0);
  ck_assert_uint_ne (p.data[0][0], '-');   /* Binary pack, not armor.  */
  for (i = 0; i < NCUST; i++)
    {
      ck_assert_str_eq (p.fpr[i + 1], fpr_cust[i]);
      plain = decrypt_share (p.data[i + 1], i);
      assert_envelope (plain, id, i + 1, 2, cust_uid[i]);
      ck_assert_ptr_nonnull (strstr (p.data[i + 1], "-----END PGP MESSAGE-----\n"));
      free (plain);
    }
  for (i = 0; i < MAX_PARTS; i++)
    free (p.data[i]);
  gpgrt_free (cmd);
  free (wraps);
}
END_TEST


/* --- refusals ---------------------------------------------------------- */

/* Run "PACK_EXPORT --output-dir=NEW OPTIONS -- Owner" with gpg-connect-
 * agent; assert error CODE with TEXT in its line, nothing in the
 * directory, home D's keyring unchanged.  */
static void
assert_refused (const char *options, gpg_err_code_t code, const char *text)
{
  char dir[128], *script, *out, *after;

  new_outdir (dir);
  ck_assert (gpgrt_asprintf (&script, "PACK_EXPORT --output-dir=%s"
                             " --name=p %s -- %s\n", dir, options,
                             fpr_owner) >= 0);
  ck_assert_int_eq (th_gca (&home_d, script, &out), 0);
  ck_assert_msg (th_gca_errcode (out) == code, "%s: expected %s, got: %s",
                 options, gpg_strerror (code), out);
  th_unescape (out);
  ck_assert_msg (strstr (out, text), "%s: '%s' not in: %s", options, text,
                 out);
  ck_assert_int_eq (count_entries (dir), 0);
  after = th_list_fprs (&home_d, 0);
  ck_assert_str_eq (after, keyring_before);
  free (after);
  free (out);
  gpgrt_free (script);
}

/* Refusals of the numbers and options, with 3 good wrap keys.  */
START_TEST (test_refuse_options)
{
  const char *fprs[4] = { fpr_cust[0], fpr_cust[1], fpr_cust[2],
                          fpr_owner };
  char *w3 = wrap_opts (fprs, 3), *w2 = wrap_opts (fprs, 2);
  char *w4 = wrap_opts (fprs, 4), *opts;
  static const struct { const char *fmt; gpg_err_code_t code;
                        const char *text; } cases[] = {
    { "--threshold=2", GPG_ERR_INV_ARG, "--threshold needs --shares" },
    { "%s", GPG_ERR_INV_ARG, "--wrap-key needs --shares" },
    { "--allow-same-custodian", GPG_ERR_INV_ARG,
      "--allow-same-custodian needs --shares" },
    { "--shares=3%s", GPG_ERR_MISSING_VALUE, "needs --threshold" },
    { "--shares=3 --threshold=4%s", GPG_ERR_INV_VALUE,
      "--threshold=4 is more than --shares=3" },
    { "--shares=3 --threshold=1%s", GPG_ERR_INV_VALUE, "at least 2" },
    { "--shares=3 --threshold=0%s", GPG_ERR_INV_VALUE, "at least 2" },
    { "--shares=256 --threshold=2%s", GPG_ERR_TOO_LARGE, "at most 255" },
    { "--shares=three --threshold=2%s", GPG_ERR_INV_VALUE,
      "--shares=three is not a number" },
    { "--shares=3 --threshold=-2%s", GPG_ERR_INV_VALUE, "not a number" },
    { "--shares=3 --threshold=2 --passphrase%s", GPG_ERR_CONFLICT,
      "leave it out" },
    { "--shares=3 --threshold=2 --format=gfe1%s", GPG_ERR_NOT_SUPPORTED,
      "format 'gfe1' has no share mode" },
  };
  unsigned int i;

  for (i = 0; i < DIM (cases); i++)
    {
      ck_assert (gpgrt_asprintf (&opts, cases[i].fmt, w3) >= 0);
      assert_refused (opts, cases[i].code, cases[i].text);
      gpgrt_free (opts);
    }
  ck_assert (gpgrt_asprintf (&opts, "--shares=3 --threshold=2%s", w2) >= 0);
  assert_refused (opts, GPG_ERR_MISSING_VALUE, "needs 3 --wrap-key, 2 given");
  gpgrt_free (opts);
  ck_assert (gpgrt_asprintf (&opts, "--shares=3 --threshold=2%s", w4) >= 0);
  assert_refused (opts, GPG_ERR_TOO_MANY, "4 --wrap-key given for --shares=3");
  gpgrt_free (opts);
  free (w2);
  free (w3);
  free (w4);
}
END_TEST

/* "--shares=3 --threshold=2" with Alice, Bob and BAD as wrap keys
 * must fail with CODE and a text holding TEXT and (unless NULL) NAME.  */
static void
assert_bad_wrap_key (const char *bad, gpg_err_code_t code, const char *text,
                     const char *name)
{
  char *opts;

  ck_assert (gpgrt_asprintf (&opts, "--shares=3 --threshold=2"
                             " --wrap-key=%s --wrap-key=%s --wrap-key=%s",
                             fpr_cust[0], fpr_cust[1], bad) >= 0);
  assert_refused (opts, code, text);
  if (name)
    assert_refused (opts, code, name);
  gpgrt_free (opts);
}

/* Wrap keys that are not fingerprints or not in the keyring.  */
START_TEST (test_refuse_unknown)
{
  assert_bad_wrap_key (fpr_cust[2] + 24, GPG_ERR_INV_USER_ID,
                       "is not a fingerprint", fpr_cust[2] + 24);
  assert_bad_wrap_key ("carol@example.org", GPG_ERR_INV_USER_ID,
                       "give the full 40 or 64 hex digits", NULL);
  assert_bad_wrap_key ("0123456789ABCDEF0123456789ABCDEF0123456X",
                       GPG_ERR_INV_USER_ID, "not a fingerprint", NULL);
  assert_bad_wrap_key ("0123456789ABCDEF0123456789ABCDEF01234567",
                       GPG_ERR_NO_PUBKEY, "wrap key 0123456789ABCDEF0123"
                       "456789ABCDEF01234567 is not in the keyring", NULL);
  assert_bad_wrap_key (subfpr_alice, GPG_ERR_INV_NAME, "is a subkey of",
                       subfpr_alice);
}
END_TEST

/* Custodian keys that no share may be encrypted to.  */
START_TEST (test_refuse_unusable)
{
  assert_bad_wrap_key (fpr_expired, GPG_ERR_KEY_EXPIRED,
                       "expired on " PAST_EXPIRY, fpr_expired);
  assert_bad_wrap_key (fpr_revoked, GPG_ERR_CERT_REVOKED, "is revoked",
                       fpr_revoked);
  assert_bad_wrap_key (fpr_signonly, GPG_ERR_UNUSABLE_PUBKEY,
                       "has no valid encryption subkey (it can only sign)",
                       fpr_signonly);
  assert_bad_wrap_key (fpr_subexpired, GPG_ERR_UNUSABLE_PUBKEY,
                       "expired on " PAST_EXPIRY, fpr_subexpired);
  assert_bad_wrap_key (fpr_disabled, GPG_ERR_KEY_DISABLED, "is disabled",
                       fpr_disabled);
}
END_TEST

/* A share file in the way: EEXIST naming it, before anything is
 * exported; no other file made.  */
START_TEST (test_refuse_exists)
{
  char dir[128], path[200], *script, *out;

  new_outdir (dir);
  snprintf (path, sizeof path, "%s/p.share-2-of-3.asc", dir);
  ck_assert_int_eq (th_write_file (path, "old\n", 4), 0);
  ck_assert (gpgrt_asprintf (&script, "PACK_EXPORT --output-dir=%s --name=p"
                             " --shares=3 --threshold=2 --wrap-key=%s"
                             " --wrap-key=%s --wrap-key=%s -- %s\n", dir,
                             fpr_cust[0], fpr_cust[1], fpr_cust[2],
                             fpr_owner) >= 0);
  ck_assert_int_eq (th_gca (&home_d, script, &out), 0);
  ck_assert_int_eq (th_gca_errcode (out), GPG_ERR_EEXIST);
  th_unescape (out);
  ck_assert_msg (strstr (out, "p.share-2-of-3.asc' already exists"), "%s",
                 out);
  ck_assert_int_eq (count_entries (dir), 1);
  free (out);
  gpgrt_free (script);
}
END_TEST

/* The same wrap key twice without --allow-same-custodian.  */
START_TEST (test_refuse_duplicate)
{
  char *opts, lower[41];
  int i;

  for (i = 0; i < 41; i++)
    lower[i] = tolower ((unsigned char)fpr_cust[1][i]);
  ck_assert (gpgrt_asprintf (&opts, "--shares=3 --threshold=2"
                             " --wrap-key=%s --wrap-key=%s --wrap-key=%s",
                             fpr_cust[0], fpr_cust[1], lower) >= 0);
  assert_refused (opts, GPG_ERR_DUP_VALUE, "given for shares 2 and 3");
  assert_refused (opts, GPG_ERR_DUP_VALUE, fpr_cust[1]);
  assert_refused (opts, GPG_ERR_DUP_VALUE, "--allow-same-custodian");
  gpgrt_free (opts);
}
END_TEST


/* --- encrypt-to ---------------------------------------------------------- */

/* With "encrypt-to Owner" in gpg.conf the share is still encrypted to
 * its custodian alone.  */
START_TEST (test_no_encrypt_to)
{
  const char *fprs[2] = { fpr_cust[0], fpr_cust[1] };
  char *conf, dir[128], *msg;
  th_reply_t reply;

  ck_assert (gpgrt_asprintf (&conf, "encrypt-to %s\n", fpr_owner) >= 0);
  ck_assert_int_eq (th_home_write (&home_d, "gpg.conf", conf), 0);
  export_files (dir, fprs, 2, 2, "", &reply);
  ck_assert_int_eq (th_home_write (&home_d, "gpg.conf", "\n"), 0);
  msg = check_share_file (&reply, dir, 0, 2, fpr_cust[0]);
  assert_only_alice (msg);
  free (msg);
  gpgrt_free (conf);
  th_reply_free (&reply);
}
END_TEST


/* --- CLI ------------------------------------------------------------------ */

/* gpgpack export --shares: the shares written and listed.  */
START_TEST (test_cli_export)
{
  char dir[128], *out = NULL, *err = NULL, *msg, *plain;
  char line[400], path[200];
  size_t len;
  int i;

  new_outdir (dir);
  ck_assert_int_eq (clirun (&home_d, NULL, &out, &err, "export",
                            "--output-dir", dir, "--name", "p",
                            "--shares", "3", "--threshold", "2",
                            "--wrap-key", fpr_cust[0], "--wrap-key",
                            fpr_cust[1], "--wrap-key", fpr_cust[2],
                            fpr_owner, NULL), 0);
  for (i = 0; i < NCUST; i++)
    {
      snprintf (line, sizeof line, "share %d:  %s/p.share-%d-of-3.asc\n"
                "  for %s\n", i + 1, dir, i + 1, fpr_cust[i]);
      ck_assert_msg (strstr (out, line), "'%s' not in:\n%s", line, out);
      snprintf (path, sizeof path, "%s/p.share-%d-of-3.asc", dir, i + 1);
      ck_assert_int_eq (th_read_file (path, &msg, &len), 0);
      plain = decrypt_share (msg, i);
      free (plain);
      free (msg);
    }
  ck_assert_ptr_null (strstr (out, "key file:"));
  ck_assert_int_eq (count_entries (dir), 2 + NCUST);   /* + NAME.pub.asc */
  free (out);
  free (err);
}
END_TEST

/* Usage errors of share mode: exit 2, one line, nothing written.  */
START_TEST (test_cli_usage)
{
  static const struct { const char *a[6]; const char *text; } cases[] = {
    { { "--threshold", "2" }, "--threshold needs --shares" },
    { { "--shares", "3", "--threshold", "4" }, "--threshold 4: give 2 to 3" },
    { { "--shares", "1", "--threshold", "1" }, "--shares 1: give 2 to 255" },
    { { "--shares", "2" }, "--shares needs --threshold" },
    { { "--shares", "2", "--threshold", "2" },
      "--shares 2 needs 2 --wrap-key, 0 given" },
  };
  char dir[128], *err;
  unsigned int i;

  new_outdir (dir);
  for (i = 0; i < DIM (cases); i++)
    {
      const char *const *a = cases[i].a;

      err = NULL;
      ck_assert_int_eq (clirun (&home_d, NULL, NULL, &err, "export",
                                "--output-dir", dir, fpr_owner, a[0], a[1],
                                a[2], a[3], NULL), 2);
      ck_assert_msg (err && strstr (err, cases[i].text)
                     && strchr (err, '\n') && !strchr (err, '\n')[1],
                     "'%s' not the one line: %s", cases[i].text, err);
      free (err);
    }
  ck_assert_int_eq (count_entries (dir), 0);
}
END_TEST


/* --- setup ------------------------------------------------------------------ */

/* Make the custodians' homes and the bad keys; start home D's daemon.  */
static void
setup_fixture (void)
{
  int i;

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home_d));
  TH_SETUP (th_genkey (&home_d, "Owner <owner@example.org>", "ed25519",
                       NULL, fpr_owner));
  for (i = 0; i < NCUST; i++)
    {
      TH_SETUP (th_home_create (&cust[i]));
      TH_SETUP (th_genkey (&cust[i], cust_uid[i], "ed25519", NULL,
                           fpr_cust[i]));
      TH_SETUP (th_copy_key (&cust[i], &home_d, fpr_cust[i], 0));
    }
  TH_SETUP (listed_fpr (&home_d, fpr_cust[0], 1, subfpr_alice));
  TH_SETUP (quick_key ("Expired <expired@example.org>", "future-default",
                       "default", "1d", PAST, fpr_expired));
  TH_SETUP (quick_key ("Revoked <revoked@example.org>", "future-default",
                       "default", "never", NULL, fpr_revoked));
  TH_SETUP (revoke_key (fpr_revoked));
  TH_SETUP (quick_key ("Signer <signer@example.org>", "ed25519", "sign",
                       "never", NULL, fpr_signonly));
  TH_SETUP (quick_key ("Subexp <subexp@example.org>", "ed25519", "sign",
                       "never", PAST, fpr_subexpired));
  TH_SETUP (gpg_run (&home_d, NULL, NULL, "--faked-system-time", PAST_LATER,
                     "--passphrase", "", "--pinentry-mode", "loopback",
                     "--quick-add-key", fpr_subexpired, "cv25519", "encr",
                     "1d", NULL) ? gpg_error (GPG_ERR_GENERAL) : 0);
  TH_SETUP (quick_key ("Disabled <disabled@example.org>", "future-default",
                       "default", "never", NULL, fpr_disabled));
  TH_SETUP (gpg_run (&home_d, NULL, NULL, "--edit-key", fpr_disabled,
                     "disable", "quit", NULL)
            ? gpg_error (GPG_ERR_GENERAL) : 0);
  keyring_before = th_list_fprs (&home_d, 0);
  TH_SETUP (keyring_before ? 0 : gpg_error (GPG_ERR_GENERAL));
  TH_SETUP (th_daemon_start (&home_d));
}

/* Number of lines in TEXT (the last one may lack its LF).  */
static int
count_lines (const char *text)
{
  int n = 0;

  for (; *text; text++)
    if (*text == '\n' || !text[1])
      n++;
  return n;
}

/* Write gpgpackd.conf with TEXT, SIGHUP the daemon and wait (bounded)
 * until GETINFO policy has WANT_RULES lines.  */
static void
set_policy (const char *text, int want_rules)
{
  th_reply_t reply;
  int i, n = -1;

  ck_assert_int_eq (th_home_write (&home_d, "gpgpackd.conf", text), 0);
  ck_assert_int_eq (kill (home_d.daemon_pid, SIGHUP), 0);
  for (i = 0; i < 500 && n != want_rules; i++)
    {
      if (i)
        th_pause_ms (20);
      ck_assert_int_eq (run_cmd ("GETINFO policy", NULL, &reply), 0);
      n = reply.data ? count_lines (reply.data) : 0;
      th_reply_free (&reply);
    }
  ck_assert_int_eq (n, want_rules);
}

/* gpgpackd.conf's rules for share mode: under deny-secret-export
 * secret keys leave only as shares; a threshold under min-threshold
 * and a wrap key that is no allowed-wrap-key are refused, naming the
 * rule and its line; what the rules allow goes through.  */
START_TEST (test_policy)
{
  const char *allowed[NCUST] = { fpr_cust[0], fpr_cust[1], fpr_cust[2] };
  const char *other[NCUST] = { fpr_cust[0], fpr_cust[1], fpr_owner };
  char *conf, *w_ok = wrap_opts (allowed, NCUST);
  char *w_other = wrap_opts (other, NCUST), *opts, dir[128];
  th_reply_t reply;

  ck_assert (gpgrt_asprintf (&conf, "deny-secret-export\nmin-threshold 3\n"
                             "allowed-wrap-key %s\nallowed-wrap-key %s\n"
                             "allowed-wrap-key %s\n", fpr_cust[0],
                             fpr_cust[1], fpr_cust[2]) >= 0);
  set_policy (conf, 5);
  assert_refused ("--secret", GPG_ERR_FORBIDDEN,
                  "only as shares (--shares) under deny-secret-export");
  ck_assert (gpgrt_asprintf (&opts, "--secret --shares=3 --threshold=2%s",
                             w_ok) >= 0);
  assert_refused (opts, GPG_ERR_FORBIDDEN, "below min-threshold 3");
  assert_refused (opts, GPG_ERR_FORBIDDEN, "gpgpackd.conf:2");
  gpgrt_free (opts);
  ck_assert (gpgrt_asprintf (&opts, "--secret --shares=3 --threshold=3%s",
                             w_other) >= 0);
  assert_refused (opts, GPG_ERR_FORBIDDEN, fpr_owner);
  assert_refused (opts, GPG_ERR_FORBIDDEN, "allowed-wrap-key");
  gpgrt_free (opts);
  export_files (dir, allowed, NCUST, 3, "--secret", &reply);
  ck_assert_int_eq (th_status_count (reply.status, "SHARE_CREATED"), NCUST);
  th_reply_free (&reply);
  set_policy ("", 0);
  gpgrt_free (conf);
  free (w_ok);
  free (w_other);
}
END_TEST

static Suite *
shareexport_suite (void)
{
  Suite *s = suite_create ("shareexport");
  TCase *tc;

  tc = tcase_create ("export");
  tcase_add_test (tc, test_files_2of3);
  tcase_add_test (tc, test_shares_combine);
  tcase_add_test (tc, test_allow_same);
  tcase_add_test (tc, test_inquire_wrap_keys);
  tcase_add_test (tc, test_streamed);
  tcase_add_test (tc, test_no_encrypt_to);
  suite_add_tcase (s, tc);

  tc = tcase_create ("refusals");
  tcase_add_test (tc, test_refuse_options);
  tcase_add_test (tc, test_refuse_unknown);
  tcase_add_test (tc, test_refuse_unusable);
  tcase_add_test (tc, test_refuse_duplicate);
  tcase_add_test (tc, test_refuse_exists);
  tcase_add_test (tc, test_policy);
  suite_add_tcase (s, tc);

  tc = tcase_create ("cli");
  tcase_add_test (tc, test_cli_export);
  tcase_add_test (tc, test_cli_usage);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return clirun_main ("check_shareexport", setup_fixture, shareexport_suite);
}
