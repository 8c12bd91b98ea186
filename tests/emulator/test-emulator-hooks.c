/* test-emulator-hooks.c — /__emu/ hooks, images, the C API, a full sign-in
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "emu-test-util.h"
#include "qrs-test-zbar.h"

#define OK "操作成功"

static EmuResponse *
post_phone (EmuFixture *fx,
            const char *body)
{
  return emu_request (fx, "POST", "/__emu/phone", body, 0, NULL);
}

static void
assert_hook_error (EmuResponse *response,
                   guint        http_status,
                   const char  *message)
{
  g_assert_cmpuint (response->status, ==, http_status);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==,
                   "application/json; charset=utf-8");
  g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 1);
  g_assert_cmpstr (emu_json_string (response->root, "error"), ==, message);
}

/* /__emu/phone */

static void
test_phone_newest (EmuFixture    *fx,
                   gconstpointer  data)
{
  g_autofree char *older = emu_gene_qrcode (fx);
  g_autofree char *newest = emu_gene_qrcode (fx);
  g_autoptr(EmuResponse) scan = post_phone (fx, "{\"action\":\"SCAN\"}");
  g_autofree char *older_status = emu_get_status (fx, older);
  g_autofree char *newest_status = emu_get_status (fx, newest);
  g_autofree char *newest_id = qrs_emulator_dup_newest_code_id (fx->emulator);

  g_assert_cmpuint (scan->status, ==, 200);
  g_assert_cmpuint (emu_json_size (scan->root, NULL), ==, 2);
  g_assert_cmpstr (emu_json_string (scan->root, "qrcodeId"), ==, newest);
  g_assert_cmpstr (emu_json_string (scan->root, "status"), ==, "SCANNED");
  g_assert_cmpstr (older_status, ==, "PENDING");
  g_assert_cmpstr (newest_status, ==, "SCANNED");
  g_assert_cmpstr (newest_id, ==, newest);
}

static void
test_phone_explicit_id (EmuFixture    *fx,
                        gconstpointer  data)
{
  g_autofree char *older = emu_gene_qrcode (fx);
  g_autofree char *newest = emu_gene_qrcode (fx);
  g_autofree char *scan_body = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"SCAN\"}", older);
  g_autofree char *cancel_body = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"CANCEL\"}", older);
  g_autoptr(EmuResponse) scan = post_phone (fx, scan_body);
  g_autoptr(EmuResponse) cancel = post_phone (fx, cancel_body);
  g_autofree char *older_status = emu_get_status (fx, older);
  g_autofree char *newest_status = emu_get_status (fx, newest);

  g_assert_cmpstr (emu_json_string (scan->root, "status"), ==, "SCANNED");
  g_assert_cmpstr (emu_json_string (cancel->root, "qrcodeId"), ==, older);
  g_assert_cmpstr (emu_json_string (cancel->root, "status"), ==, "CANCELLED");
  g_assert_cmpstr (older_status, ==, "CANCELLED");
  g_assert_cmpstr (newest_status, ==, "PENDING");
}

static void
test_phone_profile (EmuFixture    *fx,
                    gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autoptr(EmuResponse) scan = post_phone (fx, "{\"action\":\"SCAN\",\"displayName\":\"Zoë Ångström\","
                                                "\"photo\":\"https://example.com/zoe.png?s=100\"}");
  g_autoptr(EmuResponse) scanned = emu_check (fx, qrcode_id);
  g_autoptr(EmuResponse) confirm = post_phone (fx, "{\"action\":\"CONFIRM\",\"displayName\":\"Zoë\"}");
  g_autoptr(EmuResponse) authorized = emu_check (fx, qrcode_id);

  g_assert_cmpuint (scan->status, ==, 200);
  g_assert_cmpstr (emu_json_string (scanned->root, "data.briefUserInfo.displayName"), ==, "Zoë Ångström");
  g_assert_cmpstr (emu_json_string (scanned->root, "data.briefUserInfo.photo"), ==,
                   "https://example.com/zoe.png?s=100");

  g_assert_cmpuint (confirm->status, ==, 200);
  g_assert_cmpstr (emu_json_string (authorized->root, "data.status"), ==, "AUTHORIZED");
  g_assert_cmpstr (emu_json_string (authorized->root, "data.briefUserInfo.displayName"), ==, "Zoë");
  g_assert_cmpstr (emu_json_string (authorized->root, "data.briefUserInfo.photo"), ==,
                   "https://example.com/zoe.png?s=100");
}

