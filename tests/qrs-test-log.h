/* qrs-test-log.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void        qrs_test_log_capture_init   (const char * const *domains);
void        qrs_test_log_capture_reset  (void);
const char *qrs_test_log_get_captured   (void);
void        qrs_test_log_assert_absent  (const char * const *needles);

G_END_DECLS
