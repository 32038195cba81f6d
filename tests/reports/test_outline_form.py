"""The edition's outline in the back-office: a tree saved as a whole with the edition form."""
import json
import re

import pytest
from django.urls import reverse

from programmes.models import EditorialStatus
from reports.models import EditionEntry
from tests.factories import make_edition, make_entry, make_programme, make_track_year
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Redacteur"))
    return client


def _url(edition):
    return reverse("admin:reports_edition_change", args=[edition.pk])


def _form(client, edition) -> dict:
    return {k: v for k, v in admin_form_data(client.get(_url(edition))).items() if v != []}


def _lines(data) -> list[dict]:
    """The outline as the form posts it: one JSON field, a list of lines."""
    return json.loads(data["inhoud"])


def _set(data, entry, **values):
    lines = _lines(data)
    next(line for line in lines if line["id"] == entry.pk).update(values)
    data["inhoud"] = json.dumps(lines)


def _add_line(data, **values) -> str:
    lines = _lines(data)
    key = f"n{len(lines) + 1}"
    lines.append({"id": None, "key": key, "parent": "", **values})
    data["inhoud"] = json.dumps(lines)
    return key


def _errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


def _outline(edition) -> list[tuple]:
    """(depth, line as printed) of every line in reading order, as the edition page nests them."""
    children = {}
    for entry in edition.entries.order_by("order", "id"):
        children.setdefault(entry.parent_id, []).append(entry)

    def walk(parent_id, depth):
        for entry in children.get(parent_id, []):
            yield depth, str(entry)
            yield from walk(entry.pk, depth + 1)

    return list(walk(None, 1))


