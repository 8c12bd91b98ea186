/* test-emulator-binary.c — the qr-signin-emulator program
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "emu-test-util.h"

#define SECRET_ENV "QRS_EMULATOR_CLIENT_SECRET"

typedef struct
{
  GSubprocess *process;
  GDataInputStream *stdout_stream;
  EmuFixture fx;
} Server;

static const char *
binary_path (void)
{
  const char *path = g_getenv ("QRS_EMULATOR_BINARY");

  g_assert_nonnull (path);
  return path;
}

static GSubprocess *
spawn (const char * const  *options,
       const char          *secret_env,
       GSubprocessFlags     flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (secret_env != NULL)
    g_subprocess_launcher_setenv (launcher, SECRET_ENV, secret_env, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, SECRET_ENV);

  g_ptr_array_add (argv, (gpointer) binary_path ());
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) options[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

typedef struct
{
  char *line;
  GError *error;
  gboolean done;
} LineData;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineData *data = user_data;

  data->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &data->error);
  data->done = TRUE;
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_error ("The emulator did not print its URL in time");

  return G_SOURCE_REMOVE;
}

/* Starts the binary and waits for the one line it prints when ready. */
static void
server_start (Server             *server,
              const char * const *options,
              const char         *secret_env,
              const char         *app_id)
{
  LineData data = { NULL, NULL, FALSE };
  g_autoptr(GRegex) url = g_regex_new ("^http://127\\.0\\.0\\.1:[0-9]{1,5}$", 0, 0, NULL);
  guint give_up;

  server->process = spawn (options, secret_env, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  server->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));

  give_up = g_timeout_add_seconds (10, give_up_cb, NULL);
  g_data_input_stream_read_line_async (server->stdout_stream, G_PRIORITY_DEFAULT, NULL, read_line_cb, &data);
  while (!data.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (give_up);

  g_assert_no_error (data.error);
  g_assert_nonnull (data.line);
  g_assert_true (g_regex_match (url, data.line, 0, NULL));

  server->fx.base = data.line;
  server->fx.app_id = app_id;
  server->fx.session = soup_session_new_with_options ("timeout", 10, NULL);
}

static char *
read_all (GInputStream *stream)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (bytes, buffer, (guint) n);
  g_assert_no_error (error);
  g_byte_array_append (bytes, (const guint8 *) "", 1);

  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

/* Sends @signum, waits for the exit; returns what the program wrote on
 * stderr. Nothing may follow the URL line on stdout.
 */
static char *
server_stop (Server *server,
             int     signum)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;
  char *errors;

  soup_session_abort (server->fx.session);
  g_assert_finalize_object (g_steal_pointer (&server->fx.session));

  g_subprocess_send_signal (server->process, signum);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);

  rest = read_all (G_INPUT_STREAM (server->stdout_stream));
  g_assert_cmpstr (rest, ==, "");
  errors = read_all (g_subprocess_get_stderr_pipe (server->process));

  g_clear_object (&server->stdout_stream);
  g_clear_object (&server->process);
  g_clear_pointer (&server->fx.base, g_free);

  return errors;
}

static void
test_serves_and_stops (void)
{
  const char * const options[] = {
    "--port=0", "--app-id=bin-app", "--userpool-id=bin-pool", "--qr-ttl=5", "--ticket-ttl=7", "--verbose", NULL
  };
  Server server = { NULL };
  g_autofree char *qrcode_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *ticket = NULL;
  g_autoptr(EmuResponse) wrong_app = NULL;
  g_autoptr(EmuResponse) codes = NULL;
  g_autoptr(EmuResponse) clock = NULL;
  g_autoptr(EmuResponse) exchange = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;

  server_start (&server, options, NULL, "bin-app");

  qrcode_id = emu_gene_qrcode (&server.fx);
  codes = emu_request (&server.fx, "GET", "/__emu/codes", NULL, 0, NULL);
  created = g_date_time_new_from_iso8601 (emu_json_string (codes->root, "codes.0.createdAt"), NULL);
  expires = g_date_time_new_from_iso8601 (emu_json_string (codes->root, "codes.0.expireAt"), NULL);
  g_assert_cmpint (g_date_time_difference (expires, created), ==, 5 * G_USEC_PER_SEC);

  clock = emu_request (&server.fx, "POST", "/__emu/clock", "{\"advance\":5}", 0, NULL);
  g_assert_cmpuint (clock->status, ==, 200);
  status = emu_get_status (&server.fx, qrcode_id);
  g_assert_cmpstr (status, ==, "EXPIRED");

  /* --ticket-ttl: a ticket is refused after 7 s. */
  ticket = emu_authorize (&server.fx);
  g_clear_pointer (&clock, emu_response_free);
  clock = emu_request (&server.fx, "POST", "/__emu/clock", "{\"advance\":7}", 0, NULL);
  exchange = emu_exchange (&server.fx, ticket);
  emu_assert_envelope (exchange, 400, 0, "ticket 已过期");

  server.fx.app_id = QRS_EMULATOR_DEFAULT_APP_ID;
  wrong_app = emu_api (&server.fx, "POST", "/api/v3/gene-qrcode", "{\"type\":\"MOBILE_APP\"}");
  emu_assert_envelope (wrong_app, 400, 2011, "应用不存在");

  errors = server_stop (&server, SIGTERM);
  /* --verbose: one line per request on stderr. */
  g_assert_nonnull (strstr (errors, " ms  POST   /api/v3/gene-qrcode → 200\n"));
  g_assert_nonnull (strstr (errors, " ms  GET    /api/v3/check-qrcode-status → 200\n"));
  g_assert_nonnull (strstr (errors, " ms  POST   /api/v3/exchange-tokenset-with-qrcode-ticket → 200\n"));
}

