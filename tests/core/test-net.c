/* test-net.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "qrs-core-enums.h"
#include "qrs-net.h"
#include "qrs-net-client.h"
#include "qrs-provider.h"

/* The network policy: which addresses are acceptable, and a client that
 * reads bounded bodies, never follows a redirect and fetches pictures only
 * as securely as the server. Two loopback servers: ours, and an attacker's
 * that a redirect or a plain-http address would lead to; the attacker's
 * must never be asked anything.
 */

/*
 * Address rules
 */

typedef struct {
  const char *url;
  gboolean allow_insecure_http;
  QrsNetUrlProblem problem;
  const char *normalized;
} ServerCase;

static const ServerCase server_cases[] = {
  { "https://example.genauth.ai", FALSE, QRS_NET_URL_OK, "https://example.genauth.ai" },
  { "https://example.genauth.ai/", FALSE, QRS_NET_URL_OK, "https://example.genauth.ai" },
  { "https://example.genauth.ai/sso//", FALSE, QRS_NET_URL_OK, "https://example.genauth.ai/sso" },
  { "HTTPS://Example.GenAuth.ai", FALSE, QRS_NET_URL_OK, NULL },
  { "https://example.com:8443/auth", FALSE, QRS_NET_URL_OK, "https://example.com:8443/auth" },
  { "https://例子.测试", FALSE, QRS_NET_URL_OK, NULL },
  { "http://localhost:8080", FALSE, QRS_NET_URL_OK, "http://localhost:8080" },
  { "http://127.0.0.1:8080", FALSE, QRS_NET_URL_OK, "http://127.0.0.1:8080" },
  { "http://127.8.9.10", FALSE, QRS_NET_URL_OK, "http://127.8.9.10" },
  { "http://[::1]:8080", FALSE, QRS_NET_URL_OK, "http://[::1]:8080" },
  { "http://sso.example.com", FALSE, QRS_NET_URL_INSECURE, NULL },
  { "http://10.0.0.1", FALSE, QRS_NET_URL_INSECURE, NULL },
  { "http://sso.example.com", TRUE, QRS_NET_URL_OK, "http://sso.example.com" },
  { NULL, FALSE, QRS_NET_URL_MISSING, NULL },
  { "", FALSE, QRS_NET_URL_MISSING, NULL },
  { "example.genauth.ai", FALSE, QRS_NET_URL_SCHEME, NULL },
  { "https://exa mple.com", FALSE, QRS_NET_URL_BAD_HOST, NULL },
  { "ftp://example.com", TRUE, QRS_NET_URL_SCHEME, NULL },
  { "javascript:alert(1)", FALSE, QRS_NET_URL_SCHEME, NULL },
  { "https://", FALSE, QRS_NET_URL_BAD_HOST, NULL },
  { "https://bad_host!.com", FALSE, QRS_NET_URL_BAD_HOST, NULL },
  { "https://admin:hunter2@example.com", FALSE, QRS_NET_URL_EXTRA_PARTS, NULL },
  { "https://example.com/?next=evil", FALSE, QRS_NET_URL_EXTRA_PARTS, NULL },
  { "https://example.com/#top", FALSE, QRS_NET_URL_EXTRA_PARTS, NULL },
};

static void
test_server_url (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_NET_URL_PROBLEM);

  for (guint i = 0; i < G_N_ELEMENTS (server_cases); i++)
    {
      const ServerCase *c = &server_cases[i];
      g_autofree char *normalized = NULL;
      QrsNetUrlProblem problem;

      problem = qrs_net_check_server_url (c->url, c->allow_insecure_http, &normalized);
      if (problem != c->problem)
        g_error ("“%s”: %s, not %s", c->url,
                 g_enum_get_value (klass, problem)->value_nick,
                 g_enum_get_value (klass, c->problem)->value_nick);

      if (problem == QRS_NET_URL_OK && c->normalized != NULL)
        g_assert_cmpstr (normalized, ==, c->normalized);
      if (problem != QRS_NET_URL_OK)
        g_assert_null (normalized);
    }
}

typedef struct {
  const char *url;
  const char *server;
  gboolean allow_insecure_http;
  QrsNetUrlProblem problem;
} PictureCase;

