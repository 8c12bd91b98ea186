/* test-genauth-provider.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "qrs-core-enums.h"
#include "qrs-genauth-provider.h"
#include "qrs-genauth-wire.h"

/* QrsGenauthProvider against a SoupServer in this process, on 127.0.0.1
 * and in the same main context: the exact requests it sends, and what it
 * makes of every kind of answer, including none at all.
 */

#define TEST_APP_ID      "app-5e04ae0d5f3cee22fb37612b"
#define TEST_USERPOOL_ID "pool-5fae2648201cfd526f0ec354"

/* Planted secrets: they must reach the server and nothing else. */
#define SECRET_TICKET  "TICKET-a8f0e1d2c3b4a5968778695a4b3c2d1e"
#define SECRET_ACCESS  "eyJACCESS-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define SECRET_ID      "eyJIDTOKEN-11223344556677889900aabbccddeeff"
#define SECRET_REFRESH "REFRESH-ffeeddccbbaa00998877665544332211"
#define SECRET_CLIENT  "CLIENTSECRET-9988776655443322110099887766"

static GString *captured_log;

typedef enum {
  ANSWER_NORMAL,
  ANSWER_HANG,          /* never answer */
  ANSWER_DROP,          /* close the connection without a word */
  ANSWER_ENDLESS,       /* a chunked body that never ends */
  ANSWER_HUGE_LENGTH,   /* Content-Length over the limit */
  ANSWER_STALL_BODY,    /* headers and some of the body, then nothing */
} Answer;

typedef struct
{
  char *method;
  char *path;
  char *query;
  SoupMessageHeaders *headers;
  GBytes *body;
} Request;

typedef struct
{
  SoupServer *server;
  char *base_url;
  QrsGenauthProvider *provider;

  GPtrArray *requests;
  GPtrArray *paused;

  Answer answer;
  guint status;
  char *content_type;
  char *body;
  char *retry_after;

  gsize endless_written;
  gboolean endless_done;
} Fixture;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  soup_message_headers_unref (request->headers);
  g_bytes_unref (request->body);
  g_free (request);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

#define ENDLESS_CHUNK (64 * 1024)
#define ENDLESS_LIMIT (128 * 1024 * 1024)

static void
endless_wrote_chunk (SoupServerMessage *message,
                     Fixture           *f)
{
  SoupMessageBody *body = soup_server_message_get_response_body (message);

  if (f->endless_written >= ENDLESS_LIMIT)
    {
      if (!f->endless_done)
        {
          soup_message_body_append (body, SOUP_MEMORY_STATIC, "\"}}", 3);
          soup_message_body_complete (body);
          f->endless_done = TRUE;
        }
      return;
    }

  soup_message_body_append_bytes (body, g_bytes_new_take (g_strnfill (ENDLESS_CHUNK, 'x'), ENDLESS_CHUNK));
  f->endless_written += ENDLESS_CHUNK;
}

static void
stall_wrote_chunk (SoupServerMessage *message,
                   Fixture           *f)
{
  g_signal_handlers_disconnect_by_func (message, stall_wrote_chunk, f);
  soup_server_message_pause (message);
  g_ptr_array_add (f->paused, g_object_ref (message));
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *f = user_data;
  GUri *uri = soup_server_message_get_uri (message);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (message);
  Request *request = g_new0 (Request, 1);

  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (message), copy_header, request->headers);
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_ptr_array_add (f->requests, request);

  switch (f->answer)
    {
    case ANSWER_NORMAL:
      soup_server_message_set_status (message, f->status, NULL);
      if (f->retry_after != NULL)
        soup_message_headers_append (response_headers, "Retry-After", f->retry_after);
      soup_server_message_set_response (message, f->content_type, SOUP_MEMORY_COPY,
                                        f->body, strlen (f->body));
      break;

    case ANSWER_HANG:
      soup_server_message_pause (message);
      g_ptr_array_add (f->paused, g_object_ref (message));
      break;

    case ANSWER_DROP:
      {
        g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);

        g_io_stream_close (stream, NULL, NULL);
      }
      break;

    case ANSWER_ENDLESS:
      soup_server_message_set_status (message, 200, NULL);
      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response_headers, "application/json", NULL);
      soup_message_body_set_accumulate (soup_server_message_get_response_body (message), FALSE);
      soup_message_body_append (soup_server_message_get_response_body (message), SOUP_MEMORY_STATIC,
                                "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\",\"pad\":\"", 52);
      g_signal_connect (message, "wrote-chunk", G_CALLBACK (endless_wrote_chunk), f);
      break;

    case ANSWER_STALL_BODY:
      soup_server_message_set_status (message, 200, NULL);
      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response_headers, "application/json", NULL);
      soup_message_body_append (soup_server_message_get_response_body (message), SOUP_MEMORY_STATIC,
                                "{\"statusCode\":200,", 17);
      g_signal_connect (message, "wrote-chunk", G_CALLBACK (stall_wrote_chunk), f);
      break;

    case ANSWER_HUGE_LENGTH:
      {
        gsize size = 2 * 1024 * 1024;
        char *body = g_malloc (size);

        memset (body, ' ', size);
        memcpy (body, "{\"statusCode\":200}", 18);
        soup_server_message_set_status (message, 200, NULL);
        soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE, body, size);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
answer_with (Fixture    *f,
             guint       status,
             const char *content_type,
             const char *body,
             const char *retry_after)
{
  f->answer = ANSWER_NORMAL;
  f->status = status;
  g_free (f->content_type);
  f->content_type = g_strdup (content_type);
  g_free (f->body);
  f->body = g_strdup (body);
  g_free (f->retry_after);
  f->retry_after = g_strdup (retry_after);
}

