/* patterns.h - the key patterns of PACK_EXPORT: on the line or inquired */
#ifndef GPGPACKD_PATTERNS_H
#define GPGPACKD_PATTERNS_H

#include "gpgpackd.h"

/* Bounds of INQUIRE PATTERNS: its size (INQUIRE_MAXLEN) and the
 * number of patterns.  GPGME hands fingerprints to gpg as arguments,
 * so the count keeps gpg's command line far below ARG_MAX.  */
#define MAX_PATTERNS_LEN (1024 * 1024)
#define MAX_PATTERNS     10000

/* The patterns of one export.  ITEMS point into the command line's
 * arguments or into DATA, the inquired text.  */
typedef struct patterns
{
  int count;
  char **items;
  unsigned char *data;        /* assuan memory of the inquiry, or NULL */
} patterns_t;

/* Fill R_PATS with the NLINE patterns LINE_ARGS of the command line
 * and, if INQUIRE, those of INQUIRE PATTERNS after them.  */
gpg_error_t patterns_collect (ctrl_t ctrl, char **line_args, int nline,
                              int inquire, patterns_t *r_pats);
/* Fill R_PATS with the non-empty lines (blanks trimmed) of the answer
 * to INQUIRE KEYWORD of at most MAXLEN bytes (PATTERNS, WRAP_KEYS);
 * with KEYWORD NULL just make it empty.  */
gpg_error_t patterns_inquire (ctrl_t ctrl, const char *keyword,
                              size_t maxlen, patterns_t *r_pats);
void patterns_release (ctrl_t ctrl, patterns_t *pats);

#endif /*GPGPACKD_PATTERNS_H*/
