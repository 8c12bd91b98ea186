/* test-picture.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "qrs-picture.h"

/* The server's QR picture read back into modules: the pictures a server
 * may send (RGB, RGBA on a transparent background, JPEG) give the modules
 * they were drawn from, and what cannot be one (not a picture, cut short,
 * larger than any honest code) is refused with an error, never a warning:
 * warnings are fatal here. (A JPEG cut short is decoded with its missing
 * rows filled in, as libjpeg does; the finder patterns it lacks refuse it.)
 */

#define CODE_TEXT "https://example.genauth.ai/qrcode/scan?qrcodeId=5sVfJn9P3Enc61k9Vi3ft48tOtlQ38"

/* Pixels a module, as the emulator and GenAuth's own pictures have. */
#define MODULE_PIXELS 8

/* @matrix drawn as a server draws it: a quiet zone, near-black modules on
 * white, or, when @transparent, on a background that is black but fully
 * transparent, so that only the alpha says which modules are light.
 */
static GdkPixbuf *
draw (const QrsQrMatrix *matrix,
      gboolean           transparent)
{
  int width = (int) qrs_qr_matrix_get_width (matrix);
  int side = (width + 2 * QRS_QR_MATRIX_QUIET_ZONE) * MODULE_PIXELS;
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, transparent, 8, side, side);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        int mx = x / MODULE_PIXELS - QRS_QR_MATRIX_QUIET_ZONE;
        int my = y / MODULE_PIXELS - QRS_QR_MATRIX_QUIET_ZONE;
        gboolean dark = mx >= 0 && my >= 0 && mx < width && my < width &&
                        qrs_qr_matrix_is_dark (matrix, (guint) mx, (guint) my);
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;

        p[0] = p[1] = p[2] = dark || transparent ? 0x10 : 0xff;
        if (transparent)
          p[3] = dark ? 0xff : 0x00;
      }

  return pixbuf;
}

static GBytes *
encode (GdkPixbuf  *pixbuf,
        const char *type)
{
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  if (g_str_equal (type, "jpeg"))
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, "quality", "90", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, size);
}

static void
assert_reads_back (gboolean    transparent,
                   const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsQrMatrix) matrix = qrs_qr_matrix_new_from_text (CODE_TEXT, &error);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(QrsQrMatrix) read = NULL;

  g_assert_no_error (error);
  pixbuf = draw (matrix, transparent);
  bytes = encode (pixbuf, type);

  read = qrs_picture_sample_qr (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (read);
  g_assert_cmpuint (qrs_qr_matrix_get_width (read), ==, qrs_qr_matrix_get_width (matrix));
  g_assert_true (qrs_qr_matrix_equal (read, matrix));
}

static void
test_png (void)
{
  assert_reads_back (FALSE, "png");
}

static void
test_png_transparent (void)
{
  assert_reads_back (TRUE, "png");
}

static void
test_jpeg (void)
{
  assert_reads_back (FALSE, "jpeg");
}

static void
assert_refused (GBytes     *bytes,
                const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QrsQrMatrix) read = NULL;

  g_test_message ("%s", what);
  read = qrs_picture_sample_qr (bytes, &error);
  g_assert_null (read);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED);
}

static void
test_refused (void)
{
  g_autoptr(QrsQrMatrix) matrix = qrs_qr_matrix_new_from_text (CODE_TEXT, NULL);
  g_autoptr(GdkPixbuf) pixbuf = draw (matrix, FALSE);
  g_autoptr(GBytes) png = encode (pixbuf, "png");
  g_autoptr(GBytes) jpeg = encode (pixbuf, "jpeg");
  g_autoptr(GBytes) text = g_bytes_new_static ("{\"statusCode\":200}", strlen ("{\"statusCode\":200}"));
  g_autoptr(GBytes) png_cut = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) jpeg_cut = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(GBytes) png_tail = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) - 40);
  g_autofree guint8 *huge = g_memdup2 (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autoptr(GBytes) png_huge = NULL;

  /* IHDR's width and height, right after the signature and the chunk's
   * length and type: 5000 × 5000 px, more than any code needs.
   */
  huge[16] = huge[20] = 0x00;
  huge[17] = huge[21] = 0x00;
  huge[18] = huge[22] = 0x13;
  huge[19] = huge[23] = 0x88;
  png_huge = g_bytes_new (huge, g_bytes_get_size (png));

  assert_refused (text, "not a picture");
  assert_refused (png_cut, "a PNG cut short");
  assert_refused (png_tail, "a PNG without its last rows");
  assert_refused (jpeg_cut, "a JPEG cut short");
  assert_refused (png_huge, "a PNG that says it is 5000 × 5000");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  g_test_add_func ("/picture/qr/png", test_png);
  g_test_add_func ("/picture/qr/png-transparent", test_png_transparent);
  g_test_add_func ("/picture/qr/jpeg", test_jpeg);
  g_test_add_func ("/picture/qr/refused", test_refused);

  return g_test_run ();
}
