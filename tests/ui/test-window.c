/* test-window.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "qrs-application.h"
#include "qrs-qr-matrix.h"
#include "qrs-qr-view.h"
#include "qrs-test-gtk.h"
#include "qrs-test-harness.h"
#include "qrs-test-wait.h"
#include "qrs-test-zbar.h"
#include "qrs-sign-in-view.h"
#include "qrs-window.h"

/* The real window over a real QrsSignIn against the emulator: each state as
 * a person sees it, with a screenshot of each in the test build directory.
 */

typedef struct {
  QrsTestHarness harness;
  QrsWindow *window;
} Fixture;

/* One registered application for the whole run, as in the real program. */
static QrsApplication *app;

static const GdkRGBA white = { 1, 1, 1, 1 };

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  qrs_test_harness_set_up (&fixture->harness, NULL);

  /* The dark variants: the same test in dark, which must read as well. */
  if (g_strcmp0 (user_data, "dark") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  fixture->window = qrs_window_new (app, fixture->harness.sign_in);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 460, 640);
  qrs_test_show_and_wait (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  qrs_test_drain_main_context ();
  qrs_test_harness_tear_down (&fixture->harness, NULL);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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

/* The text of a label, or of an inscription (the countdown); "" if none. */
static const char *
text_of (GtkWidget *widget)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

  return text != NULL ? text : "";
}

static const char *
label_of (Fixture    *fixture,
          const char *name)
{
  GtkWidget *widget = child (fixture, name);

  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));

  return text_of (widget);
}

/*
 * Readability: WCAG 2's contrast ratio, read off the rendered pixels
 */

static double
channel_luminance (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *rgba)
{
  return 0.2126 * channel_luminance (rgba->red) +
         0.7152 * channel_luminance (rgba->green) +
         0.0722 * channel_luminance (rgba->blue);
}

static double
contrast_ratio (const GdkRGBA *a,
                const GdkRGBA *b)
{
  double la = luminance (a);
  double lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* The contrast of the text of @label as drawn on @surface: its background
 * is the colour most of its box has, its text the pixel that stands out
 * most from it (a glyph's core, where antialiasing leaves the full colour).
 */
static double
label_contrast (cairo_surface_t *surface,
                GtkWidget       *window,
                GtkWidget       *label)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  graphene_rect_t frame, bounds;
  guint32 background = 0;
  guint best = 0;
  GdkRGBA bg, pixel;
  double most = 1;
  int x0, y0, x1, y1;

  /* A window's coordinates start inside its frame; the picture starts at
   * the frame's edge, where the window's own bounds start.
   */
  g_assert_true (gtk_widget_compute_bounds (window, window, &frame));
  g_assert_true (gtk_widget_compute_bounds (label, window, &bounds));
  graphene_rect_offset (&bounds, -frame.origin.x, -frame.origin.y);
  x0 = MAX (0, (int) ceilf (bounds.origin.x));
  y0 = MAX (0, (int) ceilf (bounds.origin.y));
  x1 = MIN (cairo_image_surface_get_width (surface), (int) floorf (bounds.origin.x + bounds.size.width));
  y1 = MIN (cairo_image_surface_get_height (surface), (int) floorf (bounds.origin.y + bounds.size.height));
  /* Nothing of it is in the picture: nothing to read. */
  if (x1 <= x0 || y1 <= y0)
    return G_MAXDOUBLE;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 argb = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (argb))) + 1;

        g_hash_table_insert (counts, GUINT_TO_POINTER (argb), GUINT_TO_POINTER (n));
        if (n > best)
          {
            best = n;
            background = argb;
          }
      }

  /* The window is opaque: every pixel is a colour as seen. */
  g_assert_cmpuint (background >> 24, ==, 0xff);
  bg = (GdkRGBA) { ((background >> 16) & 0xff) / 255.f, ((background >> 8) & 0xff) / 255.f,
                   (background & 0xff) / 255.f, 1 };
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        qrs_test_surface_pixel (surface, x, y, &pixel);
        most = MAX (most, contrast_ratio (&bg, &pixel));
      }

  return most;
}

