/* qrs-token-set.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qrs-types.h"

G_BEGIN_DECLS

/* The expires_in of a set whose server did not say how long it lives, or
 * said it in a way that could not be used.
 */
#define QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN (-1)

/* The longest lifetime a set says it has, in seconds (about 68 years).
 * Parsers clamp longer ones to it: a consumer that keeps expires_in in a
 * 32-bit integer cannot overflow, and no token is taken to live longer
 * than its server said.
 */
#define QRS_TOKEN_SET_EXPIRES_IN_MAX G_MAXINT32

#define QRS_TYPE_TOKEN_SET (qrs_token_set_get_type ())

G_DECLARE_FINAL_TYPE (QrsTokenSet, qrs_token_set, QRS, TOKEN_SET, GObject)

QrsTokenSet *qrs_token_set_new                (const char  *access_token,
                                               const char  *id_token,
                                               const char  *refresh_token,
                                               const char  *token_type,
                                               gint64       expires_in,
                                               const char  *scope);
const char  *qrs_token_set_get_access_token   (QrsTokenSet *self);
const char  *qrs_token_set_get_id_token       (QrsTokenSet *self);
const char  *qrs_token_set_get_refresh_token  (QrsTokenSet *self);
const char  *qrs_token_set_get_token_type     (QrsTokenSet *self);
gint64       qrs_token_set_get_expires_in     (QrsTokenSet *self);
const char  *qrs_token_set_get_scope          (QrsTokenSet *self);
char        *qrs_token_set_to_debug_string    (QrsTokenSet *self);

G_END_DECLS
