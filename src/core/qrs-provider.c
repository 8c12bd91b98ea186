/* qrs-provider.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "qrs-provider.h"

/* QRS_PROVIDER_ERROR is an extended error domain (GLib ≥ 2.68): each GError
 * in it carries this struct, so the details of a failure travel with the
 * error through GTask, g_propagate_error() and g_error_copy() without a
 * second out parameter on every _finish() function.
 */
typedef struct
{
  guint http_status;
  gint64 status_code;
  gint64 api_code;
  char *server_message;
  char *request_id;
  gint64 retry_after;
} QrsProviderErrorPrivate;

static void
qrs_provider_error_private_init (QrsProviderErrorPrivate *priv)
{
  priv->retry_after = -1;
}

static void
qrs_provider_error_private_copy (const QrsProviderErrorPrivate *src,
                                 QrsProviderErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->status_code = src->status_code;
  dest->api_code = src->api_code;
  dest->server_message = g_strdup (src->server_message);
  dest->request_id = g_strdup (src->request_id);
  dest->retry_after = src->retry_after;
}

static void
qrs_provider_error_private_clear (QrsProviderErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

/* The macro finds the private struct by stepping back from the GError
 * through a guint8 pointer; g_error_domain_register_static() allocates it
 * suitably aligned, which clang's -Wcast-align cannot know.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (QrsProviderError, qrs_provider_error)
#pragma GCC diagnostic pop

G_DEFINE_INTERFACE (QrsProvider, qrs_provider, G_TYPE_OBJECT)

static QrsProviderErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != QRS_PROVIDER_ERROR)
    return NULL;

  return qrs_provider_error_get_private (error);
}

/**
 * qrs_provider_error_get_http_status:
 * @error: any error
 *
 * Returns: the HTTP status of the answer that caused @error, or 0 if there
 *   was no answer or @error is not a %QRS_PROVIDER_ERROR
 */
guint
qrs_provider_error_get_http_status (const GError *error)
{
  QrsProviderErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  priv = get_private (error);
  return priv != NULL ? priv->http_status : 0;
}

/**
 * qrs_provider_error_get_status_code:
 * @error: any error
 *
 * Returns: the `statusCode` of the server's answer, or 0 if unknown
 */
gint64
qrs_provider_error_get_status_code (const GError *error)
{
  QrsProviderErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  priv = get_private (error);
  return priv != NULL ? priv->status_code : 0;
}

/**
 * qrs_provider_error_get_api_code:
 * @error: any error
 *
 * Returns: the `apiCode` of the server's answer, or 0 if it sent none
 */
gint64
qrs_provider_error_get_api_code (const GError *error)
{
  QrsProviderErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, 0);

  priv = get_private (error);
  return priv != NULL ? priv->api_code : 0;
}

/**
 * qrs_provider_error_get_server_message:
 * @error: any error
 *
 * The server's own words, to show beside the error's message. They are
 * often in Chinese, whatever the locale.
 *
 * Returns: (nullable): the `message` of the server's answer, on one line
 */
const char *
qrs_provider_error_get_server_message (const GError *error)
{
  QrsProviderErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = get_private (error);
  return priv != NULL ? priv->server_message : NULL;
}

/**
 * qrs_provider_error_get_request_id:
 * @error: any error
 *
 * Returns: (nullable): the `requestId` of the server's answer, for support
 */
const char *
qrs_provider_error_get_request_id (const GError *error)
{
  QrsProviderErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = get_private (error);
  return priv != NULL ? priv->request_id : NULL;
}

/**
 * qrs_provider_error_get_retry_after:
 * @error: any error
 *
 * Returns: the seconds the server asked us to wait (Retry-After), at most
 *   %QRS_PROVIDER_RETRY_AFTER_MAX, or -1 if it did not say
 */
