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

/* QRS_DEBUG_TIME_SCALE for the kiosks: they poll ten times as often, so
 * a sign-in on the phone reaches them sooner. The welcome keeps real time.
 */
#define FAST "10"

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

/* Starts qr-signin on this test's display, with @options besides. */
static QrsTestApp *
app_start_with (QrsTestAppOptions  *options,
                const char * const *args)
{
  options->display = qrs_test_display_get_name (display);

  return qrs_test_app_start (options, args);
}

static QrsTestApp *
app_start (const char * const *args,
           const char         *settings)
{
  QrsTestAppOptions options = { .settings = settings };

  return app_start_with (&options, args);
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

/* The kiosk's first sign-in: on the phone once it shows a code, and then
 * until its --on-success command has written the tokens into @sink.
 */
static void
kiosk_sign_in (Fixture    *fixture,
               const char *name,
               const char *sink)
{
  SinkLines done = { sink, 1 };

  wait_for_codes (fixture, 1);
  sign_in_on_phone (fixture, name);
  g_assert_true (qrs_test_wait_until (sink_has_lines, &done, POLL_MS, QRS_TEST_PROCESS_TIMEOUT_MS));
}

/* How many lines of @text are not empty. */
static guint
count_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += lines[i][0] != '\0';

  return n;
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
  const char *environment[4];   /* as QrsTestAppOptions.environment */
  gboolean stdout_closed;
} UsageCase;

#define NO_DISPLAY_MESSAGE "No display can be opened: qr-signin needs a graphical session (WAYLAND_DISPLAY or DISPLAY).\n"

static const UsageCase usage_cases[] = {
  { "no-server", { "--app-id=a", NULL },
    "No sign-in server is set: pass --server=https://… or set the “server” key in GSettings.\n" },
  { "no-app-id", { "--server=https://example.genauth.ai", NULL },
    "No app id is set: pass --app-id=ID or set the “app-id” key in GSettings.\n" },
  /* As on a first run (nothing in GSettings), but a caller named the
   * server: it wants an answer, not a setup page.
   */
  { "first-run-server-only", { "--server=https://example.genauth.ai", NULL },
    "No app id is set: pass --app-id=ID or set the “app-id” key in GSettings.\n",
    { "GSETTINGS_BACKEND=memory", NULL } },
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
  { "stray-argument", { "--server=https://example.genauth.ai", "--app-id=a", "extra", NULL },
    "qr-signin takes no words after its options, but was given “extra”: see “qr-signin --help”.\n" },
  { "no-display", { "--server=https://example.genauth.ai", "--app-id=a", NULL },
    NO_DISPLAY_MESSAGE, { "DISPLAY", "GDK_BACKEND", NULL } },
  { "bad-x11-display", { "--server=https://example.genauth.ai", "--app-id=a", NULL },
    NO_DISPLAY_MESSAGE, { "DISPLAY=:65000", "GDK_BACKEND=x11", NULL } },
  { "bad-wayland-display", { "--server=https://example.genauth.ai", "--app-id=a", NULL },
    NO_DISPLAY_MESSAGE, { "DISPLAY", "WAYLAND_DISPLAY=qrs-no-such-display", "GDK_BACKEND=wayland" } },
  /* A first run with no display has no setup page to open. */
  { "first-run-no-display", { NULL },
    NO_DISPLAY_MESSAGE, { "GSETTINGS_BACKEND=memory", "DISPLAY", "GDK_BACKEND", NULL } },
  /* The tokens would go nowhere. */
  { "stdout-closed", { "--server=https://example.genauth.ai", "--app-id=a", NULL },
    "Standard output is closed, and that is where qr-signin writes the tokens: run it with its output going somewhere.\n",
    { NULL }, TRUE },
};

/* No critical or warning from anyone in @stderr_text. */
static void
assert_no_complaints (const char *stderr_text)
{
  g_assert_null (strstr (stderr_text, "CRITICAL"));
  g_assert_null (strstr (stderr_text, "WARNING"));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  user_data)
{
  const UsageCase *usage = user_data;
  QrsTestAppOptions options = {
    .environment = usage->environment,
    .stdout_closed = usage->stdout_closed,
  };
  g_autoptr(QrsTestApp) app = app_start_with (&options, usage->args);

  g_assert_cmpint (app_wait (app), ==, 2);
  if (!usage->stdout_closed)
    g_assert_cmpstr (app->stdout_text, ==, "");

  /* One sentence, on one line. */
  g_assert_cmpuint (strlen (app->stderr_text), >, 10);
  g_assert_nonnull (strchr (app->stderr_text, '\n'));
  g_assert_cmpstr (strchr (app->stderr_text, '\n') + 1, ==, "");
  if (usage->message != NULL)
    g_assert_cmpstr (app->stderr_text, ==, usage->message);

  /* Not GLib's or GTK's words, and no window was ever made. */
  assert_no_complaints (app->stderr_text);
  g_assert_null (strstr (app->stderr_text, "Gtk"));
}

