/* test-setup.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <adwaita.h>

#include "qrs-config.h"
#include "qrs-emulator.h"
#include "qrs-keyring.h"
#include "qrs-preferences-dialog.h"
#include "qrs-server-group.h"
#include "qrs-setup-page.h"
#include "qrs-test-gtk.h"
#include "qrs-test-keyring.h"
#include "qrs-test-log.h"
#include "qrs-test-wait.h"

/* The welcome page a first start shows, and the preferences: the fields
 * are checked with the command line's rules and words, Continue saves them
 * to GSettings, Test Connection asks a real (emulated) server for a code,
 * and the client secret goes to a real keyring, never to GSettings.
 * GSettings come from the schema compiled in this build over a memory
 * backend; screenshots go to the test build directory.
 */

#define SERVER "https://example.genauth.ai"
#define TEST_APP_ID "5e04ae0d5f3cee22fb37612b"
#define SECRET "CLIENTSECRET-4c1d7a9e2b6f03851d2c4b6a8e0f1327"

/* Long enough for any local answer, short enough to fail a stuck test. */
#define WAIT_MS 10000

static QrsTestKeyring *keyring;
static char *keyring_skip_reason;

typedef struct {
  GSettings *settings;
  GtkWindow *window;
  QrsSetupPage *page;
  QrsServerGroup *group;
  QrsEmulator *emulator;
  guint done;
  guint demo_requested;
} Fixture;

static GSettings *
new_settings (void)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GError) error = NULL;

  source = g_settings_schema_source_new_from_directory (QRS_TEST_SCHEMA_DIR, NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, APP_ID, FALSE);
  g_assert_nonnull (schema);
  backend = g_memory_settings_backend_new ();

  return g_settings_new_full (schema, backend, NULL);
}

/* Like g_assert_finalize_object(), for objects whose last reference an
 * answer in flight (a keyring's, a server's) gives back a moment later.
 */
static gboolean
is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
assert_finalized_soon (gpointer object)
{
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);

  if (!qrs_test_wait_until (is_null, &weak, 0, WAIT_MS))
    {
      g_object_remove_weak_pointer (weak, &weak);
      g_error ("A %s is still alive", G_OBJECT_TYPE_NAME (weak));
    }
}

static void
count_cb (gpointer  instance,
          guint    *counter)
{
  (*counter)++;
}

/* The page as the app would show it: under a header bar, in a window the
 * size of the sign-in window.
 */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page;

  fixture->settings = new_settings ();
  page = qrs_setup_page_new (fixture->settings);
  fixture->page = QRS_SETUP_PAGE (page);
  fixture->group = QRS_SERVER_GROUP (gtk_widget_get_template_child (page, QRS_TYPE_SETUP_PAGE, "server_group"));
  g_signal_connect (page, "done", G_CALLBACK (count_cb), &fixture->done);
  g_signal_connect (page, "demo-requested", G_CALLBACK (count_cb), &fixture->demo_requested);

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), page);

  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_title (fixture->window, "QR Sign-In");
  gtk_window_set_default_size (fixture->window, 480, 720);
  adw_window_set_content (ADW_WINDOW (fixture->window), box);
  qrs_test_show_and_wait (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (fixture->window);

  assert_finalized_soon (fixture->settings);
  if (fixture->emulator != NULL)
    {
      qrs_emulator_stop (fixture->emulator);
      g_assert_finalize_object (fixture->emulator);
    }
}

static GtkWidget *
group_child (QrsServerGroup *group,
             const char     *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (group), QRS_TYPE_SERVER_GROUP, name));

  g_assert_nonnull (widget);
  return widget;
}

static GtkWidget *
page_child (Fixture    *fixture,
            const char *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->page), QRS_TYPE_SETUP_PAGE, name));

  g_assert_nonnull (widget);
  return widget;
}

/* What a person types: the row's whole text, replaced. */
static void
type (QrsServerGroup *group,
      const char     *row,
      const char     *text)
{
  gtk_editable_set_text (GTK_EDITABLE (group_child (group, row)), text);
}

