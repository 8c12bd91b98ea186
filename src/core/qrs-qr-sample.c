/* qrs-qr-sample.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdarg.h>

#include "qrs-qr-sample.h"

/* A symbol is 17 + 4 × version modules wide, version 1 to 40. */
#define MAX_VERSION 40
#define SYMBOL_WIDTH(version) (17 + 4 * (version))
#define MAX_SYMBOL_WIDTH SYMBOL_WIDTH (MAX_VERSION)

/* Grey levels between the darkest and the lightest pixel below which a
 * picture is taken to be all one colour; any rendered code has far more.
 */
#define MIN_CONTRAST 64

/* How far from the threshold, as a share of the contrast, every module
 * must be read: closer, and the picture is too blurred or too small for
 * the reading to be trusted.
 */
#define MIN_MARGIN 0.1

/* Pixels per module below which only a sharp picture, one without grey
 * edges, is read: anti-aliasing smears modules this small into each other.
 */
#define MIN_BLURRED_PITCH 2.0

/* The picture, and the box around its dark pixels. */
typedef struct
{
  const guint8 *grey;
  gsize stride;
  guint width;
  guint height;
  guint contrast;  /* lightest minus darkest level */
  guint threshold; /* below it is dark */
  guint left;      /* the box, inclusive */
  guint top;
  guint right;
  guint bottom;
} Picture;

static QrsQrMatrix *fail (GError    **error,
                          const char *format,
                          ...) G_GNUC_PRINTF (2, 3);

/* Every refusal has the same plain message, for the log rather than the
 * user, who never sees it: the caller falls back to encoding the code
 * itself. The reason is in the debug log.
 */
static QrsQrMatrix *
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_logv (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, format, args);
  va_end (args);

  g_set_error_literal (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED,
                       "The server's QR image could not be read");
  return NULL;
}

static inline gboolean
is_dark (const Picture *pic,
         gssize         index)
{
  return pic->grey[index] < pic->threshold;
}

static void
find_levels (const Picture *pic,
             guint         *darkest,
             guint         *lightest)
{
  guint lo = 255;
  guint hi = 0;

  for (guint y = 0; y < pic->height; y++)
    {
      const guint8 *row = pic->grey + y * pic->stride;

      for (guint x = 0; x < pic->width; x++)
        {
          lo = MIN (lo, row[x]);
          hi = MAX (hi, row[x]);
        }
    }

  *darkest = lo;
  *lightest = hi;
}

/* The symbol is taken to be the smallest box holding every dark pixel, so
 * the picture must show nothing dark but the code.
 */
static gboolean
find_dark_box (Picture *pic)
{
  gboolean found = FALSE;

  for (guint y = 0; y < pic->height; y++)
    {
      const guint8 *row = pic->grey + y * pic->stride;
      guint first = 0;
      guint last = pic->width - 1;

      while (first < pic->width && row[first] >= pic->threshold)
        first++;
      if (first == pic->width)
        continue;
      while (row[last] >= pic->threshold)
        last--;

      if (!found)
        {
          pic->left = first;
          pic->right = last;
          pic->top = y;
          found = TRUE;
        }
      pic->left = MIN (pic->left, first);
      pic->right = MAX (pic->right, last);
      pic->bottom = y;
    }

  return found;
}

/* Where the grey level along a line crosses the threshold between pixel
 * @k - 1 and pixel @k, in pixels from the start of the line (pixel k
 * spans k to k + 1), interpolating between the pixel centres: anti-aliased
 * edges are found to a fraction of a pixel.
 */
static double
crossing (const Picture *pic,
          gssize         start,
          gssize         step,
          guint          k)
{
  double a = pic->grey[start + (gssize) (k - 1) * step];
  double b = pic->grey[start + (gssize) k * step];

  /* One side is below the threshold and the other not, so a != b. */
  return k - 0.5 + (pic->threshold - 0.5 - a) / (b - a);
}

/* One line through a finder pattern's centre: the runs dark, light, dark,
 * light, dark, and where each of them ends.
 */
typedef struct
{
  guint runs[5];
  double ends[5];
} FinderLine;

