/* test-emulator-api.c — the four V3 endpoints and their aliases
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "emu-test-util.h"

#define OK                "操作成功"
#define APP_NOT_FOUND     "应用不存在"
#define NOT_LOGGED_IN     "尚未登录，无权限访问此请求"
#define QR_NOT_FOUND      "二维码不存在"
#define BODY_INVALID      "请求体必须是 JSON 对象"
#define TYPE_REQUIRED     "type 不能为空"
#define TYPE_INVALID      "type 必须是 MOBILE_APP、WECHAT_MINIPROGRAM 或 WECHAT_OFFICIAL_ACCOUNT"
#define TYPE_UNSUPPORTED  "模拟器只支持 MOBILE_APP 类型的二维码"
#define CUSTOM_DATA       "customData 必须是对象"
#define QRCODE_ID_MISSING "qrcodeId 不能为空"
#define ACTION_INVALID    "action 必须是 SCAN、CONFIRM 或 CANCEL"
#define TRANSITION        "当前二维码状态不允许此操作"
#define POOL_MISMATCH     "用户不属于此二维码的用户池"
#define TICKET_REQUIRED   "ticket 不能为空"
#define TICKET_INVALID    "ticket 无效"
#define TICKET_USED       "ticket 已被使用"
#define TICKET_EXPIRED    "ticket 已过期"
#define CLIENT_AUTH       "应用身份验证失败"

#define BEARER_DEMO "Bearer " QRS_EMULATOR_DEMO_USER_TOKEN
#define CHANGE      "/api/v3/change-qrcode-status"
#define SET         "/api/v3/set-qrcode-status"
#define EXCHANGE    "/api/v3/exchange-tokenset-with-qrcode-ticket"
#define SECRET      "s3cret-value"

static gboolean
is_alnum_string (const char *text,
                 gsize       length)
{
  if (strlen (text) != length)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

static char *
avatar_of (EmuFixture *fx,
           const char *user_id)
{
  return g_strconcat (fx->base, "/__emu/avatar/", user_id, ".png", NULL);
}

static void
phone (EmuFixture        *fx,
       const char        *qrcode_id,
       QrsEmulatorAction  action)
{
  g_autoptr(GError) error = NULL;

  qrs_emulator_phone (fx->emulator, qrcode_id, action, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* gene-qrcode */

static void
test_gene_mobile_app (EmuFixture    *fx,
                      gconstpointer  data)
{
  g_autoptr(EmuResponse) response = emu_api (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}");
  g_autofree char *url = NULL;
  g_autofree char *status = NULL;
  const char *qrcode_id;

  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 4);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 2);

  qrcode_id = emu_json_string (response->root, "data.qrcodeId");
  g_assert_true (is_alnum_string (qrcode_id, 30));
  url = g_strconcat (fx->base, "/__emu/qrcode/", qrcode_id, ".png", NULL);
  g_assert_cmpstr (emu_json_string (response->root, "data.url"), ==, url);

  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 1);
  status = qrs_emulator_dup_code_status (fx->emulator, qrcode_id);
  g_assert_cmpstr (status, ==, "PENDING");
}

static void
test_gene_genauth_header (EmuFixture    *fx,
                          gconstpointer  data)
{
  g_autoptr(EmuResponse) response = emu_request (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}", 0,
                                                 "x-genauth-app-id", QRS_EMULATOR_DEFAULT_APP_ID, NULL);

  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 1);
}

static void
test_gene_custom_data (EmuFixture    *fx,
                       gconstpointer  data)
{
  g_autoptr(EmuResponse) response = emu_api (fx, "POST", "/api/v3/gene-qrcode",
                                             "{\"type\":\"MOBILE_APP\",\"customData\":{\"school\":\"hust\"}}");
  g_autoptr(EmuResponse) codes = NULL;

  emu_assert_envelope (response, 200, 0, OK);

  codes = emu_request (fx, "GET", "/__emu/codes", NULL, 0, NULL);
  g_assert_cmpstr (emu_json_string (codes->root, "codes.0.customData.school"), ==, "hust");
}

static void
test_gene_unique_ids (EmuFixture    *fx,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 20; i++)
    g_hash_table_add (ids, emu_gene_qrcode (fx));

  g_assert_cmpuint (g_hash_table_size (ids), ==, 20);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 20);
}

static void
test_gene_wechat_types (EmuFixture    *fx,
                        gconstpointer  data)
{
  const char *bodies[] = {
    "{\"type\":\"WECHAT_MINIPROGRAM\"}",
    "{\"type\":\"WECHAT_OFFICIAL_ACCOUNT\",\"extIdpConnId\":\"x\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(EmuResponse) response = emu_api (fx, "POST", "/api/v3/gene-qrcode", bodies[i]);

      emu_assert_envelope (response, 400, 0, TYPE_UNSUPPORTED);
    }

  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 0);
}

static void
test_gene_bad_body (EmuFixture    *fx,
                    gconstpointer  data)
{
  const struct
  {
    const char *body;
    const char *message;
  } cases[] = {
    { "{\"type\":\"DESKTOP_APP\"}", TYPE_INVALID },
    { "{\"type\":\"mobile_app\"}", TYPE_INVALID },
    { "{\"type\":7}", TYPE_INVALID },
    { "{\"type\":{\"a\":1}}", TYPE_INVALID },
    { "{}", TYPE_REQUIRED },
    { "{\"type\":null}", TYPE_REQUIRED },
    { NULL, BODY_INVALID },
    { "[\"MOBILE_APP\"]", BODY_INVALID },
    { "type=MOBILE_APP", BODY_INVALID },
    { "{\"type\":\"MOBILE_APP\",\"customData\":5}", CUSTOM_DATA },
    { "{\"type\":\"MOBILE_APP\",\"customData\":[1]}", CUSTOM_DATA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EmuResponse) response = emu_api (fx, "POST", "/api/v3/gene-qrcode", cases[i].body);

      emu_assert_envelope (response, 400, 0, cases[i].message);
    }

  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 0);
}

/* Headers common to every endpoint */

static const struct
{
  const char *method;
  const char *path;
  const char *body;
} every_endpoint[] = {
  { "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}" },
  { "GET", "/api/v3/check-qrcode-status?qrcodeId=abc", NULL },
  { "GET", "/api/v3/get-qrcode-status?qrcodeId=abc", NULL },
  { "POST", EXCHANGE, "{\"ticket\":\"abc\"}" },
  { "POST", CHANGE, "{\"qrcodeId\":\"abc\",\"action\":\"SCAN\"}" },
  { "POST", SET, "{\"qrcodeId\":\"abc\",\"action\":\"SCAN\"}" },
};

static void
test_app_id_missing (EmuFixture    *fx,
                     gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_endpoint); i++)
    {
      g_autoptr(EmuResponse) response = emu_request (fx, every_endpoint[i].method, every_endpoint[i].path,
                                                     every_endpoint[i].body, 0,
                                                     "authorization", BEARER_DEMO, NULL);

      emu_assert_envelope (response, 400, 2011, APP_NOT_FOUND);
    }

  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 0);
}