/* What a person's click does: only to a button that takes clicks. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The sentence under @row's field, or %NULL when none is shown. */
static const char *
error_under (QrsServerGroup *group,
             const char     *field)
{
  g_autofree char *row_name = g_strconcat (field, "_row", NULL);
  g_autofree char *error_row_name = g_strconcat (field, "_error_row", NULL);
  g_autofree char *label_name = g_strconcat (field, "_error_label", NULL);
  GtkWidget *row = group_child (group, row_name);

  if (!gtk_widget_get_visible (group_child (group, error_row_name)))
    {
      g_assert_false (gtk_widget_has_css_class (row, "error"));
      return NULL;
    }

  g_assert_true (gtk_widget_has_css_class (row, "error"));
  return gtk_label_get_label (GTK_LABEL (group_child (group, label_name)));
}

/* The sentence the command line prints for a configuration with @value
 * for @field and good values everywhere else.
 */
static char *
command_line_words (QrsConfigField  field,
                    const char     *value,
                    gboolean        allow_insecure_http)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();
  g_autoptr(GError) error = NULL;
  char **slot = NULL;

  config->server = g_strdup (SERVER);
  config->app_id = g_strdup (TEST_APP_ID);
  config->allow_insecure_http = allow_insecure_http;

  switch (field)
    {
    case QRS_CONFIG_FIELD_SERVER:
      slot = &config->server;
      break;

    case QRS_CONFIG_FIELD_APP_ID:
      slot = &config->app_id;
      break;

    case QRS_CONFIG_FIELD_USERPOOL_ID:
      slot = &config->userpool_id;
      break;

    case QRS_CONFIG_FIELD_ISSUER:
    case QRS_CONFIG_FIELD_CLIENT_ID:
    case QRS_CONFIG_FIELD_SCOPE:
    case QRS_CONFIG_FIELD_PHONE_APP:
    case QRS_CONFIG_FIELD_CLIENT_SECRET:
    default:
      g_assert_not_reached ();
    }

  g_free (*slot);
  *slot = value != NULL && *value != '\0' ? g_strdup (value) : NULL;

  if (qrs_config_validate (config, &error))
    return NULL;

  return g_strdup (error->message);
}

/* A macro, so that a failure names the line of the test. */
#define assert_setting(settings, key, expected)                        \
  G_STMT_START {                                                       \
    g_autofree char *value_ = g_settings_get_string (settings, key);   \
    g_assert_cmpstr (value_, ==, expected);                            \
  } G_STMT_END

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

static gboolean
is_not_testing (gpointer group)
{
  return !qrs_server_group_get_testing (group);
}

static gboolean
wait_until_not_testing (QrsServerGroup *group)
{
  return qrs_test_wait_until (is_not_testing, group, 0, WAIT_MS);
}

static const char *
test_result (QrsServerGroup *group)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (group_child (group, "test_row")));
}

/* The icon beside the result: "success", "error", or %NULL when hidden. */
static const char *
test_icon_class (QrsServerGroup *group)
{
  GtkWidget *icon = group_child (group, "test_icon");

  if (!gtk_widget_get_visible (icon))
    return NULL;
  if (gtk_widget_has_css_class (icon, "success"))
    return "success";
  if (gtk_widget_has_css_class (icon, "error"))
    return "error";

  g_assert_not_reached ();
}

static void
start_emulator (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->emulator = qrs_emulator_new ();
  g_assert_true (qrs_emulator_start (fixture->emulator, 0, &error));
  g_assert_no_error (error);
}

/* Renders the window as the next frame shows it, and saves it as @name. */
static void
screenshot (GtkWidget  *window,
            const char *name)
{
  cairo_surface_t *surface;
  g_autofree char *path = NULL;

  qrs_test_wait_for_frame (window);

  surface = qrs_test_render_widget (window);
  path = qrs_test_save_surface (surface, name);
  cairo_surface_destroy (surface);
}

/*
 * The words
 */

typedef struct {
  QrsConfigField field;
  const char *value;
  gboolean allow_insecure_http;
} FieldCase;

/* For every kind of bad value, the field check and the command line give
 * the same error with the same sentence, and agree on the good ones.
 */
