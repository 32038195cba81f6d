from django.core.management.base import BaseCommand

from kenniscentrum.pagecache import content_changed


class Command(BaseCommand):
    help = "Maakt alle gecachete pagina's ongeldig (na een restore of een wijziging buiten Django om)."

    def handle(self, *args, **options):
        content_changed()
        self.stdout.write("Paginacache ongeldig gemaakt.")
