/* qrs-hand-off.c
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
#include <sys/uio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "qrs-config.h"
#include "qrs-hand-off.h"
#include "qrs-secret-private.h"

/* Handing the tokens over: to whoever started us (one JSON line on stdout,
 * window mode) or to the --on-success command (the same line on its stdin,
 * kiosk mode). The line is a secret all the way: built once into a buffer
 * of the right size, never logged, wiped when freed.
 */

G_DEFINE_QUARK (qrs-hand-off-error-quark, qrs_hand_off_error)

/* ---- The JSON ---------------------------------------------------------- */

/* The JSON is written by hand rather than with JsonGenerator: json-glib
 * 1.6 leaves U+001F unescaped (invalid JSON for strict readers such as
 * jq), and its nodes and growing GString would leave copies of the tokens
 * in freed memory. The same code runs twice: once with no buffer, to
 * measure, then into a buffer of exactly that size.
 */
typedef struct
{
  char *buffer; /* NULL: only count */
  gsize length;
} JsonOut;

static void
put_raw (JsonOut    *out,
         const char *text,
         gsize       length)
{
  if (out->buffer != NULL)
    memcpy (out->buffer + out->length, text, length);
  out->length += length;
}

/* The two-character escapes JSON has, or NULL. */
static const char *
short_escape (guchar c)
{
  switch (c)
    {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return NULL;
    }
}

/* @text as a JSON string (UTF-8 kept as it is), or null. */
static void
put_string (JsonOut    *out,
            const char *text)
{
  if (text == NULL)
    {
      put_raw (out, "null", 4);
      return;
    }

  put_raw (out, "\"", 1);
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      const char *escape = short_escape (*p);

      if (escape != NULL)
        put_raw (out, escape, 2);
      else if (*p < 0x20 || *p == 0x7f)
        {
          char unicode[8];

          g_snprintf (unicode, sizeof unicode, "\\u%04x", *p);
          put_raw (out, unicode, 6);
        }
      else
        put_raw (out, (const char *) p, 1);
    }
  put_raw (out, "\"", 1);
}

/* `,"name":` (or `{"name":`, by @separator) */
static void
put_name (JsonOut    *out,
          const char *separator,
          const char *name)
{
  put_raw (out, separator, 1);
  put_string (out, name);
  put_raw (out, ":", 1);
}

static void
put_hand_off (JsonOut     *out,
              QrsTokenSet *token_set,
              const char  *display_name,
              const char  *photo_url)
{
  gint64 lifetime = qrs_token_set_get_expires_in (token_set);
  char expires_in[32] = "null";

  /* A lifetime the server did not say (or said wrongly) is null, as every
   * member the server did not send.
   */
  if (lifetime != QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN)
    g_snprintf (expires_in, sizeof expires_in, "%" G_GINT64_FORMAT, lifetime);

  put_name (out, "{", "access_token");
  put_string (out, qrs_token_set_get_access_token (token_set));
  put_name (out, ",", "id_token");
  put_string (out, qrs_token_set_get_id_token (token_set));
  put_name (out, ",", "refresh_token");
  put_string (out, qrs_token_set_get_refresh_token (token_set));
  put_name (out, ",", "token_type");
  put_string (out, qrs_token_set_get_token_type (token_set));
  put_name (out, ",", "expires_in");
  put_raw (out, expires_in, strlen (expires_in));
  put_name (out, ",", "scope");
  put_string (out, qrs_token_set_get_scope (token_set));
  put_name (out, ",", "user");
  put_name (out, "{", "display_name");
  put_string (out, display_name);
  put_name (out, ",", "photo");
  put_string (out, photo_url);
  put_raw (out, "}}", 2);
}

