/* test-device-flow.c: the device flow provider, from the factory, driven by
 * the sign-in model against a real OpenID Provider (oidc-provider, see
 * README.md here).
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "qrs-device-flow-provider.h"
#include "qrs-device-flow-wire.h"
#include "qrs-provider-factory.h"
#include "qrs-test-harness.h"
#include "qrs-test-idp.h"
#include "qrs-test-log.h"
#include "qrs-test-wait.h"

/* Real time a test may take to reach what it waits for before it fails. */
#define RUN_TIMEOUT_MS 20000
#define IO_TIMEOUT_MS  10000

/* The model runs on a manual clock: its waits take no time, and the gaps
 * between its polls are read off the clock exactly. The IdP runs in real
 * time, which only matters where a test says so (a code's expiry, and the
 * one test on the system clock against an IdP that enforces the interval).
 */

static const QrsTestIdpOptions fast = { .interval = 1 };
static const QrsTestIdpOptions enforced = { .interval = 1, .enforce_interval = TRUE };

/* One IdP per set of options for the whole run: node takes a second or
 * more to start.
 */
static GHashTable *idps;

typedef struct
{
  QrsTestIdp *idp;
  QrsProvider *provider;
  TestRecorder *recorder;
  QrsManualClock *clock;
  TestNetworkMonitor *monitor;
  QrsSignIn *sign_in;
  QrsTokenSet *token_set;
  guint finished;
  GArray *statuses;       /* every QrsSignInStatus the model took, in order */
  GPtrArray *user_codes;  /* of every code the model showed, in order */
  GPtrArray *secrets;     /* what must never be on the log */
  char *secret_file;
} Fixture;

typedef gboolean (*Condition) (Fixture *fixture);

/* ---- Log ---------------------------------------------------------------- */

static void
remember_secret (Fixture    *fixture,
                 const char *secret)
{
  if (secret != NULL)
    g_ptr_array_add (fixture->secrets, g_strdup (secret));
}

static void
assert_no_secret_logged (Fixture *fixture)
{
  g_ptr_array_add (fixture->secrets, NULL);
  qrs_test_log_assert_absent ((const char * const *) fixture->secrets->pdata);
}

static guint
count_logged (const char *text)
{
  const char *log = qrs_test_log_get_captured ();
  guint count = 0;

  for (const char *p = strstr (log, text); p != NULL; p = strstr (p + 1, text))
    count++;

  return count;
}

/* ---- Fixture ------------------------------------------------------------ */

static void
status_cb (QrsSignIn  *sign_in,
           GParamSpec *pspec,
           Fixture    *fixture)
{
  QrsSignInStatus status = qrs_sign_in_get_status (sign_in);

  g_array_append_val (fixture->statuses, status);
}

/* Every code shown: its device code must never be on the log. */
static void
code_cb (QrsSignIn  *sign_in,
         GParamSpec *pspec,
         Fixture    *fixture)
{
  QrsCode *code = qrs_sign_in_get_code (sign_in);

  if (code == NULL)
    return;

  g_ptr_array_add (fixture->user_codes, g_strdup (qrs_code_get_user_code (code)));
  remember_secret (fixture, qrs_device_flow_code_get_device_code (code));
}

static void
finished_cb (QrsSignIn   *sign_in,
             QrsTokenSet *token_set,
             Fixture     *fixture)
{
  fixture->finished++;
  g_set_object (&fixture->token_set, token_set);
}

