/* qrs-test-idp.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "qrs-test-idp.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

/* node takes a fraction of a second to start, far longer on a busy
 * machine running several suites at once.
 */
#define START_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_S 10
/* Device page, confirm, login, consent and success, with room to spare. */
#define MAX_PAGES 10

struct _QrsTestIdp
{
  GObject      parent_instance;
  GSubprocess *process;
  char        *issuer;
  SoupSession *control; /* the test's own requests, under /__test/ */
};

G_DEFINE_FINAL_TYPE (QrsTestIdp, qrs_test_idp, G_TYPE_OBJECT)

G_DEFINE_QUARK (qrs-test-idp-error-quark, qrs_test_idp_error)

/*
 * Waiting for the node process with a time limit, on a main context of our
 * own so that the caller's main loop never runs behind its back.
 */

typedef struct
{
  GMainContext *context;
  GCancellable *cancellable;
  GAsyncResult *result;
} Waiter;

static void
waiter_init (Waiter *waiter)
{
  waiter->context = g_main_context_new ();
  waiter->cancellable = g_cancellable_new ();
  waiter->result = NULL;
  g_main_context_push_thread_default (waiter->context);
}

static void
waiter_clear (Waiter *waiter)
{
  g_main_context_pop_thread_default (waiter->context);
  g_clear_object (&waiter->result);
  g_clear_object (&waiter->cancellable);
  g_clear_pointer (&waiter->context, g_main_context_unref);
}

static void
waiter_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static gboolean
waiter_timeout_cb (gpointer user_data)
{
  Waiter *waiter = user_data;

  g_cancellable_cancel (waiter->cancellable);
  return G_SOURCE_REMOVE;
}

/* Runs the waiter's context until the call started with waiter_done_cb
 * finishes. After timeout_ms the call is cancelled, so it still finishes,
 * with G_IO_ERROR_CANCELLED.
 */
static void
waiter_run (Waiter *waiter,
            guint   timeout_ms)
{
  g_autoptr (GSource) timeout = g_timeout_source_new (timeout_ms);

  g_source_set_callback (timeout, waiter_timeout_cb, waiter, NULL);
  g_source_attach (timeout, waiter->context);

  while (waiter->result == NULL)
    g_main_context_iteration (waiter->context, TRUE);

  g_source_destroy (timeout);
}

static char *
read_issuer (GSubprocess *process,
             GError     **error)
{
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  Waiter           waiter;

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  /* The pipe stays open: a later write by node must not meet EPIPE. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);

  waiter_init (&waiter);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, waiter.cancellable,
                                       waiter_done_cb, &waiter);
  waiter_run (&waiter, START_TIMEOUT_MS);
  line = g_data_input_stream_read_line_finish_utf8 (lines, waiter.result, NULL, error);
  waiter_clear (&waiter);

  if (line == NULL && error != NULL && *error != NULL)
    {
      if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "no issuer URL on its stdout after %d s", START_TIMEOUT_MS / 1000);
        }
      return NULL;
    }

  if (line == NULL || !g_str_has_prefix (line, "http://127.0.0.1:"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "it printed “%s” instead of its issuer URL (its stderr is above)",
                   line != NULL ? line : "nothing");
      return NULL;
    }

  return g_steal_pointer (&line);
}

/* Whether the process ended within timeout_ms. */
static gboolean
wait_for_exit (GSubprocess *process,
               guint        timeout_ms)
{
  gboolean exited;
  Waiter   waiter;

  waiter_init (&waiter);
  g_subprocess_wait_async (process, waiter.cancellable, waiter_done_cb, &waiter);
  waiter_run (&waiter, timeout_ms);
  exited = g_subprocess_wait_finish (process, waiter.result, NULL);
  waiter_clear (&waiter);

  return exited;
}

void
qrs_test_idp_stop (QrsTestIdp *self)
{
  g_autoptr (GSubprocess) process = NULL;

  g_return_if_fail (QRS_IS_TEST_IDP (self));

  process = g_steal_pointer (&self->process);
  if (process == NULL)
    return;

  /* Either ends it: end of file on stdin, or SIGTERM. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
  g_subprocess_send_signal (process, SIGTERM);

  if (!wait_for_exit (process, STOP_TIMEOUT_MS))
    {
      g_test_message ("the test IdP did not stop in %d s: killing it", STOP_TIMEOUT_MS / 1000);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
    }

  /* SIGTERM makes it exit 0; anything else means it died during the test. */
  if (g_subprocess_get_if_signaled (process) && g_subprocess_get_term_sig (process) != SIGTERM)
    g_test_fail_printf ("the test IdP was killed by signal %d", g_subprocess_get_term_sig (process));
  else if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) != 0)
    g_test_fail_printf ("the test IdP exited with status %d (its stderr is above)",
                        g_subprocess_get_exit_status (process));
}

