from django.core.management.base import BaseCommand, CommandError

from reports.demo import DemoDataError, load_demo


class Command(BaseCommand):
    help = "Laadt de demo-inhoud (jaarplannen 2020 en 2024, jaarverslagen 2024 en 2025) uit demo/*.yaml. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", metavar="BESTAND", help="Alleen dit bestand (plus 00-base.yaml) laden.")

    def handle(self, *args, only=None, **options):
        try:
            stats = load_demo(only=set(only) if only else None)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Demo-inhoud geladen: {stats}."))
