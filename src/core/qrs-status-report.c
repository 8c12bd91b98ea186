/* qrs-status-report.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "qrs-core-enums.h"
#include "qrs-secret-private.h"
#include "qrs-status-report.h"

/* One answer to "where does this code stand?". The ticket is a secret: it
 * is not a property, it is wiped on free, and the printer only gives its
 * length.
 */
struct _QrsStatusReport
{
  GObject parent_instance;

  QrsStatus status;
  char *ticket;
  char *display_name;
  char *photo_url;
  QrsTokenSet *token_set;
  guint poll_interval;
};

enum {
  PROP_0,
  PROP_STATUS,
  PROP_HAS_TICKET,
  PROP_DISPLAY_NAME,
  PROP_PHOTO_URL,
  PROP_TOKEN_SET,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (QrsStatusReport, qrs_status_report, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/**
 * qrs_status_is_final:
 *
 * Returns: whether no further status can follow @status for the same code
 */
gboolean
qrs_status_is_final (QrsStatus status)
{
  switch (status)
    {
    case QRS_STATUS_PENDING:
    case QRS_STATUS_SCANNED:
      return FALSE;

    case QRS_STATUS_AUTHORIZED:
    case QRS_STATUS_CANCELLED:
    case QRS_STATUS_EXPIRED:
    case QRS_STATUS_ERROR:
      return TRUE;

    default:
      g_return_val_if_reached (TRUE);
    }
}

/**
 * qrs_status_to_string:
 *
 * Returns: the wire name of @status, such as "PENDING", for log lines
 */
const char *
qrs_status_to_string (QrsStatus status)
{
  switch (status)
    {
    case QRS_STATUS_PENDING:
      return "PENDING";
    case QRS_STATUS_SCANNED:
      return "SCANNED";
    case QRS_STATUS_AUTHORIZED:
      return "AUTHORIZED";
    case QRS_STATUS_CANCELLED:
      return "CANCELLED";
    case QRS_STATUS_EXPIRED:
      return "EXPIRED";
    case QRS_STATUS_ERROR:
      return "ERROR";
    default:
      g_return_val_if_reached ("INVALID");
    }
}

static void
qrs_status_report_finalize (GObject *object)
{
  QrsStatusReport *self = (QrsStatusReport *) object;

  g_clear_pointer (&self->ticket, qrs_secret_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->photo_url, g_free);
  g_clear_object (&self->token_set);

  G_OBJECT_CLASS (qrs_status_report_parent_class)->finalize (object);
}

static void
qrs_status_report_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  QrsStatusReport *self = QRS_STATUS_REPORT (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_HAS_TICKET:
      g_value_set_boolean (value, self->ticket != NULL);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_PHOTO_URL:
      g_value_set_string (value, self->photo_url);
      break;

    case PROP_TOKEN_SET:
      g_value_set_object (value, self->token_set);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_status_report_class_init (QrsStatusReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = qrs_status_report_finalize;
  object_class->get_property = qrs_status_report_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       QRS_TYPE_STATUS, QRS_STATUS_PENDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_HAS_TICKET] =
    g_param_spec_boolean ("has-ticket", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_PHOTO_URL] =
    g_param_spec_string ("photo-url", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_TOKEN_SET] =
    g_param_spec_object ("token-set", NULL, NULL,
                         QRS_TYPE_TOKEN_SET,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
qrs_status_report_init (QrsStatusReport *self)
{
}

/**
 * qrs_status_report_new:
 * @status: where the code stands
 * @ticket: (nullable): the single-use ticket to exchange for tokens
 * @display_name: (nullable): the name of the person who scanned
 * @photo_url: (nullable): an http(s) address of their picture
 * @token_set: (nullable): tokens, when the server sends them right away
 *
 * Returns: (transfer full): a new report
 */
QrsStatusReport *
qrs_status_report_new (QrsStatus    status,
                       const char  *ticket,
                       const char  *display_name,
                       const char  *photo_url,
                       QrsTokenSet *token_set)
{
  QrsStatusReport *self;

  g_return_val_if_fail (status >= QRS_STATUS_PENDING && status <= QRS_STATUS_ERROR, NULL);
  g_return_val_if_fail (token_set == NULL || QRS_IS_TOKEN_SET (token_set), NULL);

  self = g_object_new (QRS_TYPE_STATUS_REPORT, NULL);
  self->status = status;
  self->ticket = g_strdup (ticket);
  self->display_name = g_strdup (display_name);
  self->photo_url = g_strdup (photo_url);
  g_set_object (&self->token_set, token_set);

  return self;
}

QrsStatus
qrs_status_report_get_status (QrsStatusReport *self)
{
  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), QRS_STATUS_ERROR);

  return self->status;
}

/**
 * qrs_status_report_get_ticket:
 *
 * The ticket is a secret: never log it.
 *
 * Returns: (nullable): the ticket to exchange, if the server sent one
 */
const char *
qrs_status_report_get_ticket (QrsStatusReport *self)
{
  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), NULL);