static void
answer_json (Fixture    *f,
             const char *body)
{
  answer_with (f, 200, "application/json; charset=utf-8", body, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *uri_text = NULL;

  f->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  answer_json (f, "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\"}}");

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_callback, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  g_assert_cmpuint (g_slist_length (uris), ==, 1);
  uri_text = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* http://127.0.0.1:PORT/ */
  f->base_url = g_strndup (uri_text, strlen (uri_text) - (g_str_has_suffix (uri_text, "/") ? 1 : 0));

  f->provider = qrs_genauth_provider_new (f->base_url, TEST_APP_ID, TEST_USERPOOL_ID, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->provider);
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->provider != NULL)
    g_assert_finalize_object (f->provider);

  for (guint i = 0; i < f->paused->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (f->paused, i);

      soup_server_message_set_status (message, 503, NULL);
      soup_server_message_unpause (message);
    }
  drain_main_context ();

  soup_server_disconnect (f->server);
  drain_main_context ();
  g_assert_finalize_object (f->server);

  g_ptr_array_unref (f->paused);
  g_ptr_array_unref (f->requests);
  g_free (f->base_url);
  g_free (f->content_type);
  g_free (f->body);
  g_free (f->retry_after);
}

/* ---- Waiting for results ---------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
  guint calls;
} Waiter;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->calls++;
  g_set_object (&waiter->result, result);
}

static void
wait_for (Waiter *waiter)
{
  while (waiter->calls == 0)
    g_main_context_iteration (NULL, TRUE);

  /* Exactly once: nothing else may come after. */
  drain_main_context ();
  g_assert_cmpuint (waiter->calls, ==, 1);
}

static void
wait_for_requests (Fixture *f,
                   guint    n)
{
  while (f->requests->len < n)
    g_main_context_iteration (NULL, TRUE);
}

static QrsCode *
create_code (Fixture  *f,
             GError  **error)
{
  Waiter waiter = { NULL, 0 };
  QrsCode *code;

  qrs_provider_create_code_async (QRS_PROVIDER (f->provider), NULL, on_done, &waiter);
  wait_for (&waiter);
  code = qrs_provider_create_code_finish (QRS_PROVIDER (f->provider), waiter.result, error);
  g_object_unref (waiter.result);

  return code;
}

static QrsStatusReport *
check_status (Fixture  *f,
              QrsCode  *code,
              GError  **error)
{
  Waiter waiter = { NULL, 0 };
  QrsStatusReport *report;

  qrs_provider_check_status_async (QRS_PROVIDER (f->provider), code, NULL, on_done, &waiter);
  wait_for (&waiter);
  report = qrs_provider_check_status_finish (QRS_PROVIDER (f->provider), waiter.result, error);
  g_object_unref (waiter.result);

  return report;
}

static QrsTokenSet *
exchange (Fixture          *f,
          QrsStatusReport  *report,
          GError          **error)
{
  Waiter waiter = { NULL, 0 };
  QrsTokenSet *token_set;

  qrs_provider_exchange_async (QRS_PROVIDER (f->provider), report, NULL, on_done, &waiter);
  wait_for (&waiter);
  token_set = qrs_provider_exchange_finish (QRS_PROVIDER (f->provider), waiter.result, error);
  g_object_unref (waiter.result);

  return token_set;
}

static QrsCode *
made_up_code (const char *id)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return qrs_code_new (id, NULL, NULL, now, 120);
}

/* ---- Checking requests ------------------------------------------------ */

static Request *
nth_request (Fixture *f,
             guint    n)
{
  g_assert_cmpuint (f->requests->len, >, n);

  return g_ptr_array_index (f->requests, n);
}

typedef struct
{
  const char * const *allowed;
  gboolean ok;
  const char *unexpected;
} HeaderCheck;

static void
check_header_name (const char *name,
                   const char *value,
                   gpointer    user_data)
{
  HeaderCheck *check = user_data;

  for (guint i = 0; check->allowed[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, check->allowed[i]) == 0)
      return;

  check->ok = FALSE;
  check->unexpected = name;
}

/* The headers we set, exactly, and otherwise only what HTTP itself needs. */
static void
assert_headers (Request    *request,
                const char *userpool_id,
                const char *authorization,
                gboolean    has_body)
{
  static const char * const allowed[] = {
    "Host", "Accept", "Accept-Encoding", "Connection", "User-Agent", "Content-Type", "Content-Length",
    "x-authing-app-id", "x-genauth-app-id", "x-authing-userpool-id", "Authorization",
    "Accept-Language", "x-authing-lang", "x-genauth-lang", NULL
  };
  HeaderCheck check = { allowed, TRUE, NULL };
  SoupMessageHeaders *headers = request->headers;

  soup_message_headers_foreach (headers, check_header_name, &check);
  if (!check.ok)
    g_error ("Unexpected header %s", check.unexpected);

  g_assert_cmpstr (soup_message_headers_get_list (headers, "Accept"), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "User-Agent"), ==, "qr-signin/" PACKAGE_VERSION);
  g_assert_cmpstr (soup_message_headers_get_list (headers, "x-authing-app-id"), ==, TEST_APP_ID);
  g_assert_cmpstr (soup_message_headers_get_list (headers, "x-genauth-app-id"), ==, TEST_APP_ID);
  g_assert_cmpstr (soup_message_headers_get_list (headers, "x-authing-userpool-id"), ==, userpool_id);
  g_assert_cmpstr (soup_message_headers_get_list (headers, "Authorization"), ==, authorization);
  g_assert_cmpstr (soup_message_headers_get_list (headers, "Host"), !=, NULL);
  /* The tests run in the C locale: English. */
  g_assert_cmpstr (soup_message_headers_get_list (headers, "x-authing-lang"), ==, "en-US");
  g_assert_cmpstr (soup_message_headers_get_list (headers, "x-genauth-lang"), ==, "en-US");

  if (has_body)
    g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  else
    g_assert_null (soup_message_headers_get_one (headers, "Content-Type"));
}

