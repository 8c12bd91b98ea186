/* test-kiosk.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Kiosk mode as a deployer runs it: the real `qr-signin --kiosk` under cage
 * against the real qr-signin-emulator, judged only from outside, as a person
 * or a screen reader would: screenshots (grim), the accessible tree (AT-SPI),
 * /proc. It needs cage, grim, Xwayland, dbus-daemon, at-spi2-core and Xvfb;
 * without them it skips, unless QRS_TEST_KIOSK_REQUIRED=1 (CI) makes that a
 * failure.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk-atspi.h"
#include "kiosk-qr-geometry.h"
#include "kiosk-session.h"
#include "qrs-test-process.h"
#include "qrs-test-zbar.h"

/* A code with its quiet zone fills at least this much of the screen's
 * short side.
 */
#define MIN_SHARE_OF_SHORT_SIDE 0.55
/* Resident memory may grow by this much from the first refreshes to the
 * last ones.
 */
#define RSS_GROWTH_LIMIT_KB     2048
#define REFRESHES               30
#define WARM_UP_REFRESHES       5
#define RSS_WINDOW              8
#define SCREEN_WAIT_SECONDS     30

typedef struct
{
  guint width;
  guint height;
} Size;

typedef struct
{
  QrsTestServer *server;
  KioskSession *kiosk;
} Fixture;

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->kiosk, kiosk_session_free);
  g_clear_pointer (&fixture->server, qrs_test_server_stop);
}

/* Whether this machine can run a kiosk; if not, the test skips, or fails
 * where the kiosk tests are required.
 */
static gboolean
kiosk_possible (guint width,
                guint height)
{
  const char *missing = kiosk_missing_tool (width, height);

  if (missing == NULL)
    return TRUE;

  if (g_strcmp0 (g_getenv ("QRS_TEST_KIOSK_REQUIRED"), "1") == 0)
    g_test_fail_printf ("%s is missing, and QRS_TEST_KIOSK_REQUIRED=1", missing);
  else
    g_test_skip_printf ("%s is missing", missing);

  return FALSE;
}

static void
start_emulator (Fixture    *fixture,
                const char *option)
{
  const char *options[] = { option, NULL };

  fixture->server = qrs_test_server_start (options, NULL);
}

static void
start_kiosk (Fixture            *fixture,
             guint               width,
             guint               height,
             const char * const *extra_args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = g_strconcat ("--server=", fixture->server->url, NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, server);
  g_ptr_array_add (args, (gpointer) "--app-id=qrs-demo-app");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra_args[i]);
  g_ptr_array_add (args, NULL);

  if (fixture->kiosk == NULL)
    fixture->kiosk = kiosk_session_new (width, height, &error);
  g_assert_no_error (error);
  kiosk_session_start (fixture->kiosk, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
}

/* Every code the emulator has handed out, oldest first. */
static JsonArray *
emulator_codes (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = qrs_test_server_get (fixture->server, "/__emu/codes", &error);

  g_assert_no_error (error);

  return json_array_ref (json_object_get_array_member (json_node_get_object (root), "codes"));
}

static const char *
code_id (JsonArray *codes,
         guint      index)
{
  return json_object_get_string_member (json_array_get_object_element (codes, index), "qrcodeId");
}

static QrsTestCodes
newest_code (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  QrsTestCodes codes = { 0, };

  qrs_test_server_get_codes (fixture->server, &codes, &error);
  g_assert_no_error (error);

  return codes;
}

/* The qrcodeId in the payload of the QR code on @shot, or %NULL. */
static char *
decode_screen (GdkPixbuf *shot)
{
  gsize stride;
  g_autofree guint8 *gray = kiosk_gray_from_pixbuf (shot, &stride);
  g_autoptr(GPtrArray) payloads = qrs_test_zbar_decode_gray (gray, gdk_pixbuf_get_width (shot),
                                                             gdk_pixbuf_get_height (shot), stride);

  for (guint i = 0; i < payloads->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (!json_parser_load_from_data (parser, g_ptr_array_index (payloads, i), -1, NULL))
        continue;
      root = json_parser_get_root (parser);
      if (JSON_NODE_HOLDS_OBJECT (root) &&
          json_object_has_member (json_node_get_object (root), "qrcodeId"))
        return g_strdup (json_object_get_string_member (json_node_get_object (root), "qrcodeId"));
    }

  return NULL;
}

