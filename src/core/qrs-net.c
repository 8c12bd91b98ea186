/* qrs-net.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-net.h"
#include "qrs-secret-private.h"

/* One network policy for every provider and every download, so that the
 * command line, the providers and the picture downloads cannot disagree
 * about which address is acceptable, and no request is ever sent by a
 * session set up differently.
 */

#define USER_AGENT "qr-signin/" PACKAGE_VERSION
#define READ_CHUNK (16 * 1024)

/*
 * Hosts and headers
 */

/* Whether @text is 1 to @max_length bytes, each within [@low, @high]. */
static gboolean
text_within (const char *text,
             gsize       max_length,
             guchar      low,
             guchar      high)
{
  gsize length;

  if (text == NULL)
    return FALSE;

  length = strlen (text);
  if (length == 0 || length > max_length)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] < low || (guchar) text[i] > high)
      return FALSE;

  return TRUE;
}

/**
 * qrs_net_text_is_header_safe:
 * @text: (nullable): what is about to go into a header or a request body
 * @max_length: the most bytes it may have
 *
 * Ids go into HTTP headers: printable ASCII only, without spaces, so
 * nothing can inject a header or trip libsoup's checks.
 *
 * Returns: whether @text is 1 to @max_length printable ASCII characters
 *   without spaces
 */
gboolean
qrs_net_text_is_header_safe (const char *text,
                             gsize       max_length)
{
  return text_within (text, max_length, 0x21, 0x7e);
}

/**
 * qrs_net_text_is_visible_ascii:
 * @text: (nullable): a client secret or a scope
 * @max_length: the most bytes it may have
 *
 * RFC 6749's VSCHAR, printable ASCII with spaces, which client secrets and
 * scopes are made of: they are form-encoded, escaped in JSON or encoded in
 * Basic credentials on the way out, never put in a header as they are.
 *
 * Returns: whether @text is 1 to @max_length such characters
 */
gboolean
qrs_net_text_is_visible_ascii (const char *text,
                               gsize       max_length)
{
  return text_within (text, max_length, 0x20, 0x7e);
}

/**
 * qrs_net_host_is_loopback:
 *
 * Returns: whether @host is this computer, so that plain http to it never
 *   crosses a network
 */
gboolean
qrs_net_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize length;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* GUri keeps the brackets of an IPv6 literal. */
  length = strlen (host);
  if (length > 2 && host[0] == '[' && host[length - 1] == ']')
    bare = g_strndup (host + 1, length - 2);

  address = g_inet_address_new_from_string (bare != NULL ? bare : host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * qrs_net_host_is_valid:
 *
 * Returns: whether @host is an IP address or a DNS name (internationalised
 *   ones included)
 */
gboolean
qrs_net_host_is_valid (const char *host)
{
  g_autofree char *ascii = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || *ascii == '\0')
    return FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;

  return TRUE;
}

/**
 * qrs_net_get_language_tag:
 *
 * The language sign-in servers should answer in, from the user's locale:
 * GenAuth knows Chinese and English, so everyone who does not read Chinese
 * gets English.
 *
 * Returns: "zh-CN" or "en-US"
 */
const char *
qrs_net_get_language_tag (void)
{
  const char * const *names = g_get_language_names ();

  if (names[0] != NULL && g_str_has_prefix (names[0], "zh"))
    return "zh-CN";

  return "en-US";
}

/*
 * Addresses
 */