static double
fixed_random (gpointer user_data)
{
  return 0.5;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  options)
{
  fixture->statuses = g_array_new (FALSE, FALSE, sizeof (QrsSignInStatus));
  fixture->secrets = g_ptr_array_new_with_free_func (g_free);
  fixture->user_codes = g_ptr_array_new_with_free_func (g_free);
  qrs_test_log_capture_reset ();

  if (options == NULL)
    return;

  fixture->idp = g_hash_table_lookup (idps, options);
  if (fixture->idp != NULL)
    {
      g_object_ref (fixture->idp);
      qrs_test_idp_reset (fixture->idp);
    }
  else
    {
      fixture->idp = qrs_test_idp_new (options);
      if (fixture->idp == NULL)
        return;
      g_hash_table_insert (idps, (gpointer) options, g_object_ref (fixture->idp));
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  options)
{
  if (fixture->sign_in != NULL)
    {
      qrs_sign_in_cancel (fixture->sign_in);
      /* Let cancelled requests call back and drop their references. */
      qrs_test_drain_main_context ();
      g_assert_finalize_object (fixture->sign_in);
      g_assert_finalize_object (fixture->recorder);
      g_assert_finalize_object (fixture->monitor);
      if (fixture->clock != NULL)
        g_assert_finalize_object (fixture->clock);
    }
  if (fixture->provider != NULL)
    g_assert_finalize_object (fixture->provider);

  assert_no_secret_logged (fixture);

  if (fixture->secret_file != NULL)
    g_unlink (fixture->secret_file);
  g_free (fixture->secret_file);
  g_clear_object (&fixture->token_set);
  g_clear_object (&fixture->idp);
  g_array_unref (fixture->statuses);
  g_ptr_array_unref (fixture->secrets);
  g_ptr_array_unref (fixture->user_codes);
}

static QrsConfig *
new_config (const char *issuer,
            const char *client_id)
{
  QrsConfig *config = qrs_config_new ();

  config->provider = QRS_PROVIDER_KIND_DEVICE_FLOW;
  config->issuer = g_strdup (issuer);
  config->client_id = g_strdup (client_id);
  g_free (config->scope);
  config->scope = g_strdup (QRS_TEST_IDP_SCOPE);

  return config;
}

/* The provider a configuration makes, as the application gets it. */
static QrsProvider *
provider_from_factory (const QrsConfig *config)
{
  g_autoptr(GError) error = NULL;
  QrsProvider *provider;

  g_assert_true (qrs_config_validate (config, &error));
  g_assert_no_error (error);
  provider = qrs_provider_factory_create (config, &error);
  g_assert_no_error (error);
  g_assert_true (QRS_IS_DEVICE_FLOW_PROVIDER (provider));

  return provider;
}

/* What the factory makes for a client of the IdP with no secret. */
static QrsProvider *
idp_provider (Fixture    *fixture,
              const char *client_id)
{
  g_autoptr(QrsConfig) config = new_config (qrs_test_idp_get_issuer (fixture->idp), client_id);

  return provider_from_factory (config);
}

/* The factory reads secrets with qrs_secret_load(), which today refuses
 * the spaces the IdP's secrets have (RFC 6749 allows them): a confidential
 * client is built here the way the factory builds it, with the secret
 * handed over directly.
 */
static QrsProvider *
confidential_provider (Fixture       *fixture,
                       const char    *client_id,
                       QrsClientAuth  client_auth,
                       const char    *secret)
{
  g_autoptr(QrsDeviceFlowProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  provider = qrs_device_flow_provider_new (qrs_test_idp_get_issuer (fixture->idp), client_id,
                                           QRS_TEST_IDP_SCOPE, &error);
  g_assert_no_error (error);
  qrs_device_flow_provider_set_client_auth (provider, client_auth);
  g_assert_true (qrs_device_flow_provider_set_client_secret (provider, secret, &error));
  g_assert_no_error (error);
  remember_secret (fixture, secret);

  return QRS_PROVIDER (g_steal_pointer (&provider));
}

/* A sign-in on @provider, on the manual clock unless @real_time. */
static void
start (Fixture     *fixture,
       QrsProvider *provider,
       gboolean     real_time)
{
  QrsClock *clock;

  fixture->provider = provider;
  if (!real_time)
    fixture->clock = qrs_manual_clock_new ();
  clock = fixture->clock != NULL ? QRS_CLOCK (fixture->clock) : qrs_clock_get_default ();

  fixture->recorder = g_object_new (TEST_TYPE_RECORDER, NULL);
  fixture->recorder->inner = g_object_ref (provider);
  fixture->recorder->clock = g_object_ref (clock);
  fixture->monitor = g_object_new (TEST_TYPE_NETWORK_MONITOR, NULL);

  fixture->sign_in = g_object_new (QRS_TYPE_SIGN_IN,
                                   "provider", fixture->recorder,
                                   "clock", clock,
                                   "network-monitor", fixture->monitor,
                                   NULL);
  qrs_sign_in_set_random_func (fixture->sign_in, fixed_random, NULL);
  g_signal_connect (fixture->sign_in, "notify::status", G_CALLBACK (status_cb), fixture);
  g_signal_connect (fixture->sign_in, "notify::code", G_CALLBACK (code_cb), fixture);
  g_signal_connect (fixture->sign_in, "finished", G_CALLBACK (finished_cb), fixture);

  qrs_sign_in_start (fixture->sign_in);
}

/* Runs the main loop until @condition holds: requests take real time, and
 * the manual clock jumps from timer to timer whenever nothing is in
 * flight. Returns FALSE if nothing is left to happen first, or after
 * @limit_ms of clock time.
 */
static gboolean
run_until (Fixture   *fixture,
           Condition  condition,
           gint64     limit_ms)
{
  QrsClock *clock = QRS_CLOCK (fixture->recorder->clock);
  gint64 deadline = qrs_clock_get_time (clock) + limit_ms * 1000;
  gint64 give_up = g_get_monotonic_time () + RUN_TIMEOUT_MS * 1000;

  while (!condition (fixture) && qrs_clock_get_time (clock) < deadline)
    {
      gint64 next_ms;

      /* Requests end within the provider's time-out, and the IdP's
       * answers within a blink: the blocking iteration below returns.
       */
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);

      if (g_main_context_iteration (NULL, FALSE))
        continue;

      if (fixture->clock != NULL && fixture->recorder->in_flight == 0)
        {
          if (!qrs_manual_clock_get_next_delay (fixture->clock, &next_ms) ||
              qrs_clock_get_time (clock) + next_ms * 1000 > deadline)
            break;
          qrs_manual_clock_advance_to_next (fixture->clock);
          continue;
        }

      g_main_context_iteration (NULL, TRUE);
    }

  return condition (fixture);
}

static gboolean
is_pending (Fixture *fixture)
{
  return qrs_sign_in_get_status (fixture->sign_in) == QRS_SIGN_IN_STATUS_PENDING;
}

static gboolean
is_finished (Fixture *fixture)
{
  return fixture->finished > 0;
}

static gboolean
is_cancelled (Fixture *fixture)
{
  return qrs_sign_in_get_status (fixture->sign_in) == QRS_SIGN_IN_STATUS_CANCELLED;
}

static gboolean
is_error (Fixture *fixture)
{
  return qrs_sign_in_get_status (fixture->sign_in) == QRS_SIGN_IN_STATUS_ERROR;
}

static gboolean
is_expired (Fixture *fixture)
{
  return qrs_sign_in_get_status (fixture->sign_in) == QRS_SIGN_IN_STATUS_EXPIRED;
}

static gboolean
has_polled_once (Fixture *fixture)
{
  return fixture->recorder->checks >= 1 && fixture->recorder->in_flight == 0;
}

static gboolean
has_polled_twice (Fixture *fixture)
{
  return fixture->recorder->checks >= 2 && fixture->recorder->in_flight == 0;
}

static gboolean
has_polled_thrice (Fixture *fixture)
{
  return fixture->recorder->checks >= 3 && fixture->recorder->in_flight == 0;
}

static gboolean
has_photo (Fixture *fixture)
{
  return qrs_sign_in_get_photo (fixture->sign_in) != NULL;
}

static gboolean
never (Fixture *fixture)
{
  return FALSE;
}

static void
wait_for (Fixture   *fixture,
          Condition  condition)
{
  g_assert_true (run_until (fixture, condition, 10 * 60 * 1000));
}

static QrsCode *
showing_code (Fixture *fixture)
{
  QrsCode *code = qrs_sign_in_get_code (fixture->sign_in);

  g_assert_nonnull (code);

  return code;
}

static gboolean
has_result (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main loop until an asynchronous call has stored its result. */
static void
await (GAsyncResult **result)
{
  g_assert_true (qrs_test_wait_until (has_result, result, 0, IO_TIMEOUT_MS));
}

static void
remember_tokens (Fixture     *fixture,
                 QrsTokenSet *token_set)
{
  remember_secret (fixture, qrs_token_set_get_access_token (token_set));
  remember_secret (fixture, qrs_token_set_get_id_token (token_set));
  remember_secret (fixture, qrs_token_set_get_refresh_token (token_set));
}

/* The device flow has no SCANNED: the model must never be told one. */
static void
assert_never_scanned (Fixture *fixture)
{
  for (guint i = 0; i < fixture->statuses->len; i++)
    g_assert_cmpint (g_array_index (fixture->statuses, QrsSignInStatus, i), !=, QRS_SIGN_IN_STATUS_SCANNED);
}

/* ---- Signing in --------------------------------------------------------- */

/* Waits with the person, who then approves (scanning the QR, or typing the
 * user code as @login), and checks what the model hands over.
 */
static void
sign_in_and_check (Fixture    *fixture,
                   const char *login,
                   const char *display_name,
                   gboolean    has_picture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *picture = NULL;
  g_autofree char *complete = NULL;
  QrsCode *code;
  guint polls;

  wait_for (fixture, is_pending);
  code = showing_code (fixture);
  complete = g_strconcat (qrs_test_idp_get_issuer (fixture->idp), "/device?user_code=",
                          qrs_code_get_user_code (code), NULL);
  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, complete);
  g_assert_cmpstr (qrs_code_get_id (code), ==, qrs_code_get_user_code (code));
  g_assert_cmpuint (qrs_code_get_poll_interval (code), ==, 1);

  /* Nobody has answered yet: the model keeps waiting. */
  wait_for (fixture, has_polled_twice);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);

  if (login == NULL)
    qrs_test_idp_approve_uri (fixture->idp, qrs_code_get_qr_content (code), &error);
  else
    qrs_test_idp_approve_as (fixture->idp, qrs_code_get_user_code (code), login, &error);
  g_assert_no_error (error);

  wait_for (fixture, is_finished);
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_AUTHORIZED);
  g_assert_nonnull (fixture->token_set);
  remember_tokens (fixture, fixture->token_set);

  g_assert_nonnull (qrs_token_set_get_access_token (fixture->token_set));
  g_assert_true (g_str_has_prefix (qrs_token_set_get_id_token (fixture->token_set), "eyJ"));
  g_assert_nonnull (qrs_token_set_get_refresh_token (fixture->token_set));
  g_assert_cmpstr (qrs_token_set_get_token_type (fixture->token_set), ==, "Bearer");
  g_assert_cmpint (qrs_token_set_get_expires_in (fixture->token_set), ==, 3600);
  g_assert_cmpstr (qrs_token_set_get_scope (fixture->token_set), ==, QRS_TEST_IDP_SCOPE);

  g_assert_cmpstr (qrs_sign_in_get_display_name (fixture->sign_in), ==, display_name);
  if (has_picture)
    {
      picture = g_strconcat (qrs_test_idp_get_issuer (fixture->idp), QRS_TEST_IDP_ALICE_PICTURE_PATH, NULL);
      g_assert_cmpstr (qrs_sign_in_get_photo_url (fixture->sign_in), ==, picture);
      /* Fetched through the provider's client, under the picture rules. */
      g_assert_true (qrs_test_wait_until ((QrsTestCheck) has_photo, fixture, 0, IO_TIMEOUT_MS));
    }
  else
    {
      g_assert_null (qrs_sign_in_get_photo_url (fixture->sign_in));
    }

  /* Tokens came on the third poll; every poll was the model's; none after. */
  g_assert_cmpuint (fixture->recorder->checks, ==, 3);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);
  g_assert_cmpuint (fixture->recorder->exchanges, ==, 0);
  g_assert_cmpuint (fixture->recorder->max_in_flight, ==, 1);
  polls = qrs_test_idp_get_polls (fixture->idp);
  g_assert_cmpuint (polls, ==, 3);
  run_until (fixture, never, 60 * 1000);
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, polls);
  g_assert_null (qrs_device_flow_code_get_device_code (code));

  assert_never_scanned (fixture);
}

