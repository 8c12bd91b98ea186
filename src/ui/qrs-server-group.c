/* qrs-server-group.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-provider-factory.h"
#include "qrs-server-group.h"

/* The server address, app id and user pool id, as the setup page and the
 * preferences both ask for them: each checked as it is typed, with the
 * command line's rules and words (qrs_config_check_field()), and a "Test
 * Connection" row that asks the server for one sign-in code.
 */

/* The fields this group shows, in the order of QrsConfigField. */
#define N_FIELDS (QRS_CONFIG_FIELD_USERPOOL_ID + 1)

typedef struct
{
  AdwEntryRow *row;
  GtkWidget *error_row;
  GtkLabel *error_label;
  gboolean valid;
} Field;

struct _QrsServerGroup
{
  AdwPreferencesGroup parent_instance;

  Field fields[N_FIELDS];

  /* Template widgets */
  AdwActionRow *test_row;
  GtkImage *test_icon;
  GtkSpinner *test_spinner;
  GtkButton *test_button;

  /* The test in flight: its provider tells its answer from a stale one. */
  QrsProvider *test_provider;
  GCancellable *test_cancellable;

  gboolean allow_insecure_http;
  gboolean valid;
};

G_DEFINE_FINAL_TYPE (QrsServerGroup, qrs_server_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_APP_ID,
  PROP_USERPOOL_ID,
  PROP_ALLOW_INSECURE_HTTP,
  PROP_VALID,
  PROP_TESTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The property of each field: they are declared in QrsConfigField order. */
#define FIELD_PROP(field) (PROP_SERVER + (field))

/**
 * qrs_show_field_error:
 * @row: an entry row
 * @error_row: the row under it that holds @error_label
 * @error_label: where the sentence goes
 * @message: (nullable): what is wrong with the row's text, or %NULL if
 *   nothing is
 *
 * Shows @message under @row, marks @row as in error, and tells assistive
 * technologies why; %NULL takes all of it away again.
 */
void
qrs_show_field_error (GtkWidget  *row,
                      GtkWidget  *error_row,
                      GtkLabel   *error_label,
                      const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (row));
  g_return_if_fail (GTK_IS_WIDGET (error_row));
  g_return_if_fail (GTK_IS_LABEL (error_label));

  gtk_label_set_label (error_label, message);
  gtk_widget_set_visible (error_row, message != NULL);

  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static const char *
get_text (QrsServerGroup *self,
          QrsConfigField  field)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->fields[field].row));
}

static void
set_text (QrsServerGroup *self,
          QrsConfigField  field,
          const char     *text)
{
  if (text == NULL)
    text = "";

  /* The row's "changed" checks it and notifies. */
  if (g_strcmp0 (get_text (self, field), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->fields[field].row), text);
}

/* An empty field is not wrong yet, only not filled in: it keeps the form
 * from being valid without scolding someone who has not typed anything.
 */
static void
check_field (QrsServerGroup *self,
             QrsConfigField  field)
{
  Field *f = &self->fields[field];
  const char *text = get_text (self, field);
  g_autoptr(GError) error = NULL;

  f->valid = qrs_config_check_field (field, text, self->allow_insecure_http, &error);
  qrs_show_field_error (GTK_WIDGET (f->row), f->error_row, f->error_label,
                        f->valid || *text == '\0' ? NULL : error->message);
}

static void
update_test_button (QrsServerGroup *self)
{
  gboolean testing = self->test_provider != NULL;

  gtk_button_set_label (self->test_button, testing ? _("_Cancel") : _("_Test"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), testing || self->valid);
}

static void
update_valid (QrsServerGroup *self)
{
  gboolean valid = TRUE;

  for (guint i = 0; i < N_FIELDS; i++)
    valid = valid && self->fields[i].valid;

  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }

  update_test_button (self);
}

/* What the test row says: the hint (@message %NULL), or how it went. */
static void
show_test_result (QrsServerGroup *self,
                  const char     *message,
                  gboolean        success)
{
  GtkWidget *icon = GTK_WIDGET (self->test_icon);

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");

  if (message == NULL)
    {
      adw_action_row_set_subtitle (self->test_row, _("Ask the server for a sign-in code."));
      gtk_widget_set_visible (icon, FALSE);
      return;
    }

  adw_action_row_set_subtitle (self->test_row, message);
  gtk_image_set_from_icon_name (self->test_icon, success ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_add_css_class (icon, success ? "success" : "error");
  gtk_widget_set_visible (icon, TRUE);
}

static void
set_testing (QrsServerGroup *self,
             QrsProvider    *provider)
{
  gboolean was_testing = self->test_provider != NULL;

  if (provider == NULL)
    g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  g_set_object (&self->test_provider, provider);
  if (provider != NULL)
    self->test_cancellable = g_cancellable_new ();

  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), provider != NULL);
  gtk_spinner_set_spinning (self->test_spinner, provider != NULL);
  update_test_button (self);

  if (was_testing != (provider != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTING]);
}

