/* test-config.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#include "qrs-config.h"
#include "qrs-provider-factory.h"
#include "qrs-core-enums.h"
#include "qrs-genauth-provider.h"
#include "qrs-provider.h"

/* QrsConfig: the schema's keys, the command line over them, and every rule
 * qrs_config_validate() enforces, each with its exact sentence. GSettings
 * come from the schema compiled in this build (QRS_TEST_SCHEMA_DIR) over a
 * memory backend, so nothing installed or stored on the machine counts.
 */

#define TEST_SECRET "CLIENTSECRET-9988776655443322110099887766"

static char *tmp_dir;

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

/* The smallest configuration that passes: a server and an app id. */
static QrsConfig *
new_valid_config (void)
{
  QrsConfig *config = qrs_config_new ();

  config->server = g_strdup ("https://example.genauth.ai");
  config->app_id = g_strdup ("app-5e04ae0d5f3cee22fb37612b");

  return config;
}

static void
assert_invalid (const QrsConfig *config,
                QrsConfigError   code,
                const char      *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (qrs_config_validate (config, &error));
  g_assert_error (error, QRS_CONFIG_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_valid (const QrsConfig *config)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (qrs_config_validate (config, &error));
  g_assert_no_error (error);
}

static void
test_defaults (void)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();

  g_assert_null (config->server);
  g_assert_null (config->app_id);
  g_assert_null (config->userpool_id);
  g_assert_cmpint (config->qr_source, ==, QRS_QR_SOURCE_SERVER);
  g_assert_cmpint (config->status_path, ==, QRS_GENAUTH_STATUS_PATH_CHECK);
  g_assert_false (config->kiosk);
  g_assert_null (config->on_success);
  g_assert_false (config->demo);
  g_assert_false (config->allow_insecure_http);
  g_assert_false (config->verbose);
  g_assert_cmpuint (config->welcome_seconds, ==, 5);
  g_assert_cmpuint (config->auto_refresh_cap, ==, 5);
  g_assert_cmpint (config->token_auth_method, ==, QRS_CLIENT_AUTH_NONE);
  g_assert_null (config->client_secret_file);
  g_assert_cmpint (config->provider, ==, QRS_PROVIDER_KIND_GENAUTH);
  g_assert_cmpstr (config->phone_app, ==, "GenAuth");
  g_assert_null (config->issuer);
  g_assert_null (config->client_id);
  g_assert_cmpstr (config->scope, ==, "openid profile offline_access");
}

static void
test_boxed_copy (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autoptr(QrsConfig) copy = NULL;

  config->on_success = g_strdup ("logger signed-in");
  config->kiosk = TRUE;
  config->welcome_seconds = 9;

  copy = g_boxed_copy (QRS_TYPE_CONFIG, config);
  g_assert_true (copy != config);
  g_assert_true (copy->server != config->server);
  g_assert_cmpstr (copy->server, ==, config->server);
  g_assert_cmpstr (copy->app_id, ==, config->app_id);
  g_assert_cmpstr (copy->on_success, ==, "logger signed-in");
  g_assert_true (copy->kiosk);
  g_assert_cmpuint (copy->welcome_seconds, ==, 9);
}

static void
test_settings_defaults (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autoptr(QrsConfig) defaults = qrs_config_new ();

  /* Every value with a key is replaced, so the server and app id set
   * above are gone: the schema's defaults are the plain defaults.
   */
  qrs_config_load_settings (config, settings);

  g_assert_null (config->server);
  g_assert_null (config->app_id);
  g_assert_null (config->userpool_id);
  g_assert_cmpint (config->qr_source, ==, defaults->qr_source);
  g_assert_cmpint (config->status_path, ==, defaults->status_path);
  g_assert_cmpint (config->kiosk, ==, defaults->kiosk);
  g_assert_null (config->on_success);
  g_assert_cmpint (config->allow_insecure_http, ==, defaults->allow_insecure_http);
  g_assert_cmpuint (config->welcome_seconds, ==, defaults->welcome_seconds);
  g_assert_cmpuint (config->auto_refresh_cap, ==, defaults->auto_refresh_cap);
  g_assert_cmpint (config->token_auth_method, ==, defaults->token_auth_method);
  g_assert_null (config->client_secret_file);

  g_assert_finalize_object (g_steal_pointer (&settings));
}

