/* qrs-picture.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "qrs-qr-matrix.h"

G_BEGIN_DECLS

GdkTexture  *qrs_picture_decode    (GBytes  *bytes);
QrsQrMatrix *qrs_picture_sample_qr (GBytes  *bytes,
                                    GError **error);

G_END_DECLS
