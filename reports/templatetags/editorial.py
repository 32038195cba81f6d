"""The back-office home page: where the editions stand, an editor's own texts, the lists by how often they are used."""
from django import template
from django.db.models import Count, Q
from django.urls import reverse

from programmes.models import EditorialStatus, WorkTrackYear
from reports.round import FILTERS, round_tables
from reports.selectors import editions_in_preparation, texts_last_edited_by

register = template.Library()

# The home page lists models by how often editors open them, not alphabetically.
HOME_SECTIONS = [
    ("Dagelijks werk", [
        ("programmes.meeting", "Vergaderingen en activiteiten"),
        ("programmes.workinggroup", None),
        ("programmes.worktrack", None),
        ("programmes.worktrackyear", "Teksten per jaar (werksporen per jaar)"),
        ("reports.edition", None),
    ]),
    ("Ook in de edities", [
        ("programmes.programme", None),
        ("programmes.link", None),
        ("programmes.budget", None),
        ("programmes.groupyear", None),
        ("reports.editionsection", None),
        ("reports.sectionlink", None),
    ]),
    ("Referentiegegevens", [
        ("programmes.programmeperiod", None),
        ("programmes.governingbody", None),
        ("programmes.position", None),
        ("programmes.meetingkind", None),
        ("programmes.city", None),
        ("programmes.organisation", None),
        ("programmes.person", None),
        ("programmes.communicationfigure", None),
    ]),
]


@register.simple_tag
def admin_home_sections(app_list):
    """The models of Django's app list regrouped into HOME_SECTIONS; anything not named goes last."""
    by_label = {
        f"{app['app_label']}.{model['object_name'].lower()}": model for app in app_list for model in app["models"]
    }
    sections, placed = [], set()
    for title, entries in HOME_SECTIONS:
        models = []
        for label, name in entries:
            if label in by_label:
                models.append({**by_label[label], "name": name or by_label[label]["name"]})
                placed.add(label)
        if models:
            sections.append({"name": title, "models": models, "app_label": title})
    rest = [model for label, model in by_label.items() if label not in placed]
    if rest:
        sections.append({"name": "Overige", "models": rest, "app_label": "overige"})
    return sections


@register.inclusion_tag("admin/includes/editorial_overview.html", takes_context=True)
def editorial_overview(context):
    """Editions not yet published with their progress and round, and per year how many texts wait in each state."""
    request = context["request"]
    per_year = (
        WorkTrackYear.objects.values("year")
        .annotate(
            plan_draft=Count("id", filter=Q(plan_status=EditorialStatus.DRAFT) & ~Q(plan_text="")),
            plan_review=Count("id", filter=Q(plan_status=EditorialStatus.REVIEW)),
            report_draft=Count("id", filter=Q(report_status=EditorialStatus.DRAFT) & ~Q(report_text="")),
            report_review=Count("id", filter=Q(report_status=EditorialStatus.REVIEW)),
            empty=Count("id", filter=Q(plan_text="") & Q(report_text="")),
        )
        .order_by("-year")
    )
    rows = [row for row in per_year if any(row[k] for k in ("plan_draft", "plan_review", "report_draft", "report_review", "empty"))]
    progress, others = editions_in_preparation()
    current = request.GET.get("ronde", "")
    current = current if current in FILTERS else ""
    can_see_round = request.user.has_perm("reports.view_roundtext")
    tables = {t.edition.pk: t for t in round_tables([p.edition for p in progress])} if can_see_round else {}
    for p in progress:
        p.round = tables.get(p.edition.pk)
        p.round_rows = p.round.filtered(current, request.user) if p.round else []
    return {
        "progress": progress, "others": others, "rows": rows[:6], "round_filters": FILTERS, "round_current": current,
        "base_url": reverse("admin:index"),
    }


@register.inclusion_tag("admin/includes/my_texts.html")
def my_texts(user):
    """The texts this editor changed last and that are not published yet."""
    return {"texts": texts_last_edited_by(user=user)}
