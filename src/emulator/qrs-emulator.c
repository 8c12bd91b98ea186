/* qrs-emulator.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A GenAuth (Authing) V3 "scan the QR code to sign in" server for tests and
 * the demo, following reference/genauth-qr-api.md §3, §4, §6 and §9.
 *
 * This file is the object: its settings, start and stop, the request log,
 * and where each request goes (a test hook, a fault, or the answer the
 * documented server would give). qrs-emulator-private.h lists the files
 * that do the rest.
 */

#include "config.h"

#include "qrs-emulator-private.h"

/* A demo that runs for days keeps only the newest log lines. */
#define MAX_LOG_ENTRIES 100000

enum {
  PROP_0,
  PROP_APP_ID,
  PROP_USERPOOL_ID,
  PROP_QR_TTL,
  PROP_TICKET_TTL,
  PROP_TOKEN_AUTH_METHOD,
  PROP_CLIENT_SECRET,
  PROP_RETURN_FULL_USER_INFO,
  PROP_BASE_URL,
  N_PROPS
};

enum {
  REQUEST,
  CODE_CHANGED,
  N_SIGNALS
};

G_DEFINE_QUARK (qrs-emulator-error-quark, qrs_emulator_error)
G_DEFINE_FINAL_TYPE (QrsEmulator, qrs_emulator, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (QrsEmulatorLogEntry, qrs_emulator_log_entry,
                     qrs_emulator_log_entry_copy, qrs_emulator_log_entry_free)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
_qrs_emulator_emit_code_changed (QrsEmulator           *self,
                                 const QrsEmulatorCode *code)
{
  g_signal_emit (self, signals[CODE_CHANGED], 0, code->id, _qrs_emulator_code_status_name (code));
}

/* The request log */

QrsEmulatorLogEntry *
qrs_emulator_log_entry_copy (const QrsEmulatorLogEntry *entry)
{
  QrsEmulatorLogEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (QrsEmulatorLogEntry, 1);
  copy->ms = entry->ms;
  copy->method = g_strdup (entry->method);
  copy->path = g_strdup (entry->path);
  copy->status = entry->status;

  return copy;
}

void
qrs_emulator_log_entry_free (QrsEmulatorLogEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->method);
  g_free (entry->path);
  g_free (entry);
}

static guint64
log_begin (QrsEmulator *self,
           const char  *method,
           const char  *path)
{
  QrsEmulatorLogEntry *entry = g_new0 (QrsEmulatorLogEntry, 1);

  if (self->log->len >= MAX_LOG_ENTRIES)
    {
      g_ptr_array_remove_range (self->log, 0, MAX_LOG_ENTRIES / 10);
      self->log_first_serial += MAX_LOG_ENTRIES / 10;
    }

  entry->ms = (g_get_monotonic_time () - self->started_at) / 1000;
  entry->method = g_strdup (method);
  entry->path = g_strdup (path);
  g_ptr_array_add (self->log, entry);

  return self->log_first_serial + self->log->len - 1;
}

void
_qrs_emulator_log_finish (QrsEmulator *self,
                          guint64      serial,
                          guint        status)
{
  QrsEmulatorLogEntry *entry;

  /* The line may be gone if the log was cleared meanwhile. */
  if (serial < self->log_first_serial || serial - self->log_first_serial >= self->log->len)
    return;

  entry = g_ptr_array_index (self->log, serial - self->log_first_serial);
  entry->status = status;
  g_debug ("%s %s → %u", entry->method, entry->path, status);
  g_signal_emit (self, signals[REQUEST], 0, entry);
}

/* Where a request goes: a test hook (never logged), else a queued fault,
 * else the documented answer.
 */
static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  QrsEmulator *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  guint64 serial;
  int endpoint;

  g_assert (QRS_IS_EMULATOR (self));

  if (_qrs_emulator_handle_hook (self, msg, method, path))
    return;

  serial = log_begin (self, method, path);
  endpoint = _qrs_emulator_fault_endpoint (method, path);
  if (endpoint >= 0 && _qrs_emulator_answer_fault (self, msg, endpoint, serial))
    return;

  _qrs_emulator_answer (self, msg);
  _qrs_emulator_log_finish (self, serial, soup_server_message_get_status (msg));
}

/* GObject */

static void
qrs_emulator_dispose (GObject *object)
{
  QrsEmulator *self = (QrsEmulator *) object;

  qrs_emulator_stop (self);

  G_OBJECT_CLASS (qrs_emulator_parent_class)->dispose (object);
}

