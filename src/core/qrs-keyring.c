/* qrs-keyring.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "qrs-keyring.h"

/* A thin layer over libsecret's password functions, so that the schema
 * and its attributes are written once, and a secret that comes back is a
 * QrsSecret, wiped when it is freed. libsecret copies what it stores into
 * memory it wipes itself; nothing here logs a secret or keeps a copy.
 *
 * The source object of every callback is %NULL: these are functions, not
 * methods of an object.
 */

const SecretSchema *
qrs_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    QRS_KEYRING_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { QRS_KEYRING_ATTRIBUTE_SERVER, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { QRS_KEYRING_ATTRIBUTE_APP_ID, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static gboolean
names_an_item (const char *server,
               const char *app_id)
{
  return server != NULL && *server != '\0' && app_id != NULL && *app_id != '\0';
}

/* Which item: the server and application it is for. libsecret keeps the
 * table while the call runs, so it holds copies of the values.
 */
static GHashTable *
new_attributes (const char *server,
                const char *app_id)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) QRS_KEYRING_ATTRIBUTE_SERVER, g_strdup (server));
  g_hash_table_insert (attributes, (gpointer) QRS_KEYRING_ATTRIBUTE_APP_ID, g_strdup (app_id));

  return attributes;
}

/**
 * qrs_keyring_store_async:
 * @server: the server address, as in the "server" setting
 * @app_id: the application's id on that server
 * @secret: the client secret; libsecret copies it before this returns,
 *   so the caller may wipe its own copy at once
 *
 * Stores @secret in the default keyring, in place of any secret stored
 * before for the same server and application.
 */
void
qrs_keyring_store_async (const char          *server,
                         const char          *app_id,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (names_an_item (server, app_id));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  attributes = new_attributes (server, app_id);

  /* What a keyring manager (Seahorse) lists: it names the item, never
   * its secret.
   */
  label = g_strdup_printf (_("QR Sign-In client secret for %s on %s"), app_id, server);

  secret_password_storev (qrs_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, secret, cancellable, callback, user_data);
}

gboolean
qrs_keyring_store_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return secret_password_store_finish (result, error);
}

/**
 * qrs_keyring_lookup_async:
 * @server: the server address, as in the "server" setting
 * @app_id: the application's id on that server
 *
 * Looks up the client secret stored for @server and @app_id. The keyring
 * may ask the person to unlock it first.
 */
void
qrs_keyring_lookup_async (const char          *server,
                          const char          *app_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (names_an_item (server, app_id));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  attributes = new_attributes (server, app_id);
  secret_password_lookupv (qrs_keyring_get_schema (), attributes,
                           cancellable, callback, user_data);
}

/**
 * qrs_keyring_lookup_finish:
 * @error: return location for an error, when the keyring could not be
 *   asked (not when nothing is stored)
 *
 * Returns: (transfer full) (nullable): the secret, to be freed with
 *   qrs_secret_free(), which wipes it; %NULL without an error when none is
 *   stored for that server and application
 */
QrsSecret *
qrs_keyring_lookup_finish (GAsyncResult  *result,
                           GError       **error)
{
  char *password;
  QrsSecret *secret;

  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  password = secret_password_lookup_finish (result, error);
  if (password == NULL)
    return NULL;

  /* libsecret's copy lives in its own wiped memory: hand out ours, which
   * qrs_secret_free() wipes, and wipe libsecret's now.
   */
  secret = g_strdup (password);
  secret_password_free (password);

  return secret;
}

/**
 * qrs_keyring_contains_async:
 * @server: the server address, as in the "server" setting
 * @app_id: the application's id on that server
 *
 * Finds out whether a client secret is stored for @server and @app_id
 * without reading it, and without asking the person to unlock anything:
 * enough for the preferences to say so.
 */
void
qrs_keyring_contains_async (const char          *server,
                            const char          *app_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (names_an_item (server, app_id));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  attributes = new_attributes (server, app_id);
  secret_password_searchv (qrs_keyring_get_schema (), attributes, SECRET_SEARCH_NONE,
                           cancellable, callback, user_data);
}

/**
 * qrs_keyring_contains_finish:
 *
 * Returns: whether a secret is stored; %FALSE with @error set when the
 *   keyring could not be asked
 */
gboolean
qrs_keyring_contains_finish (GAsyncResult  *result,
                             GError       **error)
{
  GList *items;

  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  items = secret_password_search_finish (result, error);
  g_list_free_full (items, g_object_unref);

  return items != NULL;
}

/**
 * qrs_keyring_clear_async:
 * @server: the server address, as in the "server" setting
 * @app_id: the application's id on that server
 *
 * Removes the client secret stored for @server and @app_id, if any.
 */
void
qrs_keyring_clear_async (const char          *server,
                         const char          *app_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (names_an_item (server, app_id));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  attributes = new_attributes (server, app_id);
  secret_password_clearv (qrs_keyring_get_schema (), attributes,
                          cancellable, callback, user_data);
}

/**
 * qrs_keyring_clear_finish:
 *
 * Returns: %TRUE if the keyring could be asked, whether or not a secret
 *   was stored; %FALSE with @error set otherwise
 */
gboolean
qrs_keyring_clear_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  /* secret_password_clear_finish() says FALSE both for "nothing to
   * remove" and for a failure; only the error tells them apart.
   */
  if (!secret_password_clear_finish (result, &local_error) && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}