static gboolean
is_web_scheme (const char *scheme)
{
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

/* What libsoup would refuse when a request is built, such as a space in a
 * path: better said at start-up than on the first request.
 */
static gboolean
soup_accepts (const char *url)
{
  g_autoptr(SoupMessage) probe = soup_message_new (SOUP_METHOD_GET, url);

  return probe != NULL;
}

/* The checks a server address and a picture address share. */
static QrsNetUrlProblem
check_web_url (const char  *url,
               GUri       **out_uri)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL || *url == '\0')
    return QRS_NET_URL_MISSING;

  /* "example.com" has no scheme at all: say what it should start with. */
  if (!is_web_scheme (g_uri_peek_scheme (url)))
    return QRS_NET_URL_SCHEME;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return QRS_NET_URL_INVALID;

  if (!is_web_scheme (g_uri_get_scheme (uri)))
    return QRS_NET_URL_SCHEME;

  if (!qrs_net_host_is_valid (g_uri_get_host (uri)))
    return QRS_NET_URL_BAD_HOST;

  /* Credentials in an address end up in logs and error messages. */
  if (g_uri_get_userinfo (uri) != NULL)
    return QRS_NET_URL_EXTRA_PARTS;

  *out_uri = g_steal_pointer (&uri);

  return QRS_NET_URL_OK;
}

static gboolean
is_plain_http (GUri *uri)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0;
}

/**
 * qrs_net_check_server_url:
 * @url: (nullable): a sign-in server's address, e.g. `https://example.genauth.ai`
 * @allow_insecure_http: whether plain http to another computer is allowed
 * @normalized: (out) (optional) (transfer full): @url without trailing
 *   slashes, ready for endpoint paths to be appended, when it is acceptable
 *
 * The one set of rules for the address of a sign-in server: https, or
 * plain http to this computer (or anywhere with @allow_insecure_http); a
 * valid host; a path is fine (a reverse proxy may put the server under
 * one), but a user name, a query or a fragment would be dropped or misread
 * when endpoint paths are appended.
 *
 * Returns: %QRS_NET_URL_OK, or the first problem found
 */
QrsNetUrlProblem
qrs_net_check_server_url (const char  *url,
                          gboolean     allow_insecure_http,
                          char       **normalized)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  QrsNetUrlProblem problem;
  gsize length;

  if (normalized != NULL)
    *normalized = NULL;

  problem = check_web_url (url, &uri);
  if (problem != QRS_NET_URL_OK)
    return problem;

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return QRS_NET_URL_EXTRA_PARTS;

  if (is_plain_http (uri) && !allow_insecure_http && !qrs_net_host_is_loopback (g_uri_get_host (uri)))
    return QRS_NET_URL_INSECURE;

  text = g_uri_to_string (uri);
  length = strlen (text);
  while (length > 0 && text[length - 1] == '/')
    text[--length] = '\0';

  if (!soup_accepts (text))
    return QRS_NET_URL_INVALID;

  if (normalized != NULL)
    *normalized = g_steal_pointer (&text);

  return QRS_NET_URL_OK;
}

/**
 * qrs_net_check_picture_url:
 * @url: (nullable): where the server says a picture (a QR image, an avatar) is
 * @server_url: the server's address, as accepted by qrs_net_check_server_url()
 * @allow_insecure_http: as for the server
 *
 * A picture is fetched from exactly the address the server gave, never
 * following a redirect. It must be as secure as the server: over https
 * whenever the server is https (an on-path attacker could otherwise replace
 * the QR code on screen with their own), and plain http only to this
 * computer unless insecure http is allowed.
 *
 * Returns: %QRS_NET_URL_OK, or the first problem found
 */
QrsNetUrlProblem
qrs_net_check_picture_url (const char *url,
                           const char *server_url,
                           gboolean    allow_insecure_http)
{
  g_autoptr(GUri) uri = NULL;
  QrsNetUrlProblem problem;
  const char *server_scheme;

  g_return_val_if_fail (server_url != NULL, QRS_NET_URL_INVALID);

  problem = check_web_url (url, &uri);
  if (problem != QRS_NET_URL_OK)
    return problem;

  server_scheme = g_uri_peek_scheme (server_url);
  if (is_plain_http (uri) && g_strcmp0 (server_scheme, "http") != 0)
    return QRS_NET_URL_DOWNGRADE;

  if (is_plain_http (uri) && !allow_insecure_http && !qrs_net_host_is_loopback (g_uri_get_host (uri)))
    return QRS_NET_URL_INSECURE;

  if (!soup_accepts (url))
    return QRS_NET_URL_INVALID;

  return QRS_NET_URL_OK;
}

