/* test-poll-policy.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-poll-policy.h"

static double
fixed_random (gpointer user_data)
{
  return *(double *) user_data;
}

static double
forbidden_random (gpointer user_data)
{
  g_assert_not_reached ();
}

/* A visible window, online, a fresh code with two minutes to go. */
static QrsPollInput
input_for (QrsPollPhase phase)
{
  QrsPollInput input = {
    .phase = phase,
    .failures = 0,
    .retry_after_ms = -1,
    .visible = TRUE,
    .online = TRUE,
    .until_deadline_ms = 120000,
    .kiosk = FALSE,
    .auto_refreshes = 0,
    .auto_refresh_cap = 5,
  };

  return input;
}

static void
assert_decision (const QrsPollInput *input,
                 double              random,
                 QrsPollAction       action,
                 gint64              delay_ms,
                 gboolean            reconnecting)
{
  QrsPollDecision d = qrs_poll_policy_decide (input, fixed_random, &random);

  g_assert_cmpint (d.action, ==, action);
  g_assert_cmpint (d.delay_ms, ==, delay_ms);
  g_assert_cmpint (d.reconnecting, ==, reconnecting);
}

static void
test_backoff_full_jitter (void)
{
  /* Ceiling = 1 s × 2^(failures − 1), capped at 30 s; the wait is a random
   * fraction of it.
   */
  g_assert_cmpint (qrs_poll_policy_backoff_ms (1, 0.0), ==, 0);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (1, 0.5), ==, 500);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (1, 0.999), ==, 999);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (2, 0.999), ==, 1998);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (3, 0.5), ==, 2000);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (5, 0.5), ==, 8000);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (5, 0.999), ==, 15984);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (6, 0.5), ==, 15000);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (6, 0.999), ==, 29970);
  g_assert_cmpint (qrs_poll_policy_backoff_ms (1000, 0.999), ==, 29970);
}

static void
test_pending_interval (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_PENDING);
  QrsPollDecision d = qrs_poll_policy_decide (&input, forbidden_random, NULL);

  /* A healthy poll is never jittered. */
  g_assert_cmpint (d.action, ==, QRS_POLL_ACTION_CHECK);
  g_assert_cmpint (d.delay_ms, ==, 1500);
  g_assert_false (d.reconnecting);
}

static void
test_scanned_interval (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_SCANNED);

  assert_decision (&input, 0, QRS_POLL_ACTION_CHECK, 400, FALSE);
}

static void
test_hidden_interval (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_PENDING);

  input.visible = FALSE;
  assert_decision (&input, 0, QRS_POLL_ACTION_CHECK, 5000, FALSE);
  input.phase = QRS_POLL_PHASE_SCANNED;
  assert_decision (&input, 0, QRS_POLL_ACTION_CHECK, 5000, FALSE);

  /* A kiosk is always on show, whatever the toplevel state says. */
  input.kiosk = TRUE;
  assert_decision (&input, 0, QRS_POLL_ACTION_CHECK, 400, FALSE);
  input.phase = QRS_POLL_PHASE_PENDING;
  assert_decision (&input, 0, QRS_POLL_ACTION_CHECK, 1500, FALSE);
}

static void
test_failures_back_off (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_SCANNED);

  input.failures = 1;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 500, FALSE);
  input.failures = 2;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 1000, FALSE);
  /* From the third failure in a row the window says it is reconnecting. */
  input.failures = 3;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 2000, TRUE);
  input.failures = 9;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 15000, TRUE);
}

static void
test_retry_after (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_PENDING);

  /* Retry-After is a floor under the back-off... */
  input.failures = 1;
  input.retry_after_ms = 7000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 7000, FALSE);

  /* ...not a ceiling over it. */
  input.failures = 5;
  input.retry_after_ms = 200;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 8000, TRUE);

  /* And it counts on its own. */
  input.failures = 0;
  input.retry_after_ms = 3000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 3000, FALSE);
}

static void
test_offline (void)
{
  const QrsPollPhase phases[] = {
    QRS_POLL_PHASE_CREATE,
    QRS_POLL_PHASE_PENDING,
    QRS_POLL_PHASE_SCANNED,
    QRS_POLL_PHASE_EXCHANGE,
    QRS_POLL_PHASE_EXPIRED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      QrsPollInput input = input_for (phases[i]);

      input.online = FALSE;
      input.failures = 4;
      assert_decision (&input, 0.5, QRS_POLL_ACTION_WAIT_NETWORK, 0, FALSE);
    }
}

static void
test_deadline (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_PENDING);

  /* The next look is at the deadline at the latest. */
  input.until_deadline_ms = 1000;
  assert_decision (&input, 0, QRS_POLL_ACTION_CHECK, 1000, FALSE);
  input.until_deadline_ms = 1;
  assert_decision (&input, 0, QRS_POLL_ACTION_CHECK, 1, FALSE);

  /* At the deadline the code is dead, even offline. */
  input.until_deadline_ms = 0;
  assert_decision (&input, 0, QRS_POLL_ACTION_EXPIRE, 0, FALSE);
  input.online = FALSE;
  input.until_deadline_ms = -5000;
  assert_decision (&input, 0, QRS_POLL_ACTION_EXPIRE, 0, FALSE);

  input = input_for (QRS_POLL_PHASE_SCANNED);
  input.failures = 6;
  input.until_deadline_ms = 4000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 4000, TRUE);
}

static void
test_exchange (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_EXCHANGE);

  input.until_deadline_ms = 300000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_EXCHANGE, 0, FALSE);

  input.failures = 2;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_EXCHANGE, 1000, FALSE);

  /* A ticket that would be dead before the retry is given up at its end. */
  input.until_deadline_ms = 900;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_EXPIRE, 900, FALSE);
  input.until_deadline_ms = 0;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_EXPIRE, 0, FALSE);

  /* The phone may still be on show while the window is hidden. */
  input = input_for (QRS_POLL_PHASE_EXCHANGE);
  input.visible = FALSE;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_EXCHANGE, 0, FALSE);
}

