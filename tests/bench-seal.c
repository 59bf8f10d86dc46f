/* bench-seal.c - native plugin seal/open throughput against raw libgcrypt
 *
 * Usage: bench-seal [MIB [CHUNK [ocb|gcm]]]   (default 1024 16384 ocb)
 *
 * Both sides run as a pipeline (sealed bytes go straight into the
 * opener), so memory stays constant; the time spent opening is measured
 * inside the pipeline and subtracted from the total for sealing.  The
 * raw loop does per chunk what the format needs at least: set a nonce,
 * authenticate the header, en/decrypt out of place, make/check the tag.
 */
#ifdef HAVE_CONFIG_H
# include <config.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gcrypt.h>

#include "pluginload.h"
#include "benchutil.h"

#define FEED_LEN (1024 * 1024)   /* bytes per feed call */
#define AD_LEN 88                /* header + record word */

/* Pipeline state: the opener and what it has produced.  */
struct pipe
{
  const gpgpack_format_t *fmt;
  gpgpack_stream_t opener;
  unsigned char early[256];    /* output of seal_start, before the opener */
  size_t earlylen;
  double open_secs;
  uint64_t opened;
};

static void
die (const char *what, gpg_error_t err)
{
  fprintf (stderr, "bench-seal: %s: %s\n", what, gpg_strerror (err));
  exit (1);
}


/* Opener output: count it.  */
static gpg_error_t
count_write (void *opaque, const void *buf, size_t len)
{
  ((struct pipe *)opaque)->opened += len;
  return 0;
}


/* Sealer output: feed it to the opener, timing the opener.  */
static gpg_error_t
pipe_write (void *opaque, const void *buf, size_t len)
{
  struct pipe *p = opaque;
  double t0 = bench_now ();
  gpg_error_t err;

  if (!p->opener)
    {
      /* The opener needs the key that seal_start has not returned yet.  */
      if (p->earlylen + len > sizeof p->early)
        return gpg_error (GPG_ERR_BUFFER_TOO_SHORT);
      memcpy (p->early + p->earlylen, buf, len);
      p->earlylen += len;
      return 0;
    }
  err = p->fmt->feed (p->opener, buf, len);
  p->open_secs += bench_now () - t0;
  return err;
}


/* Seal and open TOTAL bytes of DATA through the plugin.  */
static void
bench_plugin (const gpgpack_format_t *fmt, int mode, size_t chunk,
              const unsigned char *data, uint64_t total,
              double *r_seal, double *r_open)
{
  struct pipe p = { fmt };
  gpgpack_seal_params_t sp;
  gpgpack_open_params_t op;
  gpgpack_stream_t sealer;
  gpgpack_blob_t key;
  uint64_t done;
  gpg_error_t err;
  double t0;

  memset (&sp, 0, sizeof sp);
  sp.out.write = pipe_write;
  sp.out.opaque = &p;
  sp.aead_algo = mode;
  sp.chunk_size = chunk;
  sp.raw_key = 1;
  memset (&op, 0, sizeof op);
  op.out.write = count_write;
  op.out.opaque = &p;
  op.raw_key = 1;

  t0 = bench_now ();
  err = fmt->seal_start (&sp, &sealer, &key);
  if (err)
    die ("seal_start", err);
  op.key = key.data;
  op.keylen = key.len;
  err = fmt->open_start (&op, &p.opener);
  if (!err)
    err = pipe_write (&p, p.early, p.earlylen);
  if (err)
    die ("open_start", err);
  for (done = 0; done < total && !err; done += FEED_LEN)
    err = fmt->feed (sealer, data, total - done < FEED_LEN ? total - done
                                                           : FEED_LEN);
  if (!err)
    err = fmt->finish (sealer);
  if (!err)
    err = fmt->finish (p.opener);
  if (err)
    die ("plugin", err);
  *r_seal = bench_now () - t0 - p.open_secs;
  *r_open = p.open_secs;
  if (p.opened != total)
    die ("plugin opened a wrong length", gpg_error (GPG_ERR_BUG));
  fmt->release (sealer);
  fmt->release (p.opener);
  memset (key.data, 0, key.len);
  gcry_free (key.data);
}


