/* qrs-device-flow-provider.c
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
#include "qrs-device-flow-provider.h"
#include "qrs-device-flow-wire.h"
#include "qrs-form.h"
#include "qrs-net-client.h"
#include "qrs-secret-private.h"

/* Any OpenID provider, by the OAuth 2.0 Device Authorization Grant
 * (RFC 8628): the QR code is the provider's verification address with the
 * user code in it, and the status is a poll of the token endpoint, which
 * answers with the tokens themselves once the person agrees. So there is
 * no SCANNED and no ticket to exchange: the reports are PENDING, then
 * AUTHORIZED with a token set, CANCELLED or EXPIRED.
 *
 * The endpoints come from the issuer's OpenID configuration, fetched
 * before the first code and kept. Requests go through QrsNetClient, and
 * all the parsing is in qrs-device-flow-wire.c. Like the GenAuth provider,
 * every request returns through a GTask of its own that holds a reference
 * on the provider, so the callbacks always find it alive, disposed or not.
 */

/* The longest scope we send. */
#define MAX_SCOPE_LENGTH 1024

struct _QrsDeviceFlowProvider
{
  GObject parent_instance;

  char *issuer;        /* normalised: no trailing slash */
  char *client_id;
  char *scope;
  QrsSecret *client_secret;

  QrsNetClient *client;
  QrsDeviceFlowEndpoints *endpoints; /* NULL until discovered */

  QrsClientAuth client_auth;
  guint timeout;

  guint allow_insecure_http : 1;
  guint initialized : 1;
  guint disposed : 1;
};

enum {
  PROP_0,
  PROP_ISSUER,
  PROP_CLIENT_ID,
  PROP_SCOPE,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_TIMEOUT,
  PROP_CLIENT_AUTH,
  PROP_HAS_CLIENT_SECRET,
  N_PROPS
};

static void qrs_device_flow_provider_initable_iface_init (GInitableIface *iface);
static void qrs_device_flow_provider_provider_iface_init (QrsProviderInterface *iface);
static void qrs_device_flow_provider_prepare_async (QrsProvider         *provider,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
static gboolean qrs_device_flow_provider_prepare_finish (QrsProvider   *provider,
                                                         GAsyncResult  *result,
                                                         GError       **error);

G_DEFINE_FINAL_TYPE_WITH_CODE (QrsDeviceFlowProvider, qrs_device_flow_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      qrs_device_flow_provider_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (QRS_TYPE_PROVIDER,
                                                      qrs_device_flow_provider_provider_iface_init))

static GParamSpec *properties[N_PROPS];

/* ---- Requests --------------------------------------------------------- */

/* What goes on once the endpoints are known. */
typedef void (*Step) (GTask *task);

typedef struct
{
  Step next;
  QrsCode *code;   /* the code being polled, for check_status */
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->code);
  g_free (job);
}

static QrsDeviceFlowContext
get_context (QrsDeviceFlowProvider *self)
{
  QrsDeviceFlowContext context = {
    .issuer = self->issuer,
    .client_id = self->client_id,
    .allow_insecure_http = self->allow_insecure_http,
  };

  return context;
}

/* Refuses a request that cannot be made: after dispose, or without the
 * secret the client authentication needs.
 */
static gboolean
report_if_unable (QrsDeviceFlowProvider *self,
                  GAsyncReadyCallback    callback,
                  gpointer               user_data,
                  gpointer               source_tag)
{
  if (qrs_provider_report_if_stopped (self, self->disposed, callback, user_data, source_tag))
    return TRUE;

  if (self->client_auth != QRS_CLIENT_AUTH_NONE && self->client_secret == NULL)
    {
      g_task_report_new_error (self, callback, user_data, source_tag,
                               QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                               _("No client secret was given."));
      return TRUE;
    }

  return FALSE;
}

