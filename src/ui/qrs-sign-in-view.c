/* qrs-sign-in-view.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "qrs-core-enums.h"
#include "qrs-image-size.h"
#include "qrs-qr-sample.h"
#include "qrs-qr-view.h"
#include "qrs-sign-in-view.h"

/* The largest picture we decode: a QR image or an avatar bigger than this
 * is not what it claims to be.
 */
#define MAX_IMAGE_SIDE 4096

/* QrsSignInView shows a QrsSignIn and never talks to a server itself: each
 * widget follows the properties it depends on (a handler per property, or
 * a binding), and every button calls one of the model's methods through an
 * action. The model can be swapped; the signal and binding groups follow.
 */
struct _QrsSignInView
{
  GtkWidget parent_instance;

  QrsSignIn *sign_in;
  GSignalGroup *signals;
  GBindingGroup *bindings;
  guint countdown_id;
  guint kiosk : 1;

  /* Template widgets */
  GtkWidget *box;
  GtkRevealer *connection_revealer;
  GtkLabel *connection_label;
  GtkStack *stack;
  GtkStack *code_stack;
  GtkSpinner *spinner;
  QrsQrView *qr_view;
  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkLabel *caption;
  GtkLabel *time_left_label;
  AdwStatusPage *authorized_page;
  AdwStatusPage *cancelled_page;
  AdwStatusPage *expired_page;
  AdwStatusPage *error_page;
  GtkLabel *server_message_label;
  GtkWidget *request_id_box;
  GtkLabel *request_id_label;
};

