/* exportdlg.c - the export dialog: choices, PACK_EXPORT, result page */
#include <config.h>

#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "gtkgui.h"
#include "packname.h"
#include "gpgpack-plugin.h"

#define MAX_FORMATS 16

/* One open export dialog.  */
typedef struct export_dlg
{
  gui_dlg_t base;               /* window and running command: first */
  GtkWidget *keylist;
  GtkWidget *stack, *name, *folder, *protect, *generated, *pass, *repeat;
  GtkWidget *gen_box, *typed_box, *secret, *exclude, *format;
  GtkWidget *share_mode, *shares, *threshold, *custodians, *share_box;
  GtkWidget *progress, *error, *result, *run;
  GtkStringList *formats, *key_labels;
  char *passphrase;             /* generated; secure memory */
} export_dlg_t;

static void
generate_name (GtkButton *b, export_dlg_t *dlg)
{
  char name[GPGPACK_GENERATED_NAME_SIZE];

  gpgpack_generate_name (name);
  gtk_editable_set_text (GTK_EDITABLE (dlg->name), name);
}

static void
choose_folder (GtkButton *b, export_dlg_t *dlg)
{
  gui_choose_into (dlg->base.win, "Output folder",
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "export.folder",
                   dlg->folder);
}

/* Show the fields of the protection chosen.  */
static void
protect_changed (GObject *dropdown, GParamSpec *pspec, export_dlg_t *dlg)
{
  guint sel = gtk_drop_down_get_selected (GTK_DROP_DOWN (dlg->protect));

  gtk_widget_set_visible (dlg->gen_box, sel == 0);
  gtk_widget_set_visible (dlg->typed_box, sel == 1);
}

static void
generate_passphrase (GtkButton *b, export_dlg_t *dlg)
{
  gpg_error_t err;

  gui_passphrase_free (dlg->passphrase);
  dlg->passphrase = NULL;
  err = gui_passphrase_generate (&dlg->passphrase);
  gtk_label_set_text (GTK_LABEL (dlg->generated),
                      err ? gpg_strerror (err) : dlg->passphrase);
}

/* Write the generated passphrase to PATH (mode 0600, not replacing a
 * file); return the error.  */
static gpg_error_t
save_passphrase (export_dlg_t *dlg, const char *path)
{
  gpg_error_t err = 0;
  size_t len;
  int fd;

  if (!dlg->passphrase)
    return gpg_error (GPG_ERR_NO_PASSPHRASE);
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd == -1)
    return gpg_error_from_syserror ();
  len = strlen (dlg->passphrase);
  if (write (fd, dlg->passphrase, len) != (ssize_t)len
      || write (fd, "\n", 1) != 1)
    err = gpg_error_from_syserror ();
  if (close (fd) && !err)
    err = gpg_error_from_syserror ();
  return err;
}

/* The save-to-file chooser's answer.  */
static void
passfile_chosen (const char *path, gpointer user)
{
  export_dlg_t *dlg = user;
  gpg_error_t err = save_passphrase (dlg, path);
  char *msg;

  msg = err ? g_strdup_printf ("Saving the passphrase to %s failed: %s."
                               " Choose another file.", path,
                               gpg_strerror (err))
            : g_strdup_printf ("Passphrase saved to %s.", path);
  gtk_label_set_text (GTK_LABEL (dlg->error), msg);
  gui_state (err ? "passphrase-save-failed" : "passphrase-saved", NULL);
  g_free (msg);
}

static void
choose_passfile (GtkButton *b, export_dlg_t *dlg)
{
  gui_choose_file (dlg->base.win, "Save the passphrase",
                   GTK_FILE_CHOOSER_ACTION_SAVE, "export.passphrase-file",
                   passfile_chosen, dlg);
}

/* The fingerprint at the end of a key list LABEL ("uid FPR").  */
static const char *
label_fpr (const char *label)
{
  size_t len = strlen (label);

  return len >= 40 ? label + len - 40 : label;
}

