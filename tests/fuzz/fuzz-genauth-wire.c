/* fuzz-genauth-wire.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-log.h"
#include "qrs-genauth-wire.h"
#include "qrs-provider.h"

/* libFuzzer target for the GenAuth wire parsers: the input is an answer
 * body, fed to all three parsers as an HTTP 200, a 429 and a 500, and used
 * as a Retry-After header. Besides crashes and sanitizer reports, a GLib
 * warning or critical counts as a failure, and so does a result that breaks
 * the parsers' contract. The messages the parsers log about flaws they
 * tolerated are checked (one line of text) and dropped.
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static GDateTime *fuzz_now;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_log_init ();
  fuzz_now = g_date_time_new_utc (2026, 3, 1, 8, 30, 15.042);

  return 0;
}

static void
check_outcome (gpointer  result,
               GError   *error)
{
  gint64 retry_after;

  g_assert ((result == NULL) != (error == NULL));

  if (result != NULL)
    {
      g_assert (G_IS_OBJECT (result));
      g_object_unref (result);
      return;
    }

  g_assert (error->domain == QRS_PROVIDER_ERROR);
  g_assert (error->code == QRS_PROVIDER_ERROR_PROTOCOL ||
            error->code == QRS_PROVIDER_ERROR_SERVER ||
            error->code == QRS_PROVIDER_ERROR_HTTP ||
            error->code == QRS_PROVIDER_ERROR_RATE_LIMITED);
  g_assert (g_utf8_validate (error->message, -1, NULL));
  g_assert (qrs_provider_error_get_server_message (error) == NULL ||
            g_utf8_validate (qrs_provider_error_get_server_message (error), -1, NULL));
  g_assert (qrs_provider_error_get_request_id (error) == NULL ||
            g_utf8_validate (qrs_provider_error_get_request_id (error), -1, NULL));
  retry_after = qrs_provider_error_get_retry_after (error);
  g_assert (retry_after >= -1 && retry_after <= QRS_PROVIDER_RETRY_AFTER_MAX);
  g_error_free (error);
}

static void
check_token_set (QrsTokenSet *token_set)
{
  gint64 expires_in = qrs_token_set_get_expires_in (token_set);

  g_assert (qrs_token_set_get_access_token (token_set) != NULL ||
            qrs_token_set_get_id_token (token_set) != NULL);
  g_assert (expires_in == QRS_TOKEN_SET_EXPIRES_IN_UNKNOWN ||
            (expires_in >= 0 && expires_in <= QRS_TOKEN_SET_EXPIRES_IN_MAX));
  g_free (qrs_token_set_to_debug_string (token_set));
}

static void
check_report (QrsStatusReport *report)
{
  const char *text;

  if (report == NULL)
    return;

  /* Only what the parser promises: valid text, names of at most 256
   * characters and "…", web photo addresses.
   */
  text = qrs_status_report_get_display_name (report);
  g_assert (text == NULL || (g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) <= 257));
  text = qrs_status_report_get_photo_url (report);
  g_assert (text == NULL || g_str_has_prefix (text, "http"));
  if (qrs_status_report_get_status (report) == QRS_STATUS_AUTHORIZED)
    g_assert (qrs_status_report_get_ticket (report) != NULL ||
              qrs_status_report_get_token_set (report) != NULL);
  if (qrs_status_report_get_token_set (report) != NULL)
    check_token_set (qrs_status_report_get_token_set (report));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 429, 500 };
  g_autofree char *header = g_strndup ((const char *) data, MIN (size, 256));
  gint64 retry_after;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      QrsGenauthReply reply = {
        .http_status = statuses[i],
        .retry_after = statuses[i] == 429 ? header : NULL,
        .received_at = fuzz_now,
        .body = data,
        .body_length = size,
      };
      GError *error = NULL;
      QrsCode *code;
      QrsStatusReport *report;
      QrsTokenSet *token_set;

      code = qrs_genauth_wire_parse_code (&reply, "pool", fuzz_now, 120, &error);
      if (code != NULL)
        g_assert (qrs_code_get_qr_content (code) != NULL && g_utf8_validate (qrs_code_get_qr_content (code), -1, NULL));
      check_outcome (code, error);

      error = NULL;
      report = qrs_genauth_wire_parse_status (&reply, &error);
      check_report (report);
      check_outcome (report, error);

      error = NULL;
      token_set = qrs_genauth_wire_parse_token_set (&reply, &error);
      if (token_set != NULL)
        check_token_set (token_set);
      check_outcome (token_set, error);
    }

  retry_after = qrs_provider_parse_retry_after (header, fuzz_now);
  g_assert (retry_after >= -1 && retry_after <= QRS_PROVIDER_RETRY_AFTER_MAX);

  return 0;
}
