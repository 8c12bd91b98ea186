/* qrs-test-process.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "qrs-test-process.h"
#include "qrs-test-wait.h"
#include "qrs-test-zbar.h"

/* Every process a test starts dies with the test rather than linger on
 * the machine, whatever way the test ends.
 */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* As child_setup(), and then no standard output at all, the way a shell's
 * `>&-` starts a program. GLib has set up the descriptors by now.
 */
static void
child_setup_stdout_closed (gpointer user_data)
{
  child_setup (user_data);
  close (STDOUT_FILENO);
}

/**
 * qrs_test_launcher_new:
 * @flags: as for g_subprocess_launcher_new()
 *
 * Returns: (transfer full): a launcher whose children die with the test
 */
GSubprocessLauncher *
qrs_test_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  return launcher;
}

/* A new, empty folder in the temporary directory. */
char *
qrs_test_make_tmp_dir (const char *name_template)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp (name_template, &error);

  g_assert_no_error (error);

  return path;
}

/* Removes @path and everything in it. */
void
qrs_test_remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", "--", path, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/**
 * qrs_test_read_lines:
 * @path: a file another process appends lines to
 *
 * Returns: (transfer full): its complete lines, without the one still
 *   being written; none if the file does not exist yet
 */
char **
qrs_test_read_lines (const char *path)
{
  g_autofree char *contents = NULL;
  char *last_newline;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_new0 (char *, 1);

  last_newline = strrchr (contents, '\n');
  if (last_newline == NULL)
    return g_new0 (char *, 1);
  *last_newline = '\0';

  return g_strsplit (contents, "\n", -1);
}

/* @line is the JSON qr-signin hands over after signing in @display_name
 * against the emulator: every member, with the names of RFC 6749.
 */
void
qrs_test_assert_token_line (const char *line,
                            const char *display_name)
{
  static const char * const strings[] = { "access_token", "id_token", "refresh_token", "token_type", "scope" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object, *user;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_assert_cmpuint (strlen (json_object_get_string_member (object, strings[i])), >, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 7200);
  g_assert_false (json_object_has_member (object, "expire_in"));

  user = json_object_get_object_member (object, "user");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, display_name);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (user, "photo"), "http://127.0.0.1:"));
}

/*
 * Reading one line a child prints when it is ready, with a time limit
 */

typedef struct {
  char *line;
  GError *error;
  gboolean done;
} LineRead;

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                          NULL, &read->error);
  read->done = TRUE;
}

/**
 * qrs_test_read_ready_line:
 * @stream: a child's output
 * @who: the child, for the error message
 *
 * Reads the one line a child prints when it is ready, such as the
 * emulator's URL, running the main loop meanwhile.
 *
 * Returns: (transfer full) (nullable): the line, or %NULL (and why) if
 *   there was none within %QRS_TEST_PROCESS_TIMEOUT_MS
 */
char *
qrs_test_read_ready_line (GInputStream  *stream,
                          const char    *who,
                          GError       **error)
{
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (stream);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LineRead read = { NULL, NULL, FALSE };

  /* The stream stays the caller's. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);

  g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, cancellable, read_line_cb, &read);
  if (!qrs_test_wait_for_flag (&read.done, QRS_TEST_PROCESS_TIMEOUT_MS))
    {
      g_cancellable_cancel (cancellable);
      qrs_test_wait_for_flag (&read.done, QRS_TEST_PROCESS_TIMEOUT_MS);
      g_clear_error (&read.error);
      g_free (read.line);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s was not ready after %d ms",
                   who, QRS_TEST_PROCESS_TIMEOUT_MS);
      return NULL;
    }

  if (read.error != NULL)
    {
      g_propagate_error (error, read.error);
      return NULL;
    }
  if (read.line == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s exited before it was ready", who);

  return read.line;
}

/**
 * qrs_test_describe_exit:
 *
 * Returns: (transfer full) (nullable): how @process ended, or %NULL if it
 *   still runs
 */
char *
qrs_test_describe_exit (GSubprocess *process)
{
  /* GSubprocess forgets the identifier of a process that is gone, even
   * before the main loop hears of it.
   */
  if (g_subprocess_get_identifier (process) != NULL)
    return NULL;

  if (g_subprocess_get_if_signaled (process))
    return g_strdup_printf ("was killed by signal %d (%s)", g_subprocess_get_term_sig (process),
                            g_strsignal (g_subprocess_get_term_sig (process)));

  return g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (process));
}

