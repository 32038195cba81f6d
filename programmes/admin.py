"""Back-office for the domain. Declarative ModelAdmins; inlines where editors expect them."""
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .amounts import QuantityField, format_euro
from .editorial import track_year_set_status
from .history import compare_versions, deleted_records, record_label, related_paths, restore_deleted, version_changes
from .forms import EditorialAdminMixin, LinkForm, MeetingForm

from .models import (
    EditorialStatus, Budget, BudgetLine, City, CommunicationFigure, ExternalFunding, FundingSource, GoverningBody, GroupYear,
    Link, Meeting, MeetingKind, Organisation, Person, Position, Programme, ProgrammePeriod, ProgrammeYear, Result, WorkingGroup,
    WorkTrack, WorkTrackYear,
)


def status_badge(status: str, label) -> str:
    """An editorial status as a small coloured label that fits a narrow list column."""
    return format_html('<span class="kc-badge kc-badge--{}">{}</span>', status, label)


def url_state(link) -> str:
    """A link's address for a narrow list column: 'ontbreekt' in red, or the address shortened."""
    if link.is_placeholder:
        return format_html('<span class="kc-warning">{}</span>', _("ontbreekt"))
    return Truncator(link.url).chars(45)


class DutchInlineAdminFormSet(helpers.InlineAdminFormSet):
    """Django capitalises the name in "Nog een … toevoegen"; in mid-sentence Dutch keeps it lower-case."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = _("Nog een %(name)s toevoegen") % {"name": self.opts.verbose_name}
        return json.dumps(data)


SAVED_NEXT_STEP = {
    "_continue": _("U kunt hieronder verder bewerken."),
    "_addanother": _("U kunt hieronder een volgend item toevoegen."),
}


class ContentAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    """Every content model: history with revert, recovery of deleted items, rich text, no lost edits."""

    history_recoverable = True

    # Django's own messages put an article before the model name ("De budget"); ours need none.
    def response_add(self, request, obj, post_url_continue=None):
        request._kc_saved = obj
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        request._kc_saved = obj
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        request._kc_deleted = obj_display
        return super().response_delete(request, obj_display, obj_id)

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        if level == messages.SUCCESS:
            saved, deleted = getattr(request, "_kc_saved", None), getattr(request, "_kc_deleted", None)
            if saved is not None:
                request._kc_saved = None
                step = next((text for key, text in SAVED_NEXT_STEP.items() if key in request.POST), "")
                message = format_html("“{}” is bewaard. {}", saved, step).strip()
            elif deleted is not None:
                request._kc_deleted = None
                message = format_html("“{}” is verwijderd.", deleted)
        super().message_user(request, message, level, extra_tags, fail_silently)

    def history_view_title(self, request, obj):
        return _("Geschiedenis van “%(obj)s”") % {"obj": obj}

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("Versie van “%(obj)s” bekijken") % {"obj": obj}
        return _("Versie van “%(obj)s” terugzetten") % {"obj": obj}

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Each version is listed by its name, which may follow a relation (a text is named after its track).
        return super().get_history_queryset(request, history_manager, pk_name, object_id).select_related(
            *related_paths(self.model)
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each version on the page with what changed since the version before it, as readable words.

        Replaces simple_history's delta (raw HTML cut to '[N chars]'); the oldest version of the page
        is compared with the one before it (one query), and related names are read once for the page.
        """
        records = list(historical_records)
        for record in records:
            record.label = record_label(record, self.model)
        if not records:
            return
        oldest = records[-1]
        history = type(oldest)._default_manager
        pk_name = self.model._meta.pk.attname
        before = (
            history.filter(**{pk_name: getattr(oldest, pk_name)})
            .filter(Q(history_date__lt=oldest.history_date) | Q(history_date=oldest.history_date, history_id__lt=oldest.history_id))
            .order_by("-history_date", "-history_id").first()
        )
        pairs = list(zip(records[1:] + [before], records))
        for record, rows in zip([newer for older, newer in pairs if older is not None],
                                version_changes(pairs)):
            record.history_delta_changes = rows

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The revert page says first what reverting changes: the current version against this one."""
        if not str(version_id).isdigit():
            raise Http404
        if request.method == "GET":
            history = self.model.history.model._default_manager
            pk_name = self.model._meta.pk.attname
            records = history.filter(**{pk_name: admin.utils.unquote(object_id)})
            current = records.order_by("-history_date", "-history_id").first()
            version = records.filter(history_id=version_id).first()
            if current is not None and version is not None:
                extra_context = {**(extra_context or {}), "revert_compared": True,
                                 "revert_changes": compare_versions(current, version)}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            # An inline may bring its own (see reports.admin.OutlineAdminFormSet).
            inline_admin_formset.__class__ = getattr(inline_admin_formset.opts, "admin_formset_class", DutchInlineAdminFormSet)
        return inline_admin_formsets

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("verwijderd/", self.admin_site.admin_view(self.deleted_view), name="%s_%s_deleted" % info),
            path(
                "<path:object_id>/history/vergelijk/", self.admin_site.admin_view(self.compare_view),
                name="%s_%s_compare" % info,
            ),
        ] + super().get_urls()

    def deleted_view(self, request):
        """Deleted objects of this model, from their last history record, with a button to restore."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                obj = restore_deleted(model=self.model, history_id=request.POST.get("history_id"), by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, _("“%(obj)s” is teruggezet.") % {"obj": obj}, messages.SUCCESS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Verwijderde %(name)s") % {"name": self.model._meta.verbose_name_plural},
            "records": deleted_records(self.model),
        }
        return TemplateResponse(request, "admin/history/deleted_list.html", context)

    def compare_view(self, request, object_id):
        """A readable diff between two versions of one object (?van=<versie>&tot=<versie>)."""
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
        by_id = {str(r.history_id): r for r in records}
        newer = by_id.get(request.GET.get("tot")) or (records[0] if records else None)
        older = by_id.get(request.GET.get("van")) or (records[1] if len(records) > 1 else newer)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Versies vergelijken: %(obj)s") % {"obj": obj},
            "records": records,
            "older": older,
            "newer": newer,
            "rows": compare_versions(older, newer) if older and newer else [],
        }
        return TemplateResponse(request, "admin/history/compare.html", context)


