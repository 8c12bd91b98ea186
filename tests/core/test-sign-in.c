/* test-sign-in.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-core-enums.h"
#include "qrs-emulator.h"
#include "qrs-genauth-provider.h"
#include "qrs-manual-clock.h"
#include "qrs-sign-in.h"

/* The sign-in model against the in-process emulator, on a manual clock:
 * two minutes of polling take milliseconds, and every run is the same.
 */

/*
 * A network monitor the test switches on and off
 */

#define TEST_TYPE_NETWORK_MONITOR (test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestNetworkMonitor, test_network_monitor, TEST, NETWORK_MONITOR, GObject)

struct _TestNetworkMonitor
{
  GObject parent_instance;
  gboolean available;
};

enum {
  MON_PROP_0,
  MON_PROP_AVAILABLE,
  MON_PROP_METERED,
  MON_PROP_CONNECTIVITY,
};

static void test_network_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetworkMonitor, test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_network_monitor_iface_init))

static gboolean
test_initable_init (GInitable     *initable,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return TRUE;
}

static void
test_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_initable_init;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
test_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TestNetworkMonitor *self = TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case MON_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MON_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MON_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_monitor_class_init (TestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_monitor_get_property;
  g_object_class_override_property (object_class, MON_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MON_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MON_PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_monitor_init (TestNetworkMonitor *self)
{
  self->available = TRUE;
}

static void
test_network_monitor_set_available (TestNetworkMonitor *self,
                                    gboolean            available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/*
 * A provider wrapper that records every request: when it started on the
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
  guint creates;
  guint checks;
  guint exchanges;
};

static void test_recorder_provider_init (QrsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRecorder, test_recorder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (QRS_TYPE_PROVIDER, test_recorder_provider_init))

static void
recorder_began (TestRecorder *self)
{
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
}

static void
recorder_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TestRecorder *self = g_task_get_source_object (task);

  self->in_flight--;
  g_task_return_pointer (task, g_object_ref (result), g_object_unref);
}

static GTask *
recorder_task (TestRecorder        *self,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  /* The inner provider reports cancellation itself. */
  g_task_set_check_cancellable (task, FALSE);
  recorder_began (self);

  return task;
}

/* The inner result, to hand to the inner provider's _finish. */
static GAsyncResult *
recorder_inner_result (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
recorder_create_code_async (QrsProvider         *provider,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  TestRecorder *self = TEST_RECORDER (provider);

  self->creates++;
  qrs_provider_create_code_async (self->inner, cancellable, recorder_done_cb,
                                  recorder_task (self, cancellable, callback, user_data));
}

static QrsCode *
recorder_create_code_finish (QrsProvider   *provider,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autoptr(GAsyncResult) inner = recorder_inner_result (result, error);

  return qrs_provider_create_code_finish (TEST_RECORDER (provider)->inner, inner, error);
}

static void
recorder_check_status_async (QrsProvider         *provider,
                             QrsCode             *code,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  TestRecorder *self = TEST_RECORDER (provider);
  gint64 now_ms = qrs_clock_get_time (self->clock) / 1000;

  self->checks++;
  g_array_append_val (self->check_times, now_ms);
  qrs_provider_check_status_async (self->inner, code, cancellable, recorder_done_cb,
                                   recorder_task (self, cancellable, callback, user_data));
}

static QrsStatusReport *
recorder_check_status_finish (QrsProvider   *provider,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(GAsyncResult) inner = recorder_inner_result (result, error);

  return qrs_provider_check_status_finish (TEST_RECORDER (provider)->inner, inner, error);
}

static void
recorder_exchange_async (QrsProvider         *provider,
                         QrsStatusReport     *report,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  TestRecorder *self = TEST_RECORDER (provider);

  self->exchanges++;
  qrs_provider_exchange_async (self->inner, report, cancellable, recorder_done_cb,
                               recorder_task (self, cancellable, callback, user_data));
}

static QrsTokenSet *
recorder_exchange_finish (QrsProvider   *provider,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(GAsyncResult) inner = recorder_inner_result (result, error);

  return qrs_provider_exchange_finish (TEST_RECORDER (provider)->inner, inner, error);
}

static void
test_recorder_provider_init (QrsProviderInterface *iface)
{
  iface->create_code_async = recorder_create_code_async;
  iface->create_code_finish = recorder_create_code_finish;
  iface->check_status_async = recorder_check_status_async;
  iface->check_status_finish = recorder_check_status_finish;
  iface->exchange_async = recorder_exchange_async;
  iface->exchange_finish = recorder_exchange_finish;
}

static void
test_recorder_finalize (GObject *object)
{
  TestRecorder *self = TEST_RECORDER (object);

  g_clear_object (&self->inner);
  g_clear_object (&self->clock);
  g_array_unref (self->check_times);

  G_OBJECT_CLASS (test_recorder_parent_class)->finalize (object);
}

static void
test_recorder_class_init (TestRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_recorder_finalize;
}

static void
test_recorder_init (TestRecorder *self)
{
  self->check_times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/*
 * Fixture
 */

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
  gboolean timed_out;
} Fixture;

static double
fixed_random (gpointer user_data)
{
  return *(double *) user_data;
}

static void
finished_cb (QrsSignIn   *sign_in,
             QrsTokenSet *token_set,
             Fixture     *fixture)
{
  fixture->finished++;
  g_set_object (&fixture->token_set, token_set);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->emulator = qrs_emulator_new ();
  g_assert_true (qrs_emulator_start (fixture->emulator, 0, &error));
  g_assert_no_error (error);

  fixture->genauth = qrs_genauth_provider_new (qrs_emulator_get_base_url (fixture->emulator),
                                               QRS_EMULATOR_DEFAULT_APP_ID,
                                               QRS_EMULATOR_DEFAULT_USERPOOL_ID,
                                               &error);
  g_assert_no_error (error);
  /* Stalls must not cost the suite ten real seconds each. */
  qrs_genauth_provider_set_timeout (fixture->genauth, 1);

  fixture->clock = qrs_manual_clock_new ();
  fixture->recorder = g_object_new (TEST_TYPE_RECORDER, NULL);
  fixture->recorder->inner = g_object_ref (QRS_PROVIDER (fixture->genauth));
  fixture->recorder->clock = g_object_ref (QRS_CLOCK (fixture->clock));
  fixture->monitor = g_object_new (TEST_TYPE_NETWORK_MONITOR, NULL);

  fixture->sign_in = g_object_new (QRS_TYPE_SIGN_IN,
                                   "provider", fixture->recorder,
                                   "clock", fixture->clock,
                                   "network-monitor", fixture->monitor,
                                   NULL);
  fixture->random = 0.5;
  qrs_sign_in_set_random_func (fixture->sign_in, fixed_random, &fixture->random);
  g_signal_connect (fixture->sign_in, "finished", G_CALLBACK (finished_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  qrs_sign_in_cancel (fixture->sign_in);
  /* Let cancelled requests call back and drop their references. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->sign_in);
  g_assert_finalize_object (fixture->recorder);
  g_assert_finalize_object (fixture->genauth);
  g_assert_finalize_object (fixture->clock);
  g_assert_finalize_object (fixture->monitor);
  g_clear_object (&fixture->token_set);
  qrs_emulator_stop (fixture->emulator);
  g_assert_finalize_object (fixture->emulator);
}

typedef gboolean (*Condition) (Fixture *fixture, gconstpointer data);

static gboolean
watchdog_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Moves the manual clock and the emulator's together. */
static void
advance_to_next (Fixture *fixture)
{
  gint64 before = qrs_clock_get_time (QRS_CLOCK (fixture->clock));

  qrs_manual_clock_advance_to_next (fixture->clock);
  qrs_emulator_advance_clock (fixture->emulator,
                              (qrs_clock_get_time (QRS_CLOCK (fixture->clock)) - before) / (double) G_USEC_PER_SEC);
}

/* Runs the main loop, jumping the clock from timer to timer whenever
 * nothing else is ready, until @condition holds or @limit_ms of clock time
 * pass. Returns whether the condition held.
 */
static gboolean
run_until (Fixture       *fixture,
           Condition      condition,
           gconstpointer  data,
           gint64         limit_ms)
{
  gint64 deadline = qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + limit_ms * 1000;
  gboolean timed_out = FALSE;
  guint watchdog = g_timeout_add_seconds (20, watchdog_cb, &timed_out);

  while (!condition (fixture, data))
    {
      gint64 next_ms;

      g_assert_false (timed_out);

      if (g_main_context_iteration (NULL, FALSE))
        continue;

      if (fixture->recorder->in_flight == 0 &&
          qrs_manual_clock_get_next_delay (fixture->clock, &next_ms))
        {
          if (qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + next_ms * 1000 > deadline)
            break;
          advance_to_next (fixture);
          continue;
        }

      if (fixture->recorder->in_flight == 0)
        break;   /* Nothing will ever happen again. */

      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (watchdog);
  return condition (fixture, data);
}

/* Lets @ms of clock time pass, with everything that happens in it. */
static void
run_for (Fixture *fixture,
         gint64   ms);

static gboolean
never (Fixture       *fixture,
       gconstpointer  data)
{
  return FALSE;
}

static void
run_for (Fixture *fixture,
         gint64   ms)
{
  gint64 target = qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + ms * 1000;
  gint64 now;

  run_until (fixture, never, NULL, ms);
  now = qrs_clock_get_time (QRS_CLOCK (fixture->clock));
  if (now < target)
    {
      qrs_manual_clock_advance (fixture->clock, (target - now) / 1000);
      qrs_emulator_advance_clock (fixture->emulator, (target - now) / (double) G_USEC_PER_SEC);
    }
}

static gboolean
has_photo (Fixture       *fixture,
           gconstpointer  data)
{
  return qrs_sign_in_get_photo (fixture->sign_in) != NULL;
}

static gboolean
has_qr_image (Fixture       *fixture,
              gconstpointer  data)
{
  return qrs_sign_in_get_qr_image (fixture->sign_in) != NULL;
}

/* Waits, in real time and without moving the clock, for I/O that is under
 * way (downloads) to make @condition true.
 */
static void
wait_io (Fixture   *fixture,
         Condition  condition)
{
  gboolean timed_out = FALSE;
  guint watchdog = g_timeout_add_seconds (10, watchdog_cb, &timed_out);

  while (!condition (fixture, NULL) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (watchdog);
}

static gboolean
status_is (Fixture       *fixture,
           gconstpointer  data)
{
  return qrs_sign_in_get_status (fixture->sign_in) == GPOINTER_TO_INT (data);
}

static gboolean
is_finished (Fixture       *fixture,
             gconstpointer  data)
{
  return fixture->finished > 0;
}


static void
wait_for_status (Fixture         *fixture,
                 QrsSignInStatus  status)
{
  if (!run_until (fixture, status_is, GINT_TO_POINTER (status), 10 * 60 * 1000))
    g_error ("Status is %d, waited for %d", qrs_sign_in_get_status (fixture->sign_in), status);
}

static void
phone (Fixture           *fixture,
       QrsEmulatorAction  action,
       const char        *display_name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (qrs_emulator_phone (fixture->emulator, NULL, action, display_name, NULL, &error));
  g_assert_no_error (error);
}

static guint
api_requests (Fixture    *fixture,
              const char *endpoint)
{
  g_autofree char *path = g_strconcat ("/api/v3/", endpoint, NULL);

  return qrs_emulator_count_requests (fixture->emulator, path);
}

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

  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  code_id = qrs_emulator_dup_newest_code_id (fixture->emulator);
  g_assert_cmpstr (qrs_code_get_id (qrs_sign_in_get_code (fixture->sign_in)), ==, code_id);
  g_assert_cmpint (qrs_sign_in_get_time_left_ms (fixture->sign_in), ==, 120000);

  phone (fixture, QRS_EMULATOR_ACTION_SCAN, "李雷");
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  g_assert_cmpstr (qrs_sign_in_get_display_name (fixture->sign_in), ==, "李雷");
  wait_io (fixture, has_photo);
  photo = qrs_sign_in_get_photo (fixture->sign_in);
  g_assert_cmpmem (g_bytes_get_data (photo, NULL), 4, png_signature, 4);

  phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (run_until (fixture, is_finished, NULL, 10000));
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_AUTHORIZED);
  g_assert_cmpstr (qrs_token_set_get_token_type (fixture->token_set), ==, "bearer");
  g_assert_cmpint (qrs_token_set_get_expires_in (fixture->token_set), ==, 7200);
  g_assert_nonnull (qrs_token_set_get_access_token (fixture->token_set));

  /* Done means done: no request after the hand-over. */
  run_for (fixture, 60000);
  g_assert_cmpuint (api_requests (fixture, "exchange-tokenset-with-qrcode-ticket"), ==, 1);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  wait_io (fixture, has_qr_image);

  image = qrs_sign_in_get_qr_image (fixture->sign_in);
  g_assert_nonnull (image);
  g_assert_cmpmem (g_bytes_get_data (image, NULL), 4, png_signature, 4);

  /* Told not to, it encodes locally and fetches nothing. */
  qrs_sign_in_set_fetch_qr_image (fixture->sign_in, FALSE);
  qrs_sign_in_refresh (fixture->sign_in);
  g_assert_null (qrs_sign_in_get_qr_image (fixture->sign_in));
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  run_for (fixture, 100);
  g_assert_null (qrs_sign_in_get_qr_image (fixture->sign_in));
  g_assert_nonnull (qrs_code_get_qr_content (qrs_sign_in_get_code (fixture->sign_in)));
}

static void
test_cancel_on_phone (Fixture       *fixture,
                      gconstpointer  user_data)
{
  guint checks;

  qrs_sign_in_start (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Ada");
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  phone (fixture, QRS_EMULATOR_ACTION_CANCEL, NULL);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_CANCELLED);

  /* Window mode waits for the person. */
  checks = fixture->recorder->checks;
  run_for (fixture, 5 * 60 * 1000);
  g_assert_cmpuint (fixture->recorder->checks, ==, checks);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);

  qrs_sign_in_retry (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 2);
  g_assert_null (qrs_sign_in_get_display_name (fixture->sign_in));
}

static void
test_cancel_kiosk (Fixture       *fixture,
                   gconstpointer  user_data)
{
  qrs_sign_in_set_kiosk (fixture->sign_in, TRUE);
  qrs_sign_in_start (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Ada");
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  phone (fixture, QRS_EMULATOR_ACTION_CANCEL, NULL);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_CANCELLED);

  /* A kiosk starts over by itself after a pause. */
  run_for (fixture, 4900);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_CANCELLED);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  /* Five new codes by themselves, without showing "expired" in between... */
  g_signal_connect (fixture->sign_in, "notify::status", G_CALLBACK (count_expired), &expired_notifies);
  for (guint i = 1; i <= 5; i++)
    {
      run_for (fixture, 120000);
      wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
      g_assert_cmpuint (fixture->recorder->creates, ==, 1 + i);
    }
  g_assert_cmpuint (expired_notifies, ==, 0);

  /* ...then it waits for the person. */
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_EXPIRED);
  g_assert_cmpuint (expired_notifies, ==, 1);
  run_for (fixture, 10 * 60 * 1000);
  g_assert_cmpuint (fixture->recorder->creates, ==, 6);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fixture->emulator), ==, 6);
  g_assert_null (qrs_sign_in_get_code (fixture->sign_in));

  qrs_sign_in_refresh (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 7);
}

static void
test_expiry_kiosk (Fixture       *fixture,
                   gconstpointer  user_data)
{
  qrs_sign_in_set_kiosk (fixture->sign_in, TRUE);
  qrs_sign_in_start (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  run_for (fixture, 12 * 120000 + 1000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->recorder->creates, ==, 13);
}

static void
test_expiry_hidden (Fixture       *fixture,
                    gconstpointer  user_data)
{
  qrs_sign_in_start (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_sign_in_set_visible (fixture->sign_in, FALSE);

  /* Nobody sees it: a dead code is not replaced... */
  run_for (fixture, 10 * 60 * 1000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_EXPIRED);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);

  /* ...until the window is shown again. */
  qrs_sign_in_set_visible (fixture->sign_in, TRUE);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  first = qrs_emulator_dup_newest_code_id (fixture->emulator);

  run_for (fixture, 119000);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);
  run_for (fixture, 1000);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  /* Requests started per minute of clock time, as the recorder sees them;
   * the emulator's log agrees once the last one has been answered. The code
   * lives long enough not to expire in between.
   */

  /* PENDING: one request every 1.5 s, 40 a minute. */
  before = fixture->recorder->checks;
  run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->checks - before, ==, 40);

  /* SCANNED: every 0.4 s, 150 a minute. */
  phone (fixture, QRS_EMULATOR_ACTION_SCAN, NULL);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  before = fixture->recorder->checks;
  run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->checks - before, ==, 150);

  /* Hidden: every 5 s, 12 a minute; shown again, a look at once. */
  qrs_sign_in_set_visible (fixture->sign_in, FALSE);
  before = fixture->recorder->checks;
  run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->checks - before, ==, 12);
  before = fixture->recorder->checks;
  qrs_sign_in_set_visible (fixture->sign_in, TRUE);
  g_assert_cmpuint (fixture->recorder->checks, ==, before + 1);

  run_until (fixture, never, NULL, 0);
  while (fixture->recorder->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (api_requests (fixture, "check-qrcode-status"), ==, fixture->recorder->checks);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             QRS_EMULATOR_FAULT_THROTTLE, 1, 7, 0, &error);
  g_assert_no_error (error);

  first = times->len;
  run_for (fixture, 10000);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  test_network_monitor_set_available (fixture->monitor, FALSE);
  g_assert_cmpint (qrs_sign_in_get_connection (fixture->sign_in), ==, QRS_CONNECTION_OFFLINE);
  checks = fixture->recorder->checks;
  run_for (fixture, 30000);
  g_assert_cmpuint (fixture->recorder->checks, ==, checks);

  /* Back: a look at once, not at the next tick. */
  back = qrs_clock_get_time (QRS_CLOCK (fixture->clock)) / 1000;
  test_network_monitor_set_available (fixture->monitor, TRUE);
  g_assert_cmpuint (fixture->recorder->checks, ==, checks + 1);
  g_assert_cmpint (g_array_index (fixture->recorder->check_times, gint64, checks), ==, back);
  g_assert_cmpint (qrs_sign_in_get_connection (fixture->sign_in), ==, QRS_CONNECTION_ONLINE);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
}

