/* qrs-sign-in-view-private.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qrs-qr-view.h"
#include "qrs-sign-in-view.h"

G_BEGIN_DECLS

/* QrsSignInView shows a QrsSignIn and never talks to a server itself: each
 * widget follows the properties it depends on (a handler per property, or
 * a binding), and every button calls one of the model's methods through an
 * action. The model can be swapped; the signal and binding groups follow.
 *
 * It is read at a glance: a heading, the code, and three numbered steps
 * naming the app to scan it with. Nothing moves when a notice comes or
 * goes, and the clock only wakes it when the text it shows would change.
 *
 * It is one widget in two files: qrs-sign-in-view.c (the GObject, the
 * code and the person, the countdown, the page on show and the kiosk
 * layout) and qrs-sign-in-view-trouble.c (the connection notice, the
 * retry countdown and the error page).
 */
struct _QrsSignInView
{
  GtkWidget parent_instance;

  QrsSignIn *sign_in;
  QrsClock *clock;
  GtkCssProvider *kiosk_css;
  int kiosk_css_height;
  GSignalGroup *signals;
  GBindingGroup *bindings;
  char *service_name;
  guint countdown_id;   /* on the model's clock */
  guint retry_tick_id;  /* on the model's clock */
  guint spinner_id;     /* on the model's clock */
  guint kiosk : 1;
  guint loaded_once : 1; /* the model left its first LOADING: changes animate */

  /* Template widgets */
  GtkWidget *box;
  GtkStack *banner_stack;
  GtkLabel *connection_label;
  GtkStack *stack;
  GtkWidget *code_page;
  GtkLabel *heading;
  GtkBox *code_box;
  GtkStack *code_stack;
  GtkSpinner *spinner;
  QrsQrView *qr_view;
  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkWidget *info_box;
  GtkStack *info_stack;
  GtkWidget *steps_box;
  GtkLabel *step1_label;
  GtkLabel *step2_label;
  GtkLabel *step3_label;
  GtkWidget *device_box;
  GtkLabel *user_code_label;
  GtkLabel *verification_label;
  GtkStack *status_stack;
  GtkLabel *caption;
  GtkWidget *not_you_button;
  GtkInscription *time_left_label;
  AdwStatusPage *authorized_page;
  AdwStatusPage *cancelled_page;
  GtkWidget *new_code_button;
  AdwStatusPage *expired_page;
  AdwStatusPage *error_page;
  GtkLabel *server_message_label;
  GtkWidget *request_id_box;
  GtkLabel *request_id_label;
  GtkLabel *retry_label;
};

/* qrs-sign-in-view.c */
void    _qrs_sign_in_view_set_label         (GtkLabel      *label,
                                             const char    *text);
void    _qrs_sign_in_view_cancel_tick       (QrsSignInView *self,
                                             guint         *id);
char   *_qrs_sign_in_view_format_clock      (gint64         ms);
gint64  _qrs_sign_in_view_until_next_second (gint64         ms);

/* qrs-sign-in-view-trouble.c */
void    _qrs_sign_in_view_update_retry      (QrsSignInView *self);
void    _qrs_sign_in_view_update_error      (QrsSignInView *self);

G_END_DECLS