class LinkFormMixin:
    """The link form with 'nog geen adres' and the browser-side address warning."""

    form = LinkForm

    @property
    def media(self):
        return super().media + forms.Media(js=["js/links.js"])


class LinkInline(LinkFormMixin, EditorialAdminMixin, admin.TabularInline):
    model = Link
    extra = 0
    fields = ["title", "url", "no_address", "kind", "order", "is_public"]
    fk_name = None



class TrackYearLinkInline(LinkInline):
    fk_name = "track_year"
    fields = ["title", "url", "no_address", "kind", "part", "order", "is_public"]


class GroupLinkInline(LinkInline):
    fk_name = "group"


class MeetingLinkInline(LinkInline):
    fk_name = "meeting"


class ProgrammeLinkInline(LinkInline):
    fk_name = "programme"


class BudgetLinkInline(LinkInline):
    fk_name = "budget"
    verbose_name = _("document bij het budget (bv. de afrekening)")
    verbose_name_plural = _("documenten bij het budget (bv. de afrekening)")


class TextWrittenFilter(admin.SimpleListFilter):
    """Empty texts apart from half-written ones: both are 'concept'."""

    title = _("tekst")
    parameter_name = "tekst"

    def lookups(self, request, model_admin):
        return [
            ("plan-leeg", _("jaarplan nog leeg")), ("plan", _("jaarplan geschreven")),
            ("verslag-leeg", _("jaarverslag nog leeg")), ("verslag", _("jaarverslag geschreven")),
        ]

    def queryset(self, request, queryset):
        field = {"plan": "plan_text", "verslag": "report_text"}.get((self.value() or "").removesuffix("-leeg"))
        if field is None:
            return queryset
        if self.value().endswith("-leeg"):
            return queryset.filter(**{field: ""})
        return queryset.exclude(**{field: ""})