static void
test_approve_public (Fixture       *fixture,
                     gconstpointer  options)
{

  if (fixture->idp == NULL)
    return;

  start (fixture, idp_provider (fixture, QRS_TEST_IDP_PUBLIC_CLIENT_ID), FALSE);
  sign_in_and_check (fixture, NULL, QRS_TEST_IDP_ALICE_NAME, TRUE);
}

/* Basic credentials are form-encoded first (RFC 6749 §2.3.1): the IdP's
 * secret has ':', '+', '%', '/' and spaces in it.
 */
static void
test_approve_basic (Fixture       *fixture,
                    gconstpointer  options)
{
  if (fixture->idp == NULL)
    return;

  start (fixture, confidential_provider (fixture, QRS_TEST_IDP_BASIC_CLIENT_ID,
                                         QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC,
                                         QRS_TEST_IDP_BASIC_CLIENT_SECRET),
         FALSE);
  sign_in_and_check (fixture, QRS_TEST_IDP_BOB, QRS_TEST_IDP_BOB_NAME, FALSE);
}

static void
test_approve_post (Fixture       *fixture,
                   gconstpointer  options)
{
  if (fixture->idp == NULL)
    return;

  start (fixture, confidential_provider (fixture, QRS_TEST_IDP_POST_CLIENT_ID,
                                         QRS_CLIENT_AUTH_CLIENT_SECRET_POST,
                                         QRS_TEST_IDP_POST_CLIENT_SECRET),
         FALSE);
  sign_in_and_check (fixture, QRS_TEST_IDP_ALICE, QRS_TEST_IDP_ALICE_NAME, TRUE);
}

