/* qrs-token-set.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-secret-private.h"
#include "qrs-token-set.h"

/* The credentials a sign-in ends with. The three tokens are secrets: they
 * are wiped when the set is freed, they are not properties (a GValue copy
 * would escape the wiping), and the only printer redacts them.
 */
struct _QrsTokenSet
{
  GObject parent_instance;

  char *access_token;
  char *id_token;
  char *refresh_token;
  char *token_type;
  char *scope;
  gint64 expires_in;
};

enum {
  PROP_0,
  PROP_TOKEN_TYPE,
  PROP_EXPIRES_IN,
  PROP_SCOPE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (QrsTokenSet, qrs_token_set, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
qrs_token_set_finalize (GObject *object)
{
  QrsTokenSet *self = (QrsTokenSet *) object;

  g_clear_pointer (&self->access_token, qrs_secret_free);
  g_clear_pointer (&self->id_token, qrs_secret_free);
  g_clear_pointer (&self->refresh_token, qrs_secret_free);
  g_clear_pointer (&self->token_type, g_free);
  g_clear_pointer (&self->scope, g_free);

  G_OBJECT_CLASS (qrs_token_set_parent_class)->finalize (object);
}

static void
qrs_token_set_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  QrsTokenSet *self = QRS_TOKEN_SET (object);

  switch (prop_id)
    {
    case PROP_TOKEN_TYPE:
      g_value_set_string (value, self->token_type);
      break;

    case PROP_EXPIRES_IN:
      g_value_set_int64 (value, self->expires_in);
      break;

    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_token_set_class_init (QrsTokenSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qrs_token_set_finalize;
  object_class->get_property = qrs_token_set_get_property;

  properties[PROP_TOKEN_TYPE] =
    g_param_spec_string ("token-type", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_EXPIRES_IN] =
    g_param_spec_int64 ("expires-in", NULL, NULL,
                        QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN, QRS_TOKEN_SET_EXPIRES_IN_MAX,
                        QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_SCOPE] =
    g_param_spec_string ("scope", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qrs_token_set_init (QrsTokenSet *self)
{
}

/**
 * qrs_token_set_new:
 * @access_token: (nullable): the access token
 * @id_token: (nullable): the OpenID Connect ID token
 * @refresh_token: (nullable): the refresh token
 * @token_type: (nullable): the token type, such as "bearer", or %NULL if
 *   the server did not say
 * @expires_in: seconds the access token lives, counted from when it was
 *   issued, at most %QRS_TOKEN_SET_EXPIRES_IN_MAX; or
 *   %QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN
 * @scope: (nullable): the granted scopes, space-separated
 *
 * At least one of @access_token and @id_token is needed.
 *
 * Returns: (transfer full): a new token set holding copies of the strings
 */
QrsTokenSet *
qrs_token_set_new (const char *access_token,
                   const char *id_token,
                   const char *refresh_token,
                   const char *token_type,
                   gint64      expires_in,
                   const char *scope)
{
  QrsTokenSet *self;

  g_return_val_if_fail (access_token != NULL || id_token != NULL, NULL);
  g_return_val_if_fail (expires_in >= QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN, NULL);
  g_return_val_if_fail (expires_in <= QRS_TOKEN_SET_EXPIRES_IN_MAX, NULL);

  self = g_object_new (QRS_TYPE_TOKEN_SET, NULL);
  self->access_token = g_strdup (access_token);
  self->id_token = g_strdup (id_token);
  self->refresh_token = g_strdup (refresh_token);
  self->token_type = g_strdup (token_type);
  self->expires_in = expires_in;
  self->scope = g_strdup (scope);

  return self;
}

const char *
qrs_token_set_get_access_token (QrsTokenSet *self)
{
  g_return_val_if_fail (QRS_IS_TOKEN_SET (self), NULL);

  return self->access_token;
}

const char *
qrs_token_set_get_id_token (QrsTokenSet *self)
{
  g_return_val_if_fail (QRS_IS_TOKEN_SET (self), NULL);

  return self->id_token;
}

const char *
qrs_token_set_get_refresh_token (QrsTokenSet *self)
{
  g_return_val_if_fail (QRS_IS_TOKEN_SET (self), NULL);

  return self->refresh_token;
}

const char *
qrs_token_set_get_token_type (QrsTokenSet *self)
{
  g_return_val_if_fail (QRS_IS_TOKEN_SET (self), NULL);

  return self->token_type;
}

/**
 * qrs_token_set_get_expires_in:
 *
 * Returns: seconds the access token lives, counted from when it was
 *   issued, or %QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN
 */
gint64
qrs_token_set_get_expires_in (QrsTokenSet *self)
{
  g_return_val_if_fail (QRS_IS_TOKEN_SET (self), QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN);

  return self->expires_in;
}

const char *
qrs_token_set_get_scope (QrsTokenSet *self)
{
  g_return_val_if_fail (QRS_IS_TOKEN_SET (self), NULL);

  return self->scope;
}

/* A JWT always starts with "eyJ", so its first four characters say what
 * kind of token it is without saying anything about it; short tokens get no
 * prefix at all.
 */
static void
append_redacted (GString    *string,
                 const char *name,
                 const char *secret)
{
  glong length;

  g_string_append_printf (string, " %s=", name);

  if (secret == NULL)
    {
      g_string_append (string, "(none)");
      return;
    }

  /* Not a character of it: an opaque token's first few are secret too. */
  length = g_utf8_strlen (secret, -1);
  g_string_append_printf (string, "(%ld chars)", length);
}

/**
 * qrs_token_set_to_debug_string:
 *
 * Describes the set for a log line, with every token redacted.
 *
 * Returns: (transfer full): e.g. `token_type="bearer" expires_in=7200
 *   scope="openid profile" access_token=(1234 chars) id_token=(none)
 *   refresh_token=(12 chars)`; what the server did not say is `(none)`
 */
char *
qrs_token_set_to_debug_string (QrsTokenSet *self)
{
  g_autofree char *token_type = NULL;
  g_autofree char *scope = NULL;
  GString *string;

  g_return_val_if_fail (QRS_IS_TOKEN_SET (self), NULL);

  token_type = qrs_loggable_text (self->token_type);
  scope = qrs_loggable_text (self->scope);

  string = g_string_new (NULL);
  g_string_append_printf (string, "token_type=%s expires_in=", token_type);
  if (self->expires_in == QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN)
    g_string_append (string, "(none)");
  else
    g_string_append_printf (string, "%" G_GINT64_FORMAT, self->expires_in);
  g_string_append_printf (string, " scope=%s", scope);
  append_redacted (string, "access_token", self->access_token);
  append_redacted (string, "id_token", self->id_token);
  append_redacted (string, "refresh_token", self->refresh_token);

  return g_string_free (string, FALSE);
}