class YearFilter(admin.SimpleListFilter):
    title = _("jaar")
    parameter_name = "jaar"
    field = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.values_list(self.field, flat=True).distinct().order_by(f"-{self.field}")
        return [(y, y) for y in years if y]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.field: int(value)})
        return queryset


class RefuseDeleteWhileLinkedMixin:
    """Refuse deleting an object that tracks, groups or periods still point to through a many-to-many.

    Django's delete would quietly drop those links (no PROTECT for many-to-many, and no history of
    the removal); staff first unlink, then delete.
    """

    linked_relations: list[str] = []

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            for relation in self.linked_relations:
                for linked in getattr(obj, relation).all():
                    protected.append(f"{obj} — {linked._meta.verbose_name}: {linked}")
        return deleted, counts, perms_needed, protected


@admin.register(ProgrammePeriod)
class ProgrammePeriodAdmin(RefuseDeleteWhileLinkedMixin, ContentAdmin):
    linked_relations = ["programmes"]
    richtext_fields = ["description"]
    list_display = ["name", "start_year", "end_year"]
    prepopulated_fields = {"slug": ["start_year", "end_year"]}
    search_fields = ["name"]


@admin.register(City)
class CityAdmin(RefuseDeleteWhileLinkedMixin, ContentAdmin):
    linked_relations = ["led_tracks", "tracks", "groups"]
    list_display = ["name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(RefuseDeleteWhileLinkedMixin, ContentAdmin):
    linked_relations = ["tracks", "groups"]
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


class ProgrammeYearInline(EditorialAdminMixin, admin.StackedInline):
    model = ProgrammeYear
    extra = 0
    fields = ["year", "plan_intro", "report_intro"]
    richtext_fields = ["plan_intro", "report_intro"]
    ordering = ["-year"]


@admin.register(Programme)
class ProgrammeAdmin(ContentAdmin):
    richtext_fields = ["description"]
    list_display = ["name", "short_name", "order", "track_count"]
    list_editable = ["order"]
    list_filter = ["periods"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["periods"]
    inlines = [ProgrammeYearInline, ProgrammeLinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_tracks=Count("tracks"))

    @admin.display(description=_("werksporen"), ordering="n_tracks")
    def track_count(self, obj):
        return obj.n_tracks


TRACK_YEAR_STATUS_PERMISSIONS = {
    "plan_status": "programmes.publish_worktrackyear",
    "report_status": "programmes.publish_worktrackyear",
}


class WorkTrackYearInline(EditorialAdminMixin, admin.StackedInline):
    model = WorkTrackYear
    extra = 0
    fields = [("year", "programme"), "title", "plan_text", "plan_status", "report_text", "report_status", ("outcome", "postponed_to")]
    autocomplete_fields = ["programme"]
    show_change_link = True
    ordering = ["-year"]
    richtext_fields = ["plan_text", "report_text"]
    status_permissions = TRACK_YEAR_STATUS_PERMISSIONS


class ExternalFundingInline(EditorialAdminMixin, admin.TabularInline):
    """Money from outside for this track or project; amounts typed the Belgian way ('2.500.000' or '2500000,00')."""

    model = ExternalFunding
    extra = 0
    fields = ["amount", "organisation", "source", "start_year", "end_year", "note", "order"]
    autocomplete_fields = ["organisation"]


class ResultInline(EditorialAdminMixin, admin.TabularInline):
    """Outputs and counts of this track in this year: the target from the jaarplan, what the jaarverslag reports."""

    model = Result
    extra = 0
    fields = ["label", "unit", "target", "achieved", "date", "note", "is_key_figure", "order"]

    # Eight columns fit a 1280 px screen: short inputs for the short values.
    SIZES = {"label": 28, "unit": 5, "note": 18, "order": 3}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("target", "achieved"):
            kwargs["form_class"] = QuantityField
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.SIZES and formfield is not None:
            formfield.widget.attrs["size"] = self.SIZES[db_field.name]
        return formfield


@admin.register(WorkTrack)
class WorkTrackAdmin(ContentAdmin):
    richtext_fields = ["summary"]
    list_display = ["title", "programme_short", "kind", "parent", "period", "is_public"]
    list_filter = ["programme", "kind", "is_public", ("years__year", admin.AllValuesFieldListFilter)]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["programme", "parent", "lead_cities", "cities", "partners"]
    list_select_related = ["programme", "parent"]
    inlines = [WorkTrackYearInline, ExternalFundingInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "programme", "parent", "summary"]}),
        (_("Looptijd"), {"fields": [("start_year", "end_year"), "is_public"]}),
        (_("Wie doet mee"), {"fields": ["lead_cities", "cities", "partners"]}),
    ]

    @admin.display(description=_("programma"), ordering="programme__order")
    def programme_short(self, obj):
        return (obj.programme.short_name or obj.programme.name) if obj.programme else "—"

    @admin.display(description=_("looptijd"), ordering="start_year")
    def period(self, obj):
        return f"{obj.start_year or '…'}–{obj.end_year or ''}"


