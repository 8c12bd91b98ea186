/* qrs-sign-in-view.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qrs-sign-in.h"

G_BEGIN_DECLS

#define QRS_TYPE_SIGN_IN_VIEW (qrs_sign_in_view_get_type ())

G_DECLARE_FINAL_TYPE (QrsSignInView, qrs_sign_in_view, QRS, SIGN_IN_VIEW, GtkWidget)

QrsSignIn  *qrs_sign_in_view_get_sign_in      (QrsSignInView *self);
void        qrs_sign_in_view_set_sign_in      (QrsSignInView *self,
                                               QrsSignIn     *sign_in);
gboolean    qrs_sign_in_view_get_kiosk        (QrsSignInView *self);
void        qrs_sign_in_view_set_kiosk        (QrsSignInView *self,
                                               gboolean       kiosk);
const char *qrs_sign_in_view_get_service_name (QrsSignInView *self);
void        qrs_sign_in_view_set_service_name (QrsSignInView *self,
                                               const char    *service_name);
const char *qrs_sign_in_view_get_visible_page (QrsSignInView *self);

G_END_DECLS
