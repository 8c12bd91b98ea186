/* test-endurance.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* A kiosk's day in a few minutes: the real `qr-signin --kiosk` against the
 * real qr-signin-emulator, each in its own process, under Xvfb. It goes
 * through 200 codes and 20 sign-ins while every fault mode of every endpoint
 * is thrown at it, and must never exit, sign the last person in, and end
 * with no more than 2 MB more resident memory than it had once warmed up.
 *
 * Codes die fast without waiting out their lifetime: once the kiosk shows a
 * new code, the emulator's clock jumps past its expiry, the kiosk's next
 * poll (1.5 s later) hears EXPIRED, and it makes the next code.
 */

#define N_CODES           200
#define N_SIGN_INS        20
#define SIGN_IN_EVERY     (N_CODES / N_SIGN_INS)
/* Memory is first measured on the code after this one: by then the kiosk
 * has shown every screen and every kind of failure (see injections[]).
 */
#define WARM_UP_CODES     20
#define CLOCK_JUMP_S      130  /* past the server's 120 s code lifetime */
#define STEP_TIMEOUT_S    120  /* the slowest step: a 10 s timeout, back-off, a 5 s pause */
#define SCAN_CONFIRM_MS   600  /* the person reads the phone before confirming */
#define SETTLE_MS         2000
#define RSS_SAMPLES       5
#define RSS_LIMIT_KB      2048

/* What goes wrong, and when.
 *
 * gene-qrcode           queued once code `code` is on show, so the kiosk's
 *                       next new code (after expiry, or after the welcome
 *                       on a sign-in code) gets it
 * check-qrcode-status   the next polls of code `code`; on a sign-in code,
 *                       between the scan and the confirmation
 * exchange-tokenset-…   only on sign-in codes, queued before the scan, so
 *                       the ticket exchange of that sign-in gets it
 *
 * The warm-up, before memory is first measured, goes once through every
 * mode, so that every screen and every message (the server's own words are
 * Chinese, whose glyphs come from another font) has been shown once: what
 * that costs the first time is not growth. Then every mode that applies to
 * an endpoint is used on that endpoint, spread over the rest of the run;
 * `stall` for 2 s answers late, for 15 s it outlasts the kiosk's 10 s
 * timeout (which costs 10 s, so it is used twice). The emulator, like a
 * real server, still does the stalled work once the stall is over, even
 * though the kiosk hung up: a stalled exchange then spends the ticket, but
 * only after the kiosk's retry (within 1 s of the timeout) spent it, and a
 * stalled gene-qrcode would make a code nobody shows, so that one only
 * stalls for 2 s.
 */
typedef struct {
  guint code;
  const char *endpoint;
  const char *mode;
  guint count;
  guint seconds;
} Injection;

#define GENE     "gene-qrcode"
#define CHECK    "check-qrcode-status"
#define EXCHANGE "exchange-tokenset-with-qrcode-ticket"

