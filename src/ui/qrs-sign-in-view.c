/* qrs-sign-in-view.c
 *
 * Copyright 2026 The QR Sign-In developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "qrs-core-enums.h"
#include "qrs-picture.h"
#include "qrs-sign-in-view-private.h"

/* The widget itself: its properties and template, the code and the person
 * scanning it, the three steps, the countdown, the page on show and the
 * kiosk's layout. What goes wrong on the way (the connection notice, the
 * retry countdown and the error page) is in qrs-sign-in-view-trouble.c;
 * the struct and what the two files share, in qrs-sign-in-view-private.h.
 */

/* The countdown is shown in the last half minute of a code that renews
 * itself: before that the next code is no concern of anybody's.
 */
#define RENEWAL_NOTICE_MS (30 * 1000)

/* A code that comes within this time comes without a spinner flashing
 * before it (and without the spinner's icon being loaded at start-up).
 */
#define SPINNER_DELAY_MS 500

enum {
  PROP_0,
  PROP_SIGN_IN,
  PROP_KIOSK,
  PROP_SERVICE_NAME,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (QrsSignInView, qrs_sign_in_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void update_time_left (QrsSignInView *self);

/* Sets a label's text only when it changes, so an unchanged second costs
 * no layout and no redraw.
 */
void
_qrs_sign_in_view_set_label (GtkLabel   *label,
                             const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text != NULL ? text : "") != 0)
    gtk_label_set_label (label, text);
}

void
_qrs_sign_in_view_cancel_tick (QrsSignInView *self,
                               guint         *id)
{
  if (*id != 0 && self->clock != NULL)
    qrs_clock_cancel (self->clock, *id);
  *id = 0;
}

static void
cancel_ticks (QrsSignInView *self)
{
  _qrs_sign_in_view_cancel_tick (self, &self->countdown_id);
  _qrs_sign_in_view_cancel_tick (self, &self->retry_tick_id);
  _qrs_sign_in_view_cancel_tick (self, &self->spinner_id);
}

/* Shows the page @name of @stack, making it visible first: pages that
 * the first frame does not show start hidden (see the template).
 */
static void
show_page (GtkStack   *stack,
           const char *name,
           gboolean    animate)
{
  gtk_widget_set_visible (gtk_stack_get_child_by_name (stack, name), TRUE);
  gtk_stack_set_visible_child_full (stack, name,
                                    animate ? gtk_stack_get_transition_type (stack) :
                                    GTK_STACK_TRANSITION_TYPE_NONE);
}

/* "1:05": minutes and seconds, rounded up, as a countdown shows them. */
char *
_qrs_sign_in_view_format_clock (gint64 ms)
{
  gint64 seconds = (MAX (ms, 0) + 999) / 1000;

  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* How long until a rounded-up countdown of @ms shows another second. */
gint64
_qrs_sign_in_view_until_next_second (gint64 ms)
{
  gint64 rest = ms % 1000;

  return rest > 0 ? rest : 1000;
}

/*
 * The code and the person
 */

static void
update_qr (QrsSignInView *self)
{
  QrsCode *code = qrs_sign_in_get_code (self->sign_in);
  GBytes *image = qrs_sign_in_get_qr_image (self->sign_in);

  if (image != NULL)
    {
      g_autoptr(QrsQrMatrix) matrix = NULL;
      g_autoptr(GError) error = NULL;

      matrix = qrs_picture_sample_qr (image, &error);
      if (matrix != NULL)
        {
          qrs_qr_view_set_matrix (self->qr_view, matrix);
          return;
        }

      g_debug ("Encoding the code locally instead: %s", error->message);
    }

  /* While the next code is on its way, the last one stays, dimmed: the
   * layout does not jump and the eye has something to hold on to.
   */
  if (code != NULL)
    qrs_qr_view_set_content (self->qr_view, qrs_code_get_qr_content (code));
}

static void
update_avatar (QrsSignInView *self)
{
  GBytes *photo = qrs_sign_in_get_photo (self->sign_in);
  g_autoptr(GdkTexture) texture = NULL;

  /* A photo that does not decode leaves the initials. */
  if (photo != NULL)
    texture = qrs_picture_decode (photo);

  adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
}

/* A user code is read aloud and typed: in groups of four, the way the
 * server grouped it if it did.
 */
static char *
format_user_code (const char *user_code)
{
  gsize length = strlen (user_code);
  GString *text;

  if (strpbrk (user_code, "- ") != NULL || length <= 4 || !g_str_is_ascii (user_code))
    return g_strdup (user_code);

  text = g_string_new (NULL);
  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (text, '-');
      g_string_append_c (text, user_code[i]);
    }

  return g_string_free (text, FALSE);
}

