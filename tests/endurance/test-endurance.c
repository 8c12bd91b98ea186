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

#include "qrs-test-process.h"
#include "qrs-test-wait.h"

/* A kiosk's day in two minutes: the real `qr-signin --kiosk` against the
 * real qr-signin-emulator, each in its own process, on an Xvfb of the
 * test's own. It goes through 200 codes and 20 sign-ins while every fault
 * mode of every endpoint is thrown at it, and must never exit, sign the
 * last person in, and end with no more than 2 MB more resident memory than
 * it had once warmed up.
 *
 * The kiosk runs on a compressed clock (QRS_DEBUG_TIME_SCALE, see
 * src/core/qrs-system-clock.c): its polls, back-offs, pauses and code
 * lifetimes are ten times shorter, so a poll every 1.5 s comes every
 * 150 ms. What is not on its clock keeps real time: the 10 s network
 * time-out, the welcome after a sign-in, and the emulator.
 *
 * Codes die fast without waiting out their lifetime: once the kiosk shows a
 * new code, the emulator's clock jumps past its expiry, the kiosk's next
 * poll hears EXPIRED, and it makes the next code.
 */

#define N_CODES           200
#define N_SIGN_INS        20
#define SIGN_IN_EVERY     (N_CODES / N_SIGN_INS)
/* Memory is first measured on the code after this one: by then the kiosk
 * has shown every screen and every kind of failure (see injections[]).
 */
#define WARM_UP_CODES     20
#define TIME_SCALE        10
#define CLOCK_JUMP_S      130  /* past the server's 120 s code lifetime */
#define STEP_TIMEOUT_MS   60000 /* the slowest step: a 10 s time-out, back-off, a pause */
#define POLL_MS           25   /* how often the test looks at the emulator */
#define SETTLE_POLLS      2    /* polls of a new code before it counts as on show */
#define RSS_SAMPLES       5
#define RSS_LIMIT_KB      2048

/* What goes wrong, and when.
 *
 * gene-qrcode           queued once code `code` is on show, so the kiosk's
 *                       next new code (after expiry, or after the welcome
 *                       on a sign-in code) gets it
 * check-qrcode-status   the next polls of code `code`; on a sign-in code,
 *                       after the scan, and the phone confirms only once
 *                       the kiosk polled past them and saw the scan
 * exchange-tokenset-…   only on sign-in codes, queued before the scan, so
 *                       the ticket exchange of that sign-in gets it
 *
 * The warm-up, before memory is first measured, goes once through every
 * mode, so that every screen and every message (the server's own words are
 * Chinese, whose glyphs come from another font) has been shown once: what
 * that costs the first time is not growth. Then every mode that applies to
 * an endpoint is used on that endpoint, spread over the rest of the run;
 * `stall` for 1 s answers late (ten seconds on the kiosk's clock), for 15 s
 * it outlasts the kiosk's 10 s time-out (which costs 10 s of real time, so
 * it is used twice). The emulator, like a real server, still does the
 * stalled work once the stall is over, even though the kiosk hung up: a
 * stalled exchange then spends the ticket, but only after the kiosk's retry
 * (within a second of the time-out) spent it, and a stalled gene-qrcode
 * would make a code nobody shows, so that one only stalls for 1 s.
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
  {  13, CHECK,    "stall",          1,  1 },
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
  {  50, EXCHANGE, "wrong-type",     1,  0 },  /* refused: see sign_in () */
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
  { 107, GENE,     "stall",          1,  1 },
  { 110, EXCHANGE, "throttle",       1,  0 },
  { 114, CHECK,    "stall",          1,  1 },
  { 118, CHECK,    "stall",          1, 15 },
  { 125, GENE,     "drop",           2,  0 },
  { 130, EXCHANGE, "huge",           1,  0 },
  { 134, CHECK,    "drop",           1,  0 },
  { 140, CHECK,    "drop",           1,  0 },
  { 150, EXCHANGE, "stall",          1,  1 },
  { 155, GENE,     "http500",        1,  0 },
  { 160, EXCHANGE, "stall",          1, 15 },
  { 164, CHECK,    "malformed",      2,  0 },
  { 170, EXCHANGE, "drop",           2,  0 },
  { 173, GENE,     "throttle",       1,  0 },
  { 177, CHECK,    "status-error",   1,  0 },
  { 180, CHECK,    "stall",          1,  1 },
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
  QrsTestDisplay *display;
  QrsTestServer *server;
  char *emulator_log;
  QrsTestApp *app;
  char *app_log;
  char *app_stdout;
  char *sink;
  gint64 started_at;
  guint n_injected;        /* injections made */
  guint n_spoiled;         /* answers the emulator was told to spoil */
  guint extra_codes;       /* codes made again after a refused sign-in */
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
  if (e->server != NULL)
    {
      g_autofree char *how = qrs_test_describe_exit (e->server->process);

      if (how != NULL)
        g_printerr ("The emulator %s\n", how);
    }
  g_printerr ("Logs kept in %s\n", e->tmpdir);

  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
  abort ();
}

