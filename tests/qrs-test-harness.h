/* qrs-test-harness.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qrs-emulator.h"
#include "qrs-genauth-provider.h"
#include "qrs-manual-clock.h"
#include "qrs-sign-in.h"

G_BEGIN_DECLS

/* A QrsSignIn against the in-process emulator on a manual clock: two
 * minutes of polling take milliseconds, and every run is the same. The
 * clock jumps from timer to timer whenever nothing else is ready, and the
 * emulator's clock jumps with it.
 */

/* A network monitor the test switches on and off. */
#define TEST_TYPE_NETWORK_MONITOR (test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestNetworkMonitor, test_network_monitor, TEST, NETWORK_MONITOR, GObject)

void test_network_monitor_set_available (TestNetworkMonitor *self,
                                         gboolean            available);

/* A provider wrapper that records every request: when it started on the
 * manual clock, and how many were in flight at once.
 */
#define TEST_TYPE_RECORDER (test_recorder_get_type ())
G_DECLARE_FINAL_TYPE (TestRecorder, test_recorder, TEST, RECORDER, GObject)

struct _TestRecorder
{
  GObject parent_instance;
  QrsProvider *inner;
  QrsClock *clock;
  guint in_flight;
  guint max_in_flight;
  GArray *check_times;   /* gint64 clock ms of each status request */
  GArray *create_times;  /* gint64 clock ms of each request for a code */
  guint creates;
  guint checks;
  guint exchanges;
};

typedef struct {
  QrsEmulator *emulator;
  QrsGenauthProvider *genauth;
  TestRecorder *recorder;
  QrsManualClock *clock;
  TestNetworkMonitor *monitor;
  QrsSignIn *sign_in;
  QrsTokenSet *token_set;
  guint finished;
  double random;
} QrsTestHarness;

typedef gboolean (*QrsTestCondition) (QrsTestHarness *fixture, gconstpointer data);

void     qrs_test_harness_set_up    (QrsTestHarness    *fixture,
                                     gconstpointer      user_data);
void     qrs_test_harness_tear_down (QrsTestHarness    *fixture,
                                     gconstpointer      user_data);
void     qrs_test_advance_to_next   (QrsTestHarness    *fixture);
gboolean qrs_test_run_until         (QrsTestHarness    *fixture,
                                     QrsTestCondition   condition,
                                     gconstpointer      data,
                                     gint64             limit_ms);
void     qrs_test_run_for           (QrsTestHarness    *fixture,
                                     gint64             ms);
void     qrs_test_wait_io           (QrsTestHarness    *fixture,
                                     QrsTestCondition   condition);
void     qrs_test_wait_for_status   (QrsTestHarness    *fixture,
                                     QrsSignInStatus    status);
void     qrs_test_phone             (QrsTestHarness    *fixture,
                                     QrsEmulatorAction  action,
                                     const char        *display_name);
guint    qrs_test_api_requests      (QrsTestHarness    *fixture,
                                     const char        *endpoint);

gboolean qrs_test_never             (QrsTestHarness    *fixture,
                                     gconstpointer      data);
gboolean qrs_test_status_is         (QrsTestHarness    *fixture,
                                     gconstpointer      data);
gboolean qrs_test_is_finished       (QrsTestHarness    *fixture,
                                     gconstpointer      data);
gboolean qrs_test_has_photo         (QrsTestHarness    *fixture,
                                     gconstpointer      data);
gboolean qrs_test_has_qr_image      (QrsTestHarness    *fixture,
                                     gconstpointer      data);

G_END_DECLS
