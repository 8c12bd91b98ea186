/* main.c — qr-signin-emulator
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "qrs-emulator.h"

#define EXIT_USAGE  2
#define SECRET_ENV  "QRS_EMULATOR_CLIENT_SECRET"

static int
usage_error (const char *message)
{
  g_printerr ("qr-signin-emulator: %s\n", message);
  return EXIT_USAGE;
}

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static void
request_cb (QrsEmulator               *emulator,
            const QrsEmulatorLogEntry *entry,
            gpointer                   user_data)
{
  g_printerr ("%8" G_GINT64_FORMAT " ms  %-6s %s → %u\n",
              entry->ms, entry->method, entry->path, entry->status);
}

/* The secret from a file is its first line; a trailing newline is not
 * part of it.
 */
static char *
read_secret_file (const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  char *newline;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  newline = strpbrk (contents, "\r\n");
  if (newline != NULL)
    *newline = '\0';

  return g_steal_pointer (&contents);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(QrsEmulator) emulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GEnumClass) methods = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *userpool_id = NULL;
  g_autofree char *method_name = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *client_secret_file = NULL;
  GEnumValue *method = NULL;
  gboolean return_full_user_info = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  int port = 0;
  int qr_ttl = QRS_EMULATOR_DEFAULT_QR_TTL;
  int ticket_ttl = QRS_EMULATOR_DEFAULT_TICKET_TTL;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "TCP port on 127.0.0.1 (default 0: any free port)", "PORT" },
    { "app-id", 0, 0, G_OPTION_ARG_STRING, &app_id,
      "Application id the server accepts (default " QRS_EMULATOR_DEFAULT_APP_ID ")", "ID" },
    { "userpool-id", 0, 0, G_OPTION_ARG_STRING, &userpool_id,
      "User pool id (default " QRS_EMULATOR_DEFAULT_USERPOOL_ID ")", "ID" },
    { "qr-ttl", 0, 0, G_OPTION_ARG_INT, &qr_ttl,
      "Seconds a QR code stays valid (default 120)", "SECONDS" },
    { "ticket-ttl", 0, 0, G_OPTION_ARG_INT, &ticket_ttl,
      "Seconds a ticket can be exchanged (default 300)", "SECONDS" },
    { "token-auth-method", 0, 0, G_OPTION_ARG_STRING, &method_name,
      "How the ticket exchange authenticates the client: none (default), "
      "client_secret_post or client_secret_basic", "METHOD" },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &client_secret,
      "App secret for client_secret_post/_basic; other users can read it in the "
      "process list, so prefer $" SECRET_ENV " or --client-secret-file", "SECRET" },
    { "client-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &client_secret_file,
      "Read the app secret from the first line of FILE", "FILE" },
    { "return-full-user-info", 0, 0, G_OPTION_ARG_NONE, &return_full_user_info,
      "Answer AUTHORIZED polls with tokenSet instead of a ticket", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      "Print every request on stderr", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    { NULL }
  };

  /* stdout carries the base URL line and nothing else. */
  g_log_writer_default_set_use_stderr (TRUE);
  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "A GenAuth V3 QR sign-in server on 127.0.0.1 for tests and demos.\n"
                                "Prints its base URL on stdout when ready; SIGINT or SIGTERM stops it.\n"
                                "Test hooks live under /__emu/ (phone, clock, fault, log, codes).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (version)
    {
      printf ("qr-signin-emulator %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (argc > 1)
    return usage_error ("takes no arguments besides options; see --help.");
  if (port < 0 || port > G_MAXUINT16)
    return usage_error ("--port must be between 0 and 65535.");
  if (qr_ttl < 1 || qr_ttl > 86400)
    return usage_error ("--qr-ttl must be between 1 and 86400 seconds.");
  if (ticket_ttl < 1 || ticket_ttl > 86400)
    return usage_error ("--ticket-ttl must be between 1 and 86400 seconds.");
  if (app_id != NULL && *app_id == '\0')
    return usage_error ("--app-id must not be empty.");
  if (userpool_id != NULL && *userpool_id == '\0')
    return usage_error ("--userpool-id must not be empty.");

  methods = g_type_class_ref (QRS_TYPE_EMULATOR_TOKEN_AUTH_METHOD);
  method = g_enum_get_value_by_nick (methods, method_name != NULL ? method_name : "none");
  if (method == NULL)
    return usage_error ("--token-auth-method must be none, client_secret_post or client_secret_basic.");

  if (client_secret == NULL && client_secret_file != NULL)
    {
      client_secret = read_secret_file (client_secret_file, &error);
      if (client_secret == NULL)
        {
          g_autofree char *message = g_strdup_printf ("cannot read --client-secret-file: %s.", error->message);

          return usage_error (message);
        }
    }
  if (client_secret == NULL && g_getenv (SECRET_ENV) != NULL)
    client_secret = g_strdup (g_getenv (SECRET_ENV));
  if (client_secret != NULL && *client_secret == '\0')
    g_clear_pointer (&client_secret, g_free);

  if (method->value != QRS_EMULATOR_TOKEN_AUTH_METHOD_NONE && client_secret == NULL)
    return usage_error ("--token-auth-method client_secret_post and client_secret_basic need a client secret "
                        "($" SECRET_ENV ", --client-secret-file or --client-secret).");

  emulator = g_object_new (QRS_TYPE_EMULATOR,
                           "app-id", app_id != NULL ? app_id : QRS_EMULATOR_DEFAULT_APP_ID,
                           "userpool-id", userpool_id != NULL ? userpool_id : QRS_EMULATOR_DEFAULT_USERPOOL_ID,
                           "qr-ttl", (guint) qr_ttl,
                           "ticket-ttl", (guint) ticket_ttl,
                           "token-auth-method", method->value,
                           "client-secret", client_secret,
                           "return-full-user-info", return_full_user_info,
                           NULL);
  if (verbose)
    g_signal_connect (emulator, "request", G_CALLBACK (request_cb), NULL);

  if (!qrs_emulator_start (emulator, (guint) port, &error))
    {
      g_printerr ("qr-signin-emulator: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  printf ("%s\n", qrs_emulator_get_base_url (emulator));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  qrs_emulator_stop (emulator);

  return 0;
}