/* The three steps, and what a screen reader says for the code. */
static void
update_steps (QrsSignInView *self)
{
  QrsCode *code = qrs_sign_in_get_code (self->sign_in);
  const char *service = self->service_name != NULL ? self->service_name : "GenAuth";
  const char *user_code = code != NULL ? qrs_code_get_user_code (code) : NULL;
  g_autofree char *step1 = NULL;
  g_autofree char *step2 = NULL;
  g_autofree char *step3 = NULL;
  g_autofree char *description = NULL;

  if (user_code != NULL)
    {
      g_autofree char *grouped = format_user_code (user_code);

      /* The device flow: any camera, a web page, or typing the code. */
      step1 = g_strdup (_("Scan this code with your phone’s camera"));
      /* Translators: %s is the sign-in service, e.g. "login.example.com". */
      step2 = g_strdup_printf (_("Sign in to %s and approve"), service);
      step3 = g_strdup (_("No camera? Open the address below and enter the code"));
      _qrs_sign_in_view_set_label (self->user_code_label, grouped);
      _qrs_sign_in_view_set_label (self->verification_label, qrs_code_get_verification_uri (code));
    }
  else
    {
      /* Translators: %s is the name of the phone app, e.g. "GenAuth". A
       * camera app cannot sign in with these codes, so say which app. */
      step1 = g_strdup_printf (_("Open the %s app on your phone (not the camera)"), service);
      step2 = g_strdup (_("Tap Scan"));
      step3 = g_strdup (_("Point your phone at this code"));
    }

  _qrs_sign_in_view_set_label (self->step1_label, step1);
  _qrs_sign_in_view_set_label (self->step2_label, step2);
  _qrs_sign_in_view_set_label (self->step3_label, step3);
  gtk_widget_set_visible (self->device_box, user_code != NULL);

  /* Translators: what a screen reader says of the QR code: its three steps. */
  description = g_strdup_printf (_("1. %s. 2. %s. 3. %s."), step1, step2, step3);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign-in QR code"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/*
 * The countdown
 */

static void
countdown_cb (gpointer user_data)
{
  QrsSignInView *self = user_data;

  g_assert (QRS_IS_SIGN_IN_VIEW (self));

  self->countdown_id = 0;
  update_time_left (self);
}

/* An honest countdown. While the next code will come by itself, nothing
 * is said until the last half minute, then "New code in 0:29"; only a code
 * after which the person must ask for another says "Expires in". After the
 * scan there is nothing to count. The clock wakes us when the text would
 * change, and not otherwise.
 */
static void
update_time_left (QrsSignInView *self)
{
  QrsSignInStatus status = qrs_sign_in_get_status (self->sign_in);
  gint64 left = qrs_sign_in_get_time_left_ms (self->sign_in);
  g_autofree char *clock = NULL;
  g_autofree char *text = NULL;
  gint64 wake = -1;

  _qrs_sign_in_view_cancel_tick (self, &self->countdown_id);

  if (status != QRS_SIGN_IN_STATUS_PENDING || !qrs_sign_in_get_visible (self->sign_in) || left <= 0)
    {
      gtk_inscription_set_text (self->time_left_label, NULL);
      return;
    }

  clock = _qrs_sign_in_view_format_clock (left);
  if (!qrs_sign_in_get_renews_itself (self->sign_in))
    {
      /* Translators: minutes and seconds the code stays valid, e.g. "Expires in 1:40". */
      text = g_strdup_printf (_("Expires in %s"), clock);
      wake = _qrs_sign_in_view_until_next_second (left);
    }
  else if (left > RENEWAL_NOTICE_MS)
    {
      wake = left - RENEWAL_NOTICE_MS;
    }
  else
    {
      /* Translators: when the next code appears by itself, e.g. "New code in 0:29". */
      text = g_strdup_printf (_("New code in %s"), clock);
      wake = _qrs_sign_in_view_until_next_second (left);
    }

  gtk_inscription_set_text (self->time_left_label, text);
  if (wake > 0)
    self->countdown_id = qrs_clock_schedule (self->clock, wake, countdown_cb, self, NULL);
}

/*
 * The page on show
 */

static void
update_authorized (QrsSignInView *self)
{
  const char *display_name = qrs_sign_in_get_display_name (self->sign_in);
  g_autofree char *title = NULL;

  /* A kiosk greets whoever just signed in; a sign-in window reports. */
  if (display_name != NULL && self->kiosk)
    /* Translators: %s is the name of the person who signed in at a kiosk. */
    title = g_strdup_printf (_("Welcome, %s"), display_name);
  else if (display_name != NULL)
    /* Translators: %s is the name of the person who signed in. */
    title = g_strdup_printf (_("Signed In as %s"), display_name);

  adw_status_page_set_title (self->authorized_page,
                             title ? title : self->kiosk ? _("Welcome") : _("Signed In"));
}

static void
spinner_cb (gpointer user_data)
{
  QrsSignInView *self = user_data;

  g_assert (QRS_IS_SIGN_IN_VIEW (self));

  self->spinner_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
}

/* The spinner spins while a code is on its way, but shows only once the
 * wait is long enough to notice.
 */
static void
update_spinner (QrsSignInView *self)
{
  gboolean loading = qrs_sign_in_get_status (self->sign_in) == QRS_SIGN_IN_STATUS_LOADING;

  gtk_spinner_set_spinning (self->spinner, loading);
  if (!loading)
    {
      _qrs_sign_in_view_cancel_tick (self, &self->spinner_id);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
    }
  else if (self->spinner_id == 0 && !gtk_widget_get_visible (GTK_WIDGET (self->spinner)))
    {
      self->spinner_id = qrs_clock_schedule (self->clock, SPINNER_DELAY_MS, spinner_cb, self, NULL);
    }
}

static void
update_page (QrsSignInView *self)
{
  QrsSignInStatus status = qrs_sign_in_get_status (self->sign_in);
  const char *page = "code";
  const char *caption = NULL;
  const char *heading = _("Sign in with your phone");

  switch (status)
    {
    case QRS_SIGN_IN_STATUS_LOADING:
      caption = _("Getting a sign-in code…");
      break;

    case QRS_SIGN_IN_STATUS_PENDING:
      break;

    case QRS_SIGN_IN_STATUS_SCANNED:
      heading = _("Confirm on your phone");
      break;

    case QRS_SIGN_IN_STATUS_AUTHORIZED:
      update_authorized (self);
      page = "authorized";
      break;

    case QRS_SIGN_IN_STATUS_CANCELLED:
      page = "cancelled";
      break;

    case QRS_SIGN_IN_STATUS_EXPIRED:
      page = "expired";
      break;

    case QRS_SIGN_IN_STATUS_ERROR:
    default:
      _qrs_sign_in_view_update_error (self);
      page = "error";
      break;
    }

  /* The caption's line is there even when empty: nothing moves. The
   * first code replaces "Getting a sign-in code…" at once, in the same
   * frame as the code itself.
   */
  _qrs_sign_in_view_set_label (self->heading, heading);
  _qrs_sign_in_view_set_label (self->caption, caption);
  show_page (self->status_stack, caption != NULL ? "caption" : "time-left", self->loaded_once);
  show_page (self->code_stack, status == QRS_SIGN_IN_STATUS_SCANNED ? "person" : "qr", TRUE);
  show_page (self->info_stack, status == QRS_SIGN_IN_STATUS_SCANNED ? "scanned" : "steps", TRUE);
  show_page (self->stack, page, TRUE);
  update_spinner (self);

  if (status != QRS_SIGN_IN_STATUS_LOADING)
    self->loaded_once = TRUE;

  update_time_left (self);
  _qrs_sign_in_view_update_retry (self);
}

static void
update_kiosk (QrsSignInView *self)
{
  /* Read from arm's length: the code takes all the room it can get, the
   * steps stand beside it, and the type is larger.
   */
  if (self->kiosk)
    gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk");

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->code_box),
                                  self->kiosk ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (self->code_box, self->kiosk ? 48 : 12);
  gtk_widget_set_hexpand (GTK_WIDGET (self->code_stack), self->kiosk);
  gtk_widget_set_vexpand (GTK_WIDGET (self->code_stack), self->kiosk);
  gtk_widget_set_halign (GTK_WIDGET (self->code_stack), self->kiosk ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->code_stack), self->kiosk ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (self->code_page, TRUE);
  gtk_widget_set_valign (self->code_page, GTK_ALIGN_FILL);
  gtk_widget_set_halign (GTK_WIDGET (self->code_box), self->kiosk ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);
  /* Beside the code, the steps share the room with it rather than sit at
   * the far edge.
   */
  gtk_widget_set_hexpand (self->info_box, self->kiosk);
  gtk_widget_set_halign (self->info_box, self->kiosk ? GTK_ALIGN_START : GTK_ALIGN_CENTER);
  /* ...and the code stands at the near edge of its half, so the two meet
   * in the middle of the screen as one group under the heading.
   */
  qrs_qr_view_set_xalign (self->qr_view,
                          !self->kiosk ? 0.5f :
                          gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? 0.0f : 1.0f);
  gtk_widget_set_vexpand (GTK_WIDGET (self->code_box), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->code_box), self->kiosk ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);

  /* A kiosk has nobody to click: a new code comes by itself. */
  gtk_widget_set_visible (self->new_code_button, !self->kiosk);
  gtk_widget_set_visible (self->not_you_button, !self->kiosk);
  adw_status_page_set_description (self->cancelled_page,
                                   self->kiosk ?
                                   _("A new code will appear in a moment.") :
                                   _("The sign-in was declined on the phone. You can sign in with a new code."));
}

