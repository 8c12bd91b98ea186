/* qrs-form.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *qrs_form_build             (const char *first_name,
                                    ...) G_GNUC_NULL_TERMINATED G_GNUC_WARN_UNUSED_RESULT;
char   *qrs_form_basic_credentials (const char *client_id,
                                    const char *client_secret) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
