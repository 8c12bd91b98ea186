/* test-qr-sample.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "qrs-qr-matrix.h"
#include "qrs-qr-sample.h"
#include "qrs-test-zbar.h"

/* The largest 8-bit payload of a version 40 symbol at level M. */
#define MAX_BYTES_LEVEL_M 2331

#define READ_ERROR_MESSAGE "The server's QR image could not be read"

#define CORE_LOG_DOMAIN "qr-signin-core"

/* A grey picture in a buffer of exactly (height - 1) × stride + width bytes,
 * so that AddressSanitizer and Valgrind see any read past its last pixel.
 */
typedef struct
{
  guint8 *pixels;
  guint width;
  guint height;
  gsize stride;
} TestImage;

static TestImage *
test_image_new (guint  width,
                guint  height,
                gsize  stride,
                guint8 fill)
{
  TestImage *image = g_new0 (TestImage, 1);
  gsize size = width > 0 && height > 0 ? (height - 1) * stride + width : 1;

  image->pixels = g_malloc (size);
  memset (image->pixels, fill, size);
  image->width = width;
  image->height = height;
  image->stride = stride;

  return image;
}

static void
test_image_free (TestImage *image)
{
  g_free (image->pixels);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestImage, test_image_free)

static inline guint8 *
pixel (TestImage *image,
       guint      x,
       guint      y)
{
  return image->pixels + y * image->stride + x;
}

static QrsQrMatrix *
sample (const TestImage *image,
        GError         **error)
{
  return qrs_qr_matrix_new_from_grey (image->pixels, image->width, image->height,
                                      image->stride, error);
}

/* Rasterises @matrix with @margin light modules around it, @scale pixels
 * per module, as the emulator's PNG does.
 */
static TestImage *
render (const QrsQrMatrix *matrix,
        guint              scale,
        guint              margin,
        guint8             light,
        guint8             dark)
{
  guint n = qrs_qr_matrix_get_width (matrix);
  guint side = (n + 2 * margin) * scale;
  TestImage *image = test_image_new (side, side, side, light);

  for (guint y = 0; y < n; y++)
    for (guint x = 0; x < n; x++)
      if (qrs_qr_matrix_is_dark (matrix, x, y))
        for (guint dy = 0; dy < scale; dy++)
          memset (pixel (image, (x + margin) * scale, (y + margin) * scale + dy), dark, scale);

  return image;
}

/* Overlap of pixel @p with module @i along one axis, in pixels. */
static double
overlap (guint  p,
         guint  i,
         double origin,
         double scale)
{
  double from = MAX ((double) p, origin + i * scale);
  double to = MIN (p + 1.0, origin + (i + 1) * scale);

  return MAX (0.0, to - from);
}

/* Rasterises @matrix as an anti-aliasing vector renderer would: each
 * pixel is as dark as the share of it that dark modules cover, at any
 * @scale and @margin, integer or not.
 */
static TestImage *
render_area (const QrsQrMatrix *matrix,
             double             scale,
             double             margin)
{
  guint n = qrs_qr_matrix_get_width (matrix);
  guint side = (guint) ceil ((n + 2 * margin) * scale);
  double origin = margin * scale;
  TestImage *image = test_image_new (side, side, side, 255);

  for (guint y = 0; y < side; y++)
    {
      int j0 = (int) floor ((y - origin) / scale);
      int j1 = (int) floor ((y + 1 - origin) / scale);

      for (guint x = 0; x < side; x++)
        {
          int i0 = (int) floor ((x - origin) / scale);
          int i1 = (int) floor ((x + 1 - origin) / scale);
          double cover = 0;

          for (int j = MAX (j0, 0); j <= MIN (j1, (int) n - 1); j++)
            for (int i = MAX (i0, 0); i <= MIN (i1, (int) n - 1); i++)
              if (qrs_qr_matrix_is_dark (matrix, i, j))
                cover += overlap (x, i, origin, scale) * overlap (y, j, origin, scale);

          *pixel (image, x, y) = (guint8) lround (255 * (1 - MIN (cover, 1.0)));
        }
    }

  return image;
}

/* Resizes @src with bilinear filtering, as an image viewer or a server
 * scaling a PNG would: edges between modules come out as grey ramps.
 */