@admin.register(WorkTrackYear)
class WorkTrackYearAdmin(ContentAdmin):
    list_display = ["__str__", "year", "programme_short", "plan_badge", "report_badge", "has_text", "placeholder_links"]
    list_filter = [YearFilter, "programme", "plan_status", "report_status", TextWrittenFilter, "track__kind"]
    search_fields = ["track__title", "title", "plan_text", "report_text"]
    autocomplete_fields = ["track", "programme"]
    list_select_related = ["track", "programme"]
    ordering = ["-year", "programme__order", "track__title"]
    inlines = [ResultInline, TrackYearLinkInline]
    fieldsets = [
        (None, {"fields": ["track", "year", "programme", "title"],
                "description": _("Nummer, kop en plaats in een jaarplan of jaarverslag stelt u in bij de editie (inhoud).")}),
        (_("Jaarplan"), {"fields": ["plan_text", "plan_status"]}),
        (_("Jaarverslag"), {"fields": ["report_text", "report_status", ("outcome", "postponed_to")]}),
    ]
    richtext_fields = ["plan_text", "report_text"]
    status_permissions = TRACK_YEAR_STATUS_PERMISSIONS
    actions = [
        "plan_to_review", "report_to_review", "plan_to_draft", "report_to_draft", "plan_publish", "report_publish",
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm("programmes.publish_worktrackyear")

    def _set_status(self, request, queryset, part, status):
        done = refused = 0
        for track_year in queryset:
            try:
                track_year_set_status(track_year=track_year, part=part, status=status, by=request.user)
                done += 1
            except (PermissionDenied, ValidationError):
                refused += 1
        self.message_user(request, _("%(done)d teksten bijgewerkt.") % {"done": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request, _("%(n)d teksten niet bijgewerkt: publiceren of depubliceren mag alleen een eindredacteur.")
                % {"n": refused}, messages.WARNING,
            )

    @admin.action(description=_("Tekst jaarplan: klaar voor nalezing"), permissions=["change"])
    def plan_to_review(self, request, queryset):
        self._set_status(request, queryset, "plan", EditorialStatus.REVIEW)

    @admin.action(description=_("Tekst jaarverslag: klaar voor nalezing"), permissions=["change"])
    def report_to_review(self, request, queryset):
        self._set_status(request, queryset, "report", EditorialStatus.REVIEW)

    @admin.action(description=_("Tekst jaarplan: terug naar concept"), permissions=["change"])
    def plan_to_draft(self, request, queryset):
        self._set_status(request, queryset, "plan", EditorialStatus.DRAFT)

    @admin.action(description=_("Tekst jaarverslag: terug naar concept"), permissions=["change"])
    def report_to_draft(self, request, queryset):
        self._set_status(request, queryset, "report", EditorialStatus.DRAFT)

    @admin.action(description=_("Tekst jaarplan: publiceren"), permissions=["publish"])
    def plan_publish(self, request, queryset):
        self._set_status(request, queryset, "plan", EditorialStatus.PUBLISHED)

    @admin.action(description=_("Tekst jaarverslag: publiceren"), permissions=["publish"])
    def report_publish(self, request, queryset):
        self._set_status(request, queryset, "report", EditorialStatus.PUBLISHED)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_placeholders=Count("links", filter=Q(links__url="") | Q(links__url="#"))
        )

    @admin.display(description=_("programma"), ordering="programme__order")
    def programme_short(self, obj):
        return obj.programme.short_name or obj.programme.name

    @admin.display(description=_("jaarplan"), ordering="plan_status")
    def plan_badge(self, obj):
        return status_badge(obj.plan_status, obj.get_plan_status_display())

    @admin.display(description=_("jaarverslag"), ordering="report_status")
    def report_badge(self, obj):
        return status_badge(obj.report_status, obj.get_report_status_display())

    @admin.display(description=_("heeft tekst"))
    def has_text(self, obj):
        parts = [(_("plan"), obj.plan_text), (_("verslag"), obj.report_text)]
        return format_html_join(
            " ", '<span class="kc-text kc-text--{}">{} {}</span>',
            (("yes", "✓", label) if text else ("no", "–", label) for label, text in parts),
        )

    @admin.display(description=_("links zonder adres"), ordering="n_placeholders")
    def placeholder_links(self, obj):
        if obj.n_placeholders:
            return format_html('<span class="kc-count kc-count--warn">{}</span>', obj.n_placeholders)
        return "0"

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class GroupYearInline(EditorialAdminMixin, admin.TabularInline):
    model = GroupYear
    extra = 0
    fields = ["year", "frequency", "reported_meetings", "meetings_complete", "note"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ContentAdmin):
    richtext_fields = ["purpose"]
    list_display = ["name", "kind", "programme_short", "frequency", "lead_city", "is_public"]
    list_filter = ["kind", "programme", "is_public", "cities"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["programme", "tracks", "lead_city", "cities", "partners"]
    list_select_related = ["programme", "lead_city"]
    # Meetings have a dozen fields: they are edited on their own page, listed here with links.
    inlines = [GroupYearInline, GroupLinkInline]
    readonly_fields = ["meeting_list"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "programme", "purpose", "frequency", ("start_year", "end_year"), "is_public"]}),
        (_("Wie doet mee"), {"fields": ["tracks", "lead_city", "cities", "partners"]}),
        (_("Vergaderingen en activiteiten"), {"fields": ["meeting_list"]}),
    ]

    @admin.display(description=_("programma"), ordering="programme__order")
    def programme_short(self, obj):
        return (obj.programme.short_name or obj.programme.name) if obj.programme else "—"

    @admin.display(description=_("activiteiten"))
    def meeting_list(self, obj):
        add_url = reverse("admin:programmes_meeting_add")
        if obj is None or obj.pk is None:
            return _("Bewaar de werkgroep eerst; daarna kunt u er activiteiten aan toevoegen.")
        rows = format_html_join(
            "", '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (reverse("admin:programmes_meeting_change", args=[m.pk]), m.title, m.date_display,
                 m.kind.name, status_badge(m.status, m.get_status_display()))
                for m in obj.meetings.select_related("kind").order_by("-sort_date")
            ),
        )
        table = format_html(
            '<table class="kc-meetings"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Activiteiten van deze werkgroep, nieuwste eerst"), _("titel"), _("datum"), _("soort"), _("status"), rows,
        ) if rows else format_html("<p>{}</p>", _("Nog geen activiteiten."))
        return format_html(
            '{}<p><a class="button kc-add-meeting" href="{}?group={}">{}</a></p>',
            table, add_url, obj.pk, _("Activiteit toevoegen"),
        )