static void
test_same_words (void)
{
  g_autofree char *too_long = g_strnfill (QRS_NET_MAX_ID_LENGTH + 1, 'a');
  const FieldCase cases[] = {
    { QRS_CONFIG_FIELD_SERVER, NULL, FALSE },
    { QRS_CONFIG_FIELD_SERVER, "example.genauth.ai", FALSE },
    { QRS_CONFIG_FIELD_SERVER, "ftp://example.genauth.ai", FALSE },
    { QRS_CONFIG_FIELD_SERVER, "https://", FALSE },
    { QRS_CONFIG_FIELD_SERVER, "https://exa mple.com", FALSE },
    { QRS_CONFIG_FIELD_SERVER, "https://alice@example.genauth.ai", FALSE },
    { QRS_CONFIG_FIELD_SERVER, "https://example.genauth.ai/?x=1", FALSE },
    { QRS_CONFIG_FIELD_SERVER, "http://example.genauth.ai", FALSE },
    { QRS_CONFIG_FIELD_SERVER, "http://example.genauth.ai", TRUE },
    { QRS_CONFIG_FIELD_SERVER, "http://127.0.0.1:8080", FALSE },
    { QRS_CONFIG_FIELD_SERVER, SERVER "/auth/", FALSE },
    { QRS_CONFIG_FIELD_APP_ID, NULL, FALSE },
    { QRS_CONFIG_FIELD_APP_ID, "has space", FALSE },
    { QRS_CONFIG_FIELD_APP_ID, "tab\tinside", FALSE },
    { QRS_CONFIG_FIELD_APP_ID, too_long, FALSE },
    { QRS_CONFIG_FIELD_APP_ID, TEST_APP_ID, FALSE },
    { QRS_CONFIG_FIELD_USERPOOL_ID, NULL, FALSE },
    { QRS_CONFIG_FIELD_USERPOOL_ID, "pool id", FALSE },
    { QRS_CONFIG_FIELD_USERPOOL_ID, too_long, FALSE },
    { QRS_CONFIG_FIELD_USERPOOL_ID, "5fae2648201cfd526f0ec354", FALSE },
  };
  guint n_bad = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const FieldCase *c = &cases[i];
      g_autofree char *expected = command_line_words (c->field, c->value, c->allow_insecure_http);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("field %d, value \"%s\"", c->field, c->value);
      ok = qrs_config_check_field (c->field, c->value, c->allow_insecure_http, &error);

      if (expected == NULL)
        {
          g_assert_true (ok);
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (ok);
          g_assert_nonnull (error);
          g_assert_true (error->domain == QRS_CONFIG_ERROR);
          g_assert_cmpstr (error->message, ==, expected);
          n_bad++;
        }
    }

  /* The table is not all good values. */
  g_assert_cmpuint (n_bad, ==, 14);
}

/*
 * The setup page
 */

static void
test_starts_empty (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Nothing typed is not an error yet, but not enough to go on. */
  g_assert_null (error_under (fixture->group, "server"));
  g_assert_null (error_under (fixture->group, "app_id"));
  g_assert_null (error_under (fixture->group, "userpool_id"));
  g_assert_false (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));
  g_assert_false (gtk_widget_get_sensitive (group_child (fixture->group, "test_button")));
  g_assert_true (gtk_widget_get_sensitive (page_child (fixture, "demo_button")));
  g_assert_true (gtk_widget_has_css_class (page_child (fixture, "continue_button"), "suggested-action"));
  g_assert_true (gtk_widget_has_css_class (page_child (fixture, "continue_button"), "pill"));
}

static void
test_invalid_server (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *words = NULL;

  type (fixture->group, "app_id_row", TEST_APP_ID);
  type (fixture->group, "server_row", "http://example.genauth.ai");

  words = command_line_words (QRS_CONFIG_FIELD_SERVER, "http://example.genauth.ai", FALSE);
  g_assert_cmpstr (error_under (fixture->group, "server"), ==, words);
  g_assert_cmpstr (error_under (fixture->group, "server"), ==,
                   "“http://example.genauth.ai” would be reached over plain, unencrypted http: "
                   "use https://, or pass --allow-insecure-http (or set the “allow-insecure-http” "
                   "key in GSettings) if you really mean it.");
  g_assert_false (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));
  g_assert_false (gtk_widget_get_sensitive (group_child (fixture->group, "test_button")));

  /* The same words for the other problems, as they are typed. */
  type (fixture->group, "server_row", "example.genauth.ai");
  g_assert_cmpstr (error_under (fixture->group, "server"), ==,
                   "The server address “example.genauth.ai” must start with https:// (or http:// for this computer).");
  /* A user name is not shown back: it may be half a password. */
  type (fixture->group, "server_row", "https://alice@example.genauth.ai");
  g_assert_cmpstr (error_under (fixture->group, "server"), ==,
                   "The server address “https://example.genauth.ai” must not contain a user name, a query or a fragment.");

  /* Nothing was saved. */
  g_assert_cmpuint (fixture->done, ==, 0);
  assert_setting (fixture->settings, "server", "");
}

