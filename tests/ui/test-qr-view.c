/* test-qr-view.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "qrs-qr-view.h"
#include "qrs-test-gtk.h"
#include "qrs-test-wait.h"

#define URL_CONTENT "https://example.genauth.ai/login?qrcodeId=SzZrszCJNCFfVBDUCKLDtAYNBR96SK"
#define JSON_CONTENT "{\"scene\":\"APP_AUTH\",\"random\":\"aB3dE5gH7j\",\"displayName\":\"李雷 · Zoë\"}"

static const GdkRGBA black = { 0, 0, 0, 1 };

typedef struct {
  GtkWindow *window;
  QrsQrView *view;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (fixture->window, FALSE);
  fixture->view = QRS_QR_VIEW (qrs_qr_view_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_object_add_weak_pointer (G_OBJECT (fixture->view), (gpointer *) &fixture->view);
  gtk_window_destroy (fixture->window);
  qrs_test_drain_main_context ();
  g_assert_null (fixture->view);
}

/* Every pixel of the rendering is the QR's black or white, or untouched:
 * no blurred edges, no theme colour.
 */
static void
assert_crisp (cairo_surface_t *surface,
              guint           *white_out,
              guint           *black_out)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  guint white = 0, dark = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        GdkRGBA p;

        qrs_test_surface_pixel (surface, x, y, &p);
        if (p.alpha == 0)
          continue;
        g_assert_cmpfloat (p.alpha, ==, 1);
        if (p.red == 1 && p.green == 1 && p.blue == 1)
          white++;
        else if (p.red == 0 && p.green == 0 && p.blue == 0)
          dark++;
        else
          g_error ("Pixel (%d, %d) is neither black nor white: %f %f %f",
                   x, y, p.red, p.green, p.blue);
      }

  *white_out = white;
  *black_out = dark;
}

static void
test_sizes (Fixture       *fixture,
            gconstpointer  user_data)
{
  const int sizes[] = { 150, 333, 701 };

  qrs_qr_view_set_content (fixture->view, URL_CONTENT);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GPtrArray) decoded = NULL;
      g_autofree char *name = g_strdup_printf ("qr-view-%d", sizes[i]);
      g_autofree char *path = NULL;
      cairo_surface_t *surface;
      guint modules, module, white, dark;

      gtk_window_set_default_size (fixture->window, sizes[i], sizes[i]);
      qrs_test_show_and_wait (fixture->window);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->view)), ==, sizes[i]);

      surface = qrs_test_render_widget (GTK_WIDGET (fixture->view));
      path = qrs_test_save_surface (surface, name);

      /* The code and its quiet zone fill the largest square of whole
       * modules that fits, and nothing else is painted.
       */
      modules = qrs_qr_matrix_get_width (qrs_qr_view_get_matrix (fixture->view)) + 8;
      module = sizes[i] / modules;
      assert_crisp (surface, &white, &dark);
      g_assert_cmpuint (white + dark, ==, module * modules * module * modules);
      g_assert_cmpuint (dark, >, 0);

      /* Composited onto black, so it only decodes if the widget paints its
       * own light quiet zone.
       */
      decoded = qrs_test_decode_surface (surface, &black);
      g_assert_cmpuint (decoded->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (decoded, 0), ==, URL_CONTENT);

      cairo_surface_destroy (surface);
    }
}

