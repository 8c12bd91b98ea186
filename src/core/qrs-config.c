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

  self->provider = QRS_PROVIDER_KIND_GENAUTH;
  self->phone_app = g_strdup (QRS_CONFIG_DEFAULT_PHONE_APP);
  self->scope = g_strdup (QRS_CONFIG_DEFAULT_SCOPE);
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
  copy->phone_app = g_strdup (self->phone_app);
  copy->issuer = g_strdup (self->issuer);
  copy->client_id = g_strdup (self->client_id);
  copy->scope = g_strdup (self->scope);
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
  g_free (self->phone_app);
  g_free (self->issuer);
  g_free (self->client_id);
  g_free (self->scope);
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

/* Settings come from dconf, which anybody with a text editor can fill:
 * the schema lists no choices and no ranges, so that a bad value reaches
 * us and is named in a warning instead of being replaced silently.
 */
static void
warn_bad_setting (const char *key,
                  const char *value,
                  const char *used)
{
  g_warning ("The GSettings key “%s” has the value “%s”, which it cannot have: using “%s” instead",
             key, value, used);
}

static int
get_settings_enum (GSettings  *settings,
                   const char *key,
                   GType       type,
                   int         fallback)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  g_autofree char *nick = g_settings_get_string (settings, key);
  int value;

  if (enum_from_nick (type, nick, &value))
    return value;

  warn_bad_setting (key, nick, g_enum_get_value (klass, fallback)->value_nick);
  return fallback;
}

static guint
get_settings_uint (GSettings  *settings,
                   const char *key,
                   guint       minimum,
                   guint       maximum,
                   guint       fallback)
{
  guint value = g_settings_get_uint (settings, key);

  if (value >= minimum && value <= maximum)
    return value;

  {
    g_autofree char *shown = g_strdup_printf ("%u", value);
    g_autofree char *used = g_strdup_printf ("%u", fallback);

    warn_bad_setting (key, shown, used);
  }
  return fallback;
}

/**
 * qrs_config_load_settings:
 * @settings: a #GSettings for the io.github.qrsignin.QrSignIn schema
 *
 * Replaces every value that has a GSettings key with the key's value. A
 * value the key cannot have is replaced by the default, with a warning
 * naming the key: a kiosk keeps running on a typo. --demo and --verbose
 * have no key and are left alone. A non-empty "issuer" selects the device
 * flow.
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
  set_string (&self->phone_app, g_settings_get_string (settings, "phone-app"));
  if (self->phone_app == NULL)
    self->phone_app = g_strdup (QRS_CONFIG_DEFAULT_PHONE_APP);
  set_string (&self->issuer, g_settings_get_string (settings, "issuer"));
  set_string (&self->client_id, g_settings_get_string (settings, "client-id"));
  set_string (&self->scope, g_settings_get_string (settings, "scope"));
  if (self->scope == NULL)
    self->scope = g_strdup (QRS_CONFIG_DEFAULT_SCOPE);
  self->provider = self->issuer != NULL ? QRS_PROVIDER_KIND_DEVICE_FLOW : QRS_PROVIDER_KIND_GENAUTH;
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
  self->welcome_seconds = get_settings_uint (settings, "welcome-seconds",
                                             QRS_CONFIG_MIN_WELCOME_SECONDS,
                                             QRS_CONFIG_MAX_WELCOME_SECONDS,
                                             QRS_CONFIG_DEFAULT_WELCOME_SECONDS);
  self->auto_refresh_cap = get_settings_uint (settings, "auto-refresh-cap",
                                              0, QRS_CONFIG_MAX_AUTO_REFRESH_CAP,
                                              QRS_CONFIG_DEFAULT_AUTO_REFRESH_CAP);
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
  gboolean genauth = FALSE;
  gboolean device_flow = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  genauth |= lookup_string (options, "server", &self->server);
  genauth |= lookup_string (options, "app-id", &self->app_id);
  genauth |= lookup_string (options, "userpool-id", &self->userpool_id);
  device_flow |= lookup_string (options, "issuer", &self->issuer);
  device_flow |= lookup_string (options, "client-id", &self->client_id);
  device_flow |= lookup_string (options, "scope", &self->scope);
  if (lookup_string (options, "phone-app", &self->phone_app) && self->phone_app == NULL)
    self->phone_app = g_strdup (QRS_CONFIG_DEFAULT_PHONE_APP);
  if (self->scope == NULL)
    self->scope = g_strdup (QRS_CONFIG_DEFAULT_SCOPE);
  if (lookup_string (options, "on-success", &self->on_success))
    self->on_success_from_command_line = TRUE;
  lookup_boolean (options, "kiosk", &self->kiosk);
  lookup_boolean (options, "demo", &self->demo);
  lookup_boolean (options, "allow-insecure-http", &self->allow_insecure_http);
  lookup_boolean (options, "verbose", &self->verbose);

  /* The command line names the protocol it means; otherwise the settings
   * decide (an issuer there means the device flow).
   */
  if (genauth && device_flow)
    {
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE,
                           _("Use either --server and --app-id (GenAuth) or --issuer and --client-id (OpenID device flow), not both."));
      ok = FALSE;
    }
  else if (genauth)
    self->provider = QRS_PROVIDER_KIND_GENAUTH;
  else if (device_flow)
    self->provider = QRS_PROVIDER_KIND_DEVICE_FLOW;

  if (lookup_string (options, "qr-source", &qr_source))
    {
      int value;

      if (qr_source != NULL && enum_from_nick (QRS_TYPE_QR_SOURCE, qr_source, &value))
        self->qr_source = value;
      else if (ok)
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

/* The words for an address, per field: the same rules, said about the
 * option a person typed.
 */
typedef struct {
  const char *missing;
  const char *scheme;
  const char *extra_parts;
  const char *insecure;
  const char *invalid;
} UrlWords;

/* Every format in UrlWords has exactly one %s, the address (the tests hold
 * each message to its expected text).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
set_url_error (QrsNetUrlProblem   problem,
               const char        *url,
               const UrlWords    *words,
               GError           **error)
{
  g_autofree char *shown = qrs_net_displayable_url (url);

  switch (problem)
    {
    case QRS_NET_URL_MISSING:
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_SERVER, words->missing);
      break;

    case QRS_NET_URL_SCHEME:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_SERVER, words->scheme, shown);
      break;

    case QRS_NET_URL_EXTRA_PARTS:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_SERVER, words->extra_parts, shown);
      break;

    case QRS_NET_URL_INSECURE:
    case QRS_NET_URL_DOWNGRADE:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_INSECURE_SERVER, words->insecure, shown);
      break;

    case QRS_NET_URL_OK:
    case QRS_NET_URL_INVALID:
    case QRS_NET_URL_BAD_HOST:
    default:
      g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_SERVER, words->invalid, shown);
      break;
    }
}
#pragma GCC diagnostic pop

static gboolean
check_url (const char      *url,
           gboolean         allow_insecure_http,
           const UrlWords  *words,
           GError         **error)
{
  QrsNetUrlProblem problem = qrs_net_check_server_url (url, allow_insecure_http, NULL);

  if (problem == QRS_NET_URL_OK)
    return TRUE;

  set_url_error (problem, url, words, error);
  return FALSE;
}

static gboolean
check_id (const char  *value,
          gboolean     required,
          const char  *missing,
          const char  *bad,
          GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      if (!required)
        return TRUE;
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_APP_ID, missing);
      return FALSE;
    }

  /* Not quoted back: it may hold control characters. */
  if (!qrs_net_text_is_header_safe (value, QRS_NET_MAX_ID_LENGTH))
    {
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_ID, bad);
      return FALSE;
    }

  return TRUE;
}

