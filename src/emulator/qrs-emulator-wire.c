/* qrs-emulator-wire.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* JSON in and out.
 *
 * Wire rules
 *   Every /api/v3 answer is HTTP 200 with the envelope
 *   {statusCode, [apiCode,] message, requestId, [data]} in JSON; success is
 *   statusCode 200. Only throttling uses HTTP 429. Messages are simplified
 *   Chinese as the server's default, English when x-authing-lang (or
 *   x-genauth-lang) is an English tag such as "en-US".
 */

#include "config.h"

#include "qrs-emulator-private.h"

/* [message][QrsEmulatorLang] */
static const char * const messages[QRS_EMULATOR_N_MESSAGES][2] = {
  [QRS_EMULATOR_MESSAGE_OK] = { "操作成功", "Operation successful" },
  [QRS_EMULATOR_MESSAGE_APP_NOT_FOUND] = { "应用不存在", "Application does not exist" },
  [QRS_EMULATOR_MESSAGE_NOT_LOGGED_IN] = { "尚未登录，无权限访问此请求", "Not logged in, no permission to access this request" },
  [QRS_EMULATOR_MESSAGE_QR_NOT_FOUND] = { "二维码不存在", "QR code does not exist" },
  [QRS_EMULATOR_MESSAGE_THROTTLED] = { "您的请求已超过最大数量限制，请稍后重试", "Too many requests, please try again later" },
  [QRS_EMULATOR_MESSAGE_BODY_INVALID] = { "请求体必须是 JSON 对象", "The request body must be a JSON object" },
  [QRS_EMULATOR_MESSAGE_TYPE_REQUIRED] = { "type 不能为空", "type is required" },
  [QRS_EMULATOR_MESSAGE_TYPE_INVALID] = { "type 必须是 MOBILE_APP、WECHAT_MINIPROGRAM 或 WECHAT_OFFICIAL_ACCOUNT",
                                              "type must be MOBILE_APP, WECHAT_MINIPROGRAM or WECHAT_OFFICIAL_ACCOUNT" },
  [QRS_EMULATOR_MESSAGE_TYPE_UNSUPPORTED] = { "模拟器只支持 MOBILE_APP 类型的二维码", "The emulator only supports MOBILE_APP QR codes" },
  [QRS_EMULATOR_MESSAGE_CUSTOM_DATA_INVALID] = { "customData 必须是对象", "customData must be an object" },
  [QRS_EMULATOR_MESSAGE_QRCODE_ID_REQUIRED] = { "qrcodeId 不能为空", "qrcodeId is required" },
  [QRS_EMULATOR_MESSAGE_ACTION_INVALID] = { "action 必须是 SCAN、CONFIRM 或 CANCEL", "action must be SCAN, CONFIRM or CANCEL" },
  [QRS_EMULATOR_MESSAGE_TRANSITION] = { "当前二维码状态不允许此操作", "This action is not allowed in the QR code's current state" },
  [QRS_EMULATOR_MESSAGE_POOL_MISMATCH] = { "用户不属于此二维码的用户池", "The user does not belong to the QR code's user pool" },
  [QRS_EMULATOR_MESSAGE_TICKET_REQUIRED] = { "ticket 不能为空", "ticket is required" },
  [QRS_EMULATOR_MESSAGE_TICKET_INVALID] = { "ticket 无效", "The ticket is invalid" },
  [QRS_EMULATOR_MESSAGE_TICKET_USED] = { "ticket 已被使用", "The ticket has already been used" },
  [QRS_EMULATOR_MESSAGE_TICKET_EXPIRED] = { "ticket 已过期", "The ticket has expired" },
  [QRS_EMULATOR_MESSAGE_CLIENT_AUTH] = { "应用身份验证失败", "Client authentication failed" },
  [QRS_EMULATOR_MESSAGE_SERVER_ERROR] = { "服务器内部错误", "Internal server error" },
};

/* Reads a member of the given value type without the criticals json-glib
 * 1.6 emits for missing or differently typed members; null counts as
 * missing.
 */
static QrsEmulatorMemberResult
get_value_member (JsonObject  *object,
                  const char  *name,
                  GType        type,
                  JsonNode   **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return QRS_EMULATOR_MEMBER_MISSING;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return QRS_EMULATOR_MEMBER_WRONG_TYPE;

  *out = node;
  return QRS_EMULATOR_MEMBER_OK;
}

QrsEmulatorMemberResult
_qrs_emulator_get_string_member (JsonObject  *object,
                                 const char  *name,
                                 const char **out)
{
  JsonNode *node;
  QrsEmulatorMemberResult result = get_value_member (object, name, G_TYPE_STRING, &node);

  *out = result == QRS_EMULATOR_MEMBER_OK ? json_node_get_string (node) : NULL;
  return result;
}

