/* test-device-flow-wire.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-device-flow-wire.h"
#include "qrs-form.h"
#include "qrs-provider.h"

/* The device flow's answers as real OpenID providers write them, every
 * error RFC 8628 and RFC 6749 name, and bodies that are broken or hostile.
 * The suite runs with G_DEBUG=fatal-criticals, so a json-glib critical on
 * any input fails it too.
 */

#define ISSUER "https://id.example.com/realms/qrs"

static const QrsDeviceFlowContext context = { ISSUER, "qrs-public", FALSE };
static const QrsDeviceFlowContext loopback_context = { "http://127.0.0.1:8080", "qrs-public", FALSE };

#define MISSING(m) "The server's answer could not be understood: the member “" m "” is missing"
#define NOT_STRING(m) "The server's answer could not be understood: the member “" m "” is not a string"
#define NOT_INTEGER(m) "The server's answer could not be understood: the member “" m "” is not a whole number"
#define NOT_TEXT(m) "The server's answer could not be understood: the member “" m "” is not valid text"
#define NOT_WEB(m) "The server's answer could not be understood: the member “" m "” is not a web address"
#define TOO_LONG(m) "The server's answer could not be understood: the member “" m "” is too long"
#define OUT_OF_RANGE(m) "The server's answer could not be understood: the member “" m "” is out of range"
#define TOO_LARGE "The server's answer is too large (more than 1 MiB)"
#define NOT_OBJECT_ROOT "The server's answer is not a JSON object"

#define CLIENT_REFUSED \
  "The OpenID provider “" ISSUER "” does not accept the client id “qrs-public” with these credentials: " \
  "check the client id, the client secret and the token auth method"

/* What came back for one request: @body is copied, so a test may pass a
 * string with a NUL in it by giving @length.
 */
