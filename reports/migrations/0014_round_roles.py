"""The round's permissions: both roles assign texts and comment; the Eindredacteur also makes review
links for people without an account and reads the log of reminder mail."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

BOTH = [f"{action}_{model}" for model in ("roundtext", "roundcomment") for action in ("add", "change", "view")]
EINDREDACTEUR = ["delete_roundtext", "delete_roundcomment", "view_sentmail"] + [
    f"{action}_reviewlink" for action in ("add", "change", "view", "delete")
]


def _perms(apps, codenames):
    return list(apps.get_model("auth", "Permission").objects.filter(content_type__app_label="reports", codename__in=codenames))


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Redacteur", "Eindredacteur"]):
        group.permissions.add(*_perms(apps, BOTH))
    for group in Group.objects.filter(name="Eindredacteur"):
        group.permissions.add(*_perms(apps, EINDREDACTEUR))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Redacteur", "Eindredacteur"]):
        group.permissions.remove(*_perms(apps, BOTH + EINDREDACTEUR))


class Migration(migrations.Migration):
    dependencies = [("reports", "0013_yearly_round")]

    operations = [migrations.RunPython(grant, revoke)]
