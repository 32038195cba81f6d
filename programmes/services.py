"""Writes of the programmes app that decide what the public sees: the editorial state of track texts.

Reads shared by the pages live in selectors.py; the edition-level writes (publishing, the round) in
reports/services.py, which calls this one for each text it publishes.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import EditorialStatus, WorkTrackYear


def track_year_set_status(*, track_year: WorkTrackYear, part: str, status: str, by) -> WorkTrackYear:
    """Set the state of the plan or report text of a track-year; publishing needs the Eindredacteur right."""
    status_field = {"plan": "plan_status", "report": "report_status"}[part]
    if status not in EditorialStatus.values:
        raise ValidationError(_("Onbekende status."), code="invalid_status")
    if not by.has_perm("programmes.change_worktrackyear"):
        raise PermissionDenied
    with transaction.atomic():
        track_year = WorkTrackYear.objects.select_for_update().get(pk=track_year.pk)
        before = getattr(track_year, status_field)
        if EditorialStatus.PUBLISHED in (before, status) and not by.has_perm("programmes.publish_worktrackyear"):
            raise PermissionDenied(_("Alleen een eindredacteur kan publiceren of een publicatie intrekken."))
        if before != status:
            setattr(track_year, status_field, status)
            track_year.full_clean()
            track_year.save()
    return track_year
