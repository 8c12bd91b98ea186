/* test-emulator-faults.c — answers that misbehave on purpose
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "emu-test-util.h"

#define OK           "操作成功"
#define THROTTLED    "{\"statusCode\":429,\"message\":\"您的请求已超过最大数量限制，请稍后重试\"}"
#define HTTP500_BODY "{\"statusCode\":500,\"message\":\"Internal server error\"}"
#define GENE         "/api/v3/gene-qrcode"
#define CHECK        "/api/v3/check-qrcode-status"
#define EXCHANGE     "/api/v3/exchange-tokenset-with-qrcode-ticket"

typedef struct
{
  QrsEmulatorFault mode;
  QrsEmulatorEndpoint endpoint;
} FaultCase;

/* What a request to @endpoint needs: a code to poll, a ticket to exchange. */
typedef struct
{
  char *qrcode_id;
  char *ticket;
} Prepared;

static void
prepare (EmuFixture          *fx,
         QrsEmulatorEndpoint  endpoint,
         Prepared            *prepared)
{
  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      break;
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      prepared->qrcode_id = emu_gene_qrcode (fx);
      break;
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      prepared->ticket = emu_authorize (fx);
      break;
    default:
      g_assert_not_reached ();
    }
}

static EmuResponse *
send_to (EmuFixture          *fx,
         QrsEmulatorEndpoint  endpoint,
         const Prepared      *prepared,
         SoupMessageFlags     flags)
{
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;

  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      return emu_request (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}", flags,
                          "x-authing-app-id", fx->app_id, NULL);
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      path = g_strconcat (CHECK "?qrcodeId=", prepared->qrcode_id, NULL);
      return emu_request (fx, "GET", path, NULL, flags, "x-authing-app-id", fx->app_id, NULL);
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      body = g_strdup_printf ("{\"ticket\":\"%s\"}", prepared->ticket);
      return emu_request (fx, "POST", EXCHANGE, body, flags, "x-authing-app-id", fx->app_id, NULL);
    default:
      g_assert_not_reached ();
    }
}

static void
assert_normal (EmuResponse         *response,
               QrsEmulatorEndpoint  endpoint)
{
  emu_assert_envelope (response, 200, 0, OK);

  switch (endpoint)
    {
    case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
      g_assert_cmpuint (strlen (emu_json_string (response->root, "data.qrcodeId")), ==, 30);
      break;
    case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
      g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "PENDING");
      break;
    case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
      g_assert_cmpstr (emu_json_string (response->root, "data.token_type"), ==, "bearer");
      break;
    default:
      g_assert_not_reached ();
    }
}

static const char *
endpoint_nick (QrsEmulatorEndpoint endpoint)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_EMULATOR_ENDPOINT);

  return g_enum_get_value (klass, endpoint)->value_nick;
}

static const char *
mode_nick (QrsEmulatorFault mode)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_EMULATOR_FAULT);

  return g_enum_get_value (klass, mode)->value_nick;
}

static void
inject_by_hook (EmuFixture          *fx,
                QrsEmulatorEndpoint  endpoint,
                QrsEmulatorFault     mode,
                guint                count,
                guint                retry_after,
                guint                seconds)
{
  g_autofree char *body = g_strdup_printf ("{\"endpoint\":\"%s\",\"mode\":\"%s\",\"count\":%u,"
                                           "\"retryAfter\":%u,\"seconds\":%u}",
                                           endpoint_nick (endpoint), mode_nick (mode),
                                           count, retry_after, seconds);
  g_autoptr(EmuResponse) response = emu_request (fx, "POST", "/__emu/fault", body, 0, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 5);
  g_assert_cmpstr (emu_json_string (response->root, "endpoint"), ==, endpoint_nick (endpoint));
  g_assert_cmpstr (emu_json_string (response->root, "mode"), ==, mode_nick (mode));
  g_assert_cmpint (emu_json_int (response->root, "count"), ==, count);
  g_assert_cmpint (emu_json_int (response->root, "retryAfter"), ==, retry_after);
  g_assert_cmpint (emu_json_int (response->root, "seconds"), ==, seconds);
}

