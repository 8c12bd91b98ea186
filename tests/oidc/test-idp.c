/* test-idp.c: the test IdP and its helper do what the device flow tests
 * rely on, checked with a minimal RFC 8628 client written here.
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "qrs-test-idp.h"

#define DEVICE_CODE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

typedef struct
{
  const char *id;
  const char *secret;
  const char *method; /* token_endpoint_auth_method */
} Client;

static const Client public_client = { QRS_TEST_IDP_PUBLIC_CLIENT_ID, NULL, "none" };
static const Client basic_client = {
  QRS_TEST_IDP_BASIC_CLIENT_ID, QRS_TEST_IDP_BASIC_CLIENT_SECRET, "client_secret_basic"
};
static const Client post_client = {
  QRS_TEST_IDP_POST_CLIENT_ID, QRS_TEST_IDP_POST_CLIENT_SECRET, "client_secret_post"
};

static const QrsTestIdpOptions defaults = { 0 };
static const QrsTestIdpOptions fast = { .interval = 1 };
static const QrsTestIdpOptions enforced = { .interval = 1, .enforce_interval = TRUE };

/* One IdP per set of options, reset between tests: node takes most of a
 * second to start (several on a busy machine).
 */
static GHashTable *idps; /* QrsTestIdpOptions* → QrsTestIdp* */

typedef struct
{
  QrsTestIdp  *idp;
  SoupSession *session;
  JsonObject  *discovery;
  const char  *device_endpoint;
  const char  *token_endpoint;
} Fixture;

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize       size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode   *root;

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

/* Sends the message and returns its JSON body; the HTTP status in *status. */
static JsonObject *
send_for_json (Fixture     *fixture,
               SoupMessage *message,
               guint       *status)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read (fixture->session, message, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);

  return parse_object (body);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

/* An integer member, or -1 if there is none. */
static gint64
int_member (JsonObject *object,
            const char *name)
{
  return json_object_get_int_member_with_default (object, name, -1);
}

static gboolean
array_has (JsonObject *object,
           const char *name,
           const char *value)
{
  JsonArray *array = json_object_get_array_member (object, name);

  g_assert_nonnull (array);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer options)
{
  g_autofree char *url = NULL;
  g_autoptr (SoupMessage) message = NULL;
  guint status;

  fixture->idp = g_hash_table_lookup (idps, options);
  if (fixture->idp != NULL)
    {
      g_object_ref (fixture->idp);
      qrs_test_idp_reset (fixture->idp);
    }
  else
    {
      fixture->idp = qrs_test_idp_new (options);
      if (fixture->idp == NULL)
        return;
      g_hash_table_insert (idps, (gpointer)options, g_object_ref (fixture->idp));
    }

  fixture->session = soup_session_new ();
  url = g_strconcat (qrs_test_idp_get_issuer (fixture->idp), "/.well-known/openid-configuration", NULL);
  message = soup_message_new (SOUP_METHOD_GET, url);
  fixture->discovery = send_for_json (fixture, message, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);

  fixture->device_endpoint = member (fixture->discovery, "device_authorization_endpoint");
  fixture->token_endpoint = member (fixture->discovery, "token_endpoint");
  g_assert_nonnull (fixture->device_endpoint);
  g_assert_nonnull (fixture->token_endpoint);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer options)
{
  g_clear_pointer (&fixture->discovery, json_object_unref);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->idp);
}

/* application/x-www-form-urlencoded, which RFC 6749 §2.3.1 applies to the
 * client id and secret before they are joined for Basic.
 */
static char *
form_encode (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *)text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '*')
        g_string_append_c (out, *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02X", *p);
    }

  return g_string_free (out, FALSE);
}

static char *
basic_credentials (const char *id,
                   const char *secret)
{
  g_autofree char *joined = g_strconcat (id, ":", secret, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *)joined, strlen (joined));

  return g_strconcat ("Basic ", encoded, NULL);
}

typedef enum {
  AUTH_AS_REGISTERED,
  AUTH_IN_BODY,         /* the secret as client_secret_post sends it */
  AUTH_BASIC,           /* the secret as client_secret_basic sends it */
  AUTH_BASIC_UNENCODED, /* Basic without the form-encoding: wrong */
} Auth;

/* POSTs the NULL-terminated name, value pairs with the client's
 * authentication, as a device flow client does.
 */
