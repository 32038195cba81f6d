import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags
from PIL import Image

from programmes.models import EditorialStatus
from reports.models import EditionImage, PhotoCredit
from tests.factories import make_draft_edition, make_edition, make_entry, make_track_year, outline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 79, 108)).save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def _cover(edition):
    return EditionImage.objects.create(
        edition=edition, image=_png(), alt_text="Luchtfoto van een stadsplein", credit="Pieter Voorhout", placement="Coverbeeld",
    )


def test_image_of_a_draft_edition_is_private(staff_client):
    from django.test import Client

    image = _cover(make_edition(status=EditorialStatus.DRAFT))
    assert Client().get(image.image.url).status_code == 404
    assert staff_client.get(image.image.url).status_code == 200


def _publish(edition, django_user_model):
    from django.contrib.auth.models import Group

    from reports.services import edition_publish

    chief = django_user_model.objects.create_user(username="chef", password="x" * 20, is_staff=True)
    chief.groups.add(Group.objects.get(name="Eindredacteur"))
    return edition_publish(edition=edition, by=chief, confirm_warnings=True)


def test_image_of_a_published_edition_is_served_to_everyone(client, django_user_model):
    edition = make_edition(status=EditorialStatus.REVIEW)
    image = _cover(edition)
    _publish(edition, django_user_model)
    response = client.get(image.image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_image_added_after_publication_stays_private_until_republished(client, staff_client, django_user_model):
    from reports.services import edition_republish

    edition = _publish(make_edition(status=EditorialStatus.REVIEW), django_user_model)
    late = _cover(edition)
    assert client.get(late.image.url).status_code == 404
    assert late.image.url not in client.get(edition.get_absolute_url()).content.decode()
    assert staff_client.get(late.image.url).status_code == 200  # the editorial team can preview it

    chief = django_user_model.objects.get(username="chef")
    edition_republish(edition=edition, by=chief, erratum_text="Coverbeeld toegevoegd.", confirm_warnings=True)
    assert client.get(late.image.url).status_code == 200


def test_unknown_media_path_is_404(client):
    assert client.get("/media/edities/2024/bestaat-niet.png").status_code == 404
    assert client.get("/media/../settings.py").status_code == 404


def test_cover_image_is_shown_with_its_alt_text_and_credited_in_the_colophon(client, django_user_model):
    edition = make_edition(status=EditorialStatus.REVIEW)
    image = _cover(edition)
    _publish(edition, django_user_model)
    html = client.get(edition.get_absolute_url()).content.decode()
    assert f'src="{image.image.url}"' in html
    assert 'alt="Luchtfoto van een stadsplein"' in html
    assert "Coverbeeld: ©Pieter Voorhout" in strip_tags(html)


def test_oversized_or_non_image_upload_gets_a_dutch_message():
    from django.core.exceptions import ValidationError

    edition = make_edition()
    big = SimpleUploadedFile("groot.png", _png().read() + b"\0" * (10 * 1024 * 1024), content_type="image/png")
    image = EditionImage(edition=edition, image=big, alt_text="Stadsplein", credit="Foto")
    with pytest.raises(ValidationError) as exc:
        image.full_clean()
    assert "de grens is 10 MB" in " ".join(exc.value.messages)

    from django.forms import modelform_factory

    form_class = modelform_factory(EditionImage, fields=["edition", "image", "alt_text", "credit"])
    fake = SimpleUploadedFile("virus.png", b"not an image at all", content_type="image/png")
    form = form_class(data={"edition": edition.pk, "alt_text": "Stadsplein", "credit": "Foto"}, files={"image": fake})
    assert not form.is_valid()
    assert "geldige afbeelding" in " ".join(form.errors["image"])


def _placed(edition, entry, credit="Stad Gent"):
    return EditionImage.objects.create(
        edition=edition, entry=entry, image=_png(), alt_text="Deelnemers aan de netwerkdag", credit=credit,
    )


def test_image_placed_in_a_chapter_appears_under_its_text_and_in_the_colophon(client):
    edition = make_edition()
    ty = make_track_year(year=2024, report_text="<p>De netwerkdag in Gent.</p>")
    outline(edition)
    image = _placed(edition, edition.entries.get(track_year=ty))
    html = client.get(edition.get_absolute_url()).content.decode()
    assert html.index("De netwerkdag in Gent.") < html.index(f'id="{image.anchor}"') < html.index('id="colofon"')
    assert 'alt="Deelnemers aan de netwerkdag"' in html
    assert f"{ty.track.title}: ©Stad Gent" in strip_tags(html)
    assert f'href="#{image.anchor}"' in html


def test_colophon_credits_only_images_that_appear(client, staff_client):
    edition = make_edition(status=EditorialStatus.DRAFT)
    hidden = make_track_year(year=2024, report_text="<p>Nog niet klaar.</p>", report_status=EditorialStatus.DRAFT)
    outline(edition)
    _placed(edition, edition.entries.get(track_year=hidden), credit="Verborgen Fotograaf")
    EditionImage.objects.create(edition=edition, image=_png(), alt_text="Los", credit="Nergens Geplaatst")
    PhotoCredit.objects.create(edition=edition, placement="Pagina 27", credit="Oude Bron")
    preview = " ".join(strip_tags(staff_client.get(edition.get_absolute_url()).content.decode()).split())
    assert "Pagina 27: ©Oude Bron geen afbeelding in deze editie" in preview  # the editorial team sees it, marked
    edition.status = EditorialStatus.PUBLISHED
    edition.save()
    public = strip_tags(client.get(edition.get_absolute_url()).content.decode())
    assert "Verborgen Fotograaf" not in public and "Nergens Geplaatst" not in public and "Oude Bron" not in public


def test_checklist_flags_credits_without_image_unplaced_images_and_an_empty_colophon():
    from reports.checklist import edition_checklist

    edition = make_edition(status=EditorialStatus.DRAFT)
    PhotoCredit.objects.create(edition=edition, placement="Pagina 2", credit="Oude Bron")
    loose = EditionImage.objects.create(edition=edition, image=_png(), alt_text="Los", credit="Fotograaf")
    _cover(edition)
    items = {item.code: item.objects for item in edition_checklist(edition=edition)}
    assert [c.credit for c in items["credits_without_image"]] == ["Oude Bron"]
    assert items["images_not_placed"] == [loose]
    assert items["empty_colophon"] == [edition]


def test_image_in_another_editions_outline_is_refused():
    from django.core.exceptions import ValidationError

    other = make_entry(edition=make_edition(year=2023), title="Elders")
    image = EditionImage(edition=make_edition(), entry=other, image=_png(), alt_text="Foto", credit="Fotograaf")
    with pytest.raises(ValidationError) as exc:
        image.full_clean()
    assert "dezelfde editie" in " ".join(exc.value.message_dict["entry"])


@pytest.mark.skipif(__import__("importlib").util.find_spec("weasyprint") is None, reason="WeasyPrint niet geïnstalleerd")
def test_pdf_colophon_gives_the_page_each_image_is_on(client):
    import io as _io
    import re

    from pypdf import PdfReader

    edition = make_edition(responsible_publisher="Annik Bogaert")
    ty = make_track_year(year=2024, report_text="<p>De netwerkdag in Gent.</p>")
    outline(edition)
    _placed(edition, edition.entries.get(track_year=ty))
    pages = [p.extract_text() for p in PdfReader(_io.BytesIO(client.get("/jaarverslag/2024/pdf/").content)).pages]
    image_page = next(n for n, text in enumerate(pages, 1) if "De netwerkdag in Gent." in text)
    colophon = pages[-1].replace("\n", " ")
    assert re.search(rf"Pagina {image_page}\s*: ©Stad Gent", colophon), colophon


def test_image_needs_alt_text_and_credit():
    image = EditionImage(edition=make_draft_edition(), image=_png(), alt_text="", credit="")
    with pytest.raises(ValidationError) as exc:
        image.full_clean()
    assert {"alt_text", "credit"} <= set(exc.value.message_dict)


def test_colophon_credits_come_from_the_images_of_the_edition(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    edition = make_edition(year=2024)
    EditionImage.objects.create(edition=edition, image=_png(), alt_text="Stadhuis van Genk", credit="Jan Peeters", placement="Coverbeeld")
    html = client.get(outline(edition).get_absolute_url()).content.decode()
    assert "Coverbeeld: ©Jan Peeters" in strip_tags(html)
