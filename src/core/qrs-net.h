/* qrs-net.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The network policy every provider follows: which addresses we talk to,
 * what may go into a header, how a session is set up and how much of an
 * answer we read. Callers turn the problem codes into their own words.
 */

/* The longest app id, client id or user pool id we send. */
#define QRS_NET_MAX_ID_LENGTH 256

/* Seconds to wait at each step of a request. */
#define QRS_NET_DEFAULT_TIMEOUT 10

/* What is wrong with an address; QRS_NET_URL_OK when nothing is. */
typedef enum {
  QRS_NET_URL_OK,
  QRS_NET_URL_MISSING,     /* NULL or empty */
  QRS_NET_URL_INVALID,     /* not a URL, or one libsoup would refuse */
  QRS_NET_URL_SCHEME,      /* neither https:// nor http:// */
  QRS_NET_URL_BAD_HOST,    /* no host, or not a valid host name */
  QRS_NET_URL_EXTRA_PARTS, /* a user name, a query or a fragment on a server address */
  QRS_NET_URL_INSECURE,    /* plain http to another computer, not allowed */
  QRS_NET_URL_DOWNGRADE,   /* plain http for a picture from an https server */
} QrsNetUrlProblem;

QrsNetUrlProblem  qrs_net_check_server_url      (const char  *url,
                                                 gboolean     allow_insecure_http,
                                                 char       **normalized);
QrsNetUrlProblem  qrs_net_check_picture_url     (const char  *url,
                                                 const char  *server_url,
                                                 gboolean     allow_insecure_http);
char             *qrs_net_displayable_url       (const char  *url);

gboolean          qrs_net_text_is_header_safe   (const char  *text,
                                                 gsize        max_length);
gboolean          qrs_net_text_is_visible_ascii (const char  *text,
                                                 gsize        max_length);
gboolean          qrs_net_host_is_loopback      (const char  *host);
gboolean          qrs_net_host_is_valid         (const char  *host);
const char       *qrs_net_get_language_tag      (void);

SoupSession      *qrs_net_session_new           (guint        timeout);

void              qrs_net_read_async            (SoupSession          *session,
                                                 SoupMessage          *message,
                                                 gsize                 max_bytes,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GBytes           *qrs_net_read_finish           (SoupSession          *session,
                                                 GAsyncResult         *result,
                                                 gboolean             *truncated,
                                                 GError              **error);

G_END_DECLS