typedef struct
{
  QrsNetReply reply;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->reply.body, g_bytes_unref);
  g_clear_pointer (&reply->reply.sent_at, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
reply_init (Reply      *reply,
            guint       http_status,
            const char *retry_after,
            const char *body)
{
  memset (reply, 0, sizeof *reply);
  reply->reply.http_status = http_status;
  reply->reply.retry_after = (char *) retry_after;
  reply->reply.sent_at = g_date_time_new_utc (2026, 3, 1, 8, 30, 15.0);
  reply->reply.body = g_bytes_new (body, body != NULL ? strlen (body) : 0);
}

/* ---- Discovery -------------------------------------------------------- */

static QrsDeviceFlowEndpoints *
discover (const QrsDeviceFlowContext  *ctx,
          guint                        http_status,
          const char                  *body,
          GError                     **error)
{
  g_auto(Reply) reply = { { 0 } };

  reply_init (&reply, http_status, NULL, body);

  return qrs_device_flow_wire_parse_discovery (ctx, &reply.reply, error);
}

#define DISCOVERY(issuer, more) \
  "{\"issuer\":\"" issuer "\",\"authorization_endpoint\":\"" issuer "/auth\"," \
  "\"jwks_uri\":\"" issuer "/jwks\",\"response_types_supported\":[\"code\"]," \
  "\"grant_types_supported\":[\"urn:ietf:params:oauth:grant-type:device_code\"]" more "}"

#define ENDPOINTS(issuer) \
  ",\"device_authorization_endpoint\":\"" issuer "/device/auth\",\"token_endpoint\":\"" issuer "/token\""

/* What oidc-provider and Keycloak send, trimmed. */
static void
test_discovery_ok (void)
{
  g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = qrs_device_flow_wire_discovery_url (ISSUER);

  g_assert_cmpstr (url, ==, ISSUER "/.well-known/openid-configuration");

  endpoints = discover (&context, 200, DISCOVERY (ISSUER, ENDPOINTS (ISSUER)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (endpoints->device_authorization_endpoint, ==, ISSUER "/device/auth");
  g_assert_cmpstr (endpoints->token_endpoint, ==, ISSUER "/token");
}

/* Endpoints on another host (Google's are on oauth2.googleapis.com) and
 * with a query (RFC 6749 §3.1 allows one) are fine; an issuer written with
 * a trailing slash is the same issuer.
 */
static void
test_discovery_other_hosts (void)
{
  g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  endpoints = discover (&context, 200,
                        DISCOVERY (ISSUER "/", ",\"device_authorization_endpoint\":\"https://oauth2.example.net/device/code\","
                                               "\"token_endpoint\":\"https://oauth2.example.net/token?tenant=qrs\""),
                        &error);
  g_assert_no_error (error);
  g_assert_cmpstr (endpoints->device_authorization_endpoint, ==, "https://oauth2.example.net/device/code");
  g_assert_cmpstr (endpoints->token_endpoint, ==, "https://oauth2.example.net/token?tenant=qrs");
}

static void
test_discovery_no_device_endpoint (void)
{
  g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
  g_autoptr(GError) error = NULL;

  endpoints = discover (&context, 200, DISCOVERY (ISSUER, ",\"token_endpoint\":\"" ISSUER "/token\""), &error);
  g_assert_null (endpoints);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "The OpenID provider “" ISSUER "” does not offer the device flow: "
                   "its configuration names no device authorization endpoint");
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 200);
}

/* OpenID Connect Discovery §4.3; Entra's "common" tenant is the classic
 * case: its document names {tenantid}.
 */
static void
test_discovery_issuer_mismatch (void)
{
  static const struct
  {
    const char *body;
    const char *message;
  } cases[] = {
    { DISCOVERY ("https://evil.example.com", ENDPOINTS (ISSUER)),
      "The OpenID configuration of “" ISSUER "” is for another issuer, “https://evil.example.com”: "
      "set the issuer to the address the provider names" },
    { DISCOVERY (ISSUER "/sub", ENDPOINTS (ISSUER)),
      "The OpenID configuration of “" ISSUER "” is for another issuer, “" ISSUER "/sub”: "
      "set the issuer to the address the provider names" },
    { DISCOVERY ("https://login.microsoftonline.com/{tenantid}/v2.0", ENDPOINTS (ISSUER)),
      "The OpenID configuration of “" ISSUER "” is for another issuer, “https://login.microsoftonline.com/{tenantid}/v2.0”: "
      "set the issuer to the address the provider names" },
    /* Quoted on one line, whatever it holds. */
    { DISCOVERY ("https://a.example\\n\\u202eb", ENDPOINTS (ISSUER)),
      "The OpenID configuration of “" ISSUER "” is for another issuer, “https://a.example  b”: "
      "set the issuer to the address the provider names" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
      g_autoptr(GError) error = NULL;

      endpoints = discover (&context, 200, cases[i].body, &error);
      g_assert_null (endpoints);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* The endpoints follow the issuer's rules: an on-path attacker must not be
 * able to read a device code or a secret off plain http.
 */
static void
test_discovery_insecure_endpoints (void)
{
  static const struct
  {
    const QrsDeviceFlowContext *context;
    const char *device_endpoint;
    const char *token_endpoint;
  } refused[] = {
    { &context, "http://id.example.com/device", ISSUER "/token" },
    { &context, ISSUER "/device", "http://id.example.com/token" },
    { &context, ISSUER "/device", "ftp://id.example.com/token" },
    { &context, ISSUER "/device", "https://user:pw@id.example.com/token" },
    { &context, ISSUER "/device#x", ISSUER "/token" },
    { &context, "/device", ISSUER "/token" },
    { &loopback_context, "http://id.example.com/device", "http://127.0.0.1:8080/token" },
  };
  g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  const QrsDeviceFlowContext insecure_allowed = { "http://127.0.0.1:8080", "qrs-public", TRUE };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *body =
        g_strdup_printf ("{\"issuer\":\"%s\",\"device_authorization_endpoint\":\"%s\",\"token_endpoint\":\"%s\"}",
                         refused[i].context->issuer, refused[i].device_endpoint, refused[i].token_endpoint);
      g_autofree char *message =
        g_strdup_printf ("The OpenID provider “%s” names endpoints that are not as secure as its own address, or not valid",
                         refused[i].context->issuer);

      endpoints = discover (refused[i].context, 200, body, &error);
      g_assert_null (endpoints);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
      g_assert_cmpstr (error->message, ==, message);
      g_clear_error (&error);
    }

  /* Plain http to this computer is fine, and elsewhere when allowed. */
  endpoints = discover (&loopback_context, 200,
                        "{\"issuer\":\"http://127.0.0.1:8080\",\"device_authorization_endpoint\":\"http://localhost:8080/device\","
                        "\"token_endpoint\":\"http://[::1]:8080/token\"}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&endpoints, qrs_device_flow_endpoints_free);

  endpoints = discover (&insecure_allowed, 200,
                        "{\"issuer\":\"http://127.0.0.1:8080\",\"device_authorization_endpoint\":\"http://id.example.com/device\","
                        "\"token_endpoint\":\"http://id.example.com/token\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (endpoints->token_endpoint, ==, "http://id.example.com/token");
}

static void
test_discovery_http_errors (void)
{
  g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Reply) reply = { { 0 } };

  endpoints = discover (&context, 404, "<html>Not Found</html>", &error);
  g_assert_null (endpoints);
  /* A wrong address: trying again will not help. */
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==,
                   "The OpenID configuration could not be read from “" ISSUER "/.well-known/openid-configuration”: "
                   "the server answered HTTP 404 Not Found. Check the issuer address.");
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 404);
  g_clear_error (&error);

  endpoints = discover (&context, 503, NULL, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 503);
  g_clear_error (&error);

  reply_init (&reply, 429, "7", "{}");
  endpoints = qrs_device_flow_wire_parse_discovery (&context, &reply.reply, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, 7);
}

static void
test_discovery_malformed (void)
{
  static const struct
  {
    const char *body;
    const char *message;
  } cases[] = {
    { "{\"device_authorization_endpoint\":\"" ISSUER "/d\",\"token_endpoint\":\"" ISSUER "/t\"}", MISSING ("issuer") },
    { "{\"issuer\":42}", NOT_STRING ("issuer") },
    { DISCOVERY (ISSUER, ",\"device_authorization_endpoint\":7,\"token_endpoint\":\"" ISSUER "/t\""),
      NOT_STRING ("device_authorization_endpoint") },
    { DISCOVERY (ISSUER, ",\"device_authorization_endpoint\":\"" ISSUER "/d\""), MISSING ("token_endpoint") },
    { DISCOVERY (ISSUER, ",\"device_authorization_endpoint\":\"" ISSUER "/d\",\"token_endpoint\":[]"),
      NOT_STRING ("token_endpoint") },
    { "[\"" ISSUER "\"]", NOT_OBJECT_ROOT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
      g_autoptr(GError) error = NULL;

      endpoints = discover (&context, 200, cases[i].body, &error);
      g_assert_null (endpoints);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* ---- Device authorization --------------------------------------------- */

static QrsCode *
authorize (guint        http_status,
           const char  *body,
           GError     **error)
{
  g_auto(Reply) reply = { { 0 } };

  reply_init (&reply, http_status, NULL, body);

  return qrs_device_flow_wire_parse_authorization (&context, &reply.reply, error);
}

static QrsCode *
authorize_ok (const char *body)
{
  g_autoptr(GError) error = NULL;
  QrsCode *code = authorize (200, body, &error);

  g_assert_no_error (error);
  g_assert_true (QRS_IS_CODE (code));

  return code;
}

static void
authorize_fails (const char *body,
                 const char *message)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  code = authorize (200, body, &error);
  g_assert_null (code);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, message);
}

#define DEVICE_CODE "Ra9z1Jm0tQ-secret-device-code-xyz"

/* oidc-provider's answer, with the interval idp.mjs adds. */
static void
test_authorization_complete (void)
{
  g_autoptr(QrsCode) code =
    authorize_ok ("{\"device_code\":\"" DEVICE_CODE "\",\"user_code\":\"BCDF-GHJK\","
                  "\"verification_uri\":\"" ISSUER "/device\","
                  "\"verification_uri_complete\":\"" ISSUER "/device?user_code=BCDF-GHJK\","
                  "\"expires_in\":600,\"interval\":3}");
  g_autoptr(GDateTime) sent_at = g_date_time_new_utc (2026, 3, 1, 8, 30, 15.0);

  /* The id goes on the log: the user code, never the device code. */
  g_assert_cmpstr (qrs_code_get_id (code), ==, "BCDF-GHJK");
  g_assert_cmpstr (qrs_code_get_user_code (code), ==, "BCDF-GHJK");
  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, ISSUER "/device?user_code=BCDF-GHJK");
  g_assert_cmpstr (qrs_code_get_verification_uri (code), ==, ISSUER "/device");
  g_assert_null (qrs_code_get_image_url (code));
  g_assert_cmpuint (qrs_code_get_lifetime (code), ==, 600);
  g_assert_cmpuint (qrs_code_get_poll_interval (code), ==, 3);
  g_assert_true (g_date_time_equal (qrs_code_get_created_at (code), sent_at));

  g_assert_cmpstr (qrs_device_flow_code_get_device_code (code), ==, DEVICE_CODE);
  g_assert_cmpuint (qrs_device_flow_code_get_interval (code), ==, 3);

  qrs_device_flow_code_set_interval (code, 8);
  g_assert_cmpuint (qrs_device_flow_code_get_interval (code), ==, 8);
  /* What the model was told at first stays as it was. */
  g_assert_cmpuint (qrs_code_get_poll_interval (code), ==, 3);

  qrs_device_flow_code_forget_device_code (code);
  g_assert_null (qrs_device_flow_code_get_device_code (code));
}

/* Stock oidc-provider: no interval, so 5 s (RFC 8628 §3.2); and a server
 * without verification_uri_complete: the QR holds verification_uri.
 */
static void
test_authorization_minimal (void)
{
  g_autoptr(QrsCode) code =
    authorize_ok ("{\"device_code\":\"d\",\"user_code\":\"WDJB-MJHT\","
                  "\"verification_uri\":\"https://id.example.com/device\",\"expires_in\":1800}");

  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, "https://id.example.com/device");
  g_assert_cmpstr (qrs_code_get_verification_uri (code), ==, "https://id.example.com/device");
  g_assert_cmpuint (qrs_code_get_poll_interval (code), ==, 5);
  g_assert_cmpuint (qrs_device_flow_code_get_interval (code), ==, 5);
  g_assert_cmpuint (qrs_code_get_lifetime (code), ==, 1800);
}

/* Google's device flow still says verification_url. */
static void
test_authorization_google (void)
{
  g_autoptr(QrsCode) code =
    authorize_ok ("{\"device_code\":\"AH-1Ng2IN\",\"user_code\":\"GQVQ-JKEC\","
                  "\"verification_url\":\"https://www.google.com/device\",\"expires_in\":1800,\"interval\":5}");

  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, "https://www.google.com/device");
  g_assert_cmpstr (qrs_code_get_verification_uri (code), ==, "https://www.google.com/device");
}

