from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kenniscentrum.backup import backup_write


class Command(BaseCommand):
    help = (
        "Schrijft een back-up van de hele site naar één bestand: alle inhoud met haar geschiedenis, gebruikers "
        "en rollen, en de geüploade media. Terugzetten met `manage.py restore BESTAND`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="het archief dat geschreven wordt, bv. kc-2026-03-01.zip")

    def handle(self, *args, file: Path, **options):
        if not file.parent.is_dir():
            raise CommandError(f"De map {file.parent} bestaat niet.")
        try:
            manifest = backup_write(file)
        except OSError as error:
            raise CommandError(f"De back-up kon niet geschreven worden: {error}") from None
        rows = sum(manifest["counts"].values())
        media = len(manifest["files"]) - 1
        self.stdout.write(f"Back-up geschreven naar {file}: {rows} rijen in {len(manifest['counts'])} tabellen, {media} mediabestanden.")
