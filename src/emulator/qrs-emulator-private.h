/* qrs-emulator-private.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the emulator's source files share: the instance struct, the records
 * it keeps and what one concern offers the others. The files are
 *
 *   qrs-emulator.c           the GObject, its settings, start/stop, the
 *                            request log and where each request goes
 *   qrs-emulator-state.c     codes, users, the state machine and the clock
 *   qrs-emulator-wire.c      JSON in and out, the envelope, the messages in
 *                            the request's language
 *   qrs-emulator-handlers.c  the /api/v3 endpoints and the served images
 *   qrs-emulator-tokens.c    token sets handed out, user tokens and client
 *                            credentials taken in
 *   qrs-emulator-faults.c    answers made to misbehave
 *   qrs-emulator-hooks.c     the /__emu/ test hooks
 *   qrs-emulator-png.c       the QR and avatar images
 *
 * None of this is API: the app and the tests use qrs-emulator.h.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "qrs-emulator.h"

G_BEGIN_DECLS

/* Pixels per QR module in the served PNG, and the avatar's side. */
#define QRS_EMULATOR_QR_MODULE_PIXELS 8
#define QRS_EMULATOR_QR_QUIET_ZONE    4
#define QRS_EMULATOR_AVATAR_SIZE      128

#define QRS_EMULATOR_QR_ID_LENGTH      30
#define QRS_EMULATOR_JSON_CONTENT_TYPE "application/json; charset=utf-8"
#define QRS_EMULATOR_QR_IMAGE_PREFIX   "/__emu/qrcode/"
#define QRS_EMULATOR_AVATAR_PREFIX     "/__emu/avatar/"
#define QRS_EMULATOR_N_ENDPOINTS       (QRS_EMULATOR_ENDPOINT_EXCHANGE_TOKENSET_WITH_QRCODE_TICKET + 1)

typedef enum {
  QRS_EMULATOR_CODE_PENDING,
  QRS_EMULATOR_CODE_SCANNED,
  QRS_EMULATOR_CODE_AUTHORIZED,
  QRS_EMULATOR_CODE_CANCELLED,
  QRS_EMULATOR_CODE_EXPIRED,
} QrsEmulatorCodeStatus;

typedef struct
{
  char *id;
  QrsEmulatorCodeStatus status;
  gint64 created_ms;
  gint64 expire_ms;
  JsonNode *custom_data;
  /* Set by SCAN */
  char *user_id;
  char *display_name;
  char *photo;              /* NULL: the user's generated avatar */
  /* Set by CONFIRM */
  char *ticket;
  gint64 ticket_expire_ms;
  gboolean ticket_used;
  JsonNode *token_set;      /* handed out by the status poll instead */
} QrsEmulatorCode;

typedef struct
{
  char *access_token;
  char *user_id;
  char *display_name;
  char *photo;
  char *userpool_id;
} QrsEmulatorUser;

typedef enum {
  QRS_EMULATOR_LANG_ZH,
  QRS_EMULATOR_LANG_EN,
} QrsEmulatorLang;

/* The texts of "message", one per language (see qrs-emulator-wire.c). */
typedef enum {
  QRS_EMULATOR_MESSAGE_OK,
  QRS_EMULATOR_MESSAGE_APP_NOT_FOUND,
  QRS_EMULATOR_MESSAGE_NOT_LOGGED_IN,
  QRS_EMULATOR_MESSAGE_QR_NOT_FOUND,
  QRS_EMULATOR_MESSAGE_THROTTLED,
  QRS_EMULATOR_MESSAGE_BODY_INVALID,
  QRS_EMULATOR_MESSAGE_TYPE_REQUIRED,
  QRS_EMULATOR_MESSAGE_TYPE_INVALID,
  QRS_EMULATOR_MESSAGE_TYPE_UNSUPPORTED,
  QRS_EMULATOR_MESSAGE_CUSTOM_DATA_INVALID,
  QRS_EMULATOR_MESSAGE_QRCODE_ID_REQUIRED,
  QRS_EMULATOR_MESSAGE_ACTION_INVALID,
  QRS_EMULATOR_MESSAGE_TRANSITION,
  QRS_EMULATOR_MESSAGE_POOL_MISMATCH,
  QRS_EMULATOR_MESSAGE_TICKET_REQUIRED,
  QRS_EMULATOR_MESSAGE_TICKET_INVALID,
  QRS_EMULATOR_MESSAGE_TICKET_USED,
  QRS_EMULATOR_MESSAGE_TICKET_EXPIRED,
  QRS_EMULATOR_MESSAGE_CLIENT_AUTH,
  QRS_EMULATOR_MESSAGE_SERVER_ERROR,
  QRS_EMULATOR_N_MESSAGES
} QrsEmulatorMessage;

typedef enum {
  QRS_EMULATOR_MEMBER_MISSING,
  QRS_EMULATOR_MEMBER_WRONG_TYPE,
  QRS_EMULATOR_MEMBER_OK,
} QrsEmulatorMemberResult;

struct _QrsEmulator
{
  GObject parent_instance;

  /* Configuration */
  char *app_id;
  char *userpool_id;
  guint qr_ttl;
  guint ticket_ttl;
  QrsEmulatorTokenAuthMethod token_auth_method;
  char *client_secret;
  gboolean return_full_user_info;

  /* Serving */
  SoupServer *server;
  char *base_url;
  gint64 started_at;        /* monotonic µs */
  gint64 clock_offset;      /* µs added to the wall clock */
  GPtrArray *stalls;        /* requests held back by a stall fault */

