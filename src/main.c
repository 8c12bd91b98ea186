/* main.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "qrs-application.h"
#include "qrs-trace.h"

/* A closed standard output would be reused by the next file opened (an
 * eventfd, a socket), and the tokens written into it. Fill the hole with
 * /dev/null at once, before anything opens a file, and remember.
 */
static gboolean
plug_closed_stdout (void)
{
  int fd;

  if (fcntl (STDOUT_FILENO, F_GETFD) != -1 || errno != EBADF)
    return FALSE;

  fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd >= 0 && fd != STDOUT_FILENO)
    {
      dup2 (fd, STDOUT_FILENO);
      close (fd);
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(QrsApplication) app = NULL;
  gboolean stdout_closed = plug_closed_stdout ();
  gboolean theme_lent;
  int status;

  qrs_trace_mark ("main");

  /* GTK parses its own default theme when the display's settings are
   * made, and libadwaita throws it away for its stylesheet at once: some
   * 10 ms before the first frame for nothing. Named in the environment,
   * GTK's empty theme is parsed instead; the application takes the
   * variable back as soon as the settings exist, before libadwaita (which
   * would leave its stylesheet out) or any program we start can see it.
   * Set here, before any thread exists. A GTK_THEME of the user's own is
   * left as it is.
   */
  theme_lent = g_getenv ("GTK_THEME") == NULL && g_setenv ("GTK_THEME", "Empty", FALSE);

  /* stdout carries the token hand-off and nothing else, so every log line
   * goes to stderr. This must run before any thread exists.
   */
  g_log_writer_default_set_use_stderr (TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A caller that stops reading our stdout must not kill us: a failed
   * write is reported and ends in exit status 3 instead.
   */
  signal (SIGPIPE, SIG_IGN);

  app = qrs_application_new ();
  qrs_application_set_stdout_closed (app, stdout_closed);
  qrs_application_set_theme_lent (app, theme_lent);
  status = g_application_run (G_APPLICATION (app), argc, argv);

  /* Bad usage is decided before any window, in handle-local-options (2)
   * or by GApplication's own parser (1, remapped to 2 here).
   */
  if (status != 0 && status != 1)
    return status;

  return qrs_application_get_exit_status (app);
}
