/* check_robust.c - odd paths, files that are no files, error texts
 *
 * Integration tests with the real daemon (harness.h): an output
 * directory and a name holding a blank, '%' and '+' come back
 * percent-escaped in every status line that names a file (seen raw
 * through gpg-connect-agent and libassuan) and whole in what the CLI
 * prints and gpgpack-gtk's status parser keeps, one too long for a
 * status line refused before anything is written; a FIFO or a device
 * named where the daemon reads a file is refused at once with its own
 * error, the daemon still answering and the keyring unchanged; a GPGME
 * client gets the text of every error as status ERROR_TEXT; a daemon
 * that finds no gpg says so and what to check; an inquiry answered
 * with a broken %-escape is refused and does not hang the daemon.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <gpgme.h>
#include <check.h>

#include "ckrun.h"
#include "clirun.h"
#include "guilogic.h"
#include "argline.h"

#define TEST_TIMEOUT 120      /* seconds; a hang fails by this timeout */

/* Assert that the gpg-error ERR has the code WANT (any source).  */
#define assert_code(err, want) \
  ck_assert_str_eq (gpg_strerror (gpg_err_code (err)), \
                    gpg_strerror (gpg_error (want)))

static th_home_t home;        /* Rob's key and a daemon */
static char fpr[41];
static char packdir[128];     /* an ordinary export of Rob's key */
static char fifo[128];        /* a FIFO nobody writes to */


/* A new directory "a b%c+d" inside a new output directory of HOME; its
 * name goes to DIR, percent-escaped to ESCAPED (may be NULL).  */
static void
odd_dir (char dir[160], char escaped[200])
{
  char out[128];

  ck_assert_int_eq (th_new_outdir (&home, out), 0);
  snprintf (dir, 160, "%s/a b%%c+d", out);
  if (escaped)
    snprintf (escaped, 200, "%s/a%%20b%%25c%%2Bd", out);
  ck_assert_int_eq (mkdir (dir, 0700), 0);
}

/* Assert that PATH names a regular file.  */
static void
assert_file (const char *path)
{
  struct stat st;

  ck_assert_msg (!stat (path, &st) && S_ISREG (st.st_mode),
                 "no file '%s'", path);
}

/* Assert that word WORD (from 0) of the args of the NTH status line
 * KEYWORD in STATUS, percent-unescaped, is DIR/NAME, a file.  */
static void
assert_status_path (const char *status, const char *keyword, int nth,
                    int word, const char *dir, const char *name)
{
  char *args = th_status_get (status, keyword, nth);
  char *p, *want;
  int i;

  ck_assert_msg (args != NULL, "no status %s #%d in:\n%s", keyword, nth,
                 status);
  for (p = args, i = 0; i < word && p; i++)
    p = strchr (p, ' ') ? strchr (p, ' ') + 1 : NULL;
  ck_assert_msg (p != NULL, "%s: no word %d in '%s'", keyword, word, args);
  p[strcspn (p, " ")] = 0;
  th_unescape (p);
  want = gpgrt_bsprintf ("%s/%s", dir, name);
  ck_assert_str_eq (p, want);
  assert_file (p);
  gpgrt_free (want);
  free (args);
}


/* The raw PACK_CREATED and PUBKEYS lines of an export into an odd
 * directory under an odd name, as gpg-connect-agent shows them.  */
START_TEST (test_paths_raw)
{
  char dir[160], esc[200], *script, *out = NULL, *line, *want;

  odd_dir (dir, esc);
  script = gpgrt_bsprintf ("PACK_EXPORT --output-dir=%s --name=my%%20pack"
                           " -- %s\n", esc, fpr);
  ck_assert_int_eq (th_gca (&home, script, &out), 0);
  line = strstr (out, "S PACK_CREATED ");
  ck_assert_msg (line != NULL, "no PACK_CREATED in:\n%s", out);
  want = gpgrt_bsprintf (" %s/my%%20pack.gpgpack %s/my%%20pack.key\n",
                         esc, esc);
  line += strlen ("S PACK_CREATED ") + strcspn (line + 15, " ");
  ck_assert_msg (!strncmp (line, want, strlen (want)),
                 "want '%s' in:\n%s", want, out);
  gpgrt_free (want);
  want = gpgrt_bsprintf ("S PUBKEYS %s/my%%20pack.pub.asc\n", esc);
  ck_assert_msg (strstr (out, want) != NULL, "want '%s' in:\n%s", want, out);
  assert_file (th_path (dir, "my pack.gpgpack"));
  assert_file (th_path (dir, "my pack.key"));
  gpgrt_free (want);
  gpgrt_free (script);
  free (out);
}
END_TEST


