/* qrs-config.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "qrs-genauth-provider.h"
#include "qrs-provider.h"

G_BEGIN_DECLS

/* Where the QR image comes from. The nicks are the --qr-source values. */
typedef enum {
  QRS_QR_SOURCE_SERVER, /*< nick=server >*/
  QRS_QR_SOURCE_LOCAL,  /*< nick=local >*/
} QrsQrSource;

/* Which protocol signs the person in; the factory in
 * qrs-provider-factory.c turns the kind and its settings into a provider.
 */
typedef enum {
  QRS_PROVIDER_KIND_GENAUTH,     /*< nick=genauth >*/
  QRS_PROVIDER_KIND_DEVICE_FLOW, /*< nick=device-flow >*/
} QrsProviderKind;

/* The settings a person types, checked one at a time. */
typedef enum {
  QRS_CONFIG_FIELD_SERVER,
  QRS_CONFIG_FIELD_APP_ID,
  QRS_CONFIG_FIELD_USERPOOL_ID,
  QRS_CONFIG_FIELD_ISSUER,
  QRS_CONFIG_FIELD_CLIENT_ID,
  QRS_CONFIG_FIELD_SCOPE,
  QRS_CONFIG_FIELD_PHONE_APP,
  QRS_CONFIG_FIELD_CLIENT_SECRET,
} QrsConfigField;

#define QRS_CONFIG_ERROR (qrs_config_error_quark ())

/* What is wrong with a configuration. Every one means "exit 2". */
typedef enum {
  QRS_CONFIG_ERROR_NO_SERVER,        /* no server (or issuer) address, outside demo mode */
  QRS_CONFIG_ERROR_NO_APP_ID,        /* no app id (or client id), outside demo mode */
  QRS_CONFIG_ERROR_BAD_SERVER,       /* the server address is not a usable URL */
  QRS_CONFIG_ERROR_INSECURE_SERVER,  /* plain http to another computer, not allowed */
  QRS_CONFIG_ERROR_BAD_ID,           /* an app or user pool id with forbidden characters */
  QRS_CONFIG_ERROR_BAD_VALUE,        /* an option or key with a value it cannot have */
  QRS_CONFIG_ERROR_NOT_KIOSK,        /* --on-success without --kiosk */
  QRS_CONFIG_ERROR_NO_CLIENT_SECRET, /* a secret auth method without a readable secret */
} QrsConfigError;

/* The environment variable a client secret may come from. It is never
 * passed on to the --on-success command.
 */
#define QRS_CONFIG_CLIENT_SECRET_ENV "QRS_CLIENT_SECRET"

#define QRS_CONFIG_DEFAULT_WELCOME_SECONDS  5
#define QRS_CONFIG_MIN_WELCOME_SECONDS      1
#define QRS_CONFIG_MAX_WELCOME_SECONDS      60
#define QRS_CONFIG_DEFAULT_AUTO_REFRESH_CAP 5
#define QRS_CONFIG_MAX_AUTO_REFRESH_CAP     100
#define QRS_CONFIG_DEFAULT_PHONE_APP        "GenAuth"
#define QRS_CONFIG_MAX_PHONE_APP_LENGTH     64
#define QRS_CONFIG_DEFAULT_SCOPE            "openid profile offline_access"

/* Everything the command line and GSettings decide, merged: read it after
 * qrs_config_validate() has passed, and treat it as read-only. Strings
 * that are not set are %NULL, never "".
 */
typedef struct
{
  QrsProviderKind       provider;            /* which protocol */

  /* GenAuth */
  char                 *server;              /* "server" */
  char                 *app_id;              /* "app-id" */
  char                 *userpool_id;         /* "userpool-id" */
  QrsGenauthStatusPath  status_path;         /* "status-path" (GSettings only) */
  char                 *phone_app;           /* "phone-app": the app the steps name */

  /* OAuth 2.0 Device Authorization Grant (RFC 8628) */
  char                 *issuer;              /* "issuer": OpenID discovery starts here */
  char                 *client_id;           /* "client-id" */
  char                 *scope;               /* "scope" */

  /* Every provider */
  QrsQrSource           qr_source;           /* "qr-source" */
  gboolean              kiosk;               /* "kiosk" */
  char                 *on_success;          /* "on-success": a command line */
  gboolean              demo;                /* "demo" (command line only) */
  gboolean              allow_insecure_http; /* "allow-insecure-http" */
  gboolean              verbose;             /* "verbose" (command line only) */
  guint                 welcome_seconds;     /* "welcome-seconds" (GSettings only) */
  guint                 auto_refresh_cap;    /* "auto-refresh-cap" (GSettings only) */
  QrsClientAuth         token_auth_method;   /* "token-auth-method" (GSettings only) */
  char                 *client_secret_file;  /* "client-secret-file" (GSettings only) */

  gboolean              keyring;             /* a client secret may come from the keyring (set by the app) */

  /*< private >*/
  gboolean              on_success_from_command_line;
} QrsConfig;

#define QRS_TYPE_CONFIG (qrs_config_get_type ())

GType                qrs_config_get_type            (void) G_GNUC_CONST;
GQuark               qrs_config_error_quark         (void);

QrsConfig           *qrs_config_new                 (void);
QrsConfig           *qrs_config_copy                (QrsConfig        *self);
void                 qrs_config_free                (QrsConfig        *self);

void                 qrs_config_load_settings       (QrsConfig        *self,
                                                     GSettings        *settings);
gboolean             qrs_config_apply_options       (QrsConfig        *self,
                                                     GVariantDict     *options,
                                                     GError          **error);
gboolean             qrs_config_validate            (const QrsConfig  *self,
                                                     GError          **error);
gboolean             qrs_config_check_field         (QrsConfigField    field,
                                                     const char       *value,
                                                     gboolean          allow_insecure_http,
                                                     GError          **error);
gboolean             qrs_config_secret_from_keyring (const QrsConfig  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsConfig, qrs_config_free)

G_END_DECLS
