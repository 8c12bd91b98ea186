/* test-json-reader.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-json-reader.h"
#include "qrs-provider.h"

/* The reader every wire parser builds on, on its own: documents, strict
 * and lenient member readers, and server text. The GenAuth suite covers
 * the same code through real answers.
 */

typedef struct
{
  QrsJsonDocument document;
  GString *log;
  guint handler_id;
} Fixture;

static void
capture_message (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  Fixture *fixture = user_data;

  g_string_append_printf (fixture->log, "%s\n", message);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->document = (QrsJsonDocument) QRS_JSON_DOCUMENT_INIT;
  fixture->log = g_string_new (NULL);
  fixture->handler_id = g_log_set_handler ("qr-signin-core", G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_WARNING,
                                           capture_message, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_log_remove_handler ("qr-signin-core", fixture->handler_id);
  g_string_free (fixture->log, TRUE);
  qrs_json_document_clear (&fixture->document);
}

static JsonObject *
load (Fixture    *fixture,
      const char *text)
{
  g_autoptr(GError) error = NULL;

  qrs_json_document_clear (&fixture->document);
  g_assert_true (qrs_json_document_load (&fixture->document, (const guint8 *) text, strlen (text), &error));
  g_assert_no_error (error);
  g_assert_nonnull (fixture->document.root);

  return fixture->document.root;
}

/* A document holds an object; anything else is refused with the checker's
 * or its own words, and the document can be cleared and loaded again.
 */
static void
test_document_load (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct
  {
    const char *text;
    const char *message;
  } bad[] = {
    { "", "The server's answer is empty" },
    { "[1]", "The server's answer is not a JSON object" },
    { "{\"a\":1,}", "The server's answer is not valid JSON (at byte 7)" },
  };
  JsonObject *root;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      qrs_json_document_clear (&fixture->document);
      g_assert_false (qrs_json_document_load (&fixture->document, (const guint8 *) bad[i].text,
                                              strlen (bad[i].text), &error));
      g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
      g_assert_cmpstr (error->message, ==, bad[i].message);
    }

  root = load (fixture, "{\"a\":\"b\"}");
  g_assert_cmpstr (json_object_get_string_member (root, "a"), ==, "b");
}

/* Integers past gint64 come out as doubles of the right size, wherever
 * they are, and the rest of the text is read as written.
 */
static void
test_document_wide_integers (Fixture       *fixture,
                             gconstpointer  data)
{
  JsonObject *root = load (fixture, "{\"s\":\"18446744073709551416\",\"a\":[-18446744073709551416,1],"
                                    "\"b\":{\"c\":99999999999999999999},\"d\":9223372036854775807}");
  JsonArray *array = json_object_get_array_member (root, "a");
  JsonNode *wide = json_array_get_element (array, 0);
  JsonNode *deep = json_object_get_member (json_object_get_object_member (root, "b"), "c");

  g_assert_cmpstr (json_object_get_string_member (root, "s"), ==, "18446744073709551416");
  g_assert_cmpint (json_node_get_value_type (wide), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (wide), ==, -18446744073709551416.0);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, 1);
  g_assert_cmpint (json_node_get_value_type (deep), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (deep), ==, 1e20);
  g_assert_cmpint (json_object_get_int_member (root, "d"), ==, G_MAXINT64);
}

