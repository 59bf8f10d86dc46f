/* policy.h - the policy rules of gpgpackd.conf and checks against them */
#ifndef GPGPACK_POLICY_H
#define GPGPACK_POLICY_H

#include <gpg-error.h>

/* One set of rules, as read from one pass over the options.  */
typedef struct policy_s *policy_t;

/* What a request hands out or takes in, as the policy sees it.  */
enum policy_op
  {
    POLICY_EXPORT,    /* key data (PACK_EXPORT, SHARE_REFRESH): every rule
                         of export                                      */
    POLICY_FORWARD,   /* one share to a new key (SHARE_FORWARD): only
                         allowed-wrap-key                               */
    POLICY_IMPORT     /* an import: only require-signature               */
  };

/* One request, as the policy sees it.  */
typedef struct policy_export
{
  int secret;                    /* --secret                          */
  unsigned int nshares;          /* 0: not share mode                 */
  unsigned int threshold;
  const char *const *wrap_fprs;  /* NSHARES fingerprints, upper-case hex */
  enum policy_op op;             /* what it is (0: an export)         */
  const char *verify_fpr;        /* POLICY_IMPORT: its --verify-key,  */
                                 /* NULL for none                     */
} policy_export_t;

/* Bounds of min-threshold.  */
#define POLICY_MIN_THRESHOLD_LOW  2
#define POLICY_MIN_THRESHOLD_HIGH 255

/* A new empty set of rules (refused nothing) at R_POL.  */
gpg_error_t policy_new (policy_t *r_pol);

/* Add the rule NAME ("allowed-wrap-key", "min-threshold",
 * "deny-secret-export", "require-signature", "sign-key") with VALUE (NULL for a rule without one),
 * read at WHERE ("FILE:LINE"), to POL.  A malformed VALUE is
 * GPG_ERR_INV_VALUE with a static text saying what is wrong at R_WHY.
 * A later min-threshold or deny-secret-export replaces an earlier
 * one (as does sign-key); allowed-wrap-key and require-signature
 * accumulate.  */
gpg_error_t policy_add (policy_t pol, const char *name, const char *value,
                        const char *where, const char **r_why);

/* Make POL the rules in force (taking over the caller's reference);
 * the rules before stay valid for whoever holds them.  */
void policy_install (policy_t pol);

/* A reference to the rules in force (never NULL once installed);
 * give it back with policy_release.  */
policy_t policy_acquire (void);

/* Drop a reference; the last one frees the rules.  */
void policy_release (policy_t pol);

/* Add a copy of every rule of FROM to POL, as policy_add would.  */
gpg_error_t policy_add_all (policy_t pol, policy_t from);

/* Check REQ against the rules of POL that apply to its op: 0 or
 * GPG_ERR_FORBIDDEN with a malloced text naming the rule and its conf
 * line at R_TEXT.  */
gpg_error_t policy_check (policy_t pol, const policy_export_t *req,
                          char **r_text);

/* True if POL has a sign-key rule; its fingerprint to R_FPR.  */
int policy_get_sign_key (policy_t pol, char r_fpr[65]);

/* The rules of POL, one "NAME [VALUE] WHERE\n" line each in the order
 * read, as a malloced string at R_TEXT ("" for none).  */
gpg_error_t policy_format (policy_t pol, char **r_text);

/*-- policy-server.c: the rules in force as sessions meet them --*/
struct server_control_s;
/* Refuse (GPG_ERR_FORBIDDEN, text naming rule and conf line) what
 * the policy forbids of REQ (any op).  */
gpg_error_t policy_check_export (struct server_control_s *ctrl,
                                 const policy_export_t *req);
/* Refuse (as policy_check_export) an import whose --verify-key FPR
 * (NULL: none) no require-signature rule names.  */
gpg_error_t policy_check_import (struct server_control_s *ctrl,
                                 const char *fpr);
/* True if a sign-key rule is in force; its fingerprint to R_FPR.  */
int policy_sign_key (char r_fpr[65]);
/* Emit the rules in force as D lines for GETINFO policy.  */
gpg_error_t policy_describe (struct server_control_s *ctrl);

#endif /*GPGPACK_POLICY_H*/