static const PictureCase picture_cases[] = {
  /* Another host is fine: GenAuth keeps pictures on its file servers. */
  { "https://files.authing.co/qr/abc.png", "https://example.genauth.ai", FALSE, QRS_NET_URL_OK },
  { "https://files.authing.co/qr/abc.png?x-oss-process=resize", "https://example.genauth.ai", FALSE, QRS_NET_URL_OK },
  { "http://127.0.0.1:9000/qr.png", "http://127.0.0.1:9000", FALSE, QRS_NET_URL_OK },
  /* The attack: a plain-http picture from an https server can be swapped
   * on the way by anybody on the path.
   */
  { "http://files.authing.co/qr/abc.png", "https://example.genauth.ai", FALSE, QRS_NET_URL_DOWNGRADE },
  { "http://files.authing.co/qr/abc.png", "https://example.genauth.ai", TRUE, QRS_NET_URL_DOWNGRADE },
  { "http://127.0.0.1:9000/qr.png", "https://example.genauth.ai", FALSE, QRS_NET_URL_DOWNGRADE },
  /* Plain http to another computer only where the server itself is allowed it. */
  { "http://cdn.example.com/qr.png", "http://127.0.0.1:9000", FALSE, QRS_NET_URL_INSECURE },
  { "http://cdn.example.com/qr.png", "http://sso.example.com", TRUE, QRS_NET_URL_OK },
  { "https://user:pw@files.authing.co/a.png", "https://example.genauth.ai", FALSE, QRS_NET_URL_EXTRA_PARTS },
  { "file:///etc/passwd", "https://example.genauth.ai", FALSE, QRS_NET_URL_SCHEME },
  { "data:image/png;base64,AAAA", "https://example.genauth.ai", FALSE, QRS_NET_URL_SCHEME },
  { "/relative.png", "https://example.genauth.ai", FALSE, QRS_NET_URL_SCHEME },
  { "", "https://example.genauth.ai", FALSE, QRS_NET_URL_MISSING },
  { NULL, "https://example.genauth.ai", FALSE, QRS_NET_URL_MISSING },
};

static void
test_picture_url (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_NET_URL_PROBLEM);

  for (guint i = 0; i < G_N_ELEMENTS (picture_cases); i++)
    {
      const PictureCase *c = &picture_cases[i];
      QrsNetUrlProblem problem = qrs_net_check_picture_url (c->url, c->server, c->allow_insecure_http);

      if (problem != c->problem)
        g_error ("“%s” from “%s”: %s, not %s", c->url, c->server,
                 g_enum_get_value (klass, problem)->value_nick,
                 g_enum_get_value (klass, c->problem)->value_nick);
    }
}

static void
test_displayable_url (void)
{
  g_autofree char *hidden = qrs_net_displayable_url ("https://admin:hunter2@example.com/sso");
  g_autofree char *plain = qrs_net_displayable_url ("https://example.com/sso");
  g_autofree char *garbage = qrs_net_displayable_url ("not a url");

  g_assert_cmpstr (hidden, ==, "https://example.com/sso");
  g_assert_cmpstr (plain, ==, "https://example.com/sso");
  g_assert_cmpstr (garbage, ==, "not a url");
}

static void
test_header_safe (void)
{
  g_autofree char *long_id = g_strnfill (QRS_NET_MAX_ID_LENGTH, 'a');
  g_autofree char *too_long = g_strnfill (QRS_NET_MAX_ID_LENGTH + 1, 'a');

  g_assert_true (qrs_net_text_is_header_safe ("5e04ae0d5f3cee22fb37612b", QRS_NET_MAX_ID_LENGTH));
  g_assert_true (qrs_net_text_is_header_safe (long_id, QRS_NET_MAX_ID_LENGTH));
  g_assert_false (qrs_net_text_is_header_safe (too_long, QRS_NET_MAX_ID_LENGTH));
  g_assert_false (qrs_net_text_is_header_safe ("", QRS_NET_MAX_ID_LENGTH));
  g_assert_false (qrs_net_text_is_header_safe (NULL, QRS_NET_MAX_ID_LENGTH));
  g_assert_false (qrs_net_text_is_header_safe ("app id", QRS_NET_MAX_ID_LENGTH));
  g_assert_false (qrs_net_text_is_header_safe ("app\r\nX-Evil: 1", QRS_NET_MAX_ID_LENGTH));
  g_assert_false (qrs_net_text_is_header_safe ("app\x7f", QRS_NET_MAX_ID_LENGTH));
  g_assert_false (qrs_net_text_is_header_safe ("appé", QRS_NET_MAX_ID_LENGTH));
}

static void
test_hosts (void)
{
  g_assert_true (qrs_net_host_is_loopback ("localhost"));
  g_assert_true (qrs_net_host_is_loopback ("LOCALHOST"));
  g_assert_true (qrs_net_host_is_loopback ("127.0.0.1"));
  g_assert_true (qrs_net_host_is_loopback ("127.255.0.9"));
  g_assert_true (qrs_net_host_is_loopback ("::1"));
  g_assert_true (qrs_net_host_is_loopback ("[::1]"));
  g_assert_false (qrs_net_host_is_loopback ("localhost.example.com"));
  g_assert_false (qrs_net_host_is_loopback ("10.0.0.1"));
  g_assert_false (qrs_net_host_is_loopback ("::2"));
  g_assert_false (qrs_net_host_is_loopback (NULL));

  g_assert_true (qrs_net_host_is_valid ("example.genauth.ai"));
  g_assert_true (qrs_net_host_is_valid ("例子.测试"));
  g_assert_true (qrs_net_host_is_valid ("192.168.1.1"));
  g_assert_false (qrs_net_host_is_valid ("bad_host"));
  g_assert_false (qrs_net_host_is_valid (""));
  g_assert_false (qrs_net_host_is_valid (NULL));
}