static void
assert_body (Request    *request,
             const char *expected)
{
  gsize length;
  const char *data = g_bytes_get_data (request->body, &length);

  if (expected == NULL)
    g_assert_cmpuint (length, ==, 0);
  else
    g_assert_cmpmem (data, length, expected, strlen (expected));
}

/* ---- Construction ----------------------------------------------------- */

typedef struct
{
  const char *url;
  gboolean allow_insecure_http;
  const char *normalized;  /* NULL: refused */
} UrlCase;

static void
test_new_base_url (void)
{
  static const UrlCase cases[] = {
    { "https://example.genauth.ai", FALSE, "https://example.genauth.ai" },
    { "https://example.genauth.ai/", FALSE, "https://example.genauth.ai" },
    { "HTTPS://Example.GenAuth.ai:8443/prefix//", FALSE, "https://Example.GenAuth.ai:8443/prefix" },
    { "http://127.0.0.1:8080", FALSE, "http://127.0.0.1:8080" },
    { "http://127.1.2.3", FALSE, "http://127.1.2.3" },
    { "http://localhost:1234/", FALSE, "http://localhost:1234" },
    { "http://[::1]:99", FALSE, "http://[::1]:99" },
    { "http://sso.example.com", FALSE, NULL },
    { "http://sso.example.com", TRUE, "http://sso.example.com" },
    { "http://10.0.0.1", FALSE, NULL },
    { "ftp://example.com", FALSE, NULL },
    { "file:///etc/passwd", FALSE, NULL },
    { "example.com", FALSE, NULL },
    { "https://", FALSE, NULL },
    { "https:///path", FALSE, NULL },
    { "https://user:pass@example.com", FALSE, NULL },
    { "https://example.com/?x=1", FALSE, NULL },
    { "https://example.com/#top", FALSE, NULL },
    { "https://exa mple.com", FALSE, NULL },
    { "https://exa%20mple.com", FALSE, NULL },
    { "https://example.com/a b", FALSE, "https://example.com/a%20b" },
    { "https://bücher.example", FALSE, "https://xn--bcher-kva.example" },
    { "", FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QrsGenauthProvider) provider = NULL;
      g_autoptr(GError) error = NULL;

      provider = g_initable_new (QRS_TYPE_GENAUTH_PROVIDER, NULL, &error,
                                 "base-url", cases[i].url,
                                 "app-id", TEST_APP_ID,
                                 "allow-insecure-http", cases[i].allow_insecure_http,
                                 NULL);

      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (qrs_genauth_provider_get_base_url (provider), ==, cases[i].normalized);
        }
      else
        {
          if (provider != NULL)
            g_error ("“%s” should have been refused", cases[i].url);
          g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
        }
    }
}

