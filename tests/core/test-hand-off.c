/* test-hand-off.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "qrs-config.h"
#include "qrs-core-enums.h"
#include "qrs-hand-off.h"
#include "qrs-test-log.h"
#include "qrs-test-wait.h"

/* The hand-off: the exact JSON line, writing it to a pipe whoever reads
 * it (or nobody), and the kiosk's on-success command — what it gets on
 * stdin, what it never gets in argv or its environment, and how it is
 * stopped. The commands are run by /bin/sh.
 */

#define SECRET_ACCESS  "eyJACCESS-0f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define SECRET_ID      "eyJIDTOKEN-11223344556677889900aabbccddeeff"
#define SECRET_REFRESH "REFRESH-ffeeddccbbaa00998877665544332211"
#define SECRET_CLIENT  "CLIENTSECRET-9988776655443322110099887766"

#define FULL_JSON                                                   \
  "{\"access_token\":\"" SECRET_ACCESS "\","                        \
  "\"id_token\":\"" SECRET_ID "\","                                 \
  "\"refresh_token\":\"" SECRET_REFRESH "\","                       \
  "\"token_type\":\"Bearer\","                                      \
  "\"expires_in\":7200,"                                            \
  "\"scope\":\"openid profile offline_access\","                    \
  "\"user\":{\"display_name\":\"Alice Example\","                   \
  "\"photo\":\"https://files.example.com/avatar/alice.png\"}}"

/* How long any one command may take, whatever its own limit. */
#define COMMAND_TIMEOUT_MS 30000

static char *tmp_dir;

/* Every log line, debug ones too, is kept (qrs-test-log.c) to be searched
 * for secrets.
 */
static void
assert_no_secret_logged (void)
{
  static const char * const secrets[] = { SECRET_ACCESS, SECRET_ID, SECRET_REFRESH, SECRET_CLIENT, NULL };

  qrs_test_log_assert_absent (secrets);
}

static QrsTokenSet *
new_full_token_set (void)
{
  return qrs_token_set_new (SECRET_ACCESS, SECRET_ID, SECRET_REFRESH, "Bearer", 7200,
                            "openid profile offline_access");
}

static char *
full_json (void)
{
  g_autoptr(QrsTokenSet) token_set = new_full_token_set ();

  return qrs_hand_off_to_json (token_set, "Alice Example", "https://files.example.com/avatar/alice.png");
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_cmpint (json_node_get_node_type (root), ==, JSON_NODE_OBJECT);

  return json_object_ref (json_node_get_object (root));
}

static void
assert_members (JsonObject         *object,
                const char * const *expected)
{
  g_autoptr(GList) members = json_object_get_members (object);
  guint i = 0;

  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, expected[i]);
  g_assert_null (expected[i]);
}

static void
test_json_full (void)
{
  static const char * const top[] = { "access_token", "id_token", "refresh_token", "token_type", "expires_in", "scope", "user", NULL };
  static const char * const user_members[] = { "display_name", "photo", NULL };
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(JsonObject) object = NULL;
  JsonObject *user;

  g_assert_cmpstr (json, ==, FULL_JSON);

  object = parse_object (json);
  assert_members (object, top);
  g_assert_cmpstr (json_object_get_string_member (object, "access_token"), ==, SECRET_ACCESS);
  g_assert_cmpstr (json_object_get_string_member (object, "id_token"), ==, SECRET_ID);
  g_assert_cmpstr (json_object_get_string_member (object, "refresh_token"), ==, SECRET_REFRESH);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "expires_in")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 7200);
  g_assert_cmpstr (json_object_get_string_member (object, "scope"), ==, "openid profile offline_access");

  user = json_object_get_object_member (object, "user");
  assert_members (user, user_members);
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "Alice Example");
  g_assert_cmpstr (json_object_get_string_member (user, "photo"), ==, "https://files.example.com/avatar/alice.png");
}

