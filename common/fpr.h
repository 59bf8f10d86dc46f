/* fpr.h - check and normalize the hex fingerprints users give */
#ifndef GPGPACK_FPR_H
#define GPGPACK_FPR_H

#include <stddef.h>

/* If S is a fingerprint - 40 hex digits (v4), or with V5 also 64,
 * after an optional "0x" - copy its digits upper-cased to OUT and
 * return their number; else return 0.  */
size_t fpr_normalize (const char *s, int v5, char out[65]);

#endif /*GPGPACK_FPR_H*/
