/* bench-floor.c — the least a GTK 4 program can do to show a QR code
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The floor of the start-up benchmark: a bare GtkApplication with one
 * window and one widget that draws a fixed QR code the way QrsQrView does
 * (integer module size, a quiet zone of 4, one gtk_snapshot_append_color per
 * run of dark modules). No libadwaita, no network, no JSON, no settings:
 * whatever qr-signin takes beyond this is its own.
 *
 * The payload has the shape and length of the emulator's, so both codes are
 * the same QR version; bench.py knows it by its qrcodeId.
 */

#include <gtk/gtk.h>
#include <qrencode.h>

#define FLOOR_PAYLOAD "{\"scene\":\"APP_AUTH\",\"random\":\"QrsBenchFloorFixedCode00000000\"," \
                      "\"qrcodeId\":\"QrsBenchFloorFixedCode00000000\",\"userPoolId\":\"qrs-demo-pool\"," \
                      "\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"expireAt\":\"2026-01-01T00:02:00.000Z\"}"
#define QUIET_ZONE    4

#define BENCH_TYPE_QR (bench_qr_get_type ())
G_DECLARE_FINAL_TYPE (BenchQr, bench_qr, BENCH, QR, GtkWidget)

struct _BenchQr
{
  GtkWidget parent_instance;

  QRcode *code;
};

G_DEFINE_FINAL_TYPE (BenchQr, bench_qr, GTK_TYPE_WIDGET)

static gboolean
is_dark (BenchQr *self,
         int      x,
         int      y)
{
  return (self->code->data[y * self->code->width + x] & 1) != 0;
}

static void
bench_qr_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  static const GdkRGBA light = { 1, 1, 1, 1 };
  static const GdkRGBA dark = { 0, 0, 0, 1 };
  BenchQr *self = BENCH_QR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int n = self->code->width + 2 * QUIET_ZONE;
  int module = MIN (width, height) / n;
  int x0, y0;

  if (module == 0)
    return;

  x0 = (width - module * n) / 2;
  y0 = (height - module * n) / 2;
  gtk_snapshot_append_color (snapshot, &light,
                             &GRAPHENE_RECT_INIT (x0, y0, module * n, module * n));
  x0 += QUIET_ZONE * module;
  y0 += QUIET_ZONE * module;

  for (int y = 0; y < self->code->width; y++)
    {
      int x = 0;

      while (x < self->code->width)
        {
          int start;

          if (!is_dark (self, x, y))
            {
              x++;
              continue;
            }

          start = x;
          while (x < self->code->width && is_dark (self, x, y))
            x++;
          gtk_snapshot_append_color (snapshot, &dark,
                                     &GRAPHENE_RECT_INIT (x0 + start * module, y0 + y * module,
                                                          (x - start) * module, module));
        }
    }
}

static void
bench_qr_finalize (GObject *object)
{
  BenchQr *self = BENCH_QR (object);

  g_clear_pointer (&self->code, QRcode_free);

  G_OBJECT_CLASS (bench_qr_parent_class)->finalize (object);
}

static void
bench_qr_class_init (BenchQrClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bench_qr_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = bench_qr_snapshot;
}

static void
bench_qr_init (BenchQr *self)
{
  self->code = QRcode_encodeString (FLOOR_PAYLOAD, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_assert (self->code != NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

static void
activate_cb (GtkApplication *app,
             gpointer        user_data)
{
  GtkWidget *window = gtk_application_window_new (app);

  /* The size of qr-signin's window. */
  gtk_window_set_title (GTK_WINDOW (window), "QR floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 460, 620);
  gtk_window_set_child (GTK_WINDOW (window), g_object_new (BENCH_TYPE_QR, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = gtk_application_new ("io.github.qrsignin.BenchFloor",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