static const Injection injections[] = {
  /* The warm-up. */
  {   2, CHECK,    "http500",        3,  0 },  /* reconnecting */
  {   3, CHECK,    "html",           1,  0 },
  {   4, CHECK,    "malformed",      1,  0 },
  {   5, CHECK,    "status-error",   1,  0 },  /* the error screen, a 5 s pause */
  {   6, CHECK,    "wrong-type",     1,  0 },
  {   7, CHECK,    "unknown-status", 1,  0 },
  {   8, CHECK,    "no-data",        1,  0 },
  {   9, CHECK,    "error-status",   1,  0 },
  {  10, EXCHANGE, "http500",        1,  0 },
  {  11, CHECK,    "throttle",       1,  0 },
  {  12, CHECK,    "huge",           1,  0 },
  {  13, CHECK,    "stall",          1,  2 },
  {  14, CHECK,    "drop",           1,  0 },
  {  15, GENE,     "error-status",   1,  0 },
  {  16, GENE,     "throttle",       1,  0 },
  {  17, GENE,     "http500",        1,  0 },
  {  20, EXCHANGE, "error-status",   1,  0 },

  /* The run. */
  {  22, GENE,     "http500",        2,  0 },
  {  26, CHECK,    "http500",        1,  0 },
  {  30, EXCHANGE, "html",           2,  0 },
  {  33, GENE,     "html",           1,  0 },
  {  37, CHECK,    "html",           2,  0 },
  {  40, EXCHANGE, "malformed",      1,  0 },
  {  44, GENE,     "malformed",      2,  0 },
  {  48, CHECK,    "malformed",      1,  0 },
  {  50, EXCHANGE, "wrong-type",     2,  0 },
  {  52, GENE,     "wrong-type",     1,  0 },
  {  56, CHECK,    "wrong-type",     2,  0 },
  {  60, CHECK,    "http500",        1,  0 },
  {  63, CHECK,    "unknown-status", 1,  0 },
  {  67, GENE,     "no-data",        2,  0 },
  {  70, EXCHANGE, "no-data",        1,  0 },
  {  74, CHECK,    "no-data",        1,  0 },
  {  78, GENE,     "error-status",   1,  0 },
  {  81, CHECK,    "error-status",   2,  0 },
  {  85, CHECK,    "status-error",   1,  0 },
  {  89, GENE,     "throttle",       2,  0 },
  {  90, EXCHANGE, "error-status",   2,  0 },
  {  94, CHECK,    "throttle",       1,  0 },
  {  98, GENE,     "huge",           1,  0 },
  { 100, GENE,     "http500",        1,  0 },
  { 103, CHECK,    "huge",           2,  0 },
  { 107, GENE,     "stall",          1,  2 },
  { 110, EXCHANGE, "throttle",       1,  0 },
  { 114, CHECK,    "stall",          1,  2 },
  { 118, CHECK,    "stall",          1, 15 },
  { 125, GENE,     "drop",           2,  0 },
  { 130, EXCHANGE, "huge",           1,  0 },
  { 134, CHECK,    "drop",           1,  0 },
  { 140, CHECK,    "drop",           1,  0 },
  { 150, EXCHANGE, "stall",          1,  2 },
  { 155, GENE,     "http500",        1,  0 },
  { 160, EXCHANGE, "stall",          1, 15 },
  { 164, CHECK,    "malformed",      2,  0 },
  { 170, EXCHANGE, "drop",           2,  0 },
  { 173, GENE,     "throttle",       1,  0 },
  { 177, CHECK,    "status-error",   1,  0 },
  { 180, CHECK,    "stall",          1,  2 },
  { 184, GENE,     "malformed",      1,  0 },
  { 188, CHECK,    "throttle",       2,  0 },
  { 190, EXCHANGE, "malformed",      1,  0 },
  { 193, GENE,     "drop",           1,  0 },
  { 197, CHECK,    "html",           1,  0 },
  { 200, EXCHANGE, "throttle",       1,  0 },
  { 200, EXCHANGE, "drop",           1,  0 },
};

/* Who signs in on codes 10, 20, … 200; the same people come back, as they
 * do at a kiosk. The first two bring every character outside ASCII that the
 * others use: drawing a character never drawn before reads its glyph from
 * the font file, and the pages read count in the resident size (Chinese
 * characters from wqy-microhei cost up to 1.5 MB). That is the font, not
 * the kiosk growing, so the run after the warm-up draws nothing new.
 */
static const char *names[N_SIGN_INS] = {
  "José Łukasz Müller", "张伟 Zoë “Z”", "Ada Lovelace", "Grace Hopper",
  "Hedy Lamarr", "张伟 Zoë “Z”", "Katherine Johnson", "Alan Turing",
  "Zoë Müller", "Margaret Hamilton", "张伟", "Radia Perlman",
  "Łukasz José", "Barbara Liskov", "Frances Allen", "伟 Zhang",
  "Edsger Dijkstra", "José Łukasz Müller", "Annie Easley", "Dorothy Vaughan",
};

typedef struct {
  char *tmpdir;
  char *url;
  SoupSession *session;
  GSubprocess *emulator;
  char *emulator_log;
  GSubprocess *app;
  GPid app_pid;
  char *app_log;
  char *app_stdout;
  char *sink;
  gint64 started_at;
  guint n_injected;        /* injections made */
  guint n_spoiled;         /* answers the emulator was told to spoil */
} Endurance;

