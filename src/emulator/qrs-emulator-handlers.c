/* qrs-emulator-handlers.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The /api/v3 endpoints, and the QR images and avatars the answers point to.
 *
 * The app id comes from x-authing-app-id, else from x-genauth-app-id (the
 * first one present decides); missing or wrong gives statusCode 400 with
 * apiCode 2011. An unknown /api path or a wrong method gets HTTP 404 with a
 * NestJS-style {"statusCode":404,"message":"Cannot GET /path","error":"Not
 * Found"}, as the real (NestJS) server would.
 *
 * Choices where the server is undocumented [EMU]
 *   unknown qrcodeId 404 "二维码不存在"; a transition the state machine does
 *   not allow, including on an expired code, 422; a user of another user
 *   pool 403; a missing or unknown user token 401 with apiCode 2020; an
 *   unknown, used or expired ticket 400; a failed client authentication 401.
 *
 * The QR images (/__emu/qrcode/ID.png) and avatars (/__emu/avatar/NAME.png)
 * are served and logged like API requests.
 */

#include "config.h"

#include <string.h>

#include "qrs-emulator-private.h"

#define PNG_CONTENT_TYPE "image/png"

typedef enum {
  ROUTE_NONE,
  ROUTE_API_UNKNOWN,
  ROUTE_GENE_QRCODE,
  ROUTE_CHECK_QRCODE_STATUS,
  ROUTE_GET_QRCODE_STATUS,
  ROUTE_EXCHANGE,
  ROUTE_CHANGE_QRCODE_STATUS,
  ROUTE_SET_QRCODE_STATUS,
  ROUTE_QR_IMAGE,
  ROUTE_AVATAR,
} Route;

static const struct
{
  const char *method;
  const char *path;
  Route route;
} api_routes[] = {
  { "POST", "/api/v3/gene-qrcode", ROUTE_GENE_QRCODE },
  { "GET", "/api/v3/check-qrcode-status", ROUTE_CHECK_QRCODE_STATUS },
  { "GET", "/api/v3/get-qrcode-status", ROUTE_GET_QRCODE_STATUS },
  { "POST", "/api/v3/exchange-tokenset-with-qrcode-ticket", ROUTE_EXCHANGE },
  { "POST", "/api/v3/change-qrcode-status", ROUTE_CHANGE_QRCODE_STATUS },
  { "POST", "/api/v3/set-qrcode-status", ROUTE_SET_QRCODE_STATUS },
};

/* Request details */

/* Authing's SDKs send x-authing-app-id, GenAuth's x-genauth-app-id, the
 * desktop client both: either alone will do.
 */
static gboolean
check_app_id (QrsEmulator       *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *app_id = soup_message_headers_get_one (headers, "x-authing-app-id");

  if (app_id == NULL)
    app_id = soup_message_headers_get_one (headers, "x-genauth-app-id");

  if (g_strcmp0 (app_id, self->app_id) == 0)
    return TRUE;

  _qrs_emulator_reply_error (msg, 400, 2011, QRS_EMULATOR_MESSAGE_APP_NOT_FOUND);
  return FALSE;
}

static const char *
request_query_param (SoupServerMessage  *msg,
                     const char         *name,
                     char              **storage)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) form = NULL;

  *storage = NULL;
  if (query == NULL)
    return NULL;

  form = soup_form_decode (query);
  *storage = g_strdup (g_hash_table_lookup (form, name));

  return *storage;
}

/* The request's JSON object, or %NULL once it has answered that there is
 * none.
 */
static JsonObject *
request_body (SoupServerMessage *msg)
{
  JsonObject *body = _qrs_emulator_parse_body_object (msg);

  if (body == NULL)
    _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_BODY_INVALID);

  return body;
}

/* Answers success with @data, which it takes. */
static void
reply_data (SoupServerMessage *msg,
            JsonObject        *data)
{
  _qrs_emulator_reply_success (msg, json_node_init_object (json_node_alloc (), data));
  json_object_unref (data);
}

/* The endpoints */