QrsEmulatorMemberResult
_qrs_emulator_get_uint_member (JsonObject *object,
                               const char *name,
                               guint      *out)
{
  JsonNode *node;
  QrsEmulatorMemberResult result = get_value_member (object, name, G_TYPE_INT64, &node);

  if (result == QRS_EMULATOR_MEMBER_OK)
    {
      gint64 value = json_node_get_int (node);

      if (value < 0 || value > G_MAXUINT)
        return QRS_EMULATOR_MEMBER_WRONG_TYPE;
      *out = (guint) value;
    }

  return result;
}

JsonObject *
_qrs_emulator_parse_body_object (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (g_bytes_get_size (bytes) == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

void
_qrs_emulator_reply_text (SoupServerMessage *msg,
                          guint              http_status,
                          const char        *content_type,
                          char              *body,
                          gsize              length)
{
  soup_server_message_set_status (msg, http_status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, length);
}

void
_qrs_emulator_reply_json (SoupServerMessage *msg,
                          guint              http_status,
                          JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *body;

  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);
  _qrs_emulator_reply_text (msg, http_status, QRS_EMULATOR_JSON_CONTENT_TYPE, body, length);
}

/* Whether @tag is English: "en" alone or followed by a subtag, "en-US" as
 * well as "en_GB" (some SDKs spell it the POSIX way).
 */
static gboolean
is_english (const char *tag)
{
  return g_ascii_strncasecmp (tag, "en", 2) == 0 && (tag[2] == '\0' || tag[2] == '-' || tag[2] == '_');
}

/* The language of every "message": English for an English tag, else
 * simplified Chinese, the server's default, which also covers "zh-CN", no
 * header and any tag the emulator has no texts for. The client sends both
 * spellings; when both are there x-authing-lang wins, as x-authing-app-id
 * does, since that is the header the server itself documents. An empty
 * header says nothing, so it counts as absent.
 */
QrsEmulatorLang
_qrs_emulator_request_lang (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *lang = soup_message_headers_get_one (headers, "x-authing-lang");

  if (lang == NULL || *lang == '\0')
    lang = soup_message_headers_get_one (headers, "x-genauth-lang");

  return lang != NULL && is_english (lang) ? QRS_EMULATOR_LANG_EN : QRS_EMULATOR_LANG_ZH;
}

const char *
_qrs_emulator_message (QrsEmulatorLang    lang,
                       QrsEmulatorMessage message)
{
  g_assert (message < QRS_EMULATOR_N_MESSAGES);

  return messages[message][lang];
}

/* Starts {statusCode, [apiCode,] message, requestId}; the caller may add
 * data before closing it with reply_envelope().
 */
static JsonBuilder *
envelope_begin (int         status_code,
                int         api_code,
                const char *message)
{
  JsonBuilder *builder = json_builder_new ();
  g_autofree char *request_id = g_uuid_string_random ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "statusCode");
  json_builder_add_int_value (builder, status_code);
  if (api_code != 0)
    {
      json_builder_set_member_name (builder, "apiCode");
      json_builder_add_int_value (builder, api_code);
    }
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "requestId");
  json_builder_add_string_value (builder, request_id);

  return builder;
}

static void
reply_envelope (SoupServerMessage *msg,
                guint              http_status,
                JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _qrs_emulator_reply_json (msg, http_status, root);
}

void
_qrs_emulator_reply_error (SoupServerMessage  *msg,
                           int                 status_code,
                           int                 api_code,
                           QrsEmulatorMessage  message)
{
  const char *text = _qrs_emulator_message (_qrs_emulator_request_lang (msg), message);
  g_autoptr(JsonBuilder) builder = envelope_begin (status_code, api_code, text);

  reply_envelope (msg, SOUP_STATUS_OK, builder);
}

/* Takes ownership of @data, which may be %NULL. */
void
_qrs_emulator_reply_success (SoupServerMessage *msg,
                             JsonNode          *data)
{
  const char *text = _qrs_emulator_message (_qrs_emulator_request_lang (msg), QRS_EMULATOR_MESSAGE_OK);
  g_autoptr(JsonBuilder) builder = envelope_begin (200, 0, text);

  if (data != NULL)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, data);
    }
  reply_envelope (msg, SOUP_STATUS_OK, builder);
}

void
_qrs_emulator_reply_hook (SoupServerMessage *msg,
                          guint              http_status,
                          JsonObject        *object)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);

  _qrs_emulator_reply_json (msg, http_status, root);
}

void
_qrs_emulator_reply_hook_error (SoupServerMessage *msg,
                                guint              http_status,
                                const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", message);
  _qrs_emulator_reply_hook (msg, http_status, object);
}
