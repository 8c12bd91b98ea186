/* qrs-device-flow-wire.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "qrs-device-flow-wire.h"
#include "qrs-form.h"
#include "qrs-genauth-wire.h"
#include "qrs-json-reader.h"
#include "qrs-net.h"
#include "qrs-provider.h"
#include "qrs-secret-private.h"

/* The OAuth 2.0 Device Authorization Grant (RFC 8628) on the wire, with
 * OpenID Connect Discovery 1.0 to find its endpoints: answer bytes in, a
 * typed result or a QRS_PROVIDER_ERROR out, and request bodies out. Like
 * qrs-genauth-wire.c it does no I/O, so every path can be tested with
 * plain bytes, and it reads every answer with qrs-json-reader.h.
 *
 * The device code is the credential that turns into tokens: it rides on
 * the QrsCode as data of its own, wiped when the code goes, and never in
 * the code's id, which goes on the log (the id is the user code, which is
 * on the screen anyway).
 */

#define MAX_ENDPOINT_LENGTH     2048
#define MAX_DEVICE_CODE_LENGTH  4096
#define MAX_USER_CODE_LENGTH    128
#define MAX_ERROR_CODE_LENGTH   128
#define MAX_PICTURE_LENGTH      8192

/* Longer addresses make QR codes too dense to scan, or too large to make:
 * a verification_uri_complete past this is left out for verification_uri.
 */
#define MAX_VERIFICATION_LENGTH 1024

/* A longer display name is shortened to this many characters and "…". */
#define MAX_NAME_CHARS          256

/* How much of the server's own text makes it into an error. */
#define MAX_SHOWN_DESCRIPTION   300
#define MAX_SHOWN_ERROR_CODE    60
#define MAX_SHOWN_ADDRESS       200

#define DISCOVERY_PATH "/.well-known/openid-configuration"

/* ---- Codes ------------------------------------------------------------ */

typedef struct
{
  QrsSecret *device_code;
  guint interval;
} DeviceState;

static void
device_state_free (DeviceState *state)
{
  g_clear_pointer (&state->device_code, qrs_secret_free);
  g_free (state);
}

static GQuark
device_state_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("qrs-device-flow-state");

  return quark;
}

static DeviceState *
get_device_state (QrsCode *code)
{
  g_return_val_if_fail (QRS_IS_CODE (code), NULL);

  return g_object_get_qdata (G_OBJECT (code), device_state_quark ());
}

/**
 * qrs_device_flow_code_get_device_code:
 * @code: a code from qrs_device_flow_wire_parse_authorization()
 *
 * The device code is a secret: never log it.
 *
 * Returns: (nullable): the device code to poll with, or %NULL if @code is
 *   not from the device flow or its device code is spent
 */
const char *
qrs_device_flow_code_get_device_code (QrsCode *code)
{
  DeviceState *state = get_device_state (code);

  return state != NULL ? state->device_code : NULL;
}

/**
 * qrs_device_flow_code_forget_device_code:
 * @code: a code of the device flow
 *
 * Wipes the device code once it has given tokens: polling again with it
 * would be taken for a replay, and the server would revoke the tokens.
 */
void
qrs_device_flow_code_forget_device_code (QrsCode *code)
{
  DeviceState *state = get_device_state (code);

  if (state != NULL)
    g_clear_pointer (&state->device_code, qrs_secret_free);
}

/**
 * qrs_device_flow_code_get_interval:
 * @code: a code of the device flow
 *
 * Returns: the seconds to wait between polls of @code now: the server's
 *   interval, plus what every slow_down added; 0 if @code is not from the
 *   device flow
 */
guint
qrs_device_flow_code_get_interval (QrsCode *code)
{
  DeviceState *state = get_device_state (code);

  return state != NULL ? state->interval : 0;
}

void
qrs_device_flow_code_set_interval (QrsCode *code,
                                   guint    interval)
{
  DeviceState *state = get_device_state (code);

  g_return_if_fail (state != NULL);
  g_return_if_fail (interval > 0);

  state->interval = interval;
}

