/* qrs-test-zbar.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GPtrArray *qrs_test_zbar_decode_gray (const guint8 *pixels,
                                      guint         width,
                                      guint         height,
                                      gsize         stride);

G_END_DECLS