/* A path that would not fit on a status line once escaped is refused
 * before anything is written: libassuan would cut PACK_CREATED short
 * without telling.  */
START_TEST (test_path_too_long)
{
  char dir[160], *longdir, *esc, *cmd, *before, *after;
  th_reply_t reply;
  gpg_error_t err;

  odd_dir (dir, NULL);
  longdir = gpgrt_bsprintf ("%s/%0*d", dir, 150, 0);
  memset (longdir + strlen (dir) + 1, ' ', 150);
  ck_assert_int_eq (mkdir (longdir, 0700), 0);
  esc = percent_escape (longdir);
  cmd = gpgrt_bsprintf ("PACK_EXPORT --output-dir=%s -- %s", esc, fpr);
  before = th_keyring_state (&home);
  err = th_command (&home, 0, cmd, NULL, &reply);
  assert_code (err, GPG_ERR_ENAMETOOLONG);
  ck_assert_int_eq (th_dir_entries (longdir), 0);
  after = th_keyring_state (&home);
  ck_assert_str_eq (before, after);
  free (after);
  free (before);
  th_reply_free (&reply);
  gpgrt_free (cmd);
  gpgrt_free (esc);
  gpgrt_free (longdir);
}
END_TEST


/* Export Rob's key as 2 signed shares into DIR as "s p" with
 * libassuan; the reply goes to REPLY.  */
static void
export_shares (const char *dir, th_reply_t *reply)
{
  char *dir_esc = percent_escape (dir);
  char *cmd;

  ck_assert_ptr_nonnull (dir_esc);
  cmd = gpgrt_bsprintf ("PACK_EXPORT --secret --output-dir=%s --name=s%%20p"
                        " --shares=2 --threshold=2 --wrap-key=%s"
                        " --wrap-key=%s --allow-same-custodian"
                        " --sign-key=%s -- %s", dir_esc, fpr, fpr, fpr, fpr);
  ck_assert_int_eq (th_command (&home, 0, cmd, NULL, reply), 0);
  gpgrt_free (cmd);
  gpgrt_free (dir_esc);
}

/* Every path of a signed share export, seen raw with libassuan and as
 * gpgpack-gtk's parser keeps it.  */
START_TEST (test_paths_shares)
{
  char dir[160], *copy, *line, *args;
  gui_result_t res;
  th_reply_t reply;

  odd_dir (dir, NULL);
  export_shares (dir, &reply);
  assert_status_path (reply.status, "SHARE_CREATED", 0, 2, dir,
                      "s p.share-1-of-2.asc");
  assert_status_path (reply.status, "SHARE_CREATED", 1, 2, dir,
                      "s p.share-2-of-2.asc");
  assert_status_path (reply.status, "PUBKEYS", 0, 0, dir, "s p.pub.asc");
  assert_status_path (reply.status, "SIGNED", 0, 1, dir, "s p.gpgpack.sig");
  assert_status_path (reply.status, "PACK_CREATED", 0, 1, dir,
                      "s p.gpgpack");

  memset (&res, 0, sizeof res);
  copy = strdup (reply.status);
  for (line = strtok (copy, "\n"); line; line = strtok (NULL, "\n"))
    {
      args = strchr (line, ' ');
      if (args)
        *args++ = 0;
      ck_assert_int_eq (gui_result_status (&res, line, args ? args : ""),
                        0);
    }
  ck_assert_int_eq (res.nshares, 2);
  ck_assert_str_eq (res.share_paths[1],
                    th_path (dir, "s p.share-2-of-2.asc"));
  ck_assert_str_eq (res.pack_path, th_path (dir, "s p.gpgpack"));
  ck_assert_str_eq (res.pubkeys_path, th_path (dir, "s p.pub.asc"));
  ck_assert_ptr_null (res.key_path);
  gui_result_release (&res);
  free (copy);
  th_reply_free (&reply);
}
END_TEST


/* Assert that the CLI's output OUT names DIR/NAME.  */
static void
assert_printed (const char *out, const char *dir, const char *name)
{
  const char *path = th_path (dir, name);

  ck_assert_msg (out && strstr (out, path), "'%s' not in:\n%s", path, out);
  assert_file (path);
}