static guint
last_logged_status (EmuFixture *fx,
                    guint       back)
{
  g_autoptr(GPtrArray) log = qrs_emulator_dup_log (fx->emulator);
  const QrsEmulatorLogEntry *entry;

  g_assert_cmpuint (log->len, >, back);
  entry = g_ptr_array_index (log, log->len - 1 - back);

  return entry->status;
}

static void
assert_body (EmuResponse *response,
             const char  *expected)
{
  g_assert_nonnull (response->body);
  g_assert_cmpmem (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body),
                   expected, strlen (expected));
}

static void
assert_content_type (EmuResponse *response,
                     const char  *expected)
{
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==, expected);
}

static void
assert_faulted (EmuFixture          *fx,
                EmuResponse         *response,
                const FaultCase     *fc)
{
  JsonNode *node;

  switch (fc->mode)
    {
    case QRS_EMULATOR_FAULT_HTTP500:
      g_assert_cmpuint (response->status, ==, 500);
      assert_content_type (response, "application/json; charset=utf-8");
      assert_body (response, HTTP500_BODY);
      break;

    case QRS_EMULATOR_FAULT_HTML:
      g_assert_cmpuint (response->status, ==, 200);
      assert_content_type (response, "text/html; charset=utf-8");
      g_assert_null (response->root);
      g_assert_true (g_str_has_prefix (g_bytes_get_data (response->body, NULL), "<!DOCTYPE html>\n<html>"));
      break;

    case QRS_EMULATOR_FAULT_MALFORMED:
      g_assert_cmpuint (response->status, ==, 200);
      assert_content_type (response, "application/json; charset=utf-8");
      g_assert_null (response->root);
      switch (fc->endpoint)
        {
        case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
          assert_body (response, "{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"qrcodeId\":\"");
          break;
        case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
          assert_body (response, "{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"status\":\"PEND");
          break;
        case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
          assert_body (response, "{\"statusCode\":200,\"message\":\"操作成功\",\"data\":{\"access_token\":\"eyJ");
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case QRS_EMULATOR_FAULT_WRONG_TYPE:
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_nonnull (response->root);
      g_assert_true (g_uuid_string_is_valid (emu_json_string (response->root, "requestId")));
      switch (fc->endpoint)
        {
        case QRS_EMULATOR_ENDPOINT_GENE_QRCODE:
          g_assert_cmpstr (emu_json_string (response->root, "statusCode"), ==, "200");
          g_assert_cmpint (emu_json_int (response->root, "data.qrcodeId"), ==, 123456);
          g_assert_true (emu_json_bool (response->root, "data.url"));
          break;
        case QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS:
          g_assert_cmpint (emu_json_int (response->root, "statusCode"), ==, 200);
          g_assert_cmpint (emu_json_int (response->root, "data.status"), ==, 1);
          break;
        case QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET:
          g_assert_cmpint (emu_json_int (response->root, "statusCode"), ==, 200);
          g_assert_cmpint (emu_json_int (response->root, "data.access_token"), ==, 42);
          g_assert_cmpstr (emu_json_string (response->root, "data.expire_in"), ==, "7200");
          node = emu_json_get (response->root, "data.id_token");
          g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case QRS_EMULATOR_FAULT_UNKNOWN_STATUS:
      emu_assert_envelope (response, 200, 0, OK);
      g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 1);
      g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "TELEPORTED");
      break;

    case QRS_EMULATOR_FAULT_STATUS_ERROR:
      emu_assert_envelope (response, 200, 0, OK);
      g_assert_cmpuint (emu_json_size (response->root, "data"), ==, 1);
      g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "ERROR");
      break;

    case QRS_EMULATOR_FAULT_NO_DATA:
      emu_assert_envelope (response, 200, 0, OK);
      g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 3);
      g_assert_false (emu_json_has (response->root, "data"));
      break;

    case QRS_EMULATOR_FAULT_ERROR_STATUS:
      emu_assert_envelope (response, 500, 1500, "服务器内部错误");
      g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 4);
      break;

    case QRS_EMULATOR_FAULT_THROTTLE:
      g_assert_cmpuint (response->status, ==, 429);
      assert_content_type (response, "application/json; charset=utf-8");
      assert_body (response, THROTTLED);
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Retry-After"), ==, "2");
      break;

    case QRS_EMULATOR_FAULT_HUGE:
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_cmpuint (g_bytes_get_size (response->body), ==, QRS_EMULATOR_HUGE_BODY_SIZE);
      g_assert_cmpuint (QRS_EMULATOR_HUGE_BODY_SIZE, ==, 2 * 1024 * 1024);
      emu_assert_envelope (response, 200, 0, OK);
      g_assert_cmpuint (strlen (emu_json_string (response->root, "data.padding")), >, 2000000);
      if (fc->endpoint == QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS)
        g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "PENDING");
      else if (fc->endpoint == QRS_EMULATOR_ENDPOINT_GENE_QRCODE)
        g_assert_cmpuint (strlen (emu_json_string (response->root, "data.qrcodeId")), ==, 30);
      else
        g_assert_cmpint (emu_json_int (response->root, "data.expire_in"), ==, 7200);
      break;

    case QRS_EMULATOR_FAULT_STALL:
      /* Held back for a second, then the normal answer. */
      g_assert_cmpint (response->elapsed_ms, >=, 990);
      g_assert_cmpint (response->elapsed_ms, <, 5000);
      assert_normal (response, fc->endpoint);
      break;

    case QRS_EMULATOR_FAULT_DROP:
      g_assert_error (response->error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
      g_assert_cmpuint (response->status, ==, 0);
      g_assert_null (response->body);
      break;

    default:
      g_assert_not_reached ();
    }

  g_assert_cmpuint (last_logged_status (fx, 0), ==,
                    fc->mode == QRS_EMULATOR_FAULT_DROP ? 0 : response->status);
}