/* A kiosk's type is sized for the distance: in proportion to the screen's
 * height, so a 1080p screen reads from as far as a 720p one.
 */
static void
update_kiosk_type (QrsSignInView *self,
                   int            height)
{
  g_autofree char *css = NULL;
  double h = height;

  if (!self->kiosk || height <= 0 || ABS (height - self->kiosk_css_height) < 8)
    return;

  self->kiosk_css_height = height;
  css = g_strdup_printf (".kiosk .heading-label { font-size: %dpx; }\n"
                         ".kiosk .steps label { font-size: %dpx; }\n"
                         ".kiosk .step-number { min-width: %dpx; min-height: %dpx; }\n"
                         ".kiosk .caption-label, .kiosk .time-left, .kiosk .connection-notice label { font-size: %dpx; }\n"
                         ".kiosk .user-code { font-size: %dpx; }\n"
                         ".kiosk statuspage .title { font-size: %dpx; }\n"
                         ".kiosk statuspage .body { font-size: %dpx; }\n",
                         (int) (h * 0.050), (int) (h * 0.034), (int) (h * 0.050), (int) (h * 0.050),
                         (int) (h * 0.030), (int) (h * 0.070), (int) (h * 0.070), (int) (h * 0.036));

  if (self->kiosk_css == NULL)
    {
      self->kiosk_css = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (self->kiosk_css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (self->kiosk_css, css, -1);
}

/* The view lays out its one child itself (no layout manager), so that it
 * sees its own height change.
 */
static void
qrs_sign_in_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  gtk_widget_measure (QRS_SIGN_IN_VIEW (widget)->box, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
qrs_sign_in_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (widget);

  update_kiosk_type (self, height);
  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static void
qrs_sign_in_view_direction_changed (GtkWidget        *widget,
                                    GtkTextDirection  previous_direction)
{
  GTK_WIDGET_CLASS (qrs_sign_in_view_parent_class)->direction_changed (widget, previous_direction);
  update_kiosk (QRS_SIGN_IN_VIEW (widget));
}

static void
update_all (QrsSignInView *self)
{
  if (self->sign_in == NULL)
    {
      cancel_ticks (self);
      return;
    }

  update_qr (self);
  update_avatar (self);
  update_steps (self);
  _qrs_sign_in_view_update_error (self);
  update_page (self);
}

/*
 * Actions
 */

static void
copy_request_id_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (widget);
  const char *request_id;

  g_assert (QRS_IS_SIGN_IN_VIEW (self));

  if (self->sign_in == NULL)
    return;

  request_id = qrs_sign_in_get_request_id (self->sign_in);
  if (request_id != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), request_id);
}

/*
 * GObject overrides
 */

static void
qrs_sign_in_view_dispose (GObject *object)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (object);

  cancel_ticks (self);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  g_clear_object (&self->sign_in);
  g_clear_object (&self->clock);
  if (self->kiosk_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->kiosk_css));
  g_clear_object (&self->kiosk_css);
  g_clear_object (&self->signals);
  g_clear_object (&self->bindings);

  gtk_widget_dispose_template (GTK_WIDGET (self), QRS_TYPE_SIGN_IN_VIEW);

  G_OBJECT_CLASS (qrs_sign_in_view_parent_class)->dispose (object);
}

