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
#include "qrs-test-log.h"

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

#define REQUIRE_KEYRING()            \
  G_STMT_START {                     \
    if (keyring == NULL)             \
      {                              \
        g_test_skip (skip_reason);   \
        return;                      \
      }                              \
  } G_STMT_END

static void
store (const char *server,
       const char *app_id,
       const char *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  qrs_keyring_store_async (server, app_id, secret, NULL, qrs_test_keyring_result_cb, &result);
  g_assert_true (qrs_keyring_store_finish (qrs_test_keyring_wait (&result), &error));
  g_assert_no_error (error);
}

static gboolean
contains (const char *server,
          const char *app_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found;

  qrs_keyring_contains_async (server, app_id, NULL, qrs_test_keyring_result_cb, &result);
  found = qrs_keyring_contains_finish (qrs_test_keyring_wait (&result), &error);
  g_assert_no_error (error);

  return found;
}

static void
clear (const char *server,
       const char *app_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  qrs_keyring_clear_async (server, app_id, NULL, qrs_test_keyring_result_cb, &result);
  g_assert_true (qrs_keyring_clear_finish (qrs_test_keyring_wait (&result), &error));
  g_assert_no_error (error);
}

/* gnome-keyring itself, asked over D-Bus rather than through libsecret. */
static GVariant *
call_keyring (const char *path,
              const char *interface,
              const char *method,
              GVariant   *parameters,
              const char *reply_type)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", path, interface, method,
                                       parameters, G_VARIANT_TYPE (reply_type),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  return reply;
}

/* The object paths of the items the keyring holds for @server and @app_id. */
static GStrv
find_items (const char *server,
            const char *app_id)
{
  g_autoptr(GVariant) reply = NULL;
  g_auto(GStrv) locked = NULL;
  GVariantBuilder attributes;
  GStrv unlocked;

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", QRS_KEYRING_ATTRIBUTE_SERVER, server);
  g_variant_builder_add (&attributes, "{ss}", QRS_KEYRING_ATTRIBUTE_APP_ID, app_id);
  reply = call_keyring ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "SearchItems",
                        g_variant_new ("(a{ss})", &attributes), "(aoao)");
  g_variant_get (reply, "(^ao^ao)", &unlocked, &locked);
  g_assert_cmpuint (g_strv_length (locked), ==, 0);

  return unlocked;
}

static GVariant *
get_item_property (const char *item,
                   const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value;

  reply = call_keyring (item, "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", "org.freedesktop.Secret.Item", name), "(v)");
  g_variant_get (reply, "(v)", &value);

  return value;
}

/* The secret in @item, carried in the clear: fine on a private bus. */
static char *
get_item_secret (const char *item)
{
  g_autoptr(GVariant) session_reply = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autoptr(GVariant) secret_reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) closed = NULL;
  g_autofree char *session = NULL;
  gconstpointer bytes;
  gsize length;

  session_reply = call_keyring ("/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession",
                                g_variant_new ("(sv)", "plain", g_variant_new_string ("")), "(vo)");
  g_variant_get (session_reply, "(vo)", &output, &session);

  secret_reply = call_keyring (item, "org.freedesktop.Secret.Item", "GetSecret",
                               g_variant_new ("(o)", session), "((oayays))");
  g_variant_get (secret_reply, "((o@ay@ays))", NULL, NULL, &value, NULL);
  bytes = g_variant_get_fixed_array (value, &length, 1);

  closed = call_keyring (session, "org.freedesktop.Secret.Session", "Close", NULL, "()");

  return g_strndup (bytes, length);
}

static void
test_store_and_lookup (void)
{
  g_autoptr(QrsSecret) secret = NULL;

  REQUIRE_KEYRING ();

  store (SERVER, "app-store", SECRET);
  secret = qrs_test_keyring_lookup (SERVER, "app-store");
  g_assert_cmpstr (secret, ==, SECRET);
}

static void
test_missing (void)
{
  g_autoptr(QrsSecret) secret = NULL;

  REQUIRE_KEYRING ();

  secret = qrs_test_keyring_lookup (SERVER, "app-never-stored");
  g_assert_null (secret);
  g_assert_false (contains (SERVER, "app-never-stored"));
}

static void
test_replace (void)
{
  g_autoptr(QrsSecret) secret = NULL;
  g_auto(GStrv) items = NULL;

  REQUIRE_KEYRING ();

  store (SERVER, "app-replace", SECRET);
  store (SERVER, "app-replace", SECRET_2);

  secret = qrs_test_keyring_lookup (SERVER, "app-replace");
  g_assert_cmpstr (secret, ==, SECRET_2);

  items = find_items (SERVER, "app-replace");
  g_assert_cmpuint (g_strv_length (items), ==, 1);
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

  first = qrs_test_keyring_lookup (SERVER, "app-separate-1");
  second = qrs_test_keyring_lookup (SERVER, "app-separate-2");
  other_server = qrs_test_keyring_lookup (SERVER_2, "app-separate-1");

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
  secret = qrs_test_keyring_lookup (SERVER, "app-clear");
  g_assert_null (secret);

  /* The same app on another server keeps its own. */
  kept = qrs_test_keyring_lookup (SERVER_2, "app-clear");
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
  g_auto(GStrv) items = NULL;
  g_autoptr(GVariant) attributes = NULL;
  g_autoptr(GVariant) label = NULL;
  g_autoptr(QrsSecret) secret = NULL;
  const char *value;

  REQUIRE_KEYRING ();

  store (SERVER, "app-item", SECRET);
  items = find_items (SERVER, "app-item");
  g_assert_cmpuint (g_strv_length (items), ==, 1);

  /* In the login keyring, which --unlock made the default. */
  g_assert_true (g_str_has_prefix (items[0], "/org/freedesktop/secrets/collection/login/"));

  attributes = get_item_property (items[0], "Attributes");
  g_assert_true (g_variant_lookup (attributes, "xdg:schema", "&s", &value));
  g_assert_cmpstr (value, ==, QRS_KEYRING_SCHEMA_NAME);
  g_assert_true (g_variant_lookup (attributes, QRS_KEYRING_ATTRIBUTE_SERVER, "&s", &value));
  g_assert_cmpstr (value, ==, SERVER);
  g_assert_true (g_variant_lookup (attributes, QRS_KEYRING_ATTRIBUTE_APP_ID, "&s", &value));
  g_assert_cmpstr (value, ==, "app-item");
  g_assert_cmpuint (g_variant_n_children (attributes), ==, 3);

  label = get_item_property (items[0], "Label");
  g_assert_cmpstr (g_variant_get_string (label, NULL), ==,
                   "QR Sign-In client secret for app-item on " SERVER);

  secret = get_item_secret (items[0]);
  g_assert_cmpstr (secret, ==, SECRET);
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
  qrs_keyring_lookup_async (SERVER, "app-cancelled", cancellable, qrs_test_keyring_result_cb, &result);
  secret = qrs_keyring_lookup_finish (qrs_test_keyring_wait (&result), &error);
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
  qrs_test_log_capture_reset ();

  store (SERVER, "app-logged", SECRET);
  secret = qrs_test_keyring_lookup (SERVER, "app-logged");
  g_assert_true (contains (SERVER, "app-logged"));
  clear (SERVER, "app-logged");

  g_log_set_debug_enabled (FALSE);
  g_assert_cmpstr (secret, ==, SECRET);
  qrs_test_log_assert_absent ((const char *[]) { SECRET, NULL });
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  qrs_test_log_capture_init ((const char *[]) { "qr-signin-core", "libsecret", NULL });

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

  return status;
}
