/* cmd-export.c - PACK_EXPORT: keys from the keyring into a key package
 *
 * The keys come cut from gpg's export output (keyring.c); the sealed
 * pack goes to an atomic output file or to the client as D lines.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpgpackd.h"
#include "cmdargs.h"
#include "keyring.h"
#include "outfile.h"
#include "agentpass.h"
#include "patterns.h"
#include "policy.h"
#include "shareexport.h"
#include "htmlwrap.h"
#include "packsig.h"
#include "pubkeys.h"
#include "packname.h"

/* Bound of the answer to INQUIRE CONFIRM_SECRET.  */
#define MAX_CONFIRM_LEN 16

/* What the client asked for.  */
struct export_request
{
  int secret;
  int exclude_no_secret;
  int passphrase;
  int force;
  int inquire_patterns;
  int confirm;
  int show_setup_code;        /* send a setup code, don't write it      */
  const char *format;
  const char *name;
  const char *output_dir;
  const char *sign_key;
  patterns_t patterns;
  char defname[GPGPACK_GENERATED_NAME_SIZE];
  shareexport_t *share;       /* share mode options, else its NSHARES 0 */
};

/* One running export.  */
struct export_job
{
  ctrl_t ctrl;
  const gpgpack_format_t *fmt;
  gpgpack_stream_t stream;
  outfile_t *files;           /* NULL: stream as D lines; else [0] the
                                 pack, then the key file or the shares,
                                 then the HTML attachment if any, the
                                 public keys at [NPACK], then if SIGNER
                                 is set the signatures of the pack and
                                 of the public keys                     */
  unsigned int nfiles;
  unsigned int npack;         /* the pack, its key file or shares, and
                                 the HTML attachment                    */
  char signer[65];            /* the sign key's fingerprint, or ""      */
  outfile_t html;             /* GPGPACK_FMT_MAIL_HTML: NAME.html       */
  shareexport_t *share;       /* share mode if its NSHARES is not 0     */
  unsigned char head[GPGPACK_PROBE_BYTES];
  size_t headlen;
  gpg_error_t write_err;      /* First error writing an output file.    */
};

/* Write BUF to JOB's output FILE; keep the first error for
 * seal_keys's message.  */
static gpg_error_t
job_write (struct export_job *job, outfile_t file,
           const void *buf, size_t len)
{
  gpg_error_t err = outfile_write (file, buf, len);

  if (err && !job->write_err)
    job->write_err = err;
  return err;
}

/* ERR of writing JOB's HTML attachment: kept like job_write's.  */
static gpg_error_t
job_write_html (struct export_job *job, gpg_error_t err)
{
  if (err && !job->write_err)
    job->write_err = err;
  return err;
}

