/* qrs-sign-in.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-core-enums.h"
#include "qrs-sign-in.h"

/* QrsSignIn runs one sign-in attempt after another: create a code, poll it,
 * exchange the ticket, hand over the tokens. Every wait is decided by
 * QrsPollPolicy and kept on a QrsClock; at most one request to the sign-in
 * server is in flight, and the next one is scheduled from its answer.
 */
struct _QrsSignIn
{
  GObject parent_instance;

  QrsProvider *provider;
  QrsClock *clock;
  GNetworkMonitor *network_monitor;
  QrsDownloader *downloader;
  QrsRandomFunc random_func;
  gpointer random_data;

  /* Inputs */
  guint auto_refresh_cap;
  guint visible : 1;
  guint kiosk : 1;
  guint fetch_qr_image : 1;
  guint online : 1;

  /* What the window shows */
  QrsSignInStatus status;
  QrsCode *code;
  GBytes *qr_image;
  char *display_name;
  char *photo_url;
  GBytes *photo;
  gint64 expires_at;
  QrsConnection connection;
  gint64 retry_at;
  char *error_message;
  char *server_message;
  char *request_id;

  /* Scheduling */
  guint running : 1;
  guint photo_requested : 1;
  QrsPollPhase phase;
  guint failures;
  gint64 retry_after_ms;
  guint auto_refreshes;
  QrsStatusReport *authorized;  /* holds the ticket: dropped once exchanged */
  gint64 ticket_deadline;
  guint timer_id;
  QrsPollAction timer_action;
  GCancellable *request;        /* the one request in flight, if any */
  GCancellable *downloads;      /* the current code's image and photo */
};

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_CLOCK,
  PROP_NETWORK_MONITOR,
  PROP_DOWNLOADER,
  PROP_STATUS,
  PROP_CODE,
  PROP_QR_IMAGE,
  PROP_DISPLAY_NAME,
  PROP_PHOTO_URL,
  PROP_PHOTO,
  PROP_EXPIRES_AT,
  PROP_CONNECTION,
  PROP_RETRY_AT,
  PROP_ERROR_MESSAGE,
  PROP_SERVER_MESSAGE,
  PROP_REQUEST_ID,
  PROP_VISIBLE,
  PROP_KIOSK,
  PROP_AUTO_REFRESH_CAP,
  PROP_FETCH_QR_IMAGE,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (QrsSignIn, qrs_sign_in, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void reschedule (QrsSignIn *self);

/*
 * Auxiliary methods
 */

static double
default_random (gpointer user_data)
{
  return g_random_double ();
}

static gint64
now_us (QrsSignIn *self)
{
  return qrs_clock_get_time (self->clock);
}

static void
set_status (QrsSignIn       *self,
            QrsSignInStatus  status)
{
  if (self->status == status)
    return;

  g_debug ("Sign-in status: %s → %s",
           g_enum_get_value (g_type_class_peek (QRS_TYPE_SIGN_IN_STATUS), self->status)->value_nick,
           g_enum_get_value (g_type_class_peek (QRS_TYPE_SIGN_IN_STATUS), status)->value_nick);
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
set_string (QrsSignIn  *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_bytes (QrsSignIn  *self,
           GBytes    **field,
           GBytes     *value,
           guint       prop_id)
{
  if (*field == value || (*field != NULL && value != NULL && g_bytes_equal (*field, value)))
    return;

  g_clear_pointer (field, g_bytes_unref);
  *field = value != NULL ? g_bytes_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int64 (QrsSignIn *self,
           gint64    *field,
           gint64     value,
           guint      prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_connection (QrsSignIn     *self,
                QrsConnection  connection)
{
  if (self->connection == connection)
    return;

  self->connection = connection;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
clear_problem (QrsSignIn *self)
{
  set_string (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
  set_string (self, &self->server_message, NULL, PROP_SERVER_MESSAGE);
  set_string (self, &self->request_id, NULL, PROP_REQUEST_ID);
}

static void
cancel_timer (QrsSignIn *self)
{
  if (self->timer_id != 0)
    {
      qrs_clock_cancel (self->clock, self->timer_id);
      self->timer_id = 0;
    }
}

static void
cancel_request (QrsSignIn *self)
{
  if (self->request != NULL)
    {
      g_cancellable_cancel (self->request);
      g_clear_object (&self->request);
    }
}

/* Forgets the current code and whatever belongs to it. */
static void
drop_code (QrsSignIn *self)
{
  if (self->downloads != NULL)
    {
      g_cancellable_cancel (self->downloads);
      g_clear_object (&self->downloads);
    }

  g_clear_object (&self->authorized);
  self->photo_requested = FALSE;

  if (self->code != NULL)
    {
      g_clear_object (&self->code);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
    }
  set_bytes (self, &self->qr_image, NULL, PROP_QR_IMAGE);
  set_string (self, &self->display_name, NULL, PROP_DISPLAY_NAME);
  set_string (self, &self->photo_url, NULL, PROP_PHOTO_URL);
  set_bytes (self, &self->photo, NULL, PROP_PHOTO);
  set_int64 (self, &self->expires_at, 0, PROP_EXPIRES_AT);
}

static gboolean
is_web_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0;
}

/* Failures worth trying again: the network, a busy or broken server, an
 * answer garbled on the way. Anything else will not fix itself.
 */
static gboolean
is_transient (const GError *error)
{
  if (error->domain != QRS_PROVIDER_ERROR)
    return FALSE;

  switch ((QrsProviderError) error->code)
    {
    case QRS_PROVIDER_ERROR_NETWORK:
    case QRS_PROVIDER_ERROR_TIMEOUT:
    case QRS_PROVIDER_ERROR_PROTOCOL:
    case QRS_PROVIDER_ERROR_RATE_LIMITED:
      return TRUE;

    case QRS_PROVIDER_ERROR_HTTP:
      return qrs_provider_error_get_http_status (error) >= 500 ||
             qrs_provider_error_get_http_status (error) == 408;

    case QRS_PROVIDER_ERROR_SERVER:
      return qrs_provider_error_get_status_code (error) >= 500 ||
             qrs_provider_error_get_status_code (error) == 429;

    case QRS_PROVIDER_ERROR_TLS:
    case QRS_PROVIDER_ERROR_CANCELLED:
    case QRS_PROVIDER_ERROR_CONFIG:
    case QRS_PROVIDER_ERROR_NOT_SUPPORTED:
    default:
      return FALSE;
    }
}

static void
note_error_details (QrsSignIn    *self,
                    const GError *error)
{
  const char *server_message = NULL;
  const char *request_id = NULL;

  if (error->domain == QRS_PROVIDER_ERROR)
    {
      server_message = qrs_provider_error_get_server_message (error);
      request_id = qrs_provider_error_get_request_id (error);
    }

  set_string (self, &self->error_message, error->message, PROP_ERROR_MESSAGE);
  set_string (self, &self->server_message, server_message, PROP_SERVER_MESSAGE);
  set_string (self, &self->request_id, request_id, PROP_REQUEST_ID);
}

/* Gives up on the attempt with an error a person has to see. */
static void
fail (QrsSignIn    *self,
      const GError *error)
{
  g_debug ("Sign-in failed: %s", error->message);

  g_object_freeze_notify (G_OBJECT (self));
  note_error_details (self, error);
  self->phase = QRS_POLL_PHASE_ERROR;
  self->failures = 0;
  self->retry_after_ms = -1;
  g_clear_object (&self->authorized);
  set_status (self, QRS_SIGN_IN_STATUS_ERROR);
  reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
handle_failure (QrsSignIn    *self,
                const GError *error)
{
  gint64 retry_after;

  if (!is_transient (error))
    {
      fail (self, error);
      return;
    }

  retry_after = qrs_provider_error_get_retry_after (error);

  g_debug ("Request failed (%u in a row): %s", self->failures + 1, error->message);
  g_object_freeze_notify (G_OBJECT (self));
  self->failures++;
  self->retry_after_ms = retry_after > 0 ? retry_after * 1000 : -1;
  note_error_details (self, error);
  reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
succeeded (QrsSignIn *self)
{
  self->failures = 0;
  self->retry_after_ms = -1;
  clear_problem (self);
}

/*
 * Requests
 */

typedef struct {
  QrsSignIn *self;
  GCancellable *cancellable;
} Request;

static Request *
request_new (QrsSignIn    *self,
             GCancellable *cancellable)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (cancellable);

  return request;
}

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_object_unref (request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Starts tracking the one request in flight. */
static GCancellable *
begin_request (QrsSignIn *self)
{
  g_assert (self->request == NULL);

  self->request = g_cancellable_new ();
  return self->request;
}

/* TRUE if the answer to @request still matters; it is then no longer in
 * flight. A cancelled request's answer is dropped without a look.
 */
static gboolean
end_request (Request *request)
{
  QrsSignIn *self = request->self;

  if (g_cancellable_is_cancelled (request->cancellable))
    return FALSE;

  g_assert (self->request == request->cancellable);
  g_clear_object (&self->request);

  return TRUE;
}

static void
finish (QrsSignIn   *self,
        QrsTokenSet *token_set)
{
  g_autofree char *printable = qrs_token_set_to_debug_string (token_set);

  g_debug ("Signed in: %s", printable);

  self->running = FALSE;
  cancel_timer (self);
  g_clear_object (&self->authorized);
  self->failures = 0;
  clear_problem (self);
  set_connection (self, QRS_CONNECTION_ONLINE);
  set_int64 (self, &self->retry_at, 0, PROP_RETRY_AT);
  set_status (self, QRS_SIGN_IN_STATUS_AUTHORIZED);

  g_signal_emit (self, signals[FINISHED], 0, token_set);
}

static void
download_photo_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = qrs_downloader_fetch_finish (QRS_DOWNLOADER (object), result, &error);
  if (g_cancellable_is_cancelled (request->cancellable))
    return;

  if (bytes == NULL)
    g_debug ("No avatar: %s", error->message);
  else
    set_bytes (request->self, &request->self->photo, bytes, PROP_PHOTO);
}

static void
download_qr_image_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = qrs_downloader_fetch_finish (QRS_DOWNLOADER (object), result, &error);
  if (g_cancellable_is_cancelled (request->cancellable))
    return;

  /* Without the image the window encodes the code itself. */
  if (bytes == NULL)
    g_debug ("No QR image from the server: %s", error->message);
  else
    set_bytes (request->self, &request->self->qr_image, bytes, PROP_QR_IMAGE);
}

static void
note_person (QrsSignIn       *self,
             QrsStatusReport *report)
{
  const char *display_name = qrs_status_report_get_display_name (report);
  const char *photo_url = qrs_status_report_get_photo_url (report);

  if (display_name != NULL)
    set_string (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
  if (photo_url != NULL)
    set_string (self, &self->photo_url, photo_url, PROP_PHOTO_URL);

  /* Once per code, and only from the web: the URL comes from the server. */
  if (photo_url != NULL && !self->photo_requested && self->downloads != NULL)
    {
      self->photo_requested = TRUE;
      if (is_web_url (photo_url))
        qrs_downloader_fetch_async (self->downloader, photo_url,
                                    QRS_SIGN_IN_MAX_PHOTO_BYTES, self->downloads,
                                    download_photo_cb, request_new (self, self->downloads));
      else
        g_debug ("Ignoring an avatar that is not on the web");
    }
}

static QrsPollDecision decide (QrsSignIn *self);

static void
expire (QrsSignIn *self)
{
  g_debug ("Code %s expired", self->code ? qrs_code_get_id (self->code) : "(none)");

  /* A dead code must not stay on show. */
  g_object_freeze_notify (G_OBJECT (self));
  drop_code (self);
  self->phase = QRS_POLL_PHASE_EXPIRED;
  self->failures = 0;
  self->retry_after_ms = -1;

  /* A code replaced by itself goes straight to loading the next one, so the
   * window does not flash "expired" in between.
   */
  if (decide (self).action != QRS_POLL_ACTION_CREATE)
    set_status (self, QRS_SIGN_IN_STATUS_EXPIRED);

  reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;
  QrsSignIn *self = request->self;

  code = qrs_provider_create_code_finish (QRS_PROVIDER (object), result, &error);
  if (!end_request (request))
    return;

  if (code == NULL)
    {
      handle_failure (self, error);
      return;
    }

  g_debug ("New code %s", qrs_code_get_id (code));

  g_object_freeze_notify (G_OBJECT (self));
  succeeded (self);
  self->code = g_steal_pointer (&code);
  self->downloads = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
  set_int64 (self, &self->expires_at,
             now_us (self) + (gint64) qrs_code_get_lifetime (self->code) * G_USEC_PER_SEC,
             PROP_EXPIRES_AT);
  self->phase = QRS_POLL_PHASE_PENDING;
  set_status (self, QRS_SIGN_IN_STATUS_PENDING);

  if (self->fetch_qr_image && is_web_url (qrs_code_get_image_url (self->code)))
    qrs_downloader_fetch_async (self->downloader, qrs_code_get_image_url (self->code),
                                QRS_SIGN_IN_MAX_QR_IMAGE_BYTES, self->downloads,
                                download_qr_image_cb, request_new (self, self->downloads));

  reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
create (QrsSignIn *self)
{
  GCancellable *cancellable;

  if (self->phase == QRS_POLL_PHASE_EXPIRED)
    self->auto_refreshes++;

  g_object_freeze_notify (G_OBJECT (self));
  drop_code (self);
  if (self->phase != QRS_POLL_PHASE_CREATE)
    {
      self->phase = QRS_POLL_PHASE_CREATE;
      self->failures = 0;
      self->retry_after_ms = -1;
      clear_problem (self);
    }
  set_status (self, QRS_SIGN_IN_STATUS_LOADING);
  g_object_thaw_notify (G_OBJECT (self));

  cancellable = begin_request (self);
  qrs_provider_create_code_async (self->provider, cancellable,
                                  created_cb, request_new (self, cancellable));
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  QrsSignIn *self = request->self;

  report = qrs_provider_check_status_finish (QRS_PROVIDER (object), result, &error);
  if (!end_request (request))
    return;

  if (report == NULL)
    {
      /* The server forgot the code: as good as expired. */
      if (g_error_matches (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER) &&
          qrs_provider_error_get_status_code (error) == 404)
        expire (self);
      else
        handle_failure (self, error);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  succeeded (self);

  switch (qrs_status_report_get_status (report))
    {
    case QRS_STATUS_PENDING:
      self->phase = QRS_POLL_PHASE_PENDING;
      set_status (self, QRS_SIGN_IN_STATUS_PENDING);
      reschedule (self);
      break;

    case QRS_STATUS_SCANNED:
      /* Somebody is at it: the next expiry starts a fresh count. */
      self->auto_refreshes = 0;
      self->phase = QRS_POLL_PHASE_SCANNED;
      note_person (self, report);
      set_status (self, QRS_SIGN_IN_STATUS_SCANNED);
      reschedule (self);
      break;

    case QRS_STATUS_AUTHORIZED:
      note_person (self, report);
      if (qrs_status_report_get_token_set (report) != NULL)
        {
          finish (self, qrs_status_report_get_token_set (report));
          break;
        }
      self->authorized = g_object_ref (report);
      self->ticket_deadline = now_us (self) + QRS_SIGN_IN_TICKET_LIFETIME * G_USEC_PER_SEC;
      self->phase = QRS_POLL_PHASE_EXCHANGE;
      set_status (self, QRS_SIGN_IN_STATUS_AUTHORIZED);
      reschedule (self);
      break;

    case QRS_STATUS_CANCELLED:
      note_person (self, report);
      self->phase = QRS_POLL_PHASE_CANCELLED;
      set_status (self, QRS_SIGN_IN_STATUS_CANCELLED);
      reschedule (self);
      break;

    case QRS_STATUS_EXPIRED:
      expire (self);
      break;

    case QRS_STATUS_ERROR:
    default:
      {
        g_autoptr(GError) server_error =
          g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER,
                               _("The sign-in server could not go on with this sign-in"));
        fail (self, server_error);
      }
      break;
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
check (QrsSignIn *self)
{
  GCancellable *cancellable = begin_request (self);

  qrs_provider_check_status_async (self->provider, self->code, cancellable,
                                   checked_cb, request_new (self, cancellable));
}

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(GError) error = NULL;

  token_set = qrs_provider_exchange_finish (QRS_PROVIDER (object), result, &error);
  if (!end_request (request))
    return;

  if (token_set == NULL)
    handle_failure (request->self, error);
  else
    finish (request->self, token_set);
}

static void
exchange (QrsSignIn *self)
{
  GCancellable *cancellable = begin_request (self);

  g_assert (self->authorized != NULL);

  qrs_provider_exchange_async (self->provider, self->authorized, cancellable,
                               exchanged_cb, request_new (self, cancellable));
}

static void
run (QrsSignIn     *self,
     QrsPollAction  action)
{
  switch (action)
    {
    case QRS_POLL_ACTION_CREATE:
      create (self);
      break;

    case QRS_POLL_ACTION_CHECK:
      check (self);
      break;

    case QRS_POLL_ACTION_EXCHANGE:
      exchange (self);
      break;

    case QRS_POLL_ACTION_EXPIRE:
      expire (self);
      break;

    case QRS_POLL_ACTION_WAIT_NETWORK:
    case QRS_POLL_ACTION_WAIT_VISIBLE:
    case QRS_POLL_ACTION_WAIT_USER:
    default:
      g_assert_not_reached ();
    }
}

static void
timer_cb (gpointer user_data)
{
  QrsSignIn *self = user_data;

  self->timer_id = 0;
  run (self, self->timer_action);
}

static QrsPollDecision
decide (QrsSignIn *self)
{
  QrsPollInput input = {
    .phase = self->phase,
    .failures = self->failures,
    .retry_after_ms = self->retry_after_ms,
    .visible = self->visible,
    .online = self->online,
    .until_deadline_ms = 0,
    .kiosk = self->kiosk,
    .auto_refreshes = self->auto_refreshes,
    .auto_refresh_cap = self->auto_refresh_cap,
  };

  if (self->phase == QRS_POLL_PHASE_EXCHANGE)
    input.until_deadline_ms = (self->ticket_deadline - now_us (self)) / 1000;
  else if (self->expires_at != 0)
    input.until_deadline_ms = (self->expires_at - now_us (self)) / 1000;

  return qrs_poll_policy_decide (&input, self->random_func, self->random_data);
}

/* Decides the next step and arms the timer for it. Nothing happens while a
 * request is in flight: its answer calls back here.
 */
static void
reschedule (QrsSignIn *self)
{
  QrsPollDecision d;

  cancel_timer (self);

  if (!self->running || self->request != NULL)
    return;

  d = decide (self);

  if (!self->online)
    set_connection (self, QRS_CONNECTION_OFFLINE);
  else if (d.reconnecting)
    set_connection (self, QRS_CONNECTION_RECONNECTING);
  else
    set_connection (self, QRS_CONNECTION_ONLINE);
  set_int64 (self, &self->retry_at, d.reconnecting ? now_us (self) + d.delay_ms * 1000 : 0,
             PROP_RETRY_AT);

  switch (d.action)
    {
    case QRS_POLL_ACTION_CREATE:
    case QRS_POLL_ACTION_CHECK:
    case QRS_POLL_ACTION_EXCHANGE:
    case QRS_POLL_ACTION_EXPIRE:
      if (d.delay_ms == 0)
        {
          run (self, d.action);
        }
      else
        {
          self->timer_action = d.action;
          self->timer_id = qrs_clock_schedule (self->clock, d.delay_ms, timer_cb, self, NULL);
        }
      break;

    case QRS_POLL_ACTION_WAIT_NETWORK:
    case QRS_POLL_ACTION_WAIT_VISIBLE:
    case QRS_POLL_ACTION_WAIT_USER:
    default:
      break;
    }
}

/* Skips the wait: whatever was scheduled happens now. */
static void
act_now (QrsSignIn *self)
{
  QrsPollDecision d;

  if (!self->running || self->request != NULL)
    return;

  cancel_timer (self);
  d = decide (self);
  switch (d.action)
    {
    case QRS_POLL_ACTION_CREATE:
    case QRS_POLL_ACTION_CHECK:
    case QRS_POLL_ACTION_EXCHANGE:
    case QRS_POLL_ACTION_EXPIRE:
      set_int64 (self, &self->retry_at, 0, PROP_RETRY_AT);
      run (self, d.action);
      break;

    case QRS_POLL_ACTION_WAIT_NETWORK:
    case QRS_POLL_ACTION_WAIT_VISIBLE:
    case QRS_POLL_ACTION_WAIT_USER:
    default:
      reschedule (self);
      break;
    }
}

static void
network_changed_cb (QrsSignIn       *self,
                    gboolean         available,
                    GNetworkMonitor *monitor)
{
  gboolean online = g_network_monitor_get_network_available (monitor);

  if (self->online == online)
    return;

  g_debug ("Network %s", online ? "available" : "unavailable");
  self->online = online;

  /* Back online: no need to sit out a back-off meant for a dead link. */
  if (online)
    {
      set_connection (self, self->failures >= QRS_POLL_RECONNECTING_AFTER ?
                            QRS_CONNECTION_RECONNECTING : QRS_CONNECTION_ONLINE);
      act_now (self);
    }
  else
    reschedule (self);
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
  if (self->downloader == NULL)
    self->downloader = qrs_downloader_new ();

  self->online = g_network_monitor_get_network_available (self->network_monitor);
  g_signal_connect_object (self->network_monitor, "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
qrs_sign_in_dispose (GObject *object)
{
  QrsSignIn *self = QRS_SIGN_IN (object);

  self->running = FALSE;
  if (self->clock != NULL)
    cancel_timer (self);
  cancel_request (self);
  if (self->downloads != NULL)
    g_cancellable_cancel (self->downloads);
  g_clear_object (&self->downloads);
  g_clear_object (&self->authorized);
  g_clear_object (&self->code);
  g_clear_object (&self->network_monitor);
  g_clear_object (&self->downloader);
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
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;

    case PROP_DOWNLOADER:
      g_value_set_object (value, self->downloader);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_CODE:
      g_value_set_object (value, self->code);
      break;

    case PROP_QR_IMAGE:
      g_value_set_boxed (value, self->qr_image);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_PHOTO_URL:
      g_value_set_string (value, self->photo_url);
      break;

    case PROP_PHOTO:
      g_value_set_boxed (value, self->photo);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_int64 (value, self->expires_at);
      break;

    case PROP_CONNECTION:
      g_value_set_enum (value, self->connection);
      break;

    case PROP_RETRY_AT:
      g_value_set_int64 (value, self->retry_at);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_SERVER_MESSAGE:
      g_value_set_string (value, self->server_message);
      break;

    case PROP_REQUEST_ID:
      g_value_set_string (value, self->request_id);
      break;

    case PROP_VISIBLE:
      g_value_set_boolean (value, self->visible);
      break;

    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;

    case PROP_AUTO_REFRESH_CAP:
      g_value_set_uint (value, self->auto_refresh_cap);
      break;

    case PROP_FETCH_QR_IMAGE:
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
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;

    case PROP_CLOCK:
      self->clock = g_value_dup_object (value);
      break;

    case PROP_NETWORK_MONITOR:
      self->network_monitor = g_value_dup_object (value);
      break;

    case PROP_DOWNLOADER:
      self->downloader = g_value_dup_object (value);
      break;

    case PROP_VISIBLE:
      qrs_sign_in_set_visible (self, g_value_get_boolean (value));
      break;

    case PROP_KIOSK:
      qrs_sign_in_set_kiosk (self, g_value_get_boolean (value));
      break;

    case PROP_AUTO_REFRESH_CAP:
      qrs_sign_in_set_auto_refresh_cap (self, g_value_get_uint (value));
      break;

    case PROP_FETCH_QR_IMAGE:
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

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, QRS_TYPE_PROVIDER, construct);
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL, QRS_TYPE_CLOCK, construct);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR, construct);
  properties[PROP_DOWNLOADER] =
    g_param_spec_object ("downloader", NULL, NULL, QRS_TYPE_DOWNLOADER, construct);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       QRS_TYPE_SIGN_IN_STATUS, QRS_SIGN_IN_STATUS_LOADING, ro);
  properties[PROP_CODE] =
    g_param_spec_object ("code", NULL, NULL, QRS_TYPE_CODE, ro);
  /**
   * QrsSignIn:qr-image:
   *
   * The server's picture of the current code (PNG bytes), when it could be
   * fetched; otherwise the window encodes #QrsCode's content itself.
   */
  properties[PROP_QR_IMAGE] =
    g_param_spec_boxed ("qr-image", NULL, NULL, G_TYPE_BYTES, ro);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  /**
   * QrsSignIn:photo-url:
   *
   * Where the scanning person's avatar is, as the server said.
   */
  properties[PROP_PHOTO_URL] =
    g_param_spec_string ("photo-url", NULL, NULL, NULL, ro);
  /**
   * QrsSignIn:photo:
   *
   * The scanning person's avatar as downloaded (undecoded), or %NULL.
   */
  properties[PROP_PHOTO] =
    g_param_spec_boxed ("photo", NULL, NULL, G_TYPE_BYTES, ro);
  /**
   * QrsSignIn:expires-at:
   *
   * When the current code dies, in #QrsSignIn:clock's microseconds, or 0.
   */
  properties[PROP_EXPIRES_AT] =
    g_param_spec_int64 ("expires-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_CONNECTION] =
    g_param_spec_enum ("connection", NULL, NULL,
                       QRS_TYPE_CONNECTION, QRS_CONNECTION_ONLINE, ro);
  /**
   * QrsSignIn:retry-at:
   *
   * While reconnecting, when the next try is due (clock microseconds), or 0.
   */
  properties[PROP_RETRY_AT] =
    g_param_spec_int64 ("retry-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_SERVER_MESSAGE] =
    g_param_spec_string ("server-message", NULL, NULL, NULL, ro);
  properties[PROP_REQUEST_ID] =
    g_param_spec_string ("request-id", NULL, NULL, NULL, ro);

  properties[PROP_VISIBLE] =
    g_param_spec_boolean ("visible", NULL, NULL, TRUE, rw);
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE, rw);
  properties[PROP_AUTO_REFRESH_CAP] =
    g_param_spec_uint ("auto-refresh-cap", NULL, NULL, 0, G_MAXUINT, 5, rw);
  properties[PROP_FETCH_QR_IMAGE] =
    g_param_spec_boolean ("fetch-qr-image", NULL, NULL, TRUE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  self->visible = TRUE;
  self->fetch_qr_image = TRUE;
  self->auto_refresh_cap = 5;
  self->retry_after_ms = -1;
  self->random_func = default_random;
  self->status = QRS_SIGN_IN_STATUS_LOADING;
  self->connection = QRS_CONNECTION_ONLINE;
  self->phase = QRS_POLL_PHASE_CREATE;
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

  return MAX (0, (self->expires_at - now_us (self)) / 1000);
}

QrsConnection
qrs_sign_in_get_connection (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), QRS_CONNECTION_ONLINE);

  return self->connection;
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

  return self->visible;
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
  if (self->visible == visible)
    return;

  self->visible = visible;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE]);

  if (visible && self->failures == 0 && self->retry_after_ms < 0)
    act_now (self);
  else
    reschedule (self);
}

gboolean
qrs_sign_in_get_kiosk (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), FALSE);

  return self->kiosk;
}

void
qrs_sign_in_set_kiosk (QrsSignIn *self,
                       gboolean   kiosk)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  kiosk = !!kiosk;
  if (self->kiosk == kiosk)
    return;

  self->kiosk = kiosk;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIOSK]);
  reschedule (self);
}

