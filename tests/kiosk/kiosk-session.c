/* kiosk-session.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How cage is made to run here (Debian 12: cage 0.1.4, wlroots 0.15):
 *
 * - cage refuses to start when it could become root again, so as root the
 *   session runs as nobody, with a runtime directory of its own (mode 0700).
 * - 1280×720 is wlroots' headless backend: its outputs are always 1280×720,
 *   and cage 0.1.4 has no output-management protocol (wlr-randr cannot change
 *   them). Any other size runs wlroots' X11 backend on an Xvfb of the test's
 *   own, with cage's X window resized to it: the output follows (the window
 *   may be larger than Xvfb's screen; wlroots renders all of it).
 * - `cage -r -r` (two 90° turns, 180°) switches off direct scan-out, which on
 *   the headless backend freezes the first frame for good.
 * - SIGTERM makes cage 0.1.4 abort; a kiosk is stopped by ending the app, and
 *   cage then exits by itself.
 * - The session bus is a private dbus-daemon, which serves as the
 *   accessibility bus too (AT_SPI_BUS_ADDRESS) and starts at-spi2-registryd
 *   when GTK asks for it. It runs as the test's user and lets both users in.
 */

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <X11/Xlib.h>
#include <glib/gstdio.h>

#include "kiosk-session.h"
#include "qrs-test-process.h"

#define HEADLESS_WIDTH   1280
#define HEADLESS_HEIGHT  720
#define START_SECONDS    20

struct _KioskSession
{
  guint width;
  guint height;
  gboolean drop;  /* run the kiosk as @uid/@gid */
  uid_t uid;
  gid_t gid;

  char *dir;
  char *runtime_dir;
  char *log_path;
  char *bus_address;
  char *wayland_display;

  QrsTestDisplay *x_display;
  GSubprocess *bus;
  GSubprocess *cage;
  GPid app_pid;
};

static gboolean
uses_headless (guint width,
               guint height)
{
  return width == HEADLESS_WIDTH && height == HEADLESS_HEIGHT;
}

/**
 * kiosk_missing_tool:
 *
 * Returns: (nullable): what this machine lacks to run a kiosk of that size,
 *   or %NULL
 */
const char *
kiosk_missing_tool (guint width,
                    guint height)
{
  const char *tools[] = { "cage", "grim", "Xwayland", "dbus-daemon", "Xvfb" };
  guint n = uses_headless (width, height) ? G_N_ELEMENTS (tools) - 1 : G_N_ELEMENTS (tools);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        return tools[i];
    }

  if (geteuid () == 0 && getpwnam ("nobody") == NULL)
    return "the user nobody";

  if (!g_file_test ("/usr/share/dbus-1/accessibility-services/org.a11y.atspi.Registry.service", G_FILE_TEST_EXISTS))
    return "at-spi2-registryd";

  return NULL;
}

/* In the child between fork and exec: async-signal-safe calls only. The
 * identity changes first, because a change of identity clears the
 * parent-death signal: if the test dies, cage dies with it (as with
 * qrs_test_launcher_new()).
 */
static void
child_setup_drop (gpointer user_data)
{
  const KioskSession *self = user_data;

  if (setgroups (0, NULL) != 0 ||
      setgid (self->gid) != 0 ||
      setuid (self->uid) != 0)
    _exit (127);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
own (KioskSession  *self,
     const char    *path,
     GError       **error)
{
  if (self->drop && chown (path, self->uid, self->gid) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "chown %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static char *
make_dir (KioskSession  *self,
          const char    *relative,
          GError       **error)
{
  g_autofree char *path = g_build_filename (self->dir, relative, NULL);
  g_autofree char *walk = g_strdup (relative);

  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "mkdir %s: %s", path, g_strerror (saved));
      return NULL;
    }

  /* Every level, not only the last, belongs to the kiosk's user. */
  while (*walk != '\0')
    {
      g_autofree char *level = g_build_filename (self->dir, walk, NULL);
      char *slash;

      if (!own (self, level, error))
        return NULL;
      slash = strrchr (walk, '/');
      if (slash == NULL)
        break;
      *slash = '\0';
    }

  return g_steal_pointer (&path);
}

static gboolean
copy_in (KioskSession  *self,
         const char    *source,
         const char    *relative,
         int            mode,
         GError       **error)
{
  g_autofree char *target = g_build_filename (self->dir, relative, NULL);
  g_autoptr(GFile) from = g_file_new_for_path (source);
  g_autoptr(GFile) to = g_file_new_for_path (target);

  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return FALSE;
  if (g_chmod (target, mode) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "chmod %s", target);
      return FALSE;
    }

  return own (self, target, error);
}

