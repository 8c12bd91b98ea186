/* test-keyring.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-keyring.h"
#include "qrs-test-keyring.h"

/* QrsKeyring against a real gnome-keyring-daemon on a private bus (see
 * qrs-test-keyring.c): what is stored comes back, for its own server and
 * application only, can be removed, sits in the login keyring under our
 * schema with a label that does not give it away, and never reaches a log.
 */

#define SERVER   "https://example.genauth.ai"
#define SERVER_2 "https://other.example.com/auth"
#define SECRET   "CLIENTSECRET-7f3a9c1e5b2d4068a1b3c5d7e9f00112"
#define SECRET_2 "CLIENTSECRET-0a1b2c3d4e5f60718293a4b5c6d7e8f9"

static QrsTestKeyring *keyring;
static char *skip_reason;

/* Everything logged while the tests run, debug messages included. */
static GString *log_text;

#define REQUIRE_KEYRING()            \
  G_STMT_START {                     \
    if (keyring == NULL)             \
      {                              \
        g_test_skip (skip_reason);   \
        return;                      \
      }                              \
  } G_STMT_END

static GLogWriterOutput
record_log_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
store (const char *server,
       const char *app_id,
       const char *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  qrs_keyring_store_async (server, app_id, secret, NULL, result_cb, &result);
  g_assert_true (qrs_keyring_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

static QrsSecret *
lookup (const char *server,
        const char *app_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QrsSecret *secret;

  qrs_keyring_lookup_async (server, app_id, NULL, result_cb, &result);
  secret = qrs_keyring_lookup_finish (wait_for (&result), &error);
  g_assert_no_error (error);

  return secret;
}

static gboolean
contains (const char *server,
          const char *app_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found;

  qrs_keyring_contains_async (server, app_id, NULL, result_cb, &result);
  found = qrs_keyring_contains_finish (wait_for (&result), &error);
  g_assert_no_error (error);

  return found;
}

static void
clear (const char *server,
       const char *app_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  qrs_keyring_clear_async (server, app_id, NULL, result_cb, &result);
  g_assert_true (qrs_keyring_clear_finish (wait_for (&result), &error));
  g_assert_no_error (error);
}

/* The items the Secret Service itself holds for @server and @app_id,
 * found with libsecret's own search rather than through QrsKeyring.
 */
static GList *
find_items (const char *server,
            const char *app_id)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (qrs_keyring_get_schema (),
                                       SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                       NULL, &error,
                                       QRS_KEYRING_ATTRIBUTE_SERVER, server,
                                       QRS_KEYRING_ATTRIBUTE_APP_ID, app_id,
                                       NULL);
  g_assert_no_error (error);

  return items;
}

static void
test_store_and_lookup (void)
{
  g_autoptr(QrsSecret) secret = NULL;

  REQUIRE_KEYRING ();

  store (SERVER, "app-store", SECRET);
  secret = lookup (SERVER, "app-store");
  g_assert_cmpstr (secret, ==, SECRET);
}

static void
test_missing (void)
{
  g_autoptr(QrsSecret) secret = NULL;

  REQUIRE_KEYRING ();

  secret = lookup (SERVER, "app-never-stored");
  g_assert_null (secret);
  g_assert_false (contains (SERVER, "app-never-stored"));
}

static void
test_replace (void)
{
  g_autoptr(QrsSecret) secret = NULL;
  GList *items;

  REQUIRE_KEYRING ();

  store (SERVER, "app-replace", SECRET);
  store (SERVER, "app-replace", SECRET_2);

  secret = lookup (SERVER, "app-replace");
  g_assert_cmpstr (secret, ==, SECRET_2);

  items = find_items (SERVER, "app-replace");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);
}

/* A secret belongs to one application on one server: another app id on
 * the same server, or the same app id on another server, never gets it.
 */
static void
test_separate (void)
{
  g_autoptr(QrsSecret) first = NULL;
  g_autoptr(QrsSecret) second = NULL;
  g_autoptr(QrsSecret) other_server = NULL;

  REQUIRE_KEYRING ();

  store (SERVER, "app-separate-1", SECRET);
  store (SERVER, "app-separate-2", SECRET_2);

  first = lookup (SERVER, "app-separate-1");
  second = lookup (SERVER, "app-separate-2");
  other_server = lookup (SERVER_2, "app-separate-1");

  g_assert_cmpstr (first, ==, SECRET);
  g_assert_cmpstr (second, ==, SECRET_2);
  g_assert_null (other_server);
}

