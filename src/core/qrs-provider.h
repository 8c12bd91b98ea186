/* qrs-provider.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qrs-types.h"
#include "qrs-code.h"
#include "qrs-net.h"
#include "qrs-net-client.h"
#include "qrs-status-report.h"
#include "qrs-token-set.h"

G_BEGIN_DECLS

/* The longest Retry-After we honour, in seconds: a kiosk must never be told
 * to sleep for a day.
 */
#define QRS_PROVIDER_RETRY_AFTER_MAX 3600

/* How a provider authenticates the application to the server's token
 * endpoint (the "token endpoint auth method" of OAuth 2.0 and of GenAuth's
 * console). The nicks are those names.
 */
typedef enum {
  QRS_CLIENT_AUTH_NONE,                /*< nick=none >*/
  QRS_CLIENT_AUTH_CLIENT_SECRET_POST,  /*< nick=client_secret_post >*/
  QRS_CLIENT_AUTH_CLIENT_SECRET_BASIC, /*< nick=client_secret_basic >*/
} QrsClientAuth;

#define QRS_PROVIDER_ERROR (qrs_provider_error_quark ())

/* What went wrong talking to a sign-in server. The domain is an extended
 * error domain: every error in it also carries the HTTP status, the server's
 * statusCode, apiCode, message and requestId, and a Retry-After, read with
 * the qrs_provider_error_get_*() functions below.
 */
typedef enum {
  QRS_PROVIDER_ERROR_NETWORK,       /* could not connect, or the connection broke */
  QRS_PROVIDER_ERROR_TIMEOUT,       /* no answer in time */
  QRS_PROVIDER_ERROR_TLS,           /* certificate or TLS handshake failure */
  QRS_PROVIDER_ERROR_HTTP,          /* a non-2xx HTTP status other than 429 */
  QRS_PROVIDER_ERROR_PROTOCOL,      /* an answer that is malformed or unexpected */
  QRS_PROVIDER_ERROR_SERVER,        /* a well-formed answer reporting a failure */
  QRS_PROVIDER_ERROR_RATE_LIMITED,  /* HTTP 429 or statusCode 429 */
  QRS_PROVIDER_ERROR_CANCELLED,     /* the caller cancelled, or the provider shut down */
  QRS_PROVIDER_ERROR_CONFIG,        /* bad server address, app id or client secret */
  QRS_PROVIDER_ERROR_NOT_SUPPORTED, /* the provider cannot do this */
} QrsProviderError;

GQuark      qrs_provider_error_quark              (void);

guint       qrs_provider_error_get_http_status    (const GError *error);
gint64      qrs_provider_error_get_status_code    (const GError *error);
gint64      qrs_provider_error_get_api_code       (const GError *error);
const char *qrs_provider_error_get_server_message (const GError *error);
const char *qrs_provider_error_get_request_id     (const GError *error);
gint64      qrs_provider_error_get_retry_after    (const GError *error);
gboolean    qrs_provider_error_is_cancelled       (const GError *error);
GError     *qrs_provider_error_new_cancelled      (void);
gboolean    qrs_provider_report_if_stopped        (gpointer             source_object,
                                                   gboolean             stopped,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data,
                                                   gpointer             source_tag);

void        qrs_provider_error_set_http_status    (GError       *error,
                                                   guint         http_status);
void        qrs_provider_error_set_server_fault   (GError       *error,
                                                   gint64        status_code,
                                                   gint64        api_code,
                                                   const char   *server_message,
                                                   const char   *request_id);
void        qrs_provider_error_set_retry_after    (GError       *error,
                                                   gint64        seconds);
GError     *qrs_provider_error_new_from_transport (const GError *error);
GError     *qrs_provider_error_new_for_url       (QrsNetUrlProblem  problem,
                                                   const char       *url);
GError     *qrs_provider_error_new_for_http      (guint             http_status);
void        qrs_provider_error_set_reply         (GError           *error,
                                                   guint             http_status,
                                                   const char       *retry_after,
                                                   GDateTime        *received_at);
gint64      qrs_provider_parse_retry_after       (const char       *value,
                                                   GDateTime        *now);

#define QRS_TYPE_PROVIDER (qrs_provider_get_type ())

G_DECLARE_INTERFACE (QrsProvider, qrs_provider, QRS, PROVIDER, GObject)

/* One way of signing in by QR code. Every call is asynchronous, takes a
 * GCancellable and calls back exactly once, in the thread-default main
 * context of the caller, with a QRS_PROVIDER_ERROR on failure.
 */
struct _QrsProviderInterface
{
  GTypeInterface parent_iface;

  void             (*create_code_async)   (QrsProvider          *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  QrsCode         *(*create_code_finish)  (QrsProvider          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

  void             (*check_status_async)  (QrsProvider          *self,
                                           QrsCode              *code,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  QrsStatusReport *(*check_status_finish) (QrsProvider          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

  void             (*exchange_async)      (QrsProvider          *self,
                                           QrsStatusReport      *report,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  QrsTokenSet     *(*exchange_finish)     (QrsProvider          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

  /* The client every request goes through: pictures are fetched with it. */
  QrsNetClient    *(*get_net_client)      (QrsProvider          *self);

  /* Optional: what can be learnt before anything is shown (discovery). */
  void             (*prepare_async)       (QrsProvider          *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  gboolean         (*prepare_finish)      (QrsProvider          *self,
                                           GAsyncResult         *result,
                                           GError              **error);
};

void             qrs_provider_create_code_async   (QrsProvider          *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
QrsCode         *qrs_provider_create_code_finish  (QrsProvider          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void             qrs_provider_check_status_async  (QrsProvider          *self,
                                                   QrsCode              *code,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
QrsStatusReport *qrs_provider_check_status_finish (QrsProvider          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void             qrs_provider_exchange_async      (QrsProvider          *self,
                                                   QrsStatusReport      *report,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
QrsTokenSet     *qrs_provider_exchange_finish     (QrsProvider          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void             qrs_provider_prepare_async       (QrsProvider          *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         qrs_provider_prepare_finish      (QrsProvider          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void             qrs_provider_fetch_picture_async (QrsProvider          *self,
                                                   const char           *url,
                                                   gsize                 max_bytes,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GBytes          *qrs_provider_fetch_picture_finish (QrsProvider         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
