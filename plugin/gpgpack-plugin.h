/* gpgpack-plugin.h - ABI between gpgpack hosts and pack-format plugins.
 *
 * A plugin is a libtool module (-module -avoid-version) that exports one
 * symbol, GPGPACK_PLUGIN_ENTRY_NAME, of type gpgpack_plugin_entry_t.  The
 * host calls it with the ABI version it was compiled against; the plugin
 * returns its table, or NULL when it cannot serve that version.  The host
 * refuses a table whose abi_version differs from its own: a module built
 * for ABI 1 must be rebuilt (ABI 2 added gpgpack_host_t and the wrap /
 * unwrap calls of gpgpack_sharing_t).
 *
 * Rules for plugins:
 *  - Pure byte transformations: libgcrypt and libgpg-error only; no file
 *    I/O, no GPGME, no global or static mutable state.  Every call gets
 *    everything it needs through its arguments, including the host's
 *    OpenPGP services (gpgpack_host_t) where it needs them.
 *  - Streaming: sealing and opening are start / feed / finish with output
 *    going to a sink, so memory use is bounded whatever the pack size.
 *  - Secrets (key files, file keys, shares, plaintext buffers) live in
 *    gcry_malloc_secure memory and are wiped before they are freed.  A
 *    gpgpack_blob_t handed to the host is freed by the host with
 *    gpgpack_blob_release() semantics: wipe LEN bytes, then gcry_free.
 *    A stream keeps its working buffer there (native: one chunk, 16 KiB
 *    by default, plus about 2 KiB), so a host running several streams
 *    at once enlarges libgcrypt's pool (GCRYCTL_INIT_SECMEM) or lets it
 *    grow (GCRYCTL_AUTO_EXPAND_SECMEM).
 *  - Errors are gpg_error_t with source GPG_ERR_SOURCE_USER_1 and one of
 *    the codes below, so a host can tell the user what exactly failed:
 *
 *    GPG_ERR_INV_DATA          not a pack of this format (garbage)
 *    GPG_ERR_INV_PACKET        header or record malformed
 *    GPG_ERR_UNKNOWN_VERSION   version field not supported
 *    GPG_ERR_CIPHER_ALGO       AEAD / cipher id not supported
 *    GPG_ERR_BAD_MAC           header authentication failed
 *    GPG_ERR_CHECKSUM          a payload chunk failed authentication
 *    GPG_ERR_TRUNCATED         the pack ends before its last chunk
 *    GPG_ERR_INV_LENGTH        data follows the last chunk
 *    GPG_ERR_TOO_LARGE         input exceeds the format's limit
 *    GPG_ERR_INV_KEYINFO       key file malformed
 *    GPG_ERR_WRONG_SECKEY      key file or share belongs to another pack
 *    GPG_ERR_BAD_KEY           key does not match the pack's key check
 *    GPG_ERR_NO_PASSPHRASE     a passphrase is needed but none was given
 *    GPG_ERR_BAD_PASSPHRASE    the passphrase is wrong
 *    GPG_ERR_LIMIT_REACHED     key file asks for more KDF work than accepted
 *    GPG_ERR_MISSING_KEY       fewer shares than the threshold
 *    GPG_ERR_DUP_VALUE         two shares with the same index
 *    GPG_ERR_INV_VALUE         share index 0 or parameters out of range
 *    GPG_ERR_BAD_DATA          a share is corrupt (see r_bad_share)
 *    GPG_ERR_INV_PACKET        also: a share envelope is malformed
 *    GPG_ERR_INV_ARG           a NULL pointer, or no usable host services
 *    GPG_ERR_INV_STATE         feed or finish after finish
 *  and those of the openpgp / autocrypt formats (doc/format.md):
 *    GPG_ERR_DIGEST_ALGO       S2K hash not supported
 *    GPG_ERR_NOT_SUPPORTED     S2K type or a feature (share mode) not
 *                              supported
 *    GPG_ERR_COMPR_ALGO        authentic, but compressed data inside
 *    GPG_ERR_TOO_MANY          autocrypt: more than one secret key
 *    GPG_ERR_NO_SECKEY         autocrypt: no secret key in the key data
 *  Errors of a host service are passed on unchanged (their own source).
 */
