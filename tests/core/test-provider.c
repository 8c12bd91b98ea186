/* test-provider.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-core-enums.h"
#include "qrs-provider.h"

/* The provider interface and the small immutable types it hands out. */

/* ---- A provider that can only make codes ------------------------------ */

#define TEST_TYPE_CODE_ONLY (test_code_only_get_type ())
G_DECLARE_FINAL_TYPE (TestCodeOnly, test_code_only, TEST, CODE_ONLY, GObject)

struct _TestCodeOnly
{
  GObject parent_instance;
  guint created;
};

static void test_code_only_iface_init (QrsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCodeOnly, test_code_only, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (QRS_TYPE_PROVIDER, test_code_only_iface_init))

static void
test_code_only_create_code_async (QrsProvider         *provider,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  TestCodeOnly *self = TEST_CODE_ONLY (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_strdup_printf ("code-%u", ++self->created);

  g_task_set_source_tag (task, test_code_only_create_code_async);
  g_task_return_pointer (task, qrs_code_new (id, "content", NULL, now, 30), g_object_unref);
}

static QrsCode *
test_code_only_create_code_finish (QrsProvider   *provider,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_assert_true (g_async_result_is_tagged (result, test_code_only_create_code_async));

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_code_only_iface_init (QrsProviderInterface *iface)
{
  iface->create_code_async = test_code_only_create_code_async;
  iface->create_code_finish = test_code_only_create_code_finish;
}

static void
test_code_only_class_init (TestCodeOnlyClass *klass)
{
}

static void
test_code_only_init (TestCodeOnly *self)
{
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

/* The wrappers dispatch to the implementation. */
static void
test_interface_dispatch (void)
{
  g_autoptr(TestCodeOnly) provider = g_object_new (TEST_TYPE_CODE_ONLY, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QrsCode) code = NULL;
  g_autoptr(GError) error = NULL;

  qrs_provider_create_code_async (QRS_PROVIDER (provider), NULL, on_done, &result);
  code = qrs_provider_create_code_finish (QRS_PROVIDER (provider), wait_for (&result), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (qrs_code_get_id (code), ==, "code-1");
  g_assert_cmpuint (provider->created, ==, 1);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&code));
  g_assert_finalize_object (g_steal_pointer (&provider));
}

/* Steps an implementation leaves out are reported through the callback. */
static void
test_interface_not_supported (void)
{
  g_autoptr(TestCodeOnly) provider = g_object_new (TEST_TYPE_CODE_ONLY, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(QrsCode) code = qrs_code_new ("abc", NULL, NULL, now, 10);
  g_autoptr(QrsStatusReport) report = qrs_status_report_new (QRS_STATUS_AUTHORIZED, "t", NULL, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  qrs_provider_check_status_async (QRS_PROVIDER (provider), code, NULL, on_done, &result);
  g_assert_null (qrs_provider_check_status_finish (QRS_PROVIDER (provider), wait_for (&result), &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED);

  qrs_provider_exchange_async (QRS_PROVIDER (provider), report, NULL, on_done, &result2);
  g_assert_null (qrs_provider_exchange_finish (QRS_PROVIDER (provider), wait_for (&result2), &error2));
  g_assert_error (error2, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_NOT_SUPPORTED);
}

/* ---- Errors ----------------------------------------------------------- */

static void
test_error_details (void)
{
  g_autoptr(GError) error = g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED, "slow down");
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "other");

  /* Nothing set: neutral values. */
  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 0);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 0);
  g_assert_cmpint (qrs_provider_error_get_api_code (error), ==, 0);
  g_assert_null (qrs_provider_error_get_server_message (error));
  g_assert_null (qrs_provider_error_get_request_id (error));
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, -1);

  qrs_provider_error_set_http_status (error, 429);
  qrs_provider_error_set_server_fault (error, 429, 1234, "请稍后重试", "req-1");
  qrs_provider_error_set_retry_after (error, 99999);

  g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 429);
  g_assert_cmpint (qrs_provider_error_get_status_code (error), ==, 429);
  g_assert_cmpint (qrs_provider_error_get_api_code (error), ==, 1234);
  g_assert_cmpstr (qrs_provider_error_get_server_message (error), ==, "请稍后重试");
  g_assert_cmpstr (qrs_provider_error_get_request_id (error), ==, "req-1");
  g_assert_cmpint (qrs_provider_error_get_retry_after (error), ==, QRS_PROVIDER_RETRY_AFTER_MAX);

  /* Copies carry everything; the original can go. */
  copy = g_error_copy (error);
  g_clear_error (&error);
  g_assert_error (copy, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (qrs_provider_error_get_http_status (copy), ==, 429);
  g_assert_cmpstr (qrs_provider_error_get_server_message (copy), ==, "请稍后重试");
  g_assert_cmpstr (qrs_provider_error_get_request_id (copy), ==, "req-1");
  g_assert_cmpint (qrs_provider_error_get_retry_after (copy), ==, QRS_PROVIDER_RETRY_AFTER_MAX);

  /* Any other error reads as "no details". */
  g_assert_cmpuint (qrs_provider_error_get_http_status (other), ==, 0);
  g_assert_null (qrs_provider_error_get_request_id (other));
  g_assert_cmpint (qrs_provider_error_get_retry_after (other), ==, -1);
}

