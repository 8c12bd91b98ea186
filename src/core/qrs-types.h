/* qrs-types.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Forward declarations, so headers can name each other's types without
 * including each other.
 */
typedef struct _QrsCode            QrsCode;
typedef struct _QrsGenauthProvider QrsGenauthProvider;
typedef struct _QrsProvider        QrsProvider;
typedef struct _QrsStatusReport    QrsStatusReport;
typedef struct _QrsTokenSet        QrsTokenSet;

/* Whether a g_debug() line would be written (--verbose, G_MESSAGES_DEBUG):
 * for the lines on the path of every status poll, which are otherwise
 * formatted, all day long, for nobody.
 */
#define QRS_DEBUG_ENABLED() (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))

G_END_DECLS