/* Make one custodian chooser per share.  */
static void
shares_changed (GtkSpinButton *spin, export_dlg_t *dlg)
{
  int n = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (dlg->shares));
  GtkWidget *child, *dd;
  char name[32];
  int i;

  while ((child = gtk_widget_get_first_child (dlg->custodians)))
    gtk_box_remove (GTK_BOX (dlg->custodians), child);
  for (i = 1; i <= n; i++)
    {
      dd = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (dlg->key_labels)),
                              NULL);
      snprintf (name, sizeof name, "export.custodian-%d", i);
      gui_name (dd, name);
      gtk_box_append (GTK_BOX (dlg->custodians), dd);
    }
}

static void
share_mode_toggled (GtkCheckButton *b, export_dlg_t *dlg)
{
  gtk_widget_set_visible (dlg->share_box, gtk_check_button_get_active (b));
}

/* The selected item of dropdown W as a string, or NULL.  */
static const char *
dropdown_string (GtkWidget *w)
{
  gpointer item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (w));

  return item ? gtk_string_object_get_string (item) : NULL;
}

/* Read the fields into C; WRAP gets the custodians (g_free).  */
static void
get_choices (export_dlg_t *dlg, gui_export_choices_t *c, char **fprs,
             const char ***r_wrap)
{
  static const gui_protect_t protect[] = {
    GUI_PROTECT_GENERATED, GUI_PROTECT_TYPED, GUI_PROTECT_NONE };
  const char **wrap = NULL;
  GtkWidget *child;
  int i = 0;

  memset (c, 0, sizeof *c);
  c->fprs = (const char *const *)fprs;
  c->nfprs = g_strv_length (fprs);
  c->name = gtk_editable_get_text (GTK_EDITABLE (dlg->name));
  c->output_dir = gtk_editable_get_text (GTK_EDITABLE (dlg->folder));
  c->protect = protect[gtk_drop_down_get_selected
                       (GTK_DROP_DOWN (dlg->protect)) % 3];
  c->passphrase = c->protect == GUI_PROTECT_GENERATED
                  ? dlg->passphrase
                  : gtk_editable_get_text (GTK_EDITABLE (dlg->pass));
  c->passphrase_repeat = gtk_editable_get_text (GTK_EDITABLE (dlg->repeat));
  c->secret = gtk_check_button_get_active (GTK_CHECK_BUTTON (dlg->secret));
  c->exclude_no_secret
    = gtk_check_button_get_active (GTK_CHECK_BUTTON (dlg->exclude));
  c->format = dropdown_string (dlg->format);
  if (gtk_check_button_get_active (GTK_CHECK_BUTTON (dlg->share_mode)))
    {
      c->nshares = gtk_spin_button_get_value_as_int
                     (GTK_SPIN_BUTTON (dlg->shares));
      c->threshold = gtk_spin_button_get_value_as_int
                       (GTK_SPIN_BUTTON (dlg->threshold));
      wrap = g_new0 (const char *, c->nshares + 1);
      for (child = gtk_widget_get_first_child (dlg->custodians);
           child && i < c->nshares; child = gtk_widget_get_next_sibling (child))
        wrap[i++] = dropdown_string (child)
                    ? label_fpr (dropdown_string (child)) : NULL;
      c->wrap_keys = wrap;
    }
  *r_wrap = wrap;
}

/* Answer of the secret-export confirmation.  */
static void
confirm_clicked (GtkButton *b, gui_op_t *op)
{
  GtkWidget *win = gtk_widget_get_ancestor (GTK_WIDGET (b), GTK_TYPE_WINDOW);

  gui_op_confirm (op, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b),
                                                          "yes")));
  gtk_window_destroy (GTK_WINDOW (win));
}

