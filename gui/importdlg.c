/* importdlg.c - the import dialog: PACK_INFO, dry run, PACK_IMPORT */
#include <config.h>

#include <string.h>

#include "gtkgui.h"

/* One open import dialog.  */
typedef struct import_dlg
{
  gui_dlg_t base;               /* window and running command: first */
  GtkWidget *stack, *pack, *info, *key_file, *share_box, *share_label;
  GtkWidget *passphrase, *candidates, *error, *result, *dry, *run;
  GPtrArray *shares;            /* share files (g_free) */
  int dry_run;                  /* of the running PACK_IMPORT */
} import_dlg_t;

/* Show TEXT as the error of operation WHAT failing with ERR; STATE.  */
static void
show_error (import_dlg_t *dlg, const char *what, gpg_error_t err)
{
  char *text = gui_error_sentence (what, err,
                                   gui_op_result (dlg->base.op)->error_text);
  char code[16];

  gtk_label_set_text (GTK_LABEL (dlg->error), text);
  snprintf (code, sizeof code, "%u", gpg_err_code (err));
  gui_state ("import-failed", code);
  gpgrt_free (text);
}

/* Buttons usable while nothing runs.  */
static void
set_busy (import_dlg_t *dlg, gboolean busy)
{
  gtk_widget_set_sensitive (dlg->dry, !busy);
  gtk_widget_set_sensitive (dlg->run, !busy);
}

/* Run LINE (taken over) for DLG with the passphrase field; DONE gets
 * DLG on the main loop.  */
static void
run_op (import_dlg_t *dlg, char *line, GAsyncReadyCallback done)
{
  const char *pass = gtk_editable_get_text (GTK_EDITABLE (dlg->passphrase));

  gtk_label_set_text (GTK_LABEL (dlg->error), "");
  dlg->base.op = gui_op_new (line, *pass ? pass : NULL);
  set_busy (dlg, TRUE);
  gui_op_run (dlg->base.op, done, dlg);
}

/* Finish the running command of DLG: its error.  */
static gpg_error_t
finish_op (import_dlg_t *dlg, GAsyncResult *result)
{
  set_busy (dlg, FALSE);
  return gui_op_finish (dlg->base.op, result);
}

static void
end_op (import_dlg_t *dlg)
{
  gui_op_free (dlg->base.op);
  dlg->base.op = NULL;
}

/* PACK_INFO answered: show the format, ask for what the pack needs.  */
static void
info_done (GObject *source, GAsyncResult *result, gpointer user)
{
  import_dlg_t *dlg = user;
  gpg_error_t err = finish_op (dlg, result);
  gui_result_t *res = gui_op_result (dlg->base.op);
  char *text;

  if (err)
    {
      gtk_label_set_text (GTK_LABEL (dlg->info), "");
      show_error (dlg, "Reading the pack", err);
    }
  else
    {
      text = gui_info_summary (res);
      gtk_label_set_text (GTK_LABEL (dlg->info), text);
      gpgrt_free (text);
      gtk_widget_set_visible (dlg->share_box, res->needs_shares > 0);
      gui_state ("import-info", res->format);
    }
  end_op (dlg);
}

/* The key file next to PACK ("x.gpgpack" -> "x.key"), if it exists.  */
static char *
sibling_key_file (const char *pack)
{
  const char *dot = strrchr (pack, '.');
  char *key;

  if (!dot || strchr (dot, '/'))
    return NULL;
  key = g_strdup_printf ("%.*s.key", (int)(dot - pack), pack);
  if (!g_file_test (key, G_FILE_TEST_IS_REGULAR))
    {
      g_free (key);
      return NULL;
    }
  return key;
}

/* A pack was chosen: show it, guess its key file, run PACK_INFO.  */
static void
pack_chosen (const char *path, gpointer user)
{
  import_dlg_t *dlg = user;
  char *key = sibling_key_file (path);
  char *line;
  gpg_error_t err;

  gtk_editable_set_text (GTK_EDITABLE (dlg->pack), path);
  if (key)
    gtk_editable_set_text (GTK_EDITABLE (dlg->key_file), key);
  g_free (key);
  err = gui_info_line (path, &line);
  if (err)
    gtk_label_set_text (GTK_LABEL (dlg->error), gpg_strerror (err));
  else
    run_op (dlg, line, info_done);
}

static void
choose_pack (GtkButton *b, import_dlg_t *dlg)
{
  gui_choose_file (dlg->base.win, "Key package", GTK_FILE_CHOOSER_ACTION_OPEN,
                   "import.pack", pack_chosen, dlg);
}

static void
choose_key_file (GtkButton *b, import_dlg_t *dlg)
{
  gui_choose_into (dlg->base.win, "Key file", GTK_FILE_CHOOSER_ACTION_OPEN,
                   "import.key-file", dlg->key_file);
}

static void
share_chosen (const char *path, gpointer user)
{
  import_dlg_t *dlg = user;
  char *text;

  g_ptr_array_add (dlg->shares, g_strdup (path));
  g_ptr_array_add (dlg->shares, NULL);
  text = g_strjoinv ("\n", (char **)dlg->shares->pdata);
  g_ptr_array_set_size (dlg->shares, dlg->shares->len - 1);
  gtk_label_set_text (GTK_LABEL (dlg->share_label), text);
  g_free (text);
}

static void
add_share (GtkButton *b, import_dlg_t *dlg)
{
  gui_choose_file (dlg->base.win, "Share", GTK_FILE_CHOOSER_ACTION_OPEN,
                   "import.share", share_chosen, dlg);
}