static void
qrs_sign_in_view_finalize (GObject *object)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (object);

  g_clear_pointer (&self->service_name, g_free);

  G_OBJECT_CLASS (qrs_sign_in_view_parent_class)->finalize (object);
}

static void
qrs_sign_in_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (object);

  switch (prop_id)
    {
    case PROP_SIGN_IN:
      g_value_set_object (value, self->sign_in);
      break;

    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;

    case PROP_SERVICE_NAME:
      g_value_set_string (value, self->service_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_sign_in_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  QrsSignInView *self = QRS_SIGN_IN_VIEW (object);

  switch (prop_id)
    {
    case PROP_SIGN_IN:
      qrs_sign_in_view_set_sign_in (self, g_value_get_object (value));
      break;

    case PROP_KIOSK:
      qrs_sign_in_view_set_kiosk (self, g_value_get_boolean (value));
      break;

    case PROP_SERVICE_NAME:
      qrs_sign_in_view_set_service_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
qrs_sign_in_view_class_init (QrsSignInViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = qrs_sign_in_view_dispose;
  object_class->finalize = qrs_sign_in_view_finalize;
  object_class->get_property = qrs_sign_in_view_get_property;
  object_class->set_property = qrs_sign_in_view_set_property;

  widget_class->measure = qrs_sign_in_view_measure;
  widget_class->size_allocate = qrs_sign_in_view_size_allocate;
  widget_class->direction_changed = qrs_sign_in_view_direction_changed;

  properties[PROP_SIGN_IN] =
    g_param_spec_object ("sign-in", NULL, NULL, QRS_TYPE_SIGN_IN, rw);
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE, rw);
  /**
   * QrsSignInView:service-name:
   *
   * What the steps name: the phone app to scan with (GenAuth), or the
   * service the person signs in to (the device flow).
   */
  properties[PROP_SERVICE_NAME] =
    g_param_spec_string ("service-name", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QRS_TYPE_QR_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/qrs-sign-in-view.ui");
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, banner_stack);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, connection_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, stack);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, code_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, heading);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, code_box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, code_stack);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, spinner);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, qr_view);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, avatar);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, name_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, info_box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, info_stack);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, steps_box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, step1_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, step2_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, step3_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, device_box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, user_code_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, verification_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, status_stack);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, caption);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, not_you_button);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, time_left_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, authorized_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, cancelled_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, new_code_button);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, expired_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, error_page);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, server_message_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, request_id_box);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, request_id_label);
  gtk_widget_class_bind_template_child (widget_class, QrsSignInView, retry_label);

  gtk_widget_class_install_action (widget_class, "view.copy-request-id", NULL, copy_request_id_action);
}

