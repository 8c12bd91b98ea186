/* test-cli.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* The real programs, as a caller uses them: qr-signin against
 * qr-signin-emulator, each in its own process, under Xvfb.
 */

typedef struct {
  GSubprocess *emulator;
  char *url;
  SoupSession *session;
  char *tmpdir;
} Fixture;

static GSubprocessLauncher *
launcher_new (Fixture *fixture)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", g_getenv ("QRS_SCHEMA_DIR"), TRUE);
  /* Settings come from a key file the test writes, not from the machine. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->tmpdir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");

  return launcher;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("qrs-cli-XXXXXX", &error);
  g_assert_no_error (error);

  launcher = launcher_new (fixture);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  fixture->emulator = g_subprocess_launcher_spawn (launcher, &error,
                                                   g_getenv ("QRS_EMULATOR_BINARY"), "--port=0",
                                                   NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->emulator));
  fixture->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fixture->url, "http://127.0.0.1:"));

  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->tmpdir);

  g_subprocess_send_signal (fixture->emulator, SIGTERM);
  g_subprocess_wait (fixture->emulator, NULL, NULL);
  g_clear_object (&fixture->emulator);
  g_clear_object (&fixture->session);
  g_free (fixture->url);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (fixture->tmpdir);
}

/* POSTs a hook; returns the HTTP status. */
static guint
hook (Fixture    *fixture,
      const char *path,
      const char *json)
{
  g_autofree char *url = g_strconcat (fixture->url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) reply = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", body);
  reply = soup_session_send_and_read (fixture->session, message, NULL, NULL);

  return soup_message_get_status (message);
}

static guint
count_codes (Fixture *fixture)
{
  g_autofree char *url = g_strconcat (fixture->url, "/__emu/codes", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) reply = soup_session_send_and_read (fixture->session, message, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *codes;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                             g_bytes_get_size (reply), NULL));
  codes = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "codes");

  return json_array_get_length (json_node_get_array (codes));
}

static void
wait_for_codes (Fixture *fixture,
                guint    n)
{
  for (guint i = 0; i < 200 && count_codes (fixture) < n; i++)
    g_usleep (50 * 1000);
  g_assert_cmpuint (count_codes (fixture), >=, n);
}

/* Scans and confirms the newest code, as the phone would; the app polls at
 * its own pace, so the confirmation waits until the scan was seen... or not:
 * the server accepts CONFIRM right after SCAN.
 */
static void
sign_in_on_phone (Fixture    *fixture,
                  const char *name)
{
  g_autofree char *scan = g_strdup_printf ("{\"action\":\"SCAN\",\"displayName\":\"%s\"}", name);

  g_assert_cmpuint (hook (fixture, "/__emu/phone", scan), ==, 200);
  g_usleep (600 * 1000);
  g_assert_cmpuint (hook (fixture, "/__emu/phone", "{\"action\":\"CONFIRM\"}"), ==, 200);
}

typedef struct {
  GSubprocess *process;
  char *stdout_text;
  char *stderr_text;
  gboolean done;
} Run;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                        &run->stdout_text, &run->stderr_text, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

static Run *
app_start (Fixture            *fixture,
           const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (fixture);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);

  g_ptr_array_add (argv, (gpointer) g_getenv ("QRS_APP_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  run->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (run->process, NULL, NULL, communicate_cb, run);

  return run;
}

static int
app_wait (Run   *run,
          guint  seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!run->done && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  g_assert_true (run->done);

  return g_subprocess_get_if_exited (run->process) ? g_subprocess_get_exit_status (run->process) : -1;
}

static void
run_free (Run *run)
{
  if (!run->done)
    {
      g_subprocess_force_exit (run->process);
      while (!run->done)
        g_main_context_iteration (NULL, TRUE);
    }
  g_object_unref (run->process);
  g_free (run->stdout_text);
  g_free (run->stderr_text);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
pump (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
}

static void
assert_token_json (const char *line,
                   const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object, *user;
  const char *keys[] = { "access_token", "id_token", "refresh_token", "token_type", "scope" };

  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpuint (strlen (json_object_get_string_member (object, keys[i])), >, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 7200);
  g_assert_false (json_object_has_member (object, "expire_in"));
  user = json_object_get_object_member (object, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, name);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (user, "photo"), "http://127.0.0.1:"));
}