/* Stops @process with @signum and reaps it. */
static void
stop_process (GSubprocess *process,
              int          signum)
{
  g_autoptr(GError) error = NULL;

  if (g_subprocess_get_identifier (process) != NULL)
    g_subprocess_send_signal (process, signum);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
}

/*
 * A display of the test's own
 */

struct _QrsTestDisplay
{
  GSubprocess *xvfb;
  char *name;
};

/**
 * qrs_test_display_new:
 *
 * Starts an Xvfb on the first free display number, the way xvfb-run does
 * for the whole suite, and waits until it takes connections.
 *
 * Returns: (transfer full): the display
 */
QrsTestDisplay *
qrs_test_display_new (void)
{
  g_autoptr(GSubprocessLauncher) launcher = qrs_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GInputStream) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  QrsTestDisplay *self = g_new0 (QrsTestDisplay, 1);
  int fds[2];

  /* Xvfb writes its display number on fd 3 once it takes connections. */
  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  self->xvfb = g_subprocess_launcher_spawn (launcher, &error,
                                            "Xvfb", "-displayfd", "3",
                                            "-screen", "0", "1280x1024x24",
                                            "-nolisten", "tcp", "-noreset",
                                            NULL);
  g_assert_no_error (error);
  /* Our copy of the write end goes, so a failed start reads as the end. */
  g_subprocess_launcher_close (launcher);

  ready = g_unix_input_stream_new (fds[0], TRUE);
  number = qrs_test_read_ready_line (ready, "Xvfb", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strspn (number, "0123456789"), ==, strlen (number));
  self->name = g_strconcat (":", number, NULL);

  return self;
}

const char *
qrs_test_display_get_name (QrsTestDisplay *self)
{
  return self->name;
}

void
qrs_test_display_free (QrsTestDisplay *self)
{
  stop_process (self->xvfb, SIGTERM);
  g_object_unref (self->xvfb);
  g_free (self->name);
  g_free (self);
}

/*
 * qr-signin-emulator
 */

/**
 * qrs_test_server_start:
 * @options: (nullable): command line options besides --port=0
 * @log_path: (nullable): where to write its --verbose log (every request,
 *   every spoiled answer), or %NULL for its plain stderr
 *
 * Starts the emulator on a free port and waits for its URL.
 *
 * Returns: (transfer full): the running emulator
 */
QrsTestServer *
qrs_test_server_start (const char * const *options,
                       const char         *log_path)
{
  g_autoptr(GSubprocessLauncher) launcher = qrs_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  QrsTestServer *self = g_new0 (QrsTestServer, 1);
  const char *binary = g_getenv ("QRS_EMULATOR_BINARY");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--port=0");
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) options[i]);

  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  if (log_path != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--verbose");
      /* Its debug messages say which answers were spoiled ("Fault on …"). */
      g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "qr-signin-emulator", TRUE);
      g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
    }
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  self->url = qrs_test_read_ready_line (g_subprocess_get_stdout_pipe (self->process),
                                        "qr-signin-emulator", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (self->url, "http://127.0.0.1:"));

  self->session = soup_session_new_with_options ("timeout", QRS_TEST_PROCESS_TIMEOUT_MS / 1000, NULL);

  return self;
}

/* Stops it, as a caller would, with SIGTERM. */
void
qrs_test_server_stop (QrsTestServer *self)
{
  stop_process (self->process, SIGTERM);
  g_object_unref (self->process);
  g_object_unref (self->session);
  g_free (self->url);
  g_free (self);
}

