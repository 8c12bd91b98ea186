/* qrs-test-gtk.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void             qrs_test_gtk_init             (int             *argc,
                                                char          ***argv);
void             qrs_test_show_and_wait        (GtkWindow       *window);
void             qrs_test_wait_for_frame       (GtkWidget       *widget);
cairo_surface_t *qrs_test_render_widget        (GtkWidget       *widget);
GPtrArray       *qrs_test_decode_surface       (cairo_surface_t *surface,
                                                const GdkRGBA   *underlay);
void             qrs_test_surface_pixel        (cairo_surface_t *surface,
                                                int              x,
                                                int              y,
                                                GdkRGBA         *rgba);
char            *qrs_test_save_surface         (cairo_surface_t *surface,
                                                const char      *name);

G_END_DECLS