#define FAIL(e, ...) fail_now ((e), __FILE__, __LINE__, G_STRFUNC, __VA_ARGS__)

/* Fails with the story if a hook of the emulator failed. */
#define CHECK_HOOK(e, call, error)                                      \
  G_STMT_START {                                                        \
    if (!(call))                                                        \
      FAIL ((e), "%s: %s", #call, (error)->message);                    \
  } G_STMT_END

/*
 * The two processes
 */

static double
elapsed_s (Endurance *e)
{
  return (double) (g_get_monotonic_time () - e->started_at) / G_USEC_PER_SEC;
}

static void
start_kiosk (Endurance *e)
{
  g_autofree char *server = g_strconcat ("--server=", e->server->url, NULL);
  g_autofree char *on_success = g_strdup_printf ("--on-success=sh -c 'cat >> \"%s\"'", e->sink);
  g_autofree char *scale = g_strdup_printf ("%d", TIME_SCALE);
  const char *args[] = { "--kiosk", server, "--app-id=qrs-demo-app", on_success, "--verbose", NULL };
  QrsTestAppOptions options = {
    .display = qrs_test_display_get_name (e->display),
    /* The least welcome there is: it is not on the compressed clock. */
    .settings = "welcome-seconds=1",
    .stdout_path = e->app_stdout,
    .stderr_path = e->app_log,
    .time_scale = scale,
  };

  e->app = qrs_test_app_start (&options, args);
}

/* Whether either process is gone: the kiosk must never exit, and the
 * test cannot go on without the emulator.
 */
static gboolean
either_exited (Endurance *e)
{
  g_autofree char *how = qrs_test_describe_exit (e->server->process);

  return how != NULL || qrs_test_app_has_exited (e->app);
}

static void
assert_alive (Endurance  *e,
              const char *when)
{
  g_autofree char *kiosk = qrs_test_describe_exit (e->app->process);
  g_autofree char *emulator = qrs_test_describe_exit (e->server->process);

  if (kiosk != NULL)
    FAIL (e, "The kiosk %s %s", kiosk, when);
  if (emulator != NULL)
    FAIL (e, "The emulator (not the kiosk) %s %s", emulator, when);
}

/*
 * The emulator's hooks
 */

static void
inject (Endurance       *e,
        const Injection *injection)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *how_long = NULL;

  CHECK_HOOK (e, qrs_test_server_fault (e->server, injection->endpoint, injection->mode,
                                        injection->count, injection->seconds, &error), error);

  e->n_injected++;
  e->n_spoiled += injection->count;
  if (injection->seconds > 0)
    how_long = g_strdup_printf (" for %u s", injection->seconds);
  g_test_message ("[%5.1f s] code %u: %s %s%s ×%u", elapsed_s (e), injection->code,
                  injection->endpoint, injection->mode, how_long != NULL ? how_long : "",
                  injection->count);
}

/* Makes the injections of @code on @endpoint; returns how many answers
 * they spoil.
 */
static guint
inject_at (Endurance  *e,
           guint       code,
           const char *endpoint)
{
  guint spoiled = 0;

  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    if (injections[i].code == code && g_str_equal (injections[i].endpoint, endpoint))
      {
        inject (e, &injections[i]);
        spoiled += injections[i].count;
      }

  return spoiled;
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
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) e->app->pid);
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

/*
 * Waiting
 */