static void
qrs_sign_in_view_init (QrsSignInView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* One handler per property the widgets depend on. */
  self->signals = g_signal_group_new (QRS_TYPE_SIGN_IN);
  g_signal_group_connect_swapped (self->signals, "notify::status", G_CALLBACK (update_page), self);
  g_signal_group_connect_swapped (self->signals, "notify::code", G_CALLBACK (update_qr), self);
  g_signal_group_connect_swapped (self->signals, "notify::code", G_CALLBACK (update_steps), self);
  g_signal_group_connect_swapped (self->signals, "notify::qr-image", G_CALLBACK (update_qr), self);
  g_signal_group_connect_swapped (self->signals, "notify::photo", G_CALLBACK (update_avatar), self);
  g_signal_group_connect_swapped (self->signals, "notify::connection", G_CALLBACK (_qrs_sign_in_view_update_retry), self);
  g_signal_group_connect_swapped (self->signals, "notify::retry-at", G_CALLBACK (_qrs_sign_in_view_update_retry), self);
  g_signal_group_connect_swapped (self->signals, "notify::trouble", G_CALLBACK (_qrs_sign_in_view_update_error), self);
  g_signal_group_connect_swapped (self->signals, "notify::error-message", G_CALLBACK (_qrs_sign_in_view_update_error), self);
  g_signal_group_connect_swapped (self->signals, "notify::server-message", G_CALLBACK (_qrs_sign_in_view_update_error), self);
  g_signal_group_connect_swapped (self->signals, "notify::request-id", G_CALLBACK (_qrs_sign_in_view_update_error), self);
  g_signal_group_connect_swapped (self->signals, "notify::display-name", G_CALLBACK (update_authorized), self);
  g_signal_group_connect_swapped (self->signals, "notify::expires-at", G_CALLBACK (update_time_left), self);
  g_signal_group_connect_swapped (self->signals, "notify::renews-itself", G_CALLBACK (update_time_left), self);
  g_signal_group_connect_swapped (self->signals, "notify::visible", G_CALLBACK (update_time_left), self);

  self->bindings = g_binding_group_new ();
  g_binding_group_bind (self->bindings, "display-name", self->name_label, "label", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "display-name", self->avatar, "text", G_BINDING_SYNC_CREATE);

  update_kiosk (self);
}