static void
test_expired_refresh_cap (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_EXPIRED);

  for (guint i = 0; i < 5; i++)
    {
      input.auto_refreshes = i;
      assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 0, FALSE);
    }

  input.auto_refreshes = 5;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_WAIT_USER, 0, FALSE);

  /* A kiosk has no cap. */
  input.kiosk = TRUE;
  input.auto_refreshes = 100000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 0, FALSE);
}

static void
test_expired_hidden (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_EXPIRED);

  input.visible = FALSE;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_WAIT_VISIBLE, 0, FALSE);

  input.kiosk = TRUE;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 0, FALSE);
}

static void
test_cancelled_and_error (void)
{
  const QrsPollPhase phases[] = { QRS_POLL_PHASE_CANCELLED, QRS_POLL_PHASE_ERROR };

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      QrsPollInput input = input_for (phases[i]);

      assert_decision (&input, 0.5, QRS_POLL_ACTION_WAIT_USER, 0, FALSE);

      /* A kiosk starts over by itself after a pause... */
      input.kiosk = TRUE;
      assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 5000, FALSE);

      /* ...a longer one while failures keep coming... */
      input.failures = 6;
      assert_decision (&input, 0.0, QRS_POLL_ACTION_CREATE, 60000, FALSE);
      assert_decision (&input, 0.9, QRS_POLL_ACTION_CREATE, 114000, FALSE);

      /* ...never shorter than the server asked for... */
      input.failures = 1;
      input.retry_after_ms = 30000;
      assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 30000, FALSE);
      input.retry_after_ms = -1;

      /* ...and not at all while offline. */
      input.online = FALSE;
      assert_decision (&input, 0.9, QRS_POLL_ACTION_WAIT_NETWORK, 0, FALSE);
    }
}

/* A server that sets its own pace is never asked sooner, whatever the
 * state: not while scanned, not after a failure.
 */
static void
test_server_pace (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_PENDING);

  input.min_check_ms = 5000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 5000, FALSE);
  input.phase = QRS_POLL_PHASE_SCANNED;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 5000, FALSE);
  input.failures = 1;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 5000, FALSE);
  input.failures = 6;
  assert_decision (&input, 0.9, QRS_POLL_ACTION_CHECK, 27000, TRUE);

  /* ...but the deadline still comes first. */
  input.failures = 0;
  input.until_deadline_ms = 3000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CHECK, 3000, FALSE);
}

/* The kiosk's pause grows with every failure in a row, whatever the
 * jitter, up to two minutes.
 */
static void
test_kiosk_pause (void)
{
  static const gint64 lowest[] = { 5000, 5000, 5000, 10000, 20000, 40000, 60000, 60000, 60000, 60000, 60000 };
  static const gint64 highest[] = { 5000, 5000, 10000, 20000, 40000, 80000, 120000, 120000, 120000, 120000, 120000 };
  gint64 previous_high = 0;

  for (guint failures = 0; failures < G_N_ELEMENTS (lowest); failures++)
    {
      gint64 low = qrs_poll_policy_kiosk_pause_ms (failures, 0.0);
      gint64 high = qrs_poll_policy_kiosk_pause_ms (failures, 0.999999);

      g_assert_cmpint (low, ==, lowest[failures]);
      g_assert_cmpint (high, >=, highest[failures] - 1);
      g_assert_cmpint (high, <=, highest[failures]);
      /* The least it can be is never less than the most it was two failures before. */
      if (failures >= 2)
        g_assert_cmpint (low, >=, MIN (qrs_poll_policy_kiosk_pause_ms (failures - 2, 0.999999), QRS_POLL_KIOSK_PAUSE_CAP_MS / 2));
      g_assert_cmpint (high, >=, previous_high);
      previous_high = high;
    }

  g_assert_cmpint (qrs_poll_policy_kiosk_pause_ms (1000, 0.5), ==, 90000);
}

static void
test_create (void)
{
  QrsPollInput input = input_for (QRS_POLL_PHASE_CREATE);

  assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 0, FALSE);
  input.failures = 4;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 4000, TRUE);
  input.retry_after_ms = 10000;
  assert_decision (&input, 0.5, QRS_POLL_ACTION_CREATE, 10000, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/poll-policy/backoff/full-jitter", test_backoff_full_jitter);
  g_test_add_func ("/poll-policy/interval/pending", test_pending_interval);
  g_test_add_func ("/poll-policy/interval/scanned", test_scanned_interval);
  g_test_add_func ("/poll-policy/interval/hidden", test_hidden_interval);
  g_test_add_func ("/poll-policy/failures/back-off", test_failures_back_off);
  g_test_add_func ("/poll-policy/failures/retry-after", test_retry_after);
  g_test_add_func ("/poll-policy/offline", test_offline);
  g_test_add_func ("/poll-policy/deadline", test_deadline);
  g_test_add_func ("/poll-policy/exchange", test_exchange);
  g_test_add_func ("/poll-policy/expired/refresh-cap", test_expired_refresh_cap);
  g_test_add_func ("/poll-policy/expired/hidden", test_expired_hidden);
  g_test_add_func ("/poll-policy/cancelled-and-error", test_cancelled_and_error);
  g_test_add_func ("/poll-policy/create", test_create);
  g_test_add_func ("/poll-policy/kiosk-pause", test_kiosk_pause);
  g_test_add_func ("/poll-policy/server-pace", test_server_pace);

  return g_test_run ();
}
