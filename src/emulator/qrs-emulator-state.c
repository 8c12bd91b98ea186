/* qrs-emulator-state.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The codes and users the emulator knows, and the state machine of
 * reference §6 that the phone drives.
 *
 * Choices where the server is undocumented [EMU]
 *   A repeated SCAN by the user who scanned is a no-op success. Tickets are
 *   single-use. AUTHORIZED and CANCELLED never turn EXPIRED.
 *
 * Time
 *   The emulator's clock is the wall clock plus an offset that tests move
 *   forward; codes expire lazily, whenever one is looked at.
 */

#include "config.h"

#include "qrs-emulator-private.h"

#define TICKET_LENGTH 40

/* A demo that runs for days keeps only the newest codes. */
#define MAX_CODES 1000

static const char * const status_names[] = {
  [QRS_EMULATOR_CODE_PENDING] = "PENDING",
  [QRS_EMULATOR_CODE_SCANNED] = "SCANNED",
  [QRS_EMULATOR_CODE_AUTHORIZED] = "AUTHORIZED",
  [QRS_EMULATOR_CODE_CANCELLED] = "CANCELLED",
  [QRS_EMULATOR_CODE_EXPIRED] = "EXPIRED",
};

void
_qrs_emulator_code_free (QrsEmulatorCode *code)
{
  g_free (code->id);
  g_clear_pointer (&code->custom_data, json_node_unref);
  g_free (code->user_id);
  g_free (code->display_name);
  g_free (code->photo);
  g_free (code->ticket);
  g_clear_pointer (&code->token_set, json_node_unref);
  g_free (code);
}

void
_qrs_emulator_user_free (QrsEmulatorUser *user)
{
  g_free (user->access_token);
  g_free (user->user_id);
  g_free (user->display_name);
  g_free (user->photo);
  g_free (user->userpool_id);
  g_free (user);
}

gint64
_qrs_emulator_now_ms (QrsEmulator *self)
{
  return (g_get_real_time () + self->clock_offset) / 1000;
}

const char *
_qrs_emulator_code_status_name (const QrsEmulatorCode *code)
{
  return status_names[code->status];
}

static void
code_set_status (QrsEmulator           *self,
                 QrsEmulatorCode       *code,
                 QrsEmulatorCodeStatus  status)
{
  g_assert (code != NULL);

  if (code->status == status)
    return;

  g_debug ("QR code %s: %s → %s", code->id, status_names[code->status], status_names[status]);
  code->status = status;
  _qrs_emulator_emit_code_changed (self, code);
}

/* Expiry is lazy: whoever looks at a code first brings it up to date. */
void
_qrs_emulator_code_refresh (QrsEmulator     *self,
                            QrsEmulatorCode *code)
{
  if ((code->status == QRS_EMULATOR_CODE_PENDING || code->status == QRS_EMULATOR_CODE_SCANNED) &&
      _qrs_emulator_now_ms (self) >= code->expire_ms)
    code_set_status (self, code, QRS_EMULATOR_CODE_EXPIRED);
}

QrsEmulatorCode *
_qrs_emulator_lookup_code (QrsEmulator *self,
                           const char  *qrcode_id)
{
  QrsEmulatorCode *code;

  if (qrcode_id == NULL)
    code = self->codes->len > 0 ? g_ptr_array_index (self->codes, self->codes->len - 1) : NULL;
  else
    code = g_hash_table_lookup (self->codes_by_id, qrcode_id);

  if (code != NULL)
    _qrs_emulator_code_refresh (self, code);

  return code;
}

static void
forget_oldest_code (QrsEmulator *self)
{
  QrsEmulatorCode *oldest = g_ptr_array_index (self->codes, 0);

  g_hash_table_remove (self->codes_by_id, oldest->id);
  if (oldest->ticket != NULL)
    g_hash_table_remove (self->tickets, oldest->ticket);
  g_ptr_array_remove_index (self->codes, 0);
}

