/* qrs-json-check.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "qrs-json-check.h"
#include "qrs-provider.h"

/* A strict RFC 8259 checker for the answers of sign-in servers, run on the
 * raw bytes before json-glib sees them: json-glib 1.6 has no strict mode
 * and accepts comments, single quotes, trailing values and raw control
 * characters, and turns some valid texts into something else (see
 * scan_string()). It only says yes or no, with a QRS_PROVIDER_ERROR_PROTOCOL
 * that any provider can pass on as it is.
 */

typedef struct
{
  const guint8 *start;
  const guint8 *p;
  const guint8 *end;
  guint depth;
  gboolean too_deep;
  GArray *wide_integers;  /* gsize offsets, or NULL if not wanted */
} Scanner;

static gboolean scan_value (Scanner *s);

static void
skip_space (Scanner *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
scan_hex4 (Scanner *s,
           guint   *unit)
{
  guint value = 0;

  if (s->end - s->p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (guint) digit;
    }

  s->p += 4;
  *unit = value;

  return TRUE;
}

/* Besides the grammar, refuses \u0000 (json-glib would cut the string
 * there) and unpaired surrogates (json-glib would make invalid UTF-8). On
 * failure s->p points at the offending byte, or at the start of the bad
 * escape.
 */
static gboolean
scan_string (Scanner *s)
{
  g_assert (s->p < s->end && *s->p == '"');

  s->p++;
  while (s->p < s->end)
    {
      const guint8 *escape;
      guint unit;
      guint low;

      if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p < 0x20)
        return FALSE;
      if (*s->p != '\\')
        {
          s->p++;
          continue;
        }

      escape = s->p++;
      if (s->p >= s->end)
        return FALSE;

      switch (*s->p++)
        {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          break;

        case 'u':
          if (!scan_hex4 (s, &unit) || unit == 0 || (unit >= 0xdc00 && unit <= 0xdfff))
            goto bad_escape;
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                goto bad_escape;
              s->p += 2;
              if (!scan_hex4 (s, &low) || low < 0xdc00 || low > 0xdfff)
                goto bad_escape;
            }
          break;

        default:
          goto bad_escape;
        }
      continue;

    bad_escape:
      s->p = escape;
      return FALSE;
    }

  return FALSE;
}

static gboolean
scan_digits (Scanner *s)
{
  const guint8 *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;

  return s->p > first;
}

/* Whether the digits of an integer, without its sign, are past what a
 * gint64 holds. json-glib reads the digits as a guint64 (G_MAXUINT64 when
 * they are past that too), negates that for a minus sign and casts it:
 * 18446744073709551416 comes out as -200, and -18446744073709551416 as 200.
 */
static gboolean
is_wide_integer (const guint8 *digits,
                 gsize         length,
                 gboolean      negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  if (length != strlen (limit))
    return length > strlen (limit);

  return memcmp (digits, limit, length) > 0;
}

static gboolean
scan_number (Scanner *s)
{
  const guint8 *digits;
  gboolean negative = FALSE;
  gboolean integer = TRUE;

  if (s->p < s->end && *s->p == '-')
    {
      negative = TRUE;
      s->p++;
    }

  if (s->p >= s->end)
    return FALSE;

  /* No leading zeros: "0" or a digit 1–9 and more digits. */
  digits = s->p;
  if (*s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return FALSE;

  if (s->p < s->end && *s->p == '.')
    {
      integer = FALSE;
      s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      integer = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }

  if (integer && s->wide_integers != NULL &&
      is_wide_integer (digits, (gsize) (s->p - digits), negative))
    {
      gsize end = (gsize) (s->p - s->start);

      g_array_append_val (s->wide_integers, end);
    }

  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return FALSE;

  s->p += length;

  return TRUE;
}

/* An object or an array: elements between brackets, separated by commas,
 * where an object's elements are "name": value.
 */
static gboolean
scan_container (Scanner *s)
{
  guint8 close;

  g_assert (*s->p == '{' || *s->p == '[');

  close = *s->p == '{' ? '}' : ']';
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      if (close == '}')
        {
          if (s->p >= s->end || *s->p != '"' || !scan_string (s))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return FALSE;
          s->p++;
          skip_space (s);
        }
      if (!scan_value (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == close)
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
      skip_space (s);
    }
}

static gboolean
scan_value (Scanner *s)
{
  gboolean ok;

  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
    case '[':
      if (++s->depth > QRS_JSON_CHECK_MAX_DEPTH)
        {
          s->too_deep = TRUE;
          return FALSE;
        }
      ok = scan_container (s);
      s->depth--;
      return ok;

    case '"':
      return scan_string (s);

    case 't':
      return scan_literal (s, "true");

    case 'f':
      return scan_literal (s, "false");

    case 'n':
      return scan_literal (s, "null");

    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return FALSE;
    }
}

