/* test-genauth-wire.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "qrs-core-enums.h"
#include "qrs-genauth-wire.h"
#include "qrs-provider.h"

/* Every documented shape of GenAuth V3 answers, and bodies that are broken
 * or hostile. The whole suite runs with G_DEBUG=fatal-criticals, so a
 * json-glib critical on any input fails it too.
 */

typedef enum {
  PARSE_CODE,
  PARSE_STATUS,
  PARSE_TOKEN_SET,
} ParseKind;

/* A fixed clock: 2026-03-01T08:30:15.042Z. */
static GDateTime *
fixed_now (void)
{
  return g_date_time_new_utc (2026, 3, 1, 8, 30, 15.042);
}

static QrsGenauthReply
reply_for (guint       http_status,
           const char *retry_after,
           const char *body,
           GDateTime  *now)
{
  QrsGenauthReply reply = {
    .http_status = http_status,
    .retry_after = retry_after,
    .received_at = now,
    .body = (const guint8 *) body,
    .body_length = body != NULL ? strlen (body) : 0,
  };

  return reply;
}

static GObject *
parse (ParseKind               kind,
       const QrsGenauthReply  *reply,
       GError                **error)
{
  g_autoptr(GDateTime) now = fixed_now ();

  switch (kind)
    {
    case PARSE_CODE:
      return (GObject *) qrs_genauth_wire_parse_code (reply, "pool1", now, 120, error);
    case PARSE_STATUS:
      return (GObject *) qrs_genauth_wire_parse_status (reply, error);
    case PARSE_TOKEN_SET:
      return (GObject *) qrs_genauth_wire_parse_token_set (reply, error);
    default:
      g_assert_not_reached ();
    }
}

static QrsStatusReport *
parse_status_ok (const char *body)
{
  QrsGenauthReply reply = reply_for (200, NULL, body, NULL);
  g_autoptr(GError) error = NULL;
  QrsStatusReport *report;

  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_no_error (error);
  g_assert_true (QRS_IS_STATUS_REPORT (report));

  return report;
}

static QrsTokenSet *
parse_token_set_ok (const char *body)
{
  QrsGenauthReply reply = reply_for (200, NULL, body, NULL);
  g_autoptr(GError) error = NULL;
  QrsTokenSet *token_set;

  token_set = qrs_genauth_wire_parse_token_set (&reply, &error);
  g_assert_no_error (error);
  g_assert_true (QRS_IS_TOKEN_SET (token_set));

  return token_set;
}

#define MISSING(m) "The server's answer could not be understood: the member “" m "” is missing"
#define NOT_STRING(m) "The server's answer could not be understood: the member “" m "” is not a string"
#define NOT_INTEGER(m) "The server's answer could not be understood: the member “" m "” is not a whole number"
#define NOT_OBJECT(m) "The server's answer could not be understood: the member “" m "” is not an object"
#define EMPTY(m) "The server's answer could not be understood: the member “" m "” is empty"
#define TOO_LONG(m) "The server's answer could not be understood: the member “" m "” is too long"
#define OUT_OF_RANGE(m) "The server's answer could not be understood: the member “" m "” is out of range"
#define NOT_JSON_AT(n) "The server's answer is not valid JSON (at byte " #n ")"
#define EXTRA_AT(n) "The server's answer has extra data after the JSON value (at byte " #n ")"
#define NOT_OBJECT_ROOT "The server's answer is not a JSON object"
#define EMPTY_BODY "The server's answer is empty"
#define NOT_UTF8 "The server's answer is not valid UTF-8 text"

#define OK_CODE_DATA "\"data\":{\"qrcodeId\":\"abc\",\"url\":\"https://e.com/q.png\"}"
#define NUL_BODY "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\"}}\0garbage"
#define TOKENS(x) "{\"statusCode\":200,\"data\":{" x "}}"

/* What the parsers say on the log while a test runs: flaws they tolerated.
 * Every line is kept, so a test can also prove no secret got into one.
 */
typedef struct
{
  GString *lines;
  guint handler_id;
} LogCapture;

static void
capture_message (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  LogCapture *capture = user_data;

  g_string_append_printf (capture->lines, "%s\n", message);
}

static void
log_capture_start (LogCapture *capture)
{
  capture->lines = g_string_new (NULL);
  capture->handler_id = g_log_set_handler ("qr-signin-core", G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_WARNING,
                                           capture_message, capture);
}

static void
log_capture_stop (LogCapture *capture)
{
  g_log_remove_handler ("qr-signin-core", capture->handler_id);
  g_string_free (capture->lines, TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LogCapture, log_capture_stop)

#define FLAWED(m, what) "The server's answer has a flawed member “" m "”: " what "\n"

/* ---- Documented shapes ------------------------------------------------ */

/* Reference §3.1, the documentation's example, verbatim. */
static void
test_code_documented (void)
{
  const char *body =
    "{\n"
    "  \"statusCode\": 200,\n"
    "  \"message\": \"操作成功\",\n"
    "  \"requestId\": \"934108e5-9fbf-4d24-8da1-c330328abd6c\",\n"
    "  \"data\": {\n"
    "    \"qrcodeId\": \"gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX\",\n"
    "    \"url\": \"https://files.authing.co/user-contentsqrcode/59f86b4832eb28071bdd9214/gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX1ZhOFNiM1UxV29GVTF5MWMAAgQY4_RiAwSAxhMA.png\",\n"
    "    \"customLogoUrl\": \"https://files.authing.co/authing-console/social-connections/wechatMiniLogin.svg\"\n"
    "  }\n"
    "}\n";
  g_autoptr(GDateTime) now = fixed_now ();
  QrsGenauthReply reply = reply_for (200, NULL, body, now);
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  g_autofree char *expires = NULL;

  code = qrs_genauth_wire_parse_code (&reply, "59f86b4832eb28071bdd9214", now, 120, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (qrs_code_get_id (code), ==, "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX");
  g_assert_cmpstr (qrs_code_get_image_url (code), ==,
                   "https://files.authing.co/user-contentsqrcode/59f86b4832eb28071bdd9214/"
                   "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX1ZhOFNiM1UxV29GVTF5MWMAAgQY4_RiAwSAxhMA.png");
  g_assert_cmpuint (qrs_code_get_lifetime (code), ==, 120);
  g_assert_true (g_date_time_equal (qrs_code_get_created_at (code), now));

  created = g_date_time_format_iso8601 (qrs_code_get_created_at (code));
  expires = g_date_time_format_iso8601 (qrs_code_get_expires_at (code));
  g_assert_cmpstr (created, ==, "2026-03-01T08:30:15.042000Z");
  g_assert_cmpstr (expires, ==, "2026-03-01T08:32:15.042000Z");

  g_assert_cmpstr (qrs_code_get_qr_content (code), ==,
                   "{\"scene\":\"APP_AUTH\","
                   "\"random\":\"gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX\","
                   "\"qrcodeId\":\"gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX\","
                   "\"userPoolId\":\"59f86b4832eb28071bdd9214\","
                   "\"createdAt\":\"2026-03-01T08:30:15.042Z\","
                   "\"expireAt\":\"2026-03-01T08:32:15.042Z\"}");
}

/* What the emulator and a MOBILE_APP code look like (reference §9). */
static void
test_code_mobile_app (void)
{
  const char *body =
    "{\"statusCode\":200,\"message\":\"操作成功\",\"requestId\":\"r1\","
    "\"data\":{\"qrcodeId\":\"SzZrszCJNCFfVBDUCKLDtAYNBR96SK\","
    "\"url\":\"http://127.0.0.1:8080/__emu/qrcode/SzZrszCJNCFfVBDUCKLDtAYNBR96SK.png\"}}";
  g_autoptr(GDateTime) created = g_date_time_new_utc (2019, 12, 27, 11, 53, 41.260);
  QrsGenauthReply reply = reply_for (200, NULL, body, created);
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  code = qrs_genauth_wire_parse_code (&reply, NULL, created, 300, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (qrs_code_get_id (code), ==, "SzZrszCJNCFfVBDUCKLDtAYNBR96SK");
  g_assert_cmpstr (qrs_code_get_image_url (code), ==,
                   "http://127.0.0.1:8080/__emu/qrcode/SzZrszCJNCFfVBDUCKLDtAYNBR96SK.png");
  g_assert_cmpuint (qrs_code_get_lifetime (code), ==, 300);
  /* No user pool configured: no userPoolId key at all. */
  g_assert_cmpstr (qrs_code_get_qr_content (code), ==,
                   "{\"scene\":\"APP_AUTH\","
                   "\"random\":\"SzZrszCJNCFfVBDUCKLDtAYNBR96SK\","
                   "\"qrcodeId\":\"SzZrszCJNCFfVBDUCKLDtAYNBR96SK\","
                   "\"createdAt\":\"2019-12-27T11:53:41.260Z\","
                   "\"expireAt\":\"2019-12-27T11:58:41.260Z\"}");
}

/* Ids come from the server: they must be escaped, not pasted, into the
 * QR content.
 */
static void
test_code_hostile_id_escaped (void)
{
  const char *body =
    "{\"statusCode\":200,\"data\":{\"qrcodeId\":\"a\\\"b\\\\c\\n\\u00e9\\u2028</x>\","
    "\"url\":\"https://example.com/q.png\"}}";
  g_autoptr(GDateTime) created = g_date_time_new_utc (2020, 1, 2, 3, 4, 5.0);
  QrsGenauthReply reply = reply_for (200, NULL, body, created);
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *content;

  code = qrs_genauth_wire_parse_code (&reply, "p\"ool", created, 120, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qrs_code_get_id (code), ==, "a\"b\\c\n\xc3\xa9\xe2\x80\xa8</x>");

  /* Still one JSON object holding exactly the id. */
  content = qrs_code_get_qr_content (code);
  g_assert_true (json_parser_load_from_data (parser, content, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "random"), ==, qrs_code_get_id (code));
  g_assert_cmpstr (json_object_get_string_member (object, "qrcodeId"), ==, qrs_code_get_id (code));
  g_assert_cmpstr (json_object_get_string_member (object, "userPoolId"), ==, "p\"ool");
  g_assert_null (strchr (content, '\n'));
}

/* A url that is not http(s) is dropped, not fetched: the caller then draws
 * the code locally.
 */
static void
test_code_url_not_web (void)
{
  const char *urls[] = { "file:///etc/passwd", "javascript:alert(1)", "/relative.png", "https://", "data:image/png;base64,AAAA" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"qrcodeId\":\"abc\",\"url\":\"%s\"}}", urls[i]);
      g_autoptr(GDateTime) now = fixed_now ();
      QrsGenauthReply reply = reply_for (200, NULL, body, now);
      g_autoptr(QrsCode) code = NULL;
      g_autoptr(GError) error = NULL;

      code = qrs_genauth_wire_parse_code (&reply, NULL, now, 120, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (qrs_code_get_id (code), ==, "abc");
      g_assert_null (qrs_code_get_image_url (code));
      g_assert_nonnull (qrs_code_get_qr_content (code));
    }
}

static void
test_status_pending (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"status\":\"PENDING\"}}");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_PENDING);
  g_assert_null (qrs_status_report_get_ticket (report));
  g_assert_null (qrs_status_report_get_display_name (report));
  g_assert_null (qrs_status_report_get_photo_url (report));
  g_assert_null (qrs_status_report_get_token_set (report));
}

static void
test_status_scanned (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"status\":\"SCANNED\","
                     "\"briefUserInfo\":{\"displayName\":\"Alice\",\"photo\":\"https://cdn.example.com/a.png\"}}}");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_SCANNED);
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Alice");
  g_assert_cmpstr (qrs_status_report_get_photo_url (report), ==, "https://cdn.example.com/a.png");
  g_assert_false (qrs_status_report_has_ticket (report));
}