enum {
  PROP_0,
  PROP_SIGN_IN,
  PROP_KIOSK,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (QrsSignInView, qrs_sign_in_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/*
 * Pictures from the server
 */

/* Decodes a PNG or JPEG, refusing anything whose header promises a
 * picture too large to be honest.
 */
static GdkTexture *
decode_picture (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;
  guint width, height;

  if (!qrs_image_size_read (bytes, &width, &height))
    {
      g_debug ("Not a PNG or JPEG picture");
      return NULL;
    }

  if (width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    {
      g_debug ("Refusing a %u×%u picture", width, height);
      return NULL;
    }

  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    g_debug ("Cannot decode a picture: %s", error->message);

  return texture;
}

/* Reads the server's QR picture back into modules, so that it is drawn as
 * crisply as a locally made one at any size.
 */
static QrsQrMatrix *
sample_qr_image (GBytes  *bytes,
                 GError **error)
{
  g_autoptr(GdkTexture) texture = decode_picture (bytes);
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *grey = NULL;
  gsize stride;
  int width, height;

  if (texture == NULL)
    {
      g_set_error_literal (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED,
                           "The server's QR image could not be decoded");
      return NULL;
    }

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);

  /* Premultiplied BGRA; transparent counts as the light background. */
  grey = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + y * stride + x * 4;
        guint alpha = p[3];
        guint luma = (114 * p[0] + 587 * p[1] + 299 * p[2]) / 1000;

        grey[(gsize) y * width + x] = (guint8) MIN (255, luma + (255 - alpha));
      }

  return qrs_qr_matrix_new_from_grey (grey, width, height, width, error);
}

static void
update_qr (QrsSignInView *self)
{
  QrsCode *code = qrs_sign_in_get_code (self->sign_in);
  GBytes *image = qrs_sign_in_get_qr_image (self->sign_in);

  if (image != NULL)
    {
      g_autoptr(QrsQrMatrix) matrix = NULL;
      g_autoptr(GError) error = NULL;

      matrix = sample_qr_image (image, &error);
      if (matrix != NULL)
        {
          qrs_qr_view_set_matrix (self->qr_view, matrix);
          return;
        }

      g_debug ("Encoding the code locally instead: %s", error->message);
    }

  qrs_qr_view_set_content (self->qr_view, code != NULL ? qrs_code_get_qr_content (code) : NULL);
}

static void
update_avatar (QrsSignInView *self)
{
  GBytes *photo = qrs_sign_in_get_photo (self->sign_in);
  g_autoptr(GdkTexture) texture = NULL;

  /* A photo that does not decode leaves the initials. */
  if (photo != NULL)
    texture = decode_picture (photo);

  adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
}

/*
 * Countdown
 */

/* "1 minute 40 seconds", for screen readers. */
static char *
format_duration (gint64 seconds)
{
  int minutes = (int) (seconds / 60);
  int rest = (int) (seconds % 60);
  g_autofree char *min = g_strdup_printf (ngettext ("%d minute", "%d minutes", minutes), minutes);
  g_autofree char *sec = g_strdup_printf (ngettext ("%d second", "%d seconds", rest), rest);

  if (minutes > 0 && rest > 0)
    /* Translators: a duration, minutes then seconds, e.g. "1 minute 40 seconds". */
    return g_strdup_printf (C_("duration", "%s %s"), min, sec);

  return g_strdup (minutes > 0 ? min : sec);
}

static void
update_time_left (QrsSignInView *self)
{
  gint64 seconds = (qrs_sign_in_get_time_left_ms (self->sign_in) + 999) / 1000;
  g_autofree char *duration = format_duration (seconds);
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;

  /* Translators: minutes and seconds the code stays valid, e.g. "Expires in 1:40". */
  text = g_strdup_printf (_("Expires in %d:%02d"), (int) (seconds / 60), (int) (seconds % 60));
  gtk_label_set_label (self->time_left_label, text);

  /* Translators: what a screen reader says for the QR code; %s is e.g. "1 minute 40 seconds". */
  accessible = g_strdup_printf (_("Sign-in QR code, expires in %s"), duration);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static gboolean
countdown_cb (gpointer user_data)
{
  update_time_left (user_data);

  return G_SOURCE_CONTINUE;
}

/* The countdown ticks only while somebody can see it. */
static void
update_countdown (QrsSignInView *self)
{
  QrsSignInStatus status = qrs_sign_in_get_status (self->sign_in);
  gboolean wanted = qrs_sign_in_get_visible (self->sign_in) &&
                    (status == QRS_SIGN_IN_STATUS_PENDING || status == QRS_SIGN_IN_STATUS_SCANNED);

  if (wanted && self->countdown_id == 0)
    {
      update_time_left (self);
      self->countdown_id = g_timeout_add (1000, countdown_cb, self);
      g_source_set_name_by_id (self->countdown_id, "[qr-signin] countdown");
    }
  else if (!wanted)
    {
      g_clear_handle_id (&self->countdown_id, g_source_remove);
    }
}

/*
 * Following the model
 */

static void
update_connection (QrsSignInView *self)
{
  QrsConnection connection = qrs_sign_in_get_connection (self->sign_in);
  QrsSignInStatus status = qrs_sign_in_get_status (self->sign_in);
  gboolean on_code = status == QRS_SIGN_IN_STATUS_LOADING ||
                     status == QRS_SIGN_IN_STATUS_PENDING ||
                     status == QRS_SIGN_IN_STATUS_SCANNED ||
                     status == QRS_SIGN_IN_STATUS_AUTHORIZED;

  switch (connection)
    {
    case QRS_CONNECTION_RECONNECTING:
      gtk_label_set_label (self->connection_label,
                           _("The sign-in server cannot be reached. Trying again…"));
      break;

    case QRS_CONNECTION_OFFLINE:
      gtk_label_set_label (self->connection_label,
                           _("This computer is offline. The code will be checked again when it is back online."));
      break;

    case QRS_CONNECTION_ONLINE:
    default:
      break;
    }

  gtk_revealer_set_reveal_child (self->connection_revealer,
                                 on_code && connection != QRS_CONNECTION_ONLINE);
}

static void
update_error (QrsSignInView *self)
{
  const char *message = qrs_sign_in_get_error_message (self->sign_in);
  const char *server_message = qrs_sign_in_get_server_message (self->sign_in);
  const char *request_id = qrs_sign_in_get_request_id (self->sign_in);
  g_autofree char *server_text = NULL;
  g_autofree char *request_text = NULL;

  adw_status_page_set_description (self->error_page, message);

  /* The plain-words message often quotes the server already. */
  if (server_message != NULL && (message == NULL || strstr (message, server_message) == NULL))
    /* Translators: %s is the sign-in server's own words. */
    server_text = g_strdup_printf (_("The server said: “%s”"), server_message);
  gtk_label_set_label (self->server_message_label, server_text);
  gtk_widget_set_visible (GTK_WIDGET (self->server_message_label), server_text != NULL);

  if (request_id != NULL)
    /* Translators: %s identifies the failed request for the server's administrators. */
    request_text = g_strdup_printf (_("Request ID: %s"), request_id);
  gtk_label_set_label (self->request_id_label, request_text);
  gtk_widget_set_visible (self->request_id_box, request_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.copy-request-id", request_id != NULL);
}

static void
update_page (QrsSignInView *self)
{
  QrsSignInStatus status = qrs_sign_in_get_status (self->sign_in);
  const char *display_name = qrs_sign_in_get_display_name (self->sign_in);
  const char *page = "code";
  const char *code_page = NULL;
  const char *caption = NULL;

  switch (status)
    {
    case QRS_SIGN_IN_STATUS_LOADING:
      code_page = "loading";
      caption = _("Getting a sign-in code…");
      break;

    case QRS_SIGN_IN_STATUS_PENDING:
      code_page = "qr";
      caption = _("Scan with your phone to sign in");
      break;

    case QRS_SIGN_IN_STATUS_SCANNED:
      code_page = "person";
      caption = _("Confirm on your phone");
      break;

    case QRS_SIGN_IN_STATUS_AUTHORIZED:
      {
        g_autofree char *title = NULL;

        /* A kiosk greets whoever just signed in; a sign-in window reports. */
        if (display_name != NULL && self->kiosk)
          /* Translators: %s is the name of the person who signed in at a kiosk. */
          title = g_strdup_printf (_("Welcome, %s"), display_name);
        else if (display_name != NULL)
          /* Translators: %s is the name of the person who signed in. */
          title = g_strdup_printf (_("Signed in as %s"), display_name);
        adw_status_page_set_title (self->authorized_page,
                                   title ? title : self->kiosk ? _("Welcome") : _("Signed In"));
        page = "authorized";
      }
      break;

    case QRS_SIGN_IN_STATUS_CANCELLED:
      page = "cancelled";
      break;

    case QRS_SIGN_IN_STATUS_EXPIRED:
      page = "expired";
      break;

    case QRS_SIGN_IN_STATUS_ERROR:
    default:
      update_error (self);
      page = "error";
      break;
    }

  if (code_page != NULL)
    {
      gtk_stack_set_visible_child_name (self->code_stack, code_page);
      gtk_label_set_label (self->caption, caption);
      gtk_widget_set_visible (GTK_WIDGET (self->time_left_label), status != QRS_SIGN_IN_STATUS_LOADING);
    }
  gtk_spinner_set_spinning (self->spinner, status == QRS_SIGN_IN_STATUS_LOADING);
  gtk_stack_set_visible_child_name (self->stack, page);

  update_countdown (self);
  update_connection (self);
}


static void
update_all (QrsSignInView *self)
{
  if (self->sign_in == NULL)
    {
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      return;
    }

  update_qr (self);
  update_avatar (self);
  update_error (self);
  update_page (self);
}

/*
 * Actions
 */

static void
copy_request_id_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (widget);
  const char *request_id;

  g_assert (QRS_IS_SIGN_IN_VIEW (self));

  if (self->sign_in == NULL)
    return;

  request_id = qrs_sign_in_get_request_id (self->sign_in);
  if (request_id != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), request_id);
}

/*
 * GObject overrides
 */

static void
qrs_sign_in_view_dispose (GObject *object)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (object);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  g_clear_object (&self->sign_in);
  g_clear_object (&self->signals);
  g_clear_object (&self->bindings);