typedef struct {
  Endurance *e;
  guint n;
  QrsTestCodes codes;
} CodeWait;

static gboolean
kiosk_made_code (gpointer user_data)
{
  CodeWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  if (either_exited (wait->e))
    return TRUE;
  CHECK_HOOK (wait->e, qrs_test_server_get_codes (wait->e->server, &wait->codes, &error), error);

  return wait->codes.n >= wait->n;
}

/* Until the kiosk shows code @n (1-based), returning its id. */
static char *
wait_for_code (Endurance *e,
               guint      n)
{
  g_autofree char *when = NULL;
  CodeWait wait = { e, 0, { 0, } };
  char *id;

  /* Codes the kiosk made again after a refused sign-in come on top. */
  n += e->extra_codes;
  wait.n = n;
  when = g_strdup_printf ("waiting for code %u", n);

  if (!qrs_test_wait_until (kiosk_made_code, &wait, POLL_MS, STEP_TIMEOUT_MS))
    FAIL (e, "No code %u after %d ms: the newest, %u, is %s", n, STEP_TIMEOUT_MS,
          wait.codes.n, wait.codes.newest_status != NULL ? wait.codes.newest_status : "(none)");
  assert_alive (e, when);

  /* One code at a time: anything else means a step was missed. */
  if (wait.codes.n != n)
    FAIL (e, "Expected code %u, the kiosk is at %u", n, wait.codes.n);
  if (g_strcmp0 (wait.codes.newest_status, "PENDING") != 0)
    FAIL (e, "Code %u is %s, not PENDING", n, wait.codes.newest_status);

  id = g_steal_pointer (&wait.codes.newest_id);
  qrs_test_codes_clear (&wait.codes);

  return id;
}

typedef struct {
  Endurance *e;
  guint n;
  gint64 first_ms;
  gint64 last_ms;
} PollWait;

/* The kiosk's status polls the emulator has answered since its log was
 * last cleared, as far as it answered them at all (a dropped connection
 * is no answer); the first and last one's time, in ms.
 */
static guint
count_polls (Endurance *e,
             gint64    *first_ms,
             gint64    *last_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = qrs_test_server_get (e->server, "/__emu/log", &error);
  JsonArray *entries;
  guint n = 0;

  if (log == NULL)
    FAIL (e, "GET /__emu/log: %s", error->message);

  entries = json_object_get_array_member (json_node_get_object (log), "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (!g_str_equal (json_object_get_string_member (entry, "path"), "/api/v3/check-qrcode-status") ||
          json_object_get_int_member (entry, "status") == 0)
        continue;

      if (n == 0)
        *first_ms = json_object_get_int_member (entry, "ms");
      *last_ms = json_object_get_int_member (entry, "ms");
      n++;
    }

  return n;
}

static gboolean
kiosk_polled (gpointer user_data)
{
  PollWait *wait = user_data;

  if (either_exited (wait->e))
    return TRUE;

  return count_polls (wait->e, &wait->first_ms, &wait->last_ms) >= wait->n;
}

static void
clear_polls (Endurance *e)
{
  g_autoptr(GError) error = NULL;

  CHECK_HOOK (e, qrs_test_server_clear_log (e->server, &error), error);
}

/* Until the kiosk has polled @n times since clear_polls(); returns the
 * mean time between those polls, in ms.
 */
static double
wait_for_polls (Endurance  *e,
                guint       n,
                const char *when)
{
  PollWait wait = { e, n, 0, 0 };

  if (!qrs_test_wait_until (kiosk_polled, &wait, POLL_MS, STEP_TIMEOUT_MS))
    FAIL (e, "The kiosk did not poll %u times within %d ms %s", n, STEP_TIMEOUT_MS, when);
  assert_alive (e, when);

  return n > 1 ? (double) (wait.last_ms - wait.first_ms) / (n - 1) : 0;
}

typedef struct {
  Endurance *e;
  guint n;
} SinkWait;

static gboolean
hook_got_sign_in (gpointer user_data)
{
  SinkWait *wait = user_data;
  g_auto(GStrv) lines = qrs_test_read_lines (wait->e->sink);

  return g_strv_length (lines) >= wait->n || either_exited (wait->e);
}

