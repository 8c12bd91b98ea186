/* bench-qr-grab.c — watch an X screen for QR codes
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The eye of the start-up benchmark: it grabs the root window whenever the X
 * server reports damage (and every 250 ms anyway), decodes the picture with
 * ZBar and writes one line per grab that changed the picture:
 *
 *   GRAB_US <TAB> DONE_US <TAB> PAYLOAD
 *
 * GRAB_US is CLOCK_MONOTONIC in microseconds just before the grab (the same
 * clock as Python's time.monotonic), DONE_US when decoding ended; PAYLOAD is
 * what the code says, with backslash, tab and newline escaped, or empty when
 * the picture holds no code. "READY" comes first, once watching. It stops on
 * SIGTERM, when stdout closes, or when its parent dies.
 *
 * Grabbing on damage rather than in a tight loop leaves the X server and the
 * CPU to the program being timed; a grab happens at most every MIN_GAP_US.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <unistd.h>

#include <glib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xdamage.h>

#include "qrs-test-zbar.h"

#define FALLBACK_PERIOD_MS 250
#define MIN_GAP_US         4000

static volatile sig_atomic_t stop;

static void
on_signal (int signum)
{
  stop = 1;
}

typedef struct
{
  Display *display;
  Window root;
  int width;
  int height;
  XImage *image;
  XShmSegmentInfo shm;
  gboolean use_shm;
  guint8 *gray;
  guint8 *previous;
} Grabber;

static gboolean
grabber_init (Grabber *self)
{
  XWindowAttributes attributes;
  int major, minor;
  Bool pixmaps;

  memset (self, 0, sizeof *self);
  self->display = XOpenDisplay (NULL);
  if (self->display == NULL)
    {
      fprintf (stderr, "bench-qr-grab: cannot open display %s\n", g_getenv ("DISPLAY"));
      return FALSE;
    }

  self->root = DefaultRootWindow (self->display);
  XGetWindowAttributes (self->display, self->root, &attributes);
  self->width = attributes.width;
  self->height = attributes.height;

  if (XShmQueryVersion (self->display, &major, &minor, &pixmaps))
    {
      self->image = XShmCreateImage (self->display, attributes.visual, (unsigned int) attributes.depth,
                                     ZPixmap, NULL, &self->shm,
                                     (unsigned int) self->width, (unsigned int) self->height);
      if (self->image != NULL)
        {
          self->shm.shmid = shmget (IPC_PRIVATE, (size_t) self->image->bytes_per_line * (size_t) self->height,
                                    IPC_CREAT | 0600);
          if (self->shm.shmid >= 0)
            {
              self->shm.shmaddr = self->image->data = shmat (self->shm.shmid, NULL, 0);
              self->shm.readOnly = False;
              /* Marked for removal now: it goes when both sides detach. */
              if (self->shm.shmaddr != (char *) -1 && XShmAttach (self->display, &self->shm))
                {
                  XSync (self->display, False);
                  shmctl (self->shm.shmid, IPC_RMID, NULL);
                  self->use_shm = TRUE;
                }
              else
                shmctl (self->shm.shmid, IPC_RMID, NULL);
            }
          if (!self->use_shm)
            {
              self->image->data = NULL;
              XDestroyImage (self->image);
              self->image = NULL;
            }
        }
    }

  self->gray = g_malloc ((gsize) self->width * (gsize) self->height);
  self->previous = g_malloc0 ((gsize) self->width * (gsize) self->height);

  return TRUE;
}

/* Grabs the screen into self->gray; FALSE if the X server said no. */
static gboolean
grabber_grab (Grabber *self)
{
  XImage *image = self->image;

  if (self->use_shm)
    {
      if (!XShmGetImage (self->display, self->root, image, 0, 0, AllPlanes))
        return FALSE;
    }
  else
    {
      image = XGetImage (self->display, self->root, 0, 0,
                         (unsigned int) self->width, (unsigned int) self->height,
                         AllPlanes, ZPixmap);
      if (image == NULL)
        return FALSE;
    }

  /* A 24-bit TrueColor screen stores each pixel as 32 bits, blue first. */
  for (int y = 0; y < self->height; y++)
    {
      const guint8 *row = (const guint8 *) image->data + (gsize) y * (gsize) image->bytes_per_line;
      guint8 *out = self->gray + (gsize) y * (gsize) self->width;

      if (image->bits_per_pixel == 32)
        {
          for (int x = 0; x < self->width; x++)
            out[x] = (guint8) ((row[4 * x] * 29u + row[4 * x + 1] * 150u + row[4 * x + 2] * 77u) >> 8);
        }
      else
        {
          for (int x = 0; x < self->width; x++)
            {
              unsigned long pixel = XGetPixel (image, x, y);

              out[x] = (guint8) ((((pixel >> 16) & 0xff) * 77u + ((pixel >> 8) & 0xff) * 150u + (pixel & 0xff) * 29u) >> 8);
            }
        }
    }

  if (!self->use_shm)
    XDestroyImage (image);

  return TRUE;
}