def test_a_new_chapter_and_a_text_under_it_are_saved_in_one_request(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    programme = make_programme(name="Wonen")
    text = make_track_year(year=2030, programme=programme)
    data = _form(editor_client, edition)
    chapter = _add_line(data, order=10, programme=programme.pk)
    _add_line(data, order=20, parent=chapter, track_year=text.pk, number="1.1", show_activities=True)

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 302, _errors(response)
    assert _outline(edition) == [(1, "Wonen"), (2, f"1.1 {text.display_title}")]
    assert edition.entries.get(track_year=text).number == "1.1"


def test_moving_a_line_under_another_chapter_saves_only_that_line(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    first, second = make_entry(edition=edition, title="Eerste", order=10), make_entry(edition=edition, title="Tweede", order=30)
    line = make_entry(edition=edition, title="Regel", order=20, parent=first)
    other = make_entry(edition=edition, title="Andere regel", order=40, parent=second)
    data = _form(editor_client, edition)
    _set(data, line, parent=f"e{second.pk}", order=35)
    before = EditionEntry.history.count()

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 302, _errors(response)
    assert _outline(edition) == [(1, "Eerste"), (1, "Tweede"), (2, "Regel"), (2, "Andere regel")]
    assert EditionEntry.history.count() == before + 1  # one version: the moved line, no other
    assert EditionEntry.history.order_by("-history_id").first().id == line.pk
    other.refresh_from_db()
    assert other.parent == second


def test_an_unchanged_outline_writes_no_new_versions(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    chapter = make_entry(edition=edition, title="Hoofdstuk", order=10)
    make_entry(edition=edition, title="Regel", order=20, parent=chapter)
    before = EditionEntry.history.count()

    response = editor_client.post(_url(edition), _form(editor_client, edition))

    assert response.status_code == 302, _errors(response)
    assert EditionEntry.history.count() == before


def test_removing_a_chapter_keeps_the_lines_the_editor_moved_out_of_it(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    chapter = make_entry(edition=edition, title="Weg", order=10)
    line = make_entry(edition=edition, title="Blijft", order=20, parent=chapter)
    data = _form(editor_client, edition)
    _set(data, chapter, removed=True)
    _set(data, line, parent="")

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 302, _errors(response)
    assert _outline(edition) == [(1, "Blijft")]


def test_a_line_left_under_a_removed_chapter_is_refused_and_nothing_is_lost(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    chapter = make_entry(edition=edition, title="Weg", order=10)
    make_entry(edition=edition, title="Eronder", order=20, parent=chapter)
    data = _form(editor_client, edition)
    _set(data, chapter, removed=True)

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 200
    assert "wordt verwijderd: zet de regel eerst elders" in response.content.decode()
    assert _outline(edition) == [(1, "Weg"), (2, "Eronder")]


def test_the_outline_has_at_most_three_levels(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    one = make_entry(edition=edition, title="Een", order=10)
    two = make_entry(edition=edition, title="Twee", order=20, parent=one)
    three = make_entry(edition=edition, title="Drie", order=30, parent=two)
    four = make_entry(edition=edition, title="Vier", order=40)
    data = _form(editor_client, edition)
    _set(data, four, parent=f"e{three.pk}")

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 200
    assert "hoogstens 3 niveaus" in response.content.decode()
    four.refresh_from_db()
    assert four.parent is None


def test_a_text_placed_twice_is_refused(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    text = make_track_year(year=2030)
    make_entry(edition=edition, track_year=text, order=10)
    data = _form(editor_client, edition)
    _add_line(data, order=20, track_year=text.pk)

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 200
    assert "staat al elders in de inhoud" in response.content.decode()
    assert edition.entries.count() == 1


def test_a_text_of_another_year_is_refused(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    other_year = make_track_year(year=2029)
    data = _form(editor_client, edition)
    _add_line(data, order=10, track_year=other_year.pk)

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 200
    assert "Kies een tekst van 2030" in response.content.decode()
    assert not edition.entries.exists()


def test_the_track_picker_offers_only_texts_of_the_editions_year_with_their_programme_abbreviation(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    programme = make_programme(name="Smart Cities", short_name="SC")
    this_year = make_track_year(year=2030, programme=programme)
    other_year = make_track_year(year=2029, programme=programme)

    html = editor_client.get(_url(edition)).content.decode()

    picker = re.search(r"<select[^>]*data-outline-texts[^>]*>(.*?)</select>", html, re.S).group(1)
    assert f'value="{this_year.pk}"' in picker and f'value="{other_year.pk}"' not in picker
    assert f"SC · {this_year.display_title}" in picker
    searched = re.search(r'data-search="([^"]*)"', picker).group(1).split()
    assert {"smart", "cities", "sc"} <= set(searched)  # searchable by programme name and abbreviation


def test_free_text_under_a_heading_is_sanitised(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    data = _form(editor_client, edition)
    _add_line(data, order=10, title="Woord vooraf", text='<p onclick="x()">Hallo<script>alert(1)</script></p>')

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 302, _errors(response)
    assert edition.entries.get().text == "<p>Hallo</p>"


def test_a_save_after_someone_else_changed_the_outline_is_refused_then_kept_when_saved_again(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    line = make_entry(edition=edition, title="Regel", order=10)
    data = _form(editor_client, edition)
    EditionEntry.objects.filter(pk=line.pk).update(title="Andermans kop")
    _set(data, line, number="7")

    refused = editor_client.post(_url(edition), data)

    assert refused.status_code == 200
    assert "Iemand anders heeft de inhoud van deze editie gewijzigd" in refused.content.decode()
    line.refresh_from_db()
    assert (line.number, line.title) == ("", "Andermans kop")
    again = admin_form_data(refused)
    assert next(x for x in _lines(again) if x["id"] == line.pk)["number"] == "7"  # the editor's own edit is still there
    assert editor_client.post(_url(edition), {k: v for k, v in again.items() if v != []}).status_code == 302
    line.refresh_from_db()
    assert line.number == "7"


def test_a_line_of_another_edition_cannot_be_chosen_as_parent(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    foreign = make_entry(edition=make_edition(year=2031, status=EditorialStatus.DRAFT), title="Elders")
    line = make_entry(edition=edition, title="Regel", order=10)
    data = _form(editor_client, edition)
    _set(data, line, parent=f"e{foreign.pk}")

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 200
    line.refresh_from_db()
    assert line.parent is None


def test_a_stored_line_missing_from_what_the_browser_sent_is_never_removed(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    kept, dropped = make_entry(edition=edition, title="Eerste", order=10), make_entry(edition=edition, title="Tweede", order=20)
    data = _form(editor_client, edition)
    data["inhoud"] = json.dumps([line for line in _lines(data) if line["id"] != dropped.pk])

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 200
    assert "De inhoud kwam onvolledig of onleesbaar aan" in response.content.decode()
    assert set(edition.entries.all()) == {kept, dropped}


def test_an_outline_of_hundreds_of_lines_is_saved_within_djangos_field_limit(editor_client, settings):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    for i in range(300):
        make_entry(edition=edition, title=f"Regel {i}", order=i + 1)
    data = _form(editor_client, edition)
    _set(data, edition.entries.get(title="Regel 0"), number="1")
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 302, _errors(response)
    assert edition.entries.get(title="Regel 0").number == "1"


def test_an_outline_numbered_per_level_saves_as_it_is(editor_client):
    """Older outlines (and the demo's) count each level from 10: a chapter at 20 with its lines at 10, 20."""
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    first, second = make_entry(edition=edition, title="Eerste", order=10), make_entry(edition=edition, title="Tweede", order=20)
    make_entry(edition=edition, title="Onder tweede", order=10, parent=second)
    make_entry(edition=edition, title="Onder eerste", order=10, parent=first)
    data = _form(editor_client, edition)
    _set(data, first, number="1")

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 302, _errors(response)
    assert _outline(edition) == [(1, "1 Eerste"), (2, "Onder eerste"), (1, "Tweede"), (2, "Onder tweede")]


def test_a_line_under_itself_is_refused(editor_client):
    edition = make_edition(year=2030, status=EditorialStatus.DRAFT)
    one, two = make_entry(edition=edition, title="Een", order=10), make_entry(edition=edition, title="Twee", order=20)
    data = _form(editor_client, edition)
    _set(data, one, parent=f"e{two.pk}")
    _set(data, two, parent=f"e{one.pk}")

    response = editor_client.post(_url(edition), data)

    assert response.status_code == 200 and "onder zichzelf" in response.content.decode()
    one.refresh_from_db()
    assert one.parent is None