/* Strict readers name the member by its path, and never its value. */
static void
test_read_strict (Fixture       *fixture,
                  gconstpointer  data)
{
  JsonObject *root = load (fixture, "{\"id\":\"secret-value\",\"n\":7,\"o\":{},\"d\":7.0,\"big\":1e30}");
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *text;
  gint64 number;

  g_assert_true (qrs_json_read_string (root, NULL, "id", TRUE, 12, &text, &error));
  g_assert_cmpstr (text, ==, "secret-value");
  g_assert_true (qrs_json_read_string (root, NULL, "absent", FALSE, 12, &text, &error));
  g_assert_null (text);
  g_assert_true (qrs_json_read_integer (root, NULL, "n", 0, 10, &number, &error));
  g_assert_cmpint (number, ==, 7);
  g_assert_true (qrs_json_read_object (root, NULL, "o", TRUE, &object, &error));
  g_assert_nonnull (object);
  g_assert_no_error (error);

  g_assert_false (qrs_json_read_string (root, "data", "id", TRUE, 11, &text, &error));
  g_assert_cmpstr (error->message, ==, "The server's answer could not be understood: the member “data.id” is too long");
  g_clear_error (&error);
  g_assert_false (qrs_json_read_integer (root, NULL, "d", 0, 10, &number, &error));
  g_assert_cmpstr (error->message, ==, "The server's answer could not be understood: the member “d” is not a whole number");
  g_clear_error (&error);
  g_assert_false (qrs_json_read_integer (root, NULL, "big", G_MININT64, G_MAXINT64, &number, &error));
  g_assert_cmpstr (error->message, ==, "The server's answer could not be understood: the member “big” is out of range");
  g_clear_error (&error);
  g_assert_false (qrs_json_read_object (root, "x.y", "n", FALSE, &object, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server's answer could not be understood: the member “x.y.n” is not an object");
  g_assert_null (object);

  g_assert_cmpstr (fixture->log->str, ==, "");
}

/* qrs_json_try_seconds() with the widest limit and a small one: what a
 * server plainly means is read, the rest is left out, and the log says so.
 */
static void
test_try_seconds (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct
  {
    const char *value;
    gint64 max;
    gboolean found;
    gint64 seconds;
    const char *log;
  } cases[] = {
    { "5", 10, TRUE, 5, "" },
    { "10", 10, TRUE, 10, "" },
    { "11", 10, TRUE, 10, "more than 10, 10 used" },
    { "0", 0, TRUE, 0, "" },
    { "-0", 10, TRUE, 0, "" },
    { "-0.0", 10, TRUE, 0, "" },
    { "9.99", 10, TRUE, 9, "not a whole number, rounded down" },
    { "10.5", 10, TRUE, 10, "more than 10, 10 used" },
    { "9223372036854775807", G_MAXINT64, TRUE, G_MAXINT64, "" },
    { "9223372036854775808", G_MAXINT64, TRUE, G_MAXINT64, "more than 9223372036854775807, 9223372036854775807 used" },
    { "1e400", G_MAXINT64, TRUE, G_MAXINT64, "more than 9223372036854775807, 9223372036854775807 used" },
    { "\"0042\"", 100, TRUE, 42, "a number in a string, read as a number" },
    { "\"18446744073709551616\"", G_MAXINT64, TRUE, G_MAXINT64,
      "a number in a string, read as a number\n"
      "The server's answer has a flawed member “v”: more than 9223372036854775807, 9223372036854775807 used" },
    { "\"4.5\"", 10, FALSE, 0, "not a number, left out" },
    { "\"+4\"", 10, FALSE, 0, "not a number, left out" },
    { "-1", 10, FALSE, 0, "negative, left out" },
    { "-1e400", 10, FALSE, 0, "negative, left out" },
    { "[]", 10, FALSE, 0, "not a number, left out" },
    { "false", 10, FALSE, 0, "not a number, left out" },
    { "null", 10, FALSE, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"v\":%s}", cases[i].value);
      g_autofree char *expected_log = NULL;
      JsonObject *root = load (fixture, text);
      gint64 seconds = -42;
      gboolean found;

      g_string_truncate (fixture->log, 0);
      found = qrs_json_try_seconds (root, NULL, "v", cases[i].max, &seconds);

      if (cases[i].log == NULL || *cases[i].log == '\0')
        expected_log = g_strdup ("");
      else
        expected_log = g_strdup_printf ("The server's answer has a flawed member “v”: %s\n", cases[i].log);

      g_test_message ("%s", cases[i].value);
      g_assert_cmpint (found, ==, cases[i].found);
      g_assert_cmpint (seconds, ==, found ? cases[i].seconds : -42);
      g_assert_cmpstr (fixture->log->str, ==, expected_log);
    }

  /* Absent is quietly absent. */
  g_assert_false (qrs_json_try_seconds (load (fixture, "{}"), NULL, "v", 10, &(gint64) { 0 }));
}

/* Lenient strings: wrong types and overlong values are left out, long text
 * is shortened; empty is absent.
 */
static void
test_try_strings (Fixture       *fixture,
                  gconstpointer  data)
{
  JsonObject *root = load (fixture, "{\"s\":\"abcdef\",\"e\":\"\",\"n\":1,\"o\":{\"k\":true},\"a\":[]}");
  g_autofree char *whole = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *none = NULL;

  g_assert_cmpstr (qrs_json_try_string (root, "p", "s", 6), ==, "abcdef");
  g_assert_null (qrs_json_try_string (root, "p", "s", 5));
  g_assert_null (qrs_json_try_string (root, "p", "e", 5));
  g_assert_null (qrs_json_try_string (root, "p", "n", 5));
  g_assert_null (qrs_json_try_string (root, "p", "absent", 5));

  whole = qrs_json_try_text (root, NULL, "s", 6);
  cut = qrs_json_try_text (root, NULL, "s", 4);
  none = qrs_json_try_text (root, NULL, "o", 4);
  g_assert_cmpstr (whole, ==, "abcdef");
  g_assert_cmpstr (cut, ==, "abcd…");
  g_assert_null (none);

  g_assert_nonnull (qrs_json_try_object (root, NULL, "o"));
  g_assert_null (qrs_json_try_object (root, NULL, "a"));
  g_assert_null (qrs_json_try_object (root, NULL, "absent"));

  g_assert_cmpstr (fixture->log->str, ==,
                   "The server's answer has a flawed member “p.s”: longer than 5 bytes, left out\n"
                   "The server's answer has a flawed member “p.n”: not a string, left out\n"
                   "The server's answer has a flawed member “s”: longer than 4 characters, shortened\n"
                   "The server's answer has a flawed member “o”: not a string, left out\n"
                   "The server's answer has a flawed member “a”: not an object, left out\n");
}

/* Shortening counts characters, not bytes, and never splits one; only
 * sanitizing makes text one line.
 */
static void
test_text (void)
{
  static const struct
  {
    const char *text;
    glong max_chars;
    const char *shortened;
    const char *sanitized;
  } cases[] = {
    { "", 0, "", "" },
    { "abc", 0, "…", "…" },
    { "abc", 3, "abc", "abc" },
    { "张伟😀x", 3, "张伟😀…", "张伟😀…" },
    { "a\nb\tc\u202ed\u2028e", 20, "a\nb\tc\u202ed\u2028e", "a b c d e" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shortened = qrs_json_shorten_text (cases[i].text, cases[i].max_chars);
      g_autofree char *sanitized = qrs_json_sanitize_text (cases[i].text, cases[i].max_chars);

      g_assert_cmpstr (shortened, ==, cases[i].shortened);
      g_assert_cmpstr (sanitized, ==, cases[i].sanitized);
    }
}

static void
test_web_address (void)
{
  static const struct
  {
    const char *text;
    const char *address;
  } cases[] = {
    { "https://CDN.Example.com/a b.png", "https://CDN.Example.com/a%20b.png" },
    { "HTTP://e.com", "http://e.com" },
    { "ftp://e.com/a.png", NULL },
    { "//e.com/a.png", NULL },
    { "https:///a.png", NULL },
    { "not an address", NULL },
  };

  g_assert_null (qrs_json_web_address (NULL, "test address"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *address = qrs_json_web_address (cases[i].text, "test address");

      g_assert_cmpstr (address, ==, cases[i].address);
    }
}

static void
test_path (void)
{
  g_autofree char *top = qrs_json_path (NULL, "data");
  g_autofree char *nested = qrs_json_path ("data.briefUserInfo", "photo");

  g_assert_cmpstr (top, ==, "data");
  g_assert_cmpstr (nested, ==, "data.briefUserInfo.photo");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/json-reader/document/load", Fixture, NULL, fixture_set_up, test_document_load, fixture_tear_down);
  g_test_add ("/json-reader/document/wide-integers", Fixture, NULL, fixture_set_up, test_document_wide_integers, fixture_tear_down);
  g_test_add ("/json-reader/read/strict", Fixture, NULL, fixture_set_up, test_read_strict, fixture_tear_down);
  g_test_add ("/json-reader/try/seconds", Fixture, NULL, fixture_set_up, test_try_seconds, fixture_tear_down);
  g_test_add ("/json-reader/try/strings", Fixture, NULL, fixture_set_up, test_try_strings, fixture_tear_down);
  g_test_add_func ("/json-reader/text/shorten-and-sanitize", test_text);
  g_test_add_func ("/json-reader/text/web-address", test_web_address);
  g_test_add_func ("/json-reader/text/path", test_path);

  return g_test_run ();
}