const char hlp_pack_export[] =
  "PACK_EXPORT [--secret] [--exclude-no-secret] [--confirm]\n"
  "            [--format=NAME] [--name=NAME] [--output-dir=DIR] [--force]\n"
  "            [--passphrase] [--show-setup-code] [--inquire-patterns]\n"
  "            [--shares=N --threshold=T --wrap-key=FPR... [--inquire-wrap-keys]\n"
  "             [--allow-same-custodian]] [--sign-key=FPR] [--] [PATTERN...]\n"
  "\n"
  "Export the keys matching the PATTERNs (percent-escaped) as a key\n"
  "package.  --inquire-patterns asks for more patterns with INQUIRE\n"
  "PATTERNS (one per line; at most 10000 patterns and 1 MiB).\n"
  "--secret includes the secret parts, --exclude-no-secret\n"
  "leaves out keys without one.  --confirm asks with INQUIRE\n"
  "CONFIRM_SECRET <nkeys>, once the keys are found and the files\n"
  "can be created, before any secret part is exported; only the\n"
  "answer \"yes\" goes on.  With --output-dir the files\n"
  "DIR/NAME<pack_ext> and DIR/NAME<key_ext> are written (mode 0600;\n"
  "existing files only with --force); else the pack is returned as D\n"
  "lines and the key file as status KEYFILE <base64>.  The public\n"
  "keys go to DIR/NAME.pub.asc (armored; not sent when streamed).\n"
  "--passphrase\n"
  "asks for a passphrase with INQUIRE NEW_PASSPHRASE to protect the\n"
  "key file; an empty answer (outside pinentry-mode loopback) lets\n"
  "gpg-agent's pinentry ask instead.\n"
  "--show-setup-code: a format whose key file is a setup code a person\n"
  "types (openpgp, autocrypt) does not write DIR/NAME<key_ext>; the\n"
  "code comes once as status KEYFILE <base64> instead.\n"
  "--shares=N --threshold=T --wrap-key=FPR (N times) splits the key\n"
  "instead: share I goes to DIR/NAME.share-I-of-N.asc, an OpenPGP message\n"
  "to the I-th wrap key (streamed: status SHARE_BEGIN <i> <fpr>, D lines,\n"
  "SHARE_END <i> after the pack); --allow-same-custodian lets a key\n"
  "come twice; --inquire-wrap-keys asks for more with INQUIRE WRAP_KEYS\n"
  "(one per line).  Formats that are mail attachments (autocrypt)\n"
  "also get DIR/NAME.html, the pack in an HTML page.\n"
  "--sign-key=FPR (default: the sign-key rule of\n"
  "gpgpackd.conf) also writes DIR/NAME<pack_ext>.sig and\n"
  "DIR/NAME.pub.asc.sig, armored detached OpenPGP signatures over the\n"
  "pack and the public keys (needs --output-dir); in share mode every\n"
  "share message is signed too.  Status: PROGRESS, EXPORTED <fpr>,\n"
  "SHARE_CREATED <i> <wrap-fpr> <path>, HTML_CREATED <path>,\n"
  "PUBKEYS <path>, SIGNED <fpr> <sig-path> (twice), PACK_CREATED\n"
  "<pack-id> <pack-path> <key-path>.";

/* Parse LINE into REQ (pointing into ARGS).  */
static gpg_error_t
parse_request (ctrl_t ctrl, char *line, cmdargs_t *args,
               struct export_request *req)
{
  const cmdargs_opt_t table[] = {
    { "secret", &req->secret },
    { "exclude-no-secret", &req->exclude_no_secret },
    { "passphrase", &req->passphrase },
    { "force", &req->force },
    { "inquire-patterns", &req->inquire_patterns },
    { "confirm", &req->confirm },
    { "show-setup-code", &req->show_setup_code },
    { "format", NULL, &req->format },
    { "name", NULL, &req->name },
    { "output-dir", NULL, &req->output_dir },
    { "shares", NULL, &req->share->shares },
    { "threshold", NULL, &req->share->threshold },
    { "wrap-key", NULL, NULL, &req->share->wrap_keys },
    { "allow-same-custodian", &req->share->allow_same },
    { "inquire-wrap-keys", &req->share->inquire_wrap_keys },
    { "sign-key", NULL, &req->sign_key },
    { NULL }
  };

  return server_parse_args (ctrl, line, table, args);
}