/* Waits until the screen shows the emulator's newest code, other than
 * @not_this, and returns that screenshot.
 */
static void
save_screenshot (GdkPixbuf  *shot,
                 const char *name)
{
  const char *dir = g_getenv ("QRS_KIOSK_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  gdk_pixbuf_save (shot, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("Screenshot: %s", path);
}

static GdkPixbuf *
wait_for_current_code (Fixture     *fixture,
                       const char  *not_this,
                       char       **shown)
{
  gint64 deadline = g_get_monotonic_time () + SCREEN_WAIT_SECONDS * G_USEC_PER_SEC;
  g_autoptr(GdkPixbuf) last_shot = NULL;
  g_autofree char *last_seen = NULL;
  g_autofree char *newest = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GdkPixbuf) shot = NULL;
      g_auto(QrsTestCodes) codes = { 0, };
      g_autoptr(GError) error = NULL;

      shot = kiosk_session_screenshot (fixture->kiosk, &error);
      g_assert_no_error (error);
      g_clear_pointer (&last_seen, g_free);
      last_seen = decode_screen (shot);

      codes = newest_code (fixture);
      if (codes.newest_id != NULL)
        {
          g_free (newest);
          newest = g_strdup (codes.newest_id);
        }

      if (last_seen != NULL && g_strcmp0 (last_seen, newest) == 0 && g_strcmp0 (last_seen, not_this) != 0)
        {
          if (shown != NULL)
            *shown = g_steal_pointer (&last_seen);
          return g_steal_pointer (&shot);
        }
      g_clear_object (&last_shot);
      last_shot = g_steal_pointer (&shot);
      g_usleep (200 * 1000);
    }

  {
    g_autofree char *log = kiosk_session_dup_log (fixture->kiosk);

    g_test_message ("The kiosk's log:\n%s", log);
    if (last_shot != NULL)
      save_screenshot (last_shot, "kiosk-no-current-code.png");
  }
  g_error ("The screen never showed the current code %s (it showed %s)", newest, last_seen);
}

static gboolean
measure (GdkPixbuf       *shot,
         KioskQrGeometry *geometry)
{
  gsize stride;
  g_autofree guint8 *gray = kiosk_gray_from_pixbuf (shot, &stride);

  return kiosk_qr_measure (gray, gdk_pixbuf_get_width (shot), gdk_pixbuf_get_height (shot), stride, geometry);
}

/* (a) The code on the screen is the current one, drawn crisp, and big: with
 * its quiet zone, at least 55 % of the screen's short side.
 */