static gboolean
write_in (KioskSession  *self,
          const char    *relative,
          const char    *contents,
          GError       **error)
{
  g_autofree char *path = g_build_filename (self->dir, relative, NULL);

  return g_file_set_contents (path, contents, -1, error) && own (self, path, error);
}

/* The first field after the command's name in /proc/PID/stat; the name may
 * hold spaces and parentheses, hence the last ')'.
 */
static gboolean
read_stat (GPid    pid,
           char  **comm,
           GPid   *ppid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  char *open, *close;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  open = strchr (contents, '(');
  close = strrchr (contents, ')');
  if (open == NULL || close == NULL || close < open || strlen (close) < 5)
    return FALSE;

  if (comm != NULL)
    *comm = g_strndup (open + 1, close - open - 1);
  if (ppid != NULL)
    *ppid = (GPid) g_ascii_strtoll (close + 4, NULL, 10);

  return TRUE;
}

static GArray *
list_pids (void)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      char *end;
      gint64 pid = g_ascii_strtoll (name, &end, 10);

      if (*end == '\0' && pid > 0)
        {
          GPid value = (GPid) pid;

          g_array_append_val (pids, value);
        }
    }

  return pids;
}

/* Every process that came from the kiosk whose runtime directory is
 * @runtime_dir, whoever its parent is now: they all inherited it.
 */
static GPtrArray *
list_processes_of (const char *runtime_dir)
{
  g_autoptr(GArray) pids = list_pids ();
  g_autofree char *needle = g_strconcat ("XDG_RUNTIME_DIR=", runtime_dir, NULL);
  GPtrArray *found = g_ptr_array_new ();
  GPid me = getpid ();

  for (guint i = 0; i < pids->len; i++)
    {
      GPid pid = g_array_index (pids, GPid, i);
      g_autofree char *path = g_strdup_printf ("/proc/%d/environ", pid);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (pid == me || !g_file_get_contents (path, &contents, &length, NULL))
        continue;
      for (gsize at = 0; at < length; at += strlen (contents + at) + 1)
        {
          if (g_str_equal (contents + at, needle))
            {
              g_ptr_array_add (found, GINT_TO_POINTER (pid));
              break;
            }
        }
    }

  return found;
}

static void
kill_processes_of (const char *runtime_dir)
{
  g_autoptr(GPtrArray) left = list_processes_of (runtime_dir);

  for (guint i = 0; i < left->len; i++)
    kill (GPOINTER_TO_INT (g_ptr_array_index (left, i)), SIGKILL);
}

/* A test that fails an assertion aborts before its teardown: the next
 * session ends what such tests left running and removes their directories,
 * recognised by the process id of the test that made them. Sessions of
 * tests still running are left alone.
 */
static void
sweep_stale_sessions (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *owner = NULL;
      g_autofree char *contents = NULL;
      gint64 pid;

      if (!g_str_has_prefix (name, "qrs-kiosk-"))
        continue;
      path = g_build_filename (g_get_tmp_dir (), name, NULL);
      owner = g_build_filename (path, "test-pid", NULL);
      if (!g_file_get_contents (owner, &contents, NULL, NULL))
        continue;
      pid = g_ascii_strtoll (contents, NULL, 10);
      if (pid > 0 && kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *runtime_dir = g_build_filename (path, "runtime", NULL);

          kill_processes_of (runtime_dir);
          qrs_test_remove_tree (path);
        }
    }
}

/**
 * kiosk_session_new:
 * @width: the screen's width in pixels
 * @height: and its height
 *
 * Makes the kiosk's private directory, owned by the kiosk's user: the app
 * and its settings schema are copied in, so that the kiosk's user can run
 * them wherever the build directory is. A welcome lasts one second, so that
 * the next code comes quickly, and GTK's animations are off, so that no
 * screenshot catches a crossfade.
 */
