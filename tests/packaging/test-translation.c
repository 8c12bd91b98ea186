/* test-translation.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "qrs-application.h"
#include "qrs-genauth-provider.h"
#include "qrs-sign-in-view.h"
#include "qrs-window.h"

/* The window built under LANGUAGE=zh_CN speaks the zh_CN catalogue compiled
 * into the build tree. The expected strings are written out here, so the
 * test cannot pass on English (a missing or untranslated catalogue).
 */
static void
test_window_zh_cn (void)
{
  g_autoptr(QrsApplication) app = qrs_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsGenauthProvider) provider = NULL;
  g_autoptr(QrsSignIn) sign_in = NULL;
  QrsWindow *window;
  GtkWidget *caption;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* A model that is never started: the window shows its first state. */
  provider = qrs_genauth_provider_new ("http://127.0.0.1:9", "app", NULL, &error);
  g_assert_no_error (error);
  sign_in = qrs_sign_in_new (QRS_PROVIDER (provider));
  window = qrs_window_new (app, sign_in);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "扫码登录");

  caption = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), QRS_TYPE_WINDOW, "view"));
  caption = GTK_WIDGET (gtk_widget_get_template_child (caption, QRS_TYPE_SIGN_IN_VIEW, "caption"));
  g_assert_true (GTK_IS_LABEL (caption));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (caption)), ==, "正在获取登录二维码…");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* gettext ignores LANGUAGE in the "C" locale, so run in C.UTF-8 (built
   * into glibc 2.35 and newer): no generated locale is needed.
   */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", QRS_TEST_SCHEMA_DIR, TRUE);

  if (setlocale (LC_ALL, "") == NULL)
    g_error ("The C.UTF-8 locale is not available");

  bindtextdomain (GETTEXT_PACKAGE, QRS_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/translation/window/zh-cn", test_window_zh_cn);

  return g_test_run ();
}
