/* packbuf.h - memory sinks and one-call seal/open for the plugin tests */
#ifndef GPGPACK_TESTS_PACKBUF_H
#define GPGPACK_TESTS_PACKBUF_H

#include <stddef.h>
#include "gpgpack-plugin.h"
#include "pluginload.h"

/* Assert ERR has CODE and, unless 0, the plugin error source.  */
#define ck_assert_code(err, code) do {                                  \
    gpg_error_t e_ = (err);                                             \
    ck_assert_msg (gpg_err_code (e_) == (code),                         \
                   "expected %s, got %s", gpg_strerror (gpg_error (code)), \
                   gpg_strerror (e_));                                  \
    if (code)                                                           \
      ck_assert_int_eq (gpg_err_source (e_), GPGPACK_ERR_SOURCE);       \
  } while (0)

/* A growing byte buffer that serves as a gpgpack_sink_t.  */
typedef struct packbuf
{
  unsigned char *data;
  size_t len;
  size_t size;
  unsigned int writes;        /* number of write calls */
} packbuf_t;

gpgpack_sink_t packbuf_sink (packbuf_t *pb);
void packbuf_append (packbuf_t *pb, const void *buf, size_t len);
void packbuf_free (packbuf_t *pb);

/* LEN (+1 spare) malloced bytes of a deterministic pattern; aborts if
 * out of core.  */
unsigned char *packbuf_pattern (size_t len);

/* The "native" format from $GPGPACK_PLUGIN_DIR (the set is kept until
 * the process ends).  Aborts the test if missing.  */
const gpgpack_format_t *packbuf_native (void);

/* Seal DATA with PARAMS (its out sink is set here), feeding STEP bytes
 * at a time (0: all at once).  Pack to PACK, key blob to KEY.  */
gpg_error_t packbuf_seal (const gpgpack_format_t *fmt,
                          gpgpack_seal_params_t *params,
                          const void *data, size_t len, size_t step,
                          packbuf_t *pack, gpgpack_blob_t *key);

/* Open PACK with KEY (raw if RAW) and PASSPHRASE, feeding STEP bytes at a
 * time.  Plaintext to OUT, manifest to MANIFEST (may be NULL).  */
gpg_error_t packbuf_open (const gpgpack_format_t *fmt,
                          const void *key, size_t keylen, int raw,
                          const char *passphrase,
                          const void *pack, size_t packlen, size_t step,
                          packbuf_t *out, packbuf_t *manifest);

/* Wipe and free a key blob.  */
void packbuf_blob_free (gpgpack_blob_t *blob);

/* Deterministic "random" source for known answers: bytes N, N+1, ...  */
void packbuf_counter_random (void *opaque, void *buf, size_t len);

#endif /*GPGPACK_TESTS_PACKBUF_H*/
