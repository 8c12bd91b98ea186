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
#include "qrs-provider.h"
#include "qrs-secret-private.h"

/* GenAuth V3 on the wire: answer bytes in, a typed result or a
 * QRS_PROVIDER_ERROR out, and request bodies out. Nothing here does I/O or
 * keeps state, so every path can be tested and fuzzed with plain bytes.
 *
 * The answers come from the network, so nothing in them is trusted: the
 * text is checked against RFC 8259 before json-glib sees it (json-glib 1.6
 * has no strict mode and accepts comments, single quotes, trailing values
 * and raw control characters), every member is looked up and type-checked
 * before it is read (json-glib's getters emit criticals on a missing or
 * mistyped member), and every string has a length limit.
 */

/* Deeper than any answer of the API; a bound keeps the checker's recursion
 * and json-glib's small.
 */
#define MAX_DEPTH 32

#define MAX_ID_LENGTH       256
#define MAX_STATUS_LENGTH   64
#define MAX_NAME_LENGTH     1024
#define MAX_URL_LENGTH      8192
#define MAX_TOKEN_LENGTH    (64 * 1024)
#define MAX_TYPE_LENGTH     64
#define MAX_SCOPE_LENGTH    4096

/* How much of the server's own text makes it into an error. */
#define MAX_SHOWN_MESSAGE    300
#define MAX_SHOWN_REQUEST_ID 128
#define MAX_SHOWN_STATUS     40

typedef enum {
  MEMBER_MISSING,
  MEMBER_EMPTY,
  MEMBER_NOT_STRING,
  MEMBER_NOT_INTEGER,
  MEMBER_NOT_OBJECT,
  MEMBER_NOT_TEXT,
  MEMBER_TOO_LONG,
  MEMBER_OUT_OF_RANGE,
} MemberProblem;

static void
set_protocol_error (GError     **error,
                    const char  *format,
                    ...) G_GNUC_PRINTF (2, 3);

static void
set_protocol_error (GError     **error,
                    const char  *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL, message);
}

