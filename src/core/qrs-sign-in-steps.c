/* qrs-sign-in-steps.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-sign-in-private.h"

/* The state machine of QrsSignIn: create a code, poll it, exchange the
 * ticket, hand over the tokens. Every wait is decided by QrsPollPolicy from
 * self->input and kept on the QrsClock; at most one request to the sign-in
 * server is in flight, and the next one is scheduled from its answer.
 */

static void
clear_problem (QrsSignIn *self)
{
  _qrs_sign_in_set_trouble (self, QRS_TROUBLE_NONE);
  _qrs_sign_in_set_string (self, &self->error_message, NULL, QRS_SIGN_IN_PROP_ERROR_MESSAGE);
  _qrs_sign_in_set_string (self, &self->server_message, NULL, QRS_SIGN_IN_PROP_SERVER_MESSAGE);
  _qrs_sign_in_set_string (self, &self->request_id, NULL, QRS_SIGN_IN_PROP_REQUEST_ID);
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
  _qrs_sign_in_drop_pictures (self);
  g_clear_object (&self->authorized);

  if (self->code != NULL)
    {
      g_clear_object (&self->code);
      _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_CODE);
    }
  _qrs_sign_in_set_string (self, &self->display_name, NULL, QRS_SIGN_IN_PROP_DISPLAY_NAME);
  _qrs_sign_in_set_string (self, &self->photo_url, NULL, QRS_SIGN_IN_PROP_PHOTO_URL);
  _qrs_sign_in_set_int64 (self, &self->expires_at, 0, QRS_SIGN_IN_PROP_EXPIRES_AT);
}

/* Failures worth trying again: the network, a busy or broken server, an
 * answer garbled on the way. Anything else will not fix itself.
 *
 * An exchange whose answer the server itself marked a success (statusCode
 * 200) but whose tokens are unusable is not tried again: the server has
 * spent the single-use ticket, and a second try would only fail with
 * "ticket invalid", hiding the real cause.
 */