static void
test_new_ids (void)
{
  static const char * const bad_ids[] = { "", "app id", "app\r\nX-Evil: 1", "appé", NULL };
  g_autoptr(QrsGenauthProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_id = g_strnfill (257, 'a');

  for (guint i = 0; bad_ids[i] != NULL; i++)
    {
      provider = qrs_genauth_provider_new ("https://example.com", bad_ids[i], NULL, &error);
      g_assert_null (provider);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
      g_clear_error (&error);

      provider = qrs_genauth_provider_new ("https://example.com", TEST_APP_ID, bad_ids[i][0] ? bad_ids[i] : "x\n", &error);
      g_assert_null (provider);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
      g_clear_error (&error);
    }

  provider = qrs_genauth_provider_new ("https://example.com", long_id, NULL, &error);
  g_assert_null (provider);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_clear_error (&error);

  /* An empty user pool is no user pool. */
  provider = qrs_genauth_provider_new ("https://example.com", TEST_APP_ID, "", &error);
  g_assert_no_error (error);
  g_assert_null (qrs_genauth_provider_get_userpool_id (provider));
  g_assert_cmpstr (qrs_genauth_provider_get_app_id (provider), ==, TEST_APP_ID);
  g_assert_cmpuint (qrs_genauth_provider_get_timeout (provider), ==, 10);
  g_assert_cmpuint (qrs_genauth_provider_get_qr_lifetime (provider), ==, 120);
  g_assert_cmpint (qrs_genauth_provider_get_status_path (provider), ==, QRS_GENAUTH_STATUS_PATH_CHECK);
  g_assert_cmpint (qrs_genauth_provider_get_client_auth (provider), ==, QRS_CLIENT_AUTH_NONE);
  g_assert_false (qrs_genauth_provider_has_client_secret (provider));
  g_assert_finalize_object (g_steal_pointer (&provider));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* Setters notify once per real change, never for the same value. */
static void
test_properties_notify (Fixture       *f,
                        gconstpointer  data)
{
  guint timeout_count = 0;
  guint lifetime_count = 0;
  guint path_count = 0;
  guint auth_count = 0;
  guint secret_count = 0;

  g_signal_connect (f->provider, "notify::timeout", G_CALLBACK (count_notify), &timeout_count);
  g_signal_connect (f->provider, "notify::qr-lifetime", G_CALLBACK (count_notify), &lifetime_count);
  g_signal_connect (f->provider, "notify::status-path", G_CALLBACK (count_notify), &path_count);
  g_signal_connect (f->provider, "notify::client-auth", G_CALLBACK (count_notify), &auth_count);
  g_signal_connect (f->provider, "notify::has-client-secret", G_CALLBACK (count_notify), &secret_count);

  qrs_genauth_provider_set_timeout (f->provider, 3);
  qrs_genauth_provider_set_timeout (f->provider, 3);
  g_object_set (f->provider, "qr-lifetime", 60, NULL);
  g_object_set (f->provider, "qr-lifetime", 60, NULL);
  qrs_genauth_provider_set_status_path (f->provider, QRS_GENAUTH_STATUS_PATH_GET);
  qrs_genauth_provider_set_status_path (f->provider, QRS_GENAUTH_STATUS_PATH_GET);
  qrs_genauth_provider_set_client_auth (f->provider, QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);
  qrs_genauth_provider_set_client_auth (f->provider, QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);
  g_assert_true (qrs_genauth_provider_set_client_secret (f->provider, "one", NULL));
  g_assert_true (qrs_genauth_provider_set_client_secret (f->provider, "two", NULL));

  g_assert_cmpuint (timeout_count, ==, 1);
  g_assert_cmpuint (lifetime_count, ==, 1);
  g_assert_cmpuint (path_count, ==, 1);
  g_assert_cmpuint (auth_count, ==, 1);
  g_assert_cmpuint (secret_count, ==, 1);
  g_assert_cmpuint (qrs_genauth_provider_get_qr_lifetime (f->provider), ==, 60);
}

/* ---- Requests on the wire --------------------------------------------- */

static void
test_create_code_request (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *expected_content = NULL;
  Request *request;

  answer_json (f, "{\"statusCode\":200,\"message\":\"操作成功\",\"requestId\":\"r\","
                  "\"data\":{\"qrcodeId\":\"SzZrszCJNCFfVBDUCKLDtAYNBR96SK\","
                  "\"url\":\"https://files.example.com/q/SzZrszCJNCFfVBDUCKLDtAYNBR96SK.png\"}}");
  qrs_genauth_provider_set_qr_lifetime (f->provider, 90);

  code = create_code (f, &error);
  after = g_date_time_new_now_utc ();
  g_assert_no_error (error);

  g_assert_cmpuint (f->requests->len, ==, 1);
  request = nth_request (f, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/api/v3/gene-qrcode");
  g_assert_null (request->query);
  assert_headers (request, TEST_USERPOOL_ID, NULL, TRUE);
  assert_body (request, "{\"type\":\"MOBILE_APP\"}");

  g_assert_cmpstr (qrs_code_get_id (code), ==, "SzZrszCJNCFfVBDUCKLDtAYNBR96SK");
  g_assert_cmpstr (qrs_code_get_image_url (code), ==, "https://files.example.com/q/SzZrszCJNCFfVBDUCKLDtAYNBR96SK.png");
  g_assert_cmpuint (qrs_code_get_lifetime (code), ==, 90);
  g_assert_cmpint (g_date_time_compare (before, qrs_code_get_created_at (code)), <=, 0);
  g_assert_cmpint (g_date_time_compare (qrs_code_get_created_at (code), after), <=, 0);
  g_assert_cmpint (g_date_time_difference (qrs_code_get_expires_at (code), qrs_code_get_created_at (code)), ==, 90 * G_TIME_SPAN_SECOND);

  expected_content = qrs_genauth_wire_build_qr_content ("SzZrszCJNCFfVBDUCKLDtAYNBR96SK", TEST_USERPOOL_ID,
                                                        qrs_code_get_created_at (code), 90);
  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, expected_content);
  g_assert_nonnull (strstr (expected_content, "\"userPoolId\":\"" TEST_USERPOOL_ID "\""));
}

/* No user pool: no header, and no userPoolId in the QR content. A base URL
 * with a path keeps it.
 */
static void
test_create_code_no_userpool (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  Request *request;

  fixture_set_up (f, NULL);
  g_clear_object (&f->provider);
  base = g_strconcat (f->base_url, "/tenant/a/", NULL);
  f->provider = qrs_genauth_provider_new (base, TEST_APP_ID, NULL, &error);
  g_assert_no_error (error);

  answer_json (f, "{\"statusCode\":200,\"data\":{\"qrcodeId\":\"abc\",\"url\":\"https://e.com/q.png\"}}");
  code = create_code (f, &error);
  g_assert_no_error (error);

  request = nth_request (f, 0);
  g_assert_cmpstr (request->path, ==, "/tenant/a/api/v3/gene-qrcode");
  assert_headers (request, NULL, NULL, TRUE);
  g_assert_null (strstr (qrs_code_get_qr_content (code), "userPoolId"));

  fixture_tear_down (f, NULL);
}

static void
test_check_status_request (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("a/b c?d=e&f#g%h+中");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(QrsStatusReport) report2 = NULL;
  g_autoptr(GError) error = NULL;
  Request *request;

  answer_json (f, "{\"statusCode\":200,\"data\":{\"status\":\"SCANNED\","
                  "\"briefUserInfo\":{\"displayName\":\"Alice\",\"photo\":\"https://cdn.example.com/a.png\"}}}");
  report = check_status (f, code, &error);
  g_assert_no_error (error);

  request = nth_request (f, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/api/v3/check-qrcode-status");
  g_assert_cmpstr (request->query, ==, "qrcodeId=a%2Fb%20c%3Fd%3De%26f%23g%25h%2B%E4%B8%AD");
  assert_headers (request, TEST_USERPOOL_ID, NULL, FALSE);
  assert_body (request, NULL);

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_SCANNED);
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Alice");
  g_assert_cmpstr (qrs_status_report_get_photo_url (report), ==, "https://cdn.example.com/a.png");

  /* The newer endpoint, when configured. */
  qrs_genauth_provider_set_status_path (f->provider, QRS_GENAUTH_STATUS_PATH_GET);
  report2 = check_status (f, code, &error);
  g_assert_no_error (error);
  request = nth_request (f, 1);
  g_assert_cmpstr (request->path, ==, "/api/v3/get-qrcode-status");
  g_assert_cmpstr (request->query, ==, "qrcodeId=a%2Fb%20c%3Fd%3De%26f%23g%25h%2B%E4%B8%AD");
}

static QrsStatusReport *
authorized_report (void)
{
  return qrs_status_report_new (QRS_STATUS_AUTHORIZED, SECRET_TICKET, "Alice", NULL, NULL);
}

#define TOKEN_ANSWER \
  "{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"scope\":\"openid profile\"," \
  "\"access_token\":\"" SECRET_ACCESS "\",\"id_token\":\"" SECRET_ID "\"," \
  "\"refresh_token\":\"" SECRET_REFRESH "\",\"token_type\":\"bearer\",\"expire_in\":7200}}"

static void
test_exchange_none (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(QrsStatusReport) report = authorized_report ();
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(GError) error = NULL;
  Request *request;

  answer_json (f, TOKEN_ANSWER);
  token_set = exchange (f, report, &error);
  g_assert_no_error (error);

  request = nth_request (f, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/api/v3/exchange-tokenset-with-qrcode-ticket");
  g_assert_null (request->query);
  assert_headers (request, TEST_USERPOOL_ID, NULL, TRUE);
  assert_body (request, "{\"ticket\":\"" SECRET_TICKET "\"}");

  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, SECRET_ACCESS);
  g_assert_cmpstr (qrs_token_set_get_id_token (token_set), ==, SECRET_ID);
  g_assert_cmpstr (qrs_token_set_get_refresh_token (token_set), ==, SECRET_REFRESH);
  g_assert_cmpstr (qrs_token_set_get_token_type (token_set), ==, "bearer");
  g_assert_cmpstr (qrs_token_set_get_scope (token_set), ==, "openid profile");
  g_assert_cmpint (qrs_token_set_get_expires_in (token_set), ==, 7200);
}

static void
test_exchange_client_secret_post (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(QrsStatusReport) report = authorized_report ();
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(GError) error = NULL;
  Request *request;

  g_assert_true (qrs_genauth_provider_set_client_secret (f->provider, SECRET_CLIENT, &error));
  g_assert_no_error (error);
  qrs_genauth_provider_set_client_auth (f->provider, QRS_CLIENT_AUTH_CLIENT_SECRET_POST);

  answer_json (f, TOKEN_ANSWER);
  token_set = exchange (f, report, &error);
  g_assert_no_error (error);

  request = nth_request (f, 0);
  assert_headers (request, TEST_USERPOOL_ID, NULL, TRUE);
  assert_body (request, "{\"ticket\":\"" SECRET_TICKET "\",\"client_id\":\"" TEST_APP_ID "\",\"client_secret\":\"" SECRET_CLIENT "\"}");
  g_assert_cmpstr (qrs_token_set_get_access_token (token_set), ==, SECRET_ACCESS);
}

static void
test_exchange_client_secret_basic (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(QrsStatusReport) report = authorized_report ();
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(GError) error = NULL;
  /* Form-encoded before base64, RFC 6749 §2.3.1. */
  g_autofree char *encoded = g_base64_encode ((const guchar *) TEST_APP_ID ":" SECRET_CLIENT "%3A+%2B%25",
                                              strlen (TEST_APP_ID ":" SECRET_CLIENT "%3A+%2B%25"));
  g_autofree char *expected = g_strconcat ("Basic ", encoded, NULL);
  Request *request;

  g_assert_true (qrs_genauth_provider_set_client_secret (f->provider, SECRET_CLIENT ": +%", &error));
  g_assert_no_error (error);
  qrs_genauth_provider_set_client_auth (f->provider, QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);

  answer_json (f, TOKEN_ANSWER);
  token_set = exchange (f, report, &error);
  g_assert_no_error (error);

  request = nth_request (f, 0);
  assert_headers (request, TEST_USERPOOL_ID, expected, TRUE);
  assert_body (request, "{\"ticket\":\"" SECRET_TICKET "\"}");
  g_assert_cmpstr (qrs_token_set_get_id_token (token_set), ==, SECRET_ID);
}

/* A method that needs a secret, and none loaded: refused before sending. */
static void
test_exchange_secret_missing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(QrsStatusReport) report = authorized_report ();
  g_autoptr(QrsStatusReport) no_ticket = qrs_status_report_new (QRS_STATUS_PENDING, NULL, NULL, NULL, NULL);
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(GError) error = NULL;

  qrs_genauth_provider_set_client_auth (f->provider, QRS_CLIENT_AUTH_CLIENT_SECRET_POST);
  token_set = exchange (f, report, &error);
  g_assert_null (token_set);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_clear_error (&error);

  token_set = exchange (f, no_ticket, &error);
  g_assert_null (token_set);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED);

  drain_main_context ();
  g_assert_cmpuint (f->requests->len, ==, 0);
}

