/* qrs-test-process.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The real programs as separate processes: qr-signin, qr-signin-emulator
 * and an X server of the test's own. The programs are found through
 * $QRS_APP_BINARY and $QRS_EMULATOR_BINARY, the app's schema through
 * $QRS_SCHEMA_DIR (set by the meson.build of the suites that use them).
 */

/* How long a process gets to start, answer or exit before the test fails. */
#define QRS_TEST_PROCESS_TIMEOUT_MS 20000

GSubprocessLauncher *qrs_test_launcher_new        (GSubprocessFlags   flags);
char                *qrs_test_make_tmp_dir        (const char        *name_template);
void                 qrs_test_remove_tree         (const char        *path);
char               **qrs_test_read_lines          (const char        *path);
char                *qrs_test_read_ready_line     (GInputStream      *stream,
                                                   const char        *who,
                                                   GError           **error);
void                 qrs_test_assert_token_line   (const char        *line,
                                                   const char        *display_name);

/* An Xvfb of the test's own: nothing another test does on its display
 * (focus, key presses, windows with the same title) reaches it.
 */
typedef struct _QrsTestDisplay QrsTestDisplay;

QrsTestDisplay      *qrs_test_display_new         (void);
const char          *qrs_test_display_get_name    (QrsTestDisplay    *self);
void                 qrs_test_display_free        (QrsTestDisplay    *self);

/* qr-signin-emulator and its /__emu/ hooks. */
typedef struct {
  GSubprocess *process;
  char *url;
  SoupSession *session;
} QrsTestServer;

typedef struct {
  guint n;
  char *newest_id;
  char *newest_status;
} QrsTestCodes;

QrsTestServer       *qrs_test_server_start        (const char * const *options,
                                                   const char         *log_path);
void                 qrs_test_server_stop         (QrsTestServer      *self);
char                *qrs_test_describe_exit       (GSubprocess        *process);
gboolean             qrs_test_server_post         (QrsTestServer      *self,
                                                   const char         *path,
                                                   JsonNode           *body,
                                                   GError            **error);
JsonNode            *qrs_test_server_get          (QrsTestServer      *self,
                                                   const char         *path,
                                                   GError            **error);
gboolean             qrs_test_server_clear_log    (QrsTestServer      *self,
                                                   GError            **error);
gboolean             qrs_test_server_phone        (QrsTestServer      *self,
                                                   const char         *qrcode_id,
                                                   const char         *action,
                                                   const char         *display_name,
                                                   GError            **error);
gboolean             qrs_test_server_fault        (QrsTestServer      *self,
                                                   const char         *endpoint,
                                                   const char         *mode,
                                                   guint               count,
                                                   guint               seconds,
                                                   GError            **error);
gboolean             qrs_test_server_advance_clock (QrsTestServer     *self,
                                                   double              seconds,
                                                   GError            **error);
gboolean             qrs_test_server_get_codes    (QrsTestServer      *self,
                                                   QrsTestCodes       *codes,
                                                   GError            **error);
void                 qrs_test_codes_clear         (QrsTestCodes       *codes);

/* qr-signin. */
typedef struct {
  const char *display;      /* DISPLAY, or NULL for the test's own */
  const char *settings;     /* key=value lines for its GSettings, or NULL */
  const char *stdout_path;  /* NULL: read into stdout_text */
  const char *stderr_path;  /* NULL: read into stderr_text */
  const char *time_scale;   /* QRS_DEBUG_TIME_SCALE, or NULL for real time */
  /* Last, over all of the above: "NAME=value" sets a variable, a bare
   * "NAME" removes it. NULL-terminated, or NULL for none.
   */
  const char * const *environment;
  gboolean stdout_closed;   /* starts with no standard output at all */
} QrsTestAppOptions;

typedef struct {
  GSubprocess *process;
  GPid pid;
  char *display;
  char *config_home;        /* its own XDG_CONFIG_HOME */
  char *stdout_text;
  char *stderr_text;
  gboolean done;            /* exited, and what it wrote was read */
} QrsTestApp;

QrsTestApp          *qrs_test_app_start           (const QrsTestAppOptions *options,
                                                   const char * const      *args);
gboolean             qrs_test_app_wait            (QrsTestApp        *self,
                                                   guint              timeout_ms);
int                  qrs_test_app_get_status      (QrsTestApp        *self);
gboolean             qrs_test_app_has_exited      (QrsTestApp        *self);
void                 qrs_test_app_wait_for_window (QrsTestApp        *self);
void                 qrs_test_app_press_key       (QrsTestApp        *self,
                                                   const char        *key);
void                 qrs_test_app_free            (QrsTestApp        *self);

/* What is on a display, and what is left of a process group. */
char                *qrs_test_screenshot          (const char        *display,
                                                   const char        *name);
GPtrArray           *qrs_test_read_screen_codes   (const char        *display);
char               **qrs_test_process_group_members (GPid             pgid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsTestDisplay, qrs_test_display_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QrsTestApp, qrs_test_app_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QrsTestCodes, qrs_test_codes_clear)

G_END_DECLS
