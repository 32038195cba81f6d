"""The yearly round in the back-office: who writes and reviews each text, comment threads on the
texts' own forms, the round page with bulk assignment, review links and the reminder log.

The track texts' form (WorkTrackYear, in programmes) gets the round's inline here by registering a
subclass of its admin, as Django documents for extending another app's admin (UserAdmin): the
round knows about programmes, never the other way round.
"""
import datetime

from django import forms
from django.contrib import admin, messages
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from programmes.admin import WorkTrackYearAdmin
from programmes.forms import EditorialForm
from programmes.models import EditorialStatus, WorkTrackYear

from .exports.xlsx import round_workbook
from .models import Edition, ReminderPreference, ReviewLink, RoundComment, RoundText, SentMail
from .round import FILTERS, author_proposals, editions_in_round, round_people, round_table
from .services import (
    PUBLISH_PERMISSION, QUOTE_NOT_IN_TEXT, edition_round_sync, reminder_preference_set, review_link_create, review_link_revoke,
    round_assign, round_comment_add, round_comment_resolve,
)


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


# --- the thread and the assignment on a text's own form ----------------------------------------------

class RoundTextForm(forms.ModelForm):
    """A text's place in the round, its comment thread, and room for a new remark."""

    new_quote = forms.CharField(
        label=_("Over de passage"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Niet verplicht: de zin of zinnen waarover de nieuwe opmerking gaat, letterlijk uit de tekst."),
    )
    new_comment = forms.CharField(
        label=_("Nieuwe opmerking"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verschijnt in de draad van deze tekst, voor de redactie; nooit op de publieke site."),
    )
    resolve = forms.MultipleChoiceField(
        label=_("Opgelost"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Vink aan wat verwerkt is."),
    )

    class Meta:
        model = RoundText
        fields = ["author", "reviewer", "due_date", "status"]

    user = None  # set by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = round_people()
        for name in ("author", "reviewer"):
            if name in self.fields:
                self.fields[name].queryset = people
                self.fields[name].label_from_instance = person_name
        open_comments = [c for c in self.instance.comments.all() if c.is_open] if self.instance.pk else []
        self.fields["resolve"].choices = [
            (str(c.pk), f"{c.author_name}, {c.created_at:%d-%m-%Y}: {c.body[:80] or 'akkoord'}") for c in open_comments
        ]

    def clean_status(self):
        status = self.cleaned_data.get("status")
        text = self.instance
        if "status" in self.changed_data and status == EditorialStatus.APPROVED and not may_review(text, self.user):
            raise ValidationError(
                _("Alleen de nalezer van deze tekst of een eindredacteur kan goedkeuren."), code="approve_permission",
            )
        return status

    def clean(self):
        cleaned = super().clean()
        quote = " ".join((cleaned.get("new_quote") or "").split())
        if quote and not (cleaned.get("new_comment") or "").strip():
            self.add_error("new_comment", ValidationError(_("Schrijf de opmerking bij deze passage."), code="quote_without_comment"))
        elif quote and self.instance.pk and not self.instance.contains_passage(quote):
            self.add_error("new_quote", ValidationError(QUOTE_NOT_IN_TEXT, code="quote_not_in_text"))
        return cleaned


def may_review(text: RoundText, user) -> bool:
    return bool(user) and (user.pk == text.reviewer_id or user.has_perm(PUBLISH_PERMISSION))


class RoundTextInline(admin.StackedInline):
    """One row per edition the text is part of: author, reviewer, deadline, the thread."""

    model = RoundText
    form = RoundTextForm
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = ["round_of", "thread"]
    fields = ["round_of", ("author", "reviewer", "due_date"), "status", "thread", "new_quote", "new_comment", "resolve"]
    verbose_name = _("plaats in de ronde")
    verbose_name_plural = _("ronde: auteur, nalezer en opmerkingen")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("edition").prefetch_related("comments")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        return False  # texts join the round through the edition's outline

    @admin.display(description=_("editie"))
    def round_of(self, obj):
        due = obj.due
        when = f" · deadline {due:%d-%m-%Y}" if due else ""
        return format_html('<a href="{}">{}</a>{}', reverse("admin:reports_edition_round", args=[obj.edition_id]), obj.edition, when)

    @admin.display(description=_("opmerkingen"))
    def thread(self, obj):
        return render_to_string("admin/reports/includes/thread.html", {"comments": list(obj.comments.all())})


class TrackRoundInline(RoundTextInline):
    fk_name = "track_year"
    fields = ["round_of", ("author", "reviewer", "due_date"), "thread", "new_quote", "new_comment", "resolve"]


class SectionRoundInline(RoundTextInline):
    fk_name = "section"


class ForewordRoundInline(RoundTextInline):
    fk_name = "edition"
    verbose_name_plural = _("ronde van het voorwoord: auteur, nalezer en opmerkingen")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=RoundText.Kind.FOREWORD)


class RoundThreadsMixin:
    """Saves the new remarks and the 'opgelost' ticks of the round inlines through the services."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not RoundText:
            return
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None) or {}
            if (data.get("new_comment") or "").strip():
                round_comment_add(text=inline_form.instance, body=data["new_comment"], by=request.user, quote=data.get("new_quote", ""))
            for pk in data.get("resolve") or []:
                comment = RoundComment.objects.filter(pk=pk, text=inline_form.instance).first()
                if comment:
                    round_comment_resolve(comment=comment, by=request.user)


class TrackTextForm(EditorialForm):
    """The track text's form: approving (goedgekeurd) is for the text's reviewer or an Eindredacteur."""

    def clean(self):
        cleaned = super().clean()
        for part, kind in (("plan", Edition.Kind.PLAN), ("report", Edition.Kind.REPORT)):
            name = f"{part}_status"
            if name not in self.changed_data or cleaned.get(name) != EditorialStatus.APPROVED:
                continue
            texts = RoundText.objects.filter(track_year=self.instance, edition__kind=kind) if self.instance.pk else []
            if not (self.user.has_perm(PUBLISH_PERMISSION) or any(t.reviewer_id == self.user.pk for t in texts)):
                self.add_error(name, ValidationError(
                    _("Alleen de nalezer van deze tekst of een eindredacteur kan goedkeuren."), code="approve_permission",
                ))
        return cleaned


admin.site.unregister(WorkTrackYear)


@admin.register(WorkTrackYear)
class TrackTextAdmin(RoundThreadsMixin, WorkTrackYearAdmin):
    """WorkTrackYearAdmin with the round: who writes and reviews the plan and report text, and the threads."""

    form = TrackTextForm
    inlines = WorkTrackYearAdmin.inlines + [TrackRoundInline]


# --- the round page: everything of one edition, assigned in one save ---------------------------------

def _posted_assignments(post, rows, people) -> dict:
    """{text id: {field: value}} of what the round page's form changed, for the rows it showed.

    Each row posts author-<id>, reviewer-<id> and due-<id>; a person must be one of `people`, a date
    ISO (the browser's date input). Rows the filter hid are not posted and stay as they are.
    """
    changes, errors = {}, []
    for row in rows:
        text = row.text
        if f"author-{text.pk}" not in post:
            continue
        values = {}
        for name in ("author", "reviewer"):
            raw = post.get(f"{name}-{text.pk}", "")
            person = people.get(int(raw)) if raw.isdigit() else None
            if raw and person is None:
                errors.append(text.title)
            elif getattr(text, f"{name}_id") != (person.pk if person else None):
                values[name] = person
        raw_due = post.get(f"due-{text.pk}", "").strip()
        try:
            due = datetime.date.fromisoformat(raw_due) if raw_due else None
        except ValueError:
            errors.append(text.title)
            due = text.due_date
        if due != text.due_date:
            values["due_date"] = due
        if values:
            changes[text.pk] = values
    if errors:
        raise ValidationError(
            _("Niet bewaard: kies een medewerker uit de lijst en een geldige datum bij %(texts)s.")
            % {"texts": ", ".join(errors)}, code="invalid",
        )
    return changes


def round_download_view(model_admin, request, pk):
    """The whole round of one edition as an Excel workbook (the rows of the round page, unfiltered)."""
    edition = get_object_or_404(Edition, pk=pk)
    if not request.user.has_perm("reports.view_roundtext"):
        raise PermissionDenied
    response = HttpResponse(
        round_workbook(round_table(edition=edition)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ronde-{slugify(str(edition))}.xlsx"'
    return response


def round_view(model_admin, request, pk):
    """The round of one edition: progress, filters, and assigning authors, reviewers and own deadlines
    per row, per programme or from last year's authors, in one save."""
    edition = get_object_or_404(Edition, pk=pk)
    if not request.user.has_perm("reports.view_roundtext"):
        raise PermissionDenied
    can_assign = request.user.has_perm("reports.change_roundtext") and not edition.is_published
    table = round_table(edition=edition)
    people = {user.pk: user for user in round_people()}
    proposals = author_proposals(edition=edition)
    if request.method == "POST" and can_assign:
        try:
            changes = _posted_assignments(request.POST, table.rows, people)
            programme = request.POST.get("programma-naam")
            if "programma" in request.POST and programme:
                for name in ("author", "reviewer"):
                    raw = request.POST.get(f"programma-{name}", "")
                    if raw.isdigit() and int(raw) in people:
                        for row in table.rows:
                            if row.text.programme_label == programme:
                                changes.setdefault(row.text.pk, {})[name] = people[int(raw)]
            if "voorstellen" in request.POST:
                for row in table.rows:
                    proposal = proposals.get(row.text.track_year_id)
                    if proposal and row.text.author_id is None and row.text.reviewer_id is None:
                        changes.setdefault(row.text.pk, {}).update(author=people.get(proposal[0]), reviewer=people.get(proposal[1]))
            n = round_assign(edition=edition, changes=changes, by=request.user)
        except ValidationError as exc:
            model_admin.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            model_admin.message_user(
                request, _("%(n)d tekst(en) toegewezen.") % {"n": n} if n else _("Er is niets gewijzigd."),
                messages.SUCCESS if n else messages.INFO,
            )
        return redirect(request.get_full_path())
    current = request.GET.get("ronde", "")
    current = current if current in FILTERS else ""
    names = [(pk, person_name(user)) for pk, user in people.items()]
    # The options of a person select, rendered once per person who can be the selected one: a round of
    # hundreds of texts then costs no template loop per row.
    options = {
        pk: render_to_string("admin/reports/includes/people_options.html", {"people": names, "selected": pk})
        for pk in [None, *people]
    }
    rows = []
    for row in table.filtered(current, request.user):
        row.author_options = options.get(row.text.author_id, options[None])
        row.reviewer_options = options.get(row.text.reviewer_id, options[None])
        proposal = proposals.get(row.text.track_year_id) if row.text.track_year_id else None
        if proposal and not (row.text.author_id or row.text.reviewer_id):
            row.proposal = [person_name(people.get(p)) if p else "—" for p in proposal]
        rows.append(row)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Edition._meta,
        "original": edition,
        "edition": edition,
        "title": _("Ronde: %(edition)s") % {"edition": edition},
        "table": table,
        "rows": rows,
        "people": names,
        "programmes": list(dict.fromkeys(row.text.programme_label for row in table.rows if row.text.programme_label)),
        "filters": FILTERS,
        "current": current,
        "can_assign": can_assign,
        "has_proposals": any(getattr(row, "proposal", None) for row in rows),
        "can_make_links": request.user.has_perm("reports.add_reviewlink") and not edition.is_published,
    }
    return TemplateResponse(request, "admin/reports/edition/round.html", context)


# --- review links ------------------------------------------------------------------------------------

class ReviewLinkAddForm(forms.Form):
    edition = forms.ModelChoiceField(label=_("editie"), queryset=Edition.objects.none())
    name = forms.CharField(label=_("naam nalezer"), max_length=160)
    email = forms.EmailField(label=_("e-mailadres"))
    organisation = forms.CharField(label=_("organisatie"), max_length=200, required=False)
    texts = forms.ModelMultipleChoiceField(
        label=_("teksten"), queryset=RoundText.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets aangevinkt: de hele editie."),
    )
    valid_days = forms.IntegerField(label=_("geldig (dagen)"), min_value=1, max_value=90)
    send = forms.BooleanField(label=_("de link meteen per e-mail sturen"), required=False, initial=True)

    def __init__(self, *args, edition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions_in_round()
        if edition is not None:
            self.fields["texts"].queryset = RoundText.objects.filter(edition=edition).select_related(
                "edition", "track_year__track", "section",
            )


@admin.register(ReviewLink)
class ReviewLinkAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "edition", "state", "expires_at", "comment_count", "last_used_at"]
    list_filter = ["edition"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["edition"]
    readonly_fields = ["edition", "name", "email", "organisation", "text_list", "created_by", "created_at", "expires_at",
                       "revoked_at", "last_used_at"]
    fields = readonly_fields
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_comments=Count("comments"))

    def has_change_permission(self, request, obj=None):
        return False  # a link is made, revoked or left to expire; never edited

    @admin.display(description=_("stand"))
    def state(self, obj):
        if obj.revoked_at:
            return _("ingetrokken")
        return _("geldig") if obj.is_active() else _("verlopen")

    @admin.display(description=_("reacties"), ordering="n_comments")
    def comment_count(self, obj):
        return obj.n_comments

    @admin.display(description=_("teksten"))
    def text_list(self, obj):
        texts = [str(t.title) for t in obj.texts.select_related("edition", "track_year__track", "section")]
        return ", ".join(texts) if texts else _("de hele editie")

    @admin.action(description=_("Intrekken (de link werkt meteen niet meer)"), permissions=["delete"])
    def revoke(self, request, queryset):
        for link in queryset:
            review_link_revoke(link=link, by=request.user)
        self.message_user(request, _("%(n)d link(s) ingetrokken.") % {"n": queryset.count()}, messages.SUCCESS)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        edition = Edition.objects.filter(pk=request.GET.get("editie") or request.POST.get("edition") or 0).first()
        initial = {"edition": edition, "valid_days": settings.REVIEW_LINK_DAYS}
        form = ReviewLinkAddForm(request.POST or None, edition=edition, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                link, token = review_link_create(
                    edition=data["edition"], name=data["name"], email=data["email"], organisation=data["organisation"],
                    texts=data["texts"], valid_days=data["valid_days"], by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                url = request.build_absolute_uri(reverse("reports:review", args=[token]))
                if data["send"]:
                    send_mail(
                        f"Nalezing: {link.edition}",
                        render_to_string("reports/review_mail.txt", {"link": link, "url": url, "by": request.user}),
                        None, [link.email],
                    )
                self.message_user(request, format_html(
                    "Nalezingslink voor {} gemaakt{}. Dit adres wordt maar één keer getoond: <a href=\"{}\">{}</a>",
                    link.name, " en verstuurd" if data["send"] else "", url, url,
                ), messages.SUCCESS)
                return redirect("admin:reports_edition_round", link.edition_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": ReviewLink._meta,
            "title": _("Nalezingslink maken"),
            "form": form,
            "edition": edition,
        }
        return TemplateResponse(request, "admin/reports/reviewlink/add.html", context)


@admin.register(SentMail)
class SentMailAdmin(admin.ModelAdmin):
    """The log of reminder mail: what went to whom, when (Eindredacteurs)."""

    list_display = ["sent_at", "to_email", "subject"]
    search_fields = ["to_email", "subject", "body"]
    readonly_fields = ["sent_at", "recipient", "to_email", "subject", "body"]
    fields = readonly_fields
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("mijn-herinneringen/", self.admin_site.admin_view(self.preference_view), name="reports_reminder_preference"),
        ] + super().get_urls()

    def preference_view(self, request):
        """Each staff member switches their own reminder e-mails on or off."""
        preference = ReminderPreference.objects.filter(user=request.user).first()
        current = preference.send_reminders if preference else True
        if request.method == "POST":
            wanted = request.POST.get("send_reminders") == "1"
            reminder_preference_set(user=request.user, send_reminders=wanted)
            self.message_user(
                request, _("U krijgt weer herinneringen per e-mail.") if wanted else _("U krijgt geen herinneringen meer per e-mail."),
                messages.SUCCESS,
            )
            return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mijn herinneringen"),
            "current": current,
            "has_email": bool(request.user.email),
        }
        return TemplateResponse(request, "admin/reports/reminder_preference.html", context)


def round_overview_context(request, edition: Edition) -> dict:
    """What the edition's own form shows of its round (read-only table, link to the round page)."""
    if not request.user.has_perm("reports.view_roundtext"):
        return {}
    if edition.is_published:
        # Its round is over: the form links to it instead of carrying the whole table along.
        return {"round_closed": True}
    edition_round_sync(edition=edition)
    current = request.GET.get("ronde", "")
    table = round_table(edition=edition)
    return {"round": table, "round_rows": table.filtered(current if current in FILTERS else "", request.user),
            "round_filters": FILTERS, "round_current": current}