/* What is only a convenience or a hint is read leniently. */
static void
test_authorization_lenient (void)
{
  static const struct
  {
    const char *more;
    const char *qr_content;
    guint lifetime;
    guint interval;
  } cases[] = {
    /* Old Azure AD answers had numbers in strings. */
    { ",\"expires_in\":\"900\",\"interval\":\"5\"", "https://id.example.com/device", 900, 5 },
    { ",\"expires_in\":600,\"interval\":0", "https://id.example.com/device", 600, 1 },
    { ",\"expires_in\":600,\"interval\":-3", "https://id.example.com/device", 600, 5 },
    { ",\"expires_in\":600,\"interval\":\"soon\"", "https://id.example.com/device", 600, 5 },
    { ",\"expires_in\":600,\"interval\":99999999", "https://id.example.com/device", 600, 3600 },
    { ",\"expires_in\":99999999999", "https://id.example.com/device", 24 * 60 * 60, 5 },
    { ",\"expires_in\":600.9", "https://id.example.com/device", 600, 5 },
    { ",\"expires_in\":600,\"verification_uri_complete\":\"javascript:alert(1)\"",
      "https://id.example.com/device", 600, 5 },
    { ",\"expires_in\":600,\"verification_uri_complete\":17", "https://id.example.com/device", 600, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body =
        g_strdup_printf ("{\"device_code\":\"d\",\"user_code\":\"U\","
                         "\"verification_uri\":\"https://id.example.com/device\"%s}", cases[i].more);
      g_autoptr(QrsCode) code = authorize_ok (body);

      g_assert_cmpstr (qrs_code_get_qr_content (code), ==, cases[i].qr_content);
      g_assert_cmpuint (qrs_code_get_lifetime (code), ==, cases[i].lifetime);
      g_assert_cmpuint (qrs_code_get_poll_interval (code), ==, cases[i].interval);
    }
}

/* A QR too dense to scan is worse than typing the code. */
static void
test_authorization_long_complete (void)
{
  g_autofree char *padding = g_strnfill (1100, 'a');
  g_autofree char *body =
    g_strdup_printf ("{\"device_code\":\"d\",\"user_code\":\"U\",\"verification_uri\":\"https://id.example.com/device\","
                     "\"verification_uri_complete\":\"https://id.example.com/device?user_code=U&x=%s\",\"expires_in\":600}",
                     padding);
  g_autoptr(QrsCode) code = authorize_ok (body);

  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, "https://id.example.com/device");
}

