/* qrs-trace.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean qrs_trace_enabled (void);
void     qrs_trace_mark    (const char *what);
void     qrs_trace_mark_after_paint (gpointer    frame_clock,
                                     const char *what);

G_END_DECLS