/* The factory's route for a secret: the method and a secret from the
 * secret file reach the provider, and the IdP sees them (and refuses this
 * wrong one) at the device authorization endpoint.
 */
static void
test_factory_confidential (Fixture       *fixture,
                           gconstpointer  options)
{
  g_autoptr(QrsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  QrsClientAuth client_auth;
  gboolean has_secret;
  int fd;

  if (fixture->idp == NULL)
    return;

  /* Private to its owner, as the configuration wants it. */
  fd = g_file_open_tmp ("qrs-secret-XXXXXX", &fixture->secret_file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (fd, "not-the-secret\n", 15), ==, 15);
  close (fd);
  remember_secret (fixture, "not-the-secret");

  config = new_config (qrs_test_idp_get_issuer (fixture->idp), QRS_TEST_IDP_BASIC_CLIENT_ID);
  config->token_auth_method = QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC;
  config->client_secret_file = g_strdup (fixture->secret_file);
  start (fixture, provider_from_factory (config), FALSE);

  g_object_get (fixture->provider, "client-auth", &client_auth, "has-client-secret", &has_secret, NULL);
  g_assert_cmpint (client_auth, ==, QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC);
  g_assert_true (has_secret);

  wait_for (fixture, is_error);
  message = g_strdup_printf ("The OpenID provider “%s” does not accept the client id “qrs-basic” with these credentials: "
                             "check the client id, the client secret and the token auth method",
                             qrs_test_idp_get_issuer (fixture->idp));
  g_assert_cmpstr (qrs_sign_in_get_error_message (fixture->sign_in), ==, message);
  g_assert_cmpint (qrs_sign_in_get_trouble (fixture->sign_in), ==, QRS_TROUBLE_LOCAL);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);
}

