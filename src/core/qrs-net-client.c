/* qrs-net-client.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-net.h"
#include "qrs-net-client.h"
#include "qrs-trace.h"
#include "qrs-provider.h"

/* What every provider does on the wire, whatever its protocol: one session
 * per sign-in server (so polls reuse one kept-alive connection), bounded
 * reads, transport failures sorted into QRS_PROVIDER_ERROR, pictures
 * fetched under the same rules as the server, and everything in flight
 * cancelled when the provider goes.
 *
 * Each request has a GCancellable of its own: the caller's cancellable and
 * qrs_net_client_shutdown() both cancel it. The GTask holds a reference on
 * the client, so the callbacks always find it alive, shut down or not.
 */

struct _QrsNetClient
{
  GObject parent_instance;

  char *server_url;
  char *server_host;            /* when direct: the loopback host named */
  SoupSession *session;         /* for the server */
  SoupSession *proxied_session; /* for other hosts, when the server's is direct */
  GPtrArray *pending;   /* the GCancellable of each request in flight */
  guint timeout;
  guint allow_insecure_http : 1;
  guint direct : 1;     /* the server is on this computer: no proxy */
  guint shut_down : 1;
};

G_DEFINE_FINAL_TYPE (QrsNetClient, qrs_net_client, G_TYPE_OBJECT)

void
qrs_net_reply_free (QrsNetReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->retry_after);
  g_clear_pointer (&reply->sent_at, g_date_time_unref);
  g_clear_pointer (&reply->received_at, g_date_time_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

/*
 * Requests
 */

typedef struct
{
  SoupMessage *message;
  const char *what;                 /* static, for log lines */
  gsize max_bytes;
  GCancellable *cancellable;        /* ours */
  GCancellable *caller_cancellable; /* the caller's, or NULL */
  gulong caller_handler;
  GDateTime *sent_at;
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
  g_clear_object (&request->message);
  g_clear_pointer (&request->sent_at, g_date_time_unref);
  g_free (request);
}

static void
forward_cancel (GCancellable *caller_cancellable,
                GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Starts @message on its way; @read_done gets the bounded body. */
static GTask *
request_start (QrsNetClient        *self,
               SoupMessage         *message,
               const char          *what,
               gsize                max_bytes,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported as QRS_PROVIDER_ERROR_CANCELLED, not as
   * GTask's G_IO_ERROR_CANCELLED.
   */
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (Request, 1);
  request->message = g_object_ref (message);
  request->what = what;
  request->max_bytes = max_bytes;
  request->cancellable = g_cancellable_new ();
  request->sent_at = g_date_time_new_now_utc ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (cancellable != NULL)
    {
      request->caller_cancellable = g_object_ref (cancellable);
      request->caller_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (forward_cancel),
                                                       g_object_ref (request->cancellable),
                                                       g_object_unref);
    }

  if (QRS_DEBUG_ENABLED ())
    g_debug ("Request to %s: %s %s", what,
             soup_message_get_method (message),
             g_uri_get_path (soup_message_get_uri (message)));

  return task;
}

/* The session for a request to @uri. A sign-in server on this computer
 * is reached directly: no proxy could reach it better, and asking which
 * proxy to use would load libproxy before the first code. Anything else it
 * points at (a picture on another host) goes by the system's proxy
 * settings, in a session made when first needed.
 */
static SoupSession *
session_for (QrsNetClient *self,
             GUri         *uri)
{
  const char *host = g_uri_get_host (uri);

  /* The server itself, every poll: no need to ask again. */
  if (!self->direct || g_strcmp0 (host, self->server_host) == 0 ||
      qrs_net_host_is_loopback (host))
    return self->session;

  if (self->proxied_session == NULL)
    self->proxied_session = qrs_net_session_new (self->timeout);

  return self->proxied_session;
}

static void
request_send (QrsNetClient        *self,
              GTask               *task,
              GAsyncReadyCallback  read_done)
{
  Request *request = g_task_get_task_data (task);

  g_ptr_array_add (self->pending, g_object_ref (request->cancellable));
  qrs_trace_mark ("request sent");
  qrs_net_read_async (session_for (self, soup_message_get_uri (request->message)),
                      request->message, request->max_bytes,
                      request->cancellable, read_done, task);
}

/* The request leaves the pending list before the caller hears of it. */
static void
request_end (GTask *task)
{
  QrsNetClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  g_ptr_array_remove (self->pending, request->cancellable);
}

static void
request_return_error (GTask  *task,
                      GError *error)
{
  Request *request = g_task_get_task_data (task);

  g_assert (error != NULL && error->domain == QRS_PROVIDER_ERROR);

  g_debug ("Request to %s failed: %s", request->what, error->message);
  request_end (task);
  g_task_return_error (task, error);
}

/* Reads what arrived into a reply, or returns the transport's failure. */
static QrsNetReply *
request_read_reply (GTask        *task,
                    SoupSession  *session,
                    GAsyncResult *result)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(QrsNetReply) reply = g_new0 (QrsNetReply, 1);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  reply->body = qrs_net_read_finish (session, result, &reply->truncated, &error);
  if (reply->body == NULL)
    {
      request_return_error (task, qrs_provider_error_new_from_transport (error));
      return NULL;
    }

  headers = soup_message_get_response_headers (request->message);
  reply->http_status = soup_message_get_status (request->message);
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  reply->sent_at = g_date_time_ref (request->sent_at);
  reply->received_at = g_date_time_new_now_utc ();

  if (QRS_DEBUG_ENABLED ())
    g_debug ("Request to %s: HTTP %u, %zu bytes%s", request->what, reply->http_status,
             g_bytes_get_size (reply->body), reply->truncated ? " and more" : "");

  return g_steal_pointer (&reply);
}

