"""Editor text becomes safe HTML by one function, on save and on output."""
import pytest
from django.urls import reverse

from programmes.models import WorkTrackYear
from programmes.richtext import to_safe_html
from tests.factories import make_track_year
from tests.programmes.test_admin_helpers import admin_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed, expected", [
    ('Zie <a href="https://x.be">de nota</a>.', '<p>Zie <a href="https://x.be" rel="noopener noreferrer">de nota</a>.</p>'),
    ("<b>Belangrijk</b>: lees dit.", "<p><b>Belangrijk</b>: lees dit.</p>"),
    ("<blockquote>Een citaat</blockquote> en wat volgt", "<blockquote>Een citaat</blockquote><p>en wat volgt</p>"),
    ("<p>Al een alinea</p>", "<p>Al een alinea</p>"),
    ("Gewone tekst.\n\nTweede & laatste.", "<p>Gewone tekst.</p><p>Tweede &amp; laatste.</p>"),
    ('<a href="javascript:alert(1)">x</a><script>alert(2)</script>', '<p><a rel="noopener noreferrer">x</a></p>'),
])
def test_editor_input_becomes_safe_html(typed, expected):
    assert to_safe_html(typed) == expected
    assert to_safe_html(to_safe_html(typed)) == expected  # on output again: nothing changes


def test_inline_markup_saved_in_the_admin_is_a_real_link_on_the_public_page(client, staff_client):
    ty = make_track_year(year=2024)
    url = reverse("admin:programmes_worktrackyear_change", args=[ty.pk])
    response = admin_submit(staff_client, url, {"report_text": 'Zie <a href="https://x.be/nota">de nota</a>.'})
    assert response.status_code == 302
    assert WorkTrackYear.objects.get(pk=ty.pk).report_text.startswith("<p>Zie <a ")
    html = client.get(ty.track.get_absolute_url()).content.decode()
    assert '<a href="https://x.be/nota" rel="noopener noreferrer">de nota</a>' in html
    assert "&lt;a href" not in html


def test_old_unwrapped_text_in_the_database_renders_as_markup_too(client):
    ty = make_track_year(year=2024, report_text="Lees <b>dit</b> eerst.")
    html = client.get(ty.track.get_absolute_url()).content.decode()
    assert "<p>Lees <b>dit</b> eerst.</p>" in html and "&lt;b&gt;" not in html