static void
test_dark_mode (Fixture       *fixture,
                gconstpointer  user_data)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autoptr(GPtrArray) decoded = NULL;
  g_autofree char *path = NULL;
  cairo_surface_t *surface;
  GtkWidget *window;
  GtkWidget *view;
  GdkRGBA corner, quiet;
  guint white, dark;

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style_manager));

  window = adw_window_new ();
  view = qrs_qr_view_new ();
  gtk_widget_set_halign (view, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (view, GTK_ALIGN_CENTER);
  qrs_qr_view_set_content (QRS_QR_VIEW (view), JSON_CONTENT);
  adw_window_set_content (ADW_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 500);
  qrs_test_show_and_wait (GTK_WINDOW (window));

  surface = qrs_test_render_widget (window);
  path = qrs_test_save_surface (surface, "qr-view-dark");

  /* The window around is dark, the code is still dark on white. */
  qrs_test_surface_pixel (surface, 20, 20, &corner);
  g_assert_cmpfloat (corner.alpha, ==, 1);
  g_assert_cmpfloat (0.299 * corner.red + 0.587 * corner.green + 0.114 * corner.blue, <, 0.3);

  decoded = qrs_test_decode_surface (surface, &black);
  g_assert_cmpuint (decoded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (decoded, 0), ==, JSON_CONTENT);

  /* The view's own pixels: white quiet zone first, then only black and
   * white, whatever the theme.
   */
  cairo_surface_destroy (surface);
  surface = qrs_test_render_widget (view);
  qrs_test_surface_pixel (surface, 0, 0, &quiet);
  g_assert_cmpfloat (quiet.red, ==, 1);
  g_assert_cmpfloat (quiet.green, ==, 1);
  g_assert_cmpfloat (quiet.blue, ==, 1);
  assert_crisp (surface, &white, &dark);
  g_assert_cmpuint (dark, >, 0);
  cairo_surface_destroy (surface);

  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
assert_draws_nothing (Fixture *fixture)
{
  int minimum, natural;
  cairo_surface_t *surface;
  guint white, dark;

  gtk_widget_measure (GTK_WIDGET (fixture->view), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 0);
  g_assert_cmpint (natural, ==, 0);

  gtk_window_set_default_size (fixture->window, 200, 200);
  qrs_test_show_and_wait (fixture->window);
  surface = qrs_test_render_widget (GTK_WIDGET (fixture->view));
  assert_crisp (surface, &white, &dark);
  g_assert_cmpuint (white + dark, ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_error_empty (Fixture       *fixture,
                  gconstpointer  user_data)
{
  guint error_notifies = 0;

  g_signal_connect (fixture->view, "notify::error", G_CALLBACK (count_notify), &error_notifies);

  qrs_qr_view_set_content (fixture->view, "");

  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_error ((GError *) qrs_qr_view_get_error (fixture->view), QRS_QR_ERROR, QRS_QR_ERROR_EMPTY);
  g_assert_null (qrs_qr_view_get_matrix (fixture->view));
  assert_draws_nothing (fixture);
}

static void
test_error_too_long (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *text = g_strnfill (3000, 'z');
  g_autoptr(GError) error = NULL;

  qrs_qr_view_set_content (fixture->view, text);

  /* The error is readable as a property too. */
  g_object_get (fixture->view, "error", &error, NULL);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_TOO_LONG);
  assert_draws_nothing (fixture);
}

static void
test_error_cleared (Fixture       *fixture,
                    gconstpointer  user_data)
{
  guint error_notifies = 0, matrix_notifies = 0, content_notifies = 0;

  qrs_qr_view_set_content (fixture->view, "");
  g_signal_connect (fixture->view, "notify::error", G_CALLBACK (count_notify), &error_notifies);
  g_signal_connect (fixture->view, "notify::matrix", G_CALLBACK (count_notify), &matrix_notifies);
  g_signal_connect (fixture->view, "notify::content", G_CALLBACK (count_notify), &content_notifies);

  qrs_qr_view_set_content (fixture->view, URL_CONTENT);
  g_assert_null (qrs_qr_view_get_error (fixture->view));
  g_assert_nonnull (qrs_qr_view_get_matrix (fixture->view));
  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_cmpuint (matrix_notifies, ==, 1);
  g_assert_cmpuint (content_notifies, ==, 1);

  /* Setting the same content again changes nothing and says nothing. */
  qrs_qr_view_set_content (fixture->view, URL_CONTENT);
  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_cmpuint (matrix_notifies, ==, 1);
  g_assert_cmpuint (content_notifies, ==, 1);

  qrs_qr_view_set_content (fixture->view, NULL);
  g_assert_null (qrs_qr_view_get_matrix (fixture->view));
  g_assert_null (qrs_qr_view_get_error (fixture->view));
  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_cmpuint (matrix_notifies, ==, 2);
}

static void
test_minimum_size (Fixture       *fixture,
                   gconstpointer  user_data)
{
  int minimum, natural, modules;

  qrs_qr_view_set_content (fixture->view, URL_CONTENT);
  modules = (int) qrs_qr_matrix_get_width (qrs_qr_view_get_matrix (fixture->view)) + 8;

  /* At least three pixels a module, six when there is room: readable by a
   * phone camera from a screen.
   */
  gtk_widget_measure (GTK_WIDGET (fixture->view), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 3 * modules);
  g_assert_cmpint (natural, ==, 6 * modules);
  gtk_widget_measure (GTK_WIDGET (fixture->view), GTK_ORIENTATION_VERTICAL, -1,
                      &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 3 * modules);
  g_assert_cmpint (natural, ==, 6 * modules);
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  user_data)
{
  gtk_test_accessible_assert_role (fixture->view, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (fixture->view, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Sign-in QR code");
}

int
main (int   argc,
      char *argv[])
{
  qrs_test_gtk_init (&argc, &argv);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/qr-view/render/sizes", test_sizes);
  ADD ("/qr-view/render/dark-mode", test_dark_mode);
  ADD ("/qr-view/measure/minimum", test_minimum_size);
  ADD ("/qr-view/error/empty", test_error_empty);
  ADD ("/qr-view/error/too-long", test_error_too_long);
  ADD ("/qr-view/error/cleared", test_error_cleared);
  ADD ("/qr-view/accessible", test_accessible);

#undef ADD

  return g_test_run ();
}
