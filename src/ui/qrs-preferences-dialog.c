/* qrs-preferences-dialog.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "qrs-config.h"
#include "qrs-core-enums.h"
#include "qrs-keyring.h"
#include "qrs-net.h"
#include "qrs-preferences-dialog.h"
#include "qrs-server-group.h"

/* The settings a person changes after the setup page: the same server
 * fields and checks, where the QR code comes from, and how the application
 * authenticates to the server. Everything is bound to GSettings and saved
 * as it changes; the client secret alone goes to the keyring (through the
 * Secret portal inside Flatpak), never to GSettings or a file.
 */
struct _QrsPreferencesDialog
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  /* The one keyring request in flight: a newer one cancels it. */
  GCancellable *keyring_cancellable;

  /* The groups, held until finalize where libadwaita leaks them. */
  GPtrArray *leaked_groups;

  /* Template widgets */
  QrsServerGroup *server_group;
  AdwPreferencesGroup *qr_group;
  AdwPreferencesGroup *auth_group;
  AdwComboRow *qr_source_row;
  AdwComboRow *token_auth_row;
  AdwPasswordEntryRow *secret_row;
  GtkWidget *secret_error_row;
  GtkLabel *secret_error_label;
  AdwActionRow *secret_status_row;
  GtkSpinner *secret_spinner;
  GtkButton *secret_remove_button;
};

G_DEFINE_FINAL_TYPE (QrsPreferencesDialog, qrs_preferences_dialog, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/*
 * Settings bindings
 */

typedef struct
{
  QrsServerGroup *group;
  QrsConfigField field;
} FieldBinding;

/* A field reaches GSettings only once it passes its check, so what is
 * saved always works; a half-typed address is never written.
 */
static GVariant *
set_field_if_valid (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  FieldBinding *binding = user_data;
  const char *text = g_value_get_string (value);

  if (!qrs_config_check_field (binding->field, text,
                               qrs_server_group_get_allow_insecure_http (binding->group),
                               NULL))
    return NULL;

  return g_variant_new_string (text != NULL ? text : "");
}

static void
bind_field (QrsPreferencesDialog *self,
            const char           *key,
            QrsConfigField        field)
{
  FieldBinding *binding = g_new (FieldBinding, 1);

  binding->group = self->server_group;
  binding->field = field;

  /* Three keys share one group: none of them may decide its sensitivity. */
  g_settings_bind_with_mapping (self->settings, key, self->server_group, key,
                                G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_NO_SENSITIVITY,
                                NULL, set_field_if_valid,
                                binding, g_free);
}

/* The combo rows list their choices in the order of the enum whose nicks
 * the key holds, so a position is an enum value.
 */
static gboolean
nick_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref ((GType) GPOINTER_TO_SIZE (user_data));
  GEnumValue *found = g_enum_get_value_by_nick (klass, g_variant_get_string (variant, NULL));

  if (found == NULL)
    return FALSE;

  g_value_set_uint (value, (guint) found->value);
  return TRUE;
}

static GVariant *
position_to_nick (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref ((GType) GPOINTER_TO_SIZE (user_data));
  guint position = g_value_get_uint (value);
  GEnumValue *found = position <= G_MAXINT ? g_enum_get_value (klass, (int) position) : NULL;

  return found != NULL ? g_variant_new_string (found->value_nick) : NULL;
}

static void
bind_choice (QrsPreferencesDialog *self,
             const char           *key,
             AdwComboRow          *row,
             GType                 enum_type)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_position, position_to_nick,
                                GSIZE_TO_POINTER (enum_type), NULL);
}

/*
 * The client secret
 */

typedef enum {
  SECRET_CHECKING,
  SECRET_NONE,
  SECRET_STORED,
  SECRET_SAVING,
  SECRET_REMOVING,
  SECRET_FAILED,
} SecretState;

/* What the status row says; @message is the keyring's error for
 * %SECRET_FAILED.
 */
