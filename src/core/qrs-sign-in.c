/* qrs-sign-in.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-core-enums.h"
#include "qrs-sign-in-private.h"

/* QrsSignIn runs one sign-in attempt after another and exposes everything
 * the window shows as properties. This file is the GObject: properties,
 * setters that notify only on change, and the inputs a window or a kiosk
 * sets. The state machine is in qrs-sign-in-steps.c, the pictures in
 * qrs-sign-in-pictures.c.
 */

enum {
  FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (QrsSignIn, qrs_sign_in, G_TYPE_OBJECT)

static GParamSpec *properties[QRS_SIGN_IN_N_PROPS];
static guint signals[N_SIGNALS];

/*
 * For the other two files
 */

static double
default_random (gpointer user_data)
{
  return g_random_double ();
}

gint64
_qrs_sign_in_now_us (QrsSignIn *self)
{
  return qrs_clock_get_time (self->clock);
}

void
_qrs_sign_in_notify (QrsSignIn     *self,
                     QrsSignInProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_qrs_sign_in_set_status (QrsSignIn       *self,
                         QrsSignInStatus  status)
{
  if (self->status == status)
    return;

  g_debug ("Sign-in status: %s → %s",
           g_enum_get_value (g_type_class_peek (QRS_TYPE_SIGN_IN_STATUS), self->status)->value_nick,
           g_enum_get_value (g_type_class_peek (QRS_TYPE_SIGN_IN_STATUS), status)->value_nick);
  self->status = status;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_STATUS);
}

void
_qrs_sign_in_set_string (QrsSignIn      *self,
                         char          **field,
                         const char     *value,
                         QrsSignInProp   prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  _qrs_sign_in_notify (self, prop);
}

void
_qrs_sign_in_set_bytes (QrsSignIn      *self,
                        GBytes        **field,
                        GBytes         *value,
                        QrsSignInProp   prop)
{
  if (*field == value || (*field != NULL && value != NULL && g_bytes_equal (*field, value)))
    return;

  g_clear_pointer (field, g_bytes_unref);
  *field = value != NULL ? g_bytes_ref (value) : NULL;
  _qrs_sign_in_notify (self, prop);
}

void
_qrs_sign_in_set_int64 (QrsSignIn     *self,
                        gint64        *field,
                        gint64         value,
                        QrsSignInProp  prop)
{
  if (*field == value)
    return;

  *field = value;
  _qrs_sign_in_notify (self, prop);
}

void
_qrs_sign_in_set_connection (QrsSignIn     *self,
                             QrsConnection  connection)
{
  if (self->connection == connection)
    return;

  self->connection = connection;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_CONNECTION);
}

void
_qrs_sign_in_set_trouble (QrsSignIn  *self,
                          QrsTrouble  trouble)
{
  if (self->trouble == trouble)
    return;

  self->trouble = trouble;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_TROUBLE);
}

/* Whether the code on show is followed by another by itself when it
 * expires: always in a kiosk, and in a window until the refresh cap.
 */
void
_qrs_sign_in_update_renews_itself (QrsSignIn *self)
{
  gboolean renews_itself = self->input.kiosk ||
                           self->input.auto_refreshes < self->input.auto_refresh_cap;

  if (self->renews_itself == renews_itself)
    return;

  self->renews_itself = renews_itself;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_RENEWS_ITSELF);
}

void
_qrs_sign_in_emit_finished (QrsSignIn   *self,
                            QrsTokenSet *token_set)
{
  g_signal_emit (self, signals[FINISHED], 0, token_set);
}

static void
network_changed_cb (QrsSignIn       *self,
                    gboolean         available,
                    GNetworkMonitor *monitor)
{
  g_assert (QRS_IS_SIGN_IN (self));

  _qrs_sign_in_network_changed (self, g_network_monitor_get_network_available (monitor));
}

/*
 * GObject overrides
 */