/* Details survive a GTask, which is how they reach callers. */
static void
test_error_through_task (void)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  GError *error = g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER, "no");
  g_autoptr(GError) propagated = NULL;

  qrs_provider_error_set_server_fault (error, 404, 0, "二维码不存在", "abc");
  g_task_return_error (task, error);
  g_assert_null (g_task_propagate_pointer (task, &propagated));
  g_assert_error (propagated, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER);
  g_assert_cmpint (qrs_provider_error_get_status_code (propagated), ==, 404);
  g_assert_cmpstr (qrs_provider_error_get_server_message (propagated), ==, "二维码不存在");
}

typedef struct
{
  GQuark domain;
  int code;
  QrsProviderError expected;
} TransportCase;

static void
test_error_from_transport (void)
{
  const TransportCase cases[] = {
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, QRS_PROVIDER_ERROR_CANCELLED },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, QRS_PROVIDER_ERROR_TIMEOUT },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, QRS_PROVIDER_ERROR_TLS },
    { G_TLS_ERROR, G_TLS_ERROR_NOT_TLS, QRS_PROVIDER_ERROR_TLS },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, QRS_PROVIDER_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, QRS_PROVIDER_ERROR_NETWORK },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, QRS_PROVIDER_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, QRS_PROVIDER_ERROR_NETWORK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) transport = g_error_new_literal (cases[i].domain, cases[i].code, "the reason");
      g_autoptr(GError) error = qrs_provider_error_new_from_transport (transport);

      g_assert_error (error, QRS_PROVIDER_ERROR, cases[i].expected);
      g_assert_cmpuint (qrs_provider_error_get_http_status (error), ==, 0);
    }

  {
    g_autoptr(GError) transport = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused");
    g_autoptr(GError) error = qrs_provider_error_new_from_transport (transport);

    g_assert_cmpstr (error->message, ==, "Could not reach the sign-in server: Connection refused");
    g_assert_false (qrs_provider_error_is_cancelled (error));
    g_assert_false (qrs_provider_error_is_cancelled (NULL));
  }
}

/* ---- Types ------------------------------------------------------------ */

static void
test_code (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (-5 * 3600);
  g_autoptr(GDateTime) created = g_date_time_new (zone, 2026, 1, 31, 23, 59, 30.5);
  g_autoptr(GDateTime) before = g_date_time_add_seconds (created, 119.9);
  g_autoptr(GDateTime) at = g_date_time_add_seconds (created, 120);
  g_autoptr(QrsCode) code = qrs_code_new ("id-1", "{\"scene\":\"APP_AUTH\"}", "https://e.com/q.png", created, 120);
  g_autoptr(GDateTime) expires_prop = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expires = NULL;
  guint lifetime;

  g_assert_cmpstr (qrs_code_get_id (code), ==, "id-1");
  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, "{\"scene\":\"APP_AUTH\"}");
  g_assert_cmpstr (qrs_code_get_image_url (code), ==, "https://e.com/q.png");
  g_assert_cmpuint (qrs_code_get_lifetime (code), ==, 120);

  /* Stored in UTC. */
  g_assert_cmpint (g_date_time_get_utc_offset (qrs_code_get_created_at (code)), ==, 0);
  expires = g_date_time_format_iso8601 (qrs_code_get_expires_at (code));
  g_assert_cmpstr (expires, ==, "2026-02-01T05:01:30.500000Z");

  g_assert_false (qrs_code_has_expired (code, created));
  g_assert_false (qrs_code_has_expired (code, before));
  g_assert_true (qrs_code_has_expired (code, at));

  g_object_get (code, "id", &id, "lifetime", &lifetime, "expires-at", &expires_prop, NULL);
  g_assert_cmpstr (id, ==, "id-1");
  g_assert_cmpuint (lifetime, ==, 120);
  g_assert_true (g_date_time_equal (expires_prop, qrs_code_get_expires_at (code)));

  g_assert_finalize_object (g_steal_pointer (&code));
}

