/* qrs-genauth-provider.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qrs-types.h"
#include "qrs-provider.h"

G_BEGIN_DECLS

/* Which endpoint answers status polls: the documented one, or the one the
 * newer SDKs prefer. Both take ?qrcodeId= and answer the same shape.
 */
typedef enum {
  QRS_GENAUTH_STATUS_PATH_CHECK, /*< nick=check-qrcode-status >*/
  QRS_GENAUTH_STATUS_PATH_GET,   /*< nick=get-qrcode-status >*/
} QrsGenauthStatusPath;

#define QRS_GENAUTH_PROVIDER_DEFAULT_TIMEOUT QRS_NET_DEFAULT_TIMEOUT

#define QRS_TYPE_GENAUTH_PROVIDER (qrs_genauth_provider_get_type ())

G_DECLARE_FINAL_TYPE (QrsGenauthProvider, qrs_genauth_provider, QRS, GENAUTH_PROVIDER, GObject)

QrsGenauthProvider   *qrs_genauth_provider_new                          (const char            *base_url,
                                                                         const char            *app_id,
                                                                         const char            *userpool_id,
                                                                         GError               **error);
const char           *qrs_genauth_provider_get_base_url                 (QrsGenauthProvider    *self);
const char           *qrs_genauth_provider_get_app_id                   (QrsGenauthProvider    *self);
const char           *qrs_genauth_provider_get_userpool_id              (QrsGenauthProvider    *self);
guint                 qrs_genauth_provider_get_timeout                  (QrsGenauthProvider    *self);
void                  qrs_genauth_provider_set_timeout                  (QrsGenauthProvider    *self,
                                                                         guint                  timeout);
guint                 qrs_genauth_provider_get_qr_lifetime              (QrsGenauthProvider    *self);
void                  qrs_genauth_provider_set_qr_lifetime              (QrsGenauthProvider    *self,
                                                                         guint                  qr_lifetime);
QrsGenauthStatusPath  qrs_genauth_provider_get_status_path              (QrsGenauthProvider    *self);
void                  qrs_genauth_provider_set_status_path              (QrsGenauthProvider    *self,
                                                                         QrsGenauthStatusPath   status_path);
QrsClientAuth         qrs_genauth_provider_get_client_auth              (QrsGenauthProvider    *self);
void                  qrs_genauth_provider_set_client_auth              (QrsGenauthProvider    *self,
                                                                         QrsClientAuth          client_auth);
gboolean              qrs_genauth_provider_has_client_secret            (QrsGenauthProvider    *self);
gboolean              qrs_genauth_provider_set_client_secret            (QrsGenauthProvider    *self,
                                                                         const char            *secret,
                                                                         GError               **error);

G_END_DECLS
