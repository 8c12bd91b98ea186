/* qrs-qr-view.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-qr-view.h"
#include "qrs-trace.h"

/* Smallest module a phone camera reads reliably from a screen, and the size
 * we would like to have, in logical pixels.
 */
#define MIN_MODULE_SIZE     3
#define NATURAL_MODULE_SIZE 6

struct _QrsQrView
{
  GtkWidget parent_instance;

  char *content;
  QrsQrMatrix *matrix;
  GError *error;
  float xalign;
};

enum {
  PROP_0,
  PROP_CONTENT,
  PROP_MATRIX,
  PROP_ERROR,
  PROP_XALIGN,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (QrsQrView, qrs_qr_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

/* The QR colours are fixed, whatever the theme: readers expect dark modules
 * on a light ground, and many fail on inverted codes.
 */
static const GdkRGBA light_colour = { 1.0f, 1.0f, 1.0f, 1.0f };
static const GdkRGBA dark_colour = { 0.0f, 0.0f, 0.0f, 1.0f };

static guint
modules_per_side (QrsQrView *self)
{
  g_assert (self->matrix != NULL);

  return qrs_qr_matrix_get_width (self->matrix) + 2 * QRS_QR_MATRIX_QUIET_ZONE;
}

static void
qrs_qr_view_encode (QrsQrView *self)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;
  gboolean had_error = self->error != NULL;

  if (self->content != NULL)
    matrix = qrs_qr_matrix_new_from_text (self->content, &error);

  if (!qrs_qr_matrix_equal (matrix, self->matrix))
    {
      g_clear_pointer (&self->matrix, qrs_qr_matrix_unref);
      self->matrix = g_steal_pointer (&matrix);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATRIX]);
    }

  if (error != NULL)
    g_debug ("Cannot encode the QR code: %s", error->message);

  g_clear_error (&self->error);
  self->error = g_steal_pointer (&error);
  if (had_error || self->error != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
qrs_qr_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  QrsQrView *self = QRS_QR_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint symbol_width, n, module, side, x0, y0;

  static gboolean traced;

  if (self->matrix == NULL)
    return;

  if (!traced)
    {
      traced = TRUE;
      qrs_trace_mark ("first frame with a code drawn");
      qrs_trace_mark_after_paint (gtk_widget_get_frame_clock (widget), "first frame with a code rendered");
    }

  /* An integer module size and integer offsets keep every edge on the pixel
   * grid, so the code stays crisp at any allocation.
   */
  symbol_width = qrs_qr_matrix_get_width (self->matrix);
  n = modules_per_side (self);
  module = (guint) MIN (width, height) / n;
  if (module == 0)
    return;

  side = module * n;
  x0 = (guint) (((guint) width - side) * self->xalign);
  y0 = ((guint) height - side) / 2;

  gtk_snapshot_append_color (snapshot, &light_colour,
                             &GRAPHENE_RECT_INIT (x0, y0, side, side));

  x0 += QRS_QR_MATRIX_QUIET_ZONE * module;
  y0 += QRS_QR_MATRIX_QUIET_ZONE * module;

  /* One rectangle per horizontal run of dark modules: fewer nodes, and no
   * seams between neighbours.
   */
  for (guint y = 0; y < symbol_width; y++)
    {
      guint x = 0;

      while (x < symbol_width)
        {
          guint start;

          if (!qrs_qr_matrix_is_dark (self->matrix, x, y))
            {
              x++;
              continue;
            }

          start = x;
          while (x < symbol_width && qrs_qr_matrix_is_dark (self->matrix, x, y))
            x++;

          gtk_snapshot_append_color (snapshot, &dark_colour,
                                     &GRAPHENE_RECT_INIT (x0 + start * module,
                                                          y0 + y * module,
                                                          (x - start) * module,
                                                          module));
        }
    }
}

static void
qrs_qr_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  QrsQrView *self = QRS_QR_VIEW (widget);

  if (self->matrix == NULL)
    {
      *minimum = *natural = 0;
      return;
    }

  *minimum = (int) (modules_per_side (self) * MIN_MODULE_SIZE);
  *natural = (int) (modules_per_side (self) * NATURAL_MODULE_SIZE);
}

static GtkSizeRequestMode
qrs_qr_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
qrs_qr_view_finalize (GObject *object)
{
  QrsQrView *self = (QrsQrView *) object;

  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->matrix, qrs_qr_matrix_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (qrs_qr_view_parent_class)->finalize (object);
}

