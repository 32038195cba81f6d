import pytest
from django.urls import reverse

from programmes.models import EditorialStatus, Meeting
from reports.models import Edition
from reports.services import edition_publish
from tests.factories import (
    make_budget, make_city, make_draft_edition, make_edition, make_funding, make_group, make_group_year, make_link, make_meeting,
    make_organisation, make_programme, make_result, make_track, make_track_year, outline,
)

pytestmark = pytest.mark.django_db


def _report_with_tracks(n, year=2024):
    edition = make_edition(kind=Edition.Kind.REPORT, year=year, show_participants=True)
    make_budget(year=year, total="1026647.54")
    programmes = [make_programme() for _ in range(3)]
    city, partner = make_city(), make_organisation()
    for i in range(n):
        ty = make_track_year(track=make_track(programme=programmes[i % 3]), year=year, number=f"{i % 3 + 1}.{i + 1}")
        ty.track.lead_cities.add(city)
        ty.track.partners.add(partner)
        group = make_group(programme=programmes[i % 3])
        group.tracks.add(ty.track)
        make_group_year(group=group, year=year, reported_meetings=i + 1)
        make_meeting(group=group, year=year, month=3, day=1)
        make_link(track_year=ty)
        make_link(track_year=ty, url="#")
        make_result(track_year=ty, target="10", achieved="12", is_key_figure=True)
        make_funding(track=ty.track, amount="1000", start_year=year)
    return edition


def test_report_page_shows_tracks_counts_links_and_budget(client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024, foreword="<p>Beste lezer</p>", foreword_signatory="Wim Dries")
    make_budget(year=2024, total="1026647.54")
    ty = make_track_year(year=2024, number="1.3", report_text="<p>De Rechtenverkenner ging live.</p>")
    group = make_group(name="Werkgroep Rechtenverkenner")
    group.tracks.add(ty.track)
    make_group_year(group=group, year=2024, reported_meetings=7)
    make_link(track_year=ty, title="de Rechtenverkenner", url="https://www.rechtenverkenner.be")

    html = client.get(outline(edition).get_absolute_url()).content.decode()

    assert "Jaarverslag 2024" in html
    assert "De Rechtenverkenner ging live." in html
    assert "De werkgroep kwam in 2024 7 keer samen." in html
    assert "Je vindt hier de Rechtenverkenner" in html
    assert "1.026.647,54 euro" in html
    assert "Wim Dries" in html
    assert f'href="#werkspoor-{ty.track.slug}"' in html  # table of contents anchor


def test_meeting_count_comes_from_recorded_meetings_once_the_list_is_marked_complete(client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2025)
    ty = make_track_year(year=2025)
    group = make_group()
    group.tracks.add(ty.track)
    for month in (1, 3, 5):
        make_meeting(group=group, year=2025, month=month, status=Meeting.Status.HELD)
    make_meeting(group=group, year=2025, month=9, status=Meeting.Status.CANCELLED)
    make_meeting(group=group, year=2025, month=10, kind="workshop")  # an event, not a meeting
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    assert "keer samen" not in html  # two or three recorded meetings prove nothing about a whole year

    make_group_year(group=group, year=2025, reported_meetings=None, meetings_complete=True)
    html = client.get(edition.get_absolute_url()).content.decode()
    assert "De werkgroep kwam in 2025 3 keer samen." in html


def test_plan_page_shows_plan_text_not_report_text(client):
    edition = make_edition(kind=Edition.Kind.PLAN, year=2024)
    make_track_year(year=2024, plan_text="<p>We plannen dit.</p>", report_text="<p>We deden dat.</p>")
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    assert "We plannen dit." in html and "We deden dat." not in html


def test_anonymous_visitor_gets_404_for_draft_edition(client):
    edition = make_edition(status=EditorialStatus.DRAFT)
    assert client.get(outline(edition).get_absolute_url()).status_code == 404


