/* qrs-emulator.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A GenAuth (Authing) V3 "scan the QR code to sign in" server for tests and
 * the demo, following reference/genauth-qr-api.md §3, §4, §6 and §9.
 *
 * Wire rules
 *   Every /api/v3 answer is HTTP 200 with the envelope
 *   {statusCode, [apiCode,] message, requestId, [data]} in JSON; success is
 *   statusCode 200. Only throttling uses HTTP 429. Messages are Chinese as
 *   the server's default, English when x-authing-lang (or x-genauth-lang)
 *   starts with "en". The app id comes from x-authing-app-id, else from
 *   x-genauth-app-id (the first one present decides); missing or wrong gives
 *   statusCode 400 with apiCode 2011. An unknown /api path or a wrong method
 *   gets HTTP 404 with a NestJS-style {"statusCode":404,"message":"Cannot GET
 *   /path","error":"Not Found"}, as the real (NestJS) server would.
 *
 * Choices where the server is undocumented [EMU]
 *   unknown qrcodeId 404 "二维码不存在"; a transition the state machine does
 *   not allow, including on an expired code, 422; a user of another user
 *   pool 403; a missing or unknown user token 401 with apiCode 2020; an
 *   unknown, used or expired ticket 400; a failed client authentication 401.
 *   A repeated SCAN by the user who scanned is a no-op success. Tickets are
 *   single-use. AUTHORIZED and CANCELLED never turn EXPIRED.
 *
 * Time
 *   The emulator's clock is the wall clock plus an offset that tests move
 *   forward; codes expire lazily, whenever one is looked at.
 *
 * Test hooks (under /__emu/, JSON in and out, never logged)
 *   POST /__emu/phone  {"qrcodeId"?, "action", "displayName"?, "photo"?}
 *   POST /__emu/clock  {"advance": seconds}
 *   POST /__emu/fault  {"endpoint", "mode", "count"?, "retryAfter"?, "seconds"?}
 *   GET  /__emu/log    (DELETE clears it)
 *   GET  /__emu/codes
 *   A hook answers HTTP 200 on success, else 400, 404, 405 or 422 with
 *   {"error": "…"}. The QR images (/__emu/qrcode/ID.png) and avatars
 *   (/__emu/avatar/NAME.png) are served and logged like API requests.
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
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "qrs-emulator.h"
#include "qrs-emulator-private.h"

#define QR_ID_LENGTH        30
#define TICKET_LENGTH       40
#define REFRESH_LENGTH      27
#define TOKEN_EXPIRES_IN    7200
#define TOKEN_SCOPE         "openid profile"
#define JSON_CONTENT_TYPE   "application/json; charset=utf-8"
#define HTML_CONTENT_TYPE   "text/html; charset=utf-8"
#define PNG_CONTENT_TYPE    "image/png"
#define QR_IMAGE_PREFIX     "/__emu/qrcode/"
#define AVATAR_PREFIX       "/__emu/avatar/"
#define ERROR_STATUS_API    1500
#define N_ENDPOINTS         (QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET + 1)

/* Bounds for a demo that runs for days: the oldest codes and log lines go. */
#define MAX_CODES       1000
#define MAX_LOG_ENTRIES 100000

typedef enum {
  CODE_PENDING,
  CODE_SCANNED,
  CODE_AUTHORIZED,
  CODE_CANCELLED,
  CODE_EXPIRED,
} CodeStatus;

static const char * const status_names[] = {
  [CODE_PENDING] = "PENDING",
  [CODE_SCANNED] = "SCANNED",
  [CODE_AUTHORIZED] = "AUTHORIZED",
  [CODE_CANCELLED] = "CANCELLED",
  [CODE_EXPIRED] = "EXPIRED",
};

typedef struct
{
  char *id;
  CodeStatus status;
  gint64 created_ms;
  gint64 expire_ms;
  JsonNode *custom_data;
  /* Set by SCAN */
  char *user_id;
  char *display_name;
  char *photo;              /* NULL: the user's generated avatar */
  /* Set by CONFIRM */
  char *ticket;
  gint64 ticket_expire_ms;
  gboolean ticket_used;
  JsonNode *token_set;      /* handed out by the status poll instead */
} Code;

typedef struct
{
  char *access_token;
  char *user_id;
  char *display_name;
  char *photo;
  char *userpool_id;
} User;

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

typedef enum {
  LANG_ZH,
  LANG_EN,
} Lang;

typedef enum {
  MSG_OK,
  MSG_APP_NOT_FOUND,
  MSG_NOT_LOGGED_IN,
  MSG_QR_NOT_FOUND,
  MSG_THROTTLED,
  MSG_BODY_INVALID,
  MSG_TYPE_REQUIRED,
  MSG_TYPE_INVALID,
  MSG_TYPE_UNSUPPORTED,
  MSG_CUSTOM_DATA_INVALID,
  MSG_QRCODE_ID_REQUIRED,
  MSG_ACTION_INVALID,
  MSG_TRANSITION,
  MSG_POOL_MISMATCH,
  MSG_TICKET_REQUIRED,
  MSG_TICKET_INVALID,
  MSG_TICKET_USED,
  MSG_TICKET_EXPIRED,
  MSG_CLIENT_AUTH,
  MSG_SERVER_ERROR,
  N_MESSAGES
} MessageId;