static void
test_deny (Fixture       *fixture,
           gconstpointer  options)
{
  g_autoptr(GError) error = NULL;
  QrsCode *code;
  guint polls;

  if (fixture->idp == NULL)
    return;

  start (fixture, idp_provider (fixture, QRS_TEST_IDP_PUBLIC_CLIENT_ID), FALSE);

  wait_for (fixture, is_pending);
  code = showing_code (fixture);
  qrs_test_idp_deny_uri (fixture->idp, qrs_code_get_qr_content (code), &error);
  g_assert_no_error (error);

  wait_for (fixture, is_cancelled);
  g_assert_cmpuint (fixture->finished, ==, 0);
  g_assert_null (fixture->token_set);
  g_assert_null (qrs_sign_in_get_display_name (fixture->sign_in));

  /* Declined is final: no more polls until someone tries again. */
  polls = qrs_test_idp_get_polls (fixture->idp);
  g_assert_cmpuint (polls, ==, 1);
  run_until (fixture, never, 10 * 60 * 1000);
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, polls);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_CANCELLED);
  assert_never_scanned (fixture);
}

/* A code dies at expires_in (the model's local deadline) and a new one
 * comes by itself, as often as window mode allows; then "expired".
 */
static void
test_expiry (Fixture       *fixture,
             gconstpointer  options)
{
  gint64 created;

  if (fixture->idp == NULL)
    return;

  qrs_test_idp_set_device_ttl (fixture->idp, 3);
  start (fixture, idp_provider (fixture, QRS_TEST_IDP_PUBLIC_CLIENT_ID), FALSE);
  qrs_sign_in_set_auto_refresh_cap (fixture->sign_in, 2);

  wait_for (fixture, is_expired);
  g_assert_cmpuint (fixture->recorder->creates, ==, 3);
  g_assert_cmpuint (fixture->finished, ==, 0);
  g_assert_false (qrs_sign_in_get_renews_itself (fixture->sign_in));
  g_assert_null (qrs_sign_in_get_code (fixture->sign_in));

  /* Three codes, each given 3 s by the IdP. */
  g_assert_cmpuint (fixture->user_codes->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->user_codes, 0), !=, g_ptr_array_index (fixture->user_codes, 1));
  g_assert_cmpstr (g_ptr_array_index (fixture->user_codes, 1), !=, g_ptr_array_index (fixture->user_codes, 2));
  created = g_array_index (fixture->recorder->create_times, gint64, 0);
  g_assert_cmpint (g_array_index (fixture->recorder->create_times, gint64, 1) - created, ==, 3000);
  g_assert_cmpint (g_array_index (fixture->recorder->create_times, gint64, 2) - created, ==, 6000);

  /* Expiring is no error, at any step. */
  for (guint i = 0; i < fixture->statuses->len; i++)
    g_assert_cmpint (g_array_index (fixture->statuses, QrsSignInStatus, i), !=, QRS_SIGN_IN_STATUS_ERROR);
}