/* What goes into a JSON string or a Basic header must be printable ASCII. */
static void
test_client_secret_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (8192, 's');
  const char *bad[] = { "", "tab\there", "line\nbreak", "caf\xc3\xa9", big };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (qrs_genauth_provider_set_client_secret (f->provider, bad[i], &error));
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
      g_clear_error (&error);
    }

  g_assert_false (qrs_genauth_provider_has_client_secret (f->provider));
}

/* ---- Answers that are not answers ------------------------------------- */

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  qrs_genauth_provider_set_timeout (f->provider, 1);
  f->answer = ANSWER_HANG;

  start = g_get_monotonic_time ();
  report = check_status (f, code, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_TIMEOUT);
  g_assert_cmpstr (error->message, ==, "The sign-in server did not answer in time");
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 0);
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
}

/* The server sent the headers and then went quiet in the middle of the
 * body: the same timeout applies.
 */
static void
test_timeout_mid_body (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  qrs_genauth_provider_set_timeout (f->provider, 1);
  f->answer = ANSWER_STALL_BODY;
  report = check_status (f, code, &error);

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_TIMEOUT);
  g_assert_cmpuint (f->paused->len, ==, 1);
}

static void
test_rate_limited_seconds (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  answer_with (f, 429, "application/json", "{\"statusCode\":429,\"message\":\"您的请求已超过最大数量限制，请稍后重试\"}", "17");
  report = check_status (f, code, &error);

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 429);
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, 17);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 429);
  g_assert_cmpstr (qrs_provider_error_get_server_message (error), ==, "您的请求已超过最大数量限制，请稍后重试");
}

