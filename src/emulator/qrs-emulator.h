/* qrs-emulator.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "qrs-emulator-enums.h"

G_BEGIN_DECLS

/* Defaults of a fresh emulator; the binary's options override them. */
#define QRS_EMULATOR_DEFAULT_APP_ID      "qrs-demo-app"
#define QRS_EMULATOR_DEFAULT_USERPOOL_ID "qrs-demo-pool"
#define QRS_EMULATOR_DEFAULT_QR_TTL      120
#define QRS_EMULATOR_DEFAULT_TICKET_TTL  300

/* The user every emulator knows: a phone signed in with this access token
 * may drive /api/v3/change-qrcode-status. The /__emu/phone hook acts as this
 * user unless the code was scanned by someone else.
 */
#define QRS_EMULATOR_DEMO_USER_TOKEN        "qrs-demo-user-token"
#define QRS_EMULATOR_DEMO_USER_ID           "qrs-demo-user"
#define QRS_EMULATOR_DEMO_USER_DISPLAY_NAME "Demo User"

#define QRS_EMULATOR_ERROR (qrs_emulator_error_quark ())

typedef enum {
  QRS_EMULATOR_ERROR_INVALID_ARGUMENT,
  QRS_EMULATOR_ERROR_NOT_FOUND,
  QRS_EMULATOR_ERROR_INVALID_TRANSITION,
  QRS_EMULATOR_ERROR_FAILED,
} QrsEmulatorError;

/* How exchange-tokenset-with-qrcode-ticket authenticates the client; the
 * nicks are the console's names.
 */
typedef enum {
  QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE,                /*< nick=none >*/
  QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_POST,  /*< nick=client_secret_post >*/
  QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC, /*< nick=client_secret_basic >*/
} QrsEmulatorTokenAuthMethod;

/* What the logged-in phone does to a code (change-qrcode-status actions). */
typedef enum {
  QRS_EMULATOR_ACTION_SCAN,    /*< nick=SCAN >*/
  QRS_EMULATOR_ACTION_CONFIRM, /*< nick=CONFIRM >*/
  QRS_EMULATOR_ACTION_CANCEL,  /*< nick=CANCEL >*/
} QrsEmulatorAction;

/* The endpoints whose answers can be made to misbehave. check-qrcode-status
 * also covers its alias get-qrcode-status.
 */
typedef enum {
  QRS_EMULATOR_ENDPOINT_GENE_QRCODE,                          /*< nick=gene-qrcode >*/
  QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,                  /*< nick=check-qrcode-status >*/
  QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET, /*< nick=exchange-tokenset-with-qrcode-ticket >*/
} QrsEmulatorEndpoint;

/* Ways an answer can misbehave; see "Fault modes" in qrs-emulator-faults.c. */
typedef enum {
  QRS_EMULATOR_FAULT_HTTP500,        /*< nick=http500 >*/
  QRS_EMULATOR_FAULT_HTML,           /*< nick=html >*/
  QRS_EMULATOR_FAULT_MALFORMED,      /*< nick=malformed >*/
  QRS_EMULATOR_FAULT_WRONG_TYPE,     /*< nick=wrong-type >*/
  QRS_EMULATOR_FAULT_UNKNOWN_STATUS, /*< nick=unknown-status >*/
  QRS_EMULATOR_FAULT_NO_DATA,        /*< nick=no-data >*/
  QRS_EMULATOR_FAULT_ERROR_STATUS,   /*< nick=error-status >*/
  QRS_EMULATOR_FAULT_STATUS_ERROR,   /*< nick=status-error >*/
  QRS_EMULATOR_FAULT_THROTTLE,       /*< nick=throttle >*/
  QRS_EMULATOR_FAULT_HUGE,           /*< nick=huge >*/
  QRS_EMULATOR_FAULT_STALL,          /*< nick=stall >*/
  QRS_EMULATOR_FAULT_DROP,           /*< nick=drop >*/
} QrsEmulatorFault;

/* Size of the body a "huge" fault sends: twice the client's JSON cap. */
#define QRS_EMULATOR_HUGE_BODY_SIZE (2 * 1024 * 1024)

/* One request the emulator answered (or is still holding back). */
typedef struct _QrsEmulatorLogEntry QrsEmulatorLogEntry;

struct _QrsEmulatorLogEntry
{
  gint64 ms;    /* monotonic milliseconds since qrs_emulator_start() */
  char *method;
  char *path;   /* without the query */
  guint status; /* HTTP status; 0 while stalled, or when dropped */
};