static void
test_app_id_wrong (EmuFixture    *fx,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (every_endpoint); i++)
    {
      g_autoptr(EmuResponse) authing = emu_request (fx, every_endpoint[i].method, every_endpoint[i].path,
                                                    every_endpoint[i].body, 0,
                                                    "x-authing-app-id", "someone-else",
                                                    "authorization", BEARER_DEMO, NULL);
      g_autoptr(EmuResponse) genauth = emu_request (fx, every_endpoint[i].method, every_endpoint[i].path,
                                                    every_endpoint[i].body, 0,
                                                    "x-genauth-app-id", "",
                                                    "authorization", BEARER_DEMO, NULL);
      /* The x-authing spelling, when present, is the one that counts. */
      g_autoptr(EmuResponse) both = emu_request (fx, every_endpoint[i].method, every_endpoint[i].path,
                                                 every_endpoint[i].body, 0,
                                                 "x-authing-app-id", "someone-else",
                                                 "x-genauth-app-id", QRS_EMULATOR_DEFAULT_APP_ID,
                                                 "authorization", BEARER_DEMO, NULL);

      emu_assert_envelope (authing, 400, 2011, APP_NOT_FOUND);
      emu_assert_envelope (genauth, 400, 2011, APP_NOT_FOUND);
      emu_assert_envelope (both, 400, 2011, APP_NOT_FOUND);
    }

  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 0);
}

static void
test_app_id_property (EmuFixture    *fx,
                      gconstpointer  data)
{
  g_autoptr(EmuResponse) old_id = NULL;
  g_autoptr(EmuResponse) new_id = NULL;

  g_object_set (fx->emulator, "app-id", "my-app", NULL);

  old_id = emu_api (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}");
  emu_assert_envelope (old_id, 400, 2011, APP_NOT_FOUND);

  fx->app_id = "my-app";
  new_id = emu_api (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}");
  emu_assert_envelope (new_id, 200, 0, OK);
}

/* GenAuth's own SDKs send only x-genauth-app-id, and the user token
 * without "Bearer ": a whole sign-in, aliases included, works that way.
 */
static void
test_app_id_genauth_only (EmuFixture    *fx,
                          gconstpointer  data)
{
  g_autoptr(EmuResponse) gene = emu_request (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}", 0,
                                             "x-genauth-app-id", fx->app_id, NULL);
  g_autofree char *qrcode_id = g_strdup (emu_json_string (gene->root, "data.qrcodeId"));
  g_autofree char *scan = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"SCAN\"}", qrcode_id);
  g_autofree char *confirm = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"CONFIRM\"}", qrcode_id);
  g_autofree char *check_path = g_strconcat ("/api/v3/check-qrcode-status?qrcodeId=", qrcode_id, NULL);
  g_autofree char *get_path = g_strconcat ("/api/v3/get-qrcode-status?qrcodeId=", qrcode_id, NULL);
  g_autoptr(EmuResponse) scanned = NULL;
  g_autoptr(EmuResponse) confirmed = NULL;
  g_autoptr(EmuResponse) checked = NULL;
  g_autoptr(EmuResponse) got = NULL;
  g_autoptr(EmuResponse) exchanged = NULL;
  g_autofree char *exchange = NULL;

  emu_assert_envelope (gene, 200, 0, OK);

  scanned = emu_request (fx, "POST", CHANGE, scan, 0,
                         "x-genauth-app-id", fx->app_id,
                         "authorization", QRS_EMULATOR_DEMO_USER_TOKEN, NULL);
  emu_assert_envelope (scanned, 200, 0, OK);

  confirmed = emu_request (fx, "POST", SET, confirm, 0,
                           "x-genauth-app-id", fx->app_id,
                           "authorization", QRS_EMULATOR_DEMO_USER_TOKEN, NULL);
  emu_assert_envelope (confirmed, 200, 0, OK);
  g_assert_true (emu_json_bool (confirmed->root, "data.success"));

  checked = emu_request (fx, "GET", check_path, NULL, 0, "x-genauth-app-id", fx->app_id, NULL);
  emu_assert_envelope (checked, 200, 0, OK);
  g_assert_cmpstr (emu_json_string (checked->root, "data.status"), ==, "AUTHORIZED");
  got = emu_request (fx, "GET", get_path, NULL, 0, "x-genauth-app-id", fx->app_id, NULL);
  emu_assert_envelope (got, 200, 0, OK);
  g_assert_cmpstr (emu_json_string (got->root, "data.ticket"), ==, emu_json_string (checked->root, "data.ticket"));

  exchange = g_strdup_printf ("{\"ticket\":\"%s\"}", emu_json_string (checked->root, "data.ticket"));
  exchanged = emu_request (fx, "POST", EXCHANGE, exchange, 0, "x-genauth-app-id", fx->app_id, NULL);
  emu_assert_envelope (exchanged, 200, 0, OK);
  emu_assert_jwt (emu_json_string (exchanged->root, "data.access_token"));
}

static void
test_lang_english (EmuFixture    *fx,
                   gconstpointer  data)
{
  g_autoptr(EmuResponse) gene = emu_request (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}", 0,
                                             "x-authing-app-id", fx->app_id, "x-authing-lang", "en-US", NULL);
  g_autoptr(EmuResponse) no_app = emu_request (fx, "GET", "/api/v3/check-qrcode-status?qrcodeId=x", NULL, 0,
                                               "x-genauth-lang", "en", NULL);
  g_autoptr(EmuResponse) chinese = emu_request (fx, "GET", "/api/v3/check-qrcode-status?qrcodeId=x", NULL, 0,
                                                "x-authing-app-id", fx->app_id, "x-authing-lang", "zh-CN", NULL);

  emu_assert_envelope (gene, 200, 0, "Operation successful");
  emu_assert_envelope (no_app, 400, 2011, "Application does not exist");
  emu_assert_envelope (chinese, 404, 0, QR_NOT_FOUND);
}

/* One error (or success) of each kind, in both languages. */
static const struct
{
  const char *method;
  const char *path;
  const char *body;
  const char *app_id;         /* NULL: the right one */
  gint64 status_code;
  gint64 api_code;
  const char *chinese;
  const char *english;
} lang_cases[] = {
  { "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}", "someone-else", 400, 2011,
    APP_NOT_FOUND, "Application does not exist" },
  { "GET", "/api/v3/check-qrcode-status?qrcodeId=nope", NULL, NULL, 404, 0,
    QR_NOT_FOUND, "QR code does not exist" },
  { "POST", CHANGE, "{\"qrcodeId\":\"nope\",\"action\":\"SCAN\"}", NULL, 401, 2020,
    NOT_LOGGED_IN, "Not logged in, no permission to access this request" },
  { "POST", EXCHANGE, "{\"ticket\":\"nope\"}", NULL, 400, 0,
    TICKET_INVALID, "The ticket is invalid" },
  { "POST", "/api/v3/gene-qrcode", "{\"type\":7}", NULL, 400, 0,
    TYPE_INVALID, "type must be MOBILE_APP, WECHAT_MINIPROGRAM or WECHAT_OFFICIAL_ACCOUNT" },
  { "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}", NULL, 200, 0,
    OK, "Operation successful" },
};

/* Sends lang_cases[@i] with one language header (none if @header is NULL). */
static EmuResponse *
send_lang_case (EmuFixture *fx,
                guint       i,
                const char *header,
                const char *value)
{
  const char *app_id = lang_cases[i].app_id != NULL ? lang_cases[i].app_id : fx->app_id;

  return emu_request (fx, lang_cases[i].method, lang_cases[i].path, lang_cases[i].body, 0,
                      "x-authing-app-id", app_id, header, value, NULL);
}