static void
test_status_authorized_ticket (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"message\":\"操作成功\",\"requestId\":\"x\",\"data\":{\"status\":\"AUTHORIZED\","
                     "\"ticket\":\"TICKET-5e05f0c57fde537d950f7da5\","
                     "\"briefUserInfo\":{\"displayName\":\"张伟\",\"photo\":\"https://cdn.example.com/z.png\"}}}");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_AUTHORIZED);
  g_assert_cmpstr (qrs_status_report_get_ticket (report), ==, "TICKET-5e05f0c57fde537d950f7da5");
  g_assert_true (qrs_status_report_has_ticket (report));
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "张伟");
  g_assert_null (qrs_status_report_get_token_set (report));
}

/* The console's "poll returns full user info" switch: tokens instead of a
 * ticket.
 */
static void
test_status_authorized_token_set (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"status\":\"AUTHORIZED\","
                     "\"tokenSet\":{\"scope\":\"openid profile\",\"access_token\":\"eyJhbGciOiJSxxxxx\","
                     "\"id_token\":\"eyJhbGxxxx\",\"refresh_token\":\"WPsGJbvpBjqXz6IJIr1UHKyrdVF\","
                     "\"token_type\":\"bearer\",\"expire_in\":7200}}}");
  QrsTokenSet *token_set;

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_AUTHORIZED);
  g_assert_null (qrs_status_report_get_ticket (report));
  token_set = qrs_status_report_get_token_set (report);
  g_assert_nonnull (token_set);
  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, "eyJhbGciOiJSxxxxx");
  g_assert_cmpstr (qrs_token_set_get_id_token (token_set), ==, "eyJhbGxxxx");
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 7200);
}

static void
test_status_cancelled (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"status\":\"CANCELLED\","
                     "\"briefUserInfo\":{\"displayName\":\"Alice\",\"photo\":\"https://cdn.example.com/a.png\"}}}");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_CANCELLED);
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Alice");
}

static void
test_status_expired (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"status\":\"EXPIRED\"}}");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_EXPIRED);
}

static void
test_status_error (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"data\":{\"status\":\"ERROR\"}}");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_ERROR);
}

/* Reference §3.2: without `data`, the status may sit at the top level. */
static void
test_status_top_level (void)
{
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(QrsStatusReport) with_null = NULL;

  report = parse_status_ok ("{\"statusCode\":200,\"status\":\"SCANNED\","
                            "\"briefUserInfo\":{\"displayName\":\"Bob\"}}");
  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_SCANNED);
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Bob");
  g_assert_null (qrs_status_report_get_photo_url (report));

  with_null = parse_status_ok ("{\"statusCode\":200,\"data\":null,\"status\":\"AUTHORIZED\",\"ticket\":\"t\"}");
  g_assert_cmpint (qrs_status_report_get_status (with_null), ==, QRS_STATUS_AUTHORIZED);
  g_assert_cmpstr (qrs_status_report_get_ticket (with_null), ==, "t");
}

/* Unknown members at every level are ignored, nulls count as absent, and
 * ticket/tokenSet are not looked at before AUTHORIZED.
 */
static void
test_status_lenient (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("\xef\xbb\xbf {\"statusCode\":200,\"apiCode\":null,\"future\":[1,{\"x\":null},-99999999999999999999999],"
                     "\"data\":{\"status\":\"PENDING\",\"ticket\":42,\"tokenSet\":\"not yet\","
                     "\"briefUserInfo\":{\"displayName\":null,\"photo\":\"\",\"gender\":\"U\"},\"extra\":true}} \r\n");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_PENDING);
  g_assert_null (qrs_status_report_get_ticket (report));
  g_assert_null (qrs_status_report_get_display_name (report));
  g_assert_null (qrs_status_report_get_photo_url (report));
}

/* An avatar address that is not http(s) is dropped; the window shows
 * initials.
 */
static void
test_status_photo_not_web (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"data\":{\"status\":\"SCANNED\","
                     "\"briefUserInfo\":{\"displayName\":\"Eve\",\"photo\":\"file:///home/eve/.ssh/id_rsa\"}}}");

  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Eve");
  g_assert_null (qrs_status_report_get_photo_url (report));
}

/* Addresses are kept in GUri's normal form, so what the caller fetches is
 * exactly what was checked.
 */
static void
test_status_photo_normalized (void)
{
  g_autoptr(QrsStatusReport) report =
    parse_status_ok ("{\"statusCode\":200,\"data\":{\"status\":\"SCANNED\","
                     "\"briefUserInfo\":{\"displayName\":\"Mallory\\n[ERROR] forged\",\"photo\":\"https://cdn.example.com/a b\\u0001.png\"}}}");
  g_autofree char *text = qrs_status_report_to_debug_string (report);

  g_assert_cmpstr (qrs_status_report_get_photo_url (report), ==, "https://cdn.example.com/a%20b%01.png");
  /* The name is kept as sent; log lines get it escaped. */
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Mallory\n[ERROR] forged");
  g_assert_cmpstr (text, ==,
                   "status=SCANNED ticket=(none) display_name=\"Mallory\\x0a[ERROR] forged\" "
                   "photo_url=\"https://cdn.example.com/a%20b%01.png\" token_set=(none)");
}