static void
test_authorization_malformed (void)
{
  g_autofree char *long_user_code = g_strnfill (129, 'A');
  g_autofree char *long_device_code = g_strnfill (4097, 'd');
  g_autofree char *body = NULL;

#define AUTH(dc, uc, more) "{\"device_code\":" dc ",\"user_code\":" uc more "}"
#define VERIFY ",\"verification_uri\":\"https://id.example.com/device\""

  authorize_fails (AUTH ("null", "\"U\"", VERIFY ",\"expires_in\":600"), MISSING ("device_code"));
  authorize_fails (AUTH ("42", "\"U\"", VERIFY ",\"expires_in\":600"), NOT_STRING ("device_code"));
  authorize_fails (AUTH ("\"d\"", "[\"U\"]", VERIFY ",\"expires_in\":600"), NOT_STRING ("user_code"));
  authorize_fails (AUTH ("\"d\"", "\"\"", VERIFY ",\"expires_in\":600"),
                   "The server's answer could not be understood: the member “user_code” is empty");
  /* The user code is on screen and is the code's id on the log. */
  authorize_fails (AUTH ("\"d\"", "\"ABCD\\nEvil: 1\"", VERIFY ",\"expires_in\":600"), NOT_TEXT ("user_code"));
  authorize_fails (AUTH ("\"d\"", "\"AB\\u202eCD\"", VERIFY ",\"expires_in\":600"), NOT_TEXT ("user_code"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", ",\"expires_in\":600"), MISSING ("verification_uri"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", ",\"verification_uri\":5,\"expires_in\":600"), NOT_STRING ("verification_uri"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", ",\"verification_uri\":\"javascript:alert(1)\",\"expires_in\":600"),
                   NOT_WEB ("verification_uri"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", ",\"verification_url\":\"tel:123\",\"expires_in\":600"),
                   NOT_WEB ("verification_url"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", VERIFY), MISSING ("expires_in"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", VERIFY ",\"expires_in\":0"), OUT_OF_RANGE ("expires_in"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", VERIFY ",\"expires_in\":-5"), OUT_OF_RANGE ("expires_in"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", VERIFY ",\"expires_in\":\"ten\""), NOT_INTEGER ("expires_in"));
  authorize_fails (AUTH ("\"d\"", "\"U\"", VERIFY ",\"expires_in\":true"), NOT_INTEGER ("expires_in"));

  body = g_strdup_printf (AUTH ("\"d\"", "\"%s\"", VERIFY ",\"expires_in\":600"), long_user_code);
  authorize_fails (body, TOO_LONG ("user_code"));
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf (AUTH ("\"%s\"", "\"U\"", VERIFY ",\"expires_in\":600"), long_device_code);
  authorize_fails (body, TOO_LONG ("device_code"));

  authorize_fails ("<html>Welcome</html>", "The server's answer is not valid JSON (at byte 0)");
  authorize_fails ("\"device_code\"", NOT_OBJECT_ROOT);

#undef AUTH
#undef VERIFY
}

/* What the device authorization endpoint refuses can only be mended in
 * the configuration: QRS_PROVIDER_ERROR_CONFIG, so the app exits 2.
 */
