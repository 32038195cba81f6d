"""Back-office for the domain. Declarative ModelAdmins; inlines where editors expect them (their shared
machinery: programmes/contentadmin.py)."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .addresses import placeholder_q
from .amounts import QuantityField, format_euro
from .contentadmin import (
    BudgetLinkInline, ContentAdmin, GroupLinkInline, LinkFormMixin, MeetingLinkInline, ProgrammeLinkInline,
    RefuseDeleteWhileLinkedMixin, TextWrittenFilter, TrackYearLinkInline, YearFilter, status_badge, url_state,
)
from .services import track_year_set_status
from .forms import EditorialAdminMixin, MeetingForm
from .models import (
    EditorialStatus, Budget, BudgetLine, City, CommunicationFigure, ExternalFunding, FundingSource, GoverningBody, GroupYear,
    Link, Meeting, MeetingKind, Organisation, Person, Position, Programme, ProgrammePeriod, ProgrammeYear, Result, WorkingGroup,
    WorkTrack, WorkTrackYear,
)


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
            n_placeholders=Count("links", filter=placeholder_q("links__url"))
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
    autocomplete_fields = ["group", "track", "host_city", "rescheduled_as"]
    list_select_related = ["kind", "group", "host_city"]
    ordering = ["-sort_date"]
    inlines = [MeetingLinkInline]
    readonly_fields = ["date_preview"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "group", "track", "description", "is_public"]}),
        # One date field in reading order ('16 en 17 mei 2018'), the hours after it, the preview right under it.
        (_("Wanneer"), {"fields": [("date", "start_time", "end_time"), "date_preview", ("status", "new_date"), "rescheduled_as",
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
