/* qrs-clock.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-clock.h"
#include "qrs-system-clock.h"

G_DEFINE_INTERFACE (QrsClock, qrs_clock, G_TYPE_OBJECT)

static void
qrs_clock_default_init (QrsClockInterface *iface)
{
}

/**
 * qrs_clock_get_time:
 *
 * Returns: the monotonic time in microseconds
 */
gint64
qrs_clock_get_time (QrsClock *self)
{
  g_return_val_if_fail (QRS_IS_CLOCK (self), 0);

  return QRS_CLOCK_GET_IFACE (self)->get_time (self);
}

/**
 * qrs_clock_schedule:
 * @self: a #QrsClock
 * @delay_ms: when, from now; 0 or less means as soon as possible
 * @func: called once, when due
 * @user_data: passed to @func
 * @destroy: (nullable): frees @user_data after @func ran or the timer was
 *   cancelled
 *
 * Returns: an id for qrs_clock_cancel(), never 0
 */
guint
qrs_clock_schedule (QrsClock       *self,
                    gint64          delay_ms,
                    QrsClockFunc    func,
                    gpointer        user_data,
                    GDestroyNotify  destroy)
{
  g_return_val_if_fail (QRS_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  return QRS_CLOCK_GET_IFACE (self)->schedule (self, MAX (delay_ms, 0), func, user_data, destroy);
}

/**
 * qrs_clock_cancel:
 * @self: a #QrsClock
 * @id: a timer that has not fired yet
 */
void
qrs_clock_cancel (QrsClock *self,
                  guint     id)
{
  g_return_if_fail (QRS_IS_CLOCK (self));
  g_return_if_fail (id != 0);

  QRS_CLOCK_GET_IFACE (self)->cancel (self, id);
}

/**
 * qrs_clock_get_default:
 *
 * Returns: (transfer none): the main loop's clock
 */
QrsClock *
qrs_clock_get_default (void)
{
  static QrsClock *clock;

  if (g_once_init_enter (&clock))
    g_once_init_leave (&clock, QRS_CLOCK (qrs_system_clock_new ()));

  return clock;
}
