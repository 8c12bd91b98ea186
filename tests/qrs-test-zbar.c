/* qrs-test-zbar.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <zbar.h>

#include "qrs-test-zbar.h"

/**
 * qrs_test_zbar_decode_gray:
 * @pixels: 8-bit grey levels
 * @width: pixels per row
 * @height: rows
 * @stride: bytes per row
 *
 * Reads every QR code in the picture with ZBar. Binary mode keeps ZBar from
 * guessing a character set, so the bytes come back exactly as encoded.
 *
 * Returns: (transfer full) (element-type utf8): the decoded payloads
 */
GPtrArray *
qrs_test_zbar_decode_gray (const guint8 *pixels,
                           guint         width,
                           guint         height,
                           gsize         stride)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  zbar_image_scanner_t *scanner;
  zbar_image_t *image;
  guint8 *packed;

  packed = g_malloc ((gsize) width * height);
  for (guint y = 0; y < height; y++)
    memcpy (packed + (gsize) y * width, pixels + y * stride, width);

  scanner = zbar_image_scanner_create ();
  zbar_image_scanner_set_config (scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);

  image = zbar_image_create ();
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, packed, (gsize) width * height, zbar_image_free_data);

  if (zbar_scan_image (scanner, image) > 0)
    {
      for (const zbar_symbol_t *symbol = zbar_image_first_symbol (image);
           symbol != NULL;
           symbol = zbar_symbol_next (symbol))
        g_ptr_array_add (results, g_strndup (zbar_symbol_get_data (symbol),
                                             zbar_symbol_get_data_length (symbol)));
    }

  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);

  return g_steal_pointer (&results);
}