static void
show_secret_state (QrsPreferencesDialog *self,
                   SecretState           state,
                   const char           *message)
{
  const char *subtitle = NULL;
  gboolean busy = FALSE;

  switch (state)
    {
    case SECRET_CHECKING:
      subtitle = _("Looking in the keyring…");
      busy = TRUE;
      break;

    case SECRET_NONE:
      subtitle = _("None is stored for this app.");
      break;

    case SECRET_STORED:
      subtitle = _("Stored in the keyring.");
      break;

    case SECRET_SAVING:
      subtitle = _("Saving to the keyring…");
      busy = TRUE;
      break;

    case SECRET_REMOVING:
      subtitle = _("Removing from the keyring…");
      busy = TRUE;
      break;

    case SECRET_FAILED:
    default:
      subtitle = message;
      break;
    }

  adw_action_row_set_subtitle (self->secret_status_row, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_spinner), busy);
  gtk_spinner_set_spinning (self->secret_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_remove_button), state == SECRET_STORED);
}

/* A new request makes the answer to the previous one stale. */
static GCancellable *
start_keyring_request (QrsPreferencesDialog *self)
{
  g_cancellable_cancel (self->keyring_cancellable);
  g_clear_object (&self->keyring_cancellable);
  self->keyring_cancellable = g_cancellable_new ();

  return self->keyring_cancellable;
}

static void
keyring_failed (QrsPreferencesDialog *self,
                const GError         *error)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("The keyring could not be used: %s"), error->message);
  show_secret_state (self, SECRET_FAILED, message);
}

/* The saved server and app id name the item: the secret belongs to the
 * configuration the app will start with. Both are set whenever the server
 * group is valid, since valid fields are saved at once.
 */
static gboolean
get_item (QrsPreferencesDialog  *self,
          char                 **server,
          char                 **app_id)
{
  *server = g_settings_get_string (self->settings, "server");
  *app_id = g_settings_get_string (self->settings, "app-id");

  return **server != '\0' && **app_id != '\0';
}

static void
contains_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(QrsPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  g_assert (QRS_IS_PREFERENCES_DIALOG (self));

  stored = qrs_keyring_contains_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    keyring_failed (self, error);
  else
    show_secret_state (self, stored ? SECRET_STORED : SECRET_NONE, NULL);
}

static void
refresh_secret_state (QrsPreferencesDialog *self)
{
  g_autofree char *server = NULL;
  g_autofree char *app_id = NULL;
  GCancellable *cancellable = start_keyring_request (self);

  if (!get_item (self, &server, &app_id))
    {
      show_secret_state (self, SECRET_NONE, NULL);
      return;
    }

  show_secret_state (self, SECRET_CHECKING, NULL);
  qrs_keyring_contains_async (server, app_id, cancellable,
                              contains_done_cb, g_object_ref (self));
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(QrsPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_PREFERENCES_DIALOG (self));

  if (!qrs_keyring_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        keyring_failed (self, error);
      return;
    }

  show_secret_state (self, SECRET_STORED, NULL);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Client secret saved in the keyring")));
}

/* What a client secret may be, the rule qrs-secret.c holds a secret from
 * a file or the environment to: printable ASCII, since it goes into a
 * JSON string, a form or a Basic header. It is never quoted back.
 */
static gboolean
check_secret (const char  *secret,
              GError     **error)
{
  return qrs_config_check_field (QRS_CONFIG_FIELD_CLIENT_SECRET, secret, FALSE, error);
}

/* The text without surrounding whitespace, which pasting often brings
 * along, copied once: trimming a copy in place would leave the tail of the
 * secret past its new end, where qrs_secret_free() does not wipe.
 */
static QrsSecret *
dup_trimmed (const char *text)
{
  const char *end = text + strlen (text);

  while (g_ascii_isspace (*text))
    text++;
  while (end > text && g_ascii_isspace (end[-1]))
    end--;

  return g_strndup (text, (gsize) (end - text));
}

