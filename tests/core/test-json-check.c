/* test-json-check.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "qrs-json-check.h"
#include "qrs-provider.h"

/* The strict checker on its own, as any wire parser uses it: what RFC 8259
 * allows passes (and json-glib then parses it), what json-glib would accept
 * or misread but RFC 8259 does not is refused, and integers json-glib
 * cannot hold are pointed out. The GenAuth suite covers more malformed
 * bodies through the parsers.
 */

typedef struct
{
  const char *name;
  const char *text;
  const char *wide;     /* for valid texts: the wide integers' end offsets, "12,40" */
} GoodCase;

static const GoodCase good_cases[] = {
  { "object", "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}", "" },
  { "scalar-root", "\"text\"", "" },
  { "bom-and-space", "\xef\xbb\xbf \t\r\n{} \n", "" },
  { "numbers", "[0,-0,1.5,-1.5e-3,2E+10,9223372036854775807,-9223372036854775808]", "" },
  { "escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"]", "" },
  { "raw-utf8", "{\"名前\":\"张伟 😀\"}", "" },
  { "wide-positive", "[9223372036854775808]", "20" },
  { "wide-negative", "[-9223372036854775809]", "21" },
  { "wide-several", "{\"a\":99999999999999999999,\"b\":1,\"c\":[-18446744073709551416]}", "25,58" },
  { "wide-with-fraction-is-a-double", "[99999999999999999999.5,1e400]", "" },
  { "depth-limit", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "" },
};

typedef struct
{
  const char *name;
  const char *text;
  gssize length;        /* -1: up to the NUL */
  const char *message;
} BadCase;

#define NOT_JSON_AT(n) "The server's answer is not valid JSON (at byte " #n ")"
#define EXTRA_AT(n) "The server's answer has extra data after the JSON value (at byte " #n ")"
#define EMPTY "The server's answer is empty"
#define NOT_UTF8 "The server's answer is not valid UTF-8 text"
#define TOO_DEEP "The server's answer is nested too deeply"

static const BadCase bad_cases[] = {
  { "empty", "", -1, EMPTY },
  { "bom-only", "\xef\xbb\xbf  ", -1, EMPTY },
  { "nul", "{}\0", 3, NOT_UTF8 },
  { "latin1", "[\"caf\xe9\"]", -1, NOT_UTF8 },
  { "surrogate-in-utf8", "[\"\xed\xa0\x80\"]", -1, NOT_UTF8 },
  { "escaped-nul", "[\"a\\u0000\"]", -1, NOT_JSON_AT (3) },
  { "lone-high-surrogate", "[\"\\ud83d\"]", -1, NOT_JSON_AT (2) },
  { "reversed-surrogates", "[\"\\ude00\\ud83d\"]", -1, NOT_JSON_AT (2) },
  { "short-unicode-escape", "[\"\\u12\"]", -1, NOT_JSON_AT (2) },
  { "unterminated-string", "[\"abc", -1, NOT_JSON_AT (5) },
  { "tab-in-string", "[\"a\tb\"]", -1, NOT_JSON_AT (3) },
  { "plus-sign", "[+1]", -1, NOT_JSON_AT (1) },
  { "bare-fraction", "[.5]", -1, NOT_JSON_AT (1) },
  { "no-fraction-digits", "[1.]", -1, NOT_JSON_AT (3) },
  { "no-exponent-digits", "[1e+]", -1, NOT_JSON_AT (4) },
  { "leading-zero", "[012]", -1, NOT_JSON_AT (2) },
  { "hex", "[0x1F]", -1, NOT_JSON_AT (2) },
  { "infinity", "[Infinity]", -1, NOT_JSON_AT (1) },
  { "true-cut", "[tru]", -1, NOT_JSON_AT (1) },
  { "capital-null", "[Null]", -1, NOT_JSON_AT (1) },
  { "missing-colon", "{\"a\" 1}", -1, NOT_JSON_AT (5) },
  { "missing-comma", "[1 2]", -1, NOT_JSON_AT (3) },
  { "trailing-comma-array", "[1,]", -1, NOT_JSON_AT (3) },
  { "number-key", "{1:2}", -1, NOT_JSON_AT (1) },
  { "unclosed-object", "{\"a\":1", -1, NOT_JSON_AT (6) },
  { "two-values", "1 2", -1, EXTRA_AT (2) },
  { "form-feed-space", "\f{}", -1, NOT_JSON_AT (0) },
  { "too-deep", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", -1, TOO_DEEP },
};

static void
test_good_case (gconstpointer data)
{
  const GoodCase *good = data;
  g_autoptr(GArray) wide = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) offsets = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = strlen (good->text);

  g_assert_true (qrs_json_check ((const guint8 *) good->text, length, &error));
  g_assert_no_error (error);

  g_assert_true (qrs_json_check_full ((const guint8 *) good->text, length, &wide, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < wide->len; i++)
    g_string_append_printf (offsets, "%s%zu", i > 0 ? "," : "", g_array_index (wide, gsize, i));
  g_assert_cmpstr (offsets->str, ==, good->wide);

  /* Whatever passes, json-glib reads without complaint. */
  g_assert_true (json_parser_load_from_data (parser, good->text, (gssize) length, &error));
  g_assert_no_error (error);
}

static void
test_bad_case (gconstpointer data)
{
  const BadCase *bad = data;
  gsize length = bad->length < 0 ? strlen (bad->text) : (gsize) bad->length;
  GArray *wide = (GArray *) &wide;  /* anything but NULL, to see it reset */
  g_autoptr(GError) error = NULL;

  g_assert_false (qrs_json_check_full ((const guint8 *) bad->text, length, &wide, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, bad->message);
  g_assert_null (wide);
}

/* A body need not be NUL-terminated: the checker never reads past it. */
static void
test_not_terminated (void)
{
  static const char text[] = "{\"a\":[1,2]}";
  g_autofree guint8 *copy = g_memdup2 (text, strlen (text));
  g_autoptr(GError) error = NULL;

  g_assert_true (qrs_json_check (copy, strlen (text), &error));
  g_assert_no_error (error);

  /* The same bytes cut short: refused, not read on. */
  g_assert_false (qrs_json_check (copy, strlen (text) - 1, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
}

/* A hundred thousand open brackets must not exhaust the stack. */
static void
test_deep_nesting_large (void)
{
  gsize depth = 100000;
  g_autofree char *text = g_malloc (2 * depth);
  g_autoptr(GError) error = NULL;

  memset (text, '[', depth);
  memset (text + depth, ']', depth);

  g_assert_false (qrs_json_check ((const guint8 *) text, 2 * depth, &error));
  g_assert_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, TOO_DEEP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json-check/valid/%s", good_cases[i].name);

      g_test_add_data_func (path, &good_cases[i], test_good_case);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/json-check/invalid/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_bad_case);
    }

  g_test_add_func ("/json-check/not-terminated", test_not_terminated);
  g_test_add_func ("/json-check/deep-nesting-large", test_deep_nesting_large);

  return g_test_run ();
}
