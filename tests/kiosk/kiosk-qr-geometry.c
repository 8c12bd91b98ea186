/* kiosk-qr-geometry.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures a QR code on a screenshot the way a reader finds it: by its three
 * finder patterns, the 7-module squares whose rows and columns run dark,
 * light, dark, light, dark in the ratio 1:1:3:1:1. Their outer edges give
 * the symbol's box, their size the module size. A code drawn crisp has every
 * module the same whole number of pixels, so every edge in it falls on that
 * grid and no pixel is grey.
 */

#include <math.h>
#include <string.h>

#include "kiosk-qr-geometry.h"

#define DARK_BELOW  128
#define GREY_LOW    64
#define GREY_HIGH   192

typedef struct
{
  double cx;
  double cy;
  double unit;
  int x0;
  int x1;
  int y0;
  int y1;
  guint hits;
} Finder;

typedef struct
{
  const guint8 *gray;
  int width;
  int height;
  gsize stride;
} Picture;

static inline gboolean
is_dark (const Picture *picture,
         int            x,
         int            y)
{
  return picture->gray[(gsize) y * picture->stride + x] < DARK_BELOW;
}

/* Runs of 1, 1, 3, 1, 1 modules, each within half a module (a module and a
 * half for the middle one), as readers accept them.
 */
static gboolean
looks_like_finder (const int runs[5],
                   double   *unit)
{
  const int weight[5] = { 1, 1, 3, 1, 1 };
  int total = 0;
  double u;

  for (guint i = 0; i < 5; i++)
    total += runs[i];
  u = total / 7.0;
  if (u < 1.0)
    return FALSE;

  for (guint i = 0; i < 5; i++)
    if (fabs (runs[i] - u * weight[i]) > u * weight[i] / 2.0)
      return FALSE;

  *unit = u;

  return TRUE;
}

/* Length of the run of pixels like (x, y) going in (dx, dy) from it, (x, y)
 * included.
 */
static int
run_length (const Picture *picture,
            int            x,
            int            y,
            int            dx,
            int            dy)
{
  gboolean dark = is_dark (picture, x, y);
  int n = 0;

  while (x >= 0 && y >= 0 && x < picture->width && y < picture->height && is_dark (picture, x, y) == dark)
    {
      n++;
      x += dx;
      y += dy;
    }

  return n;
}

/* The column through (x, y), a dark pixel, checked for the same pattern;
 * fills in the finder's vertical extent.
 */
static gboolean
check_column (const Picture *picture,
              int            x,
              int            y,
              Finder        *finder)
{
  int up[3], down[3], runs[5];
  int at;
  double unit;

  at = y;
  for (guint i = 0; i < 3; i++)
    {
      if (at < 0)
        return FALSE;
      up[i] = run_length (picture, x, at, 0, -1);
      at -= up[i];
    }
  at = y;
  for (guint i = 0; i < 3; i++)
    {
      if (at >= picture->height)
        return FALSE;
      down[i] = run_length (picture, x, at, 0, 1);
      at += down[i];
    }

  runs[0] = up[2];
  runs[1] = up[1];
  runs[2] = up[0] + down[0] - 1;
  runs[3] = down[1];
  runs[4] = down[2];
  if (!looks_like_finder (runs, &unit))
    return FALSE;

  finder->y0 = y - (up[0] - 1) - up[1] - up[2];
  finder->y1 = y + down[0] + down[1] + down[2];
  finder->cy = (y - (up[0] - 1) + y + down[0]) / 2.0;

  return TRUE;
}

static void
add_finder (GArray       *finders,
            const Finder *candidate)
{
  for (guint i = 0; i < finders->len; i++)
    {
      Finder *finder = &g_array_index (finders, Finder, i);

      if (fabs (finder->cx - candidate->cx) <= 2 * finder->unit &&
          fabs (finder->cy - candidate->cy) <= 2 * finder->unit)
        {
          finder->x0 = MIN (finder->x0, candidate->x0);
          finder->x1 = MAX (finder->x1, candidate->x1);
          finder->y0 = MIN (finder->y0, candidate->y0);
          finder->y1 = MAX (finder->y1, candidate->y1);
          finder->hits++;
          return;
        }
    }

  g_array_append_val (finders, *candidate);
}

static GArray *
find_finders (const Picture *picture)
{
  GArray *finders = g_array_new (FALSE, FALSE, sizeof (Finder));
  g_autofree int *starts = g_new (int, picture->width + 1);
  g_autofree int *lengths = g_new (int, picture->width + 1);

  for (int y = 0; y < picture->height; y++)
    {
      guint n = 0;

      for (int x = 0; x < picture->width; x += lengths[n++])
        {
          starts[n] = x;
          lengths[n] = run_length (picture, x, y, 1, 0);
        }

      for (guint i = 0; i + 4 < n; i++)
        {
          int runs[5];
          Finder candidate = { 0, };

          if (!is_dark (picture, starts[i], y))
            continue;
          memcpy (runs, lengths + i, sizeof runs);
          if (!looks_like_finder (runs, &candidate.unit))
            continue;

          candidate.x0 = starts[i];
          candidate.x1 = starts[i + 4] + lengths[i + 4];
          candidate.cx = starts[i + 2] + lengths[i + 2] / 2.0;
          candidate.hits = 1;
          if (check_column (picture, (int) candidate.cx, y, &candidate))
            add_finder (finders, &candidate);
        }
    }

  return finders;
}

static int
by_hits (gconstpointer a,
         gconstpointer b)
{
  const Finder *fa = a, *fb = b;

  return (fb->hits > fa->hits) - (fb->hits < fa->hits);
}

/* Every colour change in the symbol falls on the module grid, and no pixel
 * is grey: nothing was scaled by a fraction or smoothed.
 */
