/* test-clock.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-manual-clock.h"
#include "qrs-system-clock.h"

typedef struct {
  QrsClock *clock;
  GString *log;
  guint destroyed;
} Fixture;

typedef struct {
  Fixture *fixture;
  const char *name;
  gint64 then_ms;   /* schedule another timer this far out, if > 0 */
} Entry;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->clock = QRS_CLOCK (qrs_manual_clock_new ());
  fixture->log = g_string_new (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->clock);
  g_string_free (fixture->log, TRUE);
}

static void entry_fire (gpointer user_data);

static void
entry_destroy (gpointer user_data)
{
  Entry *entry = user_data;

  entry->fixture->destroyed++;
  g_free (entry);
}

static guint
add (Fixture    *fixture,
     const char *name,
     gint64      delay_ms,
     gint64      then_ms)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->fixture = fixture;
  entry->name = name;
  entry->then_ms = then_ms;

  return qrs_clock_schedule (fixture->clock, delay_ms, entry_fire, entry, entry_destroy);
}

/* Logs "name@ms" with the clock's time when the timer fires. */
static void
entry_fire (gpointer user_data)
{
  Entry *entry = user_data;
  Fixture *fixture = entry->fixture;
  gint64 start = 1000 * G_USEC_PER_SEC;

  g_string_append_printf (fixture->log, "%s@%" G_GINT64_FORMAT " ",
                          entry->name,
                          (qrs_clock_get_time (fixture->clock) - start) / 1000);
  if (entry->then_ms > 0)
    add (fixture, "child", entry->then_ms, 0);
}

static void
test_manual_order (Fixture       *fixture,
                   gconstpointer  user_data)
{
  QrsManualClock *clock = QRS_MANUAL_CLOCK (fixture->clock);

  add (fixture, "c", 300, 0);
  add (fixture, "a", 100, 0);
  add (fixture, "b1", 200, 0);
  add (fixture, "b2", 200, 0);

  /* Nothing fires before its time. */
  qrs_manual_clock_advance (clock, 99);
  g_assert_cmpstr (fixture->log->str, ==, "");

  /* Each fires at its own due time, ties in the order they were made. */
  qrs_manual_clock_advance (clock, 1000);
  g_assert_cmpstr (fixture->log->str, ==, "a@100 b1@200 b2@200 c@300 ");
  g_assert_cmpint (qrs_clock_get_time (fixture->clock), ==, (1000 + 1.099) * G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->destroyed, ==, 4);
}

static void
test_manual_chained (Fixture       *fixture,
                     gconstpointer  user_data)
{
  QrsManualClock *clock = QRS_MANUAL_CLOCK (fixture->clock);
  gint64 delay = 0;

  /* A timer scheduled by a timer fires in the same advance if it is due. */
  add (fixture, "parent", 100, 50);
  add (fixture, "late", 400, 0);
  qrs_manual_clock_advance (clock, 200);
  g_assert_cmpstr (fixture->log->str, ==, "parent@100 child@150 ");

  g_assert_true (qrs_manual_clock_get_next_delay (clock, &delay));
  g_assert_cmpint (delay, ==, 200);
  g_assert_true (qrs_manual_clock_advance_to_next (clock));
  g_assert_cmpstr (fixture->log->str, ==, "parent@100 child@150 late@400 ");
  g_assert_false (qrs_manual_clock_advance_to_next (clock));
  g_assert_false (qrs_manual_clock_get_next_delay (clock, NULL));
}

static void
test_manual_cancel (Fixture       *fixture,
                    gconstpointer  user_data)
{
  QrsManualClock *clock = QRS_MANUAL_CLOCK (fixture->clock);
  guint id;

  id = add (fixture, "cancelled", 100, 0);
  add (fixture, "kept", 100, 0);
  add (fixture, "pending", 5000, 0);
  g_assert_cmpuint (qrs_manual_clock_get_n_pending (clock), ==, 3);

  qrs_clock_cancel (fixture->clock, id);
  g_assert_cmpuint (fixture->destroyed, ==, 1);
  qrs_manual_clock_advance (clock, 100);
  g_assert_cmpstr (fixture->log->str, ==, "kept@100 ");
  g_assert_cmpuint (qrs_manual_clock_get_n_pending (clock), ==, 1);

  /* Pending timers are freed with the clock, without firing. */
  g_clear_object (&fixture->clock);
  g_assert_cmpuint (fixture->destroyed, ==, 3);
  g_assert_cmpstr (fixture->log->str, ==, "kept@100 ");
  fixture->clock = QRS_CLOCK (qrs_manual_clock_new ());
}