static TestImage *
resize_bilinear (const TestImage *src,
                 guint            width,
                 guint            height)
{
  TestImage *image = test_image_new (width, height, width, 0);

  for (guint y = 0; y < height; y++)
    {
      double sy = CLAMP ((y + 0.5) * src->height / height - 0.5, 0, src->height - 1);
      guint y0 = (guint) sy;
      guint y1 = MIN (y0 + 1, src->height - 1);
      double fy = sy - y0;

      for (guint x = 0; x < width; x++)
        {
          double sx = CLAMP ((x + 0.5) * src->width / width - 0.5, 0, src->width - 1);
          guint x0 = (guint) sx;
          guint x1 = MIN (x0 + 1, src->width - 1);
          double fx = sx - x0;
          const guint8 *r0 = src->pixels + y0 * src->stride;
          const guint8 *r1 = src->pixels + y1 * src->stride;
          double top = r0[x0] * (1 - fx) + r0[x1] * fx;
          double bottom = r1[x0] * (1 - fx) + r1[x1] * fx;

          *pixel (image, x, y) = (guint8) lround (top * (1 - fy) + bottom * fy);
        }
    }

  return image;
}

/* A copy of @src with @padding bytes of @fill after each row. */
static TestImage *
with_padding (const TestImage *src,
              guint            padding,
              guint8           fill)
{
  TestImage *image = test_image_new (src->width, src->height, src->width + padding, fill);

  for (guint y = 0; y < src->height; y++)
    memcpy (pixel (image, 0, y), src->pixels + y * src->stride, src->width);

  return image;
}

/* Printable text as long as possible while still fitting @version, so the
 * data area is full; @seed varies the data and so the mask.
 */
static QrsQrMatrix *
matrix_of_version (guint   version,
                   guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *text = g_malloc (MAX_BYTES_LEVEL_M + 1);
  guint target = 17 + 4 * version;
  guint low = 1;
  guint high = MAX_BYTES_LEVEL_M;
  g_autoptr(QrsQrMatrix) matrix = NULL;

  for (guint i = 0; i < MAX_BYTES_LEVEL_M; i++)
    text[i] = (char) g_rand_int_range (rand, 0x21, 0x7f);

  /* The longest prefix whose symbol is no wider than the target. */
  while (low < high)
    {
      guint middle = (low + high + 1) / 2;
      g_autoptr(QrsQrMatrix) probe = NULL;

      text[middle] = '\0';
      probe = qrs_qr_matrix_new_from_text (text, NULL);
      text[middle] = 'x';
      /* libqrencode may split the text into modes and overflow. */
      if (probe != NULL && qrs_qr_matrix_get_width (probe) <= target)
        low = middle;
      else
        high = middle - 1;
    }

  text[low] = '\0';
  matrix = qrs_qr_matrix_new_from_text (text, NULL);
  g_assert_cmpuint (qrs_qr_matrix_get_width (matrix), ==, target);

  return g_steal_pointer (&matrix);
}

static void
assert_reads_back (const QrsQrMatrix *expected,
                   const TestImage   *image,
                   const char        *what)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;

  matrix = sample (image, &error);
  if (error != NULL)
    g_test_message ("%s: %s", what, error->message);
  g_assert_no_error (error);
  if (!qrs_qr_matrix_equal (matrix, expected))
    g_test_message ("%s: read a different matrix (%u modules for %u)", what,
                    qrs_qr_matrix_get_width (matrix), qrs_qr_matrix_get_width (expected));
  g_assert_true (qrs_qr_matrix_equal (matrix, expected));
}

static void
assert_refused (const TestImage *image)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;

  matrix = sample (image, &error);
  g_assert_null (matrix);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, READ_ERROR_MESSAGE);
}

static const guint versions[] = { 1, 4, 10, 25, 40 };

static void
ignore_log (const char    *domain,
            GLogLevelFlags level,
            const char    *message,
            gpointer       data)
{
}

/* Thousands of refusals would bury the rest of the test log. */
static guint
quieten_core_debug (void)
{
  return g_log_set_handler (CORE_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, ignore_log, NULL);
}