static gboolean
is_transient (QrsSignIn    *self,
              const GError *error)
{
  if (error->domain != QRS_PROVIDER_ERROR)
    return FALSE;

  switch ((QrsProviderError) error->code)
    {
    case QRS_PROVIDER_ERROR_NETWORK:
    case QRS_PROVIDER_ERROR_TIMEOUT:
    case QRS_PROVIDER_ERROR_RATE_LIMITED:
      return TRUE;

    case QRS_PROVIDER_ERROR_PROTOCOL:
      return self->input.phase != QRS_POLL_PHASE_EXCHANGE ||
             qrs_provider_error_get_status_code (error) != 200;

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

static QrsTrouble
trouble_of (const GError *error)
{
  if (error->domain != QRS_PROVIDER_ERROR)
    return QRS_TROUBLE_LOCAL;

  switch ((QrsProviderError) error->code)
    {
    case QRS_PROVIDER_ERROR_NETWORK:
    case QRS_PROVIDER_ERROR_TIMEOUT:
    case QRS_PROVIDER_ERROR_TLS:
      return QRS_TROUBLE_UNREACHABLE;

    case QRS_PROVIDER_ERROR_HTTP:
    case QRS_PROVIDER_ERROR_PROTOCOL:
    case QRS_PROVIDER_ERROR_SERVER:
    case QRS_PROVIDER_ERROR_RATE_LIMITED:
      return QRS_TROUBLE_SERVER;

    case QRS_PROVIDER_ERROR_CANCELLED:
    case QRS_PROVIDER_ERROR_CONFIG:
    case QRS_PROVIDER_ERROR_NOT_SUPPORTED:
    default:
      return QRS_TROUBLE_LOCAL;
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

  _qrs_sign_in_set_trouble (self, trouble_of (error));

  _qrs_sign_in_set_string (self, &self->error_message, error->message, QRS_SIGN_IN_PROP_ERROR_MESSAGE);
  _qrs_sign_in_set_string (self, &self->server_message, server_message, QRS_SIGN_IN_PROP_SERVER_MESSAGE);
  _qrs_sign_in_set_string (self, &self->request_id, request_id, QRS_SIGN_IN_PROP_REQUEST_ID);
}

/* Gives up on the attempt with an error a person has to see. It still
 * counts as a failure in a row: a kiosk that starts over by itself waits
 * longer each time the same error comes back.
 */
static void
fail (QrsSignIn    *self,
      const GError *error)
{
  g_debug ("Sign-in failed: %s", error->message);

  g_object_freeze_notify (G_OBJECT (self));
  note_error_details (self, error);
  self->input.phase = QRS_POLL_PHASE_ERROR;
  self->input.failures++;
  self->input.retry_after_ms = -1;
  g_clear_object (&self->authorized);
  _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_ERROR);
  _qrs_sign_in_reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
handle_failure (QrsSignIn    *self,
                const GError *error)
{
  gint64 retry_after;

  if (!is_transient (self, error))
    {
      fail (self, error);
      return;
    }

  retry_after = qrs_provider_error_get_retry_after (error);

  g_debug ("Request failed (%u in a row): %s", self->input.failures + 1, error->message);
  g_object_freeze_notify (G_OBJECT (self));
  self->input.failures++;
  self->input.retry_after_ms = retry_after > 0 ? retry_after * 1000 : -1;
  note_error_details (self, error);
  _qrs_sign_in_reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The server answered as it should: whatever went wrong before is over. */
static void
succeeded (QrsSignIn *self)
{
  self->input.failures = 0;
  self->input.retry_after_ms = -1;
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

  g_assert (QRS_IS_SIGN_IN (self));

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
  succeeded (self);
  _qrs_sign_in_set_connection (self, QRS_CONNECTION_ONLINE);
  _qrs_sign_in_set_int64 (self, &self->retry_at, 0, QRS_SIGN_IN_PROP_RETRY_AT);
  _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_AUTHORIZED);

  _qrs_sign_in_emit_finished (self, token_set);
}

static void
note_person (QrsSignIn       *self,
             QrsStatusReport *report)
{
  const char *display_name = qrs_status_report_get_display_name (report);
  const char *photo_url = qrs_status_report_get_photo_url (report);

  if (display_name != NULL)
    _qrs_sign_in_set_string (self, &self->display_name, display_name, QRS_SIGN_IN_PROP_DISPLAY_NAME);
  if (photo_url != NULL)
    {
      _qrs_sign_in_set_string (self, &self->photo_url, photo_url, QRS_SIGN_IN_PROP_PHOTO_URL);
      _qrs_sign_in_fetch_photo (self, photo_url);
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
  self->input.phase = QRS_POLL_PHASE_EXPIRED;
  self->input.retry_after_ms = -1;

  /* A code replaced by itself goes straight to loading the next one, so the
   * window does not flash "expired" in between.
   */
  if (decide (self).action != QRS_POLL_ACTION_CREATE)
    _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_EXPIRED);

  _qrs_sign_in_reschedule (self);
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

  g_assert (QRS_IS_SIGN_IN (self));

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
  _qrs_sign_in_notify (self, QRS_SIGN_IN_PROP_CODE);
  _qrs_sign_in_set_int64 (self, &self->expires_at,
                          _qrs_sign_in_now_us (self) + (gint64) qrs_code_get_lifetime (self->code) * G_USEC_PER_SEC,
                          QRS_SIGN_IN_PROP_EXPIRES_AT);
  self->input.phase = QRS_POLL_PHASE_PENDING;
  self->input.min_check_ms = (gint64) qrs_code_get_poll_interval (self->code) * 1000;
  _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_PENDING);
  _qrs_sign_in_fetch_qr_image (self);
  _qrs_sign_in_reschedule (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Asks for a new code. The failures in a row are not forgotten here, only
 * when the server answers: a kiosk whose every attempt fails keeps backing
 * off.
 */
static void
create (QrsSignIn *self)
{
  GCancellable *cancellable;

  if (self->input.phase == QRS_POLL_PHASE_EXPIRED)
    {
      self->input.auto_refreshes++;
      _qrs_sign_in_update_renews_itself (self);
    }

  g_object_freeze_notify (G_OBJECT (self));
  drop_code (self);
  self->input.min_check_ms = 0;
  if (self->input.phase != QRS_POLL_PHASE_CREATE)
    {
      self->input.phase = QRS_POLL_PHASE_CREATE;
      self->input.retry_after_ms = -1;
    }
  _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_LOADING);
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

  g_assert (QRS_IS_SIGN_IN (self));

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
  if (qrs_status_report_get_poll_interval (report) > 0)
    self->input.min_check_ms = (gint64) qrs_status_report_get_poll_interval (report) * 1000;

  switch (qrs_status_report_get_status (report))
    {
    case QRS_STATUS_PENDING:
      self->input.phase = QRS_POLL_PHASE_PENDING;
      _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_PENDING);
      _qrs_sign_in_reschedule (self);
      break;

    case QRS_STATUS_SCANNED:
      /* Somebody is at it: the next expiry starts a fresh count. */
      self->input.auto_refreshes = 0;
      _qrs_sign_in_update_renews_itself (self);
      self->input.phase = QRS_POLL_PHASE_SCANNED;
      note_person (self, report);
      _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_SCANNED);
      _qrs_sign_in_reschedule (self);
      break;

    case QRS_STATUS_AUTHORIZED:
      note_person (self, report);
      if (qrs_status_report_get_token_set (report) != NULL)
        {
          finish (self, qrs_status_report_get_token_set (report));
          break;
        }
      self->authorized = g_object_ref (report);
      self->ticket_deadline = _qrs_sign_in_now_us (self) + QRS_SIGN_IN_TICKET_LIFETIME * G_USEC_PER_SEC;
      self->input.phase = QRS_POLL_PHASE_EXCHANGE;
      _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_AUTHORIZED);
      _qrs_sign_in_reschedule (self);
      break;

    case QRS_STATUS_CANCELLED:
      note_person (self, report);
      self->input.phase = QRS_POLL_PHASE_CANCELLED;
      _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_CANCELLED);
      _qrs_sign_in_reschedule (self);
      break;

    case QRS_STATUS_EXPIRED:
      expire (self);
      break;

    case QRS_STATUS_ERROR:
    default:
      {
        g_autoptr(GError) server_error =
          g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER,
                               _("The sign-in server stopped this sign-in. Start again with a new code."));
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

/*
 * Scheduling
 */

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

  g_assert (QRS_IS_SIGN_IN (self));

  self->timer_id = 0;
  run (self, self->timer_action);
}

