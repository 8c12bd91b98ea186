/* qrs-image-size.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-image-size.h"

static guint
be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static gboolean
read_png (const guint8 *data,
          gsize         size,
          guint        *width,
          guint        *height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  /* The signature, then the IHDR chunk: length, type, width, height. */
  if (size < 24 || memcmp (data, signature, 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    return FALSE;

  *width = be32 (data + 16);
  *height = be32 (data + 20);
  return TRUE;
}

static gboolean
read_jpeg (const guint8 *data,
           gsize         size,
           guint        *width,
           guint        *height)
{
  gsize i = 2;

  if (size < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;

  /* Walk the segments to the first start-of-frame marker. */
  while (i + 4 <= size)
    {
      guint marker, length;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;
          continue;
        }

      length = be16 (data + i + 2);
      if (length < 2)
        return FALSE;

      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (i + 9 > size)
            return FALSE;
          *height = be16 (data + i + 5);
          *width = be16 (data + i + 7);
          return TRUE;
        }

      i += 2 + length;
    }

  return FALSE;
}

/**
 * qrs_image_size_read:
 * @bytes: an encoded picture
 * @width: (out): its width in pixels
 * @height: (out): its height in pixels
 *
 * Reads a PNG's or JPEG's size from its header, without decoding it, so a
 * picture that would take gigabytes once decoded is refused first.
 *
 * Returns: %TRUE for a PNG or JPEG whose header could be read
 */
gboolean
qrs_image_size_read (GBytes *bytes,
                     guint  *width,
                     guint  *height)
{
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  *width = *height = 0;

  return read_png (data, size, width, height) || read_jpeg (data, size, width, height);
}
