"""The editorial overview shown on the back-office home page."""
from django import template
from django.db.models import Count, Q

from programmes.models import EditorialStatus, WorkTrackYear
from reports.models import Edition

register = template.Library()


@register.inclusion_tag("admin/includes/editorial_overview.html")
def editorial_overview():
    """Editions not yet published, and per year how many plan and report texts wait in each state."""
    open_editions = Edition.objects.exclude(status=EditorialStatus.PUBLISHED).order_by("-year", "kind")
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
    return {"open_editions": list(open_editions), "rows": rows[:6]}