static void
test_settings_every_key (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(QrsConfig) config = qrs_config_new ();

  g_assert_true (g_settings_set_string (settings, "server", "https://sso.example.com"));
  g_assert_true (g_settings_set_string (settings, "app-id", "app-1"));
  g_assert_true (g_settings_set_string (settings, "userpool-id", "pool-1"));
  g_assert_true (g_settings_set_string (settings, "qr-source", "local"));
  g_assert_true (g_settings_set_string (settings, "status-path", "get-qrcode-status"));
  g_assert_true (g_settings_set_boolean (settings, "kiosk", TRUE));
  g_assert_true (g_settings_set_string (settings, "on-success", "logger -t kiosk signed-in"));
  g_assert_true (g_settings_set_boolean (settings, "allow-insecure-http", TRUE));
  g_assert_true (g_settings_set_uint (settings, "welcome-seconds", 12));
  g_assert_true (g_settings_set_uint (settings, "auto-refresh-cap", 0));
  g_assert_true (g_settings_set_string (settings, "token-auth-method", "client_secret_basic"));
  g_assert_true (g_settings_set_string (settings, "client-secret-file", "/etc/qr-signin/secret"));
  g_assert_true (g_settings_set_string (settings, "phone-app", "Acme Pass"));
  g_assert_true (g_settings_set_string (settings, "issuer", "https://login.example.com/realms/main"));
  g_assert_true (g_settings_set_string (settings, "client-id", "qr-signin"));
  g_assert_true (g_settings_set_string (settings, "scope", "openid email"));

  /* The keys this test sets are all the schema has. */
  {
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    g_assert_cmpuint (g_strv_length (keys), ==, 16);
  }

  qrs_config_load_settings (config, settings);

  g_assert_cmpstr (config->server, ==, "https://sso.example.com");
  g_assert_cmpstr (config->app_id, ==, "app-1");
  g_assert_cmpstr (config->userpool_id, ==, "pool-1");
  g_assert_cmpint (config->qr_source, ==, QRS_QR_SOURCE_LOCAL);
  g_assert_cmpint (config->status_path, ==, QRS_GENAUTH_STATUS_PATH_GET);
  g_assert_true (config->kiosk);
  g_assert_cmpstr (config->on_success, ==, "logger -t kiosk signed-in");
  g_assert_true (config->allow_insecure_http);
  g_assert_cmpuint (config->welcome_seconds, ==, 12);
  g_assert_cmpuint (config->auto_refresh_cap, ==, 0);
  g_assert_cmpint (config->token_auth_method, ==, QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);
  g_assert_cmpstr (config->client_secret_file, ==, "/etc/qr-signin/secret");
  g_assert_cmpstr (config->phone_app, ==, "Acme Pass");
  g_assert_cmpstr (config->issuer, ==, "https://login.example.com/realms/main");
  g_assert_cmpstr (config->client_id, ==, "qr-signin");
  g_assert_cmpstr (config->scope, ==, "openid email");
  /* An issuer in the settings means the device flow. */
  g_assert_cmpint (config->provider, ==, QRS_PROVIDER_KIND_DEVICE_FLOW);

  /* Command-line only: no key, left alone. */
  g_assert_false (config->demo);
  g_assert_false (config->verbose);

  g_assert_finalize_object (g_steal_pointer (&settings));
}

/* What dconf can hold and the key cannot have: a warning naming the key
 * and what is used instead, and the default.
 */
static void
test_settings_bad_values (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(QrsConfig) config = qrs_config_new ();

  g_settings_set_uint (settings, "welcome-seconds", 0);
  g_settings_set_uint (settings, "auto-refresh-cap", 100000);
  g_settings_set_string (settings, "qr-source", "bogus");
  g_settings_set_string (settings, "token-auth-method", "client_secret_pots");
  g_settings_set_string (settings, "status-path", "");

  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_WARNING,
                         "The GSettings key “qr-source” has the value “bogus”, which it cannot have: using “server” instead");
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_WARNING,
                         "The GSettings key “status-path” has the value “”, which it cannot have: using “check-qrcode-status” instead");
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_WARNING,
                         "The GSettings key “welcome-seconds” has the value “0”, which it cannot have: using “5” instead");
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_WARNING,
                         "The GSettings key “auto-refresh-cap” has the value “100000”, which it cannot have: using “5” instead");
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_WARNING,
                         "The GSettings key “token-auth-method” has the value “client_secret_pots”, which it cannot have: using “none” instead");
  qrs_config_load_settings (config, settings);
  g_test_assert_expected_messages ();

  g_assert_cmpint (config->qr_source, ==, QRS_QR_SOURCE_SERVER);
  g_assert_cmpint (config->status_path, ==, QRS_GENAUTH_STATUS_PATH_CHECK);
  g_assert_cmpuint (config->welcome_seconds, ==, 5);
  g_assert_cmpuint (config->auto_refresh_cap, ==, 5);
  g_assert_cmpint (config->token_auth_method, ==, QRS_CLIENT_AUTH_NONE);

  /* The highest allowed value is allowed. */
  g_settings_set_uint (settings, "welcome-seconds", 60);
  g_settings_set_string (settings, "qr-source", "server");
  g_settings_set_string (settings, "status-path", "check-qrcode-status");
  g_settings_set_uint (settings, "auto-refresh-cap", 100);
  g_settings_set_string (settings, "token-auth-method", "none");
  qrs_config_load_settings (config, settings);
  g_assert_cmpuint (config->welcome_seconds, ==, 60);
  g_assert_cmpuint (config->auto_refresh_cap, ==, 100);

  g_assert_finalize_object (g_steal_pointer (&settings));
}

