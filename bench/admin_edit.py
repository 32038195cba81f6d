"""Edit a work track's title through the admin of one instance, as a browser would: a real login and POST.

    python bench/admin_edit.py http://127.0.0.1:55411 <username> <track-slug> "<new title>"

The password comes from DJANGO_STAFF_PASSWORD. Standard library only, with its own cookie handling:
the site marks its cookies Secure, which cookie jars refuse to send back over the plain HTTP of a
loopback benchmark.
"""
import http.client
import os
import re
import sys
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


class Browser:
    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port, self.origin = parts.hostname, parts.port or 80, base_url.rstrip("/")
        self.cookies = SimpleCookie()

    def request(self, method: str, path: str, fields=None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items()), "Referer": self.origin + path}
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, dict(response.headers), text


class FormParser(HTMLParser):
    """The values a browser would submit for the admin's main form (the one with a csrf token)."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.textarea, self.select = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form or not a.get("name") and tag != "option":
            return
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select":
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select].append(a.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


class Editor:
    """A member of the editorial team logged in to one instance's admin."""

    def __init__(self, base_url: str, username: str):
        self.base_url, self.browser = base_url, Browser(base_url)
        status, _headers, html = self.browser.request("GET", "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _headers, _ = self.browser.request("POST", "/admin/login/?next=/admin/", {
            "csrfmiddlewaretoken": token, "username": username, "password": os.environ["DJANGO_STAFF_PASSWORD"],
            "next": "/admin/",
        })
        if status != 302:
            raise SystemExit(f"login failed: HTTP {status}")

    def track_change_url(self, slug: str) -> str:
        _status, _headers, html = self.browser.request("GET", f"/admin/programmes/worktrack/?q={slug}")
        match = re.search(r'href="(/admin/programmes/worktrack/\d+/change/)[^"]*"', html)
        if not match:
            raise SystemExit(f"track {slug} not found in the admin")
        return match.group(1)

    def save_title(self, change_url: str, title: str) -> None:
        """Open the change form and save it with a new title; returns once the save is committed."""
        _status, _headers, html = self.browser.request("GET", change_url)
        parser = FormParser()
        parser.feed(html)
        fields = parser.data
        fields["title"] = [title]
        fields["_save"] = ["Opslaan"]
        status, _headers, body = self.browser.request("POST", change_url, fields)
        if status != 302:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S)
            raise SystemExit(f"save failed: HTTP {status} {errors[:3]}")


def main():
    base_url, username, slug, title = sys.argv[1:5]
    editor = Editor(base_url, username)
    change_url = editor.track_change_url(slug)
    editor.save_title(change_url, title)
    print(f"saved through {base_url}{change_url}: title is now {title!r}")


if __name__ == "__main__":
    main()
