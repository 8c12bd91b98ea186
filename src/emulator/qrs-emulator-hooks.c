/* qrs-emulator-hooks.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The test hooks: how a test or the demo's pretend phone drives the
 * emulator over HTTP.
 *
 * Test hooks (under /__emu/, JSON in and out, never logged)
 *   POST /__emu/phone  {"qrcodeId"?, "action", "displayName"?, "photo"?}
 *   POST /__emu/clock  {"advance": seconds}
 *   POST /__emu/fault  {"endpoint", "mode", "count"?, "retryAfter"?, "seconds"?}
 *   GET  /__emu/log    (DELETE clears it)
 *   GET  /__emu/codes
 *   A hook answers HTTP 200 on success, else 400, 404, 405 or 422 with
 *   {"error": "…"}.
 */

#include "config.h"

#include "qrs-emulator-private.h"

static guint
http_status_for_error (const GError *error)
{
  if (error->domain != QRS_EMULATOR_ERROR)
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;

  switch ((QrsEmulatorError) error->code)
    {
    case QRS_EMULATOR_ERROR_INVALID_ARGUMENT:
      return SOUP_STATUS_BAD_REQUEST;
    case QRS_EMULATOR_ERROR_NOT_FOUND:
      return SOUP_STATUS_NOT_FOUND;
    case QRS_EMULATOR_ERROR_INVALID_TRANSITION:
      return SOUP_STATUS_UNPROCESSABLE_ENTITY;
    case QRS_EMULATOR_ERROR_FAILED:
    default:
      return SOUP_STATUS_INTERNAL_SERVER_ERROR;
    }
}

/* The hook's JSON object, or %NULL once it has answered that there is
 * none.
 */
static JsonObject *
hook_body (SoupServerMessage *msg)
{
  JsonObject *body = _qrs_emulator_parse_body_object (msg);

  if (body == NULL)
    _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object");

  return body;
}

/* Reads a string member that may be missing; %FALSE once it has answered
 * that the member is there but no string.
 */
static gboolean
optional_string (SoupServerMessage  *msg,
                 JsonObject         *body,
                 const char         *name,
                 const char        **out)
{
  g_autofree char *message = NULL;

  if (_qrs_emulator_get_string_member (body, name, out) != QRS_EMULATOR_MEMBER_WRONG_TYPE)
    return TRUE;

  message = g_strdup_printf ("%s must be a string", name);
  _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, message);
  return FALSE;
}

static void
hook_phone (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = hook_body (msg);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *qrcode_id = NULL;
  g_autofree char *status = NULL;
  const char *id, *action_name, *display_name, *photo;
  QrsEmulatorAction action;

  if (body == NULL)
    return;
  if (!optional_string (msg, body, "qrcodeId", &id))
    return;
  if (_qrs_emulator_get_string_member (body, "action", &action_name) != QRS_EMULATOR_MEMBER_OK ||
      !_qrs_emulator_parse_action (action_name, &action))
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "action must be SCAN, CONFIRM or CANCEL");
      return;
    }
  if (!optional_string (msg, body, "displayName", &display_name) ||
      !optional_string (msg, body, "photo", &photo))
    return;

  qrcode_id = id != NULL ? g_strdup (id) : qrs_emulator_dup_newest_code_id (self);
  if (!qrs_emulator_phone (self, qrcode_id, action, display_name, photo, &error))
    {
      _qrs_emulator_reply_hook_error (msg, http_status_for_error (error), error->message);
      return;
    }

  status = qrs_emulator_dup_code_status (self, qrcode_id);
  reply = json_object_new ();
  json_object_set_string_member (reply, "qrcodeId", qrcode_id);
  json_object_set_string_member (reply, "status", status);
  _qrs_emulator_reply_hook (msg, SOUP_STATUS_OK, reply);
}

static void
hook_clock (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = hook_body (msg);
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *now = NULL;
  JsonNode *node;
  double seconds;

  if (body == NULL)
    return;

  node = json_object_get_member (body, "advance");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "advance must be a number of seconds");
      return;
    }

  seconds = json_node_get_double (node);
  if (!(seconds >= 0 && seconds <= 100 * 365.25 * 86400))
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "advance must be between 0 and 100 years");
      return;
    }

  qrs_emulator_advance_clock (self, seconds);

  now = _qrs_emulator_format_time (_qrs_emulator_now_ms (self));
  reply = json_object_new ();
  json_object_set_string_member (reply, "now", now);
  json_object_set_double_member (reply, "offset", (double) self->clock_offset / G_USEC_PER_SEC);
  _qrs_emulator_reply_hook (msg, SOUP_STATUS_OK, reply);
}