/* Reference §3.3, the documentation's example, verbatim. */
static void
test_token_set_documented (void)
{
  g_autoptr(QrsTokenSet) token_set =
    parse_token_set_ok ("{\n"
                        "  \"statusCode\": 200, \"message\": \"操作成功\", \"requestId\": \"934108e5-9fbf-4d24-8da1-c330328abd6c\",\n"
                        "  \"data\": { \"scope\": \"openid profile\", \"access_token\": \"eyJhbGciOiJSxxxxx\", \"id_token\": \"eyJhbGxxxx\",\n"
                        "            \"refresh_token\": \"WPsGJbvpBjqXz6IJIr1UHKyrdVF\", \"token_type\": \"bearer\", \"expire_in\": 7200 }\n"
                        "}");

  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, "eyJhbGciOiJSxxxxx");
  g_assert_cmpstr (qrs_token_set_get_id_token (token_set), ==, "eyJhbGxxxx");
  g_assert_cmpstr (qrs_token_set_get_refresh_token (token_set), ==, "WPsGJbvpBjqXz6IJIr1UHKyrdVF");
  g_assert_cmpstr (qrs_token_set_get_token_type (token_set), ==, "bearer");
  g_assert_cmpstr (qrs_token_set_get_scope (token_set), ==, "openid profile");
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 7200);
}

/* The OIDC spelling, and an ID token without an access token. */
static void
test_token_set_expires_in (void)
{
  g_autoptr(QrsTokenSet) token_set =
    parse_token_set_ok ("{\"statusCode\":200,\"data\":{\"id_token\":\"eyJid\",\"token_type\":\"Bearer\",\"expires_in\":3600}}");

  g_assert_null (qrs_token_set_get_access_token (token_set));
  g_assert_cmpstr (qrs_token_set_get_id_token (token_set), ==, "eyJid");
  g_assert_null (qrs_token_set_get_refresh_token (token_set));
  g_assert_null (qrs_token_set_get_scope (token_set));
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 3600);
}

/* With both spellings, the documented one wins. */
static void
test_token_set_both_spellings (void)
{
  g_autoptr(QrsTokenSet) token_set =
    parse_token_set_ok ("{\"statusCode\":200,\"data\":{\"access_token\":\"a\",\"token_type\":\"bearer\","
                        "\"expires_in\":1,\"expire_in\":2,\"refresh_token\":\"\"}}");

  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 2);
  g_assert_null (qrs_token_set_get_refresh_token (token_set));
}

/* ---- Flaws that do not cost the sign-in ------------------------------ */

/* Reference §3.2: the documentation's status example, verbatim as the
 * reference gives it. It puts a description where the schema has the
 * person object: the person is unknown, the status is still read.
 */
static void
test_status_seed_sample (void)
{
  g_auto(LogCapture) log = { NULL, 0 };
  g_autoptr(QrsStatusReport) report = NULL;

  log_capture_start (&log);
  report = parse_status_ok ("{\n"
                            "  \"statusCode\": 200, \"message\": \"操作成功\", \"requestId\": \"934108e5-9fbf-4d24-8da1-c330328abd6c\",\n"
                            "  \"data\": {\n"
                            "    \"status\": \"PENDING\",\n"
                            "    \"briefUserInfo\": \"…(description text)…\",\n"
                            "    \"tokenSet\": { \"scope\": \"openid profile\", \"access_token\": \"eyJhbGciOiJSxxxxx\", \"id_token\": \"eyJhbGxxxx\",\n"
                            "                  \"refresh_token\": \"WPsGJbvpBjqXz6IJIr1UHKyrdVF\", \"token_type\": \"bearer\", \"expire_in\": 7200 }\n"
                            "  }\n"
                            "}\n");

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_PENDING);
  g_assert_null (qrs_status_report_get_display_name (report));
  g_assert_null (qrs_status_report_get_photo_url (report));
  g_assert_null (qrs_status_report_get_ticket (report));
  g_assert_null (qrs_status_report_get_token_set (report));
  g_assert_cmpstr (log.lines->str, ==, FLAWED ("data.briefUserInfo", "not an object, left out"));
}

/* The same page as published (reference/000_a74ced03d9f017b9.txt), byte for
 * byte: its description holds two unescaped quotes, so it is not JSON at
 * all and no strict reader takes it. A server that sent that description
 * would escape them; then it is the case above, and with AUTHORIZED the
 * tokens it carries sign the person in.
 */
#define PAGE_SAMPLE_HEAD \
  "{\n" \
  "\"statusCode\": 200,\n" \
  "\"message\": \"Operation successful\",\n" \
  "\"requestId\": \"934108e5-9fbf-4d24-8da1-c330328abd6c\",\n" \
  "\"data\": {\n"
#define PAGE_SAMPLE_USER(q) \
  "\"briefUserInfo\": \"Returned when the QR code status is scanned, authorized, or deauthorized. If " q "Web polling interface " \
  "returns complete user information" q " is not enabled in the console Application Security - General Security - Login " \
  "Security - APP Scan Code Login Web Security (it is disabled by default), the interface will only return the user's " \
  "avatar and display name. The front end can render the user's nickname and avatar based on this, giving the user a " \
  "prompt that the code has been successfully scanned. \",\n"
#define PAGE_SAMPLE_TAIL \
  "\"tokenSet\": {\n" \
  "\"access_token\": \"eyJhbGciOiJSxxxxx\",\n" \
  "\"id_token\": \"eyJhbGxxxx\",\n" \
  "\"refresh_token\": \"WPsGJbvpBjqXz6IJIr1UHKyrdVF\",\n" \
  "\"token_type\": \"bearer\",\n" \
  "\"expire_in\": 7200\n" \
  "}\n" \
  "}\n" \
  "}\n"

static void
test_status_seed_page_sample (void)
{
  const char *verbatim = PAGE_SAMPLE_HEAD "\"status\": \"PENDING\",\n" PAGE_SAMPLE_USER ("\"") PAGE_SAMPLE_TAIL;
  const char *escaped = PAGE_SAMPLE_HEAD "\"status\": \"PENDING\",\n" PAGE_SAMPLE_USER ("\\\"") PAGE_SAMPLE_TAIL;
  const char *authorized = PAGE_SAMPLE_HEAD "\"status\": \"AUTHORIZED\",\n" PAGE_SAMPLE_USER ("\\\"") PAGE_SAMPLE_TAIL;
  QrsGenauthReply reply = reply_for (200, NULL, verbatim, NULL);
  g_auto(LogCapture) log = { NULL, 0 };
  g_autoptr(QrsStatusReport) pending = NULL;
  g_autoptr(QrsStatusReport) signed_in = NULL;
  g_autoptr(GError) error = NULL;
  QrsTokenSet *token_set;

  g_assert_null (qrs_genauth_wire_parse_status (&reply, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, NOT_JSON_AT (236));

  log_capture_start (&log);
  pending = parse_status_ok (escaped);
  g_assert_cmpint (qrs_status_report_get_status (pending), ==, QRS_STATUS_PENDING);
  g_assert_null (qrs_status_report_get_display_name (pending));
  g_assert_null (qrs_status_report_get_token_set (pending));

  signed_in = parse_status_ok (authorized);
  g_assert_cmpint (qrs_status_report_get_status (signed_in), ==, QRS_STATUS_AUTHORIZED);
  g_assert_null (qrs_status_report_get_display_name (signed_in));
  g_assert_null (qrs_status_report_get_photo_url (signed_in));
  token_set = qrs_status_report_get_token_set (signed_in);
  g_assert_nonnull (token_set);
  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, "eyJhbGciOiJSxxxxx");
  g_assert_cmpstr (qrs_token_set_get_refresh_token (token_set), ==, "WPsGJbvpBjqXz6IJIr1UHKyrdVF");
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 7200);
  g_assert_cmpstr (log.lines->str, ==,
                   FLAWED ("data.briefUserInfo", "not an object, left out")
                   FLAWED ("data.briefUserInfo", "not an object, left out"));
}

/* Whatever stands where the person should be, the status is read and the
 * sign-in goes on with the person unknown; only null is quietly absent.
 */
