/* qrs-qr-matrix.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <qrencode.h>

#include "qrs-qr-matrix.h"

/* An immutable square of modules, TRUE meaning dark. It carries no quiet
 * zone: whoever draws it adds QRS_QR_MATRIX_QUIET_ZONE light modules around.
 */
struct _QrsQrMatrix
{
  gatomicrefcount ref_count;
  guint width;
  guint8 modules[];
};

G_DEFINE_QUARK (qrs-qr-error-quark, qrs_qr_error)
G_DEFINE_BOXED_TYPE (QrsQrMatrix, qrs_qr_matrix, qrs_qr_matrix_ref, qrs_qr_matrix_unref)

static QrsQrMatrix *
qrs_qr_matrix_alloc (guint width)
{
  QrsQrMatrix *self;

  g_assert (width > 0 && width <= 1024);

  self = g_malloc0 (sizeof (QrsQrMatrix) + (gsize) width * width);
  g_atomic_ref_count_init (&self->ref_count);
  self->width = width;

  return self;
}

/**
 * qrs_qr_matrix_new:
 * @width: modules per side, at least 1
 * @modules: (array): @width × @width bytes in rows, non-zero meaning dark
 *
 * Returns: (transfer full): a matrix holding a copy of @modules
 */
QrsQrMatrix *
qrs_qr_matrix_new (guint         width,
                   const guint8 *modules)
{
  QrsQrMatrix *self;

  g_return_val_if_fail (width > 0 && width <= 1024, NULL);
  g_return_val_if_fail (modules != NULL, NULL);

  self = qrs_qr_matrix_alloc (width);
  for (gsize i = 0; i < (gsize) width * width; i++)
    self->modules[i] = modules[i] != 0;

  return self;
}

/**
 * qrs_qr_matrix_new_from_text:
 * @text: UTF-8 text to encode
 * @error: return location for a %QRS_QR_ERROR
 *
 * Encodes @text as 8-bit data at error correction level M in the smallest
 * version that holds it. Case is kept: libqrencode upper-cases Latin letters
 * unless told otherwise, which would corrupt ids and URLs.
 *
 * Returns: (transfer full) (nullable): the matrix, or %NULL with @error set
 */
QrsQrMatrix *
qrs_qr_matrix_new_from_text (const char  *text,
                             GError     **error)
{
  QRcode *code;
  QrsQrMatrix *self;
  int saved_errno;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*text == '\0')
    {
      g_set_error_literal (error, QRS_QR_ERROR, QRS_QR_ERROR_EMPTY,
                           _("There is nothing to put in the QR code"));
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, QRS_QR_ERROR, QRS_QR_ERROR_INVALID_UTF8,
                           _("The QR code content is not valid UTF-8 text"));
      return NULL;
    }

  errno = 0;
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  saved_errno = errno;

  if (code == NULL)
    {
      if (saved_errno == ERANGE)
        g_set_error (error, QRS_QR_ERROR, QRS_QR_ERROR_TOO_LONG,
                     _("The QR code content is too long (%zu bytes)"),
                     strlen (text));
      else
        g_set_error (error, QRS_QR_ERROR, QRS_QR_ERROR_FAILED,
                     _("The QR code could not be made: %s"),
                     g_strerror (saved_errno));
      return NULL;
    }

  self = qrs_qr_matrix_alloc ((guint) code->width);
  /* Bit 0 is the module colour; libqrencode keeps debug flags in the rest. */
  for (gsize i = 0; i < (gsize) code->width * code->width; i++)
    self->modules[i] = code->data[i] & 1;
  QRcode_free (code);

  return self;
}

QrsQrMatrix *
qrs_qr_matrix_ref (QrsQrMatrix *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
qrs_qr_matrix_unref (QrsQrMatrix *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

guint
qrs_qr_matrix_get_width (const QrsQrMatrix *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->width;
}

gboolean
qrs_qr_matrix_is_dark (const QrsQrMatrix *self,
                       guint              x,
                       guint              y)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (x < self->width && y < self->width, FALSE);

  return self->modules[(gsize) y * self->width + x];
}

gboolean
qrs_qr_matrix_equal (const QrsQrMatrix *a,
                     const QrsQrMatrix *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->width != b->width)
    return FALSE;

  return memcmp (a->modules, b->modules, (gsize) a->width * a->width) == 0;
}
