"""Helpers (no tests) for the workflow tests: users in the editorial groups and admin form data."""
from html.parser import HTMLParser

from django.contrib.auth.models import Group


def make_editor(django_user_model, role="Redacteur", username=None):
    user = django_user_model.objects.create_user(username=username or role.lower(), password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


class _FormParser(HTMLParser):
    """Collects the values a browser would submit for the admin's main form."""

    def __init__(self):
        super().__init__()
        self.data, self._in_form, self._textarea, self._select, self._selected = {}, False, None, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image"):
                self.data.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select, self._selected = name, []
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea:  # (a textarea without a name is not sent)
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value[1:] if value.startswith("\n") else value  # as browsers do
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def admin_form_data(response) -> dict:
    """The submit data of an admin change form as the browser would send it (lists for multi-values)."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    return {k: (v if len(v) != 1 else v[0]) for k, v in parser.data.items()}


def admin_submit(client, url: str, changes: dict):
    """GET an admin form, change some fields, POST it back with everything else as rendered (inlines too)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {k: v for k, v in admin_form_data(page).items() if v != []}
    data.update(changes)
    return client.post(url, data)
