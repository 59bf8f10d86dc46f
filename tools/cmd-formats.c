/* cmd-formats.c - "gpgpack formats": the pack formats the daemon has */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "gpgpack.h"
#include "gpgpack-plugin.h"

static gpgrt_opt_t formats_opts[] =
  {
    GPGPACK_GLOBAL_OPTS,
    ARGPARSE_end ()
  };

/* Assuan data callback: append the D lines to the memory stream.  */
static gpg_error_t
collect_data (void *opaque, const void *buffer, size_t length)
{
  if (es_write (opaque, buffer, length, NULL))
    return gpg_error_from_syserror ();
  return 0;
}

/* What a pack of a format with the GPGPACK_FMT_* FLAGS needs, and what
   the format can do beyond that, as words for the user.  */
static void
print_needs (unsigned long flags)
{
  if (flags & GPGPACK_FMT_SETUP_CODE)
    es_printf ("        needs: the setup code export printed%s",
               (flags & GPGPACK_FMT_PASSPHRASE)
               ? " (or the passphrase given with --passphrase)" : "");
  else
    {
      es_printf ("        needs: %s", (flags & GPGPACK_FMT_KEYFILE)
                 ? "the key file" : "nothing but the pack");
      if (flags & GPGPACK_FMT_PIN_REQUIRED)
        es_printf (", a passphrase (required: export with --passphrase)");
      else if (flags & GPGPACK_FMT_PASSPHRASE)
        es_printf (", a passphrase if exported with --passphrase");
    }
  if (flags & GPGPACK_FMT_SHARES)
    es_printf ("; the key can be split into shares");
  if (!(flags & GPGPACK_FMT_AUTHENTICATED))
    es_printf ("; no integrity protection");
  es_printf ("\n");
}

/* Print the GETINFO formats line LINE ("NAME PACK_EXT KEY_EXT FLAGS
   DESCRIPTION") for the user.  */
static gpg_error_t
print_format (char *line)
{
  char name[32], pack_ext[32], key_ext[32];
  unsigned long flags;
  int n = 0;

  line[strcspn (line, "\n")] = 0;
  if (sscanf (line, "%31s %31s %31s %lu %n", name, pack_ext, key_ext,
              &flags, &n) != 4 || !n)
    return gpg_error (GPG_ERR_ASS_INV_RESPONSE);
  if (flags & GPGPACK_FMT_SETUP_CODE)
    es_printf ("%-7s NAME%s + setup code: %s\n", name, pack_ext, line + n);
  else if (flags & GPGPACK_FMT_KEYFILE)
    es_printf ("%-7s NAME%s + NAME%s: %s\n", name, pack_ext, key_ext,
               line + n);
  else
    es_printf ("%-7s NAME%s: %s\n", name, pack_ext, line + n);
  print_needs (flags);
  return 0;
}

/* Print the formats whose GETINFO lines are in the stream DATA.  */
static gpg_error_t
print_formats (estream_t data)
{
  char line[1024];
  gpg_error_t err = 0;

  es_rewind (data);
  while (!err && es_fgets (line, sizeof line, data))
    err = print_format (line);
  return err;
}

/* Run the formats command.  */
int
cmd_formats (int argc, char **argv)
{
  gpgrt_argparse_t pargs = { &argc, &argv, 0 };
  transact_parm_t parm = { NULL };
  estream_t data;
  gpg_error_t err;
  int rc = EXIT_OK;

  while (gpgrt_argparser (&pargs, formats_opts, NULL))
    parse_global_option (&pargs);
  gpgrt_argparse (NULL, &pargs, NULL);
  if (argc)
    usage_error ("formats takes no arguments");

  data = es_fopenmem (0, "w+b");
  if (!data)
    return fail (gpg_error_from_syserror (), "formats", NULL);
  err = connect_daemon (&parm);
  if (err)
    rc = fail (err, "connecting to gpgpackd", parm.detail);
  else if ((err = assuan_transact (parm.ctx, "GETINFO formats", collect_data,
                                   data, NULL, NULL, NULL, NULL))
           || (err = print_formats (data)))
    rc = fail (err, "formats", NULL);
  es_fclose (data);
  transact_release (&parm);
  assuan_release (parm.ctx);
  return rc;
}
