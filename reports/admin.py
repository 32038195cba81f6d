"""Back-office for editions: editorial state, checklist, publication, preview and site-wide changes."""
import datetime

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programmes.contentadmin import ContentAdmin, DutchInlineAdminFormSet, LinkFormMixin, LinkInline, status_badge, url_state
from programmes.filters import PlainSelect
from programmes.forms import EditorialAdminMixin
from programmes.history import history_models, recent_changes
from programmes.models import EditorialStatus, Position

from .forms import OutlineEntryForm, OutlineFormSet
from .models import Edition, EditionEntry, EditionImage, EditionSection, PhotoCredit, SectionLink
from .checklist import edition_checklist, pdf_layout_check
from .exports import pdf_base_url
from .round_admin import ForewordRoundInline, RoundThreadsMixin, SectionRoundInline, round_download_view, round_overview_context, round_view
from .selectors import default_publication_date, next_year_plan
from .services import (
    edition_outline_from_texts, edition_prepare_next_year, edition_publish, edition_republish, edition_round_sync,
    edition_set_status, edition_unpublish,
)


def edition_pdf_url(edition: Edition) -> str:
    return reverse("reports:plan-pdf" if edition.is_plan else "reports:report-pdf", kwargs={"year": edition.year})


WORKFLOW_FIELDS = ["status", "published_at", "published_by", "snapshot_html", "erratum_date", "erratum_text"]


def _publication_moment(value: str):
    """The date an Eindredacteur gave for the publication (YYYY-MM-DD, as a date input sends it), or None
    when left empty (not recorded)."""
    if not (value or "").strip():
        return None
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(_("Geef de publicatiedatum als dag, maand en jaar, of laat ze leeg."), code="invalid_date") from None
    return _noon(day)


