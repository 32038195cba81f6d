import importlib

import pytest

from reports.demo import load_demo


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    """Load the demo once per module inside a transaction that is rolled back afterwards.

    Each test's own transaction nests inside it as a savepoint (as in Django's TestCase.setUpTestData),
    so tests stay isolated while the load happens once.
    """
    from django.db import transaction

    from programmes import searchindex

    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            searchindex.flush()  # what the commit of a real load does
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_module, db):
    """The full demo content (only for tests that check it)."""


@pytest.fixture
def staff_client(db, django_user_model):
    """A logged-in Redacteur with a client of its own, so `client` in the same test stays anonymous."""
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user(username="redacteur", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Redacteur"))
    staff = Client()
    staff.force_login(user)
    return staff


@pytest.fixture
def roleless_staff_client(db, django_user_model):
    """A staff account without an editorial role: it sees what the public sees."""
    from django.test import Client

    user = django_user_model.objects.create_user(username="zonderrol", password="x" * 20, is_staff=True)
    staff = Client()
    staff.force_login(user)
    return staff


@pytest.fixture(autouse=True)
def _no_search_index_notes_from_earlier_tests():
    """Writes of an earlier test were rolled back; the search index notes of them go too."""
    from programmes import searchindex

    searchindex.forget_pending()


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


# The data migrations that build the editorial roles, in the order they ran.
ROLE_MIGRATIONS = [
    ("reports.migrations.0003_editorial_roles", "create_roles"),
    ("reports.migrations.0006_section_link_roles", "grant"),
    ("reports.migrations.0007_programme_year_roles", "grant"),
    ("programmes.migrations.0005_link_owner_budget_settlement_view_unpublished", "grant_view_unpublished"),
    ("reports.migrations.0010_edition_entry_roles", "grant"),
]


@pytest.fixture
def editorial_roles(transactional_db):
    """Redacteur and Eindredacteur as the migrations make them, also after an earlier test's flush."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if Group.objects.filter(name__in=["Redacteur", "Eindredacteur"]).count() < 2:
        state_apps = MigrationLoader(connection).project_state().apps
        for module, function in ROLE_MIGRATIONS:
            getattr(importlib.import_module(module), function)(state_apps, None)