/* INQUIRE CONFIRM_SECRET: ask whether NKEYS secret keys may leave.  */
static void
ask_confirm (gui_op_t *op, unsigned int nkeys, gpointer user)
{
  export_dlg_t *dlg = user;
  GtkWidget *win = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *yes = gtk_button_new_with_label ("Export secret keys");
  GtkWidget *no = gtk_button_new_with_label ("Cancel");
  char *text;

  text = g_strdup_printf ("Export the secret parts of %u key%s?\n\n"
                          "Anyone who gets the pack and its key file can"
                          " sign and decrypt as you.", nkeys,
                          nkeys == 1 ? "" : "s");
  gtk_window_set_title (GTK_WINDOW (win), "Include secret keys?");
  gtk_window_set_transient_for (GTK_WINDOW (win), dlg->base.win);
  gtk_window_set_modal (GTK_WINDOW (win), TRUE);
  gtk_box_append (GTK_BOX (box), gtk_label_new (text));
  g_object_set_data (G_OBJECT (yes), "yes", GINT_TO_POINTER (1));
  g_signal_connect (yes, "clicked", G_CALLBACK (confirm_clicked), op);
  g_signal_connect (no, "clicked", G_CALLBACK (confirm_clicked), op);
  gui_name (win, "confirm");
  gui_name (yes, "confirm.yes");
  gui_name (no, "confirm.no");
  gtk_box_append (GTK_BOX (buttons), no);
  gtk_box_append (GTK_BOX (buttons), yes);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), buttons);
  gui_set_margins (box);
  gtk_window_set_child (GTK_WINDOW (win), box);
  gtk_window_present (GTK_WINDOW (win));
  g_free (text);
  gui_state ("confirm-asked", NULL);
}

static void
show_progress (double fraction, gpointer user)
{
  export_dlg_t *dlg = user;

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (dlg->progress), fraction);
}

/* The generated passphrase is shown once: gone after the export.  */
static void
forget_passphrase (export_dlg_t *dlg)
{
  gui_passphrase_free (dlg->passphrase);
  dlg->passphrase = NULL;
  gtk_label_set_text (GTK_LABEL (dlg->generated), "");
}

/* The export finished: result page or one error sentence.  */
static void
export_done (GObject *source, GAsyncResult *result, gpointer user)
{
  export_dlg_t *dlg = user;
  gpg_error_t err = gui_op_finish (dlg->base.op, result);
  gui_result_t *res = gui_op_result (dlg->base.op);
  char *text, code[16];

  gtk_widget_set_sensitive (dlg->run, TRUE);
  if (err)
    {
      text = gui_error_sentence ("Export", err, res->error_text);
      gtk_label_set_text (GTK_LABEL (dlg->error), text);
      snprintf (code, sizeof code, "%u", gpg_err_code (err));
      gui_state ("export-failed", code);
    }
  else
    {
      forget_passphrase (dlg);
      text = gui_export_summary (res);
      gtk_label_set_text (GTK_LABEL (dlg->result), text);
      gtk_label_select_region (GTK_LABEL (dlg->result), 0, 0);
      gtk_stack_set_visible_child_name (GTK_STACK (dlg->stack), "result");
      gui_state ("export-done", res->pack_path);
    }
  if (text)   /* The summary may hold a setup code.  */
    explicit_bzero (text, strlen (text));
  gpgrt_free (text);
  gui_op_free (dlg->base.op);
  dlg->base.op = NULL;
}

/* "Export": check the fields, then run PACK_EXPORT.  */
static void
run_export (GtkButton *b, export_dlg_t *dlg)
{
  char **fprs = gui_keylist_selected (dlg->keylist);
  gui_export_choices_t c;
  gui_field_error_t field;
  const char **wrap;
  char *line = NULL;
  gpg_error_t err;

  get_choices (dlg, &c, fprs, &wrap);
  err = gui_export_check (&c, &field);
  if (!err)
    err = gui_export_line (&c, &line);
  if (err)
    {
      gtk_label_set_text (GTK_LABEL (dlg->error),
                          field.text ? field.text : gpg_strerror (err));
      gui_state ("export-invalid", field.field);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (dlg->error), "");
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (dlg->progress), 0);
      dlg->base.op = gui_op_new (line, c.protect == GUI_PROTECT_NONE
                                  ? NULL : c.passphrase);
      gui_op_set_confirm (dlg->base.op, ask_confirm, dlg);
      gui_op_set_progress (dlg->base.op, show_progress, dlg);
      gtk_widget_set_sensitive (dlg->run, FALSE);
      gui_op_run (dlg->base.op, export_done, dlg);
      gui_state ("export-running", NULL);
    }
  g_free (wrap);
  g_strfreev (fprs);
}

