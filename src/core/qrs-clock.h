/* qrs-clock.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define QRS_TYPE_CLOCK (qrs_clock_get_type ())

G_DECLARE_INTERFACE (QrsClock, qrs_clock, QRS, CLOCK, GObject)

/* Called once when a timer is due. */
typedef void (*QrsClockFunc) (gpointer user_data);

/* Time and timers, behind an interface so that tests can run minutes of
 * schedule in milliseconds, deterministically (QrsManualClock), while the
 * app uses the main loop (QrsSystemClock).
 */
struct _QrsClockInterface
{
  GTypeInterface parent_iface;

  gint64 (*get_time) (QrsClock       *self);
  guint  (*schedule) (QrsClock       *self,
                      gint64          delay_ms,
                      QrsClockFunc    func,
                      gpointer        user_data,
                      GDestroyNotify  destroy);
  void   (*cancel)   (QrsClock       *self,
                      guint           id);
};

gint64    qrs_clock_get_time     (QrsClock       *self);
guint     qrs_clock_schedule     (QrsClock       *self,
                                  gint64          delay_ms,
                                  QrsClockFunc    func,
                                  gpointer        user_data,
                                  GDestroyNotify  destroy);
void      qrs_clock_cancel       (QrsClock       *self,
                                  guint           id);
QrsClock *qrs_clock_get_default  (void);

G_END_DECLS