static void
test_invalid_ids (Fixture       *fixture,
                  gconstpointer  user_data)
{
  type (fixture->group, "server_row", SERVER);
  type (fixture->group, "app_id_row", "my app");
  g_assert_cmpstr (error_under (fixture->group, "app_id"), ==,
                   "The app id must be at most 256 printable ASCII characters, without spaces.");
  g_assert_false (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));

  type (fixture->group, "app_id_row", TEST_APP_ID);
  g_assert_null (error_under (fixture->group, "app_id"));
  g_assert_true (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));

  /* The user pool id is optional, but checked when given. */
  type (fixture->group, "userpool_id_row", "my pool");
  g_assert_cmpstr (error_under (fixture->group, "userpool_id"), ==,
                   "The user pool id must be at most 256 printable ASCII characters, without spaces.");
  g_assert_false (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));
}

static void
test_valid_enables_continue (Fixture       *fixture,
                             gconstpointer  user_data)
{
  type (fixture->group, "server_row", SERVER);
  g_assert_null (error_under (fixture->group, "server"));
  g_assert_false (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));

  type (fixture->group, "app_id_row", TEST_APP_ID);
  g_assert_true (qrs_server_group_get_valid (fixture->group));
  g_assert_true (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));
  g_assert_true (gtk_widget_get_sensitive (group_child (fixture->group, "test_button")));

  /* Emptying a required field takes it back. */
  type (fixture->group, "server_row", "");
  g_assert_null (error_under (fixture->group, "server"));
  g_assert_false (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));
}

/* The allow-insecure-http key counts, as it does for the command line. */
static void
test_insecure_allowed (Fixture       *fixture,
                       gconstpointer  user_data)
{
  type (fixture->group, "server_row", "http://example.genauth.ai");
  type (fixture->group, "app_id_row", TEST_APP_ID);
  g_assert_nonnull (error_under (fixture->group, "server"));

  g_settings_set_boolean (fixture->settings, "allow-insecure-http", TRUE);
  g_assert_null (error_under (fixture->group, "server"));
  g_assert_true (gtk_widget_get_sensitive (page_child (fixture, "continue_button")));
}

static void
test_continue_saves (Fixture       *fixture,
                     gconstpointer  user_data)
{
  type (fixture->group, "server_row", SERVER);
  type (fixture->group, "app_id_row", TEST_APP_ID);
  type (fixture->group, "userpool_id_row", "5fae2648201cfd526f0ec354");

  click (page_child (fixture, "continue_button"));

  g_assert_cmpuint (fixture->done, ==, 1);
  g_assert_cmpuint (fixture->demo_requested, ==, 0);
  assert_setting (fixture->settings, "server", SERVER);
  assert_setting (fixture->settings, "app-id", TEST_APP_ID);
  assert_setting (fixture->settings, "userpool-id", "5fae2648201cfd526f0ec354");
}

/* Enter in a field is Continue once everything is valid, and nothing
 * before.
 */
static void
test_enter_continues (Fixture       *fixture,
                      gconstpointer  user_data)
{
  type (fixture->group, "server_row", SERVER);
  g_signal_emit_by_name (group_child (fixture->group, "server_row"), "entry-activated");
  g_assert_cmpuint (fixture->done, ==, 0);

  type (fixture->group, "app_id_row", TEST_APP_ID);
  g_signal_emit_by_name (group_child (fixture->group, "app_id_row"), "entry-activated");
  g_assert_cmpuint (fixture->done, ==, 1);
  assert_setting (fixture->settings, "server", SERVER);
}

/* Whatever is already set is shown, not typed again. */
static void
test_prefilled (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  GtkWidget *page;
  QrsServerGroup *group;

  g_settings_set_string (settings, "app-id", TEST_APP_ID);
  page = g_object_ref_sink (qrs_setup_page_new (settings));
  group = QRS_SERVER_GROUP (gtk_widget_get_template_child (page, QRS_TYPE_SETUP_PAGE, "server_group"));

  g_assert_cmpstr (qrs_server_group_get_text (group, QRS_CONFIG_FIELD_APP_ID), ==, TEST_APP_ID);
  g_assert_cmpstr (qrs_server_group_get_text (group, QRS_CONFIG_FIELD_SERVER), ==, "");
  g_assert_false (qrs_server_group_get_valid (group));

  g_assert_finalize_object (page);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  user_data)
{
  click (page_child (fixture, "demo_button"));

  g_assert_cmpuint (fixture->demo_requested, ==, 1);
  g_assert_cmpuint (fixture->done, ==, 0);
  assert_setting (fixture->settings, "server", "");
}

