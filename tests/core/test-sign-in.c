/* test-sign-in.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-core-enums.h"
#include "qrs-test-harness.h"

/* The sign-in model against the in-process emulator, on a manual clock. */

typedef QrsTestHarness Fixture;

/*
 * Tests
 */

static void
test_full (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *code_id = NULL;
  const guint8 png_signature[] = { 0x89, 'P', 'N', 'G' };
  GBytes *photo;

  qrs_sign_in_start (fixture->sign_in);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_LOADING);

  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  code_id = qrs_emulator_dup_newest_code_id (fixture->emulator);
  g_assert_cmpstr (qrs_code_get_id (qrs_sign_in_get_code (fixture->sign_in)), ==, code_id);
  g_assert_cmpint (qrs_sign_in_get_time_left_ms (fixture->sign_in), ==, 120000);

  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, "李雷");
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  g_assert_cmpstr (qrs_sign_in_get_display_name (fixture->sign_in), ==, "李雷");
  qrs_test_wait_io (fixture, qrs_test_has_photo);
  photo = qrs_sign_in_get_photo (fixture->sign_in);
  g_assert_cmpmem (g_bytes_get_data (photo, NULL), 4, png_signature, 4);

  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (qrs_test_run_until (fixture, qrs_test_is_finished, NULL, 10000));
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_AUTHORIZED);
  g_assert_cmpstr (qrs_token_set_get_token_type (fixture->token_set), ==, "bearer");
  g_assert_cmpint (qrs_token_set_get_expires_in (fixture->token_set), ==, 7200);
  g_assert_nonnull (qrs_token_set_get_access_token (fixture->token_set));

  /* Done means done: no request after the hand-over. */
  qrs_test_run_for (fixture, 60000);
  g_assert_cmpuint (qrs_test_api_requests (fixture, "exchange-tokenset-with-qrcode-ticket"), ==, 1);
  g_assert_cmpuint (fixture->recorder->exchanges, ==, 1);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);
  g_assert_cmpuint (fixture->recorder->max_in_flight, ==, 1);
  g_assert_cmpuint (fixture->finished, ==, 1);
}

static void
test_qr_image (Fixture       *fixture,
               gconstpointer  user_data)
{
  const guint8 png_signature[] = { 0x89, 'P', 'N', 'G' };
  GBytes *image;

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_wait_io (fixture, qrs_test_has_qr_image);

  image = qrs_sign_in_get_qr_image (fixture->sign_in);
  g_assert_nonnull (image);
  g_assert_cmpmem (g_bytes_get_data (image, NULL), 4, png_signature, 4);

  /* Told not to, it encodes locally and fetches nothing. */
  qrs_sign_in_set_fetch_qr_image (fixture->sign_in, FALSE);
  qrs_sign_in_refresh (fixture->sign_in);
  g_assert_null (qrs_sign_in_get_qr_image (fixture->sign_in));
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_run_for (fixture, 100);
  g_assert_null (qrs_sign_in_get_qr_image (fixture->sign_in));
  g_assert_nonnull (qrs_code_get_qr_content (qrs_sign_in_get_code (fixture->sign_in)));
}

static void
test_cancel_on_phone (Fixture       *fixture,
                      gconstpointer  user_data)
{
  guint checks;

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Ada");
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_CANCEL, NULL);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_CANCELLED);

  /* Window mode waits for the person. */
  checks = fixture->recorder->checks;
  qrs_test_run_for (fixture, 5 * 60 * 1000);
  g_assert_cmpuint (fixture->recorder->checks, ==, checks);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);

  qrs_sign_in_retry (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 2);
  g_assert_null (qrs_sign_in_get_display_name (fixture->sign_in));
}

static void
test_cancel_kiosk (Fixture       *fixture,
                   gconstpointer  user_data)
{
  qrs_sign_in_set_kiosk (fixture->sign_in, TRUE);
  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Ada");
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_CANCEL, NULL);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_CANCELLED);

  /* A kiosk starts over by itself after a pause. */
  qrs_test_run_for (fixture, 4900);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_CANCELLED);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 2);
}

static void
count_expired (QrsSignIn  *sign_in,
               GParamSpec *pspec,
               guint      *count)
{
  if (qrs_sign_in_get_status (sign_in) == QRS_SIGN_IN_STATUS_EXPIRED)
    (*count)++;
}