static void
test_options_device_flow (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(QrsConfig) config = qrs_config_new ();
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
  g_autoptr(GError) error = NULL;

  /* A GenAuth server in the settings, an issuer on the command line: the
   * command line says which protocol.
   */
  g_settings_set_string (settings, "server", "https://example.genauth.ai");
  g_settings_set_string (settings, "app-id", "app-1");
  qrs_config_load_settings (config, settings);
  g_assert_cmpint (config->provider, ==, QRS_PROVIDER_KIND_GENAUTH);

  g_variant_dict_insert (options, "issuer", "s", "https://login.example.com");
  g_variant_dict_insert (options, "client-id", "s", "qr-signin");
  g_assert_true (qrs_config_apply_options (config, options, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config->provider, ==, QRS_PROVIDER_KIND_DEVICE_FLOW);
  g_assert_cmpstr (config->scope, ==, "openid profile offline_access");
  assert_valid (config);

  /* --scope= puts the default back. */
  g_variant_dict_insert (options, "scope", "s", "");
  g_assert_true (qrs_config_apply_options (config, options, &error));
  g_assert_cmpstr (config->scope, ==, "openid profile offline_access");

  /* Both at once is a mistake. */
  g_variant_dict_insert (options, "server", "s", "https://example.genauth.ai");
  g_assert_false (qrs_config_apply_options (config, options, &error));
  g_assert_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "Use either --server and --app-id (GenAuth) or --issuer and --client-id (OpenID device flow), not both.");

  g_assert_finalize_object (g_steal_pointer (&settings));
}

static void
test_validate_device_flow (void)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();

  config->provider = QRS_PROVIDER_KIND_DEVICE_FLOW;
  assert_invalid (config, QRS_CONFIG_ERROR_NO_SERVER,
                  "No OpenID issuer is set: pass --issuer=https://… or set the “issuer” key in GSettings.");

  config->issuer = g_strdup ("http://login.example.com");
  assert_invalid (config, QRS_CONFIG_ERROR_INSECURE_SERVER,
                  "“http://login.example.com” would be reached over plain, unencrypted http: use https://, or pass --allow-insecure-http (or set the “allow-insecure-http” key in GSettings) if you really mean it.");

  g_free (config->issuer);
  config->issuer = g_strdup ("login.example.com");
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_SERVER,
                  "The issuer address “login.example.com” must start with https:// (or http:// for this computer).");

  g_free (config->issuer);
  config->issuer = g_strdup ("http://127.0.0.1:8080");
  assert_invalid (config, QRS_CONFIG_ERROR_NO_APP_ID,
                  "No client id is set: pass --client-id=ID or set the “client-id” key in GSettings.");

  config->client_id = g_strdup ("client id");
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_ID,
                  "The client id must be at most 256 printable ASCII characters, without spaces.");

  g_free (config->client_id);
  config->client_id = g_strdup ("qr-signin");
  assert_valid (config);

  /* No server or app id is needed for the device flow. */
  g_assert_null (config->server);

  for (guint i = 0; i < 5; i++)
    {
      static const char * const bad_scopes[] = { "", "openid  profile", " openid", "openid\tprofile", "open\"id" };

      g_free (config->scope);
      config->scope = g_strdup (bad_scopes[i]);
      assert_invalid (config, QRS_CONFIG_ERROR_BAD_VALUE,
                      "The scope must be words of printable ASCII separated by single spaces, such as “openid profile offline_access”.");
    }
}

/* A settings page checks field by field, with the command line's words. */
static void
test_check_field (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (qrs_config_check_field (QRS_CONFIG_FIELD_SERVER, "https://example.genauth.ai", FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (qrs_config_check_field (QRS_CONFIG_FIELD_SERVER, "", FALSE, &error));
  g_assert_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_SERVER);
  g_clear_error (&error);
  g_assert_false (qrs_config_check_field (QRS_CONFIG_FIELD_SERVER, "http://sso.example.com", FALSE, &error));
  g_assert_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_INSECURE_SERVER);
  g_clear_error (&error);
  g_assert_true (qrs_config_check_field (QRS_CONFIG_FIELD_SERVER, "http://sso.example.com", TRUE, NULL));

  g_assert_true (qrs_config_check_field (QRS_CONFIG_FIELD_USERPOOL_ID, NULL, FALSE, NULL));
  g_assert_true (qrs_config_check_field (QRS_CONFIG_FIELD_USERPOOL_ID, "", FALSE, NULL));
  g_assert_false (qrs_config_check_field (QRS_CONFIG_FIELD_USERPOOL_ID, "pool 1", FALSE, &error));
  g_assert_cmpstr (error->message, ==, "The user pool id must be at most 256 printable ASCII characters, without spaces.");
  g_clear_error (&error);

  g_assert_false (qrs_config_check_field (QRS_CONFIG_FIELD_APP_ID, NULL, FALSE, &error));
  g_assert_cmpstr (error->message, ==, "No app id is set: pass --app-id=ID or set the “app-id” key in GSettings.");
  g_clear_error (&error);

  g_assert_true (qrs_config_check_field (QRS_CONFIG_FIELD_PHONE_APP, "企业微信", FALSE, NULL));
  g_assert_false (qrs_config_check_field (QRS_CONFIG_FIELD_PHONE_APP, "Gen\nAuth", FALSE, &error));
  g_assert_cmpstr (error->message, ==, "The phone app’s name must be 1 to 64 characters, without control characters.");
  g_clear_error (&error);
  {
    g_autofree char *long_name = g_strnfill (65, 'a');

    g_assert_false (qrs_config_check_field (QRS_CONFIG_FIELD_PHONE_APP, long_name, FALSE, NULL));
  }
}