static void
test_screen (Fixture       *fixture,
             gconstpointer  user_data)
{
  const Size *size = user_data;
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *name = NULL;
  KioskQrGeometry geometry = { 0, };
  KioskQrGeometry before = { 0, };
  gboolean settled = FALSE, was_measured = FALSE;
  guint short_side = MIN (size->width, size->height);
  double with_quiet_zone, share;

  if (!kiosk_possible (size->width, size->height))
    return;

  start_emulator (fixture, NULL);
  start_kiosk (fixture, size->width, size->height, NULL);

  /* Until two screenshots in a row measure the same: the layout has
   * settled (a frame drawn mid-resize may decode but not measure).
   */
  for (guint i = 0; i < 20 && !settled; i++)
    {
      gboolean measured;

      g_clear_object (&shot);
      g_clear_pointer (&shown, g_free);
      kiosk_qr_geometry_clear (&geometry);
      shot = wait_for_current_code (fixture, NULL, &shown);
      measured = measure (shot, &geometry);
      settled = measured && was_measured &&
                geometry.left == before.left && geometry.top == before.top && geometry.width == before.width;
      was_measured = measured;
      before = geometry;
      before.not_crisp_because = NULL;  /* still geometry's */
      if (!settled)
        g_usleep (300 * 1000);
    }
  if (!settled)
    save_screenshot (shot, "kiosk-unmeasured.png");
  g_assert_true (settled);

  name = g_strdup_printf ("kiosk-%ux%u.png", size->width, size->height);
  save_screenshot (shot, name);

  with_quiet_zone = geometry.width + 8 * geometry.module_px;
  share = with_quiet_zone / short_side;
  g_test_message ("%u×%u: the code is at %u,%u, %u×%u px, %u modules of %.2f px (%s); "
                  "with its quiet zone %.0f px, %.1f %% of the short side (at least %.0f %% wanted); "
                  "quiet zone %s",
                  size->width, size->height, geometry.left, geometry.top, geometry.width, geometry.height,
                  geometry.modules, geometry.module_px,
                  geometry.crisp ? "crisp: whole pixels per module" : geometry.not_crisp_because,
                  with_quiet_zone, 100 * share, 100 * MIN_SHARE_OF_SHORT_SIDE,
                  geometry.quiet_zone ? "clear" : "NOT clear");

  g_assert_cmpint (gdk_pixbuf_get_width (shot), ==, size->width);
  g_assert_cmpint (gdk_pixbuf_get_height (shot), ==, size->height);
  g_assert_true (geometry.quiet_zone);
  g_assert_cmpfloat (share, >=, MIN_SHARE_OF_SHORT_SIDE);
  g_assert_cmpstr (geometry.not_crisp_because, ==, NULL);
  g_assert_true (geometry.crisp);

  kiosk_qr_geometry_clear (&geometry);
}

static gboolean
is_button (const KioskA11yNode *node)
{
  return node->role == KIOSK_ROLE_PUSH_BUTTON ||
         node->role == KIOSK_ROLE_TOGGLE_BUTTON ||
         node->role == KIOSK_ROLE_PUSH_BUTTON_MENU;
}

/* GTK 4.8 names a GtkMenuButton without a label after its type, and gives
 * it its tooltip ("Main Menu") as description.
 */
static gboolean
is_menu_button (const KioskA11yNode *node)
{
  return node->role == KIOSK_ROLE_PUSH_BUTTON_MENU ||
         (is_button (node) &&
          (g_str_equal (node->name, "GtkMenuButton") ||
           strstr (node->name, "Menu") != NULL ||
           strstr (node->description, "Menu") != NULL));
}

static gboolean
is_window_control (const KioskA11yNode *node)
{
  const char *controls[] = { "Close", "Minimize", "Maximize", "Restore" };

  if (!is_button (node))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    if (g_str_equal (node->name, controls[i]))
      return TRUE;

  return FALSE;
}

static gboolean
is_qr_image (const KioskA11yNode *node)
{
  return node->role == KIOSK_ROLE_IMAGE && strstr (node->name, "QR") != NULL;
}

/* (b) No window chrome: nothing in the accessible tree closes the window or
 * opens a menu. The QR code's own accessible must be there, so that an
 * empty or half-built tree cannot pass.
 */