static void
test_phone_errors (EmuFixture    *fx,
                   gconstpointer  data)
{
  g_autoptr(EmuResponse) none_yet = post_phone (fx, "{\"action\":\"SCAN\"}");
  g_autoptr(EmuResponse) unknown = post_phone (fx, "{\"qrcodeId\":\"nope\",\"action\":\"SCAN\"}");
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *expected = g_strdup_printf ("Cannot confirm QR code %s: it is PENDING", qrcode_id);
  g_autoptr(EmuResponse) too_early = post_phone (fx, "{\"action\":\"CONFIRM\"}");
  g_autoptr(EmuResponse) bad_action = post_phone (fx, "{\"action\":\"APPROVE\"}");
  g_autoptr(EmuResponse) no_action = post_phone (fx, "{}");
  g_autoptr(EmuResponse) bad_id = post_phone (fx, "{\"qrcodeId\":7,\"action\":\"SCAN\"}");
  g_autoptr(EmuResponse) bad_name = post_phone (fx, "{\"action\":\"SCAN\",\"displayName\":true}");
  g_autoptr(EmuResponse) bad_photo = post_phone (fx, "{\"action\":\"SCAN\",\"photo\":{}}");
  g_autoptr(EmuResponse) not_json = post_phone (fx, "SCAN");
  g_autoptr(EmuResponse) get = emu_request (fx, "GET", "/__emu/phone", NULL, 0, NULL);
  g_autofree char *status = emu_get_status (fx, qrcode_id);

  assert_hook_error (none_yet, 404, "No QR code has been generated yet");
  assert_hook_error (unknown, 404, "There is no QR code “nope”");
  assert_hook_error (too_early, 422, expected);
  assert_hook_error (bad_action, 400, "action must be SCAN, CONFIRM or CANCEL");
  assert_hook_error (no_action, 400, "action must be SCAN, CONFIRM or CANCEL");
  assert_hook_error (bad_id, 400, "qrcodeId must be a string");
  assert_hook_error (bad_name, 400, "displayName must be a string");
  assert_hook_error (bad_photo, 400, "photo must be a string");
  assert_hook_error (not_json, 400, "The body must be a JSON object");
  assert_hook_error (get, 405, "Use POST for /__emu/phone");
  g_assert_cmpstr (status, ==, "PENDING");
}

static void
test_phone_expired (EmuFixture    *fx,
                    gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autofree char *expected = g_strdup_printf ("Cannot scan QR code %s: it is EXPIRED", qrcode_id);
  g_autoptr(EmuResponse) late = NULL;

  qrs_emulator_advance_clock (fx->emulator, 120);
  late = post_phone (fx, "{\"action\":\"SCAN\"}");

  assert_hook_error (late, 422, expected);
}

static void
test_phone_acts_as_scanner (EmuFixture    *fx,
                            gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autoptr(EmuResponse) scan = NULL;
  g_autoptr(EmuResponse) confirm = NULL;
  g_autoptr(EmuResponse) status = NULL;

  qrs_emulator_add_user (fx->emulator, "token-b", "user-b", "Bob", NULL, NULL);
  scan = emu_change (fx, "/api/v3/change-qrcode-status", "token-b", qrcode_id, "SCAN");
  emu_assert_envelope (scan, 200, 0, OK);

  /* The hook confirms as Bob, who scanned, not as the demo user. */
  confirm = post_phone (fx, "{\"action\":\"CONFIRM\"}");
  g_assert_cmpuint (confirm->status, ==, 200);

  status = emu_check (fx, qrcode_id);
  g_assert_cmpstr (emu_json_string (status->root, "data.status"), ==, "AUTHORIZED");
  g_assert_cmpstr (emu_json_string (status->root, "data.briefUserInfo.displayName"), ==, "Bob");
}

static void
test_phone_c_api (EmuFixture    *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) not_found = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *qrcode_id = NULL;
  g_autofree char *status = NULL;

  g_assert_false (qrs_emulator_phone (fx->emulator, NULL, QRS_EMULATOR_ACTION_SCAN, NULL, NULL, &not_found));
  g_assert_error (not_found, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_NOT_FOUND);
  g_assert_null (qrs_emulator_dup_newest_code_id (fx->emulator));
  g_assert_null (qrs_emulator_dup_code_status (fx->emulator, NULL));

  qrcode_id = emu_gene_qrcode (fx);
  g_assert_false (qrs_emulator_phone (fx->emulator, "missing", QRS_EMULATOR_ACTION_SCAN, NULL, NULL, &unknown));
  g_assert_error (unknown, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_NOT_FOUND);
  g_assert_cmpstr (unknown->message, ==, "There is no QR code “missing”");

  g_assert_false (qrs_emulator_phone (fx->emulator, qrcode_id, QRS_EMULATOR_ACTION_CANCEL, NULL, NULL, &invalid));
  g_assert_error (invalid, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_INVALID_TRANSITION);

  g_assert_true (qrs_emulator_phone (fx->emulator, NULL, QRS_EMULATOR_ACTION_SCAN, "Ada", NULL, &error));
  g_assert_no_error (error);
  /* Scanning again from the same phone is accepted and changes nothing. */
  g_assert_true (qrs_emulator_phone (fx->emulator, qrcode_id, QRS_EMULATOR_ACTION_SCAN, NULL, NULL, &error));
  g_assert_no_error (error);
  status = qrs_emulator_dup_code_status (fx->emulator, NULL);
  g_assert_cmpstr (status, ==, "SCANNED");
}

/* /__emu/clock */