static void
qrs_sign_in_constructed (GObject *object)
{
  QrsSignIn *self = QRS_SIGN_IN (object);

  G_OBJECT_CLASS (qrs_sign_in_parent_class)->constructed (object);

  g_assert (self->provider != NULL);

  if (self->clock == NULL)
    self->clock = g_object_ref (qrs_clock_get_default ());
  if (self->network_monitor == NULL)
    self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  self->input.online = g_network_monitor_get_network_available (self->network_monitor);
  g_signal_connect_object (self->network_monitor, "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
qrs_sign_in_dispose (GObject *object)
{
  QrsSignIn *self = QRS_SIGN_IN (object);

  _qrs_sign_in_stop (self);
  g_clear_object (&self->downloads);
  g_clear_object (&self->code);
  g_clear_object (&self->network_monitor);
  g_clear_object (&self->provider);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (qrs_sign_in_parent_class)->dispose (object);
}

static void
qrs_sign_in_finalize (GObject *object)
{
  QrsSignIn *self = QRS_SIGN_IN (object);

  g_clear_pointer (&self->qr_image, g_bytes_unref);
  g_clear_pointer (&self->photo, g_bytes_unref);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->photo_url, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->server_message, g_free);
  g_clear_pointer (&self->request_id, g_free);

  G_OBJECT_CLASS (qrs_sign_in_parent_class)->finalize (object);
}

static void
qrs_sign_in_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  QrsSignIn *self = QRS_SIGN_IN (object);

  switch (prop_id)
    {
    case QRS_SIGN_IN_PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;

    case QRS_SIGN_IN_PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case QRS_SIGN_IN_PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;

    case QRS_SIGN_IN_PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case QRS_SIGN_IN_PROP_CODE:
      g_value_set_object (value, self->code);
      break;

    case QRS_SIGN_IN_PROP_QR_IMAGE:
      g_value_set_boxed (value, self->qr_image);
      break;

    case QRS_SIGN_IN_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case QRS_SIGN_IN_PROP_PHOTO_URL:
      g_value_set_string (value, self->photo_url);
      break;

    case QRS_SIGN_IN_PROP_PHOTO:
      g_value_set_boxed (value, self->photo);
      break;

    case QRS_SIGN_IN_PROP_EXPIRES_AT:
      g_value_set_int64 (value, self->expires_at);
      break;

    case QRS_SIGN_IN_PROP_CONNECTION:
      g_value_set_enum (value, self->connection);
      break;

    case QRS_SIGN_IN_PROP_RETRY_AT:
      g_value_set_int64 (value, self->retry_at);
      break;

    case QRS_SIGN_IN_PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case QRS_SIGN_IN_PROP_SERVER_MESSAGE:
      g_value_set_string (value, self->server_message);
      break;

    case QRS_SIGN_IN_PROP_REQUEST_ID:
      g_value_set_string (value, self->request_id);
      break;

    case QRS_SIGN_IN_PROP_TROUBLE:
      g_value_set_enum (value, self->trouble);
      break;

    case QRS_SIGN_IN_PROP_RENEWS_ITSELF:
      g_value_set_boolean (value, self->renews_itself);
      break;

    case QRS_SIGN_IN_PROP_VISIBLE:
      g_value_set_boolean (value, self->input.visible);
      break;

    case QRS_SIGN_IN_PROP_KIOSK:
      g_value_set_boolean (value, self->input.kiosk);
      break;

    case QRS_SIGN_IN_PROP_AUTO_REFRESH_CAP:
      g_value_set_uint (value, self->input.auto_refresh_cap);
      break;

    case QRS_SIGN_IN_PROP_FETCH_QR_IMAGE:
      g_value_set_boolean (value, self->fetch_qr_image);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_sign_in_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  QrsSignIn *self = QRS_SIGN_IN (object);

  switch (prop_id)
    {
    case QRS_SIGN_IN_PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;

    case QRS_SIGN_IN_PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;

    case QRS_SIGN_IN_PROP_NETWORK_MONITOR:
      self->network_monitor = g_value_dup_object (value);
      break;

    case QRS_SIGN_IN_PROP_VISIBLE:
      qrs_sign_in_set_visible (self, g_value_get_boolean (value));
      break;

    case QRS_SIGN_IN_PROP_KIOSK:
      qrs_sign_in_set_kiosk (self, g_value_get_boolean (value));
      break;

    case QRS_SIGN_IN_PROP_AUTO_REFRESH_CAP:
      qrs_sign_in_set_auto_refresh_cap (self, g_value_get_uint (value));
      break;

    case QRS_SIGN_IN_PROP_FETCH_QR_IMAGE:
      qrs_sign_in_set_fetch_qr_image (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_sign_in_class_init (QrsSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = qrs_sign_in_constructed;
  object_class->dispose = qrs_sign_in_dispose;
  object_class->finalize = qrs_sign_in_finalize;
  object_class->get_property = qrs_sign_in_get_property;
  object_class->set_property = qrs_sign_in_set_property;

  properties[QRS_SIGN_IN_PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, QRS_TYPE_PROVIDER, construct);
  properties[QRS_SIGN_IN_PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, QRS_TYPE_CLOCK, construct);
  properties[QRS_SIGN_IN_PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR, construct);

  properties[QRS_SIGN_IN_PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       QRS_TYPE_SIGN_IN_STATUS, QRS_SIGN_IN_STATUS_LOADING, ro);
  properties[QRS_SIGN_IN_PROP_CODE] =
    g_param_spec_object ("code", NULL, NULL, QRS_TYPE_CODE, ro);
  /**
   * QrsSignIn:qr-image:
   *
   * The server's picture of the current code (PNG bytes), when it could be
   * fetched; otherwise the window encodes #QrsCode's content itself.
   */
  properties[QRS_SIGN_IN_PROP_QR_IMAGE] =
    g_param_spec_boxed ("qr-image", NULL, NULL, G_TYPE_BYTES, ro);
  properties[QRS_SIGN_IN_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  /**
   * QrsSignIn:photo-url:
   *
   * Where the scanning person's avatar is, as the server said.
   */
  properties[QRS_SIGN_IN_PROP_PHOTO_URL] =
    g_param_spec_string ("photo-url", NULL, NULL, NULL, ro);
  /**
   * QrsSignIn:photo:
   *
   * The scanning person's avatar as downloaded (undecoded), or %NULL.
   */
  properties[QRS_SIGN_IN_PROP_PHOTO] =
    g_param_spec_boxed ("photo", NULL, NULL, G_TYPE_BYTES, ro);
  /**
   * QrsSignIn:expires-at:
   *
   * When the current code dies, in #QrsSignIn:clock's microseconds, or 0.
   */
  properties[QRS_SIGN_IN_PROP_EXPIRES_AT] =
    g_param_spec_int64 ("expires-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[QRS_SIGN_IN_PROP_CONNECTION] =
    g_param_spec_enum ("connection", NULL, NULL,
                       QRS_TYPE_CONNECTION, QRS_CONNECTION_ONLINE, ro);
  /**
   * QrsSignIn:retry-at:
   *
   * While reconnecting, when the next try is due (clock microseconds), or 0.
   */
  properties[QRS_SIGN_IN_PROP_RETRY_AT] =
    g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[QRS_SIGN_IN_PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[QRS_SIGN_IN_PROP_SERVER_MESSAGE] =
    g_param_spec_string ("server-message", NULL, NULL, NULL, ro);
  properties[QRS_SIGN_IN_PROP_REQUEST_ID] =
    g_param_spec_string ("request-id", NULL, NULL, NULL, ro);
  /**
   * QrsSignIn:trouble:
   *
   * What kind of failure the error message is about, or
   * %QRS_TROUBLE_NONE when there is none.
   */
  properties[QRS_SIGN_IN_PROP_TROUBLE] =
    g_param_spec_enum ("trouble", NULL, NULL,
                       QRS_TYPE_TROUBLE, QRS_TROUBLE_NONE, ro);
  /**
   * QrsSignIn:renews-itself:
   *
   * Whether a new code follows by itself when this one expires; when it
   * does not, the person has to ask for one.
   */
  properties[QRS_SIGN_IN_PROP_RENEWS_ITSELF] =
    g_param_spec_boolean ("renews-itself", NULL, NULL, TRUE, ro);

  properties[QRS_SIGN_IN_PROP_VISIBLE] =
    g_param_spec_boolean ("visible", NULL, NULL, TRUE, rw);
  properties[QRS_SIGN_IN_PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE, rw);
  properties[QRS_SIGN_IN_PROP_AUTO_REFRESH_CAP] =
    g_param_spec_uint ("auto-refresh-cap", NULL, NULL, 0, G_MAXUINT, 5, rw);
  properties[QRS_SIGN_IN_PROP_FETCH_QR_IMAGE] =
    g_param_spec_boolean ("fetch-qr-image", NULL, NULL, TRUE, rw);

  g_object_class_install_properties (object_class, QRS_SIGN_IN_N_PROPS, properties);

  /**
   * QrsSignIn::finished:
   * @self: the sign-in
   * @token_set: what the person signed in with
   *
   * The attempt succeeded. Nothing more happens until start() or refresh().
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, QRS_TYPE_TOKEN_SET);
}

static void
qrs_sign_in_init (QrsSignIn *self)
{
  self->input.phase = QRS_POLL_PHASE_CREATE;
  self->input.retry_after_ms = -1;
  self->input.visible = TRUE;
  self->input.online = TRUE;
  self->input.auto_refresh_cap = 5;
  self->fetch_qr_image = TRUE;
  self->random_func = default_random;
  self->status = QRS_SIGN_IN_STATUS_LOADING;
  self->connection = QRS_CONNECTION_ONLINE;
  self->renews_itself = TRUE;
}

/*
 * Public API
 */

QrsSignIn *
qrs_sign_in_new (QrsProvider *provider)
{
  g_return_val_if_fail (QRS_IS_PROVIDER (provider), NULL);

  return g_object_new (QRS_TYPE_SIGN_IN, "provider", provider, NULL);
}

QrsProvider *
qrs_sign_in_get_provider (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->provider;
}

QrsClock *
qrs_sign_in_get_clock (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->clock;
}

QrsSignInStatus
qrs_sign_in_get_status (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), QRS_SIGN_IN_STATUS_LOADING);

  return self->status;
}

/**
 * qrs_sign_in_get_code:
 *
 * Returns: (transfer none) (nullable): the code on show
 */
QrsCode *
qrs_sign_in_get_code (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->code;
}

GBytes *
qrs_sign_in_get_qr_image (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->qr_image;
}

const char *
qrs_sign_in_get_display_name (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->display_name;
}

const char *
qrs_sign_in_get_photo_url (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->photo_url;
}

GBytes *
qrs_sign_in_get_photo (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->photo;
}

gint64
qrs_sign_in_get_expires_at (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), 0);

  return self->expires_at;
}

/**
 * qrs_sign_in_get_time_left_ms:
 *
 * Returns: how long the code on show lives on, 0 if none
 */
gint64
qrs_sign_in_get_time_left_ms (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), 0);

  if (self->expires_at == 0)
    return 0;

  return MAX (0, (self->expires_at - _qrs_sign_in_now_us (self)) / 1000);
}

QrsConnection
qrs_sign_in_get_connection (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), QRS_CONNECTION_ONLINE);

  return self->connection;
}

