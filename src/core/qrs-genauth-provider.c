/* qrs-genauth-provider.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "qrs-core-enums.h"
#include "qrs-genauth-provider.h"
#include "qrs-net-private.h"
#include "qrs-genauth-wire.h"
#include "qrs-secret-private.h"

/* GenAuth (Authing) V3 "scan QR code to sign in" over libsoup 3.
 *
 * One SoupSession per provider, so status polls reuse one keep-alive
 * connection. Every request is a new SoupMessage sent with
 * soup_session_send_async(); the body is read by hand, at most
 * QRS_GENAUTH_WIRE_MAX_BODY + 1 bytes, so a hostile or broken server cannot
 * make us buffer more than that (send_and_read would read it all). All the
 * parsing is in qrs-genauth-wire.c.
 *
 * Each request has a GCancellable of its own: the caller's cancellable and
 * dispose() both cancel it. The GTask holds a reference on the provider, so
 * the callbacks always find it alive, disposed or not.
 */

#define READ_CHUNK (16 * 1024)

#define MAX_SECRET_LENGTH 4096

#define USER_AGENT "qr-signin/" PACKAGE_VERSION

struct _QrsGenauthProvider
{
  GObject parent_instance;

  char *base_url;      /* normalised: no trailing slash, no query */
  char *app_id;
  char *userpool_id;   /* NULL when not configured */
  QrsSecret *client_secret;

  SoupSession *session;
  GPtrArray *pending;  /* the GCancellable of each request in flight */

  QrsGenauthClientAuth client_auth;
  QrsGenauthStatusPath status_path;
  guint timeout;
  guint qr_lifetime;

  guint allow_insecure_http : 1;
  guint initialized : 1;
  guint disposed : 1;
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_APP_ID,
  PROP_USERPOOL_ID,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_TIMEOUT,
  PROP_QR_LIFETIME,
  PROP_STATUS_PATH,
  PROP_CLIENT_AUTH,
  PROP_HAS_CLIENT_SECRET,
  N_PROPS
};

static void qrs_genauth_provider_initable_iface_init (GInitableIface *iface);
static void qrs_genauth_provider_provider_iface_init (QrsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QrsGenauthProvider, qrs_genauth_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      qrs_genauth_provider_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (QRS_TYPE_PROVIDER,
                                                      qrs_genauth_provider_provider_iface_init))

static GParamSpec *properties[N_PROPS];

/* ---- Requests --------------------------------------------------------- */

typedef enum {
  REQUEST_CREATE_CODE,
  REQUEST_CHECK_STATUS,
  REQUEST_EXCHANGE,
} RequestKind;

typedef struct
{
  RequestKind kind;
  SoupMessage *message;
  GCancellable *cancellable;        /* ours */
  GCancellable *caller_cancellable; /* the caller's, or NULL */
  gulong caller_handler;
  GInputStream *stream;
  GDateTime *sent_at;
  guint8 *body;
  gsize body_length;
  gsize body_allocated;
  gboolean body_truncated;
} Request;

static void
request_free (Request *request)
{
  /* Disconnecting from inside the caller's "cancelled" emission would
   * deadlock, and once it is cancelled the handler has run anyway: then
   * the handler's reference on our cancellable goes with the caller's.
   */
  if (request->caller_handler != 0 && !g_cancellable_is_cancelled (request->caller_cancellable))
    g_cancellable_disconnect (request->caller_cancellable, request->caller_handler);

  g_clear_object (&request->caller_cancellable);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->stream);
  g_clear_object (&request->message);
  g_clear_pointer (&request->sent_at, g_date_time_unref);

  /* Answers carry tickets and tokens. */
  qrs_secret_wipe (request->body, request->body_allocated);
  g_free (request->body);

  g_free (request);
}