/* Always returns FALSE, so readers can `return member_error (…)`. */
static gboolean
member_error (GError        **error,
              const char     *parent,
              const char     *name,
              MemberProblem   problem)
{
  g_autofree char *path = NULL;

  path = parent != NULL ? g_strdup_printf ("%s.%s", parent, name) : g_strdup (name);

  switch (problem)
    {
    case MEMBER_MISSING:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is missing"), path);
      break;

    case MEMBER_EMPTY:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is empty"), path);
      break;

    case MEMBER_NOT_STRING:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is not a string"), path);
      break;

    case MEMBER_NOT_INTEGER:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is not a whole number"), path);
      break;

    case MEMBER_NOT_OBJECT:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is not an object"), path);
      break;

    case MEMBER_NOT_TEXT:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is not valid text"), path);
      break;

    case MEMBER_TOO_LONG:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is too long"), path);
      break;

    case MEMBER_OUT_OF_RANGE:
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” is out of range"), path);
      break;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* Server text goes into messages and onto the screen: one line, no control
 * or direction-override characters, and not too long.
 */
static char *
sanitize_text (const char *text,
               glong       max_chars)
{
  GString *string = g_string_new (NULL);
  const char *p;
  glong n = 0;

  g_assert (g_utf8_validate (text, -1, NULL));

  for (p = text; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 ||
          (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
        g_string_append_c (string, ' ');
      else
        g_string_append_unichar (string, c);
    }

  if (*p != '\0')
    g_string_append (string, "…");

  return g_string_free (string, FALSE);
}

/* ---- RFC 8259 checker ------------------------------------------------- */

typedef struct
{
  const guint8 *start;
  const guint8 *p;
  const guint8 *end;
  guint depth;
  gboolean too_deep;
} Scanner;

static gboolean scan_value (Scanner *s);

static void
skip_space (Scanner *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_hex4 (Scanner *s,
           guint   *unit)
{
  guint value = 0;

  if (s->end - s->p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (guint) digit;
    }

  s->p += 4;
  *unit = value;

  return TRUE;
}

/* Besides the grammar, refuses \u0000 (json-glib would cut the string
 * there) and unpaired surrogates (json-glib would make invalid UTF-8). On
 * failure s->p points at the offending byte, or at the start of the bad
 * escape.
 */
static gboolean
scan_string (Scanner *s)
{
  g_assert (s->p < s->end && *s->p == '"');

  s->p++;
  while (s->p < s->end)
    {
      const guint8 *escape;
      guint unit;
      guint low;

      if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p < 0x20)
        return FALSE;
      if (*s->p != '\\')
        {
          s->p++;
          continue;
        }

      escape = s->p++;
      if (s->p >= s->end)
        return FALSE;

      switch (*s->p++)
        {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          break;

        case 'u':
          if (!scan_hex4 (s, &unit) || unit == 0 || (unit >= 0xdc00 && unit <= 0xdfff))
            goto bad_escape;
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                goto bad_escape;
              s->p += 2;
              if (!scan_hex4 (s, &low) || low < 0xdc00 || low > 0xdfff)
                goto bad_escape;
            }
          break;

        default:
          goto bad_escape;
        }
      continue;

    bad_escape:
      s->p = escape;
      return FALSE;
    }

  return FALSE;
}

static gboolean
scan_digits (Scanner *s)
{
  const guint8 *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;

  return s->p > first;
}

static gboolean
scan_number (Scanner *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;

  if (s->p >= s->end)
    return FALSE;

  /* No leading zeros: "0" or a digit 1–9 and more digits. */
  if (*s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;

  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return FALSE;

  s->p += length;

  return TRUE;
}

static gboolean
scan_object (Scanner *s)
{
  g_assert (*s->p == '{');

  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      if (s->p >= s->end || *s->p != '"' || !scan_string (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;
      skip_space (s);
      if (!scan_value (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
      skip_space (s);
    }
}

static gboolean
scan_array (Scanner *s)
{
  g_assert (*s->p == '[');

  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      if (!scan_value (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
      skip_space (s);
    }
}

static gboolean
scan_value (Scanner *s)
{
  gboolean ok;

  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
    case '[':
      if (++s->depth > MAX_DEPTH)
        {
          s->too_deep = TRUE;
          return FALSE;
        }
      ok = *s->p == '{' ? scan_object (s) : scan_array (s);
      s->depth--;
      return ok;

    case '"':
      return scan_string (s);

    case 't':
      return scan_literal (s, "true");

    case 'f':
      return scan_literal (s, "false");

    case 'n':
      return scan_literal (s, "null");

    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return FALSE;
    }
}

/* Checks that @body is exactly one JSON value, optionally after a BOM and
 * between whitespace. @body is valid UTF-8 without NUL bytes.
 */
static gboolean
check_json_text (const guint8  *body,
                 gsize          length,
                 GError       **error)
{
  Scanner s = { body, body, body + length, 0, FALSE };

  if (length >= 3 && memcmp (body, "\xef\xbb\xbf", 3) == 0)
    s.p += 3;

  skip_space (&s);
  if (s.p == s.end)
    {
      set_protocol_error (error, _("The server's answer is empty"));
      return FALSE;
    }

  if (!scan_value (&s))
    {
      if (s.too_deep)
        set_protocol_error (error, _("The server's answer is nested too deeply"));
      else
        set_protocol_error (error, _("The server's answer is not valid JSON (at byte %zu)"),
                            (gsize) (s.p - s.start));
      return FALSE;
    }

  skip_space (&s);
  if (s.p != s.end)
    {
      set_protocol_error (error, _("The server's answer has extra data after the JSON value (at byte %zu)"),
                          (gsize) (s.p - s.start));
      return FALSE;
    }

  return TRUE;
}

/* ---- Documents and typed members -------------------------------------- */

/* The answer's JSON tree. Its strings may hold tokens and tickets, so it is
 * wiped before json-glib frees it.
 */
typedef struct
{
  JsonParser *parser;
  JsonObject *root;
} Document;

static void wipe_strings (JsonNode *node);

static void
wipe_member (JsonObject  *object,
             const char  *name,
             JsonNode    *node,
             gpointer     user_data)
{
  wipe_strings (node);
}

static void
wipe_element (JsonArray *array,
              guint      index,
              JsonNode  *node,
              gpointer   user_data)
{
  wipe_strings (node);
}

/* json-glib hands out its strings as const, but they are its own heap
 * copies, about to be freed: overwriting them is the only way to keep a
 * token from lingering in freed memory.
 */
static void
wipe_strings (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      json_object_foreach_member (json_node_get_object (node), wipe_member, NULL);
      break;

    case JSON_NODE_ARRAY:
      json_array_foreach_element (json_node_get_array (node), wipe_element, NULL);
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          char *text = (char *) json_node_get_string (node);

          if (text != NULL)
            qrs_secret_wipe (text, strlen (text));
        }
      break;

    case JSON_NODE_NULL:
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
document_clear (Document *document)
{
  JsonNode *root;

  if (document->parser == NULL)
    return;

  root = json_parser_get_root (document->parser);
  if (root != NULL)
    wipe_strings (root);

  g_clear_object (&document->parser);
  document->root = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Document, document_clear)

/* Parses @body into @document, which must be an object. */
static gboolean
document_load (Document      *document,
               const guint8  *body,
               gsize          length,
               gboolean       truncated,
               GError       **error)
{
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;

  g_assert (document->parser == NULL);

  if (truncated || length > QRS_GENAUTH_WIRE_MAX_BODY)
    {
      set_protocol_error (error, _("The server's answer is too large (more than 1 MiB)"));
      return FALSE;
    }

  if (length == 0)
    {
      set_protocol_error (error, _("The server's answer is empty"));
      return FALSE;
    }

  g_assert (body != NULL);

  /* Also refuses NUL bytes, which would cut the text short. */
  if (!g_utf8_validate_len ((const char *) body, length, NULL))
    {
      set_protocol_error (error, _("The server's answer is not valid UTF-8 text"));
      return FALSE;
    }

  if (!check_json_text (body, length, error))
    return FALSE;

  document->parser = json_parser_new ();
  if (!json_parser_load_from_data (document->parser, (const char *) body, (gssize) length, &json_error))
    {
      set_protocol_error (error, _("The server's answer is not valid JSON: %s"), json_error->message);
      return FALSE;
    }

  root = json_parser_get_root (document->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_protocol_error (error, _("The server's answer is not a JSON object"));
      return FALSE;
    }

  document->root = json_node_get_object (root);

  return TRUE;
}

/* The member @name, or NULL if it is absent or null: the API leaves members
 * out and sends them as null interchangeably.
 */
static JsonNode *
lookup (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/* Reads a string member into @value (borrowed from the tree). An optional
 * member that is absent or empty leaves @value NULL.
 */
static gboolean
read_string (JsonObject  *object,
             const char  *parent,
             const char  *name,
             gboolean     required,
             gsize        max_length,
             const char **value,
             GError     **error)
{
  JsonNode *node = lookup (object, name);
  const char *text;

  *value = NULL;

  if (node == NULL)
    return !required || member_error (error, parent, name, MEMBER_MISSING);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return member_error (error, parent, name, MEMBER_NOT_STRING);

  text = json_node_get_string (node);
  g_assert (text != NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return member_error (error, parent, name, MEMBER_NOT_TEXT);

  if (strlen (text) > max_length)
    return member_error (error, parent, name, MEMBER_TOO_LONG);

  if (*text == '\0')
    return !required || member_error (error, parent, name, MEMBER_EMPTY);

  *value = text;

  return TRUE;
}

static gboolean
read_integer (JsonObject  *object,
              const char  *parent,
              const char  *name,
              gint64       min,
              gint64       max,
              gint64      *value,
              GError     **error)
{
  JsonNode *node = lookup (object, name);

  if (node == NULL)
    return member_error (error, parent, name, MEMBER_MISSING);

  /* json-glib turns 1.0 and 1e3 into doubles; those are not whole numbers
   * on this API, and json_node_get_int() would silently truncate them.
   */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return member_error (error, parent, name, MEMBER_NOT_INTEGER);

  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    return member_error (error, parent, name, MEMBER_OUT_OF_RANGE);

  return TRUE;
}

static gboolean
read_object (JsonObject  *object,
             const char  *parent,
             const char  *name,
             gboolean     required,
             JsonObject **value,
             GError     **error)
{
  JsonNode *node = lookup (object, name);

  *value = NULL;

  if (node == NULL)
    return !required || member_error (error, parent, name, MEMBER_MISSING);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return member_error (error, parent, name, MEMBER_NOT_OBJECT);

  *value = json_node_get_object (node);

  return TRUE;
}

/* @text as an absolute http(s) address in GUri's normal form (escaped,
 * host lower-cased), or NULL if it is not one. An address that is not
 * http(s) is dropped rather than failing the answer: the caller falls back
 * (to the local QR code, to initials instead of a photo).
 */
static char *
normalize_web_address (const char *text,
                       const char *what)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text == NULL)
    return NULL;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    {
      scheme = g_uri_get_scheme (uri);
      host = g_uri_get_host (uri);

      if ((g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0) &&
          host != NULL && *host != '\0')
        return g_uri_to_string (uri);
    }

  g_debug ("Ignoring the %s: it is not an http(s) address", what);

  return NULL;
}

/* ---- Envelope --------------------------------------------------------- */

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
  JsonNode *node = lookup (root, name);
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL) || *text == '\0')
    return NULL;

  return sanitize_text (text, max_chars);
}

static gint64
read_fault_integer (JsonObject *root,
                    const char *name)
{
  JsonNode *node = lookup (root, name);

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
  g_auto(Document) document = { NULL, NULL };
  g_auto(Fault) fault = { 0, 0, NULL, NULL };
  GError *error;

  if (reply->http_status == 429)
    error = g_error_new_literal (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_RATE_LIMITED,
                                 _("The sign-in server is receiving too many requests and asks us to wait"));
  else
    error = g_error_new (QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_HTTP,
                         _("The sign-in server answered with an error (HTTP %u %s)"),
                         reply->http_status, soup_status_get_phrase (reply->http_status));

  /* Some gateways put a V3 envelope in their error pages; keep what it
   * says, but an HTML page is fine too.
   */
  if (document_load (&document, reply->body, reply->body_length, reply->body_truncated, NULL))
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
               Document               *document,
               GError                **error)
{
  gint64 status_code;

  if (reply->http_status == 429 || !SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    {
      g_propagate_error (error, new_http_error (reply));
      return FALSE;
    }

  if (!document_load (document, reply->body, reply->body_length, reply->body_truncated, error))
    return FALSE;

  if (!read_integer (document->root, NULL, "statusCode", G_MININT64, G_MAXINT64, &status_code, error))
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
  g_assert (error != NULL && error->domain == QRS_PROVIDER_ERROR);

  qrs_provider_error_set_http_status (error, reply->http_status);
  if (reply->retry_after != NULL)
    qrs_provider_error_set_retry_after (error,
                                        qrs_genauth_wire_parse_retry_after (reply->retry_after,
                                                                            reply->received_at));
}

/* ---- Answers ---------------------------------------------------------- */

static QrsCode *
parse_code (const QrsGenauthReply  *reply,
            const char             *userpool_id,
            GDateTime              *created_at,
            guint                   lifetime,
            GError                **error)
{
  g_auto(Document) document = { NULL, NULL };
  g_autofree char *qr_content = NULL;
  g_autofree char *image_url = NULL;
  JsonObject *data;
  const char *id;
  const char *url;

  if (!load_envelope (reply, &document, error) ||
      !read_object (document.root, NULL, "data", TRUE, &data, error) ||
      !read_string (data, "data", "qrcodeId", TRUE, MAX_ID_LENGTH, &id, error) ||
      !read_string (data, "data", "url", TRUE, MAX_URL_LENGTH, &url, error))
    return NULL;

  qr_content = qrs_genauth_wire_build_qr_content (id, userpool_id, created_at, lifetime);
  image_url = normalize_web_address (url, "QR code image address");

  return qrs_code_new (id, qr_content, image_url, created_at, lifetime);
}

static QrsTokenSet *
parse_token_object (JsonObject  *object,
                    const char  *parent,
                    GError     **error)
{
  const char *access_token;
  const char *id_token;
  const char *refresh_token;
  const char *token_type;
  const char *scope;
  const char *expires_name;
  gint64 expires_in;

  /* The V3 DTOs say expire_in, OIDC says expires_in; the documented name
   * wins when both are there.
   */
  if (lookup (object, "expire_in") != NULL || lookup (object, "expires_in") == NULL)
    expires_name = "expire_in";
  else
    expires_name = "expires_in";

  if (!read_string (object, parent, "token_type", TRUE, MAX_TYPE_LENGTH, &token_type, error) ||
      !read_integer (object, parent, expires_name, 0, G_MAXINT32, &expires_in, error) ||
      !read_string (object, parent, "access_token", FALSE, MAX_TOKEN_LENGTH, &access_token, error) ||
      !read_string (object, parent, "id_token", FALSE, MAX_TOKEN_LENGTH, &id_token, error) ||
      !read_string (object, parent, "refresh_token", FALSE, MAX_TOKEN_LENGTH, &refresh_token, error) ||
      !read_string (object, parent, "scope", FALSE, MAX_SCOPE_LENGTH, &scope, error))
    return NULL;

  if (access_token == NULL && id_token == NULL)
    {
      set_protocol_error (error, _("The server's answer could not be understood: the member “%s” holds neither an access token nor an ID token"),
                          parent);
      return NULL;
    }

  return qrs_token_set_new (access_token, id_token, refresh_token, token_type, expires_in, scope);
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
  g_auto(Document) document = { NULL, NULL };
  g_autoptr(QrsTokenSet) token_set = NULL;
  g_autofree char *user_path = NULL;
  g_autofree char *token_path = NULL;
  g_autofree char *photo_url = NULL;
  JsonObject *source;
  JsonObject *user = NULL;
  JsonObject *tokens = NULL;
  const char *parent;
  const char *status_text;
  const char *display_name = NULL;
  const char *photo = NULL;
  const char *ticket = NULL;
  QrsStatus status;

  if (!load_envelope (reply, &document, error) ||
      !read_object (document.root, NULL, "data", FALSE, &source, error))
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

  if (!read_string (source, parent, "status", TRUE, MAX_STATUS_LENGTH, &status_text, error))
    return NULL;

  if (!status_from_string (status_text, &status))
    {
      g_autofree char *shown = sanitize_text (status_text, MAX_SHOWN_STATUS);

      set_protocol_error (error, _("The server's answer could not be understood: the status “%s” is unknown"), shown);
      return NULL;
    }

  user_path = parent != NULL ? g_strdup_printf ("%s.briefUserInfo", parent) : g_strdup ("briefUserInfo");
  if (!read_object (source, parent, "briefUserInfo", FALSE, &user, error))
    return NULL;
  if (user != NULL &&
      (!read_string (user, user_path, "displayName", FALSE, MAX_NAME_LENGTH, &display_name, error) ||
       !read_string (user, user_path, "photo", FALSE, MAX_URL_LENGTH, &photo, error)))
    return NULL;

  /* The ticket and the tokens matter only once the person has agreed; the
   * documentation's own example pairs PENDING with a token set.
   */
  if (status == QRS_STATUS_AUTHORIZED)
    {
      token_path = parent != NULL ? g_strdup_printf ("%s.tokenSet", parent) : g_strdup ("tokenSet");

      /* A ticket, unless the tokens came right away. */
      if (!read_object (source, parent, "tokenSet", FALSE, &tokens, error) ||
          !read_string (source, parent, "ticket", tokens == NULL, MAX_TOKEN_LENGTH, &ticket, error))
        return NULL;

      if (tokens != NULL)
        {
          token_set = parse_token_object (tokens, token_path, error);
          if (token_set == NULL)
            return NULL;
        }
    }

  photo_url = normalize_web_address (photo, "photo address");

  return qrs_status_report_new (status, ticket, display_name, photo_url, token_set);
}

static QrsTokenSet *
parse_token_set (const QrsGenauthReply  *reply,
                 GError                **error)
{
  g_auto(Document) document = { NULL, NULL };
  JsonObject *data;

  if (!load_envelope (reply, &document, error) ||
      !read_object (document.root, NULL, "data", TRUE, &data, error))
    return NULL;

  return parse_token_object (data, "data", error);
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

/**
 * qrs_genauth_wire_parse_retry_after:
 * @value: a Retry-After header: delay-seconds or an HTTP-date (RFC 9110)
 * @now: (nullable): the time to count an HTTP-date from; %NULL for now
 *
 * Returns: seconds to wait, at most %QRS_PROVIDER_RETRY_AFTER_MAX, 0 for a
 *   date in the past, or -1 if @value is neither form
 */
gint64
qrs_genauth_wire_parse_retry_after (const char *value,
                                    GDateTime  *now)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) reference = NULL;
  GTimeSpan span;
  const char *p;

  g_return_val_if_fail (value != NULL, -1);

  text = g_strstrip (g_strdup (value));
  if (*text == '\0')
    return -1;

  for (p = text; g_ascii_isdigit (*p); p++)
    ;

  if (*p == '\0')
    {
      guint64 seconds;

      /* A number too long for 64 bits is still a number: a long wait. */
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &seconds, NULL))
        return QRS_PROVIDER_RETRY_AFTER_MAX;

      return (gint64) MIN (seconds, (guint64) QRS_PROVIDER_RETRY_AFTER_MAX);
    }

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;

  reference = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  span = g_date_time_difference (date, reference);
  if (span <= 0)
    return 0;

  /* HTTP-dates have whole seconds; round up so we never come back early. */
  return MIN ((span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, QRS_PROVIDER_RETRY_AFTER_MAX);
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
  wipe_strings (root);

  return g_bytes_new_with_free_func (text, length, (GDestroyNotify) qrs_secret_free, text);
}
