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


def test_image_of_a_published_edition_is_served_to_everyone(client):
    image = _cover(make_edition())
    response = client.get(image.image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_unknown_media_path_is_404(client):
    assert client.get("/media/edities/2024/bestaat-niet.png").status_code == 404
    assert client.get("/media/../settings.py").status_code == 404


def test_cover_image_is_shown_with_its_alt_text_and_credited_in_the_colophon(client):
    edition = make_edition()
    image = _cover(edition)
    html = client.get(edition.get_absolute_url()).content.decode()
    assert f'src="{image.image.url}"' in html
    assert 'alt="Luchtfoto van een stadsplein"' in html
    assert "Coverbeeld: ©Pieter Voorhout" in html
