/* qrs-device-flow-wire.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qrs-types.h"
#include "qrs-code.h"
#include "qrs-net-client.h"
#include "qrs-status-report.h"
#include "qrs-token-set.h"

G_BEGIN_DECLS

/* RFC 8628 §3.2 and §3.5: the seconds between polls when the server does
 * not say, and what each slow_down adds to them.
 */
#define QRS_DEVICE_FLOW_DEFAULT_INTERVAL 5
#define QRS_DEVICE_FLOW_SLOW_DOWN_STEP   5

/* The longest wait between polls and the longest life of a device code we
 * take from a server; longer ones are shortened to these.
 */
#define QRS_DEVICE_FLOW_MAX_INTERVAL     3600
#define QRS_DEVICE_FLOW_MAX_LIFETIME     (24 * 60 * 60)

#define QRS_DEVICE_FLOW_GRANT_TYPE "urn:ietf:params:oauth:grant-type:device_code"

/* Who is asking, for checking answers and for the words of errors. */
typedef struct
{
  const char *issuer;              /* as qrs_net_check_server_url() normalised it */
  const char *client_id;
  gboolean    allow_insecure_http;
} QrsDeviceFlowContext;

/* Where the requests go, from the issuer's OpenID configuration. */
typedef struct
{
  char *device_authorization_endpoint;
  char *token_endpoint;
} QrsDeviceFlowEndpoints;

void                    qrs_device_flow_endpoints_free             (QrsDeviceFlowEndpoints      *endpoints);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsDeviceFlowEndpoints, qrs_device_flow_endpoints_free)

char                   *qrs_device_flow_wire_discovery_url         (const char                  *issuer);
QrsDeviceFlowEndpoints *qrs_device_flow_wire_parse_discovery       (const QrsDeviceFlowContext  *context,
                                                                    const QrsNetReply           *reply,
                                                                    GError                     **error);
QrsCode                *qrs_device_flow_wire_parse_authorization   (const QrsDeviceFlowContext  *context,
                                                                    const QrsNetReply           *reply,
                                                                    GError                     **error);
QrsStatusReport        *qrs_device_flow_wire_parse_token           (const QrsDeviceFlowContext  *context,
                                                                    const QrsNetReply           *reply,
                                                                    guint                        interval,
                                                                    GError                     **error);

/* What a code of the device flow carries besides what it shows. */
const char             *qrs_device_flow_code_get_device_code       (QrsCode                     *code);
void                    qrs_device_flow_code_forget_device_code    (QrsCode                     *code);
guint                   qrs_device_flow_code_get_interval          (QrsCode                     *code);
void                    qrs_device_flow_code_set_interval          (QrsCode                     *code,
                                                                    guint                        interval);

GBytes                 *qrs_device_flow_wire_build_authorization_request (const char            *client_id,
                                                                          const char            *scope,
                                                                          const char            *client_secret);
GBytes                 *qrs_device_flow_wire_build_token_request   (const char                  *device_code,
                                                                    const char                  *client_id,
                                                                    const char                  *client_secret);

G_END_DECLS
