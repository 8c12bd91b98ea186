/* qrs-test-log.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "qrs-test-log.h"

/* Every log message of the test process, debug ones included (as if
 * G_MESSAGES_DEBUG=all were set in the field), kept in memory so a test
 * can search it: for the flow it expects, and for secrets that must never
 * be there.
 */
static GString *captured;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0)
        continue;

      if (fields[i].length < 0)
        g_string_append (captured, fields[i].value);
      else
        g_string_append_len (captured, fields[i].value, fields[i].length);
      g_string_append_c (captured, '\n');
    }

  /* Problems are still reported (and fatal where GTest makes them so). */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

/**
 * qrs_test_log_capture_init:
 * @domains: (nullable): log domains whose debug and info messages GTest
 *   would print on stdout
 *
 * Starts capturing; once per process, before anything logs (GLib takes
 * only one writer). Call it after g_test_init(): GTest installs its own
 * default handler there, which prints debug messages of g_log() callers on
 * stdout instead of passing them on; @domains go to the capture only.
 */
void
qrs_test_log_capture_init (const char * const *domains)
{
  g_assert_null (captured);

  captured = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  /* Lines built only when they would be written are built too. */
  g_log_set_debug_enabled (TRUE);

  for (guint i = 0; domains != NULL && domains[i] != NULL; i++)
    g_log_set_handler (domains[i], G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO, g_log_default_handler, NULL);
}

/* Forgets what was captured so far. */
void
qrs_test_log_capture_reset (void)
{
  g_assert_nonnull (captured);

  g_string_truncate (captured, 0);
}

/* Every message since the last reset, one a line. */
const char *
qrs_test_log_get_captured (void)
{
  g_assert_nonnull (captured);

  return captured->str;
}

/* Fails, showing the log, if any of @needles was logged. */
void
qrs_test_log_assert_absent (const char * const *needles)
{
  g_assert_nonnull (captured);

  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (captured->str, needles[i]) != NULL)
      g_error ("“%s” reached the log:\n%s", needles[i], captured->str);
}
