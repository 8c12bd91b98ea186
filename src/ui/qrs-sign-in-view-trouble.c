/* qrs-sign-in-view-trouble.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "qrs-sign-in-view-private.h"

/* Trouble, as QrsSignInView shows it: the notice over the code while the
 * connection is down or the server is failing, the "Trying again in"
 * countdown (kept on the model's clock, to the second), and the error page
 * with the server's own words and the request ID to quote.
 */

static void
retry_tick_cb (gpointer user_data)
{
  QrsSignInView *self = user_data;

  g_assert (QRS_IS_SIGN_IN_VIEW (self));

  self->retry_tick_id = 0;
  _qrs_sign_in_view_update_retry (self);
}

/* The server's words, or ours when it said none. */
static const char *
problem_words (QrsSignInView *self)
{
  const char *server_message = qrs_sign_in_get_server_message (self->sign_in);

  return server_message != NULL ? server_message : qrs_sign_in_get_error_message (self->sign_in);
}

/* "Trying again in 0:42", kept to the second, or "Trying again…". */
static char *
format_retry (QrsSignInView *self,
              gint64        *wake)
{
  gint64 retry_at = qrs_sign_in_get_retry_at (self->sign_in);
  gint64 left = retry_at > 0 ? (retry_at - qrs_clock_get_time (self->clock)) / 1000 : 0;
  g_autofree char *clock = NULL;

  if (left <= 0)
    return g_strdup (_("Trying again…"));

  *wake = _qrs_sign_in_view_until_next_second (left);
  clock = _qrs_sign_in_view_format_clock (left);
  /* Translators: e.g. "Trying again in 0:42". */
  return g_strdup_printf (_("Trying again in %s"), clock);
}

/* The notice over the code while it cannot work, telling the two kinds of
 * trouble apart, and the kiosk's "Trying again in" on the error page.
 */
void
_qrs_sign_in_view_update_retry (QrsSignInView *self)
{
  QrsSignInStatus status = qrs_sign_in_get_status (self->sign_in);
  QrsConnection connection = qrs_sign_in_get_connection (self->sign_in);
  gboolean on_code = status == QRS_SIGN_IN_STATUS_LOADING ||
                     status == QRS_SIGN_IN_STATUS_PENDING ||
                     status == QRS_SIGN_IN_STATUS_SCANNED ||
                     status == QRS_SIGN_IN_STATUS_AUTHORIZED;
  gboolean troubled = on_code && connection != QRS_CONNECTION_ONLINE;
  g_autofree char *retry = NULL;
  g_autofree char *text = NULL;
  gint64 wake = -1;

  _qrs_sign_in_view_cancel_tick (self, &self->retry_tick_id);

  if (connection == QRS_CONNECTION_OFFLINE)
    {
      text = g_strdup (_("This computer is offline. The code will be checked again when it is back online."));
    }
  else if (connection == QRS_CONNECTION_RECONNECTING)
    {
      retry = format_retry (self, &wake);
      if (qrs_sign_in_get_trouble (self->sign_in) == QRS_TROUBLE_SERVER)
        /* Translators: %s is the sign-in server's own message, then e.g. "Trying again in 0:12". */
        text = g_strdup_printf (_("The sign-in server reported a problem: “%s”. %s"),
                                problem_words (self), retry);
      else
        /* Translators: %s is e.g. "Trying again in 0:12". */
        text = g_strdup_printf (_("Can’t reach the sign-in server. %s"), retry);
    }

  if (text != NULL)
    _qrs_sign_in_view_set_label (self->connection_label, text);
  gtk_stack_set_visible_child_name (self->banner_stack, troubled ? "banner" : "heading");

  /* A code that cannot work is dimmed, not hidden. Before the first code
   * there is nothing to dim, and that code then comes at full strength at
   * once, rather than fading in while a camera waits for it.
   */
  if (troubled || (status == QRS_SIGN_IN_STATUS_LOADING && qrs_qr_view_get_matrix (self->qr_view) != NULL))
    gtk_widget_add_css_class (GTK_WIDGET (self->qr_view), "dimmed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->qr_view), "dimmed");

  /* A kiosk starts over by itself after an error: say when. */
  if (status == QRS_SIGN_IN_STATUS_ERROR && qrs_sign_in_get_retry_at (self->sign_in) > 0)
    {
      g_clear_pointer (&retry, g_free);
      retry = format_retry (self, &wake);
      _qrs_sign_in_view_set_label (self->retry_label, retry);
      gtk_widget_set_visible (GTK_WIDGET (self->retry_label), TRUE);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->retry_label), FALSE);
    }

  if (wake > 0 && (troubled || status == QRS_SIGN_IN_STATUS_ERROR))
    self->retry_tick_id = qrs_clock_schedule (self->clock, wake, retry_tick_cb, self, NULL);
}

void
_qrs_sign_in_view_update_error (QrsSignInView *self)
{
  const char *message = qrs_sign_in_get_error_message (self->sign_in);
  const char *server_message = qrs_sign_in_get_server_message (self->sign_in);
  const char *request_id = qrs_sign_in_get_request_id (self->sign_in);
  g_autofree char *server_text = NULL;
  g_autofree char *request_text = NULL;
  const char *title;

  switch (qrs_sign_in_get_trouble (self->sign_in))
    {
    case QRS_TROUBLE_UNREACHABLE:
      title = _("Can’t Reach the Sign-In Server");
      break;

    case QRS_TROUBLE_SERVER:
      title = _("The Server Reported a Problem");
      break;

    case QRS_TROUBLE_NONE:
    case QRS_TROUBLE_LOCAL:
    default:
      title = _("Cannot Sign In");
      break;
    }

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, message);

  /* The plain-words message often quotes the server already. */
  if (server_message != NULL && (message == NULL || strstr (message, server_message) == NULL))
    /* Translators: %s is the sign-in server's own words. */
    server_text = g_strdup_printf (_("The server said: “%s”"), server_message);
  _qrs_sign_in_view_set_label (self->server_message_label, server_text);
  gtk_widget_set_visible (GTK_WIDGET (self->server_message_label), server_text != NULL);

  if (request_id != NULL)
    /* Translators: %s identifies the failed request for the server's administrators. */
    request_text = g_strdup_printf (_("Request ID: %s"), request_id);
  _qrs_sign_in_view_set_label (self->request_id_label, request_text);
  gtk_widget_set_visible (self->request_id_box, request_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.copy-request-id", request_id != NULL);

  _qrs_sign_in_view_update_retry (self);
}