/* ---- Errors ----------------------------------------------------------- */

/* Parses the answer's body into @document, which must be an object. */
static gboolean
load_document (QrsJsonDocument    *document,
               const QrsNetReply  *reply,
               GError            **error)
{
  gsize length = 0;
  const guint8 *body = reply->body != NULL ? g_bytes_get_data (reply->body, &length) : NULL;

  if (reply->truncated || length > QRS_NET_CLIENT_MAX_BODY)
    {
      qrs_json_set_error (error, _("The server's answer is too large (more than 1 MiB)"));
      return FALSE;
    }

  return qrs_json_document_load (document, body, length, error);
}

/* Every error leaves with the HTTP status and any Retry-After attached. */
static void
finish_error (const QrsNetReply *reply,
              GError            *error)
{
  qrs_provider_error_set_reply (error, reply->http_status, reply->retry_after, reply->received_at);
}

/* What any answer that is not a success and not an OAuth error is: the
 * same words as the GenAuth provider's, so the sign-in model treats them
 * alike (a 5xx is tried again with back-off, a 429 waits).
 */
static GError *
new_http_error (const QrsNetReply *reply)
{
  return qrs_provider_error_new_for_http (reply->http_status);
}

/* Text from the server, made fit for a message: one line, bounded. */
static char *
shown_text (const char *text,
            glong       max_chars)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  return qrs_json_sanitize_text (text, max_chars);
}

/* An OAuth 2.0 error answer (RFC 6749 §5.2): a 4xx whose body is a JSON
 * object with an "error" string. A server says most things this way, on
 * the token endpoint even that nothing has happened yet.
 */
typedef struct
{
  QrsJsonDocument document;
  const char *code;
  const char *description;
} OAuthError;

static void
oauth_error_clear (OAuthError *oauth)
{
  qrs_json_document_clear (&oauth->document);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OAuthError, oauth_error_clear)

static gboolean
is_oauth_error_status (guint http_status)
{
  return http_status >= 400 && http_status < 500 && http_status != 408 && http_status != 429;
}

static gboolean
read_oauth_error (const QrsNetReply *reply,
                  OAuthError        *oauth)
{
  if (!is_oauth_error_status (reply->http_status) ||
      !load_document (&oauth->document, reply, NULL) ||
      !qrs_json_read_string (oauth->document.root, NULL, "error", TRUE, MAX_ERROR_CODE_LENGTH,
                             &oauth->code, NULL))
    return FALSE;

  /* Only ever shown, so read leniently. */
  oauth->description = qrs_json_try_string (oauth->document.root, NULL, "error_description",
                                            QRS_JSON_MAX_TOKEN_LENGTH);

  return TRUE;
}

/* The errors that no retry can mend: the client or its scope is not what
 * the server knows. They are QRS_PROVIDER_ERROR_CONFIG, which makes the
 * application exit 2 before it opens a window.
 */
static GError *
new_oauth_error (const QrsDeviceFlowContext *context,
                 const OAuthError           *oauth)
{
  g_autofree char *description = shown_text (oauth->description, MAX_SHOWN_DESCRIPTION);
  GError *error;

  if (strcmp (oauth->code, "invalid_client") == 0)
    {
      error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The OpenID provider “%s” does not accept the client id “%s” with these credentials: check the client id, the client secret and the token auth method"),
                           context->issuer, context->client_id);
    }
  else if (strcmp (oauth->code, "unauthorized_client") == 0)
    {
      error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The client “%s” may not use the device flow at the OpenID provider “%s”: allow the device authorization grant for it there"),
                           context->client_id, context->issuer);
    }
  else if (strcmp (oauth->code, "invalid_scope") == 0)
    {
      error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                           _("The OpenID provider “%s” does not grant the scope asked for: check the scope"),
                           context->issuer);
    }
  else
    {
      g_autofree char *code = shown_text (oauth->code, MAX_SHOWN_ERROR_CODE);

      error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER,
                           _("The sign-in server refused the request (%s)"), code);
    }

  qrs_provider_error_set_server_fault (error, 0, 0, description, NULL);

  return error;
}