static void
test_token_set_debug_string (void)
{
  g_autofree char *jwt = g_strnfill (1234, 'x');
  g_autofree char *access = NULL;
  g_autoptr(QrsTokenSet) full = NULL;
  g_autoptr(QrsTokenSet) sparse = NULL;
  g_autofree char *full_text = NULL;
  g_autofree char *sparse_text = NULL;
  g_autofree char *token_type = NULL;
  gint64 expires_in;

  memcpy (jwt, "eyJh", 4);
  access = g_strdup (jwt);
  full = qrs_token_set_new (access, "eyJpZCI6MTIzNDU2Nzg5MH0.sig", "refresh-12", "bearer", 7200, "openid profile");
  sparse = qrs_token_set_new (NULL, "short", NULL, "Bearer", 0, NULL);

  full_text = qrs_token_set_to_debug_string (full);
  g_assert_cmpstr (full_text, ==,
                   "token_type=\"bearer\" expires_in=7200 scope=\"openid profile\" "
                   "access_token=(1234 chars) id_token=(27 chars) refresh_token=(10 chars)");
  g_assert_null (strstr (full_text, access));

  sparse_text = qrs_token_set_to_debug_string (sparse);
  g_assert_cmpstr (sparse_text, ==,
                   "token_type=\"Bearer\" expires_in=0 scope=(none) access_token=(none) id_token=(5 chars) refresh_token=(none)");

  /* The tokens are not properties; the rest are. */
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (full), "access-token"));
  g_object_get (full, "token-type", &token_type, "expires-in", &expires_in, NULL);
  g_assert_cmpstr (token_type, ==, "bearer");
  g_assert_cmpint (expires_in, ==, 7200);

  g_assert_finalize_object (g_steal_pointer (&full));
  g_assert_finalize_object (g_steal_pointer (&sparse));
}

static void
test_status_report (void)
{
  g_autoptr(QrsTokenSet) token_set = qrs_token_set_new ("eyJhbGciOiJSUzI1NiJ9.payload", NULL, NULL, "bearer", 60, NULL);
  g_autoptr(QrsStatusReport) report = qrs_status_report_new (QRS_STATUS_AUTHORIZED, "ticket-secret-value", "Zoë", "https://e.com/p.png", token_set);
  g_autoptr(QrsStatusReport) pending = qrs_status_report_new (QRS_STATUS_PENDING, NULL, NULL, NULL, NULL);
  g_autofree char *text = NULL;
  g_autofree char *pending_text = NULL;
  g_autofree char *display_name = NULL;
  g_autoptr(QrsTokenSet) token_prop = NULL;
  QrsStatus status;
  gboolean has_ticket;

  g_assert_cmpint (qrs_status_report_get_status (report), ==, QRS_STATUS_AUTHORIZED);
  g_assert_cmpstr (qrs_status_report_get_ticket (report), ==, "ticket-secret-value");
  g_assert_true (qrs_status_report_has_ticket (report));
  g_assert_cmpstr (qrs_status_report_get_display_name (report), ==, "Zoë");
  g_assert_cmpstr (qrs_status_report_get_photo_url (report), ==, "https://e.com/p.png");
  g_assert_true (qrs_status_report_get_token_set (report) == token_set);

  text = qrs_status_report_to_debug_string (report);
  g_assert_cmpstr (text, ==,
                   "status=AUTHORIZED ticket=(19 chars) display_name=\"Zoë\" photo_url=\"https://e.com/p.png\" "
                   "token_set={token_type=\"bearer\" expires_in=60 scope=(none) access_token=(28 chars) "
                   "id_token=(none) refresh_token=(none)}");
  g_assert_null (strstr (text, "ticket-secret-value"));

  pending_text = qrs_status_report_to_debug_string (pending);
  g_assert_cmpstr (pending_text, ==,
                   "status=PENDING ticket=(none) display_name=(none) photo_url=(none) token_set=(none)");

  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (report), "ticket"));
  g_object_get (report, "status", &status, "has-ticket", &has_ticket, "display-name", &display_name,
                "token-set", &token_prop, NULL);
  g_assert_cmpint (status, ==, QRS_STATUS_AUTHORIZED);
  g_assert_true (has_ticket);
  g_assert_cmpstr (display_name, ==, "Zoë");
  g_assert_true (token_prop == token_set);
  g_clear_object (&token_prop);

  g_assert_finalize_object (g_steal_pointer (&report));
  g_assert_finalize_object (g_steal_pointer (&token_set));
}

static void
test_status_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_STATUS);
  static const char * const nicks[] = { "pending", "scanned", "authorized", "cancelled", "expired", "error" };
  static const char * const names[] = { "PENDING", "SCANNED", "AUTHORIZED", "CANCELLED", "EXPIRED", "ERROR" };
  static const gboolean final[] = { FALSE, FALSE, TRUE, TRUE, TRUE, TRUE };

  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (nicks));
  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    {
      g_assert_cmpstr (g_enum_get_value (klass, i)->value_nick, ==, nicks[i]);
      g_assert_cmpstr (qrs_status_to_string (i), ==, names[i]);
      g_assert_cmpint (qrs_status_is_final (i), ==, final[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider/interface/dispatch", test_interface_dispatch);
  g_test_add_func ("/provider/interface/not-supported", test_interface_not_supported);
  g_test_add_func ("/provider/error/details", test_error_details);
  g_test_add_func ("/provider/error/through-task", test_error_through_task);
  g_test_add_func ("/provider/error/from-transport", test_error_from_transport);
  g_test_add_func ("/provider/code", test_code);
  g_test_add_func ("/provider/token-set/debug-string", test_token_set_debug_string);
  g_test_add_func ("/provider/status-report", test_status_report);
  g_test_add_func ("/provider/status/enum", test_status_enum);

  return g_test_run ();
}
