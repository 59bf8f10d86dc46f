/* htmlwrap.c - the HTML mail attachment around an armored pack
 *
 * Autocrypt Level 1 sends its Setup Message as the attachment
 * autocrypt-setup-message.html: a short explanation, then the armored
 * message in a <pre> element.  gpgpackd writes it beside NAME.asc for
 * formats with GPGPACK_FMT_MAIL_HTML; their readers skip the text
 * around the armor, so the file also imports as it is.
 */
#include <config.h>
#include <string.h>

#include "htmlwrap.h"

static const char page_head[] =
  "<!DOCTYPE html>\n"
  "<html><head><meta charset=\"utf-8\">"
  "<title>Autocrypt Setup Message</title></head><body>\n"
  "<h1>Autocrypt Setup Message</h1>\n"
  "<p>This is the Autocrypt Setup Message used to transfer your\n"
  "end-to-end setup between clients.</p>\n"
  "<p>To decrypt and use your setup, open this message in an\n"
  "Autocrypt-capable client (or run <code>gpgpack import</code> on\n"
  "this file) and enter the setup code shown when it was made.</p>\n"
  "<pre>\n";

static const char page_tail[] = "</pre>\n</body></html>\n";

gpg_error_t
htmlwrap_begin (outfile_t file)
{
  return outfile_write (file, page_head, strlen (page_head));
}


/* The armor holds no markup characters; escape them all the same, so
 * that the page never becomes anything but text.  */
gpg_error_t
htmlwrap_write (outfile_t file, const void *buf, size_t len)
{
  const char *p = buf, *end = p + len, *run = p, *ent;
  gpg_error_t err = 0;

  for (; p < end && !err; p++)
    {
      ent = *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;"
            : NULL;
      if (!ent)
        continue;
      err = outfile_write (file, run, p - run);
      if (!err)
        err = outfile_write (file, ent, strlen (ent));
      run = p + 1;
    }
  return err ? err : outfile_write (file, run, end - run);
}


gpg_error_t
htmlwrap_end (outfile_t file)
{
  return outfile_write (file, page_tail, strlen (page_tail));
}