static void
print_escaped (GString    *line,
               const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (line, "\\\\");
          break;

        case '\t':
          g_string_append (line, "\\t");
          break;

        case '\n':
          g_string_append (line, "\\n");
          break;

        case '\r':
          g_string_append (line, "\\r");
          break;

        default:
          g_string_append_c (line, *p);
          break;
        }
    }
}

/* Grabs, and if the picture changed, decodes it and says what it saw.
 * Returns FALSE when stdout is gone.
 */
static gboolean
look (Grabber *self)
{
  gsize size = (gsize) self->width * (gsize) self->height;
  g_autoptr(GPtrArray) payloads = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 grab_us, done_us;

  grab_us = g_get_monotonic_time ();
  if (!grabber_grab (self))
    return TRUE;

  if (memcmp (self->gray, self->previous, size) == 0)
    return TRUE;
  memcpy (self->previous, self->gray, size);

  payloads = qrs_test_zbar_decode_gray (self->gray, (guint) self->width, (guint) self->height,
                                        (gsize) self->width);
  done_us = g_get_monotonic_time ();

  if (payloads->len == 0)
    g_string_append_printf (line, "%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t\n", grab_us, done_us);
  for (guint i = 0; i < payloads->len; i++)
    {
      g_string_append_printf (line, "%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t", grab_us, done_us);
      print_escaped (line, g_ptr_array_index (payloads, i));
      g_string_append_c (line, '\n');
    }

  return fwrite (line->str, 1, line->len, stdout) == line->len && fflush (stdout) == 0;
}

int
main (int   argc,
      char *argv[])
{
  struct sigaction action;
  Grabber grabber;
  Damage damage;
  int damage_event, damage_error;
  gint64 last_grab_us = 0;

  memset (&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGINT, &action, NULL);
  signal (SIGPIPE, SIG_IGN);
  prctl (PR_SET_PDEATHSIG, SIGTERM);

  if (argc > 1)
    {
      fprintf (stderr, "usage: bench-qr-grab (under an X display; see the comment at the top)\n");
      return 2;
    }

  if (!grabber_init (&grabber))
    return 1;

  if (!XDamageQueryExtension (grabber.display, &damage_event, &damage_error))
    {
      fprintf (stderr, "bench-qr-grab: the X server has no DAMAGE extension\n");
      return 1;
    }
  damage = XDamageCreate (grabber.display, grabber.root, XDamageReportNonEmpty);
  XSync (grabber.display, False);

  fprintf (stderr, "bench-qr-grab: %dx%d, %s\n", grabber.width, grabber.height,
           grabber.use_shm ? "MIT-SHM" : "XGetImage");
  printf ("READY\n");
  fflush (stdout);

  while (!stop)
    {
      struct pollfd fd = { ConnectionNumber (grabber.display), POLLIN, 0 };
      gboolean damaged = FALSE;
      gint64 gap_us;

      if (XPending (grabber.display) == 0 &&
          poll (&fd, 1, FALLBACK_PERIOD_MS) < 0 && errno != EINTR)
        break;
      if (stop)
        break;

      while (XPending (grabber.display) > 0)
        {
          XEvent event;

          XNextEvent (grabber.display, &event);
          if (event.type == damage_event + XDamageNotify)
            damaged = TRUE;
        }

      /* Damage keeps coming while a program draws; one grab per gap. */
      gap_us = g_get_monotonic_time () - last_grab_us;
      if (damaged && gap_us < MIN_GAP_US)
        g_usleep ((gulong) (MIN_GAP_US - gap_us));

      XDamageSubtract (grabber.display, damage, None, None);
      last_grab_us = g_get_monotonic_time ();
      if (!look (&grabber))
        break;
    }

  XDamageDestroy (grabber.display, damage);
  if (grabber.use_shm)
    {
      XShmDetach (grabber.display, &grabber.shm);
      grabber.image->data = NULL;
      XDestroyImage (grabber.image);
      shmdt (grabber.shm.shmaddr);
    }
  XCloseDisplay (grabber.display);
  g_free (grabber.gray);
  g_free (grabber.previous);

  return 0;
}