static void
test_language_tag (void)
{
  const char *saved = g_getenv ("LANGUAGE");
  g_autofree char *saved_copy = g_strdup (saved);

  /* g_get_language_names() caches by the value of these variables. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_assert_cmpstr (qrs_net_get_language_tag (), ==, "zh-CN");
  g_setenv ("LANGUAGE", "de_DE", TRUE);
  g_assert_cmpstr (qrs_net_get_language_tag (), ==, "en-US");
  g_setenv ("LANGUAGE", "en_GB", TRUE);
  g_assert_cmpstr (qrs_net_get_language_tag (), ==, "en-US");

  if (saved_copy != NULL)
    g_setenv ("LANGUAGE", saved_copy, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

/*
 * The client, against loopback servers
 */

typedef struct {
  SoupServer *server;
  char *base;
  SoupServer *attacker;
  char *attacker_base;
  guint attacker_requests;
  QrsNetClient *client;
} Fixture;

static void
attacker_handler (SoupServer        *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  Fixture *f = user_data;

  f->attacker_requests++;
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "image/png", SOUP_MEMORY_STATIC, "EVIL", 4);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  if (g_str_equal (path, "/small.png"))
    {
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "image/png", SOUP_MEMORY_STATIC, "0123456789", 10);
    }
  else if (g_str_equal (path, "/big.png") || g_str_equal (path, "/chunked.png"))
    {
      g_autofree char *body = g_malloc0 (4096);

      soup_server_message_set_status (message, 200, NULL);
      if (g_str_equal (path, "/chunked.png"))
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_server_message_set_response (message, "image/png", SOUP_MEMORY_COPY, body, 4096);
    }
  else if (g_str_equal (path, "/moved.png") || g_str_equal (path, "/api/moved"))
    {
      g_autofree char *target = g_strconcat (f->attacker_base, "evil.png", NULL);

      soup_server_message_set_redirect (message, 302, target);
    }
  else if (g_str_equal (path, "/api/json"))
    {
      soup_message_headers_replace (headers, "Retry-After", "7");
      soup_server_message_set_status (message, 503, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, "{\"a\":1}", 7);
    }
  else
    {
      soup_server_message_set_status (message, 404, NULL);
    }
}

static SoupServer *
listen (SoupServerCallback   callback,
        Fixture             *f,
        char               **base)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  GSList *uris;

  soup_server_add_handler (server, NULL, callback, f, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autofree char *server_url = NULL;

  f->server = listen (handler, f, &f->base);
  f->attacker = listen (attacker_handler, f, &f->attacker_base);
  g_assert_cmpint (qrs_net_check_server_url (f->base, FALSE, &server_url), ==, QRS_NET_URL_OK);
  f->client = qrs_net_client_new (server_url, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  g_assert_cmpuint (f->attacker_requests, ==, 0);
  g_assert_finalize_object (f->client);
  g_clear_object (&f->server);
  g_clear_object (&f->attacker);
  g_free (f->base);
  g_free (f->attacker_base);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GBytes *
fetch_picture (QrsNetClient  *client,
               const char    *url,
               gsize          max_bytes,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  qrs_net_client_fetch_picture_async (client, url, max_bytes, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return qrs_net_client_fetch_picture_finish (client, result, error);
}

static GBytes *
fetch (Fixture     *f,
       const char  *path,
       gsize        max_bytes,
       GError     **error)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);

  return fetch_picture (f->client, url, max_bytes, error);
}

static void
test_picture_small (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fetch (f, "small.png", 10, &error);

  /* Exactly at the limit is fine. */
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "0123456789", 10);
}

static void
test_picture_too_large (Fixture       *f,
                        gconstpointer  user_data)
{
  const char *paths[] = { "big.png", "chunked.png" };

  /* Refused from the Content-Length, or once the bytes pass the limit. */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = fetch (f, paths[i], 1000, &error);

      g_assert_null (bytes);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, "The picture is larger than a picture should be");
    }
}

static void
test_picture_not_found (Fixture       *f,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fetch (f, "missing.png", 1000, &error);

  g_assert_null (bytes);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 404);
  g_assert_cmpstr (error->message, ==, "The server answered the picture download with HTTP 404");
}

/* The attack: a redirect to another host would put its picture on screen. */
static void
test_picture_redirect_refused (Fixture       *f,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fetch (f, "moved.png", 1000, &error);

  g_assert_null (bytes);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The picture moved elsewhere (HTTP 302); redirects are not followed");
}

