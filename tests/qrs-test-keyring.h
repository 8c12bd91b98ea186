/* qrs-test-keyring.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qrs-secret-private.h"

G_BEGIN_DECLS

/* A real Secret Service for a test program: gnome-keyring-daemon on a
 * private session bus, with a fresh login keyring in a temporary folder,
 * unlocked. Nothing of the machine's own keyring or session is touched,
 * and test programs running side by side each have their own.
 */
typedef struct _QrsTestKeyring QrsTestKeyring;

/* Set to 1 (as CI does) to fail instead of skipping when no keyring can
 * be started.
 */
#define QRS_TEST_KEYRING_REQUIRED_ENV "QRS_TEST_KEYRING_REQUIRED"

QrsTestKeyring *qrs_test_keyring_start      (char           **skip_reason);
void            qrs_test_keyring_stop       (QrsTestKeyring  *self);

void            qrs_test_keyring_result_cb  (GObject         *object,
                                             GAsyncResult    *result,
                                             gpointer         user_data);
GAsyncResult   *qrs_test_keyring_wait       (GAsyncResult   **result);
QrsSecret      *qrs_test_keyring_lookup     (const char      *server,
                                             const char      *app_id);

G_END_DECLS