static void
test_reconnecting (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  qrs_sign_in_start (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);

  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             QRS_EMULATOR_FAULT_HTTP500, 3, 0, 0, &error);
  g_assert_no_error (error);

  /* Two failures: still calm. The third: reconnecting, with a time. */
  while (fixture->recorder->checks < 3 || fixture->recorder->in_flight > 0)
    {
      g_assert_true (qrs_sign_in_get_connection (fixture->sign_in) == QRS_CONNECTION_ONLINE);
      if (!g_main_context_iteration (NULL, FALSE) && fixture->recorder->in_flight == 0)
        advance_to_next (fixture);
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
  run_until (fixture, never, NULL, 0);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Grace");
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (run_until (fixture, is_finished, NULL, 5 * 60 * 1000));

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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  qrs_emulator_inject_fault (fixture->emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             QRS_EMULATOR_FAULT_STATUS_ERROR, 1, 0, 0, &error);
  g_assert_no_error (error);

  wait_for_status (fixture, QRS_SIGN_IN_STATUS_ERROR);
  g_assert_cmpstr (qrs_sign_in_get_error_message (fixture->sign_in), ==,
                   "The sign-in server could not go on with this sign-in");

  /* "Try again" starts over, and this time it works. */
  qrs_sign_in_retry (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_null (qrs_sign_in_get_error_message (fixture->sign_in));
  phone (fixture, QRS_EMULATOR_ACTION_SCAN, NULL);
  phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (run_until (fixture, is_finished, NULL, 10000));
}

static void
test_server_refuses (Fixture       *fixture,
                     gconstpointer  user_data)
{
  /* A wrong app id is not something retrying fixes. */
  qrs_emulator_set_app_id (fixture->emulator, "another-app");
  qrs_sign_in_start (fixture->sign_in);
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_ERROR);

  g_assert_nonnull (qrs_sign_in_get_error_message (fixture->sign_in));
  g_assert_nonnull (qrs_sign_in_get_server_message (fixture->sign_in));
  g_assert_nonnull (qrs_sign_in_get_request_id (fixture->sign_in));
  run_for (fixture, 60000);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);
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
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_PENDING);
  phone (fixture, QRS_EMULATOR_ACTION_SCAN, "Grace");
  wait_for_status (fixture, QRS_SIGN_IN_STATUS_SCANNED);
  phone (fixture, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (run_until (fixture, is_finished, NULL, 10000));

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
    { "exchange/wrong-type", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_WRONG_TYPE } },
    { "exchange/no-data", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_NO_DATA } },
    { "exchange/error-status", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_ERROR_STATUS } },
    { "exchange/throttle", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_THROTTLE } },
    { "exchange/huge", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_HUGE } },
    { "exchange/drop", { QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, QRS_EMULATOR_FAULT_DROP } },
  };

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (capture_writer_or_default, NULL, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

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
  ADD ("/sign-in/security/no-tokens-in-logs", test_no_tokens_in_logs);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *path = g_strconcat ("/sign-in/fault/", faults[i].name, NULL);

      g_test_add (path, Fixture, &faults[i].fault, fixture_set_up, test_fault, fixture_tear_down);
    }

#undef ADD

  return g_test_run ();
}
