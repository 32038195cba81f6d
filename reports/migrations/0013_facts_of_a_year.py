"""Both editorial roles may add, change, view and delete the new reference data and facts of a year."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Redacteur", "Eindredacteur"]
MODELS = ["meetingkind"]
CODENAMES = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view", "delete")]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("programmes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    perms = list(Permission.objects.filter(content_type__app_label="programmes", codename__in=CODENAMES))
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="programmes", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_edition_image_entry"), ("programmes", "0014_meeting_kinds")]

    operations = [migrations.RunPython(grant, revoke)]
