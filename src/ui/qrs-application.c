/* qrs-application.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-application.h"
#include "qrs-window.h"

struct _QrsApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (QrsApplication, qrs_application, ADW_TYPE_APPLICATION)

static void
qrs_application_activate (GApplication *app)
{
  GtkWindow *window;

  g_assert (QRS_IS_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (qrs_window_new (QRS_APPLICATION (app)));

  gtk_window_present (window);
}

static void
qrs_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  static const char *developers[] = { "The QR Sign-In developers", NULL };
  QrsApplication *self = user_data;
  GtkWindow *window;

  g_assert (QRS_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("QR Sign-In"),
                         "application-icon", APP_ID,
                         "developer-name", "The QR Sign-In developers",
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "copyright", "© 2026 The QR Sign-In developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
qrs_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  QrsApplication *self = user_data;

  g_assert (QRS_IS_APPLICATION (self));

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "about", qrs_application_about_action },
  { "quit", qrs_application_quit_action },
};

static void
qrs_application_class_init (QrsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = qrs_application_activate;
}

static void
qrs_application_init (QrsApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                         "app.quit",
                                         quit_accels);
}

/* Each run is its own sign-in with its own result, so instances never merge
 * into one: a second caller must not be handed to the first one's window.
 */
QrsApplication *
qrs_application_new (void)
{
  return g_object_new (QRS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}
