/* test-qr-matrix.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-qr-matrix.h"
#include "qrs-test-zbar.h"

/* The largest 8-bit payload of a version 40 symbol at level M. */
#define MAX_BYTES_LEVEL_M 2331

/* Rasterises @matrix with its quiet zone, @module pixels per module. */
static guint8 *
rasterise (const QrsQrMatrix *matrix,
           guint              module,
           guint             *side_out)
{
  guint n = qrs_qr_matrix_get_width (matrix) + 2 * QRS_QR_MATRIX_QUIET_ZONE;
  guint side = n * module;
  guint8 *pixels = g_malloc ((gsize) side * side);

  memset (pixels, 0xff, (gsize) side * side);
  for (guint y = 0; y < qrs_qr_matrix_get_width (matrix); y++)
    for (guint x = 0; x < qrs_qr_matrix_get_width (matrix); x++)
      if (qrs_qr_matrix_is_dark (matrix, x, y))
        for (guint dy = 0; dy < module; dy++)
          memset (pixels + (gsize) ((y + QRS_QR_MATRIX_QUIET_ZONE) * module + dy) * side
                  + (x + QRS_QR_MATRIX_QUIET_ZONE) * module,
                  0x00, module);

  *side_out = side;
  return pixels;
}

static void
assert_round_trip (const char *text)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *pixels = NULL;
  guint side;

  matrix = qrs_qr_matrix_new_from_text (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (matrix);

  pixels = rasterise (matrix, 4, &side);
  decoded = qrs_test_zbar_decode_gray (pixels, side, side, side);

  g_assert_cmpuint (decoded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (decoded, 0), ==, text);
}

static void
test_encode_ascii (void)
{
  assert_round_trip ("https://example.genauth.ai/scan?qrcodeId=SzZrszCJNCFfVBDUCKLDtAYNBR96SK");
}

static void
test_encode_keeps_case (void)
{
  /* libqrencode upper-cases unless told to keep case; ids are case-sensitive. */
  assert_round_trip ("{\"random\":\"aBcDeFgHiJ\"}");
}

static void
test_encode_utf8 (void)
{
  assert_round_trip ("{\"displayName\":\"张伟 · Zoë Ångström ✓\"}");
}

static void
test_encode_version (void)
{
  g_autoptr(QrsQrMatrix) small = NULL;
  g_autoptr(QrsQrMatrix) large = NULL;
  g_autofree char *long_text = g_strnfill (200, 'x');

  small = qrs_qr_matrix_new_from_text ("hi", NULL);
  large = qrs_qr_matrix_new_from_text (long_text, NULL);

  /* Width is 17 + 4 × version; the smallest version that fits is chosen. */
  g_assert_cmpuint (qrs_qr_matrix_get_width (small), ==, 21);
  g_assert_cmpuint (qrs_qr_matrix_get_width (large), ==, 17 + 4 * 10);
}

static void
test_encode_largest (void)
{
  g_autofree char *text = g_strnfill (MAX_BYTES_LEVEL_M, 'q');
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;

  matrix = qrs_qr_matrix_new_from_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (qrs_qr_matrix_get_width (matrix), ==, 177);
}

static void
test_error_too_long (void)
{
  g_autofree char *text = g_strnfill (MAX_BYTES_LEVEL_M + 1, 'q');
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;

  matrix = qrs_qr_matrix_new_from_text (text, &error);
  g_assert_null (matrix);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "The QR code content is too long (2332 bytes)");
}

static void
test_error_empty (void)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;

  matrix = qrs_qr_matrix_new_from_text ("", &error);
  g_assert_null (matrix);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_EMPTY);
}

static void
test_error_invalid_utf8 (void)
{
  g_autoptr(QrsQrMatrix) matrix = NULL;
  g_autoptr(GError) error = NULL;

  matrix = qrs_qr_matrix_new_from_text ("abc\xff\xfe", &error);
  g_assert_null (matrix);
  g_assert_error (error, QRS_QR_ERROR, QRS_QR_ERROR_INVALID_UTF8);
}

static void
test_new_copies_and_compares (void)
{
  guint8 modules[9] = { 1, 0, 1, 0, 7, 0, 1, 0, 1 };
  g_autoptr(QrsQrMatrix) a = qrs_qr_matrix_new (3, modules);
  g_autoptr(QrsQrMatrix) b = NULL;
  g_autoptr(QrsQrMatrix) c = NULL;

  /* The caller's buffer is copied, and any non-zero byte means dark. */
  modules[0] = 0;
  b = qrs_qr_matrix_new (3, modules);
  modules[0] = 1;
  c = qrs_qr_matrix_new (3, modules);

  g_assert_true (qrs_qr_matrix_is_dark (a, 0, 0));
  g_assert_true (qrs_qr_matrix_is_dark (a, 1, 1));
  g_assert_false (qrs_qr_matrix_is_dark (a, 1, 0));
  g_assert_false (qrs_qr_matrix_equal (a, b));
  g_assert_true (qrs_qr_matrix_equal (a, c));
  g_assert_true (qrs_qr_matrix_equal (NULL, NULL));
  g_assert_false (qrs_qr_matrix_equal (a, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qr-matrix/encode/ascii", test_encode_ascii);
  g_test_add_func ("/qr-matrix/encode/keeps-case", test_encode_keeps_case);
  g_test_add_func ("/qr-matrix/encode/utf8", test_encode_utf8);
  g_test_add_func ("/qr-matrix/encode/smallest-version", test_encode_version);
  g_test_add_func ("/qr-matrix/encode/largest", test_encode_largest);
  g_test_add_func ("/qr-matrix/error/too-long", test_error_too_long);
  g_test_add_func ("/qr-matrix/error/empty", test_error_empty);
  g_test_add_func ("/qr-matrix/error/invalid-utf8", test_error_invalid_utf8);
  g_test_add_func ("/qr-matrix/new/copies-and-compares", test_new_copies_and_compares);

  return g_test_run ();
}
