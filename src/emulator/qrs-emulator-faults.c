/* qrs-emulator-faults.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Answers made to misbehave, for the client's error paths.
 *
 * Fault modes (the next `count` answers of one endpoint; queued in order;
 * a faulted answer changes no state)
 *   http500        HTTP 500, {"statusCode":500,"message":"Internal server error"}
 *   html           HTTP 200, text/html: a captive-portal page
 *   malformed      HTTP 200, JSON cut off in the middle
 *   wrong-type     HTTP 200, an envelope with wrongly typed members
 *   unknown-status HTTP 200, data.status "TELEPORTED" (status endpoint only)
 *   no-data        HTTP 200, statusCode 200 without data
 *   error-status   HTTP 200, statusCode 500 with apiCode 1500 and a message
 *   status-error   HTTP 200, data.status "ERROR" (status endpoint only)
 *   throttle       HTTP 429, the documented body, Retry-After if non-zero
 *   huge           HTTP 200, a valid envelope padded to exactly 2 MiB
 *   stall          no answer for `seconds` (0: until stopped), then the
 *                  normal answer as of that moment
 *   drop           the connection is closed without any answer
 * Every "message" in these bodies but http500's is in the request's
 * language, as the real server's would be.
 */

#include "config.h"

#include <string.h>

#include "qrs-emulator-private.h"

#define HTML_CONTENT_TYPE "text/html; charset=utf-8"
#define ERROR_STATUS_API  1500

typedef struct
{
  QrsEmulatorFault mode;
  guint remaining;
  guint retry_after;
  guint seconds;
} Fault;

typedef struct
{
  QrsEmulator *self;
  SoupServerMessage *msg;
  guint64 serial;
  guint timeout_id;
  gulong disconnected_id;
} Stall;

/* The queues */

static gboolean
take_fault (QrsEmulator         *self,
            QrsEmulatorEndpoint  endpoint,
            Fault               *out)
{
  GQueue *queue = &self->faults[endpoint];
  Fault *fault = g_queue_peek_head (queue);

  if (fault == NULL)
    return FALSE;

  *out = *fault;
  if (--fault->remaining == 0)
    g_free (g_queue_pop_head (queue));

  return TRUE;
}

static void
clear_fault_queue (GQueue *queue)
{
  g_queue_clear_full (queue, g_free);
}

/* Fault bodies */

/* @ok, here and below, is the success message in the request's language. */
static char *
fault_body_malformed (QrsEmulatorEndpoint  endpoint,
                      const char          *ok)
{
  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      return g_strdup_printf ("{\"statusCode\":200,\"message\":\"%s\",\"data\":{\"qrcodeId\":\"", ok);
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      return g_strdup_printf ("{\"statusCode\":200,\"message\":\"%s\",\"data\":{\"status\":\"PEND", ok);
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      return g_strdup_printf ("{\"statusCode\":200,\"message\":\"%s\",\"data\":{\"access_token\":\"eyJ", ok);
    default:
      g_assert_not_reached ();
    }
}

static char *
fault_body_wrong_type (QrsEmulatorEndpoint  endpoint,
                       const char          *ok,
                       const char          *request_id)
{
  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      return g_strdup_printf ("{\"statusCode\":\"200\",\"message\":\"%s\",\"requestId\":\"%s\","
                              "\"data\":{\"qrcodeId\":123456,\"url\":true}}", ok, request_id);
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      return g_strdup_printf ("{\"statusCode\":200,\"message\":\"%s\",\"requestId\":\"%s\","
                              "\"data\":{\"status\":1}}", ok, request_id);
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      return g_strdup_printf ("{\"statusCode\":200,\"message\":\"%s\",\"requestId\":\"%s\","
                              "\"data\":{\"scope\":\"openid profile\",\"access_token\":42,"
                              "\"id_token\":[],\"token_type\":\"bearer\",\"expire_in\":\"7200\"}}",
                              ok, request_id);
    default:
      g_assert_not_reached ();
    }
}

