/* qrs-window.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-qr-view.h"
#include "qrs-window.h"

struct _QrsWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  QrsQrView *qr_view;
  GtkLabel *caption;
};

G_DEFINE_FINAL_TYPE (QrsWindow, qrs_window, ADW_TYPE_APPLICATION_WINDOW)

static void
qrs_window_class_init (QrsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (QRS_TYPE_QR_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/qrs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, QrsWindow, qr_view);
  gtk_widget_class_bind_template_child (widget_class, QrsWindow, caption);
}

static void
qrs_window_init (QrsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A fixed sample payload in the documented shape, shown until the
   * sign-in model exists to supply real codes.
   */
  qrs_qr_view_set_content (self->qr_view,
                           "{\"scene\":\"APP_AUTH\","
                           "\"random\":\"SzZrszCJNCFfVBDUCKLDtAYNBR96SK\","
                           "\"qrcodeId\":\"SzZrszCJNCFfVBDUCKLDtAYNBR96SK\","
                           "\"userPoolId\":\"5fae2648201cfd526f0ec354\","
                           "\"createdAt\":\"2026-11-25T09:00:00.000Z\","
                           "\"expireAt\":\"2026-11-25T09:02:00.000Z\"}");
}

QrsWindow *
qrs_window_new (QrsApplication *application)
{
  g_return_val_if_fail (QRS_IS_APPLICATION (application), NULL);

  return g_object_new (QRS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
