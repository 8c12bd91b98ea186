/* qrs-preferences-dialog.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QRS_TYPE_PREFERENCES_DIALOG (qrs_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (QrsPreferencesDialog, qrs_preferences_dialog, QRS, PREFERENCES_DIALOG, AdwPreferencesWindow)

QrsPreferencesDialog *qrs_preferences_dialog_new          (GSettings            *settings);
GSettings            *qrs_preferences_dialog_get_settings (QrsPreferencesDialog *self);

G_END_DECLS