#ifndef GPGPACK_PLUGIN_H
#define GPGPACK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include <gpg-error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on every incompatible change of anything in this file.  */
#define GPGPACK_PLUGIN_ABI_VERSION 2

/* Name of the one symbol a plugin exports.  */
#define GPGPACK_PLUGIN_ENTRY_NAME "gpgpack_plugin_entry"

/* A host hands probe() and info() at most this many leading bytes.  */
#define GPGPACK_PROBE_BYTES 4096

/* Error source plugins use for their codes.  */
#define GPGPACK_ERR_SOURCE GPG_ERR_SOURCE_USER_1

/* Capability flags of a format (gpgpack_format_t.flags) and needs of one
 * pack (gpgpack_info_t.needs).  */
#define GPGPACK_FMT_KEYFILE        0x01  /* opening needs a key file        */
#define GPGPACK_FMT_PASSPHRASE     0x02  /* key file may be passphrase-protected */
#define GPGPACK_FMT_PIN_REQUIRED   0x04  /* ... and the passphrase is mandatory */
#define GPGPACK_FMT_SHARES         0x08  /* file key may be split into shares */
#define GPGPACK_FMT_MANIFEST       0x10  /* pack carries an encrypted manifest */
#define GPGPACK_FMT_AUTHENTICATED  0x20  /* integrity protected (gfe1 is not) */
#define GPGPACK_FMT_MAIL_HTML      0x40  /* host also writes NAME.html, the
                                            armored pack in <pre> (a mail
                                            attachment, Autocrypt)        */
#define GPGPACK_FMT_SETUP_CODE     0x80  /* the key file is a code a person
                                            types; a host may show it once
                                            instead of writing it          */

/* Bytes owned by whoever receives them; secret ones are in secure memory.  */
typedef struct gpgpack_blob
{
  unsigned char *data;
  size_t len;
} gpgpack_blob_t;

/* Where a plugin writes what it produces.  WRITE may be called any number
 * of times with any length; an error it returns aborts the operation.  */
typedef struct gpgpack_sink
{
  gpg_error_t (*write) (void *opaque, const void *buf, size_t len);
  void *opaque;
} gpgpack_sink_t;

/* Source of random bytes.  Hosts leave it NULL (libgcrypt's strong RNG is
 * used); known-answer tests set it to get reproducible output.  */
typedef void (*gpgpack_random_fn_t) (void *opaque, void *buf, size_t len);

/* Input of seal_start.  Zero / NULL fields take the format's default.  */
typedef struct gpgpack_seal_params
{
  gpgpack_sink_t out;         /* receives the pack bytes                   */
  const char *passphrase;     /* UTF-8; protects the key file (PIN)        */
  const void *manifest;       /* "FPR S|P\n" lines; NULL if none           */
  size_t manifestlen;
  int aead_algo;              /* GCRY_CIPHER_MODE_OCB or _GCM; 0 default   */
  size_t chunk_size;          /* plaintext bytes per chunk; 0 default      */
  uint64_t created;           /* seconds since the epoch; 0 = now          */
  unsigned int kdf_passes;    /* Argon2id t; 0 default                     */
  unsigned int kdf_mem_kib;   /* Argon2id m in KiB; 0 default              */
  int raw_key;                /* return the raw file key, not a key file   */
  gpgpack_random_fn_t random; /* tests only; NULL in production            */
  void *random_opaque;
} gpgpack_seal_params_t;

/* Input of open_start.  */
typedef struct gpgpack_open_params
{
  gpgpack_sink_t out;         /* receives the plaintext key data           */
  gpgpack_sink_t manifest;    /* receives the manifest once; write may be NULL */
  const void *key;            /* key file bytes, or raw file key           */
  size_t keylen;
  int raw_key;                /* KEY is the raw file key (share mode)      */
  const char *passphrase;     /* NULL unless the key file needs one        */
} gpgpack_open_params_t;