gint64
qrs_provider_error_get_retry_after (const GError *error)
{
  QrsProviderErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, -1);

  priv = get_private (error);
  return priv != NULL ? priv->retry_after : -1;
}

/**
 * qrs_provider_error_is_cancelled:
 * @error: (nullable): any error
 *
 * Returns: whether @error means the operation was cancelled, in either the
 *   %QRS_PROVIDER_ERROR or the %G_IO_ERROR domain
 */
gboolean
qrs_provider_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/**
 * qrs_provider_error_new_cancelled:
 *
 * Returns: (transfer full): the %QRS_PROVIDER_ERROR_CANCELLED every request
 *   ends with when it is cancelled, or asked of an object that has stopped
 */
GError *
qrs_provider_error_new_cancelled (void)
{
  return g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED,
                              _("The request was cancelled"));
}

/**
 * qrs_provider_report_if_stopped:
 * @source_object: the object asked for a request
 * @stopped: whether it has stopped taking requests (disposed, shut down)
 * @callback: the request's callback
 * @user_data: its data
 * @source_tag: the request's `_async` function
 *
 * Reports a cancelled request to @callback, from an idle, if @stopped.
 *
 * Returns: @stopped
 */
gboolean
qrs_provider_report_if_stopped (gpointer             source_object,
                                gboolean             stopped,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data,
                                gpointer             source_tag)
{
  if (stopped)
    g_task_report_error (source_object, callback, user_data, source_tag,
                         qrs_provider_error_new_cancelled ());

  return stopped;
}

void
qrs_provider_error_set_http_status (GError *error,
                                    guint   http_status)
{
  QrsProviderErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == QRS_PROVIDER_ERROR);

  priv = get_private (error);
  priv->http_status = http_status;
}

/**
 * qrs_provider_error_set_server_fault:
 * @error: a %QRS_PROVIDER_ERROR
 * @status_code: the answer's `statusCode`, or 0
 * @api_code: the answer's `apiCode`, or 0
 * @server_message: (nullable): the answer's `message`, valid UTF-8
 * @request_id: (nullable): the answer's `requestId`, valid UTF-8
 *
 * Records what the server said about a failure. Implementations of
 * #QrsProvider call this; callers read it back with the getters.
 */
void
qrs_provider_error_set_server_fault (GError     *error,
                                     gint64      status_code,
                                     gint64      api_code,
                                     const char *server_message,
                                     const char *request_id)
{
  QrsProviderErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == QRS_PROVIDER_ERROR);
  g_return_if_fail (server_message == NULL || g_utf8_validate (server_message, -1, NULL));
  g_return_if_fail (request_id == NULL || g_utf8_validate (request_id, -1, NULL));

  priv = get_private (error);
  priv->status_code = status_code;
  priv->api_code = api_code;
  g_free (priv->server_message);
  priv->server_message = g_strdup (server_message);
  g_free (priv->request_id);
  priv->request_id = g_strdup (request_id);
}

/**
 * qrs_provider_error_set_retry_after:
 * @error: a %QRS_PROVIDER_ERROR
 * @seconds: how long the server asked us to wait, or -1 for unknown
 *
 * Values above %QRS_PROVIDER_RETRY_AFTER_MAX are clamped to it.
 */
void
qrs_provider_error_set_retry_after (GError *error,
                                    gint64  seconds)
{
  QrsProviderErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == QRS_PROVIDER_ERROR);

  priv = get_private (error);
  priv->retry_after = seconds < 0 ? -1 : MIN (seconds, QRS_PROVIDER_RETRY_AFTER_MAX);
}

/**
 * qrs_provider_error_new_from_transport:
 * @error: an error from GIO or libsoup about a request that got no answer
 *
 * Sorts a transport failure into %QRS_PROVIDER_ERROR_CANCELLED, _TIMEOUT,
 * _TLS or _NETWORK, with a message for people.
 *
 * Returns: (transfer full): a new %QRS_PROVIDER_ERROR
 */
