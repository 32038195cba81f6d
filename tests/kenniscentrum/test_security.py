"""Site-wide protections: login throttling, Content-Security-Policy, deployment settings, staff accounts."""
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kenniscentrum.security import client_ip
from tests.factories import make_edition

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "juist-wachtwoord-2024"


@pytest.fixture
def account(django_user_model):
    return django_user_model.objects.create_user(username="anna", password=PASSWORD, is_staff=True)


def _login(client, password, **extra):
    return client.post(reverse("admin:login"), {"username": "anna", "password": password, "next": "/admin/"}, **extra)


def test_account_is_locked_after_five_wrong_passwords_even_for_the_right_one(client, account, caplog):
    caplog.set_level(logging.INFO, logger="axes")
    for _ in range(5):
        assert _login(client, "fout").status_code in (200, 429)
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "Aanmelden tijdelijk geblokkeerd" in response.content.decode()
    assert "15 minuten" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("failed" in r.getMessage().lower() for r in caplog.records if r.name.startswith("axes"))


def test_right_password_before_the_limit_still_works(client, account):
    for _ in range(3):
        _login(client, "fout")
    assert _login(client, PASSWORD).status_code == 302
    assert client.session.get("_auth_user_id") == str(account.pk)


def test_lockout_is_per_address_behind_a_proxy(settings, account):
    settings.BEHIND_PROXY = True
    attacker, colleague = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        _login(attacker, "fout", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert _login(attacker, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # The same account from another client address behind the same proxy is not locked out.
    assert _login(colleague, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_one_address_guessing_across_many_account_names_is_locked_out(client, settings, account):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for name in ("bert", "carla", "dirk", "els"):  # one wrong guess each: never five for one account
        client.post(reverse("admin:login"), {"username": name, "password": "fout", "next": "/admin/"})

    response = _login(client, PASSWORD)  # even the right password of a real account

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _login(Client(REMOTE_ADDR="198.51.100.7"), PASSWORD).status_code == 302  # other addresses log in


def test_lockout_page_is_the_same_for_existing_and_unknown_accounts(settings, account):
    def locked_out_page(username):
        visitor = Client(REMOTE_ADDR=f"198.51.100.{len(username)}")
        for _ in range(6):
            response = visitor.post(reverse("admin:login"), {"username": username, "password": "fout", "next": "/admin/"})
        return response.status_code, response.content

    assert locked_out_page("anna") == locked_out_page("niemand-hier")


def test_an_editor_session_ends_after_a_working_day_without_requests(staff_client, settings):
    response = staff_client.get("/admin/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]

    assert settings.SESSION_COOKIE_AGE == 9 * 3600
    assert cookie["max-age"] == 9 * 3600  # renewed with every request: nine hours from the last one
    assert staff_client.session.get_expiry_age() == 9 * 3600


def test_client_address_is_the_one_the_trusted_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    assert client_ip(request) == "203.0.113.9"  # the forged 6.6.6.6 sent by the client is ignored


@pytest.mark.parametrize("url", ["/", "/jaarverslag/2024/", "/admin/login/"])
def test_content_security_policy_forbids_inline_and_foreign_scripts(client, url):
    make_edition(year=2024)
    response = client.get(url)
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_public_and_admin_pages_have_no_inline_scripts(client, staff_client):
    import re

    make_edition(year=2024)
    pages = [client.get(u) for u in ("/", "/jaarverslag/2024/", "/kalender/")]
    pages += [staff_client.get(u) for u in ("/admin/", "/admin/programmes/worktrack/add/", "/admin/reports/edition/")]
    for response in pages:
        for attrs in re.findall(r"<script\b([^>]*)>", response.content.decode()):
            # A data block (JSON, JSON-LD) is never run by a browser; anything else must come from a file.
            assert "src=" in attrs or attrs.strip() in ('type="application/json"', 'type="application/ld+json"'), attrs


def _settings_in_production(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update({"DJANGO_SECRET_KEY": "x" * 60 + "-production-check", "DJANGO_ALLOWED_HOSTS": "kenniscentrum.example", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT, env={**environment, "DJANGO_SETTINGS_MODULE": "kenniscentrum.settings"}, capture_output=True, text=True,
    )


def test_deploy_check_is_clean_and_hsts_preload_is_opt_in():
    check = _settings_in_production(
        "from django.core.management import call_command; call_command('check', deploy=True, fail_level='WARNING')"
    )
    assert check.returncode == 0, check.stderr
    show = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)"
    assert _settings_in_production(show).stdout.strip() == "False"
    assert _settings_in_production(show, DJANGO_HSTS_PRELOAD="1").stdout.strip() == "True"


def test_create_staff_makes_a_redacteur_by_default_and_a_superuser_only_when_asked(django_user_model, monkeypatch):
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "een-lang-genoeg-wachtwoord")
    call_command("create_staff", username="nieuw")
    user = django_user_model.objects.get(username="nieuw")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Redacteur"]

    call_command("create_staff", username="chef", role="eindredacteur")
    assert django_user_model.objects.get(username="chef").groups.get() == Group.objects.get(name="Eindredacteur")

    call_command("create_staff", username="beheer", superuser=True)
    assert django_user_model.objects.get(username="beheer").is_superuser
