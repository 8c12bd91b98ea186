/* qrs-emulator-private.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pixels per QR module in the served PNG, and the avatar's side. */
#define QRS_EMULATOR_QR_MODULE_PIXELS 8
#define QRS_EMULATOR_QR_QUIET_ZONE    4
#define QRS_EMULATOR_AVATAR_SIZE      128

GBytes *_qrs_emulator_png_qr_code (const char  *text,
                                   GError     **error);
GBytes *_qrs_emulator_png_avatar  (const char  *seed,
                                   GError     **error);

char   *_qrs_emulator_format_time (gint64       unix_ms);
char   *_qrs_emulator_random_id   (guint        length);

G_END_DECLS
