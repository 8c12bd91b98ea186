/* kiosk-session.h
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* qr-signin --kiosk under cage, as a kiosk runs it, in a world of its own:
 * its own user (nobody, when the tests run as root: cage refuses root), its
 * own XDG_RUNTIME_DIR, HOME and session bus, which is also its accessibility
 * bus. Safe to run beside other suites.
 */
typedef struct _KioskSession KioskSession;

const char   *kiosk_missing_tool           (guint              width,
                                            guint              height);

KioskSession *kiosk_session_new            (guint              width,
                                            guint              height,
                                            GError           **error);
const char   *kiosk_session_get_dir        (KioskSession      *self);
gboolean      kiosk_session_start          (KioskSession      *self,
                                            const char * const *app_args,
                                            GError           **error);
GPid          kiosk_session_get_app_pid    (KioskSession      *self);
const char   *kiosk_session_get_bus_address (KioskSession     *self);
GdkPixbuf    *kiosk_session_screenshot     (KioskSession      *self,
                                            GError           **error);
gboolean      kiosk_session_wait_for_cage  (KioskSession      *self,
                                            guint              seconds,
                                            int               *exit_status);
char         *kiosk_session_dup_log        (KioskSession      *self);
GPtrArray    *kiosk_session_list_processes (KioskSession      *self);
void          kiosk_session_free           (KioskSession      *self);

guint64       kiosk_process_rss_kb         (GPid               pid);
GArray       *kiosk_process_children       (GPid               pid);
char         *kiosk_process_describe       (GPid               pid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSession, kiosk_session_free)

G_END_DECLS