/* Check REQ's options; fill in defaults; find the format.  */
static gpg_error_t
check_request (ctrl_t ctrl, struct export_request *req,
               const gpgpack_format_t **r_fmt)
{
  gpg_error_t err;

  if (req->exclude_no_secret && !req->secret)
    return server_error (ctrl, gpg_error (GPG_ERR_INV_ARG),
                         "--exclude-no-secret needs --secret");
  if (req->confirm && !req->secret)
    return server_error (ctrl, gpg_error (GPG_ERR_INV_ARG),
                         "--confirm needs --secret");
  *r_fmt = plugin_find_format (opt.plugins,
                               req->format? req->format : "native");
  if (!*r_fmt)
    return server_error (ctrl, gpg_error (GPG_ERR_UNKNOWN_NAME),
                         "no pack format named '%s'"
                         " (\"gpgpack formats\" lists them)",
                         req->format? req->format : "native");
  err = shareexport_check_args (ctrl, req->share, *r_fmt, req->passphrase);
  if (err)
    return err;
  if (req->passphrase && !((*r_fmt)->flags & GPGPACK_FMT_PASSPHRASE))
    return server_error (ctrl, gpg_error (GPG_ERR_NOT_SUPPORTED),
                         "format '%s' has no passphrase protection;"
                         " leave out --passphrase", (*r_fmt)->name);
  if (!req->passphrase && !req->share->nshares
      && ((*r_fmt)->flags & GPGPACK_FMT_PIN_REQUIRED))
    return server_error (ctrl, gpg_error (GPG_ERR_NO_PASSPHRASE),
                         "format '%s' needs a passphrase for its key file;"
                         " add --passphrase", (*r_fmt)->name);
  if (!req->name)
    {
      gpgpack_generate_name (req->defname);
      req->name = req->defname;
    }
  if (!gpgpack_valid_name (req->name))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_NAME),
                         "invalid package name '%s'", req->name);
  return 0;
}

/* Check REQ against gpgpackd.conf's policy, once its wrap keys (if
 * any) are known by their primary fingerprints.  */
static gpg_error_t
check_policy (ctrl_t ctrl, const struct export_request *req)
{
  policy_export_t asked = { .secret = req->secret };

  if (req->share->nshares)
    {
      asked.nshares = req->share->nshares;
      asked.threshold = req->share->thresh;
      asked.wrap_fprs = (const char *const *) req->share->keys.fprs;
    }
  return policy_check_export (ctrl, &asked);
}

/* Check the sign key of REQ (else the sign-key rule's) in CTX's
 * keyring, for JOB's SIGNER; share mode signs its shares with it.  */
static gpg_error_t
check_signer (ctrl_t ctrl, gpgme_ctx_t ctx, const struct export_request *req,
              struct export_job *job)
{
  if (!req->sign_key && !policy_sign_key (job->signer))
    return 0;
  if (!req->output_dir)
    return server_error (ctrl, gpg_error (GPG_ERR_NOT_SUPPORTED),
                         "a signed export (--sign-key, or the sign-key rule"
                         " of gpgpackd.conf) writes its signature beside"
                         " the pack: give --output-dir");
  if (req->sign_key)
    return wrapkeys_check_signer (ctrl, ctx, req->sign_key, job->signer);
  return wrapkeys_check_signer (ctrl, ctx, job->signer, job->signer);
}

/* Sign what JOB wrote to its file FROM with its SIGNER into SIG.  */
static gpg_error_t
sign_file (ctrl_t ctrl, struct export_job *job, outfile_t from,
           outfile_t sig)
{
  int fd = outfile_reopen (from);
  gpg_error_t err;

  if (fd == -1)
    return server_error (ctrl, gpg_error_from_syserror (),
                         "can't read back '%s' to sign it",
                         outfile_name (from));
  err = packsig_sign (ctrl, job->signer, fd, sig);
  close (fd);
  return err;
}

/* Sign the pack and the public keys JOB wrote.  */
static gpg_error_t
sign_files (ctrl_t ctrl, struct export_job *job)
{
  gpg_error_t err;

  err = sign_file (ctrl, job, job->files[0], job->files[job->npack + 1]);
  if (!err)
    err = sign_file (ctrl, job, job->files[job->npack],
                     job->files[job->npack + 2]);
  return err;
}