  /* State */
  GPtrArray *codes;         /* QrsEmulatorCode*, oldest first */
  GHashTable *codes_by_id;  /* id → QrsEmulatorCode* */
  GHashTable *tickets;      /* ticket → QrsEmulatorCode* */
  GHashTable *users;        /* access token → QrsEmulatorUser* */
  GQueue faults[QRS_EMULATOR_N_ENDPOINTS];
  GPtrArray *log;           /* QrsEmulatorLogEntry* */
  guint64 log_first_serial;
};

/* qrs-emulator.c */
void                    _qrs_emulator_emit_code_changed    (QrsEmulator            *self,
                                                            const QrsEmulatorCode  *code);
void                    _qrs_emulator_log_finish           (QrsEmulator            *self,
                                                            guint64                 serial,
                                                            guint                   status);

/* qrs-emulator-state.c */
gint64                  _qrs_emulator_now_ms               (QrsEmulator            *self);
void                    _qrs_emulator_code_free            (QrsEmulatorCode        *code);
void                    _qrs_emulator_user_free            (QrsEmulatorUser        *user);
const char             *_qrs_emulator_code_status_name     (const QrsEmulatorCode  *code);
void                    _qrs_emulator_code_refresh         (QrsEmulator            *self,
                                                            QrsEmulatorCode        *code);
QrsEmulatorCode        *_qrs_emulator_lookup_code          (QrsEmulator            *self,
                                                            const char             *qrcode_id);
QrsEmulatorCode        *_qrs_emulator_create_code          (QrsEmulator            *self,
                                                            JsonNode               *custom_data);
char                   *_qrs_emulator_code_dup_photo       (QrsEmulator            *self,
                                                            const QrsEmulatorCode  *code);
char                   *_qrs_emulator_code_dup_payload     (QrsEmulator            *self,
                                                            const QrsEmulatorCode  *code);
char                   *_qrs_emulator_qr_image_url         (QrsEmulator            *self,
                                                            const char             *qrcode_id);
gboolean                _qrs_emulator_code_apply           (QrsEmulator            *self,
                                                            QrsEmulatorCode        *code,
                                                            QrsEmulatorAction       action,
                                                            const QrsEmulatorUser  *user,
                                                            const char             *display_name,
                                                            const char             *photo,
                                                            GError                **error);
gboolean                _qrs_emulator_parse_action         (const char             *text,
                                                            QrsEmulatorAction      *out);

/* qrs-emulator-wire.c */
QrsEmulatorMemberResult _qrs_emulator_get_string_member    (JsonObject             *object,
                                                            const char             *name,
                                                            const char            **out);
QrsEmulatorMemberResult _qrs_emulator_get_uint_member      (JsonObject             *object,
                                                            const char             *name,
                                                            guint                  *out);
JsonObject             *_qrs_emulator_parse_body_object    (SoupServerMessage      *msg);
QrsEmulatorLang         _qrs_emulator_request_lang         (SoupServerMessage      *msg);
const char             *_qrs_emulator_message              (QrsEmulatorLang         lang,
                                                            QrsEmulatorMessage      message);
void                    _qrs_emulator_reply_text           (SoupServerMessage      *msg,
                                                            guint                   http_status,
                                                            const char             *content_type,
                                                            char                   *body,
                                                            gsize                   length);
void                    _qrs_emulator_reply_json           (SoupServerMessage      *msg,
                                                            guint                   http_status,
                                                            JsonNode               *root);
void                    _qrs_emulator_reply_error          (SoupServerMessage      *msg,
                                                            int                     status_code,
                                                            int                     api_code,
                                                            QrsEmulatorMessage      message);
void                    _qrs_emulator_reply_success        (SoupServerMessage      *msg,
                                                            JsonNode               *data);
void                    _qrs_emulator_reply_hook           (SoupServerMessage      *msg,
                                                            guint                   http_status,
                                                            JsonObject             *object);
void                    _qrs_emulator_reply_hook_error     (SoupServerMessage      *msg,
                                                            guint                   http_status,
                                                            const char             *message);

/* qrs-emulator-handlers.c */
int                     _qrs_emulator_fault_endpoint       (const char             *method,
                                                            const char             *path);
void                    _qrs_emulator_answer               (QrsEmulator            *self,
                                                            SoupServerMessage      *msg);

/* qrs-emulator-tokens.c */
JsonNode               *_qrs_emulator_make_token_set       (QrsEmulator            *self,
                                                            const QrsEmulatorCode  *code);
QrsEmulatorUser        *_qrs_emulator_request_user         (QrsEmulator            *self,
                                                            SoupServerMessage      *msg);
gboolean                _qrs_emulator_client_authenticated (QrsEmulator            *self,
                                                            SoupServerMessage      *msg,
                                                            JsonObject             *body);

/* qrs-emulator-faults.c */
gboolean                _qrs_emulator_answer_fault         (QrsEmulator            *self,
                                                            SoupServerMessage      *msg,
                                                            QrsEmulatorEndpoint     endpoint,
                                                            guint64                 serial);
void                    _qrs_emulator_stall_free           (gpointer                stall);

/* qrs-emulator-hooks.c */
gboolean                _qrs_emulator_handle_hook          (QrsEmulator            *self,
                                                            SoupServerMessage      *msg,
                                                            const char             *method,
                                                            const char             *path);

/* qrs-emulator-png.c */
GBytes                 *_qrs_emulator_png_qr_code          (const char             *text,
                                                            GError                **error);
GBytes                 *_qrs_emulator_png_avatar           (const char             *seed,
                                                            GError                **error);
char                   *_qrs_emulator_format_time          (gint64                  unix_ms);
char                   *_qrs_emulator_random_id            (guint                   length);

G_END_DECLS