static char *
find_grid_break (const Picture         *picture,
                 const KioskQrGeometry *geometry)
{
  int left = geometry->left, top = geometry->top;
  int right = left + geometry->width, bottom = top + geometry->height;
  int m;

  if (geometry->width % geometry->modules != 0 || geometry->height % geometry->modules != 0 ||
      geometry->width != geometry->height)
    return g_strdup_printf ("the symbol is %u×%u px for %u modules",
                            geometry->width, geometry->height, geometry->modules);
  m = geometry->width / geometry->modules;

  for (int y = top; y < bottom; y++)
    for (int x = left; x < right; x++)
      {
        guint8 value = picture->gray[(gsize) y * picture->stride + x];

        if (value >= GREY_LOW && value <= GREY_HIGH)
          return g_strdup_printf ("a grey pixel (%u) at %d,%d", value, x, y);
        if (x > left && (x - left) % m != 0 && is_dark (picture, x, y) != is_dark (picture, x - 1, y))
          return g_strdup_printf ("an edge at %d,%d, off the %d px grid", x, y, m);
        if (y > top && (y - top) % m != 0 && is_dark (picture, x, y) != is_dark (picture, x, y - 1))
          return g_strdup_printf ("an edge at %d,%d, off the %d px grid", x, y, m);
      }

  return NULL;
}

static gboolean
quiet_zone_is_light (const Picture         *picture,
                     const KioskQrGeometry *geometry)
{
  int q = (int) lround (4 * geometry->module_px);
  int left = geometry->left, top = geometry->top;
  int right = left + geometry->width, bottom = top + geometry->height;

  if (left - q < 0 || top - q < 0 || right + q > picture->width || bottom + q > picture->height)
    return FALSE;

  for (int y = top - q; y < bottom + q; y++)
    for (int x = left - q; x < right + q; x++)
      {
        gboolean inside = x >= left && x < right && y >= top && y < bottom;

        if (!inside && is_dark (picture, x, y))
          return FALSE;
      }

  return TRUE;
}

/**
 * kiosk_gray_from_pixbuf:
 * @stride: (out): bytes per row of the result
 *
 * Returns: (transfer full): the picture's luma, 8 bits a pixel
 */
guint8 *
kiosk_gray_from_pixbuf (GdkPixbuf *pixbuf,
                        gsize     *stride)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  guint8 *gray = g_malloc ((gsize) width * height);

  g_assert_cmpint (gdk_pixbuf_get_bits_per_sample (pixbuf), ==, 8);
  g_assert_cmpint (channels, >=, 3);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * channels;

        gray[(gsize) y * width + x] = (guint8) ((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
      }

  *stride = width;

  return gray;
}

/**
 * kiosk_qr_measure:
 * @geometry: (out caller-allocates): filled in when a code is found
 *
 * Returns: whether three finder patterns of one code were found
 */
gboolean
kiosk_qr_measure (const guint8    *gray,
                  guint            width,
                  guint            height,
                  gsize            stride,
                  KioskQrGeometry *geometry)
{
  Picture picture = { gray, (int) width, (int) height, stride };
  g_autoptr(GArray) finders = find_finders (&picture);
  const Finder *top_left, *top_right, *bottom_left, *three[3];
  double module_sum = 0;

  memset (geometry, 0, sizeof *geometry);

  /* A finder is seen on every row through its middle three modules; data
   * modules that happen to look like one, on a row or two.
   */
  for (guint i = finders->len; i-- > 0;)
    {
      const Finder *finder = &g_array_index (finders, Finder, i);

      if (finder->hits < 2 * finder->unit)
        g_array_remove_index (finders, i);
    }
  if (finders->len < 3)
    return FALSE;
  g_array_sort (finders, by_hits);

  for (guint i = 0; i < 3; i++)
    {
      three[i] = &g_array_index (finders, Finder, i);
      if (three[i]->x1 - three[i]->x0 < 0.8 * (three[0]->x1 - three[0]->x0))
        return FALSE;
      module_sum += (three[i]->x1 - three[i]->x0) / 7.0 + (three[i]->y1 - three[i]->y0) / 7.0;
    }

  top_left = three[0];
  for (guint i = 1; i < 3; i++)
    if (three[i]->cx + three[i]->cy < top_left->cx + top_left->cy)
      top_left = three[i];
  top_right = bottom_left = NULL;
  for (guint i = 0; i < 3; i++)
    {
      if (three[i] == top_left)
        continue;
      if (three[i]->cx - top_left->cx > three[i]->cy - top_left->cy)
        top_right = three[i];
      else
        bottom_left = three[i];
    }
  if (top_right == NULL || bottom_left == NULL)
    return FALSE;

  geometry->left = top_left->x0;
  geometry->top = top_left->y0;
  geometry->width = top_right->x1 - top_left->x0;
  geometry->height = bottom_left->y1 - top_left->y0;
  geometry->module_px = module_sum / 6;
  geometry->modules = (guint) lround (geometry->width / geometry->module_px);
  if (geometry->modules < 21)
    return FALSE;

  geometry->not_crisp_because = find_grid_break (&picture, geometry);
  geometry->crisp = geometry->not_crisp_because == NULL && (geometry->modules - 17) % 4 == 0;
  if (geometry->not_crisp_because == NULL && !geometry->crisp)
    geometry->not_crisp_because = g_strdup_printf ("%u modules is no QR version", geometry->modules);
  if (geometry->crisp)
    geometry->module_px = (double) geometry->width / geometry->modules;
  geometry->quiet_zone = quiet_zone_is_light (&picture, geometry);

  return TRUE;
}

void
kiosk_qr_geometry_clear (KioskQrGeometry *geometry)
{
  g_clear_pointer (&geometry->not_crisp_because, g_free);
}
