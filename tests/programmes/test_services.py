"""programmes.services: the editorial state of a track's plan or report text, and who may change it."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programmes.models import EditorialStatus
from programmes.services import track_year_set_status
from tests.factories import make_staff, make_track_year

pytestmark = pytest.mark.django_db


def test_a_redacteur_sends_a_text_to_review_but_may_neither_publish_nor_withdraw_one():
    redacteur = make_staff("Redacteur")
    ty = make_track_year(plan_status=EditorialStatus.DRAFT, report_status=EditorialStatus.PUBLISHED)
    assert track_year_set_status(track_year=ty, part="plan", status=EditorialStatus.REVIEW, by=redacteur).plan_status == "review"
    with pytest.raises(PermissionDenied):
        track_year_set_status(track_year=ty, part="plan", status=EditorialStatus.PUBLISHED, by=redacteur)
    with pytest.raises(PermissionDenied):
        track_year_set_status(track_year=ty, part="report", status=EditorialStatus.DRAFT, by=redacteur)
    ty.refresh_from_db()
    assert (ty.plan_status, ty.report_status) == (EditorialStatus.REVIEW, EditorialStatus.PUBLISHED)


def test_an_eindredacteur_publishes_one_part_and_leaves_the_other_alone():
    ty = make_track_year(plan_status=EditorialStatus.REVIEW, report_status=EditorialStatus.DRAFT)
    track_year_set_status(track_year=ty, part="plan", status=EditorialStatus.PUBLISHED, by=make_staff("Eindredacteur"))
    ty.refresh_from_db()
    assert (ty.plan_status, ty.report_status) == (EditorialStatus.PUBLISHED, EditorialStatus.DRAFT)


def test_an_unknown_status_is_refused_in_dutch_and_a_staff_account_without_a_role_changes_nothing(django_user_model):
    ty = make_track_year(plan_status=EditorialStatus.DRAFT)
    with pytest.raises(ValidationError, match="Onbekende status"):
        track_year_set_status(track_year=ty, part="plan", status="gepubliceerd", by=make_staff("Eindredacteur"))
    roleless = django_user_model.objects.create_user(username="zonder-rol", password="x" * 20, is_staff=True)
    with pytest.raises(PermissionDenied):
        track_year_set_status(track_year=ty, part="plan", status=EditorialStatus.REVIEW, by=roleless)
    ty.refresh_from_db()
    assert ty.plan_status == EditorialStatus.DRAFT
