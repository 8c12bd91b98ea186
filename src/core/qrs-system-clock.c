/* qrs-system-clock.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-system-clock.h"

/* For tests only: QRS_DEBUG_TIME_SCALE=N makes this clock's time run N
 * times faster and every delay scheduled on it N times shorter, so that a
 * test can put the real program through hours of polling, back-off,
 * pauses and code lifetimes in minutes (tests/endurance runs the kiosk at
 * 10). Only what goes through QrsClock is compressed: network time-outs,
 * the kiosk's welcome and the window's once-a-second countdown tick keep
 * real time. Unset, or not a number from 1 to 1000: real time.
 */
#define TIME_SCALE_ENV "QRS_DEBUG_TIME_SCALE"
#define TIME_SCALE_MAX 1000.0

struct _QrsSystemClock
{
  GObject parent_instance;
  double scale;      /* 1: real time */
  gint64 origin;     /* monotonic µs at which a scaled clock started */
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
  QrsSystemClock *self = QRS_SYSTEM_CLOCK (clock);
  gint64 now = g_get_monotonic_time ();

  if (self->scale == 1.0)
    return now;

  return self->origin + (gint64) ((double) (now - self->origin) * self->scale);
}

static guint
qrs_system_clock_schedule (QrsClock       *clock,
                           gint64          delay_ms,
                           QrsClockFunc    func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  QrsSystemClock *self = QRS_SYSTEM_CLOCK (clock);
  Timer *timer = g_new0 (Timer, 1);
  guint id;

  if (self->scale != 1.0)
    delay_ms = (gint64) ((double) delay_ms / self->scale + 0.5);

  timer->func = func;
  timer->user_data = user_data;
  timer->destroy = destroy;

  /* Never the seconds source, though GLib would batch it with other
   * wake-ups: it may fire up to a quarter of a second early, and a server
   * that sets its own pace (the device flow's interval) answers a poll that
   * comes early with slow_down.
   */
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
  const char *value = g_getenv (TIME_SCALE_ENV);
  char *end = NULL;
  double scale;

  self->scale = 1.0;
  self->origin = g_get_monotonic_time ();

  if (value == NULL)
    return;

  scale = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !(scale >= 1.0 && scale <= TIME_SCALE_MAX))
    {
      g_warning ("Ignoring %s=%s: not a number from 1 to %g", TIME_SCALE_ENV, value, TIME_SCALE_MAX);
      return;
    }

  self->scale = scale;
  g_debug ("%s: time runs %g times faster", TIME_SCALE_ENV, scale);
}

QrsSystemClock *
qrs_system_clock_new (void)
{
  return g_object_new (QRS_TYPE_SYSTEM_CLOCK, NULL);
}