static GTask *
job_new (QrsDeviceFlowProvider *self,
         Step                   next,
         QrsCode               *code,
         GCancellable          *cancellable,
         GAsyncReadyCallback    callback,
         gpointer               user_data,
         gpointer               source_tag)
{
  GTask *task;
  Job *job;

  g_assert (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported as QRS_PROVIDER_ERROR_CANCELLED, not as
   * GTask's G_IO_ERROR_CANCELLED.
   */
  g_task_set_check_cancellable (task, FALSE);

  job = g_new0 (Job, 1);
  job->next = next;
  job->code = code != NULL ? g_object_ref (code) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  return task;
}

/* A form POSTed to one of the endpoints, authenticated as the client is
 * configured to: a client_secret_post secret is already in @body.
 */
static SoupMessage *
new_form_message (QrsDeviceFlowProvider *self,
                  const char            *url,
                  GBytes                *body)
{
  SoupMessageHeaders *headers;
  SoupMessage *message;

  message = soup_message_new (SOUP_METHOD_POST, url);
  /* The endpoints passed the URL rules when they were discovered. */
  g_assert (message != NULL);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (self->client_auth == QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC)
    {
      g_autoptr(QrsSecret) credentials = qrs_form_basic_credentials (self->client_id, self->client_secret);

      soup_message_headers_replace (headers, "Authorization", credentials);
    }

  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);

  return message;
}

/* The secret that goes into request bodies: only for client_secret_post. */
static const char *
secret_for_body (QrsDeviceFlowProvider *self)
{
  return self->client_auth == QRS_CLIENT_AUTH_CLIENT_SECRET_POST ? self->client_secret : NULL;
}

/* Takes the answer of a request, or returns the task's error; NULL then. */
static QrsNetReply *
take_reply (GTask        *task,
            GObject      *source,
            GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  QrsNetReply *reply;

  reply = qrs_net_client_send_finish (QRS_NET_CLIENT (source), result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));

  return reply;
}

static void
return_error (GTask       *task,
              const char  *what,
              GError      *error)
{
  g_debug ("Request to %s failed: %s", what, error->message);
  g_task_return_error (task, error);
}

/* ---- Discovery -------------------------------------------------------- */

static void
discovered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QrsDeviceFlowProvider *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  QrsDeviceFlowContext context = get_context (self);
  g_autoptr(QrsNetReply) reply = NULL;
  g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
  GError *error = NULL;

  g_assert (QRS_IS_DEVICE_FLOW_PROVIDER (self));

  reply = take_reply (task, source, result);
  if (reply == NULL)
    return;

  endpoints = qrs_device_flow_wire_parse_discovery (&context, reply, &error);
  if (endpoints == NULL)
    {
      return_error (task, "discovery", error);
      return;
    }

  /* Two discoveries may have crossed (the application's, and the first
   * code's); the first to arrive is kept.
   */
  if (self->endpoints == NULL)
    {
      g_debug ("Discovered the device flow endpoints of %s", self->issuer);
      self->endpoints = g_steal_pointer (&endpoints);
    }

  /* The next step needs the client, which goes with dispose. */
  if (self->disposed)
    {
      g_task_return_error (task, qrs_provider_error_new_cancelled ());
      return;
    }

  job->next (g_steal_pointer (&task));
}

/* Goes on with @task's next step once the endpoints are known: at once if
 * they are, after discovery if not. A discovery that fails is not kept, so
 * the next request tries again.
 */
static void
with_endpoints (GTask *task)
{
  QrsDeviceFlowProvider *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;

  if (self->endpoints != NULL)
    {
      job->next (task);
      return;
    }

  url = qrs_device_flow_wire_discovery_url (self->issuer);
  message = soup_message_new (SOUP_METHOD_GET, url);
  /* The issuer was checked at construction, and the path is ours. */
  g_assert (message != NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");

  qrs_net_client_send_async (self->client, message, "discovery", g_task_get_cancellable (task),
                             discovered_cb, task);
}

static void
return_discovered (GTask *task)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* ---- Device authorization --------------------------------------------- */

static void
authorized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QrsDeviceFlowProvider *self = g_task_get_source_object (task);
  QrsDeviceFlowContext context = get_context (self);
  g_autoptr(QrsNetReply) reply = NULL;
  g_autofree char *id = NULL;
  GError *error = NULL;
  QrsCode *code;

  g_assert (QRS_IS_DEVICE_FLOW_PROVIDER (self));

  reply = take_reply (task, source, result);
  if (reply == NULL)
    return;

  code = qrs_device_flow_wire_parse_authorization (&context, reply, &error);
  if (code == NULL)
    {
      return_error (task, "device authorization", error);
      return;
    }

  id = qrs_loggable_text (qrs_code_get_id (code));
  g_debug ("Created code %s: valid %u s, polled every %u s", id,
           qrs_code_get_lifetime (code), qrs_code_get_poll_interval (code));

  g_task_return_pointer (task, code, g_object_unref);
}

