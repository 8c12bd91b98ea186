/* qrs-genauth-wire.c
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

#include "qrs-genauth-wire.h"
#include "qrs-json-reader.h"
#include "qrs-provider.h"
#include "qrs-secret-private.h"

/* GenAuth V3 on the wire: answer bytes in, a typed result or a
 * QRS_PROVIDER_ERROR out, and request bodies out. Nothing here does I/O or
 * keeps state, so every path can be tested and fuzzed with plain bytes.
 *
 * The answers come from the network, so nothing in them is trusted: they
 * are read with qrs-json-reader.h, which checks the text against RFC 8259
 * before json-glib sees it and type-checks every member before it is read,
 * and every string has a length limit.
 */

#define MAX_ID_LENGTH       256
#define MAX_STATUS_LENGTH   64
#define MAX_URL_LENGTH      8192

/* A longer display name is shortened to this many characters and "…". */
#define MAX_NAME_CHARS       256

/* How much of the server's own text makes it into an error. */
#define MAX_SHOWN_MESSAGE    300
#define MAX_SHOWN_REQUEST_ID 128
#define MAX_SHOWN_STATUS     40

/* ---- Envelope --------------------------------------------------------- */

/* Parses the answer's body into @document, which must be an object. */
static gboolean
load_document (QrsJsonDocument        *document,
               const QrsGenauthReply  *reply,
               GError                **error)
{
  if (reply->body_truncated || reply->body_length > QRS_GENAUTH_WIRE_MAX_BODY)
    {
      qrs_json_set_error (error, _("The server's answer is too large (more than 1 MiB)"));
      return FALSE;
    }

  return qrs_json_document_load (document, reply->body, reply->body_length, error);
}

/* What a failure envelope says about itself. */
typedef struct
{
  gint64 status_code;
  gint64 api_code;
  char *message;
  char *request_id;
} Fault;

static void
fault_clear (Fault *fault)
{
  g_clear_pointer (&fault->message, g_free);
  g_clear_pointer (&fault->request_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fault, fault_clear)

static char *
read_fault_text (JsonObject *root,
                 const char *name,
                 glong       max_chars)
{
  JsonNode *node = qrs_json_lookup (root, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL) || *text == '\0')
    return NULL;

  return qrs_json_sanitize_text (text, max_chars);
}

static gint64
read_fault_integer (JsonObject *root,
                    const char *name)
{
  JsonNode *node = qrs_json_lookup (root, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;

  return json_node_get_int (node);
}

/* Best effort: members of the wrong type are skipped, since they only
 * decorate an error.
 */
static void
read_fault (JsonObject *root,
            Fault      *fault)
{
  fault->status_code = read_fault_integer (root, "statusCode");
  fault->api_code = read_fault_integer (root, "apiCode");
  fault->message = read_fault_text (root, "message", MAX_SHOWN_MESSAGE);
  fault->request_id = read_fault_text (root, "requestId", MAX_SHOWN_REQUEST_ID);
}

static void
set_fault (GError      *error,
           const Fault *fault)
{
  qrs_provider_error_set_server_fault (error, fault->status_code, fault->api_code,
                                       fault->message, fault->request_id);
}

static GError *
new_http_error (const QrsGenauthReply *reply)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  g_auto(Fault) fault = { 0, 0, NULL, NULL };
  GError *error;

  error = qrs_provider_error_new_for_http (reply->http_status);

  /* Some gateways put a V3 envelope in their error pages; keep what it
   * says, but an HTML page is fine too.
   */
  if (load_document (&document, reply, NULL))
    {
      read_fault (document.root, &fault);
      set_fault (error, &fault);
    }

  return error;
}

static GError *
new_server_error (JsonObject *root)
{
  g_auto(Fault) fault = { 0, 0, NULL, NULL };
  GError *error;

  read_fault (root, &fault);

  if (fault.status_code == 429)
    {
      error = g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED,
                                   _("The sign-in server is receiving too many requests and asks us to wait"));
    }
  else if (fault.message != NULL)
    {
      /* The server's words are usually the best explanation there is. */
      error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER,
                           _("The sign-in server refused the request: %s"), fault.message);
    }
  else
    {
      g_autofree char *code = g_strdup_printf ("%" G_GINT64_FORMAT, fault.status_code);

      error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_SERVER,
                           _("The sign-in server refused the request (status %s)"), code);
    }

  set_fault (error, &fault);

  return error;
}

