/* qrs-server-group.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "qrs-config.h"

G_BEGIN_DECLS

#define QRS_TYPE_SERVER_GROUP (qrs_server_group_get_type ())

G_DECLARE_FINAL_TYPE (QrsServerGroup, qrs_server_group, QRS, SERVER_GROUP, AdwPreferencesGroup)

QrsServerGroup *qrs_server_group_new                     (void);

const char     *qrs_server_group_get_text                (QrsServerGroup *self,
                                                          QrsConfigField  field);
void            qrs_server_group_set_text                (QrsServerGroup *self,
                                                          QrsConfigField  field,
                                                          const char     *text);
gboolean        qrs_server_group_get_allow_insecure_http (QrsServerGroup *self);
void            qrs_server_group_set_allow_insecure_http (QrsServerGroup *self,
                                                          gboolean        allow_insecure_http);
gboolean        qrs_server_group_get_valid               (QrsServerGroup *self);
gboolean        qrs_server_group_get_testing             (QrsServerGroup *self);

QrsConfig      *qrs_server_group_dup_config              (QrsServerGroup *self);
void            qrs_server_group_test_connection         (QrsServerGroup *self);
void            qrs_server_group_cancel_test             (QrsServerGroup *self);

void            qrs_show_field_error                     (GtkWidget      *row,
                                                          GtkWidget      *error_row,
                                                          GtkLabel       *error_label,
                                                          const char     *message);

G_END_DECLS