static void
test_clock (EmuFixture    *fx,
            gconstpointer  data)
{
  gint64 before = qrs_emulator_get_time (fx->emulator);
  g_autoptr(EmuResponse) minute = emu_request (fx, "POST", "/__emu/clock", "{\"advance\":60}", 0, NULL);
  g_autoptr(EmuResponse) half = emu_request (fx, "POST", "/__emu/clock", "{\"advance\":0.5}", 0, NULL);
  gint64 after = qrs_emulator_get_time (fx->emulator);
  g_autoptr(GDateTime) now = NULL;
  const char *now_text;

  g_assert_cmpuint (minute->status, ==, 200);
  g_assert_cmpuint (emu_json_size (minute->root, NULL), ==, 2);
  g_assert_cmpfloat (json_node_get_double (emu_json_get (minute->root, "offset")), ==, 60.0);
  g_assert_cmpfloat (json_node_get_double (emu_json_get (half->root, "offset")), ==, 60.5);

  /* "now" is the emulator's time, in GenAuth's format. */
  now_text = emu_json_string (half->root, "now");
  g_assert_cmpuint (strlen (now_text), ==, 24);
  g_assert_true (g_str_has_suffix (now_text, "Z"));
  g_assert_cmpint (now_text[19], ==, '.');
  now = g_date_time_new_from_iso8601 (now_text, NULL);
  g_assert_nonnull (now);
  g_assert_cmpint (ABS (g_date_time_to_unix (now) - after / G_USEC_PER_SEC), <=, 1);

  g_assert_cmpint (after - before, >=, 60500000);
  g_assert_cmpint (after - before, <, 62000000);
}

static void
test_clock_errors (EmuFixture    *fx,
                   gconstpointer  data)
{
  const struct
  {
    const char *body;
    const char *error;
  } cases[] = {
    { "{\"advance\":-1}", "advance must be between 0 and 100 years" },
    { "{\"advance\":\"60\"}", "advance must be a number of seconds" },
    { "{\"seconds\":60}", "advance must be a number of seconds" },
    { "{\"advance\":[60]}", "advance must be a number of seconds" },
    { "60", "The body must be a JSON object" },
  };
  g_autoptr(EmuResponse) get = emu_request (fx, "GET", "/__emu/clock", NULL, 0, NULL);
  gint64 before = qrs_emulator_get_time (fx->emulator);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EmuResponse) response = emu_request (fx, "POST", "/__emu/clock", cases[i].body, 0, NULL);

      assert_hook_error (response, 400, cases[i].error);
    }

  assert_hook_error (get, 405, "Use POST for /__emu/clock");
  g_assert_cmpint (qrs_emulator_get_time (fx->emulator) - before, <, G_USEC_PER_SEC);
}

static void
test_clock_expires (EmuFixture    *fx,
                    gconstpointer  data)
{
  g_autofree char *qrcode_id = emu_gene_qrcode (fx);
  g_autoptr(EmuResponse) advance = emu_request (fx, "POST", "/__emu/clock", "{\"advance\":120}", 0, NULL);
  g_autofree char *status = emu_get_status (fx, qrcode_id);

  g_assert_cmpuint (advance->status, ==, 200);
  g_assert_cmpstr (status, ==, "EXPIRED");
}

/* /__emu/log and /__emu/codes */

static void
count_cb (QrsEmulator               *emulator,
          const QrsEmulatorLogEntry *entry,
          gpointer                   user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup_printf ("%s %s %u", entry->method, entry->path, entry->status));
}