static void
test_lang_same_error (EmuFixture    *fx,
                      gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (lang_cases); i++)
    {
      g_autoptr(EmuResponse) none = send_lang_case (fx, i, NULL, NULL);
      g_autoptr(EmuResponse) authing_zh = send_lang_case (fx, i, "x-authing-lang", "zh-CN");
      g_autoptr(EmuResponse) authing_en = send_lang_case (fx, i, "x-authing-lang", "en-US");
      g_autoptr(EmuResponse) genauth_zh = send_lang_case (fx, i, "x-genauth-lang", "zh-CN");
      g_autoptr(EmuResponse) genauth_en = send_lang_case (fx, i, "x-genauth-lang", "en-US");
      gint64 status_code = lang_cases[i].status_code;
      gint64 api_code = lang_cases[i].api_code;

      emu_assert_envelope (none, status_code, api_code, lang_cases[i].chinese);
      emu_assert_envelope (authing_zh, status_code, api_code, lang_cases[i].chinese);
      emu_assert_envelope (authing_en, status_code, api_code, lang_cases[i].english);
      emu_assert_envelope (genauth_zh, status_code, api_code, lang_cases[i].chinese);
      emu_assert_envelope (genauth_en, status_code, api_code, lang_cases[i].english);
    }
}

static void
test_lang_tags (EmuFixture    *fx,
                gconstpointer  data)
{
  const struct
  {
    const char *tag;
    gboolean english;
  } tags[] = {
    { "en-US", TRUE },
    { "en", TRUE },
    { "EN-gb", TRUE },
    { "en_GB", TRUE },
    { "zh-CN", FALSE },
    { "zh", FALSE },
    { "zh-TW", FALSE },
    { "fr-FR", FALSE },
    { "enx", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      g_autoptr(EmuResponse) response = send_lang_case (fx, 1, "x-authing-lang", tags[i].tag);

      emu_assert_envelope (response, 404, 0, tags[i].english ? "QR code does not exist" : QR_NOT_FOUND);
    }
}

static void
test_lang_authing_wins (EmuFixture    *fx,
                        gconstpointer  data)
{
  const char *path = "/api/v3/check-qrcode-status?qrcodeId=nope";
  g_autoptr(EmuResponse) english = emu_request (fx, "GET", path, NULL, 0, "x-authing-app-id", fx->app_id,
                                                "x-authing-lang", "en-US", "x-genauth-lang", "zh-CN", NULL);
  g_autoptr(EmuResponse) chinese = emu_request (fx, "GET", path, NULL, 0, "x-authing-app-id", fx->app_id,
                                                "x-genauth-lang", "en-US", "x-authing-lang", "zh-CN", NULL);
  /* An empty header names no language, so the other one counts. */
  g_autoptr(EmuResponse) empty = emu_request (fx, "GET", path, NULL, 0, "x-authing-app-id", fx->app_id,
                                              "x-authing-lang", "", "x-genauth-lang", "en-US", NULL);

  emu_assert_envelope (english, 404, 0, "QR code does not exist");
  emu_assert_envelope (chinese, 404, 0, QR_NOT_FOUND);
  emu_assert_envelope (empty, 404, 0, "QR code does not exist");
}

static void
test_unknown_routes (EmuFixture    *fx,
                     gconstpointer  data)
{
  g_autoptr(EmuResponse) wrong_method = emu_api (fx, "GET", "/api/v3/gene-qrcode", NULL);
  g_autoptr(EmuResponse) unknown_api = emu_api (fx, "POST", "/api/v3/qrcode-app-login", "{}");
  g_autoptr(EmuResponse) elsewhere = emu_api (fx, "GET", "/favicon.ico", NULL);

  g_assert_cmpuint (wrong_method->status, ==, 404);
  g_assert_cmpuint (emu_json_size (wrong_method->root, NULL), ==, 3);
  g_assert_cmpint (emu_json_int (wrong_method->root, "statusCode"), ==, 404);
  g_assert_cmpstr (emu_json_string (wrong_method->root, "message"), ==, "Cannot GET /api/v3/gene-qrcode");
  g_assert_cmpstr (emu_json_string (wrong_method->root, "error"), ==, "Not Found");

  g_assert_cmpuint (unknown_api->status, ==, 404);
  g_assert_cmpstr (emu_json_string (unknown_api->root, "message"), ==, "Cannot POST /api/v3/qrcode-app-login");

  g_assert_cmpuint (elsewhere->status, ==, 404);
  g_assert_null (elsewhere->root);
  g_assert_cmpmem (g_bytes_get_data (elsewhere->body, NULL), g_bytes_get_size (elsewhere->body), "Not Found", 9);
}

/* check-qrcode-status and get-qrcode-status */

static void
test_check_pending (EmuFixture    *fx,
                    gconstpointer  data)
{
  const char *base_path = data;
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *path = g_strconcat (base_path, "?qrcodeId=", qrcode_id, NULL);
  g_autoptr(EmuResponse) response = emu_api (fx, "GET", path, NULL);

  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 4);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 1);
  g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "PENDING");
}

static void
test_check_bad_id (EmuFixture    *fx,
                   gconstpointer  data)
{
  const char *base_path = data;
  g_autofree char *empty = g_strconcat (base_path, "?qrcodeId=", NULL);
  g_autofree char *other = g_strconcat (base_path, "?id=abc", NULL);
  g_autofree char *unknown = g_strconcat (base_path, "?qrcodeId=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
  g_autoptr(EmuResponse) missing_response = emu_api (fx, "GET", base_path, NULL);
  g_autoptr(EmuResponse) empty_response = emu_api (fx, "GET", empty, NULL);
  g_autoptr(EmuResponse) other_response = emu_api (fx, "GET", other, NULL);
  g_autoptr(EmuResponse) unknown_response = emu_api (fx, "GET", unknown, NULL);

  emu_assert_envelope (missing_response, 400, 0, QRCODE_ID_MISSING);
  emu_assert_envelope (empty_response, 400, 0, QRCODE_ID_MISSING);
  emu_assert_envelope (other_response, 400, 0, QRCODE_ID_MISSING);
  emu_assert_envelope (unknown_response, 404, 0, QR_NOT_FOUND);
}

static void
assert_brief_user_info (EmuFixture  *fx,
                        EmuResponse *response,
                        const char  *display_name,
                        const char  *photo)
{
  g_assert_cmpuint (emu_json_size (response->root, "data.briefUserInfo"), ==, 2);
  g_assert_cmpstr (emu_json_string (response->root, "data.briefUserInfo.displayName"), ==, display_name);
  g_assert_cmpstr (emu_json_string (response->root, "data.briefUserInfo.photo"), ==, photo);
}

static void
test_check_scanned (EmuFixture    *fx,
                    gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *photo = avatar_of (fx, QRS_EMULATOR_DEMO_USER_ID);
  g_autoptr(EmuResponse) response = NULL;

  phone (fx, qrcode_id, QRS_EMULATOR_ACTION_SCAN);
  response = emu_check (fx, qrcode_id);

  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 2);
  g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "SCANNED");
  assert_brief_user_info (fx, response, QRS_EMULATOR_DEMO_USER_DISPLAY_NAME, photo);
}

