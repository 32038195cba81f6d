"""The back-office's shared machinery: `ContentAdmin` (history, diff, revert, restore, no lost edits, Dutch
messages) that every ModelAdmin of both apps builds on, the link inlines, list filters and the delete guard.
The registrations are in programmes/admin.py and reports/admin.py."""
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .history import compare_versions, deleted_records, record_label, related_paths, restore_deleted, version_changes
from .forms import EditorialAdminMixin, LinkForm

from .models import Link


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
