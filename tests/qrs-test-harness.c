/* qrs-test-harness.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-test-harness.h"
#include "qrs-test-wait.h"

/* Real time a test may spend running the clock up to a condition, and
 * waiting for downloads, before it fails.
 */
#define RUN_TIMEOUT_MS 20000
#define IO_TIMEOUT_MS  10000

/*
 * A network monitor the test switches on and off
 */

struct _TestNetworkMonitor
{
  GObject  parent_instance;
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

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetworkMonitor, test_network_monitor, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_initable_iface_init) G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_network_monitor_iface_init))

static gboolean
test_initable_init (GInitable    *initable,
                    GCancellable *cancellable,
                    GError      **error)
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

void
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

static void test_recorder_provider_init (QrsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRecorder, test_recorder, G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (QRS_TYPE_PROVIDER, test_recorder_provider_init))

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
  g_autoptr (GTask) task = user_data;
  TestRecorder *self = g_task_get_source_object (task);

  self->in_flight--;
  g_task_return_pointer (task, g_object_ref (result), g_object_unref);
}

static GTask *
recorder_task (TestRecorder       *self,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  /* The inner provider reports cancellation itself. */
  g_task_set_check_cancellable (task, FALSE);
  recorder_began (self);

  return task;
}

/* The inner result, to hand to the inner provider's _finish. */
static GAsyncResult *
recorder_inner_result (GAsyncResult *result,
                       GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
recorder_create_code_async (QrsProvider        *provider,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  TestRecorder *self = TEST_RECORDER (provider);
  gint64        now_ms = qrs_clock_get_time (self->clock) / 1000;

  self->creates++;
  g_array_append_val (self->create_times, now_ms);
  qrs_provider_create_code_async (self->inner, cancellable, recorder_done_cb,
                                  recorder_task (self, cancellable, callback, user_data));
}

static QrsCode *
recorder_create_code_finish (QrsProvider  *provider,
                             GAsyncResult *result,
                             GError      **error)
{
  g_autoptr (GAsyncResult) inner = recorder_inner_result (result, error);

  return qrs_provider_create_code_finish (TEST_RECORDER (provider)->inner, inner, error);
}

static void
recorder_check_status_async (QrsProvider        *provider,
                             QrsCode            *code,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  TestRecorder *self = TEST_RECORDER (provider);
  gint64        now_ms = qrs_clock_get_time (self->clock) / 1000;

  self->checks++;
  g_array_append_val (self->check_times, now_ms);
  qrs_provider_check_status_async (self->inner, code, cancellable, recorder_done_cb,
                                   recorder_task (self, cancellable, callback, user_data));
}

static QrsStatusReport *
recorder_check_status_finish (QrsProvider  *provider,
                              GAsyncResult *result,
                              GError      **error)
{
  g_autoptr (GAsyncResult) inner = recorder_inner_result (result, error);

  return qrs_provider_check_status_finish (TEST_RECORDER (provider)->inner, inner, error);
}

static void
recorder_exchange_async (QrsProvider        *provider,
                         QrsStatusReport    *report,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  TestRecorder *self = TEST_RECORDER (provider);

  self->exchanges++;
  qrs_provider_exchange_async (self->inner, report, cancellable, recorder_done_cb,
                               recorder_task (self, cancellable, callback, user_data));
}

static QrsTokenSet *
recorder_exchange_finish (QrsProvider  *provider,
                          GAsyncResult *result,
                          GError      **error)
{
  g_autoptr (GAsyncResult) inner = recorder_inner_result (result, error);

  return qrs_provider_exchange_finish (TEST_RECORDER (provider)->inner, inner, error);
}

/* Pictures are not requests to the sign-in server: not recorded. */
static QrsNetClient *
recorder_get_net_client (QrsProvider *provider)
{
  QrsProvider *inner = TEST_RECORDER (provider)->inner;

  return QRS_PROVIDER_GET_IFACE (inner)->get_net_client (inner);
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
  iface->get_net_client = recorder_get_net_client;
}

static void
test_recorder_finalize (GObject *object)
{
  TestRecorder *self = TEST_RECORDER (object);

  g_clear_object (&self->inner);
  g_clear_object (&self->clock);
  g_array_unref (self->check_times);
  g_array_unref (self->create_times);

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
  self->create_times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/*
 * QrsTestHarness
 */

static double
fixed_random (gpointer user_data)
{
  return *(double *)user_data;
}

static void
finished_cb (QrsSignIn      *sign_in,
             QrsTokenSet    *token_set,
             QrsTestHarness *fixture)
{
  fixture->finished++;
  g_set_object (&fixture->token_set, token_set);
}

void
qrs_test_harness_set_up (QrsTestHarness *fixture,
                         gconstpointer   user_data)
{
  g_autoptr (GError) error = NULL;

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

void
qrs_test_harness_tear_down (QrsTestHarness *fixture,
                            gconstpointer   user_data)
{
  qrs_sign_in_cancel (fixture->sign_in);
  /* Let cancelled requests call back and drop their references. */
  qrs_test_drain_main_context ();
  g_assert_finalize_object (fixture->sign_in);
  g_assert_finalize_object (fixture->recorder);
  g_assert_finalize_object (fixture->genauth);
  g_assert_finalize_object (fixture->clock);
  g_assert_finalize_object (fixture->monitor);
  g_clear_object (&fixture->token_set);
  qrs_emulator_stop (fixture->emulator);
  g_assert_finalize_object (fixture->emulator);
}

/* Moves the manual clock and the emulator's together. */
void
qrs_test_advance_to_next (QrsTestHarness *fixture)
{
  gint64 before = qrs_clock_get_time (QRS_CLOCK (fixture->clock));

  qrs_manual_clock_advance_to_next (fixture->clock);
  qrs_emulator_advance_clock (fixture->emulator,
                              (qrs_clock_get_time (QRS_CLOCK (fixture->clock)) - before) / (double)G_USEC_PER_SEC);
}

/* Runs the main loop, jumping the clock from timer to timer whenever
 * nothing else is ready, until @condition holds or @limit_ms of clock time
 * pass. Returns whether the condition held.
 */
gboolean
qrs_test_run_until (QrsTestHarness  *fixture,
                    QrsTestCondition condition,
                    gconstpointer    data,
                    gint64           limit_ms)
{
  gint64 deadline = qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + limit_ms * 1000;
  gint64 give_up = g_get_monotonic_time () + RUN_TIMEOUT_MS * 1000;

  while (!condition (fixture, data))
    {
      gint64 next_ms;

      /* Requests in flight end within the provider's one-second time-out,
       * so the blocking iteration below always returns.
       */
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);

      if (g_main_context_iteration (NULL, FALSE))
        continue;

      if (fixture->recorder->in_flight == 0 &&
          qrs_manual_clock_get_next_delay (fixture->clock, &next_ms))
        {
          if (qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + next_ms * 1000 > deadline)
            break;
          qrs_test_advance_to_next (fixture);
          continue;
        }

      if (fixture->recorder->in_flight == 0)
        break; /* Nothing will ever happen again. */

      g_main_context_iteration (NULL, TRUE);
    }

  return condition (fixture, data);
}

gboolean
qrs_test_never (QrsTestHarness *fixture,
                gconstpointer   data)
{
  return FALSE;
}

/* Lets @ms of clock time pass, with everything that happens in it. */
void
qrs_test_run_for (QrsTestHarness *fixture,
                  gint64          ms)
{
  gint64 target = qrs_clock_get_time (QRS_CLOCK (fixture->clock)) + ms * 1000;
  gint64 now;

  qrs_test_run_until (fixture, qrs_test_never, NULL, ms);
  now = qrs_clock_get_time (QRS_CLOCK (fixture->clock));
  if (now < target)
    {
      qrs_manual_clock_advance (fixture->clock, (target - now) / 1000);
      qrs_emulator_advance_clock (fixture->emulator, (target - now) / (double)G_USEC_PER_SEC);
    }
}

gboolean
qrs_test_has_photo (QrsTestHarness *fixture,
                    gconstpointer   data)
{
  return qrs_sign_in_get_photo (fixture->sign_in) != NULL;
}

gboolean
qrs_test_has_qr_image (QrsTestHarness *fixture,
                       gconstpointer   data)
{
  return qrs_sign_in_get_qr_image (fixture->sign_in) != NULL;
}

typedef struct {
  QrsTestHarness *fixture;
  QrsTestCondition condition;
} Waiting;

static gboolean
waiting_done (gpointer user_data)
{
  Waiting *waiting = user_data;

  return waiting->condition (waiting->fixture, NULL);
}

/* Waits, in real time and without moving the clock, for I/O that is under
 * way (downloads) to make @condition true.
 */
void
qrs_test_wait_io (QrsTestHarness  *fixture,
                  QrsTestCondition condition)
{
  Waiting waiting = { fixture, condition };

  g_assert_true (qrs_test_wait_until (waiting_done, &waiting, 0, IO_TIMEOUT_MS));
}

gboolean
qrs_test_status_is (QrsTestHarness *fixture,
                    gconstpointer   data)
{
  return qrs_sign_in_get_status (fixture->sign_in) == GPOINTER_TO_INT (data);
}

gboolean
qrs_test_is_finished (QrsTestHarness *fixture,
                      gconstpointer   data)
{
  return fixture->finished > 0;
}

void
qrs_test_wait_for_status (QrsTestHarness *fixture,
                          QrsSignInStatus status)
{
  if (!qrs_test_run_until (fixture, qrs_test_status_is, GINT_TO_POINTER (status), 10 * 60 * 1000))
    g_error ("Status is %d, waited for %d", qrs_sign_in_get_status (fixture->sign_in), status);
}

void
qrs_test_phone (QrsTestHarness   *fixture,
                QrsEmulatorAction action,
                const char       *display_name)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (qrs_emulator_phone (fixture->emulator, NULL, action, display_name, NULL, &error));
  g_assert_no_error (error);
}

guint
qrs_test_api_requests (QrsTestHarness *fixture,
                       const char     *endpoint)
{
  g_autofree char *path = g_strconcat ("/api/v3/", endpoint, NULL);

  return qrs_emulator_count_requests (fixture->emulator, path);
}
