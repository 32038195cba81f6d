"""Back-office editing: publish rights on track texts, no lost edits, sanitised rich text."""
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from programmes.richtext import to_safe_html as clean_richtext
from programmes.models import EditorialStatus
from reports.models import Edition
from tests.factories import kind_pk, make_edition, make_track_year, outline
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def redacteur(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Redacteur"))
    return client


@pytest.fixture
def eindredacteur(client, django_user_model):
    client.force_login(make_editor(django_user_model, "Eindredacteur"))
    return client


# --- roles on track texts -------------------------------------------------------------------------

def test_redacteur_cannot_publish_a_track_text_by_posting_the_form(redacteur):
    ty = make_track_year(report_status=EditorialStatus.REVIEW)
    data = admin_form_data(redacteur.get(_change_url(ty)))
    data["report_status"] = EditorialStatus.PUBLISHED
    response = redacteur.post(_change_url(ty), data)
    assert response.status_code == 200
    assert "Alleen een eindredacteur kan publiceren" in response.content.decode()
    ty.refresh_from_db()
    assert ty.report_status == EditorialStatus.REVIEW


def test_redacteur_cannot_publish_track_texts_with_a_crafted_bulk_action(redacteur):
    ty = make_track_year(report_status=EditorialStatus.REVIEW)
    redacteur.post(reverse("admin:programmes_worktrackyear_changelist"),
                   {"action": "report_publish", "_selected_action": [ty.pk]})
    ty.refresh_from_db()
    assert ty.report_status == EditorialStatus.REVIEW


def test_redacteur_can_mark_a_track_text_ready_for_review(redacteur):
    ty = make_track_year(report_status=EditorialStatus.DRAFT)
    redacteur.post(reverse("admin:programmes_worktrackyear_changelist"),
                   {"action": "report_to_review", "_selected_action": [ty.pk]})
    ty.refresh_from_db()
    assert ty.report_status == EditorialStatus.REVIEW


def test_eindredacteur_publishes_track_texts_with_the_bulk_action(eindredacteur):
    ty = make_track_year(report_status=EditorialStatus.REVIEW)
    eindredacteur.post(reverse("admin:programmes_worktrackyear_changelist"),
                       {"action": "report_publish", "_selected_action": [ty.pk]})
    ty.refresh_from_db()
    assert ty.report_status == EditorialStatus.PUBLISHED


def test_track_year_list_filters_on_state(redacteur):
    make_track_year(report_status=EditorialStatus.REVIEW, title="Nog na te lezen")
    make_track_year(report_status=EditorialStatus.DRAFT, title="Nog in concept")
    html = redacteur.get(reverse("admin:programmes_worktrackyear_changelist") + "?report_status__exact=review").content.decode()
    assert "Nog na te lezen" in html and "Nog in concept" not in html


# --- no lost edits --------------------------------------------------------------------------------

def test_second_save_of_a_form_loaded_before_the_first_save_is_refused(client, django_user_model):
    ty = make_track_year(report_text="<p>Oorspronkelijke tekst.</p>")
    anna, ben = make_editor(django_user_model, username="anna"), make_editor(django_user_model, username="ben")
    client.force_login(anna)
    anna_form = admin_form_data(client.get(_change_url(ty)))
    client.force_login(ben)
    ben_form = admin_form_data(client.get(_change_url(ty)))

    client.force_login(anna)
    anna_form["report_text"] = "<p>Tekst van Anna.</p>"
    assert client.post(_change_url(ty), anna_form).status_code == 302

    client.force_login(ben)
    ben_form["title"] = "Titel van Ben"
    response = client.post(_change_url(ty), ben_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit item bewaard nadat u het opende (door anna" in html
    assert "tekst jaarverslag: nu «Tekst van Anna.»" in html
    ty.refresh_from_db()
    assert ty.report_text == "<p>Tekst van Anna.</p>" and ty.title == ""


def test_saving_again_after_the_conflict_message_is_a_deliberate_overwrite(client, django_user_model):
    ty = make_track_year()
    client.force_login(make_editor(django_user_model))
    stale = admin_form_data(client.get(_change_url(ty)))
    fresh = admin_form_data(client.get(_change_url(ty)))
    fresh["title"] = "Eerst"
    client.post(_change_url(ty), fresh)
    stale["title"] = "Daarna"
    refused = client.post(_change_url(ty), stale)
    second_try = admin_form_data(refused)  # the form as shown with the conflict message
    assert client.post(_change_url(ty), second_try).status_code == 302
    ty.refresh_from_db()
    assert ty.title == "Daarna"


def test_conflict_in_an_inline_text_is_caught_on_the_parent_form(client, django_user_model):
    ty = make_track_year(report_text="<p>Oud.</p>")
    client.force_login(make_editor(django_user_model))
    url = _change_url(ty.track)
    stale = admin_form_data(client.get(url))
    fresh = admin_form_data(client.get(_change_url(ty)))
    fresh["report_text"] = "<p>Nieuw van een collega.</p>"
    client.post(_change_url(ty), fresh)
    stale["years-0-report_text"] = "<p>Mijn versie.</p>"
    response = client.post(url, stale)
    assert "Iemand anders heeft dit item bewaard" in response.content.decode()
    ty.refresh_from_db()
    assert ty.report_text == "<p>Nieuw van een collega.</p>"


def test_unchanged_form_is_saved_without_conflict_check(client, django_user_model):
    ty = make_track_year()
    client.force_login(make_editor(django_user_model))
    data = admin_form_data(client.get(_change_url(ty)))
    assert client.post(_change_url(ty), data).status_code == 302


# --- rich text ------------------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=5></svg>",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="&#106;avascript:alert(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
    '<p style="background:url(javascript:alert(1))">stijl</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name=x></form>',
    '<p onclick="alert(1)" onmouseover="alert(2)">tekst</p>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '"><script>alert(document.cookie)</script>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<details open ontoggle=alert(1)>',
    '<p>tekst<!-- <script>alert(1)</script> --></p>',
    '<h3 id="x" class="y">Kop</h3><video><source onerror=alert(1)></video>',
]

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "svg", "math", "meta", "base",
                  "link", "video", "source", "details", "img"}


class _Executable(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and value and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.found.append(f"{tag}[{name}={value}]")


def _executable_markup(html_fragment):
    parser = _Executable()
    parser.feed(html_fragment)
    return parser.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markup_saved_in_the_admin_never_reaches_the_public_page(client, django_user_model, payload):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    ty = make_track_year(year=2024)
    client.force_login(make_editor(django_user_model, "Eindredacteur"))
    data = admin_form_data(client.get(_change_url(ty)))
    data["report_text"] = f"<p>Begin.</p>{payload}<p>Einde.</p>"
    assert client.post(_change_url(ty), data).status_code == 302
    ty.refresh_from_db()
    assert _executable_markup(ty.report_text) == []

    client.logout()
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    article = html[html.index(f'id="werkspoor-{ty.track.slug}"'):]
    article = article[:article.index("</article>")]
    assert "Begin." in article
    assert _executable_markup(article) == []


def test_rich_text_keeps_headings_emphasis_lists_and_links():
    html = clean_richtext('<h3>Kop</h3><p><strong>vet</strong> <em>schuin</em> <a href="https://x.be">link</a></p><ul><li>een</li></ul>')
    for piece in ("<h3>Kop</h3>", "<strong>vet</strong>", "<em>schuin</em>", 'href="https://x.be"', "<li>een</li>"):
        assert piece in html


def test_plain_text_from_the_editor_becomes_paragraphs():
    assert clean_richtext("Eerste alinea.\n\nTweede & laatste.") == "<p>Eerste alinea.</p><p>Tweede &amp; laatste.</p>"


def test_rich_text_fields_get_the_toolbar_editor(redacteur):
    ty = make_track_year()
    html = redacteur.get(_change_url(ty)).content.decode()
    assert 'data-richtext="1"' in html and "js/richtext.js" in html


# --- meetings: one date field, look-alikes --------------------------------------------------------------

def _add_meeting(client, **data):
    url = reverse("admin:programmes_meeting_add")
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    form.update({"title": "Studiereis", "kind": kind_pk("study_trip"), "date": "november 2018", "status": "held",
                 "is_public": "on", **data})
    return client.post(url, form)


@pytest.mark.parametrize("typed, stored, shown", [
    ("13-15 november 2018", (2018, 11, 13, 15, None, ""), "13–15 november 2018"),
    ("16 en 17 mei 2018", (2018, 5, 16, 17, None, ""), "16 en 17 mei 2018"),
    ("30 mei – 2 juni 2025", (2025, 5, 30, 2, 6, ""), "30 mei – 2 juni 2025"),
    ("3/6/2025", (2025, 6, 3, None, None, ""), "3 juni 2025"),
    ("februari 2026", (2026, 2, None, None, None, ""), "februari 2026"),
    ("najaar 2024", (2024, None, None, None, None, "autumn"), "najaar 2024"),
    ("2024", (2024, None, None, None, None, ""), "2024"),
])
def test_a_date_typed_in_one_field_is_stored_as_the_parts_it_names(client, django_user_model, typed, stored, shown):
    from programmes.models import Meeting

    client.force_login(make_editor(django_user_model))
    assert _add_meeting(client, date=typed).status_code == 302
    trip = Meeting.objects.get(title="Studiereis")
    assert (trip.year, trip.month, trip.day, trip.end_day, trip.end_month, trip.period) == stored
    assert trip.date_display == shown


def test_the_meeting_form_has_one_date_field_and_shows_the_stored_date_in_it(client, django_user_model):
    from tests.factories import make_meeting

    meeting = make_meeting(title="Netwerkdag", year=2018, month=5, day=16, end_day=17)
    client.force_login(make_editor(django_user_model))
    data = admin_form_data(client.get(reverse("admin:programmes_meeting_change", args=[meeting.pk])))
    assert data["date"] == "16 en 17 mei 2018"
    assert not {"day", "month", "year", "period", "end_day", "end_month"} & data.keys()


@pytest.mark.parametrize("typed, message", [
    ("13/15 november 2018", "Deze datum herken ik niet"),
    ("13/15/2018", "Een maand loopt van 1 tot 12"),
    ("dertien november", "Vermeld ook het jaar"),
    ("31 februari 2025", "Die dag bestaat niet in februari 2025"),
    ("15-13 mei 2024", "De laatste dag moet na de eerste dag vallen"),
    ("30 december 2024 – 2 januari 2025", "over de jaarwisseling"),
    ("", "Vul een datum in"),
])
def test_a_date_the_form_cannot_store_is_refused_in_dutch_not_dropped(client, django_user_model, typed, message):
    from programmes.models import Meeting

    client.force_login(make_editor(django_user_model))
    response = _add_meeting(client, date=typed)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_that_looks_like_a_duplicate_asks_for_confirmation(client, django_user_model):
    from programmes.models import Meeting
    from tests.factories import make_group, make_meeting

    group = make_group()
    make_meeting(group=group, year=2018, month=11, day=13, title="Werkgroep november")
    client.force_login(make_editor(django_user_model))
    response = _add_meeting(client, date="13 november 2018", group=str(group.pk), title="Werkgroep")
    assert response.status_code == 200 and "Er staat al een gelijkaardige activiteit op die datum" in response.content.decode()
    assert _add_meeting(client, date="13 november 2018", group=str(group.pk), title="Werkgroep",
                        confirm_duplicate="on").status_code == 302
    assert Meeting.objects.filter(group=group).count() == 2


def test_someone_elses_change_to_the_date_refuses_a_save_that_would_overwrite_it(client, django_user_model):
    from programmes.models import Meeting
    from tests.factories import make_meeting

    meeting = make_meeting(title="Werkgroep", year=2018, month=11, day=13)
    client.force_login(make_editor(django_user_model))
    url = reverse("admin:programmes_meeting_change", args=[meeting.pk])
    form = {k: v for k, v in admin_form_data(client.get(url)).items() if v != []}
    Meeting.objects.filter(pk=meeting.pk).update(day=14)
    form["title"] = "Werkgroep GDPR"
    response = client.post(url, form)
    assert response.status_code == 200 and "Iemand anders heeft dit item bewaard" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.day, meeting.title) == (14, "Werkgroep")


def test_hours_typed_the_flemish_way_are_stored_and_shown_on_the_public_calendar(client, django_user_model):
    import datetime

    from programmes.models import Meeting

    client.force_login(make_editor(django_user_model))
    assert _add_meeting(client, date="3 juni 2025", start_time="14.00", end_time="16u").status_code == 302
    meeting = Meeting.objects.get(title="Studiereis")
    assert (meeting.start_time, meeting.end_time) == (datetime.time(14), datetime.time(16))
    client.logout()
    item = client.get("/kalender/?jaar=2025").content.decode().split(f'id="activiteit-{meeting.pk}"')[1]
    assert '3 juni 2025<span class="meeting__time">14.00–16.00 uur</span>' in item


def test_an_end_hour_before_the_start_hour_is_refused_in_dutch(client, django_user_model):
    client.force_login(make_editor(django_user_model))
    response = _add_meeting(client, date="3 juni 2018", start_time="16.00", end_time="14.00")
    assert response.status_code == 200 and "Het einduur moet na het beginuur liggen" in response.content.decode()
    response = _add_meeting(client, date="3 juni 2018", start_time="half drie")
    assert response.status_code == 200 and "Schrijf een uur als 14.00 of 9.30." in response.content.decode()
    response = _add_meeting(client, date="juni 2018", start_time="14.00")
    assert response.status_code == 200 and "Een uur kan alleen bij een gekende dag" in response.content.decode()


def test_the_meeting_form_previews_the_date_as_the_public_will_read_it(client, django_user_model):
    from tests.factories import make_meeting

    meeting = make_meeting(title="Netwerkdag", year=2018, month=5, day=16, end_day=17)
    client.force_login(make_editor(django_user_model))
    page = client.get(reverse("admin:programmes_meeting_change", args=[meeting.pk])).content.decode()
    assert re.search(r'<span class="kc-date-preview" data-date-preview aria-live="polite">16 en 17 mei 2018</span>', page)
    assert "js/meeting-date.js" in page
