/* cmd-import.c - PACK_IMPORT: a key package into the keyring
 *
 * The whole pack is opened and authenticated into secure memory; only
 * after the plugin's finish() succeeded does any byte reach GPGME.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpgpackd.h"
#include "cmdargs.h"
#include "keyring.h"
#include "packio.h"
#include "agentpass.h"
#include "shareimport.h"
#include "packsig.h"
#include "policy.h"
#include "expect.h"

struct import_request
{
  const char *key_file;
  cmdargs_list_t shares;
  const char *format;
  int dry_run;
  const char *verify_key;
  const char *signature;
  const char *pack_file;
  char verify_fpr[65];        /* VERIFY_KEY checked, or ""              */
  cmdargs_list_t expect;      /* --expect=FPR...                        */
  const char *expect_file;    /* --expect-file=PUBKEYS.asc              */
};

const char hlp_pack_import[] =
  "PACK_IMPORT [--key-file=PATH] [--share=PATH...] [--format=NAME]\n"
  "            [--dry-run] [--expect=FPR...] [--expect-file=PATH]\n"
  "            [--verify-key=FPR [--signature=SIGFILE]] [FILE]\n"
  "\n"
  "Import the key package FILE, or the one sent with INQUIRE PACK.\n"
  "The key file comes from --key-file or INQUIRE KEYFILE; a passphrase\n"
  "the key file needs from INQUIRE PASSPHRASE (an empty answer, outside\n"
  "pinentry-mode loopback, lets gpg-agent's pinentry ask instead).\n"
  "A format whose key file is a setup code (openpgp, autocrypt) asks\n"
  "INQUIRE PASSPHRASE setup-code instead of INQUIRE KEYFILE.\n"
  "A pack exported in share mode is opened with its shares instead:\n"
  "from --share (repeatable), then INQUIRE SHARE <have> <need> while\n"
  "fewer than the threshold are usable (an empty answer: no more).\n"
  "A share is its custodian's OpenPGP message (decrypted with a key\n"
  "of this keyring) or its decrypted content; a damaged or forged one\n"
  "is named in SHARE_BAD <pos> damaged|forged <file> and left out.\n"
  "--verify-key=FPR refuses the pack unless SIGFILE (default FILE.sig;\n"
  "for an inquired pack INQUIRE SIGNATURE) is a valid signature over\n"
  "it by the key FPR, and in share mode every share a message signed\n"
  "by FPR; a require-signature rule of gpgpackd.conf makes it\n"
  "mandatory.  The format is detected\n"
  "unless --format is given.  Nothing reaches the keyring unless the\n"
  "whole pack is authentic.  Status: IMPORTED <fpr> per key and\n"
  "IMPORT_RES as gpg's; with --dry-run IMPORT_CANDIDATE <fpr>\n"
  "secret|public per key and the keyring is left alone.\n"
  "--expect=FPR (repeatable) and --expect-file=PATH (the primary keys\n"
  "of a public-keys file such as NAME.pub.asc) name the primary keys\n"
  "the pack must hold, no more, no fewer; the secret part of each of\n"
  "its secret keys and subkeys must then belong to its public key.\n"
  "A protected secret part can't be checked: EXPECT_UNCHECKED <fpr>\n"
  "protected.  Then EXPECT_OK <keys> <checked> <unchecked>.";

static gpg_error_t
parse_request (ctrl_t ctrl, char *line, cmdargs_t *args,
               struct import_request *req)
{
  const cmdargs_opt_t table[] = {
    { "key-file", NULL, &req->key_file },
    { "share", NULL, NULL, &req->shares },
    { "format", NULL, &req->format },
    { "dry-run", &req->dry_run },
    { "verify-key", NULL, &req->verify_key },
    { "signature", NULL, &req->signature },
    { "expect", NULL, NULL, &req->expect },
    { "expect-file", NULL, &req->expect_file },
    { NULL }
  };
  gpg_error_t err;

  memset (req, 0, sizeof *req);
  err = server_parse_args (ctrl, line, table, args);
  if (err)
    return err;
  if (args->nargs > 1)
    return server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                         "only one pack file at a time");
  req->pack_file = args->nargs? args->args[0] : NULL;
  if (req->signature && !req->verify_key)
    return server_error (ctrl, gpg_error (GPG_ERR_INV_ARG),
                         "--signature needs --verify-key");
  return 0;
}

/* Check the --verify-key of REQ in CTX's keyring and against the
 * require-signature rules; with one, refuse PACK unless its signature
 * by that key is valid.  */
static gpg_error_t
check_signature (ctrl_t ctrl, gpgme_ctx_t ctx, struct import_request *req,
                 const secbuf_t *pack)
{
  packsig_verdict_t verdict;
  secbuf_t sig = { 0 };
  gpg_error_t err = 0;

  if (req->verify_key)
    err = packsig_check_verify_key (ctrl, ctx, req->verify_key,
                                    req->verify_fpr);
  if (!err)
    err = policy_check_import (ctrl, req->verify_key ? req->verify_fpr
                                                     : NULL);
  if (err || !req->verify_key)
    return err;
  err = packsig_get (ctrl, req->signature, req->pack_file, 0, &sig);
  if (!err)
    err = packsig_verify (ctrl, ctx, pack->data, pack->len, &sig,
                          req->verify_fpr, &verdict);
  if (!err)
    err = packsig_error (ctrl, &verdict, "the pack", req->verify_fpr);
  secbuf_release (&sig);
  return err;
}