static void
test_check_authorized (EmuFixture    *fx,
                       gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *photo = avatar_of (fx, QRS_EMULATOR_DEMO_USER_ID);
  g_autoptr(EmuResponse) response = NULL;
  g_autoptr(EmuResponse) again = NULL;

  phone (fx, qrcode_id, QRS_EMULATOR_ACTION_SCAN);
  phone (fx, qrcode_id, QRS_EMULATOR_ACTION_CONFIRM);
  response = emu_check (fx, qrcode_id);

  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 3);
  g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "AUTHORIZED");
  g_assert_true (is_alnum_string (emu_json_string (response->root, "data.ticket"), 40));
  g_assert_false (emu_json_has (response->root, "data.tokenSet"));
  assert_brief_user_info (fx, response, QRS_EMULATOR_DEMO_USER_DISPLAY_NAME, photo);

  /* Polling again shows the same ticket. */
  again = emu_check (fx, qrcode_id);
  g_assert_cmpstr (emu_json_string (again->root, "data.ticket"), ==,
                   emu_json_string (response->root, "data.ticket"));
}

static void
test_check_cancelled (EmuFixture    *fx,
                      gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *photo = avatar_of (fx, QRS_EMULATOR_DEMO_USER_ID);
  g_autoptr(EmuResponse) response = NULL;

  phone (fx, qrcode_id, QRS_EMULATOR_ACTION_SCAN);
  phone (fx, qrcode_id, QRS_EMULATOR_ACTION_CANCEL);
  response = emu_check (fx, qrcode_id);

  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 2);
  g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "CANCELLED");
  assert_brief_user_info (fx, response, QRS_EMULATOR_DEMO_USER_DISPLAY_NAME, photo);
}

static void
test_check_expired (EmuFixture    *fx,
                    gconstpointer  data)
{
  g_autofree char *pending = emu_gene_qrcode (fx);
  g_autofree char *scanned = emu_gene_qrcode (fx);
  g_autofree char *before_pending = NULL;
  g_autofree char *before_scanned = NULL;
  g_autoptr(EmuResponse) response = NULL;

  phone (fx, scanned, QRS_EMULATOR_ACTION_SCAN);

  /* The wall clock moves a little during the test, so stay clear of the
   * exact edge on this side.
   */
  qrs_emulator_advance_clock (fx->emulator, 119.5);
  before_pending = emu_get_status (fx, pending);
  before_scanned = emu_get_status (fx, scanned);
  g_assert_cmpstr (before_pending, ==, "PENDING");
  g_assert_cmpstr (before_scanned, ==, "SCANNED");

  qrs_emulator_advance_clock (fx->emulator, 0.5);
  response = emu_check (fx, pending);
  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 1);
  g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "EXPIRED");

  g_clear_pointer (&response, emu_response_free);
  response = emu_check (fx, scanned);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 1);
  g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "EXPIRED");
}

static void
test_check_qr_ttl_property (EmuFixture    *fx,
                            gconstpointer  data)
{
  g_autofree char *qrcode_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_object_set (fx->emulator, "qr-ttl", 5, NULL);
  g_assert_cmpuint (qrs_emulator_get_qr_ttl (fx->emulator), ==, 5);
  qrcode_id = emu_gene_qrcode (fx);

  qrs_emulator_advance_clock (fx->emulator, 4.5);
  before = emu_get_status (fx, qrcode_id);
  qrs_emulator_advance_clock (fx->emulator, 0.5);
  after = emu_get_status (fx, qrcode_id);

  g_assert_cmpstr (before, ==, "PENDING");
  g_assert_cmpstr (after, ==, "EXPIRED");
}

static void
test_check_terminal_states_stay (EmuFixture    *fx,
                                 gconstpointer  data)
{
  g_autofree char *authorized = emu_gene_qrcode (fx);
  g_autofree char *cancelled = emu_gene_qrcode (fx);
  g_autofree char *authorized_status = NULL;
  g_autofree char *cancelled_status = NULL;

  phone (fx, authorized, QRS_EMULATOR_ACTION_SCAN);
  phone (fx, authorized, QRS_EMULATOR_ACTION_CONFIRM);
  phone (fx, cancelled, QRS_EMULATOR_ACTION_SCAN);
  phone (fx, cancelled, QRS_EMULATOR_ACTION_CANCEL);

  qrs_emulator_advance_clock (fx->emulator, 86400);

  authorized_status = emu_get_status (fx, authorized);
  cancelled_status = emu_get_status (fx, cancelled);
  g_assert_cmpstr (authorized_status, ==, "AUTHORIZED");
  g_assert_cmpstr (cancelled_status, ==, "CANCELLED");
}

static void
test_check_full_user_info (EmuFixture    *fx,
                           gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *photo = avatar_of (fx, QRS_EMULATOR_DEMO_USER_ID);
  g_autoptr(EmuResponse) first = NULL;
  g_autoptr(EmuResponse) second = NULL;
  g_autoptr(EmuResponse) codes = NULL;

  qrs_emulator_set_return_full_user_info (fx->emulator, TRUE);
  phone (fx, qrcode_id, QRS_EMULATOR_ACTION_SCAN);
  phone (fx, qrcode_id, QRS_EMULATOR_ACTION_CONFIRM);

  first = emu_check (fx, qrcode_id);
  emu_assert_envelope (first, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (first->root, "data"), ==, 3);
  g_assert_cmpstr (emu_json_string (first->root, "data.status"), ==, "AUTHORIZED");
  g_assert_false (emu_json_has (first->root, "data.ticket"));
  assert_brief_user_info (fx, first, QRS_EMULATOR_DEMO_USER_DISPLAY_NAME, photo);
  g_assert_cmpuint (emu_json_size (first->root, "data.tokenSet"), ==, 6);
  g_assert_cmpstr (emu_json_string (first->root, "data.tokenSet.scope"), ==, "openid profile");
  g_assert_cmpstr (emu_json_string (first->root, "data.tokenSet.token_type"), ==, "bearer");
  g_assert_cmpint (emu_json_int (first->root, "data.tokenSet.expire_in"), ==, 7200);
  emu_assert_jwt (emu_json_string (first->root, "data.tokenSet.access_token"));
  emu_assert_jwt (emu_json_string (first->root, "data.tokenSet.id_token"));

  /* The ticket is used up; polling again returns the same token set. */
  second = emu_check (fx, qrcode_id);
  g_assert_cmpstr (emu_json_string (second->root, "data.tokenSet.access_token"), ==,
                   emu_json_string (first->root, "data.tokenSet.access_token"));
  codes = emu_request (fx, "GET", "/__emu/codes", NULL, 0, NULL);
  g_assert_true (emu_json_bool (codes->root, "codes.0.ticketUsed"));
}

/* change-qrcode-status and set-qrcode-status: the state machine */

typedef enum {
  START_PENDING,
  START_SCANNED,
  START_AUTHORIZED,
  START_CANCELLED,
  START_EXPIRED,
} Start;

typedef struct
{
  const char *path;
  Start start;
  const char *action;
  const char *after;     /* NULL: refused with 422 */
} TransitionCase;

static const char * const start_names[] = { "PENDING", "SCANNED", "AUTHORIZED", "CANCELLED", "EXPIRED" };