  gtk_widget_dispose_template (GTK_WIDGET (self), QRS_TYPE_SIGN_IN_VIEW);

  G_OBJECT_CLASS (qrs_sign_in_view_parent_class)->dispose (object);
}

static void
qrs_sign_in_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (object);

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
qrs_sign_in_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (object);

  switch (prop_id)
    {
    case PROP_SIGN_IN:
      qrs_sign_in_view_set_sign_in (self, g_value_get_object (value));
      break;

    case PROP_KIOSK:
      qrs_sign_in_view_set_kiosk (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_sign_in_view_class_init (QrsSignInViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = qrs_sign_in_view_dispose;
  object_class->get_property = qrs_sign_in_view_get_property;
  object_class->set_property = qrs_sign_in_view_set_property;

  properties[PROP_SIGN_IN] =
    g_param_spec_object ("sign-in", NULL, NULL,
                         QRS_TYPE_SIGN_IN,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QRS_TYPE_QR_VIEW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/qrs-sign-in-view.ui");
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, connection_revealer);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, connection_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, stack);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, code_stack);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, spinner);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, qr_view);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, avatar);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, name_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, caption);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, time_left_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, authorized_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, cancelled_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, expired_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, error_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, server_message_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, request_id_box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, request_id_label);

  gtk_widget_class_install_action (widget_class, "view.copy-request-id", NULL, copy_request_id_action);
}