static void
test_status_person_not_object (void)
{
  static const char *values[] = { "\"Alice\"", "42", "true", "[{\"displayName\":\"Alice\"}]", "\"\"", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"ticket\":\"t1\","
                                               "\"briefUserInfo\":%s}}", values[i]);
      g_auto(LogCapture) log = { NULL, 0 };
      g_autoptr(QrsStatusReport) report = NULL;

      log_capture_start (&log);
      report = parse_status_ok (body);
      g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_AUTHORIZED);
      g_assert_cmpstr (qrs_status_report_get_ticket (report), ==, "t1");
      g_assert_null (qrs_status_report_get_display_name (report));
      g_assert_null (qrs_status_report_get_photo_url (report));
      g_assert_cmpstr (log.lines->str, ==,
                       strcmp (values[i], "null") == 0 ? "" : FLAWED ("data.briefUserInfo", "not an object, left out"));
    }
}

/* A name or photo of the wrong type is left out; the rest stays. */
static void
test_status_person_members_wrong_type (void)
{
  g_auto(LogCapture) log = { NULL, 0 };
  g_autoptr(QrsStatusReport) no_name = NULL;
  g_autoptr(QrsStatusReport) no_photo = NULL;

  log_capture_start (&log);
  no_name = parse_status_ok ("{\"statusCode\":200,\"data\":{\"status\":\"SCANNED\","
                             "\"briefUserInfo\":{\"displayName\":42,\"photo\":\"https://cdn.example.com/a.png\"}}}");
  no_photo = parse_status_ok ("{\"statusCode\":200,\"status\":\"SCANNED\","
                              "\"briefUserInfo\":{\"displayName\":\"Bob\",\"photo\":{\"url\":\"https://cdn.example.com/b.png\"}}}");

  g_assert_cmpint (qrs_status_report_get_status (no_name), ==, QRS_STATUS_SCANNED);
  g_assert_null (qrs_status_report_get_display_name (no_name));
  g_assert_cmpstr (qrs_status_report_get_photo_url (no_name), ==, "https://cdn.example.com/a.png");
  g_assert_cmpstr (qrs_status_report_get_display_name (no_photo), ==, "Bob");
  g_assert_null (qrs_status_report_get_photo_url (no_photo));
  g_assert_cmpstr (log.lines->str, ==,
                   FLAWED ("data.briefUserInfo.displayName", "not a string, left out")
                   FLAWED ("briefUserInfo.photo", "not a string, left out"));
}

/* A name of any length within the body's 1 MiB is shortened to 256
 * characters and an ellipsis, cut between characters; a name of exactly 256
 * is kept whole.
 */
static void
test_status_long_display_name (void)
{
  static const struct
  {
    const char *unit;   /* one character */
    gsize count;
    gboolean shortened;
  } names[] = {
    { "a", 256, FALSE },
    { "a", 257, TRUE },
    { "张", 1025, TRUE },
    { "😀", 4000, TRUE },
    { "x", 1024 * 1024 - 200, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GString) name = g_string_new (NULL);
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autofree char *body = NULL;
      g_auto(LogCapture) log = { NULL, 0 };
      g_autoptr(QrsStatusReport) report = NULL;
      const char *shown;

      for (gsize n = 0; n < names[i].count; n++)
        {
          g_string_append (name, names[i].unit);
          if (n < 256)
            g_string_append (expected, names[i].unit);
        }
      if (names[i].shortened)
        g_string_append (expected, "…");

      body = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"status\":\"SCANNED\","
                              "\"briefUserInfo\":{\"displayName\":\"%s\",\"photo\":\"https://cdn.example.com/a.png\"}}}",
                              name->str);
      g_assert_cmpuint (strlen (body), <=, QRS_GENAUTH_WIRE_MAX_BODY);

      log_capture_start (&log);
      report = parse_status_ok (body);
      shown = qrs_status_report_get_display_name (report);
      g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_SCANNED);
      g_assert_true (g_utf8_validate (shown, -1, NULL));
      g_assert_cmpstr (shown, ==, expected->str);
      g_assert_cmpstr (qrs_status_report_get_photo_url (report), ==, "https://cdn.example.com/a.png");
      g_assert_cmpstr (log.lines->str, ==,
                       names[i].shortened ? FLAWED ("data.briefUserInfo.displayName", "longer than 256 characters, shortened") : "");
    }
}

/* A photo address too long to be real is dropped: the window shows
 * initials, and the name stays.
 */
static void
test_status_long_photo (void)
{
  g_autofree char *path = g_strnfill (8192, 'p');
  g_autofree char *body = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"status\":\"SCANNED\","
                                           "\"briefUserInfo\":{\"displayName\":\"Alice\",\"photo\":\"https://e.com/%s\"}}}", path);
  g_auto(LogCapture) log = { NULL, 0 };
  g_autoptr(QrsStatusReport) report = NULL;

  log_capture_start (&log);
  report = parse_status_ok (body);
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Alice");
  g_assert_null (qrs_status_report_get_photo_url (report));
  g_assert_cmpstr (log.lines->str, ==, FLAWED ("data.briefUserInfo.photo", "longer than 8192 bytes, left out"));
}

/* A token answer whose tokens are good but whose description is flawed:
 * the tokens are kept (their ticket cannot be exchanged again), the flawed
 * member is read where its meaning is plain and left out where it is not,
 * and the log says which member, never a value.
 */
typedef struct
{
  const char *name;
  const char *members;      /* besides the access and refresh tokens */
  gint64 expires_in;
  const char *token_type;
  const char *scope;
  const char *log;
} FlawedTokensCase;

#define SECRET_ACCESS "eyJhbGciOiJSUzI1NiJ9.SECRET-ACCESS.sig"
#define SECRET_REFRESH "SECRET-REFRESH-WPsGJbvpBjqXz6IJ"
#define UNKNOWN QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN
#define MAX_EXPIRY QRS_TOKEN_SET_EXPIRES_IN_MAX

