/* qrs-secret-private.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Helpers for secrets and for what goes near a log line. */

/* A NUL-terminated string holding a secret (a token, a ticket, a client
 * secret): g_autoptr(QrsSecret) wipes it before freeing it.
 */
typedef char QrsSecret;

void  qrs_secret_wipe   (void       *data,
                        gsize       length);
void  qrs_secret_free   (QrsSecret  *secret);

char *qrs_loggable_text (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsSecret, qrs_secret_free)

G_END_DECLS