guint
qrs_sign_in_get_auto_refresh_cap (QrsSignIn *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN (self), 0);

  return self->auto_refresh_cap;
}

void
qrs_sign_in_set_auto_refresh_cap (QrsSignIn *self,
                                  guint      cap)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  if (self->auto_refresh_cap == cap)
    return;

  self->auto_refresh_cap = cap;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_REFRESH_CAP]);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FETCH_QR_IMAGE]);
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

/**
 * qrs_sign_in_start:
 * @self: a #QrsSignIn
 *
 * Starts a new attempt, dropping whatever was going on.
 */
void
qrs_sign_in_start (QrsSignIn *self)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  g_object_freeze_notify (G_OBJECT (self));
  cancel_timer (self);
  cancel_request (self);
  drop_code (self);
  clear_problem (self);
  self->running = TRUE;
  self->phase = QRS_POLL_PHASE_CREATE;
  self->failures = 0;
  self->retry_after_ms = -1;
  self->auto_refreshes = 0;
  set_status (self, QRS_SIGN_IN_STATUS_LOADING);
  reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * qrs_sign_in_refresh:
 * @self: a #QrsSignIn
 *
 * A new code, now: what the person's "Refresh" asks for.
 */
void
qrs_sign_in_refresh (QrsSignIn *self)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  qrs_sign_in_start (self);
}

