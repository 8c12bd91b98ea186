/* qrs-config.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "qrs-config.h"
#include "qrs-net.h"
#include "qrs-secret-private.h"
#include "qrs-core-enums.h"

/* The settings a run starts from: GSettings first, the command line over
 * it, then one check of the whole, so that bad usage is refused with one
 * sentence on stderr before any window or provider exists.
 *
 * The address and id rules are qrs-net.c's, the same the providers apply:
 * an address that passes here cannot be refused by a provider later, when
 * the window is already up. Only the words are this file's own.
 */

G_DEFINE_QUARK (qrs-config-error-quark, qrs_config_error)

G_DEFINE_BOXED_TYPE (QrsConfig, qrs_config, qrs_config_copy, qrs_config_free)

/**
 * qrs_config_new:
 *
 * Returns: (transfer full): a configuration holding the schema's defaults,
 *   with nothing set that has no default (no server, no app id)
 */
QrsConfig *
qrs_config_new (void)
{
  QrsConfig *self = g_new0 (QrsConfig, 1);

  self->qr_source = QRS_QR_SOURCE_SERVER;
  self->status_path = QRS_GENAUTH_STATUS_PATH_CHECK;
  self->welcome_seconds = QRS_CONFIG_DEFAULT_WELCOME_SECONDS;
  self->auto_refresh_cap = QRS_CONFIG_DEFAULT_AUTO_REFRESH_CAP;
  self->token_auth_method = QRS_CLIENT_AUTH_NONE;

  return self;
}

QrsConfig *
qrs_config_copy (QrsConfig *self)
{
  QrsConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->server = g_strdup (self->server);
  copy->app_id = g_strdup (self->app_id);
  copy->userpool_id = g_strdup (self->userpool_id);
  copy->on_success = g_strdup (self->on_success);
  copy->client_secret_file = g_strdup (self->client_secret_file);

  return copy;
}

void
qrs_config_free (QrsConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->server);
  g_free (self->app_id);
  g_free (self->userpool_id);
  g_free (self->on_success);
  g_free (self->client_secret_file);
  g_free (self);
}

/* Takes @value as the new value of @field, "" meaning "not set". */
static void
set_string (char **field,
            char  *value)
{
  g_free (*field);
  *field = (value != NULL && *value != '\0') ? value : NULL;
  if (*field == NULL)
    g_free (value);
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value_by_nick (klass, nick);

  if (found == NULL)
    return FALSE;

  *value = found->value;
  return TRUE;
}

/* GSettings only hands out values the schema allows (its choices), so an
 * unknown nick means the schema and this code disagree.
 */
static int
get_settings_enum (GSettings  *settings,
                   const char *key,
                   GType       type,
                   int         fallback)
{
  g_autofree char *nick = g_settings_get_string (settings, key);
  int value;

  if (enum_from_nick (type, nick, &value))
    return value;

  g_warning ("The GSettings key %s has the unknown value \"%s\"", key, nick);
  return fallback;
}

/**
 * qrs_config_load_settings:
 * @settings: a #GSettings for the io.github.qrsignin.QrSignIn schema
 *
 * Replaces every value that has a GSettings key with the key's value.
 * --demo and --verbose have no key and are left alone.
 */
void
qrs_config_load_settings (QrsConfig *self,
                          GSettings *settings)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_SETTINGS (settings));

  set_string (&self->server, g_settings_get_string (settings, "server"));
  set_string (&self->app_id, g_settings_get_string (settings, "app-id"));
  set_string (&self->userpool_id, g_settings_get_string (settings, "userpool-id"));
  self->qr_source = get_settings_enum (settings, "qr-source",
                                       QRS_TYPE_QR_SOURCE,
                                       QRS_QR_SOURCE_SERVER);
  self->status_path = get_settings_enum (settings, "status-path",
                                         QRS_TYPE_GENAUTH_STATUS_PATH,
                                         QRS_GENAUTH_STATUS_PATH_CHECK);
  self->kiosk = g_settings_get_boolean (settings, "kiosk");
  set_string (&self->on_success, g_settings_get_string (settings, "on-success"));
  self->on_success_from_command_line = FALSE;
  self->allow_insecure_http = g_settings_get_boolean (settings, "allow-insecure-http");
  self->welcome_seconds = g_settings_get_uint (settings, "welcome-seconds");
  self->auto_refresh_cap = g_settings_get_uint (settings, "auto-refresh-cap");
  self->token_auth_method = get_settings_enum (settings, "token-auth-method",
                                               QRS_TYPE_CLIENT_AUTH,
                                               QRS_CLIENT_AUTH_NONE);
  set_string (&self->client_secret_file, g_settings_get_string (settings, "client-secret-file"));
}