static void
send_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QrsNetReply *reply = request_read_reply (task, SOUP_SESSION (source), result);

  qrs_trace_mark ("answer read");
  if (reply == NULL)
    return;

  request_end (task);
  g_task_return_pointer (task, reply, (GDestroyNotify) qrs_net_reply_free);
}

/**
 * qrs_net_client_send_async:
 * @self: a #QrsNetClient
 * @message: a request to the server
 * @what: (not nullable): a static name of the request for log lines
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Sends @message and reads at most %QRS_NET_CLIENT_MAX_BODY of the answer.
 * Whatever the HTTP status, an answer is a reply: judging it is the
 * protocol's business.
 */
void
qrs_net_client_send_async (QrsNetClient        *self,
                           SoupMessage         *message,
                           const char          *what,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (QRS_IS_NET_CLIENT (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (what != NULL);

  if (qrs_provider_report_if_stopped (self, self->shut_down, callback, user_data, qrs_net_client_send_async))
    return;

  task = request_start (self, message, what, QRS_NET_CLIENT_MAX_BODY,
                        cancellable, callback, user_data, qrs_net_client_send_async);
  request_send (self, task, send_read_cb);
}

/**
 * qrs_net_client_send_finish:
 * @error: a %QRS_PROVIDER_ERROR when no answer arrived: _NETWORK,
 *   _TIMEOUT, _TLS or _CANCELLED
 *
 * Returns: (transfer full) (nullable): the answer
 */
QrsNetReply *
qrs_net_client_send_finish (QrsNetClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_net_client_send_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/*
 * Pictures
 */

static void
picture_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(QrsNetReply) reply = request_read_reply (task, SOUP_SESSION (source), result);
  GError *error = NULL;

  if (reply == NULL)
    return;

  if (SOUP_STATUS_IS_REDIRECTION (reply->http_status))
    error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                         _("The picture moved elsewhere (HTTP %u); redirects are not followed"),
                         reply->http_status);
  else if (!SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP,
                         _("The server answered the picture download with HTTP %u"),
                         reply->http_status);
  else if (reply->truncated)
    error = g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                                 _("The picture is larger than a picture should be"));

  if (error != NULL)
    {
      if (error->code == QRS_PROVIDER_ERROR_HTTP)
        qrs_provider_error_set_http_status (error, reply->http_status);
      request_return_error (task, error);
      return;
    }

  request_end (task);
  g_task_return_pointer (task, g_steal_pointer (&reply->body), (GDestroyNotify) g_bytes_unref);
}

/**
 * qrs_net_client_fetch_picture_async:
 * @self: a #QrsNetClient
 * @url: where the server says the picture is
 * @max_bytes: the largest picture to accept
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Downloads a picture the server pointed at (a QR image, an avatar), under
 * qrs_net_check_picture_url()'s rules: from exactly that address, as
 * securely as the server, never following a redirect, at most @max_bytes.
 */
void
qrs_net_client_fetch_picture_async (QrsNetClient        *self,
                                    const char          *url,
                                    gsize                max_bytes,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(SoupMessage) message = NULL;
  QrsNetUrlProblem problem;
  GTask *task;

  g_return_if_fail (QRS_IS_NET_CLIENT (self));
  g_return_if_fail (max_bytes > 0);

  if (qrs_provider_report_if_stopped (self, self->shut_down, callback, user_data, qrs_net_client_fetch_picture_async))
    return;

  problem = qrs_net_check_picture_url (url, self->server_url, self->allow_insecure_http);
  if (problem != QRS_NET_URL_OK)
    {
      g_task_report_new_error (self, callback, user_data, qrs_net_client_fetch_picture_async,
                               QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                               problem == QRS_NET_URL_DOWNGRADE ?
                               _("The server pointed at a picture over plain http; it is not fetched") :
                               _("The server pointed at a picture that is not at an acceptable address"));
      return;
    }

  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "image/png, image/jpeg");

  task = request_start (self, message, "picture", max_bytes,
                        cancellable, callback, user_data, qrs_net_client_fetch_picture_async);
  request_send (self, task, picture_read_cb);
}

