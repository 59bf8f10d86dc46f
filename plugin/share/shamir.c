/* shamir.c - Shamir secret sharing over GF(2^8), byte by byte */
#include <stdint.h>
#include <gcrypt.h>

#include "gf256.h"
#include "plugin-util.h"
#include "shamir.h"


/* Check that the K x coordinates at XS are non-zero and distinct.  The
 * x coordinates are public, so branching on them leaks nothing.  */
static gpg_error_t
check_xs (const unsigned char *xs, unsigned int k)
{
  unsigned int i, j;

  for (i = 0; i < k; i++)
    {
      if (!xs[i])
        return plugin_err (GPG_ERR_INV_VALUE);
      for (j = 0; j < i; j++)
        if (xs[j] == xs[i])
          return plugin_err (GPG_ERR_DUP_VALUE);
    }
  return 0;
}

/* Evaluate at X, by Horner's rule, the polynomial with constant term C0
 * and NUPPER further coefficients (of x^1 .. x^NUPPER) found every
 * STRIDE bytes from UPPER.  */
static unsigned char
eval_poly (unsigned char c0, const unsigned char *upper, size_t stride,
           unsigned int nupper, unsigned char x)
{
  unsigned char y = 0;
  unsigned int k;

  for (k = nupper; k > 0; k--)
    y = gf256_mul (y, x) ^ upper[(k - 1) * stride];
  return gf256_mul (y, x) ^ c0;
}

gpg_error_t
shamir_split (const unsigned char *secret, size_t len,
              unsigned int t, unsigned int n,
              gpgpack_random_fn_t random, void *random_opaque,
              const unsigned char *xs, unsigned char **ys)
{
  unsigned char *coeffs;
  size_t ncoeffs, j;
  unsigned int i;
  gpg_error_t err;

  if (!secret || !xs || !ys)
    return plugin_err (GPG_ERR_INV_ARG);
  if (!len || t < 2 || t > n || n > SHAMIR_MAX_SHARES
      || len > SIZE_MAX / (t - 1))
    return plugin_err (GPG_ERR_INV_VALUE);
  err = check_xs (xs, n);
  if (err)
    return err;

  ncoeffs = (size_t)(t - 1) * len;
  coeffs = gcry_malloc_secure (ncoeffs);
  if (!coeffs)
    return plugin_err (gpg_err_code_from_syserror ());

  /* All T-1 upper coefficients are uniform, the top one included.
   * Forcing the top coefficient non-zero (so that the degree is
   * "exactly" T-1) would make T-1 shares rule out one candidate value
   * of each secret byte: the one for which the polynomial through those
   * shares and (0, candidate) has a zero top coefficient.  Every refresh
   * of the same secret would rule out another value, so the secret
   * would leak across refreshes.  A polynomial of lower degree is no
   * weakness: any T-1 shares are still uniform and independent of the
   * secret.  */
  plugin_random (random, random_opaque, coeffs, ncoeffs);

  for (i = 0; i < n; i++)
    for (j = 0; j < len; j++)
      ys[i][j] = eval_poly (secret[j], coeffs + j, len, t - 1, xs[i]);

  plugin_wipe (coeffs, ncoeffs);
  gcry_free (coeffs);
  return 0;
}

/* Lagrange interpolation at 0: SECRET = sum over i of YS[i] * l_i with
 * l_i = prod over m != i of XS[m] / (XS[m] - XS[i]).  The weights l_i
 * depend on the public x coordinates only; the secret-dependent part,
 * the weighted sum, uses constant-time multiplication.  */
gpg_error_t
shamir_combine (const unsigned char *xs, const unsigned char *const *ys,
                unsigned int k, size_t len, unsigned char *secret)
{
  unsigned char weight[SHAMIR_MAX_SHARES];
  unsigned char num, den, acc;
  unsigned int i, m;
  size_t j;
  gpg_error_t err;

  if (!xs || !ys || !secret)
    return plugin_err (GPG_ERR_INV_ARG);
  if (k < 2)
    return plugin_err (GPG_ERR_MISSING_KEY);
  if (k > SHAMIR_MAX_SHARES || !len)
    return plugin_err (GPG_ERR_INV_VALUE);
  err = check_xs (xs, k);
  if (err)
    return err;

  for (i = 0; i < k; i++)
    {
      num = den = 1;
      for (m = 0; m < k; m++)
        if (m != i)
          {
            num = gf256_mul (num, xs[m]);
            den = gf256_mul (den, xs[m] ^ xs[i]);
          }
      weight[i] = gf256_mul (num, gf256_inv (den));
    }

  for (j = 0; j < len; j++)
    {
      acc = 0;
      for (i = 0; i < k; i++)
        acc ^= gf256_mul (weight[i], ys[i][j]);
      secret[j] = acc;
    }
  return 0;
}
