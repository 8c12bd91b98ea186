/* qrs-net-client.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The largest JSON answer we accept, in bytes. */
#define QRS_NET_CLIENT_MAX_BODY (1024 * 1024)

/* What came back for one request, for a wire parser to read. */
typedef struct
{
  guint       http_status;
  char       *retry_after;  /* the Retry-After header, or NULL */
  GDateTime  *sent_at;
  GDateTime  *received_at;
  GBytes     *body;         /* wiped when freed */
  gboolean    truncated;    /* the body went past the limit and was not read whole */
} QrsNetReply;

void qrs_net_reply_free (QrsNetReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsNetReply, qrs_net_reply_free)

#define QRS_TYPE_NET_CLIENT (qrs_net_client_get_type ())

G_DECLARE_FINAL_TYPE (QrsNetClient, qrs_net_client, QRS, NET_CLIENT, GObject)

QrsNetClient *qrs_net_client_new                  (const char           *server_url,
                                                   gboolean              allow_insecure_http);
const char   *qrs_net_client_get_server_url       (QrsNetClient         *self);
gboolean      qrs_net_client_get_allow_insecure_http (QrsNetClient      *self);
guint         qrs_net_client_get_timeout          (QrsNetClient         *self);
void          qrs_net_client_set_timeout          (QrsNetClient         *self,
                                                   guint                 timeout);

void          qrs_net_client_send_async           (QrsNetClient         *self,
                                                   SoupMessage          *message,
                                                   const char           *what,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
QrsNetReply  *qrs_net_client_send_finish          (QrsNetClient         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

void          qrs_net_client_fetch_picture_async  (QrsNetClient         *self,
                                                   const char           *url,
                                                   gsize                 max_bytes,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GBytes       *qrs_net_client_fetch_picture_finish (QrsNetClient         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

void          qrs_net_client_shutdown             (QrsNetClient         *self);

G_END_DECLS