static gboolean
is_utf8_or_null (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

/**
 * qrs_hand_off_to_json:
 * @token_set: the tokens a sign-in ended with
 * @display_name: (nullable): the person's name, as the server gave it
 * @photo_url: (nullable): the address of the person's photo
 *
 * Builds the hand-off: one JSON object on one line, with the members in
 * this order and nothing else:
 *
 * |[
 * {"access_token":"…","id_token":"…","refresh_token":"…","token_type":"Bearer",
 *  "expires_in":7200,"scope":"openid profile",
 *  "user":{"display_name":"…","photo":"https://…"}}
 * ]|
 *
 * (wrapped here; the real thing has no whitespace and no newline). Every
 * member is always there: a value the server did not give is null.
 * expires_in is an integer, in seconds, from when the tokens were issued.
 * Non-ASCII text is kept as UTF-8; quotes, backslashes and control
 * characters are escaped.
 *
 * Returns: (transfer full): the JSON, a secret: free it with
 *   qrs_hand_off_free_json() (or g_autoptr(QrsHandOffJson)), which wipes it
 */
char *
qrs_hand_off_to_json (QrsTokenSet *token_set,
                      const char  *display_name,
                      const char  *photo_url)
{
  JsonOut out = { NULL, 0 };

  g_return_val_if_fail (QRS_IS_TOKEN_SET (token_set), NULL);
  g_return_val_if_fail (is_utf8_or_null (display_name), NULL);
  g_return_val_if_fail (is_utf8_or_null (photo_url), NULL);
  g_return_val_if_fail (is_utf8_or_null (qrs_token_set_get_access_token (token_set)), NULL);
  g_return_val_if_fail (is_utf8_or_null (qrs_token_set_get_id_token (token_set)), NULL);
  g_return_val_if_fail (is_utf8_or_null (qrs_token_set_get_refresh_token (token_set)), NULL);
  g_return_val_if_fail (is_utf8_or_null (qrs_token_set_get_token_type (token_set)), NULL);
  g_return_val_if_fail (is_utf8_or_null (qrs_token_set_get_scope (token_set)), NULL);

  put_hand_off (&out, token_set, display_name, photo_url);
  out.buffer = g_malloc (out.length + 1);
  out.length = 0;
  put_hand_off (&out, token_set, display_name, photo_url);
  out.buffer[out.length] = '\0';

  return out.buffer;
}

/**
 * qrs_hand_off_free_json:
 * @json: (nullable): what qrs_hand_off_to_json() returned
 *
 * Wipes the JSON, then frees it.
 */
void
qrs_hand_off_free_json (char *json)
{
  qrs_secret_free (json);
}

/* ---- SIGPIPE ------------------------------------------------------------ */

/* A reader that goes away (the caller of `qr-signin | …`, an on-success
 * command that never reads its stdin) must give EPIPE, not kill us with
 * SIGPIPE. main() ignores it; this makes sure even if it did not, unless
 * someone installed a handler of their own. GLib's GSocket does the same.
 */
static void
ignore_sigpipe (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      struct sigaction current;

      if (sigaction (SIGPIPE, NULL, &current) == 0 && current.sa_handler == SIG_DFL)
        {
          struct sigaction ignore;

          memset (&ignore, 0, sizeof ignore);
          ignore.sa_handler = SIG_IGN;
          sigemptyset (&ignore.sa_mask);
          sigaction (SIGPIPE, &ignore, NULL);
        }

      g_once_init_leave (&done, 1);
    }
}

/* ---- Writing to stdout ------------------------------------------------- */

/**
 * qrs_hand_off_write:
 * @fd: where to write: STDOUT_FILENO, except in tests
 * @json: what qrs_hand_off_to_json() returned
 * @error: return location for a %QRS_HAND_OFF_ERROR_WRITE error
 *
 * Writes @json and a newline to @fd, all of it, with write(2) — past
 * stdio, so there is no buffer left to flush: when this returns %TRUE the
 * line is in the pipe or file. Interrupted and partial writes are resumed;
 * a non-blocking @fd is waited on.
 *
 * Returns: whether the whole line was written; %FALSE with EPIPE's message
 *   when nobody reads the other end
 */