def test_staff_sees_draft_edition_with_preview_banner(staff_client):
    edition = make_edition(status=EditorialStatus.DRAFT)
    response = staff_client.get(outline(edition).get_absolute_url())
    assert response.status_code == 200
    assert "Voorbeeld — niet gepubliceerd" in response.content.decode()


def test_year_without_edition_is_404(client):
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    assert client.get("/jaarverslag/2023/").status_code == 404
    assert client.get("/jaarplan/2024/").status_code == 404


@pytest.mark.parametrize("path", [
    "/jaarverslag/abcd/", "/jaarverslag/99999999999/", "/jaarplan/-1/", "/jaarplan/20 24/",
    "/werksporen/bestaat-niet/", "/werkgroepen/%00/", "/programmas/../etc/", "/steden/nergens/",
])
def test_malformed_years_and_slugs_are_404(client, path):
    assert client.get(path).status_code == 404


def test_draft_track_text_is_hidden_from_anonymous_but_shown_to_staff_in_draft_edition(client, staff_client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024, report_text="<p>Geheim concept.</p>", report_status=EditorialStatus.DRAFT)
    assert "Geheim concept." not in client.get(outline(edition).get_absolute_url()).content.decode()
    assert "Geheim concept." not in client.get("/zoeken/?q=Geheim").content.decode()
    edition.status = EditorialStatus.DRAFT
    edition.save()
    assert "Geheim concept." in staff_client.get(outline(edition).get_absolute_url()).content.decode()


def test_private_track_group_meeting_and_link_are_invisible_to_anonymous(client):
    track = make_track(title="Verborgen spoor", is_public=False)
    make_track_year(track=track)
    group = make_group(name="Besloten groep", is_public=False)
    make_meeting(title="Besloten vergadering", is_public=False)
    open_ty = make_track_year()
    make_link(track_year=open_ty, title="het interne verslag", is_public=False)
    make_edition()
    pages = [
        "/", "/jaarverslag/2024/", "/jaarplan/2024/", "/programmas/", f"/programmas/{track.programme.slug}/",
        "/werkgroepen/", "/kalender/", "/zoeken/?q=verborgen", "/zoeken/?q=besloten", "/zoeken/?q=intern",
        f"/werksporen/{open_ty.track.slug}/",
    ]
    for path in pages:
        response = client.get(path)
        html = response.content.decode()
        for secret in ("Verborgen spoor", "Besloten groep", "Besloten vergadering", "het interne verslag"):
            assert secret not in html, (path, secret)
    assert client.get(track.get_absolute_url()).status_code == 404
    assert client.get(group.get_absolute_url()).status_code == 404


def test_report_page_query_count_does_not_grow_with_tracks(client, django_assert_max_num_queries):
    small, large = outline(_report_with_tracks(3, year=2023), _report_with_tracks(30, year=2024))
    # 20 for the edition, +1 its results and +1 external funding under the tracks, +2 the lead cities and partners
    # (it shows who takes part), +1 the jaarplan's tracks for "Van plan naar verslag" (results with a target),
    # +1 the cities and +1 the groups at work of "Het jaar in cijfers" (earlier years' budgets only for an edition
    # that compares with them).
    with django_assert_max_num_queries(26):
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(26):
        assert client.get(large.get_absolute_url()).status_code == 200



def test_a_published_edition_is_served_from_its_frozen_copy_in_two_queries_whatever_its_size(client, django_assert_num_queries):
    """The edition and its images (the cover and the shared-link picture); nothing of the outline is read again."""
    from reports.assembly import edition_render_snapshot

    for edition in outline(_report_with_tracks(3, year=2023), _report_with_tracks(30, year=2024)):
        edition.status = EditorialStatus.PUBLISHED
        edition.snapshot_html = edition_render_snapshot(edition=edition)
        edition.save()
        with django_assert_num_queries(2):
            assert client.get(edition.get_absolute_url()).status_code == 200

