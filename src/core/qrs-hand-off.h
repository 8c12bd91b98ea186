/* qrs-hand-off.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qrs-types.h"
#include "qrs-token-set.h"

G_BEGIN_DECLS

/* The exit status of qr-signin: the contract with whoever runs it. */
typedef enum {
  QRS_EXIT_SIGNED_IN = 0, /* the token JSON is on stdout */
  QRS_EXIT_CANCELLED = 1, /* the person closed the window or cancelled */
  QRS_EXIT_USAGE     = 2, /* bad usage or configuration; one sentence on stderr */
  QRS_EXIT_GAVE_UP   = 3, /* the sign-in could not be completed */
} QrsExitStatus;

#define QRS_HAND_OFF_ERROR (qrs_hand_off_error_quark ())

typedef enum {
  QRS_HAND_OFF_ERROR_WRITE,       /* the tokens could not be written (EPIPE: the reader went away) */
  QRS_HAND_OFF_ERROR_BAD_COMMAND, /* the command line cannot be split into words */
  QRS_HAND_OFF_ERROR_SPAWN,       /* the command could not be started */
  QRS_HAND_OFF_ERROR_TIMED_OUT,   /* the command ran over its time limit and was killed */
  QRS_HAND_OFF_ERROR_FAILED,      /* the command exited with a non-zero status or was killed */
} QrsHandOffError;

/* Seconds an on-success command may run. */
#define QRS_HAND_OFF_DEFAULT_TIMEOUT 30

/* The token JSON: a secret. g_autoptr(QrsHandOffJson) or
 * qrs_hand_off_free_json() wipes it before freeing it.
 */
typedef char QrsHandOffJson;

GQuark    qrs_hand_off_error_quark           (void);

char     *qrs_hand_off_to_json               (QrsTokenSet          *token_set,
                                              const char           *display_name,
                                              const char           *photo_url);
void      qrs_hand_off_free_json             (char                 *json);

gboolean  qrs_hand_off_write                 (int                   fd,
                                              const char           *json,
                                              GError              **error);

void      qrs_hand_off_run_command_async     (const char           *command_line,
                                              const char           *json,
                                              guint                 timeout_seconds,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean  qrs_hand_off_run_command_finish    (GAsyncResult         *result,
                                              GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsHandOffJson, qrs_hand_off_free_json)

G_END_DECLS