static void
test_emulator_image (void)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(TestImage) image = NULL;

  matrix = qrs_qr_matrix_new_from_text ("https://example.genauth.ai/scan?qrcodeId=SzZrszCJNCFfVBDUCKLDtAYNBR96SK", NULL);
  image = render (matrix, 8, QRS_QR_MATRIX_QUIET_ZONE, 0xff, 0x00);

  assert_reads_back (matrix, image, "emulator");
}

static void
test_integer_scales (void)
{
  static const guint margins[] = { 0, 1, 4, 10 };

  for (guint v = 0; v < 3; v++)
    {
      g_autoptr(QrsQrMatrix) matrix = matrix_of_version (versions[v], v);

      for (guint scale = 1; scale <= 20; scale++)
        for (guint m = 0; m < G_N_ELEMENTS (margins); m++)
          {
            g_autoptr(TestImage) image = render (matrix, scale, margins[m], 0xff, 0x00);
            g_autofree char *what = g_strdup_printf ("version %u, %u px, margin %u",
                                                     versions[v], scale, margins[m]);

            assert_reads_back (matrix, image, what);
          }
    }
}

static void
test_large_versions (void)
{
  g_autoptr(QrsQrMatrix) v25 = matrix_of_version (25, 25);
  g_autoptr(QrsQrMatrix) v40 = matrix_of_version (40, 40);

  for (guint scale = 1; scale <= 8; scale++)
    {
      g_autoptr(TestImage) image = render (v25, scale, scale % 2 ? 0 : 4, 0xff, 0x00);
      g_autofree char *what = g_strdup_printf ("version 25, %u px", scale);

      assert_reads_back (v25, image, what);
    }

  /* Up to 20 px per module, which a 4096 px picture still holds. */
  for (guint scale = 1; scale <= 20; scale += scale < 5 ? 1 : 15)
    {
      g_autoptr(TestImage) image = render (v40, scale, 4, 0xff, 0x00);
      g_autofree char *what = g_strdup_printf ("version 40, %u px", scale);

      assert_reads_back (v40, image, what);
    }
}

static void
test_non_integer_scales (void)
{
  static const double scales[] = { 2.1, 2.3, 3.7, 5.5, 6.67, 9.9, 13.3 };
  static const double margins[] = { 0.3, 2.7, 4.0 };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr(QrsQrMatrix) matrix = matrix_of_version (versions[v], 100 + v);

      for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
        {
          g_autoptr(TestImage) image = NULL;
          g_autofree char *what = NULL;
          double margin = margins[s % G_N_ELEMENTS (margins)];

          /* Keep version 40 within a reasonable picture. */
          if (versions[v] == 40 && scales[s] > 7)
            continue;

          image = render_area (matrix, scales[s], margin);
          what = g_strdup_printf ("version %u, %.2f px, margin %.1f, anti-aliased",
                                  versions[v], scales[s], margin);
          assert_reads_back (matrix, image, what);
        }
    }
}

static void
test_bilinear_upscale (void)
{
  /* Pictures per version, in pixels per module of the symbol with its
   * quiet zone, from a 1 px per module original: 300 px for a 37-module
   * symbol is 6.67.
   */
  static const double scales[] = { 2.5, 3.3, 4.1, 300.0 / 45, 11.1 };

  for (guint v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr(QrsQrMatrix) matrix = matrix_of_version (versions[v], 200 + v);
      g_autoptr(TestImage) original = render (matrix, 1, 4, 0xff, 0x00);

      for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
        {
          guint side = (guint) lround (original->width * scales[s]);
          g_autoptr(TestImage) image = NULL;
          g_autofree char *what = NULL;

          if (side > QRS_QR_SAMPLE_MAX_SIDE)
            continue;

          image = resize_bilinear (original, side, side);
          what = g_strdup_printf ("version %u, %u px from %u, bilinear",
                                  versions[v], side, original->width);
          assert_reads_back (matrix, image, what);
        }
    }
}

static void
test_brief_example (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (5, 5);
  g_autoptr(TestImage) original = render (matrix, 1, 4, 0xff, 0x00);
  g_autoptr(TestImage) image = resize_bilinear (original, 300, 300);

  /* A 37-module symbol in 300 px has grey edges everywhere. */
  g_assert_cmpuint (qrs_qr_matrix_get_width (matrix), ==, 37);
  assert_reads_back (matrix, image, "version 5 in 300 px");
}