/* The same work with libgcrypt directly.  */
static void
bench_raw (int mode, size_t chunk, const unsigned char *data, uint64_t total,
           double *r_seal, double *r_open)
{
  unsigned char key[32], nonce[12] = { 0 }, ad[AD_LEN] = { 0 };
  unsigned char *record, *plain;
  gcry_cipher_hd_t enc, dec;
  uint64_t done, off = 0;
  uint32_t counter = 0;
  gpg_error_t err = 0;
  size_t n;
  double t0, t1;

  record = gcry_malloc (chunk + 16);
  plain = gcry_malloc_secure (chunk);
  if (!record || !plain)
    die ("raw", gpg_error_from_syserror ());
  gcry_randomize (key, sizeof key, GCRY_STRONG_RANDOM);
  gcry_cipher_open (&enc, GCRY_CIPHER_AES256, mode, GCRY_CIPHER_SECURE);
  gcry_cipher_open (&dec, GCRY_CIPHER_AES256, mode, GCRY_CIPHER_SECURE);
  gcry_cipher_setkey (enc, key, sizeof key);
  gcry_cipher_setkey (dec, key, sizeof key);
  *r_seal = *r_open = 0;
  for (done = 0; done <= total && !err; done += chunk, counter++)
    {
      n = total - done < chunk ? total - done : chunk;
      memcpy (nonce + 7, &counter, 4);
      t0 = bench_now ();
      gcry_cipher_setiv (enc, nonce, sizeof nonce);
      gcry_cipher_authenticate (enc, ad, sizeof ad);
      gcry_cipher_final (enc);
      gcry_cipher_encrypt (enc, record, n, data + off, n);
      gcry_cipher_gettag (enc, record + n, 16);
      t1 = bench_now ();
      gcry_cipher_setiv (dec, nonce, sizeof nonce);
      gcry_cipher_authenticate (dec, ad, sizeof ad);
      gcry_cipher_final (dec);
      gcry_cipher_decrypt (dec, plain, n, record, n);
      err = gcry_cipher_checktag (dec, record + n, 16);
      *r_seal += t1 - t0;
      *r_open += bench_now () - t1;
      off = (off + n) % FEED_LEN;
    }
  if (err)
    die ("raw", err);
  gcry_cipher_close (enc);
  gcry_cipher_close (dec);
  gcry_free (record);
  gcry_free (plain);
}


/* Write the MB/s figures to $BENCH_PARTS/seal.json if that is set
 * (make bench); false if that fails.  */
static int
write_part (const char *mode, size_t chunk, double mb, double raw_seal,
            double raw_open, double pl_seal, double pl_open, long rss)
{
  int unset;
  FILE *fp = bench_part_open ("seal", &unset);

  if (!fp)
    return unset;
  fprintf (fp, "{\"mode\": \"%s\", \"chunk\": %zu,"
           " \"raw_seal_mb_s\": %.1f, \"raw_open_mb_s\": %.1f,"
           " \"plugin_seal_mb_s\": %.1f, \"plugin_open_mb_s\": %.1f,"
           " \"peak_rss_kib\": %ld}\n", mode, chunk, mb / raw_seal,
           mb / raw_open, mb / pl_seal, mb / pl_open, rss);
  return !fclose (fp);
}


int
main (int argc, char **argv)
{
  uint64_t mib = argc > 1 ? strtoull (argv[1], NULL, 10) : 1024;
  size_t chunk = argc > 2 ? strtoul (argv[2], NULL, 10) : 16384;
  int gcm = argc > 3 && !strcmp (argv[3], "gcm");
  int mode = gcm ? GCRY_CIPHER_MODE_GCM : GCRY_CIPHER_MODE_OCB;
  uint64_t total = mib * 1024 * 1024;
  double raw_seal, raw_open, pl_seal, pl_open;
  const gpgpack_format_t *fmt;
  unsigned char *data;
  struct rusage ru;
  plugin_set_t set;
  gpg_error_t err;
  size_t i;

  gcry_check_version (NULL);
  gcry_control (GCRYCTL_INIT_SECMEM, (int)(4 * chunk + 65536), 0);
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
  err = plugin_load_dir (NULL, &set);
  if (err)
    die ("loading plugins", err);
  fmt = plugin_find_format (set, "native");
  if (!fmt)
    die ("native format", gpg_error (GPG_ERR_NOT_FOUND));

  /* Chunk-aligned feeding needs FEED_LEN to be a multiple of CHUNK.  */
  data = malloc (FEED_LEN + chunk);
  if (!data || FEED_LEN % chunk)
    die ("chunk size must divide 1 MiB", gpg_error (GPG_ERR_INV_VALUE));
  for (i = 0; i < FEED_LEN + chunk; i++)
    data[i] = i * 7 + (i >> 9);

  bench_raw (mode, chunk, data, total, &raw_seal, &raw_open);
  bench_plugin (fmt, mode, chunk, data, total, &pl_seal, &pl_open);
  getrusage (RUSAGE_SELF, &ru);

  printf ("bench-seal: %llu MiB, %s, chunk %zu bytes\n",
          (unsigned long long)mib, gcm ? "AES-256-GCM" : "AES-256-OCB", chunk);
  printf ("  raw libgcrypt  seal %8.1f MB/s   open %8.1f MB/s\n",
          total / 1e6 / raw_seal, total / 1e6 / raw_open);
  printf ("  native plugin  seal %8.1f MB/s   open %8.1f MB/s\n",
          total / 1e6 / pl_seal, total / 1e6 / pl_open);
  printf ("  plugin/raw     seal %7.1f %%      open %7.1f %%"
          "   (target >= 80 %%)\n",
          100 * raw_seal / pl_seal, 100 * raw_open / pl_open);
  printf ("  peak RSS       %.1f MiB   (target <= 16 MiB)\n",
          ru.ru_maxrss / 1024.0);
  if (!write_part (gcm ? "AES-256-GCM" : "AES-256-OCB", chunk, total / 1e6,
                   raw_seal, raw_open, pl_seal, pl_open, ru.ru_maxrss))
    die ("writing $BENCH_PARTS/seal.json", gpg_error_from_syserror ());
  free (data);
  plugin_release (set);
  return 0;
}