/* Why an answer to @context's request that is not a 2xx failed. */
static GError *
new_reply_error (const QrsDeviceFlowContext *context,
                 const QrsNetReply          *reply)
{
  g_auto(OAuthError) oauth = { QRS_JSON_DOCUMENT_INIT, NULL, NULL };

  if (read_oauth_error (reply, &oauth))
    return new_oauth_error (context, &oauth);

  return new_http_error (reply);
}

/* ---- Discovery -------------------------------------------------------- */

void
qrs_device_flow_endpoints_free (QrsDeviceFlowEndpoints *endpoints)
{
  if (endpoints == NULL)
    return;

  g_free (endpoints->device_authorization_endpoint);
  g_free (endpoints->token_endpoint);
  g_free (endpoints);
}

/**
 * qrs_device_flow_wire_discovery_url:
 * @issuer: the issuer, as qrs_net_check_server_url() normalised it
 *
 * Returns: (transfer full): where the issuer's OpenID configuration is
 *   (OpenID Connect Discovery 1.0 §4)
 */
char *
qrs_device_flow_wire_discovery_url (const char *issuer)
{
  g_return_val_if_fail (issuer != NULL, NULL);

  return g_strconcat (issuer, DISCOVERY_PATH, NULL);
}

/* Issuers are compared as the same address with or without a trailing
 * slash: the configured one was normalised without, and some providers
 * name themselves with one. Anything else must match exactly (§4.3).
 */
static gboolean
issuer_matches (const char *configured,
                const char *named)
{
  gsize length = strlen (named);

  while (length > 0 && named[length - 1] == '/')
    length--;

  return strlen (configured) == length && strncmp (configured, named, length) == 0;
}

/* An endpoint is as secure as the issuer, under the picture rules: https
 * when the issuer is https, plain http only to this computer unless
 * allowed; and it has no fragment (RFC 6749 §3.1, §3.2).
 */
static gboolean
endpoint_is_acceptable (const QrsDeviceFlowContext *context,
                        const char                 *url)
{
  g_autoptr(GUri) uri = NULL;

  if (qrs_net_check_picture_url (url, context->issuer, context->allow_insecure_http) != QRS_NET_URL_OK)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && g_uri_get_fragment (uri) == NULL;
}

static QrsDeviceFlowEndpoints *
parse_discovery (const QrsDeviceFlowContext  *context,
                 const QrsNetReply           *reply,
                 GError                     **error)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  g_autoptr(QrsDeviceFlowEndpoints) endpoints = NULL;
  const char *issuer;
  const char *device_endpoint;
  const char *token_endpoint;

  if (!SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    {
      g_autofree char *url = qrs_device_flow_wire_discovery_url (context->issuer);

      /* A 4xx means the address is wrong, and trying again will not fix
       * it: a configuration error (exit 2 before any window). A busy or
       * broken server (5xx, 408, 429) may come back.
       */
      if (reply->http_status == 429)
        g_propagate_error (error, new_http_error (reply));
      else if (SOUP_STATUS_IS_CLIENT_ERROR (reply->http_status) && reply->http_status != 408)
        g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                     _("The OpenID configuration could not be read from “%s”: the server answered HTTP %u %s. Check the issuer address."),
                     url, reply->http_status, soup_status_get_phrase (reply->http_status));
      else
        g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP,
                     _("The OpenID configuration could not be read from “%s”: the server answered HTTP %u %s"),
                     url, reply->http_status, soup_status_get_phrase (reply->http_status));
      return NULL;
    }

  if (!load_document (&document, reply, error) ||
      !qrs_json_read_string (document.root, NULL, "issuer", TRUE, MAX_ENDPOINT_LENGTH, &issuer, error))
    return NULL;

  if (!issuer_matches (context->issuer, issuer))
    {
      g_autofree char *shown = qrs_json_sanitize_text (issuer, MAX_SHOWN_ADDRESS);

      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The OpenID configuration of “%s” is for another issuer, “%s”: set the issuer to the address the provider names"),
                   context->issuer, shown);
      return NULL;
    }

  if (!qrs_json_read_string (document.root, NULL, "device_authorization_endpoint", FALSE,
                             MAX_ENDPOINT_LENGTH, &device_endpoint, error))
    return NULL;

  if (device_endpoint == NULL)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The OpenID provider “%s” does not offer the device flow: its configuration names no device authorization endpoint"),
                   context->issuer);
      return NULL;
    }

  if (!qrs_json_read_string (document.root, NULL, "token_endpoint", TRUE,
                             MAX_ENDPOINT_LENGTH, &token_endpoint, error))
    return NULL;

  if (!endpoint_is_acceptable (context, device_endpoint) ||
      !endpoint_is_acceptable (context, token_endpoint))
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_CONFIG,
                   _("The OpenID provider “%s” names endpoints that are not as secure as its own address, or not valid"),
                   context->issuer);
      return NULL;
    }

  endpoints = g_new0 (QrsDeviceFlowEndpoints, 1);
  endpoints->device_authorization_endpoint = g_strdup (device_endpoint);
  endpoints->token_endpoint = g_strdup (token_endpoint);

  return g_steal_pointer (&endpoints);
}