static void
test_connection_works (Fixture       *fixture,
                       gconstpointer  user_data)
{
  start_emulator (fixture);
  type (fixture->group, "server_row", qrs_emulator_get_base_url (fixture->emulator));
  type (fixture->group, "app_id_row", qrs_emulator_get_app_id (fixture->emulator));
  g_assert_null (test_icon_class (fixture->group));

  click (group_child (fixture->group, "test_button"));
  g_assert_true (qrs_server_group_get_testing (fixture->group));
  g_assert_true (gtk_widget_get_visible (group_child (fixture->group, "test_spinner")));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (group_child (fixture->group, "test_spinner"))));

  g_assert_true (wait_until_not_testing (fixture->group));
  g_assert_cmpstr (test_result (fixture->group), ==, "Connected: the server made a sign-in code");
  g_assert_cmpstr (test_icon_class (fixture->group), ==, "success");
  g_assert_false (gtk_widget_get_visible (group_child (fixture->group, "test_spinner")));
  g_assert_cmpuint (qrs_emulator_get_n_codes (fixture->emulator), ==, 1);

  /* Testing saves nothing. */
  g_assert_cmpuint (fixture->done, ==, 0);
  assert_setting (fixture->settings, "server", "");

  screenshot (GTK_WIDGET (fixture->window), "setup-page-connected");

  /* Changing a field makes the answer stale. */
  type (fixture->group, "userpool_id_row", "5fae2648201cfd526f0ec354");
  g_assert_null (test_icon_class (fixture->group));
  g_assert_cmpstr (test_result (fixture->group), !=, "Connected: the server made a sign-in code");
}

/* A port nobody listens on: it says so in plain words, not a code. */
static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A free port, closed again before the test. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_assert_true (g_socket_close (socket, &error));

  type (fixture->group, "server_row", url);
  type (fixture->group, "app_id_row", TEST_APP_ID);
  click (group_child (fixture->group, "test_button"));

  g_assert_true (wait_until_not_testing (fixture->group));
  g_assert_cmpstr (test_icon_class (fixture->group), ==, "error");
  g_assert_true (g_str_has_prefix (test_result (fixture->group), "Could not reach the sign-in server: "));
  g_assert_nonnull (strstr (test_result (fixture->group), "refused"));

  screenshot (GTK_WIDGET (fixture->window), "setup-page-refused");
}

/* The server's own reason for refusing reaches the person. */
static void
test_connection_wrong_app (Fixture       *fixture,
                           gconstpointer  user_data)
{
  start_emulator (fixture);
  type (fixture->group, "server_row", qrs_emulator_get_base_url (fixture->emulator));
  type (fixture->group, "app_id_row", "not-the-app");
  click (group_child (fixture->group, "test_button"));

  g_assert_true (wait_until_not_testing (fixture->group));
  g_assert_cmpstr (test_icon_class (fixture->group), ==, "error");
  g_assert_cmpstr (test_result (fixture->group), ==,
                   "The sign-in server refused the request: Application does not exist");
  g_assert_cmpuint (qrs_emulator_get_n_codes (fixture->emulator), ==, 0);
}

static void
test_connection_cancel (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;

  start_emulator (fixture);
  g_assert_true (qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                                            QRS_EMULATOR_FAULT_STALL, 2, 0, 0, &error));
  g_assert_no_error (error);
  type (fixture->group, "server_row", qrs_emulator_get_base_url (fixture->emulator));
  type (fixture->group, "app_id_row", qrs_emulator_get_app_id (fixture->emulator));
  hint = g_strdup (test_result (fixture->group));

  /* The same button stops it. */
  click (group_child (fixture->group, "test_button"));
  g_assert_true (qrs_server_group_get_testing (fixture->group));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (group_child (fixture->group, "test_button"))), ==, "_Cancel");
  click (group_child (fixture->group, "test_button"));
  g_assert_false (qrs_server_group_get_testing (fixture->group));
  g_assert_cmpstr (test_result (fixture->group), ==, hint);
  g_assert_null (test_icon_class (fixture->group));
  g_assert_false (gtk_widget_get_visible (group_child (fixture->group, "test_spinner")));

  /* So does a change to the fields. */
  click (group_child (fixture->group, "test_button"));
  g_assert_true (qrs_server_group_get_testing (fixture->group));
  type (fixture->group, "userpool_id_row", "pool");
  g_assert_false (qrs_server_group_get_testing (fixture->group));

  /* Late answers to cancelled tests say nothing: libsoup reports the
   * cancellations from the main loop, which runs for 100 ms here.
   */
  g_assert_false (qrs_test_wait_until (never, NULL, 10, 100));
  g_assert_cmpstr (test_result (fixture->group), ==, hint);
  g_assert_null (test_icon_class (fixture->group));
}

