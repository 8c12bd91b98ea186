/* qrs-sign-in-private.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qrs-sign-in.h"

G_BEGIN_DECLS

/* QrsSignIn is one object in three files: qrs-sign-in.c (the GObject: its
 * properties and setters), qrs-sign-in-steps.c (the state machine: create,
 * poll, exchange, expire, and the timer between them) and
 * qrs-sign-in-pictures.c (the QR image and the avatar downloads).
 */
struct _QrsSignIn
{
  GObject parent_instance;

  QrsProvider *provider;
  QrsClock *clock;
  GNetworkMonitor *network_monitor;
  QrsRandomFunc random_func;
  gpointer random_data;

  /* What the window shows */
  QrsSignInStatus status;
  QrsCode *code;
  GBytes *qr_image;
  char *display_name;
  char *photo_url;
  GBytes *photo;
  gint64 expires_at;
  QrsConnection connection;
  gint64 retry_at;
  char *error_message;
  char *server_message;
  char *request_id;
  QrsTrouble trouble;
  gboolean renews_itself;

  /* Scheduling. The policy's input is kept here and nowhere else: the
   * phase, the failures in a row, visibility, the network, kiosk mode and
   * the refresh count are what QrsPollPolicy decides on, and the model
   * updates them in place. Only the time to the deadline is filled in
   * when a decision is made.
   */
  QrsPollInput input;
  guint running : 1;
  guint fetch_qr_image : 1;
  guint photo_requested : 1;
  QrsStatusReport *authorized;  /* holds the ticket: dropped once exchanged */
  gint64 ticket_deadline;
  guint timer_id;
  QrsPollAction timer_action;
  GCancellable *request;        /* the one request in flight, if any */
  GCancellable *downloads;      /* the current code's image and photo */
};

typedef enum {
  QRS_SIGN_IN_PROP_0,
  QRS_SIGN_IN_PROP_PROVIDER,
  QRS_SIGN_IN_PROP_CLOCK,
  QRS_SIGN_IN_PROP_NETWORK_MONITOR,
  QRS_SIGN_IN_PROP_STATUS,
  QRS_SIGN_IN_PROP_CODE,
  QRS_SIGN_IN_PROP_QR_IMAGE,
  QRS_SIGN_IN_PROP_DISPLAY_NAME,
  QRS_SIGN_IN_PROP_PHOTO_URL,
  QRS_SIGN_IN_PROP_PHOTO,
  QRS_SIGN_IN_PROP_EXPIRES_AT,
  QRS_SIGN_IN_PROP_CONNECTION,
  QRS_SIGN_IN_PROP_RETRY_AT,
  QRS_SIGN_IN_PROP_ERROR_MESSAGE,
  QRS_SIGN_IN_PROP_SERVER_MESSAGE,
  QRS_SIGN_IN_PROP_REQUEST_ID,
  QRS_SIGN_IN_PROP_TROUBLE,
  QRS_SIGN_IN_PROP_RENEWS_ITSELF,
  QRS_SIGN_IN_PROP_VISIBLE,
  QRS_SIGN_IN_PROP_KIOSK,
  QRS_SIGN_IN_PROP_AUTO_REFRESH_CAP,
  QRS_SIGN_IN_PROP_FETCH_QR_IMAGE,
  QRS_SIGN_IN_N_PROPS
} QrsSignInProp;

/* qrs-sign-in.c */
gint64  _qrs_sign_in_now_us           (QrsSignIn        *self);
void    _qrs_sign_in_notify           (QrsSignIn        *self,
                                       QrsSignInProp     prop);
void    _qrs_sign_in_set_status       (QrsSignIn        *self,
                                       QrsSignInStatus   status);
void    _qrs_sign_in_set_string       (QrsSignIn        *self,
                                       char            **field,
                                       const char       *value,
                                       QrsSignInProp     prop);
void    _qrs_sign_in_set_bytes        (QrsSignIn        *self,
                                       GBytes          **field,
                                       GBytes           *value,
                                       QrsSignInProp     prop);
void    _qrs_sign_in_set_int64        (QrsSignIn        *self,
                                       gint64           *field,
                                       gint64            value,
                                       QrsSignInProp     prop);
void    _qrs_sign_in_set_connection   (QrsSignIn        *self,
                                       QrsConnection     connection);
void    _qrs_sign_in_set_trouble      (QrsSignIn        *self,
                                       QrsTrouble        trouble);
void    _qrs_sign_in_update_renews_itself (QrsSignIn    *self);
void    _qrs_sign_in_emit_finished    (QrsSignIn        *self,
                                       QrsTokenSet      *token_set);

/* qrs-sign-in-steps.c */
void    _qrs_sign_in_reschedule       (QrsSignIn        *self);
void    _qrs_sign_in_act_now          (QrsSignIn        *self);
void    _qrs_sign_in_stop             (QrsSignIn        *self);
void    _qrs_sign_in_network_changed  (QrsSignIn        *self,
                                       gboolean          online);

/* qrs-sign-in-pictures.c */
void    _qrs_sign_in_fetch_qr_image   (QrsSignIn        *self);
void    _qrs_sign_in_fetch_photo      (QrsSignIn        *self,
                                       const char       *url);
void    _qrs_sign_in_drop_pictures    (QrsSignIn        *self);

G_END_DECLS
