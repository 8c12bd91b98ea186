/* qrs-picture.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

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

/* A PNG's or JPEG's size, read from its header: FALSE for anything else,
 * and for a picture too large to be honest.
 */
static gboolean
check_size (GBytes *bytes)
{
  guint width, height;

  if (!qrs_image_size_read (bytes, &width, &height))
    {
      g_debug ("Not a PNG or JPEG picture");
      return FALSE;
    }

  if (width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    {
      g_debug ("Refusing a %u×%u picture", width, height);
      return FALSE;
    }

  return TRUE;
}

/* Decodes a PNG or JPEG, refusing anything whose header promises a
 * picture too large to be honest.
 */
GdkTexture *
qrs_picture_decode (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  if (!check_size (bytes))
    return NULL;

  texture = gdk_texture_new_from_bytes (bytes, &error);
  if (texture == NULL)
    g_debug ("Cannot decode a picture: %s", error->message);

  return texture;
}

/* How far down the picture the loader has decoded. */
static void
area_updated_cb (GdkPixbufLoader *loader,
                 int              x,
                 int              y,
                 int              width,
                 int              height,
                 gpointer         user_data)
{
  int *rows_done = user_data;

  *rows_done = MAX (*rows_done, y + height);
}

/* A PNG or JPEG that check_size() let through, decoded in full, or NULL:
 * gdk-pixbuf closes a PNG that stops short without an error and fills in
 * the rest, so the rows it decoded are counted.
 */
static GdkPixbuf *
load_pixbuf (GBytes  *bytes,
             GError **error)
{
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  GdkPixbuf *pixbuf;
  gboolean written;
  int rows_done = 0;

  loader = gdk_pixbuf_loader_new_with_type (memcmp (data, "\x89PNG", 4) == 0 ? "png" : "jpeg", error);
  if (loader == NULL)
    return NULL;

  g_signal_connect (loader, "area-updated", G_CALLBACK (area_updated_cb), &rows_done);
  written = gdk_pixbuf_loader_write_bytes (loader, bytes, error);

  /* Closed either way: a loader let go of open complains. */
  if (!gdk_pixbuf_loader_close (loader, written ? error : NULL) || !written)
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL || rows_done < gdk_pixbuf_get_height (pixbuf))
    return NULL;

  return g_object_ref (pixbuf);
}

/* Reads the server's QR picture back into modules, so that it is drawn as
 * crisply as a locally made one at any size. It is never shown as it is,
 * so it is decoded by GdkPixbuf, whose pixels can be read as they come:
 * a GdkTexture would have to be converted to BGRA first (GTK 4.8 has no
 * other way to read one), which took longer than decoding the PNG.
 */
QrsQrMatrix *
qrs_picture_sample_qr (GBytes  *bytes,
                       GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *grey = NULL;
  const guint8 *pixels;
  int width, height, stride, channels;

  if (check_size (bytes))
    pixbuf = load_pixbuf (bytes, &local_error);

  if (pixbuf == NULL ||
      gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB ||
      gdk_pixbuf_get_bits_per_sample (pixbuf) != 8)
    {
      if (local_error != NULL)
        g_debug ("Cannot decode a picture: %s", local_error->message);
      g_set_error_literal (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED,
                           "The server's QR image could not be decoded");
      return NULL;
    }

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);

  /* RGB or straight RGBA; transparent counts as the light background. */
  grey = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;
        guint alpha = channels == 4 ? p[3] : 255;
        guint luma = (299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000;

        grey[(gsize) y * width + x] = (guint8) ((luma * alpha + 255 * (255 - alpha)) / 255);
      }

  return qrs_qr_matrix_new_from_grey (grey, width, height, width, error);
}