KioskSession *
kiosk_session_new (guint    width,
                   guint    height,
                   GError **error)
{
  g_autoptr(KioskSession) self = g_new0 (KioskSession, 1);
  g_autofree char *schemas = NULL;
  g_autofree char *pid_text = NULL;
  const char *dirs[] = { "home", "cache", "data", "state", "config/glib-2.0/settings", "config/gtk-4.0",
                         "schemas", "bin" };

  self->width = width;
  self->height = height;
  self->drop = geteuid () == 0;
  self->uid = geteuid ();
  self->gid = getegid ();
  if (self->drop)
    {
      struct passwd *nobody = getpwnam ("nobody");

      g_assert_nonnull (nobody);
      self->uid = nobody->pw_uid;
      self->gid = nobody->pw_gid;
    }

  sweep_stale_sessions ();
  self->dir = g_dir_make_tmp ("qrs-kiosk-XXXXXX", error);
  if (self->dir == NULL || !own (self, self->dir, error))
    return NULL;
  pid_text = g_strdup_printf ("%d\n", (int) getpid ());
  if (!write_in (self, "test-pid", pid_text, error))
    return NULL;

  self->runtime_dir = make_dir (self, "runtime", error);
  if (self->runtime_dir == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = make_dir (self, dirs[i], error);

      if (path == NULL)
        return NULL;
    }

  schemas = g_build_filename (g_getenv ("QRS_SCHEMA_DIR"), "gschemas.compiled", NULL);
  if (!copy_in (self, g_getenv ("QRS_APP_BINARY"), "bin/qr-signin", 0755, error) ||
      !copy_in (self, schemas, "schemas/gschemas.compiled", 0644, error) ||
      !write_in (self, "config/glib-2.0/settings/keyfile",
                 "[io/github/qrsignin/QrSignIn]\nwelcome-seconds=1\n", error) ||
      !write_in (self, "config/gtk-4.0/settings.ini", "[Settings]\ngtk-enable-animations=false\n", error))
    return NULL;

  self->log_path = g_build_filename (self->dir, "kiosk.log", NULL);

  return g_steal_pointer (&self);
}

/* The kiosk's private directory: its user may write there. */
const char *
kiosk_session_get_dir (KioskSession *self)
{
  return self->dir;
}

/* GSubprocess reaps its child in GLib's worker thread: no main loop needed. */
static gboolean
cage_ended (KioskSession *self)
{
  return self->cage != NULL && g_subprocess_get_identifier (self->cage) == NULL;
}

static void
nap (guint ms)
{
  g_usleep ((gulong) ms * 1000);
}

static gboolean
start_bus (KioskSession  *self,
           GError       **error)
{
  g_autofree char *config_path = g_build_filename (self->dir, "bus.conf", NULL);
  g_autofree char *socket_path = g_build_filename (self->runtime_dir, "bus", NULL);
  g_autofree char *config = NULL;
  g_autofree char *a11y = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  /* A session bus that both users may use, which can start the AT-SPI
   * registry (at-spi2-core's service file).
   */
  config = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                            " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                            "<busconfig>\n"
                            "  <type>session</type>\n"
                            "  <listen>unix:path=%s</listen>\n"
                            "  <auth>EXTERNAL</auth>\n"
                            "  <servicedir>/usr/share/dbus-1/accessibility-services</servicedir>\n"
                            "  <policy context=\"default\">\n"
                            "    <allow user=\"*\"/>\n"
                            "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                            "    <allow eavesdrop=\"true\"/>\n"
                            "    <allow own=\"*\"/>\n"
                            "  </policy>\n"
                            "</busconfig>\n",
                            socket_path);
  if (!g_file_set_contents (config_path, config, -1, error))
    return FALSE;

  /* The registry it starts finds the accessibility bus here. */
  a11y = g_strconcat ("unix:path=", socket_path, NULL);
  launcher = qrs_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_environ (launcher, NULL);
  g_subprocess_launcher_setenv (launcher, "PATH", g_getenv ("PATH"), TRUE);
  g_subprocess_launcher_setenv (launcher, "AT_SPI_BUS_ADDRESS", a11y, TRUE);
  self->bus = g_subprocess_launcher_spawn (launcher, error, "dbus-daemon", "--nofork",
                                           "--config-file", config_path, "--print-address=1", NULL);
  if (self->bus == NULL)
    return FALSE;

  /* It prints its address once it listens. */
  self->bus_address = qrs_test_read_ready_line (g_subprocess_get_stdout_pipe (self->bus), "dbus-daemon", error);

  return self->bus_address != NULL;
}