static void
test_sigint (void)
{
  Server server = { NULL };
  g_autofree char *qrcode_id = NULL;
  g_autofree char *errors = NULL;

  server_start (&server, NULL, NULL, QRS_EMULATOR_DEFAULT_APP_ID);
  qrcode_id = emu_gene_qrcode (&server.fx);
  errors = server_stop (&server, SIGINT);

  /* Without --verbose nothing is printed at all. */
  g_assert_cmpstr (errors, ==, "");
}

static void
test_client_secret_env (void)
{
  const char * const options[] = { "--token-auth-method=client_secret_post", NULL };
  Server server = { NULL };
  g_autofree char *ticket = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;
  g_autofree char *errors = NULL;
  g_autoptr(EmuResponse) refused = NULL;
  g_autoptr(EmuResponse) accepted = NULL;

  server_start (&server, options, "env-secret", QRS_EMULATOR_DEFAULT_APP_ID);
  ticket = emu_authorize (&server.fx);

  wrong = g_strdup_printf ("{\"ticket\":\"%s\",\"client_id\":\"qrs-demo-app\",\"client_secret\":\"nope\"}", ticket);
  refused = emu_api (&server.fx, "POST", "/api/v3/exchange-tokenset-with-qrcode-ticket", wrong);
  emu_assert_envelope (refused, 401, 0, "应用身份验证失败");

  right = g_strdup_printf ("{\"ticket\":\"%s\",\"client_id\":\"qrs-demo-app\",\"client_secret\":\"env-secret\"}", ticket);
  accepted = emu_api (&server.fx, "POST", "/api/v3/exchange-tokenset-with-qrcode-ticket", right);
  emu_assert_envelope (accepted, 200, 0, "操作成功");

  errors = server_stop (&server, SIGTERM);
}

static void
test_client_secret_file_basic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *option = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *body = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *credentials = g_base64_encode ((const guchar *) "qrs-demo-app:file-secret", 24);
  g_autofree char *header = g_strconcat ("Basic ", credentials, NULL);
  g_autoptr(EmuResponse) accepted = NULL;
  Server server = { NULL };
  int fd;

  fd = g_file_open_tmp ("qrs-emulator-secret-XXXXXX", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (path, "file-secret\nignored second line\n", -1, &error);
  g_assert_no_error (error);
  option = g_strconcat ("--client-secret-file=", path, NULL);

  {
    const char * const options[] = { "--token-auth-method=client_secret_basic", option, NULL };

    /* The file wins over the environment. */
    server_start (&server, options, "env-secret", QRS_EMULATOR_DEFAULT_APP_ID);
  }

  ticket = emu_authorize (&server.fx);
  body = g_strdup_printf ("{\"ticket\":\"%s\"}", ticket);
  accepted = emu_request (&server.fx, "POST", "/api/v3/exchange-tokenset-with-qrcode-ticket", body, 0,
                          "x-authing-app-id", "qrs-demo-app", "authorization", header, NULL);
  emu_assert_envelope (accepted, 200, 0, "操作成功");

  errors = server_stop (&server, SIGTERM);
  g_unlink (path);
}

static void
test_full_user_info_option (void)
{
  const char * const options[] = { "--return-full-user-info", "--client-secret=ignored", NULL };
  Server server = { NULL };
  g_autofree char *qrcode_id = NULL;
  g_autofree char *check = NULL;
  g_autofree char *errors = NULL;
  g_autoptr(EmuResponse) scan = NULL;
  g_autoptr(EmuResponse) confirm = NULL;
  g_autoptr(EmuResponse) authorized = NULL;

  server_start (&server, options, NULL, QRS_EMULATOR_DEFAULT_APP_ID);
  qrcode_id = emu_gene_qrcode (&server.fx);
  scan = emu_request (&server.fx, "POST", "/__emu/phone", "{\"action\":\"SCAN\"}", 0, NULL);
  confirm = emu_request (&server.fx, "POST", "/__emu/phone", "{\"action\":\"CONFIRM\"}", 0, NULL);
  authorized = emu_check (&server.fx, qrcode_id);

  g_assert_cmpstr (emu_json_string (authorized->root, "data.status"), ==, "AUTHORIZED");
  g_assert_false (emu_json_has (authorized->root, "data.ticket"));
  g_assert_cmpstr (emu_json_string (authorized->root, "data.tokenSet.token_type"), ==, "bearer");

  errors = server_stop (&server, SIGTERM);
}

