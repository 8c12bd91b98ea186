/* qrs-trace.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib-object.h>

#include "qrs-trace.h"

/* The start-up trace (QRS_TRACE=1 in the environment): one line on stderr
 * per milestone from main() to the first frame that shows a code, with the
 * time since the process began and its resident memory then. It is how
 * tests/bench finds where start-up time and memory go. A milestone names
 * a step, never what was sent or received.
 */

static int enabled = -1;
static gint64 first_mark_us = -1;  /* monotonic */
static double first_mark_ms = -1;  /* since exec, to the clock tick */

/* When the kernel started this process, on CLOCK_BOOTTIME, in µs: field
 * 22 of /proc/self/stat, in clock ticks (10 ms each here).
 */
static gint64
read_process_start (void)
{
  g_autofree char *stat = NULL;
  const char *p;
  unsigned long long ticks;
  long hz = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) || hz <= 0)
    return -1;

  /* The command name may hold spaces and parentheses: count from the last ')'. */
  p = strrchr (stat, ')');
  if (p == NULL)
    return -1;
  for (int field = 2; field < 22 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL || sscanf (p + 1, "%llu", &ticks) != 1)
    return -1;

  return (gint64) (ticks * G_USEC_PER_SEC / (unsigned long long) hz);
}

static gint64
boottime_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_BOOTTIME, &ts) != 0)
    return 0;

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* VmRSS in kB, or -1. */
static long
read_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;
  long kb;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmRSS:");
  if (line == NULL || sscanf (line + strlen ("\nVmRSS:"), "%ld", &kb) != 1)
    return -1;

  return kb;
}

gboolean
qrs_trace_enabled (void)
{
  if (G_UNLIKELY (enabled < 0))
    {
      enabled = g_strcmp0 (g_getenv ("QRS_TRACE"), "1") == 0;
      if (enabled)
        {
          gint64 start = read_process_start ();

          first_mark_us = g_get_monotonic_time ();
          if (start >= 0)
            first_mark_ms = (boottime_us () - start) / 1000.0;
        }
    }

  return enabled;
}

/**
 * qrs_trace_mark:
 * @what: the milestone reached, in a few words
 *
 * With QRS_TRACE=1, prints "qrs-trace: <ms since exec> ms <RSS> MB <what>"
 * on stderr. Costs one test of a flag otherwise.
 */
void
qrs_trace_mark (const char *what)
{
  double ms;

  if (!qrs_trace_enabled ())
    return;

  /* The process's start is known to a clock tick only; the gaps between
   * milestones to the microsecond.
   */
  ms = MAX (first_mark_ms, 0) + (g_get_monotonic_time () - first_mark_us) / 1000.0;

  fprintf (stderr, "qrs-trace: %8.1f ms %7.1f MB  %s\n", ms, read_rss_kb () / 1024.0, what);
}

static void
after_paint_cb (GObject  *frame_clock,
                gpointer  user_data)
{
  char *what = user_data;

  qrs_trace_mark (what);
  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, user_data);
  g_free (what);
}

/**
 * qrs_trace_mark_after_paint:
 * @frame_clock: (type GdkFrameClock): the clock of the frame being drawn
 * @what: the milestone
 *
 * Marks @what once the frame being drawn is rendered (the clock's
 * "after-paint"): for the GL renderer that can be long after the
 * widgets' snapshot.
 */
void
qrs_trace_mark_after_paint (gpointer    frame_clock,
                            const char *what)
{
  if (!qrs_trace_enabled () || frame_clock == NULL)
    return;

  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), g_strdup (what));
}
