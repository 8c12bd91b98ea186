/* qrs-form.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "qrs-form.h"
#include "qrs-secret-private.h"

/* Forms and Basic credentials for OAuth 2.0 requests. What goes into them
 * is often a secret (a client secret, a device code), so every buffer is
 * sized once and wiped when freed: none is left behind by a realloc.
 */

/* application/x-www-form-urlencoded, as RFC 6749 Appendix B has it for
 * request bodies and §2.3.1 for the parts of Basic credentials.
 */
static void
append_form_encoded (GString    *out,
                     const char *text)
{
  static const char hex[] = "0123456789ABCDEF";

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '*')
        g_string_append_c (out, (char) *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        {
          /* Not g_string_append_printf(), whose scratch copy would not be wiped. */
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }
}

static void
append_field (GString    *form,
              const char *name,
              const char *value)
{
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append (form, name);
  g_string_append_c (form, '=');
  append_form_encoded (form, value);
}

/* A string with room for @length bytes, form-encoded: it never grows, so
 * no copy of a secret is left behind in a buffer it outgrew.
 */
static GString *
sized_for_encoding (gsize length)
{
  return g_string_sized_new (3 * length + 1);
}

/**
 * qrs_form_build:
 * @first_name: the first field's name, then its value, then more pairs,
 *   ending with %NULL
 *
 * A form of the NULL-terminated name, value pairs, leaving out the fields
 * whose value is %NULL. Its bytes may hold a device code or a client
 * secret: they are wiped when freed.
 *
 * Returns: (transfer full): the form, application/x-www-form-urlencoded
 */
GBytes *
qrs_form_build (const char *first_name,
                ...)
{
  GString *form;
  gsize length = 0;
  gsize size;
  va_list args;
  char *text;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        length += strlen (name) + strlen (value) + 2;
    }
  va_end (args);

  form = sized_for_encoding (length);
  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        append_field (form, name, value);
    }
  va_end (args);

  size = form->len;
  text = g_string_free (form, FALSE);

  return g_bytes_new_with_free_func (text, size, (GDestroyNotify) qrs_secret_free, text);
}

/**
 * qrs_form_basic_credentials:
 * @client_id: the client id
 * @client_secret: the client secret
 *
 * RFC 6749 §2.3.1: the id and the secret are each form-encoded, then
 * joined with ':' and base64-encoded. Without the first step a secret with
 * ':', '+', '%' or a space in it is refused.
 *
 * Returns: (transfer full): the Authorization header's value, `Basic …`;
 *   free it with qrs_secret_free()
 */
char *
qrs_form_basic_credentials (const char *client_id,
                            const char *client_secret)
{
  g_autoptr(QrsSecret) joined = NULL;
  g_autoptr(QrsSecret) encoded = NULL;
  GString *credentials;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (client_secret != NULL, NULL);

  credentials = sized_for_encoding (strlen (client_id) + strlen (client_secret) + 1);
  append_form_encoded (credentials, client_id);
  g_string_append_c (credentials, ':');
  append_form_encoded (credentials, client_secret);
  joined = g_string_free (credentials, FALSE);

  encoded = g_base64_encode ((const guchar *) joined, strlen (joined));

  return g_strconcat ("Basic ", encoded, NULL);
}
