/* qrs-sign-in-pictures.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-sign-in-private.h"

/* The pictures that belong to the code on show: the server's QR image and
 * the avatar of whoever scanned it. They are fetched beside the state
 * machine, never in its way: without the image the window encodes the code
 * itself, without the avatar it shows initials. The provider fetches them
 * under the same network rules as everything else it sends.
 */

typedef struct {
  QrsSignIn *self;
  GCancellable *cancellable;
  QrsSignInProp prop;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_object_unref (fetch->cancellable);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  QrsSignIn *self = fetch->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (QRS_IS_SIGN_IN (self));

  bytes = qrs_provider_fetch_picture_finish (QRS_PROVIDER (object), result, &error);

  /* A picture of a code that is gone. */
  if (g_cancellable_is_cancelled (fetch->cancellable))
    return;

  if (bytes == NULL)
    {
      g_debug ("No %s: %s", fetch->prop == QRS_SIGN_IN_PROP_PHOTO ? "avatar" : "QR image",
               error->message);
      return;
    }

  if (fetch->prop == QRS_SIGN_IN_PROP_PHOTO)
    _qrs_sign_in_set_bytes (self, &self->photo, bytes, QRS_SIGN_IN_PROP_PHOTO);
  else
    _qrs_sign_in_set_bytes (self, &self->qr_image, bytes, QRS_SIGN_IN_PROP_QR_IMAGE);
}

static void
fetch (QrsSignIn     *self,
       const char    *url,
       gsize          max_bytes,
       QrsSignInProp  prop)
{
  Fetch *data;

  if (self->downloads == NULL)
    self->downloads = g_cancellable_new ();

  data = g_new0 (Fetch, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->downloads);
  data->prop = prop;

  qrs_provider_fetch_picture_async (self->provider, url, max_bytes, self->downloads,
                                    fetched_cb, data);
}

/* The server's picture of the code just created, if it gave one and it is
 * wanted.
 */
void
_qrs_sign_in_fetch_qr_image (QrsSignIn *self)
{
  const char *url;

  g_assert (QRS_IS_SIGN_IN (self));
  g_assert (self->code != NULL);

  url = qrs_code_get_image_url (self->code);
  if (self->fetch_qr_image && url != NULL)
    fetch (self, url, QRS_SIGN_IN_MAX_QR_IMAGE_BYTES, QRS_SIGN_IN_PROP_QR_IMAGE);
}

/* The avatar of whoever scanned the code: once per code. */
void
_qrs_sign_in_fetch_photo (QrsSignIn  *self,
                          const char *url)
{
  g_assert (QRS_IS_SIGN_IN (self));

  if (url == NULL || self->photo_requested || self->code == NULL)
    return;

  self->photo_requested = TRUE;
  fetch (self, url, QRS_SIGN_IN_MAX_PHOTO_BYTES, QRS_SIGN_IN_PROP_PHOTO);
}

/* Forgets the pictures of the code that is going, and stops fetching them. */
void
_qrs_sign_in_drop_pictures (QrsSignIn *self)
{
  g_assert (QRS_IS_SIGN_IN (self));

  if (self->downloads != NULL)
    {
      g_cancellable_cancel (self->downloads);
      g_clear_object (&self->downloads);
    }
  self->photo_requested = FALSE;

  _qrs_sign_in_set_bytes (self, &self->qr_image, NULL, QRS_SIGN_IN_PROP_QR_IMAGE);
  _qrs_sign_in_set_bytes (self, &self->photo, NULL, QRS_SIGN_IN_PROP_PHOTO);
}
