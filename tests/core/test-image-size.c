/* test-image-size.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-image-size.h"

static const guint8 png_header[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
  0, 0, 0, 13, 'I', 'H', 'D', 'R',
  0x00, 0x01, 0x86, 0xa0,   /* width 100000 */
  0x00, 0x00, 0x00, 0x40,   /* height 64 */
  8, 6, 0, 0, 0,
};

/* SOI, an APP0 segment to skip, then a baseline SOF0 of 640×480. */
static const guint8 jpeg_header[] = {
  0xff, 0xd8,
  0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
  0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03,
};

static gboolean
read_size (const guint8 *data,
           gsize         size,
           guint        *width,
           guint        *height)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  return qrs_image_size_read (bytes, width, height);
}

static void
test_png (void)
{
  guint width, height;

  /* Read from the header: a bomb is known before it is decoded. */
  g_assert_true (read_size (png_header, sizeof png_header, &width, &height));
  g_assert_cmpuint (width, ==, 100000);
  g_assert_cmpuint (height, ==, 64);
}

static void
test_jpeg (void)
{
  guint width, height;

  g_assert_true (read_size (jpeg_header, sizeof jpeg_header, &width, &height));
  g_assert_cmpuint (width, ==, 640);
  g_assert_cmpuint (height, ==, 480);
}

static void
test_refused (void)
{
  const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0 };
  const guint8 broken_segment[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01 };
  guint width = 7, height = 7;

  /* Other formats, cut-off headers and garbage are refused. */
  g_assert_false (read_size (gif, sizeof gif, &width, &height));
  g_assert_cmpuint (width, ==, 0);
  g_assert_cmpuint (height, ==, 0);
  g_assert_false (read_size (png_header, 20, &width, &height));
  g_assert_false (read_size (jpeg_header, sizeof jpeg_header - 3, &width, &height));
  g_assert_false (read_size (broken_segment, sizeof broken_segment, &width, &height));
  g_assert_false (read_size ((const guint8 *) "", 0, &width, &height));
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  /* Whatever the bytes, an answer and no reading past the end. */
  for (guint i = 0; i < 20000; i++)
    {
      gsize size = g_rand_int_range (rand, 0, 64);
      g_autofree guint8 *data = g_malloc (size + 1);
      guint width, height;

      for (gsize j = 0; j < size; j++)
        data[j] = g_rand_int_range (rand, 0, 4) == 0 ? 0xff : g_rand_int_range (rand, 0, 256);
      if (size >= 2 && i % 2 == 0)
        {
          data[0] = 0xff;
          data[1] = 0xd8;
        }
      read_size (data, size, &width, &height);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-size/png", test_png);
  g_test_add_func ("/image-size/jpeg", test_jpeg);
  g_test_add_func ("/image-size/refused", test_refused);
  g_test_add_func ("/image-size/random", test_random);

  return g_test_run ();
}