static void
test_chrome (Fixture       *fixture,
             gconstpointer  user_data)
{
  gint64 deadline;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autoptr(GString) buttons = g_string_new (NULL);
  gboolean has_qr = FALSE;
  guint n_controls = 0, n_menus = 0, n_title_bars = 0;

  if (!kiosk_possible (1280, 720))
    return;

  start_emulator (fixture, NULL);
  start_kiosk (fixture, 1280, 720, NULL);
  shot = wait_for_current_code (fixture, NULL, NULL);

  /* The app registers with the AT-SPI registry shortly after it shows. */
  deadline = g_get_monotonic_time () + SCREEN_WAIT_SECONDS * G_USEC_PER_SEC;
  while (!has_qr && g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&nodes, g_ptr_array_unref);
      g_clear_error (&error);
      nodes = kiosk_atspi_dump (kiosk_session_get_bus_address (fixture->kiosk),
                                kiosk_session_get_app_pid (fixture->kiosk), &error);
      for (guint i = 0; nodes != NULL && i < nodes->len; i++)
        has_qr |= is_qr_image (g_ptr_array_index (nodes, i));
      if (!has_qr)
        g_usleep (200 * 1000);
    }
  g_assert_no_error (error);
  g_assert_nonnull (nodes);
  g_assert_true (has_qr);

  for (guint i = 0; i < nodes->len; i++)
    {
      const KioskA11yNode *node = g_ptr_array_index (nodes, i);

      if (is_button (node))
        g_string_append_printf (buttons, "%s“%s” (role %u%s%s)", buttons->len > 0 ? ", " : "",
                                node->name, node->role, *node->description != '\0' ? ", " : "",
                                node->description);
      n_controls += is_window_control (node);
      n_menus += is_menu_button (node);
      n_title_bars += node->role == KIOSK_ROLE_TITLE_BAR;
    }
  g_test_message ("%u visible accessibles; buttons: %s; window controls %u, menu buttons %u, title bars %u",
                  nodes->len, buttons->len > 0 ? buttons->str : "none", n_controls, n_menus, n_title_bars);

  g_assert_cmpuint (n_controls, ==, 0);
  g_assert_cmpuint (n_menus, ==, 0);
  g_assert_cmpuint (n_title_bars, ==, 0);
}

static char *
wait_for_file (const char *path,
               guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  char *contents = NULL;

  while (!g_file_get_contents (path, &contents, NULL, NULL) && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);

  return contents;
}

/* The --on-success command: the tokens from its stdin to a file, complete
 * or not at all; then, if @linger, it stays a while.
 */
static char *
on_success_option (Fixture  *fixture,
                   gboolean  linger)
{
  const char *dir = kiosk_session_get_dir (fixture->kiosk);

  return g_strdup_printf ("--on-success=sh -c 'cat > %s/tokens.part && mv %s/tokens.part %s/tokens.json%s'",
                          dir, dir, dir, linger ? " && exec sleep 30" : "");
}

/* The command got exactly one line: the token JSON. */
static void
assert_tokens (const char *contents,
               const char *display_name)
{
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (contents);
  g_assert_true (g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  qrs_test_assert_token_line (lines[0], display_name);
}

static void
sign_in_on_phone (Fixture    *fixture,
                  const char *qrcode_id,
                  const char *display_name)
{
  g_autoptr(GError) error = NULL;

  qrs_test_server_phone (fixture->server, qrcode_id, "SCAN", display_name, &error);
  g_assert_no_error (error);
  g_usleep (500 * 1000);
  qrs_test_server_phone (fixture->server, qrcode_id, "CONFIRM", NULL, &error);
  g_assert_no_error (error);
}

/* Starts a kiosk whose --on-success command keeps the tokens, signs in as
 * @display_name and checks what the command got. Returns the code used.
 */
static char *
sign_in_at_kiosk (Fixture    *fixture,
                  gboolean    linger,
                  const char *display_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autofree char *code = NULL;
  g_autofree char *on_success = NULL;
  g_autofree char *tokens_path = NULL;
  g_autofree char *tokens = NULL;

  start_emulator (fixture, NULL);
  fixture->kiosk = kiosk_session_new (1280, 720, &error);
  g_assert_no_error (error);
  on_success = on_success_option (fixture, linger);
  start_kiosk (fixture, 1280, 720, (const char *[]) { on_success, NULL });

  shot = wait_for_current_code (fixture, NULL, &code);
  sign_in_on_phone (fixture, code, display_name);

  tokens_path = g_build_filename (kiosk_session_get_dir (fixture->kiosk), "tokens.json", NULL);
  tokens = wait_for_file (tokens_path, SCREEN_WAIT_SECONDS);
  assert_tokens (tokens, display_name);

  return g_steal_pointer (&code);
}

/* (c) A sign-in reaches --on-success with the tokens on its stdin, and a
 * new code follows on the screen.
 */
static void
test_sign_in (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GdkPixbuf) next_shot = NULL;
  g_autofree char *first = NULL;
  g_autofree char *next = NULL;

  if (!kiosk_possible (1280, 720))
    return;

  first = sign_in_at_kiosk (fixture, FALSE, "Ada Lovelace");

  next_shot = wait_for_current_code (fixture, first, &next);
  save_screenshot (next_shot, "kiosk-after-sign-in.png");
  g_test_message ("Signed in with code %s; the screen then showed %s", first, next);
  g_assert_cmpstr (next, !=, first);
}