static void
test_options_override (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(QrsConfig) config = qrs_config_new ();
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
  g_autoptr(GError) error = NULL;

  g_settings_set_string (settings, "server", "https://from-settings.example.com");
  g_settings_set_string (settings, "app-id", "settings-app");
  g_settings_set_string (settings, "userpool-id", "settings-pool");
  g_settings_set_string (settings, "qr-source", "local");
  g_settings_set_string (settings, "on-success", "settings-command");
  qrs_config_load_settings (config, settings);

  /* What GApplication puts in the dict: only the options that were given. */
  g_variant_dict_insert (options, "server", "s", "https://from-options.example.com");
  g_variant_dict_insert (options, "qr-source", "s", "server");
  g_variant_dict_insert (options, "kiosk", "b", TRUE);
  g_variant_dict_insert (options, "demo", "b", TRUE);
  g_variant_dict_insert (options, "allow-insecure-http", "b", TRUE);
  g_variant_dict_insert (options, "verbose", "b", TRUE);

  g_assert_true (qrs_config_apply_options (config, options, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (config->server, ==, "https://from-options.example.com");
  g_assert_cmpint (config->qr_source, ==, QRS_QR_SOURCE_SERVER);
  g_assert_true (config->kiosk);
  g_assert_true (config->demo);
  g_assert_true (config->allow_insecure_http);
  g_assert_true (config->verbose);

  /* Not given: the settings stand. */
  g_assert_cmpstr (config->app_id, ==, "settings-app");
  g_assert_cmpstr (config->userpool_id, ==, "settings-pool");
  g_assert_cmpstr (config->on_success, ==, "settings-command");
  g_assert_false (config->on_success_from_command_line);

  g_variant_dict_clear (options);
  g_variant_dict_init (options, NULL);
  g_variant_dict_insert (options, "app-id", "s", "options-app");
  g_variant_dict_insert (options, "userpool-id", "s", "options-pool");
  g_variant_dict_insert (options, "on-success", "s", "options-command");
  g_assert_true (qrs_config_apply_options (config, options, &error));
  g_assert_cmpstr (config->app_id, ==, "options-app");
  g_assert_cmpstr (config->userpool_id, ==, "options-pool");
  g_assert_cmpstr (config->on_success, ==, "options-command");
  g_assert_true (config->on_success_from_command_line);
  g_assert_cmpstr (config->server, ==, "https://from-options.example.com");

  g_assert_finalize_object (g_steal_pointer (&settings));
}

static void
test_options_empty_unsets (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);

  g_variant_dict_insert (options, "server", "s", "");
  g_assert_true (qrs_config_apply_options (config, options, NULL));
  g_assert_null (config->server);

  assert_invalid (config, QRS_CONFIG_ERROR_NO_SERVER,
                  "No sign-in server is set: pass --server=https://… or set the “server” key in GSettings.");
}

static void
test_options_filename (void)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);

  /* G_OPTION_ARG_FILENAME arrives as a bytestring. */
  g_variant_dict_insert_value (options, "on-success", g_variant_new_bytestring ("/usr/local/bin/welcome"));
  g_assert_true (qrs_config_apply_options (config, options, NULL));
  g_assert_cmpstr (config->on_success, ==, "/usr/local/bin/welcome");
}

static void
test_options_qr_source (void)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);
  g_autoptr(GError) error = NULL;

  g_variant_dict_insert (options, "qr-source", "s", "local");
  g_assert_true (qrs_config_apply_options (config, options, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config->qr_source, ==, QRS_QR_SOURCE_LOCAL);

  g_variant_dict_insert (options, "qr-source", "s", "camera");
  g_variant_dict_insert (options, "kiosk", "b", TRUE);
  g_assert_false (qrs_config_apply_options (config, options, &error));
  g_assert_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==, "--qr-source must be “server” or “local”, not “camera”.");
  g_clear_error (&error);

  /* The bad value changed nothing; the others were still applied. */
  g_assert_cmpint (config->qr_source, ==, QRS_QR_SOURCE_LOCAL);
  g_assert_true (config->kiosk);

  g_variant_dict_insert (options, "qr-source", "s", "");
  g_assert_false (qrs_config_apply_options (config, options, &error));
  g_assert_cmpstr (error->message, ==, "--qr-source must be “server” or “local”, not “”.");
}

static void
test_options_wrong_type (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);

  /* A mismatch between the GOptionEntry table and this code is a bug. */
  g_variant_dict_insert (options, "server", "i", 42);
  g_variant_dict_insert (options, "kiosk", "s", "yes");
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_CRITICAL, "*server*");
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_CRITICAL, "*kiosk*");
  g_assert_true (qrs_config_apply_options (config, options, NULL));
  g_test_assert_expected_messages ();

  g_assert_cmpstr (config->server, ==, "https://example.genauth.ai");
  g_assert_false (config->kiosk);
}

