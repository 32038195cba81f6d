from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.conf import settings

from reports.models import Edition
from reports.round import editions_in_round
from reports.services import review_link_create


class Command(BaseCommand):
    help = (
        "Maakt een nalezingslink voor een editie in voorbereiding en toont het adres (één keer). "
        "Standaard de nieuwste editie in voorbereiding, namens --by (een eindredacteur)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--by", required=True, help="gebruikersnaam van de eindredacteur die de link maakt")
        parser.add_argument("--name", required=True, help="naam van de nalezer")
        parser.add_argument("--email", required=True, help="e-mailadres van de nalezer")
        parser.add_argument("--organisation", default="")
        parser.add_argument("--edition", help="bv. jaarverslag-2026 (standaard: de nieuwste in voorbereiding)")
        parser.add_argument("--days", type=int, default=settings.REVIEW_LINK_DAYS)

    def handle(self, *args, by, name, email, organisation, edition, days, **options):
        user = get_user_model().objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"Geen account '{by}'.")
        if edition:
            kind_label, _sep, year = edition.partition("-")
            kinds = {"jaarplan": Edition.Kind.PLAN, "jaarverslag": Edition.Kind.REPORT}
            if kind_label not in kinds or not year.isdigit():
                raise CommandError("Geef de editie als jaarplan-JJJJ of jaarverslag-JJJJ.")
            target = Edition.objects.filter(kind=kinds[kind_label], year=int(year)).first()
        else:
            target = editions_in_round().first()
        if target is None:
            raise CommandError("Geen editie in voorbereiding gevonden.")
        try:
            link, token = review_link_create(
                edition=target, name=name, email=email, organisation=organisation, valid_days=days, by=user,
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        url = settings.SITE_URL.rstrip("/") + reverse("reports:review", args=[token])
        self.stdout.write(self.style.SUCCESS(f"Nalezingslink voor {link.name} ({target}), geldig tot {link.expires_at:%d-%m-%Y}:"))
        self.stdout.write(url)