/* Sink of the plugin: remember the head, write to file or client.  */
static gpg_error_t
pack_sink_write (void *opaque, const void *buf, size_t len)
{
  struct export_job *job = opaque;

  if (job->headlen < sizeof job->head)
    {
      size_t n = sizeof job->head - job->headlen;

      n = n < len? n : len;
      memcpy (job->head + job->headlen, buf, n);
      job->headlen += n;
    }
  if (job->html)
    {
      gpg_error_t err = job_write_html (job,
                                        htmlwrap_write (job->html, buf, len));
      if (err)
        return err;
    }
  if (job->files)
    return job_write (job, job->files[0], buf, len);
  return assuan_send_data (job->ctrl->assuan, buf, len);
}

/* Feed exported key data to the plugin (nPth lock released).  */
static gpg_error_t
plugin_feed (void *opaque, const void *buf, size_t len)
{
  struct export_job *job = opaque;
  gpg_error_t err;

  UNLOCKED (err = job->fmt->feed (job->stream, buf, len));
  return err;
}

/* Start the output file REQ->NAME + EXT in REQ->OUTPUT_DIR at R_FILE;
 * say which file is in the way.  */
static gpg_error_t
create_outfile (ctrl_t ctrl, const struct export_request *req,
                const char *ext, outfile_t *r_file)
{
  char *name = gpgrt_bsprintf ("%s%s", req->name, ext);
  gpg_error_t err;

  if (!name)
    return gpg_error_from_syserror ();
  err = outfile_create (req->output_dir, name, req->force, r_file);
  if (gpg_err_code (err) == GPG_ERR_EEXIST)
    err = server_error (ctrl, err, "'%s/%s' already exists;"
                        " add --force to replace it", req->output_dir, name);
  else if (gpg_err_code (err) == GPG_ERR_ENAMETOOLONG)
    err = server_error (ctrl, err, "'%s/%s' is too long for a status line"
                        " (over %d bytes escaped): give a shorter --output-dir"
                        " or --name", req->output_dir, name, OUTFILE_ARG_MAX);
  else if (err)
    err = server_error (ctrl, err, "can't create files in '%s';"
                        " give a writable --output-dir", req->output_dir);
  gpgrt_free (name);
  return err;
}

/* Create the output files of JOB in REQ->OUTPUT_DIR: the pack, then
 * the key file (unless a setup code is shown; files[1] stays NULL) or
 * the share files, then the HTML attachment of a mail
 * format (GPGPACK_FMT_MAIL_HTML), its page head written, the public
 * keys, the signatures.  */
static gpg_error_t
create_outfiles (ctrl_t ctrl, struct export_job *job,
                 const struct export_request *req)
{
  unsigned int nshares = req->share->nshares, i;
  int html = !nshares && (job->fmt->flags & GPGPACK_FMT_MAIL_HTML);
  int shown = req->show_setup_code
              && (job->fmt->flags & GPGPACK_FMT_SETUP_CODE);
  gpg_error_t err;
  char *ext;

  job->npack = nshares ? 1 + nshares : 2 + html;
  job->nfiles = job->npack + 1 + (*job->signer ? 2 : 0);
  job->files = gpgrt_calloc (job->nfiles, sizeof *job->files);
  if (!job->files)
    return gpg_error_from_syserror ();
  err = create_outfile (ctrl, req, job->fmt->pack_ext, &job->files[0]);
  if (!err && !nshares && !shown)
    err = create_outfile (ctrl, req, job->fmt->key_ext, &job->files[1]);
  for (i = 0; i < nshares && !err; i++)
    {
      ext = shareexport_file_ext (req->share, i);
      err = ext ? create_outfile (ctrl, req, ext, &job->files[1 + i])
                : gpg_error_from_syserror ();
      gpgrt_free (ext);
    }
  if (!err && html)
    err = create_outfile (ctrl, req, ".html", &job->files[2]);
  if (!err && html)
    {
      job->html = job->files[2];
      err = job_write_html (job, htmlwrap_begin (job->html));
    }
  if (!err)
    err = create_outfile (ctrl, req, PUBKEYS_EXT, &job->files[job->npack]);
  if (!err && *job->signer)
    {
      ext = gpgrt_strconcat (job->fmt->pack_ext, PACKSIG_EXT, NULL);
      err = ext ? create_outfile (ctrl, req, ext,
                                  &job->files[job->npack + 1])
                : gpg_error_from_syserror ();
      gpgrt_free (ext);
    }
  if (!err && *job->signer)
    err = create_outfile (ctrl, req, PUBKEYS_EXT PACKSIG_EXT,
                          &job->files[job->npack + 2]);
  return err;
}