static void
test_expiry_refresh_cap (Fixture       *fixture,
                         gconstpointer  user_data)
{
  guint expired_notifies = 0;

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  /* Five new codes by themselves, without showing "expired" in between... */
  g_signal_connect (fixture->sign_in, "notify::status", G_CALLBACK (count_expired), &expired_notifies);
  for (guint i = 1; i <= 5; i++)
    {
      qrs_test_run_for (fixture, 120000);
      qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
      g_assert_cmpuint (fixture->recorder->creates, ==, 1 + i);
    }
  g_assert_cmpuint (expired_notifies, ==, 0);

  /* ...then it waits for the person. */
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_EXPIRED);
  g_assert_cmpuint (expired_notifies, ==, 1);
  qrs_test_run_for (fixture, 10 * 60 * 1000);
  g_assert_cmpuint (fixture->recorder->creates, ==, 6);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fixture->emulator), ==, 6);
  g_assert_null (qrs_sign_in_get_code (fixture->sign_in));

  qrs_sign_in_refresh (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 7);
}

static void
test_expiry_kiosk (Fixture       *fixture,
                   gconstpointer  user_data)
{
  qrs_sign_in_set_kiosk (fixture->sign_in, TRUE);
  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  qrs_test_run_for (fixture, 12 * 120000 + 1000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 13);
}

static void
test_expiry_hidden (Fixture       *fixture,
                    gconstpointer  user_data)
{
  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_sign_in_set_visible (fixture->sign_in, FALSE);

  /* Nobody sees it: a dead code is not replaced... */
  qrs_test_run_for (fixture, 10 * 60 * 1000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_EXPIRED);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);

  /* ...until the window is shown again. */
  qrs_sign_in_set_visible (fixture->sign_in, TRUE);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 2);
}

static void
test_expiry_local_deadline (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *first = NULL;
  g_autofree char *server_status = NULL;

  /* The server would keep the code for ten minutes; we do not. */
  qrs_emulator_set_qr_ttl (fixture->emulator, 600);
  qrs_sign_in_set_auto_refresh_cap (fixture->sign_in, 0);
  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  first = qrs_emulator_dup_newest_code_id (fixture->emulator);

  qrs_test_run_for (fixture, 119000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_run_for (fixture, 1000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_EXPIRED);
  server_status = qrs_emulator_dup_code_status (fixture->emulator, first);
  g_assert_cmpstr (server_status, ==, "PENDING");
}

static void
test_rates (Fixture       *fixture,
            gconstpointer  user_data)
{
  guint before;

  qrs_emulator_set_qr_ttl (fixture->emulator, 600);
  qrs_genauth_provider_set_qr_lifetime (fixture->genauth, 600);
  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  /* Requests started per minute of clock time, as the recorder sees them;
   * the emulator's log agrees once the last one has been answered. The code
   * lives long enough not to expire in between.
   */

  /* PENDING: one request every 1.5 s, 40 a minute. */
  before = fixture->recorder->checks;
  qrs_test_run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->checks - before, ==, 40);

  /* SCANNED: every 0.4 s, 150 a minute. */
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, NULL);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  before = fixture->recorder->checks;
  qrs_test_run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->checks - before, ==, 150);

  /* Hidden: every 5 s, 12 a minute; shown again, a look at once. */
  qrs_sign_in_set_visible (fixture->sign_in, FALSE);
  before = fixture->recorder->checks;
  qrs_test_run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->checks - before, ==, 12);
  before = fixture->recorder->checks;
  qrs_sign_in_set_visible (fixture->sign_in, TRUE);
  g_assert_cmpuint (fixture->recorder->checks, ==, before + 1);

  qrs_test_run_until (fixture, qrs_test_never, NULL, 0);
  while (fixture->recorder->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (qrs_test_api_requests (fixture, "check-qrcode-status"), ==, fixture->recorder->checks);
  g_assert_cmpuint (fixture->recorder->max_in_flight, ==, 1);
}

