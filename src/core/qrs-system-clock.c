/* qrs-system-clock.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-system-clock.h"

struct _QrsSystemClock
{
  GObject parent_instance;
};

typedef struct {
  QrsClockFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} Timer;

static void qrs_clock_iface_init (QrsClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QrsSystemClock, qrs_system_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (QRS_TYPE_CLOCK, qrs_clock_iface_init))

static void
timer_free (gpointer data)
{
  Timer *timer = data;

  if (timer->destroy != NULL)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static gboolean
timer_fire (gpointer data)
{
  Timer *timer = data;

  timer->func (timer->user_data);

  return G_SOURCE_REMOVE;
}

static gint64
qrs_system_clock_get_time (QrsClock *clock)
{
  return g_get_monotonic_time ();
}

static guint
qrs_system_clock_schedule (QrsClock       *clock,
                           gint64          delay_ms,
                           QrsClockFunc    func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  Timer *timer = g_new0 (Timer, 1);
  guint id;

  timer->func = func;
  timer->user_data = user_data;
  timer->destroy = destroy;

  /* Whole seconds go through the seconds source, which GLib batches with
   * other wake-ups: kinder to laptops while a hidden window polls slowly.
   */
  if (delay_ms >= 1000 && delay_ms % 1000 == 0)
    id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) (delay_ms / 1000),
                                     timer_fire, timer, timer_free);
  else
    id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXUINT),
                             timer_fire, timer, timer_free);
  g_source_set_name_by_id (id, "[qr-signin] clock timer");

  return id;
}

static void
qrs_system_clock_cancel (QrsClock *clock,
                         guint     id)
{
  g_source_remove (id);
}

static void
qrs_clock_iface_init (QrsClockInterface *iface)
{
  iface->get_time = qrs_system_clock_get_time;
  iface->schedule = qrs_system_clock_schedule;
  iface->cancel = qrs_system_clock_cancel;
}

static void
qrs_system_clock_class_init (QrsSystemClockClass *klass)
{
}

static void
qrs_system_clock_init (QrsSystemClock *self)
{
}

QrsSystemClock *
qrs_system_clock_new (void)
{
  return g_object_new (QRS_TYPE_SYSTEM_CLOCK, NULL);
}