gboolean
qrs_hand_off_write (int          fd,
                    const char  *json,
                    GError     **error)
{
  struct iovec parts[2];
  struct iovec *iov = parts;
  int n_iov = 2;

  g_return_val_if_fail (fd >= 0, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ignore_sigpipe ();

  parts[0].iov_base = (void *) json;
  parts[0].iov_len = strlen (json);
  parts[1].iov_base = (void *) "\n";
  parts[1].iov_len = 1;

  while (n_iov > 0)
    {
      ssize_t written = writev (fd, iov, n_iov);

      if (written < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          if (saved_errno == EAGAIN
#if EWOULDBLOCK != EAGAIN
              || saved_errno == EWOULDBLOCK
#endif
             )
            {
              GPollFD poll_fd = { fd, G_IO_OUT, 0 };

              g_poll (&poll_fd, 1, -1);
              continue;
            }

          g_set_error (error, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_WRITE,
                       _("The tokens could not be written to standard output: %s"),
                       g_strerror (saved_errno));
          return FALSE;
        }

      /* Skip what went out, then resume inside the part it ended in. */
      while (n_iov > 0 && (gsize) written >= iov->iov_len)
        {
          written -= (ssize_t) iov->iov_len;
          iov++;
          n_iov--;
        }
      if (n_iov > 0)
        {
          iov->iov_base = (char *) iov->iov_base + written;
          iov->iov_len -= (gsize) written;
        }
    }

  return TRUE;
}

/* ---- The on-success command -------------------------------------------- */

typedef struct
{
  GSubprocess *subprocess;
  GCancellable *write_cancellable;
  GSource *timeout_source;
  GSource *cancel_source;
  char *input;          /* the JSON and a newline: a secret */
  guint timeout_seconds;
  gboolean timed_out;
  gboolean writing;
  gboolean waiting;
} Run;

static void
run_free (Run *run)
{
  if (run->timeout_source != NULL)
    g_source_destroy (run->timeout_source);
  g_clear_pointer (&run->timeout_source, g_source_unref);
  if (run->cancel_source != NULL)
    g_source_destroy (run->cancel_source);
  g_clear_pointer (&run->cancel_source, g_source_unref);
  g_clear_object (&run->write_cancellable);
  g_clear_object (&run->subprocess);
  g_clear_pointer (&run->input, qrs_secret_free);
  g_free (run);
}

/* In the child, between fork and exec: only async-signal-safe calls. The
 * command gets a process group of its own, so that a time-out ends whatever
 * it started too, and SIGPIPE back at its default, as any program expects
 * (an ignored signal would survive exec).
 */
static void
child_setup (gpointer user_data)
{
  struct sigaction deflt;

  setpgid (0, 0);

  memset (&deflt, 0, sizeof deflt);
  deflt.sa_handler = SIG_DFL;
  sigemptyset (&deflt.sa_mask);
  sigaction (SIGPIPE, &deflt, NULL);
}

static void
run_kill (Run *run)
{
  const char *identifier = g_subprocess_get_identifier (run->subprocess);

  /* NULL once it has been reaped: then there is nothing left to stop. */
  if (identifier != NULL)
    {
      gint64 pid = g_ascii_strtoll (identifier, NULL, 10);

      if (pid > 1)
        kill (-(pid_t) pid, SIGKILL);
      g_subprocess_force_exit (run->subprocess);
    }
}

static void
run_complete (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GSubprocess *subprocess = run->subprocess;

  if (run->writing || run->waiting)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (run->timed_out)
    g_task_return_new_error (task, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_TIMED_OUT,
                             _("The on-success command took longer than its limit of %u s and was stopped."),
                             run->timeout_seconds);
  else if (g_subprocess_get_if_signaled (subprocess))
    g_task_return_new_error (task, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_FAILED,
                             _("The on-success command was ended by signal %d (%s)."),
                             g_subprocess_get_term_sig (subprocess),
                             g_strsignal (g_subprocess_get_term_sig (subprocess)));
  else if (g_subprocess_get_exit_status (subprocess) != 0)
    g_task_return_new_error (task, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_FAILED,
                             _("The on-success command failed with exit status %d."),
                             g_subprocess_get_exit_status (subprocess));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Run *run = g_task_get_task_data (task);

  /* A command that does not read its stdin (it exited first: EPIPE) is
   * not wrong for that; its exit status says whether it worked.
   */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("The on-success command did not take the tokens: %s", error->message);

  g_output_stream_close (G_OUTPUT_STREAM (source), NULL, NULL);

  run->writing = FALSE;
  run_complete (task);
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);

  /* Without a cancellable of its own, the wait cannot fail. */
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);

  /* Something it started may still hold the pipe open without reading. */
  g_cancellable_cancel (run->write_cancellable);

  if (run->timeout_source != NULL)
    g_source_destroy (run->timeout_source);
  if (run->cancel_source != NULL)
    g_source_destroy (run->cancel_source);

  run->waiting = FALSE;
  run_complete (task);
}

static gboolean
on_timeout (gpointer user_data)
{
  Run *run = user_data;

  g_debug ("The on-success command ran over %u s: stopping it", run->timeout_seconds);

  run->timed_out = TRUE;
  run_kill (run);

  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  run_kill (user_data);

  return G_SOURCE_REMOVE;
}