GError *
qrs_provider_error_new_from_transport (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == QRS_PROVIDER_ERROR)
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return qrs_provider_error_new_cancelled ();

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_TIMEOUT,
                                _("The sign-in server did not answer in time"));

  if (error->domain == G_TLS_ERROR)
    return g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_TLS,
                        _("The secure connection to the sign-in server failed: %s"),
                        error->message);

  return g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NETWORK,
                      _("Could not reach the sign-in server: %s"),
                      error->message);
}

/**
 * qrs_provider_error_new_for_http:
 * @http_status: an HTTP status that is not a success
 *
 * Returns: (transfer full): a %QRS_PROVIDER_ERROR_RATE_LIMITED for 429, a
 *   %QRS_PROVIDER_ERROR_HTTP otherwise, worded the same for every provider
 */
GError *
qrs_provider_error_new_for_http (guint http_status)
{
  GError *error;

  if (http_status == 429)
    error = g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED,
                                 _("The sign-in server is receiving too many requests and asks us to wait"));
  else
    error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP,
                         _("The sign-in server answered with an error (HTTP %u %s)"),
                         http_status, soup_status_get_phrase (http_status));

  qrs_provider_error_set_http_status (error, http_status);

  return error;
}

/**
 * qrs_provider_error_set_reply:
 * @error: a %QRS_PROVIDER_ERROR about an answer
 * @http_status: the answer's HTTP status
 * @retry_after: (nullable): its Retry-After header
 * @received_at: (nullable): when it arrived, to count an HTTP-date from
 *
 * Attaches what every error about an answer carries, whatever the
 * protocol: the HTTP status and how long the server asked us to wait.
 */
void
qrs_provider_error_set_reply (GError     *error,
                              guint       http_status,
                              const char *retry_after,
                              GDateTime  *received_at)
{
  g_return_if_fail (error != NULL && error->domain == QRS_PROVIDER_ERROR);

  qrs_provider_error_set_http_status (error, http_status);
  if (retry_after != NULL)
    qrs_provider_error_set_retry_after (error, qrs_provider_parse_retry_after (retry_after, received_at));
}

/**
 * qrs_provider_parse_retry_after:
 * @value: a Retry-After header: delay-seconds or an HTTP-date (RFC 9110)
 * @now: (nullable): the time to count an HTTP-date from; %NULL for now
 *
 * Returns: seconds to wait, at most %QRS_PROVIDER_RETRY_AFTER_MAX, 0 for a
 *   date in the past, or -1 if @value is neither form
 */
gint64
qrs_provider_parse_retry_after (const char *value,
                                GDateTime  *now)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) reference = NULL;
  GTimeSpan span;
  const char *p;

  g_return_val_if_fail (value != NULL, -1);

  text = g_strstrip (g_strdup (value));
  if (*text == '\0')
    return -1;

  for (p = text; g_ascii_isdigit (*p); p++)
    ;

  if (*p == '\0')
    {
      guint64 seconds;

      /* A number too long for 64 bits is still a number: a long wait. */
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &seconds, NULL))
        return QRS_PROVIDER_RETRY_AFTER_MAX;

      return (gint64) MIN (seconds, (guint64) QRS_PROVIDER_RETRY_AFTER_MAX);
    }

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;

  reference = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  span = g_date_time_difference (date, reference);
  if (span <= 0)
    return 0;

  /* HTTP-dates have whole seconds; round up so we never come back early. */
  return MIN ((span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, QRS_PROVIDER_RETRY_AFTER_MAX);
}

/**
 * qrs_provider_error_new_for_url:
 * @problem: what qrs_net_check_server_url() found wrong, not %QRS_NET_URL_OK
 * @url: (nullable): the address as given
 *
 * Returns: (transfer full): a %QRS_PROVIDER_ERROR_CONFIG saying in plain
 *   words what is wrong with the sign-in server's address
 */
