/* argline.h - build Assuan command lines with percent-escaped arguments */
#ifndef GPGPACK_ARGLINE_H
#define GPGPACK_ARGLINE_H

#include <gpg-error.h>

/* Malloced (gpgrt_free) copy of STRING with the characters libassuan
 * does not carry in an argument (controls, blank, '%', '+', DEL)
 * percent-escaped; NULL with errno set on error.  */
char *percent_escape (const char *string);

/* As percent_escape, but blanks become '+' (gpg-agent's percent-plus
 * escaping of pinentry texts).  */
char *percent_plus_escape (const char *string);

/* Append " NAME=VALUE" (VALUE percent-escaped), or " NAME" if VALUE is
 * NULL, to the malloced line at *LINE.  */
gpg_error_t append_arg (char **line, const char *name, const char *value);

/* Decode the %XX escapes of STRING in place.  */
void percent_unescape (char *string);

/* Decode the Base64 argument STRING of a status line (e.g. KEYFILE) in
 * place and NUL-terminate it; its length goes to R_LEN.  */
gpg_error_t base64_unescape (char *string, size_t *r_len);

#endif /*GPGPACK_ARGLINE_H*/
