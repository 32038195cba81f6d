"""Check every link's address and record the result, so the pre-publication checklist can show broken links.

Meant to run on a schedule (e.g. nightly cron: `manage.py check_links --older-than 20`).
"""
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone

from programmes.addresses import placeholder_q
from programmes.models import LinkBase

USER_AGENT = "KenniscentrumLinkCheck/1.0 (+https://www.kenniscentrumvlaamsesteden.be)"


def check_url(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, error text). HEAD first; servers that refuse HEAD get a GET."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
                return response.status, ""
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return exc.code, ""
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return None, str(reason)[:200] or exc.__class__.__name__
    return None, "onbekende fout"


class Command(BaseCommand):
    help = "Controleer de adressen van alle links en bewaar het resultaat (voor de controlelijst voor publicatie)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconden per adres (standaard 10).")
        parser.add_argument("--workers", type=int, default=4, help="Aantal adressen tegelijk (standaard 4).")
        parser.add_argument(
            "--older-than", type=float, default=0, metavar="UREN",
            help="Alleen links die langer dan zoveel uur niet gecontroleerd zijn.",
        )

    def handle(self, *, timeout, workers, older_than, **options):
        links = []
        # Every kind of link (track, group, meeting and programme links; links under edition texts).
        for model in (m for m in apps.get_models() if issubclass(m, LinkBase)):
            found = model._default_manager.exclude(placeholder_q()).filter(url__iregex=r"^https?://")
            if older_than:
                cutoff = timezone.now() - timedelta(hours=older_than)
                found = found.filter(checked_at__isnull=True) | found.filter(checked_at__lt=cutoff)
            links += list(found)
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results = list(pool.map(lambda link: check_url(link.url.strip(), timeout), links))
        broken = 0
        now = timezone.now()
        for link, (status, error) in zip(links, results):
            # update() on purpose: a link check is not an editorial change and must not enter the history.
            type(link)._default_manager.filter(pk=link.pk).update(checked_at=now, check_status=status, check_error=error)
            if error or (status or 0) >= 400:
                broken += 1
                self.stdout.write(f"NIET OK  {link.url}  ({status or error})")
        self.stdout.write(f"{len(links)} links gecontroleerd, {broken} niet bereikbaar.")
