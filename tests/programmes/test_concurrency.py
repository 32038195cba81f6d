"""Two editors saving the same object at the same instant: one wins, the other is told, nobody is overwritten.

Runs against the real database (committed transactions, one connection per thread), so on SQLite it
exercises BEGIN IMMEDIATE with the busy timeout and on PostgreSQL the row lock of the staleness check.
"""
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from programmes.forms import EditorialForm
from programmes.models import WorkTrackYear
from tests.factories import make_track_year
from tests.programmes.test_admin_helpers import admin_form_data, make_editor

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_saves_one_wins_the_other_gets_the_someone_else_saved_message(
    django_user_model, monkeypatch, transactional_db,
):
    ty = make_track_year(report_text="<p>Oorspronkelijke tekst.</p>")
    url = reverse("admin:programmes_worktrackyear_change", args=[ty.pk])
    clients, forms = [], []
    for name in ("anna", "ben"):
        client = Client()
        client.force_login(make_editor(django_user_model, username=name))
        forms.append(admin_form_data(client.get(url)))
        clients.append(client)
    forms[0]["report_text"] = "<p>Tekst van Anna.</p>"
    forms[1]["report_text"] = "<p>Tekst van Ben.</p>"

    # Widen the window between "check that nobody saved since the form was opened" and "save":
    # without a lock both saves would read the old row here and both would pass.
    original = EditorialForm._stored

    def slow_stored(form):
        first_time = not hasattr(form, "_stored_instance")
        stored = original(form)
        if first_time and form.instance.pk:
            time.sleep(0.4)
        return stored

    monkeypatch.setattr(EditorialForm, "_stored", slow_stored)

    start, results = threading.Barrier(2), [None, None]

    def save(i):
        try:
            start.wait()
            response = clients[i].post(url, forms[i])
            results[i] = (response.status_code, response.content.decode())
        except Exception as exc:  # a 500 would surface here as an exception from the test client
            results[i] = (500, repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    statuses = sorted(status for status, _html in results)
    assert statuses == [200, 302], [(s, h[:300]) for s, h in results]
    loser_html = next(html for status, html in results if status == 200)
    assert "Iemand anders heeft dit item bewaard nadat u het opende" in loser_html
    winner = 0 if results[0][0] == 302 else 1
    expected = ["<p>Tekst van Anna.</p>", "<p>Tekst van Ben.</p>"][winner]
    assert WorkTrackYear.objects.get(pk=ty.pk).report_text == expected