G_GNUC_NULL_TERMINATED
static JsonObject *
post_form (Fixture      *fixture,
           const char   *url,
           const Client *client,
           Auth          auth,
           guint        *status,
           const char   *first_name,
           ...)
{
  g_autoptr (GString) form = g_string_new (NULL);
  g_autoptr (SoupMessage) message = NULL;
  g_autofree char *authorization = NULL;
  const char      *name = first_name;
  va_list          args;

  va_start (args, first_name);
  while (name != NULL)
    {
      g_autofree char *field = soup_form_encode (name, va_arg (args, const char *), NULL);

      g_string_append_printf (form, "%s%s", form->len > 0 ? "&" : "", field);
      name = va_arg (args, const char *);
    }
  va_end (args);

  if (auth == AUTH_AS_REGISTERED)
    auth = g_str_equal (client->method, "client_secret_basic") ? AUTH_BASIC : AUTH_IN_BODY;

  if (auth == AUTH_BASIC)
    {
      g_autofree char *id = form_encode (client->id);
      g_autofree char *secret = form_encode (client->secret);

      authorization = basic_credentials (id, secret);
    }
  else if (auth == AUTH_BASIC_UNENCODED)
    {
      authorization = basic_credentials (client->id, client->secret);
    }
  else
    {
      g_autofree char *fields = soup_form_encode ("client_id", client->id,
                                                  client->secret != NULL ? "client_secret" : NULL,
                                                  client->secret,
                                                  NULL);

      g_string_append_printf (form, "&%s", fields);
    }

  message = soup_message_new_from_encoded_form (SOUP_METHOD_POST, url, g_string_free (g_steal_pointer (&form), FALSE));
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);

  return send_for_json (fixture, message, status);
}

static JsonObject *
authorize_device (Fixture      *fixture,
                  const Client *client)
{
  JsonObject *answer;
  guint       status;

  answer = post_form (fixture, fixture->device_endpoint, client, AUTH_AS_REGISTERED, &status,
                      "scope", QRS_TEST_IDP_SCOPE, NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (member (answer, "device_code"));
  g_assert_nonnull (member (answer, "user_code"));

  return answer;
}

static JsonObject *
poll_token (Fixture      *fixture,
            const Client *client,
            JsonObject   *authorization,
            guint        *status)
{
  return post_form (fixture, fixture->token_endpoint, client, AUTH_AS_REGISTERED, status,
                    "grant_type", DEVICE_CODE_GRANT,
                    "device_code", member (authorization, "device_code"),
                    NULL);
}

/* Polls once and checks that the answer is the OAuth error named. */
static void
assert_poll_error (Fixture      *fixture,
                   const Client *client,
                   JsonObject   *authorization,
                   const char   *error)
{
  g_autoptr (JsonObject) answer = NULL;
  guint status;

  answer = poll_token (fixture, client, authorization, &status);
  g_assert_cmpstr (member (answer, "error"), ==, error);
  g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_null (member (answer, "access_token"));
}

static JsonObject *
id_token_claims (const char *id_token)
{
  g_auto (GStrv) parts = g_strsplit (id_token, ".", 0);
  g_autoptr (GString) payload = NULL;
  g_autoptr (GBytes) json = NULL;
  guchar *decoded;
  gsize   size;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);

  /* base64url, unpadded, to base64 */
  payload = g_string_new (parts[1]);
  g_strdelimit (payload->str, "-", '+');
  g_strdelimit (payload->str, "_", '/');
  while (payload->len % 4 != 0)
    g_string_append_c (payload, '=');

  decoded = g_base64_decode (payload->str, &size);
  json = g_bytes_new_take (decoded, size);

  return parse_object (json);
}

