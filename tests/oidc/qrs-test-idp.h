/* qrs-test-idp.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real OpenID Provider (oidc-provider 9, idp.mjs beside this file) run
 * by node on a free loopback port for as long as the QrsTestIdp lives, and
 * a person in a browser who approves or denies a device code on it. All
 * calls block; none needs a main loop.
 */

/* The clients and the people idp.mjs knows; keep the two files alike. Every
 * client may use the device code and refresh token grants.
 */
#define QRS_TEST_IDP_PUBLIC_CLIENT_ID    "qrs-public"
#define QRS_TEST_IDP_BASIC_CLIENT_ID     "qrs-basic"
#define QRS_TEST_IDP_BASIC_CLIENT_SECRET "b4sic: s3cret+with%25/odd chars"
#define QRS_TEST_IDP_POST_CLIENT_ID      "qrs-post"
#define QRS_TEST_IDP_POST_CLIENT_SECRET  "p0st&secret=+% too"
#define QRS_TEST_IDP_SCOPE               "openid profile offline_access"

/* Alice has a name, a username and a picture (a PNG served by the IdP at
 * ISSUER/avatars/alice.png); Bob has only a name.
 */
#define QRS_TEST_IDP_ALICE              "alice"
#define QRS_TEST_IDP_ALICE_NAME         "Alice Example"
#define QRS_TEST_IDP_ALICE_USERNAME     "alice"
#define QRS_TEST_IDP_ALICE_PICTURE_PATH "/avatars/alice.png"
#define QRS_TEST_IDP_BOB                "bob"
#define QRS_TEST_IDP_BOB_NAME           "Bob Example"

/* For QrsTestIdpOptions.interval and qrs_test_idp_set_interval(): send no
 * "interval" at all, as oidc-provider does on its own.
 */
#define QRS_TEST_IDP_NO_INTERVAL (-1)

typedef struct
{
  /* Seconds in the device authorization response's "interval"; 0 for 5,
   * the RFC 8628 default, or QRS_TEST_IDP_NO_INTERVAL.
   */
  int interval;
  /* Seconds a device code lives ("expires_in"); 0 for 600. */
  guint device_ttl;
  /* Answer slow_down when a device code is polled sooner than its
   * interval after its previous poll (and add 5 s to that interval, as
   * RFC 8628 §3.5 says the client must). Off, only
   * qrs_test_idp_slow_down() makes slow_down.
   */
  gboolean enforce_interval;
} QrsTestIdpOptions;

#define QRS_TEST_IDP_ERROR (qrs_test_idp_error_quark ())

typedef enum {
  /* The IdP could not be reached, or answered with an HTTP error. */
  QRS_TEST_IDP_ERROR_HTTP,
  /* A page the person cannot go on from. */
  QRS_TEST_IDP_ERROR_PAGE,
  /* The device page refused the user code: unknown, expired or used. */
  QRS_TEST_IDP_ERROR_CODE_REFUSED,
} QrsTestIdpError;

GQuark qrs_test_idp_error_quark (void);

#define QRS_TYPE_TEST_IDP (qrs_test_idp_get_type ())
G_DECLARE_FINAL_TYPE (QrsTestIdp, qrs_test_idp, QRS, TEST_IDP, GObject)

QrsTestIdp *qrs_test_idp_new            (const QrsTestIdpOptions *options);
const char *qrs_test_idp_get_issuer     (QrsTestIdp              *self);
void        qrs_test_idp_stop           (QrsTestIdp              *self);

gboolean    qrs_test_idp_approve        (QrsTestIdp              *self,
                                         const char              *user_code,
                                         GError                 **error);
gboolean    qrs_test_idp_approve_as     (QrsTestIdp              *self,
                                         const char              *user_code,
                                         const char              *login,
                                         GError                 **error);
gboolean    qrs_test_idp_deny           (QrsTestIdp              *self,
                                         const char              *user_code,
                                         GError                 **error);
gboolean    qrs_test_idp_approve_uri    (QrsTestIdp              *self,
                                         const char              *uri,
                                         GError                 **error);
gboolean    qrs_test_idp_deny_uri       (QrsTestIdp              *self,
                                         const char              *uri,
                                         GError                 **error);

void        qrs_test_idp_slow_down      (QrsTestIdp              *self,
                                         guint                    count);
void        qrs_test_idp_set_interval   (QrsTestIdp              *self,
                                         int                      seconds);
void        qrs_test_idp_set_device_ttl (QrsTestIdp              *self,
                                         guint                    seconds);
guint       qrs_test_idp_get_polls      (QrsTestIdp              *self);
void        qrs_test_idp_reset          (QrsTestIdp              *self);

G_END_DECLS