/* gpgpack export, share-refresh and share-forward print the odd paths
 * whole.  */
START_TEST (test_paths_cli)
{
  char dir[160], dir2[160], *out = NULL, *err = NULL;
  th_reply_t reply;

  odd_dir (dir, NULL);
  ck_assert_int_eq (clirun (&home, NULL, &out, NULL, "export",
                            "--output-dir", dir, "--name", "my pack", fpr,
                            NULL), 0);
  assert_printed (out, dir, "my pack.gpgpack");
  assert_printed (out, dir, "my pack.key");
  free (out);

  odd_dir (dir, NULL);
  export_shares (dir, &reply);
  th_reply_free (&reply);
  odd_dir (dir2, NULL);
  ck_assert_int_eq (clirun (&home, NULL, &out, NULL, "share-refresh",
                            th_path (dir, "s p.gpgpack"),
                            "--share", th_path (dir, "s p.share-1-of-2.asc"),
                            "--share", th_path (dir, "s p.share-2-of-2.asc"),
                            "--output-dir", dir2, "--name", "n q", "--rekey",
                            "--allow-same-custodian", NULL), 0);
  assert_printed (out, dir2, "n q.gpgpack");
  assert_printed (out, dir2, "n q.share-2-of-2.asc");
  free (out);

  ck_assert_int_eq (clirun (&home, NULL, NULL, &err, "share-forward",
                            th_path (dir, "s p.share-1-of-2.asc"),
                            "--to", fpr, "--output",
                            th_path (dir2, "f w.asc"), NULL), 0);
  assert_printed (err, dir2, "f w.asc");
  free (err);
}
END_TEST


/* Run COMMAND (printf-style, one %s: PATH) on the daemon: it must fail
 * at once with GPG_ERR_EINVAL, its ERROR_TEXT naming PATH as no regular
 * file; the keyring unchanged and the daemon still answering.  */
static void
assert_no_file (const char *command, const char *path)
{
  char *before = th_keyring_state (&home), *after, *text, *want, *cmd;
  th_reply_t reply;

  cmd = gpgrt_bsprintf (command, path);
  assert_code (th_command (&home, 0, cmd, NULL, &reply),
                  GPG_ERR_EINVAL);
  text = th_status_get (reply.status, "ERROR_TEXT", 0);
  ck_assert_msg (text != NULL, "%s: no ERROR_TEXT in:\n%s", cmd,
                 reply.status);
  th_unescape (text);
  want = gpgrt_bsprintf ("'%s' is not a regular file", path);
  ck_assert_msg (!strncmp (text, want, strlen (want)),
                 "%s: want '%s...', got '%s'", cmd, want, text);
  ck_assert_int_eq (th_command (&home, 0, "GETINFO pid", NULL, NULL), 0);
  after = th_keyring_state (&home);
  ck_assert_str_eq (before, after);
  free (after);
  free (before);
  free (text);
  gpgrt_free (want);
  gpgrt_free (cmd);
  th_reply_free (&reply);
}

/* A FIFO (which a blocking open would wait on for ever) and a device,
 * wherever a command names a file to read.  */
START_TEST (test_fifo)
{
  char *pack = gpgrt_bsprintf ("%s/p.gpgpack", packdir);
  char *key = gpgrt_bsprintf ("%s/p.key", packdir);
  char *cmd;

  assert_no_file ("PACK_INFO %s", fifo);
  assert_no_file ("PACK_INFO %s", "/dev/zero");
  assert_no_file ("PACK_IMPORT %s", fifo);
  assert_no_file ("SHARE_INFO %s", fifo);
  assert_no_file ("SHARE_INFO %s", "/dev/null");
  cmd = gpgrt_bsprintf ("PACK_IMPORT --key-file=%%s %s", pack);
  assert_no_file (cmd, fifo);
  gpgrt_free (cmd);
  cmd = gpgrt_bsprintf ("PACK_IMPORT --key-file=%s --expect-file=%%s %s",
                        key, pack);
  assert_no_file (cmd, fifo);
  gpgrt_free (cmd);
  cmd = gpgrt_bsprintf ("PACK_IMPORT --key-file=%s --verify-key=%s"
                        " --signature=%%s %s", key, fpr, pack);
  assert_no_file (cmd, fifo);
  gpgrt_free (cmd);
  cmd = gpgrt_bsprintf ("PACK_IMPORT --share=%s/s.share-1-of-2.asc"
                        " --share=%%s %s/s.gpgpack", packdir, packdir);
  assert_no_file (cmd, fifo);
  gpgrt_free (cmd);
  cmd = gpgrt_bsprintf ("SHARE_REFRESH --share=%%s --share=%s"
                        "/s.share-2-of-2.asc -- %s/s.gpgpack", packdir,
                        packdir);
  assert_no_file (cmd, fifo);
  gpgrt_free (cmd);
  gpgrt_free (pack);
  gpgrt_free (key);
}
END_TEST