/*
 * Failing with the story so far
 */

static void
print_tail (const char *title,
            const char *path,
            guint       n_lines)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n, first;

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", -1);
  n = g_strv_length (lines);
  first = n > n_lines ? n - n_lines : 0;
  g_printerr ("---- %s (%s), last %u lines ----\n", title, path, n - first);
  for (guint i = first; i < n; i++)
    g_printerr ("%s\n", lines[i]);
}

static void fail_now (Endurance  *e,
                      const char *file,
                      int         line,
                      const char *func,
                      const char *format,
                      ...) G_GNUC_PRINTF (5, 6) G_GNUC_NORETURN;

static void
fail_now (Endurance  *e,
          const char *file,
          int         line,
          const char *func,
          const char *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_tail ("qr-signin --kiosk --verbose", e->app_log, 80);
  print_tail ("qr-signin-emulator --verbose", e->emulator_log, 40);
  g_printerr ("Logs kept in %s\n", e->tmpdir);

  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
  abort ();
}

#define FAIL(e, ...) fail_now ((e), __FILE__, __LINE__, G_STRFUNC, __VA_ARGS__)

/*
 * The two processes
 */

static double
elapsed_s (Endurance *e)
{
  return (double) (g_get_monotonic_time () - e->started_at) / G_USEC_PER_SEC;
}

/* Should the test itself die, its children go with it rather than linger
 * on the CI machine.
 */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
launcher_new (Endurance *e)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_A11Y", "none", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", g_getenv ("QRS_SCHEMA_DIR"), TRUE);
  /* Settings come from a key file the test writes, not from the machine. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", e->tmpdir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  return launcher;
}

static void
start_emulator (Endurance *e)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (e);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  /* Its debug messages say which answers were spoiled ("Fault on …"). */
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "qr-signin-emulator", TRUE);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, e->emulator_log);
  e->emulator = g_subprocess_launcher_spawn (launcher, &error,
                                             g_getenv ("QRS_EMULATOR_BINARY"),
                                             "--port=0", "--verbose", NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (e->emulator));
  e->url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (e->url);
  g_assert_true (g_str_has_prefix (e->url, "http://127.0.0.1:"));
}

static void
start_kiosk (Endurance *e)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (e);
  g_autofree char *server = g_strconcat ("--server=", e->url, NULL);
  g_autofree char *on_success = g_strdup_printf ("--on-success=sh -c 'cat >> \"%s\"'", e->sink);
  g_autofree char *config_dir = g_build_filename (e->tmpdir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (config_dir, "keyfile", NULL);
  g_autoptr(GError) error = NULL;
  const char *identifier;

  /* A one-second welcome keeps the sign-ins short. */
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, "[io/github/qrsignin/QrSignIn]\nwelcome-seconds=1\n", -1, NULL));

  g_subprocess_launcher_set_stdout_file_path (launcher, e->app_stdout);
  g_subprocess_launcher_set_stderr_file_path (launcher, e->app_log);
  e->app = g_subprocess_launcher_spawn (launcher, &error,
                                        g_getenv ("QRS_APP_BINARY"),
                                        "--kiosk", server, "--app-id=qrs-demo-app",
                                        on_success, "--verbose", NULL);
  g_assert_no_error (error);

  identifier = g_subprocess_get_identifier (e->app);
  g_assert_nonnull (identifier);
  e->app_pid = (GPid) g_ascii_strtoll (identifier, NULL, 10);
  g_assert_cmpint (e->app_pid, >, 0);
}

/* The kiosk must never exit: GSubprocess forgets the identifier of a
 * process that is gone.
 */
static void
assert_alive (Endurance  *e,
              const char *when)
{
  if (g_subprocess_get_identifier (e->app) != NULL)
    return;

  if (g_subprocess_get_if_signaled (e->app))
    FAIL (e, "The kiosk died of signal %d %s", g_subprocess_get_term_sig (e->app), when);
  FAIL (e, "The kiosk exited with status %d %s", g_subprocess_get_exit_status (e->app), when);
}