static int
compare_kb (gconstpointer a,
            gconstpointer b)
{
  guint64 ka = *(const guint64 *) a, kb = *(const guint64 *) b;

  return (ka > kb) - (ka < kb);
}

static guint64
median (const guint64 *samples,
        guint          n)
{
  g_autofree guint64 *sorted = g_memdup2 (samples, n * sizeof (guint64));

  qsort (sorted, n, sizeof (guint64), compare_kb);

  return sorted[n / 2];
}

/* (d) Thirty codes expire and are replaced on the screen, and memory stays
 * flat. The emulator's codes live one second.
 */
static void
test_refresh_memory (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autoptr(GString) samples = g_string_new (NULL);
  g_autoptr(JsonArray) codes = NULL;
  g_autofree char *shown = NULL;
  guint64 rss[REFRESHES + 1] = { 0, };
  guint64 peak = 0, early, late;
  gint64 deadline;
  guint seen = 0;
  GPid pid;

  if (!kiosk_possible (1280, 720))
    return;

  start_emulator (fixture, "--qr-ttl=1");
  start_kiosk (fixture, 1280, 720, NULL);
  pid = kiosk_session_get_app_pid (fixture->kiosk);
  g_clear_object (&shot);
  shot = wait_for_current_code (fixture, NULL, NULL);

  /* One sample per new code: rss[i] once the i-th refresh has been asked for. */
  deadline = g_get_monotonic_time () + (REFRESHES * 5) * G_USEC_PER_SEC;
  while (seen <= REFRESHES && g_get_monotonic_time () < deadline)
    {
      g_auto(QrsTestCodes) now = newest_code (fixture);
      guint n = now.n;

      while (n > seen && seen <= REFRESHES)
        {
          guint64 kb = kiosk_process_rss_kb (pid);

          rss[seen] = kb;
          peak = MAX (peak, kb);
          g_string_append_printf (samples, "%s%" G_GUINT64_FORMAT, seen > 0 ? " " : "", kb);
          seen++;
        }
      g_usleep (100 * 1000);
    }
  g_test_message ("VmRSS in KiB after each new code: %s", samples->str);
  g_assert_cmpuint (seen, >, REFRESHES);

  /* The refreshes reached the screen: it shows one of the two newest. */
  g_clear_object (&shot);
  shot = kiosk_session_screenshot (fixture->kiosk, NULL);
  g_assert_nonnull (shot);
  shown = decode_screen (shot);
  codes = emulator_codes (fixture);
  g_assert_nonnull (shown);
  g_assert_true (g_strcmp0 (shown, code_id (codes, json_array_get_length (codes) - 1)) == 0 ||
                 g_strcmp0 (shown, code_id (codes, json_array_get_length (codes) - 2)) == 0);
  for (guint i = 0; i + 2 < json_array_get_length (codes); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (codes, i), "status"),
                     ==, "EXPIRED");

  /* Single samples jump by a megabyte or so while a code is drawn: compare
   * the medians of eight samples early on and eight at the end.
   */
  early = median (rss + WARM_UP_REFRESHES, RSS_WINDOW);
  late = median (rss + REFRESHES + 1 - RSS_WINDOW, RSS_WINDOW);
  g_test_message ("VmRSS median after refreshes %u to %u: %" G_GUINT64_FORMAT " KiB; after %u to %u: %"
                  G_GUINT64_FORMAT " KiB; growth %+" G_GINT64_FORMAT " KiB (limit %+d KiB); peak %"
                  G_GUINT64_FORMAT " KiB",
                  WARM_UP_REFRESHES, WARM_UP_REFRESHES + RSS_WINDOW - 1, early,
                  REFRESHES + 1 - RSS_WINDOW, REFRESHES, late,
                  (gint64) late - (gint64) early, RSS_GROWTH_LIMIT_KB, peak);
  g_assert_cmpuint (early, >, 0);
  g_assert_cmpuint (late, >, 0);
