"""Back-office for the domain. Declarative ModelAdmins; inlines where editors expect them."""
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Budget, BudgetLine, City, CommunicationFigure, FundingSource, GoverningBody, GroupYear, Link, Meeting,
    Organisation, Person, Position, Programme, ProgrammePeriod, WorkingGroup, WorkTrack, WorkTrackYear,
)


class LinkInline(admin.TabularInline):
    model = Link
    extra = 0
    fields = ["title", "url", "kind", "order", "is_public"]
    fk_name = None


class TrackYearLinkInline(LinkInline):
    fk_name = "track_year"


class GroupLinkInline(LinkInline):
    fk_name = "group"


class MeetingLinkInline(LinkInline):
    fk_name = "meeting"


class ProgrammeLinkInline(LinkInline):
    fk_name = "programme"


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


@admin.register(ProgrammePeriod)
class ProgrammePeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year"]
    prepopulated_fields = {"slug": ["start_year", "end_year"]}
    search_fields = ["name"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "order", "track_count"]
    list_editable = ["order"]
    list_filter = ["periods"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["periods"]
    inlines = [ProgrammeLinkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_tracks=Count("tracks"))

    @admin.display(description=_("werksporen"), ordering="n_tracks")
    def track_count(self, obj):
        return obj.n_tracks


class WorkTrackYearInline(admin.StackedInline):
    model = WorkTrackYear
    extra = 0
    fields = [("year", "number", "programme"), "title", "plan_text", "plan_status", "report_text", "report_status"]
    autocomplete_fields = ["programme"]
    show_change_link = True
    ordering = ["-year"]


@admin.register(WorkTrack)
class WorkTrackAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "parent", "start_year", "end_year", "is_public"]
    list_filter = ["programme", "kind", "is_public", ("years__year", admin.AllValuesFieldListFilter)]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["programme", "parent", "lead_cities", "cities", "partners"]
    list_select_related = ["programme", "parent"]
    inlines = [WorkTrackYearInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "programme", "parent", "summary"]}),
        (_("Looptijd"), {"fields": [("start_year", "end_year"), "is_public"]}),
        (_("Wie doet mee"), {"fields": ["lead_cities", "cities", "partners"]}),
    ]


@admin.register(WorkTrackYear)
class WorkTrackYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "programme", "number", "plan_status", "report_status", "placeholder_links"]
    list_filter = [YearFilter, "programme", "plan_status", "report_status", "track__kind"]
    search_fields = ["track__title", "title", "plan_text", "report_text", "number"]
    autocomplete_fields = ["track", "programme"]
    list_select_related = ["track", "programme"]
    ordering = ["-year", "programme__order", "sort_key", "order"]
    inlines = [TrackYearLinkInline]
    fieldsets = [
        (None, {"fields": ["track", ("year", "number", "order"), "programme", "title"]}),
        (_("Jaarplan"), {"fields": ["plan_text", "plan_status"]}),
        (_("Jaarverslag"), {"fields": ["report_text", "report_status"]}),
    ]

    def get_queryset(self, request):
        from django.db.models import Q
        return super().get_queryset(request).annotate(
            n_placeholders=Count("links", filter=Q(links__url="") | Q(links__url="#"))
        )

    @admin.display(description=_("links zonder adres"), ordering="n_placeholders")
    def placeholder_links(self, obj):
        if obj.n_placeholders:
            return format_html('<span style="color:#a0210f;font-weight:600">{}</span>', obj.n_placeholders)
        return "0"

    def view_on_site(self, obj):
        return obj.get_absolute_url()


class GroupYearInline(admin.TabularInline):
    model = GroupYear
    extra = 0


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["title", "kind", "year", "month", "day", "period", "status", "new_date", "host_city", "place", "is_public"]
    autocomplete_fields = ["host_city"]
    show_change_link = True
    ordering = ["-sort_date"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "programme", "frequency", "lead_city", "is_public"]
    list_filter = ["kind", "programme", "is_public", "cities"]
    search_fields = ["name", "purpose"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["programme", "tracks", "lead_city", "cities", "partners"]
    list_select_related = ["programme", "lead_city"]
    inlines = [GroupYearInline, MeetingInline, GroupLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "programme", "purpose", "frequency", ("start_year", "end_year"), "is_public"]}),
        (_("Wie doet mee"), {"fields": ["tracks", "lead_city", "cities", "partners"]}),
    ]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "date_display", "kind", "status", "group", "host_city", "is_public"]
    list_filter = [YearFilter, "kind", "status", "group__programme", "host_city", "is_public"]
    search_fields = ["title", "description", "place", "group__name", "track__title"]
    autocomplete_fields = ["group", "track", "host_city"]
    list_select_related = ["group", "host_city"]
    ordering = ["-sort_date"]
    inlines = [MeetingLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "kind", "group", "track", "description", "is_public"]}),
        (_("Wanneer"), {"fields": [("year", "month", "day"), "period", ("status", "new_date")],
                        "description": _("Vul alleen in wat gekend is: een jaar, een maand of een seizoen is genoeg.")}),
        (_("Waar"), {"fields": ["host_city", "place"]}),
    ]

    @admin.display(description=_("datum"), ordering="sort_date")
    def date_display(self, obj):
        return obj.date_display


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "url_state", "owner", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "url"]
    autocomplete_fields = ["track_year", "group", "meeting", "programme"]
    list_select_related = ["track_year__track", "group", "meeting", "programme"]

    @admin.display(description=_("adres"))
    def url_state(self, obj):
        if obj.is_placeholder:
            return format_html('<span style="color:#a0210f;font-weight:600">{}</span>', _("ontbreekt"))
        return obj.url

    @admin.display(description=_("hoort bij"))
    def owner(self, obj):
        return obj.track_year or obj.group or obj.meeting or obj.programme


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    autocomplete_fields = ["programme"]


class FundingSourceInline(admin.TabularInline):
    model = FundingSource
    extra = 0


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "total", "settlement_url"]
    inlines = [BudgetLineInline, FundingSourceInline]


@admin.register(GoverningBody)
class GoverningBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["body"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "body", "year"]
    list_filter = [YearFilter, "body"]
    search_fields = ["person__name", "role"]
    autocomplete_fields = ["person", "body"]


@admin.register(CommunicationFigure)
class CommunicationFigureAdmin(admin.ModelAdmin):
    list_display = ["label", "channel", "value", "as_of", "year"]
    list_filter = [YearFilter, "channel"]
    search_fields = ["label", "channel"]


@admin.register(GroupYear)
class GroupYearAdmin(admin.ModelAdmin):
    list_display = ["group", "year", "reported_meetings"]
    list_filter = [YearFilter]
    autocomplete_fields = ["group"]
    search_fields = ["group__name"]
