"""Figures an edition states about its year, and the series behind its charts: reads only.

"Het jaar in cijfers" is counted from what the assembled edition itself shows (its tracks, the
groups and activities under them, its budget), so the spread can never disagree with the pages
that follow it. The series across years (budget, communication figures) hold only what the reader
may see: budgets of published jaarverslagen, figures printed in visible editions.
"""
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse

from programmes.amounts import format_euro
from programmes.models import Budget, City, CommunicationFigure, Link, Meeting

from .charts import Point, bar_chart
from .models import Edition


@dataclass(frozen=True)
class KeyFigure:
    value: str
    label: str
    anchor: str = ""  # the section of the edition that shows the detail
    url: str = ""  # or the page that lists them
    is_amount: bool = False  # a long value ("1.026.647,54 euro"): set smaller, over two columns


def _count(n: int, singular: str, plural: str) -> tuple[str, str]:
    return f"{n:,}".replace(",", "."), singular if n == 1 else plural


def year_in_figures(*, outline, group_overview, budget, groups_at_work: int = 0, year: int | None = None) -> list[KeyFigure]:
    """The jaarverslag's year in figures, counted from its assembled outline (one query, for the cities),
    then the results marked as key figures ('kerncijfer'). The groups at work are counted by the one rule
    (WorkingGroupQuerySet.at_work_in) over every group, as /werkgroepen/?jaar= lists them."""
    items = []

    def walk(level):
        for item in level:
            items.append(item)
            walk(item.children)

    walk(outline)
    tracks = [item for item in items if item.track_year is not None]
    held = {m.pk for item in items for m in item.activities if m.status == Meeting.Status.HELD}
    shown = {f.group.pk: f for item in items for f in item.groups} | {f.group.pk: f for f in group_overview}
    track_ids = {item.track_year.track_id for item in tracks}
    cities = set(
        City.objects.filter(
            Q(led_tracks__in=track_ids) | Q(tracks__in=track_ids) | Q(groups__in=list(shown))
        ).values_list("pk", flat=True).distinct()
    ) if track_ids or shown else set()
    figures = []
    if tracks:
        figures.append(KeyFigure(*_count(len(tracks), "werkspoor in dit verslag", "werksporen in dit verslag")))
    if held:
        figures.append(KeyFigure(*_count(len(held), "activiteit gehouden", "activiteiten gehouden")))
    if groups_at_work:
        url = f"{reverse('programmes:workinggroup-list')}?jaar={year}"
        figures.append(KeyFigure(*_count(groups_at_work, "groep aan het werk", "werkgroepen, stuurgroepen en netwerken aan het werk"), url=url))
    counted = sum(f.count or 0 for f in group_overview)
    if counted:
        value, noun = _count(counted, "bijeenkomst", "bijeenkomsten")
        groups = "de groep" if len(group_overview) == 1 else f"de {len(group_overview)} groepen"
        figures.append(KeyFigure(value, f"{noun} van {groups} in het overzicht", anchor="werkgroepen"))
    if cities:
        figures.append(KeyFigure(*_count(len(cities), "stad betrokken", "steden betrokken")))
    if budget is not None:
        figures.append(KeyFigure(format_euro(budget.total), "budget", anchor="afrekening", is_amount=True))
    # The results editors marked as key figures, in reading order, each linking to its track.
    figures += [
        KeyFigure(result.achieved_display, result.label, anchor=item.anchor, is_amount=len(result.achieved_display) > 12)
        for item in items for result in item.results
        if result.is_key_figure and result.show_achieved and result.achieved is not None
    ]
    return figures


def budgets_visible_to(user, *, up_to: int | None = None, include_year: int | None = None):
    """Budgets a reader may see, oldest first: those of published jaarverslagen (and the edition's own year).

    `include_year` is for the edition being assembled: its own budget is part of it even while the
    frozen copy is being rendered, a moment before it is published.
    """
    budgets = Budget.objects.filter(Q(pk__in=Budget.objects.visible_to(user).values("pk")) | Q(year=include_year or 0))
    if up_to is not None:
        budgets = budgets.filter(year__lte=up_to)
    return budgets.order_by("year")


def budget_chart(budgets, *, chart_id: str = "budget-chart") -> str:
    points = [Point(str(b.year), b.total, format_euro(b.total)) for b in budgets]
    return bar_chart(points, title="Budget per jaar", chart_id=chart_id) if len(points) > 1 else ""


@dataclass
class FigureSeries:
    figure: CommunicationFigure  # this edition's figure
    history: list  # [CommunicationFigure] of the same channel and label, oldest first (this one included)
    chart: str


def figure_series(*, figures, year: int, user) -> list[FigureSeries]:
    """For each communication figure of the edition that also appeared in earlier visible editions,
    its values over those years as a small chart (one query)."""
    if not figures:
        return []
    earlier = CommunicationFigure.objects.filter(
        year__lt=year, editions__in=Edition.objects.visible_to(user),
        channel__in={f.channel for f in figures}, label__in={f.label for f in figures},
    ).distinct().order_by("year")
    by_key = {}
    for f in earlier:
        by_key.setdefault((f.channel, f.label), []).append(f)
    series = []
    for f in figures:
        history = by_key.get((f.channel, f.label), []) + [f]
        if len(history) < 2:
            continue
        points = [Point(str(h.year), h.value, f"{h.value:,}".replace(",", ".")) for h in history]
        title = f"{f.label.capitalize()} ({f.channel})" if f.channel else f.label.capitalize()
        series.append(FigureSeries(f, history, bar_chart(points, title=title, chart_id=f"cijfer-{f.pk}")))
    return series



@dataclass
class BudgetYear:
    budget: Budget
    report_url: str  # the jaarverslag's budget section, when the reader may open that edition
    planned: object  # sum of the lines' planned amounts, None when no line states one
    actual: object


def budget_years(user) -> list[BudgetYear]:
    """/financien/: every budget the reader may see, newest first, with its lines and settlement links (four queries)."""
    budgets = (
        Budget.objects.visible_to(user).order_by("-year")
        .prefetch_related("lines__programme", Prefetch("links", queryset=Link.objects.shown_with_owner(user).order_by("order", "id")))
    )
    reports = {
        e.year: e.get_absolute_url() for e in Edition.objects.visible_to(user).filter(kind=Edition.Kind.REPORT)
    }
    rows = []
    for b in budgets:
        lines = list(b.lines.all())
        planned = [line.planned for line in lines if line.planned is not None]
        actual = [line.actual for line in lines if line.actual is not None]
        url = reports.get(b.year)
        rows.append(BudgetYear(b, f"{url}#afrekening" if url else "", sum(planned) if planned else None, sum(actual) if actual else None))
    return rows