static void
test_json_missing (void)
{
  g_autoptr(QrsTokenSet) token_set = qrs_token_set_new (NULL, SECRET_ID, NULL, NULL,
                                                        QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN, NULL);
  g_autoptr(QrsTokenSet) expired = qrs_token_set_new (NULL, SECRET_ID, NULL, "Bearer", 0, NULL);
  g_autoptr(QrsHandOffJson) json = qrs_hand_off_to_json (token_set, NULL, NULL);
  g_autoptr(QrsHandOffJson) zero = qrs_hand_off_to_json (expired, NULL, NULL);
  g_autoptr(JsonObject) object = NULL;
  JsonObject *user;

  /* Every member is always there; what is missing is null, the lifetime
   * the server did not say included.
   */
  g_assert_cmpstr (json, ==,
                   "{\"access_token\":null,\"id_token\":\"" SECRET_ID "\",\"refresh_token\":null,"
                   "\"token_type\":null,\"expires_in\":null,\"scope\":null,"
                   "\"user\":{\"display_name\":null,\"photo\":null}}");
  g_assert_nonnull (strstr (zero, "\"expires_in\":0,"));

  object = parse_object (json);
  g_assert_true (json_object_get_null_member (object, "expires_in"));
  g_assert_true (json_object_get_null_member (object, "token_type"));
  g_assert_true (json_object_get_null_member (object, "access_token"));
  g_assert_true (json_object_get_null_member (object, "refresh_token"));
  g_assert_true (json_object_get_null_member (object, "scope"));
  user = json_object_get_object_member (object, "user");
  g_assert_true (json_object_get_null_member (user, "display_name"));
  g_assert_true (json_object_get_null_member (user, "photo"));
}

static void
test_json_escaping (void)
{
  /* Quotes, backslashes, every kind of control character (U+001F too,
   * which json-glib 1.6 would let through), and non-ASCII kept as UTF-8.
   */
  static const char name[] = "张伟 “Zoë” \"O'Brien\" \\ Ångström ✓ 🙂\n\r\t\b\f\x01\x1f\x7f </script>";
  g_autoptr(QrsTokenSet) token_set = qrs_token_set_new ("a\"b\\c", NULL, NULL, "bearer", G_MAXINT32, "x y");
  g_autoptr(QrsHandOffJson) json = qrs_hand_off_to_json (token_set, name, "https://example.com/p?a=1&b=\"2\"");
  g_autoptr(JsonObject) object = NULL;
  JsonObject *user;

  g_assert_cmpstr (json, ==,
                   "{\"access_token\":\"a\\\"b\\\\c\",\"id_token\":null,\"refresh_token\":null,"
                   "\"token_type\":\"bearer\",\"expires_in\":2147483647,\"scope\":\"x y\","
                   "\"user\":{\"display_name\":\"张伟 “Zoë” \\\"O'Brien\\\" \\\\ Ångström ✓ 🙂"
                   "\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f </script>\","
                   "\"photo\":\"https://example.com/p?a=1&b=\\\"2\\\"\"}}");

  /* One line, whatever the name holds. */
  g_assert_null (strchr (json, '\n'));
  for (const char *p = json; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);

  object = parse_object (json);
  g_assert_cmpstr (json_object_get_string_member (object, "access_token"), ==, "a\"b\\c");
  user = json_object_get_object_member (object, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (user, "photo"), ==, "https://example.com/p?a=1&b=\"2\"");
}

static void
test_json_long (void)
{
  g_autofree char *long_name = g_strnfill (100000, '"');
  g_autoptr(QrsTokenSet) token_set = new_full_token_set ();
  g_autoptr(QrsHandOffJson) json = qrs_hand_off_to_json (token_set, long_name, NULL);
  g_autoptr(JsonObject) object = parse_object (json);

  /* Measured and written by the same code: the sizes agree to the byte. */
  g_assert_cmpuint (strlen (json), ==, strlen (FULL_JSON) - strlen ("Alice Example") + 2 * 100000
                                       - strlen ("\"https://files.example.com/avatar/alice.png\"") + strlen ("null"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "user"), "display_name"), ==, long_name);
}