@admin.register(MeetingKind)
class MeetingKindAdmin(ContentAdmin):
    """Kinds of activities; their slug is the value of the calendar's 'soort' filter (?soort=workshop)."""

    list_display = ["name", "slug", "order", "is_group_meeting", "meeting_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "order", "is_group_meeting"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_meetings=Count("meetings"))

    def get_readonly_fields(self, request, obj=None):
        # Filter addresses in use (?soort=…) keep working: the slug is fixed once the kind exists.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    @admin.display(description=_("activiteiten"), ordering="n_meetings")
    def meeting_count(self, obj):
        return obj.n_meetings


@admin.register(Meeting)
class MeetingAdmin(ContentAdmin):
    form = MeetingForm
    list_display = ["title", "date_display", "kind", "status_badge", "group", "host_city", "is_public"]
    list_filter = [YearFilter, "kind", "status", "group__programme", "host_city", "is_public"]
    search_fields = ["title", "description", "place", "group__name", "track__title"]
    autocomplete_fields = ["group", "track", "host_city"]
    list_select_related = ["kind", "group", "host_city"]
    ordering = ["-sort_date"]
    inlines = [MeetingLinkInline]
    readonly_fields = ["date_preview"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "group", "track", "description", "is_public"]}),
        # One date field in reading order ('16 en 17 mei 2018'), the hours after it, the preview right under it.
        (_("Wanneer"), {"fields": [("date", "start_time", "end_time"), "date_preview", ("status", "new_date"),
                                   "confirm_duplicate"],
                        "classes": ["kc-when"]}),
        (_("Waar"), {"fields": ["host_city", "place"]}),
    ]

    class Media:
        js = ["js/meeting-date.js", "js/meeting-status.js"]

    @admin.display(description=_("zo verschijnt het"))
    def date_preview(self, obj):
        """The date as the public pages will show it; static/js/meeting-date.js keeps it current while typing."""
        return format_html('<span class="kc-date-preview" data-date-preview aria-live="polite">{}</span>',
                           obj.date_display if obj and obj.pk else "—")

    @admin.display(description=_("datum"), ordering="sort_date")
    def date_display(self, obj):
        return obj.date_display

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge(obj.status, obj.get_status_display())


