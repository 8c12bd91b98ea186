/* qrs-secret.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "qrs-net.h"
#include "qrs-provider.h"
#include "qrs-secret-private.h"

/* g_free() leaves the bytes in the heap, where a core dump or a later
 * allocation can find them. The compiler may drop a plain memset() before a
 * free, so use explicit_bzero() or a volatile write it has to keep.
 */
void
qrs_secret_wipe (void  *data,
                 gsize  length)
{
  if (data == NULL || length == 0)
    return;

#ifdef HAVE_EXPLICIT_BZERO
  explicit_bzero (data, length);
#else
  {
    volatile guint8 *p = data;

    while (length--)
      *p++ = 0;
  }
#endif
}

void
qrs_secret_free (QrsSecret *secret)
{
  if (secret == NULL)
    return;

  qrs_secret_wipe (secret, strlen (secret));
  g_free (secret);
}

/**
 * qrs_loggable_text:
 * @text: (nullable): text that may come from a server
 *
 * Quotes @text for a log line, escaping quotes, backslashes and control
 * characters, so that what a server sends cannot forge or split log lines.
 * Never use it on a secret.
 *
 * Returns: (transfer full): e.g. `"Alice"`, or `(none)` for %NULL
 */
char *
qrs_loggable_text (const char *text)
{
  GString *string;

  if (text == NULL)
    return g_strdup ("(none)");

  string = g_string_new ("\"");
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (string, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (string, "\\x%02x", c);
      else
        g_string_append_c (string, (char) c);
    }
  g_string_append_c (string, '"');

  return g_string_free (string, FALSE);
}

/*
 * Client secrets
 */

/* Keeps @raw, minus surrounding whitespace (files usually end with a
 * newline), as a secret. The copy is made once, already trimmed: trimming
 * in place would leave the tail of the secret past the new end.
 */
static QrsSecret *
secret_from_text (const char  *raw,
                  gsize        length,
                  const char  *origin,
                  GError     **error)
{
  g_autoptr(QrsSecret) secret = NULL;
  const char *start = raw;
  const char *end = raw + length;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  secret = g_strndup (start, (gsize) (end - start));

  /* It goes into a JSON string, a form or a Basic header: keep it to
   * printable ASCII, which every real secret is.
   */
  if (!qrs_net_text_is_visible_ascii (secret, QRS_SECRET_MAX_LENGTH))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The client secret from %s is empty, too long, or has characters that are not allowed."),
                   origin);
      return NULL;
    }

  return g_steal_pointer (&secret);
}

/**
 * qrs_secret_check_file:
 * @path: a file that should hold a client secret
 * @error: a %G_IO_ERROR whose message is one sentence saying what to do
 *
 * Whether the secret file can be opened for reading, without reading it
 * (non-blocking, so a FIFO does not hang the start), and is private: a
 * secret every user of the computer can read is no secret, so a file
 * readable (or writable) by others than its owner and group is refused.
 *
 * Returns: whether the file is fit to hold a secret
 */
gboolean
qrs_secret_check_file (const char  *path,
                       GError     **error)
{
  g_autofree char *display_name = NULL;
  const char *reason = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  display_name = g_filename_display_name (path);

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    reason = g_strerror (errno);
  else
    {
      if (fstat (fd, &st) != 0)
        reason = g_strerror (errno);
      else if (S_ISDIR (st.st_mode))
        reason = g_strerror (EISDIR);
      else if (!S_ISREG (st.st_mode))
        reason = _("not a regular file");
      close (fd);
    }

  if (reason != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The client secret file “%s” cannot be read (%s): check the “client-secret-file” key in GSettings."),
                   display_name, reason);
      return FALSE;
    }

  if ((st.st_mode & S_IRWXO) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("The client secret file “%s” can be read by every user of this computer: make it private with “chmod o-rwx %s” and try again."),
                   display_name, display_name);
      return FALSE;
    }

  return TRUE;
}

static QrsSecret *
load_file (const char  *path,
           GError     **error)
{
  g_autoptr(GError) file_error = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autofree char *display_name = g_filename_display_name (path);
  const char *contents;
  gsize length;

  if (!qrs_secret_check_file (path, error))
    return NULL;

  /* Mapped, so a huge file is refused without being read. */
  file = g_mapped_file_new (path, FALSE, &file_error);
  if (file == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The client secret could not be read from “%s”: %s"),
                   display_name, file_error->message);
      return NULL;
    }

  contents = g_mapped_file_get_contents (file);
  length = g_mapped_file_get_length (file);
  if (length == 0 || length > QRS_SECRET_MAX_LENGTH + 2 || memchr (contents, '\0', length) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file “%s” does not look like a client secret."),
                   display_name);
      return NULL;
    }

  return secret_from_text (contents, length, display_name, error);
}

/**
 * qrs_secret_load:
 * @variable: (nullable): an environment variable that may hold the secret
 * @path: (nullable): a file that may hold it
 * @error: a %G_IO_ERROR whose message is one sentence saying what to do
 *
 * Reads a client secret from the environment when @variable is set and not
 * empty, else from @path. Secrets never come from the command line, where
 * every user of the machine can read them.
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL if there is
 *   none or it cannot be used
 */
QrsSecret *
qrs_secret_load (const char  *variable,
                 const char  *path,
                 GError     **error)
{
  const char *value = variable != NULL ? g_getenv (variable) : NULL;

  if (value != NULL && *value != '\0')
    return secret_from_text (value, strlen (value), variable, error);

  if (path != NULL)
    return load_file (path, error);

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("No client secret was given."));
  return NULL;
}

/**
 * qrs_secret_replace:
 * @slot: where a provider keeps its client secret
 * @secret: the new secret
 * @error: a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * Keeps a copy of @secret in @slot, wiping the one before. Any printable
 * ASCII will do, spaces included (RFC 6749's VSCHAR): it goes into a JSON
 * string, a form or Basic credentials, never into a header as it is.
 *
 * Returns: whether @secret was usable and is now kept
 */
gboolean
qrs_secret_replace (QrsSecret   **slot,
                    const char   *secret,
                    GError      **error)
{
  g_return_val_if_fail (slot != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  if (!qrs_net_text_is_visible_ascii (secret, QRS_SECRET_MAX_LENGTH))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The client secret is empty, too long, or has characters that are not allowed"));
      return FALSE;
    }

  g_clear_pointer (slot, qrs_secret_free);
  *slot = g_strdup (secret);

  return TRUE;
}
