/* gpgpack-gtk.c - the key package dialogs: main window and command line */
#include <config.h>

#define GPGRT_ENABLE_ARGPARSE_MACROS 1
#define GPGRT_ENABLE_LOG_MACROS 1
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <gpg-error.h>
#include <gcrypt.h>

#include "gtkgui.h"
#include "version.h"

const char *gui_homedir;
static const char *test_script;
static char *pack_arg;          /* absolute path of the pack to open */

enum { oHomedir = 500, oTestScript };

static gpgrt_opt_t opts[] = {
  ARGPARSE_s_s (oHomedir, "homedir", "|DIR|use DIR as the GnuPG home"),
  ARGPARSE_s_s (oTestScript, "test-script",
                "|FILE|fill the dialogs from FILE (tests)"),
  ARGPARSE_end ()
};

/* The libraries whose versions --version shows.  */
static const struct gpgpack_libversion libversions[] =
  {
    { "libgcrypt", gcry_check_version },
    { "libgpg-error", gpgrt_check_version },
    { "gpgme", gpgme_check_version }
  };

/* Usage texts for argparse.  */
static const char *
my_usage (int level)
{
  switch (level)
    {
    case 9:  return "GPL-3.0-or-later";
    case 11: return "gpgpack-gtk";
    case 13: return PACKAGE_VERSION;
    case 14: return GPGPACK_COPYRIGHT_LINE;
    case 19: return "Please report bugs to <" PACKAGE_BUGREPORT ">.\n";
    case 1:
    case 40: return "Usage: gpgpack-gtk [options] [PACK] (-h for help)";
    case 41: return "Syntax: gpgpack-gtk [options] [PACK]\n"
                    "Export and import OpenPGP keys as key packages\n";
    default:
      return gpgpack_libversion_line (level, libversions,
                                      G_N_ELEMENTS (libversions));
    }
}

void
gui_state (const char *name, const char *detail)
{
  printf ("STATE %s%s%s\n", name, detail ? " " : "", detail ? detail : "");
  fflush (stdout);
  gui_script_state (name);
}

static void
export_clicked (GtkButton *b, GtkWidget *keylist)
{
  gui_export_dialog (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (b))),
                     keylist);
}

static void
import_clicked (GtkButton *b, gpointer unused)
{
  gui_import_dialog (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (b))),
                     NULL);
}

/* The main window: the key list and the two dialogs' buttons.  */
static void
activate (GtkApplication *app, gpointer unused)
{
  GtkWidget *win = gtk_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *keylist = gui_keylist_new ();

  gtk_window_set_title (GTK_WINDOW (win), "gpgpack");
  gtk_window_set_default_size (GTK_WINDOW (win), 640, 420);
  gui_name (win, "main");
  gtk_box_append (GTK_BOX (box), keylist);
  gtk_box_append (GTK_BOX (buttons),
                  gui_button ("Import a key package…", "main.import",
                              G_CALLBACK (import_clicked), NULL));
  gtk_box_append (GTK_BOX (buttons),
                  gui_button ("Export selected keys…", "main.export",
                              G_CALLBACK (export_clicked), keylist));
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), buttons);
  gui_set_margins (box);
  gtk_window_set_child (GTK_WINDOW (win), box);
  gtk_window_present (GTK_WINDOW (win));
  gui_keylist_load (keylist);
  if (pack_arg)
    gui_import_dialog (GTK_WINDOW (win), pack_arg);
}

/* Parse our options; the one argument left is the pack to open.  */
static void
parse_args (int argc, char **argv)
{
  gpgrt_argparse_t pargs = { &argc, &argv, 0 };

  while (gpgrt_argparse (NULL, &pargs, opts) > 0)
    switch (pargs.r_opt)
      {
      case oHomedir: gui_homedir = pargs.r.ret_str; break;
      case oTestScript: test_script = pargs.r.ret_str; break;
      default: pargs.err = ARGPARSE_PRINT_ERROR; break;
      }
  gpgrt_argparse (NULL, &pargs, NULL);
  if (argc > 1)
    log_fatal ("give at most one pack to open\n");
  if (argc)
    pack_arg = g_canonicalize_filename (argv[0], NULL);
}

int
main (int argc, char **argv)
{
  char *prgname[] = { argv[0], NULL };
  GtkApplication *app;
  GError *error = NULL;
  int status;

  setlocale (LC_ALL, "");
  gpgrt_set_strusage (my_usage);
  log_set_prefix ("gpgpack-gtk", GPGRT_LOG_WITH_PREFIX);
  if (!gcry_check_version (NEED_LIBGCRYPT_VERSION))
    log_fatal ("libgcrypt is too old (need %s)\n", NEED_LIBGCRYPT_VERSION);
  gcry_control (GCRYCTL_INIT_SECMEM, 32768, 0);
  gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
  gpgme_check_version (NULL);
  parse_args (argc, argv);
  if (test_script && !gui_script_start (test_script, &error))
    log_fatal ("%s\n", error->message);
  app = gtk_application_new ("org.gnupg.gpgpack.Gtk",
                             G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  status = g_application_run (G_APPLICATION (app), 1, prgname);
  g_object_unref (app);
  g_free (pack_arg);
  return status;
}