static void
qrs_emulator_finalize (GObject *object)
{
  QrsEmulator *self = (QrsEmulator *) object;

  g_assert (self->server == NULL);
  g_assert (self->stalls->len == 0);

  g_clear_pointer (&self->app_id, g_free);
  g_clear_pointer (&self->userpool_id, g_free);
  g_clear_pointer (&self->client_secret, g_free);
  g_clear_pointer (&self->stalls, g_ptr_array_unref);
  g_clear_pointer (&self->tickets, g_hash_table_unref);
  g_clear_pointer (&self->codes_by_id, g_hash_table_unref);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_hash_table_unref);
  qrs_emulator_clear_faults (self);
  g_clear_pointer (&self->log, g_ptr_array_unref);

  G_OBJECT_CLASS (qrs_emulator_parent_class)->finalize (object);
}

static void
qrs_emulator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  QrsEmulator *self = QRS_EMULATOR (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;

    case PROP_USERPOOL_ID:
      g_value_set_string (value, self->userpool_id);
      break;

    case PROP_QR_TTL:
      g_value_set_uint (value, self->qr_ttl);
      break;

    case PROP_TICKET_TTL:
      g_value_set_uint (value, self->ticket_ttl);
      break;

    case PROP_TOKEN_AUTH_METHOD:
      g_value_set_enum (value, self->token_auth_method);
      break;

    case PROP_CLIENT_SECRET:
      g_value_set_string (value, self->client_secret);
      break;

    case PROP_RETURN_FULL_USER_INFO:
      g_value_set_boolean (value, self->return_full_user_info);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_emulator_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  QrsEmulator *self = QRS_EMULATOR (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      qrs_emulator_set_app_id (self, g_value_get_string (value));
      break;

    case PROP_USERPOOL_ID:
      qrs_emulator_set_userpool_id (self, g_value_get_string (value));
      break;

    case PROP_QR_TTL:
      qrs_emulator_set_qr_ttl (self, g_value_get_uint (value));
      break;

    case PROP_TICKET_TTL:
      qrs_emulator_set_ticket_ttl (self, g_value_get_uint (value));
      break;

    case PROP_TOKEN_AUTH_METHOD:
      qrs_emulator_set_token_auth_method (self, g_value_get_enum (value));
      break;

    case PROP_CLIENT_SECRET:
      qrs_emulator_set_client_secret (self, g_value_get_string (value));
      break;

    case PROP_RETURN_FULL_USER_INFO:
      qrs_emulator_set_return_full_user_info (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_emulator_class_init (QrsEmulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qrs_emulator_dispose;
  object_class->finalize = qrs_emulator_finalize;
  object_class->get_property = qrs_emulator_get_property;
  object_class->set_property = qrs_emulator_set_property;

  /**
   * QrsEmulator:app-id:
   *
   * The only application id the endpoints accept.
   */
  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL,
                         QRS_EMULATOR_DEFAULT_APP_ID,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QrsEmulator:userpool-id:
   *
   * The user pool of every code, written into the QR payload.
   */
  properties[PROP_USERPOOL_ID] =
    g_param_spec_string ("userpool-id", NULL, NULL,
                         QRS_EMULATOR_DEFAULT_USERPOOL_ID,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QrsEmulator:qr-ttl:
   *
   * Seconds a new code stays valid (qrcodeExpiresIn).
   */
  properties[PROP_QR_TTL] =
    g_param_spec_uint ("qr-ttl", NULL, NULL,
                       1, 86400, QRS_EMULATOR_DEFAULT_QR_TTL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QrsEmulator:ticket-ttl:
   *
   * Seconds a new ticket can be exchanged (ticketExpiresIn).
   */
  properties[PROP_TICKET_TTL] =
    g_param_spec_uint ("ticket-ttl", NULL, NULL,
                       1, 86400, QRS_EMULATOR_DEFAULT_TICKET_TTL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QrsEmulator:token-auth-method:
   *
   * How the ticket exchange authenticates the client.
   */
  properties[PROP_TOKEN_AUTH_METHOD] =
    g_param_spec_enum ("token-auth-method", NULL, NULL,
                       QRS_TYPE_EMULATOR_TOKEN_AUTH_METHOD,
                       QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QrsEmulator:client-secret:
   *
   * The app secret for client_secret_post and client_secret_basic; with
   * none set, no client can authenticate by those methods.
   */
  properties[PROP_CLIENT_SECRET] =
    g_param_spec_string ("client-secret", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QrsEmulator:return-full-user-info:
   *
   * The console switch "the poll returns full user info": an AUTHORIZED
   * status then carries tokenSet (using up the ticket) instead of ticket.
   */
  properties[PROP_RETURN_FULL_USER_INFO] =
    g_param_spec_boolean ("return-full-user-info", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * QrsEmulator:base-url:
   *
   * Where the emulator listens, e.g. "http://127.0.0.1:40123", or %NULL
   * while it is stopped.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QrsEmulator::request:
   * @self: the emulator
   * @entry: the log line, status included
   *
   * Emitted when a logged request has been answered (or dropped).
   */
  signals[REQUEST] =
    g_signal_new ("request",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  QRS_TYPE_EMULATOR_LOG_ENTRY | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * QrsEmulator::code-changed:
   * @self: the emulator
   * @qrcode_id: the code
   * @status: its new status, e.g. "SCANNED"
   *
   * Emitted when a code is created and whenever its status changes.
   */
  signals[CODE_CHANGED] =
    g_signal_new ("code-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
qrs_emulator_init (QrsEmulator *self)
{
  self->app_id = g_strdup (QRS_EMULATOR_DEFAULT_APP_ID);
  self->userpool_id = g_strdup (QRS_EMULATOR_DEFAULT_USERPOOL_ID);
  self->qr_ttl = QRS_EMULATOR_DEFAULT_QR_TTL;
  self->ticket_ttl = QRS_EMULATOR_DEFAULT_TICKET_TTL;
  self->token_auth_method = QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE;

  self->stalls = g_ptr_array_new_with_free_func (_qrs_emulator_stall_free);
  self->codes = g_ptr_array_new_with_free_func ((GDestroyNotify) _qrs_emulator_code_free);
  self->codes_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->tickets = g_hash_table_new (g_str_hash, g_str_equal);
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) _qrs_emulator_user_free);
  for (guint i = 0; i < QRS_EMULATOR_N_ENDPOINTS; i++)
    g_queue_init (&self->faults[i]);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) qrs_emulator_log_entry_free);

  qrs_emulator_add_user (self,
                         QRS_EMULATOR_DEMO_USER_TOKEN,
                         QRS_EMULATOR_DEMO_USER_ID,
                         QRS_EMULATOR_DEMO_USER_DISPLAY_NAME,
                         NULL, NULL);
}

/* Public API */

/**
 * qrs_emulator_new:
 *
 * Returns: (transfer full): a stopped emulator with the default settings
 */
QrsEmulator *
qrs_emulator_new (void)
{
  return g_object_new (QRS_TYPE_EMULATOR, NULL);
}

/**
 * qrs_emulator_start:
 * @self: a #QrsEmulator
 * @port: the TCP port on 127.0.0.1, or 0 for any free one
 * @error: return location for a #GError
 *
 * Starts serving on the loopback interface in the thread-default main
 * context; requests are answered while that context runs.
 *
 * Returns: %TRUE when listening
 */
gboolean
qrs_emulator_start (QrsEmulator  *self,
                    guint         port,
                    GError      **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  server = soup_server_new ("server-header", "qr-signin-emulator/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);

  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->server = g_steal_pointer (&server);
  /* Log times count from the first start, so they never go backwards. */
  if (self->started_at == 0)
    self->started_at = g_get_monotonic_time ();
  g_debug ("Listening on %s", self->base_url);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);

  return TRUE;
}

/**
 * qrs_emulator_stop:
 * @self: a #QrsEmulator
 *
 * Closes every connection (stalled requests get no answer) and stops
 * listening. Codes, users, faults and the log stay; the emulator may be
 * started again, on a new port.
 */
void
qrs_emulator_stop (QrsEmulator *self)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));

  if (self->server == NULL)
    return;

  /* Forget the paused messages first; closing their connections then
   * frees them without ever resuming their I/O.
   */
  g_ptr_array_set_size (self->stalls, 0);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->base_url, g_free);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

gboolean
qrs_emulator_is_running (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), FALSE);

  return self->server != NULL;
}

/**
 * qrs_emulator_get_base_url:
 * @self: a #QrsEmulator
 *
 * Returns: (nullable): e.g. "http://127.0.0.1:40123" (no trailing slash),
 *   or %NULL while stopped
 */
const char *
qrs_emulator_get_base_url (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  return self->base_url;
}

const char *
qrs_emulator_get_app_id (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  return self->app_id;
}

void
qrs_emulator_set_app_id (QrsEmulator *self,
                         const char  *app_id)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (app_id != NULL && *app_id != '\0');

  if (g_strcmp0 (self->app_id, app_id) == 0)
    return;

  g_free (self->app_id);
  self->app_id = g_strdup (app_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APP_ID]);
}

const char *
qrs_emulator_get_userpool_id (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  return self->userpool_id;
}

/**
 * qrs_emulator_set_userpool_id:
 * @self: a #QrsEmulator
 * @userpool_id: the pool id
 *
 * Users added without a pool of their own (the demo user included) follow
 * the emulator's pool.
 */
void
qrs_emulator_set_userpool_id (QrsEmulator *self,
                              const char  *userpool_id)
{
  GHashTableIter iter;
  QrsEmulatorUser *user;

  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (userpool_id != NULL && *userpool_id != '\0');

  if (g_strcmp0 (self->userpool_id, userpool_id) == 0)
    return;

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &user))
    if (g_strcmp0 (user->userpool_id, self->userpool_id) == 0)
      {
        g_free (user->userpool_id);
        user->userpool_id = g_strdup (userpool_id);
      }

  g_free (self->userpool_id);
  self->userpool_id = g_strdup (userpool_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERPOOL_ID]);
}