/* An inquiry answered with one raw D line.  */
struct raw_answer
{
  assuan_context_t ctx;
  const char *line;
};

/* Inquiry callback: send the raw line of OPAQUE, as no libassuan
 * client would (assuan_send_data escapes every '%').  */
static gpg_error_t
raw_answer_cb (void *opaque, const char *inquiry)
{
  struct raw_answer *answer = opaque;

  (void)inquiry;
  return assuan_write_line (answer->ctx, answer->line);
}

/* A D line with a '%' not followed by two hex digits, answering the
 * inquiry of PACK_IMPORT: libassuan's assuan_inquire would loop
 * forever on the first two; the daemon refuses each with its own
 * error and still serves this client and others.  A "%25" passes.  */
START_TEST (test_inquiry_broken_escape)
{
  static const char *const lines[] = { "D GPGPACK%", "d ab%4", "D %zz%41" };
  struct raw_answer answer;
  assuan_context_t ctx, other;
  th_reply_t reply;
  gpg_error_t err;
  int i;

  ck_assert_int_eq (th_connect (&home, &ctx), 0);
  answer.ctx = ctx;
  for (i = 0; i < 3; i++)
    {
      answer.line = lines[i];
      err = assuan_transact (ctx, "PACK_IMPORT --dry-run", NULL, NULL,
                             raw_answer_cb, &answer, NULL, NULL);
      assert_code (err, GPG_ERR_ASS_SYNTAX);
      ck_assert_int_eq (th_transact (ctx, "GETINFO pid", NULL, &reply), 0);
      th_reply_free (&reply);
    }
  answer.line = "D %25";
  err = assuan_transact (ctx, "PACK_IMPORT --dry-run", NULL, NULL,
                         raw_answer_cb, &answer, NULL, NULL);
  ck_assert_int_ne (gpg_err_code (err), GPG_ERR_ASS_SYNTAX);
  ck_assert_int_ne (err, 0);
  ck_assert_int_eq (th_connect (&home, &other), 0);
  ck_assert_int_eq (th_transact (other, "GETINFO version", NULL, &reply), 0);
  th_reply_free (&reply);
  assuan_release (other);
  assuan_release (ctx);
}
END_TEST


/* Status callback of a GPGME client: keep the ERROR_TEXT.  */
static gpgme_error_t
on_status (void *opaque, const char *keyword, const char *args)
{
  char **text = opaque;

  if (!strcmp (keyword, "ERROR_TEXT"))
    {
      free (*text);
      *text = strdup (args);
    }
  return 0;
}

/* COMMAND through GPGME's Assuan engine: the daemon's error at
 * R_ERR, the unescaped ERROR_TEXT (malloced) returned.  */
static char *
gpgme_error_text (const char *command, gpgme_error_t *r_err)
{
  gpgme_ctx_t ctx;
  char *text = NULL;

  ck_assert_int_eq (gpgme_new (&ctx), 0);
  ck_assert_int_eq (gpgme_set_protocol (ctx, GPGME_PROTOCOL_ASSUAN), 0);
  ck_assert_int_eq (gpgme_ctx_set_engine_info (ctx, GPGME_PROTOCOL_ASSUAN,
                                               home.socket, NULL), 0);
  ck_assert_int_eq (gpgme_op_assuan_transact_ext (ctx, command, NULL, NULL,
                                                  NULL, NULL, on_status,
                                                  &text, r_err), 0);
  gpgme_release (ctx);
  if (text)
    th_unescape (text);
  return text;
}

/* A GPGME client sees only the code of an ERR line: a short text too
 * comes as ERROR_TEXT.  */