static char *
code_in_state (EmuFixture *fx,
               Start       start)
{
  char *qrcode_id = emu_gene_qrcode (fx);

  switch (start)
    {
    case START_PENDING:
      break;
    case START_SCANNED:
      phone (fx, qrcode_id, QRS_EMULATOR_ACTION_SCAN);
      break;
    case START_AUTHORIZED:
      phone (fx, qrcode_id, QRS_EMULATOR_ACTION_SCAN);
      phone (fx, qrcode_id, QRS_EMULATOR_ACTION_CONFIRM);
      break;
    case START_CANCELLED:
      phone (fx, qrcode_id, QRS_EMULATOR_ACTION_SCAN);
      phone (fx, qrcode_id, QRS_EMULATOR_ACTION_CANCEL);
      break;
    case START_EXPIRED:
      qrs_emulator_advance_clock (fx->emulator, 120);
      break;
    default:
      g_assert_not_reached ();
    }

  return qrcode_id;
}

static void
test_transition (EmuFixture    *fx,
                 gconstpointer  data)
{
  const TransitionCase *tc = data;
  g_autofree char *qrcode_id = code_in_state (fx, tc->start);
  g_autoptr(EmuResponse) response = emu_change (fx, tc->path, BEARER_DEMO, qrcode_id, tc->action);
  g_autofree char *status = NULL;

  if (tc->after == NULL)
    emu_assert_envelope (response, 422, 0, TRANSITION);
  else if (g_str_equal (tc->path, SET))
    {
      emu_assert_envelope (response, 200, 0, OK);
      g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 1);
      g_assert_true (emu_json_bool (response->root, "data.success"));
    }
  else
    {
      emu_assert_envelope (response, 200, 0, OK);
      g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 3);
    }

  status = emu_get_status (fx, qrcode_id);
  g_assert_cmpstr (status, ==, tc->after != NULL ? tc->after : start_names[tc->start]);
}

static void
add_transition_tests (void)
{
  static const struct
  {
    Start start;
    const char *action;
    const char *after;
  } table[] = {
    { START_PENDING, "SCAN", "SCANNED" },
    { START_PENDING, "CONFIRM", NULL },
    { START_PENDING, "CANCEL", NULL },
    { START_SCANNED, "SCAN", "SCANNED" },
    { START_SCANNED, "CONFIRM", "AUTHORIZED" },
    { START_SCANNED, "CANCEL", "CANCELLED" },
    { START_AUTHORIZED, "SCAN", NULL },
    { START_AUTHORIZED, "CONFIRM", NULL },
    { START_AUTHORIZED, "CANCEL", NULL },
    { START_CANCELLED, "SCAN", NULL },
    { START_CANCELLED, "CONFIRM", NULL },
    { START_CANCELLED, "CANCEL", NULL },
    { START_EXPIRED, "SCAN", NULL },
    { START_EXPIRED, "CONFIRM", NULL },
    { START_EXPIRED, "CANCEL", NULL },
  };
  const char *paths[] = { CHANGE, SET };
  static TransitionCase cases[2 * G_N_ELEMENTS (table)];

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint i = 0; i < G_N_ELEMENTS (table); i++)
      {
        TransitionCase *tc = &cases[p * G_N_ELEMENTS (table) + i];
        g_autofree char *name = NULL;

        tc->path = paths[p];
        tc->start = table[i].start;
        tc->action = table[i].action;
        tc->after = table[i].after;
        name = g_strdup_printf ("/emulator/api/%s/%s/%s",
                                p == 0 ? "change-qrcode-status" : "set-qrcode-status",
                                start_names[tc->start], tc->action);
        g_test_add (name, EmuFixture, tc, emu_fixture_setup, test_transition, emu_fixture_teardown);
      }
}

static void
test_change_other_user (EmuFixture    *fx,
                        gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  const char *actions[] = { "SCAN", "CONFIRM", "CANCEL" };
  g_autoptr(EmuResponse) scan = NULL;
  g_autoptr(EmuResponse) confirm = NULL;
  g_autofree char *status = NULL;

  qrs_emulator_add_user (fx->emulator, "token-b", "user-b", "Bob", NULL, NULL);
  scan = emu_change (fx, CHANGE, BEARER_DEMO, qrcode_id, "SCAN");
  emu_assert_envelope (scan, 200, 0, OK);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(EmuResponse) response = emu_change (fx, CHANGE, "Bearer token-b", qrcode_id, actions[i]);
      g_autofree char *now = NULL;

      emu_assert_envelope (response, 422, 0, TRANSITION);
      now = emu_get_status (fx, qrcode_id);
      g_assert_cmpstr (now, ==, "SCANNED");
    }

  confirm = emu_change (fx, CHANGE, BEARER_DEMO, qrcode_id, "CONFIRM");
  emu_assert_envelope (confirm, 200, 0, OK);
  status = emu_get_status (fx, qrcode_id);
  g_assert_cmpstr (status, ==, "AUTHORIZED");
}

static void
test_change_token_forms (EmuFixture    *fx,
                         gconstpointer  data)
{
  const char *forms[] = {
    QRS_EMULATOR_DEMO_USER_TOKEN,
    "Bearer " QRS_EMULATOR_DEMO_USER_TOKEN,
    "bearer " QRS_EMULATOR_DEMO_USER_TOKEN,
    "BEARER   " QRS_EMULATOR_DEMO_USER_TOKEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *qrcode_id = emu_gene_qrcode (fx);
      g_autoptr(EmuResponse) response = emu_change (fx, CHANGE, forms[i], qrcode_id, "SCAN");
      g_autofree char *status = emu_get_status (fx, qrcode_id);

      emu_assert_envelope (response, 200, 0, OK);
      g_assert_cmpstr (status, ==, "SCANNED");
    }
}

static void
test_change_not_logged_in (EmuFixture    *fx,
                           gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  const char *paths[] = { CHANGE, SET };
  const char *tokens[] = { NULL, "", "Bearer ", "Bearer nobody", "nobody", "Basic cXJzLWRlbW8tdXNlci10b2tlbg==" };
  g_autofree char *status = NULL;

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
      {
        g_autoptr(EmuResponse) response = NULL;

        if (tokens[i] == NULL)
          response = emu_change (fx, paths[p], NULL, qrcode_id, "SCAN");
        else
          response = emu_change (fx, paths[p], tokens[i], qrcode_id, "SCAN");

        emu_assert_envelope (response, 401, 2020, NOT_LOGGED_IN);
      }

  status = emu_get_status (fx, qrcode_id);
  g_assert_cmpstr (status, ==, "PENDING");
}

static void
test_change_bad_request (EmuFixture    *fx,
                         gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *bad_action = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"LOGIN\"}", qrcode_id);
  g_autofree char *lower_action = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"scan\"}", qrcode_id);
  g_autofree char *no_action = g_strdup_printf ("{\"qrcodeId\":\"%s\"}", qrcode_id);
  const struct
  {
    const char *body;
    gint64 status_code;
    const char *message;
  } cases[] = {
    { bad_action, 400, ACTION_INVALID },
    { lower_action, 400, ACTION_INVALID },
    { no_action, 400, ACTION_INVALID },
    { "{\"action\":\"SCAN\"}", 400, QRCODE_ID_MISSING },
    { "{\"qrcodeId\":42,\"action\":\"SCAN\"}", 400, QRCODE_ID_MISSING },
    { "{\"qrcodeId\":\"\",\"action\":\"SCAN\"}", 400, QRCODE_ID_MISSING },
    { "SCAN", 400, BODY_INVALID },
    { NULL, 400, BODY_INVALID },
    { "{\"qrcodeId\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"action\":\"SCAN\"}", 404, QR_NOT_FOUND },
  };
  g_autofree char *status = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EmuResponse) response = emu_request (fx, "POST", CHANGE, cases[i].body, 0,
                                                     "x-authing-app-id", fx->app_id,
                                                     "authorization", BEARER_DEMO, NULL);

      emu_assert_envelope (response, cases[i].status_code, 0, cases[i].message);
    }

  status = emu_get_status (fx, qrcode_id);
  g_assert_cmpstr (status, ==, "PENDING");
}

