import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programmes.models import EditorialStatus
from reports.models import EditionImage
from tests.factories import make_edition

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
    assert "Coverbeeld: ©Pieter Voorhout" in html


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
