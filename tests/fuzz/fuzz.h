/* fuzz.h - what the fuzz targets, their fixtures and the replay driver share
 *
 * Every target (fuzz-*.c) defines the two libFuzzer entry points and
 * fuzz_seeds.  Built with clang -fsanitize=fuzzer ("make fuzz") libFuzzer
 * drives them; built with the normal compiler, replay.c runs them over
 * the committed corpus and regression inputs ("make check").
 */
#ifndef GPGPACK_FUZZ_H
#define GPGPACK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <gpg-error.h>
#include "gpgpack-plugin.h"

/* The libFuzzer entry points.  */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Write the target's seed inputs, made from its fixtures, into the
 * existing directory DIR ("replay-TARGET --seeds DIR").  */
gpg_error_t fuzz_seeds (const char *dir);

/* The entry point of the plugin linked into the target (one per
 * target, so the symbol is unique).  */
const gpgpack_plugin_t *gpgpack_plugin_entry (unsigned int abi);

/* Passphrase of every passphrase-protected fixture.  */
#define FUZZ_PASSPHRASE "fuzz"

/* Initialise libgcrypt once.  Secure memory comes from malloc so that
 * AddressSanitizer sees every buffer the plugins keep there (libgcrypt's
 * own pool is invisible to it); never do this outside a fuzz target.  */
void fuzz_init (void);

/* Split the leading control byte off an input: DATA/SIZE become the
 * rest; the byte is returned (0 for an empty input).  */
unsigned int fuzz_control (const uint8_t **data, size_t *size);

/* Write the seed file DIR/NAME: the control byte CTL (none if CTL is
 * negative) followed by the LEN bytes at BUF.  */
gpg_error_t fuzz_write_seed (const char *dir, const char *name, int ctl,
                             const void *buf, size_t len);

/* Write the N strings TEXTS as seed files DIR/PREFIX-0, PREFIX-1...
 * (without control byte).  */
gpg_error_t fuzz_write_text_seeds (const char *dir, const char *prefix,
                                   const char *const *texts, size_t n);

#endif /*GPGPACK_FUZZ_H*/
