/* qrs-json-reader.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "qrs-token-set.h"

G_BEGIN_DECLS

/* The longest token (or ticket) we accept, in bytes. */
#define QRS_JSON_MAX_TOKEN_LENGTH (64 * 1024)

/* A server's answer, checked by qrs_json_check() and parsed. Its strings
 * may hold tokens and tickets: clearing it wipes them.
 */
typedef struct
{
  JsonParser *parser;
  JsonObject *root;
} QrsJsonDocument;

#define QRS_JSON_DOCUMENT_INIT { NULL, NULL }

gboolean    qrs_json_document_load  (QrsJsonDocument  *document,
                                     const guint8     *body,
                                     gsize             length,
                                     GError          **error);
void        qrs_json_document_clear (QrsJsonDocument  *document);
void        qrs_json_wipe_strings   (JsonNode         *node);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QrsJsonDocument, qrs_json_document_clear)

void        qrs_json_set_error      (GError          **error,
                                     const char       *format,
                                     ...) G_GNUC_PRINTF (2, 3);

/* Members are named in errors and on the log by their path in the answer,
 * "@parent.@name", or "@name" when @parent is NULL; never by their value.
 */
char       *qrs_json_path           (const char       *parent,
                                     const char       *name);
JsonNode   *qrs_json_lookup         (JsonObject       *object,
                                     const char       *name);

/* Strict readers, for what the answer is useless without: anything but
 * the expected type is a QRS_PROVIDER_ERROR_PROTOCOL naming the member.
 */
gboolean    qrs_json_read_string    (JsonObject       *object,
                                     const char       *parent,
                                     const char       *name,
                                     gboolean          required,
                                     gsize             max_length,
                                     const char      **value,
                                     GError          **error);
gboolean    qrs_json_read_integer   (JsonObject       *object,
                                     const char       *parent,
                                     const char       *name,
                                     gint64            min,
                                     gint64            max,
                                     gint64           *value,
                                     GError          **error);
gboolean    qrs_json_read_object    (JsonObject       *object,
                                     const char       *parent,
                                     const char       *name,
                                     gboolean          required,
                                     JsonObject      **value,
                                     GError          **error);

/* Lenient readers, for what the answer is still usable without: absent,
 * null or empty reads as absent, and a value of the wrong type or past its
 * limit is left out (or bounded) with a message on the log naming the
 * member, never failing the answer.
 */
const char *qrs_json_try_string     (JsonObject       *object,
                                     const char       *parent,
                                     const char       *name,
                                     gsize             max_length);
char       *qrs_json_try_text       (JsonObject       *object,
                                     const char       *parent,
                                     const char       *name,
                                     glong             max_chars);
JsonObject *qrs_json_try_object     (JsonObject       *object,
                                     const char       *parent,
                                     const char       *name);
gboolean    qrs_json_try_seconds    (JsonObject       *object,
                                     const char       *parent,
                                     const char       *name,
                                     gint64            max,
                                     gint64           *value);

/* A token set as OAuth 2.0 (RFC 6749 §5.1) and GenAuth write it: what
 * every protocol's parser reads tokens with.
 */
QrsTokenSet *qrs_json_read_token_set (JsonObject      *object,
                                      const char      *parent,
                                      GError         **error);

/* Server text for messages and the screen. */
char       *qrs_json_sanitize_text  (const char       *text,
                                     glong             max_chars);
char       *qrs_json_shorten_text   (const char       *text,
                                     glong             max_chars);
char       *qrs_json_web_address    (const char       *text,
                                     const char       *what);

G_END_DECLS