static void
test_bilinear_downscale (void)
{
  static const double factors[] = { 0.83, 0.6, 0.4 };

  for (guint v = 0; v < 3; v++)
    {
      g_autoptr(QrsQrMatrix) matrix = matrix_of_version (versions[v], 300 + v);
      g_autoptr(TestImage) original = render (matrix, 8, 4, 0xff, 0x00);

      for (guint f = 0; f < G_N_ELEMENTS (factors); f++)
        {
          guint side = (guint) lround (original->width * factors[f]);
          g_autoptr(TestImage) image = resize_bilinear (original, side, side);
          g_autofree char *what = g_strdup_printf ("version %u, %u px from %u, bilinear",
                                                   versions[v], side, original->width);

          assert_reads_back (matrix, image, what);
        }
    }
}

/* Resizes @src to the nearest pixel: sharp, but modules of unequal widths. */
static TestImage *
resize_nearest (const TestImage *src,
                guint            width,
                guint            height)
{
  TestImage *image = test_image_new (width, height, width, 0);

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      *pixel (image, x, y) = src->pixels[(guint) ((y + 0.5) * src->height / height) * src->stride
                                         + (guint) ((x + 0.5) * src->width / width)];

  return image;
}

static void
test_sharp_non_integer (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (4, 40);
  g_autoptr(TestImage) original = render (matrix, 1, 4, 0xff, 0x00);
  static const guint sides[] = { 75, 100, 123, 140 };

  /* Without grey edges, modules of 1.5 px and up still read. */
  for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
    {
      g_autoptr(TestImage) image = resize_nearest (original, sides[s], sides[s]);
      g_autofree char *what = g_strdup_printf ("version 4, %u px, nearest", sides[s]);

      assert_reads_back (matrix, image, what);
    }
}

static void
test_stretched (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (4, 4);
  g_autoptr(TestImage) original = render (matrix, 1, 4, 0xff, 0x00);
  g_autoptr(TestImage) image = resize_bilinear (original, 300, 200);

  /* Pixels that are not square still have one module per cell. */
  assert_reads_back (matrix, image, "version 4, 300×200 px");
}

static void
test_row_padding_ignored (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (4, 44);
  g_autoptr(TestImage) packed = render (matrix, 3, 4, 0xff, 0x00);
  g_autoptr(TestImage) image = with_padding (packed, 13, 0x00);

  /* Black bytes between rows are not part of the picture. */
  assert_reads_back (matrix, image, "padded rows");
}

static void
test_low_contrast (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (10, 10);
  g_autoptr(TestImage) image = render (matrix, 4, 4, 200, 90);

  assert_reads_back (matrix, image, "grey on grey");
}

static void
test_decodes (void)
{
  const char *text = "https://example.genauth.ai/scan?qrcodeId=aBcDeFgHiJkLmNoP";
  g_autoptr(QrsQrMatrix) matrix = qrs_qr_matrix_new_from_text (text, NULL);
  g_autoptr(TestImage) original = render (matrix, 1, 4, 0xff, 0x00);
  g_autoptr(TestImage) image = resize_bilinear (original, 333, 333);
  g_autoptr(QrsQrMatrix) read = NULL;
  g_autoptr(TestImage) redrawn = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GError) error = NULL;

  read = sample (image, &error);
  g_assert_no_error (error);

  /* What is read back is drawn crisply and still says the same. */
  redrawn = render (read, 4, QRS_QR_MATRIX_QUIET_ZONE, 0xff, 0x00);
  decoded = qrs_test_zbar_decode_gray (redrawn->pixels, redrawn->width, redrawn->height,
                                       redrawn->stride);
  g_assert_cmpuint (decoded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (decoded, 0), ==, text);
}

static void
test_error_empty (void)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;
  guint8 byte = 0;

  matrix = qrs_qr_matrix_new_from_grey (&byte, 0, 10, 10, &error);
  g_assert_null (matrix);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED);
  g_clear_error (&error);

  matrix = qrs_qr_matrix_new_from_grey (&byte, 10, 0, 10, &error);
  g_assert_null (matrix);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED);
  g_clear_error (&error);

  matrix = qrs_qr_matrix_new_from_grey (NULL, 0, 0, 0, &error);
  g_assert_null (matrix);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED);
}