static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  return 0;
}

/* wlroots' X11 backend opens a 1024×768 window; its output follows the
 * window's size. There is no window manager, so the test resizes it.
 */
static gboolean
resize_x_output (KioskSession  *self,
                 GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + START_SECONDS * G_USEC_PER_SEC;
  gboolean resized = FALSE;
  Display *display;

  display = XOpenDisplay (qrs_test_display_get_name (self->x_display));
  if (display == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open X display %s",
                   qrs_test_display_get_name (self->x_display));
      return FALSE;
    }
  XSetErrorHandler (ignore_x_error);

  while (!resized && !cage_ended (self) && g_get_monotonic_time () < deadline)
    {
      Window root, parent, *children = NULL;
      unsigned int n_children = 0;

      if (XQueryTree (display, DefaultRootWindow (display), &root, &parent, &children, &n_children))
        {
          for (unsigned int i = 0; i < n_children; i++)
            {
              XWindowAttributes attributes;

              if (!XGetWindowAttributes (display, children[i], &attributes) ||
                  attributes.map_state != IsViewable)
                continue;
              if ((guint) attributes.width == self->width && (guint) attributes.height == self->height)
                resized = TRUE;
              else
                XResizeWindow (display, children[i], self->width, self->height);
            }
          if (children != NULL)
            XFree (children);
        }
      XSync (display, False);
      if (!resized)
        nap (50);
    }

  XCloseDisplay (display);

  if (!resized)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cage's X window never became %u×%u",
                 self->width, self->height);

  return resized;
}

/**
 * kiosk_process_children:
 *
 * Returns: (transfer full): the processes whose parent is @pid
 */
GArray *
kiosk_process_children (GPid pid)
{
  g_autoptr(GArray) pids = list_pids ();
  GArray *children = g_array_new (FALSE, FALSE, sizeof (GPid));

  for (guint i = 0; i < pids->len; i++)
    {
      GPid candidate = g_array_index (pids, GPid, i);
      GPid ppid;

      if (read_stat (candidate, NULL, &ppid) && ppid == pid)
        g_array_append_val (children, candidate);
    }

  return children;
}

static GPid
find_app (KioskSession *self)
{
  g_autoptr(GArray) children = NULL;
  const char *identifier = g_subprocess_get_identifier (self->cage);

  if (identifier == NULL)
    return 0;

  children = kiosk_process_children ((GPid) g_ascii_strtoll (identifier, NULL, 10));
  for (guint i = 0; i < children->len; i++)
    {
      GPid pid = g_array_index (children, GPid, i);
      g_autofree char *comm = NULL;

      if (read_stat (pid, &comm, NULL) && g_str_equal (comm, "qr-signin"))
        return pid;
    }

  return 0;
}

/* cage names its socket wayland-N in its own runtime directory. */
static char *
find_wayland_display (KioskSession *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->runtime_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "wayland-") && !g_str_has_suffix (name, ".lock"))
        return g_strdup (name);
    }

  return NULL;
}