static void
test_discovery (Fixture      *fixture,
                gconstpointer options)
{
  const char      *issuer;
  g_autofree char *device = NULL;
  g_autofree char *token = NULL;

  if (fixture->idp == NULL)
    return;

  issuer = qrs_test_idp_get_issuer (fixture->idp);
  device = g_strconcat (issuer, "/device/auth", NULL);
  token = g_strconcat (issuer, "/token", NULL);

  g_assert_true (g_str_has_prefix (issuer, "http://127.0.0.1:"));
  g_assert_cmpstr (member (fixture->discovery, "issuer"), ==, issuer);
  g_assert_cmpstr (fixture->device_endpoint, ==, device);
  g_assert_cmpstr (fixture->token_endpoint, ==, token);
  g_assert_true (array_has (fixture->discovery, "grant_types_supported", DEVICE_CODE_GRANT));
  g_assert_true (array_has (fixture->discovery, "grant_types_supported", "refresh_token"));
  g_assert_true (array_has (fixture->discovery, "scopes_supported", "offline_access"));
  g_assert_true (array_has (fixture->discovery, "claims_supported", "picture"));
  g_assert_true (array_has (fixture->discovery, "token_endpoint_auth_methods_supported", "none"));
  g_assert_true (array_has (fixture->discovery, "token_endpoint_auth_methods_supported", "client_secret_basic"));
  g_assert_true (array_has (fixture->discovery, "token_endpoint_auth_methods_supported", "client_secret_post"));
}

static void
test_device_authorization (Fixture      *fixture,
                           gconstpointer options)
{
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GRegex) user_code = g_regex_new ("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", 0, 0, NULL);
  g_autofree char *verification = NULL;
  g_autofree char *complete = NULL;

  if (fixture->idp == NULL)
    return;

  answer = authorize_device (fixture, &public_client);
  verification = g_strconcat (qrs_test_idp_get_issuer (fixture->idp), "/device", NULL);
  complete = g_strconcat (verification, "?user_code=", member (answer, "user_code"), NULL);

  g_assert_cmpuint (strlen (member (answer, "device_code")), >=, 32);
  g_assert_true (g_regex_match (user_code, member (answer, "user_code"), 0, NULL));
  g_assert_cmpstr (member (answer, "verification_uri"), ==, verification);
  g_assert_cmpstr (member (answer, "verification_uri_complete"), ==, complete);
  g_assert_cmpint (int_member (answer, "expires_in"), ==, 600);
  g_assert_cmpint (int_member (answer, "interval"), ==, 1);
}

/* The default, the control and none at all. */
static void
test_interval (Fixture      *fixture,
               gconstpointer options)
{
  g_autoptr (JsonObject) by_default = NULL;
  g_autoptr (JsonObject) none = NULL;
  g_autoptr (JsonObject) two = NULL;

  if (fixture->idp == NULL)
    return;

  by_default = authorize_device (fixture, &public_client);
  g_assert_cmpint (int_member (by_default, "interval"), ==, 5);

  qrs_test_idp_set_interval (fixture->idp, QRS_TEST_IDP_NO_INTERVAL);
  none = authorize_device (fixture, &public_client);
  g_assert_false (json_object_has_member (none, "interval"));

  qrs_test_idp_set_interval (fixture->idp, 2);
  two = authorize_device (fixture, &public_client);
  g_assert_cmpint (int_member (two, "interval"), ==, 2);
}

static void
test_pending (Fixture      *fixture,
              gconstpointer options)
{
  g_autoptr (JsonObject) authorization = NULL;

  if (fixture->idp == NULL)
    return;

  authorization = authorize_device (fixture, &public_client);
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 0);

  assert_poll_error (fixture, &public_client, authorization, "authorization_pending");
  assert_poll_error (fixture, &public_client, authorization, "authorization_pending");
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 2);
}

