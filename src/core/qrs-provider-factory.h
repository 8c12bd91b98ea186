/* qrs-provider-factory.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qrs-config.h"
#include "qrs-provider.h"

G_BEGIN_DECLS

QrsProvider *qrs_provider_factory_create             (const QrsConfig  *config,
                                                      GError          **error);
QrsProvider *qrs_provider_factory_create_with_secret (const QrsConfig  *config,
                                                      const char       *client_secret,
                                                      GError          **error);

G_END_DECLS