static void
test_json_invalid_utf8 (void)
{
  g_autoptr(QrsTokenSet) token_set = new_full_token_set ();
  g_autoptr(QrsHandOffJson) json = NULL;

  /* Strings from the server were valid JSON, so valid UTF-8: anything
   * else is a bug in the caller, not something to pass on.
   */
  g_test_expect_message ("qr-signin-core", G_LOG_LEVEL_CRITICAL, "*is_utf8_or_null (display_name)*");
  json = qrs_hand_off_to_json (token_set, "Zo\xeb", NULL);
  g_test_assert_expected_messages ();
  g_assert_null (json);
}

/* ---- Writing ----------------------------------------------------------- */

typedef struct
{
  int fd;
  GString *read;
} Reader;

static gpointer
read_all (gpointer data)
{
  Reader *reader = data;
  char buffer[4096];
  gssize n;

  while ((n = read (reader->fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (reader->read, buffer, n);
      /* Slowly, so the writer sees a full pipe. */
      g_usleep (200);
    }

  return NULL;
}

static void
test_write_pipe (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strconcat (json, "\n", NULL);
  char buffer[4096];
  gssize n;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);

  g_assert_true (qrs_hand_off_write (fds[1], json, &error));
  g_assert_no_error (error);
  close (fds[1]);

  n = read (fds[0], buffer, sizeof buffer - 1);
  g_assert_cmpint (n, ==, strlen (expected));
  buffer[n] = '\0';
  g_assert_cmpstr (buffer, ==, expected);
  g_assert_cmpint (read (fds[0], buffer, sizeof buffer), ==, 0);
  close (fds[0]);
}

static void
test_write_partial (void)
{
  g_autofree char *long_name = g_strnfill (1000000, 'x');
  g_autoptr(QrsTokenSet) token_set = new_full_token_set ();
  g_autoptr(QrsHandOffJson) json = qrs_hand_off_to_json (token_set, long_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  Reader reader;
  int fds[2];

  /* A megabyte into a 64 KiB pipe, non-blocking: it goes in pieces,
   * with EAGAIN in between.
   */
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (fcntl (fds[1], F_SETFL, O_NONBLOCK), ==, 0);
  reader.fd = fds[0];
  reader.read = g_string_new (NULL);
  thread = g_thread_new ("reader", read_all, &reader);

  g_assert_true (qrs_hand_off_write (fds[1], json, &error));
  g_assert_no_error (error);
  close (fds[1]);
  g_thread_join (g_steal_pointer (&thread));
  close (fds[0]);

  g_assert_cmpuint (reader.read->len, ==, strlen (json) + 1);
  g_assert_true (memcmp (reader.read->str, json, strlen (json)) == 0);
  g_assert_cmpint (reader.read->str[reader.read->len - 1], ==, '\n');
  g_string_free (reader.read, TRUE);
}

static void
test_write_epipe (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GError) error = NULL;
  int fds[2];

  /* The caller went away: an error to report, not a SIGPIPE to die of
   * (this test process never ignored SIGPIPE itself).
   */
  g_assert_cmpint (pipe (fds), ==, 0);
  close (fds[0]);

  g_assert_false (qrs_hand_off_write (fds[1], json, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_WRITE);
  g_assert_cmpstr (error->message, ==, "The tokens could not be written to standard output: Broken pipe");
  close (fds[1]);
}

static void
test_write_bad_fd (void)
{
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  close (fds[0]);
  close (fds[1]);

  g_assert_false (qrs_hand_off_write (fds[1], "{}", &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_WRITE);
  g_assert_cmpstr (error->message, ==, "The tokens could not be written to standard output: Bad file descriptor");
}

/* ---- The on-success command ------------------------------------------- */

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (source);
  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static gboolean
has_result (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static gboolean
run_command (const char    *command_line,
             const char    *json,
             guint          timeout_seconds,
             GCancellable  *cancellable,
             gint64        *elapsed_ms,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  qrs_hand_off_run_command_async (command_line, json, timeout_seconds, cancellable, on_run_done, &result);
  g_assert_true (qrs_test_wait_until (has_result, &result, 0, COMMAND_TIMEOUT_MS));

  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  assert_no_secret_logged ();

  return qrs_hand_off_run_command_finish (result, error);
}

/* `sh -c 'SCRIPT' sh OUT`: SCRIPT sees the output file as $1. */
static char *
script_command (const char *script,
                const char *out)
{
  g_autofree char *quoted_script = g_shell_quote (script);
  g_autofree char *quoted_out = g_shell_quote (out);

  return g_strdup_printf ("sh -c %s sh %s", quoted_script, quoted_out);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static void
test_command_stdin (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autofree char *out = g_build_filename (tmp_dir, "stdin", NULL);
  g_autofree char *command = script_command ("cat > \"$1\"", out);
  g_autofree char *expected = g_strconcat (json, "\n", NULL);
  g_autofree char *received = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (run_command (command, json, 5, NULL, NULL, &error));
  g_assert_no_error (error);

  received = read_file (out);
  g_assert_cmpstr (received, ==, expected);
  g_remove (out);

  /* The flow is logged, the tokens are not (run_command checked). */
  g_assert_nonnull (strstr (qrs_test_log_get_captured (), "Running the on-success command \"sh\""));
}

static void
test_command_argv (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autofree char *out = g_build_filename (tmp_dir, "cmdline", NULL);
  g_autofree char *command = script_command ("cat /proc/$$/cmdline > \"$1\"", out);
  g_autofree char *received = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_assert_null (strstr (command, SECRET_ACCESS));
  g_assert_true (run_command (command, json, 5, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The arguments the child really had: exactly the command line's. */
  g_file_get_contents (out, &received, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, strlen ("sh") + 1 + strlen ("-c") + 1 + strlen ("cat /proc/$$/cmdline > \"$1\"") + 1 + strlen ("sh") + 1 + strlen (out) + 1);
  g_assert_cmpstr (received, ==, "sh");
  for (gsize i = 0; i < length; i++)
    if (received[i] == '\0')
      received[i] = ' ';
  g_assert_null (strstr (received, SECRET_ACCESS));
  g_assert_null (strstr (received, SECRET_ID));
  g_assert_null (strstr (received, SECRET_REFRESH));
  g_remove (out);
}

static void
test_command_environment (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autofree char *out = g_build_filename (tmp_dir, "environment", NULL);
  g_autofree char *command = script_command ("env > \"$1\"", out);
  g_autofree char *received = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv (QRS_CONFIG_CLIENT_SECRET_ENV, SECRET_CLIENT, TRUE);
  g_setenv ("QRS_TEST_INHERITED", "yes", TRUE);

  g_assert_true (run_command (command, json, 5, NULL, NULL, &error));
  g_assert_no_error (error);

  received = read_file (out);
  /* The rest of the environment is passed on; the secret is not. */
  g_assert_nonnull (strstr (received, "QRS_TEST_INHERITED=yes\n"));
  g_assert_null (strstr (received, QRS_CONFIG_CLIENT_SECRET_ENV));
  g_assert_null (strstr (received, SECRET_CLIENT));
  g_assert_null (strstr (received, SECRET_ACCESS));
  g_assert_null (strstr (received, SECRET_ID));
  g_assert_null (strstr (received, SECRET_REFRESH));

  /* Ours is untouched. */
  g_assert_cmpstr (g_getenv (QRS_CONFIG_CLIENT_SECRET_ENV), ==, SECRET_CLIENT);

  g_unsetenv (QRS_CONFIG_CLIENT_SECRET_ENV);
  g_unsetenv ("QRS_TEST_INHERITED");
  g_remove (out);
}

/* Points fd @target at @path until restore_fd(). */
static int
redirect_fd (int         target,
             const char *path)
{
  int saved = dup (target);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (saved, >=, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (dup2 (fd, target), ==, target);
  close (fd);

  return saved;
}

static void
restore_fd (int target,
            int saved)
{
  g_assert_cmpint (dup2 (saved, target), ==, target);
  close (saved);
}

static void
test_command_stdout (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autofree char *stdout_path = g_build_filename (tmp_dir, "our-stdout", NULL);
  g_autofree char *stderr_path = g_build_filename (tmp_dir, "our-stderr", NULL);
  g_autofree char *our_stdout = NULL;
  g_autofree char *our_stderr = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;
  int saved_stdout;
  int saved_stderr;

  /* Whatever the command prints must stay off our stdout, the token
   * channel: it lands on our stderr.
   */
  fflush (stdout);
  fflush (stderr);
  saved_stdout = redirect_fd (STDOUT_FILENO, stdout_path);
  saved_stderr = redirect_fd (STDERR_FILENO, stderr_path);

  ok = run_command ("sh -c 'echo to-stdout; echo to-stderr >&2'", json, 5, NULL, NULL, &error);

  restore_fd (STDOUT_FILENO, saved_stdout);
  restore_fd (STDERR_FILENO, saved_stderr);

  g_assert_no_error (error);
  g_assert_true (ok);

  our_stdout = read_file (stdout_path);
  our_stderr = read_file (stderr_path);
  g_assert_cmpstr (our_stdout, ==, "");
  g_assert_cmpstr (our_stderr, ==, "to-stdout\nto-stderr\n");
  g_remove (stdout_path);
  g_remove (stderr_path);
}

static void
test_command_sigpipe_default (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autofree char *out = g_build_filename (tmp_dir, "status", NULL);
  g_autofree char *command = script_command ("grep '^SigIgn:' /proc/$$/status > \"$1\"", out);
  g_autofree char *received = NULL;
  g_autoptr(GError) error = NULL;
  guint64 ignored;

  /* We ignore SIGPIPE; the command must not inherit that. */
  g_assert_true (run_command (command, json, 5, NULL, NULL, &error));
  g_assert_no_error (error);

  received = read_file (out);
  g_assert_true (g_str_has_prefix (received, "SigIgn:"));
  ignored = g_ascii_strtoull (received + strlen ("SigIgn:"), NULL, 16);
  g_assert_cmpuint (ignored & (G_GUINT64_CONSTANT (1) << (SIGPIPE - 1)), ==, 0);
  g_remove (out);
}

static void
test_command_not_reading (void)
{
  g_autofree char *long_name = g_strnfill (1000000, 'x');
  g_autoptr(QrsTokenSet) token_set = new_full_token_set ();
  g_autoptr(QrsHandOffJson) json = qrs_hand_off_to_json (token_set, long_name, NULL);
  g_autoptr(GError) error = NULL;

  /* Commands that ignore the tokens are fine: EPIPE on their stdin is no
   * failure (and no SIGPIPE), their exit status decides.
   */
  g_assert_true (run_command ("true", json, 5, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (run_command ("sh -c 'exec 0<&-; sleep 0.2'", json, 5, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (run_command ("false", json, 5, NULL, NULL, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_FAILED);
}

static void
test_command_exit_status (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GError) error = NULL;

  g_assert_false (run_command ("sh -c 'cat > /dev/null; exit 7'", json, 5, NULL, NULL, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The on-success command failed with exit status 7.");
}

static void
test_command_signal (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GError) error = NULL;

  g_assert_false (run_command ("sh -c 'kill -TERM $$'", json, 5, NULL, NULL, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "The on-success command was ended by signal 15 (Terminated).");
}

static void
test_command_timeout (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  g_assert_false (run_command ("sleep 5", json, 1, NULL, &elapsed_ms, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "The on-success command took longer than its limit of 1 s and was stopped.");
  g_assert_cmpint (elapsed_ms, >=, 900);
  g_assert_cmpint (elapsed_ms, <, 2500);
}

static gboolean
process_is_gone (gpointer user_data)
{
  const char *pid = user_data;
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;

  /* "PID (COMM) STATE …": a zombie is as good as gone. */
  state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] == 'Z';
}

static void
test_command_timeout_kills_group (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autofree char *out = g_build_filename (tmp_dir, "grandchild", NULL);
  g_autofree char *command = script_command ("sleep 30 & echo $! > \"$1\"; wait", out);
  g_autofree char *pid = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  /* What the command started goes with it. */
  g_assert_false (run_command (command, json, 1, NULL, &elapsed_ms, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed_ms, <, 2500);

  pid = read_file (out);
  g_strstrip (pid);
  g_assert_cmpuint (strlen (pid), >, 0);

  /* Nothing here hears of its end: look every 10 ms. */
  g_assert_true (qrs_test_wait_until (process_is_gone, pid, 10, 5000));
  g_remove (out);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_command_cancel (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 elapsed_ms;

  g_timeout_add (100, cancel_soon, cancellable);
  g_assert_false (run_command ("sleep 5", json, 10, cancellable, &elapsed_ms, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed_ms, <, 2000);
}

static void
test_command_bad_command_line (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GError) error = NULL;

  g_assert_false (run_command ("sh -c 'unterminated", json, 5, NULL, NULL, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_BAD_COMMAND);
  g_assert_cmpstr (error->message, ==,
                   "The on-success command “sh -c 'unterminated” is not a valid command line: "
                   "Text ended before matching quote was found for '. (The text was “sh -c 'unterminated”)");
  g_clear_error (&error);

  g_assert_false (run_command ("  ", json, 5, NULL, NULL, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_BAD_COMMAND);
}

static void
test_command_missing (void)
{
  g_autoptr(QrsHandOffJson) json = full_json ();
  g_autoptr(GError) error = NULL;

  g_assert_false (run_command ("/nonexistent/qrs-no-such-command --flag", json, 5, NULL, NULL, &error));
  g_assert_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_SPAWN);
  g_assert_cmpstr (error->message, ==,
                   "The on-success command could not be started: "
                   "Failed to execute child process “/nonexistent/qrs-no-such-command” (No such file or directory)");
}

static void
test_exit_codes (void)
{
  /* The documented contract with callers: these numbers never change. */
  g_assert_cmpint (QRS_EXIT_SIGNED_IN, ==, 0);
  g_assert_cmpint (QRS_EXIT_CANCELLED, ==, 1);
  g_assert_cmpint (QRS_EXIT_USAGE, ==, 2);
  g_assert_cmpint (QRS_EXIT_GAVE_UP, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  /* GTest would also print their debug lines on stdout, which one test
   * watches: they go to the capture only.
   */
  static const char * const quiet_domains[] = { "qr-signin-core", "GLib", "GLib-GIO", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  qrs_test_log_capture_init (quiet_domains);

  /* The tests prove SIGPIPE is handled by the code under test. */
  g_assert_true (signal (SIGPIPE, SIG_DFL) != SIG_ERR);

  tmp_dir = g_dir_make_tmp ("qrs-test-hand-off-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/hand-off/json/full", test_json_full);
  g_test_add_func ("/hand-off/json/missing-is-null", test_json_missing);
  g_test_add_func ("/hand-off/json/escaping", test_json_escaping);
  g_test_add_func ("/hand-off/json/long", test_json_long);
  g_test_add_func ("/hand-off/json/invalid-utf8", test_json_invalid_utf8);
  g_test_add_func ("/hand-off/write/pipe", test_write_pipe);
  g_test_add_func ("/hand-off/write/partial", test_write_partial);
  g_test_add_func ("/hand-off/write/epipe", test_write_epipe);
  g_test_add_func ("/hand-off/write/bad-fd", test_write_bad_fd);
  g_test_add_func ("/hand-off/command/stdin", test_command_stdin);
  g_test_add_func ("/hand-off/command/argv", test_command_argv);
  g_test_add_func ("/hand-off/command/environment", test_command_environment);
  g_test_add_func ("/hand-off/command/stdout-to-stderr", test_command_stdout);
  g_test_add_func ("/hand-off/command/sigpipe-default", test_command_sigpipe_default);
  g_test_add_func ("/hand-off/command/not-reading", test_command_not_reading);
  g_test_add_func ("/hand-off/command/exit-status", test_command_exit_status);
  g_test_add_func ("/hand-off/command/signal", test_command_signal);
  g_test_add_func ("/hand-off/command/timeout", test_command_timeout);
  g_test_add_func ("/hand-off/command/timeout-kills-group", test_command_timeout_kills_group);
  g_test_add_func ("/hand-off/command/cancel", test_command_cancel);
  g_test_add_func ("/hand-off/command/bad-command-line", test_command_bad_command_line);
  g_test_add_func ("/hand-off/command/missing", test_command_missing);
  g_test_add_func ("/hand-off/exit-codes", test_exit_codes);

  status = g_test_run ();

  g_rmdir (tmp_dir);
  g_free (tmp_dir);

  return status;
}