/* Loads the answer and checks its envelope: an HTTP success, a JSON object,
 * and `statusCode` 200. Anything else is an error carrying what the server
 * said.
 */
static gboolean
load_envelope (const QrsGenauthReply  *reply,
               QrsJsonDocument        *document,
               GError                **error)
{
  gint64 status_code;

  if (reply->http_status == 429 || !SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    {
      g_propagate_error (error, new_http_error (reply));
      return FALSE;
    }

  if (!load_document (document, reply, error))
    return FALSE;

  if (!qrs_json_read_integer (document->root, NULL, "statusCode", G_MININT64, G_MAXINT64, &status_code, error))
    return FALSE;

  if (status_code != 200)
    {
      g_propagate_error (error, new_server_error (document->root));
      return FALSE;
    }

  return TRUE;
}

/* Every error leaves with the HTTP status and any Retry-After attached. */
static void
finish_error (const QrsGenauthReply *reply,
              GError                *error)
{
  qrs_provider_error_set_reply (error, reply->http_status, reply->retry_after, reply->received_at);
}

/* ---- Answers ---------------------------------------------------------- */

static QrsCode *
parse_code (const QrsGenauthReply  *reply,
            const char             *userpool_id,
            GDateTime              *created_at,
            guint                   lifetime,
            GError                **error)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  g_autofree char *qr_content = NULL;
  g_autofree char *image_url = NULL;
  JsonObject *data;
  const char *id;
  const char *url;

  if (!load_envelope (reply, &document, error) ||
      !qrs_json_read_object (document.root, NULL, "data", TRUE, &data, error) ||
      !qrs_json_read_string (data, "data", "qrcodeId", TRUE, MAX_ID_LENGTH, &id, error) ||
      !qrs_json_read_string (data, "data", "url", TRUE, MAX_URL_LENGTH, &url, error))
    return NULL;

  qr_content = qrs_genauth_wire_build_qr_content (id, userpool_id, created_at, lifetime);
  image_url = qrs_json_web_address (url, "QR code image address");

  return qrs_code_new (id, qr_content, image_url, created_at, lifetime);
}

static gboolean
status_from_string (const char *text,
                    QrsStatus  *status)
{
  static const struct
  {
    const char *name;
    QrsStatus status;
  } statuses[] = {
    { "PENDING", QRS_STATUS_PENDING },
    { "SCANNED", QRS_STATUS_SCANNED },
    { "AUTHORIZED", QRS_STATUS_AUTHORIZED },
    { "CANCELLED", QRS_STATUS_CANCELLED },
    { "EXPIRED", QRS_STATUS_EXPIRED },
    { "ERROR", QRS_STATUS_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      if (strcmp (text, statuses[i].name) == 0)
        {
          *status = statuses[i].status;
          return TRUE;
        }
    }

  return FALSE;
}

static QrsStatusReport *
parse_status (const QrsGenauthReply  *reply,
              GError                **error)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autofree char *user_path = NULL;
  g_autofree char *token_path = NULL;
  g_autofree char *photo_url = NULL;
  g_autofree char *display_name = NULL;
  JsonObject *source;
  JsonObject *user = NULL;
  JsonObject *tokens = NULL;
  const char *parent;
  const char *status_text;
  const char *photo = NULL;
  const char *ticket = NULL;
  QrsStatus status;

  if (!load_envelope (reply, &document, error) ||
      !qrs_json_read_object (document.root, NULL, "data", FALSE, &source, error))
    return NULL;

  /* Some deployments answer the older endpoint without `data`, with the
   * status at the top level.
   */
  if (source != NULL)
    {
      parent = "data";
    }
  else
    {
      source = document.root;
      parent = NULL;
    }

  if (!qrs_json_read_string (source, parent, "status", TRUE, MAX_STATUS_LENGTH, &status_text, error))
    return NULL;

  if (!status_from_string (status_text, &status))
    {
      g_autofree char *shown = qrs_json_sanitize_text (status_text, MAX_SHOWN_STATUS);

      qrs_json_set_error (error, _("The server's answer could not be understood: the status “%s” is unknown"), shown);
      return NULL;
    }

  /* Who scanned is only shown, never needed: whatever is wrong with it
   * (the documentation's own example has a description where the object
   * should be), the person is unknown and the sign-in goes on.
   */
  user = qrs_json_try_object (source, parent, "briefUserInfo");
  if (user != NULL)
    {
      user_path = qrs_json_path (parent, "briefUserInfo");
      display_name = qrs_json_try_text (user, user_path, "displayName", MAX_NAME_CHARS);
      photo = qrs_json_try_string (user, user_path, "photo", MAX_URL_LENGTH);
    }

  /* The ticket and the tokens matter only once the person has agreed; the
   * documentation's own example pairs PENDING with a token set.
   */
  if (status == QRS_STATUS_AUTHORIZED)
    {
      token_path = qrs_json_path (parent, "tokenSet");

      /* A ticket, unless the tokens came right away. */
      if (!qrs_json_read_object (source, parent, "tokenSet", FALSE, &tokens, error) ||
          !qrs_json_read_string (source, parent, "ticket", tokens == NULL, QRS_JSON_MAX_TOKEN_LENGTH, &ticket, error))
        return NULL;

      if (tokens != NULL)
        {
          token_set = qrs_json_read_token_set (tokens, token_path, error);
          if (token_set == NULL)
            return NULL;
        }
    }

  photo_url = qrs_json_web_address (photo, "photo address");

  return qrs_status_report_new (status, ticket, display_name, photo_url, token_set);
}