QrsTrouble
qrs_sign_in_get_trouble (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), QRS_TROUBLE_NONE);

  return self->trouble;
}

gboolean
qrs_sign_in_get_renews_itself (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), FALSE);

  return self->renews_itself;
}

gint64
qrs_sign_in_get_retry_at (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), 0);

  return self->retry_at;
}

const char *
qrs_sign_in_get_error_message (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->error_message;
}

const char *
qrs_sign_in_get_server_message (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->server_message;
}

const char *
qrs_sign_in_get_request_id (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), NULL);

  return self->request_id;
}

gboolean
qrs_sign_in_get_visible (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), FALSE);

  return self->input.visible;
}

/**
 * qrs_sign_in_set_visible:
 * @self: a #QrsSignIn
 * @visible: whether a person can see the window
 *
 * A hidden window polls slowly and lets dead codes be; shown again, it
 * looks at once.
 */
void
qrs_sign_in_set_visible (QrsSignIn *self,
                         gboolean   visible)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  visible = !!visible;
  if (self->input.visible == visible)
    return;

  self->input.visible = visible;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_VISIBLE);

  if (visible && self->input.failures == 0 && self->input.retry_after_ms < 0)
    _qrs_sign_in_act_now (self);
  else
    _qrs_sign_in_reschedule (self);
}