static void
assert_labels_readable (cairo_surface_t *surface,
                        GtkWidget       *window,
                        GtkWidget       *widget,
                        const char      *name)
{
  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0)
    return;

  if (*text_of (widget) != '\0')
    {
      double ratio = label_contrast (surface, window, widget);

      if (ratio < 4.5)
        g_error ("%s: “%s” has a contrast of %.2f:1, under 4.5:1",
                 name, text_of (widget), ratio);
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    assert_labels_readable (surface, window, c, name);
}

/* Renders the window as the next frame shows it (with animations off,
 * a new page is there at once, with no crossfade to wait out), and checks
 * that every text on it can be read: at least 4.5:1 against its background.
 */
static cairo_surface_t * G_GNUC_WARN_UNUSED_RESULT
snapshot_state (Fixture    *fixture,
                const char *name);

static cairo_surface_t *
snapshot_state (Fixture    *fixture,
                const char *name)
{
  cairo_surface_t *surface;
  g_autofree char *dark_name = NULL;
  g_autofree char *path = NULL;

  qrs_test_wait_for_frame (GTK_WIDGET (fixture->window));

  surface = qrs_test_render_widget (GTK_WIDGET (fixture->window));
  if (adw_style_manager_get_dark (adw_style_manager_get_default ()) && !g_str_has_suffix (name, "-dark"))
    dark_name = g_strconcat (name, "-dark", NULL);
  path = qrs_test_save_surface (surface, dark_name != NULL ? dark_name : name);

  assert_labels_readable (surface, GTK_WIDGET (fixture->window), GTK_WIDGET (fixture->window), name);

  return surface;
}

/* Saves the next frame for a person to look at; nothing reads it here. */
static void
save_state (Fixture    *fixture,
            const char *name)
{
  cairo_surface_destroy (snapshot_state (fixture, name));
}

/* What the server's own picture of the code says, read with ZBar. */
static char *
decode_server_image (Fixture *fixture)
{
  GBytes *image = qrs_sign_in_get_qr_image (fixture->harness.sign_in);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *grey = NULL;
  int width, height;

  g_assert_nonnull (image);
  texture = gdk_texture_new_from_bytes (image, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  grey = g_malloc ((gsize) width * height);
  for (gsize i = 0; i < (gsize) width * height; i++)
    grey[i] = pixels[i * 4 + 1];

  decoded = qrs_test_zbar_decode_gray (grey, width, height, width);
  g_assert_cmpuint (decoded->len, ==, 1);

  return g_strdup (g_ptr_array_index (decoded, 0));
}

/* The QR on screen reads @expected. */
static void
assert_qr_decodes (Fixture    *fixture,
                   const char *name,
                   const char *expected)
{
  cairo_surface_t *surface = snapshot_state (fixture, name);
  g_autoptr(GPtrArray) decoded = qrs_test_decode_surface (surface, &white);

  g_assert_cmpuint (decoded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (decoded, 0), ==, expected);

  cairo_surface_destroy (surface);
}

static void
start_and_wait_pending (Fixture *fixture)
{
  qrs_sign_in_start (fixture->harness.sign_in);
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_PENDING);
}

static const char *
visible_child (Fixture    *fixture,
               const char *stack)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (fixture, stack)));
}

static void
test_loading (Fixture       *fixture,
              gconstpointer  user_data)
{
  GtkWidget *spinner = child (fixture, "spinner");
  int before_w, before_h, after_w, after_h;
  cairo_surface_t *surface;

  /* Before the first answer: a spinner where the code will be, the same
   * size, so nothing jumps when the code arrives.
   */
  qrs_sign_in_start (fixture->harness.sign_in);
  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "loading");
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_cmpstr (label_of (fixture, "caption"), ==, "Getting a sign-in code…");
  g_assert_cmpstr (visible_child (fixture, "status_stack"), ==, "caption");
  surface = snapshot_state (fixture, "window-loading");
  cairo_surface_destroy (surface);
  before_w = gtk_widget_get_width (child (fixture, "code_stack"));
  before_h = gtk_widget_get_height (child (fixture, "code_stack"));

  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_PENDING);
  surface = snapshot_state (fixture, "window-pending");
  cairo_surface_destroy (surface);
  after_w = gtk_widget_get_width (child (fixture, "code_stack"));
  after_h = gtk_widget_get_height (child (fixture, "code_stack"));
  g_assert_cmpint (before_w, ==, after_w);
  g_assert_cmpint (before_h, ==, after_h);
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
}