static void
secret_apply_cb (QrsPreferencesDialog *self,
                 AdwEntryRow          *row)
{
  g_autoptr(QrsSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *app_id = NULL;

  g_assert (QRS_IS_PREFERENCES_DIALOG (self));

  secret = dup_trimmed (gtk_editable_get_text (GTK_EDITABLE (row)));
  if (!check_secret (secret, &error))
    {
      qrs_show_field_error (GTK_WIDGET (row), self->secret_error_row,
                            self->secret_error_label, error->message);
      return;
    }

  if (!get_item (self, &server, &app_id))
    return;

  qrs_keyring_store_async (server, app_id, secret, start_keyring_request (self),
                           store_done_cb, g_object_ref (self));
  show_secret_state (self, SECRET_SAVING, NULL);

  /* libsecret has its own copy now; the row's buffer wipes what it drops. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
secret_changed_cb (QrsPreferencesDialog *self,
                   AdwEntryRow          *row)
{
  g_assert (QRS_IS_PREFERENCES_DIALOG (self));

  qrs_show_field_error (GTK_WIDGET (row), self->secret_error_row,
                        self->secret_error_label, NULL);
}

static void
clear_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(QrsPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_PREFERENCES_DIALOG (self));

  if (!qrs_keyring_clear_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        keyring_failed (self, error);
      return;
    }

  show_secret_state (self, SECRET_NONE, NULL);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Client secret removed from the keyring")));
}

static void
secret_remove_clicked_cb (QrsPreferencesDialog *self,
                          GtkButton            *button)
{
  g_autofree char *server = NULL;
  g_autofree char *app_id = NULL;

  g_assert (QRS_IS_PREFERENCES_DIALOG (self));

  if (!get_item (self, &server, &app_id))
    return;

  qrs_keyring_clear_async (server, app_id, start_keyring_request (self),
                           clear_done_cb, g_object_ref (self));
  show_secret_state (self, SECRET_REMOVING, NULL);
}

/* The secret rows matter only to a method that needs a secret, and can
 * name their keyring item only while the server fields are valid.
 */
static void
update_secret_rows (QrsPreferencesDialog *self)
{
  gboolean needs_secret = adw_combo_row_get_selected (self->token_auth_row) != QRS_CLIENT_AUTH_NONE;
  gboolean valid = qrs_server_group_get_valid (self->server_group);

  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), needs_secret);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_status_row), needs_secret);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_row), valid);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_status_row), valid);
  if (!needs_secret)
    qrs_show_field_error (GTK_WIDGET (self->secret_row), self->secret_error_row,
                          self->secret_error_label, NULL);
}

/*
 * GObject
 */