/* Reads a line from @start, @step apart, for at most @length pixels, as
 * a finder pattern crossed through its centre and followed by the light
 * separator. One light pixel is allowed first, for an anti-aliased edge
 * just above the threshold.
 */
static gboolean
read_finder_line (const Picture *pic,
                  gssize         start,
                  gssize         step,
                  guint          length,
                  FinderLine    *line)
{
  guint k = 0;

  if (length > 0 && !is_dark (pic, start))
    k++;

  for (guint r = 0; r < 5; r++)
    {
      gboolean dark = r % 2 == 0;

      line->runs[r] = 0;
      while (k < length && is_dark (pic, start + (gssize) k * step) == dark)
        {
          line->runs[r]++;
          k++;
        }
      if (line->runs[r] == 0 || k == length)
        return FALSE;
      line->ends[r] = crossing (pic, start, step, k);
    }

  return TRUE;
}

/* Whether the runs are in the 1:1:3:1:1 ratios of a finder pattern, with
 * half a module and a pixel of slack for rounding and grey edges.
 */
static gboolean
has_finder_ratios (const FinderLine *line)
{
  static const guint expected[5] = { 1, 1, 3, 1, 1 };
  guint total = 0;
  double module;

  for (guint r = 0; r < 5; r++)
    total += line->runs[r];
  module = total / 7.0;

  for (guint r = 0; r < 5; r++)
    if (fabs (line->runs[r] - expected[r] * module) > expected[r] * module / 2 + 1)
      return FALSE;

  return TRUE;
}

/* A finder pattern seen along one axis, in pixels. */
typedef struct
{
  double size;   /* across, 7 modules */
  double centre; /* from the edge of the box that the lines start at */
} Finder;

/* Measures the finder pattern in a corner of the dark box along one axis.
 * Lines parallel to one side of the box, @across apart, are read @along
 * from the other side; the first band of lines crossing the pattern's
 * 3×3 centre in 1:1:3:1:1 gives its size and centre, from the inner edges
 * in pairs, so that a bias of the renderer towards dark or light cancels
 * out. The band must be about three modules high and start about two
 * modules in, so that a row of data that happens to match is not taken for
 * the pattern.
 */
static gboolean
measure_finder (const Picture *pic,
                gssize         corner,
                gssize         along,
                guint          along_length,
                gssize         across,
                guint          across_length,
                Finder        *finder)
{
  guint first = 0;
  guint count = 0;
  double sizes = 0;
  double centres = 0;

  for (guint o = 0; o <= across_length; o++)
    {
      FinderLine line;
      double module;

      if (o < across_length
          && read_finder_line (pic, corner + (gssize) o * across, along, along_length, &line)
          && has_finder_ratios (&line))
        {
          if (count == 0)
            {
              first = o;
              sizes = centres = 0;
            }
          count++;
          sizes += (line.ends[4] - line.ends[0]) * 7 / 6;
          centres += (line.ends[0] + line.ends[1] + line.ends[2] + line.ends[3]) / 4;
          continue;
        }

      if (count == 0)
        continue;

      module = sizes / count / 7;
      if (fabs (count - 3 * module) <= 1.5 * module + 1
          && fabs (first - 2 * module) <= module + 1)
        {
          finder->size = sizes / count;
          finder->centre = centres / count;
          return TRUE;
        }
      count = 0;
    }

  return FALSE;
}

typedef struct
{
  double x;
  double y;
} Point;

/* The grey level of the module centred @at, where pixel (i, j) spans i to
 * i + 1 and j to j + 1. Modules of three pixels or more are read as the
 * mean of their central third, which no edge reaches; smaller ones by
 * interpolating between the nearest pixel centres, so that a centre that
 * is off the module's pixels comes out grey and is caught as unclear.
 */