static QrsPollDecision
decide (QrsSignIn *self)
{
  if (self->input.phase == QRS_POLL_PHASE_EXCHANGE)
    self->input.until_deadline_ms = (self->ticket_deadline - _qrs_sign_in_now_us (self)) / 1000;
  else if (self->expires_at != 0)
    self->input.until_deadline_ms = (self->expires_at - _qrs_sign_in_now_us (self)) / 1000;
  else
    self->input.until_deadline_ms = 0;

  return qrs_poll_policy_decide (&self->input, self->random_func, self->random_data);
}

static gboolean
is_timed (QrsPollAction action)
{
  switch (action)
    {
    case QRS_POLL_ACTION_CREATE:
    case QRS_POLL_ACTION_CHECK:
    case QRS_POLL_ACTION_EXCHANGE:
    case QRS_POLL_ACTION_EXPIRE:
      return TRUE;

    case QRS_POLL_ACTION_WAIT_NETWORK:
    case QRS_POLL_ACTION_WAIT_VISIBLE:
    case QRS_POLL_ACTION_WAIT_USER:
    default:
      return FALSE;
    }
}

/* Decides the next step and arms the timer for it. Nothing happens while a
 * request is in flight: its answer calls back here.
 */
void
_qrs_sign_in_reschedule (QrsSignIn *self)
{
  QrsPollDecision d;
  gboolean retrying;

  cancel_timer (self);

  if (!self->running || self->request != NULL)
    return;

  d = decide (self);

  if (!self->input.online)
    _qrs_sign_in_set_connection (self, QRS_CONNECTION_OFFLINE);
  else if (d.reconnecting)
    _qrs_sign_in_set_connection (self, QRS_CONNECTION_RECONNECTING);
  else
    _qrs_sign_in_set_connection (self, QRS_CONNECTION_ONLINE);

  /* The screen says when the next try is: while reconnecting, and when a
   * kiosk starts over after an error.
   */
  retrying = is_timed (d.action) &&
             (d.reconnecting || self->input.phase == QRS_POLL_PHASE_ERROR);
  _qrs_sign_in_set_int64 (self, &self->retry_at,
                          retrying ? _qrs_sign_in_now_us (self) + d.delay_ms * 1000 : 0,
                          QRS_SIGN_IN_PROP_RETRY_AT);

  if (!is_timed (d.action))
    return;

  if (d.delay_ms == 0)
    {
      run (self, d.action);
    }
  else
    {
      self->timer_action = d.action;
      self->timer_id = qrs_clock_schedule (self->clock, d.delay_ms, timer_cb, self, NULL);
    }
}