static void
test_validate_minimal (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();

  assert_valid (config);
}

static void
test_validate_required (void)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();

  assert_invalid (config, QRS_CONFIG_ERROR_NO_SERVER,
                  "No sign-in server is set: pass --server=https://… or set the “server” key in GSettings.");

  config->server = g_strdup ("https://example.genauth.ai");
  assert_invalid (config, QRS_CONFIG_ERROR_NO_APP_ID,
                  "No app id is set: pass --app-id=ID or set the “app-id” key in GSettings.");

  config->app_id = g_strdup ("app-1");
  assert_valid (config);
}

static void
test_validate_demo (void)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();

  /* The demo serves itself: no server or app id needed, and one left in
   * GSettings is not looked at.
   */
  config->demo = TRUE;
  assert_valid (config);

  config->server = g_strdup ("http://sso.example.com");
  config->app_id = g_strdup ("bad id");
  assert_valid (config);

  /* The other rules still hold. */
  config->welcome_seconds = 0;
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_VALUE,
                  "The welcome must show for 1 to 60 seconds, not 0: change the “welcome-seconds” key in GSettings.");
}

typedef struct
{
  const char *server;
  QrsConfigError code;   /* ignored when message is NULL */
  const char *message;   /* NULL: valid */
} ServerCase;

#define NOT_URL(s)    { s, QRS_CONFIG_ERROR_BAD_SERVER, "The server address “" s "” is not a valid URL." }
#define NOT_HTTP(s)   { s, QRS_CONFIG_ERROR_BAD_SERVER, "The server address “" s "” must start with https:// (or http:// for this computer)." }
#define HAS_EXTRA(s)  { s, QRS_CONFIG_ERROR_BAD_SERVER, "The server address “" s "” must not contain a user name, a query or a fragment." }
#define INSECURE(s)   { s, QRS_CONFIG_ERROR_INSECURE_SERVER, "“" s "” would be reached over plain, unencrypted http: use https://, or pass --allow-insecure-http (or set the “allow-insecure-http” key in GSettings) if you really mean it." }
#define VALID(s)      { s, 0, NULL }

static const ServerCase server_cases[] = {
  VALID ("https://example.genauth.ai"),
  VALID ("https://example.genauth.ai/"),
  VALID ("HTTPS://Example.GenAuth.ai:8443/prefix//"),
  VALID ("https://proxy.example.com/genauth"),
  VALID ("https://bücher.example"),
  VALID ("https://[2001:db8::1]:8443"),
  VALID ("https://example.com/a b"),

  /* Plain http to this computer. */
  VALID ("http://127.0.0.1:8080"),
  VALID ("http://127.1.2.3"),
  VALID ("http://[::1]:1"),
  VALID ("http://localhost"),
  VALID ("http://LocalHost:1234/"),

  INSECURE ("http://sso.example.com"),
  INSECURE ("http://10.0.0.1"),
  INSECURE ("http://[2001:db8::1]"),
  INSECURE ("http://localhost.example.com"),
  INSECURE ("http://[::ffff:127.0.0.1]"),

  NOT_HTTP ("htp:/x"),
  NOT_HTTP ("ftp://host"),
  NOT_HTTP ("file:///etc/passwd"),
  NOT_HTTP ("example.genauth.ai"),
  NOT_HTTP ("//example.genauth.ai"),
  NOT_HTTP (" https://example.genauth.ai"),

  NOT_URL ("https://"),
  NOT_URL ("https:///path"),
  NOT_URL ("https:example.com"),
  NOT_URL ("https://exa mple.com"),
  NOT_URL ("https://exa%20mple.com"),
  NOT_URL ("https://example.com:99999"),
  NOT_URL ("https://[::1"),

  HAS_EXTRA ("https://host/path?query"),
  HAS_EXTRA ("https://example.com/?"),
  HAS_EXTRA ("https://example.com/#top"),
  { "https://user@example.com", QRS_CONFIG_ERROR_BAD_SERVER,
    "The server address “https://example.com” must not contain a user name, a query or a fragment." },
};

static void
test_validate_server (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (server_cases); i++)
    {
      g_autoptr(QrsConfig) config = new_valid_config ();
      g_autoptr(GError) error = NULL;
      gboolean valid;

      g_free (config->server);
      config->server = g_strdup (server_cases[i].server);

      valid = qrs_config_validate (config, &error);
      if (server_cases[i].message == NULL)
        {
          if (!valid)
            g_error ("“%s” was refused: %s", server_cases[i].server, error->message);
        }
      else
        {
          if (valid)
            g_error ("“%s” was accepted", server_cases[i].server);
          g_assert_error (error, QRS_CONFIG_ERROR, (int) server_cases[i].code);
          g_assert_cmpstr (error->message, ==, server_cases[i].message);
        }
    }
}