static void
wait_for_sign_in (Endurance *e,
                  guint      n)
{
  g_autofree char *when = g_strdup_printf ("waiting for sign-in %u", n);
  SinkWait wait = { e, n };
  g_auto(GStrv) lines = NULL;

  if (!qrs_test_wait_until (hook_got_sign_in, &wait, POLL_MS, STEP_TIMEOUT_MS))
    FAIL (e, "Sign-in %u (%s) did not reach the --on-success command within %d ms",
          n, names[n - 1], STEP_TIMEOUT_MS);
  assert_alive (e, when);

  lines = qrs_test_read_lines (e->sink);
  if (g_strv_length (lines) != n)
    FAIL (e, "Expected %u token lines, the --on-success command got %u", n, g_strv_length (lines));
  qrs_test_assert_token_line (lines[n - 1], names[n - 1]);
}

static void
check_spoiled (Endurance  *e,
               const char *when)
{
  guint spoiled = count_spoiled (e);

  /* Every fault queued so far has bitten by now. */
  if (spoiled != e->n_spoiled)
    FAIL (e, "%u answers were to be spoiled, the emulator spoiled %u, %s", e->n_spoiled, spoiled, when);
}

/* The smallest resident size over a few polls, once the code on show has
 * been polled a few times: the same screen every time (a fresh code, just
 * after a welcome), with nothing left to load or draw.
 */
static Memory
measure (Endurance  *e,
         const char *when)
{
  Memory best = { G_MAXUINT64, 0, 0 };

  clear_polls (e);
  wait_for_polls (e, SETTLE_POLLS, when);
  for (guint i = 0; i < RSS_SAMPLES; i++)
    {
      Memory sample;

      clear_polls (e);
      wait_for_polls (e, 1, when);
      sample = read_memory (e);
      if (sample.rss < best.rss)
        best = sample;
    }
  assert_alive (e, when);

  g_test_message ("[%5.1f s] memory %s: VmRSS %" G_GUINT64_FORMAT " kB "
                  "(anonymous %" G_GUINT64_FORMAT " kB, files %" G_GUINT64_FORMAT " kB)",
                  elapsed_s (e), when, best.rss, best.anon, best.file);

  return best;
}

/*
 * The test
 */

/* Whether the ticket exchange of @code is answered with tokens the kiosk
 * cannot use under a success: the ticket is spent then, and the kiosk must
 * not try it again but start over (test-sign-in holds it to that too).
 */
static gboolean
exchange_refused (guint code)
{
  for (guint i = 0; i < G_N_ELEMENTS (injections); i++)
    if (injections[i].code == code && g_str_equal (injections[i].endpoint, EXCHANGE) &&
        g_str_equal (injections[i].mode, "wrong-type"))
      return TRUE;

  return FALSE;
}

static void
scan_and_confirm (Endurance  *e,
                  guint       code,
                  const char *qrcode_id,
                  const char *name)
{
  g_autoptr(GError) error = NULL;
  guint spoiled;

  CHECK_HOOK (e, qrs_test_server_phone (e->server, qrcode_id, "SCAN", name, &error), error);
  /* Every poll answered from here on was asked after the scan: once one
   * more than were spoiled has been answered, the kiosk saw it.
   */
  clear_polls (e);
  spoiled = inject_at (e, code, CHECK);
  wait_for_polls (e, spoiled + 1, "after a scan");
  CHECK_HOOK (e, qrs_test_server_phone (e->server, qrcode_id, "CONFIRM", NULL, &error), error);
}

/* The person scans, reads the phone while the kiosk shows their name, and
 * confirms. When the exchange is refused, the kiosk shows the problem and
 * a new code by itself, and the person signs in again on that one.
 */
static void
sign_in (Endurance  *e,
         guint       code,
         const char *qrcode_id)
{
  guint n = code / SIGN_IN_EVERY;

  inject_at (e, code, EXCHANGE);
  inject_at (e, code, GENE);

  scan_and_confirm (e, code, qrcode_id, names[n - 1]);

  if (exchange_refused (code))
    {
      g_autofree char *again = NULL;

      e->extra_codes++;
      again = wait_for_code (e, code);
      g_test_message ("[%5.1f s] sign-in %u refused as it should be: again on a new code", elapsed_s (e), n);
      scan_and_confirm (e, 0, again, names[n - 1]);
    }

  wait_for_sign_in (e, n);
  g_test_message ("[%5.1f s] sign-in %u/%u on code %u: %s", elapsed_s (e), n, N_SIGN_INS, code, names[n - 1]);
}