static void
forward_cancel (GCancellable *caller_cancellable,
                GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Makes room for @more bytes, wiping the old buffer rather than leaving it
 * to realloc().
 */
static void
request_reserve (Request *request,
                 gsize    more)
{
  gsize needed = request->body_length + more;
  gsize allocated;
  guint8 *body;

  if (needed <= request->body_allocated)
    return;

  allocated = MAX (request->body_allocated, READ_CHUNK);
  while (allocated < needed)
    allocated *= 2;
  allocated = MIN (allocated, (gsize) QRS_GENAUTH_WIRE_MAX_BODY + 1);
  g_assert (allocated >= needed);

  body = g_malloc (allocated);
  if (request->body_length > 0)
    memcpy (body, request->body, request->body_length);
  qrs_secret_wipe (request->body, request->body_allocated);
  g_free (request->body);

  request->body = body;
  request->body_allocated = allocated;
}

static const char *
request_describe (Request *request)
{
  switch (request->kind)
    {
    case REQUEST_CREATE_CODE:
      return "create code";
    case REQUEST_CHECK_STATUS:
      return "check status";
    case REQUEST_EXCHANGE:
      return "exchange ticket";
    default:
      g_assert_not_reached ();
    }
}

/* Every way a request ends goes through here or request_return_pointer():
 * the request leaves the pending list before the caller hears of it.
 */
static void
request_return_error (GTask  *task,
                      GError *error)
{
  QrsGenauthProvider *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  g_assert (error != NULL && error->domain == QRS_PROVIDER_ERROR);

  g_debug ("Request to %s failed: %s", request_describe (request), error->message);

  g_ptr_array_remove (self->pending, request->cancellable);
  g_clear_object (&request->stream);
  g_task_return_error (task, error);
}

static void
request_return_pointer (GTask          *task,
                        gpointer        result,
                        GDestroyNotify  result_destroy)
{
  QrsGenauthProvider *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  g_ptr_array_remove (self->pending, request->cancellable);
  g_clear_object (&request->stream);
  g_task_return_pointer (task, result, result_destroy);
}

static void
request_finish (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  QrsGenauthProvider *self = g_task_get_source_object (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  g_autoptr(GDateTime) received_at = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  QrsGenauthReply reply = {
    .http_status = soup_message_get_status (request->message),
    .retry_after = soup_message_headers_get_one (headers, "Retry-After"),
    .received_at = received_at,
    .body = request->body,
    .body_length = MIN (request->body_length, (gsize) QRS_GENAUTH_WIRE_MAX_BODY),
    .body_truncated = request->body_truncated,
  };

  g_debug ("Request to %s: HTTP %u, %zu bytes%s",
           request_describe (request), reply.http_status, reply.body_length,
           reply.body_truncated ? " and more" : "");

  switch (request->kind)
    {
    case REQUEST_CREATE_CODE:
      {
        QrsCode *code = qrs_genauth_wire_parse_code (&reply, self->userpool_id,
                                                     request->sent_at, self->qr_lifetime,
                                                     &error);

        if (code != NULL)
          {
            g_autofree char *id = qrs_loggable_text (qrs_code_get_id (code));

            g_debug ("Created code %s", id);
            request_return_pointer (task, code, g_object_unref);
            return;
          }
      }
      break;

    case REQUEST_CHECK_STATUS:
      {
        QrsStatusReport *report = qrs_genauth_wire_parse_status (&reply, &error);

        if (report != NULL)
          {
            g_autofree char *description = qrs_status_report_to_debug_string (report);

            g_debug ("Status: %s", description);
            request_return_pointer (task, report, g_object_unref);
            return;
          }
      }
      break;

    case REQUEST_EXCHANGE:
      {
        QrsTokenSet *token_set = qrs_genauth_wire_parse_token_set (&reply, &error);

        if (token_set != NULL)
          {
            g_autofree char *description = qrs_token_set_to_debug_string (token_set);

            g_debug ("Tokens: %s", description);
            request_return_pointer (task, token_set, g_object_unref);
            return;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  request_return_error (task, g_steal_pointer (&error));
}

static void request_read_more (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n_read < 0)
    {
      request_return_error (task, qrs_provider_error_new_from_transport (error));
      return;
    }

  if (n_read == 0)
    {
      request_finish (task);
      return;
    }

  request->body_length += (gsize) n_read;
  g_assert (request->body_length <= (gsize) QRS_GENAUTH_WIRE_MAX_BODY + 1);

  /* One byte past the limit is proof enough; dropping the stream unread
   * closes the connection instead of draining it.
   */
  if (request->body_length > QRS_GENAUTH_WIRE_MAX_BODY)
    {
      request->body_truncated = TRUE;
      request_finish (task);
      return;
    }

  request_read_more (task);
}

static void
request_read_more (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  gsize want = MIN ((gsize) READ_CHUNK, (gsize) QRS_GENAUTH_WIRE_MAX_BODY + 1 - request->body_length);

  g_assert (want > 0);

  request_reserve (request, want);
  g_input_stream_read_async (request->stream,
                             request->body + request->body_length, want,
                             G_PRIORITY_DEFAULT,
                             request->cancellable,
                             on_read,
                             g_object_ref (task));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (request->stream == NULL)
    {
      request_return_error (task, qrs_provider_error_new_from_transport (error));
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > QRS_GENAUTH_WIRE_MAX_BODY)
    {
      request->body_truncated = TRUE;
      request_finish (task);
      return;
    }

  request_read_more (task);
}

static SoupMessage *
new_message (QrsGenauthProvider *self,
             const char         *method,
             const char         *path,
             const char         *query,
             GBytes             *body)
{
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *message;

  url = g_strconcat (self->base_url, path, query != NULL ? "?" : NULL, query, NULL);
  message = soup_message_new (method, url);
  /* The base URL was checked at construction, and the rest is ours. */
  g_assert (message != NULL);

  /* A redirect could carry the app's headers and the ticket elsewhere. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* GenAuth's SDKs send one spelling or the other; send both. */
  soup_message_headers_replace (headers, "x-authing-app-id", self->app_id);
  soup_message_headers_replace (headers, "x-genauth-app-id", self->app_id);
  if (self->userpool_id != NULL)
    soup_message_headers_replace (headers, "x-authing-userpool-id", self->userpool_id);

  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", body);

  return message;
}

static gboolean
report_if_disposed (QrsGenauthProvider  *self,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  if (!self->disposed)
    return FALSE;

  g_task_report_new_error (self, callback, user_data, source_tag,
                           QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED,
                           _("The request was cancelled"));
  return TRUE;
}

static void
request_start (QrsGenauthProvider  *self,
               RequestKind          kind,
               SoupMessage         *message,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_assert (self->session != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported as QRS_PROVIDER_ERROR_CANCELLED, not as
   * GTask's G_IO_ERROR_CANCELLED.
   */
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (Request, 1);
  request->kind = kind;
  request->message = g_object_ref (message);
  request->cancellable = g_cancellable_new ();
  request->sent_at = g_date_time_new_now_utc ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  g_ptr_array_add (self->pending, g_object_ref (request->cancellable));

  if (cancellable != NULL)
    {
      request->caller_cancellable = g_object_ref (cancellable);
      request->caller_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (forward_cancel),
                                                       g_object_ref (request->cancellable),
                                                       g_object_unref);
    }

  g_debug ("Request to %s: %s %s", request_describe (request),
           soup_message_get_method (message),
           g_uri_get_path (soup_message_get_uri (message)));

  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT,
                           request->cancellable, on_sent, g_steal_pointer (&task));
}

/* ---- QrsProvider ------------------------------------------------------ */

static void
qrs_genauth_provider_create_code_async (QrsProvider         *provider,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  QrsGenauthProvider *self = QRS_GENAUTH_PROVIDER (provider);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (self->initialized);

  if (report_if_disposed (self, callback, user_data, qrs_genauth_provider_create_code_async))
    return;

  body = qrs_genauth_wire_build_code_request ();
  message = new_message (self, SOUP_METHOD_POST, "/api/v3/gene-qrcode", NULL, body);
  request_start (self, REQUEST_CREATE_CODE, message, cancellable, callback, user_data,
                 qrs_genauth_provider_create_code_async);
}

static QrsCode *
qrs_genauth_provider_create_code_finish (QrsProvider   *provider,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_genauth_provider_create_code_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
qrs_genauth_provider_check_status_async (QrsProvider         *provider,
                                         QrsCode             *code,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  QrsGenauthProvider *self = QRS_GENAUTH_PROVIDER (provider);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *query = NULL;
  const char *path;

  g_return_if_fail (self->initialized);

  if (report_if_disposed (self, callback, user_data, qrs_genauth_provider_check_status_async))
    return;

  if (self->status_path == QRS_GENAUTH_STATUS_PATH_GET)
    path = "/api/v3/get-qrcode-status";
  else
    path = "/api/v3/check-qrcode-status";

  escaped = g_uri_escape_string (qrs_code_get_id (code), NULL, FALSE);
  query = g_strconcat ("qrcodeId=", escaped, NULL);
  message = new_message (self, SOUP_METHOD_GET, path, query, NULL);
  request_start (self, REQUEST_CHECK_STATUS, message, cancellable, callback, user_data,
                 qrs_genauth_provider_check_status_async);
}

static QrsStatusReport *
qrs_genauth_provider_check_status_finish (QrsProvider   *provider,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_genauth_provider_check_status_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
qrs_genauth_provider_exchange_async (QrsProvider         *provider,
                                     QrsStatusReport     *report,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  QrsGenauthProvider *self = QRS_GENAUTH_PROVIDER (provider);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *ticket;

  g_return_if_fail (self->initialized);

  if (report_if_disposed (self, callback, user_data, qrs_genauth_provider_exchange_async))
    return;

  ticket = qrs_status_report_get_ticket (report);
  if (ticket == NULL)
    {
      g_task_report_new_error (self, callback, user_data, qrs_genauth_provider_exchange_async,
                               QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED,
                               _("There is no ticket to exchange"));
      return;
    }

  if (self->client_auth != QRS_GENAUTH_CLIENT_AUTH_NONE && self->client_secret == NULL)
    {
      g_task_report_new_error (self, callback, user_data, qrs_genauth_provider_exchange_async,
                               QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                               _("The application needs a client secret to sign in, and none was given"));
      return;
    }

  switch (self->client_auth)
    {
    case QRS_GENAUTH_CLIENT_AUTH_NONE:
      body = qrs_genauth_wire_build_exchange_request (ticket, NULL, NULL);
      message = new_message (self, SOUP_METHOD_POST, "/api/v3/exchange-tokenset-with-qrcode-ticket", NULL, body);
      break;

    case QRS_GENAUTH_CLIENT_AUTH_CLIENT_SECRET_POST:
      body = qrs_genauth_wire_build_exchange_request (ticket, self->app_id, self->client_secret);
      message = new_message (self, SOUP_METHOD_POST, "/api/v3/exchange-tokenset-with-qrcode-ticket", NULL, body);
      break;

    case QRS_GENAUTH_CLIENT_AUTH_CLIENT_SECRET_BASIC:
      {
        g_autoptr(QrsSecret) credentials = g_strconcat (self->app_id, ":", self->client_secret, NULL);
        g_autoptr(QrsSecret) encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
        g_autoptr(QrsSecret) authorization = g_strconcat ("Basic ", encoded, NULL);

        body = qrs_genauth_wire_build_exchange_request (ticket, NULL, NULL);
        message = new_message (self, SOUP_METHOD_POST, "/api/v3/exchange-tokenset-with-qrcode-ticket", NULL, body);
        soup_message_headers_replace (soup_message_get_request_headers (message),
                                      "Authorization", authorization);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  request_start (self, REQUEST_EXCHANGE, message, cancellable, callback, user_data,
                 qrs_genauth_provider_exchange_async);
}

static QrsTokenSet *
qrs_genauth_provider_exchange_finish (QrsProvider   *provider,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_genauth_provider_exchange_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
qrs_genauth_provider_provider_iface_init (QrsProviderInterface *iface)
{
  iface->create_code_async = qrs_genauth_provider_create_code_async;
  iface->create_code_finish = qrs_genauth_provider_create_code_finish;
  iface->check_status_async = qrs_genauth_provider_check_status_async;
  iface->check_status_finish = qrs_genauth_provider_check_status_finish;
  iface->exchange_async = qrs_genauth_provider_exchange_async;
  iface->exchange_finish = qrs_genauth_provider_exchange_finish;
}

/* ---- Configuration ---------------------------------------------------- */

static gboolean
check_base_url (QrsGenauthProvider  *self,
                GError             **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) uri_error = NULL;
  g_autoptr(SoupMessage) probe = NULL;
  g_autofree char *text = NULL;
  g_autofree char *probe_url = NULL;
  const char *scheme;
  const char *host;
  gsize length;

  if (self->base_url == NULL || *self->base_url == '\0')
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("No sign-in server address was given"));
      return FALSE;
    }

  uri = g_uri_parse (self->base_url, G_URI_FLAGS_ENCODED, &uri_error);
  if (uri == NULL)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The sign-in server address “%s” is not valid: %s"),
                   self->base_url, uri_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The sign-in server address “%s” must start with https://"),
                   self->base_url);
      return FALSE;
    }

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The sign-in server address “%s” has no host name"),
                   self->base_url);
      return FALSE;
    }

  if (!_qrs_host_is_valid (host))
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The sign-in server address “%s” has an invalid host name"),
                   self->base_url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The sign-in server address “%s” must not contain a user name, a query or a fragment"),
                   self->base_url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !_qrs_host_is_loopback (host) &&
      !self->allow_insecure_http)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The sign-in server address “%s” is not secure: use https://, or allow plain http explicitly"),
                   self->base_url);
      return FALSE;
    }

  /* Endpoint paths are appended to whatever path the base has. */
  text = g_uri_to_string (uri);
  length = strlen (text);
  while (length > 0 && text[length - 1] == '/')
    text[--length] = '\0';

  /* Whatever else is odd in it (a space in the path, say) libsoup would
   * refuse later, and every request is built this way.
   */
  probe_url = g_strconcat (text, "/api/v3/gene-qrcode", NULL);
  probe = soup_message_new (SOUP_METHOD_POST, probe_url);
  if (probe == NULL)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The sign-in server address “%s” is not valid"),
                   self->base_url);
      return FALSE;
    }

  g_free (self->base_url);
  self->base_url = g_steal_pointer (&text);

  return TRUE;
}

