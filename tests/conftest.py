import pytest
from django.db.models import Q
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from reports.demo import load_demo


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    """Load the demo once per module inside a transaction that is rolled back afterwards.

    Each test's own transaction nests inside it as a savepoint (as in Django's TestCase.setUpTestData),
    so tests stay isolated while the load happens once.
    """
    from django.db import transaction

    from programmes.search import index as searchindex

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
    from programmes.search import index as searchindex

    searchindex.forget_pending()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 is slow by design; every create_user and login in the suite would pay for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_kept_not_run(settings):
    """Background tasks are recorded, not run: a publish in a test does not render a PDF with WeasyPrint.
    Tests of the tasks read `default_task_backend.results` or run a task themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages get no validators: a test's transaction never commits, so the content version would not change
    and a conditional request could get a 304 for changed data. tests/kenniscentrum/test_pagecache.py switches it on
    and commits explicitly."""
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


_roles_as_migrated = {}
_meeting_kinds_as_migrated = []


@receiver(post_migrate, dispatch_uid="tests-editorial-roles")
def _keep_editorial_roles(sender, **kwargs):
    """The editorial roles and meeting kinds as the migrations made them, also after a transactional test's flush.

    A transactional test (live server, browser, two connections) ends by emptying every table. The
    flush then sends post_migrate, which brings back content types and permissions, but not the rows
    the data migrations made. They are noted when the test database is migrated and put back after
    each flush, so no test depends on running before a transactional one.
    """
    if sender.label != "reports":  # the last app: every permission exists again by now
        return
    from django.contrib.auth.models import Group, Permission

    from programmes.models import MeetingKind
    from reports.management.commands.create_staff import ROLES

    groups = Group.objects.filter(name__in=ROLES.values())
    if not _roles_as_migrated:
        _roles_as_migrated.update(
            (group.name, list(group.permissions.values_list("content_type__app_label", "codename"))) for group in groups
        )
        _meeting_kinds_as_migrated.extend(MeetingKind.objects.values("pk", "name", "slug", "order", "is_group_meeting"))
        return
    if not MeetingKind.objects.exists():
        MeetingKind.objects.bulk_create(MeetingKind(**row) for row in _meeting_kinds_as_migrated)
    if groups.count() == len(ROLES):
        return
    for name, permissions in _roles_as_migrated.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q()
        for app_label, codename in permissions:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))