static void
test_window_mode (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *server = g_strconcat ("--server=", fixture->url, NULL);
  const char *args[] = { server, "--app-id=qrs-demo-app", "--verbose", NULL };
  g_autoptr(Run) run = app_start (fixture, args);
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *tokens[3];
  JsonObject *object;

  wait_for_codes (fixture, 1);
  sign_in_on_phone (fixture, "Zoë “Z” 张");
  g_assert_cmpint (app_wait (run, 20), ==, 0);

  /* Exactly one JSON object, on one line, and nothing else. */
  lines = g_strsplit (run->stdout_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[1], ==, "");
  assert_token_json (lines[0], "Zoë “Z” 张");

  /* --verbose talks on stderr, and never says a token. */
  g_assert_true (json_parser_load_from_data (parser, lines[0], -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  tokens[0] = json_object_get_string_member (object, "access_token");
  tokens[1] = json_object_get_string_member (object, "id_token");
  tokens[2] = json_object_get_string_member (object, "refresh_token");
  g_assert_nonnull (strstr (run->stderr_text, "Sign-in status"));
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_assert_null (strstr (run->stderr_text, tokens[i]));
}

static void
test_close (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *server = g_strconcat ("--server=", fixture->url, NULL);
  const char *args[] = { server, "--app-id=qrs-demo-app", NULL };
  g_autoptr(Run) run = app_start (fixture, args);
  g_autofree char *xdotool_out = NULL;
  int xdotool_status = 0;

  wait_for_codes (fixture, 1);
  pump (300);

  /* Escape, as a person leaving the window. */
  g_assert_true (g_spawn_command_line_sync ("xdotool search --sync --name '^QR Sign-In$' windowfocus --sync key Escape",
                                            &xdotool_out, NULL, &xdotool_status, NULL));
  g_assert_cmpint (app_wait (run, 20), ==, 1);
  g_assert_cmpstr (run->stdout_text, ==, "");
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
  g_autoptr(Run) run = app_start (fixture, usage->args);

  g_assert_cmpint (app_wait (run, 20), ==, 2);
  g_assert_cmpstr (run->stdout_text, ==, "");

  /* One sentence, on one line. */
  g_assert_cmpuint (strlen (run->stderr_text), >, 10);
  g_assert_nonnull (strchr (run->stderr_text, '\n'));
  g_assert_cmpstr (strchr (run->stderr_text, '\n') + 1, ==, "");
  if (usage->message != NULL)
    g_assert_cmpstr (run->stderr_text, ==, usage->message);

  /* No window was ever made. */
  g_assert_null (strstr (run->stderr_text, "Gtk"));
}

static void
test_http_loopback_allowed (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autofree char *server = g_strconcat ("--server=", fixture->url, NULL);
  const char *args[] = { server, "--app-id=qrs-demo-app", NULL };
  g_autoptr(Run) run = app_start (fixture, args);

  /* Plain http to this computer needs no flag: it asks for a code. */
  wait_for_codes (fixture, 1);
  g_subprocess_send_signal (run->process, SIGTERM);
  app_wait (run, 20);
}

static void
test_kiosk (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *server = g_strconcat ("--server=", fixture->url, NULL);
  g_autofree char *sink = g_build_filename (fixture->tmpdir, "tokens.jsonl", NULL);
  g_autofree char *env_file = g_build_filename (fixture->tmpdir, "env.txt", NULL);
  g_autofree char *on_success = g_strdup_printf ("--on-success=sh -c 'cat >> \"%s\"; env > \"%s\"'", sink, env_file);
  g_autofree char *config_dir = g_build_filename (fixture->tmpdir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (config_dir, "keyfile", NULL);
  const char *args[] = { server, "--app-id=qrs-demo-app", "--kiosk", on_success, NULL };
  const char *names[] = { "Ada", "Grace", "Hedy" };
  g_autoptr(Run) run = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *environment = NULL;
  g_auto(GStrv) lines = NULL;

  /* A one-second welcome keeps the test short. */
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, "[io/github/qrsignin/QrSignIn]\nwelcome-seconds=1\n", -1, NULL));

  run = app_start (fixture, args);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      wait_for_codes (fixture, i + 1);
      pump (300);
      sign_in_on_phone (fixture, names[i]);

      /* Between sign-ins the server breaks; the kiosk rides it out. */
      if (i == 0)
        g_assert_cmpuint (hook (fixture, "/__emu/fault",
                                "{\"endpoint\":\"gene-qrcode\",\"mode\":\"http500\",\"count\":2}"), ==, 200);

      for (guint j = 0; j < 400; j++)
        {
          g_clear_pointer (&contents, g_free);
          g_file_get_contents (sink, &contents, NULL, NULL);
          if (contents != NULL)
            {
              g_auto(GStrv) done = g_strsplit (contents, "\n", -1);

              if (g_strv_length (done) > i + 1)
                break;
            }
          pump (50);
        }
    }

  g_assert_false (run->done);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (sink, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    assert_token_json (lines[i], names[i]);

  /* Nothing for the kiosk's own stdout, and no token in the hook's
   * environment.
   */
  g_assert_true (g_file_get_contents (env_file, &environment, NULL, NULL));
  g_assert_null (strstr (environment, "access_token"));

  g_subprocess_send_signal (run->process, SIGTERM);
  app_wait (run, 20);
  g_assert_cmpstr (run->stdout_text, ==, "");
}

int
main (int   argc,
      char *argv[])
{
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

  return g_test_run ();
}