/**
 * qrs_net_client_fetch_picture_finish:
 * @error: a %QRS_PROVIDER_ERROR
 *
 * Returns: (transfer full) (nullable): the picture's bytes, undecoded
 */
GBytes *
qrs_net_client_fetch_picture_finish (QrsNetClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_net_client_fetch_picture_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/*
 * Lifetime
 */

/**
 * qrs_net_client_shutdown:
 * @self: a #QrsNetClient
 *
 * Cancels every request in flight and refuses new ones: what a provider
 * does when it is disposed.
 */
void
qrs_net_client_shutdown (QrsNetClient *self)
{
  g_autoptr(GPtrArray) pending = NULL;

  g_return_if_fail (QRS_IS_NET_CLIENT (self));

  if (self->shut_down)
    return;

  self->shut_down = TRUE;

  /* Cancelling may complete a request at once, which removes it from
   * self->pending: walk a copy.
   */
  pending = g_ptr_array_copy (self->pending, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (pending, g_object_unref);
  for (guint i = 0; i < pending->len; i++)
    g_cancellable_cancel (g_ptr_array_index (pending, i));
}

static void
qrs_net_client_dispose (GObject *object)
{
  QrsNetClient *self = (QrsNetClient *) object;

  qrs_net_client_shutdown (self);

  /* Requests still in flight hold their own reference on the session. */
  g_clear_object (&self->session);
  g_clear_object (&self->proxied_session);

  G_OBJECT_CLASS (qrs_net_client_parent_class)->dispose (object);
}

static void
qrs_net_client_finalize (GObject *object)
{
  QrsNetClient *self = (QrsNetClient *) object;

  g_assert (self->pending->len == 0);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->server_host, g_free);

  G_OBJECT_CLASS (qrs_net_client_parent_class)->finalize (object);
}

static void
qrs_net_client_class_init (QrsNetClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qrs_net_client_dispose;
  object_class->finalize = qrs_net_client_finalize;
}

static void
qrs_net_client_init (QrsNetClient *self)
{
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->timeout = QRS_NET_DEFAULT_TIMEOUT;
}

/**
 * qrs_net_client_new:
 * @server_url: the server's address, as normalised by qrs_net_check_server_url()
 * @allow_insecure_http: whether plain http to another computer is allowed
 *   (for pictures; the server's own address was checked already)
 *
 * Returns: (transfer full): a new client
 */
QrsNetClient *
qrs_net_client_new (const char *server_url,
                    gboolean    allow_insecure_http)
{
  QrsNetClient *self;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (QRS_TYPE_NET_CLIENT, NULL);
  self->server_url = g_strdup (server_url);
  self->allow_insecure_http = !!allow_insecure_http;
  self->session = qrs_net_session_new (self->timeout);

  uri = g_uri_parse (server_url, G_URI_FLAGS_ENCODED, NULL);
  self->direct = uri != NULL && qrs_net_host_is_loopback (g_uri_get_host (uri));
  if (self->direct)
    {
      self->server_host = g_strdup (g_uri_get_host (uri));
      soup_session_set_proxy_resolver (self->session, NULL);
    }

  return self;
}

const char *
qrs_net_client_get_server_url (QrsNetClient *self)
{
  g_return_val_if_fail (QRS_IS_NET_CLIENT (self), NULL);

  return self->server_url;
}

gboolean
qrs_net_client_get_allow_insecure_http (QrsNetClient *self)
{
  g_return_val_if_fail (QRS_IS_NET_CLIENT (self), FALSE);

  return self->allow_insecure_http;
}

guint
qrs_net_client_get_timeout (QrsNetClient *self)
{
  g_return_val_if_fail (QRS_IS_NET_CLIENT (self), 0);

  return self->timeout;
}

/**
 * qrs_net_client_set_timeout:
 * @self: a #QrsNetClient
 * @timeout: seconds to wait at each step of a request
 *
 * Affects new connections only.
 */
void
qrs_net_client_set_timeout (QrsNetClient *self,
                            guint         timeout)
{
  g_return_if_fail (QRS_IS_NET_CLIENT (self));
  g_return_if_fail (timeout > 0);

  self->timeout = timeout;
  if (self->session != NULL)
    g_object_set (self->session, "timeout", timeout, NULL);
  if (self->proxied_session != NULL)
    g_object_set (self->proxied_session, "timeout", timeout, NULL);
}