/* One fault on one endpoint: the next answer misbehaves, the one after is
 * normal, and the faulted answer changed no state.
 */
static void
test_fault_mode (EmuFixture    *fx,
                 gconstpointer  data)
{
  const FaultCase *fc = data;
  Prepared prepared = { NULL, NULL };
  g_autoptr(EmuResponse) faulted = NULL;
  g_autoptr(EmuResponse) after = NULL;
  guint n_codes;

  prepare (fx, fc->endpoint, &prepared);
  n_codes = qrs_emulator_get_n_codes (fx->emulator);
  inject_by_hook (fx, fc->endpoint, fc->mode, 1, 2, 1);

  /* A dropped request is not retried on a fresh connection. */
  faulted = send_to (fx, fc->endpoint, &prepared,
                     fc->mode == QRS_EMULATOR_FAULT_DROP ? SOUP_MESSAGE_NEW_CONNECTION : 0);
  assert_faulted (fx, faulted, fc);

  if (fc->mode == QRS_EMULATOR_FAULT_STALL)
    {
      /* The late answer was the real one, so it did change state. */
      g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==,
                        n_codes + (fc->endpoint == QRS_EMULATOR_ENDPOINT_GENE_QRCODE ? 1 : 0));
    }
  else
    {
      g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, n_codes);
      after = send_to (fx, fc->endpoint, &prepared, 0);
      assert_normal (after, fc->endpoint);
      g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==,
                        n_codes + (fc->endpoint == QRS_EMULATOR_ENDPOINT_GENE_QRCODE ? 1 : 0));
    }

  g_free (prepared.qrcode_id);
  g_free (prepared.ticket);
}