static void
test_log (EmuFixture    *fx,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *qrcode_id = NULL;
  g_autofree char *png_path = NULL;
  g_autoptr(EmuResponse) check = NULL;
  g_autoptr(EmuResponse) png = NULL;
  g_autoptr(EmuResponse) missing = NULL;
  g_autoptr(EmuResponse) codes = NULL;
  g_autoptr(EmuResponse) log = NULL;
  g_autoptr(EmuResponse) cleared = NULL;
  g_autoptr(EmuResponse) empty = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const struct
  {
    const char *method;
    const char *path;
    guint status;
  } expected[] = {
    { "POST", "/api/v3/gene-qrcode", 200 },
    { "GET", "/api/v3/check-qrcode-status", 200 },
    { "GET", NULL, 200 },
    { "GET", "/nowhere", 404 },
  };
  gint64 last_ms = 0;

  g_signal_connect (fx->emulator, "request", G_CALLBACK (count_cb), seen);

  qrcode_id = emu_gene_qrcode (fx);
  check = emu_check (fx, qrcode_id);
  png_path = g_strconcat ("/__emu/qrcode/", qrcode_id, ".png", NULL);
  png = emu_request (fx, "GET", png_path, NULL, 0, NULL);
  missing = emu_request (fx, "GET", "/nowhere", NULL, 0, NULL);
  /* Hooks are not logged. */
  codes = emu_request (fx, "GET", "/__emu/codes", NULL, 0, NULL);
  log = emu_request (fx, "GET", "/__emu/log", NULL, 0, NULL);

  g_assert_cmpuint (log->status, ==, 200);
  g_assert_cmpuint (emu_json_size (log->root, NULL), ==, 1);
  g_assert_cmpuint (emu_json_size (log->root, "entries"), ==, G_N_ELEMENTS (expected));
  entries = qrs_emulator_dup_log (fx->emulator);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (seen->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("entries.%u.", i);
      g_autofree char *ms_path = g_strconcat (prefix, "ms", NULL);
      g_autofree char *method_path = g_strconcat (prefix, "method", NULL);
      g_autofree char *path_path = g_strconcat (prefix, "path", NULL);
      g_autofree char *status_path = g_strconcat (prefix, "status", NULL);
      g_autofree char *entry_path = g_strdup_printf ("entries.%u", i);
      const QrsEmulatorLogEntry *entry = g_ptr_array_index (entries, i);
      const char *path = expected[i].path != NULL ? expected[i].path : png_path;
      g_autofree char *line = g_strdup_printf ("%s %s %u", expected[i].method, path, expected[i].status);
      gint64 ms = emu_json_int (log->root, ms_path);

      g_assert_cmpuint (emu_json_size (log->root, entry_path), ==, 4);
      g_assert_cmpstr (emu_json_string (log->root, method_path), ==, expected[i].method);
      g_assert_cmpstr (emu_json_string (log->root, path_path), ==, path);
      g_assert_cmpint (emu_json_int (log->root, status_path), ==, expected[i].status);
      g_assert_cmpint (ms, >=, last_ms);
      g_assert_cmpint (ms, <, 10000);
      last_ms = ms;

      g_assert_cmpint (entry->ms, ==, ms);
      g_assert_cmpstr (entry->method, ==, expected[i].method);
      g_assert_cmpstr (entry->path, ==, path);
      g_assert_cmpuint (entry->status, ==, expected[i].status);
      g_assert_cmpstr (g_ptr_array_index (seen, i), ==, line);
    }

  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/gene-qrcode"), ==, 1);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/check-qrcode-status"), ==, 1);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/get-qrcode-status"), ==, 0);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/__emu/codes"), ==, 0);

  cleared = emu_request (fx, "DELETE", "/__emu/log", NULL, 0, NULL);
  g_assert_cmpuint (cleared->status, ==, 200);
  g_assert_cmpuint (emu_json_size (cleared->root, "entries"), ==, 0);
  empty = emu_request (fx, "GET", "/__emu/log", NULL, 0, NULL);
  g_assert_cmpuint (emu_json_size (empty->root, "entries"), ==, 0);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/gene-qrcode"), ==, 0);
}

static void
test_codes (EmuFixture    *fx,
            gconstpointer  data)
{
  g_autofree char *pending = emu_gene_qrcode (fx);
  g_autofree char *scanned = emu_gene_qrcode (fx);
  g_autofree char *ticket = NULL;
  g_autofree char *photo = g_strconcat (fx->base, "/__emu/avatar/" QRS_EMULATOR_DEMO_USER_ID ".png", NULL);
  g_autoptr(EmuResponse) response = NULL;
  g_autoptr(EmuResponse) exchange = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) ticket_expires = NULL;
  g_autoptr(EmuResponse) post = NULL;
  GError *error = NULL;

  qrs_emulator_phone (fx->emulator, scanned, QRS_EMULATOR_ACTION_SCAN, NULL, NULL, &error);
  g_assert_no_error (error);
  ticket = emu_authorize (fx);
  exchange = emu_exchange (fx, ticket);
  emu_assert_envelope (exchange, 200, 0, OK);

  response = emu_request (fx, "GET", "/__emu/codes", NULL, 0, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (emu_json_size (response->root, NULL), ==, 1);
  g_assert_cmpuint (emu_json_size (response->root, "codes"), ==, 3);

  g_assert_cmpuint (emu_json_size (response->root, "codes.0"), ==, 4);
  g_assert_cmpstr (emu_json_string (response->root, "codes.0.qrcodeId"), ==, pending);
  g_assert_cmpstr (emu_json_string (response->root, "codes.0.status"), ==, "PENDING");
  created = g_date_time_new_from_iso8601 (emu_json_string (response->root, "codes.0.createdAt"), NULL);
  expires = g_date_time_new_from_iso8601 (emu_json_string (response->root, "codes.0.expireAt"), NULL);
  g_assert_cmpint (g_date_time_difference (expires, created), ==, 120 * G_USEC_PER_SEC);

  g_assert_cmpuint (emu_json_size (response->root, "codes.1"), ==, 7);
  g_assert_cmpstr (emu_json_string (response->root, "codes.1.qrcodeId"), ==, scanned);
  g_assert_cmpstr (emu_json_string (response->root, "codes.1.status"), ==, "SCANNED");
  g_assert_cmpstr (emu_json_string (response->root, "codes.1.userId"), ==, QRS_EMULATOR_DEMO_USER_ID);
  g_assert_cmpstr (emu_json_string (response->root, "codes.1.displayName"), ==, QRS_EMULATOR_DEMO_USER_DISPLAY_NAME);
  g_assert_cmpstr (emu_json_string (response->root, "codes.1.photo"), ==, photo);

  g_assert_cmpuint (emu_json_size (response->root, "codes.2"), ==, 9);
  g_assert_cmpstr (emu_json_string (response->root, "codes.2.status"), ==, "AUTHORIZED");
  g_assert_true (emu_json_bool (response->root, "codes.2.ticketUsed"));
  ticket_expires = g_date_time_new_from_iso8601 (emu_json_string (response->root, "codes.2.ticketExpireAt"), NULL);
  g_assert_nonnull (ticket_expires);
  g_assert_cmpint (ABS (g_date_time_to_unix (ticket_expires) - 300 - g_get_real_time () / G_USEC_PER_SEC), <=, 2);

  post = emu_request (fx, "POST", "/__emu/codes", "{}", 0, NULL);
  assert_hook_error (post, 405, "Use GET for /__emu/codes");
}