/* A heading, and three numbered steps that name the app to scan with, read
 * by a screen reader as the code's description.
 */
static void
test_pending_local (Fixture       *fixture,
                    gconstpointer  user_data)
{
  qrs_sign_in_set_fetch_qr_image (fixture->harness.sign_in, FALSE);
  start_and_wait_pending (fixture);

  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "qr");
  g_assert_cmpstr (label_of (fixture, "heading"), ==, "Sign in with your phone");
  g_assert_cmpstr (label_of (fixture, "step1_label"), ==, "Open the GenAuth app on your phone (not the camera)");
  g_assert_cmpstr (label_of (fixture, "step2_label"), ==, "Tap Scan");
  g_assert_cmpstr (label_of (fixture, "step3_label"), ==, "Point your phone at this code");
  g_assert_cmpstr (visible_child (fixture, "info_stack"), ==, "steps");
  g_assert_false (gtk_widget_get_visible (child (fixture, "device_box")));
  gtk_test_accessible_assert_property (child (fixture, "qr_view"), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Sign-in QR code");
  gtk_test_accessible_assert_property (child (fixture, "qr_view"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "1. Open the GenAuth app on your phone (not the camera). "
                                       "2. Tap Scan. 3. Point your phone at this code.");
  assert_qr_decodes (fixture, "window-pending-local",
                     qrs_code_get_qr_content (qrs_sign_in_get_code (fixture->harness.sign_in)));

  /* The app is whichever the deployment uses. */
  qrs_window_set_service_name (fixture->window, "Acme Pass");
  g_assert_cmpstr (label_of (fixture, "step1_label"), ==, "Open the Acme Pass app on your phone (not the camera)");
}

static gboolean
qr_view_has_image (QrsTestHarness *harness,
                   gconstpointer   data)
{
  Fixture *fixture = (Fixture *) harness;
  QrsQrView *view = QRS_QR_VIEW (child (fixture, "qr_view"));

  /* Drawn from the server's picture, the view holds modules, not text. */
  return qrs_sign_in_get_qr_image (harness->sign_in) != NULL &&
         qrs_qr_view_get_content (view) == NULL &&
         qrs_qr_view_get_matrix (view) != NULL;
}

static void
test_pending_server (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *expected = NULL;

  start_and_wait_pending (fixture);
  qrs_test_wait_io (&fixture->harness, qr_view_has_image);
  expected = decode_server_image (fixture);

  /* What the server drew, with the code's id in it. */
  g_assert_nonnull (strstr (expected, qrs_code_get_id (qrs_sign_in_get_code (fixture->harness.sign_in))));
  assert_qr_decodes (fixture, "window-pending-server", expected);
}

static void
test_pending_dark (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *expected = NULL;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  start_and_wait_pending (fixture);
  qrs_test_wait_io (&fixture->harness, qr_view_has_image);
  expected = decode_server_image (fixture);
  assert_qr_decodes (fixture, "window-pending-dark", expected);
}

/* The countdown is an inscription, whose size does not follow its text:
 * the room it asks for, even in the narrowest window, must hold the text.
 */
static void
assert_text_fits (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text_of (widget));
  int width, minimum;

  pango_layout_get_pixel_size (layout, &width, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (width, <=, minimum);
}

/* While the next code comes by itself nothing is counted until its last
 * half minute, and then it is "New code in"; the code after which the
 * person has to ask says "Expires in" all along; after the scan, nothing.
 * Every tick is on the model's clock.
 */
static void
test_countdown (Fixture       *fixture,
                gconstpointer  user_data)
{
  start_and_wait_pending (fixture);
  g_assert_true (qrs_sign_in_get_renews_itself (fixture->harness.sign_in));
  g_assert_cmpstr (label_of (fixture, "time_left_label"), ==, "");
  g_assert_cmpstr (visible_child (fixture, "status_stack"), ==, "time-left");

  qrs_test_run_for (&fixture->harness, 89000);
  g_assert_cmpstr (label_of (fixture, "time_left_label"), ==, "");
  qrs_test_run_for (&fixture->harness, 1000);
  g_assert_cmpstr (label_of (fixture, "time_left_label"), ==, "New code in 0:30");
  qrs_test_run_for (&fixture->harness, 1000);
  g_assert_cmpstr (label_of (fixture, "time_left_label"), ==, "New code in 0:29");
  save_state (fixture, "window-countdown-renews");
  assert_text_fits (child (fixture, "time_left_label"));

  /* After the scan there is nothing to count. */
  qrs_test_phone (&fixture->harness, QRS_EMULATOR_ACTION_SCAN, "Ada");
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_SCANNED);
  g_assert_cmpstr (label_of (fixture, "time_left_label"), ==, "");
}

