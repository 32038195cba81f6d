"""Editor-entered addresses: only http(s) (and mailto for references) are accepted or ever rendered."""
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from programmes.models import Link, Organisation
from reports.models import Edition, EditionSection, SectionLink
from tests.programmes.test_admin_helpers import admin_submit, make_editor
from tests.factories import make_budget, make_edition, make_group, make_link, make_track_year

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https:evil.example",
]


def _no_hostile_href(html: str):
    lowered = html.lower().replace("&#x27;", "'")
    for bad in ("href=\"javascript", "href=\"data:", "href=\"vbscript", "href=\" javascript", "href=\"//evil", "&#106;avascript",
                "javascript&#58;", "javascript&amp;#58;", "javascript&amp;colon;", "href=\"https:evil"):
        assert bad not in lowered, bad


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_addresses_are_refused_with_a_dutch_message(url):
    link = Link(title="de nota", url=url, programme=make_link().programme)
    with pytest.raises(ValidationError) as exc:
        link.full_clean()
    assert "https://" in " ".join(exc.value.message_dict["url"])
    with pytest.raises(ValidationError):
        Organisation(name="X", slug="x", website=url).full_clean()


@pytest.mark.parametrize("url", ["https://www.kenniscentrumvlaamsesteden.be/oogst", "http://x.be/a?b=1&not=2", "mailto:info@x.be", "", "#"])
def test_real_addresses_and_placeholders_are_accepted(url):
    Link(title="de nota", url=url, programme=make_link().programme).full_clean()


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_address_stored_behind_the_forms_never_becomes_a_link(client, url):
    """Old data or a raw database edit: every template that renders an editor URL checks it again."""
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    budget = make_budget(year=2024)
    ty = make_track_year(year=2024)
    group = make_group()
    group.tracks.add(ty.track)
    section = EditionSection.objects.create(edition=edition, title="Communicatie", slug="communicatie", body="<p>x</p>")
    for owner in ({"track_year": ty}, {"group": group}, {"budget": budget}):
        Link.objects.create(title="de afrekening", url="https://ok.example/", **owner)
        Link.objects.filter(pk=Link.objects.create(title="de nota", **owner).pk).update(url=url)
    SectionLink.objects.filter(pk=SectionLink.objects.create(section=section, title="de oogst").pk).update(url=url)

    pages = [
        edition.get_absolute_url(),
        reverse("reports:report-html", args=[2024]),
        ty.track.get_absolute_url(),
        group.get_absolute_url(),
        reverse("programmes:search") + "?q=nota",
    ]
    for page in pages:
        html = client.get(page).content.decode()
        _no_hostile_href(html)
    assert 'href="https://ok.example/"' in client.get(edition.get_absolute_url()).content.decode()


def test_settlement_link_is_a_link_of_the_budget_and_refuses_javascript_in_the_admin(django_user_model):
    user = django_user_model.objects.create_user(username="r", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Redacteur"))
    editor = Client()
    editor.force_login(user)
    budget = make_budget(year=2027)
    url = reverse("admin:programmes_budget_change", args=[budget.pk])
    response = admin_submit(editor, url, {
        "links-TOTAL_FORMS": "1", "links-0-title": "de afrekening", "links-0-url": "javascript:alert(document.cookie)",
        "links-0-kind": "report", "links-0-order": "0", "links-0-is_public": "on", "links-0-budget": str(budget.pk),
    })
    assert response.status_code == 200
    assert "https://" in response.content.decode()
    assert not budget.links.exists()

    response = admin_submit(editor, url, {
        "links-TOTAL_FORMS": "1", "links-0-title": "de afrekening", "links-0-url": "https://x.be/afrekening.pdf",
        "links-0-kind": "report", "links-0-order": "0", "links-0-is_public": "on", "links-0-budget": str(budget.pk),
    })
    assert response.status_code == 302
    assert budget.links.get().url == "https://x.be/afrekening.pdf"


def test_reference_without_address_is_shown_as_plain_text_to_the_public_and_marked_for_editors(client, staff_client):
    ty = make_track_year(year=2024)
    make_link(track_year=ty, title="het verslag", url="#")
    make_link(track_year=ty, title="de presentatie", url="https://x.be/p.pdf")
    public = client.get(ty.track.get_absolute_url()).content.decode()
    assert '<span class="link link--text">Je vindt hier het verslag</span>' in public
    assert 'href="#"' not in public and "adres ontbreekt" not in public and "Je vindt hier de presentatie</a>" in public
    staff = staff_client.get(ty.track.get_absolute_url()).content.decode()
    assert "Je vindt hier het verslag" in staff and "adres ontbreekt" in staff


@pytest.mark.django_db
def test_a_link_without_address_is_one_and_the_same_in_queries_on_the_model_and_in_the_admin_count(client, django_user_model):
    from django.urls import reverse

    from programmes.models import Link
    from tests.factories import make_link, make_track_year

    track_year = make_track_year(year=2030)
    links = [make_link(track_year=track_year, url=url) for url in ("", "#", "https://example.org/verslag")]
    without = {link.pk for link in links if link.is_placeholder}
    assert without == {links[0].pk, links[1].pk}
    assert set(Link.objects.placeholders().values_list("pk", flat=True)) == without
    assert set(Link.objects.with_address().values_list("pk", flat=True)) == {links[2].pk}
    client.force_login(make_editor(django_user_model))
    listing = client.get(reverse("admin:programmes_worktrackyear_changelist") + "?jaar=2030").content.decode()
    assert '<span class="kc-count kc-count--warn">2</span>' in listing