  return self->ticket;
}

gboolean
qrs_status_report_has_ticket (QrsStatusReport *self)
{
  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), FALSE);

  return self->ticket != NULL;
}

const char *
qrs_status_report_get_display_name (QrsStatusReport *self)
{
  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), NULL);

  return self->display_name;
}

const char *
qrs_status_report_get_photo_url (QrsStatusReport *self)
{
  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), NULL);

  return self->photo_url;
}

/**
 * qrs_status_report_get_token_set:
 *
 * Returns: (transfer none) (nullable): the tokens, if the server sent them
 *   with the status instead of a ticket
 */
QrsTokenSet *
qrs_status_report_get_token_set (QrsStatusReport *self)
{
  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), NULL);

  return self->token_set;
}

/**
 * qrs_status_report_get_poll_interval:
 *
 * Returns: the fewest seconds the server wants between two status
 *   requests from now on, or 0 if it has no such rule
 */
guint
qrs_status_report_get_poll_interval (QrsStatusReport *self)
{
  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), 0);

  return self->poll_interval;
}

/**
 * qrs_status_report_set_poll_interval:
 * @seconds: the fewest seconds between two status requests (the device
 *   flow's interval, raised by slow_down), or 0 for no rule
 *
 * For providers, before handing the report over.
 */
void
qrs_status_report_set_poll_interval (QrsStatusReport *self,
                                     guint            seconds)
{
  g_return_if_fail (QRS_IS_STATUS_REPORT (self));

  self->poll_interval = seconds;
}

/**
 * qrs_status_report_to_debug_string:
 *
 * Describes the report for a log line. The ticket shows as its length only,
 * the tokens as qrs_token_set_to_debug_string() shows them.
 *
 * Returns: (transfer full): e.g. `status=AUTHORIZED ticket=(32 chars)
 *   display_name="Alice" photo_url=(none) token_set=(none)`; text from
 *   the server is quoted and escaped
 */
char *
qrs_status_report_to_debug_string (QrsStatusReport *self)
{
  g_autofree char *display_name = NULL;
  g_autofree char *photo_url = NULL;
  GString *string;

  g_return_val_if_fail (QRS_IS_STATUS_REPORT (self), NULL);

  display_name = qrs_loggable_text (self->display_name);
  photo_url = qrs_loggable_text (self->photo_url);

  string = g_string_new (NULL);
  g_string_append_printf (string, "status=%s", qrs_status_to_string (self->status));

  if (self->ticket != NULL)
    g_string_append_printf (string, " ticket=(%ld chars)", g_utf8_strlen (self->ticket, -1));
  else
    g_string_append (string, " ticket=(none)");

  g_string_append_printf (string, " display_name=%s photo_url=%s", display_name, photo_url);

  if (self->token_set != NULL)
    {
      g_autofree char *tokens = qrs_token_set_to_debug_string (self->token_set);

      g_string_append_printf (string, " token_set={%s}", tokens);
    }
  else
    {
      g_string_append (string, " token_set=(none)");
    }

  return g_string_free (string, FALSE);
}

/**
 * qrs_status_report_log:
 *
 * Writes @self as a debug line, secrets masked, when debug lines are
 * written at all: a status poll then costs nothing to log otherwise.
 */
void
qrs_status_report_log (QrsStatusReport *self)
{
  g_autofree char *description = NULL;

  g_return_if_fail (QRS_IS_STATUS_REPORT (self));

  if (!QRS_DEBUG_ENABLED ())
    return;

  description = qrs_status_report_to_debug_string (self);
  g_debug ("Status: %s", description);
}
