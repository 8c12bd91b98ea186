/* emu-test-util.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "emu-test-util.h"

void
emu_fixture_setup (EmuFixture    *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->emulator = qrs_emulator_new ();
  qrs_emulator_start (fx->emulator, 0, &error);
  g_assert_no_error (error);

  fx->base = g_strdup (qrs_emulator_get_base_url (fx->emulator));
  fx->app_id = QRS_EMULATOR_DEFAULT_APP_ID;
  fx->session = soup_session_new_with_options ("timeout", 10, NULL);
}

void
emu_fixture_teardown (EmuFixture    *fx,
                      gconstpointer  data)
{
  soup_session_abort (fx->session);
  g_assert_finalize_object (fx->session);
  fx->session = NULL;

  if (fx->emulator != NULL)
    {
      qrs_emulator_stop (fx->emulator);
      g_assert_finalize_object (fx->emulator);
      fx->emulator = NULL;
    }

  g_clear_pointer (&fx->base, g_free);
}

typedef struct
{
  EmuResponse *response;
  gboolean done;
} SendData;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendData *data = user_data;

  data->response->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                            &data->response->error);
  data->done = TRUE;
}

/* Sends a request and runs the main context (where the emulator also
 * lives) until it is answered. The extra arguments are header name/value
 * pairs, ended by NULL.
 */
EmuResponse *
emu_request (EmuFixture       *fx,
             const char       *method,
             const char       *path,
             const char       *body,
             SoupMessageFlags  flags,
             ...)
{
  g_autofree char *uri = g_strconcat (fx->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  EmuResponse *response = g_new0 (EmuResponse, 1);
  SendData data = { response, FALSE };
  const char *content_type = NULL;
  const char *name;
  gint64 start;
  va_list args;

  g_assert_nonnull (msg);
  soup_message_set_flags (msg, flags);

  va_start (args, flags);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), name, va_arg (args, const char *));
  va_end (args);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  start = g_get_monotonic_time ();
  soup_session_send_and_read_async (fx->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, &data);
  while (!data.done)
    g_main_context_iteration (NULL, TRUE);
  response->elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  response->status = response->error != NULL ? 0 : soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  if (response->body != NULL)
    content_type = soup_message_headers_get_content_type (response->headers, NULL);

  if (g_strcmp0 (content_type, "application/json") == 0 && g_bytes_get_size (response->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (response->body, NULL),
                                      (gssize) g_bytes_get_size (response->body), NULL) &&
          json_parser_get_root (parser) != NULL)
        response->root = json_node_copy (json_parser_get_root (parser));
    }

  return response;
}

EmuResponse *
emu_api (EmuFixture *fx,
         const char *method,
         const char *path,
         const char *body)
{
  return emu_request (fx, method, path, body, 0, "x-authing-app-id", fx->app_id, NULL);
}

void
emu_response_free (EmuResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->root, json_node_unref);
  g_clear_error (&response->error);
  g_free (response);
}

char *
emu_gene_qrcode (EmuFixture *fx)
{
  g_autoptr(EmuResponse) response = emu_api (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}");

  emu_assert_envelope (response, 200, 0, "操作成功");

  return g_strdup (emu_json_string (response->root, "data.qrcodeId"));
}

EmuResponse *
emu_check (EmuFixture *fx,
           const char *qrcode_id)
{
  g_autofree char *path = g_strconcat ("/api/v3/check-qrcode-status?qrcodeId=", qrcode_id, NULL);

  return emu_api (fx, "GET", path, NULL);
}

char *
emu_get_status (EmuFixture *fx,
                const char *qrcode_id)
{
  g_autoptr(EmuResponse) response = emu_check (fx, qrcode_id);

  emu_assert_envelope (response, 200, 0, "操作成功");

  return g_strdup (emu_json_string (response->root, "data.status"));
}

EmuResponse *
emu_change (EmuFixture *fx,
            const char *path,
            const char *authorization,
            const char *qrcode_id,
            const char *action)
{
  g_autofree char *body = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"%s\"}", qrcode_id, action);

  if (authorization == NULL)
    return emu_api (fx, "POST", path, body);

  return emu_request (fx, "POST", path, body, 0,
                      "x-authing-app-id", fx->app_id,
                      "authorization", authorization,
                      NULL);
}