static gboolean
qrs_genauth_provider_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  QrsGenauthProvider *self = QRS_GENAUTH_PROVIDER (initable);

  g_return_val_if_fail (!self->initialized, FALSE);

  if (!check_base_url (self, error))
    return FALSE;

  if (self->app_id == NULL || !_qrs_text_is_header_safe (self->app_id, QRS_MAX_ID_LENGTH))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The application id is missing or has characters that are not allowed"));
      return FALSE;
    }

  if (self->userpool_id != NULL && *self->userpool_id == '\0')
    g_clear_pointer (&self->userpool_id, g_free);

  if (self->userpool_id != NULL && !_qrs_text_is_header_safe (self->userpool_id, QRS_MAX_ID_LENGTH))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The user pool id has characters that are not allowed"));
      return FALSE;
    }

  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "user-agent", USER_AGENT,
                                                 NULL);
  self->initialized = TRUE;

  return TRUE;
}

static void
qrs_genauth_provider_initable_iface_init (GInitableIface *iface)
{
  iface->init = qrs_genauth_provider_initable_init;
}

/* ---- GObject ---------------------------------------------------------- */

static void
qrs_genauth_provider_dispose (GObject *object)
{
  QrsGenauthProvider *self = (QrsGenauthProvider *) object;

  if (!self->disposed)
    {
      g_autoptr(GPtrArray) pending = NULL;

      self->disposed = TRUE;

      /* Cancelling may complete a request at once, which removes it from
       * self->pending: walk a copy.
       */
      pending = g_ptr_array_copy (self->pending, (GCopyFunc) g_object_ref, NULL);
      g_ptr_array_set_free_func (pending, g_object_unref);
      for (guint i = 0; i < pending->len; i++)
        g_cancellable_cancel (g_ptr_array_index (pending, i));
    }

  /* Requests still in flight hold their own reference on the session. */
  g_clear_object (&self->session);

  G_OBJECT_CLASS (qrs_genauth_provider_parent_class)->dispose (object);
}

