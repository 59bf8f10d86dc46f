/* wrap.c - shares in envelopes, encrypted and decrypted by the host */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stddef.h>
#include <string.h>
#include <gcrypt.h>

#include "plugin-util.h"
#include "envelope.h"
#include "wrap.h"

/* True if HOST offers the services of GPGPACK_HOST_VERSION 1.  */
static int
host_usable (const gpgpack_host_t *host)
{
  return host && host->version >= 1
    && host->size >= offsetof (gpgpack_host_t, decrypt)
                     + sizeof host->decrypt
    && host->encrypt && host->decrypt;
}


gpg_error_t
share_wrap_all (const gpgpack_host_t *host,
                const gpgpack_blob_t *shares, unsigned int n,
                const char *const *wrap_fprs, const char *const *custodians,
                gpgpack_blob_t *r_messages)
{
  gpgpack_blob_t *envs;
  gpg_error_t err = 0;
  unsigned int i;

  if (!host_usable (host) || !wrap_fprs)
    return plugin_err (GPG_ERR_INV_ARG);
  memset (r_messages, 0, n * sizeof *r_messages);
  for (i = 0; i < n; i++)
    if (!wrap_fprs[i])
      return plugin_err (GPG_ERR_INV_ARG);
  envs = gcry_calloc (n ? n : 1, sizeof *envs);
  if (!envs)
    return gpg_error_from_syserror ();
  for (i = 0; i < n && !err; i++)
    err = envelope_build (shares[i].data, shares[i].len,
                          custodians ? custodians[i] : wrap_fprs[i],
                          &envs[i]);
  if (!err)
    err = host->encrypt (host->opaque, n, wrap_fprs, envs, r_messages);
  for (i = 0; i < n; i++)
    {
      plugin_blob_release (&envs[i]);
      if (err)
        plugin_blob_release (&r_messages[i]);
    }
  gcry_free (envs);
  return err;
}


gpg_error_t
share_unwrap (const gpgpack_host_t *host, const void *msg, size_t len,
              gpgpack_blob_t *r_share, char **r_custodian)
{
  gpgpack_blob_t plain;
  gpg_error_t err;

  err = envelope_parse (msg, len, r_share, r_custodian);
  if (gpg_err_code (err) != GPG_ERR_INV_DATA)
    return err;
  if (!host_usable (host))
    return plugin_err (GPG_ERR_INV_ARG);
  err = host->decrypt (host->opaque, msg, len, &plain);
  if (err)
    return err;
  err = envelope_parse (plain.data, plain.len, r_share, r_custodian);
  plugin_blob_release (&plain);
  return err;
}
