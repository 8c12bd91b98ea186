/* main.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "qrs-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(QrsApplication) app = NULL;

  /* stdout carries the token hand-off and nothing else, so every log line
   * goes to stderr. This must run before any thread exists.
   */
  g_log_writer_default_set_use_stderr (TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = qrs_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