static void
test_change_other_pool (EmuFixture    *fx,
                        gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autoptr(EmuResponse) response = NULL;
  g_autofree char *status = NULL;

  qrs_emulator_add_user (fx->emulator, "token-far", "user-far", "Far Away", NULL, "another-pool");
  response = emu_change (fx, SET, "token-far", qrcode_id, "SCAN");

  emu_assert_envelope (response, 403, 0, POOL_MISMATCH);
  status = emu_get_status (fx, qrcode_id);
  g_assert_cmpstr (status, ==, "PENDING");
}

static void
test_change_user_profile (EmuFixture    *fx,
                          gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autoptr(EmuResponse) scan = NULL;
  g_autoptr(EmuResponse) response = NULL;

  qrs_emulator_add_user (fx->emulator, "token-zw", "user-zw", "张伟", "https://cdn.example.com/zw.png", NULL);
  scan = emu_change (fx, CHANGE, "Bearer token-zw", qrcode_id, "SCAN");
  emu_assert_envelope (scan, 200, 0, OK);

  response = emu_check (fx, qrcode_id);
  assert_brief_user_info (fx, response, "张伟", "https://cdn.example.com/zw.png");
}

/* exchange-tokenset-with-qrcode-ticket */

static JsonNode *
jwt_claims (const char *token)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(GString) text = g_string_new (parts[1]);
  g_autofree guchar *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;

  g_string_replace (text, "-", "+", 0);
  g_string_replace (text, "_", "/", 0);
  while (text->len % 4 != 0)
    g_string_append_c (text, '=');
  json = g_base64_decode (text->str, &length);

  g_assert_true (json_parser_load_from_data (parser, (const char *) json, (gssize) length, NULL));

  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_token_set (EmuFixture  *fx,
                  EmuResponse *response)
{
  g_autoptr(JsonNode) access = NULL;
  g_autoptr(JsonNode) id = NULL;
  g_autofree char *issuer = g_strconcat (fx->base, "/oidc", NULL);
  g_autofree char *photo = avatar_of (fx, QRS_EMULATOR_DEMO_USER_ID);

  emu_assert_envelope (response, 200, 0, OK);
  g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 6);
  g_assert_cmpstr (emu_json_string (response->root, "data.scope"), ==, "openid profile");
  g_assert_cmpstr (emu_json_string (response->root, "data.token_type"), ==, "bearer");
  g_assert_cmpint (emu_json_int (response->root, "data.expire_in"), ==, 7200);
  g_assert_true (is_alnum_string (emu_json_string (response->root, "data.refresh_token"), 27));
  emu_assert_jwt (emu_json_string (response->root, "data.access_token"));
  emu_assert_jwt (emu_json_string (response->root, "data.id_token"));

  access = jwt_claims (emu_json_string (response->root, "data.access_token"));
  g_assert_cmpstr (emu_json_string (access, "sub"), ==, QRS_EMULATOR_DEMO_USER_ID);
  g_assert_cmpstr (emu_json_string (access, "aud"), ==, fx->app_id);
  g_assert_cmpstr (emu_json_string (access, "iss"), ==, issuer);
  g_assert_cmpstr (emu_json_string (access, "scope"), ==, "openid profile");
  g_assert_cmpint (emu_json_int (access, "exp") - emu_json_int (access, "iat"), ==, 7200);

  id = jwt_claims (emu_json_string (response->root, "data.id_token"));
  g_assert_cmpstr (emu_json_string (id, "sub"), ==, QRS_EMULATOR_DEMO_USER_ID);
  g_assert_cmpstr (emu_json_string (id, "name"), ==, QRS_EMULATOR_DEMO_USER_DISPLAY_NAME);
  g_assert_cmpstr (emu_json_string (id, "picture"), ==, photo);
}

static void
test_exchange_none (EmuFixture    *fx,
                    gconstpointer  data)
{
  g_autofree char *ticket = emu_authorize (fx);
  g_autoptr(EmuResponse) response = emu_exchange (fx, ticket);

  assert_token_set (fx, response);
}

static void
test_exchange_fresh_tokens (EmuFixture    *fx,
                            gconstpointer  data)
{
  g_autofree char *ticket_a = emu_authorize (fx);
  g_autofree char *ticket_b = emu_authorize (fx);
  g_autoptr(EmuResponse) a = emu_exchange (fx, ticket_a);
  g_autoptr(EmuResponse) b = emu_exchange (fx, ticket_b);

  g_assert_cmpstr (ticket_a, !=, ticket_b);
  assert_token_set (fx, a);
  assert_token_set (fx, b);
  g_assert_cmpstr (emu_json_string (a->root, "data.access_token"), !=, emu_json_string (b->root, "data.access_token"));
  g_assert_cmpstr (emu_json_string (a->root, "data.id_token"), !=, emu_json_string (b->root, "data.id_token"));
  g_assert_cmpstr (emu_json_string (a->root, "data.refresh_token"), !=, emu_json_string (b->root, "data.refresh_token"));
}

static void
test_exchange_reuse (EmuFixture    *fx,
                     gconstpointer  data)
{
  g_autofree char *ticket = emu_authorize (fx);
  g_autoptr(EmuResponse) first = emu_exchange (fx, ticket);
  g_autoptr(EmuResponse) second = emu_exchange (fx, ticket);
  g_autoptr(EmuResponse) codes = emu_request (fx, "GET", "/__emu/codes", NULL, 0, NULL);

  assert_token_set (fx, first);
  emu_assert_envelope (second, 400, 0, TICKET_USED);
  g_assert_true (emu_json_bool (codes->root, "codes.0.ticketUsed"));
}

static void
test_exchange_expiry (EmuFixture    *fx,
                      gconstpointer  data)
{
  g_autofree char *in_time = emu_authorize (fx);
  g_autofree char *too_late = emu_authorize (fx);
  g_autoptr(EmuResponse) ok = NULL;
  g_autoptr(EmuResponse) expired = NULL;
  g_autoptr(EmuResponse) still_expired = NULL;

  qrs_emulator_advance_clock (fx->emulator, 299.5);
  ok = emu_exchange (fx, in_time);
  assert_token_set (fx, ok);

  qrs_emulator_advance_clock (fx->emulator, 0.5);
  expired = emu_exchange (fx, too_late);
  emu_assert_envelope (expired, 400, 0, TICKET_EXPIRED);

  /* A refused ticket is not used up, but it stays expired. */
  still_expired = emu_exchange (fx, too_late);
  emu_assert_envelope (still_expired, 400, 0, TICKET_EXPIRED);
}