/* RFC 6749 §3.3: scope tokens of printable ASCII but space, '"' and '\\',
 * separated by single spaces.
 */
static gboolean
scope_is_valid (const char *scope)
{
  gboolean after_space = TRUE;

  if (scope == NULL || *scope == '\0' || strlen (scope) > 1024)
    return FALSE;

  for (const char *p = scope; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == ' ')
        {
          if (after_space)
            return FALSE;
          after_space = TRUE;
          continue;
        }

      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\')
        return FALSE;
      after_space = FALSE;
    }

  return !after_space;
}

static gboolean
phone_app_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) ||
      g_utf8_strlen (name, -1) > QRS_CONFIG_MAX_PHONE_APP_LENGTH)
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/**
 * qrs_config_check_field:
 * @field: which setting @value is for
 * @value: (nullable): the value as typed, %NULL or "" when empty
 * @allow_insecure_http: for addresses: whether plain http to another
 *   computer is allowed
 * @error: a %QRS_CONFIG_ERROR whose message is one sentence, the same the
 *   command line prints
 *
 * Checks one setting on its own, as a settings page does while a person
 * types, with exactly the rules and words of qrs_config_validate().
 *
 * Returns: whether @value is acceptable for @field
 */
gboolean
qrs_config_check_field (QrsConfigField   field,
                        const char      *value,
                        gboolean         allow_insecure_http,
                        GError         **error)
{
  static const UrlWords server_words = {
    N_("No sign-in server is set: pass --server=https://… or set the “server” key in GSettings."),
    N_("The server address “%s” must start with https:// (or http:// for this computer)."),
    N_("The server address “%s” must not contain a user name, a query or a fragment."),
    N_("“%s” would be reached over plain, unencrypted http: use https://, or pass --allow-insecure-http (or set the “allow-insecure-http” key in GSettings) if you really mean it."),
    N_("The server address “%s” is not a valid URL."),
  };
  static const UrlWords issuer_words = {
    N_("No OpenID issuer is set: pass --issuer=https://… or set the “issuer” key in GSettings."),
    N_("The issuer address “%s” must start with https:// (or http:// for this computer)."),
    N_("The issuer address “%s” must not contain a user name, a query or a fragment."),
    N_("“%s” would be reached over plain, unencrypted http: use https://, or pass --allow-insecure-http (or set the “allow-insecure-http” key in GSettings) if you really mean it."),
    N_("The issuer address “%s” is not a valid URL."),
  };
  UrlWords words;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (value != NULL && *value == '\0')
    value = NULL;

  switch (field)
    {
    case QRS_CONFIG_FIELD_SERVER:
    case QRS_CONFIG_FIELD_ISSUER:
      words = field == QRS_CONFIG_FIELD_SERVER ? server_words : issuer_words;
      words.missing = _(words.missing);
      words.scheme = _(words.scheme);
      words.extra_parts = _(words.extra_parts);
      words.insecure = _(words.insecure);
      words.invalid = _(words.invalid);
      return check_url (value, allow_insecure_http, &words, error);

    case QRS_CONFIG_FIELD_APP_ID:
      return check_id (value, TRUE,
                       _("No app id is set: pass --app-id=ID or set the “app-id” key in GSettings."),
                       _("The app id must be at most 256 printable ASCII characters, without spaces."),
                       error);

    case QRS_CONFIG_FIELD_USERPOOL_ID:
      return check_id (value, FALSE, NULL,
                       _("The user pool id must be at most 256 printable ASCII characters, without spaces."),
                       error);

    case QRS_CONFIG_FIELD_CLIENT_ID:
      return check_id (value, TRUE,
                       _("No client id is set: pass --client-id=ID or set the “client-id” key in GSettings."),
                       _("The client id must be at most 256 printable ASCII characters, without spaces."),
                       error);

    case QRS_CONFIG_FIELD_SCOPE:
      if (scope_is_valid (value))
        return TRUE;
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE,
                           _("The scope must be words of printable ASCII separated by single spaces, such as “openid profile offline_access”."));
      return FALSE;

    case QRS_CONFIG_FIELD_CLIENT_SECRET:
      if (value == NULL)
        {
          g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
                               _("No client secret was given."));
          return FALSE;
        }
      if (qrs_net_text_is_visible_ascii (value, QRS_SECRET_MAX_LENGTH))
        return TRUE;
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE,
                           _("The client secret must be at most 4096 printable ASCII characters."));
      return FALSE;

    case QRS_CONFIG_FIELD_PHONE_APP:
      if (phone_app_is_valid (value))
        return TRUE;
      g_set_error_literal (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_BAD_VALUE,
                           _("The phone app’s name must be 1 to 64 characters, without control characters."));
      return FALSE;

    default:
      g_return_val_if_reached (FALSE);
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
  if (self->keyring)
    g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
                 _("The token auth method “%s” needs a client secret: enter it in Preferences, set the environment variable %s, or put the secret in a file and set the “client-secret-file” key in GSettings."),
                 client_auth_nick (self->token_auth_method), QRS_CONFIG_CLIENT_SECRET_ENV);
  else
    g_set_error (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_CLIENT_SECRET,
                 _("The token auth method “%s” needs a client secret: set the environment variable %s, or put the secret in a file and set the “client-secret-file” key in GSettings."),
                 client_auth_nick (self->token_auth_method), QRS_CONFIG_CLIENT_SECRET_ENV);
}

