/* qrs-genauth-wire.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qrs-types.h"
#include "qrs-code.h"
#include "qrs-status-report.h"
#include "qrs-token-set.h"

G_BEGIN_DECLS

/* The largest answer body we accept, in bytes. */
#define QRS_GENAUTH_WIRE_MAX_BODY (1024 * 1024)

/* What came back for one request: everything the parsers look at, and no
 * I/O. @body need not be NUL-terminated.
 */
typedef struct
{
  guint         http_status;
  const char   *retry_after;    /* the Retry-After header, or NULL */
  GDateTime    *received_at;    /* when the answer arrived, or NULL for now */
  const guint8 *body;
  gsize         body_length;
  gboolean      body_truncated; /* the body went past QRS_GENAUTH_WIRE_MAX_BODY and was not read whole */
} QrsGenauthReply;

QrsCode         *qrs_genauth_wire_parse_code         (const QrsGenauthReply *reply,
                                                      const char            *userpool_id,
                                                      GDateTime             *created_at,
                                                      guint                  lifetime,
                                                      GError               **error);
QrsStatusReport *qrs_genauth_wire_parse_status       (const QrsGenauthReply *reply,
                                                      GError               **error);
QrsTokenSet     *qrs_genauth_wire_parse_token_set    (const QrsGenauthReply *reply,
                                                      GError               **error);

char            *qrs_genauth_wire_build_qr_content   (const char            *qrcode_id,
                                                      const char            *userpool_id,
                                                      GDateTime             *created_at,
                                                      guint                  lifetime);
GBytes          *qrs_genauth_wire_build_code_request (void);
GBytes          *qrs_genauth_wire_build_exchange_request (const char        *ticket,
                                                          const char        *client_id,
                                                          const char        *client_secret);

G_END_DECLS
