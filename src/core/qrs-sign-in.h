/* qrs-sign-in.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qrs-clock.h"
#include "qrs-poll-policy.h"
#include "qrs-provider.h"

G_BEGIN_DECLS

/* Everything that matters to the window about where a sign-in stands. */
typedef enum {
  QRS_SIGN_IN_STATUS_LOADING,     /* asking for a code */
  QRS_SIGN_IN_STATUS_PENDING,     /* showing a code, nobody scanned it yet */
  QRS_SIGN_IN_STATUS_SCANNED,     /* waiting for the person to confirm */
  QRS_SIGN_IN_STATUS_AUTHORIZED,  /* confirmed: tokens are on their way or here */
  QRS_SIGN_IN_STATUS_CANCELLED,   /* declined on the phone */
  QRS_SIGN_IN_STATUS_EXPIRED,     /* the code is dead and not replaced by itself */
  QRS_SIGN_IN_STATUS_ERROR,       /* something that will not fix itself */
} QrsSignInStatus;

typedef enum {
  QRS_CONNECTION_ONLINE,
  QRS_CONNECTION_RECONNECTING,    /* several failures in a row; retrying */
  QRS_CONNECTION_OFFLINE,         /* no network: waiting for it */
} QrsConnection;

/* What kind of trouble the last failure was, so the window can tell a
 * server out of reach from one that answered with a problem.
 */
typedef enum {
  QRS_TROUBLE_NONE,
  QRS_TROUBLE_UNREACHABLE,  /* no answer: network, timeout, TLS */
  QRS_TROUBLE_SERVER,       /* an answer reporting a problem, or one we cannot read */
  QRS_TROUBLE_LOCAL,        /* this computer's configuration (a missing client secret, say) */
} QrsTrouble;

/* Largest avatar we download; anything bigger is not a photo. */
#define QRS_SIGN_IN_MAX_PHOTO_BYTES (2 * 1024 * 1024)
/* Largest QR image we download from the server. */
#define QRS_SIGN_IN_MAX_QR_IMAGE_BYTES (1024 * 1024)
/* The ticket's lifetime on the server (seconds): how long exchanging may be retried. */
#define QRS_SIGN_IN_TICKET_LIFETIME 300

#define QRS_TYPE_SIGN_IN (qrs_sign_in_get_type ())

G_DECLARE_FINAL_TYPE (QrsSignIn, qrs_sign_in, QRS, SIGN_IN, GObject)

QrsSignIn       *qrs_sign_in_new                  (QrsProvider    *provider);
QrsProvider     *qrs_sign_in_get_provider         (QrsSignIn      *self);
QrsClock        *qrs_sign_in_get_clock            (QrsSignIn      *self);

QrsSignInStatus  qrs_sign_in_get_status           (QrsSignIn      *self);
QrsCode         *qrs_sign_in_get_code             (QrsSignIn      *self);
GBytes          *qrs_sign_in_get_qr_image         (QrsSignIn      *self);
const char      *qrs_sign_in_get_display_name     (QrsSignIn      *self);
const char      *qrs_sign_in_get_photo_url        (QrsSignIn      *self);
GBytes          *qrs_sign_in_get_photo            (QrsSignIn      *self);
gint64           qrs_sign_in_get_expires_at       (QrsSignIn      *self);
gint64           qrs_sign_in_get_time_left_ms     (QrsSignIn      *self);
QrsConnection    qrs_sign_in_get_connection       (QrsSignIn      *self);
QrsTrouble       qrs_sign_in_get_trouble          (QrsSignIn      *self);
gboolean         qrs_sign_in_get_renews_itself    (QrsSignIn      *self);
gint64           qrs_sign_in_get_retry_at         (QrsSignIn      *self);
const char      *qrs_sign_in_get_error_message    (QrsSignIn      *self);
const char      *qrs_sign_in_get_server_message   (QrsSignIn      *self);
const char      *qrs_sign_in_get_request_id       (QrsSignIn      *self);

gboolean         qrs_sign_in_get_visible          (QrsSignIn      *self);
void             qrs_sign_in_set_visible          (QrsSignIn      *self,
                                                   gboolean        visible);
gboolean         qrs_sign_in_get_kiosk            (QrsSignIn      *self);
void             qrs_sign_in_set_kiosk            (QrsSignIn      *self,
                                                   gboolean        kiosk);
guint            qrs_sign_in_get_auto_refresh_cap (QrsSignIn      *self);
void             qrs_sign_in_set_auto_refresh_cap (QrsSignIn      *self,
                                                   guint           cap);
gboolean         qrs_sign_in_get_fetch_qr_image   (QrsSignIn      *self);
void             qrs_sign_in_set_fetch_qr_image   (QrsSignIn      *self,
                                                   gboolean        fetch_qr_image);
void             qrs_sign_in_set_random_func      (QrsSignIn      *self,
                                                   QrsRandomFunc   func,
                                                   gpointer        user_data);

void             qrs_sign_in_start                (QrsSignIn      *self);
void             qrs_sign_in_refresh              (QrsSignIn      *self);
void             qrs_sign_in_retry                (QrsSignIn      *self);
void             qrs_sign_in_cancel               (QrsSignIn      *self);

G_END_DECLS
