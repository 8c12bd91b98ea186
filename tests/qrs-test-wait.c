/* qrs-test-wait.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qrs-test-wait.h"

/* Waiting for something to happen, never for a fixed time: the main loop
 * runs (so replies, child processes and redraws get handled) until the
 * condition holds, and a time-out turns a hang into a failure that says
 * what did not happen.
 */

static gboolean
wake_cb (gpointer user_data)
{
  /* Only here so that a blocked iteration returns and the check runs. */
  return G_SOURCE_CONTINUE;
}

/**
 * qrs_test_wait_until:
 * @check: what is waited for
 * @user_data: for @check
 * @interval_ms: how often to look even when the main loop has nothing to
 *   do, for conditions outside this process (a file, another process's
 *   state); 0 to look only after the main loop dispatched something
 * @timeout_ms: how long to wait at most, in real time
 *
 * Runs the default main context until @check returns %TRUE.
 *
 * Returns: whether @check held before the time ran out
 */
gboolean
qrs_test_wait_until (QrsTestCheck check,
                     gpointer     user_data,
                     guint        interval_ms,
                     guint        timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint deadline_id = g_timeout_add (timeout_ms, wake_cb, NULL);
  guint interval_id = interval_ms > 0 ? g_timeout_add (interval_ms, wake_cb, NULL) : 0;
  gboolean done;

  while (!(done = check (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (deadline_id);
  if (interval_id != 0)
    g_source_remove (interval_id);

  return done;
}

static gboolean
flag_is_set (gpointer user_data)
{
  return *(const gboolean *) user_data;
}

/* Runs the main loop until a callback sets *@flag. */
gboolean
qrs_test_wait_for_flag (const gboolean *flag,
                        guint           timeout_ms)
{
  return qrs_test_wait_until (flag_is_set, (gpointer) flag, 0, timeout_ms);
}

/* Dispatches whatever is ready now, without waiting for more. */
void
qrs_test_drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