static void
test_countdown_last (Fixture       *fixture,
                     gconstpointer  user_data)
{
  qrs_sign_in_set_auto_refresh_cap (fixture->harness.sign_in, 0);
  start_and_wait_pending (fixture);
  g_assert_false (qrs_sign_in_get_renews_itself (fixture->harness.sign_in));
  g_assert_cmpstr (label_of (fixture, "time_left_label"), ==, "Expires in 2:00");

  qrs_test_run_for (&fixture->harness, 20000);
  g_assert_cmpstr (label_of (fixture, "time_left_label"), ==, "Expires in 1:40");
  save_state (fixture, "window-countdown-last");
  assert_text_fits (child (fixture, "time_left_label"));
}

static gboolean
avatar_has_photo (QrsTestHarness *harness,
                  gconstpointer   data)
{
  Fixture *fixture = (Fixture *) harness;
  AdwAvatar *avatar = ADW_AVATAR (child (fixture, "avatar"));

  return adw_avatar_get_custom_image (avatar) != NULL;
}

static void
test_scanned (Fixture       *fixture,
              gconstpointer  user_data)
{
  AdwAvatar *avatar = ADW_AVATAR (child (fixture, "avatar"));
  int heading_y, code_w;
  graphene_point_t point;
  cairo_surface_t *surface;

  start_and_wait_pending (fixture);
  qrs_test_wait_for_frame (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_compute_point (child (fixture, "heading"), GTK_WIDGET (fixture->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  heading_y = (int) point.y;
  code_w = gtk_widget_get_width (child (fixture, "code_stack"));

  qrs_test_phone (&fixture->harness, QRS_EMULATOR_ACTION_SCAN, "Ada Lovelace");
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_SCANNED);

  /* The person instead of the code, and what to do now. */
  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "person");
  g_assert_cmpstr (label_of (fixture, "heading"), ==, "Confirm on your phone");
  g_assert_cmpstr (label_of (fixture, "name_label"), ==, "Ada Lovelace");
  g_assert_cmpstr (adw_avatar_get_text (avatar), ==, "Ada Lovelace");
  g_assert_cmpstr (visible_child (fixture, "info_stack"), ==, "scanned");
  g_assert_true (gtk_widget_get_visible (child (fixture, "not_you_button")));

  qrs_test_wait_io (&fixture->harness, avatar_has_photo);
  surface = snapshot_state (fixture, "window-scanned");
  cairo_surface_destroy (surface);

  /* Nothing moved. */
  g_assert_true (gtk_widget_compute_point (child (fixture, "heading"), GTK_WIDGET (fixture->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  g_assert_cmpint ((int) point.y, ==, heading_y);
  g_assert_cmpint (gtk_widget_get_width (child (fixture, "code_stack")), ==, code_w);

  /* "Not you? Show a new code": a new code, at once. */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (child (fixture, "not_you_button"))), ==, "win.refresh");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL));
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->harness.recorder->creates, ==, 2);
}

