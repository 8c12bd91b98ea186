/* qrs-window.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-sign-in-view.h"
#include "qrs-window.h"

/* The sign-in window: a header bar over a QrsSignInView, the keyboard
 * shortcuts and actions, and telling the model whether anybody can see it.
 * It holds the model only to hand it to the view and to its actions.
 */
struct _QrsWindow
{
  AdwApplicationWindow parent_instance;

  QrsSignIn *sign_in;
  GdkSurface *surface;
  guint kiosk : 1;

  /* Template widgets */
  AdwHeaderBar *header_bar;
  GtkMenuButton *menu_button;
  GtkStack *main_stack;
  QrsSignInView *view;
  AdwBin *setup_bin;
};

enum {
  PROP_0,
  PROP_SIGN_IN,
  PROP_KIOSK,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (QrsWindow, qrs_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

/*
 * Telling the model whether anybody can see us
 */

static gboolean
is_suspended (QrsWindow *self)
{
  gboolean suspended = FALSE;

  /* GtkWindow:suspended came with GTK 4.12; Debian's 4.8 knows only
   * minimized windows.
   */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self), "suspended") != NULL)
    g_object_get (self, "suspended", &suspended, NULL);

  return suspended;
}

static void
update_visible (QrsWindow *self)
{
  gboolean visible = gtk_widget_get_mapped (GTK_WIDGET (self)) && !is_suspended (self);

  if (self->surface != NULL && GDK_IS_TOPLEVEL (self->surface))
    visible = visible && !(gdk_toplevel_get_state (GDK_TOPLEVEL (self->surface)) & GDK_TOPLEVEL_STATE_MINIMIZED);

  if (self->sign_in != NULL)
    qrs_sign_in_set_visible (self->sign_in, visible);
}

static void
qrs_window_realize (GtkWidget *widget)
{
  QrsWindow *self = QRS_WINDOW (widget);

  GTK_WIDGET_CLASS (qrs_window_parent_class)->realize (widget);

  self->surface = gtk_native_get_surface (GTK_NATIVE (self));
  g_signal_connect_object (self->surface, "notify::state",
                           G_CALLBACK (update_visible), self, G_CONNECT_SWAPPED);
}

static void
qrs_window_unrealize (GtkWidget *widget)
{
  QrsWindow *self = QRS_WINDOW (widget);

  self->surface = NULL;

  GTK_WIDGET_CLASS (qrs_window_parent_class)->unrealize (widget);
}

static void
qrs_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (qrs_window_parent_class)->map (widget);
  update_visible (QRS_WINDOW (widget));
}

static void
qrs_window_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (qrs_window_parent_class)->unmap (widget);
  update_visible (QRS_WINDOW (widget));
}

/*
 * Actions
 */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  QrsWindow *self = QRS_WINDOW (widget);

  g_assert (QRS_IS_WINDOW (self));

  if (self->sign_in != NULL)
    qrs_sign_in_refresh (self->sign_in);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  QrsWindow *self = QRS_WINDOW (widget);

  g_assert (QRS_IS_WINDOW (self));

  if (self->sign_in != NULL)
    qrs_sign_in_retry (self->sign_in);
}

/* Escape: the person does not want to sign in. A kiosk has nobody to say so. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QrsWindow *self = QRS_WINDOW (widget);

  g_assert (QRS_IS_WINDOW (self));

  if (self->kiosk)
    return;

  gtk_window_close (GTK_WINDOW (self));
}

/* The keyboard shortcuts, built the first time they are asked for rather
 * than by GtkApplication with every window: nobody needs them to scan a
 * code. Once built, GtkApplicationWindow's own action shows them.
 */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  QrsWindow *self = QRS_WINDOW (widget);
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);

  g_assert (QRS_IS_WINDOW (self));

  if (self->kiosk)
    return;

  if (gtk_application_window_get_help_overlay (window) == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/ui/help-overlay.ui");

      gtk_application_window_set_help_overlay (window,
                                               GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  g_assert (QRS_IS_WINDOW (widget));

  if (QRS_WINDOW (widget)->kiosk)
    return;

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/*
 * GObject overrides
 */

static void
qrs_window_constructed (GObject *object)
{
  QrsWindow *self = QRS_WINDOW (object);

  G_OBJECT_CLASS (qrs_window_parent_class)->constructed (object);

  if (self->sign_in != NULL)
    qrs_sign_in_view_set_sign_in (self->view, self->sign_in);
}

static void
qrs_window_dispose (GObject *object)
{
  QrsWindow *self = QRS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), QRS_TYPE_WINDOW);
  g_clear_object (&self->sign_in);

  G_OBJECT_CLASS (qrs_window_parent_class)->dispose (object);
}