static void
hook_fault (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = hook_body (msg);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GEnumClass) endpoints = g_type_class_ref (QRS_TYPE_EMULATOR_ENDPOINT);
  g_autoptr(GEnumClass) modes = g_type_class_ref (QRS_TYPE_EMULATOR_FAULT);
  g_autoptr(GError) error = NULL;
  const char *endpoint_name, *mode_name;
  GEnumValue *endpoint, *mode;
  guint count = 1, retry_after = 1, seconds = 30;

  if (body == NULL)
    return;

  if (_qrs_emulator_get_string_member (body, "endpoint", &endpoint_name) != QRS_EMULATOR_MEMBER_OK ||
      (endpoint = g_enum_get_value_by_nick (endpoints, endpoint_name)) == NULL)
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST,
                                      "endpoint must be gene-qrcode, check-qrcode-status or exchange-tokenset-with-qrcode-ticket");
      return;
    }
  if (_qrs_emulator_get_string_member (body, "mode", &mode_name) != QRS_EMULATOR_MEMBER_OK ||
      (mode = g_enum_get_value_by_nick (modes, mode_name)) == NULL)
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST,
                                      "mode must be http500, html, malformed, wrong-type, unknown-status, no-data, "
                                      "error-status, status-error, throttle, huge, stall or drop");
      return;
    }
  if (_qrs_emulator_get_uint_member (body, "count", &count) == QRS_EMULATOR_MEMBER_WRONG_TYPE)
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "count must be a whole number");
      return;
    }
  if (_qrs_emulator_get_uint_member (body, "retryAfter", &retry_after) == QRS_EMULATOR_MEMBER_WRONG_TYPE)
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "retryAfter must be a whole number of seconds");
      return;
    }
  if (_qrs_emulator_get_uint_member (body, "seconds", &seconds) == QRS_EMULATOR_MEMBER_WRONG_TYPE || seconds > 24 * 3600)
    {
      _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "seconds must be a whole number up to 86400");
      return;
    }

  if (!qrs_emulator_inject_fault (self, endpoint->value, mode->value, count, retry_after, seconds, &error))
    {
      _qrs_emulator_reply_hook_error (msg, http_status_for_error (error), error->message);
      return;
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "endpoint", endpoint->value_nick);
  json_object_set_string_member (reply, "mode", mode->value_nick);
  json_object_set_int_member (reply, "count", count);
  json_object_set_int_member (reply, "retryAfter", retry_after);
  json_object_set_int_member (reply, "seconds", seconds);
  _qrs_emulator_reply_hook (msg, SOUP_STATUS_OK, reply);
}

static void
hook_log (QrsEmulator       *self,
          SoupServerMessage *msg)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonArray *entries = json_array_new ();

  if (g_str_equal (soup_server_message_get_method (msg), "DELETE"))
    qrs_emulator_clear_log (self);

  for (guint i = 0; i < self->log->len; i++)
    {
      const QrsEmulatorLogEntry *entry = g_ptr_array_index (self->log, i);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "ms", entry->ms);
      json_object_set_string_member (object, "method", entry->method);
      json_object_set_string_member (object, "path", entry->path);
      json_object_set_int_member (object, "status", entry->status);
      json_array_add_object_element (entries, object);
    }

  json_object_set_array_member (reply, "entries", entries);
  _qrs_emulator_reply_hook (msg, SOUP_STATUS_OK, reply);
}

static void
hook_codes (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonArray *codes = json_array_new ();

  for (guint i = 0; i < self->codes->len; i++)
    {
      QrsEmulatorCode *code = g_ptr_array_index (self->codes, i);
      JsonObject *object = json_object_new ();
      g_autofree char *created_at = _qrs_emulator_format_time (code->created_ms);
      g_autofree char *expire_at = _qrs_emulator_format_time (code->expire_ms);

      _qrs_emulator_code_refresh (self, code);
      json_object_set_string_member (object, "qrcodeId", code->id);
      json_object_set_string_member (object, "status", _qrs_emulator_code_status_name (code));
      json_object_set_string_member (object, "createdAt", created_at);
      json_object_set_string_member (object, "expireAt", expire_at);
      if (code->custom_data != NULL)
        json_object_set_member (object, "customData", json_node_copy (code->custom_data));
      if (code->user_id != NULL)
        {
          g_autofree char *photo = _qrs_emulator_code_dup_photo (self, code);

          json_object_set_string_member (object, "userId", code->user_id);
          json_object_set_string_member (object, "displayName", code->display_name);
          json_object_set_string_member (object, "photo", photo);
        }
      if (code->ticket != NULL)
        {
          g_autofree char *ticket_expire_at = _qrs_emulator_format_time (code->ticket_expire_ms);

          json_object_set_string_member (object, "ticketExpireAt", ticket_expire_at);
          json_object_set_boolean_member (object, "ticketUsed", code->ticket_used);
        }
      json_array_add_object_element (codes, object);
    }

  json_object_set_array_member (reply, "codes", codes);
  _qrs_emulator_reply_hook (msg, SOUP_STATUS_OK, reply);
}

static const struct
{
  const char *path;
  const char *method;
  const char *other_method;
  void (*handler) (QrsEmulator *, SoupServerMessage *);
} hooks[] = {
  { "/__emu/phone", "POST", NULL, hook_phone },
  { "/__emu/clock", "POST", NULL, hook_clock },
  { "/__emu/fault", "POST", NULL, hook_fault },
  { "/__emu/log", "GET", "DELETE", hook_log },
  { "/__emu/codes", "GET", NULL, hook_codes },
};

gboolean
_qrs_emulator_handle_hook (QrsEmulator       *self,
                           SoupServerMessage *msg,
                           const char        *method,
                           const char        *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (hooks); i++)
    {
      if (!g_str_equal (path, hooks[i].path))
        continue;

      if (g_str_equal (method, hooks[i].method) || g_strcmp0 (method, hooks[i].other_method) == 0)
        hooks[i].handler (self, msg);
      else
        {
          g_autofree char *message = g_strdup_printf ("Use %s for %s", hooks[i].method, path);

          _qrs_emulator_reply_hook_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, message);
        }

      return TRUE;
    }

  return FALSE;
}