static void
test_throttle (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  GArray *times = fixture->recorder->check_times;
  guint first;

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             QRS_EMULATOR_FAULT_THROTTLE, 1, 7, 0, &error);
  g_assert_no_error (error);

  first = times->len;
  qrs_test_run_for (fixture, 10000);
  g_assert_cmpuint (times->len, >=, first + 2);

  /* The throttled request, then nothing for the 7 s Retry-After asks. */
  g_assert_cmpint (g_array_index (times, gint64, first + 1) - g_array_index (times, gint64, first), ==, 7000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  user_data)
{
  guint checks;
  gint64 back;

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  test_network_monitor_set_available (fixture->monitor, FALSE);
  g_assert_cmpint (qrs_sign_in_get_connection (fixture->sign_in), ==, QRS_CONNECTION_OFFLINE);
  checks = fixture->recorder->checks;
  qrs_test_run_for (fixture, 30000);
  g_assert_cmpuint (fixture->recorder->checks, ==, checks);

  /* Back: a look at once, not at the next tick. */
  back = qrs_clock_get_time (QRS_CLOCK (fixture->clock)) / 1000;
  test_network_monitor_set_available (fixture->monitor, TRUE);
  g_assert_cmpuint (fixture->recorder->checks, ==, checks + 1);
  g_assert_cmpint (g_array_index (fixture->recorder->check_times, gint64, checks), ==, back);
  g_assert_cmpint (qrs_sign_in_get_connection (fixture->sign_in), ==, QRS_CONNECTION_ONLINE);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
}

static void
test_reconnecting (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             QRS_EMULATOR_FAULT_HTTP500, 3, 0, 0, &error);
  g_assert_no_error (error);

  /* Two failures: still calm. The third: reconnecting, with a time. */
  while (fixture->recorder->checks < 3 || fixture->recorder->in_flight > 0)
    {
      g_assert_true (qrs_sign_in_get_connection (fixture->sign_in) == QRS_CONNECTION_ONLINE);
      if (!g_main_context_iteration (NULL, FALSE) && fixture->recorder->in_flight == 0)
        qrs_test_advance_to_next (fixture);
      else if (fixture->recorder->in_flight > 0)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (qrs_sign_in_get_connection (fixture->sign_in), ==, QRS_CONNECTION_RECONNECTING);
  g_assert_cmpint (qrs_sign_in_get_retry_at (fixture->sign_in), >, qrs_clock_get_time (QRS_CLOCK (fixture->clock)));
  g_assert_nonnull (qrs_sign_in_get_error_message (fixture->sign_in));
  /* The code on show stays valid all along. */
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);

  /* "Retry now" skips the back-off; success clears everything. */
  qrs_sign_in_retry (fixture->sign_in);
  g_assert_cmpuint (fixture->recorder->checks, ==, 4);
  qrs_test_run_until (fixture, qrs_test_never, NULL, 0);
  while (fixture->recorder->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (qrs_sign_in_get_connection (fixture->sign_in), ==, QRS_CONNECTION_ONLINE);
  g_assert_null (qrs_sign_in_get_error_message (fixture->sign_in));
  g_assert_cmpint (qrs_sign_in_get_retry_at (fixture->sign_in), ==, 0);
}

typedef struct {
  QrsEmulatorEndpoint endpoint;
  QrsEmulatorFault mode;
} FaultCase;

/* Every transient fault, on every endpoint: the sign-in still completes,
 * by itself, with exactly one successful exchange.
 */
static void
test_fault (Fixture       *fixture,
            gconstpointer  user_data)
{
  const FaultCase *fault = user_data;
  g_autoptr(GError) error = NULL;

  qrs_emulator_inject_fault (fixture->emulator, fault->endpoint, fault->mode, 2, 2, 30, &error);
  g_assert_no_error (error);

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Grace");
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (qrs_test_run_until (fixture, qrs_test_is_finished, NULL, 5 * 60 * 1000));

  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_nonnull (qrs_token_set_get_access_token (fixture->token_set));
  g_assert_cmpuint (fixture->recorder->max_in_flight, ==, 1);
  g_assert_cmpint (qrs_sign_in_get_connection (fixture->sign_in), ==, QRS_CONNECTION_ONLINE);
  g_assert_null (qrs_sign_in_get_error_message (fixture->sign_in));
}

static void
test_status_error (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             QRS_EMULATOR_FAULT_STATUS_ERROR, 1, 0, 0, &error);
  g_assert_no_error (error);

  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_ERROR);
  g_assert_cmpstr (qrs_sign_in_get_error_message (fixture->sign_in), ==,
                   "The sign-in server stopped this sign-in. Start again with a new code.");

  /* "Try again" starts over, and this time it works. */
  qrs_sign_in_retry (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_null (qrs_sign_in_get_error_message (fixture->sign_in));
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, NULL);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (qrs_test_run_until (fixture, qrs_test_is_finished, NULL, 10000));
}