static const char * const messages[N_MESSAGES][2] = {
  [MSG_OK] = { "操作成功", "Operation successful" },
  [MSG_APP_NOT_FOUND] = { "应用不存在", "Application does not exist" },
  [MSG_NOT_LOGGED_IN] = { "尚未登录，无权限访问此请求", "Not logged in, no permission to access this request" },
  [MSG_QR_NOT_FOUND] = { "二维码不存在", "QR code does not exist" },
  [MSG_THROTTLED] = { "您的请求已超过最大数量限制，请稍后重试", "Too many requests, please try again later" },
  [MSG_BODY_INVALID] = { "请求体必须是 JSON 对象", "The request body must be a JSON object" },
  [MSG_TYPE_REQUIRED] = { "type 不能为空", "type is required" },
  [MSG_TYPE_INVALID] = { "type 必须是 MOBILE_APP、WECHAT_MINIPROGRAM 或 WECHAT_OFFICIAL_ACCOUNT",
                         "type must be MOBILE_APP, WECHAT_MINIPROGRAM or WECHAT_OFFICIAL_ACCOUNT" },
  [MSG_TYPE_UNSUPPORTED] = { "模拟器只支持 MOBILE_APP 类型的二维码", "The emulator only supports MOBILE_APP QR codes" },
  [MSG_CUSTOM_DATA_INVALID] = { "customData 必须是对象", "customData must be an object" },
  [MSG_QRCODE_ID_REQUIRED] = { "qrcodeId 不能为空", "qrcodeId is required" },
  [MSG_ACTION_INVALID] = { "action 必须是 SCAN、CONFIRM 或 CANCEL", "action must be SCAN, CONFIRM or CANCEL" },
  [MSG_TRANSITION] = { "当前二维码状态不允许此操作", "This action is not allowed in the QR code's current state" },
  [MSG_POOL_MISMATCH] = { "用户不属于此二维码的用户池", "The user does not belong to the QR code's user pool" },
  [MSG_TICKET_REQUIRED] = { "ticket 不能为空", "ticket is required" },
  [MSG_TICKET_INVALID] = { "ticket 无效", "The ticket is invalid" },
  [MSG_TICKET_USED] = { "ticket 已被使用", "The ticket has already been used" },
  [MSG_TICKET_EXPIRED] = { "ticket 已过期", "The ticket has expired" },
  [MSG_CLIENT_AUTH] = { "应用身份验证失败", "Client authentication failed" },
  [MSG_SERVER_ERROR] = { "服务器内部错误", "Internal server error" },
};

struct _QrsEmulator
{
  GObject parent_instance;

  /* Configuration */
  char *app_id;
  char *userpool_id;
  guint qr_ttl;
  guint ticket_ttl;
  QrsEmulatorTokenAuthMethod token_auth_method;
  char *client_secret;
  gboolean return_full_user_info;

  /* Serving */
  SoupServer *server;
  char *base_url;
  gint64 started_at;        /* monotonic µs */
  gint64 clock_offset;      /* µs added to the wall clock */
  GPtrArray *stalls;        /* Stall* */

  /* State */
  GPtrArray *codes;         /* Code*, oldest first */
  GHashTable *codes_by_id;  /* id → Code* */
  GHashTable *tickets;      /* ticket → Code* */
  GHashTable *users;        /* access token → User* */
  GQueue faults[N_ENDPOINTS];
  GPtrArray *log;           /* QrsEmulatorLogEntry* */
  guint64 log_first_serial;
};

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

/* Records and tables */

static void
code_free (Code *code)
{
  g_free (code->id);
  g_clear_pointer (&code->custom_data, json_node_unref);
  g_free (code->user_id);
  g_free (code->display_name);
  g_free (code->photo);
  g_free (code->ticket);
  g_clear_pointer (&code->token_set, json_node_unref);
  g_free (code);
}

static void
user_free (User *user)
{
  g_free (user->access_token);
  g_free (user->user_id);
  g_free (user->display_name);
  g_free (user->photo);
  g_free (user->userpool_id);
  g_free (user);
}

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

static gint64
now_ms (QrsEmulator *self)
{
  return (g_get_real_time () + self->clock_offset) / 1000;
}

static const char *
code_status_name (const Code *code)
{
  return status_names[code->status];
}

static void
code_set_status (QrsEmulator *self,
                 Code        *code,
                 CodeStatus   status)
{
  g_assert (code != NULL);

  if (code->status == status)
    return;

  g_debug ("QR code %s: %s → %s", code->id, status_names[code->status], status_names[status]);
  code->status = status;
  g_signal_emit (self, signals[CODE_CHANGED], 0, code->id, status_names[status]);
}

/* Expiry is lazy: whoever looks at a code first brings it up to date. */
static void
code_refresh (QrsEmulator *self,
              Code        *code)
{
  if ((code->status == CODE_PENDING || code->status == CODE_SCANNED) &&
      now_ms (self) >= code->expire_ms)
    code_set_status (self, code, CODE_EXPIRED);
}

static Code *
lookup_code (QrsEmulator *self,
             const char  *qrcode_id)
{
  Code *code;

  if (qrcode_id == NULL)
    code = self->codes->len > 0 ? g_ptr_array_index (self->codes, self->codes->len - 1) : NULL;
  else
    code = g_hash_table_lookup (self->codes_by_id, qrcode_id);

  if (code != NULL)
    code_refresh (self, code);

  return code;
}

static void
forget_oldest_code (QrsEmulator *self)
{
  Code *oldest = g_ptr_array_index (self->codes, 0);

  g_hash_table_remove (self->codes_by_id, oldest->id);
  if (oldest->ticket != NULL)
    g_hash_table_remove (self->tickets, oldest->ticket);
  g_ptr_array_remove_index (self->codes, 0);
}

static Code *
create_code (QrsEmulator *self,
             JsonNode    *custom_data)
{
  Code *code = g_new0 (Code, 1);

  while (self->codes->len >= MAX_CODES)
    forget_oldest_code (self);

  do
    {
      g_free (code->id);
      code->id = _qrs_emulator_random_id (QR_ID_LENGTH);
    }
  while (g_hash_table_contains (self->codes_by_id, code->id));

  code->status = CODE_PENDING;
  code->created_ms = now_ms (self);
  code->expire_ms = code->created_ms + (gint64) self->qr_ttl * 1000;
  code->custom_data = custom_data != NULL ? json_node_copy (custom_data) : NULL;

  g_ptr_array_add (self->codes, code);
  g_hash_table_insert (self->codes_by_id, code->id, code);

  g_debug ("QR code %s created", code->id);
  g_signal_emit (self, signals[CODE_CHANGED], 0, code->id, code_status_name (code));

  return code;
}

static char *
avatar_url (QrsEmulator *self,
            const char  *user_id)
{
  g_autofree char *escaped = g_uri_escape_string (user_id, NULL, FALSE);

  return g_strconcat (self->base_url != NULL ? self->base_url : "", AVATAR_PREFIX, escaped, ".png", NULL);
}

static char *
code_dup_photo (QrsEmulator *self,
                const Code  *code)
{
  g_assert (code->user_id != NULL);

  if (code->photo != NULL)
    return g_strdup (code->photo);

  return avatar_url (self, code->user_id);
}

static char *
qr_image_url (QrsEmulator *self,
              const char  *qrcode_id)
{
  return g_strconcat (self->base_url != NULL ? self->base_url : "", QR_IMAGE_PREFIX, qrcode_id, ".png", NULL);
}

/* The text in the QR image: the documented payload superset, in the same
 * key order as the desktop client's local encoding.
 */
