/* testscript.c - drive gpgpack-gtk from a script of widget names (tests)
 *
 * --test-script FILE runs one command a line ('#' starts a comment):
 *
 *   await STATE          until gui_state STATE was reached (at most
 *                        SCRIPT_WAIT_S seconds, else the program fails;
 *                        a "...-failed" state meanwhile fails it too)
 *   set NAME VALUE       entry text, check button 0|1, drop-down item,
 *                        spin button number
 *   select NAME FPR      select the key FPR in the key list NAME
 *   click NAME           press the button NAME
 *   choose NAME PATH     the answer of the next file chooser NAME
 *   snapshot NAME FILE   save window NAME as a PNG (after a new frame)
 *
 * The program exits 0 after the last line, 1 at a failing one (with
 * "STATE script-failed LINE: why" on stdout).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "gtkgui.h"

/* How long "await" waits for a state.  */
#define SCRIPT_WAIT_S 60

static GHashTable *widgets;     /* name -> GtkWidget (not owned) */
static GHashTable *choices;     /* chooser name -> path */
static char **lines;            /* the script */
static int pc;                  /* next line */
static GPtrArray *states;       /* states reached, not yet awaited */
static const char *awaiting;    /* the state "await" waits for */
static guint await_timer;
static int frames_left;         /* of a pending snapshot */

static void step (void);

/* Forget a destroyed widget.  */
static void
widget_gone (gpointer name, GObject *where)
{
  if (g_hash_table_lookup (widgets, name) == (gpointer)where)
    g_hash_table_remove (widgets, name);
  g_free (name);
}

void
gui_name (GtkWidget *widget, const char *name)
{
  gtk_widget_set_name (widget, name);
  if (!widgets)
    return;
  g_hash_table_replace (widgets, g_strdup (name), widget);
  g_object_weak_ref (G_OBJECT (widget), widget_gone, g_strdup (name));
}

/* End the program: 0 if the script ran through.  */
static void
script_exit (int status)
{
  fflush (stdout);
  exit (status);
}

/* Fail at the current line because of WHY.  */
static void
fail (const char *why)
{
  printf ("STATE script-failed %d: %s\n", pc, why);
  script_exit (1);
}

/* The widget NAME or fail.  */
static GtkWidget *
widget (const char *name)
{
  GtkWidget *w = g_hash_table_lookup (widgets, name);

  if (!w)
    fail ("no such widget");
  return w;
}

/* Select the item VALUE of drop-down W.  */
static void
set_dropdown (GtkDropDown *w, const char *value)
{
  GListModel *model = gtk_drop_down_get_model (w);
  guint i, n = g_list_model_get_n_items (model);
  GtkStringObject *item;

  for (i = 0; i < n; i++)
    {
      item = g_list_model_get_item (model, i);
      if (strstr (gtk_string_object_get_string (item), value))
        {
          g_object_unref (item);
          gtk_drop_down_set_selected (w, i);
          return;
        }
      g_object_unref (item);
    }
  fail ("no such item");
}

/* "set NAME VALUE".  */
static void
set_value (GtkWidget *w, const char *value)
{
  if (GTK_IS_SPIN_BUTTON (w))
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (w), atof (value));
  else if (GTK_IS_EDITABLE (w))
    gtk_editable_set_text (GTK_EDITABLE (w), value);
  else if (GTK_IS_CHECK_BUTTON (w))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (w), atoi (value));
  else if (GTK_IS_DROP_DOWN (w))
    set_dropdown (GTK_DROP_DOWN (w), value);
  else
    fail ("cannot set this widget");
}

/* The paintable of the pending snapshot: made at the command, so that
 * it follows the redraws until the frame it is saved at.  */
static GdkPaintable *paintable;

/* Save the content of window WIN as the PNG FILE.  */
static void
snapshot (GtkWidget *win, const char *file)
{
  GtkWidget *w = gtk_window_get_child (GTK_WINDOW (win));
  int width = gtk_widget_get_width (w), height = gtk_widget_get_height (w);
  GtkSnapshot *snap = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snap, width, height);
  node = gtk_snapshot_free_to_node (snap);
  if (!node)
    {
      char *why = g_strdup_printf ("nothing to snapshot (%dx%d, mapped %d)",
                                   width, height, gtk_widget_get_mapped (w));
      fail (why);
    }
  texture = gsk_renderer_render_texture
    (gtk_native_get_renderer (GTK_NATIVE (win)), node,
     &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, file))
    fail ("cannot write the PNG");
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_clear_object (&paintable);
}