static void
test_authorized (Fixture       *fixture,
                 gconstpointer  user_data)
{
  cairo_surface_t *surface;

  start_and_wait_pending (fixture);
  qrs_test_phone (&fixture->harness, QRS_EMULATOR_ACTION_SCAN, "Grace");
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_SCANNED);
  qrs_test_phone (&fixture->harness, QRS_EMULATOR_ACTION_CONFIRM, NULL);
  g_assert_true (qrs_test_run_until (&fixture->harness, qrs_test_is_finished, NULL, 10000));

  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "authorized");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "authorized_page"))),
                   ==, "Signed In as Grace");
  surface = snapshot_state (fixture, "window-authorized");
  cairo_surface_destroy (surface);

  /* A kiosk says it as a welcome. */
  qrs_window_set_kiosk (fixture->window, TRUE);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "authorized_page"))),
                   ==, "Welcome, Grace");
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  user_data)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (child (fixture, "cancelled_page"));
  cairo_surface_t *surface;

  start_and_wait_pending (fixture);
  qrs_test_phone (&fixture->harness, QRS_EMULATOR_ACTION_SCAN, NULL);
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_SCANNED);
  qrs_test_phone (&fixture->harness, QRS_EMULATOR_ACTION_CANCEL, NULL);
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_CANCELLED);

  /* A short title, a description, and a new code on offer. */
  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "cancelled");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Sign-In Declined");
  g_assert_cmpstr (adw_status_page_get_description (page), ==,
                   "The sign-in was declined on the phone. You can sign in with a new code.");
  g_assert_true (gtk_widget_get_visible (child (fixture, "new_code_button")));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (fixture, "new_code_button"))), ==, "_Show a New Code");
  surface = snapshot_state (fixture, "window-cancelled");
  cairo_surface_destroy (surface);

  /* A kiosk has nobody to click: it says a code is coming. */
  qrs_window_set_kiosk (fixture->window, TRUE);
  g_assert_false (gtk_widget_get_visible (child (fixture, "new_code_button")));
  g_assert_cmpstr (adw_status_page_get_description (page), ==, "A new code will appear in a moment.");
  qrs_window_set_kiosk (fixture->window, FALSE);

  /* "Show a New Code" is the model's retry: a new code. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry", NULL));
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "qr");
  g_assert_cmpuint (fixture->harness.recorder->creates, ==, 2);
}

static void
test_expired (Fixture       *fixture,
              gconstpointer  user_data)
{
  cairo_surface_t *surface;

  qrs_sign_in_set_auto_refresh_cap (fixture->harness.sign_in, 0);
  start_and_wait_pending (fixture);
  qrs_test_run_for (&fixture->harness, 121000);
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_EXPIRED);

  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "expired");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "expired_page"))),
                   ==, "This Code Has Expired");
  surface = snapshot_state (fixture, "window-expired");
  cairo_surface_destroy (surface);

  /* Ctrl+R, like the "Refresh" button, asks for a new code. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL));
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_PENDING);
  g_assert_cmpuint (fixture->harness.recorder->creates, ==, 2);
}

static void
test_error (Fixture       *fixture,
            gconstpointer  user_data)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (child (fixture, "error_page"));
  GtkWidget *request_id_box = child (fixture, "request_id_box");
  cairo_surface_t *surface;
  const char *request_id;
  g_autofree char *expected = NULL;
  int width, min_width;

  qrs_test_wait_for_frame (GTK_WIDGET (fixture->window));
  width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  qrs_emulator_set_app_id (fixture->harness.emulator, "another-app");
  qrs_sign_in_start (fixture->harness.sign_in);
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_ERROR);

  /* The server answered: it reported a problem, in its own words. */
  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "error");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "The Server Reported a Problem");
  g_assert_cmpstr (adw_status_page_get_description (page), ==,
                   qrs_sign_in_get_error_message (fixture->harness.sign_in));
  request_id = qrs_sign_in_get_request_id (fixture->harness.sign_in);
  g_assert_nonnull (request_id);
  expected = g_strdup_printf ("Request ID: %s", request_id);
  g_assert_cmpstr (label_of (fixture, "request_id_label"), ==, expected);
  g_assert_true (gtk_widget_get_visible (request_id_box));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (fixture, "request_id_label"))));
  /* The server's words are in the message already: not shown twice. */
  g_assert_nonnull (strstr (adw_status_page_get_description (page),
                            qrs_sign_in_get_server_message (fixture->harness.sign_in)));
  g_assert_false (gtk_widget_get_visible (child (fixture, "server_message_label")));
  /* A window waits for the person: no retry countdown. */
  g_assert_false (gtk_widget_get_visible (child (fixture, "retry_label")));
  surface = snapshot_state (fixture, "window-error");
  cairo_surface_destroy (surface);
  /* A long request ID wraps: the page does not widen the window, and
   * fits one as narrow as a phone's (360 px).
   */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, width);
  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
}

