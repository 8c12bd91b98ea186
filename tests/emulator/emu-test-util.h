/* emu-test-util.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "qrs-emulator.h"

G_BEGIN_DECLS

/* An emulator on a free loopback port and a plain SoupSession talking to
 * it, both in the test's main context. For the binary's tests, emulator is
 * NULL and base points at the child process.
 */
typedef struct
{
  QrsEmulator *emulator;
  SoupSession *session;
  char *base;
  const char *app_id;
} EmuFixture;

typedef struct
{
  guint status;                  /* HTTP status, 0 on a transport error */
  SoupMessageHeaders *headers;   /* response headers */
  GBytes *body;                  /* NULL on a transport error */
  JsonNode *root;                /* the body parsed, if it is JSON */
  GError *error;                 /* transport error */
  gint64 elapsed_ms;
} EmuResponse;

void         emu_fixture_setup          (EmuFixture    *fx,
                                         gconstpointer  data);
void         emu_fixture_teardown       (EmuFixture    *fx,
                                         gconstpointer  data);

EmuResponse *emu_request                (EmuFixture        *fx,
                                         const char        *method,
                                         const char        *path,
                                         const char        *body,
                                         SoupMessageFlags   flags,
                                         ...) G_GNUC_NULL_TERMINATED;
EmuResponse *emu_api                    (EmuFixture        *fx,
                                         const char        *method,
                                         const char        *path,
                                         const char        *body);
void         emu_response_free          (EmuResponse       *response);

char        *emu_gene_qrcode            (EmuFixture        *fx);
EmuResponse *emu_check                  (EmuFixture        *fx,
                                         const char        *qrcode_id);
EmuResponse *emu_change                 (EmuFixture        *fx,
                                         const char        *path,
                                         const char        *authorization,
                                         const char        *qrcode_id,
                                         const char        *action);
EmuResponse *emu_exchange               (EmuFixture        *fx,
                                         const char        *ticket);
char        *emu_authorize              (EmuFixture        *fx);
char        *emu_get_status             (EmuFixture        *fx,
                                         const char        *qrcode_id);

const char  *emu_json_string            (JsonNode          *root,
                                         const char        *path);
gint64       emu_json_int               (JsonNode          *root,
                                         const char        *path);
gboolean     emu_json_bool              (JsonNode          *root,
                                         const char        *path);
gboolean     emu_json_has               (JsonNode          *root,
                                         const char        *path);
guint        emu_json_size              (JsonNode          *root,
                                         const char        *path);
JsonNode    *emu_json_get               (JsonNode          *root,
                                         const char        *path);

void         emu_assert_envelope        (EmuResponse       *response,
                                         gint64             status_code,
                                         gint64             api_code,
                                         const char        *message);
void         emu_assert_jwt             (const char        *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmuResponse, emu_response_free)

G_END_DECLS
