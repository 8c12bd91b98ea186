/* qrs-setup-page.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QRS_TYPE_SETUP_PAGE (qrs_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (QrsSetupPage, qrs_setup_page, QRS, SETUP_PAGE, AdwBin)

GtkWidget *qrs_setup_page_new          (GSettings    *settings);
GSettings *qrs_setup_page_get_settings (QrsSetupPage *self);

G_END_DECLS