/* A first run, with nothing in GSettings and nothing on the command line:
 * not exit 2, but the window, on its setup page.
 */
static void
test_first_run (Fixture       *fixture,
                gconstpointer  user_data)
{
  /* Its debug messages without --verbose, so the command line stays bare. */
  const char * const environment[] = { "GSETTINGS_BACKEND=memory", "G_MESSAGES_DEBUG=qr-signin-ui", NULL };
  const char *args[] = { NULL };
  QrsTestAppOptions options = { .environment = environment };
  g_autoptr(QrsTestApp) app = app_start_with (&options, args);
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *screenshot = NULL;

  qrs_test_app_wait_for_window (app);
  g_assert_false (qrs_test_app_has_exited (app));

  /* For a person to look at: the welcome, the server fields, "Try the
   * Demo". No code on it: nothing to sign in to yet.
   */
  screenshot = qrs_test_screenshot (qrs_test_display_get_name (display), "cli-first-run");
  codes = qrs_test_read_screen_codes (qrs_test_display_get_name (display));
  g_assert_cmpuint (codes->len, ==, 0);
  g_assert_false (qrs_test_app_has_exited (app));

  /* Leaving the setup page is closing the window. */
  qrs_test_app_press_key (app, "Escape");
  g_assert_cmpint (app_wait (app), ==, 1);
  g_assert_cmpstr (app->stdout_text, ==, "");
  g_assert_nonnull (strstr (app->stderr_text, "Nothing configured: the window opens on the setup page"));
  assert_no_complaints (app->stderr_text);
}

/* --version needs no display and no configuration. */
static void
test_version (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char * const environment[] = { "DISPLAY", "GSETTINGS_BACKEND=memory", NULL };
  const char *args[] = { "--version", NULL };
  QrsTestAppOptions options = { .environment = environment };
  g_autoptr(QrsTestApp) app = app_start_with (&options, args);

  g_assert_cmpint (app_wait (app), ==, 0);
  g_assert_cmpstr (app->stdout_text, ==, "qr-signin " PACKAGE_VERSION "\n");
  g_assert_cmpstr (app->stderr_text, ==, "");
}

/* A kiosk, fast, with @options besides, whose --on-success command
 * appends the tokens to @sink.
 */
static QrsTestApp *
kiosk_start (Fixture           *fixture,
             QrsTestAppOptions *options,
             const char        *sink)
{
  g_autofree char *on_success = g_strdup_printf ("--on-success=sh -c 'cat >> \"%s\"'", sink);
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", "--kiosk", on_success, NULL };

  options->time_scale = FAST;

  return app_start_with (options, args);
}

/* A kiosk hands its tokens to --on-success, not to stdout: it does not
 * need one.
 */
static void
test_kiosk_stdout_closed (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *sink = g_build_filename (fixture->tmpdir, "tokens.jsonl", NULL);
  QrsTestAppOptions options = { .stdout_closed = TRUE };
  g_autoptr(QrsTestApp) app = kiosk_start (fixture, &options, sink);
  g_auto(GStrv) lines = NULL;

  kiosk_sign_in (fixture, "Ada", sink);
  lines = qrs_test_read_lines (sink);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  qrs_test_assert_token_line (lines[0], "Ada");
  g_assert_false (qrs_test_app_has_exited (app));

  g_subprocess_send_signal (app->process, SIGTERM);
  g_assert_cmpint (app_wait (app), ==, 1);
  g_assert_null (strstr (app->stderr_text, "Standard output"));
}

/* A value GSettings allows but the app cannot use: a warning that names
 * the key and what is used instead, and the kiosk runs on with that.
 */
static void
test_bad_setting (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *sink = g_build_filename (fixture->tmpdir, "tokens.jsonl", NULL);
  QrsTestAppOptions options = { .settings = "welcome-seconds=uint32 0" };
  g_autoptr(QrsTestApp) app = kiosk_start (fixture, &options, sink);
  g_auto(QrsTestCodes) codes = { 0, };
  g_autoptr(GError) error = NULL;
  CodeCount next = { fixture, 0 };

  kiosk_sign_in (fixture, "Ada", sink);

  /* The welcome lasts the default 5 s, not 0 s: no new code for a while. */
  qrs_test_server_get_codes (fixture->server, &codes, &error);
  g_assert_no_error (error);
  next.n = codes.n + 1;
  g_assert_false (qrs_test_wait_until (has_codes, &next, POLL_MS, 1500));
  g_assert_false (qrs_test_app_has_exited (app));

  g_subprocess_send_signal (app->process, SIGTERM);
  g_assert_cmpint (app_wait (app), ==, 1);
  g_assert_cmpuint (count_lines (app->stderr_text), ==, 1);
  g_assert_nonnull (strstr (app->stderr_text, "-WARNING **"));
  g_assert_nonnull (strstr (app->stderr_text,
                            "The GSettings key “welcome-seconds” has the value “0”, which it cannot have: "
                            "using “5” instead\n"));
}

