from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand

from reports.models import Edition
from reports.tasks import edition_pdf_render


class Command(BaseCommand):
    help = (
        "Zet de PDF van elke gepubliceerde editie in de wachtrij (na een release die de opmaak wijzigt, "
        "of na load_demo), zodat geen bezoeker op het renderen wacht."
    )

    def handle(self, *args, **options):
        editions = Edition.objects.visible_to(AnonymousUser()).order_by("-year", "kind")
        for edition in editions:
            edition_pdf_render.enqueue(edition.pk)
        self.stdout.write(f"{len(editions)} PDF('s) in de wachtrij gezet.")