/* A valid success envelope whose data carries a padding member, so that only
 * a size limit can reject it.
 */
static char *
fault_body_huge (QrsEmulator         *self,
                 QrsEmulatorEndpoint  endpoint,
                 const char          *ok,
                 const char          *request_id,
                 gsize               *length)
{
  static const char suffix[] = "\"}}";
  g_autofree char *fake_id = _qrs_emulator_random_id (QRS_EMULATOR_QR_ID_LENGTH);
  g_autofree char *url = _qrs_emulator_qr_image_url (self, fake_id);
  GString *body = g_string_sized_new (QRS_EMULATOR_HUGE_BODY_SIZE);
  gsize padding;

  g_string_append_printf (body, "{\"statusCode\":200,\"message\":\"%s\",\"requestId\":\"%s\",\"data\":{",
                          ok, request_id);
  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      g_string_append_printf (body, "\"qrcodeId\":\"%s\",\"url\":\"%s\",", fake_id, url);
      break;
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      g_string_append (body, "\"status\":\"PENDING\",");
      break;
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      g_string_append (body, "\"scope\":\"openid profile\",\"access_token\":\"a.b.c\",\"id_token\":\"a.b.c\","
                             "\"token_type\":\"bearer\",\"expire_in\":7200,");
      break;
    default:
      g_assert_not_reached ();
    }
  g_string_append (body, "\"padding\":\"");

  g_assert (body->len + strlen (suffix) < QRS_EMULATOR_HUGE_BODY_SIZE);
  padding = QRS_EMULATOR_HUGE_BODY_SIZE - body->len - strlen (suffix);
  g_string_set_size (body, body->len + padding);
  memset (body->str + body->len - padding, 'x', padding);
  g_string_append (body, suffix);

  g_assert (body->len == QRS_EMULATOR_HUGE_BODY_SIZE);
  *length = body->len;

  return g_string_free (body, FALSE);
}

/* Stalls */

static void
stall_remove (Stall *stall)
{
  g_ptr_array_remove_fast (stall->self->stalls, stall);
}

static void
mark_gone (gboolean *gone)
{
  *gone = TRUE;
}

static gboolean
stall_release_cb (gpointer user_data)
{
  Stall *stall = user_data;
  QrsEmulator *self = stall->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (stall->msg);
  guint64 serial = stall->serial;
  gboolean gone = FALSE;
  gulong handler;

  g_assert (QRS_IS_EMULATOR (self));

  stall->timeout_id = 0;
  stall_remove (stall);

  /* Answering emits signals, and a handler may stop the emulator, which
   * closes the connection: then there is nothing left to resume.
   */
  handler = g_signal_connect_swapped (msg, "disconnected", G_CALLBACK (mark_gone), &gone);
  _qrs_emulator_answer (self, msg);
  g_signal_handler_disconnect (msg, handler);

  if (!gone)
    soup_server_message_unpause (msg);
  _qrs_emulator_log_finish (self, serial, soup_server_message_get_status (msg));

  return G_SOURCE_REMOVE;
}

/* A stalled client gave up, or the server is going away: nothing to send. */
static void
stall_disconnected_cb (SoupServerMessage *msg,
                       gpointer           user_data)
{
  Stall *stall = user_data;

  g_assert (stall->msg == msg);

  /* The connection may have held the last other reference: let the
   * message outlive this emission.
   */
  g_clear_signal_handler (&stall->disconnected_id, msg);
  g_idle_add_once (g_object_unref, g_steal_pointer (&stall->msg));
  stall_remove (stall);
}

void
_qrs_emulator_stall_free (gpointer data)
{
  Stall *stall = data;

  g_clear_handle_id (&stall->timeout_id, g_source_remove);
  if (stall->msg != NULL)
    g_clear_signal_handler (&stall->disconnected_id, stall->msg);
  g_clear_object (&stall->msg);
  g_free (stall);
}