static void
handle_gene_qrcode (QrsEmulator       *self,
                    SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  JsonObject *data;
  const char *type;
  JsonNode *custom_data;
  QrsEmulatorCode *code;
  g_autofree char *url = NULL;

  if (!check_app_id (self, msg))
    return;

  body = request_body (msg);
  if (body == NULL)
    return;

  switch (_qrs_emulator_get_string_member (body, "type", &type))
    {
    case QRS_EMULATOR_MEMBER_MISSING:
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TYPE_REQUIRED);
      return;
    case QRS_EMULATOR_MEMBER_WRONG_TYPE:
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TYPE_INVALID);
      return;
    case QRS_EMULATOR_MEMBER_OK:
    default:
      break;
    }

  if (g_str_equal (type, "WECHAT_MINIPROGRAM") || g_str_equal (type, "WECHAT_OFFICIAL_ACCOUNT"))
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TYPE_UNSUPPORTED);
      return;
    }
  if (!g_str_equal (type, "MOBILE_APP"))
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TYPE_INVALID);
      return;
    }

  custom_data = json_object_get_member (body, "customData");
  if (custom_data != NULL && JSON_NODE_HOLDS_NULL (custom_data))
    custom_data = NULL;
  if (custom_data != NULL && !JSON_NODE_HOLDS_OBJECT (custom_data))
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_CUSTOM_DATA_INVALID);
      return;
    }

  code = _qrs_emulator_create_code (self, custom_data);
  url = _qrs_emulator_qr_image_url (self, code->id);

  data = json_object_new ();
  json_object_set_string_member (data, "qrcodeId", code->id);
  json_object_set_string_member (data, "url", url);
  reply_data (msg, data);
}

static void
handle_check_qrcode_status (QrsEmulator       *self,
                            SoupServerMessage *msg)
{
  g_autofree char *qrcode_id = NULL;
  JsonObject *data;
  QrsEmulatorCode *code;

  if (!check_app_id (self, msg))
    return;

  if (request_query_param (msg, "qrcodeId", &qrcode_id) == NULL || *qrcode_id == '\0')
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_QRCODE_ID_REQUIRED);
      return;
    }

  code = _qrs_emulator_lookup_code (self, qrcode_id);
  if (code == NULL)
    {
      _qrs_emulator_reply_error (msg, 404, 0, QRS_EMULATOR_MESSAGE_QR_NOT_FOUND);
      return;
    }

  data = json_object_new ();
  json_object_set_string_member (data, "status", _qrs_emulator_code_status_name (code));

  if (code->status == QRS_EMULATOR_CODE_AUTHORIZED)
    {
      if (!self->return_full_user_info)
        json_object_set_string_member (data, "ticket", code->ticket);
      else if (code->token_set == NULL && !code->ticket_used && _qrs_emulator_now_ms (self) < code->ticket_expire_ms)
        {
          /* The poll hands out the tokens itself and uses up the ticket. */
          code->token_set = _qrs_emulator_make_token_set (self, code);
          code->ticket_used = TRUE;
        }
    }

  if (code->status == QRS_EMULATOR_CODE_SCANNED ||
      code->status == QRS_EMULATOR_CODE_AUTHORIZED ||
      code->status == QRS_EMULATOR_CODE_CANCELLED)
    {
      JsonObject *brief = json_object_new ();
      g_autofree char *photo = _qrs_emulator_code_dup_photo (self, code);

      json_object_set_string_member (brief, "displayName", code->display_name);
      json_object_set_string_member (brief, "photo", photo);
      json_object_set_object_member (data, "briefUserInfo", brief);
    }

  if (code->status == QRS_EMULATOR_CODE_AUTHORIZED && self->return_full_user_info && code->token_set != NULL)
    json_object_set_member (data, "tokenSet", json_node_copy (code->token_set));

  reply_data (msg, data);
}

