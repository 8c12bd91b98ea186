/* qrs-test-gtk.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "qrs-test-gtk.h"
#include "qrs-test-wait.h"
#include "qrs-test-zbar.h"

/* gtk_test_init(), with GTK's animations off: stack crossfades and
 * revealers jump to their end, so a test waits for the next frame rather
 * than for a transition, and renders the state, not a moment on the way.
 */
void
qrs_test_gtk_init (int    *argc,
                   char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

/* Handles whatever is pending (a new page, a resize) and returns once a
 * frame that shows it has been laid out and painted.
 */
void
qrs_test_wait_for_frame (GtkWidget *widget)
{
  qrs_test_drain_main_context ();
  gtk_test_widget_wait_for_draw (widget);
}

/* Presents @window and returns once it has been laid out and painted. */
void
qrs_test_show_and_wait (GtkWindow *window)
{
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* Let pending resizes settle, then wait for the frame that shows them. */
  qrs_test_wait_for_frame (GTK_WIDGET (window));
}

/**
 * qrs_test_render_widget:
 * @widget: a drawn widget
 *
 * Renders @widget as it is now, at its natural paintable size, onto a transparent
 * ARGB32 surface, the way the cairo renderer would put it on screen.
 *
 * Returns: (transfer full): the surface
 */
cairo_surface_t *
qrs_test_render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width, height;
  cairo_surface_t *surface;
  cairo_t *cr;

  /* The paintable's own size: for a window it includes the frame around the
   * content, and drawing at any other size would scale (and blur) it.
   */
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (node != NULL)
    {
      cr = cairo_create (surface);
      gsk_render_node_draw (node, cr);
      cairo_destroy (cr);
    }
  cairo_surface_flush (surface);

  return surface;
}

/* Reads one pixel, un-premultiplied. */
void
qrs_test_surface_pixel (cairo_surface_t *surface,
                        int              x,
                        int              y,
                        GdkRGBA         *rgba)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 argb;
  float a;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));

  argb = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
  a = ((argb >> 24) & 0xff) / 255.f;
  rgba->alpha = a;
  rgba->red = a > 0 ? ((argb >> 16) & 0xff) / 255.f / a : 0;
  rgba->green = a > 0 ? ((argb >> 8) & 0xff) / 255.f / a : 0;
  rgba->blue = a > 0 ? (argb & 0xff) / 255.f / a : 0;
}

/**
 * qrs_test_decode_surface:
 * @surface: an ARGB32 surface
 * @underlay: the colour transparent pixels are composited onto
 *
 * Returns: (transfer full) (element-type utf8): every QR payload ZBar finds
 */
GPtrArray *
qrs_test_decode_surface (cairo_surface_t *surface,
                         const GdkRGBA   *underlay)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  g_autofree guint8 *grey = g_malloc ((gsize) width * height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 argb = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
        float a = ((argb >> 24) & 0xff) / 255.f;
        /* Premultiplied: composite over the underlay, then take the luma. */
        float r = ((argb >> 16) & 0xff) / 255.f + (1 - a) * underlay->red;
        float g = ((argb >> 8) & 0xff) / 255.f + (1 - a) * underlay->green;
        float b = (argb & 0xff) / 255.f + (1 - a) * underlay->blue;

        grey[(gsize) y * width + x] = (guint8) CLAMP ((0.299f * r + 0.587f * g + 0.114f * b) * 255.f + .5f, 0, 255);
      }

  return qrs_test_zbar_decode_gray (grey, width, height, width);
}

/**
 * qrs_test_save_surface:
 * @surface: a surface
 * @name: a file name without extension
 *
 * Saves @surface as a PNG in the screenshots folder of the test build
 * directory (or $QRS_TEST_SCREENSHOT_DIR), so a person can look at it.
 *
 * Returns: (transfer full): the path written
 */
char *
qrs_test_save_surface (cairo_surface_t *surface,
                       const char      *name)
{
  const char *dir = g_getenv ("QRS_TEST_SCREENSHOT_DIR");
  g_autofree char *default_dir = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;

  if (dir == NULL)
    dir = default_dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file, NULL);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("Screenshot: %s", path);

  return path;
}