static QrsTokenSet *
parse_token_set (const QrsGenauthReply  *reply,
                 GError                **error)
{
  g_auto(QrsJsonDocument) document = QRS_JSON_DOCUMENT_INIT;
  JsonObject *data;

  QrsTokenSet *token_set;

  g_assert (error != NULL);

  if (!load_envelope (reply, &document, error) ||
      !qrs_json_read_object (document.root, NULL, "data", TRUE, &data, error))
    return NULL;

  /* The server said it succeeded and sent tokens that cannot be used: it
   * has spent the single-use ticket. The error says so (statusCode 200),
   * so that nobody tries the ticket again and hides this behind "ticket
   * invalid".
   */
  token_set = qrs_json_read_token_set (data, "data", error);
  if (token_set == NULL)
    qrs_provider_error_set_server_fault (*error, 200, 0, NULL, NULL);

  return token_set;
}

/**
 * qrs_genauth_wire_parse_code:
 * @reply: the answer to `POST /api/v3/gene-qrcode`
 * @userpool_id: (nullable): the user pool, for the local QR content
 * @created_at: when the request was sent
 * @lifetime: seconds the code is valid
 * @error: return location for a %QRS_PROVIDER_ERROR
 *
 * Returns: (transfer full) (nullable): the code, or %NULL with @error set
 */