static void
test_exchange_ticket_ttl_property (EmuFixture    *fx,
                                   gconstpointer  data)
{
  g_autofree char *ticket = NULL;
  g_autoptr(EmuResponse) expired = NULL;

  qrs_emulator_set_ticket_ttl (fx->emulator, 10);
  ticket = emu_authorize (fx);
  qrs_emulator_advance_clock (fx->emulator, 10);
  expired = emu_exchange (fx, ticket);

  emu_assert_envelope (expired, 400, 0, TICKET_EXPIRED);
}

static void
test_exchange_bad_ticket (EmuFixture    *fx,
                          gconstpointer  data)
{
  const struct
  {
    const char *body;
    const char *message;
  } cases[] = {
    { "{\"ticket\":\"not-a-ticket\"}", TICKET_INVALID },
    { "{\"ticket\":\"\"}", TICKET_REQUIRED },
    { "{\"ticket\":123}", TICKET_REQUIRED },
    { "{}", TICKET_REQUIRED },
    { "ticket=abc", BODY_INVALID },
    { NULL, BODY_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EmuResponse) response = emu_api (fx, "POST", EXCHANGE, cases[i].body);

      emu_assert_envelope (response, 400, 0, cases[i].message);
    }
}

static void
test_exchange_none_ignores_credentials (EmuFixture    *fx,
                                        gconstpointer  data)
{
  g_autofree char *ticket = emu_authorize (fx);
  g_autofree char *body = g_strdup_printf ("{\"ticket\":\"%s\",\"client_id\":\"x\",\"client_secret\":\"y\"}", ticket);
  g_autoptr(EmuResponse) response = emu_request (fx, "POST", EXCHANGE, body, 0,
                                                 "x-authing-app-id", fx->app_id,
                                                 "authorization", "Basic eDp5", NULL);

  assert_token_set (fx, response);
}

static void
test_exchange_client_secret_post (EmuFixture    *fx,
                                  gconstpointer  data)
{
  g_autofree char *ticket = NULL;
  g_autofree char *good = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *header = NULL;
  g_autoptr(EmuResponse) as_basic = NULL;
  g_autoptr(EmuResponse) response = NULL;
  /* What follows the ticket in each refused body. */
  const char *bad_rests[] = {
    ",\"client_id\":\"" QRS_EMULATOR_DEFAULT_APP_ID "\",\"client_secret\":\"wrong\"}",
    ",\"client_id\":\"other-app\",\"client_secret\":\"" SECRET "\"}",
    ",\"client_id\":\"" QRS_EMULATOR_DEFAULT_APP_ID "\"}",
    ",\"client_secret\":\"" SECRET "\"}",
    ",\"client_id\":\"" QRS_EMULATOR_DEFAULT_APP_ID "\",\"client_secret\":\"" SECRET "x\"}",
    ",\"client_id\":\"" QRS_EMULATOR_DEFAULT_APP_ID "\",\"client_secret\":1}",
    "}",
  };

  g_object_set (fx->emulator,
                "token-auth-method", QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_POST,
                "client-secret", SECRET,
                NULL);
  ticket = emu_authorize (fx);

  for (guint i = 0; i < G_N_ELEMENTS (bad_rests); i++)
    {
      g_autofree char *body = g_strconcat ("{\"ticket\":\"", ticket, "\"", bad_rests[i], NULL);
      g_autoptr(EmuResponse) refused = emu_api (fx, "POST", EXCHANGE, body);

      emu_assert_envelope (refused, 401, 0, CLIENT_AUTH);
    }

  /* Basic credentials do not count for client_secret_post. */
  basic = g_base64_encode ((const guchar *) QRS_EMULATOR_DEFAULT_APP_ID ":" SECRET,
                           strlen (QRS_EMULATOR_DEFAULT_APP_ID ":" SECRET));
  header = g_strconcat ("Basic ", basic, NULL);
  good = g_strdup_printf ("{\"ticket\":\"%s\"}", ticket);
  as_basic = emu_request (fx, "POST", EXCHANGE, good, 0,
                          "x-authing-app-id", fx->app_id, "authorization", header, NULL);
  emu_assert_envelope (as_basic, 401, 0, CLIENT_AUTH);

  /* None of the refusals used the ticket up. */
  g_clear_pointer (&good, g_free);
  good = g_strdup_printf ("{\"ticket\":\"%s\",\"client_id\":\"" QRS_EMULATOR_DEFAULT_APP_ID "\","
                          "\"client_secret\":\"" SECRET "\"}", ticket);
  response = emu_api (fx, "POST", EXCHANGE, good);
  assert_token_set (fx, response);
}

static char *
basic_header (const char *scheme,
              const char *credentials)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));

  return g_strconcat (scheme, " ", encoded, NULL);
}

/* Each of @headers, as the Authorization of an exchange, is refused. */
static void
assert_exchanges_refused (EmuFixture         *fx,
                          const char         *body,
                          const char * const *headers,
                          gsize               n_headers)
{
  for (gsize i = 0; i < n_headers; i++)
    {
      g_autoptr(EmuResponse) refused = emu_request (fx, "POST", EXCHANGE, body, 0,
                                                    "x-authing-app-id", fx->app_id,
                                                    "authorization", headers[i], NULL);

      emu_assert_envelope (refused, 401, 0, CLIENT_AUTH);
    }
}

static void
test_exchange_client_secret_basic (EmuFixture    *fx,
                                   gconstpointer  data)
{
  g_autofree char *ticket = NULL;
  g_autofree char *body = NULL;
  g_autofree char *post_body = NULL;
  g_autofree char *good = basic_header ("Basic", QRS_EMULATOR_DEFAULT_APP_ID ":" SECRET);
  g_autofree char *lower = basic_header ("basic", QRS_EMULATOR_DEFAULT_APP_ID ":" SECRET);
  g_autoptr(EmuResponse) as_post = NULL;
  g_autoptr(EmuResponse) response = NULL;
  g_autoptr(EmuResponse) second = NULL;
  g_autofree char *wrong_secret = basic_header ("Basic", QRS_EMULATOR_DEFAULT_APP_ID ":nope");
  g_autofree char *wrong_id = basic_header ("Basic", "other:" SECRET);
  g_autofree char *no_colon = basic_header ("Basic", QRS_EMULATOR_DEFAULT_APP_ID SECRET);
  g_autofree char *bearer = basic_header ("Bearer", QRS_EMULATOR_DEFAULT_APP_ID ":" SECRET);
  const char *bad_headers[] = { wrong_secret, wrong_id, no_colon, bearer, "Basic", "Basic ", "Basic !!!" };

  g_object_set (fx->emulator,
                "token-auth-method", QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC,
                "client-secret", SECRET,
                NULL);
  ticket = emu_authorize (fx);
  body = g_strdup_printf ("{\"ticket\":\"%s\"}", ticket);

  assert_exchanges_refused (fx, body, bad_headers, G_N_ELEMENTS (bad_headers));

  /* Neither no header nor credentials in the body are enough. */
  post_body = g_strdup_printf ("{\"ticket\":\"%s\",\"client_id\":\"" QRS_EMULATOR_DEFAULT_APP_ID "\","
                               "\"client_secret\":\"" SECRET "\"}", ticket);
  as_post = emu_api (fx, "POST", EXCHANGE, post_body);
  emu_assert_envelope (as_post, 401, 0, CLIENT_AUTH);

  response = emu_request (fx, "POST", EXCHANGE, body, 0,
                          "x-authing-app-id", fx->app_id, "authorization", good, NULL);
  assert_token_set (fx, response);

  /* The scheme name is case-insensitive. */
  g_clear_pointer (&ticket, g_free);
  g_clear_pointer (&body, g_free);
  ticket = emu_authorize (fx);
  body = g_strdup_printf ("{\"ticket\":\"%s\"}", ticket);
  second = emu_request (fx, "POST", EXCHANGE, body, 0,
                        "x-authing-app-id", fx->app_id, "authorization", lower, NULL);
  assert_token_set (fx, second);
}

