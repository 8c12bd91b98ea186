/* qrs-application-kiosk.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include <glib-unix.h>

#include "qrs-application-private.h"
#include "qrs-hand-off.h"

/* The kiosk, and stopping. A kiosk's window is locked down (no controls,
 * no keys to quit, close or inspect with, a pointer that hides when it
 * rests), and each sign-in goes to the --on-success command before the
 * next code shows. SIGTERM and SIGINT are handled here for both modes: an
 * open sign-in window closes as if the person closed it; otherwise the
 * application stops, ending a running --on-success command first.
 */

/* A kiosk shows its pointer only while it moves. */
#define CURSOR_IDLE_MS 3000

/*
 * The hand-over
 */

static gboolean
welcome_over_cb (gpointer user_data)
{
  QrsApplication *self = user_data;

  g_assert (QRS_IS_APPLICATION (self));

  self->welcome_id = 0;
  qrs_sign_in_start (self->sign_in);

  return G_SOURCE_REMOVE;
}

static void
quit_if_stopped (QrsApplication *self)
{
  if (self->stopping && self->commands_running == 0)
    g_application_quit (G_APPLICATION (self));
}

static void
on_success_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(QrsApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_APPLICATION (self));

  /* A broken hook must not take the kiosk down with it. */
  if (!qrs_hand_off_run_command_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The --on-success command failed: %s", error->message);
  else if (error == NULL)
    g_debug ("The --on-success command succeeded");

  self->commands_running--;
  quit_if_stopped (self);
}

/* A kiosk hands the tokens to its --on-success command, if it has one,
 * and shows the next code after the welcome.
 */
void
_qrs_application_kiosk_hand_off (QrsApplication *self,
                                 const char     *json)
{
  g_assert (QRS_IS_APPLICATION (self));

  if (self->config->on_success != NULL)
    {
      self->commands_running++;
      qrs_hand_off_run_command_async (self->config->on_success, json,
                                      QRS_HAND_OFF_DEFAULT_TIMEOUT, self->cancellable,
                                      on_success_done_cb, g_object_ref (self));
    }

  g_clear_handle_id (&self->welcome_id, g_source_remove);
  self->welcome_id = g_timeout_add_seconds (self->config->welcome_seconds, welcome_over_cb, self);
}

/*
 * Stopping
 */

/* SIGTERM or SIGINT: in window mode, as if the window were closed; in a
 * kiosk, stop, ending a running --on-success command and its process
 * group first, so nothing of ours is left behind.
 */
static gboolean
stop_signal_cb (gpointer user_data)
{
  QrsApplication *self = user_data;
  QrsWindow *window;

  g_assert (QRS_IS_APPLICATION (self));

  g_debug ("Asked to stop");

  window = _qrs_application_get_main_window (self);
  if (window != NULL && !self->config->kiosk && !self->signed_in)
    {
      gtk_window_close (GTK_WINDOW (window));
      return G_SOURCE_CONTINUE;
    }

  self->stopping = TRUE;
  if (self->sign_in != NULL)
    qrs_sign_in_cancel (self->sign_in);
  g_cancellable_cancel (self->cancellable);
  quit_if_stopped (self);

  return G_SOURCE_CONTINUE;
}

void
_qrs_application_catch_stop_signals (QrsApplication *self)
{
  g_assert (QRS_IS_APPLICATION (self));

  self->sigterm_id = g_unix_signal_add (SIGTERM, stop_signal_cb, self);
  self->sigint_id = g_unix_signal_add (SIGINT, stop_signal_cb, self);
}

/*
 * The kiosk's window
 */

/* Debian's GTK 4.8 opens the inspector on Ctrl+Shift+I or D unless told
 * otherwise by dconf; a kiosk swallows those keys before GTK sees them.
 */
static gboolean
kiosk_key_cb (GtkEventControllerKey *controller,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              gpointer               user_data)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();

  if (mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK))
    {
      switch (gdk_keyval_to_lower (keyval))
        {
        case GDK_KEY_i:
        case GDK_KEY_d:
          return TRUE;

        default:
          break;
        }
    }

  return FALSE;
}

static gboolean
hide_cursor_cb (gpointer user_data)
{
  QrsApplication *self = user_data;
  QrsWindow *window;

  g_assert (QRS_IS_APPLICATION (self));

  self->cursor_id = 0;
  window = _qrs_application_get_main_window (self);
  if (window != NULL)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (window), "none");

  return G_SOURCE_REMOVE;
}

/* The kiosk's pointer shows while it moves and hides when it rests. */
static void
pointer_moved_cb (GtkEventControllerMotion *controller,
                  double                    x,
                  double                    y,
                  QrsApplication           *self)
{
  GtkWidget *window = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  g_assert (QRS_IS_APPLICATION (self));

  gtk_widget_set_cursor (window, NULL);
  g_clear_handle_id (&self->cursor_id, g_source_remove);
  self->cursor_id = g_timeout_add (CURSOR_IDLE_MS, hide_cursor_cb, self);
}

/* A kiosk has no window controls, no menu, no help overlay and no keys to
 * quit or close with.
 */
void
_qrs_application_make_kiosk (QrsApplication *self,
                             QrsWindow      *window)
{
  static const char *none[] = { NULL };
  static const char *actions[] = { "app.quit", "app.preferences", "window.close", "win.show-help-overlay", "win.fullscreen" };
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (kiosk_key_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (window), keys);

  g_signal_connect_object (motion, "motion", G_CALLBACK (pointer_moved_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), motion);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (window), "none");

  g_action_map_remove_action (G_ACTION_MAP (self), "quit");
  g_action_map_remove_action (G_ACTION_MAP (self), "preferences");
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), actions[i], none);
}
