/* qrs-manual-clock.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qrs-clock.h"

G_BEGIN_DECLS

#define QRS_TYPE_MANUAL_CLOCK (qrs_manual_clock_get_type ())

G_DECLARE_FINAL_TYPE (QrsManualClock, qrs_manual_clock, QRS, MANUAL_CLOCK, GObject)

QrsManualClock *qrs_manual_clock_new             (void);
void            qrs_manual_clock_advance         (QrsManualClock *self,
                                                  gint64          ms);
gboolean        qrs_manual_clock_get_next_delay  (QrsManualClock *self,
                                                  gint64         *delay_ms);
gboolean        qrs_manual_clock_advance_to_next (QrsManualClock *self);
guint           qrs_manual_clock_get_n_pending   (QrsManualClock *self);

G_END_DECLS