#define QRS_TYPE_EMULATOR_LOG_ENTRY (qrs_emulator_log_entry_get_type ())

GType                qrs_emulator_log_entry_get_type (void) G_GNUC_CONST;
QrsEmulatorLogEntry *qrs_emulator_log_entry_copy     (const QrsEmulatorLogEntry *entry);
void                 qrs_emulator_log_entry_free     (QrsEmulatorLogEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsEmulatorLogEntry, qrs_emulator_log_entry_free)

#define QRS_TYPE_EMULATOR (qrs_emulator_get_type ())

G_DECLARE_FINAL_TYPE (QrsEmulator, qrs_emulator, QRS, EMULATOR, GObject)

GQuark                      qrs_emulator_error_quark               (void);

QrsEmulator                *qrs_emulator_new                       (void);

gboolean                    qrs_emulator_start                     (QrsEmulator                *self,
                                                                    guint                       port,
                                                                    GError                    **error);
void                        qrs_emulator_stop                      (QrsEmulator                *self);
gboolean                    qrs_emulator_is_running                (QrsEmulator                *self);
const char                 *qrs_emulator_get_base_url              (QrsEmulator                *self);

const char                 *qrs_emulator_get_app_id                (QrsEmulator                *self);
void                        qrs_emulator_set_app_id                (QrsEmulator                *self,
                                                                    const char                 *app_id);
const char                 *qrs_emulator_get_userpool_id           (QrsEmulator                *self);
void                        qrs_emulator_set_userpool_id           (QrsEmulator                *self,
                                                                    const char                 *userpool_id);
guint                       qrs_emulator_get_qr_ttl                (QrsEmulator                *self);
void                        qrs_emulator_set_qr_ttl                (QrsEmulator                *self,
                                                                    guint                       seconds);
guint                       qrs_emulator_get_ticket_ttl            (QrsEmulator                *self);
void                        qrs_emulator_set_ticket_ttl            (QrsEmulator                *self,
                                                                    guint                       seconds);
QrsEmulatorTokenAuthMethod  qrs_emulator_get_token_auth_method     (QrsEmulator                *self);
void                        qrs_emulator_set_token_auth_method     (QrsEmulator                *self,
                                                                    QrsEmulatorTokenAuthMethod  method);
const char                 *qrs_emulator_get_client_secret         (QrsEmulator                *self);
void                        qrs_emulator_set_client_secret         (QrsEmulator                *self,
                                                                    const char                 *client_secret);
gboolean                    qrs_emulator_get_return_full_user_info (QrsEmulator                *self);
void                        qrs_emulator_set_return_full_user_info (QrsEmulator                *self,
                                                                    gboolean                    return_full_user_info);

void                        qrs_emulator_add_user                  (QrsEmulator                *self,
                                                                    const char                 *access_token,
                                                                    const char                 *user_id,
                                                                    const char                 *display_name,
                                                                    const char                 *photo,
                                                                    const char                 *userpool_id);

gboolean                    qrs_emulator_phone                     (QrsEmulator                *self,
                                                                    const char                 *qrcode_id,
                                                                    QrsEmulatorAction           action,
                                                                    const char                 *display_name,
                                                                    const char                 *photo,
                                                                    GError                    **error);
void                        qrs_emulator_advance_clock             (QrsEmulator                *self,
                                                                    double                      seconds);
gint64                      qrs_emulator_get_time                  (QrsEmulator                *self);
gboolean                    qrs_emulator_inject_fault              (QrsEmulator                *self,
                                                                    QrsEmulatorEndpoint         endpoint,
                                                                    QrsEmulatorFault            mode,
                                                                    guint                       count,
                                                                    guint                       retry_after,
                                                                    guint                       seconds,
                                                                    GError                    **error);
void                        qrs_emulator_clear_faults              (QrsEmulator                *self);

GPtrArray                  *qrs_emulator_dup_log                   (QrsEmulator                *self) G_GNUC_WARN_UNUSED_RESULT;
guint                       qrs_emulator_count_requests            (QrsEmulator                *self,
                                                                    const char                 *path);
void                        qrs_emulator_clear_log                 (QrsEmulator                *self);

char                       *qrs_emulator_dup_newest_code_id        (QrsEmulator                *self) G_GNUC_WARN_UNUSED_RESULT;
char                       *qrs_emulator_dup_code_status           (QrsEmulator                *self,
                                                                    const char                 *qrcode_id) G_GNUC_WARN_UNUSED_RESULT;
guint                       qrs_emulator_get_n_codes               (QrsEmulator                *self);

G_END_DECLS
