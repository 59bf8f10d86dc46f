/* widgets.c - small widget helpers the dialogs share, and file choosers */
#include <config.h>

#include <stdarg.h>

#include "gtkgui.h"

GtkWidget *
gui_named (GtkWidget *w, const char *name)
{
  gui_name (w, name);
  return w;
}

GtkWidget *
gui_button (const char *label, const char *name, GCallback fn, gpointer data)
{
  GtkWidget *b = gui_named (gtk_button_new_with_label (label), name);

  g_signal_connect (b, "clicked", fn, data);
  return b;
}

void
gui_form_row (GtkWidget *grid, int row, const char *label, GtkWidget *w,
              GtkWidget *extra)
{
  GtkWidget *l = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_set_hexpand (w, TRUE);
  gtk_grid_attach (GTK_GRID (grid), l, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), w, 1, row, extra ? 1 : 2, 1);
  if (extra)
    gtk_grid_attach (GTK_GRID (grid), extra, 2, row, 1, 1);
}

void
gui_set_margins (GtkWidget *w)
{
  g_object_set (w, "margin-start", 18, "margin-end", 18, "margin-top", 18,
                "margin-bottom", 18, NULL);
}

void
gui_dlg_cancel (GtkButton *b, gui_dlg_t *dlg)
{
  if (dlg->op)
    gui_op_cancel (dlg->op);
  else
    gtk_window_destroy (dlg->win);
}

gboolean
gui_dlg_close_request (GtkWindow *win, gui_dlg_t *dlg)
{
  if (!dlg->op)
    return FALSE;
  gui_op_cancel (dlg->op);
  return TRUE;
}

void
gui_dlg_window (gui_dlg_t *base, gpointer dlg, GDestroyNotify free_dlg,
                GtkWindow *parent, const char *title, const char *name)
{
  base->win = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (base->win, title);
  gtk_window_set_transient_for (base->win, parent);
  gui_name (GTK_WIDGET (base->win), name);
  g_object_set_data_full (G_OBJECT (base->win), "dlg", dlg, free_dlg);
}

GtkWidget *
gui_dlg_show (gui_dlg_t *base, GtkWidget *form, GtkWidget *result)
{
  GtkWidget *stack = gtk_stack_new ();

  gtk_stack_add_named (GTK_STACK (stack), form, "form");
  gtk_stack_add_named (GTK_STACK (stack), result, "result");
  gui_set_margins (stack);
  gtk_window_set_child (base->win, stack);
  g_signal_connect (base->win, "close-request",
                    G_CALLBACK (gui_dlg_close_request), base);
  gtk_window_present (base->win);
  return stack;
}

/* W named PREFIX.WHAT (gui_name).  */
static GtkWidget *
named2 (GtkWidget *w, const char *prefix, const char *what)
{
  char *name = g_strconcat (prefix, ".", what, NULL);

  gui_name (w, name);
  g_free (name);
  return w;
}

GtkWidget *
gui_form_foot (GtkWidget *grid, int row, gui_dlg_t *base,
               const char *prefix, ...)
{
  GtkWidget *error = named2 (gtk_label_new (""), prefix, "error");
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cancel = named2 (gtk_button_new_with_label ("Cancel"),
                              prefix, "cancel");
  GtkWidget *b;
  va_list ap;

  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_grid_attach (GTK_GRID (grid), error, 0, row, 3, 1);
  g_signal_connect (cancel, "clicked", G_CALLBACK (gui_dlg_cancel), base);
  gtk_box_append (GTK_BOX (buttons), cancel);
  va_start (ap, prefix);
  while ((b = va_arg (ap, GtkWidget *)))
    gtk_box_append (GTK_BOX (buttons), b);
  va_end (ap);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_grid_attach (GTK_GRID (grid), buttons, 0, row + 1, 3, 1);
  return error;
}

GtkWidget *
gui_result_page (gui_dlg_t *base, const char *prefix, GtkWidget **r_label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *close = named2 (gtk_button_new_with_label ("Close"),
                             prefix, "close");

  *r_label = named2 (gtk_label_new (""), prefix, "result");
  gtk_label_set_selectable (GTK_LABEL (*r_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (*r_label), 0);
  g_signal_connect_swapped (close, "clicked",
                            G_CALLBACK (gtk_window_destroy), base->win);
  gtk_widget_set_halign (close, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), *r_label);
  gtk_box_append (GTK_BOX (box), close);
  return box;
}

/* What a chooser hands its answer to.  */
struct chooser_answer
{
  void (*fn) (const char *path, gpointer user);
  gpointer user;
};

/* The chooser's response: the path to FN, if one was accepted.  */
static void
chooser_response (GtkNativeDialog *chooser, int response, gpointer data)
{
  struct chooser_answer *answer = data;
  GFile *file = NULL;
  char *path;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file && (path = g_file_get_path (file)))
    {
      answer->fn (path, answer->user);
      g_free (path);
    }
  if (file)
    g_object_unref (file);
  g_free (answer);
  g_object_unref (chooser);
}

void
gui_chooser_show (GtkWindow *parent, const char *title,
                  GtkFileChooserAction action,
                  void (*fn) (const char *path, gpointer user), gpointer user)
{
  GtkFileChooserNative *chooser;
  struct chooser_answer *answer = g_new (struct chooser_answer, 1);

  answer->fn = fn;
  answer->user = user;
  chooser = gtk_file_chooser_native_new (title, parent, action, NULL, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response),
                    answer);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A path chosen into the entry ENTRY.  */
static void
entry_chosen (const char *path, gpointer entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), path);
}

void
gui_choose_into (GtkWindow *parent, const char *title,
                 GtkFileChooserAction action, const char *name,
                 GtkWidget *entry)
{
  gui_choose_file (parent, title, action, name, entry_chosen, entry);
}