/*
 * The emulator's hooks
 */

static void
hook (Endurance  *e,
      const char *path,
      JsonNode   *body)
{
  g_autofree char *url = g_strconcat (e->url, path, NULL);
  g_autofree char *json = json_to_string (body, FALSE);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  reply = soup_session_send_and_read (e->session, message, NULL, &error);
  if (reply == NULL)
    FAIL (e, "POST %s %s: %s", path, json, error->message);
  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    FAIL (e, "POST %s %s: HTTP %u %.*s", path, json, soup_message_get_status (message),
          (int) g_bytes_get_size (reply), (const char *) g_bytes_get_data (reply, NULL));
}

static void
advance_clock (Endurance *e,
               guint      seconds)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "advance");
  json_builder_add_int_value (builder, seconds);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  hook (e, "/__emu/clock", body);
}

static void
phone (Endurance  *e,
       const char *qrcode_id,
       const char *action,
       const char *display_name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "qrcodeId");
  json_builder_add_string_value (builder, qrcode_id);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  if (display_name != NULL)
    {
      json_builder_set_member_name (builder, "displayName");
      json_builder_add_string_value (builder, display_name);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  hook (e, "/__emu/phone", body);
}

static void
inject (Endurance       *e,
        const Injection *injection)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *how_long = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "endpoint");
  json_builder_add_string_value (builder, injection->endpoint);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, injection->mode);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, injection->count);
  json_builder_set_member_name (builder, "retryAfter");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_int_value (builder, injection->seconds);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  hook (e, "/__emu/fault", body);

  e->n_injected++;
  e->n_spoiled += injection->count;
  if (injection->seconds > 0)
    how_long = g_strdup_printf (" for %u s", injection->seconds);
  g_test_message ("[%5.1f s] code %u: %s %s%s ×%u", elapsed_s (e), injection->code,
                  injection->endpoint, injection->mode, how_long != NULL ? how_long : "",
                  injection->count);
}

static void
inject_at (Endurance  *e,
           guint       code,
           const char *endpoint)
{
  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    if (injections[i].code == code && g_str_equal (injections[i].endpoint, endpoint))
      inject (e, &injections[i]);
}

typedef struct {
  guint n;
  char *newest_id;
  char *newest_status;
} Codes;

static void
codes_clear (Codes *codes)
{
  g_clear_pointer (&codes->newest_id, g_free);
  g_clear_pointer (&codes->newest_status, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Codes, codes_clear)

static void
get_codes (Endurance *e,
           Codes     *codes)
{
  g_autofree char *url = g_strconcat (e->url, "/__emu/codes", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  reply = soup_session_send_and_read (e->session, message, NULL, &error);
  if (reply == NULL)
    FAIL (e, "GET /__emu/codes: %s", error->message);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), &error))
    FAIL (e, "GET /__emu/codes: %s", error->message);

  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "codes");
  codes_clear (codes);
  codes->n = json_array_get_length (array);
  if (codes->n > 0)
    {
      JsonObject *newest = json_array_get_object_element (array, codes->n - 1);

      codes->newest_id = g_strdup (json_object_get_string_member (newest, "qrcodeId"));
      codes->newest_status = g_strdup (json_object_get_string_member (newest, "status"));
    }
}

/*
 * What came out
 */

/* Spoiled answers the emulator has given so far. */
static guint
count_spoiled (Endurance *e)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (e->emulator_log, &contents, NULL, NULL))
    return 0;

  for (const char *p = strstr (contents, "Fault on "); p != NULL; p = strstr (p + 1, "Fault on "))
    n++;

  return n;
}

/* Complete lines the --on-success command has written. */
static char **
read_sink (Endurance *e)
{
  g_autofree char *contents = NULL;
  char *last_newline;

  if (!g_file_get_contents (e->sink, &contents, NULL, NULL))
    return g_new0 (char *, 1);

  last_newline = strrchr (contents, '\n');
  if (last_newline == NULL)
    return g_new0 (char *, 1);
  *last_newline = '\0';

  return g_strsplit (contents, "\n", -1);
}