/* A kiosk says when it tries again after an error. */
static void
test_error_kiosk (Fixture       *fixture,
                  gconstpointer  user_data)
{
  qrs_emulator_set_app_id (fixture->harness.emulator, "another-app");
  qrs_sign_in_set_kiosk (fixture->harness.sign_in, TRUE);
  qrs_window_set_kiosk (fixture->window, TRUE);
  qrs_sign_in_start (fixture->harness.sign_in);
  qrs_test_wait_for_status (&fixture->harness, QRS_SIGN_IN_STATUS_ERROR);

  g_assert_true (gtk_widget_get_visible (child (fixture, "retry_label")));
  g_assert_cmpstr (label_of (fixture, "retry_label"), ==, "Trying again in 0:05");
  qrs_test_run_for (&fixture->harness, 2000);
  g_assert_cmpstr (label_of (fixture, "retry_label"), ==, "Trying again in 0:03");
}

static gboolean
is_reconnecting (QrsTestHarness *harness,
                 gconstpointer   data)
{
  return qrs_sign_in_get_connection (harness->sign_in) == QRS_CONNECTION_RECONNECTING;
}

static gboolean
nothing_in_flight (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->harness.recorder->in_flight == 0;
}

/* Two kinds of trouble, told apart: a server that answers with a problem
 * (its words shown), and one that cannot be reached. The code stays, dimmed,
 * and does not shrink: the notice takes the heading's place.
 */