static char *
code_dup_payload (QrsEmulator *self,
                  const Code  *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created_at = _qrs_emulator_format_time (code->created_ms);
  g_autofree char *expire_at = _qrs_emulator_format_time (code->expire_ms);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scene");
  json_builder_add_string_value (builder, "APP_AUTH");
  json_builder_set_member_name (builder, "random");
  json_builder_add_string_value (builder, code->id);
  json_builder_set_member_name (builder, "qrcodeId");
  json_builder_add_string_value (builder, code->id);
  json_builder_set_member_name (builder, "userPoolId");
  json_builder_add_string_value (builder, self->userpool_id);
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_string_value (builder, created_at);
  json_builder_set_member_name (builder, "expireAt");
  json_builder_add_string_value (builder, expire_at);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* Tokens */

static char *
base64url_encode (const guint8 *data,
                  gsize         length)
{
  char *text = g_base64_encode (data, length);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

/* A token that looks like a signed JWT (three base64url parts) and carries
 * the usual claims; the signature is random bytes, nothing verifies it.
 */
static char *
make_jwt (JsonObject *claims)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), claims);
  g_autofree char *payload = json_to_string (node, FALSE);
  g_autofree char *header64 = base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *payload64 = base64url_encode ((const guint8 *) payload, strlen (payload));
  g_autofree char *signature64 = NULL;
  guint8 signature[32];

  for (gsize i = 0; i < sizeof signature; i++)
    signature[i] = (guint8) g_random_int_range (0, 256);
  signature64 = base64url_encode (signature, sizeof signature);

  return g_strjoin (".", header64, payload64, signature64, NULL);
}

static JsonNode *
make_token_set (QrsEmulator *self,
                const Code  *code)
{
  g_autoptr(JsonObject) access = json_object_new ();
  g_autoptr(JsonObject) id = json_object_new ();
  g_autofree char *issuer = g_strconcat (self->base_url != NULL ? self->base_url : "", "/oidc", NULL);
  g_autofree char *jti = _qrs_emulator_random_id (16);
  g_autofree char *photo = code_dup_photo (self, code);
  g_autofree char *access_token = NULL;
  g_autofree char *id_token = NULL;
  g_autofree char *refresh_token = _qrs_emulator_random_id (REFRESH_LENGTH);
  g_autoptr(JsonObject) set = json_object_new ();
  gint64 iat = now_ms (self) / 1000;

  json_object_set_string_member (access, "sub", code->user_id);
  json_object_set_string_member (access, "aud", self->app_id);
  json_object_set_string_member (access, "iss", issuer);
  json_object_set_string_member (access, "scope", TOKEN_SCOPE);
  json_object_set_int_member (access, "iat", iat);
  json_object_set_int_member (access, "exp", iat + TOKEN_EXPIRES_IN);
  json_object_set_string_member (access, "jti", jti);
  access_token = make_jwt (access);

  json_object_set_string_member (id, "sub", code->user_id);
  json_object_set_string_member (id, "aud", self->app_id);
  json_object_set_string_member (id, "iss", issuer);
  json_object_set_int_member (id, "iat", iat);
  json_object_set_int_member (id, "exp", iat + TOKEN_EXPIRES_IN);
  json_object_set_string_member (id, "name", code->display_name);
  json_object_set_string_member (id, "picture", photo);
  id_token = make_jwt (id);

  json_object_set_string_member (set, "scope", TOKEN_SCOPE);
  json_object_set_string_member (set, "access_token", access_token);
  json_object_set_string_member (set, "id_token", id_token);
  json_object_set_string_member (set, "refresh_token", refresh_token);
  json_object_set_string_member (set, "token_type", "bearer");
  json_object_set_int_member (set, "expire_in", TOKEN_EXPIRES_IN);

  return json_node_init_object (json_node_alloc (), set);
}

/* The state machine (reference §6) */

static gboolean
code_apply (QrsEmulator        *self,
            Code               *code,
            QrsEmulatorAction   action,
            const User         *user,
            const char         *display_name,
            const char         *photo,
            GError            **error)
{
  const char *user_id = user != NULL ? user->user_id : code->user_id;
  gboolean same_user = code->user_id != NULL && g_strcmp0 (code->user_id, user_id) == 0;
  CodeStatus expected = action == QRS_EMULATOR_ACTION_SCAN ? CODE_PENDING : CODE_SCANNED;
  CodeStatus next;

  g_assert (user != NULL || code->user_id != NULL || action == QRS_EMULATOR_ACTION_SCAN);

  switch (action)
    {
    case QRS_EMULATOR_ACTION_SCAN:
      next = CODE_SCANNED;
      /* Scanning again from the same phone changes nothing. */
      if (code->status == CODE_SCANNED && same_user)
        return TRUE;
      break;

    case QRS_EMULATOR_ACTION_CONFIRM:
      next = CODE_AUTHORIZED;
      break;

    case QRS_EMULATOR_ACTION_CANCEL:
      next = CODE_CANCELLED;
      break;

    default:
      g_assert_not_reached ();
    }

  if (code->status != expected)
    {
      g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_INVALID_TRANSITION,
                   "Cannot %s QR code %s: it is %s",
                   action == QRS_EMULATOR_ACTION_SCAN ? "scan" : action == QRS_EMULATOR_ACTION_CONFIRM ? "confirm" : "cancel",
                   code->id, code_status_name (code));
      return FALSE;
    }

  if (action != QRS_EMULATOR_ACTION_SCAN && !same_user)
    {
      g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_INVALID_TRANSITION,
                   "QR code %s was scanned by another user", code->id);
      return FALSE;
    }

  if (action == QRS_EMULATOR_ACTION_SCAN)
    {
      const char *default_name = user != NULL ? user->display_name : QRS_EMULATOR_DEMO_USER_DISPLAY_NAME;
      const char *default_photo = user != NULL ? user->photo : NULL;

      g_assert (user_id != NULL);
      g_free (code->user_id);
      code->user_id = g_strdup (user_id);
      g_free (code->display_name);
      code->display_name = g_strdup (display_name != NULL ? display_name : default_name);
      g_free (code->photo);
      code->photo = g_strdup (photo != NULL ? photo : default_photo);
    }
  else
    {
      if (display_name != NULL)
        {
          g_free (code->display_name);
          code->display_name = g_strdup (display_name);
        }
      if (photo != NULL)
        {
          g_free (code->photo);
          code->photo = g_strdup (photo);
        }
    }

  if (action == QRS_EMULATOR_ACTION_CONFIRM)
    {
      g_assert (code->ticket == NULL);
      do
        {
          g_free (code->ticket);
          code->ticket = _qrs_emulator_random_id (TICKET_LENGTH);
        }
      while (g_hash_table_contains (self->tickets, code->ticket));
      code->ticket_expire_ms = now_ms (self) + (gint64) self->ticket_ttl * 1000;
      code->ticket_used = FALSE;
      g_hash_table_insert (self->tickets, code->ticket, code);
    }

  code_set_status (self, code, next);

  return TRUE;
}