QrsEmulatorCode *
_qrs_emulator_create_code (QrsEmulator *self,
                           JsonNode    *custom_data)
{
  QrsEmulatorCode *code = g_new0 (QrsEmulatorCode, 1);

  while (self->codes->len >= MAX_CODES)
    forget_oldest_code (self);

  do
    {
      g_free (code->id);
      code->id = _qrs_emulator_random_id (QRS_EMULATOR_QR_ID_LENGTH);
    }
  while (g_hash_table_contains (self->codes_by_id, code->id));

  code->status = QRS_EMULATOR_CODE_PENDING;
  code->created_ms = _qrs_emulator_now_ms (self);
  code->expire_ms = code->created_ms + (gint64) self->qr_ttl * 1000;
  code->custom_data = custom_data != NULL ? json_node_copy (custom_data) : NULL;

  g_ptr_array_add (self->codes, code);
  g_hash_table_insert (self->codes_by_id, code->id, code);

  g_debug ("QR code %s created", code->id);
  _qrs_emulator_emit_code_changed (self, code);

  return code;
}

static char *
avatar_url (QrsEmulator *self,
            const char  *user_id)
{
  g_autofree char *escaped = g_uri_escape_string (user_id, NULL, FALSE);

  return g_strconcat (self->base_url != NULL ? self->base_url : "", QRS_EMULATOR_AVATAR_PREFIX, escaped, ".png", NULL);
}

char *
_qrs_emulator_code_dup_photo (QrsEmulator           *self,
                              const QrsEmulatorCode *code)
{
  g_assert (code->user_id != NULL);

  if (code->photo != NULL)
    return g_strdup (code->photo);

  return avatar_url (self, code->user_id);
}

char *
_qrs_emulator_qr_image_url (QrsEmulator *self,
                            const char  *qrcode_id)
{
  return g_strconcat (self->base_url != NULL ? self->base_url : "", QRS_EMULATOR_QR_IMAGE_PREFIX, qrcode_id, ".png", NULL);
}

/* The text in the QR image: the documented payload superset, in the same
 * key order as the desktop client's local encoding.
 */
