/* keymatch.c - does a secret key packet's secret belong to its public key
 *
 * The checks, all with libgcrypt on the packet's own MPIs:
 *  RSA      n = p*q, e*d = 1 mod p-1 and mod q-1, u*p = 1 mod q
 *           (gcry_pk_testkey of libgcrypt 1.10 checks only n = p*q);
 *  DSA, Elgamal, ECDSA and ECDH on Weierstrass curves: gcry_pk_testkey
 *           (y = g^x mod p, Q = d*G);
 *  EdDSA    Q computed from the secret alone (a libgcrypt EC context
 *           made from d) must be the packet's Q (libgcrypt 1.10's
 *           testkey accepts any d there);
 *  ECDH on Curve25519: the scalar, which OpenPGP stores big-endian,
 *           reversed to X25519's native order, times the base point
 *           must be Q (gcry_ecc_mul_point).
 * The MPIs are read from secure memory, so libgcrypt keeps them there.
 */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include <gcrypt.h>

#include "keymatch.h"
#include "pgppacket.h"

/* The public key algorithms pgppacket.c reads.  */
static const unsigned char known_algos[] = { 1, 2, 3, 16, 17, 18, 19, 20, 22 };

/* OID of Curve25519 for ECDH (RFC 4880bis), without its length byte.  */
static const unsigned char oid_cv25519[] =
  { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01 };

/* Write the OID KEY->OID in dotted form to BUF (libgcrypt knows its
 * curves by these too).  */
static gpg_error_t
oid_to_string (const pgp_pubkey_t *key, char *buf, size_t size)
{
  unsigned long arc = 0;
  size_t i, n;

  n = snprintf (buf, size, "%u.%u", key->oid[0] / 40, key->oid[0] % 40);
  for (i = 1; i < key->oidlen && n < size; i++)
    {
      if (arc > (1ul << 24))
        return gpg_error (GPG_ERR_UNKNOWN_CURVE);
      arc = arc << 7 | (key->oid[i] & 0x7f);
      if (key->oid[i] & 0x80)
        continue;
      n += snprintf (buf + n, size - n, ".%lu", arc);
      arc = 0;
    }
  if (n >= size || arc || (key->oid[key->oidlen - 1] & 0x80))
    return gpg_error (GPG_ERR_UNKNOWN_CURVE);
  return 0;
}

/* Read the N MPIs at R_MPIS: first the public ones of KEY, then the
 * secret ones of BODY/LEN at *OFF.  */
static gpg_error_t
scan_mpis (const pgp_pubkey_t *key, const pgp_mpi_t *secret, int nsecret,
           gcry_mpi_t *r_mpis)
{
  gpg_error_t err = 0;
  int i;

  for (i = 0; i < key->nmpis + nsecret && !err; i++)
    {
      const pgp_mpi_t *m = (i < key->nmpis ? &key->mpis[i]
                            : &secret[i - key->nmpis]);

      err = gcry_mpi_scan (&r_mpis[i], GCRYMPI_FMT_USG, m->data, m->len,
                           NULL);
    }
  return err;
}

/* True if A * B mod M is 1.  */
static int
mulm_is_one (gcry_mpi_t a, gcry_mpi_t b, gcry_mpi_t m)
{
  gcry_mpi_t t = gcry_mpi_snew (0);
  int one;

  gcry_mpi_mulm (t, a, b, m);
  one = !gcry_mpi_cmp_ui (t, 1);
  gcry_mpi_release (t);
  return one;
}

/* RSA: M holds n e d p q u.  */
static gpg_error_t
check_rsa (gcry_mpi_t *m)
{
  gcry_mpi_t t = gcry_mpi_snew (0), p1 = gcry_mpi_snew (0);
  gcry_mpi_t q1 = gcry_mpi_snew (0);
  int ok;

  gcry_mpi_mul (t, m[3], m[4]);
  gcry_mpi_sub_ui (p1, m[3], 1);
  gcry_mpi_sub_ui (q1, m[4], 1);
  ok = (!gcry_mpi_cmp (t, m[0]) && gcry_mpi_cmp_ui (p1, 1) > 0
        && gcry_mpi_cmp_ui (q1, 1) > 0 && mulm_is_one (m[1], m[2], p1)
        && mulm_is_one (m[1], m[2], q1) && mulm_is_one (m[5], m[3], m[4]));
  gcry_mpi_release (t);
  gcry_mpi_release (p1);
  gcry_mpi_release (q1);
  return ok ? 0 : gpg_error (GPG_ERR_BAD_SECKEY);
}

/* True if P can be the modulus of a DSA or Elgamal key: an odd number
 * above 3 (libgcrypt aborts the process on a zero modulus).  */
static int
usable_modulus (gcry_mpi_t p)
{
  return gcry_mpi_cmp_ui (p, 3) > 0 && gcry_mpi_test_bit (p, 0);
}

/* gcry_pk_testkey of the private key built from FORMAT and ARGS.  */
static gpg_error_t
testkey (const char *format, void **args)
{
  gcry_sexp_t sexp;
  gpg_error_t err;

  err = gcry_sexp_build_array (&sexp, NULL, format, args);
  if (err)
    return err;
  err = gcry_pk_testkey (sexp);
  gcry_sexp_release (sexp);
  if (gpg_err_code (err) == GPG_ERR_BAD_SECKEY)
    err = gpg_error (GPG_ERR_BAD_SECKEY);
  return err;
}

/* EdDSA on CURVE: the public point computed from the secret D (a
 * libgcrypt EC context made from D alone computes it) must be Q, given
 * as OpenPGP stores it: 0x40 and the native encoding.  */
