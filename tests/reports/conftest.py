"""The two editorial roles, as users, for the tests of the reports app."""
import pytest

from tests.programmes.test_admin_helpers import make_editor


@pytest.fixture
def redacteur(django_user_model):
    return make_editor(django_user_model, "Redacteur")


@pytest.fixture
def eindredacteur(django_user_model):
    return make_editor(django_user_model, "Eindredacteur")