QrsCode *
qrs_genauth_wire_parse_code (const QrsGenauthReply  *reply,
                             const char             *userpool_id,
                             GDateTime              *created_at,
                             guint                   lifetime,
                             GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  QrsCode *code;

  g_return_val_if_fail (reply != NULL, NULL);
  g_return_val_if_fail (reply->body != NULL || reply->body_length == 0, NULL);
  g_return_val_if_fail (created_at != NULL, NULL);
  g_return_val_if_fail (lifetime > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  code = parse_code (reply, userpool_id, created_at, lifetime, &local_error);
  if (code == NULL)
    {
      finish_error (reply, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return code;
}

/**
 * qrs_genauth_wire_parse_status:
 * @reply: the answer to `GET /api/v3/check-qrcode-status`
 * @error: return location for a %QRS_PROVIDER_ERROR
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with @error set
 */
QrsStatusReport *
qrs_genauth_wire_parse_status (const QrsGenauthReply  *reply,
                               GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  QrsStatusReport *report;

  g_return_val_if_fail (reply != NULL, NULL);
  g_return_val_if_fail (reply->body != NULL || reply->body_length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report = parse_status (reply, &local_error);
  if (report == NULL)
    {
      finish_error (reply, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return report;
}

/**
 * qrs_genauth_wire_parse_token_set:
 * @reply: the answer to `POST /api/v3/exchange-tokenset-with-qrcode-ticket`
 * @error: return location for a %QRS_PROVIDER_ERROR
 *
 * Returns: (transfer full) (nullable): the tokens, or %NULL with @error set
 */
QrsTokenSet *
qrs_genauth_wire_parse_token_set (const QrsGenauthReply  *reply,
                                  GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  QrsTokenSet *token_set;

  g_return_val_if_fail (reply != NULL, NULL);
  g_return_val_if_fail (reply->body != NULL || reply->body_length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  token_set = parse_token_set (reply, &local_error);
  if (token_set == NULL)
    {
      finish_error (reply, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }

  return token_set;
}

/* ---- Requests --------------------------------------------------------- */

/* ISO 8601 in UTC with milliseconds, like JavaScript's toISOString(), which
 * is what the documented payloads show: 2019-12-27T11:53:41.260Z.
 */
static char *
format_timestamp (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

/**
 * qrs_genauth_wire_build_qr_content:
 * @qrcode_id: the code's id
 * @userpool_id: (nullable): the user pool, left out if %NULL or empty
 * @created_at: when the code was made
 * @lifetime: seconds it is valid
 *
 * GenAuth does not document what V3 codes encode; this is the superset of
 * the documented V1/V2 payloads, so any of the phone-side parsers finds its
 * keys: `{"scene":"APP_AUTH","random":ID,"qrcodeId":ID,"userPoolId":POOL,
 * "createdAt":ISO,"expireAt":ISO}`, in that order.
 *
 * Returns: (transfer full): the JSON text to put in the QR code
 */
char *
qrs_genauth_wire_build_qr_content (const char *qrcode_id,
                                   const char *userpool_id,
                                   GDateTime  *created_at,
                                   guint       lifetime)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *created_text = NULL;
  g_autofree char *expires_text = NULL;

  g_return_val_if_fail (qrcode_id != NULL, NULL);
  g_return_val_if_fail (created_at != NULL, NULL);

  expires_at = g_date_time_add_seconds (created_at, lifetime);
  created_text = format_timestamp (created_at);
  expires_text = format_timestamp (expires_at);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scene");
  json_builder_add_string_value (builder, "APP_AUTH");
  json_builder_set_member_name (builder, "random");
  json_builder_add_string_value (builder, qrcode_id);
  json_builder_set_member_name (builder, "qrcodeId");
  json_builder_add_string_value (builder, qrcode_id);
  if (userpool_id != NULL && *userpool_id != '\0')
    {
      json_builder_set_member_name (builder, "userPoolId");
      json_builder_add_string_value (builder, userpool_id);
    }
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_string_value (builder, created_text);
  json_builder_set_member_name (builder, "expireAt");
  json_builder_add_string_value (builder, expires_text);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/**
 * qrs_genauth_wire_build_code_request:
 *
 * Returns: (transfer full): the body of `POST /api/v3/gene-qrcode`
 */
GBytes *
qrs_genauth_wire_build_code_request (void)
{
  static const char body[] = "{\"type\":\"MOBILE_APP\"}";

  return g_bytes_new_static (body, sizeof body - 1);
}

/**
 * qrs_genauth_wire_build_exchange_request:
 * @ticket: the ticket to exchange
 * @client_id: (nullable): the app id, for client_secret_post
 * @client_secret: (nullable): the app secret, for client_secret_post
 *
 * Returns: (transfer full): the body of
 *   `POST /api/v3/exchange-tokenset-with-qrcode-ticket`; its bytes are
 *   wiped when it is freed
 */
GBytes *
qrs_genauth_wire_build_exchange_request (const char *ticket,
                                         const char *client_id,
                                         const char *client_secret)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  char *text;
  gsize length;

  g_return_val_if_fail (ticket != NULL, NULL);
  g_return_val_if_fail ((client_id == NULL) == (client_secret == NULL), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ticket");
  json_builder_add_string_value (builder, ticket);
  if (client_id != NULL)
    {
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, client_id);
      json_builder_set_member_name (builder, "client_secret");
      json_builder_add_string_value (builder, client_secret);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  qrs_json_wipe_strings (root);

  return g_bytes_new_with_free_func (text, length, (GDestroyNotify) qrs_secret_free, text);
}
