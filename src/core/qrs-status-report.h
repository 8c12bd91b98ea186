/* qrs-status-report.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qrs-types.h"
#include "qrs-token-set.h"

G_BEGIN_DECLS

/* Where a QR code stands, in the words of GenAuth's V3 API. */
typedef enum {
  QRS_STATUS_PENDING,
  QRS_STATUS_SCANNED,
  QRS_STATUS_AUTHORIZED,
  QRS_STATUS_CANCELLED,
  QRS_STATUS_EXPIRED,
  QRS_STATUS_ERROR,
} QrsStatus;

#define QRS_TYPE_STATUS_REPORT (qrs_status_report_get_type ())

G_DECLARE_FINAL_TYPE (QrsStatusReport, qrs_status_report, QRS, STATUS_REPORT, GObject)

gboolean         qrs_status_is_final                  (QrsStatus        status);
const char      *qrs_status_to_string                 (QrsStatus        status);

QrsStatusReport *qrs_status_report_new                (QrsStatus        status,
                                                       const char      *ticket,
                                                       const char      *display_name,
                                                       const char      *photo_url,
                                                       QrsTokenSet     *token_set);
QrsStatus        qrs_status_report_get_status         (QrsStatusReport *self);
const char      *qrs_status_report_get_ticket         (QrsStatusReport *self);
gboolean         qrs_status_report_has_ticket         (QrsStatusReport *self);
const char      *qrs_status_report_get_display_name   (QrsStatusReport *self);
const char      *qrs_status_report_get_photo_url      (QrsStatusReport *self);
QrsTokenSet     *qrs_status_report_get_token_set      (QrsStatusReport *self);
guint            qrs_status_report_get_poll_interval  (QrsStatusReport *self);
void             qrs_status_report_set_poll_interval  (QrsStatusReport *self,
                                                       guint            seconds);
char            *qrs_status_report_to_debug_string    (QrsStatusReport *self);
void             qrs_status_report_log                (QrsStatusReport *self);

G_END_DECLS
