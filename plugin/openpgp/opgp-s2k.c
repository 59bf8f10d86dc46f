/* opgp-s2k.c - OpenPGP S2K, algorithm ids and Autocrypt setup codes */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <string.h>

#include "openpgp.h"

/* The libgcrypt cipher of OpenPGP symmetric algorithm ALGO, or 0.  */
int
opgp_cipher_to_gcry (int algo)
{
  switch (algo)
    {
    case 2:  return GCRY_CIPHER_3DES;
    case 3:  return GCRY_CIPHER_CAST5;
    case 4:  return GCRY_CIPHER_BLOWFISH;
    case 7:  return GCRY_CIPHER_AES128;
    case 8:  return GCRY_CIPHER_AES192;
    case 9:  return GCRY_CIPHER_AES256;
    case 10: return GCRY_CIPHER_TWOFISH;
    case 11: return GCRY_CIPHER_CAMELLIA128;
    case 12: return GCRY_CIPHER_CAMELLIA192;
    case 13: return GCRY_CIPHER_CAMELLIA256;
    default: return 0;
    }
}


/* The libgcrypt digest of OpenPGP hash algorithm ALGO, or 0.  */
int
opgp_hash_to_gcry (int algo)
{
  switch (algo)
    {
    case 2:  return GCRY_MD_SHA1;
    case 3:  return GCRY_MD_RMD160;
    case 8:  return GCRY_MD_SHA256;
    case 9:  return GCRY_MD_SHA384;
    case 10: return GCRY_MD_SHA512;
    case 11: return GCRY_MD_SHA224;
    default: return 0;
    }
}


/* Bytes hashed by an iterated S2K with coded count C (RFC 4880, 3.7.1.3). */
unsigned long
opgp_s2k_count (unsigned char c)
{
  return (16ul + (c & 15)) << ((c >> 4) + 6);
}


/* Derive KEYLEN bytes of KEY from PASSPHRASE with S2K TYPE (0, 1 or 3)
 * and OpenPGP hash HASH.  */
gpg_error_t
opgp_s2k_derive (const char *passphrase, int type, int hash,
                 const unsigned char *salt, unsigned long count,
                 unsigned char *key, size_t keylen)
{
  static const int kdf[4] = { GCRY_KDF_SIMPLE_S2K, GCRY_KDF_SALTED_S2K,
                              0, GCRY_KDF_ITERSALTED_S2K };
  int md = opgp_hash_to_gcry (hash);

  if (type < 0 || type > 3 || !kdf[type])
    return plugin_err (GPG_ERR_NOT_SUPPORTED);
  if (!md)
    return plugin_err (GPG_ERR_DIGEST_ALGO);
  if (gcry_kdf_derive (passphrase, strlen (passphrase), kdf[type], md,
                       type ? salt : NULL, type ? 8 : 0,
                       type == 3 ? count : 0, keylen, key))
    return plugin_err (GPG_ERR_INV_VALUE);
  return 0;
}


/* Write a numeric9x4 setup code (Autocrypt Level 1: 36 uniform digits
 * in nine dash-separated blocks of four) and a NUL to CODE.  */
void
opgp_setup_code (gpgpack_random_fn_t random, void *random_opaque,
                 char *code)
{
  unsigned char byte;
  int digits = 0, n = 0;

  while (digits < 36)
    {
      plugin_random (random, random_opaque, &byte, 1);
      if (byte >= 250)
        continue;               /* keep the digits uniform */
      if (digits && !(digits % 4))
        code[n++] = '-';
      code[n++] = '0' + byte % 10;
      digits++;
    }
  code[n] = 0;
  plugin_wipe (&byte, 1);
}


/* True if S is a numeric9x4 setup code.  */
int
opgp_is_setup_code (const char *s)
{
  int i;

  if (strlen (s) != OPGP_CODE_LEN)
    return 0;
  for (i = 0; i < OPGP_CODE_LEN; i++)
    if ((i % 5 == 4) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
      return 0;
  return 1;
}