static void
handle_change_qrcode_status (QrsEmulator       *self,
                             SoupServerMessage *msg,
                             gboolean           is_set)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *qrcode_id, *action_name;
  QrsEmulatorAction action;
  QrsEmulatorUser *user;
  QrsEmulatorCode *code;

  if (!check_app_id (self, msg))
    return;

  user = _qrs_emulator_request_user (self, msg);
  if (user == NULL)
    {
      _qrs_emulator_reply_error (msg, 401, 2020, QRS_EMULATOR_MESSAGE_NOT_LOGGED_IN);
      return;
    }

  body = request_body (msg);
  if (body == NULL)
    return;

  if (_qrs_emulator_get_string_member (body, "qrcodeId", &qrcode_id) != QRS_EMULATOR_MEMBER_OK || *qrcode_id == '\0')
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_QRCODE_ID_REQUIRED);
      return;
    }
  if (_qrs_emulator_get_string_member (body, "action", &action_name) != QRS_EMULATOR_MEMBER_OK ||
      !_qrs_emulator_parse_action (action_name, &action))
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_ACTION_INVALID);
      return;
    }

  code = _qrs_emulator_lookup_code (self, qrcode_id);
  if (code == NULL)
    {
      _qrs_emulator_reply_error (msg, 404, 0, QRS_EMULATOR_MESSAGE_QR_NOT_FOUND);
      return;
    }

  if (g_strcmp0 (user->userpool_id, self->userpool_id) != 0)
    {
      _qrs_emulator_reply_error (msg, 403, 0, QRS_EMULATOR_MESSAGE_POOL_MISMATCH);
      return;
    }

  if (!_qrs_emulator_code_apply (self, code, action, user, NULL, NULL, &error))
    {
      g_debug ("%s", error->message);
      _qrs_emulator_reply_error (msg, 422, 0, QRS_EMULATOR_MESSAGE_TRANSITION);
      return;
    }

  if (is_set)
    {
      JsonObject *data = json_object_new ();

      json_object_set_boolean_member (data, "success", TRUE);
      reply_data (msg, data);
    }
  else
    _qrs_emulator_reply_success (msg, NULL);
}

static void
handle_exchange (QrsEmulator       *self,
                 SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  const char *ticket;
  QrsEmulatorCode *code;

  if (!check_app_id (self, msg))
    return;

  body = request_body (msg);
  if (body == NULL)
    return;

  if (!_qrs_emulator_client_authenticated (self, msg, body))
    {
      _qrs_emulator_reply_error (msg, 401, 0, QRS_EMULATOR_MESSAGE_CLIENT_AUTH);
      return;
    }

  if (_qrs_emulator_get_string_member (body, "ticket", &ticket) != QRS_EMULATOR_MEMBER_OK || *ticket == '\0')
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TICKET_REQUIRED);
      return;
    }

  code = g_hash_table_lookup (self->tickets, ticket);
  if (code == NULL)
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TICKET_INVALID);
      return;
    }
  if (code->ticket_used)
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TICKET_USED);
      return;
    }
  if (_qrs_emulator_now_ms (self) >= code->ticket_expire_ms)
    {
      _qrs_emulator_reply_error (msg, 400, 0, QRS_EMULATOR_MESSAGE_TICKET_EXPIRED);
      return;
    }

  code->ticket_used = TRUE;
  _qrs_emulator_reply_success (msg, _qrs_emulator_make_token_set (self, code));
}

/* The images */

/* Returns the part of @path between @prefix and ".png", or %NULL. */
static char *
image_name (const char *path,
            const char *prefix)
{
  gsize length;

  if (!g_str_has_prefix (path, prefix) || !g_str_has_suffix (path, ".png"))
    return NULL;

  length = strlen (path) - strlen (prefix) - strlen (".png");
  if (length == 0)
    return NULL;

  return g_uri_unescape_segment (path + strlen (prefix), path + strlen (prefix) + length, "/");
}