static void
expire (Endurance *e,
        guint      code)
{
  g_autoptr(GError) error = NULL;

  inject_at (e, code, CHECK);
  inject_at (e, code, GENE);
  CHECK_HOOK (e, qrs_test_server_advance_clock (e->server, CLOCK_JUMP_S, &error), error);
}

static void
test_kiosk_endurance (void)
{
  Endurance endurance = { 0, };
  Endurance *e = &endurance;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  Memory warm = { 0, }, end = { 0, };
  guint modes_seen = 0;
  double poll_interval_ms;

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

  e->tmpdir = qrs_test_make_tmp_dir ("qrs-endurance-XXXXXX");
  e->emulator_log = g_build_filename (e->tmpdir, "emulator.log", NULL);
  e->app_log = g_build_filename (e->tmpdir, "kiosk.log", NULL);
  e->app_stdout = g_build_filename (e->tmpdir, "kiosk.stdout", NULL);
  e->sink = g_build_filename (e->tmpdir, "tokens.jsonl", NULL);
  e->started_at = g_get_monotonic_time ();

  g_test_message ("%u codes, %u sign-ins, %u fault injections (%u endpoint × mode pairs), time ×%d; logs in %s",
                  N_CODES, N_SIGN_INS, (guint) G_N_ELEMENTS (injections), modes_seen, TIME_SCALE, e->tmpdir);

  e->display = qrs_test_display_new ();
  e->server = qrs_test_server_start (NULL, e->emulator_log);
  start_kiosk (e);

  for (guint code = 1; code <= N_CODES; code++)
    {
      g_autofree char *qrcode_id = wait_for_code (e, code);
      g_autofree char *when = g_strdup_printf ("on code %u", code);

      check_spoiled (e, when);

      /* The kiosk's clock runs fast, or this run would take ten times as
       * long: it polls a code on show every 1.5 s of its own time.
       */
      if (code == 1)
        {
          clear_polls (e);
          poll_interval_ms = wait_for_polls (e, 4, "on the first code");
          g_test_message ("[%5.1f s] the kiosk polls every %.0f ms", elapsed_s (e), poll_interval_ms);
          if (poll_interval_ms > 1500.0 / 2)
            FAIL (e, "The kiosk polls every %.0f ms: is QRS_DEBUG_TIME_SCALE ignored?", poll_interval_ms);
        }

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
  lines = qrs_test_read_lines (e->sink);
  g_assert_cmpuint (g_strv_length (lines), ==, N_SIGN_INS);
  for (guint i = 0; i < N_SIGN_INS; i++)
    qrs_test_assert_token_line (lines[i], names[i]);

  assert_alive (e, "at the end");
  if ((gint64) end.rss - (gint64) warm.rss >= RSS_LIMIT_KB)
    FAIL (e, "The kiosk grew by %" G_GINT64_FORMAT " kB (from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT " kB), "
          "the limit is %d kB", (gint64) end.rss - (gint64) warm.rss, warm.rss, end.rss, RSS_LIMIT_KB);

  /* Asked to stop, it stops. */
  g_subprocess_send_signal (e->app->process, SIGTERM);
  g_assert_true (qrs_test_app_wait (e->app, QRS_TEST_PROCESS_TIMEOUT_MS));
  g_assert_true ((g_subprocess_get_if_signaled (e->app->process) &&
                  g_subprocess_get_term_sig (e->app->process) == SIGTERM) ||
                 g_subprocess_get_if_exited (e->app->process));

  /* A kiosk's stdout stays empty: the tokens only went to the command. */
  g_assert_true (g_file_get_contents (e->app_stdout, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "");

  g_test_message ("[%5.1f s] done", elapsed_s (e));

  g_clear_pointer (&e->app, qrs_test_app_free);
  g_clear_pointer (&e->server, qrs_test_server_stop);
  g_clear_pointer (&e->display, qrs_test_display_free);
  qrs_test_remove_tree (e->tmpdir);

  g_free (e->tmpdir);
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