static void
test_server_refuses (Fixture       *fixture,
                     gconstpointer  user_data)
{
  /* A wrong app id is not something retrying fixes. */
  qrs_emulator_set_app_id (fixture->emulator, "another-app");
  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_ERROR);

  g_assert_nonnull (qrs_sign_in_get_error_message (fixture->sign_in));
  g_assert_nonnull (qrs_sign_in_get_server_message (fixture->sign_in));
  g_assert_nonnull (qrs_sign_in_get_request_id (fixture->sign_in));
  qrs_test_run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);
}

/* The server says the exchange succeeded but its tokens cannot be used:
 * the single-use ticket is spent, so it is not tried again, and the real
 * cause is what the person sees, not "ticket invalid".
 */
static void
test_unusable_tokens_not_retried (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET,
                             QRS_EMULATOR_FAULT_WRONG_TYPE, 2, 0, 0, &error);
  g_assert_no_error (error);

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Grace");
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_ERROR);

  qrs_test_run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->exchanges, ==, 1);
  g_assert_cmpuint (fixture->finished, ==, 0);
  g_assert_cmpint (qrs_sign_in_get_trouble (fixture->sign_in), ==, QRS_TROUBLE_SERVER);
  g_assert_nonnull (strstr (qrs_sign_in_get_error_message (fixture->sign_in), "access_token"));
}

static gboolean
creates_reached (QrsTestHarness *fixture,
                 gconstpointer   data)
{
  return fixture->recorder->creates >= GPOINTER_TO_UINT (data) && fixture->recorder->in_flight == 0;
}

/* A kiosk whose server keeps refusing (a wrong app id) starts over by
 * itself, each time after a longer pause, up to a cap; the screen knows
 * when the next try is; the first answer that works resets it all.
 */
static void
test_kiosk_back_off (Fixture       *fixture,
                     gconstpointer  user_data)
{
  GArray *times = fixture->recorder->create_times;
  g_autoptr(GError) error = NULL;
  gint64 previous_gap = 0;

  qrs_emulator_set_app_id (fixture->emulator, "another-app");
  qrs_sign_in_set_kiosk (fixture->sign_in, TRUE);
  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_ERROR);

  /* The first failure: the next try is announced, 5 s away. */
  g_assert_cmpint (qrs_sign_in_get_retry_at (fixture->sign_in), ==,
                   qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + 5000 * 1000);

  /* Ten failures in a row: ten gaps, each the policy's pause for that
   * many failures (the harness's jitter is a fixed 0.5), growing to the cap.
   */
  g_assert_true (qrs_test_run_until (fixture, creates_reached, GUINT_TO_POINTER (11), 60 * 60 * 1000));
  g_assert_cmpuint (times->len, ==, 11);
  for (guint i = 1; i < times->len; i++)
    {
      gint64 gap = g_array_index (times, gint64, i) - g_array_index (times, gint64, i - 1);

      g_assert_cmpint (gap, ==, qrs_poll_policy_kiosk_pause_ms (i, 0.5));
      g_assert_cmpint (gap, >=, previous_gap);
      g_assert_cmpint (gap, <=, QRS_POLL_KIOSK_PAUSE_CAP_MS);
      previous_gap = gap;
    }
  g_assert_cmpint (g_array_index (times, gint64, 1) - g_array_index (times, gint64, 0), ==, 5000);
  g_assert_cmpint (previous_gap, ==, 90000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_ERROR);

  /* The server is fixed: the next try works, and the count is over. */
  qrs_emulator_set_app_id (fixture->emulator, QRS_EMULATOR_DEFAULT_APP_ID);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpint (qrs_sign_in_get_retry_at (fixture->sign_in), ==, 0);

  /* So the next error waits 5 s again, not 90. */
  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             QRS_EMULATOR_FAULT_STATUS_ERROR, 1, 0, 0, &error);
  g_assert_no_error (error);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_ERROR);
  g_assert_cmpint (qrs_sign_in_get_retry_at (fixture->sign_in), ==,
                   qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + 5000 * 1000);
}

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        g_string_append_len (captured_log, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value) : fields[i].length);
        g_string_append_c (captured_log, '\n');
      }

  return G_LOG_WRITER_HANDLED;
}