static void
test_authorization_errors (void)
{
  static const struct
  {
    guint http_status;
    const char *body;
    QrsProviderError code;
    const char *message;
    const char *server_message;
  } cases[] = {
    { 401, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}",
      QRS_PROVIDER_ERROR_CONFIG, CLIENT_REFUSED, "client authentication failed" },
    { 400, "{\"error\":\"invalid_client\"}", QRS_PROVIDER_ERROR_CONFIG, CLIENT_REFUSED, NULL },
    { 400, "{\"error\":\"unauthorized_client\",\"error_description\":\"device_code grant not allowed\"}",
      QRS_PROVIDER_ERROR_CONFIG,
      "The client “qrs-public” may not use the device flow at the OpenID provider “" ISSUER "”: "
      "allow the device authorization grant for it there",
      "device_code grant not allowed" },
    { 400, "{\"error\":\"invalid_scope\",\"error_description\":\"scope \\\"admin\\\" not allowed\"}",
      QRS_PROVIDER_ERROR_CONFIG,
      "The OpenID provider “" ISSUER "” does not grant the scope asked for: check the scope",
      "scope \"admin\" not allowed" },
    { 400, "{\"error\":\"invalid_request\",\"error_description\":\"missing\\nthe\\u202e client_id\"}",
      QRS_PROVIDER_ERROR_SERVER, "The sign-in server refused the request (invalid_request)",
      "missing the  client_id" },
    /* Not an OAuth error: what GenAuth's provider says for any HTTP error. */
    { 500, "{\"error\":\"server_error\"}", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 500 Internal Server Error)", NULL },
    { 400, "<html>Bad Request</html>", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 400 Bad Request)", NULL },
    { 403, "{\"error\":{\"code\":7}}", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 403 Forbidden)", NULL },
    { 429, "{\"error\":\"slow_down\"}", QRS_PROVIDER_ERROR_RATE_LIMITED,
      "The sign-in server is receiving too many requests and asks us to wait", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QrsCode) code = NULL;
      g_autoptr(GError) error = NULL;

      code = authorize (cases[i].http_status, cases[i].body, &error);
      g_assert_null (code);
      g_assert_error (error, QRS_PROVIDER_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpstr (qrs_provider_error_get_server_message (error), ==, cases[i].server_message);
      g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, cases[i].http_status);
    }
}

/* ---- Tokens ----------------------------------------------------------- */

static QrsStatusReport *
poll_with (const QrsDeviceFlowContext  *ctx,
           guint                        http_status,
           const char                  *retry_after,
           const char                  *body,
           guint                        interval,
           GError                     **error)
{
  g_auto(Reply) reply = { { 0 } };

  reply_init (&reply, http_status, retry_after, body);

  return qrs_device_flow_wire_parse_token (ctx, &reply.reply, interval, error);
}

static QrsStatusReport *
poll_ok (guint       http_status,
         const char *body,
         guint       interval)
{
  g_autoptr(GError) error = NULL;
  QrsStatusReport *report = poll_with (&context, http_status, NULL, body, interval, &error);

  g_assert_no_error (error);
  g_assert_true (QRS_IS_STATUS_REPORT (report));

  return report;
}

#define OAUTH_ERROR(e) "{\"error\":\"" e "\",\"error_description\":\"whatever\"}"

/* RFC 8628 §3.5, as oidc-provider answers them (HTTP 400). */
static void
test_token_waiting (void)
{
  static const struct
  {
    const char *error;
    QrsStatus status;
    guint interval;
  } cases[] = {
    { "authorization_pending", QRS_STATUS_PENDING, 3 },
    { "slow_down", QRS_STATUS_PENDING, 8 },
    { "access_denied", QRS_STATUS_CANCELLED, 3 },
    /* Microsoft Entra ID's name for it. */
    { "authorization_declined", QRS_STATUS_CANCELLED, 3 },
    { "expired_token", QRS_STATUS_EXPIRED, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf (OAUTH_ERROR ("%s"), cases[i].error);
      g_autoptr(QrsStatusReport) report = poll_ok (400, body, 3);

      g_assert_cmpint (qrs_status_report_get_status (report), ==, cases[i].status);
      g_assert_cmpuint (qrs_status_report_get_poll_interval (report), ==, cases[i].interval);
      g_assert_null (qrs_status_report_get_token_set (report));
      g_assert_null (qrs_status_report_get_display_name (report));
      g_assert_false (qrs_status_report_has_ticket (report));
    }
}

/* Each slow_down adds 5 s to what it was, up to a bound. */
static void
test_token_slow_down_grows (void)
{
  guint interval = 5;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(QrsStatusReport) report = poll_ok (400, "{\"error\":\"slow_down\"}", interval);

      g_assert_cmpuint (qrs_status_report_get_poll_interval (report), ==, interval + 5);
      interval = qrs_status_report_get_poll_interval (report);
    }
  g_assert_cmpuint (interval, ==, 20);

  {
    g_autoptr(QrsStatusReport) report = poll_ok (400, "{\"error\":\"slow_down\"}", 3598);

    g_assert_cmpuint (qrs_status_report_get_poll_interval (report), ==, 3600);
  }
}

