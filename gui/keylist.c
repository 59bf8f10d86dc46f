/* keylist.c - the keyring's keys (GPGME key listing) to choose from */
#include <config.h>

#include <string.h>

#include "gtkgui.h"

/* One key of the list.  */
struct keyrow
{
  char *fpr;
  char *label;                  /* "Name <email>" */
  int secret;
};

static void
keyrow_free (gpointer data)
{
  struct keyrow *row = data;

  g_free (row->fpr);
  g_free (row->label);
  g_free (row);
}

/* A GPGME OpenPGP context on the home in use.  */
static gpgme_error_t
keyring_context (gpgme_ctx_t *r_ctx)
{
  gpgme_error_t err = gpgme_new (r_ctx);

  if (!err && gui_homedir)
    err = gpgme_ctx_set_engine_info (*r_ctx, GPGME_PROTOCOL_OpenPGP, NULL,
                                     gui_homedir);
  return err;
}

/* Add the keys of one listing (SECRET_ONLY: mark those rows) to ROWS.  */
static gpgme_error_t
list_keys (gpgme_ctx_t ctx, int secret_only, GPtrArray *rows)
{
  gpgme_error_t err;
  gpgme_key_t key;
  struct keyrow *row;
  guint i;

  err = gpgme_op_keylist_start (ctx, NULL, secret_only);
  while (!err && !(err = gpgme_op_keylist_next (ctx, &key)))
    {
      for (i = 0; secret_only && i < rows->len; i++)
        if (!strcmp (((struct keyrow *)rows->pdata[i])->fpr, key->fpr))
          ((struct keyrow *)rows->pdata[i])->secret = 1;
      if (!secret_only && key->fpr)
        {
          row = g_new0 (struct keyrow, 1);
          row->fpr = g_strdup (key->fpr);
          row->label = g_strdup (key->uids && key->uids->uid
                                 ? key->uids->uid : "(no user ID)");
          g_ptr_array_add (rows, row);
        }
      gpgme_key_unref (key);
    }
  return gpg_err_code (err) == GPG_ERR_EOF ? 0 : err;
}

/* The GTask thread: list public, then secret keys.  */
static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *c)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (keyrow_free);
  gpgme_ctx_t ctx = NULL;
  gpgme_error_t err;

  err = keyring_context (&ctx);
  if (!err)
    err = list_keys (ctx, 0, rows);
  if (!err)
    err = list_keys (ctx, 1, rows);
  gpgme_release (ctx);
  if (err)
    {
      g_ptr_array_unref (rows);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "listing the keyring: %s",
                               gpgme_strerror (err));
      return;
    }
  g_task_return_pointer (task, rows, (GDestroyNotify)g_ptr_array_unref);
}

/* A row of the list for ROW.  */
static GtkWidget *
make_row (const struct keyrow *row)
{
  GtkWidget *w = gtk_list_box_row_new ();
  GtkWidget *label;
  char *text;

  text = g_markup_printf_escaped ("<b>%s</b>%s\n<tt>%s</tt>", row->label,
                                  row->secret ? "  (secret key)" : "",
                                  row->fpr);
  label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (w), label);
  g_object_set_data_full (G_OBJECT (w), "fpr", g_strdup (row->fpr), g_free);
  g_object_set_data_full (G_OBJECT (w), "label",
                          g_strdup_printf ("%s %s", row->label, row->fpr),
                          g_free);
  g_free (text);
  return w;
}

/* Main loop: fill the list box with the listed keys.  */
static void
load_done (GObject *source, GAsyncResult *result, gpointer user)
{
  GtkListBox *box = GTK_LIST_BOX (user);
  GError *error = NULL;
  GPtrArray *rows;
  guint i;

  rows = g_task_propagate_pointer (G_TASK (result), &error);
  if (!rows)
    {
      gui_state ("keys-failed", error->message);
      g_error_free (error);
      g_object_unref (box);
      return;
    }
  for (i = 0; i < rows->len; i++)
    gtk_list_box_append (box, make_row (rows->pdata[i]));
  g_ptr_array_unref (rows);
  g_object_unref (box);
  gui_state ("keys-loaded", NULL);
}

/* The list box of KEYLIST.  */
static GtkListBox *
keylist_box (GtkWidget *keylist)
{
  return GTK_LIST_BOX (g_object_get_data (G_OBJECT (keylist), "box"));
}

/* Show only the rows whose label holds the search text.  */
static gboolean
filter_row (GtkListBoxRow *row, gpointer user)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (user));
  const char *label = g_object_get_data (G_OBJECT (row), "label");
  char *a, *b;
  gboolean show;

  if (!*text)
    return TRUE;
  a = g_utf8_casefold (label, -1);
  b = g_utf8_casefold (text, -1);
  show = strstr (a, b) != NULL;
  g_free (a);
  g_free (b);
  return show;
}

static void
search_changed (GtkSearchEntry *entry, gpointer box)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (box));
}

GtkWidget *
gui_keylist_new (void)
{
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *search = gtk_search_entry_new ();
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_list_box_new ();

  gui_name (search, "keys.search");
  gui_name (vbox, "keys");
  gui_name (box, "keys.list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box),
                                   GTK_SELECTION_MULTIPLE);
  gtk_list_box_set_filter_func (GTK_LIST_BOX (box), filter_row, search,
                                NULL);
  g_signal_connect (search, "search-changed", G_CALLBACK (search_changed),
                    box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), box);
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_box_append (GTK_BOX (vbox), search);
  gtk_box_append (GTK_BOX (vbox), scroll);
  g_object_set_data (G_OBJECT (vbox), "box", box);
  return vbox;
}

void
gui_keylist_load (GtkWidget *keylist)
{
  GTask *task = g_task_new (NULL, NULL, load_done,
                            g_object_ref (keylist_box (keylist)));

  g_task_run_in_thread (task, load_thread);
  g_object_unref (task);
}

char **
gui_keylist_selected (GtkWidget *keylist)
{
  GList *rows = gtk_list_box_get_selected_rows (keylist_box (keylist));
  GStrvBuilder *b = g_strv_builder_new ();
  GList *l;
  char **fprs;

  for (l = rows; l; l = l->next)
    g_strv_builder_add (b, g_object_get_data (l->data, "fpr"));
  g_list_free (rows);
  fprs = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return fprs;
}

GtkStringList *
gui_keylist_labels (GtkWidget *keylist)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  GtkListBoxRow *row;
  int i;

  for (i = 0; (row = gtk_list_box_get_row_at_index (keylist_box (keylist),
                                                     i)); i++)
    gtk_string_list_append (list, g_object_get_data (G_OBJECT (row),
                                                     "label"));
  return list;
}

gboolean
gui_keylist_select (GtkWidget *keylist, const char *fpr)
{
  GtkListBox *box = keylist_box (keylist);
  GtkListBoxRow *row;
  int i;

  for (i = 0; (row = gtk_list_box_get_row_at_index (box, i)); i++)
    if (!g_ascii_strcasecmp (g_object_get_data (G_OBJECT (row), "fpr"), fpr))
      {
        gtk_list_box_select_row (box, row);
        return TRUE;
      }
  return FALSE;
}
