/* test-downloader.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "qrs-downloader.h"

/* A loopback server with a few pictures: small, big with a Content-Length,
 * big and chunked (no length up front), and missing.
 */
typedef struct {
  SoupServer *server;
  char *base;
  QrsDownloader *downloader;
} Fixture;

static void
handler (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
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
  else
    {
      soup_server_message_set_status (message, 404, NULL);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handler, NULL, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fixture->downloader = qrs_downloader_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->downloader);
  g_clear_object (&fixture->server);
  g_free (fixture->base);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GBytes *
fetch (Fixture     *fixture,
       const char  *path,
       gsize        max_bytes,
       GError     **error)
{
  g_autofree char *url = g_strconcat (fixture->base, path, NULL);
  g_autoptr(GAsyncResult) result = NULL;

  qrs_downloader_fetch_async (fixture->downloader, url, max_bytes, NULL, fetched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return qrs_downloader_fetch_finish (fixture->downloader, result, error);
}

static void
test_small (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fetch (fixture, "small.png", 10, &error);

  /* Exactly at the limit is fine. */
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "0123456789", 10);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *paths[] = { "big.png", "chunked.png" };

  /* Refused from the Content-Length, or once the bytes pass the limit. */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = fetch (fixture, paths[i], 1000, &error);

      g_assert_null (bytes);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
      g_assert_cmpstr (error->message, ==, "The download is larger than 1000 bytes");
    }
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fetch (fixture, "missing.png", 1000, &error);

  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The server answered the download with HTTP 404");
}

static void
test_bad_url (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  qrs_downloader_fetch_async (fixture->downloader, "not a url", 1000, NULL, fetched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = qrs_downloader_fetch_finish (fixture->downloader, result, &error);

  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/downloader/small", test_small);
  ADD ("/downloader/too-large", test_too_large);
  ADD ("/downloader/not-found", test_not_found);
  ADD ("/downloader/bad-url", test_bad_url);

#undef ADD

  return g_test_run ();
}