static void
test_clear (void)
{
  g_autoptr(QrsSecret) secret = NULL;
  g_autoptr(QrsSecret) kept = NULL;

  REQUIRE_KEYRING ();

  store (SERVER, "app-clear", SECRET);
  store (SERVER_2, "app-clear", SECRET_2);
  g_assert_true (contains (SERVER, "app-clear"));

  clear (SERVER, "app-clear");
  g_assert_false (contains (SERVER, "app-clear"));
  secret = lookup (SERVER, "app-clear");
  g_assert_null (secret);

  /* The same app on another server keeps its own. */
  kept = lookup (SERVER_2, "app-clear");
  g_assert_cmpstr (kept, ==, SECRET_2);

  /* Nothing left to remove is not a failure. */
  clear (SERVER, "app-clear");
}

/* What a keyring manager shows: our schema, both attributes, a label that
 * names the app, in the default keyring, and the secret nowhere but in
 * the secret itself.
 */
static void
test_item (void)
{
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GList *items;
  SecretItem *item;

  REQUIRE_KEYRING ();

  store (SERVER, "app-item", SECRET);
  items = find_items (SERVER, "app-item");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_true (SECRET_IS_ITEM (items->data));
  item = items->data;

  attributes = secret_item_get_attributes (item);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, QRS_KEYRING_SCHEMA_NAME);
  g_assert_cmpstr (g_hash_table_lookup (attributes, QRS_KEYRING_ATTRIBUTE_SERVER), ==, SERVER);
  g_assert_cmpstr (g_hash_table_lookup (attributes, QRS_KEYRING_ATTRIBUTE_APP_ID), ==, "app-item");
  g_assert_null (strstr (g_hash_table_lookup (attributes, QRS_KEYRING_ATTRIBUTE_SERVER), SECRET));

  label = secret_item_get_label (item);
  g_assert_cmpstr (label, ==, "QR Sign-In client secret for app-item on " SERVER);

  /* In the login keyring, which --unlock made the default. */
  g_assert_true (g_str_has_prefix (g_dbus_proxy_get_object_path (G_DBUS_PROXY (item)),
                                   "/org/freedesktop/secrets/collection/login/"));

  value = secret_item_get_secret (item);
  g_assert_nonnull (value);
  g_assert_cmpstr (secret_value_get_text (value), ==, SECRET);

  g_list_free_full (items, g_object_unref);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsSecret) secret = NULL;

  REQUIRE_KEYRING ();

  store (SERVER, "app-cancelled", SECRET);

  g_cancellable_cancel (cancellable);
  qrs_keyring_lookup_async (SERVER, "app-cancelled", cancellable, result_cb, &result);
  secret = qrs_keyring_lookup_finish (wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (secret);
}

/* Every call, with every debug message on: the secret is in no log line. */
static void
test_never_logged (void)
{
  g_autoptr(QrsSecret) secret = NULL;

  REQUIRE_KEYRING ();

  g_log_set_debug_enabled (TRUE);
  g_string_truncate (log_text, 0);

  store (SERVER, "app-logged", SECRET);
  secret = lookup (SERVER, "app-logged");
  g_assert_true (contains (SERVER, "app-logged"));
  clear (SERVER, "app-logged");

  g_log_set_debug_enabled (FALSE);
  g_assert_cmpstr (secret, ==, SECRET);
  g_assert_null (strstr (log_text->str, SECRET));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  log_text = g_string_new (NULL);
  g_log_set_writer_func (record_log_cb, NULL, NULL);

  keyring = qrs_test_keyring_start (&skip_reason);
  if (keyring == NULL)
    g_test_message ("%s", skip_reason);

  g_test_add_func ("/keyring/store-and-lookup", test_store_and_lookup);
  g_test_add_func ("/keyring/missing", test_missing);
  g_test_add_func ("/keyring/replace", test_replace);
  g_test_add_func ("/keyring/separate", test_separate);
  g_test_add_func ("/keyring/clear", test_clear);
  g_test_add_func ("/keyring/item", test_item);
  g_test_add_func ("/keyring/cancelled", test_cancelled);
  g_test_add_func ("/keyring/never-logged", test_never_logged);

  status = g_test_run ();

  qrs_test_keyring_stop (keyring);
  g_free (skip_reason);
  g_string_free (log_text, TRUE);

  return status;
}