static void
qrs_test_idp_dispose (GObject *object)
{
  QrsTestIdp *self = QRS_TEST_IDP (object);

  qrs_test_idp_stop (self);
  g_clear_object (&self->control);

  G_OBJECT_CLASS (qrs_test_idp_parent_class)->dispose (object);
}

static void
qrs_test_idp_finalize (GObject *object)
{
  QrsTestIdp *self = QRS_TEST_IDP (object);

  g_free (self->issuer);

  G_OBJECT_CLASS (qrs_test_idp_parent_class)->finalize (object);
}

static void
qrs_test_idp_class_init (QrsTestIdpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = qrs_test_idp_dispose;
  object_class->finalize = qrs_test_idp_finalize;
}

static void
qrs_test_idp_init (QrsTestIdp *self)
{
}

/* Every request goes straight to loopback, whatever proxy the machine has. */
static SoupSession *
new_session (void)
{
  g_autoptr (GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);

  return soup_session_new_with_options ("proxy-resolver", direct,
                                        "timeout", REQUEST_TIMEOUT_S,
                                        "user-agent", "qrs-test-idp",
                                        NULL);
}

/* Without node or oidc-provider the test is skipped, or fails when
 * QRS_TEST_IDP_REQUIRED is set (CI sets it, so a missing `npm ci` is seen).
 */
G_GNUC_PRINTF (1, 2)
static void
unavailable (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  const char      *required = g_getenv ("QRS_TEST_IDP_REQUIRED");
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (required != NULL && *required != '\0' && g_strcmp0 (required, "0") != 0)
    g_test_fail_printf ("%s (QRS_TEST_IDP_REQUIRED is set)", message);
  else
    g_test_skip (message);
}

/* Starts idp.mjs with the options (NULL for the defaults) and waits for
 * it to listen. Returns NULL when the test cannot have it: the test has
 * then been marked skipped (no node, or no `npm ci` yet) or failed.
 */
