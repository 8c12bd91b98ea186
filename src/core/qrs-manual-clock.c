/* qrs-manual-clock.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-manual-clock.h"

/* A clock that only moves when told to. Timers fire in order of their due
 * time (then of scheduling), each with the clock set to its due time, so a
 * test can play two minutes of polling in a blink and get the same run
 * every time.
 */
struct _QrsManualClock
{
  GObject parent_instance;

  gint64 now_us;
  guint last_id;
  GQueue timers;   /* of Timer, sorted by (due, id) */
};

typedef struct {
  guint id;
  gint64 due_us;
  QrsClockFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} Timer;

static void qrs_clock_iface_init (QrsClockInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QrsManualClock, qrs_manual_clock, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (QRS_TYPE_CLOCK, qrs_clock_iface_init))

static void
timer_free (Timer *timer)
{
  if (timer->destroy != NULL)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static int
timer_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Timer *ta = a, *tb = b;

  if (ta->due_us != tb->due_us)
    return ta->due_us < tb->due_us ? -1 : 1;

  return ta->id < tb->id ? -1 : (ta->id > tb->id);
}

static gint64
qrs_manual_clock_get_time (QrsClock *clock)
{
  return QRS_MANUAL_CLOCK (clock)->now_us;
}

static guint
qrs_manual_clock_schedule (QrsClock       *clock,
                           gint64          delay_ms,
                           QrsClockFunc    func,
                           gpointer        user_data,
                           GDestroyNotify  destroy)
{
  QrsManualClock *self = QRS_MANUAL_CLOCK (clock);
  Timer *timer = g_new0 (Timer, 1);

  timer->id = ++self->last_id;
  timer->due_us = self->now_us + delay_ms * 1000;
  timer->func = func;
  timer->user_data = user_data;
  timer->destroy = destroy;
  g_queue_insert_sorted (&self->timers, timer, timer_compare, NULL);

  return timer->id;
}

static void
qrs_manual_clock_cancel (QrsClock *clock,
                         guint     id)
{
  QrsManualClock *self = QRS_MANUAL_CLOCK (clock);

  for (GList *l = self->timers.head; l != NULL; l = l->next)
    {
      Timer *timer = l->data;

      if (timer->id == id)
        {
          g_queue_delete_link (&self->timers, l);
          timer_free (timer);
          return;
        }
    }

  g_critical ("No timer %u to cancel", id);
}

static void
qrs_clock_iface_init (QrsClockInterface *iface)
{
  iface->get_time = qrs_manual_clock_get_time;
  iface->schedule = qrs_manual_clock_schedule;
  iface->cancel = qrs_manual_clock_cancel;
}

static void
qrs_manual_clock_finalize (GObject *object)
{
  QrsManualClock *self = QRS_MANUAL_CLOCK (object);

  g_queue_clear_full (&self->timers, (GDestroyNotify) timer_free);

  G_OBJECT_CLASS (qrs_manual_clock_parent_class)->finalize (object);
}

static void
qrs_manual_clock_class_init (QrsManualClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = qrs_manual_clock_finalize;
}

static void
qrs_manual_clock_init (QrsManualClock *self)
{
  /* Far from zero, so that "no time" is never mistaken for a time. */
  self->now_us = 1000 * G_USEC_PER_SEC;
  g_queue_init (&self->timers);
}

QrsManualClock *
qrs_manual_clock_new (void)
{
  return g_object_new (QRS_TYPE_MANUAL_CLOCK, NULL);
}

/* Fires every timer due by @target_us, each at its own time, including the
 * timers those timers schedule, then leaves the clock at @target_us.
 */
static void
advance_to (QrsManualClock *self,
            gint64          target_us)
{
  while (!g_queue_is_empty (&self->timers))
    {
      Timer *timer = g_queue_peek_head (&self->timers);

      if (timer->due_us > target_us)
        break;

      g_queue_pop_head (&self->timers);
      self->now_us = MAX (self->now_us, timer->due_us);
      timer->func (timer->user_data);
      timer_free (timer);
    }

  self->now_us = MAX (self->now_us, target_us);
}

/**
 * qrs_manual_clock_advance:
 * @self: a #QrsManualClock
 * @ms: how far, at least 0
 *
 * Moves the clock forward, firing every timer that falls due on the way.
 */
void
qrs_manual_clock_advance (QrsManualClock *self,
                          gint64          ms)
{
  g_return_if_fail (QRS_IS_MANUAL_CLOCK (self));
  g_return_if_fail (ms >= 0);

  advance_to (self, self->now_us + ms * 1000);
}

/**
 * qrs_manual_clock_get_next_delay:
 * @self: a #QrsManualClock
 * @delay_ms: (out) (optional): how long until the next timer
 *
 * Returns: %TRUE if a timer is pending
 */
gboolean
qrs_manual_clock_get_next_delay (QrsManualClock *self,
                                 gint64         *delay_ms)
{
  Timer *timer;

  g_return_val_if_fail (QRS_IS_MANUAL_CLOCK (self), FALSE);

  timer = g_queue_peek_head (&self->timers);
  if (timer == NULL)
    return FALSE;

  if (delay_ms != NULL)
    *delay_ms = (MAX (timer->due_us - self->now_us, 0) + 999) / 1000;

  return TRUE;
}

/**
 * qrs_manual_clock_advance_to_next:
 * @self: a #QrsManualClock
 *
 * Moves the clock to the next timer and fires it (and any due with it).
 *
 * Returns: %TRUE if a timer fired
 */
gboolean
qrs_manual_clock_advance_to_next (QrsManualClock *self)
{
  Timer *timer;

  g_return_val_if_fail (QRS_IS_MANUAL_CLOCK (self), FALSE);

  timer = g_queue_peek_head (&self->timers);
  if (timer == NULL)
    return FALSE;

  advance_to (self, timer->due_us);

  return TRUE;
}

guint
qrs_manual_clock_get_n_pending (QrsManualClock *self)
{
  g_return_val_if_fail (QRS_IS_MANUAL_CLOCK (self), 0);

  return self->timers.length;
}
