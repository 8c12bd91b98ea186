/* test-cli.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "qrs-test-process.h"
#include "qrs-test-wait.h"

/* The real programs, as a caller uses them: qr-signin against
 * qr-signin-emulator, each in its own process, on an X display of this
 * test's own (other tests' windows are called "QR Sign-In" too).
 */

#define POLL_MS 20

typedef struct {
  QrsTestServer *server;
  char *server_option;
  char *tmpdir;
} Fixture;

/* One Xvfb for the whole run: the tests in here run one after another. */
static QrsTestDisplay *display;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->tmpdir = qrs_test_make_tmp_dir ("qrs-cli-XXXXXX");
  fixture->server = qrs_test_server_start (NULL, NULL);
  fixture->server_option = g_strconcat ("--server=", fixture->server->url, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  qrs_test_server_stop (fixture->server);
  qrs_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->server_option);
}

static QrsTestApp *
app_start (const char * const *args,
           const char         *settings)
{
  QrsTestAppOptions options = {
    .display = qrs_test_display_get_name (display),
    .settings = settings,
  };

  return qrs_test_app_start (&options, args);
}

/* Runs until the app exits; returns its exit status. */
static int
app_wait (QrsTestApp *app)
{
  g_assert_true (qrs_test_app_wait (app, QRS_TEST_PROCESS_TIMEOUT_MS));

  return qrs_test_app_get_status (app);
}

typedef struct {
  Fixture *fixture;
  guint n;
} CodeCount;

static gboolean
has_codes (gpointer user_data)
{
  CodeCount *count = user_data;
  g_auto(QrsTestCodes) codes = { 0, };
  g_autoptr(GError) error = NULL;

  qrs_test_server_get_codes (count->fixture->server, &codes, &error);
  g_assert_no_error (error);

  return codes.n >= count->n;
}

/* Until the app has asked for its @n-th code. */
static void
wait_for_codes (Fixture *fixture,
                guint    n)
{
  CodeCount count = { fixture, n };

  g_assert_true (qrs_test_wait_until (has_codes, &count, POLL_MS, QRS_TEST_PROCESS_TIMEOUT_MS));
}

/* Scans and confirms the newest code, as the phone would. The server
 * takes CONFIRM right after SCAN; the app hears both at its next poll.
 */
static void
sign_in_on_phone (Fixture    *fixture,
                  const char *name)
{
  g_autoptr(GError) error = NULL;

  qrs_test_server_phone (fixture->server, NULL, "SCAN", name, &error);
  g_assert_no_error (error);
  qrs_test_server_phone (fixture->server, NULL, "CONFIRM", NULL, &error);
  g_assert_no_error (error);
}