/* GApplication puts G_OPTION_ARG_STRING values in as "s", and
 * G_OPTION_ARG_FILENAME ones as "ay": take either.
 */
static gboolean
lookup_string (GVariantDict  *options,
               const char    *name,
               char         **field)
{
  g_autoptr(GVariant) value = g_variant_dict_lookup_value (options, name, NULL);

  if (value == NULL)
    return FALSE;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    set_string (field, g_variant_dup_string (value, NULL));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    set_string (field, g_variant_dup_bytestring (value, NULL));
  else
    {
      g_critical ("Option %s has the type %s, not a string", name, g_variant_get_type_string (value));
      return FALSE;
    }

  return TRUE;
}

static void
lookup_boolean (GVariantDict *options,
                const char   *name,
                gboolean     *field)
{
  g_autoptr(GVariant) value = g_variant_dict_lookup_value (options, name, NULL);

  if (value == NULL)
    return;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    *field = g_variant_get_boolean (value);
  else
    g_critical ("Option %s has the type %s, not a boolean", name, g_variant_get_type_string (value));
}

/**
 * qrs_config_apply_options:
 * @options: the options GApplication::handle-local-options passes
 * @error: return location for a %QRS_CONFIG_ERROR_BAD_VALUE error
 *
 * Overrides the values of the options present in @options: "server",
 * "app-id", "userpool-id", "qr-source", "on-success" (strings) and "kiosk",
 * "demo", "allow-insecure-http", "verbose" (booleans). An option given as
 * "" unsets the value (--server= means no server). Call it after
 * qrs_config_load_settings(), so the command line wins.
 *
 * Returns: %FALSE if --qr-source is not a known source; the other values
 *   are applied either way
 */
gboolean
qrs_config_apply_options (QrsConfig     *self,
                          GVariantDict  *options,
                          GError       **error)
{
  g_autofree char *qr_source = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lookup_string (options, "server", &self->server);
  lookup_string (options, "app-id", &self->app_id);
  lookup_string (options, "userpool-id", &self->userpool_id);
  if (lookup_string (options, "on-success", &self->on_success))
    self->on_success_from_command_line = TRUE;
  lookup_boolean (options, "kiosk", &self->kiosk);
  lookup_boolean (options, "demo", &self->demo);
  lookup_boolean (options, "allow-insecure-http", &self->allow_insecure_http);
  lookup_boolean (options, "verbose", &self->verbose);

  if (lookup_string (options, "qr-source", &qr_source))
    {
      int value;

      if (qr_source != NULL && enum_from_nick (QRS_TYPE_QR_SOURCE, qr_source, &value))
        self->qr_source = value;
      else
        {
          g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE,
                       _("--qr-source must be “server” or “local”, not “%s”."),
                       qr_source != NULL ? qr_source : "");
          ok = FALSE;
        }
    }

  return ok;
}

/* ---- Validation ------------------------------------------------------- */

static gboolean
check_server (const QrsConfig  *self,
              GError          **error)
{
  g_autofree char *shown = qrs_net_displayable_url (self->server);

  switch (qrs_net_check_server_url (self->server, self->allow_insecure_http, NULL))
    {
    case QRS_NET_URL_OK:
      return TRUE;

    case QRS_NET_URL_MISSING:
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_SERVER,
                           _("No sign-in server is set: pass --server=https://… or set the “server” key in GSettings."));
      return FALSE;

    case QRS_NET_URL_SCHEME:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_SERVER,
                   _("The server address “%s” must start with https:// (or http:// for this computer)."),
                   shown);
      return FALSE;

    case QRS_NET_URL_EXTRA_PARTS:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_SERVER,
                   _("The server address “%s” must not contain a user name, a query or a fragment."),
                   shown);
      return FALSE;

    case QRS_NET_URL_INSECURE:
    case QRS_NET_URL_DOWNGRADE:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_INSECURE_SERVER,
                   _("“%s” would be reached over plain, unencrypted http: use https://, or pass --allow-insecure-http (or set the “allow-insecure-http” key in GSettings) if you really mean it."),
                   shown);
      return FALSE;

    case QRS_NET_URL_INVALID:
    case QRS_NET_URL_BAD_HOST:
    default:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_SERVER,
                   _("The server address “%s” is not a valid URL."),
                   shown);
      return FALSE;
    }
}