/* RFC 8628 §3.5: after slow_down the interval is 5 s longer for the rest
 * of the code, and the model never polls sooner.
 */
static void
test_slow_down (Fixture       *fixture,
                gconstpointer  options)
{
  g_autoptr(GError) error = NULL;
  GArray *times;
  gint64 created;
  QrsCode *code;

  if (fixture->idp == NULL)
    return;

  qrs_test_idp_set_interval (fixture->idp, 2);
  qrs_test_idp_slow_down (fixture->idp, 1);
  start (fixture, idp_provider (fixture, QRS_TEST_IDP_PUBLIC_CLIENT_ID), FALSE);

  wait_for (fixture, is_pending);
  code = showing_code (fixture);
  g_assert_cmpuint (qrs_code_get_poll_interval (code), ==, 2);
  wait_for (fixture, has_polled_thrice);

  times = fixture->recorder->check_times;
  created = g_array_index (fixture->recorder->create_times, gint64, 0);
  /* The first after the server's 2 s, then 2 + 5 s each time. */
  g_assert_cmpint (g_array_index (times, gint64, 0) - created, >=, 2000);
  g_assert_cmpint (g_array_index (times, gint64, 1) - g_array_index (times, gint64, 0), >=, 7000);
  g_assert_cmpint (g_array_index (times, gint64, 2) - g_array_index (times, gint64, 1), >=, 7000);
  g_assert_cmpint (g_array_index (times, gint64, 2) - g_array_index (times, gint64, 1), <, 7500);
  g_assert_cmpuint (qrs_device_flow_code_get_interval (code), ==, 7);
  g_assert_cmpuint (count_logged ("The server asks for slower polling: every 7 s from now on"), ==, 1);
  g_assert_cmpint (qrs_sign_in_get_status (fixture->sign_in), ==, QRS_SIGN_IN_STATUS_PENDING);

  qrs_test_idp_approve_uri (fixture->idp, qrs_code_get_qr_content (code), &error);
  g_assert_no_error (error);
  wait_for (fixture, is_finished);
  remember_tokens (fixture, fixture->token_set);
  g_assert_cmpint (g_array_index (times, gint64, 3) - g_array_index (times, gint64, 2), >=, 7000);
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 4);
}

/* On the system clock, against an IdP that answers slow_down to any poll
 * sooner than the interval: the model's pace is never too fast in reality.
 */
static void
test_real_time_pace (Fixture       *fixture,
                     gconstpointer  options)
{
  g_autoptr(GError) error = NULL;
  QrsCode *code;

  if (fixture->idp == NULL)
    return;

  start (fixture, idp_provider (fixture, QRS_TEST_IDP_PUBLIC_CLIENT_ID), TRUE);

  wait_for (fixture, is_pending);
  code = showing_code (fixture);
  wait_for (fixture, has_polled_once);
  qrs_test_idp_approve_uri (fixture->idp, qrs_code_get_qr_content (code), &error);
  g_assert_no_error (error);
  wait_for (fixture, is_finished);
  remember_tokens (fixture, fixture->token_set);

  g_assert_cmpuint (fixture->recorder->checks, ==, 2);
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 2);
  g_assert_cmpint (g_array_index (fixture->recorder->check_times, gint64, 1) -
                   g_array_index (fixture->recorder->check_times, gint64, 0), >=, 1000);
  g_assert_cmpuint (count_logged ("slower polling"), ==, 0);
}