/* Frame clock tick: snapshot once two frames were drawn since the
 * command, so that the window shows what the script set.  */
static gboolean
snapshot_tick (GtkWidget *w, GdkFrameClock *clock, gpointer file)
{
  if (--frames_left > 0)
    return G_SOURCE_CONTINUE;
  snapshot (w, file);
  g_free (file);
  step ();
  return G_SOURCE_REMOVE;
}

static gboolean
await_timeout (gpointer unused)
{
  fail ("timed out waiting for the state");
  return G_SOURCE_REMOVE;
}

/* True if STATE was reached; it and the states before are consumed.  */
static gboolean
take_state (const char *state)
{
  guint i;

  for (i = 0; i < states->len; i++)
    if (!strcmp (states->pdata[i], state))
      {
        g_ptr_array_remove_range (states, 0, i + 1);
        return TRUE;
      }
  return FALSE;
}

/* Run line ARGV (split); FALSE if the script must wait.  */
static gboolean
run_line (char **argv)
{
  int argc = g_strv_length (argv);
  guint i;

  if (!argc || *argv[0] == '#')
    return TRUE;
  if (!strcmp (argv[0], "await") && argc == 2)
    {
      if (take_state (argv[1]))
        return TRUE;
      for (i = 0; i < states->len; i++)
        if (g_str_has_suffix (states->pdata[i], "-failed"))
          fail ("failed instead of reaching the state awaited");
      awaiting = argv[1];
      await_timer = g_timeout_add_seconds (SCRIPT_WAIT_S, await_timeout, NULL);
      return FALSE;
    }
  if (argc < 2)
    fail ("bad line");
  if (!strcmp (argv[0], "click"))
    g_signal_emit_by_name (widget (argv[1]), "clicked");
  else if (!strcmp (argv[0], "set") && argc == 3)
    set_value (widget (argv[1]), argv[2]);
  else if (!strcmp (argv[0], "select") && argc == 3)
    {
      if (!gui_keylist_select (widget (argv[1]), argv[2]))
        fail ("no such key");
    }
  else if (!strcmp (argv[0], "choose") && argc == 3)
    g_hash_table_replace (choices, g_strdup (argv[1]), g_strdup (argv[2]));
  else if (!strcmp (argv[0], "snapshot") && argc == 3)
    {
      frames_left = 3;
      paintable = gtk_widget_paintable_new
        (gtk_window_get_child (GTK_WINDOW (widget (argv[1]))));
      gtk_widget_queue_draw (widget (argv[1]));
      gtk_widget_add_tick_callback (widget (argv[1]), snapshot_tick,
                                    g_strdup (argv[2]), NULL);
      return FALSE;
    }
  else
    fail ("bad line");
  return TRUE;
}

/* Run the script until it waits or ends.  */
static void
step (void)
{
  char **argv;
  gboolean go_on = TRUE;

  while (go_on && lines[pc])
    {
      argv = g_strsplit (lines[pc++], " ", 3);
      go_on = run_line (argv);
      if (!go_on && awaiting)
        awaiting = g_intern_string (argv[1]);
      g_strfreev (argv);
    }
  if (go_on)
    script_exit (0);
}

/* Run the rest of the script from the main loop.  */
static gboolean
step_idle (gpointer unused)
{
  step ();
  return G_SOURCE_REMOVE;
}

void
gui_script_state (const char *state)
{
  if (!states)
    return;
  g_ptr_array_add (states, g_strdup (state));
  if (awaiting && g_str_has_suffix (state, "-failed")
      && strcmp (state, awaiting))
    fail ("failed instead of reaching the state awaited");
  if (awaiting && take_state (awaiting))
    {
      awaiting = NULL;
      g_source_remove (await_timer);
      g_idle_add (step_idle, NULL);
    }
}

void
gui_choose_file (GtkWindow *parent, const char *title,
                 GtkFileChooserAction action, const char *name,
                 void (*fn) (const char *path, gpointer user), gpointer user)
{
  const char *path = choices ? g_hash_table_lookup (choices, name) : NULL;

  if (path)
    fn (path, user);
  else if (!choices)
    gui_chooser_show (parent, title, action, fn, user);
  else
    fail ("no \"choose\" for this file chooser");
}

gboolean
gui_script_start (const char *fname, GError **error)
{
  char *text;

  if (!g_file_get_contents (fname, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  g_free (text);
  widgets = g_hash_table_new (g_str_hash, g_str_equal);
  choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  states = g_ptr_array_new_with_free_func (g_free);
  g_idle_add (step_idle, NULL);
  return TRUE;
}
