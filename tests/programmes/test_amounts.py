"""Amounts typed the Belgian way in the back-office are stored exactly, or refused in Dutch."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from programmes.amounts import parse_amount
from programmes.models import Budget, BudgetLine
from tests.programmes.test_admin_helpers import admin_submit
from tests.factories import make_budget

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(username="budget", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Redacteur"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("typed", ["354.767,87", "354767,87", "354767.87", " 354 767,87 ", "€ 354.767,87"])
def test_budget_total_typed_the_belgian_way_is_stored_exactly(editor, typed):
    response = admin_submit(editor, reverse("admin:programmes_budget_add"), {"year": "2031", "total": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Budget.objects.get(year=2031).total == Decimal("354767.87")
    shown = " ".join(str(m) for m in editor.get(response["Location"]).context["messages"])
    assert "354.767,87 euro" in shown


def test_change_list_shows_amounts_formatted(editor):
    make_budget(year=2030, total="1026647.54")
    html = editor.get(reverse("admin:programmes_budget_changelist")).content.decode()
    assert "1.026.647,54 euro" in html


@pytest.mark.parametrize("typed, message", [
    ("354.767", "niet eenduidig"),
    ("1,2,3", "niet eenduidig"),
    ("35 euro en 5 cent", "geen bedrag"),
    ("-12,50", "niet negatief"),
])
def test_unclear_amount_is_refused_in_dutch_and_nothing_is_saved(editor, typed, message):
    response = admin_submit(editor, reverse("admin:programmes_budget_add"), {"year": "2032", "total": typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Budget.objects.filter(year=2032).exists()


def test_amount_inputs_are_text_inputs_showing_the_stored_value_the_belgian_way(editor):
    budget = make_budget(year=2029, total="536718.78")
    html = editor.get(reverse("admin:programmes_budget_change", args=[budget.pk])).content.decode()
    import re

    total = re.search(r'<input[^>]*name="total"[^>]*>', html).group(0)
    assert 'type="text"' in total and 'inputmode="decimal"' in total and 'value="536.718,78"' in total


def test_budget_line_amounts_in_the_inline_follow_the_same_rule(editor):
    budget = make_budget(year=2028, total="1000")
    url = reverse("admin:programmes_budget_change", args=[budget.pk])
    response = admin_submit(editor, url, {
        "lines-TOTAL_FORMS": "1", "lines-0-label": "Programma OBMi", "lines-0-planned": "12.500,5",
        "lines-0-actual": "12500.50", "lines-0-order": "0", "lines-0-budget": str(budget.pk),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    line = BudgetLine.objects.get(budget=budget)
    assert line.planned == Decimal("12500.50") and line.actual == Decimal("12500.50")


@pytest.mark.parametrize("typed, value", [
    ("1.026.647,54", Decimal("1026647.54")), ("1.026.647", Decimal("1026647")), ("12,5", Decimal("12.5")),
    ("0,99", Decimal("0.99")), ("354767", Decimal("354767")),
])
def test_parse_amount_reads_belgian_spellings(typed, value):
    assert parse_amount(typed) == value