static double
sample_at (const Picture *pic,
           Point          at,
           double         pitch_x,
           double         pitch_y)
{
  if (pitch_x >= 3 && pitch_y >= 3)
    {
      double x0 = CLAMP (ceil (at.x - pitch_x / 6 - 0.5), 0, pic->width - 1);
      double x1 = CLAMP (floor (at.x + pitch_x / 6 - 0.5), x0, pic->width - 1);
      double y0 = CLAMP (ceil (at.y - pitch_y / 6 - 0.5), 0, pic->height - 1);
      double y1 = CLAMP (floor (at.y + pitch_y / 6 - 0.5), y0, pic->height - 1);
      guint sum = 0;

      for (guint y = (guint) y0; y <= (guint) y1; y++)
        for (guint x = (guint) x0; x <= (guint) x1; x++)
          sum += pic->grey[y * pic->stride + x];

      return (double) sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
    }
  else
    {
      double x = CLAMP (at.x - 0.5, 0, pic->width - 1);
      double y = CLAMP (at.y - 0.5, 0, pic->height - 1);
      guint x0 = (guint) x;
      guint y0 = (guint) y;
      guint x1 = MIN (x0 + 1, pic->width - 1);
      guint y1 = MIN (y0 + 1, pic->height - 1);
      const guint8 *row0 = pic->grey + y0 * pic->stride;
      const guint8 *row1 = pic->grey + y1 * pic->stride;
      double fx = x - x0;
      double fy = y - y0;

      return (row0[x0] * (1 - fx) + row0[x1] * fx) * (1 - fy)
             + (row1[x0] * (1 - fx) + row1[x1] * fx) * fy;
    }
}

/* Samples every module of an @n-module symbol whose finder pattern centres
 * are at @top_left, @top_right and @bottom_left. Returns how many modules
 * were too close to the threshold to tell: any means the picture is too
 * blurred or too small to trust.
 */
static guint
sample_modules (const Picture *pic,
                Point          top_left,
                Point          top_right,
                Point          bottom_left,
                guint          n,
                guint8        *modules)
{
  Point across = { (top_right.x - top_left.x) / (n - 7), (top_right.y - top_left.y) / (n - 7) };
  Point down = { (bottom_left.x - top_left.x) / (n - 7), (bottom_left.y - top_left.y) / (n - 7) };
  double pitch_x = hypot (across.x, across.y);
  double pitch_y = hypot (down.x, down.y);
  double level = pic->threshold - 0.5;
  double margin = MIN_MARGIN * pic->contrast;
  guint unsure = 0;

  for (guint j = 0; j < n; j++)
    for (guint i = 0; i < n; i++)
      {
        /* The finder pattern centres are at module 3.5, 3.5 from their corner. */
        double di = i - 3.0;
        double dj = j - 3.0;
        Point centre = { top_left.x + di * across.x + dj * down.x,
                         top_left.y + di * across.y + dj * down.y };
        double value = sample_at (pic, centre, pitch_x, pitch_y);

        modules[j * n + i] = value < level;
        if (fabs (value - level) < margin)
          unsure++;
      }

  return unsure;
}

static inline gboolean
module_at (const guint8 *modules,
           guint         n,
           guint         x,
           guint         y)
{
  return modules[y * n + x];
}

/* A finder pattern with its top left at (@x0, @y0), and its light
 * separator where that falls inside the symbol.
 */
static gboolean
has_finder (const guint8 *modules,
            guint         n,
            int           x0,
            int           y0)
{
  for (int dy = -1; dy <= 7; dy++)
    for (int dx = -1; dx <= 7; dx++)
      {
        int x = x0 + dx;
        int y = y0 + dy;
        int ring = MAX (ABS (dx - 3), ABS (dy - 3));

        if (x < 0 || y < 0 || x >= (int) n || y >= (int) n)
          continue;
        if (module_at (modules, n, x, y) != (ring != 2 && ring != 4))
          return FALSE;
      }

  return TRUE;
}

static gboolean
has_alignment (const guint8 *modules,
               guint         n,
               guint         cx,
               guint         cy)
{
  for (guint y = cy - 2; y <= cy + 2; y++)
    for (guint x = cx - 2; x <= cx + 2; x++)
      {
        guint ring = MAX (x > cx ? x - cx : cx - x, y > cy ? y - cy : cy - y);

        if (module_at (modules, n, x, y) != (ring != 1))
          return FALSE;
      }

  return TRUE;
}

/* The alignment pattern centres along each axis (ISO/IEC 18004 annex E),
 * computed as in Project Nayuki's QR Code generator; returns their count.
 */