/**
 * qrs_json_check_full:
 * @text: (array length=length) (nullable): an answer body, not NUL-terminated
 * @length: its length in bytes
 * @wide_integers: (out) (optional) (element-type gsize) (transfer full):
 *   where to put the offsets just past each integer outside the range of
 *   gint64, in order, or %NULL
 * @error: return location for a %QRS_PROVIDER_ERROR_PROTOCOL
 *
 * Checks that @text is valid UTF-8 without NUL bytes holding exactly one
 * JSON value (RFC 8259), optionally after a byte order mark and between
 * whitespace, nested at most %QRS_JSON_CHECK_MAX_DEPTH deep, and that
 * json-glib will read its strings as they are written: no `\u0000` and no
 * unpaired surrogates. The error says where the text went wrong, never what
 * it says.
 *
 * Integers too wide for a gint64 are valid JSON, but json-glib misreads
 * them (see is_wide_integer()); @wide_integers says where they end, so a
 * reader can have json-glib read them as the doubles they are.
 *
 * Returns: %TRUE if it is, else %FALSE with @error set (and
 *   @wide_integers set to %NULL)
 */
gboolean
qrs_json_check_full (const guint8  *text,
                     gsize          length,
                     GArray       **wide_integers,
                     GError       **error)
{
  g_autoptr(GArray) wide = NULL;
  Scanner s = { text, text, text + length, 0, FALSE, NULL };

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (wide_integers != NULL)
    {
      *wide_integers = NULL;
      wide = g_array_new (FALSE, FALSE, sizeof (gsize));
      s.wide_integers = wide;
    }

  /* Also refuses NUL bytes, which would cut the text short. */
  if (length > 0 && !g_utf8_validate_len ((const char *) text, length, NULL))
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                           _("The server's answer is not valid UTF-8 text"));
      return FALSE;
    }

  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    s.p += 3;

  skip_space (&s);
  if (s.p == s.end)
    {
      g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                           _("The server's answer is empty"));
      return FALSE;
    }

  if (!scan_value (&s))
    {
      if (s.too_deep)
        g_set_error_literal (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                             _("The server's answer is nested too deeply"));
      else
        g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                     _("The server's answer is not valid JSON (at byte %zu)"),
                     (gsize) (s.p - s.start));
      return FALSE;
    }

  skip_space (&s);
  if (s.p != s.end)
    {
      g_set_error (error, QRS_PROVIDER_ERROR, QRS_PROVIDER_ERROR_PROTOCOL,
                   _("The server's answer has extra data after the JSON value (at byte %zu)"),
                   (gsize) (s.p - s.start));
      return FALSE;
    }

  if (wide_integers != NULL)
    *wide_integers = g_steal_pointer (&wide);

  return TRUE;
}

/**
 * qrs_json_check:
 * @text: (array length=length) (nullable): an answer body, not NUL-terminated
 * @length: its length in bytes
 * @error: return location for a %QRS_PROVIDER_ERROR_PROTOCOL
 *
 * qrs_json_check_full() for a caller that only wants a yes or a no.
 *
 * Returns: %TRUE if @text is strict JSON, else %FALSE with @error set
 */
gboolean
qrs_json_check (const guint8  *text,
                gsize          length,
                GError       **error)
{
  return qrs_json_check_full (text, length, NULL, error);
}
