/* gtkgui.h - the parts of gpgpack-gtk: daemon client, key list, dialogs */
#ifndef GPGPACK_GUI_GTKGUI_H
#define GPGPACK_GUI_GTKGUI_H

#include <gtk/gtk.h>
#include <gpgme.h>

#include "guilogic.h"

/* gpgpack-gtk.c */
/* --homedir or NULL (then $GNUPGHOME or ~/.gnupg).  */
extern const char *gui_homedir;
/* Print "STATE NAME [DETAIL]" on stdout for the test script and tests.  */
void gui_state (const char *name, const char *detail);

/* gtkdaemon.c: one command to gpgpackd through GPGME's Assuan engine,
 * run in a GTask thread so the window never freezes.  */
typedef struct gui_op gui_op_t;
/* Asked on the main loop when the daemon asks INQUIRE CONFIRM_SECRET:
 * answer with gui_op_confirm.  */
typedef void (*gui_confirm_fn_t) (gui_op_t *op, unsigned int nkeys,
                                  gpointer user);
/* Create an operation for LINE (taken over).  PASSPHRASE (may be NULL)
 * answers NEW_PASSPHRASE / PASSPHRASE; it is copied into secure
 * memory.  */
gui_op_t *gui_op_new (char *line, const char *passphrase);
void gui_op_set_confirm (gui_op_t *op, gui_confirm_fn_t fn, gpointer user);
/* Call FN on the main loop with the fraction done at each PROGRESS.  */
void gui_op_set_progress (gui_op_t *op, void (*fn) (double, gpointer),
                          gpointer user);
/* Run OP; DONE is called on the main loop; then gui_op_finish.  */
void gui_op_run (gui_op_t *op, GAsyncReadyCallback done, gpointer user);
/* The error of the finished OP (the daemon's or GPGME's).  */
gpg_error_t gui_op_finish (gui_op_t *op, GAsyncResult *result);
/* The result and the D-line data (NUL-terminated) of a finished OP.  */
gui_result_t *gui_op_result (gui_op_t *op);
const char *gui_op_data (gui_op_t *op);
/* Answer the pending confirmation of OP.  */
void gui_op_confirm (gui_op_t *op, int yes);
/* Cancel OP: a pending inquiry is refused, the connection cancelled.  */
void gui_op_cancel (gui_op_t *op);
void gui_op_free (gui_op_t *op);

/* keylist.c: the keys of the keyring (GPGME key listing), multi-select
 * with a search box.  */
GtkWidget *gui_keylist_new (void);
/* Fill the list in the background; STATE keys-loaded when done.  */
void gui_keylist_load (GtkWidget *keylist);
/* The fingerprints of the selected keys (g_strfreev).  */
char **gui_keylist_selected (GtkWidget *keylist);
/* All fingerprints and their labels, for the custodian choosers.  */
GtkStringList *gui_keylist_labels (GtkWidget *keylist);
/* Select the row of fingerprint FPR; FALSE if there is none.  */
gboolean gui_keylist_select (GtkWidget *keylist, const char *fpr);

/* exportdlg.c */
void gui_export_dialog (GtkWindow *parent, GtkWidget *keylist);
/* importdlg.c: PACK may be NULL.  */
void gui_import_dialog (GtkWindow *parent, const char *pack);

/* widgets.c */
/* W, named NAME (gui_name).  */
GtkWidget *gui_named (GtkWidget *w, const char *name);
/* A button LABEL named NAME whose "clicked" calls FN with DATA.  */
GtkWidget *gui_button (const char *label, const char *name, GCallback fn,
                       gpointer data);
/* Row ROW of GRID: LABEL, the widget W and maybe EXTRA (a button).  */
void gui_form_row (GtkWidget *grid, int row, const char *label,
                   GtkWidget *w, GtkWidget *extra);
/* The dialogs' 18 px margins around W.  */
void gui_set_margins (GtkWidget *w);
/* What every dialog starts with: its window and its running command. */
typedef struct gui_dlg
{
  GtkWindow *win;
  gui_op_t *op;
} gui_dlg_t;
/* "Cancel" of dialog DLG: cancel its command, else close it.  */
void gui_dlg_cancel (GtkButton *b, gui_dlg_t *dlg);
/* Closing DLG's window while a command runs cancels the command.  */
gboolean gui_dlg_close_request (GtkWindow *win, gui_dlg_t *dlg);
/* Give the dialog DLG (its gui_dlg_t is BASE) a window titled TITLE
 * over PARENT, named NAME for the test script; DLG goes with the
 * window, freed by FREE_DLG.  */
void gui_dlg_window (gui_dlg_t *base, gpointer dlg, GDestroyNotify free_dlg,
                     GtkWindow *parent, const char *title, const char *name);
/* Show the pages FORM ("form") and RESULT ("result") in BASE's window
 * and present it; the stack of the two.  */
GtkWidget *gui_dlg_show (gui_dlg_t *base, GtkWidget *form, GtkWidget *result);
/* The foot of the form GRID of dialog BASE at rows ROW and ROW + 1: a
 * wrapping error label named PREFIX.error (returned), then, right
 * aligned, "Cancel" (PREFIX.cancel, gui_dlg_cancel) and the buttons
 * given, up to a NULL.  */
GtkWidget *gui_form_foot (GtkWidget *grid, int row, gui_dlg_t *base,
                          const char *prefix, ...) G_GNUC_NULL_TERMINATED;
/* A result page for BASE: a selectable label PREFIX.result (to
 * *R_LABEL) over "Close" (PREFIX.close), which closes the window.  */
GtkWidget *gui_result_page (gui_dlg_t *base, const char *prefix,
                            GtkWidget **r_label);
/* Show a native file chooser; FN gets the path accepted.  */
void gui_chooser_show (GtkWindow *parent, const char *title,
                       GtkFileChooserAction action,
                       void (*fn) (const char *path, gpointer user),
                       gpointer user);
/* gui_choose_file, the path chosen into the text of ENTRY.  */
void gui_choose_into (GtkWindow *parent, const char *title,
                      GtkFileChooserAction action, const char *name,
                      GtkWidget *entry);

/* testscript.c: drive the dialogs from a script of widget names.  */
/* Register WIDGET under NAME (also its widget name).  */
void gui_name (GtkWidget *widget, const char *name);
/* Start running the script FNAME; the program ends with its last
 * line (exit status 0) or at the first failure (1).  */
gboolean gui_script_start (const char *fname, GError **error);
/* Ask for a file (ACTION) with a native chooser titled TITLE; FN gets
 * the path chosen.  Under a script, the path the script gave for NAME
 * ("choose NAME PATH") is taken instead.  */
void gui_choose_file (GtkWindow *parent, const char *title,
                      GtkFileChooserAction action, const char *name,
                      void (*fn) (const char *path, gpointer user),
                      gpointer user);
/* Tell the script that STATE was reached.  */
void gui_script_state (const char *state);

#endif /*GPGPACK_GUI_GTKGUI_H*/