static void
qrs_genauth_provider_finalize (GObject *object)
{
  QrsGenauthProvider *self = (QrsGenauthProvider *) object;

  g_assert (self->pending->len == 0);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->app_id, g_free);
  g_clear_pointer (&self->userpool_id, g_free);
  g_clear_pointer (&self->client_secret, qrs_secret_free);

  G_OBJECT_CLASS (qrs_genauth_provider_parent_class)->finalize (object);
}

static void
qrs_genauth_provider_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  QrsGenauthProvider *self = QRS_GENAUTH_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;

    case PROP_USERPOOL_ID:
      g_value_set_string (value, self->userpool_id);
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, self->allow_insecure_http);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_QR_LIFETIME:
      g_value_set_uint (value, self->qr_lifetime);
      break;

    case PROP_STATUS_PATH:
      g_value_set_enum (value, self->status_path);
      break;

    case PROP_CLIENT_AUTH:
      g_value_set_enum (value, self->client_auth);
      break;

    case PROP_HAS_CLIENT_SECRET:
      g_value_set_boolean (value, self->client_secret != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_genauth_provider_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  QrsGenauthProvider *self = QRS_GENAUTH_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_assert (self->base_url == NULL);
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_APP_ID:
      g_assert (self->app_id == NULL);
      self->app_id = g_value_dup_string (value);
      break;

    case PROP_USERPOOL_ID:
      g_assert (self->userpool_id == NULL);
      self->userpool_id = g_value_dup_string (value);
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      self->allow_insecure_http = g_value_get_boolean (value);
      break;

    case PROP_TIMEOUT:
      qrs_genauth_provider_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_QR_LIFETIME:
      qrs_genauth_provider_set_qr_lifetime (self, g_value_get_uint (value));
      break;

    case PROP_STATUS_PATH:
      qrs_genauth_provider_set_status_path (self, g_value_get_enum (value));
      break;

    case PROP_CLIENT_AUTH:
      qrs_genauth_provider_set_client_auth (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_genauth_provider_class_init (QrsGenauthProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qrs_genauth_provider_dispose;
  object_class->finalize = qrs_genauth_provider_finalize;
  object_class->get_property = qrs_genauth_provider_get_property;
  object_class->set_property = qrs_genauth_provider_set_property;

  /**
   * QrsGenauthProvider:base-url:
   *
   * The application domain, e.g. `https://example.genauth.ai`. Plain http
   * is accepted only for a loopback host or with
   * #QrsGenauthProvider:allow-insecure-http.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_USERPOOL_ID] =
    g_param_spec_string ("userpool-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QrsGenauthProvider:timeout:
   *
   * Seconds to wait for the server at each step of a request. Changing it
   * affects new connections only.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 600, QRS_GENAUTH_PROVIDER_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * QrsGenauthProvider:qr-lifetime:
   *
   * Seconds a new code is valid, counted locally: the V3 answer carries no
   * expiry. It should match the console's QR validity.
   */
  properties[PROP_QR_LIFETIME] =
    g_param_spec_uint ("qr-lifetime", NULL, NULL,
                       1, 24 * 60 * 60, QRS_CODE_DEFAULT_LIFETIME,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_STATUS_PATH] =
    g_param_spec_enum ("status-path", NULL, NULL,
                       QRS_TYPE_GENAUTH_STATUS_PATH, QRS_GENAUTH_STATUS_PATH_CHECK,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_CLIENT_AUTH] =
    g_param_spec_enum ("client-auth", NULL, NULL,
                       QRS_TYPE_GENAUTH_CLIENT_AUTH, QRS_GENAUTH_CLIENT_AUTH_NONE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_HAS_CLIENT_SECRET] =
    g_param_spec_boolean ("has-client-secret", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qrs_genauth_provider_init (QrsGenauthProvider *self)
{
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->timeout = QRS_GENAUTH_PROVIDER_DEFAULT_TIMEOUT;
  self->qr_lifetime = QRS_CODE_DEFAULT_LIFETIME;
  self->status_path = QRS_GENAUTH_STATUS_PATH_CHECK;
  self->client_auth = QRS_GENAUTH_CLIENT_AUTH_NONE;
}

/* ---- Public API ------------------------------------------------------- */

/**
 * qrs_genauth_provider_new:
 * @base_url: the application domain, such as `https://example.genauth.ai`
 * @app_id: the application id
 * @userpool_id: (nullable): the user pool id, sent as x-authing-userpool-id
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * To allow plain http to a host that is not loopback, build the provider
 * with g_initable_new() and #QrsGenauthProvider:allow-insecure-http.
 *
 * Returns: (transfer full) (nullable): a new provider, or %NULL if the
 *   configuration is not usable
 */
QrsGenauthProvider *
qrs_genauth_provider_new (const char  *base_url,
                          const char  *app_id,
                          const char  *userpool_id,
                          GError     **error)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (QRS_TYPE_GENAUTH_PROVIDER, NULL, error,
                         "base-url", base_url,
                         "app-id", app_id,
                         "userpool-id", userpool_id,
                         NULL);
}

/**
 * qrs_genauth_provider_get_base_url:
 *
 * Returns: the base URL, normalised without a trailing slash
 */
const char *
qrs_genauth_provider_get_base_url (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), NULL);

  return self->base_url;
}

const char *
qrs_genauth_provider_get_app_id (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), NULL);

  return self->app_id;
}

