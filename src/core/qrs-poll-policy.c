/* qrs-poll-policy.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-poll-policy.h"

/**
 * qrs_poll_policy_backoff_ms:
 * @failures: failures in a row, at least 1
 * @random: a number in [0, 1)
 *
 * Exponential back-off with full jitter: anywhere between no wait and
 * base × 2^(failures − 1), capped. Clients that failed together then do not
 * come back together.
 *
 * Returns: the delay in milliseconds
 */
gint64
qrs_poll_policy_backoff_ms (guint  failures,
                            double random)
{
  gint64 ceiling = QRS_POLL_BACKOFF_BASE_MS;

  g_return_val_if_fail (failures > 0, 0);

  random = CLAMP (random, 0.0, 1.0);
  for (guint i = 1; i < failures && ceiling < QRS_POLL_BACKOFF_CAP_MS; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, QRS_POLL_BACKOFF_CAP_MS);

  return (gint64) (random * (double) ceiling);
}

/**
 * qrs_poll_policy_kiosk_pause_ms:
 * @failures: failed attempts in a row (0 after a declined sign-in)
 * @random: a number in [0, 1)
 *
 * How long a kiosk waits before it starts over after an error nobody can
 * fix at the screen (a wrong app id, a server that refuses): 5 s at first,
 * doubling with each failure in a row up to 2 minutes, with "equal jitter"
 * (between half and all of that) so that the pause grows every time while
 * a fleet of kiosks still spreads out.
 *
 * Returns: the pause in milliseconds
 */
gint64
qrs_poll_policy_kiosk_pause_ms (guint  failures,
                                double random)
{
  gint64 ceiling = QRS_POLL_KIOSK_PAUSE_MS;

  random = CLAMP (random, 0.0, 1.0);
  for (guint i = 1; i < failures && ceiling < QRS_POLL_KIOSK_PAUSE_CAP_MS; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, QRS_POLL_KIOSK_PAUSE_CAP_MS);

  return MAX (QRS_POLL_KIOSK_PAUSE_MS, (gint64) ((0.5 + random / 2.0) * (double) ceiling));
}

/* The wait before a request that may fail again: the back-off after
 * failures, and never less than the server's Retry-After.
 */
static gint64
retry_delay (const QrsPollInput *input,
             QrsRandomFunc       random,
             gpointer            random_data)
{
  gint64 delay = 0;

  if (input->failures > 0)
    delay = qrs_poll_policy_backoff_ms (input->failures, random (random_data));
  if (input->retry_after_ms > 0)
    delay = MAX (delay, input->retry_after_ms);

  return delay;
}

static gint64
check_interval (const QrsPollInput *input)
{
  /* A hidden window may still be scanned from behind another one, so it
   * keeps polling, slowly. A kiosk is always on show.
   */
  if (!input->visible && !input->kiosk)
    return QRS_POLL_HIDDEN_INTERVAL_MS;

  if (input->phase == QRS_POLL_PHASE_SCANNED)
    return QRS_POLL_SCANNED_INTERVAL_MS;

  return QRS_POLL_PENDING_INTERVAL_MS;
}

static QrsPollDecision
decision (QrsPollAction action,
          gint64        delay_ms)
{
  QrsPollDecision d = { action, MAX (delay_ms, 0), FALSE };

  return d;
}

/**
 * qrs_poll_policy_decide:
 * @input: where the attempt stands
 * @random: the source of jitter
 * @random_data: passed to @random
 *
 * What to do next and when. Pure: the same input and random numbers give
 * the same decision, with no clock and no network involved.
 *
 * Returns: the decision
 */
QrsPollDecision
qrs_poll_policy_decide (const QrsPollInput *input,
                        QrsRandomFunc       random,
                        gpointer            random_data)
{
  QrsPollDecision d;

  g_return_val_if_fail (input != NULL, decision (QRS_POLL_ACTION_WAIT_USER, 0));
  g_return_val_if_fail (random != NULL, decision (QRS_POLL_ACTION_WAIT_USER, 0));

  switch (input->phase)
    {
    case QRS_POLL_PHASE_CREATE:
      if (!input->online)
        return decision (QRS_POLL_ACTION_WAIT_NETWORK, 0);
      d = decision (QRS_POLL_ACTION_CREATE, retry_delay (input, random, random_data));
      break;

    case QRS_POLL_PHASE_PENDING:
    case QRS_POLL_PHASE_SCANNED:
      if (input->until_deadline_ms <= 0)
        return decision (QRS_POLL_ACTION_EXPIRE, 0);
      if (!input->online)
        return decision (QRS_POLL_ACTION_WAIT_NETWORK, 0);
      if (input->failures > 0 || input->retry_after_ms > 0)
        d = decision (QRS_POLL_ACTION_CHECK, retry_delay (input, random, random_data));
      else
        d = decision (QRS_POLL_ACTION_CHECK, check_interval (input));
      /* A server that sets its own pace (the device flow's interval) is
       * never asked sooner, or it answers slow_down.
       */
      d.delay_ms = MAX (d.delay_ms, input->min_check_ms);
      /* Past the deadline the code is dead whatever the server says, so
       * the next look is at the deadline at the latest.
       */
      d.delay_ms = MIN (d.delay_ms, input->until_deadline_ms);
      break;

    case QRS_POLL_PHASE_EXCHANGE:
      if (input->until_deadline_ms <= 0)
        return decision (QRS_POLL_ACTION_EXPIRE, 0);
      if (!input->online)
        return decision (QRS_POLL_ACTION_WAIT_NETWORK, 0);
      d = decision (QRS_POLL_ACTION_EXCHANGE, retry_delay (input, random, random_data));
      if (d.delay_ms >= input->until_deadline_ms)
        return decision (QRS_POLL_ACTION_EXPIRE, input->until_deadline_ms);
      break;

    case QRS_POLL_PHASE_EXPIRED:
      if (!input->visible && !input->kiosk)
        return decision (QRS_POLL_ACTION_WAIT_VISIBLE, 0);
      if (!input->kiosk && input->auto_refreshes >= input->auto_refresh_cap)
        return decision (QRS_POLL_ACTION_WAIT_USER, 0);
      if (!input->online)
        return decision (QRS_POLL_ACTION_WAIT_NETWORK, 0);
      return decision (QRS_POLL_ACTION_CREATE, 0);

    case QRS_POLL_PHASE_CANCELLED:
    case QRS_POLL_PHASE_ERROR:
      /* A person decides in window mode; a kiosk has nobody to ask, so it
       * starts over after a pause, longer each time failures keep coming,
       * and never shorter than the server asked for.
       */
      if (!input->kiosk)
        return decision (QRS_POLL_ACTION_WAIT_USER, 0);
      if (!input->online)
        return decision (QRS_POLL_ACTION_WAIT_NETWORK, 0);
      return decision (QRS_POLL_ACTION_CREATE,
                       MAX (qrs_poll_policy_kiosk_pause_ms (input->failures, random (random_data)),
                            input->retry_after_ms));

    default:
      g_return_val_if_reached (decision (QRS_POLL_ACTION_WAIT_USER, 0));
    }

  d.reconnecting = input->failures >= QRS_POLL_RECONNECTING_AFTER;

  return d;
}