/* Hook of keyring_find_keys for --confirm: ask the client with
 * INQUIRE CONFIRM_SECRET whether the secret parts of the NKEYS keys
 * found may be exported.  Only "yes" goes on.  */
static gpg_error_t
confirm_secret (ctrl_t ctrl, unsigned int nkeys)
{
  unsigned char *answer;
  char keyword[40];
  size_t len;
  gpg_error_t err;

  snprintf (keyword, sizeof keyword, "CONFIRM_SECRET %u", nkeys);
  err = server_inquire (ctrl, keyword, MAX_CONFIRM_LEN, 0, &answer, &len);
  if (!err && (len != 3 || memcmp (answer, "yes", 3)))
    err = gpg_error (GPG_ERR_CANCELED);
  assuan_free (ctrl->assuan, answer);
  if (gpg_err_code (err) == GPG_ERR_CANCELED
      || gpg_err_code (err) == GPG_ERR_ASS_CANCELED)
    return server_error (ctrl, gpg_error (GPG_ERR_CANCELED),
                         "secret key export not confirmed; nothing written");
  return err;
}

/* Return KEY base64-encoded in secure memory.  */
static char *
base64_secure (const gpgpack_blob_t *key)
{
  static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *out = gcry_malloc_secure ((key->len + 2) / 3 * 4 + 1);
  char *d = out;
  size_t i;

  if (!out)
    return NULL;
  for (i = 0; i < key->len; i += 3)
    {
      unsigned int v = key->data[i] << 16;
      size_t n = key->len - i;

      if (n > 1)
        v |= key->data[i + 1] << 8;
      if (n > 2)
        v |= key->data[i + 2];
      *d++ = b64[(v >> 18) & 63];
      *d++ = b64[(v >> 12) & 63];
      *d++ = n > 1? b64[(v >> 6) & 63] : '=';
      *d++ = n > 2? b64[v & 63] : '=';
    }
  *d = 0;
  return out;
}

/* Write the key file, or hand it to the client (status KEYFILE) when
 * streamed or shown (--show-setup-code).  */
static gpg_error_t
deliver_key (ctrl_t ctrl, struct export_job *job, const gpgpack_blob_t *key)
{
  gpg_error_t err;
  char *b64;

  if (job->files && job->files[1])
    return job_write (job, job->files[1], key->data, key->len);
  if (job->files && !key->len)
    return 0;  /* --show-setup-code, but the client chose the passphrase.  */
  b64 = base64_secure (key);
  if (!b64)
    return gpg_error_from_syserror ();
  if (strlen (b64) + sizeof "S KEYFILE " + 2 > ASSUAN_LINELENGTH)
    {
      server_free_secret (b64, strlen (b64));
      return server_error (ctrl, gpg_error (GPG_ERR_TOO_LARGE),
                           "key file too long for a status line;"
                           " use --output-dir");
    }
  assuan_begin_confidential (ctrl->assuan);
  err = assuan_write_status (ctrl->assuan, "KEYFILE", b64);
  assuan_end_confidential (ctrl->assuan);
  server_free_secret (b64, strlen (b64));
  return err;
}

/* Share mode: wrap the raw file KEY to the custodians; write or
 * stream the shares.  */
