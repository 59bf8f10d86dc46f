/* cmd-info.c - PACK_INFO: describe a key package without any key */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpgpackd.h"
#include "cmdargs.h"
#include "packio.h"
#include "packsig.h"

const char hlp_pack_info[] =
  "PACK_INFO [--format=NAME] [--signature=SIGFILE] [FILE]\n"
  "\n"
  "Describe the key package FILE, or the one sent with INQUIRE PACK,\n"
  "without any key.  The format is detected unless --format is given\n"
  "(gfe1 and gfe2 packs have no magic: an inquired one needs it).\n"
  "Status: FORMAT <name>, then PACK_ID <hex>, CREATED <unix>,\n"
  "CIPHER <name> and CHUNK_SIZE <n> if the format records them, and\n"
  "NEEDS <word>... with the words keyfile, passphrase, shares:T, or -.\n"
  "If SIGFILE is given or FILE.sig exists, the signature is verified:\n"
  "SIGNER <fpr> good|bad|expired-key|expired|revoked|no-pubkey|none|invalid.";

/* Emit the status lines describing INFO of a FMT pack: only the facts
 * its format records.  */
static gpg_error_t
report_info (ctrl_t ctrl, const gpgpack_format_t *fmt,
             const gpgpack_info_t *info)
{
  char needs[64] = "";
  gpg_error_t err;

  if (info->needs & GPGPACK_FMT_KEYFILE)
    strcat (needs, " keyfile");
  if (info->needs & (GPGPACK_FMT_PASSPHRASE | GPGPACK_FMT_PIN_REQUIRED))
    strcat (needs, " passphrase");
  if (info->threshold)
    snprintf (needs + strlen (needs), sizeof needs - strlen (needs),
              " shares:%u", info->threshold);
  else if (info->needs & GPGPACK_FMT_SHARES)
    strcat (needs, " shares");   /* The threshold is in the shares.  */
  err = server_status (ctrl, "FORMAT", "%s", fmt->name);
  if (!err && *info->pack_id)
    err = server_status (ctrl, "PACK_ID", "%s", info->pack_id);
  if (!err && info->created)
    err = server_status (ctrl, "CREATED", "%llu",
                         (unsigned long long)info->created);
  if (!err && info->cipher)
    err = server_status (ctrl, "CIPHER", "%s", info->cipher);
  if (!err && info->chunk_size)
    err = server_status (ctrl, "CHUNK_SIZE", "%zu", info->chunk_size);
  if (!err)
    err = server_status (ctrl, "NEEDS", "%s", *needs? needs + 1 : "-");
  return err;
}

gpg_error_t
cmd_pack_info (assuan_context_t ctx, char *line)
{
  const char *format = NULL, *sigfile = NULL;
  const cmdargs_opt_t table[] = { { "format", NULL, &format },
                                  { "signature", NULL, &sigfile },
                                  { NULL } };
  ctrl_t ctrl = assuan_get_pointer (ctx);
  const gpgpack_format_t *fmt;
  gpgpack_info_t info;
  secbuf_t pack = { 0 };
  const char *filename;
  cmdargs_t *args;
  gpg_error_t err;

  args = gpgrt_calloc (1, sizeof *args);
  if (!args)
    return gpg_error_from_syserror ();
  err = server_parse_args (ctrl, line, table, args);
  if (!err && args->nargs > 1)
    err = server_error (ctrl, gpg_error (GPG_ERR_TOO_MANY),
                        "only one pack file at a time");
  filename = args->nargs? args->args[0] : NULL;
  if (!err)
    err = packio_get_pack (ctrl, filename, &pack);
  if (!err)
    err = packio_find_format (ctrl, format, pack.data, pack.len, filename,
                              &fmt);
  if (!err)
    {
      memset (&info, 0, sizeof info);
      err = fmt->info (pack.data, (pack.len < GPGPACK_PROBE_BYTES
                                   ? pack.len : GPGPACK_PROBE_BYTES), &info);
      if (err)
        err = packio_error (ctrl, err, fmt);
    }
  if (!err)
    err = report_info (ctrl, fmt, &info);
  if (!err)
    err = packsig_describe (ctrl, sigfile, filename, pack.data, pack.len);
  secbuf_release (&pack);
  cmdargs_release (args);
  gpgrt_free (args);
  return err;
}