static const FlawedTokensCase flawed_tokens_cases[] = {
  { "expiry-string", "\"token_type\":\"bearer\",\"expire_in\":\"7200\"", 7200, "bearer", NULL,
    FLAWED ("data.expire_in", "a number in a string, read as a number") },
  { "expiry-string-oidc", "\"token_type\":\"bearer\",\"expires_in\":\"3600\"", 3600, "bearer", NULL,
    FLAWED ("data.expires_in", "a number in a string, read as a number") },
  { "expiry-string-huge", "\"token_type\":\"bearer\",\"expire_in\":\"99999999999999999999999\"", MAX_EXPIRY, "bearer", NULL,
    FLAWED ("data.expire_in", "a number in a string, read as a number")
    FLAWED ("data.expire_in", "more than 2147483647, 2147483647 used") },
  { "expiry-string-units", "\"token_type\":\"bearer\",\"expire_in\":\"7200s\"", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "not a number, left out") },
  { "expiry-string-spaces", "\"token_type\":\"bearer\",\"expire_in\":\" 7200\"", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "not a number, left out") },
  { "expiry-string-negative", "\"token_type\":\"bearer\",\"expire_in\":\"-5\"", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "not a number, left out") },
  { "expiry-string-empty", "\"token_type\":\"bearer\",\"expire_in\":\"\"", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "not a number, left out") },
  { "expiry-negative", "\"token_type\":\"bearer\",\"expire_in\":-1", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "negative, left out") },
  { "expiry-negative-fraction", "\"token_type\":\"bearer\",\"expire_in\":-0.5", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "negative, left out") },
  { "expiry-fraction", "\"token_type\":\"bearer\",\"expires_in\":7200.9", 7200, "bearer", NULL,
    FLAWED ("data.expires_in", "not a whole number, rounded down") },
  { "expiry-exponent", "\"token_type\":\"bearer\",\"expire_in\":3.6e3", 3600, "bearer", NULL, "" },
  { "expiry-1e30", "\"token_type\":\"bearer\",\"expire_in\":1e30", MAX_EXPIRY, "bearer", NULL,
    FLAWED ("data.expire_in", "more than 2147483647, 2147483647 used") },
  { "expiry-infinite", "\"token_type\":\"bearer\",\"expire_in\":1e400", MAX_EXPIRY, "bearer", NULL,
    FLAWED ("data.expire_in", "more than 2147483647, 2147483647 used") },
  { "expiry-past-int32", "\"token_type\":\"bearer\",\"expire_in\":2147483648", MAX_EXPIRY, "bearer", NULL,
    FLAWED ("data.expire_in", "more than 2147483647, 2147483647 used") },
  { "expiry-past-int64", "\"token_type\":\"bearer\",\"expire_in\":99999999999999999999", MAX_EXPIRY, "bearer", NULL,
    FLAWED ("data.expire_in", "more than 2147483647, 2147483647 used") },
  /* json-glib alone reads this as 7200. */
  { "expiry-wraps-to-7200", "\"token_type\":\"bearer\",\"expire_in\":-18446744073709544416", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "negative, left out") },
  { "expiry-at-max", "\"token_type\":\"bearer\",\"expire_in\":2147483647", MAX_EXPIRY, "bearer", NULL, "" },
  { "expiry-zero", "\"token_type\":\"bearer\",\"expire_in\":0", 0, "bearer", NULL, "" },
  { "expiry-bool", "\"token_type\":\"bearer\",\"expire_in\":true", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "not a number, left out") },
  { "expiry-object", "\"token_type\":\"bearer\",\"expire_in\":{\"seconds\":7200}", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "not a number, left out") },
  { "expiry-missing", "\"token_type\":\"bearer\"", UNKNOWN, "bearer", NULL, "" },
  { "expiry-null", "\"token_type\":\"bearer\",\"expire_in\":null", UNKNOWN, "bearer", NULL, "" },
  /* The documented name wins even when its value is no use. */
  { "expiry-documented-name-flawed", "\"token_type\":\"bearer\",\"expire_in\":\"x\",\"expires_in\":5", UNKNOWN, "bearer", NULL,
    FLAWED ("data.expire_in", "not a number, left out") },
  { "type-missing", "\"expire_in\":7200", 7200, NULL, NULL, "" },
  { "type-empty", "\"token_type\":\"\",\"expire_in\":7200", 7200, NULL, NULL, "" },
  { "type-number", "\"token_type\":1,\"expire_in\":7200", 7200, NULL, NULL,
    FLAWED ("data.token_type", "not a string, left out") },
  { "type-too-long", "\"token_type\":\"bearerbearerbearerbearerbearerbearerbearerbearerbearerbearerbearer\",\"expire_in\":7200", 7200, NULL, NULL,
    FLAWED ("data.token_type", "longer than 64 bytes, left out") },
  { "scope-bool", "\"token_type\":\"bearer\",\"expire_in\":7200,\"scope\":false", 7200, "bearer", NULL,
    FLAWED ("data.scope", "not a string, left out") },
  { "scope-array", "\"token_type\":\"bearer\",\"expire_in\":7200,\"scope\":[\"openid\",\"profile\"]", 7200, "bearer", NULL,
    FLAWED ("data.scope", "not a string, left out") },
  { "id-token-object", "\"id_token\":{\"sub\":\"1\"},\"token_type\":\"bearer\",\"expire_in\":7200,\"scope\":\"openid\"", 7200, "bearer", "openid",
    FLAWED ("data.id_token", "not a string, left out") },
  { "everything-flawed",
    "\"id_token\":7,\"token_type\":[],\"scope\":{},\"expire_in\":\"soon\"", UNKNOWN, NULL, NULL,
    FLAWED ("data.id_token", "not a string, left out")
    FLAWED ("data.token_type", "not a string, left out")
    FLAWED ("data.scope", "not a string, left out")
    FLAWED ("data.expire_in", "not a number, left out") },
};

static void
test_flawed_tokens (gconstpointer data)
{
  const FlawedTokensCase *flawed = data;
  g_autofree char *body = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"access_token\":\"" SECRET_ACCESS "\","
                                           "\"refresh_token\":\"" SECRET_REFRESH "\",%s}}", flawed->members);
  g_autofree char *in_status = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"tokenSet\":"
                                                "{\"access_token\":\"" SECRET_ACCESS "\",%s}}}", flawed->members);
  g_autofree char *expected_in_status = NULL;
  g_auto(LogCapture) log = { NULL, 0 };
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(QrsStatusReport) report = NULL;
  g_auto(GStrv) lines = NULL;
  QrsTokenSet *status_tokens;

  log_capture_start (&log);
  token_set = parse_token_set_ok (body);
  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, SECRET_ACCESS);
  g_assert_cmpstr (qrs_token_set_get_refresh_token (token_set), ==, SECRET_REFRESH);
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, flawed->expires_in);
  g_assert_cmpstr (qrs_token_set_get_token_type (token_set), ==, flawed->token_type);
  g_assert_cmpstr (qrs_token_set_get_scope (token_set), ==, flawed->scope);
  g_assert_cmpstr (log.lines->str, ==, flawed->log);

  /* The same inside a status answer, named by its path there. */
  g_string_truncate (log.lines, 0);
  report = parse_status_ok (in_status);
  status_tokens = qrs_status_report_get_token_set (report);
  g_assert_nonnull (status_tokens);
  g_assert_cmpstr (qrs_token_set_get_access_token (status_tokens), ==, SECRET_ACCESS);
  g_assert_cmpint (qrs_token_set_get_expires_in (status_tokens), ==, flawed->expires_in);
  lines = g_strsplit (flawed->log, "“data.", -1);
  expected_in_status = g_strjoinv ("“data.tokenSet.", lines);
  g_assert_cmpstr (log.lines->str, ==, expected_in_status);

  g_assert_null (strstr (log.lines->str, "SECRET"));
}

/* A refresh token too long to be one is left out; the access token, which
 * the sign-in is for, is still refused past its limit.
 */
static void
test_tokens_long_optional (void)
{
  g_autofree char *long_token = g_strnfill (64 * 1024 + 1, 'r');
  g_autofree char *long_refresh = g_strdup_printf (TOKENS ("\"access_token\":\"a\",\"refresh_token\":\"%s\",\"expire_in\":60"), long_token);
  g_autofree char *long_access = g_strdup_printf (TOKENS ("\"access_token\":\"%s\",\"id_token\":\"i\",\"expire_in\":60"), long_token);
  QrsGenauthReply reply = reply_for (200, NULL, long_access, NULL);
  g_auto(LogCapture) log = { NULL, 0 };
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(GError) error = NULL;

  log_capture_start (&log);
  token_set = parse_token_set_ok (long_refresh);
  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, "a");
  g_assert_null (qrs_token_set_get_refresh_token (token_set));
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 60);
  g_assert_cmpstr (log.lines->str, ==, FLAWED ("data.refresh_token", "longer than 65536 bytes, left out"));

  g_assert_null (qrs_genauth_wire_parse_token_set (&reply, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server's answer could not be understood: the member “data.access_token” is too long");
}

/* What the tokens say when the server did not say everything. */
static void
test_tokens_debug_string_unknown (void)
{
  g_autoptr(QrsTokenSet) token_set = parse_token_set_ok (TOKENS ("\"access_token\":\"" SECRET_ACCESS "\""));
  g_autofree char *text = qrs_token_set_to_debug_string (token_set);

  g_assert_cmpstr (text, ==, "token_type=(none) expires_in=(none) scope=(none) "
                             "access_token=(38 chars) id_token=(none) refresh_token=(none)");
}

/* ---- Failures reported by the server ---------------------------------- */

static void
test_server_error_details (void)
{
  const char *body = "{\"statusCode\":400,\"apiCode\":2011,\"message\":\"应用不存在\",\"requestId\":\"req-42\"}";
  QrsGenauthReply reply = reply_for (200, NULL, body, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  code = qrs_genauth_wire_parse_code (&reply, NULL, now, 120, &error);
  g_assert_null (code);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The sign-in server refused the request: 应用不存在");
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 200);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 400);
  g_assert_cmpint (qrs_provider_error_get_api_code (error), ==, 2011);
  g_assert_cmpstr (qrs_provider_error_get_server_message (error), ==, "应用不存在");
  g_assert_cmpstr (qrs_provider_error_get_request_id (error), ==, "req-42");
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, -1);

  /* The details travel with copies of the error. */
  copy = g_error_copy (error);
  g_assert_cmpint (qrs_provider_error_get_api_code (copy), ==, 2011);
  g_assert_cmpstr (qrs_provider_error_get_request_id (copy), ==, "req-42");
}

static void
test_server_error_no_message (void)
{
  QrsGenauthReply reply = reply_for (200, NULL, "{\"statusCode\":404,\"message\":7,\"requestId\":[]}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsStatusReport) report = NULL;

  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER);
  g_assert_cmpstr (error->message, ==, "The sign-in server refused the request (status 404)");
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 404);
  g_assert_cmpint (qrs_provider_error_get_api_code (error), ==, 0);
  g_assert_null (qrs_provider_error_get_server_message (error));
  g_assert_null (qrs_provider_error_get_request_id (error));
}