static void
authorize (GTask *task)
{
  QrsDeviceFlowProvider *self = g_task_get_source_object (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;

  body = qrs_device_flow_wire_build_authorization_request (self->client_id, self->scope,
                                                           secret_for_body (self));
  message = new_form_message (self, self->endpoints->device_authorization_endpoint, body);

  qrs_net_client_send_async (self->client, message, "device authorization", g_task_get_cancellable (task),
                             authorized_cb, task);
}

/* ---- Polling ---------------------------------------------------------- */

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QrsDeviceFlowProvider *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  QrsDeviceFlowContext context = get_context (self);
  g_autoptr(QrsNetReply) reply = NULL;
  QrsStatusReport *report;
  GError *error = NULL;

  g_assert (QRS_IS_DEVICE_FLOW_PROVIDER (self));

  reply = take_reply (task, source, result);
  if (reply == NULL)
    return;

  /* The server gave the tokens, whether or not they can be read: the
   * device code is spent, and a second poll with it would be a replay, for
   * which oidc-provider revokes everything the code gave.
   */
  if (SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    qrs_device_flow_code_forget_device_code (job->code);

  report = qrs_device_flow_wire_parse_token (&context, reply,
                                             qrs_device_flow_code_get_interval (job->code), &error);
  if (report == NULL)
    {
      return_error (task, "token", error);
      return;
    }

  /* slow_down (RFC 8628 §3.5): for the rest of this code. */
  if (qrs_status_report_get_poll_interval (report) > qrs_device_flow_code_get_interval (job->code))
    {
      g_debug ("The server asks for slower polling: every %u s from now on",
               qrs_status_report_get_poll_interval (report));
      qrs_device_flow_code_set_interval (job->code, qrs_status_report_get_poll_interval (report));
    }

  qrs_status_report_log (report);

  g_task_return_pointer (task, report, g_object_unref);
}

static void
poll_token (GTask *task)
{
  QrsDeviceFlowProvider *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;

  body = qrs_device_flow_wire_build_token_request (qrs_device_flow_code_get_device_code (job->code),
                                                   self->client_id, secret_for_body (self));
  message = new_form_message (self, self->endpoints->token_endpoint, body);

  qrs_net_client_send_async (self->client, message, "token", g_task_get_cancellable (task),
                             polled_cb, task);
}

/* ---- QrsProvider ------------------------------------------------------ */

static void
qrs_device_flow_provider_create_code_async (QrsProvider         *provider,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  QrsDeviceFlowProvider *self = QRS_DEVICE_FLOW_PROVIDER (provider);

  g_return_if_fail (self->initialized);

  if (report_if_unable (self, callback, user_data, qrs_device_flow_provider_create_code_async))
    return;

  with_endpoints (job_new (self, authorize, NULL, cancellable, callback, user_data,
                           qrs_device_flow_provider_create_code_async));
}

static QrsCode *
qrs_device_flow_provider_create_code_finish (QrsProvider   *provider,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_device_flow_provider_create_code_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
qrs_device_flow_provider_check_status_async (QrsProvider         *provider,
                                             QrsCode             *code,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  QrsDeviceFlowProvider *self = QRS_DEVICE_FLOW_PROVIDER (provider);

  g_return_if_fail (self->initialized);

  if (report_if_unable (self, callback, user_data, qrs_device_flow_provider_check_status_async))
    return;

  /* A code that gave its tokens is never polled again (see polled_cb()),
   * and a code of ours always comes after discovery.
   */
  if (qrs_device_flow_code_get_device_code (code) == NULL || self->endpoints == NULL)
    {
      g_task_report_new_error (self, callback, user_data, qrs_device_flow_provider_check_status_async,
                               QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED,
                               _("This code cannot be checked: it has been used already, or it is not from this OpenID provider"));
      return;
    }

  poll_token (job_new (self, NULL, code, cancellable, callback, user_data,
                       qrs_device_flow_provider_check_status_async));
}

static QrsStatusReport *
qrs_device_flow_provider_check_status_finish (QrsProvider   *provider,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_device_flow_provider_check_status_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static QrsNetClient *
qrs_device_flow_provider_get_net_client (QrsProvider *provider)
{
  return QRS_DEVICE_FLOW_PROVIDER (provider)->client;
}

/* No exchange: the token endpoint answers a poll with the tokens. */
static void
qrs_device_flow_provider_provider_iface_init (QrsProviderInterface *iface)
{
  iface->create_code_async = qrs_device_flow_provider_create_code_async;
  iface->create_code_finish = qrs_device_flow_provider_create_code_finish;
  iface->check_status_async = qrs_device_flow_provider_check_status_async;
  iface->check_status_finish = qrs_device_flow_provider_check_status_finish;
  iface->get_net_client = qrs_device_flow_provider_get_net_client;
  iface->prepare_async = qrs_device_flow_provider_prepare_async;
  iface->prepare_finish = qrs_device_flow_provider_prepare_finish;
}

/* ---- Configuration ---------------------------------------------------- */

static gboolean
qrs_device_flow_provider_initable_init (GInitable     *initable,
                                        GCancellable  *cancellable,
                                        GError       **error)
{
  QrsDeviceFlowProvider *self = QRS_DEVICE_FLOW_PROVIDER (initable);
  g_autofree char *normalized = NULL;
  QrsNetUrlProblem problem;

  g_return_val_if_fail (!self->initialized, FALSE);

  problem = qrs_net_check_server_url (self->issuer, self->allow_insecure_http, &normalized);
  if (problem != QRS_NET_URL_OK)
    {
      g_propagate_error (error, qrs_provider_error_new_for_url (problem, self->issuer));
      return FALSE;
    }
  g_free (self->issuer);
  self->issuer = g_steal_pointer (&normalized);

  if (!qrs_net_text_is_header_safe (self->client_id, QRS_NET_MAX_ID_LENGTH))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The client id is missing or has characters that are not allowed"));
      return FALSE;
    }

  if (self->scope == NULL)
    self->scope = g_strdup (QRS_DEVICE_FLOW_PROVIDER_DEFAULT_SCOPE);

  if (!qrs_net_text_is_visible_ascii (self->scope, MAX_SCOPE_LENGTH))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The scope is empty, too long, or has characters that are not allowed"));
      return FALSE;
    }

  self->client = qrs_net_client_new (self->issuer, self->allow_insecure_http);
  qrs_net_client_set_timeout (self->client, self->timeout);
  self->initialized = TRUE;

  return TRUE;
}

static void
qrs_device_flow_provider_initable_iface_init (GInitableIface *iface)
{
  iface->init = qrs_device_flow_provider_initable_init;
}

/* ---- GObject ---------------------------------------------------------- */

static void
qrs_device_flow_provider_dispose (GObject *object)
{
  QrsDeviceFlowProvider *self = (QrsDeviceFlowProvider *) object;

  self->disposed = TRUE;
  if (self->client != NULL)
    qrs_net_client_shutdown (self->client);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (qrs_device_flow_provider_parent_class)->dispose (object);
}

static void
qrs_device_flow_provider_finalize (GObject *object)
{
  QrsDeviceFlowProvider *self = (QrsDeviceFlowProvider *) object;

  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->scope, g_free);
  g_clear_pointer (&self->client_secret, qrs_secret_free);
  g_clear_pointer (&self->endpoints, qrs_device_flow_endpoints_free);

  G_OBJECT_CLASS (qrs_device_flow_provider_parent_class)->finalize (object);
}