static void
reply_png (SoupServerMessage *msg,
           GBytes            *png,
           const GError      *error)
{
  if (png == NULL)
    {
      char *text = g_strdup (error->message);

      _qrs_emulator_reply_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", text, strlen (text));
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, PNG_CONTENT_TYPE, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

static void
reply_not_found (SoupServerMessage *msg)
{
  static const char text[] = "Not Found";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC, text, strlen (text));
}

static void
handle_qr_image (QrsEmulator       *self,
                 SoupServerMessage *msg,
                 const char        *path)
{
  g_autofree char *qrcode_id = image_name (path, QRS_EMULATOR_QR_IMAGE_PREFIX);
  g_autofree char *payload = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  QrsEmulatorCode *code = qrcode_id != NULL ? g_hash_table_lookup (self->codes_by_id, qrcode_id) : NULL;

  if (code == NULL)
    {
      reply_not_found (msg);
      return;
    }

  payload = _qrs_emulator_code_dup_payload (self, code);
  png = _qrs_emulator_png_qr_code (payload, &error);
  reply_png (msg, png, error);
}

static void
handle_avatar (QrsEmulator       *self,
               SoupServerMessage *msg,
               const char        *path)
{
  g_autofree char *name = image_name (path, QRS_EMULATOR_AVATAR_PREFIX);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;

  if (name == NULL)
    {
      reply_not_found (msg);
      return;
    }

  png = _qrs_emulator_png_avatar (name, &error);
  reply_png (msg, png, error);
}

static void
handle_api_unknown (SoupServerMessage *msg,
                    const char        *method,
                    const char        *path)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = g_strdup_printf ("Cannot %s %s", method, path);

  json_object_set_int_member (object, "statusCode", 404);
  json_object_set_string_member (object, "message", message);
  json_object_set_string_member (object, "error", "Not Found");
  root = json_node_init_object (json_node_alloc (), object);
  _qrs_emulator_reply_json (msg, SOUP_STATUS_NOT_FOUND, root);
}

/* Routing */

static Route
route_for (const char *method,
           const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (api_routes); i++)
    if (g_str_equal (path, api_routes[i].path))
      return g_str_equal (method, api_routes[i].method) ? api_routes[i].route : ROUTE_API_UNKNOWN;

  if (g_str_has_prefix (path, "/api/"))
    return ROUTE_API_UNKNOWN;
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, QRS_EMULATOR_QR_IMAGE_PREFIX))
    return ROUTE_QR_IMAGE;
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, QRS_EMULATOR_AVATAR_PREFIX))
    return ROUTE_AVATAR;

  return ROUTE_NONE;
}

/* The endpoint whose faults apply to a request, or -1 if none can. */
int
_qrs_emulator_fault_endpoint (const char *method,
                              const char *path)
{
  switch (route_for (method, path))
    {
    case ROUTE_GENE_QRCODE:
      return QRS_EMULATOR_ENDPOINT_GENE_QRCODE;
    case ROUTE_CHECK_QRCODE_STATUS:
    case ROUTE_GET_QRCODE_STATUS:
      return QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS;
    case ROUTE_EXCHANGE:
      return QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET;
    case ROUTE_NONE:
    case ROUTE_API_UNKNOWN:
    case ROUTE_CHANGE_QRCODE_STATUS:
    case ROUTE_SET_QRCODE_STATUS:
    case ROUTE_QR_IMAGE:
    case ROUTE_AVATAR:
    default:
      return -1;
    }
}

/* Answers @msg as the documented server would. */
void
_qrs_emulator_answer (QrsEmulator       *self,
                      SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  switch (route_for (method, path))
    {
    case ROUTE_GENE_QRCODE:
      handle_gene_qrcode (self, msg);
      break;
    case ROUTE_CHECK_QRCODE_STATUS:
    case ROUTE_GET_QRCODE_STATUS:
      handle_check_qrcode_status (self, msg);
      break;
    case ROUTE_EXCHANGE:
      handle_exchange (self, msg);
      break;
    case ROUTE_CHANGE_QRCODE_STATUS:
      handle_change_qrcode_status (self, msg, FALSE);
      break;
    case ROUTE_SET_QRCODE_STATUS:
      handle_change_qrcode_status (self, msg, TRUE);
      break;
    case ROUTE_QR_IMAGE:
      handle_qr_image (self, msg, path);
      break;
    case ROUTE_AVATAR:
      handle_avatar (self, msg, path);
      break;
    case ROUTE_API_UNKNOWN:
      handle_api_unknown (msg, method, path);
      break;
    case ROUTE_NONE:
    default:
      reply_not_found (msg);
      break;
    }
}
