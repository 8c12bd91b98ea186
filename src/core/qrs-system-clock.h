/* qrs-system-clock.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qrs-clock.h"

G_BEGIN_DECLS

#define QRS_TYPE_SYSTEM_CLOCK (qrs_system_clock_get_type ())

G_DECLARE_FINAL_TYPE (QrsSystemClock, qrs_system_clock, QRS, SYSTEM_CLOCK, GObject)

QrsSystemClock *qrs_system_clock_new (void);

G_END_DECLS