static guint
alignment_positions (guint version,
                     guint positions[7])
{
  guint n = SYMBOL_WIDTH (version);
  guint count, step;

  if (version == 1)
    return 0;

  count = version / 7 + 2;
  step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;

  positions[0] = 6;
  for (guint i = count - 1; i >= 1; i--)
    positions[i] = n - 7 - (count - 1 - i) * step;

  return count;
}

/* Whether @bits is one of the 32 format words: a BCH(15,5) code of the
 * error correction level and mask, XORed with 101010000010010.
 */
static gboolean
is_format_word (guint bits)
{
  for (guint data = 0; data < 32; data++)
    {
      guint rem = data;

      for (guint i = 0; i < 10; i++)
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
      if (bits == (((data << 10) | rem) ^ 0x5412))
        return TRUE;
    }

  return FALSE;
}

/* Both copies of the format information, which must agree and be valid. */
static gboolean
has_format (const guint8 *modules,
            guint         n)
{
  guint first = 0;
  guint second = 0;

  for (guint i = 0; i <= 5; i++)
    first |= (guint) module_at (modules, n, 8, i) << i;
  first |= (guint) module_at (modules, n, 8, 7) << 6;
  first |= (guint) module_at (modules, n, 8, 8) << 7;
  first |= (guint) module_at (modules, n, 7, 8) << 8;
  for (guint i = 9; i < 15; i++)
    first |= (guint) module_at (modules, n, 14 - i, 8) << i;

  for (guint i = 0; i < 8; i++)
    second |= (guint) module_at (modules, n, n - 1 - i, 8) << i;
  for (guint i = 8; i < 15; i++)
    second |= (guint) module_at (modules, n, 8, n - 15 + i) << i;

  return first == second && is_format_word (first);
}

/* Both copies of the version information (version 7 and up), which must
 * be the BCH(18,6) code of @version.
 */
static gboolean
has_version (const guint8 *modules,
             guint         version)
{
  guint n = SYMBOL_WIDTH (version);
  guint rem = version;
  guint bits;

  for (guint i = 0; i < 12; i++)
    rem = (rem << 1) ^ ((rem >> 11) * 0x1f25);
  bits = (version << 12) | rem;

  for (guint i = 0; i < 18; i++)
    {
      gboolean bit = (bits >> i) & 1;
      guint a = n - 11 + i % 3;
      guint b = i / 3;

      if (module_at (modules, n, a, b) != bit || module_at (modules, n, b, a) != bit)
        return FALSE;
    }

  return TRUE;
}

/* Whether every function pattern of a version @version symbol is where it
 * must be: a matrix sampled at the wrong scale or from something that is
 * not a code fails here, and a wrong matrix is worse than none.
 */
static gboolean
is_symbol (const guint8 *modules,
           guint         version)
{
  guint n = SYMBOL_WIDTH (version);
  guint positions[7];
  guint count;

  if (!has_finder (modules, n, 0, 0)
      || !has_finder (modules, n, n - 7, 0)
      || !has_finder (modules, n, 0, n - 7))
    return FALSE;

  for (guint i = 8; i < n - 8; i++)
    if (module_at (modules, n, i, 6) != (i % 2 == 0)
        || module_at (modules, n, 6, i) != (i % 2 == 0))
      return FALSE;

  count = alignment_positions (version, positions);
  for (guint j = 0; j < count; j++)
    for (guint i = 0; i < count; i++)
      {
        /* The corners that the finder patterns take. */
        if ((i == 0 && j == 0) || (i == 0 && j == count - 1) || (i == count - 1 && j == 0))
          continue;
        if (!has_alignment (modules, n, positions[i], positions[j]))
          return FALSE;
      }

  if (!module_at (modules, n, 8, n - 8))
    return FALSE;

  if (!has_format (modules, n))
    return FALSE;

  return version < 7 || has_version (modules, version);
}

/* Whether the box holds no grey pixel, only ones near the darkest or the
 * lightest level.
 */
static gboolean
is_sharp (const Picture *pic)
{
  guint low = pic->threshold - pic->contrast / 4;
  guint high = pic->threshold + pic->contrast / 4;

  for (guint y = pic->top; y <= pic->bottom; y++)
    {
      const guint8 *row = pic->grey + y * pic->stride;

      for (guint x = pic->left; x <= pic->right; x++)
        if (row[x] > low && row[x] < high)
          return FALSE;
    }

  return TRUE;
}