/* Faults */

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

/* The request log */

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

static void
log_finish (QrsEmulator *self,
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

/* JSON in and out */

typedef enum {
  MEMBER_MISSING,
  MEMBER_WRONG_TYPE,
  MEMBER_OK,
} MemberResult;

/* Reads a member of the given value type without the criticals json-glib
 * 1.6 emits for missing or differently typed members; null counts as
 * missing.
 */
static MemberResult
get_value_member (JsonObject   *object,
                  const char   *name,
                  GType         type,
                  JsonNode    **out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return MEMBER_MISSING;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return MEMBER_WRONG_TYPE;

  *out = node;
  return MEMBER_OK;
}

static MemberResult
get_string_member (JsonObject  *object,
                   const char  *name,
                   const char **out)
{
  JsonNode *node;
  MemberResult result = get_value_member (object, name, G_TYPE_STRING, &node);

  *out = result == MEMBER_OK ? json_node_get_string (node) : NULL;
  return result;
}

static MemberResult
get_uint_member (JsonObject *object,
                 const char *name,
                 guint      *out)
{
  JsonNode *node;
  MemberResult result = get_value_member (object, name, G_TYPE_INT64, &node);

  if (result == MEMBER_OK)
    {
      gint64 value = json_node_get_int (node);

      if (value < 0 || value > G_MAXUINT)
        return MEMBER_WRONG_TYPE;
      *out = (guint) value;
    }

  return result;
}

static JsonObject *
parse_body_object (SoupServerMessage *msg)
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

static void
reply_text (SoupServerMessage *msg,
            guint              http_status,
            const char        *content_type,
            char              *body,
            gsize              length)
{
  soup_server_message_set_status (msg, http_status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, length);
}

static void
reply_json (SoupServerMessage *msg,
            guint              http_status,
            JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *body;

  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);
  reply_text (msg, http_status, JSON_CONTENT_TYPE, body, length);
}

static Lang
request_lang (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *lang = soup_message_headers_get_one (headers, "x-authing-lang");

  if (lang == NULL)
    lang = soup_message_headers_get_one (headers, "x-genauth-lang");

  return lang != NULL && g_ascii_strncasecmp (lang, "en", 2) == 0 ? LANG_EN : LANG_ZH;
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
  reply_json (msg, http_status, root);
}

static void
reply_error (SoupServerMessage *msg,
             int                status_code,
             int                api_code,
             MessageId          message)
{
  g_autoptr(JsonBuilder) builder = envelope_begin (status_code, api_code,
                                                   messages[message][request_lang (msg)]);

  reply_envelope (msg, SOUP_STATUS_OK, builder);
}

/* Takes ownership of @data, which may be %NULL. */
static void
reply_success (SoupServerMessage *msg,
               JsonNode          *data)
{
  g_autoptr(JsonBuilder) builder = envelope_begin (200, 0, messages[MSG_OK][request_lang (msg)]);

  if (data != NULL)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, data);
    }
  reply_envelope (msg, SOUP_STATUS_OK, builder);
}

static void
reply_hook (SoupServerMessage *msg,
            guint              http_status,
            JsonObject        *object)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);

  reply_json (msg, http_status, root);
}

static void
reply_hook_error (SoupServerMessage *msg,
                  guint              http_status,
                  const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", message);
  reply_hook (msg, http_status, object);
}

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

/* Request details */

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

  reply_error (msg, 400, 2011, MSG_APP_NOT_FOUND);
  return FALSE;
}

/* Skips an authentication scheme name (case-insensitive) and the blanks
 * after it; %NULL when @value does not start with it.
 */
static const char *
skip_scheme (const char *value,
             const char *scheme)
{
  gsize length = strlen (scheme);

  if (g_ascii_strncasecmp (value, scheme, length) != 0 || value[length] != ' ')
    return NULL;

  value += length;
  while (*value == ' ')
    value++;

  return value;
}

/* The user token may come raw (node SDK) or as "Bearer TOKEN" (mobile SDKs). */
static User *
request_user (QrsEmulator       *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "authorization");
  g_autofree char *token = NULL;
  const char *rest;

  if (value == NULL)
    return NULL;

  rest = skip_scheme (value, "Bearer");
  token = g_strstrip (g_strdup (rest != NULL ? rest : value));
  if (*token == '\0')
    return NULL;

  return g_hash_table_lookup (self->users, token);
}

static gboolean
client_credentials_match (QrsEmulator *self,
                          const char  *client_id,
                          gsize        client_id_length,
                          const char  *client_secret,
                          gsize        client_secret_length)
{
  if (self->client_secret == NULL || client_id == NULL || client_secret == NULL)
    return FALSE;

  return client_id_length == strlen (self->app_id) &&
         memcmp (client_id, self->app_id, client_id_length) == 0 &&
         client_secret_length == strlen (self->client_secret) &&
         memcmp (client_secret, self->client_secret, client_secret_length) == 0;
}