static void
add_mode_tests (void)
{
  static FaultCase cases[(QRS_EMULATOR_FAULT_DROP + 1) * 3];
  guint n = 0;

  for (guint mode = 0; mode <= QRS_EMULATOR_FAULT_DROP; mode++)
    for (guint endpoint = 0; endpoint < 3; endpoint++)
      {
        g_autofree char *name = NULL;

        if ((mode == QRS_EMULATOR_FAULT_UNKNOWN_STATUS || mode == QRS_EMULATOR_FAULT_STATUS_ERROR) &&
            endpoint != QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS)
          continue;

        cases[n].mode = mode;
        cases[n].endpoint = endpoint;
        name = g_strdup_printf ("/emulator/fault/%s/%s", mode_nick (mode), endpoint_nick (endpoint));
        g_test_add (name, EmuFixture, &cases[n], emu_fixture_setup, test_fault_mode, emu_fixture_teardown);
        n++;
      }
}

static void
test_count_and_order (EmuFixture    *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const guint expected[] = { 500, 500, 429, 200, 200 };

  qrs_emulator_inject_fault (fx->emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                             QRS_EMULATOR_FAULT_HTTP500, 2, 0, 0, &error);
  g_assert_no_error (error);
  qrs_emulator_inject_fault (fx->emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                             QRS_EMULATOR_FAULT_THROTTLE, 1, 0, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(EmuResponse) response = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");

      g_assert_cmpuint (response->status, ==, expected[i]);
      /* Without retry_after, no Retry-After header. */
      g_assert_null (soup_message_headers_get_one (response->headers, "Retry-After"));
    }

  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 2);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, GENE), ==, 5);
}

static void
test_clear (EmuFixture    *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EmuResponse) after_zero = NULL;
  g_autoptr(EmuResponse) after_clear = NULL;
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);

  /* count 0 forgets what is queued for that endpoint only. */
  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_HTTP500, 5, 1, 30);
  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_HTTP500, 5, 1, 30);
  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_DROP, 0, 1, 30);

  after_zero = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  emu_assert_envelope (after_zero, 200, 0, OK);

  qrs_emulator_clear_faults (fx->emulator);
  after_clear = emu_check (fx, qrcode_id);
  emu_assert_envelope (after_clear, 200, 0, OK);
}

static void
test_get_alias_shares (EmuFixture    *fx,
                       gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *get_path = g_strconcat ("/api/v3/get-qrcode-status?qrcodeId=", qrcode_id, NULL);
  g_autoptr(EmuResponse) first = NULL;
  g_autoptr(EmuResponse) second = NULL;
  g_autoptr(EmuResponse) third = NULL;

  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_HTTP500, 2, 1, 30);

  first = emu_api (fx, "GET", get_path, NULL);
  second = emu_check (fx, qrcode_id);
  third = emu_api (fx, "GET", get_path, NULL);

  g_assert_cmpuint (first->status, ==, 500);
  g_assert_cmpuint (second->status, ==, 500);
  emu_assert_envelope (third, 200, 0, OK);
}

static void
test_other_endpoints_unaffected (EmuFixture    *fx,
                                 gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *ticket = NULL;
  g_autoptr(EmuResponse) check = NULL;
  g_autoptr(EmuResponse) exchange = NULL;
  g_autoptr(EmuResponse) change = NULL;
  g_autoptr(EmuResponse) gene = NULL;

  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_HTTP500, 10, 1, 30);

  check = emu_check (fx, qrcode_id);
  emu_assert_envelope (check, 200, 0, OK);
  change = emu_change (fx, "/api/v3/change-qrcode-status", "Bearer " QRS_EMULATOR_DEMO_USER_TOKEN,
                       qrcode_id, "SCAN");
  emu_assert_envelope (change, 200, 0, OK);
  qrs_emulator_phone (fx->emulator, qrcode_id, QRS_EMULATOR_ACTION_CONFIRM, NULL, NULL, NULL);
  g_clear_pointer (&check, emu_response_free);
  check = emu_check (fx, qrcode_id);
  ticket = g_strdup (emu_json_string (check->root, "data.ticket"));
  exchange = emu_exchange (fx, ticket);
  emu_assert_envelope (exchange, 200, 0, OK);

  gene = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  g_assert_cmpuint (gene->status, ==, 500);
}

