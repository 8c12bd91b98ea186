/* qrs-secret.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-secret-private.h"

/* g_free() leaves the bytes in the heap, where a core dump or a later
 * allocation can find them. The compiler may drop a plain memset() before a
 * free, so use explicit_bzero() or a volatile write it has to keep.
 */
void
qrs_secret_wipe (void  *data,
                 gsize  length)
{
  if (data == NULL || length == 0)
    return;

#ifdef HAVE_EXPLICIT_BZERO
  explicit_bzero (data, length);
#else
  {
    volatile guint8 *p = data;

    while (length--)
      *p++ = 0;
  }
#endif
}

void
qrs_secret_free (QrsSecret *secret)
{
  if (secret == NULL)
    return;

  qrs_secret_wipe (secret, strlen (secret));
  g_free (secret);
}

/**
 * qrs_loggable_text:
 * @text: (nullable): text that may come from a server
 *
 * Quotes @text for a log line, escaping quotes, backslashes and control
 * characters, so that what a server sends cannot forge or split log lines.
 * Never use it on a secret.
 *
 * Returns: (transfer full): e.g. `"Alice"`, or `(none)` for %NULL
 */
char *
qrs_loggable_text (const char *text)
{
  GString *string;

  if (text == NULL)
    return g_strdup ("(none)");

  string = g_string_new ("\"");
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (string, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (string, "\\x%02x", c);
      else
        g_string_append_c (string, (char) c);
    }
  g_string_append_c (string, '"');

  return g_string_free (string, FALSE);
}
