/* qrs-image-size.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean qrs_image_size_read (GBytes *bytes,
                              guint  *width,
                              guint  *height);

G_END_DECLS
