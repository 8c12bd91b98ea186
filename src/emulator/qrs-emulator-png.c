/* qrs-emulator-png.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <qrencode.h>

#include "qrs-emulator.h"
#include "qrs-emulator-private.h"

/* Samples per pixel side when drawing the avatar, for smooth edges. */
#define AVATAR_SUPERSAMPLE 4

static GBytes *
save_png (GdkPixbuf  *pixbuf,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  g_assert (GDK_IS_PIXBUF (pixbuf));

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &local_error, NULL))
    {
      g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_FAILED,
                   "Cannot write a PNG image: %s", local_error->message);
      return NULL;
    }

  return g_bytes_new_take (buffer, size);
}

/**
 * _qrs_emulator_png_qr_code:
 * @text: UTF-8 text to encode
 * @error: return location for a %QRS_EMULATOR_ERROR
 *
 * Draws @text as a QR code the way GenAuth serves its codes: 8-bit data at
 * level M, black on white, a 4-module quiet zone, and a whole number of
 * pixels per module so the image scales without blur. Case is kept
 * (libqrencode would otherwise upper-case the ids).
 *
 * Returns: (transfer full) (nullable): the PNG file
 */
GBytes *
_qrs_emulator_png_qr_code (const char  *text,
                           GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  QRcode *code;
  guint8 *pixels;
  guint n, side, rowstride;
  int saved_errno;

  g_assert (text != NULL);

  errno = 0;
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  saved_errno = errno;
  if (code == NULL)
    {
      g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_FAILED,
                   "Cannot encode the QR code: %s", g_strerror (saved_errno));
      return NULL;
    }

  n = (guint) code->width + 2 * QRS_EMULATOR_QR_QUIET_ZONE;
  side = n * QRS_EMULATOR_QR_MODULE_PIXELS;
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) side, (int) side);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = (guint) gdk_pixbuf_get_rowstride (pixbuf);

  for (guint y = 0; y < side; y++)
    {
      guint my = y / QRS_EMULATOR_QR_MODULE_PIXELS;

      for (guint x = 0; x < side; x++)
        {
          guint mx = x / QRS_EMULATOR_QR_MODULE_PIXELS;
          gboolean dark = FALSE;
          guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * 3;

          if (mx >= QRS_EMULATOR_QR_QUIET_ZONE && my >= QRS_EMULATOR_QR_QUIET_ZONE &&
              mx < QRS_EMULATOR_QR_QUIET_ZONE + (guint) code->width &&
              my < QRS_EMULATOR_QR_QUIET_ZONE + (guint) code->width)
            {
              gsize i = (gsize) (my - QRS_EMULATOR_QR_QUIET_ZONE) * (guint) code->width
                        + (mx - QRS_EMULATOR_QR_QUIET_ZONE);

              /* Bit 0 is the colour; libqrencode keeps flags in the rest. */
              dark = (code->data[i] & 1) != 0;
            }

          p[0] = p[1] = p[2] = dark ? 0x00 : 0xff;
        }
    }

  QRcode_free (code);

  return save_png (pixbuf, error);
}

static void
hsv_to_rgb (guint   hue,
            double  s,
            double  v,
            double *r,
            double *g,
            double *b)
{
  /* Which channel takes c and which takes x, per 60° sector of hue. */
  static const int sectors[6][2] = { { 0, 1 }, { 1, 0 }, { 1, 2 }, { 2, 1 }, { 2, 0 }, { 0, 2 } };
  double c = v * s;
  double x = c * (1.0 - ABS ((hue % 120) / 60.0 - 1.0));
  double m = v - c;
  double rgb[3] = { m, m, m };
  guint sector = (hue % 360) / 60;

  rgb[sectors[sector][0]] += c;
  rgb[sectors[sector][1]] += x;
  *r = rgb[0];
  *g = rgb[1];
  *b = rgb[2];
}

/* Which part of the picture a point of the unit square lies in: 0 outside
 * the disc, 1 on the coloured disc, 2 on the white head-and-shoulders.
 */
