/* policy.c - the policy rules of gpgpackd.conf and checks against them
 *
 * One pass over the options (start, or a SIGHUP) builds a complete set
 * of rules; policy_install swaps it in as a whole.  A check holds a
 * reference to the set it started with (policy_acquire), so a SIGHUP
 * meanwhile never shows it half-old, half-new rules, and the old set
 * is freed when its last user is done.  Every rule keeps where it was
 * read, so that a refusal can name its conf line.
 */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fpr.h"
#include "policy.h"

/* The kinds of rules, in the order of rule_names.  */
enum rule_kind
  {
    RULE_ALLOWED_WRAP_KEY,
    RULE_MIN_THRESHOLD,
    RULE_DENY_SECRET_EXPORT,
    RULE_REQUIRE_SIGNATURE,
    RULE_SIGN_KEY,
    RULE_KINDS                /* their number */
  };

static const char *const rule_names[RULE_KINDS] =
  { "allowed-wrap-key", "min-threshold", "deny-secret-export",
    "require-signature", "sign-key" };

/* One rule as read.  */
struct rule
{
  struct rule *next;
  enum rule_kind kind;
  unsigned int threshold;     /* min-threshold                           */
  char value[65];             /* the value as shown: FPR (upper-case),   */
                              /* threshold digits, or ""                 */
  char where[];               /* "FILE:LINE" (allocated to fit)          */
};

struct policy_s
{
  unsigned int refs;
  struct rule *rules;         /* in the order read                       */
};

/* The rules in force.  */
static policy_t in_force;


gpg_error_t
policy_new (policy_t *r_pol)
{
  *r_pol = calloc (1, sizeof **r_pol);
  if (!*r_pol)
    return gpg_error_from_syserror ();
  (*r_pol)->refs = 1;
  return 0;
}

/* Put the fingerprint S (40 or 64 hex digits) upper-cased into R.  */
static gpg_error_t
parse_fpr (struct rule *r, const char *s, const char **r_why)
{
  *r_why = "a fingerprint must be 40 or 64 hex digits";
  return fpr_normalize (s, 1, r->value) ? 0 : gpg_error (GPG_ERR_INV_VALUE);
}

/* Put the threshold S (decimal, within the bounds) into R.  */
static gpg_error_t
parse_threshold (struct rule *r, const char *s, const char **r_why)
{
  size_t n = strspn (s, "0123456789");

  *r_why = "min-threshold must be a number from 2 to 255";
  if (!n || n > 3 || s[n])
    return gpg_error (GPG_ERR_INV_VALUE);
  r->threshold = atoi (s);
  if (r->threshold < POLICY_MIN_THRESHOLD_LOW
      || r->threshold > POLICY_MIN_THRESHOLD_HIGH)
    return gpg_error (GPG_ERR_INV_VALUE);
  snprintf (r->value, sizeof r->value, "%u", r->threshold);
  return 0;
}

/* Remove the rules of KIND from POL.  */
static void
drop_kind (policy_t pol, enum rule_kind kind)
{
  struct rule **p = &pol->rules, *r;

  while ((r = *p))
    if (r->kind == kind)
      {
        *p = r->next;
        free (r);
      }
    else
      p = &r->next;
}

gpg_error_t
policy_add (policy_t pol, const char *name, const char *value,
            const char *where, const char **r_why)
{
  struct rule *r, **tail;
  gpg_error_t err = 0;
  int kind;

  *r_why = "not a policy rule";
  for (kind = 0; kind < RULE_KINDS; kind++)
    if (!strcmp (name, rule_names[kind]))
      break;
  if (kind == RULE_KINDS)
    return gpg_error (GPG_ERR_UNKNOWN_OPTION);
  r = calloc (1, sizeof *r + strlen (where) + 1);
  if (!r)
    return gpg_error_from_syserror ();
  r->kind = kind;
  strcpy (r->where, where);
  if (kind == RULE_ALLOWED_WRAP_KEY || kind == RULE_REQUIRE_SIGNATURE
      || kind == RULE_SIGN_KEY)
    err = parse_fpr (r, value, r_why);
  else if (kind == RULE_MIN_THRESHOLD)
    err = parse_threshold (r, value, r_why);
  if (err)
    {
      free (r);
      return err;
    }
  if (kind != RULE_ALLOWED_WRAP_KEY && kind != RULE_REQUIRE_SIGNATURE)
    drop_kind (pol, kind);
  for (tail = &pol->rules; *tail; tail = &(*tail)->next)
    ;
  *tail = r;
  return 0;
}

gpg_error_t
policy_add_all (policy_t pol, policy_t from)
{
  const struct rule *r;
  const char *why;
  gpg_error_t err = 0;

  for (r = from->rules; r && !err; r = r->next)
    err = policy_add (pol, rule_names[r->kind],
                      *r->value ? r->value : NULL, r->where, &why);
  return err;
}

void
policy_install (policy_t pol)
{
  policy_release (in_force);
  in_force = pol;
}

policy_t
policy_acquire (void)
{
  in_force->refs++;
  return in_force;
}

void
policy_release (policy_t pol)
{
  struct rule *r;

  if (!pol || --pol->refs)
    return;
  while ((r = pol->rules))
    {
      pol->rules = r->next;
      free (r);
    }
  free (pol);
}

