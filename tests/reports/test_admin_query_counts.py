"""Every back-office page asks the database as often with a small outline and few records as with many.

The home, every change list, the change form of every model with its inlines, the edition's own pages
(checklist, "volgend jaar voorbereiden"), history, compare and revert pages and the recent changes:
measured once, then again after more of everything (lines in the edition's outline, texts, meetings,
links, photo credits, versions). bench/admin.py gives their time at twenty times the demo.
"""
import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from programmes.search import index as searchindex
from programmes.models import (
    Budget, BudgetLine, CommunicationFigure, FundingSource, GoverningBody, Person, Position, ProgrammePeriod, WorkTrackYear,
)
from reports.models import Edition, EditionEntry, EditionSection, PhotoCredit, SectionLink
from tests.factories import (
    make_city, make_edition, make_entry, make_group, make_group_year, make_link, make_meeting, make_organisation,
    make_programme, make_track, make_track_year,
)
from tests.programmes.test_admin_helpers import make_editor

pytestmark = pytest.mark.django_db

STANDARD_VIEWS = {"changelist", "add", "change", "delete", "history", "simple_history", "autocomplete"}


def _first_of_everything():
    """One object of every model the back-office edits, the edition with an outline."""
    period = ProgrammePeriod.objects.create(name="Periode", slug="periode", start_year=2022, end_year=2026)
    programme = make_programme()
    programme.periods.add(period)
    city, partner = make_city(), make_organisation()
    track = make_track(programme=programme)
    track.cities.add(city)
    track.partners.add(partner)
    text = make_track_year(track=track, year=2024)
    group = make_group(programme=programme, lead_city=city)
    group.tracks.add(track)
    make_group_year(group=group, year=2024)
    make_meeting(group=group, track=track, host_city=city, year=2024, month=3, day=4)
    make_link(track_year=text)
    budget = Budget.objects.create(year=2024, total="1000.00")
    BudgetLine.objects.create(budget=budget, programme=programme, label="Programma", planned="500.00")
    FundingSource.objects.create(budget=budget, kind=FundingSource.Kind.choices[0][0], label="Steden", amount="500.00")
    make_link(budget=budget)
    body = GoverningBody.objects.create(name="Beheerscomité", slug="beheerscomite")
    person = Person.objects.create(name="Een Persoon")
    position = Position.objects.create(person=person, body=body, role="voorzitter", year=2024)
    figure = CommunicationFigure.objects.create(channel="website", label="bezoeken", value=10, year=2024)
    edition = make_edition(year=2024)
    edition.positions.add(position)
    edition.figures.add(figure)
    chapter = make_entry(edition=edition, programme=programme, order=10)
    make_entry(edition=edition, parent=chapter, track_year=text, number="1.1", order=10)
    section = EditionSection.objects.create(edition=edition, title="Communicatie", slug="communicatie", body="<p>Tekst.</p>")
    SectionLink.objects.create(section=section, title="overzicht", url="https://example.org/")
    PhotoCredit.objects.create(edition=edition, placement="Coverbeeld", credit="Iemand")
    return edition, chapter, text, group


def _more_of_everything(n, edition, chapter, text, group):
    """n more texts in the outline, meetings, links, credits, board members and versions of the same objects."""
    for i in range(n):
        line = make_track_year(year=2024, track=make_track(programme=chapter.programme))
        make_entry(edition=edition, parent=chapter, track_year=line, number=f"1.{i + 2}", order=20 + i)
        make_meeting(group=group, year=2024, month=1 + i % 12, host_city=make_city())
        make_link(track_year=text)
        PhotoCredit.objects.create(edition=edition, placement=f"Pagina {i}", credit=f"Fotograaf {i}")
        body = GoverningBody.objects.first()
        edition.positions.add(Position.objects.create(person=Person.objects.create(name=f"Lid {i} van {n}"), body=body, role="lid", year=2024))
        text.report_text = f"<p>Versie {i} van de tekst.</p>"
        text.programme = make_programme()
        text.save()
        edition.subtitle = f"Versie {i}"
        edition.save()


def _pages(user) -> list[str]:
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        urls.append(reverse(f"admin:{info}_changelist"))
        if obj is None:  # (reminders sent, review links: lists of what happened, nothing to edit here)
            continue
        urls.append(reverse(f"admin:{info}_change", args=[obj.pk]))
        for pattern in model_admin.get_urls():
            name = getattr(pattern, "name", None) or ""
            if not name or name.removeprefix(info + "_") in STANDARD_VIEWS:
                continue
            try:
                urls.append(reverse(f"admin:{name}"))
            except NoReverseMatch:
                urls.append(reverse(f"admin:{name}", args=[obj.pk]))
    for obj in (Edition.objects.get(), WorkTrackYear.objects.order_by("pk").first()):
        info = f"{obj._meta.app_label}_{obj._meta.model_name}"
        first = obj.history.order_by("history_date", "history_id").first()
        urls += [reverse(f"admin:{info}_history", args=[obj.pk]),
                 reverse(f"admin:{info}_simple_history", args=[obj.pk, first.history_id])]
    return urls


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(captured)


def test_every_admin_page_asks_the_same_number_of_queries_with_more_data(client, django_user_model):
    user = make_editor(django_user_model, "Eindredacteur")
    client.force_login(user)
    world = _first_of_everything()
    _more_of_everything(1, *world)
    searchindex.flush()
    urls = _pages(user)
    assert len(urls) > 60
    for url in urls:
        client.get(url)  # what a process keeps after its first request (content types) is not counted
    small = {url: _queries(client, url) for url in urls}
    _more_of_everything(8, *world)
    searchindex.flush()
    large = {url: _queries(client, url) for url in urls}
    assert {url: (small[url], large[url]) for url in urls if small[url] != large[url]} == {}
    assert EditionEntry.objects.count() == 11


def test_the_edition_form_stays_within_its_query_budget(client, django_user_model, django_assert_max_num_queries):
    """Session, user and permissions (4), the edition, its outline with the texts and programmes it may
    place (3), sections, images (and the outline they may be placed in), credits, the chosen positions
    and figures (3 each: the stored choice, its ids, the chosen ones to show); the round's overview
    (outline, texts, edition), the foreword's round text and the session's note of it (5)."""
    client.force_login(make_editor(django_user_model, "Redacteur"))
    edition, *_rest = world = _first_of_everything()
    _more_of_everything(5, *world)
    url = reverse("admin:reports_edition_change", args=[edition.pk])
    client.get(url)  # what a process keeps after its first request (content types) is not counted
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
