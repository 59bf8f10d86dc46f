/* cmd-share.c - SHARE_INFO and SHARE_FORWARD: a custodian's share
 *
 * A share arrives as its custodian keeps it: the OpenPGP message export
 * wrote (decrypted here with a secret key of this keyring) or the
 * envelope text it holds.  The plugin of the one format with shares
 * takes the share out of the envelope and describes it; forwarding
 * encrypts the same envelope to another key without writing it
 * anywhere decrypted.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpgpackd.h"
#include "argline.h"
#include "cmdargs.h"
#include "hostsvc.h"
#include "keyring.h"
#include "outfile.h"
#include "packio.h"
#include "policy.h"
#include "shareimport.h"
#include "wrapkeys.h"

/* One share as given and what opening it found.  */
typedef struct opened_share
{
  const char *label;          /* "share 'FILE'" or "the inquired share"  */
  char *label_buf;
  secbuf_t msg;               /* the bytes given                         */
  gpgpack_blob_t plain;       /* their decryption; empty if MSG is the
                                 envelope itself                         */
  gpgpack_blob_t share;       /* the encoded share (secure memory)       */
  char *custodian;            /* the envelope's For: name                */
  char opened_by[41];         /* key that decrypted MSG, "" if none did  */
} opened_share_t;

/* Wipe and free what SH holds.  */
static void
opened_share_release (opened_share_t *sh)
{
  gpgpack_blob_t *blobs[2] = { &sh->plain, &sh->share };
  int i;

  for (i = 0; i < 2; i++)
    if (blobs[i]->data)
      {
        wipememory (blobs[i]->data, blobs[i]->len);
        gcry_free (blobs[i]->data);
      }
  secbuf_release (&sh->msg);
  gcry_free (sh->custodian);
  gpgrt_free (sh->label_buf);
  memset (sh, 0, sizeof *sh);
}

/* The format whose sharing opens shares (GPGPACK_FMT_SHARES).  */
static gpg_error_t
share_format (ctrl_t ctrl, const gpgpack_format_t **r_fmt)
{
  unsigned int i, n = plugin_format_count (opt.plugins);

  for (i = 0; i < n; i++)
    {
      *r_fmt = plugin_format_nth (opt.plugins, i);
      if (((*r_fmt)->flags & GPGPACK_FMT_SHARES) && (*r_fmt)->sharing)
        return 0;
    }
  *r_fmt = NULL;
  return server_error (ctrl, gpg_error (GPG_ERR_NOT_SUPPORTED),
                       "no loaded pack format has shares: install gpgpack's"
                       " native plugin (\"gpgpack formats\" lists them)");
}

/* Read the share FILENAME, or INQUIRE SHARE if it is NULL, into SH.  */
static gpg_error_t
share_get (ctrl_t ctrl, const char *filename, opened_share_t *sh)
{
  gpg_error_t err;

  if (filename)
    {
      sh->label = sh->label_buf = gpgrt_bsprintf ("share '%s'", filename);
      if (!sh->label)
        return gpg_error_from_syserror ();
      return packio_read_file (ctrl, filename, SHAREIMPORT_MAX_LEN, 1,
                               &sh->msg);
    }
  sh->label = "the inquired share";
  err = server_inquire (ctrl, "SHARE", SHAREIMPORT_MAX_LEN, 1,
                        &sh->msg.data, &sh->msg.len);
  sh->msg.size = sh->msg.data ? sh->msg.len + 1 : 0;  /* Wiped on release. */
  return err;
}

/* What the daemon says about an error of unwrapping or describing a
 * share: the words after its label.  */
static const struct
{
  gpg_err_code_t code;
  const char *text;
} share_errors[] =
  {
    { GPG_ERR_UNKNOWN_VERSION,
      "is a share envelope of a version this gpgpack does not read" },
    { GPG_ERR_INV_PACKET, "is a malformed or altered share envelope:"
      " ask its custodian for a fresh copy" },
    { GPG_ERR_BAD_DATA, "is corrupt (its checksum does not match):"
      " ask its custodian for a fresh copy" },
    { GPG_ERR_TRUNCATED, "is corrupt (the share is cut short):"
      " ask its custodian for a fresh copy" },
    { GPG_ERR_INV_LENGTH, "is corrupt (the share is too long):"
      " ask its custodian for a fresh copy" },
    { GPG_ERR_INV_VALUE, "holds impossible share parameters (index 0 or"
      " threshold below 2): ask its custodian for a fresh copy" },
    { GPG_ERR_NO_DATA, "is neither a share envelope nor an OpenPGP"
      " message: give the .asc file its custodian received" }
  };

