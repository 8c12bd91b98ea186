/* qrs-json-check.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper than any answer of the APIs we speak; the bound keeps the
 * checker's recursion, and json-glib's, small.
 */
#define QRS_JSON_CHECK_MAX_DEPTH 32

gboolean qrs_json_check      (const guint8  *text,
                              gsize          length,
                              GError       **error);
gboolean qrs_json_check_full (const guint8  *text,
                              gsize          length,
                              GArray       **wide_integers,
                              GError       **error);

G_END_DECLS