def test_track_page_shows_plan_and_report_side_by_side_per_year(client):
    track = make_track(title="ORBA")
    make_track_year(track=track, year=2024, plan_text="<p>Plan 2024</p>", report_text="<p>Verslag 2024</p>")
    make_track_year(track=track, year=2025, plan_text="", report_text="<p>Verslag 2025</p>")
    html = client.get(track.get_absolute_url()).content.decode()
    assert html.index("Verslag 2025") < html.index("Plan 2024") < html.index("Verslag 2024")


def test_group_page_shows_meetings_per_year(client):
    group = make_group(name="Werkgroep OBMi", frequency="om de zes weken")
    make_group_year(group=group, year=2024, reported_meetings=7)
    make_meeting(group=group, title="Swing gebruikersdag", year=2024, month=5, day=30, kind="network_day")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "De werkgroep kwam in 2024 7 keer samen." in html
    assert "30 mei 2024" in html and "Swing gebruikersdag" in html


def test_city_page_lists_what_the_city_leads_and_joins(client):
    from tests.factories import make_city
    gent = make_city(name="Gent", slug="gent")
    led = make_track(title="E-inclusion by Design")
    led.lead_cities.add(gent)
    joined = make_group(name="Werkgroep GDPR")
    joined.cities.add(gent)
    html = client.get(gent.get_absolute_url()).content.decode()
    assert "E-inclusion by Design" in html and "Werkgroep GDPR" in html


def test_calendar_filters_by_year_and_kind_from_the_query_string(client):
    make_meeting(title="Studiedag A", year=2024, kind="study_day")
    make_meeting(title="Workshop B", year=2024, kind="workshop")
    make_meeting(title="Studiedag C", year=2025, kind="study_day")
    html = client.get(reverse("programmes:calendar"), {"jaar": 2024, "soort": "study_day"}).content.decode()
    assert "Studiedag A" in html and "Workshop B" not in html and "Studiedag C" not in html