static void
qrs_preferences_dialog_constructed (GObject *object)
{
  QrsPreferencesDialog *self = QRS_PREFERENCES_DIALOG (object);

  G_OBJECT_CLASS (qrs_preferences_dialog_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  g_settings_bind (self->settings, "allow-insecure-http",
                   self->server_group, "allow-insecure-http",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY);
  bind_field (self, "server", QRS_CONFIG_FIELD_SERVER);
  bind_field (self, "app-id", QRS_CONFIG_FIELD_APP_ID);
  bind_field (self, "userpool-id", QRS_CONFIG_FIELD_USERPOOL_ID);
  bind_choice (self, "qr-source", self->qr_source_row, QRS_TYPE_QR_SOURCE);
  bind_choice (self, "token-auth-method", self->token_auth_row, QRS_TYPE_CLIENT_AUTH);

  g_signal_connect_object (self->settings, "changed::server",
                           G_CALLBACK (refresh_secret_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::app-id",
                           G_CALLBACK (refresh_secret_state), self, G_CONNECT_SWAPPED);

  update_secret_rows (self);
  refresh_secret_state (self);
}

/* libadwaita before 1.2.3 keeps one reference to each group of a page,
 * taken when the window indexes the page's rows for its search and never
 * given back (fixed upstream by "preferences-page: Don't leak groups in map
 * model"). Debian 12 has 1.2.2, where the groups would outlive the window
 * with their rows and their GSettings bindings.
 */
static gboolean
adw_leaks_page_groups (void)
{
  return adw_get_major_version () == 1 &&
         (adw_get_minor_version () < 2 ||
          (adw_get_minor_version () == 2 && adw_get_micro_version () < 3));
}

/* Gives the leaked reference back, once the page is gone and the group
 * is held by nothing but that reference and ours.
 */
static void
release_leaked_group (gpointer data)
{
  GtkWidget *group = data;

  if (gtk_widget_get_parent (group) == NULL && G_OBJECT (group)->ref_count > 1)
    g_object_unref (group);
  g_object_unref (group);
}

static void
qrs_preferences_dialog_dispose (GObject *object)
{
  QrsPreferencesDialog *self = QRS_PREFERENCES_DIALOG (object);

  g_cancellable_cancel (self->keyring_cancellable);
  g_clear_object (&self->keyring_cancellable);

  if (self->leaked_groups == NULL && self->server_group != NULL && adw_leaks_page_groups ())
    {
      self->leaked_groups = g_ptr_array_new_with_free_func (release_leaked_group);
      g_ptr_array_add (self->leaked_groups, g_object_ref (self->server_group));
      g_ptr_array_add (self->leaked_groups, g_object_ref (self->qr_group));
      g_ptr_array_add (self->leaked_groups, g_object_ref (self->auth_group));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), QRS_TYPE_PREFERENCES_DIALOG);

  G_OBJECT_CLASS (qrs_preferences_dialog_parent_class)->dispose (object);
}

static void
qrs_preferences_dialog_finalize (GObject *object)
{
  QrsPreferencesDialog *self = QRS_PREFERENCES_DIALOG (object);

  /* The window and its page are gone by now. */
  g_clear_pointer (&self->leaked_groups, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (qrs_preferences_dialog_parent_class)->finalize (object);
}

static void
qrs_preferences_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  QrsPreferencesDialog *self = QRS_PREFERENCES_DIALOG (object);

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
qrs_preferences_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  QrsPreferencesDialog *self = QRS_PREFERENCES_DIALOG (object);

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
qrs_preferences_dialog_class_init (QrsPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = qrs_preferences_dialog_constructed;
  object_class->dispose = qrs_preferences_dialog_dispose;
  object_class->finalize = qrs_preferences_dialog_finalize;
  object_class->get_property = qrs_preferences_dialog_get_property;
  object_class->set_property = qrs_preferences_dialog_set_property;

  /* The io.github.qrsignin.QrSignIn settings; tests pass one over a
   * memory backend.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QRS_TYPE_SERVER_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/qrs-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, server_group);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, qr_group);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, auth_group);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, qr_source_row);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, token_auth_row);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, secret_error_row);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, secret_error_label);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, secret_status_row);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, secret_spinner);
  gtk_widget_class_bind_template_child (widget_class, QrsPreferencesDialog, secret_remove_button);
  gtk_widget_class_bind_template_callback (widget_class, update_secret_rows);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_remove_clicked_cb);
}

static void
qrs_preferences_dialog_init (QrsPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * qrs_preferences_dialog_new:
 * @settings: a #GSettings for the io.github.qrsignin.QrSignIn schema
 *
 * Returns: (transfer full): a new preferences window, not shown yet
 */
QrsPreferencesDialog *
qrs_preferences_dialog_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (QRS_TYPE_PREFERENCES_DIALOG, "settings", settings, NULL);
}

GSettings *
qrs_preferences_dialog_get_settings (QrsPreferencesDialog *self)
{
  g_return_val_if_fail (QRS_IS_PREFERENCES_DIALOG (self), NULL);

  return self->settings;
}