static gpg_error_t
check_eddsa (const char *curve, const pgp_mpi_t *q, gcry_mpi_t d)
{
  gcry_sexp_t sec = NULL;
  gcry_ctx_t ctx = NULL;
  gcry_mpi_t computed = NULL;
  const unsigned char *point = NULL;
  unsigned int nbits = 0;
  gpg_error_t err;

  err = gcry_sexp_build (&sec, NULL, "(private-key(ecc(curve %s)"
                         "(flags eddsa)(d%m)))", curve, d);
  if (!err)
    err = gcry_mpi_ec_new (&ctx, sec, NULL);
  if (!err)
    computed = gcry_mpi_ec_get_mpi ("q@eddsa", ctx, 1);
  if (computed)
    point = gcry_mpi_get_opaque (computed, &nbits);
  if (!err && (!point || q->len < 1 || q->data[0] != 0x40
               || (nbits + 7) / 8 != q->len - 1
               || memcmp (point, q->data + 1, q->len - 1)))
    err = gpg_error (GPG_ERR_BAD_SECKEY);
  gcry_mpi_release (computed);
  gcry_ctx_release (ctx);
  gcry_sexp_release (sec);
  return err;
}

/* ECDH on Curve25519: Q (0x40 || u) must be X25519 (d, 9), D given
 * big-endian as OpenPGP stores it.  */
static gpg_error_t
check_x25519 (const pgp_mpi_t *q, const pgp_mpi_t *d)
{
  static const unsigned char base[32] = { 9 };
  unsigned char *scalar, u[32];
  gpg_error_t err;
  size_t i;

  if (d->len > 32 || q->len != 33 || q->data[0] != 0x40)
    return gpg_error (GPG_ERR_BAD_SECKEY);
  scalar = gcry_calloc_secure (1, 32);
  if (!scalar)
    return gpg_error_from_syserror ();
  for (i = 0; i < d->len; i++)
    scalar[i] = d->data[d->len - 1 - i];
  err = gcry_ecc_mul_point (GCRY_ECC_CURVE25519, u, scalar, base);
  if (!err && memcmp (u, q->data + 1, 32))
    err = gpg_error (GPG_ERR_BAD_SECKEY);
  explicit_bzero (scalar, 32);
  gcry_free (scalar);
  return err;
}

/* Check the secret MPIs SECRET of KEY.  */
static gpg_error_t
check_algo (const pgp_pubkey_t *key, const pgp_mpi_t *secret, int nsecret)
{
  gcry_mpi_t m[8] = { NULL };
  void *args[8];
  char curve[64];
  const char *curvep = curve;
  gpg_error_t err = 0;
  int i;

  if (key->oid)
    err = oid_to_string (key, curve, sizeof curve);
  if (!err && key->algo == 18 && key->oidlen == sizeof oid_cv25519
      && !memcmp (key->oid, oid_cv25519, sizeof oid_cv25519))
    return check_x25519 (&key->mpis[0], &secret[0]);
  if (!err)
    err = scan_mpis (key, secret, nsecret, m);
  for (i = 0; i < key->nmpis + nsecret; i++)
    args[i] = &m[i];
  if (err)
    ;
  else if (key->algo <= 3)
    err = check_rsa (m);
  else if ((key->algo == 17 || key->algo == 16 || key->algo == 20)
           && (!usable_modulus (m[0])
               || (key->algo == 17 && !usable_modulus (m[1]))))
    err = gpg_error (GPG_ERR_BAD_SECKEY);
  else if (key->algo == 17)
    err = testkey ("(private-key(dsa(p%M)(q%M)(g%M)(y%M)(x%M)))", args);
  else if (key->algo == 16 || key->algo == 20)
    err = testkey ("(private-key(elg(p%M)(g%M)(y%M)(x%M)))", args);
  else if (key->algo == 22)
    err = check_eddsa (curve, &key->mpis[0], m[1]);
  else
    {
      args[0] = &curvep;
      args[1] = &m[0];
      args[2] = &m[1];
      err = testkey ("(private-key(ecc(curve %s)(q%M)(d%M)))", args);
    }
  for (i = 0; i < 8; i++)
    gcry_mpi_release (m[i]);
  return err;
}

gpg_error_t
keymatch_check (const unsigned char *body, size_t len)
{
  pgp_mpi_t secret[4];
  pgp_pubkey_t key;
  size_t off;
  int i, nsecret;
  gpg_error_t err;

  err = pgp_v4_public (body, len, &key);
  if (err && len > 5 && body[0] == 4
      && !memchr (known_algos, body[5], sizeof known_algos))
    return gpg_error (GPG_ERR_PUBKEY_ALGO);
  if (err)
    return gpg_error (GPG_ERR_INV_PACKET);
  for (i = 0; i < key.nmpis; i++)
    if (key.mpis[i].len > KEYMATCH_MAX_BITS / 8)
      return gpg_error (GPG_ERR_TOO_LARGE);
  off = key.publen;
  if (off >= len)
    return gpg_error (GPG_ERR_INV_PACKET);
  if (body[off++])
    return gpg_error (GPG_ERR_UNUSABLE_SECKEY);
  nsecret = key.algo <= 3 ? 4 : 1;
  for (i = 0; i < nsecret; i++)
    if (pgp_read_mpi (body, len, &off, &secret[i]))
      return gpg_error (GPG_ERR_INV_PACKET);
  return check_algo (&key, secret, nsecret);
}