gboolean
qrs_sign_in_get_kiosk (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), FALSE);

  return self->input.kiosk;
}

void
qrs_sign_in_set_kiosk (QrsSignIn *self,
                       gboolean   kiosk)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  kiosk = !!kiosk;
  if (self->input.kiosk == kiosk)
    return;

  self->input.kiosk = kiosk;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_KIOSK);
  _qrs_sign_in_update_renews_itself (self);
  _qrs_sign_in_reschedule (self);
}

guint
qrs_sign_in_get_auto_refresh_cap (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), 0);

  return self->input.auto_refresh_cap;
}

void
qrs_sign_in_set_auto_refresh_cap (QrsSignIn *self,
                                  guint      cap)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  if (self->input.auto_refresh_cap == cap)
    return;

  self->input.auto_refresh_cap = cap;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_AUTO_REFRESH_CAP);
  _qrs_sign_in_update_renews_itself (self);
}

gboolean
qrs_sign_in_get_fetch_qr_image (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), FALSE);

  return self->fetch_qr_image;
}

/**
 * qrs_sign_in_set_fetch_qr_image:
 * @self: a #QrsSignIn
 * @fetch_qr_image: whether to download the server's picture of each code
 *
 * Takes effect with the next code.
 */
void
qrs_sign_in_set_fetch_qr_image (QrsSignIn *self,
                                gboolean   fetch_qr_image)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  fetch_qr_image = !!fetch_qr_image;
  if (self->fetch_qr_image == fetch_qr_image)
    return;

  self->fetch_qr_image = fetch_qr_image;
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_FETCH_QR_IMAGE);
}

/**
 * qrs_sign_in_set_random_func:
 * @self: a #QrsSignIn
 * @func: (nullable): the source of back-off jitter, %NULL for GLib's
 * @user_data: passed to @func
 */
void
qrs_sign_in_set_random_func (QrsSignIn     *self,
                             QrsRandomFunc  func,
                             gpointer       user_data)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  self->random_func = func != NULL ? func : default_random;
  self->random_data = user_data;
}