/*
 * Public API
 */

/**
 * qrs_sign_in_view_get_sign_in:
 *
 * Returns: (transfer none) (nullable): the sign-in shown
 */
QrsSignIn *
qrs_sign_in_view_get_sign_in (QrsSignInView *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN_VIEW (self), NULL);

  return self->sign_in;
}

void
qrs_sign_in_view_set_sign_in (QrsSignInView *self,
                              QrsSignIn     *sign_in)
{
  g_return_if_fail (QRS_IS_SIGN_IN_VIEW (self));
  g_return_if_fail (sign_in == NULL || QRS_IS_SIGN_IN (sign_in));

  if (self->sign_in == sign_in)
    return;

  /* Ticks belong to the old model's clock. */
  cancel_ticks (self);

  g_set_object (&self->sign_in, sign_in);
  self->loaded_once = FALSE;
  g_clear_object (&self->clock);
  if (sign_in != NULL)
    self->clock = g_object_ref (qrs_sign_in_get_clock (sign_in));
  g_signal_group_set_target (self->signals, sign_in);
  g_binding_group_set_source (self->bindings, sign_in);
  update_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN]);
}

gboolean
qrs_sign_in_view_get_kiosk (QrsSignInView *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN_VIEW (self), FALSE);

  return self->kiosk;
}

/**
 * qrs_sign_in_view_set_kiosk:
 * @self: a #QrsSignInView
 * @kiosk: whether the view is a kiosk's, read from arm's length
 *
 * A kiosk shows the code as large as it fits with the steps beside it,
 * welcomes whoever signed in, and offers no buttons nobody would press.
 */
void
qrs_sign_in_view_set_kiosk (QrsSignInView *self,
                            gboolean       kiosk)
{
  g_return_if_fail (QRS_IS_SIGN_IN_VIEW (self));

  kiosk = !!kiosk;
  if (self->kiosk == kiosk)
    return;

  self->kiosk = kiosk;
  update_kiosk (self);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIOSK]);
}

const char *
qrs_sign_in_view_get_service_name (QrsSignInView *self)
{
  g_return_val_if_fail (QRS_IS_SIGN_IN_VIEW (self), NULL);

  return self->service_name;
}

void
qrs_sign_in_view_set_service_name (QrsSignInView *self,
                                   const char    *service_name)
{
  g_return_if_fail (QRS_IS_SIGN_IN_VIEW (self));

  if (g_strcmp0 (self->service_name, service_name) == 0)
    return;

  g_free (self->service_name);
  self->service_name = g_strdup (service_name);

  if (self->sign_in != NULL)
    update_steps (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_NAME]);
}

/**
 * qrs_sign_in_view_get_visible_page:
 *
 * Returns: the name of what is on show: "loading", "qr", "person",
 *   "authorized", "cancelled", "expired" or "error"
 */
const char *
qrs_sign_in_view_get_visible_page (QrsSignInView *self)
{
  const char *page;

  g_return_val_if_fail (QRS_IS_SIGN_IN_VIEW (self), NULL);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (!g_str_equal (page, "code"))
    return page;

  if (self->sign_in != NULL && qrs_sign_in_get_status (self->sign_in) == QRS_SIGN_IN_STATUS_LOADING)
    return "loading";

  return gtk_stack_get_visible_child_name (self->code_stack);
}
