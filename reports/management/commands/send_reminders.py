from django.core.management.base import BaseCommand, CommandError

from reports.services import reminders_send


class Command(BaseCommand):
    help = (
        "Stuurt de herinneringen van de ronde: per persoon hoogstens één e-mail per dag, nooit twee keer dezelfde "
        "herinnering. Veilig om elk uur te draaien (bv. met cron). --dry-run toont wat verstuurd zou worden."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="niets versturen of bewaren, alleen tonen")

    def handle(self, *args, dry_run, **options):
        try:
            digests = reminders_send(dry_run=dry_run)
        except Exception as exc:  # noqa: BLE001 - a cron job should say in one line what went wrong
            raise CommandError(f"Herinneringen niet verstuurd: {exc}") from exc
        for digest in digests:
            self.stdout.write(f"{'Zou sturen' if dry_run else 'Verstuurd'} aan {digest.user.email}: {digest.subject}")
            if dry_run:
                self.stdout.write(digest.body + "\n")
        if not digests:
            self.stdout.write("Geen herinneringen te versturen.")
