import pytest

from reports.demo import load_demo


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    """Load the demo once per module inside a transaction that is rolled back afterwards.

    Each test's own transaction nests inside it as a savepoint (as in Django's TestCase.setUpTestData),
    so tests stay isolated while the load happens once.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_module, db):
    """The full demo content (only for tests that check it)."""


@pytest.fixture
def staff_client(db, django_user_model):
    """A logged-in staff client of its own, so `client` in the same test stays anonymous."""
    from django.test import Client

    user = django_user_model.objects.create_user(username="redacteur", password="x" * 20, is_staff=True)
    staff = Client()
    staff.force_login(user)
    return staff


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 is slow by design; every create_user and login in the suite would pay for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """The page cache is invalidated on commit, and a test's transaction never commits: tests of other
    behaviour would read a stale page. tests/test_pagecache.py switches it on and commits explicitly."""
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = False
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Production settings redirect to HTTPS; the test client speaks plain HTTP."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """The hashed-name manifest exists only after collectstatic; tests render with plain names."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