/* What info() tells about a pack without any key.  */
typedef struct gpgpack_info
{
  char pack_id[33];           /* hex; "" if the format has none            */
  uint64_t created;           /* 0 if the format does not record it        */
  const char *cipher;         /* static string, e.g. "AES-256-OCB"         */
  size_t chunk_size;          /* 0 if not chunked                          */
  unsigned int needs;         /* GPGPACK_FMT_* bits that apply to this pack */
  unsigned int threshold;     /* shares needed; 0 without share mode       */
} gpgpack_info_t;

/* Opaque state of one seal or open operation.  */
typedef struct gpgpack_stream *gpgpack_stream_t;

/* Facts a custodian can learn from one (unwrapped) share.  */
typedef struct gpgpack_share_info
{
  char pack_id[33];
  unsigned int index;         /* x coordinate, 1..255                      */
  unsigned int threshold;
  unsigned int generation;
} gpgpack_share_info_t;

/* Version of gpgpack_host_t; a host sets SIZE to sizeof (gpgpack_host_t)
 * so that members added later (at the end) can be detected.  */
#define GPGPACK_HOST_VERSION 1

/* OpenPGP services a host offers a plugin (the daemon implements them
 * with GPGME, unit tests with a test-only stand-in).  OPAQUE is passed
 * as the first argument of every service.  */
typedef struct gpgpack_host
{
  unsigned int version;       /* GPGPACK_HOST_VERSION                      */
  size_t size;                /* sizeof (gpgpack_host_t) of the host       */
  void *opaque;

  /* Encrypt the N byte strings ITEMS, ITEMS[I] to the OpenPGP key whose
   * fingerprint is FPRS[I]; R_MSGS (N blobs the caller provides)
   * receive ASCII-armored OpenPGP messages from gcry_malloc (released
   * like any blob).  The host may encrypt them in parallel.  On error
   * all R_MSGS are empty.  */
  gpg_error_t (*encrypt) (void *opaque, unsigned int n,
                          const char *const *fprs,
                          const gpgpack_blob_t *items,
                          gpgpack_blob_t *r_msgs);

  /* Decrypt the OpenPGP message MSG of LEN bytes with a secret key of
   * the host's keyring; *R_DATA receives the plaintext in secure memory.
   * GPG_ERR_NO_SECKEY if it is encrypted to no key the host has.  */
  gpg_error_t (*decrypt) (void *opaque, const void *msg, size_t len,
                          gpgpack_blob_t *r_data);
} gpgpack_host_t;

/* Input of wrap: split a file key and wrap each share to a custodian.  */
typedef struct gpgpack_wrap_params
{
  const gpgpack_host_t *host;
  const void *key;            /* the raw file key (seal with raw_key)      */
  size_t keylen;
  const void *pack_head;      /* leading bytes of the sealed pack          */
  size_t headlen;
  unsigned int generation;
  unsigned int threshold;     /* T: 2 <= T <= NSHARES                      */
  unsigned int nshares;       /* N: <= 255                                 */
  const char *const *wrap_fprs;  /* N fingerprints: share I to [I-1]       */
  const char *const *custodians; /* N names for the envelope; NULL: FPRs  */
  gpgpack_random_fn_t random; /* tests only; NULL in production            */
  void *random_opaque;
} gpgpack_wrap_params_t;

