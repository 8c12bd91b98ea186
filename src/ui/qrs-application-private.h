/* qrs-application-private.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "qrs-application.h"
#include "qrs-config.h"
#include "qrs-emulator.h"
#include "qrs-provider.h"
#include "qrs-sign-in.h"
#include "qrs-window.h"

G_BEGIN_DECLS

/* QrsApplication is one object in two files: qrs-application.c (the
 * command line and settings, the provider, the model and the window, the
 * hand-over in window mode, the actions) and qrs-application-kiosk.c (the
 * kiosk's locked-down window and its hand-over to --on-success, and
 * stopping on SIGTERM or SIGINT in either mode).
 *
 * QrsApplication turns the command line and settings into a QrsConfig,
 * builds the provider, the sign-in model and the window, and hands the
 * result over: as JSON on stdout and an exit status in window mode, to the
 * --on-success command in kiosk mode.
 */
struct _QrsApplication
{
  AdwApplication parent_instance;

  QrsConfig *config;
  GSettings *settings;      /* NULL without the schema installed */
  QrsEmulator *emulator;
  QrsProvider *provider;
  QrsSignIn *sign_in;
  GCancellable *cancellable;
  int exit_status;
  guint inhibit_cookie;
  guint welcome_id;
  guint open_window_id;
  guint linger_id;
  guint cursor_id;
  guint sigterm_id;
  guint sigint_id;
  guint commands_running;
  guint signed_in : 1;
  guint options_handled : 1;
  guint stopping : 1;
  guint stdout_closed : 1;
  guint theme_lent : 1;
  guint needs_setup : 1;
};

/* qrs-application.c */
QrsWindow *_qrs_application_get_main_window   (QrsApplication *self);

/* qrs-application-kiosk.c */
void       _qrs_application_make_kiosk        (QrsApplication *self,
                                               QrsWindow      *window);
void       _qrs_application_kiosk_hand_off    (QrsApplication *self,
                                               const char     *json);
void       _qrs_application_catch_stop_signals (QrsApplication *self);

G_END_DECLS