START_TEST (test_gpgme_text)
{
  gpgme_error_t err;
  char *text, *want;

  text = gpgme_error_text ("GETINFO nonsense", &err);
  assert_code (err, GPG_ERR_ASS_PARAMETER);
  ck_assert_str_eq (text, "unknown value for WHAT: use version, pid,"
                    " socket_name, formats, commands or policy");
  free (text);

  want = gpgrt_bsprintf ("PACK_INFO %s", fifo);
  text = gpgme_error_text (want, &err);
  gpgrt_free (want);
  assert_code (err, GPG_ERR_EINVAL);
  want = gpgrt_bsprintf ("'%s' is not a regular file (a FIFO, device or"
                         " socket): give a regular file", fifo);
  ck_assert_str_eq (text, want);
  gpgrt_free (want);
  free (text);

  text = gpgme_error_text ("NOP", &err);
  ck_assert_int_eq (err, 0);
  ck_assert_ptr_null (text);
}
END_TEST


/* A daemon whose PATH holds no gpg: PACK_EXPORT says what to check
 * instead of GPGME's bare "Invalid crypto engine".  */
START_TEST (test_no_gpg)
{
  th_home_t bare;
  char *path = strdup (getenv ("PATH") ? getenv ("PATH") : "");
  char *cmd, *text;
  th_reply_t reply;

  ck_assert_int_eq (th_home_create (&bare), 0);
  ck_assert_int_eq (setenv ("PATH", "/nonexistent", 1), 0);
  ck_assert_int_eq (th_daemon_start (&bare), 0);
  ck_assert_int_eq (setenv ("PATH", path, 1), 0);
  free (path);
  cmd = gpgrt_bsprintf ("PACK_EXPORT -- %s", fpr);
  assert_code (th_command (&bare, 0, cmd, NULL, &reply),
                  GPG_ERR_INV_ENGINE);
  text = th_status_get (reply.status, "ERROR_TEXT", 0);
  ck_assert_ptr_nonnull (text);
  th_unescape (text);
  ck_assert_msg (!strncmp (text, "gpg not found or not usable", 27)
                 && strstr (text, "gpgconf --list-components"),
                 "text: %s", text);
  free (text);
  gpgrt_free (cmd);
  th_reply_free (&reply);
  th_home_destroy (&bare);
}
END_TEST


/* Rob's key, a daemon, in PACKDIR an export with a key file (p.*)
 * and one as 2 shares (s.*), a FIFO.  */
static void
setup (void)
{
  char *cmd;

  TH_SETUP (th_init ());
  TH_SETUP (th_home_create (&home));
  TH_SETUP (th_genkey (&home, "Rob <rob@example.org>", "ed25519", NULL,
                       fpr));
  TH_SETUP (th_daemon_start (&home));
  TH_SETUP (th_new_outdir (&home, packdir));
  cmd = gpgrt_bsprintf ("PACK_EXPORT --secret --output-dir=%s --name=p"
                        " --sign-key=%s -- %s", packdir, fpr, fpr);
  TH_SETUP (cmd ? th_command (&home, 0, cmd, NULL, NULL)
            : gpg_error_from_syserror ());
  gpgrt_free (cmd);
  cmd = gpgrt_bsprintf ("PACK_EXPORT --secret --output-dir=%s --name=s"
                        " --shares=2 --threshold=2 --wrap-key=%s"
                        " --wrap-key=%s --allow-same-custodian -- %s",
                        packdir, fpr, fpr, fpr);
  TH_SETUP (cmd ? th_command (&home, 0, cmd, NULL, NULL)
            : gpg_error_from_syserror ());
  gpgrt_free (cmd);
  snprintf (fifo, sizeof fifo, "%s/fifo", home.dir);
  TH_SETUP (mkfifo (fifo, 0600) ? gpg_error_from_syserror () : 0);
}


static Suite *
robust_suite (void)
{
  Suite *s = suite_create ("robust");
  TCase *tc = tcase_create ("robust");

  tcase_set_timeout (tc, TEST_TIMEOUT);
  tcase_add_test (tc, test_paths_raw);
  tcase_add_test (tc, test_paths_shares);
  tcase_add_test (tc, test_paths_cli);
  tcase_add_test (tc, test_path_too_long);
  tcase_add_test (tc, test_fifo);
  tcase_add_test (tc, test_inquiry_broken_escape);
  tcase_add_test (tc, test_gpgme_text);
  tcase_add_test (tc, test_no_gpg);
  suite_add_tcase (s, tc);
  return s;
}


int
main (void)
{
  return clirun_main ("check_robust", setup, robust_suite);
}
