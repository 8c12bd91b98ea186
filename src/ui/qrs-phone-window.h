/* qrs-phone-window.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qrs-emulator.h"

G_BEGIN_DECLS

#define QRS_TYPE_PHONE_WINDOW (qrs_phone_window_get_type ())

G_DECLARE_FINAL_TYPE (QrsPhoneWindow, qrs_phone_window, QRS, PHONE_WINDOW, AdwWindow)

QrsPhoneWindow *qrs_phone_window_new (GtkApplication *application,
                                      QrsEmulator    *emulator);

G_END_DECLS