QrsTestIdp *
qrs_test_idp_new (const QrsTestIdpOptions *options)
{
  static const QrsTestIdpOptions defaults = { 0 };
  g_autoptr (QrsTestIdp) self = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *node = NULL;
  g_autofree char *script = NULL;
  g_autofree char *installed = NULL;
  const char      *program;
  const char      *dir;

  if (options == NULL)
    options = &defaults;

  g_return_val_if_fail (options->interval >= QRS_TEST_IDP_NO_INTERVAL, NULL);

  dir = g_getenv ("QRS_TEST_IDP_DIR");
  if (dir == NULL)
    dir = QRS_TEST_IDP_DIR;

  program = g_getenv ("QRS_TEST_NODE");
  if (program == NULL)
    program = "node";
  node = g_find_program_in_path (program);
  if (node == NULL)
    {
      unavailable ("The test IdP needs Node.js, and %s is not on PATH", program);
      return NULL;
    }

  installed = g_build_filename (dir, "node_modules", "oidc-provider", "package.json", NULL);
  if (!g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    {
      unavailable ("The test IdP needs oidc-provider: run `npm ci` in %s", dir);
      return NULL;
    }

  script = g_build_filename (dir, "idp.mjs", NULL);
  g_ptr_array_add (argv, g_strdup (node));
  g_ptr_array_add (argv, g_strdup (script));
  if (options->interval == QRS_TEST_IDP_NO_INTERVAL)
    g_ptr_array_add (argv, g_strdup ("--interval=none"));
  else if (options->interval > 0)
    g_ptr_array_add (argv, g_strdup_printf ("--interval=%d", options->interval));
  if (options->device_ttl > 0)
    g_ptr_array_add (argv, g_strdup_printf ("--device-ttl=%u", options->device_ttl));
  if (options->enforce_interval)
    g_ptr_array_add (argv, g_strdup ("--enforce-interval"));
  g_ptr_array_add (argv, NULL);

  /* stderr is the test's: its log lands in the test log. stdin is a pipe
   * only so that node sees end of file, and exits, when the test dies.
   */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_cwd (launcher, dir);

  self = g_object_new (QRS_TYPE_TEST_IDP, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &error);
  if (self->process == NULL)
    {
      g_test_fail_printf ("Cannot run the test IdP: %s", error->message);
      return NULL;
    }

  self->issuer = read_issuer (self->process, &error);
  if (self->issuer == NULL)
    {
      g_test_fail_printf ("The test IdP did not start: %s", error->message);
      return NULL;
    }

  self->control = new_session ();
  g_test_message ("test IdP at %s", self->issuer);

  return g_steal_pointer (&self);
}

const char *
qrs_test_idp_get_issuer (QrsTestIdp *self)
{
  g_return_val_if_fail (QRS_IS_TEST_IDP (self), NULL);

  return self->issuer;
}

/*
 * The person: a browser with a cookie jar that fills in and submits the
 * plain HTML forms of oidc-provider's device page and dev interactions.
 * The pages need no JavaScript.
 */

typedef struct
{
  guint status;
  GUri *uri; /* where it ended up, after redirects */
  char *html;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->uri, g_uri_unref);
  g_free (page->html);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/* The first capture of pattern in text, or NULL. */
static char *
find_first (const char *pattern,
            const char *text)
{
  g_autoptr (GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;

  g_assert (regex != NULL);

  if (!g_regex_match (regex, text, 0, &match))
    return NULL;

  return g_match_info_fetch (match, 1);
}

/* Undoes oidc-provider's HTML escaping (&, <, >, ", '). */
static char *
html_unescape (const char *text)
{
  static const struct
  {
    const char *entity;
    char        c;
  } entities[] = {
    { "&amp;", '&' },
    { "&lt;", '<' },
    { "&gt;", '>' },
    { "&quot;", '"' },
    { "&#34;", '"' },
    { "&#39;", '\'' },
    { "&#x27;", '\'' },
  };
  GString    *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      gboolean replaced = FALSE;

      if (*p == '&')
        {
          for (guint i = 0; i < G_N_ELEMENTS (entities) && !replaced; i++)
            {
              if (g_str_has_prefix (p, entities[i].entity))
                {
                  g_string_append_c (out, entities[i].c);
                  p += strlen (entities[i].entity);
                  replaced = TRUE;
                }
            }
        }

      if (!replaced)
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/* The value of a quoted attribute in a tag's text, unescaped; NULL if absent. */
static char *
tag_attribute (const char *tag,
               const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\s%s\\s*=\\s*\"([^\"]*)\"", name);
  g_autofree char *raw = find_first (pattern, tag);

  return raw != NULL ? html_unescape (raw) : NULL;
}

/* Text of the page's first element matching pattern, for messages. */
static char *
page_text (const Page *page,
           const char *pattern)
{
  g_autofree char *raw = find_first (pattern, page->html);

  return raw != NULL ? g_strstrip (html_unescape (raw)) : NULL;
}

static char *
page_title (const Page *page)
{
  return page_text (page, "<title>(.*?)</title>");
}

/* The red line the device page shows above its form after a refusal. */
static char *
page_notice (const Page *page)
{
  return page_text (page, "<p class=\"red\">(.*?)</p>");
}

typedef struct
{
  GUri       *action;
  GHashTable *fields; /* name → value */
} Form;

static void
form_free (Form *form)
{
  g_clear_pointer (&form->action, g_uri_unref);
  g_clear_pointer (&form->fields, g_hash_table_unref);
  g_free (form);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Form, form_free)

/* The page's first form: where it posts and its inputs as the page filled
 * them in. NULL if the page has none.
 */
static Form *
page_form (const Page *page)
{
  g_autoptr (GRegex) forms = g_regex_new ("<form\\b([^>]*)>(.*?)</form>",
                                          G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr (GRegex) inputs = g_regex_new ("<input\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr (GMatchInfo) form_match = NULL;
  g_autoptr (GMatchInfo) input_match = NULL;
  g_autofree char *form_tag = NULL;
  g_autofree char *form_body = NULL;
  g_autofree char *action = NULL;
  g_autoptr (Form) form = NULL;

  if (!g_regex_match (forms, page->html, 0, &form_match))
    return NULL;

  form_tag = g_match_info_fetch (form_match, 1);
  form_body = g_match_info_fetch (form_match, 2);
  action = tag_attribute (form_tag, "action");

  form = g_new0 (Form, 1);
  form->action = g_uri_parse_relative (page->uri, action != NULL ? action : "", G_URI_FLAGS_ENCODED, NULL);
  form->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (form->action == NULL)
    return NULL;

  g_regex_match (inputs, form_body, 0, &input_match);
  while (g_match_info_matches (input_match))
    {
      g_autofree char *tag = g_match_info_fetch (input_match, 0);
      char            *name = tag_attribute (tag, "name");
      char            *value = tag_attribute (tag, "value");

      if (name != NULL)
        g_hash_table_replace (form->fields, name, value != NULL ? value : g_strdup (""));
      else
        g_free (value);

      g_match_info_next (input_match, NULL);
    }

  return g_steal_pointer (&form);
}

static Page *
browser_send (SoupSession *browser,
              SoupMessage *message,
              GError     **error)
{
  g_autoptr (GBytes) body = NULL;
  g_autoptr (Page) page = NULL;
  gsize       size;
  const char *data;

  /* As a browser sends them: a top-level navigation on the IdP's own site,
   * so its SameSite=Lax cookies go along.
   */
  soup_message_set_site_for_cookies (message, soup_message_get_uri (message));
  soup_message_set_is_top_level_navigation (message, TRUE);

  body = soup_session_send_and_read (browser, message, NULL, error);
  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &size);
  page = g_new0 (Page, 1);
  page->status = soup_message_get_status (message);
  page->uri = g_uri_ref (soup_message_get_uri (message));
  page->html = g_strndup (data, size);

  if (!SOUP_STATUS_IS_SUCCESSFUL (page->status))
    {
      g_autofree char *title = page_title (page);
      g_autofree char *path = g_uri_to_string_partial (page->uri, G_URI_HIDE_QUERY);

      g_set_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_HTTP,
                   "%s answered HTTP %u: %s", path, page->status,
                   title != NULL ? title : "(no title)");
      return NULL;
    }

  return g_steal_pointer (&page);
}

static Page *
browser_submit (SoupSession *browser,
                Form        *form,
                GError     **error)
{
  g_autofree char *url = g_uri_to_string (form->action);
  g_autoptr (SoupMessage) message = NULL;

  /* Takes the hash table's contents as they are, and the encoded string. */
  message = soup_message_new_from_encoded_form (SOUP_METHOD_POST, url,
                                                soup_form_encode_hash (form->fields));
  return browser_send (browser, message, error);
}

/* Opens start (the device page, or verification_uri_complete), enters
 * user_code if it is not filled in already, confirms (or, to deny, presses
 * [ Abort ] beside Continue), signs in as login with any password and
 * consents, taking whatever pages oidc-provider shows in between.
 */
static gboolean
person_answers (QrsTestIdp *self,
                const char *start,
                const char *user_code,
                const char *login,
                gboolean    deny,
                GError    **error)
{
  g_autoptr (SoupSession) browser = new_session ();
  g_autoptr (SoupMessage) first = NULL;
  g_autoptr (Page) page = NULL;
  g_autofree char *prefix = g_strconcat (self->issuer, "/", NULL);
  g_autofree char *entered = NULL;
  gboolean aborted = FALSE;

  if (g_str_has_prefix (start, prefix))
    first = soup_message_new (SOUP_METHOD_GET, start);
  if (first == NULL)
    {
      g_set_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_PAGE,
                   "“%s” is not a page of the test IdP at %s", start, self->issuer);
      return FALSE;
    }

  soup_session_add_feature_by_type (browser, SOUP_TYPE_COOKIE_JAR);
  page = browser_send (browser, first, error);

  for (guint i = 0; page != NULL && i < MAX_PAGES; i++)
    {
      g_autofree char *title = page_title (page);
      g_autofree char *notice = page_notice (page);
      g_autoptr (Form) form = NULL;

      if (g_strcmp0 (title, "Sign-in Success") == 0)
        {
          if (!deny)
            return TRUE;
          g_set_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_PAGE,
                       "signed in while trying to deny %s", entered);
          return FALSE;
        }

      /* After [ Abort ], the device page comes back saying so. */
      if (aborted)
        {
          if (notice != NULL && strstr (notice, "interrupted") != NULL)
            return TRUE;
          g_set_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_PAGE,
                       "after [ Abort ] the page “%s” says “%s”",
                       title != NULL ? title : "", notice != NULL ? notice : "");
          return FALSE;
        }

      form = page_form (page);
      if (form == NULL)
        {
          g_set_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_PAGE,
                       "the page “%s” (%s) has no form to go on with",
                       title != NULL ? title : "", g_uri_get_path (page->uri));
          return FALSE;
        }

      /* The device page asks for the code; from verification_uri_complete
       * it comes filled in (the confirm page has it too, and "confirm").
       * Asking again after it was entered is a refusal.
       */
      if (g_hash_table_contains (form->fields, "user_code") && !g_hash_table_contains (form->fields, "confirm"))
        {
          if (entered != NULL)
            {
              g_set_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_CODE_REFUSED,
                           "the device page refused %s: %s",
                           entered, notice != NULL ? notice : "(no reason given)");
              return FALSE;
            }
          if (user_code != NULL)
            g_hash_table_replace (form->fields, g_strdup ("user_code"), g_strdup (user_code));
          entered = g_strdup (g_hash_table_lookup (form->fields, "user_code"));
        }

      if (g_hash_table_contains (form->fields, "login"))
        {
          g_hash_table_replace (form->fields, g_strdup ("login"), g_strdup (login));
          g_hash_table_replace (form->fields, g_strdup ("password"), g_strdup ("any password"));
        }

      /* The confirm page: [ Abort ] is a submit button of the same form. */
      if (deny && g_hash_table_contains (form->fields, "confirm"))
        {
          g_hash_table_replace (form->fields, g_strdup ("abort"), g_strdup ("yes"));
          aborted = TRUE;
        }

      g_clear_pointer (&page, page_free);
      page = browser_submit (browser, form, error);
    }

  if (page == NULL)
    return FALSE;

  g_set_error (error, QRS_TEST_IDP_ERROR, QRS_TEST_IDP_ERROR_PAGE,
               "still no answer after %d pages", MAX_PAGES);
  return FALSE;
}