/* The symbol width in modules that finder patterns @size pixels across,
 * with centres @distance pixels apart, imply.
 */
static double
symbol_width (double distance,
              double size)
{
  return 7 + 7 * distance / size;
}

/**
 * qrs_qr_matrix_new_from_grey:
 * @grey: (array) (nullable): 8-bit grey levels, 0 black, in rows; %NULL
 *   only for an empty picture
 * @width: pixels per row
 * @height: rows
 * @stride: bytes from one row to the next, at least @width
 * @error: return location for a %QRS_QR_ERROR
 *
 * Reads a picture of one upright QR code, dark on light, back into its
 * modules, so that it can be drawn crisply at any size. The picture may be
 * at any scale from one pixel per module if its edges are sharp, or about
 * two if they are anti-aliased, integer or not, with any margin; but
 * nothing else in it may be dark, and it may not be rotated. Only pixels
 * inside the @width × @height picture are read: the buffer needs
 * (@height - 1) × @stride + @width bytes.
 *
 * The result is checked against every function pattern of its version
 * (finder, timing and alignment patterns, format and version information),
 * and every module must be clearly dark or light: whatever does not pass
 * is refused rather than guessed at.
 *
 * Returns: (transfer full) (nullable): the matrix, or %NULL with @error set
 *   to %QRS_QR_ERROR_FAILED
 */