const char *
qrs_genauth_provider_get_userpool_id (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), NULL);

  return self->userpool_id;
}

guint
qrs_genauth_provider_get_timeout (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), 0);

  return self->timeout;
}

void
qrs_genauth_provider_set_timeout (QrsGenauthProvider *self,
                                  guint               timeout)
{
  g_return_if_fail (QRS_IS_GENAUTH_PROVIDER (self));
  g_return_if_fail (timeout > 0);

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  if (self->session != NULL)
    g_object_set (self->session, "timeout", timeout, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
qrs_genauth_provider_get_qr_lifetime (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), 0);

  return self->qr_lifetime;
}

void
qrs_genauth_provider_set_qr_lifetime (QrsGenauthProvider *self,
                                      guint               qr_lifetime)
{
  g_return_if_fail (QRS_IS_GENAUTH_PROVIDER (self));
  g_return_if_fail (qr_lifetime > 0);

  if (self->qr_lifetime == qr_lifetime)
    return;

  self->qr_lifetime = qr_lifetime;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QR_LIFETIME]);
}

QrsGenauthStatusPath
qrs_genauth_provider_get_status_path (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), QRS_GENAUTH_STATUS_PATH_CHECK);

  return self->status_path;
}

void
qrs_genauth_provider_set_status_path (QrsGenauthProvider   *self,
                                      QrsGenauthStatusPath  status_path)
{
  g_return_if_fail (QRS_IS_GENAUTH_PROVIDER (self));
  g_return_if_fail (status_path == QRS_GENAUTH_STATUS_PATH_CHECK ||
                    status_path == QRS_GENAUTH_STATUS_PATH_GET);

  if (self->status_path == status_path)
    return;

  self->status_path = status_path;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_PATH]);
}