static void
qrs_device_flow_provider_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  QrsDeviceFlowProvider *self = QRS_DEVICE_FLOW_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;

    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;

    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, self->allow_insecure_http);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
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
qrs_device_flow_provider_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  QrsDeviceFlowProvider *self = QRS_DEVICE_FLOW_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ISSUER:
      g_assert (self->issuer == NULL);
      self->issuer = g_value_dup_string (value);
      break;

    case PROP_CLIENT_ID:
      g_assert (self->client_id == NULL);
      self->client_id = g_value_dup_string (value);
      break;

    case PROP_SCOPE:
      g_assert (self->scope == NULL);
      self->scope = g_value_dup_string (value);
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      self->allow_insecure_http = g_value_get_boolean (value);
      break;

    case PROP_TIMEOUT:
      qrs_device_flow_provider_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_CLIENT_AUTH:
      qrs_device_flow_provider_set_client_auth (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_device_flow_provider_class_init (QrsDeviceFlowProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qrs_device_flow_provider_dispose;
  object_class->finalize = qrs_device_flow_provider_finalize;
  object_class->get_property = qrs_device_flow_provider_get_property;
  object_class->set_property = qrs_device_flow_provider_set_property;

  /**
   * QrsDeviceFlowProvider:issuer:
   *
   * The OpenID provider's issuer, e.g. `https://login.example.com/realms/x`:
   * its configuration is at `{issuer}/.well-known/openid-configuration`.
   * Plain http is accepted only for a loopback host or with
   * #QrsDeviceFlowProvider:allow-insecure-http.
   */
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QrsDeviceFlowProvider:scope:
   *
   * The scope asked for, space-separated; %NULL for
   * %QRS_DEVICE_FLOW_PROVIDER_DEFAULT_SCOPE.
   */
  properties[PROP_SCOPE] =
    g_param_spec_string ("scope", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QrsDeviceFlowProvider:timeout:
   *
   * Seconds to wait for the server at each step of a request. Changing it
   * affects new connections only.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 600, QRS_DEVICE_FLOW_PROVIDER_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * QrsDeviceFlowProvider:client-auth:
   *
   * How requests authenticate the client: not at all (a public client), or
   * with its secret in the body or in HTTP Basic. It must match the
   * client's registration.
   */
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
qrs_device_flow_provider_init (QrsDeviceFlowProvider *self)
{
  self->timeout = QRS_DEVICE_FLOW_PROVIDER_DEFAULT_TIMEOUT;
  self->client_auth = QRS_CLIENT_AUTH_NONE;
}

/* ---- Public API ------------------------------------------------------- */

/**
 * qrs_device_flow_provider_new:
 * @issuer: the OpenID provider's issuer
 * @client_id: the client id
 * @scope: (nullable): the scope to ask for, or %NULL for
 *   %QRS_DEVICE_FLOW_PROVIDER_DEFAULT_SCOPE
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * To allow plain http to a host that is not loopback, build the provider
 * with g_initable_new() and #QrsDeviceFlowProvider:allow-insecure-http.
 * Nothing is sent until the first code, or qrs_device_flow_provider_discover_async().
 *
 * Returns: (transfer full) (nullable): a new provider, or %NULL if the
 *   configuration is not usable
 */
QrsDeviceFlowProvider *
qrs_device_flow_provider_new (const char  *issuer,
                              const char  *client_id,
                              const char  *scope,
                              GError     **error)
{
  g_return_val_if_fail (issuer != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (QRS_TYPE_DEVICE_FLOW_PROVIDER, NULL, error,
                         "issuer", issuer,
                         "client-id", client_id,
                         "scope", scope,
                         NULL);
}

/**
 * qrs_device_flow_provider_get_issuer:
 *
 * Returns: the issuer, normalised without a trailing slash
 */
const char *
qrs_device_flow_provider_get_issuer (QrsDeviceFlowProvider *self)
{
  g_return_val_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self), NULL);

  return self->issuer;
}

const char *
qrs_device_flow_provider_get_client_id (QrsDeviceFlowProvider *self)
{
  g_return_val_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self), NULL);

  return self->client_id;
}