static gboolean
has_secret_in_environment (void)
{
  const char *value = g_getenv (QRS_CONFIG_CLIENT_SECRET_ENV);

  return value != NULL && *value != '\0';
}

static gboolean
check_secret_file (const char  *path,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (qrs_secret_check_file (path, &local_error))
    return TRUE;

  g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
                       local_error->message);
  return FALSE;
}

static const char *
client_auth_nick (QrsClientAuth method)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_CLIENT_AUTH);
  GEnumValue *value = g_enum_get_value (klass, method);

  /* Nicks are static strings, alive after the class reference goes. */
  return value != NULL ? value->value_nick : "?";
}

static void
set_no_secret_error (const QrsConfig  *self,
                     GError          **error)
{
  g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
               _("The token auth method “%s” needs a client secret: set the environment variable %s, or put the secret in a file and set the “client-secret-file” key in GSettings."),
               client_auth_nick (self->token_auth_method), QRS_CONFIG_CLIENT_SECRET_ENV);
}

/**
 * qrs_config_validate:
 * @error: return location for a %QRS_CONFIG_ERROR error
 *
 * Checks the configuration as a whole, without any network access. The
 * error is the first problem found, as one sentence to print on stderr
 * before exiting with status 2.
 *
 * In demo mode the server and app id are not checked: the app serves
 * itself from the built-in emulator. A client secret is checked for being
 * there (in the environment, or a readable file), not for being right.
 *
 * Returns: whether the configuration can be used
 */
gboolean
qrs_config_validate (const QrsConfig  *self,
                     GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->demo)
    {
      if (!check_server (self, error))
        return FALSE;

      if (self->app_id == NULL)
        {
          g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_APP_ID,
                               _("No app id is set: pass --app-id=ID or set the “app-id” key in GSettings."));
          return FALSE;
        }

      /* Not quoted back: it may hold control characters. */
      if (!qrs_net_text_is_header_safe (self->app_id, QRS_NET_MAX_ID_LENGTH))
        {
          g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_ID,
                               _("The app id must be at most 256 printable ASCII characters, without spaces."));
          return FALSE;
        }

      if (self->userpool_id != NULL && !qrs_net_text_is_header_safe (self->userpool_id, QRS_NET_MAX_ID_LENGTH))
        {
          g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_ID,
                               _("The user pool id must be at most 256 printable ASCII characters, without spaces."));
          return FALSE;
        }
    }

  /* An on-success command from GSettings is just unused in window mode: a
   * kiosk's settings must not stop someone running a sign-in window on it.
   */
  if (self->on_success != NULL && !self->kiosk && self->on_success_from_command_line)
    {
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NOT_KIOSK,
                           _("--on-success only applies to kiosk mode (--kiosk); in window mode the tokens are written to standard output."));
      return FALSE;
    }

  if (self->on_success != NULL && self->kiosk)
    {
      g_autoptr(GError) shell_error = NULL;
      g_auto(GStrv) argv = NULL;

      if (!g_shell_parse_argv (self->on_success, NULL, &argv, &shell_error))
        {
          g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE,
                       _("The on-success command “%s” (from --on-success or the “on-success” key in GSettings) is not a valid command line: %s"),
                       self->on_success, shell_error->message);
          return FALSE;
        }
    }

  if (self->welcome_seconds < QRS_CONFIG_MIN_WELCOME_SECONDS ||
      self->welcome_seconds > QRS_CONFIG_MAX_WELCOME_SECONDS)
    {
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE,
                   _("The welcome must show for %u to %u seconds, not %u: change the “welcome-seconds” key in GSettings."),
                   QRS_CONFIG_MIN_WELCOME_SECONDS, QRS_CONFIG_MAX_WELCOME_SECONDS, self->welcome_seconds);
      return FALSE;
    }

  if (self->token_auth_method != QRS_CLIENT_AUTH_NONE && !has_secret_in_environment ())
    {
      if (self->client_secret_file == NULL)
        {
          set_no_secret_error (self, error);
          return FALSE;
        }

      if (!check_secret_file (self->client_secret_file, error))
        return FALSE;
    }

  return TRUE;
}
