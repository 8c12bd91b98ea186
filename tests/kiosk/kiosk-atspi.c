/* kiosk-atspi.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reads an application's accessible tree the way a screen reader does: over
 * D-Bus, from the AT-SPI registry down. Plain GDBus, so the test needs no
 * libatspi; GTK 4 answers these calls itself.
 */

#include "kiosk-atspi.h"

#define REGISTRY        "org.a11y.atspi.Registry"
#define ROOT_PATH       "/org/a11y/atspi/accessible/root"
#define ACCESSIBLE      "org.a11y.atspi.Accessible"
#define CALL_TIMEOUT_MS 5000
#define MAX_DEPTH       64
#define MAX_NODES       5000
#define STATE_VISIBLE   30  /* ATSPI_STATE_VISIBLE */

static void
node_free (KioskA11yNode *node)
{
  g_free (node->name);
  g_free (node->description);
  g_free (node);
}

static GVariant *
call (GDBusConnection     *connection,
      const char          *name,
      const char          *path,
      const char          *interface,
      const char          *method,
      GVariant            *parameters,
      const char          *reply_type,
      GError             **error)
{
  return g_dbus_connection_call_sync (connection, name, path, interface, method, parameters,
                                      G_VARIANT_TYPE (reply_type), G_DBUS_CALL_FLAGS_NONE,
                                      CALL_TIMEOUT_MS, NULL, error);
}

static char *
get_string_property (GDBusConnection  *connection,
                     const char       *name,
                     const char       *path,
                     const char       *property,
                     GError          **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = call (connection, name, path, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", ACCESSIBLE, property), "(v)", error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_strdup ("");

  return g_variant_dup_string (value, NULL);
}

static gboolean
walk (GDBusConnection  *connection,
      const char       *name,
      const char       *path,
      guint             depth,
      GPtrArray        *nodes,
      GError          **error)
{
  g_autoptr(GVariant) states = NULL;
  g_autoptr(GVariant) role = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  KioskA11yNode *node;
  const char *child_name, *child_path;
  guint32 word0 = 0;

  if (depth > MAX_DEPTH || nodes->len >= MAX_NODES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the accessible tree is deeper or larger than expected");
      return FALSE;
    }

  states = call (connection, name, path, ACCESSIBLE, "GetState", NULL, "(au)", error);
  if (states == NULL)
    return FALSE;
  {
    g_autoptr(GVariant) words = g_variant_get_child_value (states, 0);

    if (g_variant_n_children (words) > 0)
      g_variant_get_child (words, 0, "u", &word0);
  }

  /* What is not visible is not on the screen, and neither is anything in
   * it. The application itself has no states.
   */
  if (depth > 0 && (word0 & (1u << STATE_VISIBLE)) == 0)
    return TRUE;

  role = call (connection, name, path, ACCESSIBLE, "GetRole", NULL, "(u)", error);
  if (role == NULL)
    return FALSE;

  node = g_new0 (KioskA11yNode, 1);
  g_ptr_array_add (nodes, node);
  g_variant_get (role, "(u)", &node->role);
  node->name = get_string_property (connection, name, path, "Name", error);
  if (node->name == NULL)
    return FALSE;
  node->description = get_string_property (connection, name, path, "Description", error);
  if (node->description == NULL)
    return FALSE;

  children = call (connection, name, path, ACCESSIBLE, "GetChildren", NULL, "(a(so))", error);
  if (children == NULL)
    return FALSE;
  g_variant_get (children, "(a(so))", &iter);
  while (g_variant_iter_loop (iter, "(&s&o)", &child_name, &child_path))
    if (!walk (connection, child_name, child_path, depth + 1, nodes, error))
      return FALSE;

  return TRUE;
}

/**
 * kiosk_atspi_dump:
 * @bus_address: the accessibility bus
 * @pid: whose accessible application to read: the process id identifies
 *   it, not the name it gives itself
 *
 * Returns: (transfer full) (element-type KioskA11yNode): every visible
 *   accessible, the application first, depth first; %NULL with @error if
 *   the application is not on the bus (yet)
 */
GPtrArray *
kiosk_atspi_dump (const char  *bus_address,
                  GPid         pid,
                  GError     **error)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) apps = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  char *name, *path;
  guint n_apps = 0;

  connection = g_dbus_connection_new_for_address_sync (bus_address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, error);
  if (connection == NULL)
    return NULL;

  apps = call (connection, REGISTRY, ROOT_PATH, ACCESSIBLE, "GetChildren", NULL, "(a(so))", error);
  if (apps == NULL)
    return NULL;

  g_variant_get (apps, "(a(so))", &iter);
  while (g_variant_iter_next (iter, "(so)", &name, &path))
    {
      g_autofree char *app_name = name;
      g_autofree char *app_path = path;
      g_autoptr(GVariant) reply = NULL;
      guint32 owner = 0;

      n_apps++;
      reply = call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                    "GetConnectionUnixProcessID", g_variant_new ("(s)", app_name), "(u)", NULL);
      if (reply == NULL)
        continue;
      g_variant_get (reply, "(u)", &owner);
      if ((GPid) owner != pid)
        continue;

      if (!walk (connection, app_name, app_path, 0, nodes, error))
        return NULL;

      return g_steal_pointer (&nodes);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "no accessible application of process %d among the %u on the bus", pid, n_apps);

  return NULL;
}