/* The body of the answer to @message, if it was a 200. */
static GBytes *
send (QrsTestServer  *self,
      SoupMessage    *message,
      GError        **error)
{
  g_autoptr(GBytes) reply = soup_session_send_and_read (self->session, message, NULL, error);

  if (reply == NULL)
    return NULL;

  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: HTTP %u %.*s",
                   soup_message_get_method (message), g_uri_get_path (soup_message_get_uri (message)),
                   soup_message_get_status (message),
                   (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
      return NULL;
    }

  return g_steal_pointer (&reply);
}

/* POSTs @body to a hook, such as "/__emu/phone". */
gboolean
qrs_test_server_post (QrsTestServer  *self,
                      const char     *path,
                      JsonNode       *body,
                      GError        **error)
{
  g_autofree char *url = g_strconcat (self->url, path, NULL);
  char *json = json_to_string (body, FALSE);
  gsize length = strlen (json);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) request = g_bytes_new_take (json, length);
  g_autoptr(GBytes) reply = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  reply = send (self, message, error);

  return reply != NULL;
}

/**
 * qrs_test_server_get:
 *
 * Returns: (transfer full): what a hook such as "/__emu/codes" answers
 */
JsonNode *
qrs_test_server_get (QrsTestServer  *self,
                     const char     *path,
                     GError        **error)
{
  g_autofree char *url = g_strconcat (self->url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) reply = send (self, message, error);
  g_autoptr(JsonParser) parser = NULL;

  if (reply == NULL)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), error))
    return NULL;

  return json_node_copy (json_parser_get_root (parser));
}

/* Empties the request log that GET /__emu/log reads. */
gboolean
qrs_test_server_clear_log (QrsTestServer  *self,
                           GError        **error)
{
  g_autofree char *url = g_strconcat (self->url, "/__emu/log", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_DELETE, url);
  g_autoptr(GBytes) reply = send (self, message, error);

  return reply != NULL;
}

/* Does what a person does on the phone: SCAN, CONFIRM or CANCEL the code
 * @qrcode_id (%NULL: the newest one).
 */
gboolean
qrs_test_server_phone (QrsTestServer  *self,
                       const char     *qrcode_id,
                       const char     *action,
                       const char     *display_name,
                       GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  if (qrcode_id != NULL)
    {
      json_builder_set_member_name (builder, "qrcodeId");
      json_builder_add_string_value (builder, qrcode_id);
    }
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  if (display_name != NULL)
    {
      json_builder_set_member_name (builder, "displayName");
      json_builder_add_string_value (builder, display_name);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  return qrs_test_server_post (self, "/__emu/phone", body, error);
}

/* Spoils the next @count answers of @endpoint in the way @mode says; a
 * stall lasts @seconds, a throttle asks for a one-second wait.
 */
gboolean
qrs_test_server_fault (QrsTestServer  *self,
                       const char     *endpoint,
                       const char     *mode,
                       guint           count,
                       guint           seconds,
                       GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "endpoint");
  json_builder_add_string_value (builder, endpoint);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, mode);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "retryAfter");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_int_value (builder, seconds);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  return qrs_test_server_post (self, "/__emu/fault", body, error);
}

/* Moves the emulator's clock (not the app's) forward. */
gboolean
qrs_test_server_advance_clock (QrsTestServer  *self,
                               double          seconds,
                               GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "advance");
  json_builder_add_double_value (builder, seconds);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  return qrs_test_server_post (self, "/__emu/clock", body, error);
}

/* How many codes were made, and the newest one. */
gboolean
qrs_test_server_get_codes (QrsTestServer  *self,
                           QrsTestCodes   *codes,
                           GError        **error)
{
  g_autoptr(JsonNode) root = qrs_test_server_get (self, "/__emu/codes", error);
  JsonArray *array;

  if (root == NULL)
    return FALSE;

  array = json_object_get_array_member (json_node_get_object (root), "codes");
  qrs_test_codes_clear (codes);
  codes->n = json_array_get_length (array);
  if (codes->n > 0)
    {
      JsonObject *newest = json_array_get_object_element (array, codes->n - 1);

      codes->newest_id = g_strdup (json_object_get_string_member (newest, "qrcodeId"));
      codes->newest_status = g_strdup (json_object_get_string_member (newest, "status"));
    }

  return TRUE;
}