static void
test_rate_limited_date (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 30);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  gint64 retry_after;

  answer_with (f, 429, "text/plain", "Too Many Requests", date);
  report = check_status (f, code, &error);

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  /* The date has whole seconds and a second may tick on the way. */
  retry_after = qrs_provider_error_get_retry_after (error);
  g_assert_cmpint (retry_after, >=, 28);
  g_assert_cmpint (retry_after, <=, 30);
}

static void
test_http_500_html (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  answer_with (f, 500, "text/html", "<!DOCTYPE html><html><head><title>500</title></head><body>oops</body></html>", NULL);
  code = create_code (f, &error);

  g_assert_null (code);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The sign-in server answered with an error (HTTP 500 Internal Server Error)");
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 500);
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, -1);
}

/* A 302 is not followed: a redirect could take the headers elsewhere. */
static void
test_redirect_not_followed (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  answer_with (f, 302, "text/plain", "", NULL);
  code = create_code (f, &error);

  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 302);
  g_assert_cmpuint (f->requests->len, ==, 1);
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  answer_json (f, "{\"statusCode\":400,\"apiCode\":2011,\"message\":\"应用不存在\",\"requestId\":\"934108e5\"}");
  code = create_code (f, &error);

  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 200);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 400);
  g_assert_cmpint (qrs_provider_error_get_api_code (error), ==, 2011);
  g_assert_cmpstr (qrs_provider_error_get_server_message (error), ==, "应用不存在");
  g_assert_cmpstr (qrs_provider_error_get_request_id (error), ==, "934108e5");
}

static void
test_malformed_answer (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  answer_json (f, "{\"statusCode\":200,\"data\":{\"status\":\"PENDING\"}} trailing");
  report = check_status (f, code, &error);

  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 200);
}

static void
test_oversized_content_length (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  f->answer = ANSWER_HUGE_LENGTH;
  report = check_status (f, code, &error);

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server's answer is too large (more than 1 MiB)");
}

/* Without a Content-Length, reading stops one byte past the limit: the
 * server gets to write little more than what fills the socket buffers, not
 * its 128 MiB.
 */
static void
test_oversized_endless (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;

  f->answer = ANSWER_ENDLESS;
  report = check_status (f, code, &error);

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server's answer is too large (more than 1 MiB)");
  g_test_message ("The server wrote %zu bytes before the client hung up", f->endless_written);
  g_assert_false (f->endless_done);
  g_assert_cmpuint (f->endless_written, <, 32 * 1024 * 1024);
}

static void
test_dropped_connection (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  f->answer = ANSWER_DROP;
  code = create_code (f, &error);

  g_assert_null (code);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach the sign-in server: "));
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(QrsGenauthProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Waiter waiter = { NULL, 0 };
  g_autoptr(QrsCode) code = NULL;

  /* A port that was free a moment ago and has nobody listening now. */
  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_listener_close (listener);

  provider = qrs_genauth_provider_new (url, TEST_APP_ID, NULL, &error);
  g_assert_no_error (error);
  qrs_provider_create_code_async (QRS_PROVIDER (provider), NULL, on_done, &waiter);
  wait_for (&waiter);
  code = qrs_provider_create_code_finish (QRS_PROVIDER (provider), waiter.result, &error);
  g_clear_object (&waiter.result);

  g_assert_null (code);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NETWORK);
  g_assert_finalize_object (g_steal_pointer (&provider));
}

/* ---- Cancellation ----------------------------------------------------- */

static void
test_cancel_mid_request (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(QrsStatusReport) again = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { NULL, 0 };

  f->answer = ANSWER_HANG;
  qrs_provider_check_status_async (QRS_PROVIDER (f->provider), code, cancellable, on_done, &waiter);
  wait_for_requests (f, 1);
  g_assert_cmpuint (waiter.calls, ==, 0);

  g_cancellable_cancel (cancellable);
  wait_for (&waiter);
  report = qrs_provider_check_status_finish (QRS_PROVIDER (f->provider), waiter.result, &error);
  g_clear_object (&waiter.result);

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
  g_assert_true (qrs_provider_error_is_cancelled (error));
  g_clear_error (&error);

  /* The provider is still good for the next request. */
  answer_json (f, "{\"statusCode\":200,\"data\":{\"status\":\"EXPIRED\"}}");
  again = check_status (f, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qrs_status_report_get_status (again), ==, QRS_STATUS_EXPIRED);
}

static void
test_cancel_before_start (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { NULL, 0 };

  g_cancellable_cancel (cancellable);
  qrs_provider_create_code_async (QRS_PROVIDER (f->provider), cancellable, on_done, &waiter);
  wait_for (&waiter);
  code = qrs_provider_create_code_finish (QRS_PROVIDER (f->provider), waiter.result, &error);
  g_clear_object (&waiter.result);

  g_assert_null (code);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
  g_assert_cmpuint (f->requests->len, ==, 0);
}