/* Get the key file FMT needs into secure memory at R_KEY.  */
static gpg_error_t
get_key_file (ctrl_t ctrl, const gpgpack_format_t *fmt,
              const struct import_request *req, secbuf_t *r_key)
{
  gpg_error_t err;

  memset (r_key, 0, sizeof *r_key);
  if (req->shares.count)
    return server_error (ctrl, gpg_error (GPG_ERR_NOT_SUPPORTED),
                         "this pack was exported with a key file, not in"
                         " share mode: give its key file with --key-file,"
                         " not --share");
  if (!(fmt->flags & GPGPACK_FMT_KEYFILE))
    return 0;
  if (req->key_file)
    return packio_read_file (ctrl, req->key_file, MAX_KEYFILE_LEN, 1, r_key);
  if (fmt->flags & GPGPACK_FMT_SETUP_CODE)
    return 0;  /* Asked as INQUIRE PASSPHRASE setup-code by open_pack.  */
  err = server_inquire (ctrl, "KEYFILE", MAX_KEYFILE_LEN, 1,
                        &r_key->data, &r_key->len);
  r_key->size = r_key->data? r_key->len + 1 : 0;   /* Wiped on release. */
  return err;
}

/* Get the key that opens PACK into secure memory at R_KEY: the key
 * file, or the raw file key from the shares of a share-mode pack (then
 * *R_RAW is set).  */
static gpg_error_t
get_key (ctrl_t ctrl, const gpgpack_format_t *fmt, const secbuf_t *pack,
         const struct import_request *req, secbuf_t *r_key, int *r_raw)
{
  gpgpack_info_t info;
  size_t headlen;
  gpg_error_t err;

  err = shareimport_is_shared (ctrl, fmt, pack, &headlen, &info, r_raw);
  if (err)
    return err;
  if (!*r_raw)
    return get_key_file (ctrl, fmt, req, r_key);
  if (req->key_file)
    return server_error (ctrl, gpg_error (GPG_ERR_NOT_SUPPORTED),
                         "this pack was exported in share mode and has no"
                         " key file: give its shares with --share");
  return shareimport_key (ctrl, fmt, pack->data, headlen, &info,
                          &req->shares,
                          *req->verify_fpr ? req->verify_fpr : NULL, r_key);
}

/* Open PACK with KEY, asking for a passphrase if the key file needs
 * one; the authentic plaintext is stored at R_PLAIN.  */
static gpg_error_t
open_pack (ctrl_t ctrl, const gpgpack_format_t *fmt, const secbuf_t *pack,
           const secbuf_t *key, int raw_key, secbuf_t *r_plain)
{
  char *passphrase = NULL;
  gpg_error_t err;

  err = packio_open (fmt, pack->data, pack->len, key->data, key->len,
                     raw_key, NULL, r_plain);
  if (gpg_err_code (err) == GPG_ERR_NO_PASSPHRASE)
    {
      err = agentpass_inquire (ctrl, !!(fmt->flags & GPGPACK_FMT_SETUP_CODE),
                               &passphrase);
      if (err)
        return err;
      err = packio_open (fmt, pack->data, pack->len, key->data, key->len,
                         raw_key, passphrase, r_plain);
      server_free_secret (passphrase, strlen (passphrase));
    }
  if (err)
    err = packio_error (ctrl, err, fmt);
  return err;
}

gpg_error_t
cmd_pack_import (assuan_context_t ctx, char *line)
{
  ctrl_t ctrl = assuan_get_pointer (ctx);
  struct import_request req;
  const gpgpack_format_t *fmt = NULL;
  secbuf_t pack = { 0 }, key = { 0 }, plain = { 0 };
  expect_t expect = { { 0 } };
  gpgme_ctx_t gctx = NULL;
  cmdargs_t *args;
  int raw_key = 0;
  gpg_error_t err;

  args = gpgrt_calloc (1, sizeof *args);
  if (!args)
    return gpg_error_from_syserror ();
  err = parse_request (ctrl, line, args, &req);
  if (!err)
    err = expect_collect (ctrl, &req.expect, req.expect_file, &expect);
  if (!err)
    err = packio_get_pack (ctrl, req.pack_file, &pack);
  if (!err)
    err = keyring_new_context (ctrl, &gctx);
  if (!err)
    err = check_signature (ctrl, gctx, &req, &pack);
  if (!err)
    err = packio_find_format (ctrl, req.format, pack.data, pack.len,
                              req.pack_file, &fmt);
  if (!err)
    err = get_key (ctrl, fmt, &pack, &req, &key, &raw_key);
  if (!err)
    err = open_pack (ctrl, fmt, &pack, &key, raw_key, &plain);
  secbuf_release (&key);
  secbuf_release (&pack);
  if (!err)
    err = expect_check (ctrl, &expect, plain.data, plain.len);
  if (!err && req.dry_run)
    err = keyring_list_candidates (ctrl, gctx, plain.data, plain.len);
  else if (!err)
    err = keyring_import (ctrl, gctx, plain.data, plain.len);

  secbuf_release (&plain);
  expect_release (&expect);
  gpgme_release (gctx);
  cmdargs_release (args);
  gpgrt_free (args);
  return err;
}