void
qrs_test_codes_clear (QrsTestCodes *codes)
{
  codes->n = 0;
  g_clear_pointer (&codes->newest_id, g_free);
  g_clear_pointer (&codes->newest_status, g_free);
}

/*
 * qr-signin
 */

/* Its own configuration folder: settings from a key file the test writes
 * rather than from the machine, and GTK's animations off (GTK reads
 * gtk-4.0/settings.ini there), so nothing on screen waits for a
 * transition.
 */
static char *
make_config_home (const char *settings)
{
  char *home = qrs_test_make_tmp_dir ("qrs-app-XXXXXX");
  g_autofree char *gtk_dir = g_build_filename (home, "gtk-4.0", NULL);
  g_autofree char *gtk_ini = g_build_filename (gtk_dir, "settings.ini", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (gtk_dir, 0700), ==, 0);
  g_file_set_contents (gtk_ini, "[Settings]\ngtk-enable-animations=false\n", -1, &error);
  g_assert_no_error (error);

  if (settings != NULL)
    {
      g_autofree char *settings_dir = g_build_filename (home, "glib-2.0", "settings", NULL);
      g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
      g_autofree char *contents = g_strconcat ("[io/github/qrsignin/QrSignIn]\n", settings, "\n", NULL);

      g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
      g_file_set_contents (keyfile, contents, -1, &error);
      g_assert_no_error (error);
    }

  return home;
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  QrsTestApp *self = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                        &self->stdout_text, &self->stderr_text, &error);
  g_assert_no_error (error);
  self->done = TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  QrsTestApp *self = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  self->done = TRUE;
}

/**
 * qrs_test_app_start:
 * @options: (nullable): where it shows and writes
 * @args: its command line options
 *
 * Starts qr-signin the way a caller would, in an environment of its own.
 * Run the main loop (qrs_test_app_wait()) for what it writes to be read.
 *
 * Returns: (transfer full): the running app
 */