/**
 * qrs_config_secret_from_keyring:
 *
 * Whether the client secret is to be looked up in the keyring: the auth
 * method needs one, neither the environment nor a file gives it, and the
 * keyring may be used. The environment and the file are for kiosks and
 * fleets; the keyring is where Preferences puts a person's.
 *
 * Returns: whether to look the secret up in the keyring
 */
gboolean
qrs_config_secret_from_keyring (const QrsConfig *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->keyring && !self->demo &&
         self->token_auth_method != QRS_CLIENT_AUTH_NONE &&
         !has_secret_in_environment () && self->client_secret_file == NULL;
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

  if (!self->demo && self->provider == QRS_PROVIDER_KIND_GENAUTH)
    {
      if (!qrs_config_check_field (QRS_CONFIG_FIELD_SERVER, self->server, self->allow_insecure_http, error) ||
          !qrs_config_check_field (QRS_CONFIG_FIELD_APP_ID, self->app_id, FALSE, error) ||
          !qrs_config_check_field (QRS_CONFIG_FIELD_USERPOOL_ID, self->userpool_id, FALSE, error))
        return FALSE;
    }

  if (!self->demo && self->provider == QRS_PROVIDER_KIND_DEVICE_FLOW)
    {
      if (!qrs_config_check_field (QRS_CONFIG_FIELD_ISSUER, self->issuer, self->allow_insecure_http, error) ||
          !qrs_config_check_field (QRS_CONFIG_FIELD_CLIENT_ID, self->client_id, FALSE, error) ||
          !qrs_config_check_field (QRS_CONFIG_FIELD_SCOPE, self->scope, FALSE, error))
        return FALSE;
    }

  if (!qrs_config_check_field (QRS_CONFIG_FIELD_PHONE_APP, self->phone_app, FALSE, error))
    return FALSE;

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
      /* The keyring is asked later, without blocking. */
      if (qrs_config_secret_from_keyring (self))
        return TRUE;

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