/**
 * qrs_net_displayable_url:
 * @url: an address as a person typed it
 *
 * The address as an error message may quote it: without a password in it,
 * which would otherwise end up in a terminal or the journal.
 *
 * Returns: (transfer full): @url, minus any user information
 */
char *
qrs_net_displayable_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return g_strdup ("");

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri != NULL && g_uri_get_userinfo (uri) != NULL)
    return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO);

  return g_strdup (url);
}

/*
 * Sessions
 */

/* A redirect could carry an app's headers, a ticket or a client secret to
 * another host, or swap the QR code on screen for someone else's: no
 * request of ours ever follows one.
 */
static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   gpointer     user_data)
{
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
}

/**
 * qrs_net_session_new:
 * @timeout: seconds to wait at each step of a request
 *
 * The one way we set up a session: our user agent, the system's proxy
 * settings, answers in the user's language where the server has it, and
 * redirects never followed.
 *
 * Returns: (transfer full): a new session
 */
SoupSession *
qrs_net_session_new (guint timeout)
{
  SoupSession *session;

  g_return_val_if_fail (timeout > 0, NULL);

  /* The system's proxy settings are SoupSession's default, looked up at
   * the first connection: loading them (libproxy) costs nothing until a
   * request needs them.
   */
  session = soup_session_new_with_options ("timeout", timeout,
                                           "user-agent", USER_AGENT,
                                           "accept-language-auto", TRUE,
                                           NULL);
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), NULL);

  return session;
}

/*
 * Bounded reads
 */

typedef struct
{
  SoupMessage *message;
  GInputStream *stream;
  guint8 *data;
  gsize length;
  gsize allocated;
  gsize max_bytes;
  gboolean truncated;
} Read;

/* Answers carry tickets and tokens: every copy of them is wiped. */
typedef struct
{
  guint8 *data;
  gsize allocated;
} Buffer;

static void
buffer_free (Buffer *buffer)
{
  qrs_secret_wipe (buffer->data, buffer->allocated);
  g_free (buffer->data);
  g_free (buffer);
}

static void
read_free (Read *read)
{
  g_clear_object (&read->message);
  g_clear_object (&read->stream);
  qrs_secret_wipe (read->data, read->allocated);
  g_free (read->data);
  g_free (read);
}

/* Makes room for @more bytes, wiping the old buffer rather than leaving it
 * to realloc().
 */
static void
read_reserve (Read  *read,
              gsize  more)
{
  gsize needed = read->length + more;
  gsize allocated;
  guint8 *data;

  if (needed <= read->allocated)
    return;

  allocated = MAX (read->allocated, READ_CHUNK);
  while (allocated < needed)
    allocated *= 2;
  allocated = MIN (allocated, read->max_bytes + 1);
  g_assert (allocated >= needed);

  data = g_malloc (allocated);
  if (read->length > 0)
    memcpy (data, read->data, read->length);
  qrs_secret_wipe (read->data, read->allocated);
  g_free (read->data);

  read->data = data;
  read->allocated = allocated;
}

static void
read_return (GTask *task)
{
  Read *read = g_task_get_task_data (task);
  Buffer *buffer = g_new0 (Buffer, 1);
  GBytes *bytes;

  /* The stream is dropped unread past the limit: that closes the
   * connection instead of draining whatever else the server sends.
   */
  g_clear_object (&read->stream);

  buffer->data = g_steal_pointer (&read->data);
  buffer->allocated = read->allocated;
  read->allocated = 0;
  bytes = g_bytes_new_with_free_func (buffer->data, MIN (read->length, read->max_bytes),
                                      (GDestroyNotify) buffer_free, buffer);
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void read_more (GTask *task);

/* Takes @n_read more bytes of the body in (0: its end). Returns whether
 * the body is complete, the end or one byte past the limit: then @task
 * has been returned.
 */
static gboolean
read_took (GTask *task,
           gsize  n_read)
{
  Read *read = g_task_get_task_data (task);

  if (n_read == 0)
    {
      read_return (task);
      return TRUE;
    }

  read->length += n_read;
  g_assert (read->length <= read->max_bytes + 1);

  /* One byte past the limit is proof enough. */
  if (read->length > read->max_bytes)
    {
      read->truncated = TRUE;
      read_return (task);
      return TRUE;
    }

  return FALSE;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n_read < 0)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!read_took (task, (gsize) n_read))
    read_more (g_steal_pointer (&task));
}