/**
 * qrs_device_flow_wire_parse_discovery:
 * @context: the configured issuer and client
 * @reply: the answer to `GET {issuer}/.well-known/openid-configuration`
 * @error: return location for a %QRS_PROVIDER_ERROR; %QRS_PROVIDER_ERROR_CONFIG
 *   when the configuration is one the device flow cannot work with: for
 *   another issuer, without a device authorization endpoint, or with
 *   endpoints less secure than the issuer
 *
 * Returns: (transfer full) (nullable): the endpoints, or %NULL with @error set
 */
QrsDeviceFlowEndpoints *
qrs_device_flow_wire_parse_discovery (const QrsDeviceFlowContext  *context,
                                      const QrsNetReply           *reply,
                                      GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  QrsDeviceFlowEndpoints *endpoints;

  g_return_val_if_fail (context != NULL && context->issuer != NULL, NULL);
  g_return_val_if_fail (reply != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  endpoints = parse_discovery (context, reply, &local_error);
  if (endpoints == NULL)
    {
      finish_error (reply, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return endpoints;
}

/* ---- Device authorization --------------------------------------------- */

static gboolean
is_one_line (const char *text)
{
  g_autofree char *sanitized = qrs_json_sanitize_text (text, G_MAXLONG);

  return strcmp (sanitized, text) == 0;
}

/* The address the person types the user code at: verification_uri, or
 * verification_url, which Google's device flow still sends instead.
 */
static char *
read_verification_uri (JsonObject  *root,
                       GError     **error)
{
  const char *name = "verification_uri";
  const char *text;
  char *address;

  if (!qrs_json_read_string (root, NULL, name, FALSE, MAX_VERIFICATION_LENGTH, &text, error))
    return NULL;

  if (text == NULL)
    {
      name = "verification_url";
      if (!qrs_json_read_string (root, NULL, name, FALSE, MAX_VERIFICATION_LENGTH, &text, error))
        return NULL;
    }

  if (text == NULL)
    {
      /* Named for the standard member, which is the one that is missing. */
      qrs_json_read_string (root, NULL, "verification_uri", TRUE, MAX_VERIFICATION_LENGTH, &text, error);
      return NULL;
    }

  address = qrs_json_web_address (text, "verification address");
  if (address == NULL)
    qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is not a web address"),
                        name);

  return address;
}

/* Seconds the device code lives. It is required, but a number written
 * as a string is read as one, as for a token set's lifetime.
 */
static gboolean
read_lifetime (JsonObject  *root,
               guint       *lifetime,
               GError     **error)
{
  gint64 seconds;

  if (!qrs_json_try_seconds (root, NULL, "expires_in", QRS_DEVICE_FLOW_MAX_LIFETIME, &seconds) || seconds < 1)
    {
      /* Says what is wrong with it: missing, not a number, or too small. */
      if (!qrs_json_read_integer (root, NULL, "expires_in", 1, QRS_DEVICE_FLOW_MAX_LIFETIME, &seconds, error))
        return FALSE;
    }

  *lifetime = (guint) seconds;

  return TRUE;
}

static QrsCode *
parse_authorization (const QrsDeviceFlowContext  *context,
                     const QrsNetReply           *reply,
                     GError                     **error)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *verification_uri = NULL;
  g_autofree char *verification_uri_complete = NULL;
  DeviceState *state;
  const char *device_code;
  const char *user_code;
  const char *complete;
  gint64 interval;
  guint lifetime;
  QrsCode *code;

  if (!SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    {
      g_propagate_error (error, new_reply_error (context, reply));
      return NULL;
    }

  if (!load_document (&document, reply, error) ||
      !qrs_json_read_string (document.root, NULL, "device_code", TRUE, MAX_DEVICE_CODE_LENGTH, &device_code, error) ||
      !qrs_json_read_string (document.root, NULL, "user_code", TRUE, MAX_USER_CODE_LENGTH, &user_code, error))
    return NULL;

  /* It is shown, and it is the code's id on the log. */
  if (!is_one_line (user_code))
    {
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is not valid text"),
                          "user_code");
      return NULL;
    }

  verification_uri = read_verification_uri (document.root, error);
  if (verification_uri == NULL || !read_lifetime (document.root, &lifetime, error))
    return NULL;

  /* The QR shows the address with the user code in it when there is one:
   * then the person types nothing.
   */
  complete = qrs_json_try_string (document.root, NULL, "verification_uri_complete", MAX_VERIFICATION_LENGTH);
  verification_uri_complete = qrs_json_web_address (complete, "complete verification address");

  if (!qrs_json_try_seconds (document.root, NULL, "interval", QRS_DEVICE_FLOW_MAX_INTERVAL, &interval))
    interval = QRS_DEVICE_FLOW_DEFAULT_INTERVAL;
  interval = MAX (interval, 1);

  if (reply->sent_at == NULL)
    now = g_date_time_new_now_utc ();

  code = qrs_code_new_for_device (user_code,
                                  verification_uri_complete != NULL ? verification_uri_complete : verification_uri,
                                  user_code, verification_uri,
                                  reply->sent_at != NULL ? reply->sent_at : now,
                                  lifetime, (guint) interval);

  state = g_new0 (DeviceState, 1);
  state->device_code = g_strdup (device_code);
  state->interval = (guint) interval;
  g_object_set_qdata_full (G_OBJECT (code), device_state_quark (), state, (GDestroyNotify) device_state_free);

  return code;
}

/**
 * qrs_device_flow_wire_parse_authorization:
 * @context: the configured issuer and client
 * @reply: the answer to the device authorization request (RFC 8628 §3.2);
 *   its sent_at is when the code's life starts (%NULL: now)
 * @error: return location for a %QRS_PROVIDER_ERROR
 *
 * The code's id and user code are the user code; its QR content is
 * verification_uri_complete, or else verification_uri; its lifetime is
 * expires_in and its poll interval the server's interval (5 s if none).
 * The device code is kept on it for
 * qrs_device_flow_code_get_device_code().
 *
 * Returns: (transfer full) (nullable): the code, or %NULL with @error set
 */
QrsCode *
qrs_device_flow_wire_parse_authorization (const QrsDeviceFlowContext  *context,
                                          const QrsNetReply           *reply,
                                          GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  QrsCode *code;

  g_return_val_if_fail (context != NULL && context->issuer != NULL && context->client_id != NULL, NULL);
  g_return_val_if_fail (reply != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  code = parse_authorization (context, reply, &local_error);
  if (code == NULL)
    {
      finish_error (reply, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return code;
}

/* ---- Tokens ----------------------------------------------------------- */

/* The payload of a JWS in compact form (RFC 7515 §7.1), base64url-decoded
 * into @length bytes; NULL if @jwt is not one. Wipe it before freeing it.
 */
static guchar *
decode_jwt_payload (const char *jwt,
                    gsize      *length)
{
  g_autoptr(QrsSecret) text = NULL;
  const char *start;
  const char *end;
  gsize size;
  gsize padded;

  start = strchr (jwt, '.');
  if (start == NULL)
    return NULL;
  start++;
  end = strchr (start, '.');
  /* Three parts: an encrypted ID token (JWE) has five, and is not read. */
  if (end == NULL || strchr (end + 1, '.') != NULL)
    return NULL;

  /* One character past a multiple of four is no base64 at all. */
  size = (gsize) (end - start);
  if (size == 0 || size % 4 == 1)
    return NULL;

  /* Zeroed, so that it is a string to wipe even if it is left half-filled. */
  padded = (size + 3) / 4 * 4;
  text = g_malloc0 (padded + 1);
  for (gsize i = 0; i < size; i++)
    {
      char c = start[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      text[i] = c;
    }
  memset (text + size, '=', padded - size);
  text[padded] = '\0';

  return g_base64_decode (text, length);
}

/* Who signed in, for the screen only: the ID token's name (else
 * preferred_username) and picture claims.
 *
 * The token is decoded without checking its signature, its issuer or its
 * audience. That is on purpose: nothing here trusts it, the name and the
 * picture are only shown, and whoever gets the token set checks the ID
 * token before believing it. A token that cannot be read just leaves the
 * person unnamed.
 */
static void
read_person (const QrsDeviceFlowContext  *context,
             const char                  *id_token,
             char                       **display_name,
             char                       **photo_url)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  g_autofree char *picture = NULL;
  const char *names[] = { "name", "preferred_username" };
  guchar *payload;
  gsize length = 0;
  gboolean loaded;

  if (id_token == NULL)
    return;

  payload = decode_jwt_payload (id_token, &length);
  loaded = payload != NULL && qrs_json_document_load (&document, payload, length, NULL);
  if (payload != NULL)
    qrs_secret_wipe (payload, length);
  g_free (payload);

  if (!loaded)
    {
      g_debug ("The ID token cannot be read: the person stays unnamed");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names) && *display_name == NULL; i++)
    {
      g_autofree char *text = qrs_json_try_text (document.root, "id_token", names[i], MAX_NAME_CHARS);
      g_autofree char *line = text != NULL ? qrs_json_sanitize_text (text, MAX_NAME_CHARS + 1) : NULL;

      if (line != NULL && *g_strstrip (line) != '\0')
        *display_name = g_steal_pointer (&line);
    }

  picture = qrs_json_web_address (qrs_json_try_string (document.root, "id_token", "picture", MAX_PICTURE_LENGTH),
                                  "picture address");
  if (picture != NULL &&
      qrs_net_check_picture_url (picture, context->issuer, context->allow_insecure_http) != QRS_NET_URL_OK)
    {
      g_debug ("Ignoring the picture address: it is not as secure as the issuer");
      g_clear_pointer (&picture, g_free);
    }

  *photo_url = g_steal_pointer (&picture);
}

static QrsStatusReport *
parse_tokens (const QrsDeviceFlowContext  *context,
              const QrsNetReply           *reply,
              GError                     **error)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *photo_url = NULL;

  if (!load_document (&document, reply, error))
    return NULL;

  token_set = qrs_json_read_token_set (document.root, NULL, error);
  if (token_set == NULL)
    return NULL;

  read_person (context, qrs_token_set_get_id_token (token_set), &display_name, &photo_url);

  return qrs_status_report_new (QRS_STATUS_AUTHORIZED, NULL, display_name, photo_url, token_set);
}

static QrsStatusReport *
parse_token (const QrsDeviceFlowContext  *context,
             const QrsNetReply           *reply,
             guint                        interval,
             GError                     **error)
{
  g_auto(OAuthError) oauth = { QRS_JSON_DOCUMENT_INIT, NULL, NULL };
  QrsStatusReport *report;
  QrsStatus status;

  if (SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    return parse_tokens (context, reply, error);

  if (!read_oauth_error (reply, &oauth))
    {
      g_propagate_error (error, new_http_error (reply));
      return NULL;
    }

  /* RFC 8628 §3.5. */
  if (strcmp (oauth.code, "authorization_pending") == 0)
    {
      status = QRS_STATUS_PENDING;
    }
  else if (strcmp (oauth.code, "slow_down") == 0)
    {
      status = QRS_STATUS_PENDING;
      interval = MIN (interval + QRS_DEVICE_FLOW_SLOW_DOWN_STEP, QRS_DEVICE_FLOW_MAX_INTERVAL);
    }
  /* Microsoft Entra ID says authorization_declined for access_denied. */
  else if (strcmp (oauth.code, "access_denied") == 0 || strcmp (oauth.code, "authorization_declined") == 0)
    {
      status = QRS_STATUS_CANCELLED;
    }
  else if (strcmp (oauth.code, "expired_token") == 0)
    {
      status = QRS_STATUS_EXPIRED;
    }
  else
    {
      g_propagate_error (error, new_oauth_error (context, &oauth));
      return NULL;
    }

  report = qrs_status_report_new (status, NULL, NULL, NULL, NULL);
  qrs_status_report_set_poll_interval (report, interval);

  return report;
}

/**
 * qrs_device_flow_wire_parse_token:
 * @context: the configured issuer and client
 * @reply: the answer to a device access token request (RFC 8628 §3.4)
 * @interval: the seconds between polls of this code until now
 * @error: return location for a %QRS_PROVIDER_ERROR
 *
 * authorization_pending and slow_down are PENDING, with the interval to
 * keep from now on (@interval, or 5 s more after slow_down);
 * access_denied (and Entra's authorization_declined) is CANCELLED,
 * expired_token EXPIRED. Tokens are
 * AUTHORIZED, with the token set and whom the ID token names.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with @error set
 */
QrsStatusReport *
qrs_device_flow_wire_parse_token (const QrsDeviceFlowContext  *context,
                                  const QrsNetReply           *reply,
                                  guint                        interval,
                                  GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  QrsStatusReport *report;

  g_return_val_if_fail (context != NULL && context->issuer != NULL && context->client_id != NULL, NULL);
  g_return_val_if_fail (reply != NULL, NULL);
  g_return_val_if_fail (interval > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report = parse_token (context, reply, interval, &local_error);
  if (report == NULL)
    {
      finish_error (reply, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return report;
}

/* ---- Requests --------------------------------------------------------- */

/**
 * qrs_device_flow_wire_build_authorization_request:
 * @client_id: the client id
 * @scope: the scope to ask for
 * @client_secret: (nullable): the secret, for client_secret_post only
 *
 * Returns: (transfer full): the form body of the device authorization
 *   request (RFC 8628 §3.1), wiped when freed
 */
GBytes *
qrs_device_flow_wire_build_authorization_request (const char *client_id,
                                                  const char *scope,
                                                  const char *client_secret)
{
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (scope != NULL, NULL);

  return qrs_form_build ("client_id", client_id,
                         "client_secret", client_secret,
                         "scope", scope,
                         NULL);
}

/**
 * qrs_device_flow_wire_build_token_request:
 * @device_code: the device code to poll with
 * @client_id: the client id
 * @client_secret: (nullable): the secret, for client_secret_post only
 *
 * Returns: (transfer full): the form body of the device access token
 *   request (RFC 8628 §3.4), wiped when freed
 */
GBytes *
qrs_device_flow_wire_build_token_request (const char *device_code,
                                          const char *client_id,
                                          const char *client_secret)
{
  g_return_val_if_fail (device_code != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return qrs_form_build ("grant_type", QRS_DEVICE_FLOW_GRANT_TYPE,
                         "device_code", device_code,
                         "client_id", client_id,
                         "client_secret", client_secret,
                         NULL);
}
