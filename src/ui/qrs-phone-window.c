/* qrs-phone-window.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-emulator-enums.h"
#include "qrs-phone-window.h"

/* The demo's stand-in for a phone: it drives the in-process emulator as a
 * signed-in person's app would, and can make the server misbehave, so a
 * newcomer can walk through every state with no account.
 */
struct _QrsPhoneWindow
{
  AdwWindow parent_instance;

  QrsEmulator *emulator;

  /* Template widgets */
  AdwEntryRow *name_row;
  AdwActionRow *code_row;
  GtkLabel *message_label;
};

G_DEFINE_FINAL_TYPE (QrsPhoneWindow, qrs_phone_window, ADW_TYPE_WINDOW)

static void
say (QrsPhoneWindow *self,
     const char     *message)
{
  gtk_label_set_label (self->message_label, message);
}

static void
update_code (QrsPhoneWindow *self)
{
  g_autofree char *id = qrs_emulator_dup_newest_code_id (self->emulator);
  g_autofree char *status = id ? qrs_emulator_dup_code_status (self->emulator, id) : NULL;

  adw_action_row_set_subtitle (self->code_row, status ? status : _("None yet"));
}

static void
code_changed_cb (QrsPhoneWindow *self,
                 const char     *id,
                 const char     *status,
                 QrsEmulator    *emulator)
{
  g_assert (QRS_IS_PHONE_WINDOW (self));

  update_code (self);
}

static void
act (QrsPhoneWindow    *self,
     QrsEmulatorAction  action)
{
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  if (*name == '\0')
    name = NULL;

  if (!qrs_emulator_phone (self->emulator, NULL, action, name, NULL, &error))
    say (self, error->message);
  else
    say (self, NULL);
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  act (QRS_PHONE_WINDOW (widget), QRS_EMULATOR_ACTION_SCAN);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  act (QRS_PHONE_WINDOW (widget), QRS_EMULATOR_ACTION_CONFIRM);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  act (QRS_PHONE_WINDOW (widget), QRS_EMULATOR_ACTION_CANCEL);
}

static void
expire_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QrsPhoneWindow *self = QRS_PHONE_WINDOW (widget);

  qrs_emulator_advance_clock (self->emulator, qrs_emulator_get_qr_ttl (self->emulator));
  say (self, _("The server's clock moved past the code's lifetime."));
  update_code (self);
}

/* The target is "endpoint/mode", both as the emulator's enum nicks. */
static void
fault_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  QrsPhoneWindow *self = QRS_PHONE_WINDOW (widget);
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), "/", 2);
  g_autoptr(GEnumClass) endpoints = g_type_class_ref (QRS_TYPE_EMULATOR_ENDPOINT);
  g_autoptr(GEnumClass) modes = g_type_class_ref (QRS_TYPE_EMULATOR_FAULT);
  g_autoptr(GError) error = NULL;
  GEnumValue *endpoint, *mode;

  g_assert (g_strv_length (parts) == 2);
  endpoint = g_enum_get_value_by_nick (endpoints, parts[0]);
  mode = g_enum_get_value_by_nick (modes, parts[1]);
  g_assert (endpoint != NULL && mode != NULL);

  if (!qrs_emulator_inject_fault (self->emulator, endpoint->value, mode->value, 2, 5, 15, &error))
    say (self, error->message);
  else
    say (self, _("The server will misbehave twice."));
}

static void
qrs_phone_window_dispose (GObject *object)
{
  QrsPhoneWindow *self = QRS_PHONE_WINDOW (object);

  g_clear_object (&self->emulator);

  gtk_widget_dispose_template (GTK_WIDGET (self), QRS_TYPE_PHONE_WINDOW);

  G_OBJECT_CLASS (qrs_phone_window_parent_class)->dispose (object);
}

static void
qrs_phone_window_class_init (QrsPhoneWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qrs_phone_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/qrs-phone-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QrsPhoneWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, QrsPhoneWindow, code_row);
  gtk_widget_class_bind_template_child (widget_class, QrsPhoneWindow, message_label);

  gtk_widget_class_install_action (widget_class, "phone.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "phone.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "phone.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "phone.expire", NULL, expire_action);
  gtk_widget_class_install_action (widget_class, "phone.fault", "s", fault_action);
}

static void
qrs_phone_window_init (QrsPhoneWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

QrsPhoneWindow *
qrs_phone_window_new (GtkApplication *application,
                      QrsEmulator    *emulator)
{
  QrsPhoneWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (QRS_IS_EMULATOR (emulator), NULL);

  self = g_object_new (QRS_TYPE_PHONE_WINDOW, "application", application, NULL);
  self->emulator = g_object_ref (emulator);
  g_signal_connect_object (emulator, "code-changed", G_CALLBACK (code_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update_code (self);

  return self;
}
