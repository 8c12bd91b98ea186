/* qrs-provider-factory.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-device-flow-provider.h"
#include "qrs-genauth-provider.h"
#include "qrs-provider-factory.h"
#include "qrs-secret-private.h"

/* The one place that knows which QrsProvider implements which protocol:
 * everything above it (the sign-in model, the window, the hand-off) only
 * ever sees a QrsProvider.
 */

/* The client secret the configuration's auth method wants, if any: the
 * one given (from the keyring), else from QRS_CLIENT_SECRET when set and
 * not empty, else from the client secret file.
 */
static gboolean
load_client_secret (const QrsConfig  *config,
                    const char       *given,
                    QrsSecret       **secret,
                    GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  *secret = NULL;
  if (config->token_auth_method == QRS_CLIENT_AUTH_NONE)
    return TRUE;

  if (given != NULL)
    {
      *secret = g_strdup (given);
      return TRUE;
    }

  *secret = qrs_secret_load (QRS_CONFIG_CLIENT_SECRET_ENV, config->client_secret_file, &local_error);
  if (*secret == NULL)
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* How each provider takes its client secret. */
typedef gboolean (*SetSecretFunc) (gpointer     provider,
                                   const char  *secret,
                                   GError     **error);

/* Hands @provider the client secret its auth method needs, if any. */
static QrsProvider *
add_client_secret (gpointer          provider,
                   SetSecretFunc     set_secret,
                   const QrsConfig  *config,
                   const char       *given_secret,
                   GError          **error)
{
  g_autoptr(GObject) owned = provider;
  g_autoptr(QrsSecret) secret = NULL;

  if (owned == NULL || !load_client_secret (config, given_secret, &secret, error))
    return NULL;

  if (secret != NULL && !set_secret (owned, secret, error))
    return NULL;

  return QRS_PROVIDER (g_steal_pointer (&owned));
}

static QrsProvider *
create_genauth (const QrsConfig  *config,
                const char       *given_secret,
                GError          **error)
{
  return add_client_secret (g_initable_new (QRS_TYPE_GENAUTH_PROVIDER, NULL, error,
                                            "base-url", config->server,
                                            "app-id", config->app_id,
                                            "userpool-id", config->userpool_id,
                                            "allow-insecure-http", config->allow_insecure_http,
                                            "status-path", config->status_path,
                                            "client-auth", config->token_auth_method,
                                            NULL),
                            (SetSecretFunc) qrs_genauth_provider_set_client_secret,
                            config, given_secret, error);
}

/* The endpoints are discovered later: before the first code, or when the
 * application asks (qrs_device_flow_provider_discover_async()).
 */
static QrsProvider *
create_device_flow (const QrsConfig  *config,
                    const char       *given_secret,
                    GError          **error)
{
  return add_client_secret (g_initable_new (QRS_TYPE_DEVICE_FLOW_PROVIDER, NULL, error,
                                            "issuer", config->issuer,
                                            "client-id", config->client_id,
                                            "scope", config->scope,
                                            "allow-insecure-http", config->allow_insecure_http,
                                            "client-auth", config->token_auth_method,
                                            NULL),
                            (SetSecretFunc) qrs_device_flow_provider_set_client_secret,
                            config, given_secret, error);
}

/**
 * qrs_provider_factory_create:
 * @config: a configuration that qrs_config_validate() accepted
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * Builds the provider @config names, with its settings and, where its
 * token auth method needs one, its client secret.
 *
 * In demo mode, point the configuration at the emulator first.
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL
 */
QrsProvider *
qrs_provider_factory_create (const QrsConfig  *config,
                             GError          **error)
{
  return qrs_provider_factory_create_with_secret (config, NULL, error);
}

/**
 * qrs_provider_factory_create_with_secret:
 * @config: a configuration that qrs_config_validate() accepted
 * @client_secret: (nullable): the client secret, found elsewhere (the
 *   keyring); %NULL to read it from where @config says
 * @error: return location for a %QRS_PROVIDER_ERROR_CONFIG error
 *
 * As qrs_provider_factory_create(), with a client secret given.
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL
 */
QrsProvider *
qrs_provider_factory_create_with_secret (const QrsConfig  *config,
                                         const char       *client_secret,
                                         GError          **error)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (config->provider)
    {
    case QRS_PROVIDER_KIND_GENAUTH:
      return create_genauth (config, client_secret, error);

    case QRS_PROVIDER_KIND_DEVICE_FLOW:
      return create_device_flow (config, client_secret, error);

    default:
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   "Unknown provider kind %d", config->provider);
      return NULL;
    }
}