static void
test_check_only_modes (EmuFixture    *fx,
                       gconstpointer  data)
{
  const QrsEmulatorFault modes[] = { QRS_EMULATOR_FAULT_UNKNOWN_STATUS, QRS_EMULATOR_FAULT_STATUS_ERROR };
  const QrsEmulatorEndpoint endpoints[] = {
    QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
    QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET,
  };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    for (guint e = 0; e < G_N_ELEMENTS (endpoints); e++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *body = g_strdup_printf ("{\"endpoint\":\"%s\",\"mode\":\"%s\"}",
                                                 endpoint_nick (endpoints[e]), mode_nick (modes[m]));
        g_autoptr(EmuResponse) response = emu_request (fx, "POST", "/__emu/fault", body, 0, NULL);

        g_assert_false (qrs_emulator_inject_fault (fx->emulator, endpoints[e], modes[m], 1, 0, 0, &error));
        g_assert_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_INVALID_ARGUMENT);
        g_assert_cmpstr (error->message, ==, "unknown-status and status-error only apply to check-qrcode-status");

        g_assert_cmpuint (response->status, ==, 400);
        g_assert_cmpstr (emu_json_string (response->root, "error"), ==,
                         "unknown-status and status-error only apply to check-qrcode-status");
      }
}

static void
test_hook_validation (EmuFixture    *fx,
                      gconstpointer  data)
{
  const struct
  {
    const char *body;
    const char *error;
  } cases[] = {
    { "{\"endpoint\":\"change-qrcode-status\",\"mode\":\"http500\"}",
      "endpoint must be gene-qrcode, check-qrcode-status or exchange-tokenset-with-qrcode-ticket" },
    { "{\"mode\":\"http500\"}",
      "endpoint must be gene-qrcode, check-qrcode-status or exchange-tokenset-with-qrcode-ticket" },
    { "{\"endpoint\":\"gene-qrcode\",\"mode\":\"explode\"}",
      "mode must be http500, html, malformed, wrong-type, unknown-status, no-data, "
      "error-status, status-error, throttle, huge, stall or drop" },
    { "{\"endpoint\":\"gene-qrcode\",\"mode\":\"http500\",\"count\":-1}", "count must be a whole number" },
    { "{\"endpoint\":\"gene-qrcode\",\"mode\":\"http500\",\"count\":\"2\"}", "count must be a whole number" },
    { "{\"endpoint\":\"gene-qrcode\",\"mode\":\"throttle\",\"retryAfter\":1.5}",
      "retryAfter must be a whole number of seconds" },
    { "{\"endpoint\":\"gene-qrcode\",\"mode\":\"stall\",\"seconds\":90000}",
      "seconds must be a whole number up to 86400" },
    { "not json", "The body must be a JSON object" },
  };
  g_autoptr(EmuResponse) get = emu_request (fx, "GET", "/__emu/fault", NULL, 0, NULL);
  g_autoptr(EmuResponse) defaults = NULL;
  g_autoptr(EmuResponse) throttled = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EmuResponse) response = emu_request (fx, "POST", "/__emu/fault", cases[i].body, 0, NULL);

      g_assert_cmpuint (response->status, ==, 400);
      g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 1);
      g_assert_cmpstr (emu_json_string (response->root, "error"), ==, cases[i].error);
    }

  g_assert_cmpuint (get->status, ==, 405);
  g_assert_cmpstr (emu_json_string (get->root, "error"), ==, "Use POST for /__emu/fault");

  /* Defaults: one answer, Retry-After 1, a 30 s stall. */
  defaults = emu_request (fx, "POST", "/__emu/fault", "{\"endpoint\":\"gene-qrcode\",\"mode\":\"throttle\"}", 0, NULL);
  g_assert_cmpuint (defaults->status, ==, 200);
  g_assert_cmpint (emu_json_int (defaults->root, "count"), ==, 1);
  g_assert_cmpint (emu_json_int (defaults->root, "retryAfter"), ==, 1);
  g_assert_cmpint (emu_json_int (defaults->root, "seconds"), ==, 30);

  throttled = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  g_assert_cmpuint (throttled->status, ==, 429);
  g_assert_cmpstr (soup_message_headers_get_one (throttled->headers, "Retry-After"), ==, "1");
}

