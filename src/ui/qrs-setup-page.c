/* qrs-setup-page.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-server-group.h"
#include "qrs-setup-page.h"

/* The welcome a person sees when no server is configured, for example
 * after installing the app and clicking its icon: what the app does, the
 * server details checked as they are typed, a way to test them, and the
 * demo for someone who has no server yet. "Continue" saves the details to
 * GSettings, where the next start (and the command line) finds them.
 */
struct _QrsSetupPage
{
  AdwBin parent_instance;

  GSettings *settings;

  /* Template widgets */
  QrsServerGroup *server_group;
  GtkButton *continue_button;
  GtkButton *demo_button;
};

G_DEFINE_FINAL_TYPE (QrsSetupPage, qrs_setup_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DONE,
  DEMO_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The settings keys behind the fields, the server last: whoever watches
 * the settings for a server then finds the app id already there.
 */
static const struct {
  const char *key;
  QrsConfigField field;
} keys[] = {
  { "app-id", QRS_CONFIG_FIELD_APP_ID },
  { "userpool-id", QRS_CONFIG_FIELD_USERPOOL_ID },
  { "server", QRS_CONFIG_FIELD_SERVER },
};

static void
save_and_finish (QrsSetupPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_set_string (self->settings, keys[i].key,
                           qrs_server_group_get_text (self->server_group, keys[i].field));

  qrs_server_group_cancel_test (self->server_group);
  g_signal_emit (self, signals[DONE], 0);
}

static void
continue_clicked_cb (QrsSetupPage *self,
                     GtkButton    *button)
{
  g_assert (QRS_IS_SETUP_PAGE (self));

  if (qrs_server_group_get_valid (self->server_group))
    save_and_finish (self);
}

/* Enter in the last field does what Continue does, once all is valid. */
static void
entry_activated_cb (QrsSetupPage   *self,
                    QrsServerGroup *group)
{
  g_assert (QRS_IS_SETUP_PAGE (self));

  if (qrs_server_group_get_valid (group))
    save_and_finish (self);
}

static void
demo_clicked_cb (QrsSetupPage *self,
                 GtkButton    *button)
{
  g_assert (QRS_IS_SETUP_PAGE (self));

  qrs_server_group_cancel_test (self->server_group);
  g_signal_emit (self, signals[DEMO_REQUESTED], 0);
}

static void
qrs_setup_page_constructed (GObject *object)
{
  QrsSetupPage *self = QRS_SETUP_PAGE (object);

  G_OBJECT_CLASS (qrs_setup_page_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  /* Whatever is already set (an app id without a server, say) is kept. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = g_settings_get_string (self->settings, keys[i].key);

      qrs_server_group_set_text (self->server_group, keys[i].field, value);
    }

  g_settings_bind (self->settings, "allow-insecure-http",
                   self->server_group, "allow-insecure-http",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY);
}

static void
qrs_setup_page_dispose (GObject *object)
{
  QrsSetupPage *self = QRS_SETUP_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), QRS_TYPE_SETUP_PAGE);

  G_OBJECT_CLASS (qrs_setup_page_parent_class)->dispose (object);
}

static void
qrs_setup_page_finalize (GObject *object)
{
  QrsSetupPage *self = QRS_SETUP_PAGE (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (qrs_setup_page_parent_class)->finalize (object);
}

static void
qrs_setup_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QrsSetupPage *self = QRS_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_setup_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  QrsSetupPage *self = QRS_SETUP_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_setup_page_class_init (QrsSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = qrs_setup_page_constructed;
  object_class->dispose = qrs_setup_page_dispose;
  object_class->finalize = qrs_setup_page_finalize;
  object_class->get_property = qrs_setup_page_get_property;
  object_class->set_property = qrs_setup_page_set_property;

  /* The io.github.qrsignin.QrSignIn settings the details are saved to;
   * tests pass one over a memory backend.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QrsSetupPage::done:
   *
   * The details were valid and are saved in the settings: the app can
   * start signing in with them.
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);

  /**
   * QrsSetupPage::demo-requested:
   *
   * The person asked for the built-in demo; nothing was saved.
   */
  signals[DEMO_REQUESTED] =
    g_signal_new ("demo-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (QRS_TYPE_SERVER_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/qrs-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QrsSetupPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, QrsSetupPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, QrsSetupPage, demo_button);
  gtk_widget_class_bind_template_callback (widget_class, continue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, demo_clicked_cb);
}

static void
qrs_setup_page_init (QrsSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * qrs_setup_page_new:
 * @settings: a #GSettings for the io.github.qrsignin.QrSignIn schema
 *
 * Returns: (transfer floating): a new setup page
 */
GtkWidget *
qrs_setup_page_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (QRS_TYPE_SETUP_PAGE, "settings", settings, NULL);
}

GSettings *
qrs_setup_page_get_settings (QrsSetupPage *self)
{
  g_return_val_if_fail (QRS_IS_SETUP_PAGE (self), NULL);

  return self->settings;
}