static void
test_error_one_pixel (void)
{
  g_autoptr(TestImage) black = test_image_new (1, 1, 1, 0x00);
  g_autoptr(TestImage) white = test_image_new (1, 1, 1, 0xff);

  assert_refused (black);
  assert_refused (white);
}

static void
test_error_too_large (void)
{
  g_autoptr(TestImage) wide = test_image_new (QRS_QR_SAMPLE_MAX_SIDE + 1, 1,
                                              QRS_QR_SAMPLE_MAX_SIDE + 1, 0x00);
  g_autoptr(TestImage) tall = test_image_new (1, QRS_QR_SAMPLE_MAX_SIDE + 1, 1, 0x00);

  assert_refused (wide);
  assert_refused (tall);
}

static void
test_error_stride (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (1, 1);
  g_autoptr(TestImage) image = render (matrix, 4, 4, 0xff, 0x00);

  /* One byte short per row: the rows would shear, so it is refused. */
  image->stride = image->width - 1;
  assert_refused (image);

  /* A stride so large that the rows could not be in memory. */
  image->stride = G_MAXSIZE / 2;
  image->height = 1;
  assert_refused (image);
}

static void
test_error_blank (void)
{
  g_autoptr(TestImage) white = test_image_new (200, 200, 200, 0xff);
  g_autoptr(TestImage) black = test_image_new (200, 200, 200, 0x00);
  g_autoptr(TestImage) grey = test_image_new (200, 200, 200, 0x80);

  /* A few levels of noise are not a code either. */
  for (guint i = 0; i < 200 * 200; i += 7)
    grey->pixels[i] = 0x80 + i % 40;

  assert_refused (white);
  assert_refused (black);
  assert_refused (grey);
}

static void
test_error_noise (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(TestImage) image = test_image_new (200, 150, 203, 0xff);

      for (guint y = 0; y < image->height; y++)
        for (guint x = 0; x < image->width; x++)
          *pixel (image, x, y) = (guint8) g_rand_int_range (rand, 0, 256);

      assert_refused (image);
    }
}

static void
test_error_no_code (void)
{
  g_autoptr(TestImage) frame = test_image_new (200, 200, 200, 0xff);
  g_autoptr(TestImage) checks = test_image_new (200, 200, 200, 0xff);
  g_autoptr(TestImage) finders = test_image_new (200, 200, 200, 0xff);
  guint8 finder[7][7];

  /* A square frame, a checkerboard, and three lone finder patterns. */
  for (guint y = 20; y < 180; y++)
    for (guint x = 20; x < 180; x++)
      if (x < 30 || x >= 170 || y < 30 || y >= 170)
        *pixel (frame, x, y) = 0x00;

  for (guint y = 0; y < 200; y++)
    for (guint x = 0; x < 200; x++)
      *pixel (checks, x, y) = ((x / 8 + y / 8) % 2) ? 0x00 : 0xff;

  for (guint j = 0; j < 7; j++)
    for (guint i = 0; i < 7; i++)
      {
        guint ring = MAX (ABS ((int) i - 3), ABS ((int) j - 3));

        finder[j][i] = ring == 2 ? 0xff : 0x00;
      }
  for (guint y = 0; y < 7 * 5; y++)
    for (guint x = 0; x < 7 * 5; x++)
      {
        guint8 value = finder[y / 5][x / 5];

        *pixel (finders, 10 + x, 10 + y) = value;
        *pixel (finders, 155 + x, 10 + y) = value;
        *pixel (finders, 10 + x, 155 + y) = value;
      }

  assert_refused (frame);
  assert_refused (checks);
  assert_refused (finders);
}

static void
test_error_truncated (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (4, 4);
  g_autoptr(TestImage) image = render (matrix, 6, 4, 0xff, 0x00);
  guint height = image->height;
  guint width = image->width;

  /* A download cut short: the lower rows are missing... */
  image->height = height * 7 / 10;
  assert_refused (image);
  image->height = height / 2;
  assert_refused (image);

  /* ...or just the last eight rows of modules, or the right side. */
  image->height = height - 6 * 8;
  assert_refused (image);
  image->height = height;
  image->width = width - 6 * 6;
  assert_refused (image);
}