static void
assert_token_json (Endurance  *e,
                   const char *line,
                   const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *keys[] = { "access_token", "id_token", "refresh_token", "token_type", "scope" };
  JsonObject *object, *user;

  if (!json_parser_load_from_data (parser, line, -1, &error))
    FAIL (e, "The --on-success command got something that is not JSON: %s", error->message);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpuint (strlen (json_object_get_string_member (object, keys[i])), >, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 7200);
  user = json_object_get_object_member (object, "user");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, name);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (user, "photo"), "http://127.0.0.1:"));
}

typedef struct {
  guint64 rss;
  guint64 anon;
  guint64 file;
} Memory;

static guint64
status_kb (const char *status,
           const char *key)
{
  const char *p = strstr (status, key);

  g_assert_nonnull (p);

  return g_ascii_strtoull (p + strlen (key), NULL, 10);
}

static Memory
read_memory (Endurance *e)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) e->app_pid);
  g_autofree char *status = NULL;
  Memory memory;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    {
      assert_alive (e, "while its memory was read");
      FAIL (e, "Cannot read %s", path);
    }

  memory.rss = status_kb (status, "\nVmRSS:");
  memory.anon = status_kb (status, "\nRssAnon:");
  memory.file = status_kb (status, "\nRssFile:");

  return memory;
}

/* The smallest resident size over a few samples, once things settled: the
 * same screen every time (a fresh code, just after a welcome).
 */
static Memory
measure (Endurance  *e,
         const char *when)
{
  Memory best = { G_MAXUINT64, 0, 0 };

  g_usleep (SETTLE_MS * 1000);
  for (guint i = 0; i < RSS_SAMPLES; i++)
    {
      Memory sample = read_memory (e);

      if (sample.rss < best.rss)
        best = sample;
      g_usleep (200 * 1000);
    }
  assert_alive (e, when);

  g_test_message ("[%5.1f s] memory %s: VmRSS %" G_GUINT64_FORMAT " kB "
                  "(anonymous %" G_GUINT64_FORMAT " kB, files %" G_GUINT64_FORMAT " kB)",
                  elapsed_s (e), when, best.rss, best.anon, best.file);

  return best;
}

/*
 * Waiting
 */

static void
check_spoiled (Endurance  *e,
               const char *when)
{
  guint spoiled = count_spoiled (e);

  /* Every fault queued so far has bitten by now. */
  if (spoiled != e->n_spoiled)
    FAIL (e, "%u answers were to be spoiled, the emulator spoiled %u, %s", e->n_spoiled, spoiled, when);
}

/* Until the kiosk shows code @n (1-based), returning its id. */
static char *
wait_for_code (Endurance *e,
               guint      n)
{
  gint64 deadline = g_get_monotonic_time () + STEP_TIMEOUT_S * G_USEC_PER_SEC;
  g_auto(Codes) codes = { 0, NULL, NULL };
  g_autofree char *when = g_strdup_printf ("waiting for code %u", n);

  for (;;)
    {
      assert_alive (e, when);
      get_codes (e, &codes);
      if (codes.n >= n)
        break;
      if (g_get_monotonic_time () > deadline)
        FAIL (e, "No code %u after %d s: the newest, %u, is %s", n, STEP_TIMEOUT_S,
              codes.n, codes.newest_status != NULL ? codes.newest_status : "(none)");
      g_usleep (50 * 1000);
    }

  /* One code at a time: anything else means a step was missed. */
  if (codes.n != n)
    FAIL (e, "Expected code %u, the kiosk is at %u", n, codes.n);
  if (g_strcmp0 (codes.newest_status, "PENDING") != 0)
    FAIL (e, "Code %u is %s, not PENDING", n, codes.newest_status);

  return g_steal_pointer (&codes.newest_id);
}

