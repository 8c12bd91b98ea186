/* fuzz-log.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-log.h"

/* What every fuzz target holds the core's logging to: a GLib warning or
 * critical is a failure, and each message the core logs about a flaw it
 * tolerated must be one line of text (then it is dropped, to keep the
 * fuzzer fast and its output readable).
 */

static void
check_message (const char     *log_domain,
               GLogLevelFlags  log_level,
               const char     *message,
               gpointer        user_data)
{
  g_assert (g_utf8_validate (message, -1, NULL));
  g_assert (strchr (message, '\n') == NULL);
}

void
fuzz_log_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_handler ("qr-signin-core", G_LOG_LEVEL_MESSAGE, check_message, NULL);
}