/* Closing the window stops the test: the tear-down finds the page and its
 * settings gone while the server still holds the answer back.
 */
static void
test_connection_closed (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  start_emulator (fixture);
  g_assert_true (qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                                            QRS_EMULATOR_FAULT_STALL, 1, 0, 0, &error));
  g_assert_no_error (error);
  type (fixture->group, "server_row", qrs_emulator_get_base_url (fixture->emulator));
  type (fixture->group, "app_id_row", qrs_emulator_get_app_id (fixture->emulator));

  click (group_child (fixture->group, "test_button"));
  g_assert_true (qrs_server_group_get_testing (fixture->group));
}

static void
test_setup_screenshot (Fixture       *fixture,
                       gconstpointer  user_data)
{
  screenshot (GTK_WIDGET (fixture->window), "setup-page");

  type (fixture->group, "server_row", "http://example.genauth.ai");
  type (fixture->group, "app_id_row", TEST_APP_ID);
  screenshot (GTK_WIDGET (fixture->window), "setup-page-error");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  type (fixture->group, "server_row", SERVER);
  screenshot (GTK_WIDGET (fixture->window), "setup-page-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/*
 * The preferences
 */

typedef struct {
  GSettings *settings;
  QrsPreferencesDialog *dialog;
  QrsServerGroup *group;
} PrefsFixture;

static void
prefs_set_up (PrefsFixture  *fixture,
              gconstpointer  user_data)
{
  fixture->settings = new_settings ();
  g_settings_set_string (fixture->settings, "server", SERVER);
  g_settings_set_string (fixture->settings, "app-id", TEST_APP_ID);

  fixture->dialog = qrs_preferences_dialog_new (fixture->settings);
  fixture->group = QRS_SERVER_GROUP (gtk_widget_get_template_child (GTK_WIDGET (fixture->dialog),
                                                                    QRS_TYPE_PREFERENCES_DIALOG,
                                                                    "server_group"));
  /* Tall enough to show every row at once in the screenshots. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->dialog), 600, 960);
  qrs_test_show_and_wait (GTK_WINDOW (fixture->dialog));
}

static void
prefs_tear_down (PrefsFixture  *fixture,
                 gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  assert_finalized_soon (fixture->settings);
}

static GtkWidget *
prefs_child (PrefsFixture *fixture,
             const char   *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->dialog),
                                                                 QRS_TYPE_PREFERENCES_DIALOG, name));

  g_assert_nonnull (widget);
  return widget;
}

static const char *
secret_status (PrefsFixture *fixture)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (prefs_child (fixture, "secret_status_row")));
}

typedef struct {
  PrefsFixture *fixture;
  const char *status;
} StatusWait;

static gboolean
secret_status_is (gpointer user_data)
{
  StatusWait *wait = user_data;

  return g_strcmp0 (secret_status (wait->fixture), wait->status) == 0;
}

static gboolean
wait_for_secret_status (PrefsFixture *fixture,
                        const char   *status)
{
  StatusWait wait = { fixture, status };

  if (qrs_test_wait_until (secret_status_is, &wait, 0, WAIT_MS))
    return TRUE;

  g_test_message ("The secret's status is still \"%s\"", secret_status (fixture));
  return FALSE;
}

/* Every key of the settings, printed: where a secret must not be. */
static char *
print_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GString *text = g_string_new (NULL);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      g_string_append_printf (text, "%s=%s\n", keys[i], printed);
    }

  return g_string_free (text, FALSE);
}

static void
test_prefs_shows_settings (PrefsFixture  *fixture,
                           gconstpointer  user_data)
{
  g_assert_cmpstr (qrs_server_group_get_text (fixture->group, QRS_CONFIG_FIELD_SERVER), ==, SERVER);
  g_assert_cmpstr (qrs_server_group_get_text (fixture->group, QRS_CONFIG_FIELD_APP_ID), ==, TEST_APP_ID);
  g_assert_true (qrs_server_group_get_valid (fixture->group));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (prefs_child (fixture, "qr_source_row"))), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (prefs_child (fixture, "token_auth_row"))), ==, 0);

  /* No secret rows while the method needs none. */
  g_assert_false (gtk_widget_get_visible (prefs_child (fixture, "secret_row")));
  g_assert_false (gtk_widget_get_visible (prefs_child (fixture, "secret_status_row")));

  /* A change from elsewhere (dconf, another window) shows at once. */
  g_settings_set_string (fixture->settings, "qr-source", "local");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (prefs_child (fixture, "qr_source_row"))), ==, 1);
  g_settings_set_string (fixture->settings, "app-id", "another-app");
  g_assert_cmpstr (qrs_server_group_get_text (fixture->group, QRS_CONFIG_FIELD_APP_ID), ==, "another-app");
}

