/* qrs-keyring.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "qrs-secret-private.h"

G_BEGIN_DECLS

/* The client secret of one application on one server, kept in the
 * person's keyring (the Secret portal inside Flatpak), never in GSettings
 * or a file of ours.
 */
#define QRS_KEYRING_SCHEMA_NAME "io.github.qrsignin.QrSignIn.ClientSecret"

/* The item's attributes: which server and which application it is for. */
#define QRS_KEYRING_ATTRIBUTE_SERVER "server"
#define QRS_KEYRING_ATTRIBUTE_APP_ID "app-id"

const SecretSchema *qrs_keyring_get_schema    (void) G_GNUC_CONST;

void                qrs_keyring_store_async   (const char           *server,
                                               const char           *app_id,
                                               const char           *secret,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean            qrs_keyring_store_finish  (GAsyncResult         *result,
                                               GError              **error);

void                qrs_keyring_lookup_async  (const char           *server,
                                               const char           *app_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
QrsSecret          *qrs_keyring_lookup_finish (GAsyncResult         *result,
                                               GError              **error);

void                qrs_keyring_contains_async (const char          *server,
                                               const char           *app_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean            qrs_keyring_contains_finish (GAsyncResult       *result,
                                               GError              **error);

void                qrs_keyring_clear_async   (const char           *server,
                                               const char           *app_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean            qrs_keyring_clear_finish  (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
