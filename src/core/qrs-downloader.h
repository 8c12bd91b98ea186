/* qrs-downloader.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define QRS_TYPE_DOWNLOADER (qrs_downloader_get_type ())

G_DECLARE_FINAL_TYPE (QrsDownloader, qrs_downloader, QRS, DOWNLOADER, GObject)

QrsDownloader *qrs_downloader_new          (void);
void           qrs_downloader_fetch_async  (QrsDownloader        *self,
                                            const char           *url,
                                            gsize                 max_bytes,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GBytes        *qrs_downloader_fetch_finish (QrsDownloader        *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
