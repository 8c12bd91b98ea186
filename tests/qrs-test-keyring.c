/* qrs-test-keyring.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "qrs-keyring.h"
#include "qrs-test-keyring.h"
#include "qrs-test-wait.h"

/* How long gnome-keyring-daemon may take to offer an unlocked keyring. */
#define READY_TIMEOUT_MS 15000

/* How long any one keyring call may take. */
#define CALL_TIMEOUT_MS 10000

/* The login keyring's password; only this test's keyring has it. */
#define KEYRING_PASSWORD "qrs-test-keyring-password"

struct _QrsTestKeyring
{
  char *dir;
  GTestDBus *bus;
  GSubprocess *daemon;
  gboolean daemon_exited;
};

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }

  g_rmdir (path);
}

static void
daemon_exited_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *exited = TRUE;
}

/* Ready once the daemon owns the Secret Service name and its default
 * alias points at the unlocked login keyring --unlock created.
 */
static gboolean
service_is_ready (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  const char *path;

  reply = g_dbus_connection_call_sync (connection,
                                       "org.freedesktop.secrets",
                                       "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service",
                                       "ReadAlias",
                                       g_variant_new ("(s)", "default"),
                                       G_VARIANT_TYPE ("(o)"),
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       1000, NULL, NULL);
  if (reply == NULL)
    return FALSE;

  g_variant_get (reply, "(&o)", &path);
  return g_strcmp0 (path, "/") != 0;
}

typedef struct
{
  QrsTestKeyring *keyring;
  GDBusConnection *connection;
} Waiting;

static gboolean
ready_or_gone (gpointer user_data)
{
  Waiting *waiting = user_data;

  return waiting->keyring->daemon_exited || service_is_ready (waiting->connection);
}

static gboolean
start_daemon (QrsTestKeyring  *self,
              GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *data = g_build_filename (self->dir, "data", NULL);
  g_autofree char *runtime = g_build_filename (self->dir, "runtime", NULL);
  g_autofree char *config = g_build_filename (self->dir, "config", NULL);
  GOutputStream *input;
  Waiting waiting;

  if (g_mkdir (data, 0700) != 0 || g_mkdir (runtime, 0700) != 0 || g_mkdir (config, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make folders in %s", self->dir);
      return FALSE;
    }

  /* Its keyrings and control socket go to the temporary folder, never the
   * user's; the bus is the private one g_test_dbus_up() put in the
   * environment.
   */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "HOME", self->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);

  self->daemon = g_subprocess_launcher_spawn (launcher, error,
                                              "gnome-keyring-daemon", "--foreground",
                                              "--components=secrets", "--unlock",
                                              NULL);
  if (self->daemon == NULL)
    return FALSE;

  g_subprocess_wait_async (self->daemon, NULL, daemon_exited_cb, &self->daemon_exited);

  /* --unlock reads the password up to the end of its input. */
  input = g_subprocess_get_stdin_pipe (self->daemon);
  if (!g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL, error) ||
      !g_output_stream_close (input, NULL, error))
    return FALSE;

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (connection == NULL)
    return FALSE;

  waiting = (Waiting) { self, connection };
  if (!qrs_test_wait_until (ready_or_gone, &waiting, 50, READY_TIMEOUT_MS))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           "gnome-keyring-daemon offered no unlocked keyring within 15 s");
      return FALSE;
    }

  if (self->daemon_exited)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "gnome-keyring-daemon exited before offering a keyring");
      return FALSE;
    }

  return TRUE;
}

/**
 * qrs_test_keyring_start:
 * @skip_reason: (out): why there is no keyring, when there is none
 *
 * Call it before anything connects to the session bus (before
 * gtk_test_init() in a widget test, since GTestDBus unsets DISPLAY: it is
 * put back here). With QRS_TEST_KEYRING_REQUIRED=1, failing to start is
 * fatal instead.
 *
 * Returns: (transfer full) (nullable): the running keyring, or %NULL
 */
QrsTestKeyring *
qrs_test_keyring_start (char **skip_reason)
{
  QrsTestKeyring *self = g_new0 (QrsTestKeyring, 1);
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  g_autoptr(GError) error = NULL;
  g_autofree char *bus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  const char *required = g_getenv (QRS_TEST_KEYRING_REQUIRED_ENV);

  *skip_reason = NULL;

  if (bus_daemon == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         "dbus-daemon is not installed (Debian: dbus)");
  else if (keyring_daemon == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         "gnome-keyring-daemon is not installed (Debian: gnome-keyring)");
  else if ((self->dir = g_dir_make_tmp ("qrs-test-keyring-XXXXXX", &error)) != NULL)
    {
      self->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (self->bus);
      if (display != NULL)
        g_setenv ("DISPLAY", display, TRUE);

      start_daemon (self, &error);
    }

  if (error == NULL)
    return self;

  *skip_reason = g_strdup_printf ("No Secret Service for the keyring tests: %s", error->message);
  if (g_strcmp0 (required, "1") == 0)
    g_error ("%s, and %s=1", *skip_reason, QRS_TEST_KEYRING_REQUIRED_ENV);

  qrs_test_keyring_stop (self);
  return NULL;
}

/* Stops the daemon and the bus, and removes the keyring's folder. */
void
qrs_test_keyring_stop (QrsTestKeyring *self)
{
  if (self == NULL)
    return;

  secret_service_disconnect ();

  if (self->daemon != NULL)
    {
      if (!self->daemon_exited)
        g_subprocess_send_signal (self->daemon, SIGTERM);
      g_assert_true (qrs_test_wait_for_flag (&self->daemon_exited, CALL_TIMEOUT_MS));
      g_clear_object (&self->daemon);
    }

  /* libsecret 0.20 (and 0.21) keeps one reference to its backend, a bus
   * proxy, for every password call after the first: secret-password.c's
   * on_*_backend() never drop the one secret_backend_get_finish() gave.
   * The bus connection is never finalized, so g_test_dbus_down() would
   * wait for it in vain and fail. Stop the bus without that wait instead,
   * and keep the GTestDBus, whose finalization would wait too.
   */
  if (self->bus != NULL)
    {
      static GTestDBus *stopped_bus;
      g_autoptr(GDBusConnection) connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

      if (connection != NULL)
        g_dbus_connection_set_exit_on_close (connection, FALSE);
      g_test_dbus_stop (self->bus);
      g_assert (stopped_bus == NULL);
      stopped_bus = g_steal_pointer (&self->bus);
    }

  if (self->dir != NULL)
    remove_tree (self->dir);

  g_free (self->dir);
  g_free (self);
}

/* A GAsyncReadyCallback that keeps the result in the GAsyncResult * that
 * @user_data points at, for qrs_test_keyring_wait().
 */
void
qrs_test_keyring_result_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
result_is_set (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

/* Runs the main loop until @result is set, and fails if it never is. */
GAsyncResult *
qrs_test_keyring_wait (GAsyncResult **result)
{
  g_assert_true (qrs_test_wait_until (result_is_set, result, 0, CALL_TIMEOUT_MS));

  return *result;
}

/* What QrsKeyring finds for @server and @app_id, %NULL if nothing. */
QrsSecret *
qrs_test_keyring_lookup (const char *server,
                         const char *app_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QrsSecret *secret;

  qrs_keyring_lookup_async (server, app_id, NULL, qrs_test_keyring_result_cb, &result);
  secret = qrs_keyring_lookup_finish (qrs_test_keyring_wait (&result), &error);
  g_assert_no_error (error);

  return secret;
}