static void
assert_approval (Fixture      *fixture,
                 const Client *client)
{
  g_autoptr (JsonObject) authorization = NULL;
  g_autoptr (JsonObject) tokens = NULL;
  g_autoptr (JsonObject) claims = NULL;
  g_autoptr (JsonObject) refreshed = NULL;
  g_autoptr (JsonObject) revoked = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *picture = NULL;
  const char      *refresh_token;
  guint            status;

  authorization = authorize_device (fixture, client);
  assert_poll_error (fixture, client, authorization, "authorization_pending");

  qrs_test_idp_approve (fixture->idp, member (authorization, "user_code"), &error);
  g_assert_no_error (error);

  tokens = poll_token (fixture, client, authorization, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (member (tokens, "access_token"));
  g_assert_nonnull (member (tokens, "refresh_token"));
  g_assert_cmpstr (member (tokens, "token_type"), ==, "Bearer");
  g_assert_cmpstr (member (tokens, "scope"), ==, QRS_TEST_IDP_SCOPE);
  g_assert_cmpint (int_member (tokens, "expires_in"), >, 0);

  g_assert_nonnull (member (tokens, "id_token"));
  claims = id_token_claims (member (tokens, "id_token"));
  picture = g_strconcat (qrs_test_idp_get_issuer (fixture->idp), QRS_TEST_IDP_ALICE_PICTURE_PATH, NULL);
  g_assert_cmpstr (member (claims, "iss"), ==, qrs_test_idp_get_issuer (fixture->idp));
  g_assert_cmpstr (member (claims, "aud"), ==, client->id);
  g_assert_cmpstr (member (claims, "sub"), ==, QRS_TEST_IDP_ALICE);
  g_assert_cmpstr (member (claims, "name"), ==, QRS_TEST_IDP_ALICE_NAME);
  g_assert_cmpstr (member (claims, "preferred_username"), ==, QRS_TEST_IDP_ALICE_USERNAME);
  g_assert_cmpstr (member (claims, "picture"), ==, picture);

  refreshed = post_form (fixture, fixture->token_endpoint, client, AUTH_AS_REGISTERED, &status,
                         "grant_type", "refresh_token",
                         "refresh_token", member (tokens, "refresh_token"),
                         NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (member (refreshed, "access_token"));
  g_assert_cmpstr (member (refreshed, "access_token"), !=, member (tokens, "access_token"));
  /* Public clients get a new refresh token each time (the old one is
   * spent); confidential ones the same one again.
   */
  refresh_token = member (refreshed, "refresh_token");
  g_assert_nonnull (refresh_token);
  if (g_str_equal (client->method, "none"))
    g_assert_cmpstr (refresh_token, !=, member (tokens, "refresh_token"));
  else
    g_assert_cmpstr (refresh_token, ==, member (tokens, "refresh_token"));

  /* A device code is good for one set of tokens. Using it again counts as
   * a replay: the IdP revokes everything it gave, so a client must never
   * poll again after its tokens came.
   */
  assert_poll_error (fixture, client, authorization, "invalid_grant");
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 3);

  revoked = post_form (fixture, fixture->token_endpoint, client, AUTH_AS_REGISTERED, &status,
                       "grant_type", "refresh_token",
                       "refresh_token", refresh_token,
                       NULL);
  g_assert_cmpstr (member (revoked, "error"), ==, "invalid_grant");
  g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_approve_public (Fixture      *fixture,
                     gconstpointer options)
{
  if (fixture->idp != NULL)
    assert_approval (fixture, &public_client);
}

static void
test_approve_basic (Fixture      *fixture,
                    gconstpointer options)
{
  if (fixture->idp != NULL)
    assert_approval (fixture, &basic_client);
}

static void
test_approve_post (Fixture      *fixture,
                   gconstpointer options)
{
  if (fixture->idp != NULL)
    assert_approval (fixture, &post_client);
}

/* Bob has no username and no picture: the ID token says nothing of them. */
static void
test_approve_as (Fixture      *fixture,
                 gconstpointer options)
{
  g_autoptr (JsonObject) authorization = NULL;
  g_autoptr (JsonObject) tokens = NULL;
  g_autoptr (JsonObject) claims = NULL;
  g_autoptr (GError) error = NULL;
  guint status;

  if (fixture->idp == NULL)
    return;

  authorization = authorize_device (fixture, &public_client);
  qrs_test_idp_approve_as (fixture->idp, member (authorization, "user_code"), QRS_TEST_IDP_BOB, &error);
  g_assert_no_error (error);

  tokens = poll_token (fixture, &public_client, authorization, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  claims = id_token_claims (member (tokens, "id_token"));
  g_assert_cmpstr (member (claims, "sub"), ==, QRS_TEST_IDP_BOB);
  g_assert_cmpstr (member (claims, "name"), ==, QRS_TEST_IDP_BOB_NAME);
  g_assert_false (json_object_has_member (claims, "preferred_username"));
  g_assert_false (json_object_has_member (claims, "picture"));
}

static void
test_deny (Fixture      *fixture,
           gconstpointer options)
{
  g_autoptr (JsonObject) authorization = NULL;
  g_autoptr (GError) error = NULL;

  if (fixture->idp == NULL)
    return;

  authorization = authorize_device (fixture, &basic_client);
  assert_poll_error (fixture, &basic_client, authorization, "authorization_pending");

  qrs_test_idp_deny (fixture->idp, member (authorization, "user_code"), &error);
  g_assert_no_error (error);

  assert_poll_error (fixture, &basic_client, authorization, "access_denied");
}

/* The person scans verification_uri_complete: no code to type. */
static void
test_scan (Fixture      *fixture,
           gconstpointer options)
{
  g_autoptr (JsonObject) approved = NULL;
  g_autoptr (JsonObject) denied = NULL;
  g_autoptr (JsonObject) tokens = NULL;
  g_autoptr (GError) error = NULL;
  guint status;

  if (fixture->idp == NULL)
    return;

  approved = authorize_device (fixture, &public_client);
  qrs_test_idp_approve_uri (fixture->idp, member (approved, "verification_uri_complete"), &error);
  g_assert_no_error (error);
  tokens = poll_token (fixture, &public_client, approved, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (member (tokens, "access_token"));

  denied = authorize_device (fixture, &public_client);
  qrs_test_idp_deny_uri (fixture->idp, member (denied, "verification_uri_complete"), &error);
  g_assert_no_error (error);
  assert_poll_error (fixture, &public_client, denied, "access_denied");

  /* Only this IdP's pages. */
  qrs_test_idp_approve_uri (fixture->idp, "http://127.0.0.1:1/device?user_code=BCDF-GHJK", &error);
  g_assert_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_PAGE);
}

/* The person cannot approve a code twice, nor one the IdP never gave. */
static void
test_code_refused (Fixture      *fixture,
                   gconstpointer options)
{
  g_autoptr (JsonObject) authorization = NULL;
  g_autoptr (GError) error = NULL;

  if (fixture->idp == NULL)
    return;

  qrs_test_idp_approve (fixture->idp, "BCDF-GHJK", &error);
  g_assert_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_CODE_REFUSED);
  g_clear_error (&error);

  authorization = authorize_device (fixture, &public_client);
  qrs_test_idp_approve (fixture->idp, member (authorization, "user_code"), &error);
  g_assert_no_error (error);
  qrs_test_idp_deny (fixture->idp, member (authorization, "user_code"), &error);
  g_assert_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_CODE_REFUSED);
}

/* A confidential client must authenticate the way it is registered for, and
 * Basic credentials must be form-encoded first.
 */
static void
test_client_authentication (Fixture      *fixture,
                            gconstpointer options)
{
  static const Client wrong_secret = { QRS_TEST_IDP_POST_CLIENT_ID, "not the secret", "client_secret_post" };
  static const struct
  {
    const Client *client;
    Auth          auth;
  } refused[] = {
    { &basic_client, AUTH_IN_BODY },
    { &basic_client, AUTH_BASIC_UNENCODED },
    { &post_client, AUTH_BASIC },
    { &wrong_secret, AUTH_AS_REGISTERED },
  };

  if (fixture->idp == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (JsonObject) answer = NULL;
      guint status;

      answer = post_form (fixture, fixture->device_endpoint, refused[i].client, refused[i].auth, &status,
                          "scope", QRS_TEST_IDP_SCOPE, NULL);
      g_assert_cmpstr (member (answer, "error"), ==, "invalid_client");
      g_assert_cmpuint (status, ==, SOUP_STATUS_UNAUTHORIZED);
      g_assert_null (member (answer, "device_code"));
    }
}

static void
test_slow_down_asked (Fixture      *fixture,
                      gconstpointer options)
{
  g_autoptr (JsonObject) authorization = NULL;

  if (fixture->idp == NULL)
    return;

  authorization = authorize_device (fixture, &post_client);
  qrs_test_idp_slow_down (fixture->idp, 2);

  assert_poll_error (fixture, &post_client, authorization, "slow_down");
  assert_poll_error (fixture, &post_client, authorization, "slow_down");
  assert_poll_error (fixture, &post_client, authorization, "authorization_pending");
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 3);
}