/* Return ERR of opening SH as the daemon's error, with a text.  */
static gpg_error_t
share_error (ctrl_t ctrl, gpg_error_t err, const opened_share_t *sh,
             const hostsvc_t *svc)
{
  gpg_err_code_t code = gpg_err_code (err);
  unsigned int i;

  if (code == GPG_ERR_NO_SECKEY)
    return server_error (ctrl, gpg_error (code), "%s is encrypted to %s;"
                         " its custodian must decrypt it", sh->label,
                         *svc->missing ? svc->missing : "an unknown key");
  for (i = 0; i < DIM (share_errors); i++)
    if (share_errors[i].code == code)
      return server_error (ctrl, gpg_error (code), "%s %s", sh->label,
                           share_errors[i].text);
  return server_error (ctrl, err, "opening %s failed", sh->label);
}

/* Take the share out of SH->msg with FMT's sharing: as it is if it is
 * an envelope, else after decrypting it with this keyring's key.  */
static gpg_error_t
share_open (ctrl_t ctrl, const gpgpack_format_t *fmt, opened_share_t *sh)
{
  const gpgpack_sharing_t *sharing = fmt->sharing;
  hostsvc_t svc;
  gpg_error_t err;

  hostsvc_init (ctrl, &svc);
  UNLOCKED (err = sharing->unwrap (NULL, sh->msg.data, sh->msg.len,
                                   &sh->share, &sh->custodian));
  if (gpg_err_code (err) != GPG_ERR_INV_ARG)    /* An envelope or not.  */
    return err ? share_error (ctrl, err, sh, &svc) : 0;
  UNLOCKED (err = svc.host.decrypt (svc.host.opaque, sh->msg.data,
                                    sh->msg.len, &sh->plain));
  if (!err)
    UNLOCKED (err = sharing->unwrap (NULL, sh->plain.data, sh->plain.len,
                                     &sh->share, &sh->custodian));
  if (gpg_err_code (err) == GPG_ERR_INV_ARG)   /* Decrypted, no envelope. */
    return server_error (ctrl, gpg_error (GPG_ERR_INV_DATA),
                         "%s decrypts to something that is not a share"
                         " envelope", sh->label);
  if (err)
    return share_error (ctrl, err, sh, &svc);
  strcpy (sh->opened_by, svc.opened);
  return 0;
}

/* Get and open the share FILENAME (NULL: inquired) into SH.  */
static gpg_error_t
share_load (ctrl_t ctrl, const gpgpack_format_t *fmt, const char *filename,
            opened_share_t *sh)
{
  gpg_error_t err = share_get (ctrl, filename, sh);

  return err ? err : share_open (ctrl, fmt, sh);
}

/* Start command NAME: split LINE into ARGS (at most one file
 * argument) with the options of TABLE; the format with shares to
 * R_FMT.  */
static gpg_error_t
start_share_command (ctrl_t ctrl, const char *name, char *line,
                     const cmdargs_opt_t *table, cmdargs_t **r_args,
                     const gpgpack_format_t **r_fmt)
{
  gpg_error_t err;

  *r_args = gpgrt_calloc (1, sizeof **r_args);
  if (!*r_args)
    return gpg_error_from_syserror ();
  err = server_parse_args (ctrl, line, table, *r_args);
  if (!err && (*r_args)->nargs > 1)
    err = server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                        "%s takes one share file at a time", name);
  if (!err)
    err = share_format (ctrl, r_fmt);
  return err;
}

/* Free ARGS of start_share_command.  */
static void
release_share_args (cmdargs_t *args)
{
  if (args)
    cmdargs_release (args);
  gpgrt_free (args);
}


/* Status SHARE_PACK: whether SH belongs to the pack PACKFILE.  */
static gpg_error_t
report_pack (ctrl_t ctrl, const gpgpack_format_t *fmt,
             const opened_share_t *sh, const char *packfile)
{
  gpgpack_share_info_t info;
  secbuf_t pack = { 0 };
  gpg_error_t err;

  err = packio_read_file (ctrl, packfile, opt.max_pack_size, 0, &pack);
  if (!err)
    UNLOCKED (err = fmt->sharing->info (sh->share.data, sh->share.len,
                                        pack.data, pack.len, &info));
  secbuf_release (&pack);
  if (gpg_err_code (err) == GPG_ERR_WRONG_SECKEY)
    return server_status (ctrl, "SHARE_PACK", "mismatch");
  if (err)
    return packio_error (ctrl, err, fmt);
  return server_status (ctrl, "SHARE_PACK", "match");
}

