/* qrs-picture.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-image-size.h"
#include "qrs-qr-sample.h"
#include "qrs-picture.h"

/* Pictures that come from a server (a QR image, an avatar) are decoded
 * here, and only here, with the same suspicion.
 */

/* The largest picture we decode: a QR image or an avatar bigger than this
 * is not what it claims to be.
 */
#define MAX_IMAGE_SIDE 4096

/* Decodes a PNG or JPEG, refusing anything whose header promises a
 * picture too large to be honest.
 */
GdkTexture *
qrs_picture_decode (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;
  guint width, height;

  if (!qrs_image_size_read (bytes, &width, &height))
    {
      g_debug ("Not a PNG or JPEG picture");
      return NULL;
    }

  if (width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    {
      g_debug ("Refusing a %u×%u picture", width, height);
      return NULL;
    }

  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    g_debug ("Cannot decode a picture: %s", error->message);

  return texture;
}

/* Reads the server's QR picture back into modules, so that it is drawn as
 * crisply as a locally made one at any size.
 */
QrsQrMatrix *
qrs_picture_sample_qr (GBytes  *bytes,
                       GError **error)
{
  g_autoptr(GdkTexture) texture = qrs_picture_decode (bytes);
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *grey = NULL;
  gsize stride;
  int width, height;

  if (texture == NULL)
    {
      g_set_error_literal (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED,
                           "The server's QR image could not be decoded");
      return NULL;
    }

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);

  /* Premultiplied BGRA; transparent counts as the light background. */
  grey = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + y * stride + x * 4;
        guint alpha = p[3];
        guint luma = (114 * p[0] + 587 * p[1] + 299 * p[2]) / 1000;

        grey[(gsize) y * width + x] = (guint8) MIN (255, luma + (255 - alpha));
      }

  return qrs_qr_matrix_new_from_grey (grey, width, height, width, error);
}

