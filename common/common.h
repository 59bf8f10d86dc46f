/* common.h - declarations shared by gpgpackd, gpgpack and the tests */
#ifndef GPGPACK_COMMON_H
#define GPGPACK_COMMON_H

#include <gpg-error.h>

/* Name of the daemon's socket inside the socket directory.  */
#define GPGPACK_SOCKET_NAME "S.gpgpackd"

#endif /*GPGPACK_COMMON_H*/