static GLogWriterOutput
capture_writer_or_default (GLogLevelFlags   log_level,
                           const GLogField *fields,
                           gsize            n_fields,
                           gpointer         user_data)
{
  if (captured_log != NULL)
    return capture_writer (log_level, fields, n_fields, user_data);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_no_tokens_in_logs (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *tokens[3];

  captured_log = g_string_new (NULL);
  g_log_set_debug_enabled (TRUE);

  qrs_sign_in_start (fixture->sign_in);
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Grace");
  qrs_test_wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  qrs_test_phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (qrs_test_run_until (fixture, qrs_test_is_finished, NULL, 10000));

  g_log_set_debug_enabled (FALSE);

  tokens[0] = qrs_token_set_get_access_token (fixture->token_set);
  tokens[1] = qrs_token_set_get_id_token (fixture->token_set);
  tokens[2] = qrs_token_set_get_refresh_token (fixture->token_set);

  /* The flow was logged, the secrets were not. */
  g_assert_nonnull (strstr (captured_log->str, "Sign-in status"));
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_assert_nonnull (tokens[i]);
      g_assert_cmpuint (strlen (tokens[i]), >, 8);
      g_assert_null (strstr (captured_log->str, tokens[i]));
    }

  g_string_free (captured_log, TRUE);
  captured_log = NULL;
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    FaultCase fault;
  } faults[] = {
    { "gene-qrcode/http500", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_HTTP500 } },
    { "gene-qrcode/html", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_HTML } },
    { "gene-qrcode/malformed", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_MALFORMED } },
    { "gene-qrcode/wrong-type", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_WRONG_TYPE } },
    { "gene-qrcode/no-data", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_NO_DATA } },
    { "gene-qrcode/error-status", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_ERROR_STATUS } },
    { "gene-qrcode/throttle", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_THROTTLE } },
    { "gene-qrcode/huge", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_HUGE } },
    { "gene-qrcode/stall", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_STALL } },
    { "gene-qrcode/drop", { QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_DROP } },
    { "check/http500", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_HTTP500 } },
    { "check/html", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_HTML } },
    { "check/malformed", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_MALFORMED } },
    { "check/wrong-type", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_WRONG_TYPE } },
    { "check/unknown-status", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_UNKNOWN_STATUS } },
    { "check/no-data", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_NO_DATA } },
    { "check/error-status", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_ERROR_STATUS } },
    { "check/throttle", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_THROTTLE } },
    { "check/huge", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_HUGE } },
    { "check/stall", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_STALL } },
    { "check/drop", { QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_DROP } },
    { "exchange/http500", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_HTTP500 } },
    { "exchange/html", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_HTML } },
    { "exchange/malformed", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_MALFORMED } },
    { "exchange/no-data", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_NO_DATA } },
    { "exchange/error-status", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_ERROR_STATUS } },
    { "exchange/throttle", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_THROTTLE } },
    { "exchange/huge", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_HUGE } },
    { "exchange/drop", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_DROP } },
  };

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (capture_writer_or_default, NULL, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, qrs_test_harness_set_up, func, qrs_test_harness_tear_down)

  ADD ("/sign-in/full", test_full);
  ADD ("/sign-in/qr-image", test_qr_image);
  ADD ("/sign-in/cancel/on-phone", test_cancel_on_phone);
  ADD ("/sign-in/cancel/kiosk", test_cancel_kiosk);
  ADD ("/sign-in/expiry/refresh-cap", test_expiry_refresh_cap);
  ADD ("/sign-in/expiry/kiosk", test_expiry_kiosk);
  ADD ("/sign-in/expiry/hidden", test_expiry_hidden);
  ADD ("/sign-in/expiry/local-deadline", test_expiry_local_deadline);
  ADD ("/sign-in/policy/rates", test_rates);
  ADD ("/sign-in/policy/throttle", test_throttle);
  ADD ("/sign-in/policy/offline", test_offline);
  ADD ("/sign-in/policy/reconnecting", test_reconnecting);
  ADD ("/sign-in/error/status-error", test_status_error);
  ADD ("/sign-in/error/server-refuses", test_server_refuses);
  ADD ("/sign-in/error/kiosk-back-off", test_kiosk_back_off);
  ADD ("/sign-in/error/unusable-tokens-not-retried", test_unusable_tokens_not_retried);
  ADD ("/sign-in/security/no-tokens-in-logs", test_no_tokens_in_logs);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strconcat ("/sign-in/fault/", faults[i].name, NULL);

      g_test_add (path, Fixture, &faults[i].fault, qrs_test_harness_set_up, test_fault, qrs_test_harness_tear_down);
    }

#undef ADD

  return g_test_run ();
}