GError *
qrs_provider_error_new_for_url (QrsNetUrlProblem  problem,
                                const char       *url)
{
  g_autofree char *shown = qrs_net_displayable_url (url);

  switch (problem)
    {
    case QRS_NET_URL_MISSING:
      return g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                                  _("No sign-in server address was given"));

    case QRS_NET_URL_SCHEME:
      return g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                          _("The sign-in server address “%s” must start with https://"),
                          shown);

    case QRS_NET_URL_BAD_HOST:
      return g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                          _("The sign-in server address “%s” has no valid host name"),
                          shown);

    case QRS_NET_URL_EXTRA_PARTS:
      return g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                          _("The sign-in server address “%s” must not contain a user name, a query or a fragment"),
                          shown);

    case QRS_NET_URL_INSECURE:
    case QRS_NET_URL_DOWNGRADE:
      return g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                          _("The sign-in server address “%s” is not secure: use https://, or allow plain http explicitly"),
                          shown);

    case QRS_NET_URL_INVALID:
    case QRS_NET_URL_OK:
    default:
      return g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                          _("The sign-in server address “%s” is not valid"),
                          shown);
    }
}

/* A provider that leaves a pair of vfuncs unset does not support that step
 * (a device-grant provider has no ticket to exchange, for one); the wrappers
 * report that through the callback instead of crashing.
 */
static void
report_not_supported (QrsProvider         *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  g_task_report_new_error (self, callback, user_data, source_tag,
                           QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED,
                           _("This sign-in method cannot do that"));
}

static void
qrs_provider_default_init (QrsProviderInterface *iface)
{
}

/**
 * qrs_provider_create_code_async:
 * @self: a #QrsProvider
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks the server for a new QR code.
 */