static void
test_validate_password_not_shown (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();

  g_free (config->server);
  config->server = g_strdup ("https://admin:hunter2@example.com");
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_SERVER,
                  "The server address “https://example.com” must not contain a user name, a query or a fragment.");

  g_free (config->server);
  config->server = g_strdup ("http://admin:hunter2@sso.example.com/");
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_SERVER,
                  "The server address “http://sso.example.com/” must not contain a user name, a query or a fragment.");
}

static void
test_validate_allow_insecure_http (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();

  g_free (config->server);
  config->server = g_strdup ("http://sso.example.com");
  config->allow_insecure_http = TRUE;
  assert_valid (config);

  /* It allows http, nothing else. */
  g_free (config->server);
  config->server = g_strdup ("ftp://sso.example.com");
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_SERVER,
                  "The server address “ftp://sso.example.com” must start with https:// (or http:// for this computer).");
}

/* Whatever passes here must build a provider, and the other way round, or
 * the app would open a window for a configuration the provider then
 * refuses. Both apply qrs_net_check_server_url(); this keeps it so.
 */
static void
test_validate_agrees_with_provider (void)
{
  for (guint allow = 0; allow <= 1; allow++)
    for (guint i = 0; i < G_N_ELEMENTS (server_cases); i++)
      {
        g_autoptr(QrsConfig) config = new_valid_config ();
        g_autoptr(QrsProvider) provider = NULL;
        g_autoptr(GError) config_error = NULL;
        g_autoptr(GError) provider_error = NULL;
        gboolean config_ok;

        g_free (config->server);
        config->server = g_strdup (server_cases[i].server);
        config->allow_insecure_http = allow;

        config_ok = qrs_config_validate (config, &config_error);
        provider = qrs_provider_factory_create (config, &provider_error);

        if (config_ok != (provider != NULL))
          g_error ("“%s” (insecure http %s): the configuration says %s, the provider says %s",
                   config->server, allow ? "allowed" : "not allowed",
                   config_ok ? "valid" : config_error->message,
                   provider != NULL ? "valid" : provider_error->message);
      }
}

static void
test_validate_ids (void)
{
  static const char * const bad_ids[] = { "app id", "app\r\nX-Evil: 1", "appé", "\t", NULL };
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autofree char *longest = g_strnfill (256, 'a');
  g_autofree char *too_long = g_strnfill (257, 'a');

  for (guint i = 0; bad_ids[i] != NULL; i++)
    {
      g_free (config->app_id);
      config->app_id = g_strdup (bad_ids[i]);
      assert_invalid (config, QRS_CONFIG_ERROR_BAD_ID,
                      "The app id must be at most 256 printable ASCII characters, without spaces.");
    }

  g_free (config->app_id);
  config->app_id = g_strdup (too_long);
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_ID,
                  "The app id must be at most 256 printable ASCII characters, without spaces.");

  g_free (config->app_id);
  config->app_id = g_strdup (longest);
  assert_valid (config);

  config->userpool_id = g_strdup ("pool 1");
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_ID,
                  "The user pool id must be at most 256 printable ASCII characters, without spaces.");

  g_free (config->userpool_id);
  config->userpool_id = g_strdup ("pool-5fae2648201cfd526f0ec354");
  assert_valid (config);
}

static void
test_validate_on_success (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autoptr(GVariantDict) options = g_variant_dict_new (NULL);

  /* From GSettings, outside kiosk mode: unused, not an error. */
  config->on_success = g_strdup ("logger signed-in");
  assert_valid (config);

  /* From the command line: the caller expected something that will not
   * happen.
   */
  g_variant_dict_insert (options, "on-success", "s", "logger signed-in");
  g_assert_true (qrs_config_apply_options (config, options, NULL));
  assert_invalid (config, QRS_CONFIG_ERROR_NOT_KIOSK,
                  "--on-success only applies to kiosk mode (--kiosk); in window mode the tokens are written to standard output.");

  config->kiosk = TRUE;
  assert_valid (config);

  g_free (config->on_success);
  config->on_success = g_strdup ("sh -c 'echo unterminated");
  assert_invalid (config, QRS_CONFIG_ERROR_BAD_VALUE,
                  "The on-success command “sh -c 'echo unterminated” (from --on-success or the “on-success” key in GSettings) is not a valid command line: "
                  "Text ended before matching quote was found for '. (The text was “sh -c 'echo unterminated”)");

  /* Outside kiosk mode a command from GSettings is not even parsed. */
  config->kiosk = FALSE;
  config->on_success_from_command_line = FALSE;
  assert_valid (config);
}

static void
test_validate_welcome_seconds (void)
{
  static const guint good[] = { 1, 5, 60 };
  static const guint bad[] = { 0, 61, G_MAXUINT };
  g_autoptr(QrsConfig) config = new_valid_config ();

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      config->welcome_seconds = good[i];
      assert_valid (config);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *message = g_strdup_printf ("The welcome must show for 1 to 60 seconds, not %u: change the “welcome-seconds” key in GSettings.", bad[i]);

      config->welcome_seconds = bad[i];
      assert_invalid (config, QRS_CONFIG_ERROR_BAD_VALUE, message);
    }
}