QrsGenauthClientAuth
qrs_genauth_provider_get_client_auth (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), QRS_GENAUTH_CLIENT_AUTH_NONE);

  return self->client_auth;
}

/**
 * qrs_genauth_provider_set_client_auth:
 *
 * Sets how the ticket exchange authenticates the application; it must match
 * the console. Anything but %QRS_GENAUTH_CLIENT_AUTH_NONE needs a client
 * secret, loaded with qrs_genauth_provider_load_client_secret_from_env() or
 * qrs_genauth_provider_load_client_secret_from_file().
 */
void
qrs_genauth_provider_set_client_auth (QrsGenauthProvider   *self,
                                      QrsGenauthClientAuth  client_auth)
{
  g_return_if_fail (QRS_IS_GENAUTH_PROVIDER (self));
  g_return_if_fail (client_auth == QRS_GENAUTH_CLIENT_AUTH_NONE ||
                    client_auth == QRS_GENAUTH_CLIENT_AUTH_CLIENT_SECRET_POST ||
                    client_auth == QRS_GENAUTH_CLIENT_AUTH_CLIENT_SECRET_BASIC);

  if (self->client_auth == client_auth)
    return;

  self->client_auth = client_auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_AUTH]);
}

gboolean
qrs_genauth_provider_has_client_secret (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), FALSE);

  return self->client_secret != NULL;
}

