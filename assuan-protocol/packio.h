/* packio.h - drive the plugins' streams: read packs, open, detect */
#ifndef GPGPACKD_PACKIO_H
#define GPGPACKD_PACKIO_H

#include "gpgpackd.h"

/* A growable buffer in libgcrypt secure memory, wiped when freed.  */
typedef struct secbuf
{
  unsigned char *data;
  size_t len;
  size_t size;
  size_t limit;               /* refuse to grow beyond; 0: no bound      */
} secbuf_t;

gpg_error_t secbuf_append (secbuf_t *buf, const void *data, size_t len);
void secbuf_release (secbuf_t *buf);
/* A GPGME data object at R_DATA that appends what GPGME writes to BUF
 * (GPGME calls it with the nPth lock released).  */
gpg_error_t secbuf_gpgme_data (secbuf_t *buf, gpgme_data_t *r_data);
/* A sink appending to a secbuf_t.  */
gpg_error_t secbuf_sink_write (void *opaque, const void *data, size_t len);

/* Read FILENAME (at most MAXLEN bytes) into a buffer: secure (free with
 * secbuf_release) if SECURE.  */
gpg_error_t packio_read_file (ctrl_t ctrl, const char *filename,
                              size_t maxlen, int secure, secbuf_t *r_buf);

/* Pick the format of PACK: the one named FORCED, else by probing.  */
gpg_error_t packio_find_format (ctrl_t ctrl, const char *forced,
                                const void *pack, size_t packlen,
                                const char *filename,
                                const gpgpack_format_t **r_fmt);

/* Plugins run with the nPth lock released (UNLOCKED): make SINK call
 * the daemon's sink, saved at INNER, with the lock held.  INNER must
 * live as long as the plugin operation.  */
void packio_lock_sink (gpgpack_sink_t *sink, gpgpack_sink_t *inner);

/* Open and authenticate the whole PACK with KEY (the raw file key if
 * RAW_KEY, else the key file) and PASSPHRASE; the
 * plaintext goes to R_PLAIN (secure memory) only if all of it is
 * authentic.  The plugin runs with the nPth lock released.  */
gpg_error_t packio_open (const gpgpack_format_t *fmt,
                         const void *pack, size_t packlen,
                         const void *key, size_t keylen, int raw_key,
                         const char *passphrase, secbuf_t *r_plain);
/* As packio_open with a raw file KEY; also the pack's manifest (empty
 * if it has none) at R_MANIFEST, secure memory.  */
gpg_error_t packio_open_raw (const gpgpack_format_t *fmt,
                             const void *pack, size_t packlen,
                             const void *key, size_t keylen,
                             secbuf_t *r_plain, secbuf_t *r_manifest);


/* Get the pack from FILENAME, or with INQUIRE PACK if it is NULL.  */
gpg_error_t packio_get_pack (ctrl_t ctrl, const char *filename,
                             secbuf_t *r_pack);

/* The number of leading bytes of PACK a plugin's info and share calls
 * get (at most GPGPACK_PROBE_BYTES) at R_HEADLEN, and what FMT's info
 * says of them at R_INFO; its error as packio_error gives it.  */
gpg_error_t packio_pack_info (ctrl_t ctrl, const gpgpack_format_t *fmt,
                              const secbuf_t *pack, size_t *r_headlen,
                              gpgpack_info_t *r_info);

/* Return ERR of FMT's plugin opening or describing a pack as the
 * daemon's error, with a text saying what to do.  */
gpg_error_t packio_error (ctrl_t ctrl, gpg_error_t err,
                          const gpgpack_format_t *fmt);
#endif /*GPGPACKD_PACKIO_H*/
