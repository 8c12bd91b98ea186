/* kiosk-qr-geometry.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* Where a QR code sits on a screenshot and how it is drawn, measured from
 * its three finder patterns.
 */
typedef struct
{
  guint left;              /* the symbol, quiet zone not included */
  guint top;
  guint width;
  guint height;
  guint modules;           /* modules across: 17 + 4 × version */
  double module_px;        /* pixels per module, mean */
  gboolean crisp;          /* every module is the same whole number of pixels */
  gboolean quiet_zone;     /* 4 light modules all round, on the screen */
  char *not_crisp_because; /* where the grid breaks, when it does */
} KioskQrGeometry;

guint8   *kiosk_gray_from_pixbuf (GdkPixbuf       *pixbuf,
                                  gsize           *stride);
gboolean  kiosk_qr_measure       (const guint8    *gray,
                                  guint            width,
                                  guint            height,
                                  gsize            stride,
                                  KioskQrGeometry *geometry);
void      kiosk_qr_geometry_clear (KioskQrGeometry *geometry);

G_END_DECLS