guint
qrs_emulator_get_qr_ttl (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), 0);

  return self->qr_ttl;
}

/**
 * qrs_emulator_set_qr_ttl:
 * @self: a #QrsEmulator
 * @seconds: lifetime of codes created from now on
 */
void
qrs_emulator_set_qr_ttl (QrsEmulator *self,
                         guint        seconds)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (seconds >= 1 && seconds <= 86400);

  if (self->qr_ttl == seconds)
    return;

  self->qr_ttl = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QR_TTL]);
}

guint
qrs_emulator_get_ticket_ttl (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), 0);

  return self->ticket_ttl;
}

/**
 * qrs_emulator_set_ticket_ttl:
 * @self: a #QrsEmulator
 * @seconds: lifetime of tickets issued from now on
 */
void
qrs_emulator_set_ticket_ttl (QrsEmulator *self,
                             guint        seconds)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (seconds >= 1 && seconds <= 86400);

  if (self->ticket_ttl == seconds)
    return;

  self->ticket_ttl = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TICKET_TTL]);
}

QrsEmulatorTokenAuthMethod
qrs_emulator_get_token_auth_method (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE);

  return self->token_auth_method;
}

void
qrs_emulator_set_token_auth_method (QrsEmulator                *self,
                                    QrsEmulatorTokenAuthMethod  method)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (method <= QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC);

  if (self->token_auth_method == method)
    return;

  self->token_auth_method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_AUTH_METHOD]);
}

