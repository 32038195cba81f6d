import pytest

from reports.demo import load_demo


@pytest.fixture
def demo(db):
    """The full demo content (only for tests that check it)."""
    load_demo()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(username="redacteur", password="x" * 20, is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Production settings redirect to HTTPS; the test client speaks plain HTTP."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """The hashed-name manifest exists only after collectstatic; tests render with plain names."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