QrsTestApp *
qrs_test_app_start (const QrsTestAppOptions *options,
                    const char * const      *args)
{
  static const QrsTestAppOptions defaults = { NULL, };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_NONE;
  QrsTestApp *self = g_new0 (QrsTestApp, 1);
  const char *binary = g_getenv ("QRS_APP_BINARY");

  if (options == NULL)
    options = &defaults;

  g_assert_true (options->stdout_path == NULL || !options->stdout_closed);
  if (options->stdout_path == NULL && !options->stdout_closed)
    flags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  if (options->stderr_path == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDERR_PIPE;
  launcher = qrs_test_launcher_new (flags);
  if (options->stdout_closed)
    g_subprocess_launcher_set_child_setup (launcher, child_setup_stdout_closed, NULL, NULL);
  if (options->stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, options->stdout_path);
  if (options->stderr_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, options->stderr_path);

  self->config_home = make_config_home (options->settings);
  self->display = g_strdup (options->display != NULL ? options->display : g_getenv ("DISPLAY"));

  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", self->config_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", g_getenv ("QRS_SCHEMA_DIR"), TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  g_subprocess_launcher_setenv (launcher, "GDK_BACKEND", "x11", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  if (self->display != NULL)
    g_subprocess_launcher_setenv (launcher, "DISPLAY", self->display, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  if (options->time_scale != NULL)
    g_subprocess_launcher_setenv (launcher, "QRS_DEBUG_TIME_SCALE", options->time_scale, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "QRS_DEBUG_TIME_SCALE");
  for (guint i = 0; options->environment != NULL && options->environment[i] != NULL; i++)
    {
      const char *variable = options->environment[i];
      const char *equals = strchr (variable, '=');
      g_autofree char *name = NULL;

      if (equals == NULL)
        {
          g_subprocess_launcher_unsetenv (launcher, variable);
          continue;
        }
      name = g_strndup (variable, equals - variable);
      g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
    }

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  self->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (self->process), NULL, 10);
  g_assert_cmpint (self->pid, >, 0);

  if (flags != G_SUBPROCESS_FLAGS_NONE)
    g_subprocess_communicate_utf8_async (self->process, NULL, NULL, communicate_cb, self);
  else
    g_subprocess_wait_async (self->process, NULL, wait_cb, self);

  return self;
}

/* Runs the main loop until the app exited and what it wrote was read. */
gboolean
qrs_test_app_wait (QrsTestApp *self,
                   guint       timeout_ms)
{
  return qrs_test_wait_for_flag (&self->done, timeout_ms);
}

/* Its exit status, or -1 if a signal ended it. */
int
qrs_test_app_get_status (QrsTestApp *self)
{
  g_assert_true (self->done);

  if (!g_subprocess_get_if_exited (self->process))
    return -1;

  return g_subprocess_get_exit_status (self->process);
}

/* Whether it is gone, even if the main loop has not heard yet. */
gboolean
qrs_test_app_has_exited (QrsTestApp *self)
{
  g_autofree char *how = qrs_test_describe_exit (self->process);

  return how != NULL;
}

typedef struct {
  GBytes *stdout_bytes;
  GError *error;
  gboolean done;
} ToolRun;

static void
tool_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ToolRun *run = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  if (g_subprocess_communicate_finish (process, result, &run->stdout_bytes, NULL, &run->error))
    g_spawn_check_wait_status (g_subprocess_get_status (process), &run->error);
  run->done = TRUE;
}

/* Runs @argv (a program on the PATH and its arguments) on @display, with
 * the main loop running, and fails the test if it fails.
 *
 * Returns: (transfer full): what it wrote on its stdout
 */
static GBytes *
run_tool (const char         *display,
          const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = qrs_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  ToolRun run = { NULL, NULL, FALSE };

  if (display != NULL)
    g_subprocess_launcher_setenv (launcher, "DISPLAY", display, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_async (process, NULL, NULL, tool_cb, &run);
  if (!qrs_test_wait_for_flag (&run.done, QRS_TEST_PROCESS_TIMEOUT_MS))
    {
      g_subprocess_force_exit (process);
      qrs_test_wait_for_flag (&run.done, QRS_TEST_PROCESS_TIMEOUT_MS);
      g_error ("%s %s did not finish within %d ms", argv[0], argv[1], QRS_TEST_PROCESS_TIMEOUT_MS);
    }
  g_assert_no_error (run.error);

  return run.stdout_bytes;
}

/* Finds the app's shown window with xdotool, waiting for it, and then
 * does @then (more xdotool commands, or none) to it.
 *
 * The window is found by the app's process id (GTK sets _NET_WM_PID),
 * never by its title; --all: the process id and the (empty, so any) name
 * must both match; --onlyvisible: not GTK's unmapped client leader window.
 */
static void
search_window (QrsTestApp         *self,
               const char * const *then)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) self->pid);
  const char * const search[] = { "xdotool", "search", "--sync", "--all", "--onlyvisible",
                                  "--pid", pid, "--name", "", NULL };
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  for (guint i = 0; search[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) search[i]);
  for (guint i = 0; then != NULL && then[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) then[i]);
  g_ptr_array_add (argv, NULL);

  g_bytes_unref (run_tool (self->display, (const char * const *) argv->pdata));
}

/**
 * qrs_test_app_wait_for_window:
 *
 * Waits until the app shows a window (on a display of the test's own).
 */
void
qrs_test_app_wait_for_window (QrsTestApp *self)
{
  search_window (self, NULL);
}

/**
 * qrs_test_app_press_key:
 * @key: a key as xdotool names it, such as "Escape"
 *
 * Presses @key in the app's window, as a person would, once it is shown.
 * The window is found by the app's process id (GTK sets _NET_WM_PID),
 * never by its title, and given the focus first; start the app on a
 * display of the test's own, where no other window can take the focus in
 * between.
 */
void
qrs_test_app_press_key (QrsTestApp *self,
                        const char *key)
{
  const char * const focus[] = { "windowfocus", "--sync", NULL };
  /* Separately, and to the focus: a key sent as part of the search
   * would go to the window, which xdotool then looks at again, when the
   * app may already have closed it.
   */
  const char * const press[] = { "xdotool", "key", key, NULL };

  search_window (self, focus);
  g_bytes_unref (run_tool (self->display, press));
}

