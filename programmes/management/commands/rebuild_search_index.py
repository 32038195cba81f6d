from django.core.management.base import BaseCommand

from programmes.models import SearchEntry
from programmes.search.index import rebuild


class Command(BaseCommand):
    help = "Bouwt de zoekindex opnieuw op (na een restore of een wijziging buiten Django om)."

    def handle(self, *args, **options):
        rebuild()
        self.stdout.write(f"Zoekindex opnieuw opgebouwd: {SearchEntry.objects.count()} items.")
