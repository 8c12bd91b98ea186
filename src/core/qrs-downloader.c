/* qrs-downloader.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "qrs-downloader.h"

#define CHUNK_SIZE 16384

/* Fetches pictures the sign-in server points at (the QR image, avatars),
 * never reading more than the caller allows: a hostile server cannot make
 * us hold a gigabyte.
 */
struct _QrsDownloader
{
  GObject parent_instance;

  SoupSession *session;
};

typedef struct {
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *buffer;
  gsize max_bytes;
} Fetch;

G_DEFINE_FINAL_TYPE (QrsDownloader, qrs_downloader, G_TYPE_OBJECT)

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->buffer, g_byte_array_unref);
  g_free (fetch);
}

static void read_next (GTask *task);

/* Said as soon as we know, from the header or from what arrived. */
static void
return_too_large (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           _("The download is larger than %zu bytes"),
                           fetch->max_bytes);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_pointer (task,
                             g_byte_array_free_to_bytes (g_steal_pointer (&fetch->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  g_byte_array_append (fetch->buffer,
                       g_bytes_get_data (chunk, NULL),
                       g_bytes_get_size (chunk));
  if (fetch->buffer->len > fetch->max_bytes)
    {
      return_too_large (task);
      return;
    }

  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  /* One byte past the limit is enough to know the limit was passed. */
  gsize want = MIN (CHUNK_SIZE, fetch->max_bytes + 1 - fetch->buffer->len);

  g_input_stream_read_bytes_async (fetch->stream, want, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  goffset length;
  guint status;
  GError *error = NULL;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (fetch->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The server answered the download with HTTP %u"),
                               status);
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (fetch->message));
  if (length > 0 && (guint64) length > fetch->max_bytes)
    {
      return_too_large (task);
      return;
    }

  read_next (g_steal_pointer (&task));
}

static void
qrs_downloader_dispose (GObject *object)
{
  QrsDownloader *self = QRS_DOWNLOADER (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (qrs_downloader_parent_class)->dispose (object);
}

static void
qrs_downloader_class_init (QrsDownloaderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = qrs_downloader_dispose;
}

static void
qrs_downloader_init (QrsDownloader *self)
{
  self->session = soup_session_new_with_options ("timeout", 10,
                                                 "user-agent", "qr-signin/" PACKAGE_VERSION,
                                                 NULL);
}

QrsDownloader *
qrs_downloader_new (void)
{
  return g_object_new (QRS_TYPE_DOWNLOADER, NULL);
}

/**
 * qrs_downloader_fetch_async:
 * @self: a #QrsDownloader
 * @url: an http or https URL
 * @max_bytes: the most the body may have
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: passed to @callback
 *
 * GETs @url. A body over @max_bytes fails with %G_IO_ERROR_MESSAGE_TOO_LARGE
 * without being read whole.
 */
void
qrs_downloader_fetch_async (QrsDownloader       *self,
                            const char          *url,
                            gsize                max_bytes,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (QRS_IS_DOWNLOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qrs_downloader_fetch_async);

  fetch = g_new0 (Fetch, 1);
  fetch->max_bytes = max_bytes;
  fetch->buffer = g_byte_array_new ();
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  fetch->message = soup_message_new (SOUP_METHOD_GET, url);
  if (fetch->message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a web address"), url);
      return;
    }

  soup_session_send_async (self->session, fetch->message, G_PRIORITY_DEFAULT,
                           cancellable, send_cb, g_steal_pointer (&task));
}

/**
 * qrs_downloader_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the body
 */
GBytes *
qrs_downloader_fetch_finish (QrsDownloader  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (QRS_IS_DOWNLOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