static void
test_unknown_hook (EmuFixture    *fx,
                   gconstpointer  data)
{
  g_autoptr(EmuResponse) response = emu_request (fx, "POST", "/__emu/force", "{}", 0, NULL);

  g_assert_cmpuint (response->status, ==, 404);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/__emu/force"), ==, 1);
}

/* Images */

static GdkPixbuf *
load_png (EmuResponse *response)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==, "image/png");

  gdk_pixbuf_loader_write_bytes (loader, response->body, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Decodes the QR code in @pixbuf the way a phone camera would: grey levels
 * through ZBar.
 */
static GPtrArray *
decode_qr (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  g_autofree guint8 *grey = g_malloc ((gsize) width * height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * channels;

        grey[(gsize) y * width + x] = (guint8) ((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
      }

  return qrs_test_zbar_decode_gray (grey, (guint) width, (guint) height, (gsize) width);
}

static void
assert_crisp_qr (GdkPixbuf *pixbuf)
{
  int side = gdk_pixbuf_get_width (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);

  /* Square, 8 px per module, a 4-module white margin, pure black or white. */
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, side);
  g_assert_cmpint (side % 8, ==, 0);
  g_assert_cmpint ((side / 8 - 8 - 17) % 4, ==, 0);

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        const guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * channels;
        const guint8 *module = pixels + (gsize) (y - y % 8) * rowstride + (gsize) (x - x % 8) * channels;

        g_assert_true (p[0] == 0 || p[0] == 255);
        g_assert_true (p[0] == p[1] && p[1] == p[2]);
        g_assert_cmpint (p[0], ==, module[0]);
        if (x < 32 || y < 32 || x >= side - 32 || y >= side - 32)
          g_assert_cmpint (p[0], ==, 255);
      }
}

static char *
expected_payload (EmuFixture *fx,
                  const char *qrcode_id,
                  const char *userpool_id)
{
  g_autoptr(EmuResponse) codes = emu_request (fx, "GET", "/__emu/codes", NULL, 0, NULL);
  JsonArray *array = json_node_get_array (emu_json_get (codes->root, "codes"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *code = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (code, "qrcodeId"), qrcode_id))
        return g_strdup_printf ("{\"scene\":\"APP_AUTH\",\"random\":\"%s\",\"qrcodeId\":\"%s\","
                                "\"userPoolId\":\"%s\",\"createdAt\":\"%s\",\"expireAt\":\"%s\"}",
                                qrcode_id, qrcode_id, userpool_id,
                                json_object_get_string_member (code, "createdAt"),
                                json_object_get_string_member (code, "expireAt"));
    }

  g_assert_not_reached ();
}

static void
test_qr_png (EmuFixture    *fx,
             gconstpointer  data)
{
  const char *userpool_id = data;
  g_autoptr(EmuResponse) gene = NULL;
  g_autoptr(EmuResponse) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *path = NULL;
  const char *qrcode_id;

  if (userpool_id != NULL)
    qrs_emulator_set_userpool_id (fx->emulator, userpool_id);

  gene = emu_api (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}");
  emu_assert_envelope (gene, 200, 0, OK);
  qrcode_id = emu_json_string (gene->root, "data.qrcodeId");

  /* data.url is an absolute URL on the emulator; fetch it as a path. */
  g_assert_true (g_str_has_prefix (emu_json_string (gene->root, "data.url"), fx->base));
  path = g_strdup (emu_json_string (gene->root, "data.url") + strlen (fx->base));
  image = emu_request (fx, "GET", path, NULL, 0, NULL);
  pixbuf = load_png (image);
  assert_crisp_qr (pixbuf);

  decoded = decode_qr (pixbuf);
  payload = expected_payload (fx, qrcode_id, userpool_id != NULL ? userpool_id : QRS_EMULATOR_DEFAULT_USERPOOL_ID);
  g_assert_cmpuint (decoded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (decoded, 0), ==, payload);
}

static void
test_qr_png_unknown (EmuFixture    *fx,
                     gconstpointer  data)
{
  g_autoptr(EmuResponse) unknown = emu_request (fx, "GET", "/__emu/qrcode/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.png", NULL, 0, NULL);
  g_autoptr(EmuResponse) empty = emu_request (fx, "GET", "/__emu/qrcode/.png", NULL, 0, NULL);
  g_autoptr(EmuResponse) not_png = emu_request (fx, "GET", "/__emu/qrcode/abc", NULL, 0, NULL);

  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpuint (empty->status, ==, 404);
  g_assert_cmpuint (not_png->status, ==, 404);
}

