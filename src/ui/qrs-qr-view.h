/* qrs-qr-view.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qrs-qr-matrix.h"

G_BEGIN_DECLS

#define QRS_TYPE_QR_VIEW (qrs_qr_view_get_type ())

G_DECLARE_FINAL_TYPE (QrsQrView, qrs_qr_view, QRS, QR_VIEW, GtkWidget)

GtkWidget    *qrs_qr_view_new         (void);
const char   *qrs_qr_view_get_content (QrsQrView  *self);
void          qrs_qr_view_set_content (QrsQrView  *self,
                                       const char *content);
QrsQrMatrix  *qrs_qr_view_get_matrix  (QrsQrView  *self);
void          qrs_qr_view_set_matrix  (QrsQrView   *self,
                                       QrsQrMatrix *matrix);
const GError *qrs_qr_view_get_error   (QrsQrView  *self);
float         qrs_qr_view_get_xalign  (QrsQrView  *self);
void          qrs_qr_view_set_xalign  (QrsQrView  *self,
                                       float       xalign);

G_END_DECLS