/* Secret sharing of a file key (Shamir over GF(2^8)).  */
typedef struct gpgpack_sharing
{
  /* Split KEY into N shares of which any T recover it; each share is
   * bound to PACK_HEAD (the leading bytes of the sealed pack) and
   * GENERATION.  R_SHARES is an array of N blobs the caller provides.  */
  gpg_error_t (*split) (const void *key, size_t keylen,
                        const void *pack_head, size_t headlen,
                        unsigned int generation,
                        unsigned int threshold, unsigned int nshares,
                        gpgpack_random_fn_t random, void *random_opaque,
                        gpgpack_blob_t *r_shares);

  /* Recover the key from NSHARES shares and check it against PACK_HEAD.
   * With more shares than the threshold a corrupt one is found and its
   * position in SHARES stored at R_BAD_SHARE (else -1).  */
  gpg_error_t (*combine) (const gpgpack_blob_t *shares, unsigned int nshares,
                          const void *pack_head, size_t headlen,
                          gpgpack_blob_t *r_key, int *r_bad_share);

  /* Describe SHARE; with PACK_HEAD non-NULL also check that it belongs to
   * that pack and is intact, without combining.  */
  gpg_error_t (*info) (const void *share, size_t sharelen,
                       const void *pack_head, size_t headlen,
                       gpgpack_share_info_t *r_info);

  /* Split PARAMS->key like split and put each share in its envelope
   * (doc/format.md, "Share envelope"), which PARAMS->host encrypts to
   * its wrap key.  R_MESSAGES is an array of NSHARES blobs the caller
   * provides; on success blob I-1 holds the armored OpenPGP message of
   * share I, on error all are empty.  */
  gpg_error_t (*wrap) (const gpgpack_wrap_params_t *params,
                       gpgpack_blob_t *r_messages);

  /* Take the share out of MSG: an envelope as wrap encrypted it (opened
   * with HOST's decrypt) or already decrypted.  *R_SHARE receives the
   * encoded share (for combine and info) in secure memory; unless
   * R_CUSTODIAN is NULL, *R_CUSTODIAN receives the envelope's custodian
   * name (UTF-8, from gcry_malloc).  */
  gpg_error_t (*unwrap) (const gpgpack_host_t *host,
                         const void *msg, size_t len,
                         gpgpack_blob_t *r_share, char **r_custodian);
} gpgpack_sharing_t;

/* One pack format.  */
typedef struct gpgpack_format
{
  const char *name;           /* "native", "gfe1", ...                     */
  const char *description;    /* one line for GETINFO formats              */
  const char *pack_ext;       /* ".gpgpack", ".gfepack", ...               */
  const char *key_ext;        /* ".key"                                    */
  unsigned int flags;         /* GPGPACK_FMT_*                             */
  uint64_t max_pack_size;     /* 0 = no limit                              */

  /* Rate 0..100 how likely HEAD (the first HEADLEN bytes of a pack of
   * TOTAL bytes, named FILENAME or NULL) is of this format.  */
  int (*probe) (const void *head, size_t headlen, uint64_t total,
                const char *filename);

  /* Describe the pack whose first HEADLEN bytes are HEAD.  */
  gpg_error_t (*info) (const void *head, size_t headlen,
                       gpgpack_info_t *r_info);

  /* Start sealing; *R_KEY receives the key file (or the raw file key if
   * PARAMS->raw_key) in secure memory.  */
  gpg_error_t (*seal_start) (const gpgpack_seal_params_t *params,
                             gpgpack_stream_t *r_stream,
                             gpgpack_blob_t *r_key);

  /* Start opening; errors about the key may also come from open_feed,
   * once the header has been read.  */
  gpg_error_t (*open_start) (const gpgpack_open_params_t *params,
                             gpgpack_stream_t *r_stream);

  /* Feed LEN input bytes (plaintext when sealing, pack when opening).  */
  gpg_error_t (*feed) (gpgpack_stream_t stream, const void *buf, size_t len);

  /* End of input: flush, verify the end.  Opening output is only
   * authentic once finish has returned 0.  */
  gpg_error_t (*finish) (gpgpack_stream_t stream);

  /* Wipe and free STREAM; NULL is allowed.  */
  void (*release) (gpgpack_stream_t stream);

  const gpgpack_sharing_t *sharing;  /* NULL without share mode           */
} gpgpack_format_t;

/* The table a plugin returns.  */
typedef struct gpgpack_plugin
{
  unsigned int abi_version;   /* GPGPACK_PLUGIN_ABI_VERSION                */
  const char *name;           /* module name for messages                  */
  const char *version;        /* module version string                     */
  unsigned int nformats;
  const gpgpack_format_t *const *formats;
} gpgpack_plugin_t;

typedef const gpgpack_plugin_t *(*gpgpack_plugin_entry_t) (unsigned int abi);

#ifdef __cplusplus
}
#endif
#endif /*GPGPACK_PLUGIN_H*/