static void
field_changed_cb (QrsServerGroup *self,
                  AdwEntryRow    *row)
{
  g_assert (QRS_IS_SERVER_GROUP (self));

  for (guint i = 0; i < N_FIELDS; i++)
    {
      if (self->fields[i].row != row)
        continue;

      /* A test of the old details would answer for the wrong ones, and
       * the last answer was about them too.
       */
      qrs_server_group_cancel_test (self);
      show_test_result (self, NULL, FALSE);

      check_field (self, i);
      update_valid (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[FIELD_PROP (i)]);
      return;
    }

  g_assert_not_reached ();
}

static void
entry_activated_cb (QrsServerGroup *self,
                    AdwEntryRow    *row)
{
  g_assert (QRS_IS_SERVER_GROUP (self));

  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0);
}

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(QrsServerGroup) self = user_data;
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_SERVER_GROUP (self));

  code = qrs_provider_create_code_finish (QRS_PROVIDER (object), result, &error);

  /* Cancelled, or superseded by a newer test: that one speaks. */
  if (self->test_provider != QRS_PROVIDER (object) || qrs_provider_error_is_cancelled (error))
    return;

  set_testing (self, NULL);
  if (code != NULL)
    show_test_result (self, _("Connected: the server made a sign-in code"), TRUE);
  else
    show_test_result (self, error->message, FALSE);
}

static void
test_clicked_cb (QrsServerGroup *self,
                 GtkButton      *button)
{
  g_assert (QRS_IS_SERVER_GROUP (self));

  if (qrs_server_group_get_testing (self))
    qrs_server_group_cancel_test (self);
  else
    qrs_server_group_test_connection (self);
}

/* Taken out of its window (closed, or the setup done): nobody is waiting
 * for the answer any more.
 */
static void
qrs_server_group_unroot (GtkWidget *widget)
{
  QrsServerGroup *self = QRS_SERVER_GROUP (widget);

  if (self->test_provider != NULL)
    set_testing (self, NULL);

  GTK_WIDGET_CLASS (qrs_server_group_parent_class)->unroot (widget);
}

static void
qrs_server_group_dispose (GObject *object)
{
  QrsServerGroup *self = QRS_SERVER_GROUP (object);

  if (self->test_provider != NULL)
    set_testing (self, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), QRS_TYPE_SERVER_GROUP);

  G_OBJECT_CLASS (qrs_server_group_parent_class)->dispose (object);
}