static void
test_avatar (EmuFixture    *fx,
             gconstpointer  data)
{
  g_autoptr(EmuResponse) first = emu_request (fx, "GET", "/__emu/avatar/" QRS_EMULATOR_DEMO_USER_ID ".png", NULL, 0, NULL);
  g_autoptr(EmuResponse) again = emu_request (fx, "GET", "/__emu/avatar/" QRS_EMULATOR_DEMO_USER_ID ".png", NULL, 0, NULL);
  g_autoptr(EmuResponse) other = emu_request (fx, "GET", "/__emu/avatar/someone%20else.png", NULL, 0, NULL);
  g_autoptr(EmuResponse) nameless = emu_request (fx, "GET", "/__emu/avatar/.png", NULL, 0, NULL);
  g_autoptr(GdkPixbuf) pixbuf = load_png (first);
  g_autoptr(GdkPixbuf) other_pixbuf = load_png (other);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  const guint8 *other_pixels = gdk_pixbuf_read_pixels (other_pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *centre = pixels + 64 * rowstride + 64 * 4;
  const guint8 *disc = pixels + 8 * rowstride + 64 * 4;
  const guint8 *other_disc = other_pixels + 8 * rowstride + 64 * 4;

  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 128);
  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));

  /* Transparent corners, an opaque white figure on an opaque coloured disc. */
  g_assert_cmpint (pixels[3], ==, 0);
  g_assert_cmpint (centre[3], ==, 255);
  g_assert_cmpint (centre[0], ==, 255);
  g_assert_cmpint (centre[1], ==, 255);
  g_assert_cmpint (centre[2], ==, 255);
  g_assert_cmpint (disc[3], ==, 255);
  g_assert_false (disc[0] == disc[1] && disc[1] == disc[2]);

  /* The same name gives the same picture; another name, another colour. */
  g_assert_true (g_bytes_equal (first->body, again->body));
  g_assert_false (disc[0] == other_disc[0] && disc[1] == other_disc[1] && disc[2] == other_disc[2]);

  g_assert_cmpuint (nameless->status, ==, 404);
}

/* The object */

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_properties (void)
{
  g_autoptr(QrsEmulator) emulator = qrs_emulator_new ();
  g_autofree char *app_id = NULL;
  g_autofree char *userpool_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *base_url = NULL;
  guint qr_ttl, ticket_ttl, n_notify = 0;
  QrsEmulatorTokenAuthMethod method;
  gboolean full;

  g_object_get (emulator,
                "app-id", &app_id,
                "userpool-id", &userpool_id,
                "qr-ttl", &qr_ttl,
                "ticket-ttl", &ticket_ttl,
                "token-auth-method", &method,
                "client-secret", &secret,
                "return-full-user-info", &full,
                "base-url", &base_url,
                NULL);
  g_assert_cmpstr (app_id, ==, "qrs-demo-app");
  g_assert_cmpstr (userpool_id, ==, "qrs-demo-pool");
  g_assert_cmpuint (qr_ttl, ==, 120);
  g_assert_cmpuint (ticket_ttl, ==, 300);
  g_assert_cmpint (method, ==, QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE);
  g_assert_null (secret);
  g_assert_false (full);
  g_assert_null (base_url);
  g_assert_false (qrs_emulator_is_running (emulator));

  g_signal_connect (emulator, "notify", G_CALLBACK (notify_cb), &n_notify);
  qrs_emulator_set_app_id (emulator, "qrs-demo-app");
  qrs_emulator_set_qr_ttl (emulator, 120);
  qrs_emulator_set_client_secret (emulator, NULL);
  qrs_emulator_set_return_full_user_info (emulator, FALSE);
  g_assert_cmpuint (n_notify, ==, 0);

  qrs_emulator_set_app_id (emulator, "app-2");
  qrs_emulator_set_userpool_id (emulator, "pool-2");
  qrs_emulator_set_qr_ttl (emulator, 30);
  qrs_emulator_set_ticket_ttl (emulator, 60);
  qrs_emulator_set_token_auth_method (emulator, QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC);
  qrs_emulator_set_client_secret (emulator, "x");
  qrs_emulator_set_return_full_user_info (emulator, TRUE);
  g_assert_cmpuint (n_notify, ==, 7);

  g_assert_cmpstr (qrs_emulator_get_app_id (emulator), ==, "app-2");
  g_assert_cmpstr (qrs_emulator_get_userpool_id (emulator), ==, "pool-2");
  g_assert_cmpuint (qrs_emulator_get_ticket_ttl (emulator), ==, 60);
  g_assert_cmpint (qrs_emulator_get_token_auth_method (emulator), ==, QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC);
  g_assert_cmpstr (qrs_emulator_get_client_secret (emulator), ==, "x");
  g_assert_true (qrs_emulator_get_return_full_user_info (emulator));

  g_assert_finalize_object (g_steal_pointer (&emulator));
}