/* Keeps @raw, minus surrounding whitespace (files usually end with a
 * newline), as the client secret. The copy is made once, already trimmed:
 * trimming in place would leave the tail of the secret past the new end.
 */
static gboolean
take_client_secret (QrsGenauthProvider  *self,
                    const char          *raw,
                    gsize                length,
                    const char          *origin,
                    GError             **error)
{
  g_autoptr(QrsSecret) secret = NULL;
  gboolean had_secret = self->client_secret != NULL;
  const char *start = raw;
  const char *end = raw + length;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  secret = g_strndup (start, (gsize) (end - start));

  /* It goes into a JSON string or a Basic header: keep it to printable
   * ASCII, which every real secret is.
   */
  if (!_qrs_text_is_header_safe (secret, MAX_SECRET_LENGTH))
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The client secret from %s is empty, too long, or has characters that are not allowed"),
                   origin);
      return FALSE;
    }

  g_clear_pointer (&self->client_secret, qrs_secret_free);
  self->client_secret = g_steal_pointer (&secret);

  if (!had_secret)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CLIENT_SECRET]);

  return TRUE;
}

/**
 * qrs_genauth_provider_load_client_secret_from_env:
 * @variable: the name of an environment variable
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * Reads the client secret from the environment. Secrets never come from
 * the command line, where every user of the machine can read them. The
 * caller may want to unset @variable afterwards, so that programs it starts
 * do not inherit the secret.
 *
 * Returns: whether a usable secret was read
 */