static void
test_validate_client_secret (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autofree char *secret_file = g_build_filename (tmp_dir, "secret", NULL);
  g_autofree char *missing_file = g_build_filename (tmp_dir, "missing", NULL);
  g_autofree char *message = NULL;

  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);

  /* No secret is needed unless the method says so. */
  assert_valid (config);

  config->token_auth_method = QRS_CLIENT_AUTH_CLIENT_SECRET_POST;
  assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
                  "The token auth method “client_secret_post” needs a client secret: set the environment variable QRS_CLIENT_SECRET, or put the secret in a file and set the “client-secret-file” key in GSettings.");

  config->token_auth_method = QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC;
  assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
                  "The token auth method “client_secret_basic” needs a client secret: set the environment variable QRS_CLIENT_SECRET, or put the secret in a file and set the “client-secret-file” key in GSettings.");

  /* An empty variable is no secret. */
  g_setenv (QRS_CONFIG_CLIENT_SECRET_ENV, "", TRUE);
  assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
                  "The token auth method “client_secret_basic” needs a client secret: set the environment variable QRS_CLIENT_SECRET, or put the secret in a file and set the “client-secret-file” key in GSettings.");

  g_setenv (QRS_CONFIG_CLIENT_SECRET_ENV, TEST_SECRET, TRUE);
  assert_valid (config);
  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);

  config->client_secret_file = g_strdup (missing_file);
  message = g_strdup_printf ("The client secret file “%s” cannot be read (No such file or directory): check the “client-secret-file” key in GSettings.", missing_file);
  assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET, message);
  g_clear_pointer (&message, g_free);

  /* The environment is enough even when the file is not there. */
  g_setenv (QRS_CONFIG_CLIENT_SECRET_ENV, TEST_SECRET, TRUE);
  assert_valid (config);
  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);

  g_free (config->client_secret_file);
  config->client_secret_file = g_strdup (tmp_dir);
  message = g_strdup_printf ("The client secret file “%s” cannot be read (Is a directory): check the “client-secret-file” key in GSettings.", tmp_dir);
  assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET, message);
  g_clear_pointer (&message, g_free);

  g_assert_true (g_file_set_contents (secret_file, TEST_SECRET "\n", -1, NULL));
  g_free (config->client_secret_file);
  config->client_secret_file = g_strdup (secret_file);

  /* Readable by every user of the computer: no secret at all. */
  for (guint i = 0; i < 3; i++)
    {
      static const int modes[] = { 0644, 0666, 0604 };

      g_assert_cmpint (g_chmod (secret_file, modes[i]), ==, 0);
      message = g_strdup_printf ("The client secret file “%s” can be read by every user of this computer: make it private with “chmod o-rwx %s” and try again.", secret_file, secret_file);
      assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET, message);
      g_clear_pointer (&message, g_free);
    }

  /* Owner and group only: a kiosk's service user may share a group. */
  g_assert_cmpint (g_chmod (secret_file, 0640), ==, 0);
  assert_valid (config);
  g_assert_cmpint (g_chmod (secret_file, 0600), ==, 0);
  assert_valid (config);

  /* Unreadable (unless we are root, who reads anything). */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (secret_file, 0), ==, 0);
      message = g_strdup_printf ("The client secret file “%s” cannot be read (Permission denied): check the “client-secret-file” key in GSettings.", secret_file);
      assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET, message);
      g_assert_cmpint (g_chmod (secret_file, 0600), ==, 0);
    }

  g_remove (secret_file);
}

static void
test_validate_secret_fifo (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autofree char *fifo = g_build_filename (tmp_dir, "fifo", NULL);
  g_autofree char *message = NULL;

  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  /* Refused at once, not waited on for a writer. */
  config->token_auth_method = QRS_CLIENT_AUTH_CLIENT_SECRET_POST;
  config->client_secret_file = g_strdup (fifo);
  message = g_strdup_printf ("The client secret file “%s” cannot be read (not a regular file): check the “client-secret-file” key in GSettings.", fifo);
  assert_invalid (config, QRS_CONFIG_ERROR_NO_CLIENT_SECRET, message);

  g_remove (fifo);
}

static void
test_validate_first_problem (void)
{
  g_autoptr(QrsConfig) config = qrs_config_new ();

  /* Everything is wrong: the message is about the first thing to fix. */
  config->app_id = g_strdup ("bad id");
  config->welcome_seconds = 0;
  config->token_auth_method = QRS_CLIENT_AUTH_CLIENT_SECRET_POST;
  assert_invalid (config, QRS_CONFIG_ERROR_NO_SERVER,
                  "No sign-in server is set: pass --server=https://… or set the “server” key in GSettings.");
}

static QrsGenauthProvider *
create_genauth (QrsConfig  *config,
                GError    **error)
{
  QrsProvider *provider = qrs_provider_factory_create (config, error);

  g_assert_true (provider == NULL || QRS_IS_GENAUTH_PROVIDER (provider));

  return (QrsGenauthProvider *) provider;
}

