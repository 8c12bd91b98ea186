/* bench-floor.c — the least a GTK 4 program can do to show a QR code
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The floor of the benchmarks: a bare GtkApplication with one window the
 * size of qr-signin's and, in its middle, one 320×320 drawing area that
 * paints a libqrencode code (level M, 8-bit mode) with cairo. No
 * libadwaita, no network, no settings, no styling: whatever qr-signin
 * takes beyond this is its own. It runs with whatever renderer
 * GSK_RENDERER names, like the app beside it.
 *
 * The payload has the shape and length of the emulator's, so both codes are
 * the same QR version; bench.py knows it by its qrcodeId.
 *
 * --tick adds a label under the code whose text changes once a second: the
 * least a window showing a countdown costs while it waits.
 *
 * Built a second time as bench-poll-floor (QRS_BENCH_POLL, linked with
 * libsoup), it also takes --poll=URL: one GET of URL every 1.5 s, each
 * after the last answer was read, on one kept-alive connection, the body
 * thrown away. That is the least a GTK program can spend on a status poll
 * with libsoup at qr-signin's PENDING rate: no JSON, no model, no
 * bounded reads. bench-floor itself stays without libsoup, so that its
 * start-up loads nothing a bare window does not need.
 */

#include <string.h>

#include <gtk/gtk.h>
#include <qrencode.h>

#include "qrs-trace.h"

#ifdef QRS_BENCH_POLL
#include <libsoup/soup.h>

#define POLL_INTERVAL_MS 1500

static SoupSession *poll_session;
static char *poll_url;

static gboolean poll_cb (gpointer user_data);

static void
poll_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    g_printerr ("bench-poll-floor: %s\n", error->message);

  g_timeout_add (POLL_INTERVAL_MS, poll_cb, NULL);
}

static gboolean
poll_cb (gpointer user_data)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, poll_url);

  soup_session_send_and_read_async (poll_session, message, G_PRIORITY_DEFAULT, NULL, poll_read_cb, NULL);

  return G_SOURCE_REMOVE;
}
#endif

#define FLOOR_PAYLOAD "{\"scene\":\"APP_AUTH\",\"random\":\"QrsBenchFloorFixedCode00000000\"," \
                      "\"qrcodeId\":\"QrsBenchFloorFixedCode00000000\",\"userPoolId\":\"qrs-demo-pool\"," \
                      "\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"expireAt\":\"2026-01-01T00:02:00.000Z\"}"
#define QUIET_ZONE    4
#define CODE_SIDE     320

/* qr-signin's window: QrsWindow's default size. */
#define WINDOW_WIDTH  480
#define WINDOW_HEIGHT 720

static gboolean tick;

static void
draw_code (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  static gboolean drawn;
  QRcode *code = user_data;
  int n = code->width + 2 * QUIET_ZONE;
  int module = MIN (width, height) / n;
  int x0, y0;

  if (module == 0)
    return;

  if (!drawn)
    {
      drawn = TRUE;
      qrs_trace_mark ("first frame with a code drawn");
      qrs_trace_mark_after_paint (gtk_widget_get_frame_clock (GTK_WIDGET (area)), "first frame with a code rendered");
    }

  x0 = (width - module * n) / 2;
  y0 = (height - module * n) / 2;

  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x0, y0, module * n, module * n);
  cairo_fill (cr);

  x0 += QUIET_ZONE * module;
  y0 += QUIET_ZONE * module;
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        cairo_rectangle (cr, x0 + x * module, y0 + y * module, module, module);
  cairo_fill (cr);
}

static gboolean
tick_cb (gpointer user_data)
{
  GtkLabel *label = user_data;
  g_autofree char *text = NULL;
  static guint seconds;

  seconds++;
  text = g_strdup_printf ("%u:%02u", seconds / 60, seconds % 60);
  gtk_label_set_label (label, text);

  return G_SOURCE_CONTINUE;
}

static void
activate_cb (GtkApplication *app,
             gpointer        user_data)
{
  QRcode *code;
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *area;

  qrs_trace_mark ("activated");
  code = QRcode_encodeString (FLOOR_PAYLOAD, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  window = gtk_application_window_new (app);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  area = gtk_drawing_area_new ();
  g_assert (code != NULL);

  gtk_window_set_title (GTK_WINDOW (window), "QR floor");
  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), CODE_SIDE);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), CODE_SIDE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_code,
                                  code, (GDestroyNotify) QRcode_free);
  gtk_box_append (GTK_BOX (box), area);

  if (tick)
    {
      GtkWidget *label = gtk_label_new ("0:00");

      gtk_box_append (GTK_BOX (box), label);
      g_timeout_add_seconds (1, tick_cb, label);
    }

  gtk_window_set_child (GTK_WINDOW (window), box);
#ifdef QRS_BENCH_POLL
  if (poll_url != NULL)
    {
      poll_session = soup_session_new ();
      poll_cb (NULL);
    }
#endif
  qrs_trace_mark ("window built");
  gtk_window_present (GTK_WINDOW (window));
  qrs_trace_mark ("window presented");
}

static void
startup_cb (GApplication *app,
            gpointer      user_data)
{
  qrs_trace_mark ("GTK initialised");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  qrs_trace_mark ("main");
  /* Read before GApplication sees the command line. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--tick"))
        tick = TRUE;
#ifdef QRS_BENCH_POLL
      else if (g_str_has_prefix (argv[i], "--poll="))
        poll_url = argv[i] + strlen ("--poll=");
#endif
      else
        continue;

      memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
      argc--;
      i--;
    }

  app = gtk_application_new ("io.github.qrsignin.BenchFloor", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "startup", G_CALLBACK (startup_cb), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