/* Draws @matrix with one module flipped, and checks that it is refused. */
static void
assert_damage_refused (const QrsQrMatrix *matrix,
                       guint              x,
                       guint              y)
{
  g_autoptr(TestImage) image = render (matrix, 4, 4, 0xff, 0x00);
  guint8 value = qrs_qr_matrix_is_dark (matrix, x, y) ? 0xff : 0x00;

  for (guint dy = 0; dy < 4; dy++)
    memset (pixel (image, (x + 4) * 4, (y + 4) * 4 + dy), value, 4);

  assert_refused (image);
}

static void
test_error_damaged (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (10, 10);
  guint n = qrs_qr_matrix_get_width (matrix);

  /* Function patterns must be exact, whatever a reader would forgive:
   * finder centres, separators, timing, an alignment pattern, the dark
   * module, the format and the version information.
   */
  assert_damage_refused (matrix, 3, 3);
  assert_damage_refused (matrix, n - 4, 2);
  assert_damage_refused (matrix, 2, n - 4);
  assert_damage_refused (matrix, 7, 3);
  assert_damage_refused (matrix, 20, 6);
  assert_damage_refused (matrix, 6, 21);
  assert_damage_refused (matrix, 28, 28);
  assert_damage_refused (matrix, 8, n - 8);
  assert_damage_refused (matrix, 8, 2);
  assert_damage_refused (matrix, n - 3, 8);
  assert_damage_refused (matrix, n - 10, 1);
  assert_damage_refused (matrix, 4, n - 9);
}

static void
test_error_too_small (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (4, 4);

  /* Under a pixel per module the modules cannot be told apart. */
  for (guint tenths = 5; tenths <= 9; tenths++)
    {
      g_autoptr(TestImage) image = render_area (matrix, tenths / 10.0, 4);

      assert_refused (image);
    }
}

static void
test_error_blurred (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (4, 4);
  g_autoptr(TestImage) original = render (matrix, 1, 4, 0xff, 0x00);
  g_autoptr(TestImage) enlarged = resize_bilinear (original, 70, 70);
  g_autoptr(TestImage) straddling = render_area (matrix, 1.0, 4.5);
  g_autoptr(TestImage) small = render_area (matrix, 1.5, 4.0);

  /* Enlarged 1.7 times from one pixel per module, a lone dark module is
   * a smudge just past mid-grey; drawn half a pixel off the grid, every
   * pixel is a blend of four modules; and anti-aliased modules under two
   * pixels are refused even where they happen to come out clear.
   */
  assert_refused (enlarged);
  assert_refused (straddling);
  assert_refused (small);
}

/* Everything from below a pixel per module to three, in fine steps, drawn
 * anti-aliased, enlarged with bilinear filtering and enlarged to the
 * nearest pixel: much of it is refused, but none may be misread.
 */
static void
test_never_misread (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (18004);
  guint quiet = quieten_core_debug ();
  guint read = 0;
  guint total = 0;

  for (guint v = 0; v < 3; v++)
    {
      g_autoptr(QrsQrMatrix) matrix = matrix_of_version (versions[v], 400 + v);
      g_autoptr(TestImage) original = render (matrix, 1, 4, 0xff, 0x00);

      for (double scale = 0.8; scale < 3.0; scale += 0.05)
        {
          guint side = (guint) lround (original->width * scale);
          TestImage *images[] = {
            render_area (matrix, scale, 4 + g_rand_double (rand)),
            resize_bilinear (original, side, side),
            resize_nearest (original, side, side),
          };

          for (guint i = 0; i < G_N_ELEMENTS (images); i++)
            {
              g_autoptr(QrsQrMatrix) result = sample (images[i], NULL);

              if (result != NULL)
                {
                  g_assert_true (qrs_qr_matrix_equal (result, matrix));
                  read++;
                }
              total++;
              test_image_free (images[i]);
            }
        }
    }

  g_log_remove_handler (CORE_LOG_DOMAIN, quiet);
  g_test_message ("%u of %u small or blurred pictures were read, none wrongly", read, total);
}