def _noon(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class OutlineAdminFormSet(DutchInlineAdminFormSet):
    """The outline's lines are written by templates/admin/reports/edition/outline.html; nothing else walks them.

    Django's admin iterates every inline form for prepopulated fields and media, which would build a
    Django form per line of an outline that has none of either.
    """

    def __iter__(self):
        return iter(())


class EditionEntryInline(admin.TabularInline):
    """The edition's outline as a tree: chapters and track texts with this edition's own numbers and headings.

    Rendered by templates/admin/reports/edition/outline.html and static/js/outline.js; saved as a whole
    (reports/forms.py) in the edition form's own request.
    """

    model = EditionEntry
    form = OutlineEntryForm
    formset = OutlineFormSet
    template = "admin/reports/edition/outline.html"
    admin_formset_class = OutlineAdminFormSet
    extra = 0
    fields = ["order", "number", "title", "programme", "track_year", "text", "show_activities"]

    class Media:
        js = ["js/outline.js"]

    def get_queryset(self, request):
        # What a line places comes from the texts and programmes the formset reads once, not per line.
        return super().get_queryset(request).order_by("order", "id")


class EditionSectionInline(EditorialAdminMixin, admin.StackedInline):
    model = EditionSection
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    fields = [("title", "slug"), ("placement", "order"), "body"]
    richtext_fields = ["body"]
    show_change_link = True  # links under a text block are edited on the text block's own page


class SectionLinkInline(LinkInline):
    model = SectionLink


@admin.register(EditionSection)
class EditionSectionAdmin(RoundThreadsMixin, ContentAdmin):
    list_display = ["title", "edition", "placement", "order"]
    list_filter = ["edition", "placement"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["edition", ("title", "slug"), ("placement", "order"), "body"]
    richtext_fields = ["body"]
    inlines = [SectionLinkInline, SectionRoundInline]
    list_select_related = ["edition"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        edition_round_sync(edition=obj.edition)  # a new text block joins the edition's round


@admin.register(SectionLink)
class SectionLinkAdmin(LinkFormMixin, ContentAdmin):
    list_display = ["title", "address", "kind", "section", "is_public"]
    list_filter = ["kind", "is_public", "section__edition"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["section"]
    list_select_related = ["section__edition"]

    @admin.display(description=_("adres"), ordering="url")
    def address(self, obj):
        return url_state(obj)


# An edition carries dozens of photo credits; Django's table rows are mostly indentation.
COMPACT_TABULAR = "admin/edit_inline/tabular_compact.html"


class PhotoCreditInline(EditorialAdminMixin, admin.TabularInline):
    model = PhotoCredit
    extra = 0
    template = COMPACT_TABULAR


class EditionImageInline(EditorialAdminMixin, admin.TabularInline):
    model = EditionImage
    extra = 0
    template = COMPACT_TABULAR
    fields = ["image", "alt_text", "credit", "placement", "entry", "order"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only this edition's outline: the edition being edited is in the URL.
        if db_field.name == "entry":
            edition_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = EditionEntry.objects.filter(edition_id=edition_id).select_related("track_year__track", "programme")
            # Every image row, and the empty one for "add another", lists the whole outline.
            kwargs["widget"] = PlainSelect
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Edition)
class EditionAdmin(RoundThreadsMixin, ContentAdmin):
    list_display = ["__str__", "status_badge", "publication_date", "published_by", "checklist_link", "preview_link"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["foreword", "subtitle"]
    # The state changes only through the actions and the checklist page, which go through the services.
    readonly_fields = ["status", "published_at", "published_by", "erratum_date", "erratum_text"]
    inlines = [EditionEntryInline, EditionSectionInline, EditionImageInline, PhotoCreditInline, ForewordRoundInline]
    change_form_template = "admin/reports/edition/change_form.html"
    autocomplete_fields = ["positions", "figures"]
    richtext_fields = ["foreword", "copyright_note"]
    fieldsets = [
        (None, {"fields": [("kind", "year"), "subtitle", ("status", "published_at", "published_by")]}),
        (_("Ronde"), {
            "fields": [("texts_due", "review_due", "planned_publication")],
            "description": _("Deadlines van de ronde; alleen voor de redactie. Auteurs en nalezers wijst u toe op de pagina van de ronde."),
        }),
        (_("Voorwoord"), {"fields": ["foreword_title", "foreword", ("foreword_signatory", "foreword_signatory_role")]}),
        (_("Wat deze editie toont"), {"fields": ["budget_title", "show_participants", "show_earlier_years", "show_plan_to_report"]}),
        (_("Bestuur, staf en cijfers in deze editie"), {"fields": ["positions", "figures"]}),
        (_("Colofon"), {"fields": ["editorial_credit", "design_credit", "responsible_publisher", "publisher_address", "copyright_note"]}),
        (_("Erratum"), {"fields": [("erratum_date", "erratum_text")], "classes": ["collapse"]}),
    ]
    actions = ["to_review", "to_draft", "publish", "unpublish", "prepare_next_year", "outline_from_texts"]

    def has_publish_permission(self, request):
        return request.user.has_perm("reports.publish_edition")

    def get_queryset(self, request):
        # The frozen copy of a published edition is large and no admin page shows it.
        return super().get_queryset(request).defer("snapshot_html")

    def get_urls(self):
        return [
            path("<int:pk>/controle/", self.admin_site.admin_view(self.checklist_view), name="reports_edition_checklist"),
            path(
                "<int:pk>/volgend-jaar/", self.admin_site.admin_view(self.prepare_next_year_view),
                name="reports_edition_prepare_next_year",
            ),
            path("wijzigingen/", self.admin_site.admin_view(self.audit_view), name="reports_audit"),
            path("<int:pk>/ronde/", self.admin_site.admin_view(self.round_view), name="reports_edition_round"),
            path("<int:pk>/ronde/ronde.xlsx", self.admin_site.admin_view(self.round_download_view), name="reports_edition_round_xlsx"),
        ] + super().get_urls()

    def round_view(self, request, pk):
        return round_view(self, request, pk)

    def round_download_view(self, request, pk):
        return round_download_view(self, request, pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = Edition.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if edition is not None:
            extra_context = {**(extra_context or {}), **round_overview_context(request, edition)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not form.instance.is_published:
            edition_round_sync(edition=form.instance)  # texts placed in the outline join the round

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description=_("gepubliceerd op"), ordering="published_at")
    def publication_date(self, obj):
        if obj.published_at:
            return date_format(timezone.localtime(obj.published_at), "j F Y")
        return _("publicatiedatum niet geregistreerd") if obj.is_published else "—"

    @admin.display(description=_("controlelijst"))
    def checklist_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:reports_edition_checklist", args=[obj.pk]), _("controleren"))

    @admin.display(description=_("voorbeeld"))
    def preview_link(self, obj):
        url = obj.get_absolute_url() + ("?voorbeeld" if obj.is_published else "")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("voorbeeld bekijken"))

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "published_at" and formfield is not None:
            # The date and time inputs share one label: each says which part it is.
            for widget, part in zip(formfield.widget.widgets, (_("publicatiedatum: dag"), _("publicatiedatum: uur"))):
                widget.attrs["aria-label"] = part
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "positions":
            kwargs["queryset"] = Position.objects.select_related("person", "body")  # each chosen one is named by both
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The Eindredacteur may correct the publication date printed on a published edition.
        if obj is not None and obj.is_published and self.has_publish_permission(request):
            return [f for f in self.readonly_fields if f != "published_at"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Publication state belongs to the services; an edit or a revert to an old version never changes it
        # (except the printed publication date, for whoever may publish).
        if change:
            stored = Edition.objects.get(pk=obj.pk)
            editable = {"published_at"} if "published_at" in form.changed_data and self.has_publish_permission(request) else set()
            for name in WORKFLOW_FIELDS:
                if name not in editable:
                    setattr(obj, name, getattr(stored, name))
        super().save_model(request, obj, form, change)

    # --- actions -------------------------------------------------------------------------------

    def _run(self, request, queryset, service, success):
        done = 0
        for edition in queryset:
            try:
                service(edition)
                done += 1
            except PermissionDenied as exc:
                self.message_user(request, f"{edition}: {exc or _('geen toestemming')}", messages.ERROR)
            except ValidationError as exc:
                self.message_user(request, f"{edition}: {' '.join(exc.messages)}", messages.WARNING)
        if done:
            self.message_user(request, success % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Klaar voor nalezing"), permissions=["change"])
    def to_review(self, request, queryset):
        self._run(request, queryset, lambda e: edition_set_status(edition=e, status=EditorialStatus.REVIEW, by=request.user),
                  _("%(n)d edities klaar voor nalezing."))

    @admin.action(description=_("Terug naar concept"), permissions=["change"])
    def to_draft(self, request, queryset):
        self._run(request, queryset, lambda e: edition_set_status(edition=e, status=EditorialStatus.DRAFT, by=request.user),
                  _("%(n)d edities terug naar concept."))

    @admin.action(description=_("Publiceren (alleen met een propere controlelijst)"), permissions=["publish"])
    def publish(self, request, queryset):
        today = timezone.localdate()

        def publish(edition):
            day = default_publication_date(edition=edition, today=today)
            edition = edition_publish(edition=edition, by=request.user, published_at=_noon(day) if day else None)
            self.message_user(request, _("%(e)s: gepubliceerd op %(date)s.") % {"e": edition, "date": date_format(day, "j F Y")}
                              if day else _("%(e)s: publicatiedatum niet geregistreerd (een editie van een vorig jaar krijgt "
                                           "niet de datum van vandaag); vul ze in op de editie als ze gekend is.") % {"e": edition},
                              messages.INFO)

        self._run(request, queryset, publish, _("%(n)d edities gepubliceerd."))

    @admin.action(description=_("Depubliceren"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run(request, queryset, lambda e: edition_unpublish(edition=e, by=request.user),
                  _("%(n)d edities gedepubliceerd."))

    @admin.action(description=_("Volgend jaar voorbereiden"), permissions=["add"])
    def prepare_next_year(self, request, queryset):
        for edition in queryset:
            try:
                new, created = edition_prepare_next_year(edition=edition, by=request.user)
            except PermissionDenied:
                self.message_user(request, _("Geen toestemming om edities aan te maken."), messages.ERROR)
                return
            self.message_user(
                request, _("%(new)s klaar als concept; %(n)d nieuwe teksten per werkspoor aangemaakt.")
                % {"new": new, "n": created}, messages.SUCCESS,
            )

    @admin.action(description=_("Inhoud opbouwen uit de teksten van dat jaar (alleen als ze nog leeg is)"), permissions=["change"])
    def outline_from_texts(self, request, queryset):
        for edition in queryset:
            created = edition_outline_from_texts(edition=edition)
            if created:
                self.message_user(request, _("%(e)s: inhoud opgebouwd met %(n)d onderdelen.") % {"e": edition, "n": created},
                                  messages.SUCCESS)
            else:
                self.message_user(request, _("%(e)s heeft al een inhoud; er is niets veranderd.") % {"e": edition},
                                  messages.WARNING)

    def prepare_next_year_view(self, request, pk):
        """Say what 'Volgend jaar voorbereiden' will create, and create it once confirmed."""
        edition = get_object_or_404(Edition, pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            new, created = edition_prepare_next_year(edition=edition, by=request.user)
            self.message_user(
                request, _("%(new)s klaar als concept; %(n)d nieuwe teksten per werkspoor aangemaakt.")
                % {"new": new, "n": created}, messages.SUCCESS,
            )
            return redirect("admin:reports_edition_change", new.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": Edition._meta,
            "original": edition,
            "edition": edition,
            "title": _("Volgend jaar voorbereiden: %(edition)s") % {"edition": edition},
            "plan": next_year_plan(edition=edition),
        }
        return TemplateResponse(request, "admin/reports/edition/prepare_next_year.html", context)

    # --- checklist and publication -------------------------------------------------------------

    def checklist_view(self, request, pk):
        edition = get_object_or_404(Edition, pk=pk)
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        if request.method == "POST":
            return self._checklist_post(request, edition)
        context = {
            **self.admin_site.each_context(request),
            "opts": Edition._meta,
            "original": edition,
            "edition": edition,
            "title": _("Controlelijst voor publicatie: %(edition)s") % {"edition": edition},
            "items": edition_checklist(edition=edition),
            "can_publish": self.has_publish_permission(request),
            "proposed_date": default_publication_date(edition=edition, today=timezone.localdate()),
        }
        context["layout_checked"], layout = pdf_layout_check(
            edition=edition, user=request.user, base_url=pdf_base_url()
        )
        if layout:
            context["items"].append(layout)
        return TemplateResponse(request, "admin/reports/edition/checklist.html", context)

    def _checklist_post(self, request, edition):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        action, confirm = request.POST.get("action"), request.POST.get("confirm_warnings") == "1"
        try:
            if action == "publish":
                edition_publish(
                    edition=edition, by=request.user, confirm_warnings=confirm,
                    published_at=_publication_moment(request.POST.get("published_on", "")),
                )
                self.message_user(request, format_html(
                    '{} is gepubliceerd. <a href="{}">Publieke pagina bekijken</a> · <a href="{}">PDF downloaden</a>',
                    edition, edition.get_absolute_url(), edition_pdf_url(edition),
                ), messages.SUCCESS)
            elif action == "republish":
                edition_republish(
                    edition=edition, by=request.user, erratum_text=request.POST.get("erratum_text", ""),
                    confirm_warnings=confirm,
                )
                self.message_user(request, _("%(e)s is opnieuw gepubliceerd met erratum.") % {"e": edition}, messages.SUCCESS)
            elif action == "unpublish":
                edition_unpublish(edition=edition, by=request.user)
                self.message_user(request, _("%(e)s is gedepubliceerd.") % {"e": edition}, messages.SUCCESS)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        return redirect("admin:reports_edition_checklist", pk=edition.pk)

    # --- site-wide changes -------------------------------------------------------------------

    def audit_view(self, request):
        """Recent changes across the site (who, what, when), filterable by user and model."""
        if not request.user.is_staff:
            raise PermissionDenied
        user_id = request.GET.get("gebruiker") or None
        model_label = request.GET.get("model") or None
        models = sorted(((m._meta.label_lower, str(m._meta.verbose_name)) for m, _h in history_models()), key=lambda p: p[1])
        users = get_user_model().objects.filter(is_staff=True).order_by("username")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recente wijzigingen"),
            "records": recent_changes(user_id=user_id if (user_id or "").isdigit() else None, model_label=model_label),
            "models": models,
            "users": users,
            "selected_user": user_id,
            "selected_model": model_label,
        }
        return TemplateResponse(request, "admin/audit.html", context)