/**
 * qrs_hand_off_run_command_async:
 * @command_line: the command, split into words as a POSIX shell would
 *   (g_shell_parse_argv()) but not run by one: use `sh -c '…'` for pipes
 *   and redirections
 * @json: what qrs_hand_off_to_json() returned
 * @timeout_seconds: how long the command may run, 0 for
 *   %QRS_HAND_OFF_DEFAULT_TIMEOUT
 * @cancellable: (nullable): cancelling it kills the command
 * @callback: called when the command has ended
 * @user_data: for @callback
 *
 * Runs the kiosk's --on-success command with @json and a newline on its
 * standard input, which is then closed. The tokens are never in its
 * arguments or its environment, and %QRS_CONFIG_CLIENT_SECRET_ENV is
 * removed from the environment it inherits. Its standard output goes to
 * our standard error (stdout is the token channel), its standard error is
 * ours. It runs in a process group of its own; at the time limit the whole
 * group is killed.
 */
void
qrs_hand_off_run_command_async (const char          *command_line,
                                const char          *json,
                                guint                timeout_seconds,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDIN_PIPE;
  GOutputStream *stdin_pipe;
  Run *run;
  int stdout_fd;

  g_return_if_fail (command_line != NULL);
  g_return_if_fail (json != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ignore_sigpipe ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, qrs_hand_off_run_command_async);

  if (!g_shell_parse_argv (command_line, NULL, &argv, &error))
    {
      g_task_return_new_error (task, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_BAD_COMMAND,
                               _("The on-success command “%s” is not a valid command line: %s"),
                               command_line, error->message);
      return;
    }

  /* Its stdout to our stderr; if we have none, to nowhere. */
  stdout_fd = fcntl (STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (stdout_fd < 0)
    flags |= G_SUBPROCESS_FLAGS_STDOUT_SILENCE;

  launcher = g_subprocess_launcher_new (flags);
  if (stdout_fd >= 0)
    g_subprocess_launcher_take_stdout_fd (launcher, stdout_fd);
  g_subprocess_launcher_unsetenv (launcher, QRS_CONFIG_CLIENT_SECRET_ENV);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  run = g_new0 (Run, 1);
  run->timeout_seconds = timeout_seconds > 0 ? timeout_seconds : QRS_HAND_OFF_DEFAULT_TIMEOUT;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  {
    g_autofree char *program = qrs_loggable_text (argv[0]);

    g_debug ("Running the on-success command %s", program);
  }

  run->subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  if (run->subprocess == NULL)
    {
      g_task_return_new_error (task, QRS_HAND_OFF_ERROR, QRS_HAND_OFF_ERROR_SPAWN,
                               _("The on-success command could not be started: %s"),
                               error->message);
      return;
    }

  run->input = g_strconcat (json, "\n", NULL);
  run->write_cancellable = g_cancellable_new ();
  run->writing = TRUE;
  run->waiting = TRUE;

  stdin_pipe = g_subprocess_get_stdin_pipe (run->subprocess);
  g_output_stream_write_all_async (stdin_pipe, run->input, strlen (run->input),
                                   G_PRIORITY_DEFAULT, run->write_cancellable,
                                   on_written, g_object_ref (task));

  /* Cancelling must stop the command, not just stop waiting for it: so
   * the wait itself gets no cancellable, and ends when the command does.
   */
  g_subprocess_wait_async (run->subprocess, NULL, on_waited, g_object_ref (task));

  run->timeout_source = g_timeout_source_new ((guint) MIN ((guint64) run->timeout_seconds * 1000, G_MAXUINT));
  g_source_set_callback (run->timeout_source, on_timeout, run, NULL);
  g_source_set_static_name (run->timeout_source, "[qr-signin] on-success time limit");
  g_source_attach (run->timeout_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      run->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (run->cancel_source, G_SOURCE_FUNC (on_cancelled), run, NULL);
      g_source_set_static_name (run->cancel_source, "[qr-signin] on-success cancelled");
      g_source_attach (run->cancel_source, g_task_get_context (task));
    }
}

/**
 * qrs_hand_off_run_command_finish:
 * @error: return location for a %QRS_HAND_OFF_ERROR error, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: whether the command ran and exited with status 0
 */
gboolean
qrs_hand_off_run_command_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, qrs_hand_off_run_command_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