static void
assert_trouble (Fixture          *fixture,
                QrsEmulatorFault  fault,
                guint             count,
                const char       *expected_start,
                const char       *screenshot)
{
  g_autoptr(GError) error = NULL;
  int qr_w, qr_h;

  start_and_wait_pending (fixture);
  qrs_test_wait_for_frame (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (visible_child (fixture, "banner_stack"), ==, "heading");
  g_assert_false (gtk_widget_has_css_class (child (fixture, "qr_view"), "dimmed"));
  qr_w = gtk_widget_get_width (child (fixture, "qr_view"));
  qr_h = gtk_widget_get_height (child (fixture, "qr_view"));

  qrs_emulator_inject_fault (fixture->harness.emulator, QRS_EMULATOR_ENDPOINT_CHECK_QRCODE_STATUS,
                             fault, count, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_true (qrs_test_run_until (&fixture->harness, is_reconnecting, NULL, 60000));

  g_assert_cmpstr (visible_child (fixture, "banner_stack"), ==, "banner");
  g_assert_cmpstr (qrs_window_get_visible_page (fixture->window), ==, "qr");
  g_assert_true (g_str_has_prefix (label_of (fixture, "connection_label"), expected_start));
  g_assert_nonnull (strstr (label_of (fixture, "connection_label"), "Trying again in 0:"));
  g_assert_true (gtk_widget_has_css_class (child (fixture, "qr_view"), "dimmed"));
  save_state (fixture, screenshot);
  g_assert_cmpint (gtk_widget_get_width (child (fixture, "qr_view")), ==, qr_w);
  g_assert_cmpint (gtk_widget_get_height (child (fixture, "qr_view")), ==, qr_h);

  qrs_emulator_clear_faults (fixture->harness.emulator);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry", NULL));
  g_assert_true (qrs_test_wait_until (nothing_in_flight, fixture, 0, 10000));
  g_assert_cmpstr (visible_child (fixture, "banner_stack"), ==, "heading");
  g_assert_false (gtk_widget_has_css_class (child (fixture, "qr_view"), "dimmed"));
}

static void
test_reconnecting_server (Fixture       *fixture,
                          gconstpointer  user_data)
{
  assert_trouble (fixture, QRS_EMULATOR_FAULT_HTTP500, 3,
                  "The sign-in server reported a problem: “Internal server error”. Trying again in 0:",
                  "window-trouble-server");
}

static void
test_reconnecting_unreachable (Fixture       *fixture,
                               gconstpointer  user_data)
{
  /* libsoup may send a request again when a kept-alive connection was
   * closed under it: more drops than failures are needed.
   */
  assert_trouble (fixture, QRS_EMULATOR_FAULT_DROP, 20,
                  "Can’t reach the sign-in server. Trying again in 0:",
                  "window-trouble-unreachable");
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  user_data)
{
  start_and_wait_pending (fixture);
  test_network_monitor_set_available (fixture->harness.monitor, FALSE);

  g_assert_cmpstr (visible_child (fixture, "banner_stack"), ==, "banner");
  g_assert_cmpstr (label_of (fixture, "connection_label"), ==,
                   "This computer is offline. The code will be checked again when it is back online.");

  test_network_monitor_set_available (fixture->harness.monitor, TRUE);
  g_assert_cmpstr (visible_child (fixture, "banner_stack"), ==, "heading");
}

static void
test_hidden (Fixture       *fixture,
             gconstpointer  user_data)
{
  start_and_wait_pending (fixture);
  g_assert_true (qrs_sign_in_get_visible (fixture->harness.sign_in));

  /* An unmapped window tells the model nobody is looking. */
  gtk_widget_set_visible (GTK_WIDGET (fixture->window), FALSE);
  g_assert_false (qrs_sign_in_get_visible (fixture->harness.sign_in));
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (qrs_sign_in_get_visible (fixture->harness.sign_in));
}

static void
test_accessible_pages (Fixture       *fixture,
                       gconstpointer  user_data)
{
  gtk_test_accessible_assert_role (child (fixture, "qr_view"), GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "cancelled_page"))),
                   ==, "Sign-In Declined");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "expired_page"))),
                   ==, "This Code Has Expired");
}

/* The app's icon comes with it, so a run from the build tree (no icon
 * installed) still has it in About and on the first-run page. It joins
 * the icon theme only when one of them is shown, never at start-up:
 * adding a resource path makes GTK read the whole theme again.
 */
static void
test_app_icon (Fixture       *fixture,
               gconstpointer  user_data)
{
  const char *path = RESOURCE_BASE_PATH "/icons";
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (fixture->window)));
  g_auto(GStrv) at_start = gtk_icon_theme_get_resource_path (theme);
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *about = NULL;

  g_assert_false (at_start != NULL && g_strv_contains ((const char * const *) at_start, path));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  for (guint i = 0; about == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        about = window;
    }
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));

  gtk_window_destroy (about);
}

/* In a kiosk the code owns the screen in whole pixels per module, with
 * the steps beside it in large type; there is no header bar.
 */
