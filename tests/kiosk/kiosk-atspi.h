/* kiosk-atspi.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* AtspiRole values (at-spi2-core's atspi-constants.h; the enumeration only
 * ever grows, so they are fixed).
 */
#define KIOSK_ROLE_FRAME             23
#define KIOSK_ROLE_IMAGE             27
#define KIOSK_ROLE_PUSH_BUTTON       43
#define KIOSK_ROLE_TOGGLE_BUTTON     62
#define KIOSK_ROLE_WINDOW            69
#define KIOSK_ROLE_TITLE_BAR         104
#define KIOSK_ROLE_PUSH_BUTTON_MENU  129

typedef struct
{
  guint role;
  char *name;
  char *description;
} KioskA11yNode;

GPtrArray *kiosk_atspi_dump (const char  *bus_address,
                             GPid         pid,
                             GError     **error);

G_END_DECLS