/* The server's text is shown to people: one line, bounded, no bidi tricks. */
static void
test_server_error_message_sanitized (void)
{
  g_autoptr(GString) body = g_string_new ("{\"statusCode\":500,\"message\":\"line1\\nline2\\t\\u202eevil\\u0007");
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsTokenSet) token_set = NULL;
  QrsGenauthReply reply;
  const char *message;

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");
  reply = reply_for (200, NULL, body->str, NULL);

  token_set = qrs_genauth_wire_parse_token_set (&reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER);
  message = qrs_provider_error_get_server_message (error);
  g_assert_true (g_str_has_prefix (message, "line1 line2  evil xxx"));
  g_assert_true (g_str_has_suffix (message, "x…"));
  g_assert_cmpint (g_utf8_strlen (message, -1), ==, 301);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_rate_limited_status_code (void)
{
  QrsGenauthReply reply = reply_for (200, NULL, "{\"statusCode\":429,\"message\":\"您的请求已超过最大数量限制，请稍后重试\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsStatusReport) report = NULL;

  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 429);
  g_assert_cmpstr (qrs_provider_error_get_server_message (error), ==, "您的请求已超过最大数量限制，请稍后重试");
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, -1);
}

static void
test_rate_limited_http_seconds (void)
{
  QrsGenauthReply reply = reply_for (429, "7", "{\"statusCode\":429,\"message\":\"您的请求已超过最大数量限制，请稍后重试\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsStatusReport) report = NULL;

  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 429);
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, 7);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 429);
}

static void
test_rate_limited_http_date (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  /* 08:30:15.042 → 08:31:00 is 44.958 s: rounded up, never early. */
  QrsGenauthReply reply = reply_for (429, "Sun, 01 Mar 2026 08:31:00 GMT", "<html>slow down</html>", now);
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsCode) code = NULL;

  code = qrs_genauth_wire_parse_code (&reply, NULL, now, 120, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, 45);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 0);
}

static void
test_http_error_html (void)
{
  QrsGenauthReply reply = reply_for (500, NULL, "<!DOCTYPE html><html><body>Internal Server Error</body></html>", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsStatusReport) report = NULL;

  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The sign-in server answered with an error (HTTP 500 Internal Server Error)");
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 500);
  g_assert_null (qrs_provider_error_get_server_message (error));
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, -1);
}

/* A gateway's 503 with Retry-After, and a 401 carrying a V3 envelope: the
 * HTTP status decides the code, the envelope adds its details.
 */
static void
test_http_error_details (void)
{
  QrsGenauthReply unavailable = reply_for (503, "120", "", NULL);
  QrsGenauthReply unauthorized = reply_for (401, NULL, "{\"statusCode\":401,\"apiCode\":2020,\"message\":\"尚未登录\",\"requestId\":\"q\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(QrsTokenSet) token_set = NULL;

  token_set = qrs_genauth_wire_parse_token_set (&unavailable, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 503);
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, 120);

  token_set = qrs_genauth_wire_parse_token_set (&unauthorized, &error2);
  g_assert_error (error2, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error2), ==, 401);
  g_assert_cmpint (qrs_provider_error_get_status_code (error2), ==, 401);
  g_assert_cmpint (qrs_provider_error_get_api_code (error2), ==, 2020);
  g_assert_cmpstr (qrs_provider_error_get_server_message (error2), ==, "尚未登录");
  g_assert_cmpstr (qrs_provider_error_get_request_id (error2), ==, "q");
}

/* ---- Malformed and hostile bodies ------------------------------------- */

typedef struct
{
  const char *name;
  ParseKind kind;
  guint http_status;
  const char *body;
  gssize body_length;     /* -1: up to the NUL */
  QrsProviderError code;
  const char *message;    /* exact, or NULL to skip */
} BadCase;