static void
test_error_two_codes (void)
{
  g_autoptr(QrsQrMatrix) matrix = matrix_of_version (2, 2);
  g_autoptr(TestImage) one = render (matrix, 4, 4, 0xff, 0x00);
  g_autoptr(TestImage) two = test_image_new (one->width * 2, one->height, one->width * 2, 0xff);

  for (guint y = 0; y < one->height; y++)
    {
      memcpy (pixel (two, 0, y), pixel (one, 0, y), one->width);
      memcpy (pixel (two, one->width, y), pixel (one, 0, y), one->width);
    }

  assert_refused (two);
}

/* A random picture of one of several kinds, each likely to reach a
 * different part of the reader: noise, blocks, shapes on white, and real
 * codes that are cropped, spotted or sheared by a wrong stride. For a code
 * that is only cropped, @expected is set to it: nothing else may be read.
 */
static TestImage *
random_image (GRand        *rand,
              QrsQrMatrix **expected)
{
  guint kind = g_rand_int_range (rand, 0, 5);
  guint width = g_rand_int_range (rand, 0, 90);
  guint height = g_rand_int_range (rand, 0, 90);
  gsize stride = width + g_rand_int_range (rand, 0, 4);
  TestImage *image;

  if (kind == 4)
    {
      g_autoptr(QrsQrMatrix) matrix = matrix_of_version (g_rand_int_range (rand, 1, 4),
                                                         g_rand_int (rand));
      guint scale = g_rand_int_range (rand, 1, 4);
      g_autoptr(TestImage) code = render (matrix, scale, g_rand_int_range (rand, 0, 3),
                                          0xff, 0x00);
      guint spots = g_rand_int_range (rand, 0, 4);
      gboolean shear = g_rand_int_range (rand, 0, 4) == 0;

      width = g_rand_boolean (rand) ? code->width : MIN (code->width, width + 40);
      height = g_rand_boolean (rand) ? code->height : MIN (code->height, height + 40);

      /* A sheared picture has its rows packed one byte closer than it says. */
      image = test_image_new (width, height, width + 2, 0xff);
      for (guint y = 0; y < height; y++)
        memcpy (image->pixels + y * (shear ? width : image->stride), pixel (code, 0, y), width);
      if (shear)
        image->stride = width + 1;
      for (guint s = 0; s < spots; s++)
        *pixel (image, g_rand_int_range (rand, 0, width), g_rand_int_range (rand, 0, height)) ^= 0xff;
      if (!shear && spots == 0)
        *expected = g_steal_pointer (&matrix);

      return image;
    }

  image = test_image_new (width, height, stride, 0xff);
  if (width == 0 || height == 0)
    return image;

  switch (kind)
    {
    case 0:
      for (gsize i = 0; i < (height - 1) * stride + width; i++)
        image->pixels[i] = (guint8) g_rand_int_range (rand, 0, 256);
      break;

    case 1:
      {
        guint block = g_rand_int_range (rand, 1, 9);

        for (guint y = 0; y < height; y += block)
          for (guint x = 0; x < width; x += block)
            {
              guint8 value = g_rand_boolean (rand) ? 0x00 : 0xff;

              for (guint dy = 0; dy < block && y + dy < height; dy++)
                memset (pixel (image, x, y + dy), value, MIN (block, width - x));
            }
      }
      break;

    case 2:
    case 3:
      for (guint r = g_rand_int_range (rand, 1, 8); r > 0; r--)
        {
          guint x0 = g_rand_int_range (rand, 0, width);
          guint y0 = g_rand_int_range (rand, 0, height);
          guint x1 = g_rand_int_range (rand, x0, width) + 1;
          guint y1 = g_rand_int_range (rand, y0, height) + 1;
          guint8 value = kind == 2 ? 0x00 : (guint8) g_rand_int_range (rand, 0, 256);

          for (guint y = y0; y < y1; y++)
            memset (pixel (image, x0, y), value, x1 - x0);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  /* Now and then a stride that is too short. */
  if (g_rand_int_range (rand, 0, 20) == 0 && width > 1)
    image->stride = width - 1;

  return image;
}

static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  guint quiet = quieten_core_debug ();
  guint read = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(QrsQrMatrix) expected = NULL;
      g_autoptr(TestImage) image = random_image (rand, &expected);
      g_autoptr(QrsQrMatrix) matrix = NULL;
      g_autoptr(GError) error = NULL;

      matrix = sample (image, &error);
      if (matrix == NULL)
        {
          g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpuint ((qrs_qr_matrix_get_width (matrix) - 17) % 4, ==, 0);
          if (expected != NULL)
            g_assert_true (qrs_qr_matrix_equal (matrix, expected));
          read++;
        }
    }

  g_log_remove_handler (CORE_LOG_DOMAIN, quiet);
  g_test_message ("%u of 2000 random pictures were read as a code", read);
}