/* Status lines describing SH.  */
static gpg_error_t
report_share (ctrl_t ctrl, const gpgpack_format_t *fmt,
              const opened_share_t *sh)
{
  gpgpack_share_info_t info;
  char *name;
  gpg_error_t err;

  UNLOCKED (err = fmt->sharing->info (sh->share.data, sh->share.len,
                                      NULL, 0, &info));
  if (err)
    return server_error (ctrl, err, "describing %s failed", sh->label);
  err = server_status (ctrl, "SHARE_INFO", "%s %u %u %u", info.pack_id,
                       info.index, info.threshold, info.generation);
  name = percent_escape (sh->custodian);
  if (!name)
    return gpg_error_from_syserror ();
  if (!err)
    err = server_status (ctrl, "SHARE_CUSTODIAN", "%s", name);
  gpgrt_free (name);
  if (!err)
    err = server_status (ctrl, "SHARE_WRAPPED", "%s",
                         *sh->opened_by ? sh->opened_by : "-");
  return err;
}

const char hlp_share_info[] =
  "SHARE_INFO [--pack=PACK] [FILE]\n"
  "\n"
  "Describe the share FILE, or the one sent with INQUIRE SHARE: the\n"
  "OpenPGP message export wrote (decrypted with a secret key of this\n"
  "keyring) or its decrypted envelope.  Success means the share is\n"
  "intact.  Status: SHARE_INFO <pack-id> <index> <threshold>\n"
  "<generation>, SHARE_CUSTODIAN <name> (percent-escaped),\n"
  "SHARE_WRAPPED <fpr>|- (the key that decrypted it), and with --pack\n"
  "SHARE_PACK match|mismatch: whether it belongs to the pack PACK.";
gpg_error_t
cmd_share_info (assuan_context_t ctx, char *line)
{
  const char *packfile = NULL;
  const cmdargs_opt_t table[] = { { "pack", NULL, &packfile }, { NULL } };
  ctrl_t ctrl = assuan_get_pointer (ctx);
  const gpgpack_format_t *fmt = NULL;
  opened_share_t sh = { NULL };
  cmdargs_t *args;
  gpg_error_t err;

  err = start_share_command (ctrl, "SHARE_INFO", line, table, &args, &fmt);
  if (!err)
    err = share_load (ctrl, fmt, args->nargs ? args->args[0] : NULL, &sh);
  if (!err)
    err = report_share (ctrl, fmt, &sh);
  if (!err && packfile)
    err = report_pack (ctrl, fmt, &sh, packfile);
  opened_share_release (&sh);
  release_share_args (args);
  return err;
}


/* What SHARE_FORWARD is asked to do.  */
struct forward_request
{
  const char *to;
  const char *output;
  int force;
  char fpr[65];               /* TO checked and upper-cased              */
};

/* Check that REQ->to can receive the share, as export checks its wrap
 * keys and the policy's allowed-wrap-key, before anything is
 * decrypted; keep its fingerprint.  */
static gpg_error_t
check_recipient (ctrl_t ctrl, struct forward_request *req)
{
  const char *fprs[1] = { req->fpr };
  policy_export_t asked = { .op = POLICY_FORWARD, .nshares = 1,
                            .wrap_fprs = fprs };
  gpgme_ctx_t gctx = NULL;
  wrapkeys_t keys;
  gpg_error_t err;

  if (!req->to)
    return server_error (ctrl, gpg_error (GPG_ERR_MISSING_VALUE),
                         "SHARE_FORWARD needs --to=FPR: the key of the"
                         " machine the share goes to");
  err = keyring_new_context (ctrl, &gctx);
  if (!err)
    err = wrapkeys_check (ctrl, gctx, &req->to, 1, 0, &keys);
  if (!err)
    {
      snprintf (req->fpr, sizeof req->fpr, "%s", keys.fprs[0]);
      wrapkeys_release (&keys);
    }
  gpgme_release (gctx);
  if (!err)
    err = policy_check_export (ctrl, &asked);
  return err;
}