static void
test_restart (void)
{
  g_autoptr(QrsEmulator) emulator = qrs_emulator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first_url = NULL;
  g_autofree char *status = NULL;
  guint n_notify = 0;

  g_signal_connect (emulator, "notify::base-url", G_CALLBACK (notify_cb), &n_notify);

  g_assert_true (qrs_emulator_start (emulator, 0, &error));
  g_assert_no_error (error);
  g_assert_true (qrs_emulator_is_running (emulator));
  first_url = g_strdup (qrs_emulator_get_base_url (emulator));
  g_assert_true (g_str_has_prefix (first_url, "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (first_url, "/"));
  g_assert_true (qrs_emulator_phone (emulator, NULL, QRS_EMULATOR_ACTION_SCAN, NULL, NULL, NULL) == FALSE);

  qrs_emulator_stop (emulator);
  qrs_emulator_stop (emulator);
  g_assert_null (qrs_emulator_get_base_url (emulator));
  g_assert_false (qrs_emulator_is_running (emulator));

  g_assert_true (qrs_emulator_start (emulator, 0, &error));
  g_assert_no_error (error);
  g_assert_nonnull (qrs_emulator_get_base_url (emulator));
  g_assert_cmpuint (n_notify, ==, 3);

  g_assert_finalize_object (g_steal_pointer (&emulator));
}

static void
test_port_in_use (void)
{
  g_autoptr(QrsEmulator) first = qrs_emulator_new ();
  g_autoptr(QrsEmulator) second = qrs_emulator_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  g_assert_true (qrs_emulator_start (first, 0, &error));
  uri = g_uri_parse (qrs_emulator_get_base_url (first), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);

  g_assert_false (qrs_emulator_start (second, (guint) g_uri_get_port (uri), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_null (qrs_emulator_get_base_url (second));

  g_assert_finalize_object (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&first));
}

static void
code_changed_cb (QrsEmulator *emulator,
                 const char  *qrcode_id,
                 const char  *status,
                 gpointer     user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup (status));
}

static void
test_code_changed_signal (EmuFixture    *fx,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ticket = NULL;
  g_autofree char *expiring = NULL;
  g_autofree char *status = NULL;
  const char *expected[] = { "PENDING", "SCANNED", "AUTHORIZED", "PENDING", "EXPIRED" };

  g_signal_connect (fx->emulator, "code-changed", G_CALLBACK (code_changed_cb), seen);

  ticket = emu_authorize (fx);
  expiring = emu_gene_qrcode (fx);
  qrs_emulator_advance_clock (fx->emulator, 120);
  status = emu_get_status (fx, expiring);
  g_clear_pointer (&status, g_free);
  status = emu_get_status (fx, expiring);

  g_assert_cmpuint (seen->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), ==, expected[i]);
}

/* One whole sign-in as a desktop client and a phone would do it, with plain
 * libsoup: create, show (decode the image), scan, confirm, exchange.
 */
static void
test_full_sign_in (EmuFixture    *fx,
                   gconstpointer  data)
{
  g_autoptr(EmuResponse) gene = NULL;
  g_autoptr(EmuResponse) image = NULL;
  g_autoptr(EmuResponse) pending = NULL;
  g_autoptr(EmuResponse) scan = NULL;
  g_autoptr(EmuResponse) scanned = NULL;
  g_autoptr(EmuResponse) avatar = NULL;
  g_autoptr(EmuResponse) confirm = NULL;
  g_autoptr(EmuResponse) authorized = NULL;
  g_autoptr(EmuResponse) tokens = NULL;
  g_autoptr(EmuResponse) again = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) avatar_pixbuf = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *qrcode_id = NULL;
  g_autofree char *check_path = NULL;
  g_autofree char *scan_body = NULL;
  g_autofree char *exchange_body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *payload;

  /* The desktop asks for a code and shows the image. */
  gene = emu_request (fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}", 0,
                      "x-authing-app-id", fx->app_id, "x-genauth-app-id", fx->app_id,
                      "accept", "application/json", NULL);
  emu_assert_envelope (gene, 200, 0, OK);
  image = emu_request (fx, "GET", emu_json_string (gene->root, "data.url") + strlen (fx->base), NULL, 0, NULL);
  pixbuf = load_png (image);

  /* The phone reads the code from the image. */
  decoded = decode_qr (pixbuf);
  g_assert_cmpuint (decoded->len, ==, 1);
  json_parser_load_from_data (parser, g_ptr_array_index (decoded, 0), -1, &error);
  g_assert_no_error (error);
  payload = json_parser_get_root (parser);
  g_assert_cmpstr (emu_json_string (payload, "scene"), ==, "APP_AUTH");
  g_assert_cmpstr (emu_json_string (payload, "userPoolId"), ==, QRS_EMULATOR_DEFAULT_USERPOOL_ID);
  qrcode_id = g_strdup (emu_json_string (payload, "qrcodeId"));
  g_assert_cmpstr (emu_json_string (payload, "random"), ==, qrcode_id);
  g_assert_cmpstr (qrcode_id, ==, emu_json_string (gene->root, "data.qrcodeId"));

  check_path = g_strconcat ("/api/v3/check-qrcode-status?qrcodeId=", qrcode_id, NULL);
  pending = emu_api (fx, "GET", check_path, NULL);
  g_assert_cmpstr (emu_json_string (pending->root, "data.status"), ==, "PENDING");

  /* The phone scans, with its raw access token as the node SDK sends it. */
  scan_body = g_strdup_printf ("{\"qrcodeId\":\"%s\",\"action\":\"SCAN\"}", qrcode_id);
  scan = emu_request (fx, "POST", "/api/v3/change-qrcode-status", scan_body, 0,
                      "x-authing-app-id", fx->app_id, "authorization", QRS_EMULATOR_DEMO_USER_TOKEN, NULL);
  emu_assert_envelope (scan, 200, 0, OK);

  /* The desktop shows who scanned, avatar included. */
  scanned = emu_api (fx, "GET", check_path, NULL);
  g_assert_cmpstr (emu_json_string (scanned->root, "data.status"), ==, "SCANNED");
  g_assert_cmpstr (emu_json_string (scanned->root, "data.briefUserInfo.displayName"), ==,
                   QRS_EMULATOR_DEMO_USER_DISPLAY_NAME);
  avatar = emu_request (fx, "GET", emu_json_string (scanned->root, "data.briefUserInfo.photo") + strlen (fx->base),
                        NULL, 0, NULL);
  avatar_pixbuf = load_png (avatar);
  g_assert_cmpint (gdk_pixbuf_get_width (avatar_pixbuf), ==, 128);

  /* The phone confirms, mobile-SDK style. */
  confirm = emu_change (fx, "/api/v3/set-qrcode-status", "Bearer " QRS_EMULATOR_DEMO_USER_TOKEN, qrcode_id, "CONFIRM");
  emu_assert_envelope (confirm, 200, 0, OK);
  g_assert_true (emu_json_bool (confirm->root, "data.success"));

  /* The desktop sees AUTHORIZED and exchanges the ticket exactly once. */
  authorized = emu_api (fx, "GET", check_path, NULL);
  g_assert_cmpstr (emu_json_string (authorized->root, "data.status"), ==, "AUTHORIZED");
  exchange_body = g_strdup_printf ("{\"ticket\":\"%s\"}", emu_json_string (authorized->root, "data.ticket"));
  tokens = emu_api (fx, "POST", "/api/v3/exchange-tokenset-with-qrcode-ticket", exchange_body);
  emu_assert_envelope (tokens, 200, 0, OK);
  g_assert_cmpstr (emu_json_string (tokens->root, "data.token_type"), ==, "bearer");
  g_assert_cmpint (emu_json_int (tokens->root, "data.expire_in"), ==, 7200);
  emu_assert_jwt (emu_json_string (tokens->root, "data.access_token"));
  emu_assert_jwt (emu_json_string (tokens->root, "data.id_token"));

  again = emu_api (fx, "POST", "/api/v3/exchange-tokenset-with-qrcode-ticket", exchange_body);
  emu_assert_envelope (again, 400, 0, "ticket 已被使用");

  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/gene-qrcode"), ==, 1);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/check-qrcode-status"), ==, 3);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/change-qrcode-status"), ==, 1);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/set-qrcode-status"), ==, 1);
  g_assert_cmpuint (qrs_emulator_count_requests (fx->emulator, "/api/v3/exchange-tokenset-with-qrcode-ticket"), ==, 2);
}

