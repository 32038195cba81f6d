"""The two editorial roles as groups: Redacteur edits, Eindredacteur also publishes."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "programmes": [
        "programmeperiod", "city", "organisation", "programme", "worktrack", "worktrackyear", "workinggroup",
        "groupyear", "meeting", "link", "budget", "budgetline", "fundingsource", "governingbody", "person",
        "position", "communicationfigure",
    ],
    "reports": ["edition", "editionsection", "photocredit", "editionimage"],
}
PUBLISH_PERMISSIONS = [("reports", "publish_edition"), ("programmes", "publish_worktrackyear")]
REDACTEUR, EINDREDACTEUR = "Redacteur", "Eindredacteur"


def _ensure_permissions(apps):
    # On a fresh database permissions are only created after all migrations; make them now.
    for label in CONTENT_MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(pairs):
        found = []
        for app_label, codename in pairs:
            found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        return found

    editing = []
    for app_label, models in CONTENT_MODELS.items():
        for model in models:
            actions = ["add", "change", "view"] + ([] if model == "edition" else ["delete"])
            editing += [(app_label, f"{action}_{model}") for action in actions]

    redacteur, _ = Group.objects.get_or_create(name=REDACTEUR)
    redacteur.permissions.set(perms(editing))
    eindredacteur, _ = Group.objects.get_or_create(name=EINDREDACTEUR)
    eindredacteur.permissions.set(perms(editing + [("reports", "delete_edition")] + PUBLISH_PERMISSIONS))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[REDACTEUR, EINDREDACTEUR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0002_history_link_checks_publish_permission"),
        ("reports", "0002_history_snapshot_erratum_images"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
