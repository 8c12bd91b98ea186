/* qrs-net.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "qrs-net-private.h"

/* The checks QrsConfig and QrsGenauthProvider both make on what goes on
 * the wire, so that the command line and the provider agree.
 */

/* Ids and secrets go into HTTP headers: printable ASCII only, so nothing
 * can inject a header or trip libsoup's checks.
 */
gboolean
_qrs_text_is_header_safe (const char *text,
                          gsize       max_length)
{
  gsize length = strlen (text);

  if (length == 0 || length > max_length)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] <= 0x20 || (guchar) text[i] >= 0x7f)
      return FALSE;

  return TRUE;
}

/* This computer: plain http to it never crosses a network. */
gboolean
_qrs_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* An IP address, or a DNS name (internationalised ones included). */
gboolean
_qrs_host_is_valid (const char *host)
{
  g_autofree char *ascii = NULL;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || *ascii == '\0')
    return FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;

  return TRUE;
}
