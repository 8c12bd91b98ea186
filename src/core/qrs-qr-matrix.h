/* qrs-qr-matrix.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Modules of light margin a reader needs around a symbol (ISO/IEC 18004). */
#define QRS_QR_MATRIX_QUIET_ZONE 4

#define QRS_QR_ERROR (qrs_qr_error_quark ())

typedef enum {
  QRS_QR_ERROR_EMPTY,
  QRS_QR_ERROR_TOO_LONG,
  QRS_QR_ERROR_INVALID_UTF8,
  QRS_QR_ERROR_FAILED,
} QrsQrError;

#define QRS_TYPE_QR_MATRIX (qrs_qr_matrix_get_type ())

typedef struct _QrsQrMatrix QrsQrMatrix;

GQuark       qrs_qr_error_quark          (void);
GType        qrs_qr_matrix_get_type      (void) G_GNUC_CONST;

QrsQrMatrix *qrs_qr_matrix_new           (guint              width,
                                          const guint8      *modules);
QrsQrMatrix *qrs_qr_matrix_new_from_text (const char        *text,
                                          GError           **error);
QrsQrMatrix *qrs_qr_matrix_ref           (QrsQrMatrix       *self);
void         qrs_qr_matrix_unref         (QrsQrMatrix       *self);
guint        qrs_qr_matrix_get_width     (const QrsQrMatrix *self);
gboolean     qrs_qr_matrix_is_dark       (const QrsQrMatrix *self,
                                          guint              x,
                                          guint              y);
gboolean     qrs_qr_matrix_equal         (const QrsQrMatrix *a,
                                          const QrsQrMatrix *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsQrMatrix, qrs_qr_matrix_unref)

G_END_DECLS