static char **
kiosk_environment (KioskSession *self)
{
  const char *passed[] = {
    "PATH", "LANG", "LC_ALL", "TZ", "G_DEBUG", "G_ENABLE_DIAGNOSTIC", "MALLOC_CHECK_",
    "GIO_USE_VFS", "GIO_USE_PROXY_RESOLVER", "UBSAN_OPTIONS",
  };
  const struct { const char *name; const char *relative; } dirs[] = {
    { "HOME", "home" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_STATE_HOME", "state" },
    { "GSETTINGS_SCHEMA_DIR", "schemas" },
  };
  g_autofree char *asan = NULL;
  char **env = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (passed); i++)
    if (g_getenv (passed[i]) != NULL)
      env = g_environ_setenv (env, passed[i], g_getenv (passed[i]), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (self->dir, dirs[i].relative, NULL);

      env = g_environ_setenv (env, dirs[i].name, path, TRUE);
    }

  /* The app's leaks are other suites' business; here the test stops it
   * with a signal, and LSan's suppressions may be out of its user's reach.
   */
  asan = g_strconcat (g_getenv ("ASAN_OPTIONS") != NULL ? g_getenv ("ASAN_OPTIONS") : "",
                      g_getenv ("ASAN_OPTIONS") != NULL ? ":" : "", "detect_leaks=0", NULL);
  env = g_environ_setenv (env, "ASAN_OPTIONS", asan, TRUE);

  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", self->runtime_dir, TRUE);
  env = g_environ_setenv (env, "WLR_BACKENDS", self->x_display != NULL ? "x11" : "headless", TRUE);
  env = g_environ_setenv (env, "WLR_RENDERER", "pixman", TRUE);
  env = g_environ_setenv (env, "WLR_LIBINPUT_NO_DEVICES", "1", TRUE);
  if (self->x_display != NULL)
    env = g_environ_setenv (env, "DISPLAY", qrs_test_display_get_name (self->x_display), TRUE);

  env = g_environ_setenv (env, "GDK_BACKEND", "wayland", TRUE);
  env = g_environ_setenv (env, "GSK_RENDERER", "cairo", TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", self->bus_address, TRUE);
  env = g_environ_setenv (env, "AT_SPI_BUS_ADDRESS", self->bus_address, TRUE);

  return env;
}

/**
 * kiosk_session_start:
 * @app_args: what follows `qr-signin --kiosk`
 *
 * Starts the buses, cage, and qr-signin in it, and returns once the app
 * runs and cage listens; the app may not have drawn anything yet.
 */
gboolean
kiosk_session_start (KioskSession        *self,
                     const char * const  *app_args,
                     GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) env = NULL;
  gint64 deadline;

  g_return_val_if_fail (self->cage == NULL, FALSE);

  if (!start_bus (self, error))
    return FALSE;
  if (!uses_headless (self->width, self->height))
    self->x_display = qrs_test_display_new ();

  g_ptr_array_add (argv, g_strdup ("cage"));
  /* -d: as the README's service runs it. -r -r: see the top of this file. */
  g_ptr_array_add (argv, g_strdup ("-d"));
  g_ptr_array_add (argv, g_strdup ("-r"));
  g_ptr_array_add (argv, g_strdup ("-r"));
  g_ptr_array_add (argv, g_strdup ("--"));
  g_ptr_array_add (argv, g_build_filename (self->dir, "bin", "qr-signin", NULL));
  g_ptr_array_add (argv, g_strdup ("--kiosk"));
  for (guint i = 0; app_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (app_args[i]));
  g_ptr_array_add (argv, NULL);

  env = kiosk_environment (self);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, self->log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup_drop, self, NULL);
  self->cage = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (self->cage == NULL)
    return FALSE;

  if (self->x_display != NULL && !resize_x_output (self, error))
    return FALSE;

  deadline = g_get_monotonic_time () + START_SECONDS * G_USEC_PER_SEC;
  while (!cage_ended (self) && g_get_monotonic_time () < deadline &&
         (self->wayland_display == NULL || self->app_pid == 0))
    {
      if (self->wayland_display == NULL)
        self->wayland_display = find_wayland_display (self);
      if (self->app_pid == 0)
        self->app_pid = find_app (self);
      nap (50);
    }

  if (self->wayland_display == NULL || self->app_pid == 0)
    {
      g_autofree char *log = kiosk_session_dup_log (self);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "cage %s: socket %s, app pid %d; its log:\n%s",
                   cage_ended (self) ? "exited" : "is running", self->wayland_display, self->app_pid, log);
      return FALSE;
    }

  return TRUE;
}

/* qr-signin's process id, as cage's child. */
GPid
kiosk_session_get_app_pid (KioskSession *self)
{
  return self->app_pid;
}