static gboolean
screen_shows_code (gpointer user_data)
{
  g_autoptr(GPtrArray) codes = qrs_test_read_screen_codes (qrs_test_display_get_name (display));

  return codes->len > 0;
}

/* SIGTERM or SIGINT while a code is on screen: as closing the window. */
static void
test_window_signal (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", NULL };
  g_autoptr(QrsTestApp) app = app_start (args, NULL);

  wait_for_codes (fixture, 1);
  g_assert_true (qrs_test_wait_until (screen_shows_code, NULL, 100, QRS_TEST_PROCESS_TIMEOUT_MS));

  g_subprocess_send_signal (app->process, GPOINTER_TO_INT (user_data));
  g_assert_cmpint (app_wait (app), ==, 1);
  g_assert_cmpstr (app->stdout_text, ==, "");
}

typedef struct {
  GPid pgid;
  const char *name;   /* NULL: none at all */
} GroupCheck;

/* Whether the process group has a live @name in it, or (@name NULL) is
 * empty.
 */
static gboolean
group_matches (gpointer user_data)
{
  GroupCheck *check = user_data;
  g_auto(GStrv) members = qrs_test_process_group_members (check->pgid);

  if (check->name == NULL)
    return members[0] == NULL;

  return g_strv_contains ((const char * const *) members, check->name);
}

/* SIGTERM while the --on-success command runs: the kiosk stops, and ends
 * the command and everything it started first.
 */
static void
test_kiosk_signal (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *sink = g_build_filename (fixture->tmpdir, "tokens.jsonl", NULL);
  g_autofree char *pid_file = g_build_filename (fixture->tmpdir, "pid", NULL);
  /* sh is the leader of the command's process group; sleep is in it. */
  g_autofree char *on_success = g_strdup_printf ("--on-success=sh -c 'echo $$ > \"%s\"; cat > \"%s\"; sleep 300'",
                                                 pid_file, sink);
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", "--kiosk", on_success, NULL };
  QrsTestAppOptions options = { .time_scale = FAST };
  g_autoptr(QrsTestApp) app = app_start_with (&options, args);
  g_autofree char *pid = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GroupCheck check = { 0, "sleep" };

  kiosk_sign_in (fixture, "Ada", sink);
  g_assert_true (g_file_get_contents (pid_file, &pid, NULL, NULL));
  check.pgid = (GPid) g_ascii_strtoll (pid, NULL, 10);
  g_assert_cmpint (check.pgid, >, 1);
  g_assert_true (qrs_test_wait_until (group_matches, &check, POLL_MS, QRS_TEST_PROCESS_TIMEOUT_MS));

  /* The command read the tokens whole: one complete line. */
  g_assert_true (g_file_get_contents (sink, &contents, NULL, NULL));
  lines = qrs_test_read_lines (sink);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_suffix (contents, "\n"));
  g_assert_cmpuint (strlen (contents), ==, strlen (lines[0]) + 1);
  qrs_test_assert_token_line (lines[0], "Ada");

  g_subprocess_send_signal (app->process, SIGTERM);
  g_assert_cmpint (app_wait (app), ==, 1);
  g_assert_cmpstr (app->stdout_text, ==, "");

  /* Killed, not waited for: gone at once, not after 300 s. */
  check.name = NULL;
  g_assert_true (qrs_test_wait_until (group_matches, &check, POLL_MS, 5000));
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

static void
test_kiosk (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *sink = g_build_filename (fixture->tmpdir, "tokens.jsonl", NULL);
  g_autofree char *env_file = g_build_filename (fixture->tmpdir, "env.txt", NULL);
  g_autofree char *on_success = g_strdup_printf ("--on-success=sh -c 'cat >> \"%s\"; env > \"%s\"'", sink, env_file);
  const char *args[] = { fixture->server_option, "--app-id=qrs-demo-app", "--kiosk", on_success, NULL };
  const char *names[] = { "Ada", "Grace", "Hedy" };
  QrsTestAppOptions options = { .settings = "welcome-seconds=1", .time_scale = FAST };
  g_autoptr(QrsTestApp) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *environment = NULL;
  g_auto(GStrv) lines = NULL;

  /* A one-second welcome (the least there is) keeps the test short. */
  app = app_start_with (&options, args);

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
  /* Nor the empty theme main() lends GTK for its start-up. */
  g_assert_null (strstr (environment, "GTK_THEME=Empty\n"));

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
  ADD ("/cli/first-run", test_first_run, NULL);
  ADD ("/cli/version", test_version, NULL);
  ADD ("/cli/kiosk-stdout-closed", test_kiosk_stdout_closed, NULL);
  ADD ("/cli/bad-setting", test_bad_setting, NULL);
  ADD ("/cli/signal/window-sigterm", test_window_signal, GINT_TO_POINTER (SIGTERM));
  ADD ("/cli/signal/window-sigint", test_window_signal, GINT_TO_POINTER (SIGINT));
  ADD ("/cli/signal/kiosk-command", test_kiosk_signal, NULL);
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