static void
qrs_sign_in_view_init (QrsSignInView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* One handler per property the widgets depend on. */
  self->signals = g_signal_group_new (QRS_TYPE_SIGN_IN);
  g_signal_group_connect_swapped (self->signals, "notify::status", G_CALLBACK (update_page), self);
  g_signal_group_connect_swapped (self->signals, "notify::code", G_CALLBACK (update_qr), self);
  g_signal_group_connect_swapped (self->signals, "notify::qr-image", G_CALLBACK (update_qr), self);
  g_signal_group_connect_swapped (self->signals, "notify::photo", G_CALLBACK (update_avatar), self);
  g_signal_group_connect_swapped (self->signals, "notify::connection", G_CALLBACK (update_connection), self);
  g_signal_group_connect_swapped (self->signals, "notify::error-message", G_CALLBACK (update_error), self);
  g_signal_group_connect_swapped (self->signals, "notify::server-message", G_CALLBACK (update_error), self);
  g_signal_group_connect_swapped (self->signals, "notify::request-id", G_CALLBACK (update_error), self);
  g_signal_group_connect_swapped (self->signals, "notify::visible", G_CALLBACK (update_countdown), self);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "display-name", self->name_label, "label", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "display-name", self->avatar, "text", G_BINDING_SYNC_CREATE);
}

/*
 * Public API
 */

/**
 * qrs_sign_in_view_get_sign_in:
 *
 * Returns: (transfer none) (nullable): the sign-in shown
 */
QrsSignIn *
qrs_sign_in_view_get_sign_in (QrsSignInView *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN_VIEW (self), NULL);

  return self->sign_in;
}

void
qrs_sign_in_view_set_sign_in (QrsSignInView *self,
                              QrsSignIn     *sign_in)
{
  g_return_if_fail (QRS_IS_SIGN_IN_VIEW (self));
  g_return_if_fail (sign_in == NULL || QRS_IS_SIGN_IN (sign_in));

  if (!g_set_object (&self->sign_in, sign_in))
    return;

  g_signal_group_set_target (self->signals, sign_in);
  g_binding_group_set_source (self->bindings, sign_in);
  update_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN]);
}

gboolean
qrs_sign_in_view_get_kiosk (QrsSignInView *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN_VIEW (self), FALSE);

  return self->kiosk;
}

/**
 * qrs_sign_in_view_set_kiosk:
 * @self: a #QrsSignInView
 * @kiosk: whether the view greets people at a kiosk
 *
 * A kiosk welcomes whoever signed in; a sign-in window reports.
 */
void
qrs_sign_in_view_set_kiosk (QrsSignInView *self,
                            gboolean       kiosk)
{
  g_return_if_fail (QRS_IS_SIGN_IN_VIEW (self));

  kiosk = !!kiosk;
  if (self->kiosk == kiosk)
    return;

  self->kiosk = kiosk;
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIOSK]);
}

/**
 * qrs_sign_in_view_get_visible_page:
 *
 * Returns: the name of what is on show: "loading", "qr", "person",
 *   "authorized", "cancelled", "expired" or "error"
 */
const char *
qrs_sign_in_view_get_visible_page (QrsSignInView *self)
{
  const char *page;

  g_return_val_if_fail (QRS_IS_SIGN_IN_VIEW (self), NULL);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_str_equal (page, "code"))
    page = gtk_stack_get_visible_child_name (self->code_stack);

  return page;
}
