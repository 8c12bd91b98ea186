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
#include "qrs-form.h"
#include "qrs-genauth-provider.h"
#include "qrs-net-client.h"
#include "qrs-genauth-wire.h"
#include "qrs-secret-private.h"

/* GenAuth (Authing) V3 "scan QR code to sign in" over libsoup 3.
 *
 * The wire work (the session, bounded reads, transport errors, pictures)
 * is QrsNetClient's; all the parsing is in qrs-genauth-wire.c. What is left
 * here is GenAuth's: which endpoint, which headers, which body.
 *
 * Every request returns through a GTask of its own that holds a reference
 * on the provider, so the callbacks always find it alive, disposed or not.
 */

struct _QrsGenauthProvider
{
  GObject parent_instance;

  char *base_url;      /* normalised: no trailing slash, no query */
  char *app_id;
  char *userpool_id;   /* NULL when not configured */
  QrsSecret *client_secret;

  QrsNetClient *client;

  QrsClientAuth client_auth;
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

static const char *
describe (RequestKind kind)
{
  switch (kind)
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

/* Turns what arrived into the step's typed result, or the error saying
 * why it is not one.
 */
static gpointer
parse_reply (QrsGenauthProvider  *self,
             RequestKind          kind,
             const QrsNetReply   *net_reply,
             GError             **error)
{
  gsize length = 0;
  const guint8 *body = g_bytes_get_data (net_reply->body, &length);
  QrsGenauthReply reply = {
    .http_status = net_reply->http_status,
    .retry_after = net_reply->retry_after,
    .received_at = net_reply->received_at,
    .body = body,
    .body_length = length,
    .body_truncated = net_reply->truncated,
  };

  switch (kind)
    {
    case REQUEST_CREATE_CODE:
      {
        QrsCode *code = qrs_genauth_wire_parse_code (&reply, self->userpool_id,
                                                     net_reply->sent_at, self->qr_lifetime,
                                                     error);

        if (code != NULL)
          {
            g_autofree char *id = qrs_loggable_text (qrs_code_get_id (code));

            g_debug ("Created code %s", id);
          }
        return code;
      }

    case REQUEST_CHECK_STATUS:
      {
        QrsStatusReport *report = qrs_genauth_wire_parse_status (&reply, error);

        if (report != NULL)
          qrs_status_report_log (report);
        return report;
      }

    case REQUEST_EXCHANGE:
      {
        QrsTokenSet *token_set = qrs_genauth_wire_parse_token_set (&reply, error);

        if (token_set != NULL)
          {
            g_autofree char *description = qrs_token_set_to_debug_string (token_set);

            g_debug ("Tokens: %s", description);
          }
        return token_set;
      }

    default:
      g_assert_not_reached ();
    }
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QrsGenauthProvider *self = g_task_get_source_object (task);
  RequestKind kind = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(QrsNetReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gpointer parsed;

  g_assert (QRS_IS_GENAUTH_PROVIDER (self));

  reply = qrs_net_client_send_finish (QRS_NET_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  parsed = parse_reply (self, kind, reply, &error);
  if (parsed == NULL)
    {
      g_debug ("Request to %s failed: %s", describe (kind), error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, parsed, g_object_unref);
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

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* GenAuth's SDKs send one spelling or the other; send both. */
  soup_message_headers_replace (headers, "x-authing-app-id", self->app_id);
  soup_message_headers_replace (headers, "x-genauth-app-id", self->app_id);
  if (self->userpool_id != NULL)
    soup_message_headers_replace (headers, "x-authing-userpool-id", self->userpool_id);
  /* Without them the server may answer in Chinese whatever the locale. */
  soup_message_headers_replace (headers, "x-authing-lang", qrs_net_get_language_tag ());
  soup_message_headers_replace (headers, "x-genauth-lang", qrs_net_get_language_tag ());

  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", body);

  return message;
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

  g_assert (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported as QRS_PROVIDER_ERROR_CANCELLED, not as
   * GTask's G_IO_ERROR_CANCELLED.
   */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);

  qrs_net_client_send_async (self->client, message, describe (kind), cancellable,
                             sent_cb, g_steal_pointer (&task));
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

  if (qrs_provider_report_if_stopped (self, self->disposed, callback, user_data, qrs_genauth_provider_create_code_async))
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

  if (qrs_provider_report_if_stopped (self, self->disposed, callback, user_data, qrs_genauth_provider_check_status_async))
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

  if (qrs_provider_report_if_stopped (self, self->disposed, callback, user_data, qrs_genauth_provider_exchange_async))
    return;

  ticket = qrs_status_report_get_ticket (report);
  if (ticket == NULL)
    {
      g_task_report_new_error (self, callback, user_data, qrs_genauth_provider_exchange_async,
                               QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED,
                               _("There is no ticket to exchange"));
      return;
    }

  if (self->client_auth != QRS_CLIENT_AUTH_NONE && self->client_secret == NULL)
    {
      g_task_report_new_error (self, callback, user_data, qrs_genauth_provider_exchange_async,
                               QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                               _("The application needs a client secret to sign in, and none was given"));
      return;
    }

  switch (self->client_auth)
    {
    case QRS_CLIENT_AUTH_NONE:
      body = qrs_genauth_wire_build_exchange_request (ticket, NULL, NULL);
      message = new_message (self, SOUP_METHOD_POST, "/api/v3/exchange-tokenset-with-qrcode-ticket", NULL, body);
      break;

    case QRS_CLIENT_AUTH_CLIENT_SECRET_POST:
      body = qrs_genauth_wire_build_exchange_request (ticket, self->app_id, self->client_secret);
      message = new_message (self, SOUP_METHOD_POST, "/api/v3/exchange-tokenset-with-qrcode-ticket", NULL, body);
      break;

    case QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC:
      {
        /* Form-encoded first, as RFC 6749 §2.3.1 has it. */
        g_autoptr(QrsSecret) authorization = qrs_form_basic_credentials (self->app_id, self->client_secret);

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

static QrsNetClient *
qrs_genauth_provider_get_net_client (QrsProvider *provider)
{
  return QRS_GENAUTH_PROVIDER (provider)->client;
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
  iface->get_net_client = qrs_genauth_provider_get_net_client;
}

/* ---- Configuration ---------------------------------------------------- */

static gboolean
qrs_genauth_provider_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  QrsGenauthProvider *self = QRS_GENAUTH_PROVIDER (initable);
  g_autofree char *normalized = NULL;
  QrsNetUrlProblem problem;

  g_return_val_if_fail (!self->initialized, FALSE);

  problem = qrs_net_check_server_url (self->base_url, self->allow_insecure_http, &normalized);
  if (problem != QRS_NET_URL_OK)
    {
      g_propagate_error (error, qrs_provider_error_new_for_url (problem, self->base_url));
      return FALSE;
    }
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normalized);

  if (!qrs_net_text_is_header_safe (self->app_id, QRS_NET_MAX_ID_LENGTH))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The application id is missing or has characters that are not allowed"));
      return FALSE;
    }

  if (self->userpool_id != NULL && *self->userpool_id == '\0')
    g_clear_pointer (&self->userpool_id, g_free);

  if (self->userpool_id != NULL && !qrs_net_text_is_header_safe (self->userpool_id, QRS_NET_MAX_ID_LENGTH))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The user pool id has characters that are not allowed"));
      return FALSE;
    }

  self->client = qrs_net_client_new (self->base_url, self->allow_insecure_http);
  qrs_net_client_set_timeout (self->client, self->timeout);
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

  self->disposed = TRUE;
  if (self->client != NULL)
    qrs_net_client_shutdown (self->client);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (qrs_genauth_provider_parent_class)->dispose (object);
}

static void
qrs_genauth_provider_finalize (GObject *object)
{
  QrsGenauthProvider *self = (QrsGenauthProvider *) object;

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
                       QRS_TYPE_CLIENT_AUTH, QRS_CLIENT_AUTH_NONE,
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
  self->timeout = QRS_GENAUTH_PROVIDER_DEFAULT_TIMEOUT;
  self->qr_lifetime = QRS_CODE_DEFAULT_LIFETIME;
  self->status_path = QRS_GENAUTH_STATUS_PATH_CHECK;
  self->client_auth = QRS_CLIENT_AUTH_NONE;
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
  if (self->client != NULL)
    qrs_net_client_set_timeout (self->client, timeout);
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

QrsClientAuth
qrs_genauth_provider_get_client_auth (QrsGenauthProvider *self)
{
  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), QRS_CLIENT_AUTH_NONE);

  return self->client_auth;
}

/**
 * qrs_genauth_provider_set_client_auth:
 *
 * Sets how the ticket exchange authenticates the application; it must match
 * the console. Anything but %QRS_CLIENT_AUTH_NONE needs a client
 * secret, loaded with qrs_genauth_provider_load_client_secret_from_env() or
 * qrs_genauth_provider_load_client_secret_from_file().
 */
void
qrs_genauth_provider_set_client_auth (QrsGenauthProvider   *self,
                                      QrsClientAuth  client_auth)
{
  g_return_if_fail (QRS_IS_GENAUTH_PROVIDER (self));
  g_return_if_fail (client_auth == QRS_CLIENT_AUTH_NONE ||
                    client_auth == QRS_CLIENT_AUTH_CLIENT_SECRET_POST ||
                    client_auth == QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);

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

/**
 * qrs_genauth_provider_set_client_secret:
 * @secret: the client secret, as qrs_secret_load() reads it
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * Keeps a copy of @secret (wiped when no longer needed) for the ticket
 * exchange, which needs it unless #QrsGenauthProvider:client-auth is
 * %QRS_CLIENT_AUTH_NONE.
 *
 * Returns: whether @secret is usable
 */
gboolean
qrs_genauth_provider_set_client_secret (QrsGenauthProvider  *self,
                                        const char          *secret,
                                        GError             **error)
{
  gboolean had_secret;

  g_return_val_if_fail (QRS_IS_GENAUTH_PROVIDER (self), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  had_secret = self->client_secret != NULL;
  if (!qrs_secret_replace (&self->client_secret, secret, error))
    return FALSE;

  if (!had_secret)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CLIENT_SECRET]);

  return TRUE;
}