/* PACK_IMPORT (dry run or not) finished.  */
static void
import_done (GObject *source, GAsyncResult *result, gpointer user)
{
  import_dlg_t *dlg = user;
  gpg_error_t err = finish_op (dlg, result);
  char *text;

  if (err)
    show_error (dlg, dlg->dry_run ? "Checking the pack" : "Import", err);
  else
    {
      text = gui_import_summary (gui_op_result (dlg->base.op), dlg->dry_run);
      gtk_label_set_text (GTK_LABEL (dlg->dry_run ? dlg->candidates
                                                  : dlg->result), text);
      gtk_label_select_region (GTK_LABEL (dlg->result), 0, 0);
      gpgrt_free (text);
      if (!dlg->dry_run)
        gtk_stack_set_visible_child_name (GTK_STACK (dlg->stack), "result");
      gui_state (dlg->dry_run ? "import-dryrun" : "import-done", NULL);
    }
  end_op (dlg);
}

/* Check the fields and run PACK_IMPORT, a dry run if DRY_RUN.  */
static void
start_import (import_dlg_t *dlg, int dry_run)
{
  gui_import_choices_t c = { 0 };
  gui_field_error_t field = { NULL, NULL };
  char *line;
  gpg_error_t err;

  c.pack = gtk_editable_get_text (GTK_EDITABLE (dlg->pack));
  c.key_file = gtk_editable_get_text (GTK_EDITABLE (dlg->key_file));
  c.shares = (const char *const *)dlg->shares->pdata;
  c.nshares = dlg->shares->len;
  c.dry_run = dry_run;
  err = gui_import_check (&c, &field);
  if (!err)
    err = gui_import_line (&c, &line);
  if (err)
    {
      gtk_label_set_text (GTK_LABEL (dlg->error),
                          field.text ? field.text : gpg_strerror (err));
      gui_state ("import-invalid", field.field);
      return;
    }
  dlg->dry_run = dry_run;
  run_op (dlg, line, import_done);
}

static void
dry_run_clicked (GtkButton *b, import_dlg_t *dlg)
{
  start_import (dlg, 1);
}

static void
import_clicked (GtkButton *b, import_dlg_t *dlg)
{
  start_import (dlg, 0);
}

static void
import_dlg_free (gpointer data)
{
  import_dlg_t *dlg = data;

  g_ptr_array_unref (dlg->shares);
  g_free (dlg);
}

/* The share files of a share-mode pack.  */
static GtkWidget *
share_box (import_dlg_t *dlg)
{
  dlg->share_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  dlg->share_label = gui_named (gtk_label_new (""), "import.shares");
  gtk_widget_set_hexpand (dlg->share_label, TRUE);
  gtk_box_append (GTK_BOX (dlg->share_box), dlg->share_label);
  gtk_box_append (GTK_BOX (dlg->share_box),
                  gui_button ("Add share…", "import.add-share",
                          G_CALLBACK (add_share), dlg));
  gtk_widget_set_visible (dlg->share_box, FALSE);
  return dlg->share_box;
}

/* The form: pack, what it is, key file or shares, dry run.  */
static GtkWidget *
form_page (import_dlg_t *dlg)
{
  GtkWidget *grid = gtk_grid_new ();
  int row = 0;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  dlg->pack = gui_named (gtk_entry_new (), "import.pack");
  gtk_editable_set_editable (GTK_EDITABLE (dlg->pack), FALSE);
  gui_form_row (grid, row++, "Key package", dlg->pack,
           gui_button ("Choose…", "import.choose-pack",
                   G_CALLBACK (choose_pack), dlg));
  dlg->info = gui_named (gtk_label_new ("Choose a pack to see what it is."),
                     "import.info");
  gtk_label_set_xalign (GTK_LABEL (dlg->info), 0);
  gtk_grid_attach (GTK_GRID (grid), dlg->info, 1, row++, 2, 1);
  dlg->key_file = gui_named (gtk_entry_new (), "import.key-file");
  gui_form_row (grid, row++, "Key file", dlg->key_file,
           gui_button ("Choose…", "import.choose-key-file",
                   G_CALLBACK (choose_key_file), dlg));
  gui_form_row (grid, row++, "Shares", share_box (dlg), NULL);
  dlg->passphrase = gui_named (gtk_password_entry_new (), "import.passphrase");
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY
                                         (dlg->passphrase), TRUE);
  gui_form_row (grid, row++, "Key file passphrase", dlg->passphrase, NULL);
  gtk_grid_attach (GTK_GRID (grid), gtk_label_new
                   ("Leave it empty to be asked by gpg-agent's pinentry."),
                   1, row++, 2, 1);
  dlg->candidates = gui_named (gtk_label_new (""), "import.candidates");
  gtk_label_set_xalign (GTK_LABEL (dlg->candidates), 0);
  gtk_grid_attach (GTK_GRID (grid), dlg->candidates, 0, row++, 3, 1);
  dlg->dry = gui_button ("Show what would be imported", "import.dry-run",
                         G_CALLBACK (dry_run_clicked), dlg);
  dlg->run = gui_button ("Import", "import.run", G_CALLBACK (import_clicked),
                         dlg);
  dlg->error = gui_form_foot (grid, row, &dlg->base, "import", dlg->dry,
                              dlg->run, NULL);
  return grid;
}

void
gui_import_dialog (GtkWindow *parent, const char *pack)
{
  import_dlg_t *dlg = g_new0 (import_dlg_t, 1);

  dlg->shares = g_ptr_array_new_with_free_func (g_free);
  gui_dlg_window (&dlg->base, dlg, import_dlg_free, parent,
                  "Import key package", "import");
  dlg->stack = gui_dlg_show (&dlg->base, form_page (dlg),
                             gui_result_page (&dlg->base, "import",
                                              &dlg->result));
  if (pack)
    pack_chosen (pack, dlg);
  else
    gui_state ("import-ready", NULL);
}