EmuResponse *
emu_exchange (EmuFixture *fx,
              const char *ticket)
{
  g_autofree char *body = g_strdup_printf ("{\"ticket\":\"%s\"}", ticket);

  return emu_api (fx, "POST", "/api/v3/exchange-tokenset-with-qrcode-ticket", body);
}

/* A new code, scanned and confirmed by the phone hook; returns its ticket. */
char *
emu_authorize (EmuFixture *fx)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *scan = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"SCAN\"}", qrcode_id);
  g_autofree char *confirm = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"CONFIRM\"}", qrcode_id);
  g_autoptr(EmuResponse) scanned = emu_request (fx, "POST", "/__emu/phone", scan, 0, NULL);
  g_autoptr(EmuResponse) confirmed = emu_request (fx, "POST", "/__emu/phone", confirm, 0, NULL);
  g_autoptr(EmuResponse) status = NULL;

  g_assert_cmpuint (scanned->status, ==, 200);
  g_assert_cmpuint (confirmed->status, ==, 200);

  status = emu_check (fx, qrcode_id);
  emu_assert_envelope (status, 200, 0, "操作成功");
  g_assert_cmpstr (emu_json_string (status->root, "data.status"), ==, "AUTHORIZED");

  return g_strdup (emu_json_string (status->root, "data.ticket"));
}

/* Follows a dotted path ("data.codes.0.status"); numbers index arrays. */
JsonNode *
emu_json_get (JsonNode   *root,
              const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node) && g_ascii_isdigit (parts[i][0]))
        {
          JsonArray *array = json_node_get_array (node);
          guint index = (guint) g_ascii_strtoull (parts[i], NULL, 10);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else
        node = NULL;
    }

  return node;
}

gboolean
emu_json_has (JsonNode   *root,
              const char *path)
{
  return root != NULL && emu_json_get (root, path) != NULL;
}

const char *
emu_json_string (JsonNode   *root,
                 const char *path)
{
  JsonNode *node;

  g_assert_nonnull (root);
  node = emu_json_get (root, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("%s is not a string in %s", path, json_to_string (root, FALSE));

  return json_node_get_string (node);
}

gint64
emu_json_int (JsonNode   *root,
              const char *path)
{
  JsonNode *node;

  g_assert_nonnull (root);
  node = emu_json_get (root, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("%s is not an integer in %s", path, json_to_string (root, FALSE));

  return json_node_get_int (node);
}

gboolean
emu_json_bool (JsonNode   *root,
               const char *path)
{
  JsonNode *node;

  g_assert_nonnull (root);
  node = emu_json_get (root, path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    g_error ("%s is not a boolean in %s", path, json_to_string (root, FALSE));

  return json_node_get_boolean (node);
}

guint
emu_json_size (JsonNode   *root,
               const char *path)
{
  JsonNode *node;

  g_assert_nonnull (root);
  node = path != NULL ? emu_json_get (root, path) : root;
  g_assert_nonnull (node);

  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node));

  g_error ("%s is neither an object nor an array", path);
}

/* The V3 envelope: HTTP 200, JSON, statusCode, apiCode only when given,
 * message, and a UUID requestId.
 */
void
emu_assert_envelope (EmuResponse *response,
                     gint64       status_code,
                     gint64       api_code,
                     const char  *message)
{
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==,
                   "application/json; charset=utf-8");
  g_assert_nonnull (response->root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->root));

  g_assert_cmpint (emu_json_int (response->root, "statusCode"), ==, status_code);
  if (api_code != 0)
    g_assert_cmpint (emu_json_int (response->root, "apiCode"), ==, api_code);
  else
    g_assert_false (emu_json_has (response->root, "apiCode"));
  g_assert_cmpstr (emu_json_string (response->root, "message"), ==, message);
  g_assert_true (g_uuid_string_is_valid (emu_json_string (response->root, "requestId")));
  if (status_code != 200)
    g_assert_false (emu_json_has (response->root, "data"));
}

/* Three base64url parts, the first two JSON objects. */
void
emu_assert_jwt (const char *token)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (strlen (parts[i]), >, 0);
      for (const char *p = parts[i]; *p != '\0'; p++)
        g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
    }
  g_assert_true (g_str_has_prefix (token, "eyJ"));
}