char *
_qrs_emulator_code_dup_payload (QrsEmulator           *self,
                                const QrsEmulatorCode *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *created_at = _qrs_emulator_format_time (code->created_ms);
  g_autofree char *expire_at = _qrs_emulator_format_time (code->expire_ms);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scene");
  json_builder_add_string_value (builder, "APP_AUTH");
  json_builder_set_member_name (builder, "random");
  json_builder_add_string_value (builder, code->id);
  json_builder_set_member_name (builder, "qrcodeId");
  json_builder_add_string_value (builder, code->id);
  json_builder_set_member_name (builder, "userPoolId");
  json_builder_add_string_value (builder, self->userpool_id);
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_string_value (builder, created_at);
  json_builder_set_member_name (builder, "expireAt");
  json_builder_add_string_value (builder, expire_at);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* The state machine (reference §6) */

gboolean
_qrs_emulator_code_apply (QrsEmulator            *self,
                          QrsEmulatorCode        *code,
                          QrsEmulatorAction       action,
                          const QrsEmulatorUser  *user,
                          const char             *display_name,
                          const char             *photo,
                          GError                **error)
{
  const char *user_id = user != NULL ? user->user_id : code->user_id;
  gboolean same_user = code->user_id != NULL && g_strcmp0 (code->user_id, user_id) == 0;
  QrsEmulatorCodeStatus expected = action == QRS_EMULATOR_ACTION_SCAN ? QRS_EMULATOR_CODE_PENDING
                                                                      : QRS_EMULATOR_CODE_SCANNED;
  QrsEmulatorCodeStatus next;

  g_assert (user != NULL || code->user_id != NULL || action == QRS_EMULATOR_ACTION_SCAN);

  switch (action)
    {
    case QRS_EMULATOR_ACTION_SCAN:
      next = QRS_EMULATOR_CODE_SCANNED;
      /* Scanning again from the same phone changes nothing. */
      if (code->status == QRS_EMULATOR_CODE_SCANNED && same_user)
        return TRUE;
      break;

    case QRS_EMULATOR_ACTION_CONFIRM:
      next = QRS_EMULATOR_CODE_AUTHORIZED;
      break;

    case QRS_EMULATOR_ACTION_CANCEL:
      next = QRS_EMULATOR_CODE_CANCELLED;
      break;

    default:
      g_assert_not_reached ();
    }

  if (code->status != expected)
    {
      g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_INVALID_TRANSITION,
                   "Cannot %s QR code %s: it is %s",
                   action == QRS_EMULATOR_ACTION_SCAN ? "scan" : action == QRS_EMULATOR_ACTION_CONFIRM ? "confirm" : "cancel",
                   code->id, _qrs_emulator_code_status_name (code));
      return FALSE;
    }

  if (action != QRS_EMULATOR_ACTION_SCAN && !same_user)
    {
      g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_INVALID_TRANSITION,
                   "QR code %s was scanned by another user", code->id);
      return FALSE;
    }

  if (action == QRS_EMULATOR_ACTION_SCAN)
    {
      const char *default_name = user != NULL ? user->display_name : QRS_EMULATOR_DEMO_USER_DISPLAY_NAME;
      const char *default_photo = user != NULL ? user->photo : NULL;

      g_assert (user_id != NULL);
      g_free (code->user_id);
      code->user_id = g_strdup (user_id);
      g_free (code->display_name);
      code->display_name = g_strdup (display_name != NULL ? display_name : default_name);
      g_free (code->photo);
      code->photo = g_strdup (photo != NULL ? photo : default_photo);
    }
  else
    {
      if (display_name != NULL)
        {
          g_free (code->display_name);
          code->display_name = g_strdup (display_name);
        }
      if (photo != NULL)
        {
          g_free (code->photo);
          code->photo = g_strdup (photo);
        }
    }

  if (action == QRS_EMULATOR_ACTION_CONFIRM)
    {
      g_assert (code->ticket == NULL);
      do
        {
          g_free (code->ticket);
          code->ticket = _qrs_emulator_random_id (TICKET_LENGTH);
        }
      while (g_hash_table_contains (self->tickets, code->ticket));
      code->ticket_expire_ms = _qrs_emulator_now_ms (self) + (gint64) self->ticket_ttl * 1000;
      code->ticket_used = FALSE;
      g_hash_table_insert (self->tickets, code->ticket, code);
    }

  code_set_status (self, code, next);

  return TRUE;
}

gboolean
_qrs_emulator_parse_action (const char        *text,
                            QrsEmulatorAction *out)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QRS_TYPE_EMULATOR_ACTION);
  GEnumValue *value = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (value == NULL)
    return FALSE;

  *out = (QrsEmulatorAction) value->value;
  return TRUE;
}

/* Public API */

/**
 * qrs_emulator_add_user:
 * @self: a #QrsEmulator
 * @access_token: the token the user's phone sends in "authorization"
 * @user_id: the user's id
 * @display_name: shown in briefUserInfo
 * @photo: (nullable): the avatar URL, or %NULL for a generated one served
 *   by the emulator
 * @userpool_id: (nullable): the user's pool, or %NULL for the emulator's
 *
 * Adds (or replaces) a signed-in phone user that may call
 * change-qrcode-status. A user of another pool gets statusCode 403.
 */
void
qrs_emulator_add_user (QrsEmulator *self,
                       const char  *access_token,
                       const char  *user_id,
                       const char  *display_name,
                       const char  *photo,
                       const char  *userpool_id)
{
  QrsEmulatorUser *user;

  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (access_token != NULL && *access_token != '\0');
  g_return_if_fail (user_id != NULL && *user_id != '\0');
  g_return_if_fail (display_name != NULL);

  user = g_new0 (QrsEmulatorUser, 1);
  user->access_token = g_strdup (access_token);
  user->user_id = g_strdup (user_id);
  user->display_name = g_strdup (display_name);
  user->photo = g_strdup (photo);
  user->userpool_id = g_strdup (userpool_id != NULL ? userpool_id : self->userpool_id);

  g_hash_table_replace (self->users, user->access_token, user);
}

