/* fuzz-json.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-log.h"
#include "qrs-json-check.h"
#include "qrs-json-reader.h"
#include "qrs-provider.h"

/* libFuzzer target for what every wire parser stands on: the strict JSON
 * checker and the reader. The checker must agree with itself, point only
 * at the ends of integers, and pass nothing json-glib cannot parse; the
 * reader must load whatever the checker passed that holds an object, and
 * its lenient readers must keep their promises on every member. A GLib
 * warning or critical counts as a failure.
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_log_init ();

  return 0;
}

static void
check_wide_integers (const uint8_t *data,
                     size_t         size,
                     GArray        *wide_integers)
{
  gsize previous = 0;

  for (guint i = 0; i < wide_integers->len; i++)
    {
      gsize end = g_array_index (wide_integers, gsize, i);

      /* Just past the last digit of a number of at least 19 digits. */
      g_assert (end > previous && end >= 19 && end <= size);
      for (gsize j = end - 19; j < end; j++)
        g_assert (g_ascii_isdigit (data[j]));
      g_assert (end == size || !g_ascii_isdigit (data[end]));
      previous = end;
    }
}

static void
read_member (JsonObject  *object,
             const char  *name,
             JsonNode    *node,
             gpointer     user_data)
{
  const char *text;
  g_autofree char *shown = NULL;
  gint64 seconds = -1;

  if (qrs_json_try_seconds (object, "fuzz", name, 3600, &seconds))
    g_assert (seconds >= 0 && seconds <= 3600);
  else
    g_assert (seconds == -1);

  text = qrs_json_try_string (object, "fuzz", name, 16);
  g_assert (text == NULL || (*text != '\0' && strlen (text) <= 16));

  shown = qrs_json_try_text (object, "fuzz", name, 8);
  g_assert (shown == NULL || (g_utf8_validate (shown, -1, NULL) && g_utf8_strlen (shown, -1) <= 9));
  if (shown != NULL)
    {
      g_autofree char *sanitized = qrs_json_sanitize_text (shown, 8);

      g_assert (strchr (sanitized, '\n') == NULL);
    }

  qrs_json_try_object (object, NULL, name);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GArray) wide_integers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) plain_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  gboolean valid;

  valid = qrs_json_check_full (data, size, &wide_integers, &error);
  g_assert (valid == qrs_json_check (data, size, &plain_error));

  if (!valid)
    {
      g_assert (wide_integers == NULL);
      g_assert (g_error_matches (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL));
      g_assert (g_strcmp0 (error->message, plain_error->message) == 0);
      return 0;
    }

  check_wide_integers (data, size, wide_integers);

  /* json-glib is the laxer parser: what is strict JSON it must take. */
  parser = json_parser_new ();
  g_assert (json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL));

  if (!qrs_json_document_load (&document, data, size, &error))
    {
      g_assert (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      return 0;
    }

  json_object_foreach_member (document.root, read_member, NULL);

  return 0;
}