const char *
qrs_device_flow_provider_get_scope (QrsDeviceFlowProvider *self)
{
  g_return_val_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self), NULL);

  return self->scope;
}

guint
qrs_device_flow_provider_get_timeout (QrsDeviceFlowProvider *self)
{
  g_return_val_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self), 0);

  return self->timeout;
}

void
qrs_device_flow_provider_set_timeout (QrsDeviceFlowProvider *self,
                                      guint                  timeout)
{
  g_return_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self));
  g_return_if_fail (timeout > 0);

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  if (self->client != NULL)
    qrs_net_client_set_timeout (self->client, timeout);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

QrsClientAuth
qrs_device_flow_provider_get_client_auth (QrsDeviceFlowProvider *self)
{
  g_return_val_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self), QRS_CLIENT_AUTH_NONE);

  return self->client_auth;
}

/**
 * qrs_device_flow_provider_set_client_auth:
 *
 * Sets how requests authenticate the client; it must match the client's
 * registration. Anything but %QRS_CLIENT_AUTH_NONE needs a client secret
 * (qrs_device_flow_provider_set_client_secret()) before the first request.
 */
void
qrs_device_flow_provider_set_client_auth (QrsDeviceFlowProvider *self,
                                          QrsClientAuth          client_auth)
{
  g_return_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self));
  g_return_if_fail (client_auth == QRS_CLIENT_AUTH_NONE ||
                    client_auth == QRS_CLIENT_AUTH_CLIENT_SECRET_POST ||
                    client_auth == QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);

  if (self->client_auth == client_auth)
    return;

  self->client_auth = client_auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_AUTH]);
}