/**
 * qrs_sign_in_retry:
 * @self: a #QrsSignIn
 *
 * After an error or a declined sign-in, starts over; while reconnecting,
 * tries again without waiting out the back-off.
 */
void
qrs_sign_in_retry (QrsSignIn *self)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  switch (self->phase)
    {
    case QRS_POLL_PHASE_CANCELLED:
    case QRS_POLL_PHASE_ERROR:
    case QRS_POLL_PHASE_EXPIRED:
      qrs_sign_in_start (self);
      break;

    case QRS_POLL_PHASE_CREATE:
    case QRS_POLL_PHASE_PENDING:
    case QRS_POLL_PHASE_SCANNED:
    case QRS_POLL_PHASE_EXCHANGE:
    default:
      if (!self->running)
        qrs_sign_in_start (self);
      else
        act_now (self);
      break;
    }
}

/**
 * qrs_sign_in_cancel:
 * @self: a #QrsSignIn
 *
 * Stops everything: no more requests until start().
 */
void
qrs_sign_in_cancel (QrsSignIn *self)
{
  g_return_if_fail (QRS_IS_SIGN_IN (self));

  self->running = FALSE;
  cancel_timer (self);
  cancel_request (self);
  g_clear_object (&self->authorized);
  if (self->downloads != NULL)
    g_cancellable_cancel (self->downloads);
}