void
qrs_provider_create_code_async (QrsProvider         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  QrsProviderInterface *iface;

  g_return_if_fail (QRS_IS_PROVIDER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  iface = QRS_PROVIDER_GET_IFACE (self);
  if (iface->create_code_async == NULL)
    {
      report_not_supported (self, callback, user_data, qrs_provider_create_code_async);
      return;
    }

  iface->create_code_async (self, cancellable, callback, user_data);
}

/**
 * qrs_provider_create_code_finish:
 *
 * Returns: (transfer full): the new code, or %NULL with @error set to a
 *   %QRS_PROVIDER_ERROR
 */
QrsCode *
qrs_provider_create_code_finish (QrsProvider   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (QRS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_async_result_is_tagged (result, qrs_provider_create_code_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return QRS_PROVIDER_GET_IFACE (self)->create_code_finish (self, result, error);
}

/**
 * qrs_provider_check_status_async:
 * @self: a #QrsProvider
 * @code: a code made by @self
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks the server where @code stands.
 */
void
qrs_provider_check_status_async (QrsProvider         *self,
                                 QrsCode             *code,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  QrsProviderInterface *iface;

  g_return_if_fail (QRS_IS_PROVIDER (self));
  g_return_if_fail (QRS_IS_CODE (code));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  iface = QRS_PROVIDER_GET_IFACE (self);
  if (iface->check_status_async == NULL)
    {
      report_not_supported (self, callback, user_data, qrs_provider_check_status_async);
      return;
    }

  iface->check_status_async (self, code, cancellable, callback, user_data);
}

/**
 * qrs_provider_check_status_finish:
 *
 * Returns: (transfer full): the report, or %NULL with @error set to a
 *   %QRS_PROVIDER_ERROR
 */
QrsStatusReport *
qrs_provider_check_status_finish (QrsProvider   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (QRS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_async_result_is_tagged (result, qrs_provider_check_status_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return QRS_PROVIDER_GET_IFACE (self)->check_status_finish (self, result, error);
}

/**
 * qrs_provider_exchange_async:
 * @self: a #QrsProvider
 * @report: an %QRS_STATUS_AUTHORIZED report carrying a ticket
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Trades the ticket of @report for tokens. Do it once per ticket: the
 * server may accept a ticket only once.
 */
void
qrs_provider_exchange_async (QrsProvider         *self,
                             QrsStatusReport     *report,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  QrsProviderInterface *iface;

  g_return_if_fail (QRS_IS_PROVIDER (self));
  g_return_if_fail (QRS_IS_STATUS_REPORT (report));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  iface = QRS_PROVIDER_GET_IFACE (self);
  if (iface->exchange_async == NULL)
    {
      report_not_supported (self, callback, user_data, qrs_provider_exchange_async);
      return;
    }

  iface->exchange_async (self, report, cancellable, callback, user_data);
}

/**
 * qrs_provider_exchange_finish:
 *
 * Returns: (transfer full): the tokens, or %NULL with @error set to a
 *   %QRS_PROVIDER_ERROR
 */
QrsTokenSet *
qrs_provider_exchange_finish (QrsProvider   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (QRS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_async_result_is_tagged (result, qrs_provider_exchange_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return QRS_PROVIDER_GET_IFACE (self)->exchange_finish (self, result, error);
}

/**
 * qrs_provider_prepare_async:
 * @self: a #QrsProvider
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Learns what can be learnt before any window shows (the device flow's
 * OpenID discovery), so that a configuration that cannot work is told at
 * once. Providers with nothing to learn succeed at once. Creating a code
 * prepares the provider anyway if this was not called.
 */
void
qrs_provider_prepare_async (QrsProvider         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  QrsProviderInterface *iface;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (QRS_IS_PROVIDER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  iface = QRS_PROVIDER_GET_IFACE (self);
  if (iface->prepare_async != NULL)
    {
      iface->prepare_async (self, cancellable, callback, user_data);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qrs_provider_prepare_async);
  g_task_return_boolean (task, TRUE);
}

/**
 * qrs_provider_prepare_finish:
 * @error: a %QRS_PROVIDER_ERROR: _CONFIG when the configuration cannot work
 *
 * Returns: whether the provider is ready
 */
gboolean
qrs_provider_prepare_finish (QrsProvider   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (QRS_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (g_async_result_is_tagged (result, qrs_provider_prepare_async))
    return g_task_propagate_boolean (G_TASK (result), error);

  return QRS_PROVIDER_GET_IFACE (self)->prepare_finish (self, result, error);
}

static void
picture_fetched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes;

  bytes = qrs_net_client_fetch_picture_finish (QRS_NET_CLIENT (object), result, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/**
 * qrs_provider_fetch_picture_async:
 * @self: a #QrsProvider
 * @url: where the server said a picture is (a QR image, an avatar)
 * @max_bytes: the largest picture to accept
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Downloads a picture the server pointed at, through the provider's own
 * client and so under the same network rules as the server itself (see
 * qrs_net_check_picture_url()).
 */
void
qrs_provider_fetch_picture_async (QrsProvider         *self,
                                  const char          *url,
                                  gsize                max_bytes,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  QrsProviderInterface *iface;
  QrsNetClient *client;
  GTask *task;

  g_return_if_fail (QRS_IS_PROVIDER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  iface = QRS_PROVIDER_GET_IFACE (self);
  client = iface->get_net_client != NULL ? iface->get_net_client (self) : NULL;
  if (client == NULL)
    {
      report_not_supported (self, callback, user_data, qrs_provider_fetch_picture_async);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, qrs_provider_fetch_picture_async);
  g_task_set_check_cancellable (task, FALSE);
  qrs_net_client_fetch_picture_async (client, url, max_bytes, cancellable, picture_fetched_cb, task);
}

/**
 * qrs_provider_fetch_picture_finish:
 *
 * Returns: (transfer full): the picture's bytes, undecoded, or %NULL with
 *   @error set to a %QRS_PROVIDER_ERROR
 */
GBytes *
qrs_provider_fetch_picture_finish (QrsProvider   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (QRS_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
