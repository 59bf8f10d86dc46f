/* sharerefresh.c - SHARE_REFRESH's output: new shares, or a new pack
 *
 * The new shares (and with --rekey the new pack) go to temporary files
 * that are committed together only once all are written: a failure
 * anywhere leaves no new file and never touches the old pack or the
 * old shares, which are never replaced.
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sharerefresh.h"

/* Write LEN bytes of BUF to JOB's FILE; keep the first error.  */
static gpg_error_t
job_write (sharerefresh_t *job, outfile_t file, const void *buf, size_t len)
{
  gpg_error_t err = outfile_write (file, buf, len);

  if (err && !job->write_err)
    job->write_err = err;
  return err;
}

/* Start JOB's output file NAME + EXT at R_FILE.  */
static gpg_error_t
create_file (sharerefresh_t *job, const char *ext, outfile_t *r_file)
{
  char *fname = gpgrt_bsprintf ("%s%s", job->name, ext);
  gpg_error_t err;

  if (!fname)
    return gpg_error_from_syserror ();
  err = outfile_create (job->output_dir, fname, 0, r_file);
  if (gpg_err_code (err) == GPG_ERR_EEXIST)
    err = server_error (job->ctrl, err, "'%s/%s' already exists and is"
                        " never replaced: give another --name or"
                        " --output-dir", job->output_dir, fname);
  else if (gpg_err_code (err) == GPG_ERR_ENAMETOOLONG)
    err = server_error (job->ctrl, err, "'%s/%s' is too long for a status"
                        " line (over %d bytes escaped): give a shorter"
                        " --output-dir or --name", job->output_dir, fname,
                        OUTFILE_ARG_MAX);
  else if (err)
    err = server_error (job->ctrl, err, "can't create files in '%s';"
                        " give a writable --output-dir", job->output_dir);
  gpgrt_free (fname);
  return err;
}

gpg_error_t
sharerefresh_create_files (sharerefresh_t *job)
{
  unsigned int i, first = !!job->rekey;
  gpg_error_t err = 0;
  char *ext;

  job->files = gpgrt_calloc (first + job->sx->nshares, sizeof *job->files);
  if (!job->files)
    return gpg_error_from_syserror ();
  job->nfiles = first + job->sx->nshares;
  if (first)
    err = create_file (job, job->fmt->pack_ext, &job->files[0]);
  for (i = 0; i < job->sx->nshares && !err; i++)
    {
      ext = shareexport_file_ext (job->sx, i);
      err = ext ? create_file (job, ext, &job->files[first + i])
                : gpg_error_from_syserror ();
      gpgrt_free (ext);
    }
  return err;
}

/* Sink of the re-key's seal: the new pack to FILES[0]; its leading
 * bytes are kept as the head the shares are bound to.  */
static gpg_error_t
pack_write (void *opaque, const void *buf, size_t len)
{
  sharerefresh_t *job = opaque;
  size_t room = sizeof job->head - job->headlen;

  memcpy (job->head + job->headlen, buf, len < room ? len : room);
  job->headlen += len < room ? len : room;
  return job_write (job, job->files[0], buf, len);
}

gpg_error_t
sharerefresh_reseal (sharerefresh_t *job, const secbuf_t *plain,
                     const secbuf_t *manifest, gpgpack_blob_t *r_key)
{
  gpgpack_seal_params_t params = { { pack_write, job } };
  gpgpack_stream_t stream = NULL;
  gpgpack_sink_t inner;
  gpg_error_t err;

  job->headlen = 0;
  params.manifest = manifest->len ? manifest->data : NULL;
  params.manifestlen = manifest->len;
  params.raw_key = 1;
  packio_lock_sink (&params.out, &inner);
  UNLOCKED (err = job->fmt->seal_start (&params, &stream, r_key));
  if (!err)
    UNLOCKED (err = job->fmt->feed (stream, plain->data, plain->len));
  if (!err)
    UNLOCKED (err = job->fmt->finish (stream));
  job->fmt->release (stream);
  if (err && job->write_err)
    err = server_error (job->ctrl, job->write_err, "can't write the new"
                        " pack; free space in '%s' (nothing was written)",
                        job->output_dir);
  else if (err)
    err = server_error (job->ctrl, err, "format '%s' can't seal the new"
                        " pack; nothing written", job->fmt->name);
  return err;
}

gpg_error_t
sharerefresh_write (sharerefresh_t *job, const gpgpack_blob_t *key)
{
  shareexport_t *sx = job->sx;
  unsigned int i, first = !!job->rekey;
  gpg_error_t err;

  err = shareexport_wrap (job->ctrl, sx, job->fmt, job->head, job->headlen,
                          key);
  for (i = 0; i < sx->nshares && !err; i++)
    err = job_write (job, job->files[first + i], sx->msgs[i].data,
                     sx->msgs[i].len);
  if (!err)
    {
      err = outfile_commit_all (job->files, job->nfiles);
      if (err)
        err = server_error (job->ctrl, err, "can't store the new files in"
                            " '%s'; nothing written", job->output_dir);
    }
  if (err && job->write_err)
    err = server_error (job->ctrl, job->write_err, "can't write the new"
                        " files; free space in '%s' (nothing was written)",
                        job->output_dir);
  return err;
}

gpg_error_t
sharerefresh_report (sharerefresh_t *job)
{
  unsigned int i, first = !!job->rekey;
  shareexport_t *sx = job->sx;
  gpgpack_info_t info;
  gpg_error_t err = 0;

  for (i = 0; i < sx->nshares && !err; i++)
    err = server_status (job->ctrl, "SHARE_CREATED", "%u %s %s", i + 1,
                         sx->keys.fprs[i],
                         outfile_arg (job->files[first + i]));
  memset (&info, 0, sizeof info);
  if (!err && job->fmt->info (job->head, job->headlen, &info))
    strcpy (info.pack_id, "-");
  if (!err && first)
    err = server_status (job->ctrl, "PACK_CREATED", "%s %s -", info.pack_id,
                         outfile_arg (job->files[0]));
  if (!err)
    err = server_status (job->ctrl, "SHARE_REFRESHED", "%s %u %u %u",
                         info.pack_id, sx->generation ? sx->generation
                         : SHAREEXPORT_GENERATION, sx->thresh, sx->nshares);
  return err;
}

void
sharerefresh_release (sharerefresh_t *job)
{
  unsigned int i;

  for (i = 0; i < job->nfiles; i++)
    outfile_release (job->files[i]);
  gpgrt_free (job->files);
  job->files = NULL;
  job->nfiles = 0;
}