static void
test_manual_negative_delay (Fixture       *fixture,
                            gconstpointer  user_data)
{
  add (fixture, "now", -50, 0);
  qrs_manual_clock_advance (QRS_MANUAL_CLOCK (fixture->clock), 0);
  g_assert_cmpstr (fixture->log->str, ==, "now@0 ");
}

static void
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
}

static void
test_system_fires (void)
{
  g_autoptr(QrsSystemClock) clock = qrs_system_clock_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 start = qrs_clock_get_time (QRS_CLOCK (clock));
  gint64 elapsed;

  g_assert_cmpint (start, <=, g_get_monotonic_time ());

  qrs_clock_schedule (QRS_CLOCK (clock), 20, quit_loop, loop, NULL);
  g_main_loop_run (loop);

  elapsed = qrs_clock_get_time (QRS_CLOCK (clock)) - start;
  g_assert_cmpint (elapsed, >=, 20 * 1000);

  g_assert_finalize_object (g_steal_pointer (&clock));
}

/* The test-only knob: time runs N times faster and a delay takes N times
 * less real time; a bad value is refused with a warning.
 */
static void
test_system_time_scale (void)
{
  g_autoptr(QrsSystemClock) clock = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 real_start, clock_start, real_elapsed, clock_elapsed;

  g_setenv ("QRS_DEBUG_TIME_SCALE", "50", TRUE);
  clock = qrs_system_clock_new ();
  g_unsetenv ("QRS_DEBUG_TIME_SCALE");

  real_start = g_get_monotonic_time ();
  clock_start = qrs_clock_get_time (QRS_CLOCK (clock));
  /* 5 s on this clock: a tenth of a second of real time. */
  qrs_clock_schedule (QRS_CLOCK (clock), 5000, quit_loop, loop, NULL);
  g_main_loop_run (loop);
  real_elapsed = g_get_monotonic_time () - real_start;
  clock_elapsed = qrs_clock_get_time (QRS_CLOCK (clock)) - clock_start;

  g_assert_cmpint (real_elapsed, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (clock_elapsed, >=, 5 * G_USEC_PER_SEC - 50 * 1000);
  g_assert_cmpint (clock_elapsed, >=, real_elapsed * 40);
  g_assert_finalize_object (g_steal_pointer (&clock));

  g_setenv ("QRS_DEBUG_TIME_SCALE", "fast", TRUE);
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_WARNING, "*QRS_DEBUG_TIME_SCALE*");
  clock = qrs_system_clock_new ();
  g_test_assert_expected_messages ();
  g_unsetenv ("QRS_DEBUG_TIME_SCALE");
  real_start = g_get_monotonic_time ();
  clock_start = qrs_clock_get_time (QRS_CLOCK (clock));
  qrs_clock_schedule (QRS_CLOCK (clock), 30, quit_loop, loop, NULL);
  g_main_loop_run (loop);
  /* Real time: the clock moved as much as the world did, give or take. */
  clock_elapsed = qrs_clock_get_time (QRS_CLOCK (clock)) - clock_start;
  real_elapsed = g_get_monotonic_time () - real_start;
  g_assert_cmpint (clock_elapsed, <=, real_elapsed);
  g_assert_cmpint (clock_elapsed, >=, 30 * 1000);
  g_assert_finalize_object (g_steal_pointer (&clock));
}

static void
count_call (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_system_cancel (void)
{
  g_autoptr(QrsSystemClock) clock = qrs_system_clock_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint calls = 0;
  guint id;

  id = qrs_clock_schedule (QRS_CLOCK (clock), 10, count_call, &calls, NULL);
  qrs_clock_cancel (QRS_CLOCK (clock), id);
  /* Whole seconds take the batched seconds source; it cancels the same. */
  id = qrs_clock_schedule (QRS_CLOCK (clock), 1000, count_call, &calls, NULL);
  qrs_clock_cancel (QRS_CLOCK (clock), id);

  qrs_clock_schedule (QRS_CLOCK (clock), 30, quit_loop, loop, NULL);
  g_main_loop_run (loop);

  g_assert_cmpuint (calls, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/clock/manual/order", test_manual_order);
  ADD ("/clock/manual/chained", test_manual_chained);
  ADD ("/clock/manual/cancel", test_manual_cancel);
  ADD ("/clock/manual/negative-delay", test_manual_negative_delay);
  g_test_add_func ("/clock/system/fires", test_system_fires);
  g_test_add_func ("/clock/system/cancel", test_system_cancel);
  g_test_add_func ("/clock/system/time-scale", test_system_time_scale);

#undef ADD

  return g_test_run ();
}