static void
test_performance (void)
{
  g_autoptr(QrsQrMatrix) v10 = matrix_of_version (10, 10);
  g_autoptr(QrsQrMatrix) v40 = matrix_of_version (40, 40);
  const QrsQrMatrix *matrices[] = { v10, v40 };

  if (!g_test_perf ())
    {
      g_test_skip ("Run with -m perf");
      return;
    }

  for (guint m = 0; m < G_N_ELEMENTS (matrices); m++)
    {
      guint n = qrs_qr_matrix_get_width (matrices[m]);
      g_autoptr(TestImage) image = render_area (matrices[m], 1000.0 / (n + 8), 4);
      g_autoptr(GTimer) timer = g_timer_new ();
      guint rounds = 100;

      g_assert_cmpuint (image->width, ==, 1000);
      for (guint r = 0; r < rounds; r++)
        {
          g_autoptr(QrsQrMatrix) read = sample (image, NULL);

          g_assert_true (qrs_qr_matrix_equal (read, matrices[m]));
        }
      g_test_minimized_result (g_timer_elapsed (timer, NULL) * 1000 / rounds,
                               "%u modules in 1000x1000 px: %.2f ms",
                               n, g_timer_elapsed (timer, NULL) * 1000 / rounds);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qr-sample/read/emulator", test_emulator_image);
  g_test_add_func ("/qr-sample/read/integer-scales", test_integer_scales);
  g_test_add_func ("/qr-sample/read/large-versions", test_large_versions);
  g_test_add_func ("/qr-sample/read/non-integer-scales", test_non_integer_scales);
  g_test_add_func ("/qr-sample/read/bilinear-upscale", test_bilinear_upscale);
  g_test_add_func ("/qr-sample/read/bilinear-300px", test_brief_example);
  g_test_add_func ("/qr-sample/read/bilinear-downscale", test_bilinear_downscale);
  g_test_add_func ("/qr-sample/read/sharp-non-integer", test_sharp_non_integer);
  g_test_add_func ("/qr-sample/read/stretched", test_stretched);
  g_test_add_func ("/qr-sample/read/row-padding", test_row_padding_ignored);
  g_test_add_func ("/qr-sample/read/low-contrast", test_low_contrast);
  g_test_add_func ("/qr-sample/read/decodes", test_decodes);
  g_test_add_func ("/qr-sample/refuse/empty", test_error_empty);
  g_test_add_func ("/qr-sample/refuse/one-pixel", test_error_one_pixel);
  g_test_add_func ("/qr-sample/refuse/too-large", test_error_too_large);
  g_test_add_func ("/qr-sample/refuse/stride", test_error_stride);
  g_test_add_func ("/qr-sample/refuse/blank", test_error_blank);
  g_test_add_func ("/qr-sample/refuse/noise", test_error_noise);
  g_test_add_func ("/qr-sample/refuse/no-code", test_error_no_code);
  g_test_add_func ("/qr-sample/refuse/truncated", test_error_truncated);
  g_test_add_func ("/qr-sample/refuse/damaged", test_error_damaged);
  g_test_add_func ("/qr-sample/refuse/too-small", test_error_too_small);
  g_test_add_func ("/qr-sample/refuse/blurred", test_error_blurred);
  g_test_add_func ("/qr-sample/refuse/two-codes", test_error_two_codes);
  g_test_add_func ("/qr-sample/never-misread", test_never_misread);
  g_test_add_func ("/qr-sample/fuzz", test_fuzz);
  g_test_add_func ("/qr-sample/performance", test_performance);

  return g_test_run ();
}