gboolean
qrs_device_flow_provider_has_client_secret (QrsDeviceFlowProvider *self)
{
  g_return_val_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self), FALSE);

  return self->client_secret != NULL;
}

/**
 * qrs_device_flow_provider_set_client_secret:
 * @secret: the client secret, as qrs_secret_load() reads it
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * Keeps a copy of @secret (wiped when no longer needed). Any printable
 * ASCII will do, spaces included (RFC 6749 Appendix A.2): it is
 * form-encoded in a body and in Basic credentials alike.
 *
 * Returns: whether @secret is usable
 */
gboolean
qrs_device_flow_provider_set_client_secret (QrsDeviceFlowProvider  *self,
                                            const char             *secret,
                                            GError                **error)
{
  gboolean had_secret;

  g_return_val_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  had_secret = self->client_secret != NULL;
  if (!qrs_secret_replace (&self->client_secret, secret, error))
    return FALSE;

  if (!had_secret)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CLIENT_SECRET]);

  return TRUE;
}

/**
 * qrs_device_flow_provider_discover_async:
 * @self: a #QrsDeviceFlowProvider
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Reads the issuer's OpenID configuration now, rather than before the
 * first code: so that an application can say what is wrong with its
 * configuration before it opens a window. Once it has succeeded it is not
 * read again.
 */
void
qrs_device_flow_provider_discover_async (QrsDeviceFlowProvider *self,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data)
{
  g_return_if_fail (QRS_IS_DEVICE_FLOW_PROVIDER (self));
  g_return_if_fail (self->initialized);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (report_if_unable (self, callback, user_data, qrs_device_flow_provider_discover_async))
    return;

  with_endpoints (job_new (self, return_discovered, NULL, cancellable, callback, user_data,
                           qrs_device_flow_provider_discover_async));
}

/**
 * qrs_device_flow_provider_discover_finish:
 * @error: a %QRS_PROVIDER_ERROR: %QRS_PROVIDER_ERROR_CONFIG when the
 *   configuration is one the device flow cannot work with (another
 *   issuer's, no device authorization endpoint, endpoints less secure than
 *   the issuer), which no retry will mend; anything else may pass
 *
 * Returns: whether the endpoints are known
 */
gboolean
qrs_device_flow_provider_discover_finish (QrsDeviceFlowProvider  *self,
                                          GAsyncResult           *result,
                                          GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_device_flow_provider_discover_async), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Preparing is discovering: QrsProvider's name for it. */
static void
qrs_device_flow_provider_prepare_async (QrsProvider         *provider,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  qrs_device_flow_provider_discover_async (QRS_DEVICE_FLOW_PROVIDER (provider), cancellable,
                                           callback, user_data);
}

static gboolean
qrs_device_flow_provider_prepare_finish (QrsProvider   *provider,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return qrs_device_flow_provider_discover_finish (QRS_DEVICE_FLOW_PROVIDER (provider), result, error);
}