static gboolean
client_authenticated (QrsEmulator       *self,
                      SoupServerMessage *msg,
                      JsonObject        *body)
{
  switch (self->token_auth_method)
    {
    case QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE:
      return TRUE;

    case QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_POST:
      {
        const char *client_id, *client_secret;

        if (get_string_member (body, "client_id", &client_id) != MEMBER_OK ||
            get_string_member (body, "client_secret", &client_secret) != MEMBER_OK)
          return FALSE;

        return client_credentials_match (self, client_id, strlen (client_id),
                                         client_secret, strlen (client_secret));
      }

    case QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC:
      {
        SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
        const char *value = soup_message_headers_get_one (headers, "authorization");
        g_autofree guchar *decoded = NULL;
        const char *encoded, *colon;
        gsize length = 0;

        if (value == NULL || (encoded = skip_scheme (value, "Basic")) == NULL || *encoded == '\0')
          return FALSE;

        decoded = g_base64_decode (encoded, &length);
        colon = decoded != NULL ? memchr (decoded, ':', length) : NULL;
        if (colon == NULL)
          return FALSE;

        return client_credentials_match (self,
                                         (const char *) decoded, (gsize) (colon - (const char *) decoded),
                                         colon + 1, length - (gsize) (colon - (const char *) decoded) - 1);
      }

    default:
      g_assert_not_reached ();
    }
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
  Code *code;
  g_autofree char *url = NULL;

  if (!check_app_id (self, msg))
    return;

  body = parse_body_object (msg);
  if (body == NULL)
    {
      reply_error (msg, 400, 0, MSG_BODY_INVALID);
      return;
    }

  switch (get_string_member (body, "type", &type))
    {
    case MEMBER_MISSING:
      reply_error (msg, 400, 0, MSG_TYPE_REQUIRED);
      return;
    case MEMBER_WRONG_TYPE:
      reply_error (msg, 400, 0, MSG_TYPE_INVALID);
      return;
    case MEMBER_OK:
    default:
      break;
    }

  if (g_str_equal (type, "WECHAT_MINIPROGRAM") || g_str_equal (type, "WECHAT_OFFICIAL_ACCOUNT"))
    {
      reply_error (msg, 400, 0, MSG_TYPE_UNSUPPORTED);
      return;
    }
  if (!g_str_equal (type, "MOBILE_APP"))
    {
      reply_error (msg, 400, 0, MSG_TYPE_INVALID);
      return;
    }

  custom_data = json_object_get_member (body, "customData");
  if (custom_data != NULL && JSON_NODE_HOLDS_NULL (custom_data))
    custom_data = NULL;
  if (custom_data != NULL && !JSON_NODE_HOLDS_OBJECT (custom_data))
    {
      reply_error (msg, 400, 0, MSG_CUSTOM_DATA_INVALID);
      return;
    }

  code = create_code (self, custom_data);
  url = qr_image_url (self, code->id);

  data = json_object_new ();
  json_object_set_string_member (data, "qrcodeId", code->id);
  json_object_set_string_member (data, "url", url);
  reply_success (msg, json_node_init_object (json_node_alloc (), data));
  json_object_unref (data);
}

static const char *
request_query_param (SoupServerMessage *msg,
                     const char        *name,
                     char             **storage)
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

static void
handle_check_qrcode_status (QrsEmulator       *self,
                            SoupServerMessage *msg)
{
  g_autofree char *qrcode_id = NULL;
  JsonObject *data;
  Code *code;

  if (!check_app_id (self, msg))
    return;

  if (request_query_param (msg, "qrcodeId", &qrcode_id) == NULL || *qrcode_id == '\0')
    {
      reply_error (msg, 400, 0, MSG_QRCODE_ID_REQUIRED);
      return;
    }

  code = lookup_code (self, qrcode_id);
  if (code == NULL)
    {
      reply_error (msg, 404, 0, MSG_QR_NOT_FOUND);
      return;
    }

  data = json_object_new ();
  json_object_set_string_member (data, "status", code_status_name (code));

  if (code->status == CODE_AUTHORIZED)
    {
      if (!self->return_full_user_info)
        json_object_set_string_member (data, "ticket", code->ticket);
      else if (code->token_set == NULL && !code->ticket_used && now_ms (self) < code->ticket_expire_ms)
        {
          /* The poll hands out the tokens itself and uses up the ticket. */
          code->token_set = make_token_set (self, code);
          code->ticket_used = TRUE;
        }
    }

  if (code->status == CODE_SCANNED || code->status == CODE_AUTHORIZED || code->status == CODE_CANCELLED)
    {
      JsonObject *brief = json_object_new ();
      g_autofree char *photo = code_dup_photo (self, code);

      json_object_set_string_member (brief, "displayName", code->display_name);
      json_object_set_string_member (brief, "photo", photo);
      json_object_set_object_member (data, "briefUserInfo", brief);
    }

  if (code->status == CODE_AUTHORIZED && self->return_full_user_info && code->token_set != NULL)
    json_object_set_member (data, "tokenSet", json_node_copy (code->token_set));

  reply_success (msg, json_node_init_object (json_node_alloc (), data));
  json_object_unref (data);
}

static gboolean
parse_action (const char        *text,
              QrsEmulatorAction *out)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_EMULATOR_ACTION);
  GEnumValue *value = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (value == NULL)
    return FALSE;

  *out = (QrsEmulatorAction) value->value;
  return TRUE;
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
  User *user;
  Code *code;

  if (!check_app_id (self, msg))
    return;

  user = request_user (self, msg);
  if (user == NULL)
    {
      reply_error (msg, 401, 2020, MSG_NOT_LOGGED_IN);
      return;
    }

  body = parse_body_object (msg);
  if (body == NULL)
    {
      reply_error (msg, 400, 0, MSG_BODY_INVALID);
      return;
    }

  if (get_string_member (body, "qrcodeId", &qrcode_id) != MEMBER_OK || *qrcode_id == '\0')
    {
      reply_error (msg, 400, 0, MSG_QRCODE_ID_REQUIRED);
      return;
    }
  if (get_string_member (body, "action", &action_name) != MEMBER_OK ||
      !parse_action (action_name, &action))
    {
      reply_error (msg, 400, 0, MSG_ACTION_INVALID);
      return;
    }

  code = lookup_code (self, qrcode_id);
  if (code == NULL)
    {
      reply_error (msg, 404, 0, MSG_QR_NOT_FOUND);
      return;
    }

  if (g_strcmp0 (user->userpool_id, self->userpool_id) != 0)
    {
      reply_error (msg, 403, 0, MSG_POOL_MISMATCH);
      return;
    }

  if (!code_apply (self, code, action, user, NULL, NULL, &error))
    {
      g_debug ("%s", error->message);
      reply_error (msg, 422, 0, MSG_TRANSITION);
      return;
    }

  if (is_set)
    {
      JsonObject *data = json_object_new ();

      json_object_set_boolean_member (data, "success", TRUE);
      reply_success (msg, json_node_init_object (json_node_alloc (), data));
      json_object_unref (data);
    }
  else
    reply_success (msg, NULL);
}

