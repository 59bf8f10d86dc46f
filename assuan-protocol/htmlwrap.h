/* htmlwrap.h - the HTML mail attachment around an armored pack */
#ifndef GPGPACKD_HTMLWRAP_H
#define GPGPACKD_HTMLWRAP_H

#include <gpg-error.h>
#include "outfile.h"

/* The page up to and including "<pre>", to FILE.  */
gpg_error_t htmlwrap_begin (outfile_t file);

/* LEN bytes of the armored pack, escaped for HTML, to FILE.  */
gpg_error_t htmlwrap_write (outfile_t file, const void *buf, size_t len);

/* "</pre>" and the end of the page, to FILE.  */
gpg_error_t htmlwrap_end (outfile_t file);

#endif /*GPGPACKD_HTMLWRAP_H*/