static void
test_token_errors (void)
{
  static const struct
  {
    guint http_status;
    const char *retry_after;
    const char *body;
    QrsProviderError code;
    const char *message;
    const char *server_message;
  } cases[] = {
    /* oidc-provider, after a code's expiry, and on a replay. */
    { 400, NULL, "{\"error\":\"invalid_grant\",\"error_description\":\"device code not found\"}",
      QRS_PROVIDER_ERROR_SERVER, "The sign-in server refused the request (invalid_grant)", "device code not found" },
    { 401, NULL, "{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}",
      QRS_PROVIDER_ERROR_CONFIG, CLIENT_REFUSED, "client authentication failed" },
    { 400, NULL, "{\"error\":\"unsupported_grant_type\"}",
      QRS_PROVIDER_ERROR_SERVER, "The sign-in server refused the request (unsupported_grant_type)", NULL },
    /* The code is shown, so it is one bounded line too. */
    { 400, NULL, "{\"error\":\"bad\\r\\nX-Forged: yes\"}",
      QRS_PROVIDER_ERROR_SERVER, "The sign-in server refused the request (bad  X-Forged: yes)", NULL },
    { 400, NULL, "{\"error\":\"odd\",\"error_description\":42}",
      QRS_PROVIDER_ERROR_SERVER, "The sign-in server refused the request (odd)", NULL },
    /* Not OAuth errors, but what the GenAuth provider gives. */
    { 500, NULL, "{\"error\":\"server_error\"}", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 500 Internal Server Error)", NULL },
    { 503, NULL, "<html>down</html>", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 503 Service Unavailable)", NULL },
    { 502, NULL, "", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 502 Bad Gateway)", NULL },
    { 408, NULL, "{\"error\":\"authorization_pending\"}", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 408 Request Timeout)", NULL },
    { 400, NULL, "not json", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 400 Bad Request)", NULL },
    { 400, NULL, "{\"error\":null}", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 400 Bad Request)", NULL },
    { 400, NULL, "{\"error\":[\"authorization_pending\"]}", QRS_PROVIDER_ERROR_HTTP,
      "The sign-in server answered with an error (HTTP 400 Bad Request)", NULL },
    { 429, "30", "{\"error\":\"slow_down\"}", QRS_PROVIDER_ERROR_RATE_LIMITED,
      "The sign-in server is receiving too many requests and asks us to wait", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QrsStatusReport) report = NULL;
      g_autoptr(GError) error = NULL;

      report = poll_with (&context, cases[i].http_status, cases[i].retry_after, cases[i].body, 5, &error);
      g_assert_null (report);
      g_assert_error (error, QRS_PROVIDER_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpstr (qrs_provider_error_get_server_message (error), ==, cases[i].server_message);
      g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, cases[i].http_status);
      /* 0, so that the model never takes it for GenAuth's "code gone". */
      g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 0);
      if (cases[i].retry_after != NULL)
        g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, 30);
    }
}

/* An error code past 128 bytes is no OAuth error code. */
static void
test_token_error_code_too_long (void)
{
  g_autofree char *code = g_strnfill (129, 'e');
  g_autofree char *body = g_strdup_printf ("{\"error\":\"%s\"}", code);
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = poll_with (&context, 400, NULL, body, 5, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
}

static char *
base64url (const char *text)
{
  g_autofree char *standard = g_base64_encode ((const guchar *) text, strlen (text));
  GString *out = g_string_new (NULL);

  for (const char *p = standard; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);

  return g_string_free (out, FALSE);
}

/* A signed JWT as a provider would send it, but with a signature of
 * nonsense: nothing here checks it.
 */
static char *
make_jwt (const char *claims)
{
  g_autofree char *header = base64url ("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
  g_autofree char *payload = base64url (claims);

  return g_strconcat (header, ".", payload, ".c2lnbmF0dXJl_-", NULL);
}

static QrsStatusReport *
tokens_with_id_token (const QrsDeviceFlowContext *ctx,
                      const char                 *id_token)
{
  g_autofree char *body =
    g_strdup_printf ("{\"access_token\":\"at-123\",\"expires_in\":3600,\"id_token\":\"%s\","
                     "\"refresh_token\":\"rt-456\",\"scope\":\"openid profile offline_access\",\"token_type\":\"Bearer\"}",
                     id_token);
  g_autoptr(GError) error = NULL;
  QrsStatusReport *report;

  report = poll_with (ctx, 200, NULL, body, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_AUTHORIZED);

  return report;
}

/* oidc-provider's answer: the tokens, and the person from the ID token. */
static void
test_token_success (void)
{
  g_autofree char *id_token =
    make_jwt ("{\"sub\":\"alice\",\"name\":\"Alice Example\",\"preferred_username\":\"alice\","
              "\"picture\":\"https://id.example.com/avatars/alice.png\",\"aud\":\"qrs-public\","
              "\"iss\":\"" ISSUER "\",\"exp\":1772354415,\"iat\":1772350815}");
  g_autoptr(QrsStatusReport) report = tokens_with_id_token (&context, id_token);
  QrsTokenSet *token_set = qrs_status_report_get_token_set (report);

  g_assert_nonnull (token_set);
  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, "at-123");
  g_assert_cmpstr (qrs_token_set_get_id_token (token_set), ==, id_token);
  g_assert_cmpstr (qrs_token_set_get_refresh_token (token_set), ==, "rt-456");
  g_assert_cmpstr (qrs_token_set_get_token_type (token_set), ==, "Bearer");
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 3600);
  g_assert_cmpstr (qrs_token_set_get_scope (token_set), ==, "openid profile offline_access");

  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Alice Example");
  g_assert_cmpstr (qrs_status_report_get_photo_url (report), ==, "https://id.example.com/avatars/alice.png");
  g_assert_false (qrs_status_report_has_ticket (report));
}

/* Who the person is is only shown: whatever is wrong with it, the tokens
 * still arrive.
 */