static void
handle_exchange (QrsEmulator       *self,
                 SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = NULL;
  const char *ticket;
  Code *code;

  if (!check_app_id (self, msg))
    return;

  body = parse_body_object (msg);
  if (body == NULL)
    {
      reply_error (msg, 400, 0, MSG_BODY_INVALID);
      return;
    }

  if (!client_authenticated (self, msg, body))
    {
      reply_error (msg, 401, 0, MSG_CLIENT_AUTH);
      return;
    }

  if (get_string_member (body, "ticket", &ticket) != MEMBER_OK || *ticket == '\0')
    {
      reply_error (msg, 400, 0, MSG_TICKET_REQUIRED);
      return;
    }

  code = g_hash_table_lookup (self->tickets, ticket);
  if (code == NULL)
    {
      reply_error (msg, 400, 0, MSG_TICKET_INVALID);
      return;
    }
  if (code->ticket_used)
    {
      reply_error (msg, 400, 0, MSG_TICKET_USED);
      return;
    }
  if (now_ms (self) >= code->ticket_expire_ms)
    {
      reply_error (msg, 400, 0, MSG_TICKET_EXPIRED);
      return;
    }

  code->ticket_used = TRUE;
  reply_success (msg, make_token_set (self, code));
}

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

      reply_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", text, strlen (text));
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
  g_autofree char *qrcode_id = image_name (path, QR_IMAGE_PREFIX);
  g_autofree char *payload = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  Code *code = qrcode_id != NULL ? g_hash_table_lookup (self->codes_by_id, qrcode_id) : NULL;

  if (code == NULL)
    {
      reply_not_found (msg);
      return;
    }

  payload = code_dup_payload (self, code);
  png = _qrs_emulator_png_qr_code (payload, &error);
  reply_png (msg, png, error);
}

static void
handle_avatar (QrsEmulator       *self,
               SoupServerMessage *msg,
               const char        *path)
{
  g_autofree char *name = image_name (path, AVATAR_PREFIX);
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
  reply_json (msg, SOUP_STATUS_NOT_FOUND, root);
}

static Route
route_for (const char *method,
           const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (api_routes); i++)
    if (g_str_equal (path, api_routes[i].path))
      return g_str_equal (method, api_routes[i].method) ? api_routes[i].route : ROUTE_API_UNKNOWN;

  if (g_str_has_prefix (path, "/api/"))
    return ROUTE_API_UNKNOWN;
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, QR_IMAGE_PREFIX))
    return ROUTE_QR_IMAGE;
  if (g_str_equal (method, "GET") && g_str_has_prefix (path, AVATAR_PREFIX))
    return ROUTE_AVATAR;

  return ROUTE_NONE;
}

static int
endpoint_for_route (Route route)
{
  switch (route)
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
static void
answer (QrsEmulator       *self,
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

/* Fault bodies */

static char *
fault_body_malformed (QrsEmulatorEndpoint endpoint)
{
  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      return g_strdup ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"qrcodeId\":\"");
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      return g_strdup ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"status\":\"PEND");
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      return g_strdup ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"access_token\":\"eyJ");
    default:
      g_assert_not_reached ();
    }
}

static char *
fault_body_wrong_type (QrsEmulatorEndpoint  endpoint,
                       const char          *request_id)
{
  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      return g_strdup_printf ("{\"statusCode\":\"200\",\"message\":\"操作成功\",\"requestId\":\"%s\","
                              "\"data\":{\"qrcodeId\":123456,\"url\":true}}", request_id);
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      return g_strdup_printf ("{\"statusCode\":200,\"message\":\"操作成功\",\"requestId\":\"%s\","
                              "\"data\":{\"status\":1}}", request_id);
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      return g_strdup_printf ("{\"statusCode\":200,\"message\":\"操作成功\",\"requestId\":\"%s\","
                              "\"data\":{\"scope\":\"openid profile\",\"access_token\":42,"
                              "\"id_token\":[],\"token_type\":\"bearer\",\"expire_in\":\"7200\"}}",
                              request_id);
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
                 const char          *request_id,
                 gsize               *length)
{
  static const char suffix[] = "\"}}";
  g_autofree char *fake_id = _qrs_emulator_random_id (QR_ID_LENGTH);
  g_autofree char *url = qr_image_url (self, fake_id);
  GString *body = g_string_sized_new (QRS_EMULATOR_HUGE_BODY_SIZE);
  gsize padding;

  g_string_append_printf (body, "{\"statusCode\":200,\"message\":\"操作成功\",\"requestId\":\"%s\",\"data\":{",
                          request_id);
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
  answer (self, msg);
  g_signal_handler_disconnect (msg, handler);

  if (!gone)
    soup_server_message_unpause (msg);
  log_finish (self, serial, soup_server_message_get_status (msg));

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

static void
stall_free (Stall *stall)
{
  g_clear_handle_id (&stall->timeout_id, g_source_remove);
  if (stall->msg != NULL)
    g_clear_signal_handler (&stall->disconnected_id, stall->msg);
  g_clear_object (&stall->msg);
  g_free (stall);
}

static void
apply_fault (QrsEmulator         *self,
             SoupServerMessage   *msg,
             QrsEmulatorEndpoint  endpoint,
             const Fault         *fault,
             guint64              serial)
{
  g_autofree char *request_id = g_uuid_string_random ();
  g_autoptr(GEnumClass) modes = g_type_class_ref (QRS_TYPE_EMULATOR_FAULT);
  char *body;
  gsize length;

  g_debug ("Fault on %s: %s", g_uri_get_path (soup_server_message_get_uri (msg)),
           g_enum_get_value (modes, fault->mode)->value_nick);

  switch (fault->mode)
    {
    case QRS_EMULATOR_FAULT_HTTP500:
      body = g_strdup ("{\"statusCode\":500,\"message\":\"Internal server error\"}");
      reply_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_HTML:
      body = g_strdup ("<!DOCTYPE html>\n"
                       "<html><head><title>Sign in to the network</title></head>\n"
                       "<body><h1>Welcome!</h1><p>Please accept the terms of use to continue.</p></body></html>\n");
      reply_text (msg, SOUP_STATUS_OK, HTML_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_MALFORMED:
      body = fault_body_malformed (endpoint);
      reply_text (msg, SOUP_STATUS_OK, JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_WRONG_TYPE:
      body = fault_body_wrong_type (endpoint, request_id);
      reply_text (msg, SOUP_STATUS_OK, JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_UNKNOWN_STATUS:
    case QRS_EMULATOR_FAULT_STATUS_ERROR:
      g_assert (endpoint == QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS);
      body = g_strdup_printf ("{\"statusCode\":200,\"message\":\"操作成功\",\"requestId\":\"%s\","
                              "\"data\":{\"status\":\"%s\"}}", request_id,
                              fault->mode == QRS_EMULATOR_FAULT_UNKNOWN_STATUS ? "TELEPORTED" : "ERROR");
      reply_text (msg, SOUP_STATUS_OK, JSON_CONTENT_TYPE, body, strlen (body));
      break;

    case QRS_EMULATOR_FAULT_NO_DATA:
      reply_success (msg, NULL);
      break;

    case QRS_EMULATOR_FAULT_ERROR_STATUS:
      reply_error (msg, 500, ERROR_STATUS_API, MSG_SERVER_ERROR);
      break;

    case QRS_EMULATOR_FAULT_THROTTLE:
      body = g_strdup_printf ("{\"statusCode\":429,\"message\":\"%s\"}", messages[MSG_THROTTLED][LANG_ZH]);
      reply_text (msg, 429 /* Too Many Requests */, JSON_CONTENT_TYPE, body, strlen (body));
      if (fault->retry_after > 0)
        {
          g_autofree char *value = g_strdup_printf ("%u", fault->retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", value);
        }
      break;

    case QRS_EMULATOR_FAULT_HUGE:
      body = fault_body_huge (self, endpoint, request_id, &length);
      reply_text (msg, SOUP_STATUS_OK, JSON_CONTENT_TYPE, body, length);
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
        log_finish (self, serial, 0);
      }
      return;

    default:
      g_assert_not_reached ();
    }

  log_finish (self, serial, soup_server_message_get_status (msg));
}

/* Test hooks */

static void
hook_phone (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = parse_body_object (msg);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *qrcode_id = NULL;
  g_autofree char *status = NULL;
  const char *id, *action_name, *display_name, *photo;
  QrsEmulatorAction action;

  if (body == NULL)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object");
      return;
    }
  if (get_string_member (body, "qrcodeId", &id) == MEMBER_WRONG_TYPE)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "qrcodeId must be a string");
      return;
    }
  if (get_string_member (body, "action", &action_name) != MEMBER_OK || !parse_action (action_name, &action))
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "action must be SCAN, CONFIRM or CANCEL");
      return;
    }
  if (get_string_member (body, "displayName", &display_name) == MEMBER_WRONG_TYPE)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "displayName must be a string");
      return;
    }
  if (get_string_member (body, "photo", &photo) == MEMBER_WRONG_TYPE)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "photo must be a string");
      return;
    }

  qrcode_id = id != NULL ? g_strdup (id) : qrs_emulator_dup_newest_code_id (self);
  if (!qrs_emulator_phone (self, qrcode_id, action, display_name, photo, &error))
    {
      reply_hook_error (msg, http_status_for_error (error), error->message);
      return;
    }

  status = qrs_emulator_dup_code_status (self, qrcode_id);
  reply = json_object_new ();
  json_object_set_string_member (reply, "qrcodeId", qrcode_id);
  json_object_set_string_member (reply, "status", status);
  reply_hook (msg, SOUP_STATUS_OK, reply);
}

