/* qrs-window.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qrs-application.h"
#include "qrs-sign-in.h"

G_BEGIN_DECLS

#define QRS_TYPE_WINDOW (qrs_window_get_type ())

G_DECLARE_FINAL_TYPE (QrsWindow, qrs_window, QRS, WINDOW, AdwApplicationWindow)

QrsWindow  *qrs_window_new              (QrsApplication *application,
                                         QrsSignIn      *sign_in);
QrsSignIn  *qrs_window_get_sign_in      (QrsWindow      *self);
void        qrs_window_set_sign_in      (QrsWindow      *self,
                                         QrsSignIn      *sign_in);
void        qrs_window_show_setup       (QrsWindow      *self,
                                         GtkWidget      *page);
gboolean    qrs_window_get_kiosk        (QrsWindow      *self);
void        qrs_window_set_kiosk        (QrsWindow      *self,
                                         gboolean        kiosk);
void        qrs_window_set_service_name (QrsWindow      *self,
                                         const char     *service_name);
const char *qrs_window_get_visible_page (QrsWindow      *self);

G_END_DECLS