/* The IdP's own expired_token, for a code polled after its lifetime. */
static void
test_expired_token (Fixture       *fixture,
                    gconstpointer  options)
{
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(QrsStatusReport) report = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (fixture->idp == NULL)
    return;

  qrs_test_idp_set_device_ttl (fixture->idp, 1);
  fixture->provider = idp_provider (fixture, QRS_TEST_IDP_PUBLIC_CLIENT_ID);

  qrs_provider_create_code_async (fixture->provider, NULL, store_result, &result);
  await (&result);
  code = qrs_provider_create_code_finish (fixture->provider, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  remember_secret (fixture, qrs_device_flow_code_get_device_code (code));

  /* The IdP counts in whole seconds: 1.1 s on, the second has turned. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  qrs_provider_check_status_async (fixture->provider, code, NULL, store_result, &result);
  await (&result);
  report = qrs_provider_check_status_finish (fixture->provider, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_EXPIRED);
}

/* ---- Configuration errors ---------------------------------------------- */

static gboolean
discover (QrsProvider  *provider,
          GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  qrs_device_flow_provider_discover_async (QRS_DEVICE_FLOW_PROVIDER (provider), NULL,
                                           store_result, &result);
  await (&result);

  return qrs_device_flow_provider_discover_finish (QRS_DEVICE_FLOW_PROVIDER (provider), result, error);
}

/* Discovery is done once, before the application opens its window, and
 * the first code needs no other.
 */
static void
test_discover (Fixture       *fixture,
               gconstpointer  options)
{
  g_autoptr(GError) error = NULL;
  QrsProvider *provider;

  if (fixture->idp == NULL)
    return;

  provider = idp_provider (fixture, QRS_TEST_IDP_PUBLIC_CLIENT_ID);

  g_assert_true (discover (provider, &error));
  g_assert_no_error (error);
  g_assert_true (discover (provider, &error));
  g_assert_no_error (error);

  start (fixture, provider, FALSE);
  wait_for (fixture, is_pending);
  showing_code (fixture);
  g_assert_cmpuint (count_logged ("Request to discovery: GET"), ==, 1);
}

static void
serve_cb (SoupServer        *server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  const char *document = user_data;

  if (document == NULL || strcmp (path, "/.well-known/openid-configuration") != 0)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC, "<h1>Not Found</h1>", 18);
      return;
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, document, strlen (document));
}

/* A server on loopback whose OpenID configuration, with @serve_document,
 * names no device authorization endpoint; without, it has none (404).
 */
static SoupServer *
new_server (char     **issuer,
            gboolean   serve_document)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autofree char *uri = NULL;

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  uri = g_uri_to_string (uris->data);
  *issuer = g_strndup (uri, strlen (uri) - 1);

  soup_server_add_handler (server, NULL, serve_cb,
                           serve_document ?
                           g_strdup_printf ("{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/auth\","
                                            "\"token_endpoint\":\"%s/token\"}",
                                            *issuer, *issuer, *issuer) :
                           NULL,
                           g_free);

  return server;
}

