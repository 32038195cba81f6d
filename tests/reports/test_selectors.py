"""reports.selectors: where the editions in preparation stand, what a publication proposes, an editor's own texts."""
import datetime

import pytest

from programmes.models import EditorialStatus, WorkTrackYear
from reports.models import Edition
from reports.selectors import (
    default_publication_date, edition_progress, editions_in_preparation, next_year_plan, texts_last_edited_by,
)
from tests.factories import make_edition, make_track, make_track_year, place
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED = EditorialStatus.DRAFT, EditorialStatus.REVIEW, EditorialStatus.PUBLISHED


def test_edition_progress_counts_written_reviewed_and_published_texts_of_its_kind():
    edition = make_edition(kind=Edition.Kind.REPORT, year=2030, status=DRAFT)
    place(edition, *(
        make_track_year(year=2030, report_text=text, report_status=status)
        for text, status in (("", DRAFT), ("<p>half</p>", DRAFT), ("<p>klaar</p>", REVIEW), ("<p>af</p>", PUBLISHED))
    ))
    make_track_year(year=2029, report_text="<p>ander jaar</p>", report_status=PUBLISHED)
    progress = edition_progress(edition=edition)
    assert (progress.total, progress.written, progress.reviewed, progress.published) == (4, 3, 2, 1)


def test_the_home_details_the_newest_editions_in_preparation_and_names_the_others():
    for year in (2027, 2030, 2028, 2029, 2031):
        make_edition(kind=Edition.Kind.REPORT, year=year, status=DRAFT)
    make_edition(kind=Edition.Kind.REPORT, year=2032, status=PUBLISHED)
    detailed, others = editions_in_preparation(limit=3)
    assert [p.edition.year for p in detailed] == [2031, 2030, 2029]
    assert [e.year for e in others] == [2028, 2027]


@pytest.mark.parametrize("edition_year, proposed", [(2026, True), (2025, True), (2024, False), (2019, False)])
def test_publishing_proposes_today_only_for_an_edition_of_this_year_or_last(edition_year, proposed):
    today = datetime.date(2026, 12, 8)
    edition = Edition(kind=Edition.Kind.REPORT, year=edition_year)
    assert default_publication_date(edition=edition, today=today) == (today if proposed else None)


def test_preparing_next_year_is_announced_with_the_texts_it_would_create_and_writes_nothing():
    edition = make_edition(kind=Edition.Kind.PLAN, year=2030, status=DRAFT)
    running = make_track_year(year=2030)
    make_track_year(year=2030, track=make_track(end_year=2030))
    carried = make_track_year(year=2030)
    make_track_year(year=2031, track=carried.track)
    plan = next_year_plan(edition=edition)
    assert plan.year == 2031 and plan.existing_edition is None
    assert [ty.track for ty in plan.new_texts] == [running.track] and plan.already_there == 1
    assert not Edition.objects.filter(year=2031).exists()


def test_my_texts_are_those_i_changed_last_and_are_not_fully_published(django_user_model):
    me, colleague = make_editor(django_user_model, username="els"), make_editor(django_user_model, username="jan")
    mine, theirs, done = (make_track_year(year=2030, report_status=DRAFT) for _ in range(3))
    for ty, user in ((mine, me), (theirs, me), (theirs, colleague), (done, me)):
        ty.report_text = f"<p>{user.username}</p>"
        ty._history_user = user
        ty.save()
    WorkTrackYear.objects.filter(pk=done.pk).update(plan_status=PUBLISHED, report_status=PUBLISHED)
    assert texts_last_edited_by(user=me) == [mine]
