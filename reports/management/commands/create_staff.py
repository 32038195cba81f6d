import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

ROLES = {"redacteur": "Redacteur", "eindredacteur": "Eindredacteur"}


class Command(BaseCommand):
    help = (
        "Maakt een medewerkersaccount aan als het nog niet bestaat: standaard met de rol Redacteur, met "
        "--role eindredacteur als eindredacteur, en alleen met --superuser als beheerder met alle rechten. "
        "Het wachtwoord komt uit DJANGO_STAFF_PASSWORD of wordt willekeurig gegenereerd en één keer getoond."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", choices=sorted(ROLES), default="redacteur", help="redacteur (standaard) of eindredacteur")
        parser.add_argument("--superuser", action="store_true", help="een beheerder met alle rechten (alleen als het echt moet)")

    def handle(self, *args, username, role, superuser, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Account '{username}' bestaat al; wachtwoord en rol ongewijzigd.")
            return
        from_env = os.environ.get("DJANGO_STAFF_PASSWORD")
        password = from_env or secrets.token_urlsafe(18)
        if len(password) < 12:
            raise CommandError("DJANGO_STAFF_PASSWORD moet minstens 12 tekens lang zijn.")
        if superuser:
            User.objects.create_superuser(username=username, email="", password=password)
            what = "beheerder (superuser)"
        else:
            group = Group.objects.filter(name=ROLES[role]).first()
            if group is None:
                raise CommandError("De redactierollen ontbreken: voer eerst 'manage.py migrate' uit.")
            user = User.objects.create_user(username=username, email="", password=password, is_staff=True)
            user.groups.add(group)
            what = ROLES[role].lower()
        if from_env:
            self.stdout.write(self.style.SUCCESS(f"Account '{username}' ({what}) aangemaakt met het wachtwoord uit DJANGO_STAFF_PASSWORD."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Account '{username}' ({what}) aangemaakt. Wachtwoord (wordt maar één keer getoond): {password}"
            ))
