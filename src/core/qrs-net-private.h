/* qrs-net-private.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest app id or user pool id we send. */
#define QRS_MAX_ID_LENGTH 256

gboolean _qrs_text_is_header_safe (const char *text,
                                   gsize       max_length);
gboolean _qrs_host_is_loopback    (const char *host);
gboolean _qrs_host_is_valid       (const char *host);

G_END_DECLS
