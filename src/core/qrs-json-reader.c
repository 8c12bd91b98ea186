/* qrs-json-reader.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "qrs-json-check.h"
#include "qrs-json-reader.h"
#include "qrs-provider.h"
#include "qrs-secret-private.h"

/* Reading a sign-in server's JSON answer, for every wire parser: the bytes
 * are checked (qrs-json-check.c) before json-glib parses them, every member
 * is looked up and type-checked before it is read (json-glib's getters emit
 * criticals on a missing or mistyped member), every string has a length
 * limit, and failures are QRS_PROVIDER_ERROR_PROTOCOL errors that name the
 * member, never its value.
 *
 * Not every flaw should cost the person their sign-in, though: a parser
 * reads what it cannot do without strictly (qrs_json_read_*()) and what is
 * only descriptive leniently (qrs_json_try_*()), so that a display name of
 * the wrong type, or an expiry written as a string, does not throw away an
 * answer that is otherwise good.
 */

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

/**
 * qrs_json_set_error:
 * @error: return location for the error, or %NULL
 * @format: printf()-style format for the message
 *
 * Sets a %QRS_PROVIDER_ERROR_PROTOCOL: the answer was not what it should be.
 */
void
qrs_json_set_error (GError     **error,
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

/**
 * qrs_json_path:
 * @parent: (nullable): the path of an object, or %NULL for the root
 * @name: a member of it
 *
 * Returns: (transfer full): the path of the member, "@parent.@name", or
 *   "@name" at the root
 */
char *
qrs_json_path (const char *parent,
               const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return parent != NULL ? g_strdup_printf ("%s.%s", parent, name) : g_strdup (name);
}

/* How much of a member's path goes into a message. */
#define MAX_SHOWN_PATH 200

/* A member's path for a message or a log line: one line, bounded, even if
 * a caller names members by what the server sent.
 */
static char *
shown_path (const char *parent,
            const char *name)
{
  g_autofree char *path = qrs_json_path (parent, name);

  return qrs_json_sanitize_text (path, MAX_SHOWN_PATH);
}

/* Always returns FALSE, so readers can `return member_error (…)`. */
static gboolean
member_error (GError        **error,
              const char     *parent,
              const char     *name,
              MemberProblem   problem)
{
  g_autofree char *path = shown_path (parent, name);

  switch (problem)
    {
    case MEMBER_MISSING:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is missing"), path);
      break;

    case MEMBER_EMPTY:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is empty"), path);
      break;

    case MEMBER_NOT_STRING:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is not a string"), path);
      break;

    case MEMBER_NOT_INTEGER:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is not a whole number"), path);
      break;

    case MEMBER_NOT_OBJECT:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is not an object"), path);
      break;

    case MEMBER_NOT_TEXT:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is not valid text"), path);
      break;

    case MEMBER_TOO_LONG:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is too long"), path);
      break;

    case MEMBER_OUT_OF_RANGE:
      qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” is out of range"), path);
      break;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* Says on the log what a lenient reader did with a flawed member. Only the
 * member's path and @format's own words: the value may be a secret.
 */
static void
note_member (const char *parent,
             const char *name,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
note_member (const char *parent,
             const char *name,
             const char *format,
             ...)
{
  g_autofree char *path = shown_path (parent, name);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_message ("The server's answer has a flawed member “%s”: %s", path, what);
}

/* ---- Documents -------------------------------------------------------- */

static void
wipe_member (JsonObject  *object,
             const char  *name,
             JsonNode    *node,
             gpointer     user_data)
{
  qrs_json_wipe_strings (node);
}

static void
wipe_element (JsonArray *array,
              guint      index,
              JsonNode  *node,
              gpointer   user_data)
{
  qrs_json_wipe_strings (node);
}

/**
 * qrs_json_wipe_strings:
 * @node: a tree about to be freed
 *
 * Overwrites every string value in @node. json-glib hands out its strings
 * as const, but they are its own heap copies, about to be freed:
 * overwriting them is the only way to keep a token from lingering in freed
 * memory.
 */
void
qrs_json_wipe_strings (JsonNode *node)
{
  g_return_if_fail (node != NULL);

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

/**
 * qrs_json_document_clear:
 * @document: a document, loaded or not
 *
 * Wipes the document's strings and frees it; @document can be loaded again.
 */
void
qrs_json_document_clear (QrsJsonDocument *document)
{
  JsonNode *root;

  g_return_if_fail (document != NULL);

  if (document->parser == NULL)
    return;

  root = json_parser_get_root (document->parser);
  if (root != NULL)
    qrs_json_wipe_strings (root);

  g_clear_object (&document->parser);
  document->root = NULL;
}

/* A copy of @body with ".0" after each integer that ends at one of
 * @wide_integers, so that json-glib reads it as a double instead of
 * misreading it as a gint64. Like @body, it may hold secrets.
 */
static QrsSecret *
widen_integers (const guint8 *body,
                gsize         length,
                GArray       *wide_integers,
                gsize        *new_length)
{
  gsize size = length + 2 * wide_integers->len;
  char *copy = g_malloc (size + 1);
  gsize from = 0;
  gsize to = 0;

  for (guint i = 0; i < wide_integers->len; i++)
    {
      gsize end = g_array_index (wide_integers, gsize, i);

      g_assert (end >= from && end <= length);
      memcpy (copy + to, body + from, end - from);
      to += end - from;
      memcpy (copy + to, ".0", 2);
      to += 2;
      from = end;
    }
  memcpy (copy + to, body + from, length - from);
  to += length - from;
  g_assert (to == size);
  copy[size] = '\0';

  *new_length = size;

  return copy;
}

/**
 * qrs_json_document_load:
 * @document: a cleared document (%QRS_JSON_DOCUMENT_INIT)
 * @body: (array length=length) (nullable): the answer's body
 * @length: its length in bytes; the caller has already bounded it
 * @error: return location for a %QRS_PROVIDER_ERROR_PROTOCOL
 *
 * Parses @body, which must be strict JSON (qrs_json_check_full()) holding
 * an object, into @document. Integers too wide for a gint64 are read as
 * doubles.
 *
 * Returns: %TRUE on success; on failure @document is left for clearing
 */
gboolean
qrs_json_document_load (QrsJsonDocument  *document,
                        const guint8     *body,
                        gsize             length,
                        GError          **error)
{
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GArray) wide_integers = NULL;
  g_autoptr(QrsSecret) widened = NULL;
  const char *text = (const char *) body;
  JsonNode *root;

  g_return_val_if_fail (document != NULL && document->parser == NULL, FALSE);
  g_return_val_if_fail (body != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!qrs_json_check_full (body, length, &wide_integers, error))
    return FALSE;

  if (wide_integers->len > 0)
    {
      widened = widen_integers (body, length, wide_integers, &length);
      text = widened;
    }

  document->parser = json_parser_new ();
  if (!json_parser_load_from_data (document->parser, text, (gssize) length, &json_error))
    {
      qrs_json_set_error (error, _("The server's answer is not valid JSON: %s"), json_error->message);
      return FALSE;
    }

  root = json_parser_get_root (document->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      qrs_json_set_error (error, _("The server's answer is not a JSON object"));
      return FALSE;
    }

  document->root = json_node_get_object (root);

  return TRUE;
}

/* ---- Typed members ---------------------------------------------------- */

/**
 * qrs_json_lookup:
 * @object: an object of the answer
 * @name: a member name
 *
 * Servers leave members out and send them as null interchangeably, so both
 * read as absent.
 *
 * Returns: (transfer none) (nullable): the member, or %NULL if it is
 *   absent or null
 */
JsonNode *
qrs_json_lookup (JsonObject *object,
                 const char *name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/**
 * qrs_json_read_string:
 * @object: an object of the answer
 * @parent: (nullable): the path of @object, for errors
 * @name: the member
 * @required: whether an absent or empty member is an error
 * @max_length: the longest acceptable value, in bytes
 * @value: (out) (transfer none): the value, borrowed from the document, or
 *   %NULL when an optional member is absent or empty
 * @error: return location for a %QRS_PROVIDER_ERROR_PROTOCOL
 *
 * Returns: %TRUE on success
 */
gboolean
qrs_json_read_string (JsonObject  *object,
                      const char  *parent,
                      const char  *name,
                      gboolean     required,
                      gsize        max_length,
                      const char **value,
                      GError     **error)
{
  JsonNode *node;
  const char *text;

  g_return_val_if_fail (value != NULL, FALSE);

  *value = NULL;

  node = qrs_json_lookup (object, name);
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

/**
 * qrs_json_read_integer:
 * @object: an object of the answer
 * @parent: (nullable): the path of @object, for errors
 * @name: the member, which is required
 * @min: the smallest acceptable value
 * @max: the largest acceptable value
 * @value: (out): the value
 * @error: return location for a %QRS_PROVIDER_ERROR_PROTOCOL
 *
 * Returns: %TRUE on success
 */
gboolean
qrs_json_read_integer (JsonObject  *object,
                       const char  *parent,
                       const char  *name,
                       gint64       min,
                       gint64       max,
                       gint64      *value,
                       GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (value != NULL, FALSE);

  node = qrs_json_lookup (object, name);
  if (node == NULL)
    return member_error (error, parent, name, MEMBER_MISSING);

  /* json-glib turns 1.0 and 1e3 into doubles; those are not whole numbers
   * here, and json_node_get_int() would silently truncate them. Integers
   * past gint64 are doubles too (qrs_json_document_load()).
   */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE &&
      fabs (json_node_get_double (node)) >= 0x1p63)
    return member_error (error, parent, name, MEMBER_OUT_OF_RANGE);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return member_error (error, parent, name, MEMBER_NOT_INTEGER);

  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    return member_error (error, parent, name, MEMBER_OUT_OF_RANGE);

  return TRUE;
}

/**
 * qrs_json_read_object:
 * @object: an object of the answer
 * @parent: (nullable): the path of @object, for errors
 * @name: the member
 * @required: whether an absent member is an error
 * @value: (out) (transfer none): the object, or %NULL when an optional
 *   member is absent
 * @error: return location for a %QRS_PROVIDER_ERROR_PROTOCOL
 *
 * Returns: %TRUE on success
 */
gboolean
qrs_json_read_object (JsonObject  *object,
                      const char  *parent,
                      const char  *name,
                      gboolean     required,
                      JsonObject **value,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (value != NULL, FALSE);

  *value = NULL;

  node = qrs_json_lookup (object, name);
  if (node == NULL)
    return !required || member_error (error, parent, name, MEMBER_MISSING);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return member_error (error, parent, name, MEMBER_NOT_OBJECT);

  *value = json_node_get_object (node);

  return TRUE;
}

/* ---- Lenient readers ------------------------------------------------- */

/* The member's string, borrowed, or NULL if it is absent, null or not a
 * string (noted).
 */
static const char *
try_any_string (JsonObject *object,
                const char *parent,
                const char *name)
{
  JsonNode *node = qrs_json_lookup (object, name);
  const char *text;

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      note_member (parent, name, "not a string, left out");
      return NULL;
    }

  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL))
    {
      note_member (parent, name, "not valid text, left out");
      return NULL;
    }

  return *text != '\0' ? text : NULL;
}

/**
 * qrs_json_try_string:
 * @object: an object of the answer
 * @parent: (nullable): the path of @object, for the log
 * @name: the member
 * @max_length: the longest usable value, in bytes
 *
 * For a string that is no use cut short, such as an address.
 *
 * Returns: (transfer none) (nullable): the value, borrowed from the
 *   document, or %NULL if it is absent, empty, not a string or longer than
 *   @max_length
 */
const char *
qrs_json_try_string (JsonObject *object,
                     const char *parent,
                     const char *name,
                     gsize       max_length)
{
  const char *text = try_any_string (object, parent, name);

  if (text != NULL && strlen (text) > max_length)
    {
      note_member (parent, name, "longer than %" G_GSIZE_FORMAT " bytes, left out", max_length);
      return NULL;
    }

  return text;
}

/**
 * qrs_json_try_text:
 * @object: an object of the answer
 * @parent: (nullable): the path of @object, for the log
 * @name: the member
 * @max_chars: how many characters to keep
 *
 * For text to show, such as a name: one that is too long is shortened
 * (qrs_json_shorten_text()), not dropped.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if it is absent,
 *   empty or not a string
 */
char *
qrs_json_try_text (JsonObject *object,
                   const char *parent,
                   const char *name,
                   glong       max_chars)
{
  const char *text = try_any_string (object, parent, name);
  char *shortened;

  if (text == NULL)
    return NULL;

  shortened = qrs_json_shorten_text (text, max_chars);
  if (strcmp (shortened, text) != 0)
    note_member (parent, name, "longer than %ld characters, shortened", max_chars);

  return shortened;
}

/**
 * qrs_json_try_object:
 * @object: an object of the answer
 * @parent: (nullable): the path of @object, for the log
 * @name: the member
 *
 * Returns: (transfer none) (nullable): the object, or %NULL if the member
 *   is absent, null or not an object
 */
JsonObject *
qrs_json_try_object (JsonObject *object,
                     const char *parent,
                     const char *name)
{
  JsonNode *node = qrs_json_lookup (object, name);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      note_member (parent, name, "not an object, left out");
      return NULL;
    }

  return json_node_get_object (node);
}

/* @seconds, or @max if it is more. */
static gint64
bound_seconds (const char *parent,
               const char *name,
               guint64     seconds,
               gint64      max)
{
  if (seconds <= (guint64) max)
    return (gint64) seconds;

  note_member (parent, name, "more than %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " used", max, max);

  return max;
}

/**
 * qrs_json_try_seconds:
 * @object: an object of the answer
 * @parent: (nullable): the path of @object, for the log
 * @name: the member
 * @max: the largest value to give, at least 0
 * @value: (out): the number of seconds, from 0 to @max
 *
 * For a duration such as expires_in. What a server means is read where it
 * is plain: a whole number; a fraction, rounded down (never promising more
 * time than was given); a string of decimal digits; a value past @max,
 * clamped to @max. A negative number or anything else is left out.
 *
 * Returns: %TRUE with @value set, or %FALSE if there is no usable value
 */
gboolean
qrs_json_try_seconds (JsonObject *object,
                      const char *parent,
                      const char *name,
                      gint64      max,
                      gint64     *value)
{
  JsonNode *node;
  GType type;

  g_return_val_if_fail (max >= 0, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  node = qrs_json_lookup (object, name);
  if (node == NULL)
    return FALSE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type == G_TYPE_INT64)
    {
      gint64 number = json_node_get_int (node);

      if (number < 0)
        {
          note_member (parent, name, "negative, left out");
          return FALSE;
        }

      *value = bound_seconds (parent, name, (guint64) number, max);
      return TRUE;
    }

  /* JSON has no NaN, but a double from elsewhere might. */
  if (type == G_TYPE_DOUBLE && !isnan (json_node_get_double (node)))
    {
      double number = json_node_get_double (node);

      if (number < 0)
        {
          note_member (parent, name, "negative, left out");
          return FALSE;
        }

      /* Also catches 1e400, which json-glib reads as infinity; and keeps
       * the cast below within gint64 whatever @max is.
       */
      if (number > (double) max || number >= 0x1p63)
        {
          *value = bound_seconds (parent, name, G_MAXUINT64, max);
          return TRUE;
        }

      if (number != floor (number))
        note_member (parent, name, "not a whole number, rounded down");

      *value = (gint64) number;
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      guint64 number = G_MAXUINT64;

      if (*text == '\0' || strspn (text, "0123456789") != strlen (text))
        {
          note_member (parent, name, "not a number, left out");
          return FALSE;
        }

      /* Digits past G_MAXUINT64 are still a number: a long time. */
      g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &number, NULL);
      note_member (parent, name, "a number in a string, read as a number");
      *value = bound_seconds (parent, name, number, max);
      return TRUE;
    }

  note_member (parent, name, "not a number, left out");

  return FALSE;
}

/* ---- Token sets ------------------------------------------------------- */

#define MAX_TYPE_LENGTH  64
#define MAX_SCOPE_LENGTH 4096

/**
 * qrs_json_read_token_set:
 * @object: the object holding the tokens: the whole answer of an OAuth 2.0
 *   token endpoint, or GenAuth's `data` or `tokenSet`
 * @parent: (nullable): the path of @object, for errors and the log
 * @error: return location for a %QRS_PROVIDER_ERROR_PROTOCOL
 *
 * The tokens are what the sign-in is for, so a malformed one fails the
 * answer. What only describes them is read leniently: the ticket or device
 * code behind this answer cannot be used again, and tokens that work are
 * not thrown away over an expiry written as a string or a scope of the
 * wrong type. The same rules hold for every protocol.
 *
 * Returns: (transfer full) (nullable): the tokens, or %NULL with @error set
 */
QrsTokenSet *
qrs_json_read_token_set (JsonObject  *object,
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

  g_return_val_if_fail (object != NULL, NULL);

  if (!qrs_json_read_string (object, parent, "access_token", FALSE, QRS_JSON_MAX_TOKEN_LENGTH, &access_token, error))
    return NULL;

  /* Without an access token, the ID token is the credential. */
  if (access_token != NULL)
    id_token = qrs_json_try_string (object, parent, "id_token", QRS_JSON_MAX_TOKEN_LENGTH);
  else if (!qrs_json_read_string (object, parent, "id_token", FALSE, QRS_JSON_MAX_TOKEN_LENGTH, &id_token, error))
    return NULL;

  if (access_token == NULL && id_token == NULL)
    {
      if (parent != NULL)
        qrs_json_set_error (error, _("The server's answer could not be understood: the member “%s” holds neither an access token nor an ID token"),
                            parent);
      else
        qrs_json_set_error (error, _("The server's answer could not be understood: it holds neither an access token nor an ID token"));
      return NULL;
    }

  refresh_token = qrs_json_try_string (object, parent, "refresh_token", QRS_JSON_MAX_TOKEN_LENGTH);
  token_type = qrs_json_try_string (object, parent, "token_type", MAX_TYPE_LENGTH);
  scope = qrs_json_try_string (object, parent, "scope", MAX_SCOPE_LENGTH);

  /* GenAuth's V3 DTOs say expire_in, OAuth says expires_in; GenAuth's
   * documented name wins when both are there, even if its value is no use.
   */
  if (qrs_json_lookup (object, "expire_in") != NULL || qrs_json_lookup (object, "expires_in") == NULL)
    expires_name = "expire_in";
  else
    expires_name = "expires_in";

  if (!qrs_json_try_seconds (object, parent, expires_name, QRS_TOKEN_SET_EXPIRES_IN_MAX, &expires_in))
    expires_in = QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN;

  return qrs_token_set_new (access_token, id_token, refresh_token, token_type, expires_in, scope);
}

/* ---- Server text ------------------------------------------------------ */

static gboolean
is_line_breaking_or_invisible (gunichar c)
{
  return g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* The first @max_chars characters of @text, then "…" if it was longer;
 * with @one_line, control, line-separating and direction-override
 * characters each become a space.
 */
static char *
cut_text (const char *text,
          glong       max_chars,
          gboolean    one_line)
{
  GString *string = g_string_new (NULL);
  const char *p;
  glong n = 0;

  for (p = text; *p != '\0' && n < max_chars; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (one_line && is_line_breaking_or_invisible (c))
        g_string_append_c (string, ' ');
      else
        g_string_append_unichar (string, c);
    }

  if (*p != '\0')
    g_string_append (string, "…");

  return g_string_free (string, FALSE);
}

/**
 * qrs_json_sanitize_text:
 * @text: valid UTF-8 from the server
 * @max_chars: how many characters to keep
 *
 * Server text goes into messages and onto the screen: one line, no control
 * or direction-override characters (each becomes a space), and at most
 * @max_chars characters, then "…" if it was longer.
 *
 * Returns: (transfer full): the text to show
 */
char *
qrs_json_sanitize_text (const char *text,
                        glong       max_chars)
{
  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), NULL);
  g_return_val_if_fail (max_chars >= 0, NULL);

  return cut_text (text, max_chars, TRUE);
}

/**
 * qrs_json_shorten_text:
 * @text: valid UTF-8 from the server
 * @max_chars: how many characters to keep
 *
 * Bounds text that is kept as it was sent, such as a name (whoever shows
 * it escapes it for its medium): at most @max_chars characters, cut on a
 * character boundary, then "…" if it was longer.
 *
 * Returns: (transfer full): the text, whole or shortened
 */
char *
qrs_json_shorten_text (const char *text,
                       glong       max_chars)
{
  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), NULL);
  g_return_val_if_fail (max_chars >= 0, NULL);

  return cut_text (text, max_chars, FALSE);
}

/**
 * qrs_json_web_address:
 * @text: (nullable): an address from the server
 * @what: what it is the address of, for the debug log
 *
 * An address that is not http(s) is dropped rather than failing the
 * answer: the caller falls back (to a local QR code, to initials instead of
 * a photo).
 *
 * Returns: (transfer full) (nullable): @text as an absolute http(s) address
 *   in GUri's normal form (escaped), so what the caller fetches is exactly
 *   what was checked; or %NULL if it is not one
 */
char *
qrs_json_web_address (const char *text,
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