static void
test_token_person (void)
{
  g_autofree char *long_name = g_strnfill (300, 'n');
  g_autofree char *long_name_claims = g_strdup_printf ("{\"name\":\"%s\"}", long_name);
  g_autofree char *kept = g_strnfill (256, 'n');
  g_autofree char *shortened = g_strconcat (kept, "…", NULL);
  const struct
  {
    const QrsDeviceFlowContext *context;
    const char *claims;           /* NULL: id_token is given whole */
    const char *id_token;
    const char *display_name;
    const char *photo_url;
  } cases[] = {
    { &context, "{\"preferred_username\":\"bob\"}", NULL, "bob", NULL },
    { &context, "{\"name\":\"  \",\"preferred_username\":\"bob\"}", NULL, "bob", NULL },
    { &context, "{\"name\":7,\"preferred_username\":\"bob\"}", NULL, "bob", NULL },
    { &context, "{\"name\":\"Eve\\nAdmin\\u202e\"}", NULL, "Eve Admin", NULL },
    { &context, long_name_claims, NULL, shortened, NULL },
    { &context, "{\"sub\":\"x\"}", NULL, NULL, NULL },
    /* The picture as securely as the issuer, as for a GenAuth avatar. */
    { &context, "{\"name\":\"A\",\"picture\":\"http://cdn.example.com/a.png\"}", NULL, "A", NULL },
    { &context, "{\"name\":\"A\",\"picture\":\"javascript:alert(1)\"}", NULL, "A", NULL },
    { &context, "{\"name\":\"A\",\"picture\":{\"url\":\"https://x/a.png\"}}", NULL, "A", NULL },
    { &loopback_context, "{\"name\":\"A\",\"picture\":\"http://127.0.0.1:8080/a.png\"}", NULL, "A",
      "http://127.0.0.1:8080/a.png" },
    { &loopback_context, "{\"name\":\"A\",\"picture\":\"https://cdn.example.com/a.png\"}", NULL, "A",
      "https://cdn.example.com/a.png" },
    /* Not a readable JWS: nobody named. */
    { &context, NULL, "not-a-jwt", NULL, NULL },
    { &context, NULL, "a.b.c.d.e", NULL, NULL },
    { &context, NULL, "eyJhbGciOiJub25lIn0..sig", NULL, NULL },
    { &context, NULL, "eyJhbGciOiJub25lIn0.e30!.sig", NULL, NULL },
    { &context, NULL, "eyJhbGciOiJub25lIn0.e.sig", NULL, NULL },
    { &context, NULL, "eyJhbGciOiJub25lIn0.bm90IGpzb24.sig", NULL, NULL },
    { &context, NULL, "eyJhbGciOiJub25lIn0.WyJhIl0.sig", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *made = cases[i].claims != NULL ? make_jwt (cases[i].claims) : NULL;
      g_autoptr(QrsStatusReport) report =
        tokens_with_id_token (cases[i].context, made != NULL ? made : cases[i].id_token);

      g_assert_nonnull (qrs_status_report_get_token_set (report));
      g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, cases[i].display_name);
      g_assert_cmpstr (qrs_status_report_get_photo_url (report), ==, cases[i].photo_url);
    }
}

/* The same tolerance as GenAuth's token sets: one reader serves both. */
static void
test_token_lenient (void)
{
  g_autoptr(QrsStatusReport) report =
    poll_ok (200, "{\"access_token\":\"at\",\"expires_in\":\"3600\",\"scope\":[\"openid\"],"
                  "\"refresh_token\":5,\"token_type\":null}", 5);
  QrsTokenSet *token_set = qrs_status_report_get_token_set (report);

  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, "at");
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 3600);
  g_assert_null (qrs_token_set_get_scope (token_set));
  g_assert_null (qrs_token_set_get_refresh_token (token_set));
  g_assert_null (qrs_token_set_get_token_type (token_set));
  g_assert_null (qrs_token_set_get_id_token (token_set));
  g_assert_null (qrs_status_report_get_display_name (report));
}

static void
test_token_malformed (void)
{
  g_autofree char *long_token = g_strnfill (64 * 1024 + 1, 't');
  g_autofree char *long_body = g_strdup_printf ("{\"access_token\":\"%s\"}", long_token);
  g_autofree char *huge = NULL;
  static const struct
  {
    const char *body;
    const char *message;
  } cases[] = {
    { "{\"token_type\":\"Bearer\",\"expires_in\":3600}",
      "The server's answer could not be understood: it holds neither an access token nor an ID token" },
    { "{\"access_token\":42}", NOT_STRING ("access_token") },
    { "{\"id_token\":{}}", NOT_STRING ("id_token") },
    { "[]", NOT_OBJECT_ROOT },
    { "", "The server's answer is empty" },
    { "{\"access_token\":\"a\"} trailing", "The server's answer has extra data after the JSON value (at byte 21)" },
  };
  gsize huge_length = 1024 * 1024 + 16;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QrsStatusReport) report = NULL;
      g_autoptr(GError) error = NULL;

      report = poll_with (&context, 200, NULL, cases[i].body, 5, &error);
      g_assert_null (report);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    g_autoptr(QrsStatusReport) report = NULL;
    g_autoptr(GError) error = NULL;

    report = poll_with (&context, 200, NULL, long_body, 5, &error);
    g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
    g_assert_cmpstr (error->message, ==, TOO_LONG ("access_token"));
  }

  /* More than 1 MiB, whether read whole or cut off by the client. */
  huge = g_malloc (huge_length + 1);
  memset (huge, ' ', huge_length);
  memcpy (huge, "{\"access_token\":\"a\"}", 20);
  huge[huge_length] = '\0';
  for (guint truncated = 0; truncated <= 1; truncated++)
    {
      g_autoptr(QrsStatusReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(Reply) reply = { { 0 } };

      reply_init (&reply, 200, NULL, truncated ? "{\"access_token\":\"a\"}" : huge);
      reply.reply.truncated = truncated;
      report = qrs_device_flow_wire_parse_token (&context, &reply.reply, 5, &error);
      g_assert_null (report);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, TOO_LARGE);
    }
}