/* Ends the app if it still runs, and forgets it. */
void
qrs_test_app_free (QrsTestApp *self)
{
  if (!self->done)
    {
      g_subprocess_force_exit (self->process);
      g_assert_true (qrs_test_app_wait (self, QRS_TEST_PROCESS_TIMEOUT_MS));
    }

  qrs_test_remove_tree (self->config_home);
  g_object_unref (self->process);
  g_free (self->config_home);
  g_free (self->display);
  g_free (self->stdout_text);
  g_free (self->stderr_text);
  g_free (self);
}

/*
 * What is on a display, and what is left of a process group
 */

/**
 * qrs_test_screenshot:
 * @display: an X display, such as the test's own
 * @name: a file name without extension
 *
 * Saves the whole of @display as a PNG in the screenshots folder of the
 * test build directory (or $QRS_TEST_SCREENSHOT_DIR), so a person can
 * look at it.
 *
 * Returns: (transfer full): the path written
 */
char *
qrs_test_screenshot (const char *display,
                     const char *name)
{
  const char *dir = g_getenv ("QRS_TEST_SCREENSHOT_DIR");
  g_autofree char *default_dir = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;

  if (dir == NULL)
    dir = default_dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file, NULL);

  {
    const char * const argv[] = { "import", "-window", "root", path, NULL };

    g_bytes_unref (run_tool (display, argv));
  }
  g_test_message ("Screenshot: %s", path);

  return path;
}

/**
 * qrs_test_read_screen_codes:
 * @display: an X display, such as the test's own
 *
 * Reads every QR code on @display with ZBar, as a phone would.
 *
 * Returns: (transfer full) (element-type utf8): what they say, none if
 *   there is none
 */
GPtrArray *
qrs_test_read_screen_codes (const char *display)
{
  const char * const argv[] = { "import", "-window", "root", "-colorspace", "Gray", "-depth", "8", "pgm:-", NULL };
  g_autoptr(GBytes) pgm = run_tool (display, argv);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (pgm, &size);
  g_autofree char *header = g_strndup ((const char *) data, MIN (size, 32));
  guint width = 0, height = 0, maxval = 0;
  int header_length = 0;

  /* "P5 WIDTH HEIGHT 255" and one white space, then a byte a pixel. */
  g_assert_cmpint (sscanf (header, "P5 %u %u %u%n", &width, &height, &maxval, &header_length), ==, 3);
  g_assert_cmpuint (maxval, ==, 255);
  g_assert_cmpuint (size, ==, (gsize) header_length + 1 + (gsize) width * height);

  return qrs_test_zbar_decode_gray (data + header_length + 1, width, height, width);
}

/**
 * qrs_test_process_group_members:
 * @pgid: a process group
 *
 * Returns: (transfer full): the names (as in /proc/PID/comm) of the
 *   processes of @pgid that still live; a zombie has ended, whether or
 *   not its parent has reaped it yet, and is not counted
 */
char **
qrs_test_process_group_members (GPid pgid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char *entry;

  g_assert_nonnull (proc);
  g_assert_cmpint (pgid, >, 1);

  while ((entry = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      char *open, *close;
      long long pgrp = 0;
      char state = 0;

      if (strspn (entry, "0123456789") != strlen (entry))
        continue;
      path = g_build_filename ("/proc", entry, "stat", NULL);
      /* Gone since the folder was read. */
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;

      /* "PID (COMM) STATE PPID PGRP …"; COMM may hold spaces and ')'. */
      open = strchr (stat, '(');
      close = strrchr (stat, ')');
      g_assert_nonnull (open);
      g_assert_nonnull (close);
      g_assert_cmpint (sscanf (close + 1, " %c %*d %lld", &state, &pgrp), ==, 2);
      if (pgrp != pgid || state == 'Z' || state == 'X')
        continue;

      *close = '\0';
      g_strv_builder_add (names, open + 1);
    }

  return g_strv_builder_end (names);
}