/* The kiosk's session bus, which is also its accessibility bus. */
const char *
kiosk_session_get_bus_address (KioskSession *self)
{
  return self->bus_address;
}

/**
 * kiosk_session_screenshot:
 *
 * What the screen shows now, through grim (wlr-screencopy).
 *
 * Returns: (transfer full): the picture
 */
GdkPixbuf *
kiosk_session_screenshot (KioskSession  *self,
                          GError       **error)
{
  g_autofree char *path = g_build_filename (self->dir, "screenshot.png", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) grim = NULL;
  g_autofree char *errors = NULL;

  launcher = qrs_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, NULL);
  g_subprocess_launcher_setenv (launcher, "PATH", g_getenv ("PATH"), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", self->runtime_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "WAYLAND_DISPLAY", self->wayland_display, TRUE);
  grim = g_subprocess_launcher_spawn (launcher, error, "grim", path, NULL);
  if (grim == NULL || !g_subprocess_communicate_utf8 (grim, NULL, NULL, NULL, &errors, error))
    return NULL;
  if (!g_subprocess_get_if_exited (grim) || g_subprocess_get_exit_status (grim) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "grim failed: %s", errors);
      return NULL;
    }

  return gdk_pixbuf_new_from_file (path, error);
}

/**
 * kiosk_session_wait_for_cage:
 * @exit_status: (out): its exit status, or -1 if a signal ended it
 *
 * Returns: whether cage ended within @seconds
 */
gboolean
kiosk_session_wait_for_cage (KioskSession *self,
                             guint         seconds,
                             int          *exit_status)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (!cage_ended (self) && g_get_monotonic_time () < deadline)
    nap (20);

  if (cage_ended (self) && exit_status != NULL)
    *exit_status = g_subprocess_get_if_exited (self->cage) ? g_subprocess_get_exit_status (self->cage) : -1;

  return cage_ended (self);
}

/* What cage and the app said on stdout and stderr. */
char *
kiosk_session_dup_log (KioskSession *self)
{
  char *contents = NULL;

  if (!g_file_get_contents (self->log_path, &contents, NULL, NULL))
    return g_strdup ("");

  return contents;
}

/**
 * kiosk_session_list_processes:
 *
 * Every process that came from this kiosk, whoever its parent is now.
 *
 * Returns: (transfer full): their process ids
 */
GPtrArray *
kiosk_session_list_processes (KioskSession *self)
{
  return list_processes_of (self->runtime_dir);
}

/* "PID: its command line", for messages. */
char *
kiosk_process_describe (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup_printf ("%d: (gone)", pid);
  for (gsize i = 0; i + 1 < length; i++)
    if (contents[i] == '\0')
      contents[i] = ' ';

  return g_strdup_printf ("%d: %s", pid, contents);
}

/* Resident memory in KiB, from /proc/PID/status; 0 if it is gone. */
guint64
kiosk_process_rss_kb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  line = strstr (contents, "\nVmRSS:");
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

static void
stop (GSubprocess *process)
{
  if (process == NULL)
    return;
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}


/* Ends whatever is left of the kiosk, the way a kiosk is stopped first (the
 * app ends, cage follows), then by force; and removes its directory.
 */
void
kiosk_session_free (KioskSession *self)
{
  if (self->cage != NULL && !cage_ended (self))
    {
      if (self->app_pid != 0)
        kill (self->app_pid, SIGTERM);
      if (!kiosk_session_wait_for_cage (self, 5, NULL))
        {
          if (self->app_pid != 0)
            kill (self->app_pid, SIGKILL);
          g_subprocess_force_exit (self->cage);
          g_subprocess_wait (self->cage, NULL, NULL);
        }
    }

  if (self->runtime_dir != NULL)
    kill_processes_of (self->runtime_dir);

  g_clear_pointer (&self->x_display, qrs_test_display_free);
  stop (self->bus);
  g_clear_object (&self->bus);
  g_clear_object (&self->cage);

  if (self->dir != NULL)
    qrs_test_remove_tree (self->dir);

  g_free (self->dir);
  g_free (self->runtime_dir);
  g_free (self->log_path);
  g_free (self->bus_address);
  g_free (self->wayland_display);
  g_free (self);
}