static void
hook_clock (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = parse_body_object (msg);
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *now = NULL;
  JsonNode *node;
  double seconds;

  if (body == NULL)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object");
      return;
    }

  node = json_object_get_member (body, "advance");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "advance must be a number of seconds");
      return;
    }

  seconds = json_node_get_double (node);
  if (!(seconds >= 0 && seconds <= 100 * 365.25 * 86400))
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "advance must be between 0 and 100 years");
      return;
    }

  qrs_emulator_advance_clock (self, seconds);

  now = _qrs_emulator_format_time (now_ms (self));
  reply = json_object_new ();
  json_object_set_string_member (reply, "now", now);
  json_object_set_double_member (reply, "offset", (double) self->clock_offset / G_USEC_PER_SEC);
  reply_hook (msg, SOUP_STATUS_OK, reply);
}

static void
hook_fault (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) body = parse_body_object (msg);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GEnumClass) endpoints = g_type_class_ref (QRS_TYPE_EMULATOR_ENDPOINT);
  g_autoptr(GEnumClass) modes = g_type_class_ref (QRS_TYPE_EMULATOR_FAULT);
  g_autoptr(GError) error = NULL;
  const char *endpoint_name, *mode_name;
  GEnumValue *endpoint, *mode;
  guint count = 1, retry_after = 1, seconds = 30;

  if (body == NULL)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object");
      return;
    }

  if (get_string_member (body, "endpoint", &endpoint_name) != MEMBER_OK ||
      (endpoint = g_enum_get_value_by_nick (endpoints, endpoint_name)) == NULL)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST,
                               "endpoint must be gene-qrcode, check-qrcode-status or exchange-tokenset-with-qrcode-ticket");
      return;
    }
  if (get_string_member (body, "mode", &mode_name) != MEMBER_OK ||
      (mode = g_enum_get_value_by_nick (modes, mode_name)) == NULL)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST,
                               "mode must be http500, html, malformed, wrong-type, unknown-status, no-data, "
                               "error-status, status-error, throttle, huge, stall or drop");
      return;
    }
  if (get_uint_member (body, "count", &count) == MEMBER_WRONG_TYPE)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "count must be a whole number");
      return;
    }
  if (get_uint_member (body, "retryAfter", &retry_after) == MEMBER_WRONG_TYPE)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "retryAfter must be a whole number of seconds");
      return;
    }
  if (get_uint_member (body, "seconds", &seconds) == MEMBER_WRONG_TYPE || seconds > 24 * 3600)
    {
      reply_hook_error (msg, SOUP_STATUS_BAD_REQUEST, "seconds must be a whole number up to 86400");
      return;
    }

  if (!qrs_emulator_inject_fault (self, endpoint->value, mode->value, count, retry_after, seconds, &error))
    {
      reply_hook_error (msg, http_status_for_error (error), error->message);
      return;
    }

  reply = json_object_new ();
  json_object_set_string_member (reply, "endpoint", endpoint->value_nick);
  json_object_set_string_member (reply, "mode", mode->value_nick);
  json_object_set_int_member (reply, "count", count);
  json_object_set_int_member (reply, "retryAfter", retry_after);
  json_object_set_int_member (reply, "seconds", seconds);
  reply_hook (msg, SOUP_STATUS_OK, reply);
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
  reply_hook (msg, SOUP_STATUS_OK, reply);
}

