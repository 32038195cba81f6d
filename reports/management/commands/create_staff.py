import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Maakt een medewerkersaccount (superuser) aan als het nog niet bestaat. Het wachtwoord komt uit "
        "DJANGO_STAFF_PASSWORD of wordt willekeurig gegenereerd en één keer getoond."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)

    def handle(self, *args, username, **options):
        import os

        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Account '{username}' bestaat al; wachtwoord ongewijzigd.")
            return
        password = os.environ.get("DJANGO_STAFF_PASSWORD") or secrets.token_urlsafe(18)
        if len(password) < 12:
            raise CommandError("DJANGO_STAFF_PASSWORD moet minstens 12 tekens lang zijn.")
        User.objects.create_superuser(username=username, email="", password=password)
        if os.environ.get("DJANGO_STAFF_PASSWORD"):
            self.stdout.write(self.style.SUCCESS(f"Account '{username}' aangemaakt met het wachtwoord uit DJANGO_STAFF_PASSWORD."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Account '{username}' aangemaakt. Wachtwoord (wordt maar één keer getoond): {password}"))