static void
qrs_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  QrsWindow *self = QRS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIGN_IN:
      g_value_set_object (value, self->sign_in);
      break;

    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  QrsWindow *self = QRS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIGN_IN:
      self->sign_in = g_value_dup_object (value);
      break;

    case PROP_KIOSK:
      qrs_window_set_kiosk (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_window_class_init (QrsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = qrs_window_constructed;
  object_class->dispose = qrs_window_dispose;
  object_class->get_property = qrs_window_get_property;
  object_class->set_property = qrs_window_set_property;

  widget_class->realize = qrs_window_realize;
  widget_class->unrealize = qrs_window_unrealize;
  widget_class->map = qrs_window_map;
  widget_class->unmap = qrs_window_unmap;

  properties[PROP_SIGN_IN] =
    g_param_spec_object ("sign-in", NULL, NULL,
                         QRS_TYPE_SIGN_IN,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QRS_TYPE_SIGN_IN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/qrs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QrsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, QrsWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, QrsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, QrsWindow, setup_bin);
  gtk_widget_class_bind_template_child (widget_class, QrsWindow, view);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
}

static void
qrs_window_init (QrsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/*
 * Public API
 */

QrsWindow *
qrs_window_new (QrsApplication *application,
                QrsSignIn      *sign_in)
{
  g_return_val_if_fail (QRS_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (sign_in == NULL || QRS_IS_SIGN_IN (sign_in), NULL);

  return g_object_new (QRS_TYPE_WINDOW,
                       "application", application,
                       "sign-in", sign_in,
                       NULL);
}

/**
 * qrs_window_set_sign_in:
 * @self: a #QrsWindow
 * @sign_in: the sign-in to show, once it exists
 *
 * Shows @sign_in, in place of the setup page if that was on show. A
 * window opened for the first run has no sign-in until the setup is done.
 */
void
qrs_window_set_sign_in (QrsWindow *self,
                        QrsSignIn *sign_in)
{
  g_return_if_fail (QRS_IS_WINDOW (self));
  g_return_if_fail (QRS_IS_SIGN_IN (sign_in));

  if (g_set_object (&self->sign_in, sign_in))
    {
      qrs_sign_in_view_set_sign_in (self->view, sign_in);
      update_visible (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN]);
    }

  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
}

/**
 * qrs_window_show_setup:
 * @self: a #QrsWindow
 * @page: the first-run page to show
 *
 * Shows @page instead of the sign-in, until qrs_window_set_sign_in().
 */
void
qrs_window_show_setup (QrsWindow *self,
                       GtkWidget *page)
{
  g_return_if_fail (QRS_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  adw_bin_set_child (self->setup_bin, page);
  gtk_stack_set_visible_child_name (self->main_stack, "setup");
}

/**
 * qrs_window_get_sign_in:
 *
 * Returns: (transfer none): the sign-in shown
 */
QrsSignIn *
qrs_window_get_sign_in (QrsWindow *self)
{
  g_return_val_if_fail (QRS_IS_WINDOW (self), NULL);

  return self->sign_in;
}

gboolean
qrs_window_get_kiosk (QrsWindow *self)
{
  g_return_val_if_fail (QRS_IS_WINDOW (self), FALSE);

  return self->kiosk;
}

/* A kiosk stays full screen whatever the compositor does. */
static void
fullscreened_cb (QrsWindow *self)
{
  g_assert (QRS_IS_WINDOW (self));

  if (self->kiosk && !gtk_window_is_fullscreen (GTK_WINDOW (self)))
    gtk_window_fullscreen (GTK_WINDOW (self));
}

/* Where no window manager acts on the full-screen request (a plain X
 * server), the window at least covers the first screen.
 */
static void
cover_first_monitor (QrsWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  if (monitor == NULL)
    return;

  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
}

/**
 * qrs_window_set_kiosk:
 * @self: a #QrsWindow
 * @kiosk: whether the window runs unattended
 *
 * A kiosk window is full screen and stays so, has no header bar, no menu
 * (F10 opens nothing) and cannot be left with Escape.
 */
void
qrs_window_set_kiosk (QrsWindow *self,
                      gboolean   kiosk)
{
  g_return_if_fail (QRS_IS_WINDOW (self));

  kiosk = !!kiosk;
  if (self->kiosk == kiosk)
    return;

  self->kiosk = kiosk;
  gtk_window_set_decorated (GTK_WINDOW (self), !kiosk);
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), !kiosk);
  gtk_menu_button_set_primary (self->menu_button, !kiosk);
  gtk_widget_set_sensitive (GTK_WIDGET (self->menu_button), !kiosk);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-help-overlay", !kiosk);
  if (kiosk)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
      cover_first_monitor (self);
      gtk_window_fullscreen (GTK_WINDOW (self));
      g_signal_connect (self, "notify::fullscreened", G_CALLBACK (fullscreened_cb), NULL);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk");
    }
  qrs_sign_in_view_set_kiosk (self->view, kiosk);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIOSK]);
}

void
qrs_window_set_service_name (QrsWindow  *self,
                             const char *service_name)
{
  g_return_if_fail (QRS_IS_WINDOW (self));

  qrs_sign_in_view_set_service_name (self->view, service_name);
}

/**
 * qrs_window_get_visible_page:
 *
 * Returns: the name of what is on show: "loading", "qr", "person",
 *   "authorized", "cancelled", "expired" or "error"
 */
const char *
qrs_window_get_visible_page (QrsWindow *self)
{
  g_return_val_if_fail (QRS_IS_WINDOW (self), NULL);

  return qrs_sign_in_view_get_visible_page (self->view);
}