static void
wait_for_sign_in (Endurance *e,
                  guint      n)
{
  gint64 deadline = g_get_monotonic_time () + STEP_TIMEOUT_S * G_USEC_PER_SEC;
  g_autofree char *when = g_strdup_printf ("waiting for sign-in %u", n);
  g_auto(GStrv) lines = NULL;

  for (;;)
    {
      assert_alive (e, when);
      g_clear_pointer (&lines, g_strfreev);
      lines = read_sink (e);
      if (g_strv_length (lines) >= n)
        break;
      if (g_get_monotonic_time () > deadline)
        FAIL (e, "Sign-in %u (%s) did not reach the --on-success command within %d s",
              n, names[n - 1], STEP_TIMEOUT_S);
      g_usleep (50 * 1000);
    }

  if (g_strv_length (lines) != n)
    FAIL (e, "Expected %u token lines, the --on-success command got %u", n, g_strv_length (lines));
  assert_token_json (e, lines[n - 1], names[n - 1]);
}

/*
 * The test
 */

static void
sign_in (Endurance  *e,
         guint       code,
         const char *qrcode_id)
{
  guint n = code / SIGN_IN_EVERY;

  inject_at (e, code, EXCHANGE);
  inject_at (e, code, GENE);

  phone (e, qrcode_id, "SCAN", names[n - 1]);
  inject_at (e, code, CHECK);
  g_usleep (SCAN_CONFIRM_MS * 1000);
  assert_alive (e, "after a scan");
  phone (e, qrcode_id, "CONFIRM", NULL);

  wait_for_sign_in (e, n);
  g_test_message ("[%5.1f s] sign-in %u/%u on code %u: %s", elapsed_s (e), n, N_SIGN_INS, code, names[n - 1]);
}

static void
expire (Endurance *e,
        guint      code)
{
  inject_at (e, code, CHECK);
  inject_at (e, code, GENE);
  advance_clock (e, CLOCK_JUMP_S);
}