static void
test_window_mode (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", "--verbose", NULL };
  g_autoptr(QrsTestApp) app = app_start (args, NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *tokens[3];
  JsonObject *object;

  wait_for_codes (fixture, 1);
  sign_in_on_phone (fixture, "Zoë “Z” 张");
  g_assert_cmpint (app_wait (app), ==, 0);

  /* Exactly one JSON object, on one line, and nothing else. */
  lines = g_strsplit (app->stdout_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[1], ==, "");
  qrs_test_assert_token_line (lines[0], "Zoë “Z” 张");

  /* --verbose talks on stderr, and never says a token. */
  g_assert_true (json_parser_load_from_data (parser, lines[0], -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  tokens[0] = json_object_get_string_member (object, "access_token");
  tokens[1] = json_object_get_string_member (object, "id_token");
  tokens[2] = json_object_get_string_member (object, "refresh_token");
  g_assert_nonnull (strstr (app->stderr_text, "Sign-in status"));
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_assert_null (strstr (app->stderr_text, tokens[i]));
}

static void
test_close (Fixture       *fixture,
            gconstpointer  user_data)
{
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", NULL };
  g_autoptr(QrsTestApp) app = app_start (args, NULL);

  /* Escape, as a person leaving the window that shows a code. */
  wait_for_codes (fixture, 1);
  qrs_test_app_press_key (app, "Escape");
  g_assert_cmpint (app_wait (app), ==, 1);
  g_assert_cmpstr (app->stdout_text, ==, "");
}

typedef struct {
  const char *name;
  const char *args[4];
  const char *message;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "no-server", { "--app-id=a", NULL },
    "No sign-in server is set: pass --server=https://… or set the “server” key in GSettings.\n" },
  { "no-app-id", { "--server=https://example.genauth.ai", NULL },
    NULL },
  { "malformed-url", { "--server=htp:/nowhere", "--app-id=a", NULL },
    NULL },
  { "insecure-http", { "--server=http://example.com", "--app-id=a", NULL },
    "“http://example.com” would be reached over plain, unencrypted http: use https://, or pass --allow-insecure-http (or set the “allow-insecure-http” key in GSettings) if you really mean it.\n" },
  { "bad-qr-source", { "--server=https://example.genauth.ai", "--app-id=a", "--qr-source=png", NULL },
    NULL },
  { "on-success-without-kiosk", { "--server=https://example.genauth.ai", "--app-id=a", "--on-success=true", NULL },
    NULL },
  { "unknown-option", { "--frobnicate", NULL },
    "Unknown option --frobnicate\n" },
};

static void
test_usage (Fixture       *fixture,
            gconstpointer  user_data)
{
  const UsageCase *usage = user_data;
  g_autoptr(QrsTestApp) app = app_start (usage->args, NULL);

  g_assert_cmpint (app_wait (app), ==, 2);
  g_assert_cmpstr (app->stdout_text, ==, "");

  /* One sentence, on one line. */
  g_assert_cmpuint (strlen (app->stderr_text), >, 10);
  g_assert_nonnull (strchr (app->stderr_text, '\n'));
  g_assert_cmpstr (strchr (app->stderr_text, '\n') + 1, ==, "");
  if (usage->message != NULL)
    g_assert_cmpstr (app->stderr_text, ==, usage->message);

  /* No window was ever made. */
  g_assert_null (strstr (app->stderr_text, "Gtk"));
}

static void
test_http_loopback_allowed (Fixture       *fixture,
                            gconstpointer  user_data)
{
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", NULL };
  g_autoptr(QrsTestApp) app = app_start (args, NULL);

  /* Plain http to this computer needs no flag: it asks for a code. */
  wait_for_codes (fixture, 1);
  g_subprocess_send_signal (app->process, SIGTERM);
  app_wait (app);
}

typedef struct {
  const char *path;
  guint n;
} SinkLines;

static gboolean
sink_has_lines (gpointer user_data)
{
  SinkLines *sink = user_data;
  g_auto(GStrv) lines = qrs_test_read_lines (sink->path);

  return g_strv_length (lines) >= sink->n;
}

static void
test_kiosk (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *sink = g_build_filename (fixture->tmpdir, "tokens.jsonl", NULL);
  g_autofree char *env_file = g_build_filename (fixture->tmpdir, "env.txt", NULL);
  g_autofree char *on_success = g_strdup_printf ("--on-success=sh -c 'cat >> \"%s\"; env > \"%s\"'", sink, env_file);
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", "--kiosk", on_success, NULL };
  const char *names[] = { "Ada", "Grace", "Hedy" };
  g_autoptr(QrsTestApp) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *environment = NULL;
  g_auto(GStrv) lines = NULL;

  /* A one-second welcome (the least there is) keeps the test short. */
  app = app_start (args, "welcome-seconds=1");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      SinkLines done = { sink, i + 1 };

      wait_for_codes (fixture, i + 1);
      sign_in_on_phone (fixture, names[i]);

      /* Between sign-ins the server breaks; the kiosk rides it out. */
      if (i == 0)
        {
          qrs_test_server_fault (fixture->server, "gene-qrcode", "http500", 2, 0, &error);
          g_assert_no_error (error);
        }

      g_assert_true (qrs_test_wait_until (sink_has_lines, &done, POLL_MS, QRS_TEST_PROCESS_TIMEOUT_MS));
    }

  g_assert_false (qrs_test_app_has_exited (app));
  lines = qrs_test_read_lines (sink);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    qrs_test_assert_token_line (lines[i], names[i]);

  /* No token in the hook's environment. */
  g_assert_true (g_file_get_contents (env_file, &environment, NULL, NULL));
  g_assert_null (strstr (environment, "access_token"));

  /* Nothing for the kiosk's own stdout. */
  g_subprocess_send_signal (app->process, SIGTERM);
  app_wait (app);
  g_assert_cmpstr (app->stdout_text, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/window-mode", test_window_mode, NULL);
  ADD ("/cli/close", test_close, NULL);
  ADD ("/cli/http-loopback", test_http_loopback_allowed, NULL);
  ADD ("/cli/kiosk", test_kiosk, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/cli/usage/", usage_cases[i].name, NULL);

      ADD (path, test_usage, &usage_cases[i]);
    }

#undef ADD

  display = qrs_test_display_new ();
  status = g_test_run ();
  qrs_test_display_free (display);

  return status;
}
