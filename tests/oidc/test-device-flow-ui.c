/* test-device-flow-ui.c: the window over a device flow sign-in, in
 * process, against a real OpenID Provider (oidc-provider, see README.md
 * here): what the person sees, and the QR on screen read by ZBar.
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "qrs-application.h"
#include "qrs-provider-factory.h"
#include "qrs-sign-in-view.h"
#include "qrs-test-gtk.h"
#include "qrs-test-harness.h"
#include "qrs-test-idp.h"
#include "qrs-test-wait.h"
#include "qrs-window.h"

/* Real time, as the IdP keeps it: the model polls every 1.5 s. */
#define WAIT_MS 20000

static const QrsTestIdpOptions fast = { .interval = 1 };

/* One registered application for the whole run, as in the real program,
 * and one IdP: node takes a second or more to start.
 */
static QrsApplication *app;
static QrsTestIdp     *idp;

static const GdkRGBA white = { 1, 1, 1, 1 };

typedef struct
{
  QrsProvider        *provider;
  TestNetworkMonitor *monitor;
  QrsSignIn          *sign_in;
  QrsWindow          *window;
  GArray             *statuses; /* every QrsSignInStatus the model took, in order */
  guint               finished;
} Fixture;

static void
status_cb (QrsSignIn  *sign_in,
           GParamSpec *pspec,
           Fixture    *fixture)
{
  QrsSignInStatus status = qrs_sign_in_get_status (sign_in);

  g_array_append_val (fixture->statuses, status);
}

static void
finished_cb (QrsSignIn   *sign_in,
             QrsTokenSet *token_set,
             Fixture     *fixture)
{
  fixture->finished++;
}

/* The provider the application would make for --issuer and --client-id,
 * and the window it would open over it (the steps name the issuer's host).
 */
static void
fixture_set_up (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autoptr (QrsConfig) config = qrs_config_new ();
  g_autoptr (GError) error = NULL;

  fixture->statuses = g_array_new (FALSE, FALSE, sizeof (QrsSignInStatus));
  /* Started by the first test that needs it, so that without node that
   * test is skipped, saying why.
   */
  if (idp != NULL)
    qrs_test_idp_reset (idp);
  else if ((idp = qrs_test_idp_new (&fast)) == NULL)
    return;

  config->provider = QRS_PROVIDER_KIND_DEVICE_FLOW;
  config->issuer = g_strdup (qrs_test_idp_get_issuer (idp));
  config->client_id = g_strdup (QRS_TEST_IDP_PUBLIC_CLIENT_ID);
  g_assert_true (qrs_config_validate (config, &error));
  g_assert_no_error (error);
  fixture->provider = qrs_provider_factory_create (config, &error);
  g_assert_no_error (error);

  fixture->monitor = g_object_new (TEST_TYPE_NETWORK_MONITOR, NULL);
  fixture->sign_in = g_object_new (QRS_TYPE_SIGN_IN,
                                   "provider", fixture->provider,
                                   "network-monitor", fixture->monitor,
                                   NULL);
  g_signal_connect (fixture->sign_in, "notify::status", G_CALLBACK (status_cb), fixture);
  g_signal_connect (fixture->sign_in, "finished", G_CALLBACK (finished_cb), fixture);

  fixture->window = qrs_window_new (app, fixture->sign_in);
  qrs_window_set_service_name (fixture->window, "127.0.0.1");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 460, 640);
  qrs_test_show_and_wait (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer user_data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      qrs_sign_in_cancel (fixture->sign_in);
      /* Let cancelled requests call back and drop their references. */
      qrs_test_drain_main_context ();
      g_assert_finalize_object (fixture->sign_in);
      g_assert_finalize_object (fixture->provider);
      g_assert_finalize_object (fixture->monitor);
    }
  g_array_unref (fixture->statuses);
}

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                               QRS_TYPE_WINDOW, "view"));
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (view, QRS_TYPE_SIGN_IN_VIEW, name));

  g_assert_nonnull (widget);
  return widget;
}

static const char *
label_of (Fixture    *fixture,
          const char *name)
{
  return gtk_label_get_label (GTK_LABEL (child (fixture, name)));
}

static gboolean
is_status (Fixture        *fixture,
           QrsSignInStatus status)
{
  return qrs_sign_in_get_status (fixture->sign_in) == status;
}

static gboolean
is_pending (gpointer user_data)
{
  return is_status (user_data, QRS_SIGN_IN_STATUS_PENDING);
}

static gboolean
is_finished (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->finished > 0;
}

/* The window as the next frame shows it, saved as @name.png. */
static cairo_surface_t *
screenshot (Fixture    *fixture,
            const char *name)
{
  cairo_surface_t *surface;
  g_autofree char *path = NULL;

  qrs_test_wait_for_frame (GTK_WIDGET (fixture->window));
  surface = qrs_test_render_widget (GTK_WIDGET (fixture->window));
  path = qrs_test_save_surface (surface, name);

  return surface;
}