gboolean
qrs_genauth_provider_load_client_secret_from_env (QrsGenauthProvider  *self,
                                                  const char          *variable,
                                                  GError             **error)
{
  const char *value;

  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), FALSE);
  g_return_val_if_fail (variable != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  value = g_getenv (variable);
  if (value == NULL)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The environment variable “%s” that should hold the client secret is not set"),
                   variable);
      return FALSE;
    }

  return take_client_secret (self, value, strlen (value), variable, error);
}

/**
 * qrs_genauth_provider_load_client_secret_from_file:
 * @path: a file holding the secret, and perhaps a final newline
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * Reads the client secret from a small file (at most 4 KiB). This reads
 * synchronously: call it while starting up.
 *
 * Returns: whether a usable secret was read
 */
gboolean
qrs_genauth_provider_load_client_secret_from_file (QrsGenauthProvider  *self,
                                                   const char          *path,
                                                   GError             **error)
{
  g_autoptr(GError) file_error = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autofree char *display_name = NULL;
  const char *contents;
  gsize length;

  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display_name = g_filename_display_name (path);

  /* Mapped, so a huge file is refused without being read. */
  file = g_mapped_file_new (path, FALSE, &file_error);
  if (file == NULL)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The client secret could not be read from “%s”: %s"),
                   display_name, file_error->message);
      return FALSE;
    }

  contents = g_mapped_file_get_contents (file);
  length = g_mapped_file_get_length (file);
  if (length == 0 || length > MAX_SECRET_LENGTH + 2 || memchr (contents, '\0', length) != NULL)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The file “%s” does not look like a client secret"),
                   display_name);
      return FALSE;
    }

  return take_client_secret (self, contents, length, display_name, error);
}