@pytest.mark.parametrize("query", ["jaar=abc", "jaar=99999999999", "soort=onbestaand", "programma=%00", "stad=nergens"])
def test_bad_filter_values_get_a_dutch_message_not_a_500(client, query):
    make_meeting(title="Iets")
    response = client.get(f"{reverse('programmes:calendar')}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert any(word in html for word in ("Geef een jaartal", "Kies een jaar", "Selecteer een geldige keuze", "Null-tekens zijn niet toegestaan"))


def test_group_list_filters_by_city(client):
    from tests.factories import make_city
    gent = make_city(slug="gent", name="Gent")
    in_gent = make_group(name="Groep met Gent")
    in_gent.cities.add(gent)
    make_group(name="Groep zonder Gent")
    html = client.get(reverse("programmes:workinggroup-list"), {"stad": "gent"}).content.decode()
    assert "Groep met Gent" in html and "Groep zonder Gent" not in html


def test_home_shows_latest_published_editions_and_upcoming_meetings(client):
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_edition(kind=Edition.Kind.REPORT, year=2025, status=EditorialStatus.DRAFT)
    make_meeting(title="Netwerkdag van volgend jaar", year=2099, month=1, status=Meeting.Status.PLANNED)
    html = client.get("/").content.decode()
    assert "Jaarverslag 2024" in html and "Jaarverslag 2025" not in html
    assert "Netwerkdag van volgend jaar" in html


def test_report_lists_every_group_that_met_with_its_count(client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    reported = make_group(name="Werkgroep ORBA")
    make_group_year(group=reported, year=2024, reported_meetings=7)
    recorded = make_group(name="Reflectiegroep Europa")
    for month in (2, 6, 10):
        make_meeting(group=recorded, year=2024, month=month)
    make_group_year(group=recorded, year=2024, reported_meetings=None, meetings_complete=True)
    partly_recorded = make_group(name="Werkgroep met een halve lijst")
    make_meeting(group=partly_recorded, year=2024, month=4)
    make_group(name="Slapende groep")
    make_group_year(group=make_group(name="Groep van vorig jaar"), year=2023, reported_meetings=4)

    html = client.get(outline(edition).get_absolute_url()).content.decode()
    overview = html[html.index('id="werkgroepen"'):]
    assert "Werkgroep ORBA" in overview and ">7<" in overview
    assert "Reflectiegroep Europa" in overview and ">3<" in overview
    assert "Slapende groep" not in overview and "Groep van vorig jaar" not in overview
    assert "Werkgroep met een halve lijst" not in overview  # no confirmed count: no total is claimed
    assert 'href="#werkgroepen"' in html


def test_links_under_edition_texts_are_shown_and_private_ones_hidden(client):
    from reports.models import EditionSection, SectionLink

    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    section = EditionSection.objects.create(edition=edition, title="Communicatie", slug="communicatie", body="<p>Tekst</p>")
    SectionLink.objects.create(section=section, title="de oogst van 2024", url="https://example.org/oogst")
    SectionLink.objects.create(section=section, title="het interne draaiboek", url="https://example.org/intern", is_public=False)
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    assert "Je vindt hier de oogst van 2024" in html and "https://example.org/oogst" in html
    assert "het interne draaiboek" not in html


def test_programme_chapter_opens_with_the_intro_of_that_year_and_edition_kind(client):
    from programmes.models import ProgrammeYear

    programme = make_programme(name="Klimaat")
    make_track_year(track=make_track(programme=programme), year=2024)
    ProgrammeYear.objects.create(programme=programme, year=2024, plan_intro="<p>Waarom klimaat in 2024.</p>",
                                 report_intro="<p>Wat klimaat in 2024 opleverde.</p>")
    ProgrammeYear.objects.create(programme=programme, year=2023, plan_intro="<p>Oude inleiding.</p>")
    plan = client.get(outline(make_edition(kind=Edition.Kind.PLAN, year=2024)).get_absolute_url()).content.decode()
    report = client.get(outline(make_edition(kind=Edition.Kind.REPORT, year=2024)).get_absolute_url()).content.decode()
    assert "Waarom klimaat in 2024." in plan and "Wat klimaat in 2024 opleverde." not in plan
    assert "Wat klimaat in 2024 opleverde." in report and "Oude inleiding." not in report


def test_programme_page_hides_years_whose_texts_are_still_drafts(client, staff_client):
    programme = make_programme()
    track = make_track(programme=programme, title="ORBA")
    make_track_year(track=track, year=2024)
    make_track_year(track=track, year=2027, plan_text="<p>Concept</p>", report_text="", number="2",
                    plan_status=EditorialStatus.DRAFT, report_status=EditorialStatus.DRAFT)
    year = '<span class="timeline__year">{}</span>'
    html = client.get(programme.get_absolute_url()).content.decode()
    assert year.format(2024) in html and year.format(2027) not in html
    assert year.format(2027) in staff_client.get(programme.get_absolute_url()).content.decode()


def test_staff_see_a_preview_banner_on_a_track_page_with_draft_text(client, staff_client):
    track = make_track()
    make_track_year(track=track, year=2025, report_text="<p>Nog in de maak.</p>", report_status=EditorialStatus.REVIEW)
    staff_html = staff_client.get(track.get_absolute_url()).content.decode()
    assert "Voorbeeld — niet gepubliceerd" in staff_html and "Nog in de maak." in staff_html
    anon_html = client.get(track.get_absolute_url()).content.decode()
    assert "Voorbeeld" not in anon_html and "Nog in de maak." not in anon_html


def test_year_filter_offers_only_years_with_data(client):
    make_meeting(group=make_group(), year=2022)
    make_group_year(year=2019)
    html = client.get(reverse("programmes:workinggroup-list")).content.decode()
    assert '<option value="2022">' in html and '<option value="2019">' in html
    assert '<option value="2023">' not in html


def test_calendar_states_how_many_activities_match(client):
    for month in (1, 2, 3):
        make_meeting(year=2024, month=month)
    make_meeting(year=2025)
    html = client.get(reverse("programmes:calendar"), {"jaar": 2024}).content.decode()
    assert "3 activiteiten" in html


def test_meeting_place_is_not_repeated_when_it_is_the_host_city(client):
    from tests.factories import make_city
    genk = make_city(name="Genk", slug="genk")
    make_meeting(title="Burgemeestersoverleg", year=2024, month=11, day=26, place="Genk", host_city=genk)
    html = client.get(reverse("programmes:calendar")).content.decode()
    assert "Genk · Genk" not in html and "Genk" in html


def test_calendar_city_filter_finds_the_meetings_of_groups_the_city_takes_part_in(client):
    from tests.factories import make_city

    gent = make_city(name="Gent", slug="gent")
    group = make_group(name="Werkgroep OBMi")
    group.cities.add(gent)
    make_meeting(group=group, year=2025, month=2, day=3, title="OBMi-overleg")
    make_meeting(group=make_group(), year=2025, month=2, day=4, title="Ander overleg")
    make_meeting(year=2025, month=3, day=1, title="Studiedag in Gent", host_city=gent)
    html = client.get(reverse("programmes:calendar") + "?jaar=2025&stad=gent").content.decode()
    assert "OBMi-overleg" in html and "Studiedag in Gent" in html and "Ander overleg" not in html


def test_group_page_links_its_own_calendar_feed(client):
    group = make_group()
    html = client.get(group.get_absolute_url()).content.decode()
    assert f'href="/werkgroepen/{group.slug}/kalender.ics"' in html


def test_search_ignores_control_characters_instead_of_failing(client):
    make_group(name="Werkgroep GDPR")
    response = client.get(reverse("programmes:search") + "?q=GD%00PR%01")
    assert response.status_code == 200


# --- Publication details: plurals, previews, shared links, robots, PDF facts ------------------------------

def test_group_list_says_steden_for_more_than_one_city(client):
    from tests.factories import make_city

    group = make_group()
    group.cities.add(make_city(name="Gent"), make_city(name="Genk"))
    html = client.get(reverse("programmes:workinggroup-list")).content.decode()
    assert "2 steden" in html and "staden" not in html


def test_edition_page_carries_open_graph_and_twitter_tags_with_the_cover_image(client, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from reports.models import EditionImage

    from reports.assembly import edition_render_snapshot

    settings.MEDIA_ROOT = tmp_path
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20)).save(buffer, format="PNG")
    image = EditionImage.objects.create(
        edition=edition, image=SimpleUploadedFile("c.png", buffer.getvalue(), content_type="image/png"),
        alt_text="Stadsplein", credit="X", placement="Coverbeeld",
    )
    edition.snapshot_html = edition_render_snapshot(edition=edition)  # published with its cover
    edition.save()
    html = client.get(edition.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Jaarverslag 2024">' in html
    assert f'<meta property="og:image" content="http://testserver{image.image.url}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'rel="icon" href="/static/favicon.svg"' in html


def test_robots_txt_allows_all_but_review_links_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    disallowed = [line for line in text.splitlines() if line.startswith("Disallow")]
    assert "User-agent: *" in text and "Allow: /" in text and disallowed == ["Disallow: /nalezen/"]
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_edition_list_offers_the_pdf_with_date_and_says_no_size_before_it_is_rendered(client, settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    make_edition(kind=Edition.Kind.REPORT, year=2024)
    html = client.get(reverse("reports:edition-list")).content.decode()
    assert 'href="/jaarverslag/2024/pdf/">PDF<span class="visually-hidden">' in html
    assert "Gepubliceerd op" in html


def test_edition_list_gives_pages_and_size_of_a_pdf_already_in_the_cache(client, settings, tmp_path, monkeypatch):
    from reports.exports import pdf

    settings.PDF_CACHE_DIR = tmp_path
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    monkeypatch.setattr(pdf, "_pdf_page_count", lambda path, mtime: 21)
    html = pdf.edition_export_html(edition=edition, user=None)
    fingerprint = pdf.pdf_fingerprint(html, base_url=pdf.pdf_base_url())
    path = tmp_path / f"report-2024-{fingerprint}.pdf"
    path.write_bytes(b"%PDF" + b"0" * 1_499_996)
    page = client.get(reverse("reports:edition-list")).content.decode()
    assert "PDF (21 pagina&#x27;s, 1,5 MB)" in page or "PDF (21 pagina's, 1,5 MB)" in page
    # The link names this very file, which the PDF view then lets browsers and a CDN keep for a year.
    assert f'href="/jaarverslag/2024/pdf/?v={fingerprint}"' in page
    downloaded = client.get(f"/jaarverslag/2024/pdf/?v={fingerprint}")
    assert downloaded["Cache-Control"] == "public, max-age=31536000, immutable"


def test_html_download_has_no_download_buttons(client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024)
    make_track_year(year=2024, number="1.1", report_text="<p>Over de Rechtenverkenner.</p>")
    outline(edition)
    html = client.get("/jaarverslag/2024/html/").content.decode()
    assert 'class="edition-downloads"' not in html and "HTML (één bestand)" not in html
    assert 'href="#inhoudstafel"' in html and 'id="inhoudstafel"' in html  # "terug naar inhoud" works offline


def test_city_list_counts_one_track_and_one_group_in_the_singular(client):
    from tests.factories import make_city

    city = make_city(name="Genk")
    make_track().cities.add(city)
    make_group().cities.add(city)
    html = client.get(reverse("programmes:city-list")).content.decode()
    assert "1 werkspoor · 1 werkgroep" in html


def test_count_sentence_uses_the_right_article_for_a_learning_network(client):
    from programmes.selectors import meeting_count_sentence

    assert meeting_count_sentence(make_group(kind="learning_network"), 2024, 3) == "Het lerend netwerk kwam in 2024 3 keer samen."
    assert meeting_count_sentence(make_group(kind="working_group"), 2024, 1) == "De werkgroep kwam in 2024 1 keer samen."


def test_an_activity_without_a_recorded_outcome_is_flagged_to_staff_and_never_reported_to_the_public(client, staff_client):
    edition = make_edition(kind=Edition.Kind.REPORT, year=2024, status=EditorialStatus.DRAFT)
    ty = make_track_year(year=2024)
    make_meeting(track=ty.track, year=2024, month=4, day=26, title="Workshop draaiboeken", status=Meeting.Status.PLANNED)
    make_meeting(track=ty.track, year=2024, month=5, day=2, title="Werksessie gehouden")
    outline(edition)
    staff_html = staff_client.get(edition.get_absolute_url()).content.decode()
    assert "Workshop draaiboeken" in staff_html and "uitkomst niet geregistreerd" in staff_html
    edition.status = EditorialStatus.PUBLISHED
    edition.save()
    public_html = client.get(edition.get_absolute_url()).content.decode()
    assert "Workshop draaiboeken" not in public_html and "Werksessie gehouden" in public_html
    assert "nog als gepland geregistreerd" not in public_html and ">gepland<" not in public_html


def test_what_became_of_the_plan_shows_in_the_report_overview_and_on_the_track_page(client):
    from programmes.models import Outcome

    plan, report = make_edition(kind=Edition.Kind.PLAN, year=2024), make_edition(kind=Edition.Kind.REPORT, year=2024)
    done = make_track_year(year=2024, outcome=Outcome.REALISED)
    later = make_track_year(year=2024, outcome=Outcome.POSTPONED, postponed_to=2025, title="Stadsmonitor")
    make_track_year(year=2024, plan_text="")  # reported, not in the plan
    outline(plan, report)
    html = client.get(report.get_absolute_url()).content.decode()
    overview = html[html.index('id="van-plan-naar-verslag"'):]
    assert "Werksporen in het jaarplan</th><td class=\"num\">2<" in overview
    assert "Werksporen in dit jaarverslag</th><td class=\"num\">3<" in overview
    assert "Uitgesteld: Stadsmonitor (naar 2025)." in overview
    assert "van-plan-naar-verslag" not in client.get(plan.get_absolute_url()).content.decode()
    assert "uitgesteld tot 2025" in client.get(later.track.get_absolute_url()).content.decode()
    assert "gerealiseerd" in client.get(done.track.get_absolute_url()).content.decode()


def test_jaarverslag_lists_an_activity_with_its_hours(client):
    import datetime

    ty = make_track_year(year=2024)
    make_meeting(track=ty.track, title="Infosessie", year=2024, month=6, day=3, kind="info_session",
                 start_time=datetime.time(14), end_time=datetime.time(16))
    edition = outline(make_edition(kind=Edition.Kind.REPORT, year=2024))
    html = client.get(edition.get_absolute_url()).content.decode()
    assert "3 juni 2024, 14.00–16.00 uur</span> · Infosessie" in html


def test_favicon_ico_answers_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_home_page_has_a_search_box_and_a_way_to_the_finances(client):
    html = client.get("/").content.decode()
    assert '<form class="home-search" action="/zoeken/"' in html
    assert 'id="site-zoeken"' not in html  # not a second search box in the header
    assert '<a href="/financien/">Financiën: budget en afrekening per jaar</a>' in html


def test_staff_preview_of_a_draft_shows_the_banner_and_anonymous_gets_404(client, redacteur):
    edition = make_draft_edition()
    assert client.get(outline(edition).get_absolute_url()).status_code == 404
    client.force_login(redacteur)
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    assert "Voorbeeld — niet gepubliceerd" in html


def test_admin_links_to_the_preview(client, redacteur):
    edition = make_draft_edition()
    client.force_login(redacteur)
    html = client.get(reverse("admin:reports_edition_changelist")).content.decode()
    assert f'href="{outline(edition).get_absolute_url()}"' in html
    html = client.get(reverse("admin:reports_edition_change", args=[edition.pk])).content.decode()
    assert "Voorbeeld" in html and reverse("admin:reports_edition_checklist", args=[edition.pk]) in html


def test_staff_preview_of_a_published_edition_shows_pending_changes_with_banner(client, eindredacteur):
    edition = make_draft_edition(year=2024)
    ty = make_track_year(year=2024, track=make_track(title="Oude titel"))
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    ty.track.title = "Nieuwe titel"
    ty.track.save()
    client.force_login(eindredacteur)
    html = client.get(outline(edition).get_absolute_url() + "?voorbeeld").content.decode()
    assert "Nieuwe titel" in html and "Voorbeeld van de gepubliceerde versie met recente wijzigingen" in html
    assert "niet gepubliceerd" not in html  # it is published; the banner says so
    client.logout()
    html = client.get(outline(edition).get_absolute_url() + "?voorbeeld").content.decode()
    assert "Oude titel" in html and "Nieuwe titel" not in html


def test_the_page_and_the_html_download_of_a_published_edition_show_the_same_frozen_copy_to_everyone(client, eindredacteur):
    edition = make_draft_edition(year=2024)
    ty = make_track_year(year=2024, track=make_track(title="Oude titel"))
    edition_publish(edition=outline(edition), by=eindredacteur, confirm_warnings=True)
    ty.track.title = "Nieuwe titel"
    ty.track.save()
    html_url = reverse("reports:plan-html" if edition.kind == Edition.Kind.PLAN else "reports:report-html", args=[2024])
    for viewer in (None, eindredacteur):  # staff too: only ?voorbeeld shows what a republish would
        if viewer:
            client.force_login(viewer)
        for url in (edition.get_absolute_url(), html_url):
            html = client.get(url).content.decode()
            assert "Oude titel" in html and "Nieuwe titel" not in html, (viewer, url)
