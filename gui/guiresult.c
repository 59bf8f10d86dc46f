/* guiresult.c - gpgpackd's status lines into gpgpack-gtk's result */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guilogic.h"
#include "argline.h"

/* Set *R_DST to a malloced, unescaped copy of the first LEN bytes of S.  */
static gpg_error_t
take_string (char **r_dst, const char *s, size_t len)
{
  char *copy = gpgrt_malloc (len + 1);

  if (!copy)
    return gpg_error_from_syserror ();
  memcpy (copy, s, len);
  copy[len] = 0;
  percent_unescape (copy);
  gpgrt_free (*r_dst);
  *r_dst = copy;
  return 0;
}

/* Set *R_DST to the NTH (from 0) blank-separated word of ARGS.  */
static gpg_error_t
take_word (char **r_dst, const char *args, int nth)
{
  size_t len;

  for (; nth; nth--)
    {
      args += strcspn (args, " ");
      args += strspn (args, " ");
    }
  len = strcspn (args, " ");
  if (!len)
    return gpg_error (GPG_ERR_INV_RESPONSE);
  return take_string (r_dst, args, len);
}

/* Wipe and free the setup code of RES.  */
static void
drop_setup_code (gui_result_t *res)
{
  if (res->setup_code)
    explicit_bzero (res->setup_code, strlen (res->setup_code));
  gpgrt_free (res->setup_code);
  res->setup_code = NULL;
}

/* Keep the setup code of KEYFILE <base64> in RES->setup_code.  */
static gpg_error_t
take_setup_code (gui_result_t *res, const char *b64)
{
  size_t len = strlen (b64), n;
  char *code = gpgrt_malloc (len + 1);
  gpg_error_t err;

  if (!code)
    return gpg_error_from_syserror ();
  memcpy (code, b64, len + 1);
  err = base64_unescape (code, &n);
  drop_setup_code (res);
  res->setup_code = code;
  return err;
}

/* Add the key FPR (the first word of ARGS) with SECRET to RES.  */
static gpg_error_t
add_key (gui_result_t *res, const char *args, int secret)
{
  gui_result_key_t *keys;

  if (strcspn (args, " ") != 40)
    return gpg_error (GPG_ERR_INV_RESPONSE);
  keys = gpgrt_reallocarray (res->keys, res->nkeys, res->nkeys + 1,
                             sizeof *keys);
  if (!keys)
    return gpg_error_from_syserror ();
  res->keys = keys;
  memcpy (keys[res->nkeys].fpr, args, 40);
  keys[res->nkeys].fpr[40] = 0;
  keys[res->nkeys++].secret = secret;
  return 0;
}

/* SHARE_CREATED <i> <wrap-fpr> <path>.  */
static gpg_error_t
add_share (gui_result_t *res, const char *args)
{
  char **paths;

  paths = gpgrt_reallocarray (res->share_paths, res->nshares,
                              res->nshares + 1, sizeof *paths);
  if (!paths)
    return gpg_error_from_syserror ();
  res->share_paths = paths;
  paths[res->nshares] = NULL;
  res->nshares++;
  return take_word (&paths[res->nshares - 1], args, 2);
}

/* NEEDS keyfile|passphrase|shares:T ...|-.  */
static gpg_error_t
take_needs (gui_result_t *res, const char *args)
{
  res->needs_keyfile = !!strstr (args, "keyfile");
  res->needs_passphrase = !!strstr (args, "passphrase");
  if (strstr (args, "shares:"))
    res->needs_shares = strtoul (strstr (args, "shares:") + 7, NULL, 10);
  return 0;
}

/* PROGRESS <what> <char> <cur> <total>.  */
static gpg_error_t
take_progress (gui_result_t *res, const char *args)
{
  if (sscanf (args, "%*s %*s %lu %lu", &res->progress_cur,
              &res->progress_total) != 2)
    return gpg_error (GPG_ERR_INV_RESPONSE);
  return 0;
}

/* PACK_CREATED <pack-id> <pack-path> <key-path> ("-": none).  */
static gpg_error_t
take_created (gui_result_t *res, const char *args)
{
  gpg_error_t err;

  if (sscanf (args, "%32s", res->pack_id) != 1)
    return gpg_error (GPG_ERR_INV_RESPONSE);
  err = take_word (&res->pack_path, args, 1);
  if (!err)
    err = take_word (&res->key_path, args, 2);
  if (!err && !strcmp (res->key_path, "-"))
    {
      gpgrt_free (res->key_path);
      res->key_path = NULL;
    }
  return err;
}

gpg_error_t
gui_result_status (gui_result_t *res, const char *keyword, const char *args)
{
  if (!strcmp (keyword, "PROGRESS"))
    return take_progress (res, args);
  if (!strcmp (keyword, "PACK_CREATED"))
    return take_created (res, args);
  if (!strcmp (keyword, "SHARE_CREATED"))
    return add_share (res, args);
  if (!strcmp (keyword, "PUBKEYS"))
    return take_word (&res->pubkeys_path, args, 0);
  if (!strcmp (keyword, "HTML_CREATED"))
    return take_word (&res->html_path, args, 0);
  if (!strcmp (keyword, "KEYFILE"))
    return take_setup_code (res, args);
  if (!strcmp (keyword, "EXPORTED") || !strcmp (keyword, "IMPORTED"))
    return add_key (res, args, 0);
  if (!strcmp (keyword, "IMPORT_CANDIDATE"))
    return add_key (res, args, !!strstr (args, " secret"));
  if (!strcmp (keyword, "IMPORT_RES"))
    {
      gpg_error_t err = import_res_parse (args, &res->counts);

      res->have_import_res |= !err;
      return err;
    }
  if (!strcmp (keyword, "FORMAT"))
    return take_word (&res->format, args, 0);
  if (!strcmp (keyword, "PACK_ID"))
    return sscanf (args, "%32s", res->pack_id) == 1
           ? 0 : gpg_error (GPG_ERR_INV_RESPONSE);
  if (!strcmp (keyword, "CREATED"))
    return (res->created = strtoul (args, NULL, 10), 0);
  if (!strcmp (keyword, "CIPHER"))
    return take_word (&res->cipher, args, 0);
  if (!strcmp (keyword, "NEEDS"))
    return take_needs (res, args);
  if (!strcmp (keyword, "ERROR_TEXT"))
    return take_string (&res->error_text, args, strlen (args));
  return 0;
}

void
gui_result_release (gui_result_t *res)
{
  unsigned int i;

  for (i = 0; i < res->nshares; i++)
    gpgrt_free (res->share_paths[i]);
  gpgrt_free (res->share_paths);
  gpgrt_free (res->pack_path);
  gpgrt_free (res->key_path);
  gpgrt_free (res->pubkeys_path);
  gpgrt_free (res->html_path);
  drop_setup_code (res);
  gpgrt_free (res->keys);
  gpgrt_free (res->format);
  gpgrt_free (res->cipher);
  gpgrt_free (res->error_text);
  memset (res, 0, sizeof *res);
}

gpg_error_t
gui_formats_parse (const char *text, gui_format_t *r_formats,
                   unsigned int max, unsigned int *r_n)
{
  gui_format_t f;
  unsigned int n = 0;

  for (; text && *text; text = strchr (text, '\n'), text += !!text)
    {
      if (sscanf (text, "%31s %*s %*s %lu", f.name, &f.flags) != 2)
        return gpg_error (GPG_ERR_INV_RESPONSE);
      if (n == max)
        return gpg_error (GPG_ERR_TOO_MANY);
      r_formats[n++] = f;
    }
  *r_n = n;
  return 0;
}
