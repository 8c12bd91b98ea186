/* qrs-code.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qrs-types.h"

G_BEGIN_DECLS

/* The server's default lifetime of a QR code, in seconds. */
#define QRS_CODE_DEFAULT_LIFETIME 120

#define QRS_TYPE_CODE (qrs_code_get_type ())

G_DECLARE_FINAL_TYPE (QrsCode, qrs_code, QRS, CODE, GObject)

QrsCode    *qrs_code_new            (const char *id,
                                     const char *qr_content,
                                     const char *image_url,
                                     GDateTime  *created_at,
                                     guint       lifetime);
QrsCode    *qrs_code_new_for_device (const char *id,
                                     const char *qr_content,
                                     const char *user_code,
                                     const char *verification_uri,
                                     GDateTime  *created_at,
                                     guint       lifetime,
                                     guint       poll_interval);
const char *qrs_code_get_id         (QrsCode    *self);
const char *qrs_code_get_qr_content (QrsCode    *self);
const char *qrs_code_get_image_url  (QrsCode    *self);
const char *qrs_code_get_user_code  (QrsCode    *self);
const char *qrs_code_get_verification_uri (QrsCode *self);
guint       qrs_code_get_poll_interval (QrsCode  *self);
GDateTime  *qrs_code_get_created_at (QrsCode    *self);
guint       qrs_code_get_lifetime   (QrsCode    *self);
GDateTime  *qrs_code_get_expires_at (QrsCode    *self);
gboolean    qrs_code_has_expired    (QrsCode    *self,
                                     GDateTime  *now);

G_END_DECLS