/* GETINFO formats answered: fill the format chooser, show share mode
 * if a format offers it.  */
static void
formats_done (GObject *source, GAsyncResult *result, gpointer user)
{
  export_dlg_t *dlg = user;
  gui_format_t f[MAX_FORMATS];
  unsigned int i, n = 0;
  int shares = 0;
  gpg_error_t err;
  char *text;

  err = gui_op_finish (dlg->base.op, result);
  if (!err)
    err = gui_formats_parse (gui_op_data (dlg->base.op), f, MAX_FORMATS, &n);
  for (i = 0; i < n; i++)
    {
      gtk_string_list_append (dlg->formats, f[i].name);
      shares |= !!(f[i].flags & GPGPACK_FMT_SHARES);
      if (!strcmp (f[i].name, "native"))  /* the default */
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dlg->format), i);
    }
  gtk_widget_set_visible (dlg->share_mode, shares);
  if (err)
    {
      text = gui_error_sentence ("Asking gpgpackd for its formats", err,
                                 gui_op_result (dlg->base.op)->error_text);
      gtk_label_set_text (GTK_LABEL (dlg->error), text);
      gpgrt_free (text);
    }
  gui_op_free (dlg->base.op);
  dlg->base.op = NULL;
  gui_state (err ? "export-failed" : "export-ready", NULL);
}

static void
export_dlg_free (gpointer data)
{
  export_dlg_t *dlg = data;

  gui_passphrase_free (dlg->passphrase);
  g_object_unref (dlg->formats);
  g_object_unref (dlg->key_labels);
  g_free (dlg);
}

/* The key file protection: chooser, generate box, typed entries.  */
static GtkWidget *
protection_box (export_dlg_t *dlg)
{
  static const char *const choices[] = { "Generate passphrase",
    "Type a passphrase", "None", NULL };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  dlg->protect = gui_named (gtk_drop_down_new_from_strings (choices),
                        "export.protect");
  dlg->gen_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  dlg->generated = gui_named (gtk_label_new (""), "export.generated");
  gtk_label_set_selectable (GTK_LABEL (dlg->generated), TRUE);
  gtk_box_append (GTK_BOX (dlg->gen_box),
                  gui_button ("Generate passphrase", "export.generate-passphrase",
                          G_CALLBACK (generate_passphrase), dlg));
  gtk_box_append (GTK_BOX (dlg->gen_box), dlg->generated);
  gtk_box_append (GTK_BOX (dlg->gen_box),
                  gui_button ("Save to file…", "export.save-passphrase",
                          G_CALLBACK (choose_passfile), dlg));
  dlg->typed_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  dlg->pass = gui_named (gtk_password_entry_new (), "export.passphrase");
  dlg->repeat = gui_named (gtk_password_entry_new (), "export.passphrase-repeat");
  gtk_box_append (GTK_BOX (dlg->typed_box), dlg->pass);
  gtk_box_append (GTK_BOX (dlg->typed_box), dlg->repeat);
  g_signal_connect (dlg->protect, "notify::selected",
                    G_CALLBACK (protect_changed), dlg);
  gtk_box_append (GTK_BOX (box), dlg->protect);
  gtk_box_append (GTK_BOX (box), dlg->gen_box);
  gtk_box_append (GTK_BOX (box), dlg->typed_box);
  protect_changed (NULL, NULL, dlg);
  return box;
}