/**
 * qrs_emulator_phone:
 * @self: a #QrsEmulator
 * @qrcode_id: (nullable): the code, or %NULL for the newest one
 * @action: what the phone does
 * @display_name: (nullable): the name the desktop will show, or %NULL for
 *   the user's own (on SCAN); later actions may change it too
 * @photo: (nullable): the avatar URL, passed through as given, or %NULL
 *   for the user's own
 * @error: return location for a %QRS_EMULATOR_ERROR
 *
 * Acts as the signed-in phone, without a token: as the user who scanned
 * the code, or as the demo user for a code nobody has scanned yet. The
 * same state machine as change-qrcode-status applies.
 *
 * Returns: %TRUE if the code changed (or a repeated SCAN was accepted)
 */
gboolean
qrs_emulator_phone (QrsEmulator        *self,
                    const char         *qrcode_id,
                    QrsEmulatorAction   action,
                    const char         *display_name,
                    const char         *photo,
                    GError            **error)
{
  QrsEmulatorCode *code;
  QrsEmulatorUser *user = NULL;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), FALSE);
  g_return_val_if_fail (action <= QRS_EMULATOR_ACTION_CANCEL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  code = _qrs_emulator_lookup_code (self, qrcode_id);
  if (code == NULL)
    {
      if (qrcode_id == NULL)
        g_set_error_literal (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_NOT_FOUND,
                             "No QR code has been generated yet");
      else
        g_set_error (error, QRS_EMULATOR_ERROR, QRS_EMULATOR_ERROR_NOT_FOUND,
                     "There is no QR code “%s”", qrcode_id);
      return FALSE;
    }

  if (code->user_id == NULL)
    {
      user = g_hash_table_lookup (self->users, QRS_EMULATOR_DEMO_USER_TOKEN);
      g_assert (user != NULL);
    }

  return _qrs_emulator_code_apply (self, code, action, user, display_name, photo, error);
}

/**
 * qrs_emulator_advance_clock:
 * @self: a #QrsEmulator
 * @seconds: how far to move the emulator's clock forward
 *
 * Moves time on for codes and tickets, so tests never wait for a TTL.
 */
void
qrs_emulator_advance_clock (QrsEmulator *self,
                            double       seconds)
{
  g_return_if_fail (QRS_IS_EMULATOR (self));
  g_return_if_fail (seconds >= 0);

  self->clock_offset += (gint64) (seconds * G_USEC_PER_SEC);
}

/**
 * qrs_emulator_get_time:
 * @self: a #QrsEmulator
 *
 * Returns: the emulator's clock, in microseconds since the Unix epoch
 */
gint64
qrs_emulator_get_time (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), 0);

  return g_get_real_time () + self->clock_offset;
}

/**
 * qrs_emulator_dup_newest_code_id:
 * @self: a #QrsEmulator
 *
 * Returns: (transfer full) (nullable): the id of the code generated last
 */
char *
qrs_emulator_dup_newest_code_id (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  if (self->codes->len == 0)
    return NULL;

  return g_strdup (((QrsEmulatorCode *) g_ptr_array_index (self->codes, self->codes->len - 1))->id);
}

/**
 * qrs_emulator_dup_code_status:
 * @self: a #QrsEmulator
 * @qrcode_id: (nullable): a code id, or %NULL for the newest code
 *
 * Returns: (transfer full) (nullable): the status as on the wire, e.g.
 *   "PENDING", as of the emulator's clock; %NULL for an unknown code
 */
char *
qrs_emulator_dup_code_status (QrsEmulator *self,
                              const char  *qrcode_id)
{
  QrsEmulatorCode *code;

  g_return_val_if_fail (QRS_IS_EMULATOR (self), NULL);

  code = _qrs_emulator_lookup_code (self, qrcode_id);

  return code != NULL ? g_strdup (_qrs_emulator_code_status_name (code)) : NULL;
}

guint
qrs_emulator_get_n_codes (QrsEmulator *self)
{
  g_return_val_if_fail (QRS_IS_EMULATOR (self), 0);

  return self->codes->len;
}