/* The last rule of KIND in POL, or NULL.  */
static const struct rule *
find_rule (policy_t pol, enum rule_kind kind)
{
  const struct rule *r, *found = NULL;

  for (r = pol->rules; r; r = r->next)
    if (r->kind == kind)
      found = r;
  return found;
}

/* Store the refusal text "refused by policy: " FMT at R_TEXT and
 * return GPG_ERR_FORBIDDEN.  */
static gpg_error_t
refuse (char **r_text, const char *fmt, ...) GPGRT_ATTR_PRINTF (2, 3);
static gpg_error_t
refuse (char **r_text, const char *fmt, ...)
{
  va_list ap;
  char *why;

  va_start (ap, fmt);
  why = gpgrt_vbsprintf (fmt, ap);
  va_end (ap);
  *r_text = why ? gpgrt_strconcat ("refused by policy: ", why, NULL) : NULL;
  gpgrt_free (why);
  if (!*r_text)
    return gpg_error_from_syserror ();
  return gpg_error (GPG_ERR_FORBIDDEN);
}

/* Refuse the KEY FPR (NULL: none given) unless a rule of KIND in POL
 * lists it (or there is none); the text says it is not LISTED and
 * names the first such line.  */
static gpg_error_t
check_listed (policy_t pol, enum rule_kind kind, const char *key,
              const char *listed, const char *fpr, char **r_text)
{
  const struct rule *r, *first = NULL;
  unsigned int more = 0;

  for (r = pol->rules; r; r = r->next)
    if (r->kind != kind)
      continue;
    else if (fpr && !strcasecmp (r->value, fpr))
      return 0;
    else if (!first)
      first = r;
    else
      more++;
  if (!first)
    return 0;
  if (!fpr)
    return refuse (r_text, "imports need --verify-key under %s (%s%s);"
                   " give one that GETINFO policy lists", rule_names[kind],
                   first->where, more ? " and more lines" : "");
  if (more)
    return refuse (r_text, "%s %s is not %s (%s and %u more lines);"
                   " use one that GETINFO policy lists", key, fpr,
                   listed, first->where, more);
  return refuse (r_text, "%s %s is not %s (%s); use one that GETINFO"
                 " policy lists", key, fpr, listed, first->where);
}

/* Refuse the secret key shares of REQ, under the deny-secret-export
 * rule R, if one wrap key gets as many as the threshold: its holder
 * alone would open the pack (--allow-same-custodian).  */
static gpg_error_t
check_one_holder (const struct rule *r, const policy_export_t *req,
                  char **r_text)
{
  unsigned int i, j, n;

  for (i = 0; i < req->nshares; i++)
    {
      for (n = j = 0; j < req->nshares; j++)
        n += !strcasecmp (req->wrap_fprs[i], req->wrap_fprs[j]);
      if (n >= req->threshold)
        return refuse (r_text, "wrap key %s would get %u shares, as many"
                       " as the threshold, and open the pack alone under"
                       " deny-secret-export (%s); give each custodian"
                       " fewer than %u", req->wrap_fprs[i], n, r->where,
                       req->threshold);
    }
  return 0;
}

/* Check the key data REQ hands out (an export, a refresh's new shares)
 * against deny-secret-export and min-threshold of POL.  */
static gpg_error_t
check_export (policy_t pol, const policy_export_t *req, char **r_text)
{
  const struct rule *deny, *r;

  deny = find_rule (pol, RULE_DENY_SECRET_EXPORT);
  if (deny && req->secret && !req->nshares)
    return refuse (r_text, "secret keys may leave only as shares"
                   " (--shares) under deny-secret-export (%s)", deny->where);
  r = find_rule (pol, RULE_MIN_THRESHOLD);
  if (r && req->nshares && req->threshold < r->threshold)
    return refuse (r_text, "threshold %u is below min-threshold %u (%s);"
                   " ask for --threshold=%u or more", req->threshold,
                   r->threshold, r->where, r->threshold);
  if (deny && req->secret)
    return check_one_holder (deny, req, r_text);
  return 0;
}

gpg_error_t
policy_check (policy_t pol, const policy_export_t *req, char **r_text)
{
  gpg_error_t err = 0;
  unsigned int i;

  *r_text = NULL;
  if (req->op == POLICY_IMPORT)
    return check_listed (pol, RULE_REQUIRE_SIGNATURE, "verify key",
                         "named by require-signature", req->verify_fpr,
                         r_text);
  if (req->op == POLICY_EXPORT)
    err = check_export (pol, req, r_text);
  for (i = 0; i < req->nshares && !err; i++)
    err = check_listed (pol, RULE_ALLOWED_WRAP_KEY, "wrap key",
                        "an allowed-wrap-key", req->wrap_fprs[i], r_text);
  return err;
}

int
policy_get_sign_key (policy_t pol, char r_fpr[65])
{
  const struct rule *r = find_rule (pol, RULE_SIGN_KEY);

  if (r)
    strcpy (r_fpr, r->value);
  return !!r;
}

gpg_error_t
policy_format (policy_t pol, char **r_text)
{
  const struct rule *r;
  char *text, *more;

  text = gpgrt_strdup ("");
  for (r = pol->rules; r && text; r = r->next)
    {
      more = gpgrt_bsprintf ("%s%s%s%s %s\n", text, rule_names[r->kind],
                             *r->value ? " " : "", r->value, r->where);
      gpgrt_free (text);
      text = more;
    }
  *r_text = text;
  return text ? 0 : gpg_error_from_syserror ();
}