/* Answering with a fault */

static void
apply_fault (QrsEmulator         *self,
             SoupServerMessage   *msg,
             QrsEmulatorEndpoint  endpoint,
             const Fault         *fault,
             guint64              serial)
{
  g_autofree char *request_id = g_uuid_string_random ();
  g_autoptr(GEnumClass) modes = g_type_class_ref (QRS_TYPE_EMULATOR_FAULT);
  QrsEmulatorLang lang = _qrs_emulator_request_lang (msg);
  const char *ok = _qrs_emulator_message (lang, QRS_EMULATOR_MESSAGE_OK);
  char *body;
  gsize length;

  g_debug ("Fault on %s: %s", g_uri_get_path (soup_server_message_get_uri (msg)),
           g_enum_get_value (modes, fault->mode)->value_nick);

  switch (fault->mode)
    {
    case QRS_EMULATOR_FAULT_HTTP500:
      /* NestJS's own answer to an unhandled exception, in English whatever
       * the request's language.
       */
      body = g_strdup ("{\"statusCode\":500,\"message\":\"Internal server error\"}");
      _qrs_emulator_reply_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, QRS_EMULATOR_JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_HTML:
      body = g_strdup ("<!DOCTYPE html>\n"
                       "<html><head><title>Sign in to the network</title></head>\n"
                       "<body><h1>Welcome!</h1><p>Please accept the terms of use to continue.</p></body></html>\n");
      _qrs_emulator_reply_text (msg, SOUP_STATUS_OK, HTML_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_MALFORMED:
      body = fault_body_malformed (endpoint, ok);
      _qrs_emulator_reply_text (msg, SOUP_STATUS_OK, QRS_EMULATOR_JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_WRONG_TYPE:
      body = fault_body_wrong_type (endpoint, ok, request_id);
      _qrs_emulator_reply_text (msg, SOUP_STATUS_OK, QRS_EMULATOR_JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_UNKNOWN_STATUS:
    case QRS_EMULATOR_FAULT_STATUS_ERROR:
      g_assert (endpoint == QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS);
      body = g_strdup_printf ("{\"statusCode\":200,\"message\":\"%s\",\"requestId\":\"%s\","
                              "\"data\":{\"status\":\"%s\"}}", ok, request_id,
                              fault->mode == QRS_EMULATOR_FAULT_UNKNOWN_STATUS ? "TELEPORTED" : "ERROR");
      _qrs_emulator_reply_text (msg, SOUP_STATUS_OK, QRS_EMULATOR_JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_NO_DATA:
      _qrs_emulator_reply_success (msg, NULL);
      break;

    case QRS_EMULATOR_FAULT_ERROR_STATUS:
      _qrs_emulator_reply_error (msg, 500, ERROR_STATUS_API, QRS_EMULATOR_MESSAGE_SERVER_ERROR);
      break;

    case QRS_EMULATOR_FAULT_THROTTLE:
      body = g_strdup_printf ("{\"statusCode\":429,\"message\":\"%s\"}",
                              _qrs_emulator_message (lang, QRS_EMULATOR_MESSAGE_THROTTLED));
      _qrs_emulator_reply_text (msg, 429 /* Too Many Requests */, QRS_EMULATOR_JSON_CONTENT_TYPE, body, strlen (body));
      if (fault->retry_after > 0)
        {
          g_autofree char *value = g_strdup_printf ("%u", fault->retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", value);
        }
      break;

    case QRS_EMULATOR_FAULT_HUGE:
      body = fault_body_huge (self, endpoint, ok, request_id, &length);
      _qrs_emulator_reply_text (msg, SOUP_STATUS_OK, QRS_EMULATOR_JSON_CONTENT_TYPE, body, length);
      break;

    case QRS_EMULATOR_FAULT_STALL:
      {
        Stall *stall = g_new0 (Stall, 1);

        stall->self = self;
        stall->msg = g_object_ref (msg);
        stall->serial = serial;
        stall->disconnected_id = g_signal_connect (msg, "disconnected",
                                                   G_CALLBACK (stall_disconnected_cb), stall);
        if (fault->seconds > 0)
          stall->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, fault->seconds * 1000,
                                                  stall_release_cb, stall, NULL);
        g_ptr_array_add (self->stalls, stall);
        soup_server_message_pause (msg);
      }
      return;

    case QRS_EMULATOR_FAULT_DROP:
      {
        GIOStream *stream;

        /* No status line, no headers: the socket just closes. */
        g_object_ref (msg);
        stream = soup_server_message_steal_connection (msg);
        g_object_unref (msg);
        if (stream != NULL)
          {
            g_io_stream_close (stream, NULL, NULL);
            g_object_unref (stream);
          }
        _qrs_emulator_log_finish (self, serial, 0);
      }
      return;

    default:
      g_assert_not_reached ();
    }

  _qrs_emulator_log_finish (self, serial, soup_server_message_get_status (msg));
}

/* Answers @msg with the next fault queued for @endpoint, if there is one. */
gboolean
_qrs_emulator_answer_fault (QrsEmulator         *self,
                            SoupServerMessage   *msg,
                            QrsEmulatorEndpoint  endpoint,
                            guint64              serial)
{
  Fault fault;

  if (!take_fault (self, endpoint, &fault))
    return FALSE;

  apply_fault (self, msg, endpoint, &fault, serial);
  return TRUE;
}

/* Public API */

/**
 * qrs_emulator_inject_fault:
 * @self: a #QrsEmulator
 * @endpoint: whose answers misbehave
 * @mode: how
 * @count: how many answers in a row, or 0 to drop every fault queued for
 *   @endpoint
 * @retry_after: for %QRS_EMULATOR_FAULT_THROTTLE, the Retry-After seconds,
 *   or 0 for no Retry-After header
 * @seconds: for %QRS_EMULATOR_FAULT_STALL, how long to hold each answer
 *   back, or 0 to hold it until the emulator stops
 * @error: return location for a %QRS_EMULATOR_ERROR
 *
 * Queues a fault behind those already queued for @endpoint.
 *
 * Returns: %FALSE if @mode makes no sense for @endpoint
 */
gboolean
qrs_emulator_inject_fault (QrsEmulator          *self,
                           QrsEmulatorEndpoint   endpoint,
                           QrsEmulatorFault      mode,
                           guint                 count,
                           guint                 retry_after,
                           guint                 seconds,
                           GError              **error)
{
  Fault *fault;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), FALSE);
  g_return_val_if_fail (endpoint < QRS_EMULATOR_N_ENDPOINTS, FALSE);
  g_return_val_if_fail (mode <= QRS_EMULATOR_FAULT_DROP, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((mode == QRS_EMULATOR_FAULT_UNKNOWN_STATUS || mode == QRS_EMULATOR_FAULT_STATUS_ERROR) &&
      endpoint != QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS)
    {
      g_set_error_literal (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_INVALID_ARGUMENT,
                           "unknown-status and status-error only apply to check-qrcode-status");
      return FALSE;
    }

  if (count == 0)
    {
      clear_fault_queue (&self->faults[endpoint]);
      return TRUE;
    }

  fault = g_new0 (Fault, 1);
  fault->mode = mode;
  fault->remaining = count;
  fault->retry_after = retry_after;
  fault->seconds = seconds;
  g_queue_push_tail (&self->faults[endpoint], fault);

  return TRUE;
}

/**
 * qrs_emulator_clear_faults:
 * @self: a #QrsEmulator
 *
 * Forgets every queued fault; requests already stalled stay stalled.
 */
void
qrs_emulator_clear_faults (QrsEmulator *self)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));

  for (guint i = 0; i < QRS_EMULATOR_N_ENDPOINTS; i++)
    clear_fault_queue (&self->faults[i]);
}