/* Each part of Basic credentials is form-encoded (RFC 6749 §2.3.1), so a
 * secret may hold ':', '+', '%' and spaces; a broken escape is refused.
 */
static void
test_exchange_client_secret_basic_encoded (EmuFixture    *fx,
                                           gconstpointer  data)
{
  g_autofree char *ticket = NULL;
  g_autofree char *body = NULL;
  g_autofree char *raw = basic_header ("Basic", QRS_EMULATOR_DEFAULT_APP_ID ":odd: +%secret");
  g_autofree char *broken = basic_header ("Basic", QRS_EMULATOR_DEFAULT_APP_ID ":odd%3A+%2B%2secret");
  g_autofree char *nul = basic_header ("Basic", QRS_EMULATOR_DEFAULT_APP_ID ":odd%00%3A+%2B%25secret");
  /* A NUL inside the decoded credentials cuts nothing short. */
  static const char with_nul[] = QRS_EMULATOR_DEFAULT_APP_ID "\0junk:odd%3A+%2B%25secret";
  g_autofree char *encoded_nul = g_base64_encode ((const guchar *) with_nul, sizeof with_nul - 1);
  g_autofree char *raw_nul = g_strconcat ("Basic ", encoded_nul, NULL);
  g_autofree char *good = basic_header ("Basic", QRS_EMULATOR_DEFAULT_APP_ID ":odd%3A+%2B%25secret");
  g_autoptr(EmuResponse) response = NULL;
  const char *bad_headers[] = { raw, broken, nul, raw_nul };

  g_object_set (fx->emulator,
                "token-auth-method", QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC,
                "client-secret", "odd: +%secret",
                NULL);
  ticket = emu_authorize (fx);
  body = g_strdup_printf ("{\"ticket\":\"%s\"}", ticket);

  assert_exchanges_refused (fx, body, bad_headers, G_N_ELEMENTS (bad_headers));

  response = emu_request (fx, "POST", EXCHANGE, body, 0,
                          "x-authing-app-id", fx->app_id, "authorization", good, NULL);
  assert_token_set (fx, response);
}

static void
test_exchange_no_secret_configured (EmuFixture    *fx,
                                    gconstpointer  data)
{
  g_autofree char *ticket = NULL;
  g_autofree char *body = NULL;
  g_autoptr(EmuResponse) response = NULL;

  qrs_emulator_set_token_auth_method (fx->emulator, QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_POST);
  g_assert_null (qrs_emulator_get_client_secret (fx->emulator));
  ticket = emu_authorize (fx);
  body = g_strdup_printf ("{\"ticket\":\"%s\",\"client_id\":\"" QRS_EMULATOR_DEFAULT_APP_ID "\","
                          "\"client_secret\":\"\"}", ticket);
  response = emu_api (fx, "POST", EXCHANGE, body);

  emu_assert_envelope (response, 401, 0, CLIENT_AUTH);
}

#define ADD(path, func) \
  g_test_add ("/emulator/api/" path, EmuFixture, NULL, emu_fixture_setup, func, emu_fixture_teardown)
#define ADD_DATA(path, func, data) \
  g_test_add ("/emulator/api/" path, EmuFixture, data, emu_fixture_setup, func, emu_fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("gene-qrcode/mobile-app", test_gene_mobile_app);
  ADD ("gene-qrcode/genauth-header", test_gene_genauth_header);
  ADD ("gene-qrcode/custom-data", test_gene_custom_data);
  ADD ("gene-qrcode/unique-ids", test_gene_unique_ids);
  ADD ("gene-qrcode/wechat-types", test_gene_wechat_types);
  ADD ("gene-qrcode/bad-body", test_gene_bad_body);

  ADD ("app-id/missing", test_app_id_missing);
  ADD ("app-id/wrong", test_app_id_wrong);
  ADD ("app-id/property", test_app_id_property);
  ADD ("app-id/genauth-only", test_app_id_genauth_only);
  ADD ("lang/english", test_lang_english);
  ADD ("lang/same-error", test_lang_same_error);
  ADD ("lang/tags", test_lang_tags);
  ADD ("lang/authing-wins", test_lang_authing_wins);
  ADD ("unknown-routes", test_unknown_routes);

  ADD_DATA ("check-qrcode-status/pending", test_check_pending, "/api/v3/check-qrcode-status");
  ADD_DATA ("get-qrcode-status/pending", test_check_pending, "/api/v3/get-qrcode-status");
  ADD_DATA ("check-qrcode-status/bad-id", test_check_bad_id, "/api/v3/check-qrcode-status");
  ADD_DATA ("get-qrcode-status/bad-id", test_check_bad_id, "/api/v3/get-qrcode-status");
  ADD ("check-qrcode-status/scanned", test_check_scanned);
  ADD ("check-qrcode-status/authorized", test_check_authorized);
  ADD ("check-qrcode-status/cancelled", test_check_cancelled);
  ADD ("check-qrcode-status/expired", test_check_expired);
  ADD ("check-qrcode-status/qr-ttl-property", test_check_qr_ttl_property);
  ADD ("check-qrcode-status/terminal-states-stay", test_check_terminal_states_stay);
  ADD ("check-qrcode-status/full-user-info", test_check_full_user_info);

  add_transition_tests ();
  ADD ("change-qrcode-status/other-user", test_change_other_user);
  ADD ("change-qrcode-status/token-forms", test_change_token_forms);
  ADD ("change-qrcode-status/not-logged-in", test_change_not_logged_in);
  ADD ("change-qrcode-status/bad-request", test_change_bad_request);
  ADD ("change-qrcode-status/other-pool", test_change_other_pool);
  ADD ("change-qrcode-status/user-profile", test_change_user_profile);

  ADD ("exchange/none", test_exchange_none);
  ADD ("exchange/fresh-tokens", test_exchange_fresh_tokens);
  ADD ("exchange/reuse", test_exchange_reuse);
  ADD ("exchange/expiry", test_exchange_expiry);
  ADD ("exchange/ticket-ttl-property", test_exchange_ticket_ttl_property);
  ADD ("exchange/bad-ticket", test_exchange_bad_ticket);
  ADD ("exchange/none-ignores-credentials", test_exchange_none_ignores_credentials);
  ADD ("exchange/client-secret-post", test_exchange_client_secret_post);
  ADD ("exchange/client-secret-basic", test_exchange_client_secret_basic);
  ADD ("exchange/client-secret-basic-encoded", test_exchange_client_secret_basic_encoded);
  ADD ("exchange/no-secret-configured", test_exchange_no_secret_configured);

  return g_test_run ();
}