static void
test_discovery_not_found (Fixture       *fixture,
                          gconstpointer  options)
{
  g_autofree char *issuer = NULL;
  g_autoptr(SoupServer) server = new_server (&issuer, FALSE);
  g_autoptr(QrsConfig) config = new_config (issuer, QRS_TEST_IDP_PUBLIC_CLIENT_ID);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  start (fixture, provider_from_factory (config), FALSE);
  message = g_strdup_printf ("The OpenID configuration could not be read from “%s/.well-known/openid-configuration”: "
                             "the server answered HTTP 404 Not Found. Check the issuer address.", issuer);

  g_assert_false (discover (fixture->provider, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 404);

  wait_for (fixture, is_error);
  g_assert_cmpstr (qrs_sign_in_get_error_message (fixture->sign_in), ==, message);
  g_assert_cmpint (qrs_sign_in_get_trouble (fixture->sign_in), ==, QRS_TROUBLE_LOCAL);
}

static void
test_discovery_no_device_endpoint (Fixture       *fixture,
                                   gconstpointer  options)
{
  g_autofree char *issuer = NULL;
  g_autoptr(SoupServer) server = new_server (&issuer, TRUE);
  g_autoptr(QrsConfig) config = new_config (issuer, QRS_TEST_IDP_PUBLIC_CLIENT_ID);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  start (fixture, provider_from_factory (config), FALSE);
  message = g_strdup_printf ("The OpenID provider “%s” does not offer the device flow: "
                             "its configuration names no device authorization endpoint", issuer);

  g_assert_false (discover (fixture->provider, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, message);

  wait_for (fixture, is_error);
  g_assert_cmpstr (qrs_sign_in_get_error_message (fixture->sign_in), ==, message);
  g_assert_cmpint (qrs_sign_in_get_trouble (fixture->sign_in), ==, QRS_TROUBLE_LOCAL);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);
}

/* The IdP does not know the client: the device authorization endpoint
 * says invalid_client, which no retry mends.
 */
static void
test_unknown_client (Fixture       *fixture,
                     gconstpointer  options)
{
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (fixture->idp == NULL)
    return;

  start (fixture, idp_provider (fixture, "nobody"), FALSE);
  message = g_strdup_printf ("The OpenID provider “%s” does not accept the client id “nobody” with these credentials: "
                             "check the client id, the client secret and the token auth method",
                             qrs_test_idp_get_issuer (fixture->idp));

  /* Discovery itself is fine. */
  g_assert_true (discover (fixture->provider, &error));
  g_assert_no_error (error);

  wait_for (fixture, is_error);
  g_assert_cmpstr (qrs_sign_in_get_error_message (fixture->sign_in), ==, message);
  g_assert_nonnull (qrs_sign_in_get_server_message (fixture->sign_in));
  g_assert_cmpint (qrs_sign_in_get_trouble (fixture->sign_in), ==, QRS_TROUBLE_LOCAL);
  g_assert_cmpuint (fixture->recorder->creates, ==, 1);
  g_assert_cmpuint (fixture->recorder->checks, ==, 0);
}

/* What the provider refuses without asking the server: a code that is not
 * its own, a code that gave its tokens, and a confidential client without
 * its secret.
 */
static void
test_refused_locally (Fixture       *fixture,
                      gconstpointer  options)
{
  g_autofree char *issuer = NULL;
  g_autoptr(SoupServer) server = new_server (&issuer, FALSE);
  g_autoptr(QrsDeviceFlowProvider) provider = NULL;
  g_autoptr(QrsCode) foreign = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QrsStatusReport *report;
  QrsCode *code;

  provider = qrs_device_flow_provider_new (issuer, "qrs-post", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qrs_device_flow_provider_get_scope (provider), ==, "openid profile");

  foreign = qrs_code_new ("abc", NULL, NULL, now, 120);
  qrs_provider_check_status_async (QRS_PROVIDER (provider), foreign, NULL, store_result, &result);
  await (&result);
  report = qrs_provider_check_status_finish (QRS_PROVIDER (provider), result, &error);
  g_assert_null (report);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_object (&result);

  qrs_device_flow_provider_set_client_auth (provider, QRS_CLIENT_AUTH_CLIENT_SECRET_POST);
  qrs_provider_create_code_async (QRS_PROVIDER (provider), NULL, store_result, &result);
  await (&result);
  code = qrs_provider_create_code_finish (QRS_PROVIDER (provider), result, &error);
  g_assert_null (code);
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, "No client secret was given.");
  g_clear_error (&error);

  /* RFC 6749 allows any printable ASCII in a secret, spaces included. */
  g_assert_false (qrs_device_flow_provider_set_client_secret (provider, "tab\there", &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_false (qrs_device_flow_provider_has_client_secret (provider));
  g_assert_true (qrs_device_flow_provider_set_client_secret (provider, " a b:c ", &error));
  g_assert_no_error (error);
  g_assert_true (qrs_device_flow_provider_has_client_secret (provider));

  /* The server got nothing at all. */
  g_assert_cmpuint (count_logged ("Request to"), ==, 0);
}

static void
stop_idp (gpointer key,
          gpointer value,
          gpointer user_data)
{
  QrsTestIdp *idp = value;

  qrs_test_idp_stop (idp);
  g_assert_finalize_object (idp);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const domains[] = { "qr-signin-core", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  qrs_test_log_capture_init (domains);
  idps = g_hash_table_new (NULL, NULL);

#define ADD(path, options, func) \
  g_test_add ("/device-flow/" path, Fixture, options, fixture_set_up, func, fixture_tear_down)

  ADD ("approve/public", &fast, test_approve_public);
  ADD ("approve/basic", &fast, test_approve_basic);
  ADD ("approve/post", &fast, test_approve_post);
  ADD ("factory/confidential", &fast, test_factory_confidential);
  ADD ("deny", &fast, test_deny);
  ADD ("expiry", &fast, test_expiry);
  ADD ("expired-token", &fast, test_expired_token);
  ADD ("slow-down", &fast, test_slow_down);
  ADD ("discover", &fast, test_discover);
  ADD ("discovery/not-found", NULL, test_discovery_not_found);
  ADD ("discovery/no-device-endpoint", NULL, test_discovery_no_device_endpoint);
  ADD ("unknown-client", &fast, test_unknown_client);
  ADD ("refused-locally", NULL, test_refused_locally);
  ADD ("real-time-pace", &enforced, test_real_time_pace);

#undef ADD

  status = g_test_run ();
  g_hash_table_foreach (idps, stop_idp, NULL);
  g_hash_table_unref (idps);

  return status;
}