static void
qrs_server_group_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QrsServerGroup *self = QRS_SERVER_GROUP (object);

  switch (prop_id)
    {
    case PROP_SERVER:
    case PROP_APP_ID:
    case PROP_USERPOOL_ID:
      g_value_set_string (value, get_text (self, prop_id - PROP_SERVER));
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      g_value_set_boolean (value, self->allow_insecure_http);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    case PROP_TESTING:
      g_value_set_boolean (value, qrs_server_group_get_testing (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_server_group_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QrsServerGroup *self = QRS_SERVER_GROUP (object);

  switch (prop_id)
    {
    case PROP_SERVER:
    case PROP_APP_ID:
    case PROP_USERPOOL_ID:
      set_text (self, prop_id - PROP_SERVER, g_value_get_string (value));
      break;

    case PROP_ALLOW_INSECURE_HTTP:
      qrs_server_group_set_allow_insecure_http (self, g_value_get_boolean (value));
      break;

    case PROP_VALID:
    case PROP_TESTING:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_server_group_class_init (QrsServerGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qrs_server_group_dispose;
  object_class->get_property = qrs_server_group_get_property;
  object_class->set_property = qrs_server_group_set_property;

  widget_class->unroot = qrs_server_group_unroot;

  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_USERPOOL_ID] =
    g_param_spec_string ("userpool-id", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* The command line's --allow-insecure-http, or its GSettings key. */
  properties[PROP_ALLOW_INSECURE_HTTP] =
    g_param_spec_boolean ("allow-insecure-http", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* Whether every field passes its check: what a Continue button needs. */
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_TESTING] =
    g_param_spec_boolean ("testing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QrsServerGroup::entry-activated:
   *
   * Enter was pressed in one of the fields.
   */
  signals[ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/qrs-server-group.ui");

#define BIND_FIELD(field, name)                                                     \
  gtk_widget_class_bind_template_child_full (widget_class, name "_row", FALSE,          \
    G_STRUCT_OFFSET (QrsServerGroup, fields[field].row));                           \
  gtk_widget_class_bind_template_child_full (widget_class, name "_error_row", FALSE,    \
    G_STRUCT_OFFSET (QrsServerGroup, fields[field].error_row));                     \
  gtk_widget_class_bind_template_child_full (widget_class, name "_error_label", FALSE,  \
    G_STRUCT_OFFSET (QrsServerGroup, fields[field].error_label))

  BIND_FIELD (QRS_CONFIG_FIELD_SERVER, "server");
  BIND_FIELD (QRS_CONFIG_FIELD_APP_ID, "app_id");
  BIND_FIELD (QRS_CONFIG_FIELD_USERPOOL_ID, "userpool_id");

#undef BIND_FIELD

  gtk_widget_class_bind_template_child (widget_class, QrsServerGroup, test_row);
  gtk_widget_class_bind_template_child (widget_class, QrsServerGroup, test_icon);
  gtk_widget_class_bind_template_child (widget_class, QrsServerGroup, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, QrsServerGroup, test_button);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
qrs_server_group_init (QrsServerGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_FIELDS; i++)
    check_field (self, i);
  update_valid (self);
}

QrsServerGroup *
qrs_server_group_new (void)
{
  return g_object_new (QRS_TYPE_SERVER_GROUP, NULL);
}

/**
 * qrs_server_group_get_text:
 * @field: %QRS_CONFIG_FIELD_SERVER, %QRS_CONFIG_FIELD_APP_ID or
 *   %QRS_CONFIG_FIELD_USERPOOL_ID
 *
 * Returns: the field's text as typed, "" when empty; valid or not
 */
const char *
qrs_server_group_get_text (QrsServerGroup *self,
                           QrsConfigField  field)
{
  g_return_val_if_fail (QRS_IS_SERVER_GROUP (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);

  return get_text (self, field);
}

/**
 * qrs_server_group_set_text:
 * @field: as for qrs_server_group_get_text()
 * @text: (nullable): the new text; %NULL empties the field
 *
 * Fills in @field, which is then checked as if it had been typed.
 */
void
qrs_server_group_set_text (QrsServerGroup *self,
                           QrsConfigField  field,
                           const char     *text)
{
  g_return_if_fail (QRS_IS_SERVER_GROUP (self));
  g_return_if_fail (field < N_FIELDS);

  set_text (self, field, text);
}

gboolean
qrs_server_group_get_allow_insecure_http (QrsServerGroup *self)
{
  g_return_val_if_fail (QRS_IS_SERVER_GROUP (self), FALSE);

  return self->allow_insecure_http;
}

/* Only the server address depends on it. */
void
qrs_server_group_set_allow_insecure_http (QrsServerGroup *self,
                                          gboolean        allow_insecure_http)
{
  g_return_if_fail (QRS_IS_SERVER_GROUP (self));

  allow_insecure_http = !!allow_insecure_http;
  if (allow_insecure_http == self->allow_insecure_http)
    return;

  self->allow_insecure_http = allow_insecure_http;
  check_field (self, QRS_CONFIG_FIELD_SERVER);
  update_valid (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE_HTTP]);
}

gboolean
qrs_server_group_get_valid (QrsServerGroup *self)
{
  g_return_val_if_fail (QRS_IS_SERVER_GROUP (self), FALSE);

  return self->valid;
}

gboolean
qrs_server_group_get_testing (QrsServerGroup *self)
{
  g_return_val_if_fail (QRS_IS_SERVER_GROUP (self), FALSE);

  return self->test_provider != NULL;
}

/**
 * qrs_server_group_dup_config:
 *
 * Returns: (transfer full): a configuration with the fields as they are
 *   now (empty ones unset) and the schema's defaults for everything else
 */
QrsConfig *
qrs_server_group_dup_config (QrsServerGroup *self)
{
  QrsConfig *config;

  g_return_val_if_fail (QRS_IS_SERVER_GROUP (self), NULL);

  config = qrs_config_new ();
  config->allow_insecure_http = self->allow_insecure_http;

#define DUP_FIELD(field) \
  (*get_text (self, field) != '\0' ? g_strdup (get_text (self, field)) : NULL)

  config->server = DUP_FIELD (QRS_CONFIG_FIELD_SERVER);
  config->app_id = DUP_FIELD (QRS_CONFIG_FIELD_APP_ID);
  config->userpool_id = DUP_FIELD (QRS_CONFIG_FIELD_USERPOOL_ID);

#undef DUP_FIELD

  return config;
}

/**
 * qrs_server_group_test_connection:
 *
 * Asks the server in the fields for one sign-in code, with a spinner
 * while it runs, and says in the test row whether it worked. Making a
 * code needs no client secret, so the token auth method does not count.
 */
void
qrs_server_group_test_connection (QrsServerGroup *self)
{
  g_autoptr(QrsConfig) config = NULL;
  g_autoptr(QrsProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (QRS_IS_SERVER_GROUP (self));
  g_return_if_fail (self->valid);

  qrs_server_group_cancel_test (self);

  config = qrs_server_group_dup_config (self);
  provider = qrs_provider_factory_create (config, &error);
  if (provider == NULL)
    {
      show_test_result (self, error->message, FALSE);
      return;
    }

  set_testing (self, provider);
  adw_action_row_set_subtitle (self->test_row, _("Asking the server for a sign-in code…"));
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), FALSE);

  qrs_provider_create_code_async (provider, self->test_cancellable,
                                  test_done_cb, g_object_ref (self));
}

/**
 * qrs_server_group_cancel_test:
 *
 * Stops the connection test, if one is running, and puts the test row's
 * hint back.
 */
void
qrs_server_group_cancel_test (QrsServerGroup *self)
{
  g_return_if_fail (QRS_IS_SERVER_GROUP (self));

  if (self->test_provider == NULL)
    return;

  set_testing (self, NULL);
  show_test_result (self, NULL, FALSE);
}
