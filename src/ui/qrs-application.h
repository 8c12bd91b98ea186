/* qrs-application.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QRS_TYPE_APPLICATION (qrs_application_get_type ())

G_DECLARE_FINAL_TYPE (QrsApplication, qrs_application, QRS, APPLICATION, AdwApplication)

QrsApplication *qrs_application_new             (void);
void            qrs_application_set_stdout_closed (QrsApplication *self,
                                                   gboolean        closed);
void            qrs_application_set_theme_lent  (QrsApplication *self,
                                                 gboolean        lent);
int             qrs_application_get_exit_status (QrsApplication *self);

G_END_DECLS
