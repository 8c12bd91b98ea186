/* qrs-qr-sample.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "qrs-qr-matrix.h"

G_BEGIN_DECLS

/* Largest picture side qrs_qr_matrix_new_from_grey() looks at, in pixels. */
#define QRS_QR_SAMPLE_MAX_SIDE 4096

QrsQrMatrix *qrs_qr_matrix_new_from_grey (const guint8  *grey,
                                          guint          width,
                                          guint          height,
                                          gsize          stride,
                                          GError       **error);

G_END_DECLS
