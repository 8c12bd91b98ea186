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
