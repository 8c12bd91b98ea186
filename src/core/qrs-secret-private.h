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

/* The longest client secret we accept. */
#define QRS_SECRET_MAX_LENGTH 4096

gboolean   qrs_secret_check_file     (const char  *path,
                                      GError     **error);
QrsSecret *qrs_secret_load           (const char  *variable,
                                      const char  *path,
                                      GError     **error);
gboolean   qrs_secret_replace        (QrsSecret  **slot,
                                      const char  *secret,
                                      GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsSecret, qrs_secret_free)

G_END_DECLS
