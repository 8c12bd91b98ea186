/* qrs-device-flow-provider.h
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

#define QRS_DEVICE_FLOW_PROVIDER_DEFAULT_TIMEOUT QRS_NET_DEFAULT_TIMEOUT
#define QRS_DEVICE_FLOW_PROVIDER_DEFAULT_SCOPE   "openid profile"

#define QRS_TYPE_DEVICE_FLOW_PROVIDER (qrs_device_flow_provider_get_type ())

G_DECLARE_FINAL_TYPE (QrsDeviceFlowProvider, qrs_device_flow_provider, QRS, DEVICE_FLOW_PROVIDER, GObject)

QrsDeviceFlowProvider *qrs_device_flow_provider_new               (const char             *issuer,
                                                                   const char             *client_id,
                                                                   const char             *scope,
                                                                   GError                **error);
const char            *qrs_device_flow_provider_get_issuer        (QrsDeviceFlowProvider  *self);
const char            *qrs_device_flow_provider_get_client_id     (QrsDeviceFlowProvider  *self);
const char            *qrs_device_flow_provider_get_scope         (QrsDeviceFlowProvider  *self);
guint                  qrs_device_flow_provider_get_timeout       (QrsDeviceFlowProvider  *self);
void                   qrs_device_flow_provider_set_timeout       (QrsDeviceFlowProvider  *self,
                                                                   guint                   timeout);
QrsClientAuth          qrs_device_flow_provider_get_client_auth   (QrsDeviceFlowProvider  *self);
void                   qrs_device_flow_provider_set_client_auth   (QrsDeviceFlowProvider  *self,
                                                                   QrsClientAuth           client_auth);
gboolean               qrs_device_flow_provider_has_client_secret (QrsDeviceFlowProvider  *self);
gboolean               qrs_device_flow_provider_set_client_secret (QrsDeviceFlowProvider  *self,
                                                                   const char             *secret,
                                                                   GError                **error);

void                   qrs_device_flow_provider_discover_async    (QrsDeviceFlowProvider  *self,
                                                                   GCancellable           *cancellable,
                                                                   GAsyncReadyCallback     callback,
                                                                   gpointer                user_data);
gboolean               qrs_device_flow_provider_discover_finish   (QrsDeviceFlowProvider  *self,
                                                                   GAsyncResult           *result,
                                                                   GError                **error);

G_END_DECLS
