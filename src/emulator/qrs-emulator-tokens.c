/* qrs-emulator-tokens.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tokens out and credentials in: the JWT-like token sets a sign-in ends
 * with, the phone user's access token, and the client's credentials for
 * the ticket exchange.
 */

#include "config.h"

#include <string.h>

#include "qrs-emulator-private.h"

#define REFRESH_LENGTH   27
#define TOKEN_EXPIRES_IN 7200
#define TOKEN_SCOPE      "openid profile"

/* Tokens out */

static char *
base64url_encode (const guint8 *data,
                  gsize         length)
{
  char *text = g_base64_encode (data, length);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

/* A token that looks like a signed JWT (three base64url parts) and carries
 * the usual claims; the signature is random bytes, nothing verifies it.
 */
static char *
make_jwt (JsonObject *claims)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), claims);
  g_autofree char *payload = json_to_string (node, FALSE);
  g_autofree char *header64 = base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *payload64 = base64url_encode ((const guint8 *) payload, strlen (payload));
  g_autofree char *signature64 = NULL;
  guint8 signature[32];

  for (gsize i = 0; i < sizeof signature; i++)
    signature[i] = (guint8) g_random_int_range (0, 256);
  signature64 = base64url_encode (signature, sizeof signature);

  return g_strjoin (".", header64, payload64, signature64, NULL);
}

JsonNode *
_qrs_emulator_make_token_set (QrsEmulator           *self,
                              const QrsEmulatorCode *code)
{
  g_autoptr(JsonObject) access = json_object_new ();
  g_autoptr(JsonObject) id = json_object_new ();
  g_autofree char *issuer = g_strconcat (self->base_url != NULL ? self->base_url : "", "/oidc", NULL);
  g_autofree char *jti = _qrs_emulator_random_id (16);
  g_autofree char *photo = _qrs_emulator_code_dup_photo (self, code);
  g_autofree char *access_token = NULL;
  g_autofree char *id_token = NULL;
  g_autofree char *refresh_token = _qrs_emulator_random_id (REFRESH_LENGTH);
  g_autoptr(JsonObject) set = json_object_new ();
  gint64 iat = _qrs_emulator_now_ms (self) / 1000;

  json_object_set_string_member (access, "sub", code->user_id);
  json_object_set_string_member (access, "aud", self->app_id);
  json_object_set_string_member (access, "iss", issuer);
  json_object_set_string_member (access, "scope", TOKEN_SCOPE);
  json_object_set_int_member (access, "iat", iat);
  json_object_set_int_member (access, "exp", iat + TOKEN_EXPIRES_IN);
  json_object_set_string_member (access, "jti", jti);
  access_token = make_jwt (access);

  json_object_set_string_member (id, "sub", code->user_id);
  json_object_set_string_member (id, "aud", self->app_id);
  json_object_set_string_member (id, "iss", issuer);
  json_object_set_int_member (id, "iat", iat);
  json_object_set_int_member (id, "exp", iat + TOKEN_EXPIRES_IN);
  json_object_set_string_member (id, "name", code->display_name);
  json_object_set_string_member (id, "picture", photo);
  id_token = make_jwt (id);

  json_object_set_string_member (set, "scope", TOKEN_SCOPE);
  json_object_set_string_member (set, "access_token", access_token);
  json_object_set_string_member (set, "id_token", id_token);
  json_object_set_string_member (set, "refresh_token", refresh_token);
  json_object_set_string_member (set, "token_type", "bearer");
  json_object_set_int_member (set, "expire_in", TOKEN_EXPIRES_IN);

  return json_node_init_object (json_node_alloc (), set);
}

/* Credentials in */

/* Skips an authentication scheme name (case-insensitive) and the blanks
 * after it; %NULL when @value does not start with it.
 */
static const char *
skip_scheme (const char *value,
             const char *scheme)
{
  gsize length = strlen (scheme);

  if (g_ascii_strncasecmp (value, scheme, length) != 0 || value[length] != ' ')
    return NULL;

  value += length;
  while (*value == ' ')
    value++;

  return value;
}