static void
test_create_provider (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autoptr(QrsGenauthProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);

  config->userpool_id = g_strdup ("pool-1");
  config->status_path = QRS_GENAUTH_STATUS_PATH_GET;
  provider = create_genauth (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qrs_genauth_provider_get_base_url (provider), ==, "https://example.genauth.ai");
  g_assert_cmpstr (qrs_genauth_provider_get_app_id (provider), ==, "app-5e04ae0d5f3cee22fb37612b");
  g_assert_cmpstr (qrs_genauth_provider_get_userpool_id (provider), ==, "pool-1");
  g_assert_cmpint (qrs_genauth_provider_get_status_path (provider), ==, QRS_GENAUTH_STATUS_PATH_GET);
  g_assert_cmpint (qrs_genauth_provider_get_client_auth (provider), ==, QRS_CLIENT_AUTH_NONE);
  g_assert_false (qrs_genauth_provider_has_client_secret (provider));
  g_assert_finalize_object (g_steal_pointer (&provider));

  g_free (config->server);
  config->server = g_strdup ("http://sso.example.com");
  config->allow_insecure_http = TRUE;
  provider = create_genauth (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qrs_genauth_provider_get_base_url (provider), ==, "http://sso.example.com");
  g_assert_finalize_object (g_steal_pointer (&provider));
}

static void
test_create_provider_secret (void)
{
  g_autoptr(QrsConfig) config = new_valid_config ();
  g_autoptr(QrsGenauthProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_file = g_build_filename (tmp_dir, "secret", NULL);
  g_autofree char *message = NULL;

  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);
  config->token_auth_method = QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC;

  provider = create_genauth (config, &error);
  g_assert_null (provider);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_clear_error (&error);

  g_setenv (QRS_CONFIG_CLIENT_SECRET_ENV, TEST_SECRET, TRUE);
  provider = create_genauth (config, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qrs_genauth_provider_get_client_auth (provider), ==, QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);
  g_assert_true (qrs_genauth_provider_has_client_secret (provider));
  g_assert_finalize_object (g_steal_pointer (&provider));
  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);

  g_assert_true (g_file_set_contents (secret_file, TEST_SECRET "\n", -1, NULL));
  g_assert_cmpint (g_chmod (secret_file, 0640), ==, 0);
  config->client_secret_file = g_strdup (secret_file);
  provider = create_genauth (config, &error);
  g_assert_no_error (error);
  g_assert_true (qrs_genauth_provider_has_client_secret (provider));
  g_assert_finalize_object (g_steal_pointer (&provider));

  /* A file that does not hold a secret: the provider's own error. */
  g_assert_true (g_file_set_contents (secret_file, "", 0, NULL));
  g_assert_cmpint (g_chmod (secret_file, 0600), ==, 0);
  provider = create_genauth (config, &error);
  g_assert_null (provider);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  message = g_strdup_printf ("The file “%s” does not look like a client secret.", secret_file);
  g_assert_cmpstr (error->message, ==, message);

  g_remove (secret_file);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("qrs-test-config-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/config/new/defaults", test_defaults);
  g_test_add_func ("/config/new/boxed-copy", test_boxed_copy);
  g_test_add_func ("/config/settings/defaults", test_settings_defaults);
  g_test_add_func ("/config/settings/every-key", test_settings_every_key);
  g_test_add_func ("/config/settings/bad-values", test_settings_bad_values);
  g_test_add_func ("/config/options/override-settings", test_options_override);
  g_test_add_func ("/config/options/device-flow", test_options_device_flow);
  g_test_add_func ("/config/validate/device-flow", test_validate_device_flow);
  g_test_add_func ("/config/check-field", test_check_field);
  g_test_add_func ("/config/options/empty-unsets", test_options_empty_unsets);
  g_test_add_func ("/config/options/filename", test_options_filename);
  g_test_add_func ("/config/options/qr-source", test_options_qr_source);
  g_test_add_func ("/config/options/wrong-type", test_options_wrong_type);
  g_test_add_func ("/config/validate/minimal", test_validate_minimal);
  g_test_add_func ("/config/validate/required", test_validate_required);
  g_test_add_func ("/config/validate/demo", test_validate_demo);
  g_test_add_func ("/config/validate/server", test_validate_server);
  g_test_add_func ("/config/validate/password-not-shown", test_validate_password_not_shown);
  g_test_add_func ("/config/validate/allow-insecure-http", test_validate_allow_insecure_http);
  g_test_add_func ("/config/validate/agrees-with-provider", test_validate_agrees_with_provider);
  g_test_add_func ("/config/validate/ids", test_validate_ids);
  g_test_add_func ("/config/validate/on-success", test_validate_on_success);
  g_test_add_func ("/config/validate/welcome-seconds", test_validate_welcome_seconds);
  g_test_add_func ("/config/validate/client-secret", test_validate_client_secret);
  g_test_add_func ("/config/validate/client-secret-fifo", test_validate_secret_fifo);
  g_test_add_func ("/config/validate/first-problem", test_validate_first_problem);
  g_test_add_func ("/provider-factory/genauth/settings", test_create_provider);
  g_test_add_func ("/provider-factory/genauth/client-secret", test_create_provider_secret);

  status = g_test_run ();

  g_rmdir (tmp_dir);
  g_free (tmp_dir);

  return status;
}