/* Cancelling after the request finished is harmless; the cancellable can
 * serve many requests.
 */
static void
test_cancel_after_finish (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(QrsCode) code = made_up_code ("abc");
  Waiter waiter = { NULL, 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(QrsStatusReport) report = NULL;
      g_autoptr(GError) error = NULL;

      waiter.calls = 0;
      qrs_provider_check_status_async (QRS_PROVIDER (f->provider), code, cancellable, on_done, &waiter);
      wait_for (&waiter);
      report = qrs_provider_check_status_finish (QRS_PROVIDER (f->provider), waiter.result, &error);
      g_clear_object (&waiter.result);
      g_assert_no_error (error);
    }

  g_cancellable_cancel (cancellable);
  drain_main_context ();
  g_assert_cmpuint (waiter.calls, ==, 1);
  g_assert_cmpuint (f->requests->len, ==, 3);
}

/* Disposing the provider with requests in flight cancels them; each
 * callback still runs once, with an object that is still alive.
 */
static void
test_dispose_mid_request (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(QrsCode) new_code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) error3 = NULL;
  Waiter waiter = { NULL, 0 };
  Waiter waiter2 = { NULL, 0 };
  Waiter waiter3 = { NULL, 0 };

  f->answer = ANSWER_HANG;
  qrs_provider_check_status_async (QRS_PROVIDER (f->provider), code, NULL, on_done, &waiter);
  qrs_provider_create_code_async (QRS_PROVIDER (f->provider), NULL, on_done, &waiter2);
  wait_for_requests (f, 2);

  g_object_run_dispose (G_OBJECT (f->provider));
  wait_for (&waiter);
  wait_for (&waiter2);

  report = qrs_provider_check_status_finish (QRS_PROVIDER (f->provider), waiter.result, &error);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
  new_code = qrs_provider_create_code_finish (QRS_PROVIDER (f->provider), waiter2.result, &error2);
  g_assert_error (error2, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
  g_clear_object (&waiter.result);
  g_clear_object (&waiter2.result);

  /* A disposed provider refuses new work the same way. */
  qrs_provider_create_code_async (QRS_PROVIDER (f->provider), NULL, on_done, &waiter3);
  wait_for (&waiter3);
  g_assert_null (qrs_provider_create_code_finish (QRS_PROVIDER (f->provider), waiter3.result, &error3));
  g_assert_error (error3, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
  g_clear_object (&waiter3.result);
  g_assert_cmpuint (f->requests->len, ==, 2);
}

/* Disposing while the body is being read cancels the read. */
static void
test_dispose_mid_body (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(QrsCode) code = made_up_code ("abc");
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { NULL, 0 };

  f->answer = ANSWER_STALL_BODY;
  qrs_provider_check_status_async (QRS_PROVIDER (f->provider), code, NULL, on_done, &waiter);
  while (f->paused->len == 0)
    g_main_context_iteration (NULL, TRUE);
  /* Let the client take in the headers and the first chunk. */
  drain_main_context ();
  g_assert_cmpuint (waiter.calls, ==, 0);

  g_object_run_dispose (G_OBJECT (f->provider));
  wait_for (&waiter);
  report = qrs_provider_check_status_finish (QRS_PROVIDER (f->provider), waiter.result, &error);
  g_clear_object (&waiter.result);

  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
}

typedef struct
{
  GError *error;
  gboolean done;
} Dropper;

/* The caller lets go of the provider right after asking: the request keeps
 * it alive, and the callback finds it.
 */
static void
on_done_after_drop (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Dropper *dropper = user_data;
  g_autoptr(QrsCode) code = NULL;

  g_assert_true (QRS_IS_GENAUTH_PROVIDER (source));
  code = qrs_provider_create_code_finish (QRS_PROVIDER (source), result, &dropper->error);
  g_assert_nonnull (code);
  dropper->done = TRUE;
}

static void
test_unref_mid_request (Fixture       *f,
                        gconstpointer  data)
{
  Dropper dropper = { NULL, FALSE };
  GWeakRef weak;

  answer_json (f, "{\"statusCode\":200,\"data\":{\"qrcodeId\":\"abc\",\"url\":\"https://e.com/q.png\"}}");
  g_weak_ref_init (&weak, f->provider);
  qrs_provider_create_code_async (QRS_PROVIDER (f->provider), NULL, on_done_after_drop, &dropper);
  g_clear_object (&f->provider);

  while (!dropper.done)
    g_main_context_iteration (NULL, TRUE);
  drain_main_context ();

  g_assert_no_error (dropper.error);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

/* ---- Secrets stay out of the logs ------------------------------------- */

static GLogWriterOutput
capture_log (GLogLevelFlags   log_level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
    }

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static void
test_no_secrets_in_log (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autoptr(QrsTokenSet) failed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *tokens_text = NULL;
  g_autofree char *expected_tokens = g_strdup_printf ("access_token=(%zu chars)", strlen (SECRET_ACCESS));
  g_autofree char *expected_report = g_strdup_printf ("status=AUTHORIZED ticket=(%zu chars)", strlen (SECRET_TICKET));
  static const char * const secrets[] = { SECRET_TICKET, SECRET_ACCESS, SECRET_ID, SECRET_REFRESH, SECRET_CLIENT, NULL };

  g_string_truncate (captured_log, 0);

  g_assert_true (qrs_genauth_provider_set_client_secret (f->provider, SECRET_CLIENT, NULL));
  qrs_genauth_provider_set_client_auth (f->provider, QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);

  answer_json (f, "{\"statusCode\":200,\"data\":{\"qrcodeId\":\"code-1\",\"url\":\"https://e.com/q.png\"}}");
  code = create_code (f, &error);
  g_assert_no_error (error);

  answer_json (f, "{\"statusCode\":200,\"data\":{\"status\":\"AUTHORIZED\",\"ticket\":\"" SECRET_TICKET "\","
                  "\"briefUserInfo\":{\"displayName\":\"Alice\"}}}");
  report = check_status (f, code, &error);
  g_assert_no_error (error);

  answer_json (f, TOKEN_ANSWER);
  token_set = exchange (f, report, &error);
  g_assert_no_error (error);

  /* A failure is logged by its message only. */
  answer_json (f, "{\"statusCode\":400,\"message\":\"bad\",\"requestId\":\"r\"}");
  failed = exchange (f, report, &error);
  g_assert_null (failed);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER);

  report_text = qrs_status_report_to_debug_string (report);
  tokens_text = qrs_token_set_to_debug_string (token_set);

  /* The flow was logged, and nothing secret was. */
  g_assert_nonnull (strstr (captured_log->str, "Created code \"code-1\""));
  g_assert_nonnull (strstr (captured_log->str, expected_report));
  g_assert_nonnull (strstr (captured_log->str, expected_tokens));
  g_assert_nonnull (strstr (tokens_text, expected_tokens));
  for (guint i = 0; secrets[i] != NULL; i++)
    {
      if (strstr (captured_log->str, secrets[i]) != NULL)
        g_error ("A secret reached the log:\n%s", captured_log->str);
      g_assert_null (strstr (report_text, secrets[i]));
      g_assert_null (strstr (tokens_text, secrets[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything logs: every debug message is captured and checked for
   * secrets, as if G_MESSAGES_DEBUG=all were set in the field.
   */
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  g_log_set_debug_enabled (TRUE);

  /* Talk to the test server directly whatever proxy the machine has set,
   * and keep libproxy (C++, which AddressSanitizer builds trip over) out.
   */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/genauth-provider/new/base-url", test_new_base_url);
  g_test_add_func ("/genauth-provider/new/ids", test_new_ids);
  g_test_add ("/genauth-provider/properties/notify", Fixture, NULL, fixture_set_up, test_properties_notify, fixture_tear_down);
  g_test_add ("/genauth-provider/request/create-code", Fixture, NULL, fixture_set_up, test_create_code_request, fixture_tear_down);
  g_test_add_func ("/genauth-provider/request/create-code-no-userpool", test_create_code_no_userpool);
  g_test_add ("/genauth-provider/request/check-status", Fixture, NULL, fixture_set_up, test_check_status_request, fixture_tear_down);
  g_test_add ("/genauth-provider/request/exchange-none", Fixture, NULL, fixture_set_up, test_exchange_none, fixture_tear_down);
  g_test_add ("/genauth-provider/request/exchange-client-secret-post", Fixture, NULL, fixture_set_up, test_exchange_client_secret_post, fixture_tear_down);
  g_test_add ("/genauth-provider/request/exchange-client-secret-basic", Fixture, NULL, fixture_set_up, test_exchange_client_secret_basic, fixture_tear_down);
  g_test_add ("/genauth-provider/request/exchange-secret-missing", Fixture, NULL, fixture_set_up, test_exchange_secret_missing, fixture_tear_down);
  g_test_add ("/genauth-provider/client-secret/refused", Fixture, NULL, fixture_set_up, test_client_secret_refused, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/timeout", Fixture, NULL, fixture_set_up, test_timeout, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/timeout-mid-body", Fixture, NULL, fixture_set_up, test_timeout_mid_body, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/rate-limited-seconds", Fixture, NULL, fixture_set_up, test_rate_limited_seconds, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/rate-limited-date", Fixture, NULL, fixture_set_up, test_rate_limited_date, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/http-500-html", Fixture, NULL, fixture_set_up, test_http_500_html, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/redirect-not-followed", Fixture, NULL, fixture_set_up, test_redirect_not_followed, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/server-error", Fixture, NULL, fixture_set_up, test_server_error, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/malformed", Fixture, NULL, fixture_set_up, test_malformed_answer, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/oversized-content-length", Fixture, NULL, fixture_set_up, test_oversized_content_length, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/oversized-endless", Fixture, NULL, fixture_set_up, test_oversized_endless, fixture_tear_down);
  g_test_add ("/genauth-provider/answer/dropped-connection", Fixture, NULL, fixture_set_up, test_dropped_connection, fixture_tear_down);
  g_test_add_func ("/genauth-provider/answer/connection-refused", test_connection_refused);
  g_test_add ("/genauth-provider/cancel/mid-request", Fixture, NULL, fixture_set_up, test_cancel_mid_request, fixture_tear_down);
  g_test_add ("/genauth-provider/cancel/before-start", Fixture, NULL, fixture_set_up, test_cancel_before_start, fixture_tear_down);
  g_test_add ("/genauth-provider/cancel/after-finish", Fixture, NULL, fixture_set_up, test_cancel_after_finish, fixture_tear_down);
  g_test_add ("/genauth-provider/cancel/dispose-mid-request", Fixture, NULL, fixture_set_up, test_dispose_mid_request, fixture_tear_down);
  g_test_add ("/genauth-provider/cancel/dispose-mid-body", Fixture, NULL, fixture_set_up, test_dispose_mid_body, fixture_tear_down);
  g_test_add ("/genauth-provider/cancel/unref-mid-request", Fixture, NULL, fixture_set_up, test_unref_mid_request, fixture_tear_down);
  g_test_add ("/genauth-provider/security/no-secrets-in-log", Fixture, NULL, fixture_set_up, test_no_secrets_in_log, fixture_tear_down);

  return g_test_run ();
}
