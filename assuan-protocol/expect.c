/* expect.c - PACK_IMPORT --expect/--expect-file: exactly the expected keys
 *
 * The expected primary keys come as fingerprints (--expect) or as a
 * public-keys file (--expect-file, the NAME.pub.asc of an export),
 * whose key packets are read here without gpg, so nothing touches the
 * keyring.  After the pack is authentic and before GPGME sees its key
 * data, the data must hold exactly those primary keys, and the secret
 * part of each secret key or subkey must belong to its public part
 * (keymatch.c) where it is not protected by a passphrase.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>

#include "fpr.h"
#include "expect.h"
#include "keyscan.h"
#include "keymatch.h"
#include "packio.h"
#include "pgppacket.h"

/* State of the walk over a pack's key data.  */
struct pack_scan
{
  ctrl_t ctrl;
  expect_fprs_t primaries;
  char primary[41];           /* The primary key of the current block.  */
  unsigned int checked, unchecked;
  int reported;               /* The error has its text already.  */
};

/* Add FPR to SET unless it is there already (SET is unsorted while it
 * grows: check the last one only, the common repeat).  */
static gpg_error_t
fprs_add (expect_fprs_t *set, const char *fpr)
{
  char (*grown)[41];
  unsigned int size;

  if (set->count && !strcmp (set->fprs[set->count - 1], fpr))
    return 0;
  if (set->count == set->size)
    {
      size = set->size ? 2 * set->size : 64;
      grown = gpgrt_reallocarray (set->fprs, set->size, size, sizeof *grown);
      if (!grown)
        return gpg_error_from_syserror ();
      set->fprs = grown;
      set->size = size;
    }
  strcpy (set->fprs[set->count++], fpr);
  return 0;
}

/* qsort and bsearch helper.  */
static int
cmp_fpr (const void *a, const void *b)
{
  return strcmp (a, b);
}

/* Sort SET and drop repeats.  */
static void
fprs_sort (expect_fprs_t *set)
{
  unsigned int i, n = 0;

  if (!set->count)
    return;
  qsort (set->fprs, set->count, sizeof *set->fprs, cmp_fpr);
  for (i = 1; i < set->count; i++)
    if (strcmp (set->fprs[i], set->fprs[n]))
      memmove (set->fprs[++n], set->fprs[i], sizeof *set->fprs);
  set->count = n + 1;
}

/* True if the sorted SET holds FPR.  */
static int
fprs_has (const expect_fprs_t *set, const char *fpr)
{
  return set->count && bsearch (fpr, set->fprs, set->count,
                                sizeof *set->fprs, cmp_fpr);
}

/* Add the --expect value ARG, a v4 fingerprint ("0x" allowed).  */
static gpg_error_t
add_expected (ctrl_t ctrl, expect_fprs_t *want, const char *arg)
{
  char fpr[65];

  if (!fpr_normalize (arg, 0, fpr))
    return server_error (ctrl, gpg_error (GPG_ERR_INV_USER_ID),
                         "--expect '%s' is not a fingerprint: give the 40"
                         " hex digits of a primary key"
                         " (gpg --fingerprint shows them)", arg);
  return fprs_add (want, fpr);
}

/* keyscan callback: add the primary keys to the set OPAQUE.  */
static gpg_error_t
file_packet (void *opaque, int tag, const unsigned char *body, size_t len)
{
  char fpr[41];
  gpg_error_t err;

  if (tag != 5 && tag != 6)
    return 0;
  err = pgp_v4_fingerprint (body, len, fpr);
  return err ? err : fprs_add (opaque, fpr);
}

/* Add the primary keys of the public-keys file FILE to WANT.  */
static gpg_error_t
add_file (ctrl_t ctrl, expect_fprs_t *want, const char *file)
{
  unsigned int before = want->count;
  secbuf_t buf;
  gpg_error_t err;

  err = packio_read_file (ctrl, file, opt.max_pack_size, 0, &buf);
  if (err)
    return err;
  err = keyscan_walk (buf.data, buf.len, 0, file_packet, want);
  secbuf_release (&buf);
  if (err)
    return server_error (ctrl, err, "--expect-file '%s' is not an OpenPGP"
                         " key file; give the NAME.pub.asc written beside"
                         " the pack", file);
  if (want->count == before)
    return server_error (ctrl, gpg_error (GPG_ERR_NO_PUBKEY),
                         "--expect-file '%s' holds no keys; give the"
                         " NAME.pub.asc written beside the pack", file);
  return 0;
}