static gpg_error_t
deliver_shares (ctrl_t ctrl, struct export_job *job,
                const gpgpack_blob_t *key)
{
  shareexport_t *sx = job->share;
  gpg_error_t err;
  unsigned int i;

  err = shareexport_wrap (ctrl, sx, job->fmt, job->head, job->headlen, key);
  if (!err && !job->files)
    err = shareexport_stream (ctrl, sx);
  for (i = 0; job->files && i < sx->nshares && !err; i++)
    err = job_write (job, job->files[1 + i], sx->msgs[i].data,
                     sx->msgs[i].len);
  return err;
}

/* Give the output files their final names.  */
static gpg_error_t
commit_outfiles (ctrl_t ctrl, struct export_job *job)
{
  gpg_error_t err = outfile_commit_all (job->files, job->nfiles);

  if (err)
    err = server_error (ctrl, err, "can't store the package");
  return err;
}

/* Report the exported keys and the created package.  */
static gpg_error_t
report_export (ctrl_t ctrl, struct export_job *job,
               const keyring_keys_t *keys)
{
  gpgpack_info_t info;
  gpg_error_t err = 0;
  unsigned int i;

  for (i = 0; i < keys->count && !err; i++)
    err = server_status (ctrl, "EXPORTED", "%s", keys->keys[i].fpr);
  if (err)
    return err;
  for (i = 0; job->files && i < job->share->nshares && !err; i++)
    err = server_status (ctrl, "SHARE_CREATED", "%u %s %s", i + 1,
                         job->share->keys.fprs[i],
                         outfile_arg (job->files[1 + i]));
  if (!err && job->html)
    err = server_status (ctrl, "HTML_CREATED", "%s",
                         outfile_arg (job->html));
  if (!err && job->files)
    err = server_status (ctrl, "PUBKEYS", "%s",
                         outfile_arg (job->files[job->npack]));
  for (i = 1; *job->signer && i <= 2 && !err; i++)
    err = server_status (ctrl, "SIGNED", "%s %s", job->signer,
                         outfile_arg (job->files[job->npack + i]));
  if (err)
    return err;
  memset (&info, 0, sizeof info);
  if (job->fmt->info (job->head, job->headlen, &info) || !*info.pack_id)
    strcpy (info.pack_id, "-");
  return server_status (ctrl, "PACK_CREATED", "%s %s %s", info.pack_id,
                        job->files? outfile_arg (job->files[0]) : "-",
                        job->files && !job->share->nshares && job->files[1]
                        ? outfile_arg (job->files[1]) : "-");
}

/* Seal KEYS into a pack for JOB.  */
static gpg_error_t
seal_keys (ctrl_t ctrl, struct export_job *job,
           const keyring_keys_t *keys, const char *passphrase)
{
  gpgpack_seal_params_t params = { { pack_sink_write, job } };
  gpgpack_sink_t pack_sink;
  gpgpack_blob_t key = { NULL, 0 };
  size_t manifestlen;
  char *manifest;
  gpg_error_t err;

  manifest = keyring_manifest (keys, &manifestlen);
  if (!manifest)
    return gpg_error_from_syserror ();
  params.passphrase = passphrase;
  params.manifest = manifest;
  params.manifestlen = manifestlen;
  params.raw_key = !!job->share->nshares;
  packio_lock_sink (&params.out, &pack_sink);
  UNLOCKED (err = job->fmt->seal_start (&params, &job->stream, &key));
  if (gpg_err_code (err) == GPG_ERR_INV_PASSPHRASE)
    err = server_error (ctrl, gpg_error (GPG_ERR_INV_PASSPHRASE),
                        "the passphrase is too weak to be the only"
                        " protection of a '%s' pack: give one of at least"
                        " 12 characters, 5 of them different, or leave out"
                        " --passphrase for a generated setup code",
                        job->fmt->name);
  else if (err)
    err = server_error (ctrl, err, "format '%s' can't seal", job->fmt->name);
  if (!err)
    err = keyring_export (ctrl, keys, plugin_feed, job);
  if (!err)
    UNLOCKED (err = job->fmt->finish (job->stream));
  if (!err && job->html)
    err = job_write_html (job, htmlwrap_end (job->html));
  if (!err && !job->files)
    err = assuan_send_data (ctrl->assuan, NULL, 0);  /* Flush D lines.  */
  if (!err && job->share->nshares)
    err = deliver_shares (ctrl, job, &key);
  else if (!err)
    err = deliver_key (ctrl, job, &key);
  if (!err && *job->signer)
    err = sign_files (ctrl, job);
  if (!err && job->files)
    err = commit_outfiles (ctrl, job);
  if (err && job->write_err)   /* No partial file: outfile_release.  */
    err = server_error (ctrl, job->write_err, "can't write the package"
                        " files; free space in the output directory or"
                        " raise the file size limit (ulimit -f)");
  job->fmt->release (job->stream);
  job->stream = NULL;
  server_free_secret (key.data, key.len);
  gpgrt_free (manifest);
  return err;
}