/* Reads on, taking ownership of @task. What has arrived already is read
 * at once: a status answer, headers and body in one packet, then costs no
 * further trip through the main loop (a poll every 1.5 s, all day long).
 * Only a wait for more goes through it.
 */
static void
read_more (GTask *task)
{
  Read *read = g_task_get_task_data (task);
  GPollableInputStream *pollable = NULL;
  gsize want;

  if (G_IS_POLLABLE_INPUT_STREAM (read->stream) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (read->stream)))
    pollable = G_POLLABLE_INPUT_STREAM (read->stream);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n_read;

      want = MIN ((gsize) READ_CHUNK, read->max_bytes + 1 - read->length);
      g_assert (want > 0);
      read_reserve (read, want);

      if (pollable == NULL)
        break;

      n_read = g_pollable_input_stream_read_nonblocking (pollable, read->data + read->length, want,
                                                         g_task_get_cancellable (task), &error);
      if (n_read < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;

      if (n_read < 0)
        g_task_return_error (task, g_steal_pointer (&error));
      if (n_read < 0 || read_took (task, (gsize) n_read))
        {
          g_object_unref (task);
          return;
        }
    }

  g_input_stream_read_async (read->stream,
                             read->data + read->length, want,
                             g_task_get_priority (task),
                             g_task_get_cancellable (task),
                             read_cb,
                             task);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Read *read = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;

  read->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (read->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Said as soon as the headers promise too much. */
  headers = soup_message_get_response_headers (read->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) read->max_bytes)
    {
      read->truncated = TRUE;
      read_return (task);
      return;
    }

  read_more (g_steal_pointer (&task));
}

/**
 * qrs_net_read_async:
 * @session: a session from qrs_net_session_new()
 * @message: the request
 * @max_bytes: the most of the answer's body to keep
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the body is read, or the request failed
 * @user_data: data for @callback
 *
 * Sends @message and reads its answer's body, never more than
 * @max_bytes + 1 bytes: a hostile or broken server cannot make us buffer
 * more than that (soup_session_send_and_read_async() would read it all).
 * The status and headers are then on @message.
 */
void
qrs_net_read_async (SoupSession         *session,
                    SoupMessage         *message,
                    gsize                max_bytes,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Read *read;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (max_bytes > 0 && max_bytes < G_MAXSIZE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, qrs_net_read_async);

  read = g_new0 (Read, 1);
  read->message = g_object_ref (message);
  read->max_bytes = max_bytes;
  g_task_set_task_data (task, read, (GDestroyNotify) read_free);

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

/**
 * qrs_net_read_finish:
 * @session: the session
 * @result: the result passed to the callback
 * @truncated: (out) (optional): set to whether the body went past the
 *   limit; the bytes returned are then only its start (perhaps none)
 * @error: a GIO, TLS or libsoup error when no answer arrived
 *
 * Returns: (transfer full) (nullable): the body, wiped when freed; %NULL
 *   with @error set when there was no answer
 */
GBytes *
qrs_net_read_finish (SoupSession   *session,
                     GAsyncResult  *result,
                     gboolean      *truncated,
                     GError       **error)
{
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_net_read_async), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (truncated != NULL)
    *truncated = bytes != NULL && ((Read *) g_task_get_task_data (G_TASK (result)))->truncated;

  return bytes;
}