/* The user token may come raw (node SDK) or as "Bearer TOKEN" (mobile SDKs). */
QrsEmulatorUser *
_qrs_emulator_request_user (QrsEmulator       *self,
                            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "authorization");
  g_autofree char *token = NULL;
  const char *rest;

  if (value == NULL)
    return NULL;

  rest = skip_scheme (value, "Bearer");
  token = g_strstrip (g_strdup (rest != NULL ? rest : value));
  if (*token == '\0')
    return NULL;

  return g_hash_table_lookup (self->users, token);
}

static gboolean
client_credentials_match (QrsEmulator *self,
                          const char  *client_id,
                          gsize        client_id_length,
                          const char  *client_secret,
                          gsize        client_secret_length)
{
  if (self->client_secret == NULL || client_id == NULL || client_secret == NULL)
    return FALSE;

  return client_id_length == strlen (self->app_id) &&
         memcmp (client_id, self->app_id, client_id_length) == 0 &&
         client_secret_length == strlen (self->client_secret) &&
         memcmp (client_secret, self->client_secret, client_secret_length) == 0;
}

/* One part of Basic credentials, form-decoded (RFC 6749 §2.3.1): "+" is a
 * space and "%XX" a byte. Returns NULL for a broken escape or a NUL.
 */
static char *
form_decode (const char *text,
             gsize       length)
{
  g_autofree char *out = g_malloc (length + 1);
  gsize n = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '\0')
        return NULL;
      else if (text[i] == '+')
        out[n++] = ' ';
      else if (text[i] != '%')
        out[n++] = text[i];
      else if (i + 2 < length && g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]) &&
               (g_ascii_xdigit_value (text[i + 1]) | g_ascii_xdigit_value (text[i + 2])) != 0)
        {
          out[n++] = (char) (g_ascii_xdigit_value (text[i + 1]) << 4 | g_ascii_xdigit_value (text[i + 2]));
          i += 2;
        }
      else
        return NULL;
    }
  out[n] = '\0';

  return g_steal_pointer (&out);
}

gboolean
_qrs_emulator_client_authenticated (QrsEmulator       *self,
                                    SoupServerMessage *msg,
                                    JsonObject        *body)
{
  switch (self->token_auth_method)
    {
    case QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE:
      return TRUE;

    case QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_POST:
      {
        const char *client_id, *client_secret;

        if (_qrs_emulator_get_string_member (body, "client_id", &client_id) != QRS_EMULATOR_MEMBER_OK ||
            _qrs_emulator_get_string_member (body, "client_secret", &client_secret) != QRS_EMULATOR_MEMBER_OK)
          return FALSE;

        return client_credentials_match (self, client_id, strlen (client_id),
                                         client_secret, strlen (client_secret));
      }

    case QRS_EMULATOR_TOKEN_AUTH_METHOD_CLIENT_SECRET_BASIC:
      {
        SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
        const char *value = soup_message_headers_get_one (headers, "authorization");
        g_autofree guchar *decoded = NULL;
        g_autofree char *client_id = NULL;
        g_autofree char *client_secret = NULL;
        const char *encoded, *colon;
        gsize length = 0;
        gsize id_length;

        if (value == NULL || (encoded = skip_scheme (value, "Basic")) == NULL || *encoded == '\0')
          return FALSE;

        decoded = g_base64_decode (encoded, &length);
        colon = decoded != NULL ? memchr (decoded, ':', length) : NULL;
        if (colon == NULL)
          return FALSE;

        id_length = (gsize) (colon - (const char *) decoded);
        client_id = form_decode ((const char *) decoded, id_length);
        client_secret = form_decode (colon + 1, length - id_length - 1);
        if (client_id == NULL || client_secret == NULL)
          return FALSE;

        return client_credentials_match (self, client_id, strlen (client_id),
                                         client_secret, strlen (client_secret));
      }

    default:
      g_assert_not_reached ();
    }
}