/* Valid fields are saved as they are typed; invalid ones never. */
static void
test_prefs_saves_valid_fields (PrefsFixture  *fixture,
                               gconstpointer  user_data)
{
  type (fixture->group, "server_row", "https://other.example.com");
  assert_setting (fixture->settings, "server", "https://other.example.com");

  type (fixture->group, "server_row", "https://other.example.com?x");
  g_assert_nonnull (error_under (fixture->group, "server"));
  assert_setting (fixture->settings, "server", "https://other.example.com");

  type (fixture->group, "server_row", "");
  assert_setting (fixture->settings, "server", "https://other.example.com");

  type (fixture->group, "app_id_row", "new app");
  assert_setting (fixture->settings, "app-id", TEST_APP_ID);

  type (fixture->group, "userpool_id_row", "pool-1");
  assert_setting (fixture->settings, "userpool-id", "pool-1");
  type (fixture->group, "userpool_id_row", "");
  assert_setting (fixture->settings, "userpool-id", "");

  adw_combo_row_set_selected (ADW_COMBO_ROW (prefs_child (fixture, "qr_source_row")), 1);
  assert_setting (fixture->settings, "qr-source", "local");
  adw_combo_row_set_selected (ADW_COMBO_ROW (prefs_child (fixture, "token_auth_row")), 2);
  assert_setting (fixture->settings, "token-auth-method", "client_secret_basic");
  g_assert_true (gtk_widget_get_visible (prefs_child (fixture, "secret_row")));
}

static void
test_prefs_secret_in_keyring (PrefsFixture  *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(QrsSecret) stored = NULL;
  g_autoptr(QrsSecret) removed = NULL;
  g_autofree char *settings_text = NULL;
  GtkWidget *row = prefs_child (fixture, "secret_row");

  if (keyring == NULL)
    {
      g_test_skip (keyring_skip_reason);
      return;
    }

  adw_combo_row_set_selected (ADW_COMBO_ROW (prefs_child (fixture, "token_auth_row")), 1);
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_true (gtk_widget_get_sensitive (row));
  g_assert_true (wait_for_secret_status (fixture, "None is stored for this app."));
  g_assert_false (gtk_widget_get_visible (prefs_child (fixture, "secret_remove_button")));

  /* Every debug message on: the secret must reach none. */
  g_log_set_debug_enabled (TRUE);
  qrs_test_log_capture_reset ();

  /* Pasted with a newline's worth of space around it. */
  gtk_editable_set_text (GTK_EDITABLE (row), "  " SECRET " ");
  g_signal_emit_by_name (row, "apply");

  /* Out of the row at once, into the keyring. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  g_assert_true (wait_for_secret_status (fixture, "Stored in the keyring."));
  g_assert_true (gtk_widget_get_visible (prefs_child (fixture, "secret_remove_button")));

  stored = qrs_test_keyring_lookup (SERVER, TEST_APP_ID);
  g_assert_cmpstr (stored, ==, SECRET);

  /* And nowhere in GSettings. */
  settings_text = print_settings (fixture->settings);
  g_assert_null (strstr (settings_text, SECRET));
  g_assert_nonnull (strstr (settings_text, "token-auth-method='client_secret_post'"));
  assert_setting (fixture->settings, "client-secret-file", "");

  screenshot (GTK_WIDGET (fixture->dialog), "preferences-secret");

  click (prefs_child (fixture, "secret_remove_button"));
  g_assert_true (wait_for_secret_status (fixture, "None is stored for this app."));
  removed = qrs_test_keyring_lookup (SERVER, TEST_APP_ID);
  g_assert_null (removed);

  g_log_set_debug_enabled (FALSE);
  qrs_test_log_assert_absent ((const char *[]) { SECRET, NULL });
}