/* RFC 8628 §3.5: a poll sooner than the interval is answered slow_down, and
 * the interval is then 5 s longer.
 */
static void
test_slow_down_enforced (Fixture      *fixture,
                         gconstpointer options)
{
  g_autoptr (JsonObject) authorization = NULL;

  if (fixture->idp == NULL)
    return;

  authorization = authorize_device (fixture, &public_client);
  assert_poll_error (fixture, &public_client, authorization, "authorization_pending");
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  assert_poll_error (fixture, &public_client, authorization, "authorization_pending");
  assert_poll_error (fixture, &public_client, authorization, "slow_down");
  /* On time for 1 s, too soon for 6 s. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  assert_poll_error (fixture, &public_client, authorization, "slow_down");
}

static void
test_expired (Fixture      *fixture,
              gconstpointer options)
{
  g_autoptr (JsonObject) authorization = NULL;
  g_autoptr (GError) error = NULL;

  if (fixture->idp == NULL)
    return;

  qrs_test_idp_set_device_ttl (fixture->idp, 1);
  authorization = authorize_device (fixture, &public_client);
  g_assert_cmpint (int_member (authorization, "expires_in"), ==, 1);

  /* The IdP counts in whole seconds: 1 s on, the second has turned. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  assert_poll_error (fixture, &public_client, authorization, "expired_token");

  qrs_test_idp_approve (fixture->idp, member (authorization, "user_code"), &error);
  g_assert_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_CODE_REFUSED);
}

/* A reset undoes every control and the poll count. */
static void
test_reset (Fixture      *fixture,
            gconstpointer options)
{
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (JsonObject) after = NULL;

  if (fixture->idp == NULL)
    return;

  qrs_test_idp_set_interval (fixture->idp, 3);
  qrs_test_idp_set_device_ttl (fixture->idp, 7);
  qrs_test_idp_slow_down (fixture->idp, 2);
  before = authorize_device (fixture, &public_client);
  g_assert_cmpint (int_member (before, "interval"), ==, 3);
  g_assert_cmpint (int_member (before, "expires_in"), ==, 7);
  assert_poll_error (fixture, &public_client, before, "slow_down");
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 1);

  qrs_test_idp_reset (fixture->idp);
  g_assert_cmpuint (qrs_test_idp_get_polls (fixture->idp), ==, 0);
  after = authorize_device (fixture, &public_client);
  g_assert_cmpint (int_member (after, "interval"), ==, 1);
  g_assert_cmpint (int_member (after, "expires_in"), ==, 600);
  assert_poll_error (fixture, &public_client, after, "authorization_pending");
  /* Codes given before the reset still work. */
  assert_poll_error (fixture, &public_client, before, "authorization_pending");
}

