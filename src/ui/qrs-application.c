/* qrs-application.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "qrs-application-private.h"
#include "qrs-hand-off.h"
#include "qrs-keyring.h"
#include "qrs-phone-window.h"
#include "qrs-preferences-dialog.h"
#include "qrs-provider-factory.h"
#include "qrs-setup-page.h"
#include "qrs-trace.h"

/* QrsApplication's command line and settings, the provider, the sign-in
 * model and the window, the hand-over in window mode (JSON on stdout and
 * an exit status), the first-run setup and the application's actions. The
 * kiosk and the stop signals are in qrs-application-kiosk.c.
 */

/* How long "Signed in as …" stays on screen in window mode after the tokens
 * went out, so the person can read that it worked.
 */
#define SIGNED_IN_LINGER_MS 1500

G_DEFINE_FINAL_TYPE (QrsApplication, qrs_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The GenAuth sign-in server, e.g. https://example.genauth.ai"), N_("URL") },
  { "app-id", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The application's id on the sign-in server"), N_("ID") },
  { "userpool-id", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The user pool's id, if the server wants it"), N_("ID") },
  { "issuer", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Sign in with an OpenID provider’s device flow (RFC 8628) instead, e.g. https://login.example.com"), N_("URL") },
  { "client-id", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The client id registered at the OpenID provider"), N_("ID") },
  { "scope", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The scope to ask the OpenID provider for (default: openid profile offline_access)"), N_("SCOPE") },
  { "phone-app", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The name of the phone app the steps on screen name (default: GenAuth)"), N_("NAME") },
  { "qr-source", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the server's QR image (server) or encode it here (local)"), N_("server|local") },
  { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run unattended and full screen, one sign-in after another"), NULL },
  { "on-success", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("In kiosk mode, run COMMAND after each sign-in with the tokens on its standard input"), N_("COMMAND") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Sign in against a built-in pretend server, with a pretend phone"), NULL },
  { "allow-insecure-http", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Allow a server address with plain http:// on another computer"), NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Describe what happens on standard error (never tokens)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  /* Collected so that a stray word is refused in one sentence, instead of
   * GApplication's critical about opening files.
   */
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
  { NULL }
};

/*
 * Configuration
 */

/* Settings are optional: running from the build tree, or with the schema
 * not installed, the command line alone decides.
 */
static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("No GSettings schema %s: using the command line only", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

/* A first run: no server configured anywhere, and nobody but the person
 * at the screen to configure one. A script that names a server on the
 * command line, or a kiosk, still gets exit status 2 and one sentence.
 */
static gboolean
can_set_up (QrsApplication *self,
            GVariantDict   *options,
            const GError   *error)
{
  static const char * const provider_options[] = {
    "server", "app-id", "userpool-id", "issuer", "client-id", NULL
  };

  if (!g_error_matches (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_SERVER) &&
      !g_error_matches (error, QRS_CONFIG_ERROR, QRS_CONFIG_ERROR_NO_APP_ID))
    return FALSE;

  if (self->settings == NULL || self->config->kiosk || self->config->demo ||
      self->config->provider != QRS_PROVIDER_KIND_GENAUTH)
    return FALSE;

  for (guint i = 0; provider_options[i] != NULL; i++)
    if (g_variant_dict_contains (options, provider_options[i]))
      return FALSE;

  return TRUE;
}

/* The display's settings are made now, with the empty theme main() put in
 * GTK_THEME, and the variable goes before libadwaita's start-up reads it.
 * Other threads exist by now (GDBus, dconf, Mesa's), but none of them
 * reads the environment at this point, and glibc's unsetenv() only moves
 * pointers within the array: gnome-settings-daemon does the same.
 */
static void
take_back_theme (QrsApplication *self)
{
  if (!self->theme_lent)
    return;

  gtk_settings_get_default ();
  g_unsetenv ("GTK_THEME");
  self->theme_lent = FALSE;
}

/*
 * Resources
 *
 * The application has no resource base path, so GtkApplication and
 * AdwApplication load nothing by themselves at startup. GtkApplication
 * would add the path's icons/ to the display's icon theme, which creates
 * the icon theme and starts reading its indexes in a thread; libadwaita's
 * own resource path, added a few milliseconds later, then waits for that
 * reading to finish and throws it away, and the first icon on screen reads
 * the theme again (about 20 ms before the first frame on a 2-core
 * machine). With libadwaita alone adding its path, right after creating
 * the icon theme, the one reading happens in a thread while libadwaita
 * parses its stylesheet.
 */

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* The application's icon is in the system's icon theme once it is
 * installed; run from the build tree it is only in the resources. Adding
 * a resource path makes the icon theme read everything again, so that
 * happens only for the pages that show the icon, and only when the theme
 * does not have it.
 */
static void
ensure_app_icon (void)
{
  const char *path = RESOURCE_BASE_PATH "/icons";
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_auto(GStrv) paths = gtk_icon_theme_get_resource_path (theme);

  if ((paths != NULL && g_strv_contains ((const char * const *) paths, path)) ||
      gtk_icon_theme_has_icon (theme, APP_ID))
    return;

  gtk_icon_theme_add_resource_path (theme, path);
}

static int
qrs_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  QrsApplication *self = QRS_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  self->options_handled = TRUE;
  qrs_trace_mark ("options parsed");

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("qr-signin %s\n", PACKAGE_VERSION);
      self->exit_status = QRS_EXIT_SIGNED_IN;
      return 0;
    }

  if (g_variant_dict_contains (options, G_OPTION_REMAINING))
    {
      g_autofree const char **words = NULL;

      g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &words);
      g_printerr (_("qr-signin takes no words after its options, but was given “%s”: see “qr-signin --help”.\n"),
                  words != NULL && words[0] != NULL ? words[0] : "");
      return QRS_EXIT_USAGE;
    }

  if (g_variant_dict_contains (options, "verbose"))
    g_log_set_debug_enabled (TRUE);

  self->config = qrs_config_new ();
  self->settings = lookup_settings ();
  if (self->settings != NULL)
    qrs_config_load_settings (self->config, self->settings);
  qrs_trace_mark ("settings read");

  if (!qrs_config_apply_options (self->config, options, &error))
    {
      g_printerr ("%s\n", error->message);
      return QRS_EXIT_USAGE;
    }

  /* A person's window may keep its client secret in the keyring. */
  self->config->keyring = !self->config->kiosk && self->settings != NULL;

  if (!qrs_config_validate (self->config, &error))
    {
      if (!can_set_up (self, options, error))
        {
          g_printerr ("%s\n", error->message);
          return QRS_EXIT_USAGE;
        }
      g_debug ("Nothing configured: the window opens on the setup page");
      self->needs_setup = TRUE;
    }

  /* The tokens go to standard output: a sign-in window without one would
   * make the person sign in for nothing. main() put /dev/null in its place.
   */
  if (self->stdout_closed && !self->config->kiosk)
    {
      g_printerr ("%s\n", _("Standard output is closed, and that is where qr-signin writes the tokens: run it with its output going somewhere."));
      return QRS_EXIT_USAGE;
    }

  /* Better one sentence now than GTK's exit after its own message. */
  qrs_trace_mark ("configuration checked");
  if (!gtk_init_check ())
    {
      g_printerr ("%s\n", _("No display can be opened: qr-signin needs a graphical session (WAYLAND_DISPLAY or DISPLAY)."));
      return QRS_EXIT_USAGE;
    }
  qrs_trace_mark ("display opened (gtk_init_check)");
  take_back_theme (self);

  return -1;
}

/* The sign-in window, if it is open: the application holds no reference
 * of its own, so a closed window is never used by mistake.
 */
QrsWindow *
_qrs_application_get_main_window (QrsApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (QRS_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

/*
 * The hand-over
 */

static gboolean
quit_cb (gpointer user_data)
{
  QrsApplication *self = user_data;

  g_assert (QRS_IS_APPLICATION (self));

  self->linger_id = 0;
  g_application_quit (G_APPLICATION (self));

  return G_SOURCE_REMOVE;
}

static void
finished_cb (QrsApplication *self,
             QrsTokenSet    *token_set,
             QrsSignIn      *sign_in)
{
  g_autoptr(QrsHandOffJson) json = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_APPLICATION (self));
  g_assert (QRS_IS_SIGN_IN (sign_in));

  json = qrs_hand_off_to_json (token_set,
                               qrs_sign_in_get_display_name (sign_in),
                               qrs_sign_in_get_photo_url (sign_in));

  if (self->config->kiosk)
    {
      _qrs_application_kiosk_hand_off (self, json);
      return;
    }

  if (!qrs_hand_off_write (STDOUT_FILENO, json, &error))
    {
      g_printerr ("%s\n", error->message);
      self->exit_status = QRS_EXIT_GAVE_UP;
    }
  else
    {
      self->exit_status = QRS_EXIT_SIGNED_IN;
    }

  self->signed_in = TRUE;
  self->linger_id = g_timeout_add (SIGNED_IN_LINGER_MS, quit_cb, self);
}

/* Closing the window ends the sign-in: declined or abandoned (1), or
 * failed (3). A kiosk window cannot be closed.
 */
static gboolean
close_request_cb (QrsApplication *self,
                  GtkWindow      *window)
{
  g_assert (QRS_IS_APPLICATION (self));

  if (self->config->kiosk)
    return TRUE;

  if (!self->signed_in && self->sign_in != NULL)
    {
      switch (qrs_sign_in_get_status (self->sign_in))
        {
        case QRS_SIGN_IN_STATUS_ERROR:
        case QRS_SIGN_IN_STATUS_EXPIRED:
          self->exit_status = QRS_EXIT_GAVE_UP;
          break;

        case QRS_SIGN_IN_STATUS_LOADING:
        case QRS_SIGN_IN_STATUS_PENDING:
        case QRS_SIGN_IN_STATUS_SCANNED:
        case QRS_SIGN_IN_STATUS_AUTHORIZED:
        case QRS_SIGN_IN_STATUS_CANCELLED:
        default:
          self->exit_status = QRS_EXIT_CANCELLED;
          break;
        }
      qrs_sign_in_cancel (self->sign_in);
    }

  g_application_quit (G_APPLICATION (self));

  return FALSE;
}

/* What the steps on screen name: the phone app to scan with, or for the
 * device flow the service the person signs in to, by its host.
 */
static char *
service_name (QrsApplication *self)
{
  g_autoptr(GUri) uri = NULL;

  if (self->config->provider == QRS_PROVIDER_KIND_DEVICE_FLOW && !self->config->demo)
    {
      uri = g_uri_parse (self->config->issuer, G_URI_FLAGS_NONE, NULL);
      if (uri != NULL && g_uri_get_host (uri) != NULL)
        return g_strdup (g_uri_get_host (uri));
    }

  return g_strdup (self->config->phone_app);
}

/*
 * GApplication overrides
 */

static gboolean
start_demo (QrsApplication  *self,
            GError         **error)
{
  self->emulator = qrs_emulator_new ();
  if (!qrs_emulator_start (self->emulator, 0, error))
    return FALSE;

  /* The pretend server stands in for whatever was configured. */
  g_free (self->config->server);
  self->config->server = g_strdup (qrs_emulator_get_base_url (self->emulator));
  g_free (self->config->app_id);
  self->config->app_id = g_strdup (qrs_emulator_get_app_id (self->emulator));
  g_free (self->config->userpool_id);
  self->config->userpool_id = g_strdup (qrs_emulator_get_userpool_id (self->emulator));
  self->config->provider = QRS_PROVIDER_KIND_GENAUTH;
  self->config->token_auth_method = QRS_CLIENT_AUTH_NONE;
  g_message ("Demo server at %s", self->config->server);

  return TRUE;
}

/* The provider and the model for the configuration: the demo's emulator
 * first if asked for.
 */
static gboolean
create_sign_in (QrsApplication  *self,
                const char      *client_secret,
                GError         **error)
{
  if (self->config->demo && self->emulator == NULL && !start_demo (self, error))
    return FALSE;

  self->provider = qrs_provider_factory_create_with_secret (self->config, client_secret, error);
  if (self->provider == NULL)
    return FALSE;

  self->sign_in = g_object_new (QRS_TYPE_SIGN_IN,
                                "provider", self->provider,
                                "kiosk", self->config->kiosk,
                                "auto-refresh-cap", self->config->auto_refresh_cap,
                                "fetch-qr-image", self->config->qr_source == QRS_QR_SOURCE_SERVER,
                                NULL);
  g_signal_connect_object (self->sign_in, "finished", G_CALLBACK (finished_cb),
                           self, G_CONNECT_SWAPPED);

  return TRUE;
}

static QrsWindow *
open_window (QrsApplication *self)
{
  QrsWindow *window;

  qrs_trace_mark ("building the window");
  window = qrs_window_new (self, NULL);
  qrs_trace_mark ("window built");

  qrs_window_set_kiosk (window, self->config->kiosk);
  {
    g_autofree char *name = service_name (self);

    qrs_window_set_service_name (window, name);
  }
  g_signal_connect_object (window, "close-request", G_CALLBACK (close_request_cb),
                           self, G_CONNECT_SWAPPED);

  if (self->config->kiosk)
    _qrs_application_make_kiosk (self, window);

  gtk_window_present (GTK_WINDOW (window));
  qrs_trace_mark ("window presented");

  if (self->config->kiosk)
    self->inhibit_cookie = gtk_application_inhibit (GTK_APPLICATION (self),
                                                    GTK_WINDOW (window),
                                                    GTK_APPLICATION_INHIBIT_IDLE,
                                                    _("Showing a sign-in code"));

  return window;
}

/* The sign-in on screen (and the demo's phone beside it). */
static void
show_sign_in (QrsApplication *self,
              QrsWindow      *window)
{
  qrs_window_set_sign_in (window, self->sign_in);

  if (self->emulator != NULL)
    gtk_window_present (GTK_WINDOW (qrs_phone_window_new (GTK_APPLICATION (self), self->emulator)));
}

static gboolean
open_window_cb (gpointer user_data)
{
  QrsApplication *self = user_data;

  g_assert (QRS_IS_APPLICATION (self));

  self->open_window_id = 0;
  if (!self->stopping)
    show_sign_in (self, open_window (self));
  g_application_release (G_APPLICATION (self));

  return G_SOURCE_REMOVE;
}

/* The first code asked for, and the sign-in on screen. A new window is
 * built once the request is on its way and the main loop has nothing
 * more urgent: building and showing it takes a while (styles, text, a
 * surface), a nearby server answers meanwhile, and the code is in the
 * window's first frame rather than in a second one after it. A slow or
 * distant server delays nothing: the window then shows at once, waiting
 * for the code.
 */
static void
begin (QrsApplication *self,
       QrsWindow      *window)
{
  qrs_sign_in_start (self->sign_in);
  qrs_trace_mark ("first code asked for");

  if (window != NULL)
    {
      show_sign_in (self, window);
      return;
    }

  if (self->open_window_id == 0)
    {
      g_application_hold (G_APPLICATION (self));
      self->open_window_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, open_window_cb, self, NULL);
    }
}

/* What a failure to start means: one sentence and exit status 2 (a bad
 * configuration), or 3 (the demo could not start).
 */
static void
fail_to_start (QrsApplication *self,
               const GError   *error)
{
  g_printerr ("%s\n", error->message);
  self->exit_status = self->config->demo ? QRS_EXIT_GAVE_UP : QRS_EXIT_USAGE;
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(QrsApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_APPLICATION (self));

  /* A provider that cannot work as configured (an OpenID provider
   * without the device flow, say): one sentence, exit 2, no window. A
   * network failure is no verdict: the window says it and tries again.
   */
  if (!qrs_provider_prepare_finish (QRS_PROVIDER (object), result, &error) &&
      g_error_matches (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG))
    fail_to_start (self, error);
  else if (!self->stopping)
    begin (self, NULL);

  g_application_release (G_APPLICATION (self));
}

static void
start_or_fail (QrsApplication *self,
               QrsWindow      *window,
               const char     *client_secret)
{
  g_autoptr(GError) error = NULL;

  if (!create_sign_in (self, client_secret, &error))
    {
      fail_to_start (self, error);
      if (window != NULL)
        gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  /* A window that may still exit 2 opens only once the provider has
   * learnt what it can; a kiosk shows at once and keeps trying.
   */
  if (window == NULL && !self->config->kiosk)
    {
      g_application_hold (G_APPLICATION (self));
      qrs_provider_prepare_async (self->provider, self->cancellable, prepared_cb, g_object_ref (self));
      return;
    }

  begin (self, window);
}

static void
keyring_secret_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(QrsApplication) self = user_data;
  g_autoptr(QrsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_APPLICATION (self));

  secret = qrs_keyring_lookup_finish (result, &error);
  if (secret == NULL)
    {
      if (error != NULL)
        g_debug ("No client secret from the keyring: %s", error->message);
      /* Nowhere to be found: the configuration's own sentence. */
      self->config->keyring = FALSE;
      if (!qrs_config_validate (self->config, &error))
        fail_to_start (self, error);
    }
  else
    {
      start_or_fail (self, _qrs_application_get_main_window (self), secret);
    }

  g_application_release (G_APPLICATION (self));
}

/* The sign-in once the configuration is complete: with the client secret
 * from the keyring when that is where it is kept.
 */
static void
start_when_ready (QrsApplication *self,
                  QrsWindow      *window)
{
  if (qrs_config_secret_from_keyring (self->config))
    {
      g_application_hold (G_APPLICATION (self));
      qrs_keyring_lookup_async (self->config->server, self->config->app_id, self->cancellable,
                                keyring_secret_cb, g_object_ref (self));
      return;
    }

  start_or_fail (self, window, NULL);
}

static void
setup_done_cb (QrsApplication *self,
               QrsSetupPage   *page)
{
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_APPLICATION (self));

  /* The page saved what it checked: the provider's settings come from it,
   * everything else stays as the command line left it.
   */
  g_clear_pointer (&self->config->server, g_free);
  g_clear_pointer (&self->config->app_id, g_free);
  g_clear_pointer (&self->config->userpool_id, g_free);
  self->config->server = g_settings_get_string (self->settings, "server");
  self->config->app_id = g_settings_get_string (self->settings, "app-id");
  self->config->userpool_id = g_settings_get_string (self->settings, "userpool-id");
  if (*self->config->userpool_id == '\0')
    g_clear_pointer (&self->config->userpool_id, g_free);

  if (!qrs_config_validate (self->config, &error))
    {
      g_warning ("The setup saved a configuration that does not work: %s", error->message);
      return;
    }

  self->needs_setup = FALSE;
  start_when_ready (self, _qrs_application_get_main_window (self));
}

static void
setup_demo_cb (QrsApplication *self,
               QrsSetupPage   *page)
{
  g_assert (QRS_IS_APPLICATION (self));

  self->config->demo = TRUE;
  self->needs_setup = FALSE;
  start_or_fail (self, _qrs_application_get_main_window (self), NULL);
}

static void
show_setup (QrsApplication *self,
            QrsWindow      *window)
{
  GtkWidget *page;

  ensure_app_icon ();
  page = qrs_setup_page_new (self->settings);

  g_signal_connect_object (page, "done", G_CALLBACK (setup_done_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "demo-requested", G_CALLBACK (setup_demo_cb), self, G_CONNECT_SWAPPED);
  qrs_window_show_setup (window, page);
}

static void
qrs_application_activate (GApplication *app)
{
  QrsApplication *self = QRS_APPLICATION (app);
  QrsWindow *window;

  g_assert (self->config != NULL);
  qrs_trace_mark ("activated");

  window = _qrs_application_get_main_window (self);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  if (self->needs_setup)
    {
      show_setup (self, open_window (self));
      return;
    }

  /* A configuration the provider refuses: no window, one sentence. */
  start_when_ready (self, NULL);
}

static void
qrs_application_startup (GApplication *app)
{
  QrsApplication *self = QRS_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *refresh_accels[] = { "<Control>r", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", NULL };

  qrs_trace_mark ("registered on the session bus");
  G_APPLICATION_CLASS (qrs_application_parent_class)->startup (app);
  load_style ();
  qrs_trace_mark ("GTK and libadwaita initialised");

  /* Application accelerators, so the shortcuts window can show them. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_overlay_accels);

  _qrs_application_catch_stop_signals (self);
}

static void
qrs_application_shutdown (GApplication *app)
{
  QrsApplication *self = QRS_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->welcome_id, g_source_remove);
  if (self->open_window_id != 0)
    {
      g_clear_handle_id (&self->open_window_id, g_source_remove);
      g_application_release (app);
    }
  g_clear_handle_id (&self->linger_id, g_source_remove);
  g_clear_handle_id (&self->cursor_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  if (self->inhibit_cookie != 0)
    gtk_application_uninhibit (GTK_APPLICATION (self), self->inhibit_cookie);
  self->inhibit_cookie = 0;
  if (self->sign_in != NULL)
    qrs_sign_in_cancel (self->sign_in);

  G_APPLICATION_CLASS (qrs_application_parent_class)->shutdown (app);
}

static void
qrs_application_dispose (GObject *object)
{
  QrsApplication *self = QRS_APPLICATION (object);

  g_clear_object (&self->sign_in);
  g_clear_object (&self->provider);
  if (self->emulator != NULL)
    qrs_emulator_stop (self->emulator);
  g_clear_object (&self->emulator);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->config, qrs_config_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (qrs_application_parent_class)->dispose (object);
}

/*
 * Actions
 */

static void
qrs_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  static const char *developers[] = { "The QR Sign-In developers", NULL };
  QrsApplication *self = user_data;

  g_assert (QRS_IS_APPLICATION (self));

  ensure_app_icon ();
  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("QR Sign-In"),
                         "application-icon", APP_ID,
                         "developer-name", "The QR Sign-In developers",
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "copyright", "© 2026 The QR Sign-In developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/qrsignin/qr-signin",
                         "issue-url", "https://github.com/qrsignin/qr-signin/issues",
                         /* Translators: your names, one per line, e.g. "Jane Doe <jane@example.com>". */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
qrs_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  QrsApplication *self = user_data;
  QrsWindow *window;

  g_assert (QRS_IS_APPLICATION (self));

  window = _qrs_application_get_main_window (self);
  if (window != NULL)
    gtk_window_close (GTK_WINDOW (window));
  else
    g_application_quit (G_APPLICATION (self));
}

static void
qrs_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  QrsApplication *self = user_data;
  QrsPreferencesDialog *dialog;

  g_assert (QRS_IS_APPLICATION (self));

  if (self->settings == NULL || self->config->kiosk)
    return;

  dialog = qrs_preferences_dialog_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (_qrs_application_get_main_window (self)));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry app_actions[] = {
  { "about", qrs_application_about_action },
  { "preferences", qrs_application_preferences_action },
  { "quit", qrs_application_quit_action },
};

static void
qrs_application_class_init (QrsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = qrs_application_dispose;

  app_class->handle_local_options = qrs_application_handle_local_options;
  app_class->startup = qrs_application_startup;
  app_class->activate = qrs_application_activate;
  app_class->shutdown = qrs_application_shutdown;
}

static void
qrs_application_init (QrsApplication *self)
{
  self->exit_status = QRS_EXIT_CANCELLED;
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Sign in by scanning a QR code with your phone."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("On success the tokens are written to standard output as one JSON object. "
                                                  "Exit status: 0 signed in, 1 cancelled, 2 bad usage, 3 gave up. "
                                                  "A client secret is read from $QRS_CLIENT_SECRET or the client-secret-file setting, never from the command line."));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
}

/* Each run is its own sign-in with its own result, so instances never merge
 * into one: a second caller must not be handed to the first one's window.
 */
QrsApplication *
qrs_application_new (void)
{
  QrsApplication *self = g_object_new (QRS_TYPE_APPLICATION,
                                       "application-id", APP_ID,
                                       "flags", G_APPLICATION_NON_UNIQUE,
                                       NULL);

  /* No automatic resources (GApplication derives the path from the id):
   * startup loads the stylesheet, and the icons are added when needed.
   * See "Resources" above.
   */
  g_application_set_resource_base_path (G_APPLICATION (self), NULL);

  return self;
}

/**
 * qrs_application_set_stdout_closed:
 *
 * Tells the application that standard output was closed when the program
 * started (main() then put /dev/null in its place): a sign-in window
 * refuses to start, since nobody would get the tokens.
 */
void
qrs_application_set_stdout_closed (QrsApplication *self,
                                   gboolean        closed)
{
  g_return_if_fail (QRS_IS_APPLICATION (self));

  self->stdout_closed = !!closed;
}

/**
 * qrs_application_set_theme_lent:
 *
 * Tells the application that main() set GTK_THEME to GTK's empty theme
 * for the display's settings to be made with: it is unset once they are.
 */
void
qrs_application_set_theme_lent (QrsApplication *self,
                                gboolean        lent)
{
  g_return_if_fail (QRS_IS_APPLICATION (self));

  self->theme_lent = !!lent;
}

/**
 * qrs_application_get_exit_status:
 *
 * Returns: what the process should exit with, a #QrsExitStatus
 */
int
qrs_application_get_exit_status (QrsApplication *self)
{
  g_return_val_if_fail (QRS_IS_APPLICATION (self), QRS_EXIT_GAVE_UP);

  /* GApplication could not even parse the command line (it said why). */
  if (!self->options_handled)
    return QRS_EXIT_USAGE;

  return self->exit_status;
}