QrsQrMatrix *
qrs_qr_matrix_new_from_grey (const guint8  *grey,
                             guint          width,
                             guint          height,
                             gsize          stride,
                             GError       **error)
{
  Picture pic = { grey, stride, width, height, 0, 0, 0, 0, 0, 0 };
  guint darkest, lightest, box_width, box_height;
  gssize top_left, top_right, bottom_left, row_step;
  Finder rows[3], columns[3];
  Point centres[3];
  double distance_x, distance_y, min_x, max_x, min_y, max_y, estimate, low, high;
  guint candidates[MAX_VERSION];
  guint n_candidates = 0;
  g_autofree guint8 *modules = NULL;

  g_return_val_if_fail (grey != NULL || width == 0 || height == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (width == 0 || height == 0)
    return fail (error, "The QR image is empty");
  if (width > QRS_QR_SAMPLE_MAX_SIDE || height > QRS_QR_SAMPLE_MAX_SIDE)
    return fail (error, "The QR image is too large (%ux%u)", width, height);
  if (stride < width || stride > G_MAXSSIZE / QRS_QR_SAMPLE_MAX_SIDE)
    return fail (error, "The QR image has a bad stride (%" G_GSIZE_FORMAT " for %u pixels)",
                 stride, width);

  find_levels (&pic, &darkest, &lightest);
  pic.contrast = lightest - darkest;
  if (pic.contrast < MIN_CONTRAST)
    return fail (error, "The QR image is all one colour (%u to %u)", darkest, lightest);

  /* Midway between the extremes puts the edge of an anti-aliased module
   * where it was drawn.
   */
  pic.threshold = (darkest + lightest + 1) / 2;
  if (!find_dark_box (&pic))
    return fail (error, "The QR image has no dark pixel");

  box_width = pic.right - pic.left + 1;
  box_height = pic.bottom - pic.top + 1;
  if (box_width < SYMBOL_WIDTH (1) || box_height < SYMBOL_WIDTH (1))
    return fail (error, "The QR image's symbol is too small (%ux%u)", box_width, box_height);

  row_step = (gssize) stride;
  top_left = (gssize) pic.top * row_step + pic.left;
  top_right = (gssize) pic.top * row_step + pic.right;
  bottom_left = (gssize) pic.bottom * row_step + pic.left;

  /* Each finder pattern across, by rows, and down, by columns, each read
   * from the edge of the box inwards.
   */
  if (!measure_finder (&pic, top_left, 1, box_width, row_step, box_height / 2, &rows[0])
      || !measure_finder (&pic, top_right, -1, box_width, row_step, box_height / 2, &rows[1])
      || !measure_finder (&pic, bottom_left, 1, box_width, -row_step, box_height / 2, &rows[2])
      || !measure_finder (&pic, top_left, row_step, box_height, 1, box_width / 2, &columns[0])
      || !measure_finder (&pic, top_right, row_step, box_height, -1, box_width / 2, &columns[1])
      || !measure_finder (&pic, bottom_left, -row_step, box_height, 1, box_width / 2, &columns[2]))
    return fail (error, "The QR image lacks a finder pattern in a corner");

  centres[0] = (Point) { pic.left + rows[0].centre, pic.top + columns[0].centre };
  centres[1] = (Point) { pic.right + 1 - rows[1].centre, pic.top + columns[1].centre };
  centres[2] = (Point) { pic.left + rows[2].centre, pic.bottom + 1 - columns[2].centre };

  min_x = MIN (rows[0].size, MIN (rows[1].size, rows[2].size));
  max_x = MAX (rows[0].size, MAX (rows[1].size, rows[2].size));
  min_y = MIN (columns[0].size, MIN (columns[1].size, columns[2].size));
  max_y = MAX (columns[0].size, MAX (columns[1].size, columns[2].size));
  if (max_x > 1.2 * min_x + 1 || max_y > 1.2 * min_y + 1)
    return fail (error, "The QR image's finder patterns differ in size (%g to %g by %g to %g px)",
                 min_x, max_x, min_y, max_y);

  /* A finder pattern is 7 modules wide, which gives the modules between
   * the patterns. Its edges are only known to a fraction of a pixel, which
   * matters for a large symbol at a small scale, so every version within
   * that error is a candidate, the nearest first.
   */
  distance_x = hypot (centres[1].x - centres[0].x, centres[1].y - centres[0].y);
  distance_y = hypot (centres[2].x - centres[0].x, centres[2].y - centres[0].y);
  estimate = (symbol_width (distance_x, (rows[0].size + rows[1].size + rows[2].size) / 3)
              + symbol_width (distance_y, (columns[0].size + columns[1].size + columns[2].size) / 3)) / 2;
  low = MAX (symbol_width (distance_x, 1.05 * max_x + 1),
             symbol_width (distance_y, 1.05 * max_y + 1)) - 1;
  high = MIN (symbol_width (distance_x, MAX (0.95 * min_x - 1, 1)),
              symbol_width (distance_y, MAX (0.95 * min_y - 1, 1))) + 1;

  for (guint version = 1; version <= MAX_VERSION; version++)
    {
      guint n = SYMBOL_WIDTH (version);
      guint i;

      /* Less than a pixel per module cannot be read. */
      if (n < low || n > high
          || distance_x / (n - 7) < 0.95 || distance_y / (n - 7) < 0.95)
        continue;

      for (i = n_candidates; i > 0; i--)
        {
          if (fabs (SYMBOL_WIDTH (candidates[i - 1]) - estimate) <= fabs (n - estimate))
            break;
          candidates[i] = candidates[i - 1];
        }
      candidates[i] = version;
      n_candidates++;
    }

  modules = g_malloc ((gsize) MAX_SYMBOL_WIDTH * MAX_SYMBOL_WIDTH);
  for (guint i = 0; i < n_candidates; i++)
    {
      guint n = SYMBOL_WIDTH (candidates[i]);
      double pitch = MIN (distance_x, distance_y) / (n - 7);
      guint unsure;

      unsure = sample_modules (&pic, centres[0], centres[1], centres[2], n, modules);
      if (!is_symbol (modules, candidates[i]))
        continue;

      /* The function patterns can come out right while data modules are
       * misread, so a reading close to a coin toss anywhere, or small
       * modules with grey edges, fail the whole picture.
       */
      if (unsure > 0)
        return fail (error, "The QR image is too blurred: %u of %u modules are unclear",
                     unsure, n * n);
      if (pitch < MIN_BLURRED_PITCH && !is_sharp (&pic))
        return fail (error, "The QR image is too small for its grey edges (%.2f px per module)",
                     pitch);

      g_debug ("Read a version %u QR code from a %ux%u image, %.2fx%.2f px per module",
               candidates[i], width, height, distance_x / (n - 7), distance_y / (n - 7));
      return qrs_qr_matrix_new (n, modules);
    }

  return fail (error, "The QR image has no valid symbol of about %.1f modules (%u tried)",
               estimate, n_candidates);
}