#if defined(__SANITIZE_ADDRESS__)
  g_test_message ("Not bounded under AddressSanitizer: its quarantine holds freed memory on purpose");
#else
  g_assert_cmpuint (late, <=, early + RSS_GROWTH_LIMIT_KB);
#endif
}

static void
assert_nothing_left (Fixture *fixture)
{
  g_autoptr(GPtrArray) left = kiosk_session_list_processes (fixture->kiosk);

  for (guint i = 0; i < left->len; i++)
    {
      g_autofree char *description = kiosk_process_describe (GPOINTER_TO_INT (g_ptr_array_index (left, i)));

      g_test_message ("Still running after the kiosk ended: %s", description);
    }
  g_assert_cmpuint (left->len, ==, 0);
}

/* Ends the app as a service manager would, and expects cage to follow by
 * itself, without crashing.
 */
static void
terminate_app (Fixture *fixture)
{
  g_autofree char *log = NULL;
  int status = -2;

  g_assert_cmpint (kill (kiosk_session_get_app_pid (fixture->kiosk), SIGTERM), ==, 0);
  g_assert_true (kiosk_session_wait_for_cage (fixture->kiosk, 15, &status));
  g_assert_cmpint (status, ==, 0);

  log = kiosk_session_dup_log (fixture->kiosk);
  if (strstr (log, "-CRITICAL **") != NULL)
    g_test_message ("The kiosk's log:\n%s", log);
  g_assert_null (strstr (log, "-CRITICAL **"));
}

/* (e) SIGTERM ends the app, cage exits by itself, and nothing of the app
 * remains.
 */
static void
test_sigterm (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autoptr(GPtrArray) before = NULL;

  if (!kiosk_possible (1280, 720))
    return;

  start_emulator (fixture, NULL);
  start_kiosk (fixture, 1280, 720, NULL);
  shot = wait_for_current_code (fixture, NULL, NULL);

  /* The scan of processes finds the kiosk while it runs. */
  before = kiosk_session_list_processes (fixture->kiosk);
  g_assert_cmpuint (before->len, >=, 2);

  terminate_app (fixture);
  assert_nothing_left (fixture);
}

/* (e) The same while the --on-success command still runs: it has a process
 * group of its own, so the app must end it; nothing may outlive the kiosk.
 */
static void
test_sigterm_during_on_success (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GArray) children = NULL;
  g_autofree char *code = NULL;
  gint64 deadline;

  if (!kiosk_possible (1280, 720))
    return;

  code = sign_in_at_kiosk (fixture, TRUE, "Grace Hopper");

  /* The command has moved on to its sleep. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  do
    {
      g_clear_pointer (&children, g_array_unref);
      children = kiosk_process_children (kiosk_session_get_app_pid (fixture->kiosk));
      if (children->len > 0)
        {
          g_autofree char *description = kiosk_process_describe (g_array_index (children, GPid, 0));

          if (strstr (description, "sleep 30") != NULL)
            {
              g_test_message ("The --on-success command runs: %s", description);
              break;
            }
        }
      g_usleep (50 * 1000);
    }
  while (g_get_monotonic_time () < deadline);
  g_assert_cmpuint (children->len, ==, 1);

  terminate_app (fixture);
  assert_nothing_left (fixture);
}

int
main (int   argc,
      char *argv[])
{
  static const Size small = { 1280, 720 };
  static const Size large = { 1920, 1080 };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, NULL, func, fixture_tear_down)

  ADD ("/kiosk/screen/1280x720", test_screen, &small);
  ADD ("/kiosk/screen/1920x1080", test_screen, &large);
  ADD ("/kiosk/chrome", test_chrome, NULL);
  ADD ("/kiosk/sign-in", test_sign_in, NULL);
  ADD ("/kiosk/refresh-memory", test_refresh_memory, NULL);
  ADD ("/kiosk/sigterm", test_sigterm, NULL);
  ADD ("/kiosk/sigterm-during-on-success", test_sigterm_during_on_success, NULL);

#undef ADD

  return g_test_run ();
}
