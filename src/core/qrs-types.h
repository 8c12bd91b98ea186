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

G_END_DECLS