#define ADD(path, func) \
  g_test_add ("/emulator/" path, EmuFixture, NULL, emu_fixture_setup, func, emu_fixture_teardown)
#define ADD_DATA(path, func, data) \
  g_test_add ("/emulator/" path, EmuFixture, data, emu_fixture_setup, func, emu_fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("hooks/phone/newest", test_phone_newest);
  ADD ("hooks/phone/explicit-id", test_phone_explicit_id);
  ADD ("hooks/phone/profile", test_phone_profile);
  ADD ("hooks/phone/errors", test_phone_errors);
  ADD ("hooks/phone/expired", test_phone_expired);
  ADD ("hooks/phone/acts-as-scanner", test_phone_acts_as_scanner);
  ADD ("hooks/phone/c-api", test_phone_c_api);
  ADD ("hooks/clock/advance", test_clock);
  ADD ("hooks/clock/errors", test_clock_errors);
  ADD ("hooks/clock/expires-codes", test_clock_expires);
  ADD ("hooks/log", test_log);
  ADD ("hooks/codes", test_codes);
  ADD ("hooks/unknown", test_unknown_hook);

  ADD ("images/qr-code", test_qr_png);
  ADD_DATA ("images/qr-code-userpool", test_qr_png, "pool-池42");
  ADD ("images/qr-code-unknown", test_qr_png_unknown);
  ADD ("images/avatar", test_avatar);

  g_test_add_func ("/emulator/object/properties", test_properties);
  g_test_add_func ("/emulator/object/restart", test_restart);
  g_test_add_func ("/emulator/object/port-in-use", test_port_in_use);
  ADD ("object/code-changed", test_code_changed_signal);

  ADD ("sign-in/full", test_full_sign_in);

  return g_test_run ();
}
