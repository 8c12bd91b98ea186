/* qrs-poll-policy.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The polling contract (the project's design notes, "Polling policy"),
 * in milliseconds.
 */
#define QRS_POLL_PENDING_INTERVAL_MS  1500
#define QRS_POLL_SCANNED_INTERVAL_MS   400
#define QRS_POLL_HIDDEN_INTERVAL_MS   5000
#define QRS_POLL_BACKOFF_BASE_MS      1000
#define QRS_POLL_BACKOFF_CAP_MS      30000
#define QRS_POLL_KIOSK_PAUSE_MS       5000
#define QRS_POLL_KIOSK_PAUSE_CAP_MS 120000
#define QRS_POLL_RECONNECTING_AFTER      3

/* Where a sign-in attempt stands, as far as scheduling is concerned. */
typedef enum {
  QRS_POLL_PHASE_CREATE,    /* no code yet: ask for one */
  QRS_POLL_PHASE_PENDING,   /* shown, not scanned */
  QRS_POLL_PHASE_SCANNED,   /* scanned, waiting for the confirmation */
  QRS_POLL_PHASE_EXCHANGE,  /* authorized: the ticket wants exchanging */
  QRS_POLL_PHASE_EXPIRED,
  QRS_POLL_PHASE_CANCELLED,
  QRS_POLL_PHASE_ERROR,
} QrsPollPhase;

typedef enum {
  QRS_POLL_ACTION_CREATE,        /* ask for a new code after the delay */
  QRS_POLL_ACTION_CHECK,         /* ask for the status after the delay */
  QRS_POLL_ACTION_EXCHANGE,      /* exchange the ticket after the delay */
  QRS_POLL_ACTION_EXPIRE,        /* the deadline has passed: the code is dead */
  QRS_POLL_ACTION_WAIT_NETWORK,  /* offline: nothing until it is back */
  QRS_POLL_ACTION_WAIT_VISIBLE,  /* nothing until the window is shown */
  QRS_POLL_ACTION_WAIT_USER,     /* nothing until refresh or retry */
} QrsPollAction;

typedef struct {
  QrsPollPhase phase;
  guint failures;             /* transient failures in a row */
  gint64 retry_after_ms;      /* what the server asked for, or -1 */
  gboolean visible;
  gboolean online;
  gint64 until_deadline_ms;   /* of the code, or of the ticket when exchanging */
  gboolean kiosk;
  guint auto_refreshes;       /* codes replaced by themselves in a row */
  guint auto_refresh_cap;     /* how many of those window mode allows */
  gint64 min_check_ms;        /* the server's least interval between status requests, or 0 */
} QrsPollInput;

typedef struct {
  QrsPollAction action;
  gint64 delay_ms;
  gboolean reconnecting;      /* say so, and offer to retry now */
} QrsPollDecision;

/* Returns a number in [0, 1). */
typedef double (*QrsRandomFunc) (gpointer user_data);

gint64          qrs_poll_policy_backoff_ms     (guint               failures,
                                                double              random);
gint64          qrs_poll_policy_kiosk_pause_ms (guint               failures,
                                                double              random);
QrsPollDecision qrs_poll_policy_decide         (const QrsPollInput *input,
                                                QrsRandomFunc       random,
                                                gpointer            random_data);

G_END_DECLS