/* Alice's picture is a PNG the client can download. */
static void
test_avatar (Fixture      *fixture,
             gconstpointer options)
{
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree char    *url = NULL;
  g_autoptr (SoupMessage) message = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  if (fixture->idp == NULL)
    return;

  url = g_strconcat (qrs_test_idp_get_issuer (fixture->idp), QRS_TEST_IDP_ALICE_PICTURE_PATH, NULL);
  message = soup_message_new (SOUP_METHOD_GET, url);
  body = soup_session_send_and_read (fixture->session, message, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL),
                   ==, "image/png");
  g_assert_cmpuint (g_bytes_get_size (body), >, sizeof png_signature);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), sizeof png_signature, png_signature, sizeof png_signature);
}

static void
stop_idp (gpointer key,
          gpointer value,
          gpointer user_data)
{
  QrsTestIdp *idp = value;

  qrs_test_idp_stop (idp);
  g_assert_finalize_object (idp);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  idps = g_hash_table_new (NULL, NULL);

#define ADD(path, options, func) \
  g_test_add ("/oidc/idp/" path, Fixture, options, fixture_set_up, func, fixture_tear_down)

  ADD ("discovery", &defaults, test_discovery);
  ADD ("device-authorization", &fast, test_device_authorization);
  ADD ("interval", &defaults, test_interval);
  ADD ("pending", &fast, test_pending);
  ADD ("approve/public", &fast, test_approve_public);
  ADD ("approve/basic", &fast, test_approve_basic);
  ADD ("approve/post", &fast, test_approve_post);
  ADD ("approve/as", &fast, test_approve_as);
  ADD ("deny", &fast, test_deny);
  ADD ("scan", &fast, test_scan);
  ADD ("code-refused", &fast, test_code_refused);
  ADD ("client-authentication", &fast, test_client_authentication);
  ADD ("slow-down/asked", &fast, test_slow_down_asked);
  ADD ("slow-down/enforced", &enforced, test_slow_down_enforced);
  ADD ("expired", &fast, test_expired);
  ADD ("avatar", &defaults, test_avatar);

  ADD ("reset", &fast, test_reset);

#undef ADD

  status = g_test_run ();
  g_hash_table_foreach (idps, stop_idp, NULL);
  g_hash_table_unref (idps);

  return status;
}
