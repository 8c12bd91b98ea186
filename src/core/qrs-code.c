/* qrs-code.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-code.h"

/* One QR code handed out by a provider: what to show, and until when. It is
 * immutable; a new code is a new object. The deadline is local: it is
 * counted from @created_at on this machine's wall clock, since GenAuth's V3
 * answer carries no expiry.
 *
 * A code from the device flow (RFC 8628) also has a user code and the
 * address where it can be typed, both shown beside the QR.
 */
struct _QrsCode
{
  GObject parent_instance;

  char *id;
  char *qr_content;
  char *image_url;
  char *user_code;
  char *verification_uri;
  GDateTime *created_at;
  GDateTime *expires_at;
  guint lifetime;
  guint poll_interval;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_QR_CONTENT,
  PROP_IMAGE_URL,
  PROP_USER_CODE,
  PROP_VERIFICATION_URI,
  PROP_CREATED_AT,
  PROP_LIFETIME,
  PROP_EXPIRES_AT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (QrsCode, qrs_code, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
qrs_code_finalize (GObject *object)
{
  QrsCode *self = (QrsCode *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->qr_content, g_free);
  g_clear_pointer (&self->image_url, g_free);
  g_clear_pointer (&self->user_code, g_free);
  g_clear_pointer (&self->verification_uri, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  G_OBJECT_CLASS (qrs_code_parent_class)->finalize (object);
}

static void
qrs_code_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  QrsCode *self = QRS_CODE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_QR_CONTENT:
      g_value_set_string (value, self->qr_content);
      break;

    case PROP_IMAGE_URL:
      g_value_set_string (value, self->image_url);
      break;

    case PROP_USER_CODE:
      g_value_set_string (value, self->user_code);
      break;

    case PROP_VERIFICATION_URI:
      g_value_set_string (value, self->verification_uri);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_LIFETIME:
      g_value_set_uint (value, self->lifetime);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_code_class_init (QrsCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qrs_code_finalize;
  object_class->get_property = qrs_code_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_QR_CONTENT] =
    g_param_spec_string ("qr-content", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_IMAGE_URL] =
    g_param_spec_string ("image-url", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * QrsCode:user-code:
   *
   * What a person types at #QrsCode:verification-uri when they do not scan
   * the QR (device flow only), as the server wrote it.
   */
  properties[PROP_USER_CODE] =
    g_param_spec_string ("user-code", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_VERIFICATION_URI] =
    g_param_spec_string ("verification-uri", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_LIFETIME] =
    g_param_spec_uint ("lifetime", NULL, NULL,
                       1, G_MAXUINT, QRS_CODE_DEFAULT_LIFETIME,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qrs_code_init (QrsCode *self)
{
  self->lifetime = QRS_CODE_DEFAULT_LIFETIME;
}

/**
 * qrs_code_new:
 * @id: the provider's id of the code
 * @qr_content: (nullable): the text to encode locally, if the provider knows it
 * @image_url: (nullable): where the provider serves a picture of the code
 * @created_at: when the code was made, on this machine's clock
 * @lifetime: seconds the code stays valid after @created_at
 *
 * Returns: (transfer full): a new code
 */
QrsCode *
qrs_code_new (const char *id,
              const char *qr_content,
              const char *image_url,
              GDateTime  *created_at,
              guint       lifetime)
{
  QrsCode *self;

  g_return_val_if_fail (id != NULL && *id != '\0', NULL);
  g_return_val_if_fail (created_at != NULL, NULL);
  g_return_val_if_fail (lifetime > 0, NULL);

  self = g_object_new (QRS_TYPE_CODE, NULL);
  self->id = g_strdup (id);
  self->qr_content = g_strdup (qr_content);
  self->image_url = g_strdup (image_url);
  self->created_at = g_date_time_to_utc (created_at);
  self->lifetime = lifetime;
  self->expires_at = g_date_time_add_seconds (self->created_at, lifetime);

  return self;
}

/**
 * qrs_code_new_for_device:
 * @id: the provider's id of the code, fit for a log line (not a secret)
 * @qr_content: the text to encode: the address that signs the person in
 * @user_code: what the person can type instead of scanning
 * @verification_uri: where they type it
 * @created_at: when the code was made, on this machine's clock
 * @lifetime: seconds the code stays valid after @created_at
 * @poll_interval: the fewest seconds between two status requests
 *
 * Returns: (transfer full): a new code of the device flow
 */
QrsCode *
qrs_code_new_for_device (const char *id,
                         const char *qr_content,
                         const char *user_code,
                         const char *verification_uri,
                         GDateTime  *created_at,
                         guint       lifetime,
                         guint       poll_interval)
{
  QrsCode *self;

  g_return_val_if_fail (qr_content != NULL, NULL);
  g_return_val_if_fail (user_code != NULL, NULL);
  g_return_val_if_fail (verification_uri != NULL, NULL);

  self = qrs_code_new (id, qr_content, NULL, created_at, lifetime);
  self->user_code = g_strdup (user_code);
  self->verification_uri = g_strdup (verification_uri);
  self->poll_interval = poll_interval;

  return self;
}

const char *
qrs_code_get_id (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), NULL);

  return self->id;
}

const char *
qrs_code_get_qr_content (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), NULL);

  return self->qr_content;
}

const char *
qrs_code_get_image_url (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), NULL);

  return self->image_url;
}

const char *
qrs_code_get_user_code (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), NULL);

  return self->user_code;
}

const char *
qrs_code_get_verification_uri (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), NULL);

  return self->verification_uri;
}

/**
 * qrs_code_get_poll_interval:
 *
 * Returns: the fewest seconds the server wants between two status
 *   requests for this code, or 0 if it has no such rule
 */
guint
qrs_code_get_poll_interval (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), 0);

  return self->poll_interval;
}

/**
 * qrs_code_get_created_at:
 *
 * Returns: (transfer none): when the code was made, in UTC
 */
GDateTime *
qrs_code_get_created_at (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), NULL);

  return self->created_at;
}

guint
qrs_code_get_lifetime (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), 0);

  return self->lifetime;
}

/**
 * qrs_code_get_expires_at:
 *
 * Returns: (transfer none): the local deadline, created-at plus lifetime, in UTC
 */
GDateTime *
qrs_code_get_expires_at (QrsCode *self)
{
  g_return_val_if_fail (QRS_IS_CODE (self), NULL);

  return self->expires_at;
}

/**
 * qrs_code_has_expired:
 * @now: the current time
 *
 * Returns: whether the local deadline has been reached at @now
 */
gboolean
qrs_code_has_expired (QrsCode   *self,
                      GDateTime *now)
{
  g_return_val_if_fail (QRS_IS_CODE (self), TRUE);
  g_return_val_if_fail (now != NULL, TRUE);

  return g_date_time_compare (now, self->expires_at) >= 0;
}