const char *
qrs_emulator_get_client_secret (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  return self->client_secret;
}

void
qrs_emulator_set_client_secret (QrsEmulator *self,
                                const char  *client_secret)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));

  if (g_strcmp0 (self->client_secret, client_secret) == 0)
    return;

  g_free (self->client_secret);
  self->client_secret = g_strdup (client_secret);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_SECRET]);
}

gboolean
qrs_emulator_get_return_full_user_info (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), FALSE);

  return self->return_full_user_info;
}

void
qrs_emulator_set_return_full_user_info (QrsEmulator *self,
                                        gboolean     return_full_user_info)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));

  return_full_user_info = !!return_full_user_info;
  if (self->return_full_user_info == return_full_user_info)
    return;

  self->return_full_user_info = return_full_user_info;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETURN_FULL_USER_INFO]);
}

/**
 * qrs_emulator_dup_log:
 * @self: a #QrsEmulator
 *
 * Every request to the API and the images, oldest first; the control hooks
 * (phone, clock, fault, log, codes) are not logged.
 *
 * Returns: (transfer container) (element-type QrsEmulatorLogEntry): copies
 *   of the log lines
 */
GPtrArray *
qrs_emulator_dup_log (QrsEmulator *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  copy = g_ptr_array_new_full (self->log->len, (GDestroyNotify) qrs_emulator_log_entry_free);
  for (guint i = 0; i < self->log->len; i++)
    g_ptr_array_add (copy, qrs_emulator_log_entry_copy (g_ptr_array_index (self->log, i)));

  return copy;
}

/**
 * qrs_emulator_count_requests:
 * @self: a #QrsEmulator
 * @path: a path without query, e.g. "/api/v3/check-qrcode-status"
 *
 * Returns: how many logged requests went to @path
 */
guint
qrs_emulator_count_requests (QrsEmulator *self,
                             const char  *path)
{
  guint count = 0;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), 0);
  g_return_val_if_fail (path != NULL, 0);

  for (guint i = 0; i < self->log->len; i++)
    {
      const QrsEmulatorLogEntry *entry = g_ptr_array_index (self->log, i);

      if (g_str_equal (entry->path, path))
        count++;
    }

  return count;
}

void
qrs_emulator_clear_log (QrsEmulator *self)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));

  self->log_first_serial += self->log->len;
  g_ptr_array_set_size (self->log, 0);
}