@admin.register(Link)
class LinkAdmin(LinkFormMixin, ContentAdmin):
    list_display = ["title", "kind", "url_state", "owner", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["track_year", "group", "meeting", "programme", "budget"]
    list_select_related = ["track_year__track", "group", "meeting", "programme", "budget"]

    @admin.display(description=_("adres"))
    def url_state(self, obj):
        return url_state(obj)

    @admin.display(description=_("hoort bij"))
    def owner(self, obj):
        return obj.owner


class BudgetLineInline(EditorialAdminMixin, admin.TabularInline):
    model = BudgetLine
    extra = 0
    autocomplete_fields = ["programme"]


class FundingSourceInline(EditorialAdminMixin, admin.TabularInline):
    model = FundingSource
    extra = 0


@admin.register(Budget)
class BudgetAdmin(ContentAdmin):
    richtext_fields = ["note"]
    list_display = ["year", "total_display", "settlement"]
    search_fields = ["year"]
    inlines = [BudgetLineInline, FundingSourceInline, BudgetLinkInline]
    fields = ["year", "total", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("links")

    @admin.display(description=_("totaal budget"), ordering="total")
    def total_display(self, obj):
        return format_euro(obj.total)

    @admin.display(description=_("afrekening"))
    def settlement(self, obj):
        links = list(obj.links.all())
        if not links:
            return "—"
        if any(link.is_placeholder for link in links):
            return format_html('<span class="kc-warning">{}</span>', _("adres ontbreekt"))
        return ", ".join(link.title for link in links)


@admin.register(GoverningBody)
class GoverningBodyAdmin(ContentAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class PositionInline(EditorialAdminMixin, admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["body"]


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    search_fields = ["name"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(ContentAdmin):
    list_display = ["person", "role", "body", "year"]
    list_filter = [YearFilter, "body"]
    search_fields = ["person__name", "role"]
    autocomplete_fields = ["person", "body"]


@admin.register(CommunicationFigure)
class CommunicationFigureAdmin(ContentAdmin):
    list_display = ["label", "channel", "value", "as_of", "year"]
    list_filter = [YearFilter, "channel"]
    search_fields = ["label", "channel"]


@admin.register(GroupYear)
class GroupYearAdmin(ContentAdmin):
    list_display = ["group", "year", "frequency", "reported_meetings", "meetings_complete"]
    list_filter = [YearFilter]
    autocomplete_fields = ["group"]
    search_fields = ["group__name"]