static void
test_kiosk_endurance (void)
{
  Endurance endurance = { 0, };
  Endurance *e = &endurance;
  g_autoptr(GError) error = NULL;
  g_autofree char *rm = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  Memory warm = { 0, }, end = { 0, };
  guint modes_seen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    {
      gboolean first = TRUE;

      g_assert_cmpuint (injections[i].code, >=, 1);
      g_assert_cmpuint (injections[i].code, <=, N_CODES);
      /* Exchange faults only bite during a sign-in. */
      g_assert_true (!g_str_equal (injections[i].endpoint, EXCHANGE) || injections[i].code % SIGN_IN_EVERY == 0);
      /* A code that errors out is no code to sign in with. */
      g_assert_true (!g_str_equal (injections[i].mode, "status-error") || injections[i].code % SIGN_IN_EVERY != 0);
      for (guint j = 0; j < i; j++)
        if (g_str_equal (injections[i].endpoint, injections[j].endpoint) &&
            g_str_equal (injections[i].mode, injections[j].mode) &&
            injections[i].seconds == injections[j].seconds)
          first = FALSE;
      if (first)
        modes_seen++;
    }

  /* Nothing new to draw after the warm-up, and no sign-in that could pass
   * with the name of the one before.
   */
  for (guint i = WARM_UP_CODES / SIGN_IN_EVERY; i < N_SIGN_INS; i++)
    {
      for (const char *p = names[i]; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          gboolean warmed_up = c < 0x80;

          for (guint j = 0; j < WARM_UP_CODES / SIGN_IN_EVERY && !warmed_up; j++)
            warmed_up = g_utf8_strchr (names[j], -1, c) != NULL;
          g_assert_true (warmed_up);
        }
      g_assert_cmpstr (names[i], !=, names[i - 1]);
    }

  e->tmpdir = g_dir_make_tmp ("qrs-endurance-XXXXXX", &error);
  g_assert_no_error (error);
  e->emulator_log = g_build_filename (e->tmpdir, "emulator.log", NULL);
  e->app_log = g_build_filename (e->tmpdir, "kiosk.log", NULL);
  e->app_stdout = g_build_filename (e->tmpdir, "kiosk.stdout", NULL);
  e->sink = g_build_filename (e->tmpdir, "tokens.jsonl", NULL);
  e->session = soup_session_new ();
  e->started_at = g_get_monotonic_time ();

  g_test_message ("%u codes, %u sign-ins, %u fault injections (%u endpoint × mode pairs); logs in %s",
                  N_CODES, N_SIGN_INS, (guint) G_N_ELEMENTS (injections), modes_seen, e->tmpdir);

  start_emulator (e);
  start_kiosk (e);

  for (guint code = 1; code <= N_CODES; code++)
    {
      g_autofree char *qrcode_id = wait_for_code (e, code);
      g_autofree char *when = g_strdup_printf ("on code %u", code);

      check_spoiled (e, when);

      if (code % SIGN_IN_EVERY == 0)
        sign_in (e, code, qrcode_id);
      else
        expire (e, code);
      assert_alive (e, when);

      if (code % SIGN_IN_EVERY == 0)
        g_test_message ("[%5.1f s] codes %u/%u, sign-ins %u/%u, faults %u/%u (%u spoiled answers), VmRSS %" G_GUINT64_FORMAT " kB",
                        elapsed_s (e), code, N_CODES, code / SIGN_IN_EVERY, N_SIGN_INS,
                        e->n_injected, (guint) G_N_ELEMENTS (injections), e->n_spoiled,
                        read_memory (e).rss);

      if (code == WARM_UP_CODES)
        {
          g_free (wait_for_code (e, code + 1));
          warm = measure (e, "after warm-up");
        }
    }

  /* The kiosk carries on after the last sign-in: the same screen as at the
   * warm-up measurement.
   */
  g_free (wait_for_code (e, N_CODES + 1));
  check_spoiled (e, "at the end");
  g_assert_cmpuint (e->n_injected, ==, G_N_ELEMENTS (injections));
  end = measure (e, "at the end");

  g_test_message ("[%5.1f s] VmRSS after warm-up %" G_GUINT64_FORMAT " kB, at the end %" G_GUINT64_FORMAT " kB: "
                  "%+" G_GINT64_FORMAT " kB (anonymous %+" G_GINT64_FORMAT " kB, files %+" G_GINT64_FORMAT " kB), limit %d kB",
                  elapsed_s (e), warm.rss, end.rss,
                  (gint64) end.rss - (gint64) warm.rss,
                  (gint64) end.anon - (gint64) warm.anon,
                  (gint64) end.file - (gint64) warm.file, RSS_LIMIT_KB);

  /* All the sign-ins went out, once each, the last one included. */
  lines = read_sink (e);
  g_assert_cmpuint (g_strv_length (lines), ==, N_SIGN_INS);
  for (guint i = 0; i < N_SIGN_INS; i++)
    assert_token_json (e, lines[i], names[i]);

  assert_alive (e, "at the end");
  if ((gint64) end.rss - (gint64) warm.rss >= RSS_LIMIT_KB)
    FAIL (e, "The kiosk grew by %" G_GINT64_FORMAT " kB (from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT " kB), "
          "the limit is %d kB", (gint64) end.rss - (gint64) warm.rss, warm.rss, end.rss, RSS_LIMIT_KB);

  /* Asked to stop, it stops. */
  g_subprocess_send_signal (e->app, SIGTERM);
  g_assert_true (g_subprocess_wait (e->app, NULL, &error));
  g_assert_no_error (error);
  g_assert_true ((g_subprocess_get_if_signaled (e->app) && g_subprocess_get_term_sig (e->app) == SIGTERM) ||
                 g_subprocess_get_if_exited (e->app));

  /* A kiosk's stdout stays empty: the tokens only went to the command. */
  g_assert_true (g_file_get_contents (e->app_stdout, &out, NULL, NULL));
  g_assert_cmpstr (out, ==, "");

  g_test_message ("[%5.1f s] done", elapsed_s (e));

  g_subprocess_send_signal (e->emulator, SIGTERM);
  g_subprocess_wait (e->emulator, NULL, NULL);
  g_clear_object (&e->emulator);
  g_clear_object (&e->app);
  g_clear_object (&e->session);

  rm = g_strdup_printf ("rm -rf '%s'", e->tmpdir);
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));

  g_free (e->tmpdir);
  g_free (e->url);
  g_free (e->emulator_log);
  g_free (e->app_log);
  g_free (e->app_stdout);
  g_free (e->sink);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/endurance/kiosk", test_kiosk_endurance);

  return g_test_run ();
}