/* Share mode: number of shares, threshold, one custodian per share.  */
static GtkWidget *
share_box (export_dlg_t *dlg)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  dlg->share_mode = gui_named (gtk_check_button_new_with_label
                           ("Split the key into shares for custodians"),
                           "export.share-mode");
  dlg->shares = gui_named (gtk_spin_button_new_with_range (2, GUI_MAX_SHARES, 1),
                       "export.shares");
  dlg->threshold = gui_named (gtk_spin_button_new_with_range (2, GUI_MAX_SHARES,
                                                          1),
                          "export.threshold");
  dlg->custodians = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  dlg->share_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (row), gtk_label_new ("Shares"));
  gtk_box_append (GTK_BOX (row), dlg->shares);
  gtk_box_append (GTK_BOX (row), gtk_label_new ("needed"));
  gtk_box_append (GTK_BOX (row), dlg->threshold);
  gtk_box_append (GTK_BOX (dlg->share_box), row);
  gtk_box_append (GTK_BOX (dlg->share_box),
                  gtk_label_new ("One custodian key per share:"));
  gtk_box_append (GTK_BOX (dlg->share_box), dlg->custodians);
  gtk_widget_set_visible (dlg->share_box, FALSE);
  gtk_widget_set_visible (dlg->share_mode, FALSE);
  g_signal_connect (dlg->share_mode, "toggled",
                    G_CALLBACK (share_mode_toggled), dlg);
  g_signal_connect (dlg->shares, "value-changed",
                    G_CALLBACK (shares_changed), dlg);
  shares_changed (NULL, dlg);
  gtk_box_append (GTK_BOX (box), dlg->share_mode);
  gtk_box_append (GTK_BOX (box), dlg->share_box);
  return box;
}

/* The form page: the fields in GpgFrontend's order.  */
static GtkWidget *
form_page (export_dlg_t *dlg)
{
  GtkWidget *grid = gtk_grid_new ();
  int row = 0;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  dlg->name = gui_named (gtk_entry_new (), "export.name");
  gui_form_row (grid, row++, "Package name", dlg->name,
           gui_button ("Generate name", "export.generate-name",
                   G_CALLBACK (generate_name), dlg));
  generate_name (NULL, dlg);
  dlg->folder = gui_named (gtk_entry_new (), "export.folder");
  gui_form_row (grid, row++, "Output folder", dlg->folder,
           gui_button ("Choose…", "export.choose-folder",
                   G_CALLBACK (choose_folder), dlg));
  gui_form_row (grid, row++, "Key file protection", protection_box (dlg), NULL);
  dlg->secret = gui_named (gtk_check_button_new_with_label
                       ("Include secret keys (think twice)"),
                       "export.secret");
  gtk_grid_attach (GTK_GRID (grid), dlg->secret, 1, row++, 2, 1);
  dlg->exclude = gui_named (gtk_check_button_new_with_label
                        ("Exclude keys without a secret part"),
                        "export.exclude-no-secret");
  gtk_grid_attach (GTK_GRID (grid), dlg->exclude, 1, row++, 2, 1);
  dlg->format = gui_named (gtk_drop_down_new (G_LIST_MODEL (g_object_ref
                                                        (dlg->formats)),
                                          NULL), "export.format");
  gui_form_row (grid, row++, "Format", dlg->format, NULL);
  gtk_grid_attach (GTK_GRID (grid), share_box (dlg), 1, row++, 2, 1);
  dlg->progress = gui_named (gtk_progress_bar_new (), "export.progress");
  gtk_grid_attach (GTK_GRID (grid), dlg->progress, 0, row++, 3, 1);
  dlg->run = gui_button ("Export", "export.run", G_CALLBACK (run_export), dlg);
  dlg->error = gui_form_foot (grid, row, &dlg->base, "export", dlg->run,
                              NULL);
  return grid;
}

void
gui_export_dialog (GtkWindow *parent, GtkWidget *keylist)
{
  export_dlg_t *dlg = g_new0 (export_dlg_t, 1);

  dlg->keylist = keylist;
  dlg->formats = gtk_string_list_new (NULL);
  dlg->key_labels = gui_keylist_labels (keylist);
  gui_dlg_window (&dlg->base, dlg, export_dlg_free, parent,
                  "Export key package", "export");
  dlg->stack = gui_dlg_show (&dlg->base, form_page (dlg),
                             gui_result_page (&dlg->base, "export",
                                              &dlg->result));
  dlg->base.op = gui_op_new (gpgrt_strdup ("GETINFO formats"), NULL);
  gui_op_run (dlg->base.op, formats_done, dlg);
}