/* The attack: a plain-http picture from an https server is refused before
 * anything is sent.
 */
static void
test_picture_downgrade_refused (Fixture       *f,
                                gconstpointer  user_data)
{
  g_autoptr(QrsNetClient) client = qrs_net_client_new ("https://example.genauth.ai", FALSE);
  g_autofree char *url = g_strconcat (f->attacker_base, "evil.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fetch_picture (client, url, 1000, &error);

  g_assert_null (bytes);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server pointed at a picture over plain http; it is not fetched");
}

static void
test_picture_bad_url (Fixture       *f,
                      gconstpointer  user_data)
{
  const char *urls[] = { "not a url", "file:///etc/passwd", "" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = fetch_picture (f->client, urls[i], 1000, &error);

      g_assert_null (bytes);
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, "The server pointed at a picture that is not at an acceptable address");
    }
}

static QrsNetReply *
send (Fixture     *f,
      const char  *path,
      GError     **error)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GAsyncResult) result = NULL;

  qrs_net_client_send_async (f->client, message, "test", NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return qrs_net_client_send_finish (f->client, result, error);
}

/* Any answer is a reply, whatever its status; the protocol judges it. */
static void
test_send_reply (Fixture       *f,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsNetReply) reply = send (f, "api/json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (reply->http_status, ==, 503);
  g_assert_cmpstr (reply->retry_after, ==, "7");
  g_assert_false (reply->truncated);
  g_assert_cmpmem (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body), "{\"a\":1}", 7);
  g_assert_nonnull (reply->sent_at);
  g_assert_nonnull (reply->received_at);
  g_assert_cmpint (g_date_time_compare (reply->sent_at, reply->received_at), <=, 0);
}

/* A redirect could carry an app's headers or a ticket elsewhere. */
static void
test_send_redirect_not_followed (Fixture       *f,
                                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsNetReply) reply = send (f, "api/moved", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (reply->http_status, ==, 302);
}

static void
test_send_too_large (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsNetReply) reply = send (f, "big.png", &error);

  /* 4 KiB is well under the JSON cap. */
  g_assert_no_error (error);
  g_assert_false (reply->truncated);
  g_assert_cmpuint (g_bytes_get_size (reply->body), ==, 4096);
}

static void
test_send_refused_connection (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsNetClient) client = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QrsNetReply) reply = NULL;
  g_autofree char *base = NULL;
  GSList *uris;

  /* A port that was listening a moment ago, and is not any more. */
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_disconnect (server);

  client = qrs_net_client_new (base, FALSE);
  message = soup_message_new (SOUP_METHOD_GET, base);
  qrs_net_client_send_async (client, message, "test", NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = qrs_net_client_send_finish (client, result, &error);

  g_assert_null (reply);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NETWORK);
}

/* Shut down: what is in flight ends as cancelled, and nothing new starts. */
static void
test_shutdown (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *url = g_strconcat (f->base, "small.png", NULL);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  qrs_net_client_fetch_picture_async (f->client, url, 100, NULL, done_cb, &first);
  qrs_net_client_shutdown (f->client);
  qrs_net_client_fetch_picture_async (f->client, url, 100, NULL, done_cb, &second);
  while (first == NULL || second == NULL)
    g_main_context_iteration (NULL, TRUE);

  bytes = qrs_net_client_fetch_picture_finish (f->client, first, &error);
  g_assert_null (bytes);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
  g_clear_error (&error);

  bytes = qrs_net_client_fetch_picture_finish (f->client, second, &error);
  g_assert_null (bytes);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/url/server", test_server_url);
  g_test_add_func ("/net/url/picture", test_picture_url);
  g_test_add_func ("/net/url/displayable", test_displayable_url);
  g_test_add_func ("/net/header-safe", test_header_safe);
  g_test_add_func ("/net/hosts", test_hosts);
  g_test_add_func ("/net/language-tag", test_language_tag);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/net/client/picture/small", test_picture_small);
  ADD ("/net/client/picture/too-large", test_picture_too_large);
  ADD ("/net/client/picture/not-found", test_picture_not_found);
  ADD ("/net/client/picture/redirect-refused", test_picture_redirect_refused);
  ADD ("/net/client/picture/downgrade-refused", test_picture_downgrade_refused);
  ADD ("/net/client/picture/bad-url", test_picture_bad_url);
  ADD ("/net/client/send/reply", test_send_reply);
  ADD ("/net/client/send/redirect-not-followed", test_send_redirect_not_followed);
  ADD ("/net/client/send/bounded", test_send_too_large);
  ADD ("/net/client/shutdown", test_shutdown);
  g_test_add_func ("/net/client/send/connection-refused", test_send_refused_connection);

#undef ADD

  return g_test_run ();
}