static void
qrs_qr_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  QrsQrView *self = QRS_QR_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      g_value_set_string (value, qrs_qr_view_get_content (self));
      break;

    case PROP_MATRIX:
      g_value_set_boxed (value, qrs_qr_view_get_matrix (self));
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, qrs_qr_view_get_error (self));
      break;

    case PROP_XALIGN:
      g_value_set_float (value, qrs_qr_view_get_xalign (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_qr_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  QrsQrView *self = QRS_QR_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      qrs_qr_view_set_content (self, g_value_get_string (value));
      break;

    case PROP_XALIGN:
      qrs_qr_view_set_xalign (self, g_value_get_float (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_qr_view_class_init (QrsQrViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = qrs_qr_view_finalize;
  object_class->get_property = qrs_qr_view_get_property;
  object_class->set_property = qrs_qr_view_set_property;

  widget_class->snapshot = qrs_qr_view_snapshot;
  widget_class->measure = qrs_qr_view_measure;
  widget_class->get_request_mode = qrs_qr_view_get_request_mode;

  /**
   * QrsQrView:content:
   *
   * The UTF-8 text the code carries, or %NULL for no code.
   */
  properties[PROP_CONTENT] =
    g_param_spec_string ("content", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * QrsQrView:matrix:
   *
   * The modules drawn, or %NULL when there is nothing to draw.
   */
  properties[PROP_MATRIX] =
    g_param_spec_boxed ("matrix", NULL, NULL,
                        QRS_TYPE_QR_MATRIX,
                        (G_PARAM_READABLE |
                         G_PARAM_STATIC_STRINGS));

  /**
   * QrsQrView:error:
   *
   * Why the content could not be encoded (%QRS_QR_ERROR), or %NULL.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE |
                         G_PARAM_STATIC_STRINGS));

  /**
   * QrsQrView:xalign:
   *
   * Where the code sits across a room wider than it: 0 at the start, 0.5
   * in the middle, 1 at the end, whatever the text direction.
   */
  properties[PROP_XALIGN] =
    g_param_spec_float ("xalign", NULL, NULL,
                        0.0f, 1.0f, 0.5f,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "qrview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
qrs_qr_view_init (QrsQrView *self)
{
  self->xalign = 0.5f;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign-in QR code"),
                                  -1);
}

GtkWidget *
qrs_qr_view_new (void)
{
  return g_object_new (QRS_TYPE_QR_VIEW, NULL);
}

const char *
qrs_qr_view_get_content (QrsQrView *self)
{
  g_return_val_if_fail (QRS_IS_QR_VIEW (self), NULL);

  return self->content;
}

/**
 * qrs_qr_view_set_content:
 * @self: a #QrsQrView
 * @content: (nullable): UTF-8 text to show as a QR code
 *
 * Content that cannot be encoded draws nothing and sets #QrsQrView:error.
 */
void
qrs_qr_view_set_content (QrsQrView  *self,
                         const char *content)
{
  g_return_if_fail (QRS_IS_QR_VIEW (self));

  if (g_strcmp0 (self->content, content) == 0)
    return;

  g_free (self->content);
  self->content = g_strdup (content);

  qrs_qr_view_encode (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

/**
 * qrs_qr_view_get_matrix:
 *
 * Returns: (transfer none) (nullable): the modules drawn
 */
QrsQrMatrix *
qrs_qr_view_get_matrix (QrsQrView *self)
{
  g_return_val_if_fail (QRS_IS_QR_VIEW (self), NULL);

  return self->matrix;
}

/**
 * qrs_qr_view_set_matrix:
 * @self: a #QrsQrView
 * @matrix: (nullable): modules to draw, e.g. read back from a server's image
 *
 * Shows @matrix as it is; #QrsQrView:content becomes %NULL.
 */
void
qrs_qr_view_set_matrix (QrsQrView   *self,
                        QrsQrMatrix *matrix)
{
  g_return_if_fail (QRS_IS_QR_VIEW (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->content != NULL)
    {
      g_clear_pointer (&self->content, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
    }

  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  if (!qrs_qr_matrix_equal (matrix, self->matrix))
    {
      g_clear_pointer (&self->matrix, qrs_qr_matrix_unref);
      self->matrix = matrix != NULL ? qrs_qr_matrix_ref (matrix) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATRIX]);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * qrs_qr_view_get_error:
 *
 * Returns: (transfer none) (nullable): why the content was not encoded
 */
const GError *
qrs_qr_view_get_error (QrsQrView *self)
{
  g_return_val_if_fail (QRS_IS_QR_VIEW (self), NULL);

  return self->error;
}

float
qrs_qr_view_get_xalign (QrsQrView *self)
{
  g_return_val_if_fail (QRS_IS_QR_VIEW (self), 0.5f);

  return self->xalign;
}

void
qrs_qr_view_set_xalign (QrsQrView *self,
                        float      xalign)
{
  g_return_if_fail (QRS_IS_QR_VIEW (self));

  xalign = CLAMP (xalign, 0.0f, 1.0f);
  if (self->xalign == xalign)
    return;

  self->xalign = xalign;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_XALIGN]);
}
