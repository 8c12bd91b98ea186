/* qrs-test-wait.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether what a test waits for has happened. */
typedef gboolean (*QrsTestCheck) (gpointer user_data);

gboolean qrs_test_wait_until         (QrsTestCheck  check,
                                      gpointer      user_data,
                                      guint         interval_ms,
                                      guint         timeout_ms);
gboolean qrs_test_wait_for_flag      (const gboolean *flag,
                                      guint           timeout_ms);
void     qrs_test_drain_main_context (void);

G_END_DECLS