static int
avatar_region (double x,
               double y)
{
  double dx = x - 0.5, dy = y - 0.5;
  double hx = x - 0.5, hy = y - 0.40;
  double sx = (x - 0.5) / 0.32, sy = (y - 0.92) / 0.28;

  if (dx * dx + dy * dy > 0.25)
    return 0;
  if (hx * hx + hy * hy <= 0.17 * 0.17 || sx * sx + sy * sy <= 1.0)
    return 2;
  return 1;
}

/**
 * _qrs_emulator_png_avatar:
 * @seed: any text; the same text gives the same colour
 * @error: return location for a %QRS_EMULATOR_ERROR
 *
 * Draws a generic person on a coloured disc, transparent around it, like
 * the default avatars identity providers hand out.
 *
 * Returns: (transfer full) (nullable): the PNG file
 */
GBytes *
_qrs_emulator_png_avatar (const char  *seed,
                          GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  double r, g, b;
  guint8 *pixels;
  guint rowstride;
  const guint side = QRS_EMULATOR_AVATAR_SIZE;
  const guint samples = AVATAR_SUPERSAMPLE * AVATAR_SUPERSAMPLE;

  g_assert (seed != NULL);

  hsv_to_rgb (g_str_hash (seed) % 360, 0.55, 0.75, &r, &g, &b);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, (int) side, (int) side);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = (guint) gdk_pixbuf_get_rowstride (pixbuf);

  for (guint y = 0; y < side; y++)
    for (guint x = 0; x < side; x++)
      {
        guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * 4;
        guint n_disc = 0, n_person = 0;
        double cr, cg, cb;

        for (guint sy = 0; sy < AVATAR_SUPERSAMPLE; sy++)
          for (guint sx = 0; sx < AVATAR_SUPERSAMPLE; sx++)
            {
              double u = (x + (sx + 0.5) / AVATAR_SUPERSAMPLE) / side;
              double v = (y + (sy + 0.5) / AVATAR_SUPERSAMPLE) / side;

              switch (avatar_region (u, v))
                {
                case 1:
                  n_disc++;
                  break;
                case 2:
                  n_person++;
                  break;
                default:
                  break;
                }
            }

        if (n_disc + n_person == 0)
          {
            memset (p, 0, 4);
            continue;
          }

        /* Colour is the mix of what is inside; coverage is the alpha. */
        cr = (n_disc * r + n_person * 1.0) / (n_disc + n_person);
        cg = (n_disc * g + n_person * 1.0) / (n_disc + n_person);
        cb = (n_disc * b + n_person * 1.0) / (n_disc + n_person);
        p[0] = (guint8) (cr * 255.0 + 0.5);
        p[1] = (guint8) (cg * 255.0 + 0.5);
        p[2] = (guint8) (cb * 255.0 + 0.5);
        p[3] = (guint8) ((n_disc + n_person) * 255 / samples);
      }

  return save_png (pixbuf, error);
}

/**
 * _qrs_emulator_format_time:
 * @unix_ms: milliseconds since the Unix epoch
 *
 * Returns: (transfer full): the time in UTC as GenAuth writes it,
 *   e.g. "2019-12-27T11:53:41.260Z"
 */
char *
_qrs_emulator_format_time (gint64 unix_ms)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *seconds = NULL;
  gint64 s = unix_ms / 1000;
  gint64 ms = unix_ms % 1000;

  if (ms < 0)
    {
      ms += 1000;
      s -= 1;
    }

  dt = g_date_time_new_from_unix_utc (s);
  g_assert (dt != NULL);
  seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) ms);
}

/**
 * _qrs_emulator_random_id:
 * @length: characters wanted
 *
 * Returns: (transfer full): @length random characters of [A-Za-z0-9], the
 *   alphabet of GenAuth's QR code ids
 */
char *
_qrs_emulator_random_id (guint length)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char *id = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    id[i] = alphabet[g_random_int_range (0, (gint32) (sizeof alphabet - 1))];
  id[length] = '\0';

  return id;
}