static void
test_version (void)
{
  const char * const options[] = { "--version", NULL };
  g_autoptr(GSubprocess) process = spawn (options, NULL, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (out, ==, "qr-signin-emulator " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_bad_options (void)
{
  const struct
  {
    const char *options[3];
    const char *secret_env;
    const char *expected;   /* the whole of stderr, or a prefix ending in "…" */
  } cases[] = {
    { { "--token-auth-method=magic" }, NULL,
      "qr-signin-emulator: --token-auth-method must be none, client_secret_post or client_secret_basic.\n" },
    { { "--token-auth-method=client_secret_basic" }, NULL,
      "qr-signin-emulator: --token-auth-method client_secret_post and client_secret_basic need a client secret "
      "($QRS_EMULATOR_CLIENT_SECRET, --client-secret-file or --client-secret).\n" },
    { { "--token-auth-method=client_secret_post", "--client-secret=" }, NULL,
      "qr-signin-emulator: --token-auth-method client_secret_post and client_secret_basic need a client secret "
      "($QRS_EMULATOR_CLIENT_SECRET, --client-secret-file or --client-secret).\n" },
    { { "--qr-ttl=0" }, NULL, "qr-signin-emulator: --qr-ttl must be between 1 and 86400 seconds.\n" },
    { { "--ticket-ttl=-5" }, NULL, "qr-signin-emulator: --ticket-ttl must be between 1 and 86400 seconds.\n" },
    { { "--port=70000" }, NULL, "qr-signin-emulator: --port must be between 0 and 65535.\n" },
    { { "--app-id=" }, NULL, "qr-signin-emulator: --app-id must not be empty.\n" },
    { { "serve" }, NULL, "qr-signin-emulator: takes no arguments besides options; see --help.\n" },
    { { "--no-such-option" }, NULL, "qr-signin-emulator: Unknown option --no-such-option\n" },
    { { "--qr-ttl=soon" }, NULL, "qr-signin-emulator: Cannot parse integer value “soon” for --qr-ttl\n" },
    { { "--client-secret-file=/nonexistent/secret", "--token-auth-method=client_secret_post" }, "from-env",
      "qr-signin-emulator: cannot read --client-secret-file: …" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSubprocess) process = spawn (cases[i].options, cases[i].secret_env,
                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_cmpstr (out, ==, "");

      if (g_str_has_suffix (cases[i].expected, "…"))
        {
          g_autofree char *prefix = g_strndup (cases[i].expected, strlen (cases[i].expected) - strlen ("…"));

          g_assert_true (g_str_has_prefix (err, prefix));
          g_assert_true (g_str_has_suffix (err, ".\n"));
          g_assert_cmpuint (strchr (err, '\n') - err, ==, strlen (err) - 1);
        }
      else
        g_assert_cmpstr (err, ==, cases[i].expected);
    }
}

static void
test_port_in_use (void)
{
  Server server = { NULL };
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_option = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *errors = NULL;
  const char *port;

  server_start (&server, NULL, NULL, QRS_EMULATOR_DEFAULT_APP_ID);
  port = strrchr (server.fx.base, ':') + 1;
  port_option = g_strconcat ("--port=", port, NULL);

  {
    const char * const options[] = { port_option, NULL };

    second = spawn (options, NULL, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  }
  g_subprocess_communicate_utf8 (second, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 1);
  g_assert_cmpstr (out, ==, "");
  expected = g_strdup_printf ("qr-signin-emulator: cannot listen on 127.0.0.1:%s: ", port);
  g_assert_true (g_str_has_prefix (err, expected));

  errors = server_stop (&server, SIGTERM);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/emulator/binary/serves-and-stops", test_serves_and_stops);
  g_test_add_func ("/emulator/binary/sigint", test_sigint);
  g_test_add_func ("/emulator/binary/client-secret-env", test_client_secret_env);
  g_test_add_func ("/emulator/binary/client-secret-file-basic", test_client_secret_file_basic);
  g_test_add_func ("/emulator/binary/return-full-user-info", test_full_user_info_option);
  g_test_add_func ("/emulator/binary/version", test_version);
  g_test_add_func ("/emulator/binary/bad-options", test_bad_options);
  g_test_add_func ("/emulator/binary/port-in-use", test_port_in_use);

  return g_test_run ();
}