static void
test_kiosk_layout (Fixture       *fixture,
                   gconstpointer  user_data)
{
  QrsQrView *view = QRS_QR_VIEW (child (fixture, "qr_view"));
  GtkWidget *header = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                  QRS_TYPE_WINDOW, "header_bar"));
  cairo_surface_t *surface;
  GdkRGBA edge, inside;
  double qr_end, steps_start, y;
  guint modules;
  int side;

  qrs_sign_in_set_fetch_qr_image (fixture->harness.sign_in, FALSE);
  qrs_window_set_kiosk (fixture->window, TRUE);
  gtk_window_unfullscreen (GTK_WINDOW (fixture->window));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 720);
  start_and_wait_pending (fixture);
  qrs_test_wait_for_frame (GTK_WIDGET (fixture->window));
  save_state (fixture, "window-kiosk");

  g_assert_false (gtk_widget_get_visible (header));
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (child (fixture, "box")), "kiosk"));
  modules = qrs_qr_matrix_get_width (qrs_qr_view_get_matrix (view)) + 2 * QRS_QR_MATRIX_QUIET_ZONE;
  side = MIN (gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)));
  /* At least 55 % of the short side, and more than the window's 6 px. */
  g_assert_cmpint ((side / modules) * modules, >=, 720 * 55 / 100);
  g_assert_cmpint (side / modules, >, 6);

  /* The code and the steps meet in the middle, one group under the
   * heading: the code at the near edge of its half, the steps just past
   * the gap.
   */
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (view), GTK_WIDGET (fixture->window),
                                                   gtk_widget_get_width (GTK_WIDGET (view)), 0,
                                                   &qr_end, &y));
  g_assert_true (gtk_widget_translate_coordinates (child (fixture, "steps_box"), GTK_WIDGET (fixture->window),
                                                   0, 0, &steps_start, &y));
  g_assert_cmpfloat (steps_start - qr_end, >=, 48);
  g_assert_cmpfloat (steps_start - qr_end, <=, 120);
  g_assert_cmpfloat (qr_end, <=, 1280 / 2);
  g_assert_cmpfloat (steps_start, >=, 1280 / 2);

  /* Edge to edge: no window frame, even without a compositor. */
  surface = qrs_test_render_widget (GTK_WIDGET (fixture->window));
  qrs_test_surface_pixel (surface, 0, 360, &edge);
  qrs_test_surface_pixel (surface, 12, 360, &inside);
  g_assert_true (gdk_rgba_equal (&edge, &inside));
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  qrs_test_gtk_init (&argc, &argv);
  adw_init ();

  app = qrs_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/window/loading", test_loading);
  ADD ("/window/pending/local", test_pending_local);
  ADD ("/window/pending/server", test_pending_server);
  ADD ("/window/pending/dark", test_pending_dark);
  ADD ("/window/pending/countdown", test_countdown);
  ADD ("/window/pending/countdown-last", test_countdown_last);
  ADD ("/window/scanned", test_scanned);
  ADD ("/window/authorized", test_authorized);
  ADD ("/window/cancelled", test_cancelled);
  ADD ("/window/expired", test_expired);
  ADD ("/window/error", test_error);
  ADD ("/window/error/kiosk", test_error_kiosk);
  ADD ("/window/trouble/server", test_reconnecting_server);
  ADD ("/window/trouble/unreachable", test_reconnecting_unreachable);
  ADD ("/window/offline", test_offline);
  ADD ("/window/hidden", test_hidden);
  ADD ("/window/accessible", test_accessible_pages);
  ADD ("/window/app-icon", test_app_icon);
  ADD ("/window/kiosk/layout", test_kiosk_layout);

#undef ADD
#define ADD_DARK(path, func) \
  g_test_add (path, Fixture, "dark", fixture_set_up, func, fixture_tear_down)

  ADD_DARK ("/window/dark/countdown", test_countdown);
  ADD_DARK ("/window/dark/scanned", test_scanned);
  ADD_DARK ("/window/dark/authorized", test_authorized);
  ADD_DARK ("/window/dark/cancelled", test_cancelled);
  ADD_DARK ("/window/dark/expired", test_expired);
  ADD_DARK ("/window/dark/error", test_error);
  ADD_DARK ("/window/dark/trouble/server", test_reconnecting_server);

#undef ADD_DARK

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