typedef struct
{
  SoupMessage *msg;
  GCancellable *cancellable;
  GBytes *body;
  GError *error;
  gboolean done;
} Pending;

static void
pending_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *pending = user_data;

  pending->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &pending->error);
  pending->done = TRUE;
}

static void
pending_start (EmuFixture *fx,
               Pending    *pending,
               const char *method,
               const char *path,
               const char *body)
{
  g_autofree char *uri = g_strconcat (fx->base, path, NULL);

  pending->msg = soup_message_new (method, uri);
  /* On a fresh connection libsoup does not resend a request the server
   * never answered, so the test sees exactly what the server did.
   */
  soup_message_set_flags (pending->msg, SOUP_MESSAGE_NEW_CONNECTION);
  soup_message_headers_append (soup_message_get_request_headers (pending->msg), "x-authing-app-id", fx->app_id);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (pending->msg, "application/json", bytes);
    }
  pending->cancellable = g_cancellable_new ();
  soup_session_send_and_read_async (fx->session, pending->msg, G_PRIORITY_DEFAULT,
                                    pending->cancellable, pending_cb, pending);
}

static void
pending_clear (Pending *pending)
{
  g_clear_object (&pending->msg);
  g_clear_object (&pending->cancellable);
  g_clear_pointer (&pending->body, g_bytes_unref);
  g_clear_error (&pending->error);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for @ms milliseconds. */
static void
spin (guint ms)
{
  gboolean fired = FALSE;

  g_timeout_add (ms, timeout_cb, &fired);
  while (!fired)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_stall_holds_state (EmuFixture    *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  Pending pending = { NULL };

  qrs_emulator_inject_fault (fx->emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                             QRS_EMULATOR_FAULT_STALL, 1, 0, 1, &error);
  g_assert_no_error (error);

  pending_start (fx, &pending, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  spin (300);

  /* Held back: logged without a status, and no code exists yet. */
  g_assert_false (pending.done);
  log = qrs_emulator_dup_log (fx->emulator);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpuint (((QrsEmulatorLogEntry *) g_ptr_array_index (log, 0))->status, ==, 0);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 0);

  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (pending.error);
  g_assert_cmpuint (soup_message_get_status (pending.msg), ==, 200);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 1);
  g_assert_cmpuint (last_logged_status (fx, 0), ==, 200);

  pending_clear (&pending);
}

static void
test_stall_until_stop (EmuFixture    *fx,
                       gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *path = g_strconcat (CHECK "?qrcodeId=", qrcode_id, NULL);
  Pending first = { NULL }, second = { NULL };

  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_STALL, 2, 1, 0);

  pending_start (fx, &first, "GET", path, NULL);
  pending_start (fx, &second, "GET", path, NULL);
  while (qrs_emulator_count_requests (fx->emulator, CHECK) < 2)
    g_main_context_iteration (NULL, TRUE);
  spin (100);
  g_assert_false (first.done);
  g_assert_false (second.done);

  /* Stopping closes the held connections without an answer. */
  qrs_emulator_stop (fx->emulator);
  while (!first.done || !second.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_cmpuint (last_logged_status (fx, 0), ==, 0);
  g_assert_cmpuint (last_logged_status (fx, 1), ==, 0);

  pending_clear (&first);
  pending_clear (&second);
}

static void
test_stall_dispose (void)
{
  g_autoptr(GError) error = NULL;
  EmuFixture fx = { NULL };
  Pending pending = { NULL };

  emu_fixture_setup (&fx, NULL);
  qrs_emulator_inject_fault (fx.emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                             QRS_EMULATOR_FAULT_STALL, 1, 0, 0, &error);
  g_assert_no_error (error);
  pending_start (&fx, &pending, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  while (qrs_emulator_count_requests (fx.emulator, GENE) < 1)
    g_main_context_iteration (NULL, TRUE);

  /* Dropping the last reference of a running emulator stops it. */
  g_assert_finalize_object (g_steal_pointer (&fx.emulator));
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (pending.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);

  pending_clear (&pending);
  emu_fixture_teardown (&fx, NULL);
}

static void
test_stall_client_timeout (EmuFixture    *fx,
                           gconstpointer  data)
{
  g_autoptr(EmuResponse) timed_out = NULL;
  g_autoptr(EmuResponse) next = NULL;

  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_STALL, 1, 1, 0);
  g_object_set (fx->session, "timeout", 1, NULL);

  timed_out = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  g_assert_error (timed_out->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

  /* The emulator keeps serving others while one request hangs. */
  next = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  emu_assert_envelope (next, 200, 0, OK);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 1);
}

static void
test_stall_client_gone (EmuFixture    *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EmuResponse) next = NULL;
  Pending pending = { NULL };

  qrs_emulator_inject_fault (fx->emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                             QRS_EMULATOR_FAULT_STALL, 1, 0, 1, &error);
  g_assert_no_error (error);

  pending_start (fx, &pending, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  spin (200);
  g_cancellable_cancel (pending.cancellable);
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (pending.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The late answer goes to a closed socket; the emulator carries on. */
  spin (1100);
  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 1);
  g_assert_cmpuint (last_logged_status (fx, 0), ==, 200);
  next = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  emu_assert_envelope (next, 200, 0, OK);

  pending_clear (&pending);
}

static void
stop_cb (QrsEmulator *emulator,
         const char  *qrcode_id,
         const char  *status,
         gpointer     user_data)
{
  qrs_emulator_stop (emulator);
}

static void
test_stall_stopped_while_answering (EmuFixture    *fx,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Pending pending = { NULL };

  qrs_emulator_inject_fault (fx->emulator, QRS_EMULATOR_ENDPOINT_GENE_QRCODE,
                             QRS_EMULATOR_FAULT_STALL, 1, 0, 1, &error);
  g_assert_no_error (error);
  /* Creating the code at the end of the stall stops the emulator. */
  g_signal_connect (fx->emulator, "code-changed", G_CALLBACK (stop_cb), NULL);

  pending_start (fx, &pending, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (pending.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_false (qrs_emulator_is_running (fx->emulator));
  g_assert_cmpuint (qrs_emulator_get_n_codes (fx->emulator), ==, 1);

  pending_clear (&pending);
}

static void
test_drop_reused_connection (EmuFixture    *fx,
                             gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autoptr(EmuResponse) check = NULL;
  g_autoptr(EmuResponse) gene = NULL;

  /* libsoup silently resends an idempotent request whose kept-alive
   * connection closed before any answer; a POST is not resent.
   */
  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, QRS_EMULATOR_FAULT_DROP, 1, 1, 30);
  check = emu_check (fx, qrcode_id);
  emu_assert_envelope (check, 200, 0, OK);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, CHECK), ==, 2);
  g_assert_cmpuint (last_logged_status (fx, 1), ==, 0);
  g_assert_cmpuint (last_logged_status (fx, 0), ==, 200);

  inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_GENE_QRCODE, QRS_EMULATOR_FAULT_DROP, 1, 1, 30);
  gene = emu_api (fx, "POST", GENE, "{\"type\":\"MOBILE_APP\"}");
  g_assert_error (gene->error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, GENE), ==, 2);
}