/* Start the file REQ->output (an absolute path) at R_FILE.  */
static gpg_error_t
create_output (ctrl_t ctrl, const struct forward_request *req,
               outfile_t *r_file)
{
  const char *slash = strrchr (req->output, '/');
  char *dir;
  gpg_error_t err;

  if (*req->output != '/' || !slash[1])
    return server_error (ctrl, gpg_error (GPG_ERR_INV_NAME),
                         "--output=%s is not an absolute file name",
                         req->output);
  dir = gpgrt_strdup (req->output);
  if (!dir)
    return gpg_error_from_syserror ();
  dir[slash > req->output ? slash - req->output : 1] = 0;  /* "/" stays */
  err = outfile_create (dir, slash + 1, req->force, r_file);
  if (gpg_err_code (err) == GPG_ERR_EEXIST)
    err = server_error (ctrl, err, "'%s' already exists; add --force to"
                        " replace it", req->output);
  else if (gpg_err_code (err) == GPG_ERR_ENAMETOOLONG)
    err = server_error (ctrl, err, "'%s' is too long for a status line"
                        " (over %d bytes escaped): give a shorter --output",
                        req->output, OUTFILE_ARG_MAX);
  else if (err)
    err = server_error (ctrl, err, "can't create '%s'; give a writable"
                        " --output", req->output);
  gpgrt_free (dir);
  return err;
}

/* Encrypt SH's envelope to REQ->to and write it to FILE, or send it as
 * D lines if FILE is NULL.  */
static gpg_error_t
forward_share (ctrl_t ctrl, const opened_share_t *sh,
               const struct forward_request *req, outfile_t file)
{
  gpgpack_blob_t env = { sh->msg.data, sh->msg.len }, out = { NULL, 0 };
  const char *fprs[1] = { req->fpr };
  hostsvc_t svc;
  gpg_error_t err;

  if (sh->plain.data)
    env = sh->plain;
  hostsvc_init (ctrl, &svc);
  UNLOCKED (err = svc.host.encrypt (svc.host.opaque, 1, fprs, &env, &out));
  if (err)
    return server_error (ctrl, err, "encrypting %s to %s failed",
                         sh->label, req->fpr);
  if (file)
    err = outfile_write (file, out.data, out.len);
  else
    err = assuan_send_data (ctrl->assuan, out.data, out.len);
  if (!err && file)
    err = outfile_commit (file);
  if (err && file)
    err = server_error (ctrl, err, "writing '%s' failed", req->output);
  gcry_free (out.data);
  if (!err)
    err = server_status (ctrl, "SHARE_FORWARDED", "%s %s", req->fpr,
                         file ? outfile_arg (file) : "-");
  return err;
}

const char hlp_share_forward[] =
  "SHARE_FORWARD --to=FPR [--output=FILE] [--force] [FILE]\n"
  "\n"
  "Re-wrap the share FILE, or the one sent with INQUIRE SHARE, to the\n"
  "key FPR (a full fingerprint of a valid key with an encryption\n"
  "subkey): its envelope, decrypted with a secret key of this keyring\n"
  "if it is encrypted, is encrypted to FPR alone, in memory only.  The\n"
  "armored message goes to the absolute path FILE (mode 0600, written\n"
  "atomically; --force replaces an existing one) or else as D lines.\n"
  "FPR must be allowed by gpgpackd.conf's allowed-wrap-key rules.\n"
  "Status: SHARE_FORWARDED <fpr> <path>|-.";
gpg_error_t
cmd_share_forward (assuan_context_t ctx, char *line)
{
  struct forward_request req = { NULL };
  const cmdargs_opt_t table[] = {
    { "to", NULL, &req.to },
    { "output", NULL, &req.output },
    { "force", &req.force },
    { NULL }
  };
  ctrl_t ctrl = assuan_get_pointer (ctx);
  const gpgpack_format_t *fmt = NULL;
  opened_share_t sh = { NULL };
  outfile_t file = NULL;
  cmdargs_t *args;
  gpg_error_t err;

  err = start_share_command (ctrl, "SHARE_FORWARD", line, table, &args,
                             &fmt);
  if (!err)
    err = check_recipient (ctrl, &req);
  if (!err && req.output)
    err = create_output (ctrl, &req, &file);
  if (!err)
    err = share_load (ctrl, fmt, args->nargs ? args->args[0] : NULL, &sh);
  if (!err)
    err = forward_share (ctrl, &sh, &req, file);
  outfile_release (file);
  opened_share_release (&sh);
  release_share_args (args);
  return err;
}