/* The font @label is drawn with, from its style. */
static PangoFontDescription *
font_of (GtkWidget *label)
{
  PangoContext *context = gtk_widget_get_pango_context (label);

  return pango_font_description_copy (pango_context_get_font_description (context));
}

/* The device flow's screen: the QR (verification_uri_complete, for any
 * camera), the user code to type, grouped and large, the address to type
 * it at, and steps that say so; then the person approves and the window
 * says who signed in. The model never claims a scan: the device flow has
 * no SCANNED.
 */
static void
test_device_flow_screen (Fixture      *fixture,
                         gconstpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) decoded = NULL;
  g_autoptr (GRegex) grouped = g_regex_new ("^[A-Z]{4}-[A-Z]{4}$", 0, 0, NULL);
  g_autofree char *verification_uri = NULL;
  g_autofree char *complete = NULL;
  g_autoptr (PangoFontDescription) code_font = NULL;
  g_autoptr (PangoFontDescription) step_font = NULL;
  cairo_surface_t             *surface;
  QrsCode                     *code;
  const char                  *user_code;
  static const QrsSignInStatus expected[] = {
    QRS_SIGN_IN_STATUS_PENDING,
    QRS_SIGN_IN_STATUS_AUTHORIZED,
  };

  if (idp == NULL)
    return;

  qrs_sign_in_start (fixture->sign_in);
  g_assert_true (qrs_test_wait_until (is_pending, fixture, 0, WAIT_MS));
  code = qrs_sign_in_get_code (fixture->sign_in);
  user_code = qrs_code_get_user_code (code);
  verification_uri = g_strconcat (qrs_test_idp_get_issuer (idp), "/device", NULL);
  complete = g_strconcat (verification_uri, "?user_code=", user_code, NULL);
  g_assert_cmpstr (qrs_code_get_qr_content (code), ==, complete);

  /* The code, grouped in fours as the IdP made it, and where to type it. */
  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "qr");
  g_assert_true (g_regex_match (grouped, user_code, 0, NULL));
  g_assert_cmpstr (label_of (fixture, "user_code_label"), ==, user_code);
  g_assert_cmpstr (label_of (fixture, "verification_label"), ==, verification_uri);
  g_assert_true (gtk_widget_is_visible (child (fixture, "user_code_label")));
  g_assert_true (gtk_widget_is_visible (child (fixture, "verification_label")));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (fixture, "user_code_label"))));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (fixture, "verification_label"))));

  /* Large and monospace: a code is copied letter by letter. */
  code_font = font_of (child (fixture, "user_code_label"));
  step_font = font_of (child (fixture, "step1_label"));
  g_assert_cmpstr (pango_font_description_get_family (code_font), ==, "monospace");
  g_assert_cmpint (pango_font_description_get_size (code_font), >=,
                   pango_font_description_get_size (step_font) * 3 / 2);

  g_assert_cmpstr (label_of (fixture, "step1_label"), ==, "Scan this code with your phone’s camera");
  g_assert_cmpstr (label_of (fixture, "step2_label"), ==, "Sign in to 127.0.0.1 and approve");
  g_assert_cmpstr (label_of (fixture, "step3_label"), ==, "No camera? Open the address below and enter the code");
  gtk_test_accessible_assert_property (child (fixture, "qr_view"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "1. Scan this code with your phone’s camera. "
                                       "2. Sign in to 127.0.0.1 and approve. "
                                       "3. No camera? Open the address below and enter the code.");

  /* What a camera reads off the screen is the complete URI. */
  surface = screenshot (fixture, "device-flow");
  decoded = qrs_test_decode_surface (surface, &white);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (decoded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (decoded, 0), ==, complete);

  /* The person scans it and approves, as Alice. */
  qrs_test_idp_approve_uri (idp, g_ptr_array_index (decoded, 0), &error);
  g_assert_no_error (error);
  g_assert_true (qrs_test_wait_until (is_finished, fixture, 0, WAIT_MS));
  g_assert_cmpuint (fixture->finished, ==, 1);

  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "authorized");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "authorized_page"))),
                   ==, "Signed In as " QRS_TEST_IDP_ALICE_NAME);
  surface = screenshot (fixture, "device-flow-authorized");
  cairo_surface_destroy (surface);

  /* Shown, then signed in: no scan in between, nor anything else. */
  g_assert_cmpmem (fixture->statuses->data, fixture->statuses->len * sizeof (QrsSignInStatus),
                   expected, sizeof expected);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  qrs_test_gtk_init (&argc, &argv);
  adw_init ();

  app = qrs_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/device-flow-ui/screen", Fixture, NULL,
              fixture_set_up, test_device_flow_screen, fixture_tear_down);

  status = g_test_run ();

  if (idp != NULL)
    {
      qrs_test_idp_stop (idp);
      g_assert_finalize_object (idp);
    }
  g_clear_object (&app);

  return status;
}