/* The person types the user code on the device page, signs in as Alice
 * and allows the device.
 */
gboolean
qrs_test_idp_approve (QrsTestIdp *self,
                      const char *user_code,
                      GError    **error)
{
  return qrs_test_idp_approve_as (self, user_code, QRS_TEST_IDP_ALICE, error);
}

gboolean
qrs_test_idp_approve_as (QrsTestIdp *self,
                         const char *user_code,
                         const char *login,
                         GError    **error)
{
  g_autofree char *device_page = NULL;

  g_return_val_if_fail (QRS_IS_TEST_IDP (self), FALSE);
  g_return_val_if_fail (user_code != NULL, FALSE);
  g_return_val_if_fail (login != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  device_page = g_strconcat (self->issuer, "/device", NULL);
  return person_answers (self, device_page, user_code, login, FALSE, error);
}

/* The person presses [ Abort ] on the confirm page: the client's next poll
 * is answered access_denied.
 */
gboolean
qrs_test_idp_deny (QrsTestIdp *self,
                   const char *user_code,
                   GError    **error)
{
  g_autofree char *device_page = NULL;

  g_return_val_if_fail (QRS_IS_TEST_IDP (self), FALSE);
  g_return_val_if_fail (user_code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  device_page = g_strconcat (self->issuer, "/device", NULL);
  return person_answers (self, device_page, user_code, QRS_TEST_IDP_ALICE, TRUE, error);
}

/* The person scans the QR code: opens verification_uri_complete (or
 * whatever the code says; it must be a page of this IdP), then goes on as
 * Alice, approving or denying.
 */
gboolean
qrs_test_idp_approve_uri (QrsTestIdp *self,
                          const char *uri,
                          GError    **error)
{
  g_return_val_if_fail (QRS_IS_TEST_IDP (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return person_answers (self, uri, NULL, QRS_TEST_IDP_ALICE, FALSE, error);
}

gboolean
qrs_test_idp_deny_uri (QrsTestIdp *self,
                       const char *uri,
                       GError    **error)
{
  g_return_val_if_fail (QRS_IS_TEST_IDP (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return person_answers (self, uri, NULL, QRS_TEST_IDP_ALICE, TRUE, error);
}

/*
 * Test controls. A failure here is a broken test set-up, not a finding:
 * they assert.
 */

static char *
control (QrsTestIdp *self,
         const char *method,
         const char *path,
         guint       expected_status)
{
  g_autofree char *url = g_strconcat (self->issuer, path, NULL);
  g_autoptr (SoupMessage) message = soup_message_new (method, url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read (self->control, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, expected_status);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The next count device code polls, from any client, are answered
 * slow_down (and, with enforce_interval, grow that code's interval).
 */
void
qrs_test_idp_slow_down (QrsTestIdp *self,
                        guint       count)
{
  g_autofree char *path = g_strdup_printf ("/__test/slow-down?count=%u", count);

  g_return_if_fail (QRS_IS_TEST_IDP (self));

  g_free (control (self, SOUP_METHOD_POST, path, SOUP_STATUS_NO_CONTENT));
}

/* The "interval" of device authorizations from now on: seconds, or
 * QRS_TEST_IDP_NO_INTERVAL.
 */
void
qrs_test_idp_set_interval (QrsTestIdp *self,
                           int         seconds)
{
  g_autofree char *path = NULL;

  g_return_if_fail (QRS_IS_TEST_IDP (self));
  g_return_if_fail (seconds >= QRS_TEST_IDP_NO_INTERVAL);

  if (seconds == QRS_TEST_IDP_NO_INTERVAL)
    path = g_strdup ("/__test/interval?seconds=none");
  else
    path = g_strdup_printf ("/__test/interval?seconds=%d", seconds);

  g_free (control (self, SOUP_METHOD_POST, path, SOUP_STATUS_NO_CONTENT));
}

/* How long device codes issued from now on live. */
void
qrs_test_idp_set_device_ttl (QrsTestIdp *self,
                             guint       seconds)
{
  g_autofree char *path = g_strdup_printf ("/__test/device-ttl?seconds=%u", seconds);

  g_return_if_fail (QRS_IS_TEST_IDP (self));
  g_return_if_fail (seconds > 0);

  g_free (control (self, SOUP_METHOD_POST, path, SOUP_STATUS_NO_CONTENT));
}

/* Back to the options it was started with, no slow_down queued and no
 * polls counted, so that one IdP can serve test after test. Device codes,
 * grants and tokens already given stay valid.
 */
void
qrs_test_idp_reset (QrsTestIdp *self)
{
  g_return_if_fail (QRS_IS_TEST_IDP (self));

  g_free (control (self, SOUP_METHOD_POST, "/__test/reset", SOUP_STATUS_NO_CONTENT));
}

/* How many device code token requests the IdP has had, whatever it answered. */
guint
qrs_test_idp_get_polls (QrsTestIdp *self)
{
  g_autofree char *text = NULL;
  guint64          polls;

  g_return_val_if_fail (QRS_IS_TEST_IDP (self), 0);

  text = control (self, SOUP_METHOD_GET, "/__test/polls", SOUP_STATUS_OK);
  g_assert_true (g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT, &polls, NULL));

  return (guint)polls;
}