gpg_error_t
expect_collect (ctrl_t ctrl, const cmdargs_list_t *fprs, const char *file,
                expect_t *r_exp)
{
  gpg_error_t err = 0;
  unsigned int i;

  memset (r_exp, 0, sizeof *r_exp);
  for (i = 0; i < fprs->count && !err; i++)
    err = add_expected (ctrl, &r_exp->want, fprs->items[i]);
  if (!err && file)
    err = add_file (ctrl, &r_exp->want, file);
  fprs_sort (&r_exp->want);
  return err;
}

/* Check the secret key or subkey packet BODY/LEN of S's current key
 * block; report a part that can't be checked.  */
static gpg_error_t
check_secret (struct pack_scan *s, const unsigned char *body, size_t len)
{
  gpg_error_t err;
  char fpr[41];

  err = pgp_v4_fingerprint (body, len, fpr);
  if (!err)
    UNLOCKED (err = keymatch_check (body, len));
  switch (gpg_err_code (err))
    {
    case 0:
      s->checked++;
      return 0;
    case GPG_ERR_UNUSABLE_SECKEY:
      s->unchecked++;
      return server_status (s->ctrl, "EXPECT_UNCHECKED", "%s protected",
                            fpr);
    case GPG_ERR_PUBKEY_ALGO:
    case GPG_ERR_UNKNOWN_CURVE:
      s->unchecked++;
      return server_status (s->ctrl, "EXPECT_UNCHECKED", "%s algorithm",
                            fpr);
    case GPG_ERR_TOO_LARGE:
      s->unchecked++;
      return server_status (s->ctrl, "EXPECT_UNCHECKED", "%s size", fpr);
    case GPG_ERR_BAD_SECKEY:
      s->reported = 1;
      return server_error (s->ctrl, gpg_error (GPG_ERR_BAD_SECKEY),
                           "the secret part of key %s (primary key %s)"
                           " does not belong to its public key: the pack"
                           " was tampered with; nothing imported",
                           fpr, s->primary);
    default:
      return err;
    }
}

/* keyscan callback: note the primary keys of a pack's key data and
 * check its secret parts.  */
static gpg_error_t
pack_packet (void *opaque, int tag, const unsigned char *body, size_t len)
{
  struct pack_scan *s = opaque;
  gpg_error_t err = 0;

  if (tag == 5 || tag == 6)
    {
      err = pgp_v4_fingerprint (body, len, s->primary);
      if (!err)
        err = fprs_add (&s->primaries, s->primary);
    }
  if (!err && (tag == 5 || tag == 7))
    err = check_secret (s, body, len);
  return err;
}

/* Compare the primary keys S found with the WANTed ones.  */
static gpg_error_t
compare_keys (struct pack_scan *s, const expect_fprs_t *want)
{
  unsigned int i;

  fprs_sort (&s->primaries);
  for (i = 0; i < s->primaries.count; i++)
    if (!fprs_has (want, s->primaries.fprs[i]))
      return server_error (s->ctrl, gpg_error (GPG_ERR_UNEXPECTED_MSG),
                           "the pack holds the key %s, which is not"
                           " expected; nothing imported",
                           s->primaries.fprs[i]);
  for (i = 0; i < want->count; i++)
    if (!fprs_has (&s->primaries, want->fprs[i]))
      return server_error (s->ctrl, gpg_error (GPG_ERR_NO_KEY),
                           "the pack lacks the expected key %s;"
                           " nothing imported", want->fprs[i]);
  return 0;
}

gpg_error_t
expect_check (ctrl_t ctrl, const expect_t *exp, const void *data, size_t len)
{
  struct pack_scan s = { ctrl };
  gpg_error_t err;

  if (!exp->want.count)
    return 0;
  err = keyscan_walk (data, len, 1, pack_packet, &s);
  if (err && !s.reported)
    err = server_error (ctrl, err, "can't read the keys in the pack to"
                        " check them against --expect; nothing imported");
  if (!err)
    err = compare_keys (&s, &exp->want);
  if (!err)
    err = server_status (ctrl, "EXPECT_OK", "%u %u %u", s.primaries.count,
                         s.checked, s.unchecked);
  gpgrt_free (s.primaries.fprs);
  return err;
}

void
expect_release (expect_t *exp)
{
  gpgrt_free (exp->want.fprs);
  memset (exp, 0, sizeof *exp);
}
