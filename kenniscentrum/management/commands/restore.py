from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kenniscentrum.backup import ArchiveError
from kenniscentrum.services import archive_restore


class Command(BaseCommand):
    help = (
        "Zet een back-up van `manage.py backup` terug in een lege, gemigreerde database (SQLite of PostgreSQL) "
        "en de mediamap, maakt de paginacache ongeldig en bouwt de zoekindex opnieuw op. Een database die al "
        "inhoud heeft wordt alleen met --replace overschreven. Bij een fout blijft alles zoals het was."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="het archief, gemaakt met `manage.py backup`")
        parser.add_argument("--replace", action="store_true", help="vervang de gegevens die al in de database staan")

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            manifest = archive_restore(path=file, replace=replace)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Teruggezet uit {file} (gemaakt {manifest['created']} op {manifest['database']}, versie "
            f"{manifest['app_version']}): {rows} rijen, {len(manifest['files']) - 1} mediabestanden. "
            "Paginacache ongeldig gemaakt, zoekindex opnieuw opgebouwd."
        )