static void
hook_codes (QrsEmulator       *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonArray *codes = json_array_new ();

  for (guint i = 0; i < self->codes->len; i++)
    {
      Code *code = g_ptr_array_index (self->codes, i);
      JsonObject *object = json_object_new ();
      g_autofree char *created_at = _qrs_emulator_format_time (code->created_ms);
      g_autofree char *expire_at = _qrs_emulator_format_time (code->expire_ms);

      code_refresh (self, code);
      json_object_set_string_member (object, "qrcodeId", code->id);
      json_object_set_string_member (object, "status", code_status_name (code));
      json_object_set_string_member (object, "createdAt", created_at);
      json_object_set_string_member (object, "expireAt", expire_at);
      if (code->custom_data != NULL)
        json_object_set_member (object, "customData", json_node_copy (code->custom_data));
      if (code->user_id != NULL)
        {
          g_autofree char *photo = code_dup_photo (self, code);

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
  reply_hook (msg, SOUP_STATUS_OK, reply);
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

static gboolean
handle_hook (QrsEmulator       *self,
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

          reply_hook_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, message);
        }

      return TRUE;
    }

  return FALSE;
}

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
  Fault fault;

  g_assert (QRS_IS_EMULATOR (self));

  if (handle_hook (self, msg, method, path))
    return;

  serial = log_begin (self, method, path);
  endpoint = endpoint_for_route (route_for (method, path));
  if (endpoint >= 0 && take_fault (self, endpoint, &fault))
    {
      apply_fault (self, msg, endpoint, &fault, serial);
      return;
    }

  answer (self, msg);
  log_finish (self, serial, soup_server_message_get_status (msg));
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
  for (guint i = 0; i < N_ENDPOINTS; i++)
    clear_fault_queue (&self->faults[i]);
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

  self->stalls = g_ptr_array_new_with_free_func ((GDestroyNotify) stall_free);
  self->codes = g_ptr_array_new_with_free_func ((GDestroyNotify) code_free);
  self->codes_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->tickets = g_hash_table_new (g_str_hash, g_str_equal);
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) user_free);
  for (guint i = 0; i < N_ENDPOINTS; i++)
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
  User *user;

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
 * qrs_emulator_add_user:
 * @self: a #QrsEmulator
 * @access_token: the token the user's phone sends in "authorization"
 * @user_id: the user's id
 * @display_name: shown in briefUserInfo
 * @photo: (nullable): the avatar URL, or %NULL for a generated one served
 *   by the emulator
 * @userpool_id: (nullable): the user's pool, or %NULL for the emulator's
 *
 * Adds (or replaces) a signed-in phone user that may call
 * change-qrcode-status. A user of another pool gets statusCode 403.
 */
void
qrs_emulator_add_user (QrsEmulator *self,
                       const char  *access_token,
                       const char  *user_id,
                       const char  *display_name,
                       const char  *photo,
                       const char  *userpool_id)
{
  User *user;

  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (access_token != NULL && *access_token != '\0');
  g_return_if_fail (user_id != NULL && *user_id != '\0');
  g_return_if_fail (display_name != NULL);

  user = g_new0 (User, 1);
  user->access_token = g_strdup (access_token);
  user->user_id = g_strdup (user_id);
  user->display_name = g_strdup (display_name);
  user->photo = g_strdup (photo);
  user->userpool_id = g_strdup (userpool_id != NULL ? userpool_id : self->userpool_id);

  g_hash_table_replace (self->users, user->access_token, user);
}

/**
 * qrs_emulator_phone:
 * @self: a #QrsEmulator
 * @qrcode_id: (nullable): the code, or %NULL for the newest one
 * @action: what the phone does
 * @display_name: (nullable): the name the desktop will show, or %NULL for
 *   the user's own (on SCAN); later actions may change it too
 * @photo: (nullable): the avatar URL, passed through as given, or %NULL
 *   for the user's own
 * @error: return location for a %QRS_EMULATOR_ERROR
 *
 * Acts as the signed-in phone, without a token: as the user who scanned
 * the code, or as the demo user for a code nobody has scanned yet. The
 * same state machine as change-qrcode-status applies.
 *
 * Returns: %TRUE if the code changed (or a repeated SCAN was accepted)
 */
gboolean
qrs_emulator_phone (QrsEmulator        *self,
                    const char         *qrcode_id,
                    QrsEmulatorAction   action,
                    const char         *display_name,
                    const char         *photo,
                    GError            **error)
{
  Code *code;
  User *user = NULL;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), FALSE);
  g_return_val_if_fail (action <= QRS_EMULATOR_ACTION_CANCEL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  code = lookup_code (self, qrcode_id);
  if (code == NULL)
    {
      if (qrcode_id == NULL)
        g_set_error_literal (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_NOT_FOUND,
                             "No QR code has been generated yet");
      else
        g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_NOT_FOUND,
                     "There is no QR code “%s”", qrcode_id);
      return FALSE;
    }

  if (code->user_id == NULL)
    {
      user = g_hash_table_lookup (self->users, QRS_EMULATOR_DEMO_USER_TOKEN);
      g_assert (user != NULL);
    }

  return code_apply (self, code, action, user, display_name, photo, error);
}

/**
 * qrs_emulator_advance_clock:
 * @self: a #QrsEmulator
 * @seconds: how far to move the emulator's clock forward
 *
 * Moves time on for codes and tickets, so tests never wait for a TTL.
 */
void
qrs_emulator_advance_clock (QrsEmulator *self,
                            double       seconds)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (seconds >= 0);

  self->clock_offset += (gint64) (seconds * G_USEC_PER_SEC);
}

/**
 * qrs_emulator_get_time:
 * @self: a #QrsEmulator
 *
 * Returns: the emulator's clock, in microseconds since the Unix epoch
 */
gint64
qrs_emulator_get_time (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), 0);

  return g_get_real_time () + self->clock_offset;
}

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
  g_return_val_if_fail (endpoint < N_ENDPOINTS, FALSE);
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

  for (guint i = 0; i < N_ENDPOINTS; i++)
    clear_fault_queue (&self->faults[i]);
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

/**
 * qrs_emulator_dup_newest_code_id:
 * @self: a #QrsEmulator
 *
 * Returns: (transfer full) (nullable): the id of the code generated last
 */
char *
qrs_emulator_dup_newest_code_id (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  if (self->codes->len == 0)
    return NULL;

  return g_strdup (((Code *) g_ptr_array_index (self->codes, self->codes->len - 1))->id);
}

/**
 * qrs_emulator_dup_code_status:
 * @self: a #QrsEmulator
 * @qrcode_id: (nullable): a code id, or %NULL for the newest code
 *
 * Returns: (transfer full) (nullable): the status as on the wire, e.g.
 *   "PENDING", as of the emulator's clock; %NULL for an unknown code
 */
char *
qrs_emulator_dup_code_status (QrsEmulator *self,
                              const char  *qrcode_id)
{
  Code *code;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  code = lookup_code (self, qrcode_id);

  return code != NULL ? g_strdup (code_status_name (code)) : NULL;
}

guint
qrs_emulator_get_n_codes (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), 0);

  return self->codes->len;
}
