/* notpack.h - name the files users give where a key package belongs */
#ifndef GPGPACKD_NOTPACK_H
#define GPGPACKD_NOTPACK_H

#include "gpgpackd.h"

/* If DATA/LEN, which no format recognised, is a gpgpack key file
 * (GPG_ERR_WRONG_BLOB_TYPE) or OpenPGP key data (GPG_ERR_NOT_ENCRYPTED),
 * return that error with a text saying what to do instead; else 0.  */
gpg_error_t notpack_check (ctrl_t ctrl, const void *data, size_t len);

#endif /*GPGPACKD_NOTPACK_H*/