/* A secret the server could never take is refused with the reason, and
 * not stored.
 */
static void
test_prefs_secret_invalid (PrefsFixture  *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(QrsSecret) stored = NULL;
  GtkWidget *row = prefs_child (fixture, "secret_row");
  GtkWidget *error_row = prefs_child (fixture, "secret_error_row");

  if (keyring == NULL)
    {
      g_test_skip (keyring_skip_reason);
      return;
    }

  adw_combo_row_set_selected (ADW_COMBO_ROW (prefs_child (fixture, "token_auth_row")), 2);
  g_assert_true (wait_for_secret_status (fixture, "None is stored for this app."));

  gtk_editable_set_text (GTK_EDITABLE (row), "two\twords");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (gtk_widget_get_visible (error_row));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (prefs_child (fixture, "secret_error_label"))), ==,
                   "The client secret must be at most 4096 printable ASCII characters.");
  g_assert_cmpstr (secret_status (fixture), ==, "None is stored for this app.");
  /* Never quoted back. */
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (prefs_child (fixture, "secret_error_label"))), "two"));

  gtk_editable_set_text (GTK_EDITABLE (row), "   ");
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (prefs_child (fixture, "secret_error_label"))), ==,
                   "No client secret was given.");

  stored = qrs_test_keyring_lookup (SERVER, TEST_APP_ID);
  g_assert_null (stored);

  /* Typing again takes the complaint away. */
  gtk_editable_set_text (GTK_EDITABLE (row), "two");
  g_assert_false (gtk_widget_get_visible (error_row));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
}

static void
test_prefs_screenshot (PrefsFixture  *fixture,
                       gconstpointer  user_data)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (prefs_child (fixture, "token_auth_row")), 1);
  if (keyring != NULL)
    g_assert_true (wait_for_secret_status (fixture, "None is stored for this app."));
  screenshot (GTK_WIDGET (fixture->dialog), "preferences");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *icons = NULL;
  int status;

  /* Before GTK: the keyring's private bus must be the only session bus. */
  keyring = qrs_test_keyring_start (&keyring_skip_reason);

  qrs_test_gtk_init (&argc, &argv);
  adw_init ();
  qrs_test_log_capture_init ((const char *[]) { "qr-signin-ui", "qr-signin-core", "libsecret", NULL });

  if (keyring == NULL)
    g_test_message ("%s", keyring_skip_reason);

  /* The app's icon, as installed. */
  icons = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", NULL);
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()), icons);

  g_test_add_func ("/setup/words/same-as-command-line", test_same_words);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/setup/page/starts-empty", test_starts_empty);
  ADD ("/setup/page/invalid-server", test_invalid_server);
  ADD ("/setup/page/invalid-ids", test_invalid_ids);
  ADD ("/setup/page/valid-enables-continue", test_valid_enables_continue);
  ADD ("/setup/page/insecure-allowed", test_insecure_allowed);
  ADD ("/setup/page/continue-saves", test_continue_saves);
  ADD ("/setup/page/enter-continues", test_enter_continues);
  g_test_add_func ("/setup/page/prefilled", test_prefilled);
  ADD ("/setup/page/demo", test_demo);
  ADD ("/setup/page/test-connection/works", test_connection_works);
  ADD ("/setup/page/test-connection/refused", test_connection_refused);
  ADD ("/setup/page/test-connection/wrong-app", test_connection_wrong_app);
  ADD ("/setup/page/test-connection/cancel", test_connection_cancel);
  ADD ("/setup/page/test-connection/closed", test_connection_closed);
  ADD ("/setup/page/screenshot", test_setup_screenshot);

#undef ADD
#define ADD(path, func) \
  g_test_add (path, PrefsFixture, NULL, prefs_set_up, func, prefs_tear_down)

  ADD ("/setup/preferences/shows-settings", test_prefs_shows_settings);
  ADD ("/setup/preferences/saves-valid-fields", test_prefs_saves_valid_fields);
  ADD ("/setup/preferences/secret-in-keyring", test_prefs_secret_in_keyring);
  ADD ("/setup/preferences/secret-invalid", test_prefs_secret_invalid);
  ADD ("/setup/preferences/screenshot", test_prefs_screenshot);

#undef ADD

  status = g_test_run ();

  qrs_test_keyring_stop (keyring);
  g_free (keyring_skip_reason);

  return status;
}