static const BadCase bad_cases[] = {
  /* The text itself */
  { "empty", PARSE_STATUS, 200, "", -1, QRS_PROVIDER_ERROR_PROTOCOL, EMPTY_BODY },
  { "whitespace", PARSE_STATUS, 200, " \r\n\t ", -1, QRS_PROVIDER_ERROR_PROTOCOL, EMPTY_BODY },
  { "null-root", PARSE_STATUS, 200, "null", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_OBJECT_ROOT },
  { "array-root", PARSE_CODE, 200, "[{\"statusCode\":200}]", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_OBJECT_ROOT },
  { "string-root", PARSE_TOKEN_SET, 200, "\"statusCode\"", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_OBJECT_ROOT },
  { "number-root", PARSE_STATUS, 200, "200", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_OBJECT_ROOT },
  { "truncated", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"PEN", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (39) },
  { "trailing-garbage", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\"}} <html>", -1, QRS_PROVIDER_ERROR_PROTOCOL, EXTRA_AT (47) },
  { "two-objects", PARSE_STATUS, 200, "{\"statusCode\":200}{\"statusCode\":200}", -1, QRS_PROVIDER_ERROR_PROTOCOL, EXTRA_AT (18) },
  { "trailing-brace", PARSE_STATUS, 200, "{\"statusCode\":200}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, EXTRA_AT (18) },
  { "html", PARSE_CODE, 200, "<html><body>Welcome</body></html>", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (0) },
  { "invalid-utf8", PARSE_STATUS, 200, "{\"statusCode\":200,\"message\":\"\xff\xfe\",\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_UTF8 },
  { "overlong-utf8", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\xc0\xaf\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_UTF8 },
  { "nul-byte", PARSE_STATUS, 200, NUL_BODY, sizeof NUL_BODY - 1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_UTF8 },
  { "escaped-nul", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\\u0000x\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (43) },
  { "lone-low-surrogate", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"\\udc00\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (36) },
  { "lone-high-surrogate", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"\\ud800x\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (36) },
  { "single-quotes", PARSE_STATUS, 200, "{'statusCode':200}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (1) },
  { "comment", PARSE_STATUS, 200, "{\"statusCode\":200 /* ok */}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (18) },
  { "leading-zero", PARSE_STATUS, 200, "{\"statusCode\":0200}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (15) },
  { "trailing-comma", PARSE_STATUS, 200, "{\"statusCode\":200,}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (18) },
  { "raw-newline-in-string", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"PEND\nING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (40) },
  { "bad-escape", PARSE_STATUS, 200, "{\"statusCode\":200,\"message\":\"\\x41\"}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (29) },
  { "bare-word", PARSE_STATUS, 200, "{\"statusCode\":OK}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (14) },
  { "nan", PARSE_STATUS, 200, "{\"statusCode\":NaN}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (14) },
  { "unquoted-key", PARSE_STATUS, 200, "{statusCode:200}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_JSON_AT (1) },
  { "deep-nesting", PARSE_STATUS, 200,
    "{\"statusCode\":200,\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, "The server's answer is nested too deeply" },

  /* The envelope */
  { "status-code-missing", PARSE_STATUS, 200, "{\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("statusCode") },
  { "status-code-null", PARSE_STATUS, 200, "{\"statusCode\":null,\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("statusCode") },
  { "status-code-string", PARSE_STATUS, 200, "{\"statusCode\":\"200\",\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_INTEGER ("statusCode") },
  { "status-code-double", PARSE_STATUS, 200, "{\"statusCode\":200.0,\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_INTEGER ("statusCode") },
  { "status-code-object", PARSE_CODE, 200, "{\"statusCode\":{\"value\":200}," OK_CODE_DATA "}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_INTEGER ("statusCode") },
  { "status-code-bool", PARSE_CODE, 200, "{\"statusCode\":true," OK_CODE_DATA "}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_INTEGER ("statusCode") },
  /* json-glib alone reads these as 200 and -200. */
  { "status-code-wraps-to-200", PARSE_STATUS, 200, "{\"statusCode\":-18446744073709551416,\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, OUT_OF_RANGE ("statusCode") },
  { "status-code-wide", PARSE_STATUS, 200, "{\"statusCode\":18446744073709551416,\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, OUT_OF_RANGE ("statusCode") },
  { "status-code-exponent", PARSE_STATUS, 200, "{\"statusCode\":2e2,\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_INTEGER ("statusCode") },
  { "v2-envelope", PARSE_CODE, 200, "{\"code\":200,\"data\":{\"random\":\"abc\",\"expiresIn\":120,\"url\":\"https://e.com/q.png\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("statusCode") },
  { "http-204-empty", PARSE_STATUS, 204, "", -1, QRS_PROVIDER_ERROR_PROTOCOL, EMPTY_BODY },
  { "http-302", PARSE_STATUS, 302, "", -1, QRS_PROVIDER_ERROR_HTTP, "The sign-in server answered with an error (HTTP 302 Found)" },
  { "http-404-json-ok", PARSE_STATUS, 404, "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\"}}", -1, QRS_PROVIDER_ERROR_HTTP, NULL },
  { "http-429-empty", PARSE_TOKEN_SET, 429, "", -1, QRS_PROVIDER_ERROR_RATE_LIMITED, NULL },
  { "server-500", PARSE_TOKEN_SET, 200, "{\"statusCode\":500,\"message\":\"服务器错误\"}", -1, QRS_PROVIDER_ERROR_SERVER, "The sign-in server refused the request: 服务器错误" },
  { "server-huge-code", PARSE_STATUS, 200, "{\"statusCode\":-9223372036854775807}", -1, QRS_PROVIDER_ERROR_SERVER, "The sign-in server refused the request (status -9223372036854775807)" },

  /* gene-qrcode */
  { "code-data-missing", PARSE_CODE, 200, "{\"statusCode\":200,\"message\":\"操作成功\"}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("data") },
  { "code-data-array", PARSE_CODE, 200, "{\"statusCode\":200,\"data\":[\"abc\"]}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_OBJECT ("data") },
  { "code-id-missing", PARSE_CODE, 200, "{\"statusCode\":200,\"data\":{\"url\":\"https://e.com/q.png\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("data.qrcodeId") },
  { "code-id-number", PARSE_CODE, 200, "{\"statusCode\":200,\"data\":{\"qrcodeId\":12345,\"url\":\"https://e.com/q.png\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.qrcodeId") },
  { "code-id-empty", PARSE_CODE, 200, "{\"statusCode\":200,\"data\":{\"qrcodeId\":\"\",\"url\":\"https://e.com/q.png\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, EMPTY ("data.qrcodeId") },
  { "code-id-object", PARSE_CODE, 200, "{\"statusCode\":200,\"data\":{\"qrcodeId\":{},\"url\":\"https://e.com/q.png\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.qrcodeId") },
  { "code-url-missing", PARSE_CODE, 200, "{\"statusCode\":200,\"data\":{\"qrcodeId\":\"abc\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("data.url") },
  { "code-url-array", PARSE_CODE, 200, "{\"statusCode\":200,\"data\":{\"qrcodeId\":\"abc\",\"url\":[\"https://e.com\"]}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.url") },

  /* check-qrcode-status */
  { "status-missing", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("data.status") },
  { "status-missing-top", PARSE_STATUS, 200, "{\"statusCode\":200}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("status") },
  { "status-unknown", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"SCANNING\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL,
    "The server's answer could not be understood: the status “SCANNING” is unknown" },
  { "status-lower-case", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"pending\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL,
    "The server's answer could not be understood: the status “pending” is unknown" },
  { "status-canceled-one-l", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"CANCELED\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL,
    "The server's answer could not be understood: the status “CANCELED” is unknown" },
  { "status-v2-integer", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":1}}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.status") },
  { "status-control-chars", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"A\\u001b[31mB\"}}", -1, QRS_PROVIDER_ERROR_PROTOCOL,
    "The server's answer could not be understood: the status “A [31mB” is unknown" },
  { "status-too-long", PARSE_STATUS, 200,
    "{\"statusCode\":200,\"data\":{\"status\":\"PENDINGPENDINGPENDINGPENDINGPENDINGPENDINGPENDINGPENDINGPENDINGPENDING\"}}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, TOO_LONG ("data.status") },
  { "status-data-string", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":\"PENDING\"}", -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_OBJECT ("data") },
  { "status-authorized-no-ticket", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\"}}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("data.ticket") },
  { "status-authorized-ticket-number", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"ticket\":123}}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.ticket") },
  { "status-authorized-ticket-empty", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"ticket\":\"\"}}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, EMPTY ("data.ticket") },
  { "status-authorized-top-level-no-ticket", PARSE_STATUS, 200, "{\"statusCode\":200,\"status\":\"AUTHORIZED\",\"ticket\":null}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("ticket") },
  { "status-authorized-token-set-access-number", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"tokenSet\":{\"access_token\":7,\"expire_in\":1}}}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.tokenSet.access_token") },
  { "status-authorized-token-set-array", PARSE_STATUS, 200, "{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"ticket\":\"t\",\"tokenSet\":[]}}", -1,
    QRS_PROVIDER_ERROR_PROTOCOL, NOT_OBJECT ("data.tokenSet") },

  /* exchange-tokenset-with-qrcode-ticket */
  { "tokens-data-missing", PARSE_TOKEN_SET, 200, "{\"statusCode\":200,\"message\":\"操作成功\"}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("data") },
  { "tokens-data-null", PARSE_TOKEN_SET, 200, "{\"statusCode\":200,\"data\":null}", -1, QRS_PROVIDER_ERROR_PROTOCOL, MISSING ("data") },
  { "tokens-none", PARSE_TOKEN_SET, 200, TOKENS ("\"refresh_token\":\"r\",\"token_type\":\"bearer\",\"expire_in\":7200"), -1, QRS_PROVIDER_ERROR_PROTOCOL,
    "The server's answer could not be understood: the member “data” holds neither an access token nor an ID token" },
  { "tokens-access-number", PARSE_TOKEN_SET, 200, TOKENS ("\"access_token\":1,\"token_type\":\"bearer\",\"expire_in\":7200"), -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.access_token") },
  { "tokens-id-array", PARSE_TOKEN_SET, 200, TOKENS ("\"id_token\":[\"a\"],\"token_type\":\"bearer\",\"expire_in\":7200"), -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.id_token") },
  /* The tokens themselves stay strict, even with another one beside them. */
  { "tokens-access-object-beside-id", PARSE_TOKEN_SET, 200, TOKENS ("\"access_token\":{},\"id_token\":\"i\",\"expire_in\":7200"), -1, QRS_PROVIDER_ERROR_PROTOCOL, NOT_STRING ("data.access_token") },
};

static void
test_bad_case (gconstpointer data)
{
  const BadCase *bad = data;
  g_autoptr(GDateTime) now = fixed_now ();
  QrsGenauthReply reply = {
    .http_status = bad->http_status,
    .received_at = now,
    .body = (const guint8 *) bad->body,
    .body_length = bad->body_length < 0 ? strlen (bad->body) : (gsize) bad->body_length,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) result = NULL;

  result = parse (bad->kind, &reply, &error);
  g_assert_null (result);
  g_assert_error (error, QRS_PROVIDER_ERROR, bad->code);
  if (bad->message != NULL)
    g_assert_cmpstr (error->message, ==, bad->message);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, bad->http_status);
}

/* Past 1 MiB the answer is refused, valid or not; just under, it is read. */
static void
test_body_size_limit (void)
{
  const char *head = "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\"}}";
  gsize size = QRS_GENAUTH_WIRE_MAX_BODY;
  g_autofree char *body = g_malloc (size + 2);
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  QrsGenauthReply reply = { .http_status = 200, .body = (const guint8 *) body };

  memset (body, ' ', size + 1);
  memcpy (body, head, strlen (head));
  body[size + 1] = '\0';

  reply.body_length = size;
  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_PENDING);

  reply.body_length = size + 1;
  g_clear_object (&report);
  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server's answer is too large (more than 1 MiB)");
  g_clear_error (&error);

  /* The transport saw more than it read: refused whatever the bytes are. */
  reply.body_length = strlen (head);
  reply.body_truncated = TRUE;
  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* An oversized 429 is still a 429. */
  reply.http_status = 429;
  reply.retry_after = "3";
  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, 3);
}

/* Thousands of nested arrays must not exhaust the stack anywhere. */
static void
test_deep_nesting_large (void)
{
  gsize depth = 100000;
  g_autoptr(GString) body = g_string_new ("{\"statusCode\":200,\"x\":");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  QrsGenauthReply reply;

  for (gsize i = 0; i < depth; i++)
    g_string_append_c (body, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (body, ']');
  g_string_append_c (body, '}');

  reply = reply_for (200, NULL, body->str, NULL);
  report = qrs_genauth_wire_parse_status (&reply, &error);
  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server's answer is nested too deeply");
}

/* Strings past their limits are refused, not truncated. */
static void
test_long_members (void)
{
  g_autofree char *long_id = g_strnfill (257, 'a');
  g_autofree char *long_token = g_strnfill (64 * 1024 + 1, 'b');
  g_autofree char *ok_token = g_strnfill (64 * 1024, 'c');
  g_autofree char *code_body = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"qrcodeId\":\"%s\",\"url\":\"https://e.com\"}}", long_id);
  g_autofree char *ticket_body = g_strdup_printf ("{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"ticket\":\"%s\"}}", long_token);
  g_autofree char *ok_body = g_strdup_printf (TOKENS ("\"access_token\":\"%s\",\"token_type\":\"bearer\",\"expire_in\":1"), ok_token);
  g_autoptr(GDateTime) now = fixed_now ();
  QrsGenauthReply reply;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) result = NULL;

  reply = reply_for (200, NULL, code_body, now);
  result = parse (PARSE_CODE, &reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, TOO_LONG ("data.qrcodeId"));
  g_clear_error (&error);

  reply = reply_for (200, NULL, ticket_body, now);
  result = parse (PARSE_STATUS, &reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, TOO_LONG ("data.ticket"));
  g_clear_error (&error);

  reply = reply_for (200, NULL, ok_body, now);
  result = parse (PARSE_TOKEN_SET, &reply, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (qrs_token_set_get_access_token (QRS_TOKEN_SET (result))), ==, 64 * 1024);
}

/* ---- Retry-After ------------------------------------------------------ */

typedef struct
{
  const char *value;
  gint64 seconds;
} RetryCase;

static void
test_retry_after (void)
{
  static const RetryCase cases[] = {
    { "0", 0 },
    { "7", 7 },
    { "  120\t", 120 },
    { "3600", 3600 },
    { "3601", 3600 },
    { "18446744073709551616", 3600 },
    { "999999999999999999999999999999", 3600 },
    /* RFC 9110's three date forms; now is 2026-03-01 08:30:15.042 UTC. */
    { "Sun, 01 Mar 2026 08:31:00 GMT", 45 },
    { "Sunday, 01-Mar-26 08:31:00 GMT", 45 },
    { "Sun Mar  1 08:31:00 2026", 45 },
    { "Sun, 01 Mar 2026 08:30:15 GMT", 0 },
    { "Wed, 21 Oct 2015 07:28:00 GMT", 0 },
    { "Sun, 01 Mar 2026 10:30:15 GMT", 3600 },
    { "", -1 },
    { "   ", -1 },
    { "-1", -1 },
    { "1.5", -1 },
    { "soon", -1 },
    { "0x10", -1 },
  };
  g_autoptr(GDateTime) now = fixed_now ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 seconds = qrs_provider_parse_retry_after (cases[i].value, now);

      if (seconds != cases[i].seconds)
        g_error ("Retry-After “%s”: expected %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT,
                 cases[i].value, cases[i].seconds, seconds);
    }
}

/* ---- Requests --------------------------------------------------------- */

static void
assert_bytes (GBytes     *bytes,
              const char *expected)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert_cmpmem (data, length, expected, strlen (expected));
}

static void
test_build_requests (void)
{
  g_autoptr(GBytes) code = qrs_genauth_wire_build_code_request ();
  g_autoptr(GBytes) none = qrs_genauth_wire_build_exchange_request ("tk\"1", NULL, NULL);
  g_autoptr(GBytes) post = qrs_genauth_wire_build_exchange_request ("tk", "app1", "s3cr\\et");

  assert_bytes (code, "{\"type\":\"MOBILE_APP\"}");
  assert_bytes (none, "{\"ticket\":\"tk\\\"1\"}");
  assert_bytes (post, "{\"ticket\":\"tk\",\"client_id\":\"app1\",\"client_secret\":\"s3cr\\\\et\"}");
}

/* The QR content's timestamps are UTC with milliseconds, whatever the
 * time zone of the GDateTime given.
 */
static void
test_qr_content_time_zone (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) created = g_date_time_new (zone, 2019, 12, 27, 19, 53, 41.260);
  g_autofree char *content = qrs_genauth_wire_build_qr_content ("5e05f0c57fde537d950f7da5", "", created, 120);

  g_assert_cmpstr (content, ==,
                   "{\"scene\":\"APP_AUTH\",\"random\":\"5e05f0c57fde537d950f7da5\","
                   "\"qrcodeId\":\"5e05f0c57fde537d950f7da5\","
                   "\"createdAt\":\"2019-12-27T11:53:41.260Z\",\"expireAt\":\"2019-12-27T11:55:41.260Z\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/genauth-wire/code/documented", test_code_documented);
  g_test_add_func ("/genauth-wire/code/mobile-app", test_code_mobile_app);
  g_test_add_func ("/genauth-wire/code/hostile-id-escaped", test_code_hostile_id_escaped);
  g_test_add_func ("/genauth-wire/code/url-not-web", test_code_url_not_web);
  g_test_add_func ("/genauth-wire/status/pending", test_status_pending);
  g_test_add_func ("/genauth-wire/status/scanned", test_status_scanned);
  g_test_add_func ("/genauth-wire/status/authorized-ticket", test_status_authorized_ticket);
  g_test_add_func ("/genauth-wire/status/authorized-token-set", test_status_authorized_token_set);
  g_test_add_func ("/genauth-wire/status/cancelled", test_status_cancelled);
  g_test_add_func ("/genauth-wire/status/expired", test_status_expired);
  g_test_add_func ("/genauth-wire/status/error", test_status_error);
  g_test_add_func ("/genauth-wire/status/top-level", test_status_top_level);
  g_test_add_func ("/genauth-wire/status/lenient", test_status_lenient);
  g_test_add_func ("/genauth-wire/status/photo-not-web", test_status_photo_not_web);
  g_test_add_func ("/genauth-wire/status/photo-normalized", test_status_photo_normalized);
  g_test_add_func ("/genauth-wire/token-set/documented", test_token_set_documented);
  g_test_add_func ("/genauth-wire/token-set/expires-in", test_token_set_expires_in);
  g_test_add_func ("/genauth-wire/token-set/both-spellings", test_token_set_both_spellings);
  g_test_add_func ("/genauth-wire/flawed/status-seed-sample", test_status_seed_sample);
  g_test_add_func ("/genauth-wire/flawed/status-seed-page-sample", test_status_seed_page_sample);
  g_test_add_func ("/genauth-wire/flawed/status-person-not-object", test_status_person_not_object);
  g_test_add_func ("/genauth-wire/flawed/status-person-members-wrong-type", test_status_person_members_wrong_type);
  g_test_add_func ("/genauth-wire/flawed/status-long-display-name", test_status_long_display_name);
  g_test_add_func ("/genauth-wire/flawed/status-long-photo", test_status_long_photo);

  for (guint i = 0; i < G_N_ELEMENTS (flawed_tokens_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/genauth-wire/flawed/tokens/%s", flawed_tokens_cases[i].name);

      g_test_add_data_func (path, &flawed_tokens_cases[i], test_flawed_tokens);
    }

  g_test_add_func ("/genauth-wire/flawed/tokens-long-optional", test_tokens_long_optional);
  g_test_add_func ("/genauth-wire/flawed/tokens-debug-string-unknown", test_tokens_debug_string_unknown);
  g_test_add_func ("/genauth-wire/server/details", test_server_error_details);
  g_test_add_func ("/genauth-wire/server/no-message", test_server_error_no_message);
  g_test_add_func ("/genauth-wire/server/message-sanitized", test_server_error_message_sanitized);
  g_test_add_func ("/genauth-wire/rate-limited/status-code", test_rate_limited_status_code);
  g_test_add_func ("/genauth-wire/rate-limited/http-seconds", test_rate_limited_http_seconds);
  g_test_add_func ("/genauth-wire/rate-limited/http-date", test_rate_limited_http_date);
  g_test_add_func ("/genauth-wire/http/html", test_http_error_html);
  g_test_add_func ("/genauth-wire/http/details", test_http_error_details);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/genauth-wire/malformed/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_bad_case);
    }

  g_test_add_func ("/genauth-wire/malformed/body-size-limit", test_body_size_limit);
  g_test_add_func ("/genauth-wire/malformed/deep-nesting-large", test_deep_nesting_large);
  g_test_add_func ("/genauth-wire/malformed/long-members", test_long_members);
  g_test_add_func ("/genauth-wire/retry-after", test_retry_after);
  g_test_add_func ("/genauth-wire/request/bodies", test_build_requests);
  g_test_add_func ("/genauth-wire/request/qr-content-time-zone", test_qr_content_time_zone);

  return g_test_run ();
}