/* Remove JOB's unfinished output files; free JOB's and its share
 * mode's memory.  */
static void
release_job (ctrl_t ctrl, struct export_job *job)
{
  unsigned int i;

  for (i = 0; i < job->nfiles; i++)
    outfile_release (job->files[i]);
  gpgrt_free (job->files);
  if (job->share)
    shareexport_release (ctrl, job->share);
  gpgrt_free (job->share);
}

gpg_error_t
cmd_pack_export (assuan_context_t ctx, char *line)
{
  ctrl_t ctrl = assuan_get_pointer (ctx);
  struct export_request req = { 0 };
  struct export_job job = { ctrl };
  keyring_keys_t keys = { 0 };
  gpgme_ctx_t gctx = NULL;
  char *passphrase = NULL;
  cmdargs_t *args;
  gpg_error_t err;

  args = gpgrt_calloc (1, sizeof *args);
  req.share = job.share = gpgrt_calloc (1, sizeof *req.share);
  err = args && req.share ? 0 : gpg_error_from_syserror ();
  if (!err)
    err = parse_request (ctrl, line, args, &req);
  if (!err)
    err = check_request (ctrl, &req, &job.fmt);
  if (!err)
    err = patterns_collect (ctrl, args->args, args->nargs,
                            req.inquire_patterns, &req.patterns);
  if (!err)
    err = keyring_new_context (ctrl, &gctx);
  if (!err && req.share->nshares)
    err = shareexport_check_keys (ctrl, req.share, gctx);
  if (!err)
    err = check_signer (ctrl, gctx, &req, &job);
  req.share->signer = *job.signer ? job.signer : NULL;
  if (!err)
    err = check_policy (ctrl, &req);
  if (!err && req.output_dir)
    err = create_outfiles (ctrl, &job, &req);
  if (!err)
    err = keyring_find_keys (ctrl, gctx, req.patterns.items,
                             req.patterns.count, req.secret,
                             req.exclude_no_secret,
                             req.confirm? confirm_secret : NULL, &keys);
  if (!err && job.files)
    err = pubkeys_write (ctrl, &keys, job.files[job.npack]);
  if (!err && req.passphrase)
    err = agentpass_inquire_new (ctrl, &passphrase);
  if (!err)
    err = server_status (ctrl, "PROGRESS", "export ? 0 %u", keys.count);
  if (!err)
    err = seal_keys (ctrl, &job, &keys, passphrase);
  if (!err)
    err = report_export (ctrl, &job, &keys);

  release_job (ctrl, &job);
  if (passphrase)
    server_free_secret (passphrase, strlen (passphrase));
  keyring_keys_release (&keys);
  gpgme_release (gctx);
  patterns_release (ctrl, &req.patterns);
  if (args)
    cmdargs_release (args);
  gpgrt_free (args);
  return err;
}