/* Skips the wait: whatever was scheduled happens now. */
void
_qrs_sign_in_act_now (QrsSignIn *self)
{
  QrsPollDecision d;

  if (!self->running || self->request != NULL)
    return;

  cancel_timer (self);
  d = decide (self);
  if (is_timed (d.action))
    {
      _qrs_sign_in_set_int64 (self, &self->retry_at, 0, QRS_SIGN_IN_PROP_RETRY_AT);
      run (self, d.action);
    }
  else
    {
      _qrs_sign_in_reschedule (self);
    }
}

void
_qrs_sign_in_network_changed (QrsSignIn *self,
                              gboolean   online)
{
  if (self->input.online == online)
    return;

  g_debug ("Network %s", online ? "available" : "unavailable");
  self->input.online = online;

  /* Back online: no need to sit out a back-off meant for a dead link. */
  if (online)
    {
      _qrs_sign_in_set_connection (self, self->input.failures >= QRS_POLL_RECONNECTING_AFTER ?
                                         QRS_CONNECTION_RECONNECTING : QRS_CONNECTION_ONLINE);
      _qrs_sign_in_act_now (self);
    }
  else
    _qrs_sign_in_reschedule (self);
}

/* Stops everything in flight or scheduled; what dispose and cancel share. */
void
_qrs_sign_in_stop (QrsSignIn *self)
{
  self->running = FALSE;
  if (self->clock != NULL)
    cancel_timer (self);
  cancel_request (self);
  g_clear_object (&self->authorized);
  if (self->downloads != NULL)
    g_cancellable_cancel (self->downloads);
}

/*
 * Public API
 */

/**
 * qrs_sign_in_start:
 * @self: a #QrsSignIn
 *
 * Starts a new attempt, dropping whatever was going on. Someone asked for
 * it, so past failures are forgotten.
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
  self->input.phase = QRS_POLL_PHASE_CREATE;
  self->input.failures = 0;
  self->input.retry_after_ms = -1;
  self->input.auto_refreshes = 0;
  _qrs_sign_in_update_renews_itself (self);
  _qrs_sign_in_set_status (self, QRS_SIGN_IN_STATUS_LOADING);
  _qrs_sign_in_reschedule (self);
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

  switch (self->input.phase)
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
        _qrs_sign_in_act_now (self);
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

  _qrs_sign_in_stop (self);
}