/* A faulted answer speaks the request's language like any other; only
 * http500's body is a fixed English one.
 */
static void
test_english (EmuFixture    *fx,
              gconstpointer  data)
{
  const QrsEmulatorFault modes[] = {
    QRS_EMULATOR_FAULT_THROTTLE,
    QRS_EMULATOR_FAULT_MALFORMED,
    QRS_EMULATOR_FAULT_WRONG_TYPE,
    QRS_EMULATOR_FAULT_UNKNOWN_STATUS,
    QRS_EMULATOR_FAULT_NO_DATA,
    QRS_EMULATOR_FAULT_ERROR_STATUS,
    QRS_EMULATOR_FAULT_HUGE,
    QRS_EMULATOR_FAULT_HTTP500,
  };
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *path = g_strconcat (CHECK "?qrcodeId=", qrcode_id, NULL);
  g_autoptr(EmuResponse) chinese = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    inject_by_hook (fx, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS, modes[i], 1, 0, 30);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(EmuResponse) response = emu_request (fx, "GET", path, NULL, 0, "x-authing-app-id", fx->app_id,
                                                     "x-authing-lang", "en-US", NULL);

      switch (modes[i])
        {
        case QRS_EMULATOR_FAULT_THROTTLE:
          g_assert_cmpuint (response->status, ==, 429);
          assert_body (response, "{\"statusCode\":429,\"message\":\"Too many requests, please try again later\"}");
          g_assert_null (soup_message_headers_get_one (response->headers, "Retry-After"));
          break;
        case QRS_EMULATOR_FAULT_MALFORMED:
          assert_body (response, "{\"statusCode\":200,\"message\":\"Operation successful\",\"data\":{\"status\":\"PEND");
          break;
        case QRS_EMULATOR_FAULT_WRONG_TYPE:
          g_assert_cmpstr (emu_json_string (response->root, "message"), ==, "Operation successful");
          g_assert_cmpint (emu_json_int (response->root, "data.status"), ==, 1);
          break;
        case QRS_EMULATOR_FAULT_UNKNOWN_STATUS:
          emu_assert_envelope (response, 200, 0, "Operation successful");
          g_assert_cmpstr (emu_json_string (response->root, "data.status"), ==, "TELEPORTED");
          break;
        case QRS_EMULATOR_FAULT_NO_DATA:
          emu_assert_envelope (response, 200, 0, "Operation successful");
          g_assert_false (emu_json_has (response->root, "data"));
          break;
        case QRS_EMULATOR_FAULT_ERROR_STATUS:
          emu_assert_envelope (response, 500, 1500, "Internal server error");
          break;
        case QRS_EMULATOR_FAULT_HUGE:
          g_assert_cmpuint (g_bytes_get_size (response->body), ==, QRS_EMULATOR_HUGE_BODY_SIZE);
          emu_assert_envelope (response, 200, 0, "Operation successful");
          break;
        case QRS_EMULATOR_FAULT_HTTP500:
          g_assert_cmpuint (response->status, ==, 500);
          assert_body (response, HTTP500_BODY);
          break;
        case QRS_EMULATOR_FAULT_HTML:
        case QRS_EMULATOR_FAULT_STATUS_ERROR:
        case QRS_EMULATOR_FAULT_STALL:
        case QRS_EMULATOR_FAULT_DROP:
        default:
          g_assert_not_reached ();
        }
    }

  /* The queue is empty again and nothing changed: a normal answer, in
   * Chinese without the header.
   */
  chinese = emu_check (fx, qrcode_id);
  assert_normal (chinese, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS);
}

#define ADD(path, func) \
  g_test_add ("/emulator/fault/" path, EmuFixture, NULL, emu_fixture_setup, func, emu_fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_mode_tests ();
  ADD ("count-and-order", test_count_and_order);
  ADD ("clear", test_clear);
  ADD ("get-qrcode-status-shares", test_get_alias_shares);
  ADD ("other-endpoints-unaffected", test_other_endpoints_unaffected);
  ADD ("check-only-modes", test_check_only_modes);
  ADD ("hook-validation", test_hook_validation);
  ADD ("english", test_english);
  ADD ("stall/holds-state", test_stall_holds_state);
  ADD ("stall/until-stop", test_stall_until_stop);
  g_test_add_func ("/emulator/fault/stall/dispose", test_stall_dispose);
  ADD ("stall/client-timeout", test_stall_client_timeout);
  ADD ("stall/client-gone", test_stall_client_gone);
  ADD ("stall/stopped-while-answering", test_stall_stopped_while_answering);
  ADD ("drop/reused-connection", test_drop_reused_connection);

  return g_test_run ();
}