/* Deep nesting is refused before json-glib sees it, in every answer. */
static void
test_deep_nesting (void)
{
  g_autoptr(GString) body = g_string_new ("{\"error\":");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, '[');

  report = poll_with (&context, 200, NULL, body->str, 5, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* As an error body, it is no OAuth error: an HTTP one. */
  g_clear_object (&report);
  report = poll_with (&context, 400, NULL, body->str, 5, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_clear_error (&error);

  code = authorize (200, body->str, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
}

/* ---- Requests --------------------------------------------------------- */

static char *
bytes_to_string (GBytes *bytes)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  return g_strndup (data, length);
}

static void
test_request_bodies (void)
{
  g_autoptr(GBytes) public_authorization = NULL;
  g_autoptr(GBytes) post_authorization = NULL;
  g_autoptr(GBytes) public_token = NULL;
  g_autoptr(GBytes) post_token = NULL;
  g_autofree char *text = NULL;

  public_authorization = qrs_device_flow_wire_build_authorization_request ("qrs-public", "openid profile offline_access", NULL);
  text = bytes_to_string (public_authorization);
  g_assert_cmpstr (text, ==, "client_id=qrs-public&scope=openid+profile+offline_access");
  g_clear_pointer (&text, g_free);

  /* Every character that means something in a form is escaped. */
  post_authorization = qrs_device_flow_wire_build_authorization_request ("qrs-post", "openid", "p0st&secret=+% too");
  text = bytes_to_string (post_authorization);
  g_assert_cmpstr (text, ==, "client_id=qrs-post&client_secret=p0st%26secret%3D%2B%25+too&scope=openid");
  g_clear_pointer (&text, g_free);

  public_token = qrs_device_flow_wire_build_token_request ("Ab_9-x.y~z/+=", "qrs-public", NULL);
  text = bytes_to_string (public_token);
  g_assert_cmpstr (text, ==,
                   "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
                   "&device_code=Ab_9-x.y%7Ez%2F%2B%3D&client_id=qrs-public");
  g_clear_pointer (&text, g_free);

  post_token = qrs_device_flow_wire_build_token_request ("dc", "qrs-post", "s e&c");
  text = bytes_to_string (post_token);
  g_assert_cmpstr (text, ==,
                   "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
                   "&device_code=dc&client_id=qrs-post&client_secret=s+e%26c");
}

/* RFC 6749 §2.3.1: form-encoded, then joined, then base64. */
static void
test_request_basic (void)
{
  g_autofree char *credentials =
    qrs_form_basic_credentials ("qrs-basic", "b4sic: s3cret+with%25/odd chars");
  g_autofree guchar *decoded = NULL;
  gsize length;

  g_assert_true (g_str_has_prefix (credentials, "Basic "));
  decoded = g_base64_decode (credentials + strlen ("Basic "), &length);
  g_assert_cmpmem (decoded, length,
                   "qrs-basic:b4sic%3A+s3cret%2Bwith%2525%2Fodd+chars",
                   strlen ("qrs-basic:b4sic%3A+s3cret%2Bwith%2525%2Fodd+chars"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device-flow-wire/discovery/ok", test_discovery_ok);
  g_test_add_func ("/device-flow-wire/discovery/other-hosts", test_discovery_other_hosts);
  g_test_add_func ("/device-flow-wire/discovery/no-device-endpoint", test_discovery_no_device_endpoint);
  g_test_add_func ("/device-flow-wire/discovery/issuer-mismatch", test_discovery_issuer_mismatch);
  g_test_add_func ("/device-flow-wire/discovery/insecure-endpoints", test_discovery_insecure_endpoints);
  g_test_add_func ("/device-flow-wire/discovery/http-errors", test_discovery_http_errors);
  g_test_add_func ("/device-flow-wire/discovery/malformed", test_discovery_malformed);
  g_test_add_func ("/device-flow-wire/authorization/complete", test_authorization_complete);
  g_test_add_func ("/device-flow-wire/authorization/minimal", test_authorization_minimal);
  g_test_add_func ("/device-flow-wire/authorization/google", test_authorization_google);
  g_test_add_func ("/device-flow-wire/authorization/lenient", test_authorization_lenient);
  g_test_add_func ("/device-flow-wire/authorization/long-complete", test_authorization_long_complete);
  g_test_add_func ("/device-flow-wire/authorization/malformed", test_authorization_malformed);
  g_test_add_func ("/device-flow-wire/authorization/errors", test_authorization_errors);
  g_test_add_func ("/device-flow-wire/token/waiting", test_token_waiting);
  g_test_add_func ("/device-flow-wire/token/slow-down-grows", test_token_slow_down_grows);
  g_test_add_func ("/device-flow-wire/token/errors", test_token_errors);
  g_test_add_func ("/device-flow-wire/token/error-code-too-long", test_token_error_code_too_long);
  g_test_add_func ("/device-flow-wire/token/success", test_token_success);
  g_test_add_func ("/device-flow-wire/token/person", test_token_person);
  g_test_add_func ("/device-flow-wire/token/lenient", test_token_lenient);
  g_test_add_func ("/device-flow-wire/token/malformed", test_token_malformed);
  g_test_add_func ("/device-flow-wire/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/device-flow-wire/request/bodies", test_request_bodies);
  g_test_add_func ("/device-flow-wire/request/basic", test_request_basic);

  return g_test_run ();
}
