"""Both editorial roles may edit the new reference data and facts of a year; an edition's own headings and choices."""
import programmes.addresses
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLES = ["Redacteur", "Eindredacteur"]
MODELS = ["meetingkind", "result", "externalfunding"]
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
    dependencies = [("reports", "0014_round_roles"), ("programmes", "0015_meeting_kinds_results_funding")]

    operations = [
        migrations.RunPython(grant, revoke),
        # What an edition takes from its own document: its headings, whether it names who takes part, earlier years.
        migrations.AddField(
            model_name='edition',
            name='budget_title',
            field=models.CharField(default='Afrekening', help_text="Jaarverslag: de kop boven het budget, in de inhoudstafel en op de pagina, zoals het document hem schrijft, bv. 'Afrekening 2025'.", max_length=80, verbose_name='kop afrekening'),
        ),
        migrations.AddField(
            model_name='edition',
            name='foreword_title',
            field=models.CharField(default='Voorwoord', help_text="Zoals het document het noemt, bv. 'Woord vooraf'.", max_length=80, verbose_name='kop voorwoord'),
        ),
        migrations.AddField(
            model_name='edition',
            name='show_earlier_years',
            field=models.BooleanField(default=False, help_text='Het budget en de communicatiecijfers van vorige jaren als grafiek naast die van dit jaar. Uit als het document alleen de cijfers van zijn eigen jaar geeft.', verbose_name='vorige jaren tonen'),
        ),
        migrations.AddField(
            model_name='edition',
            name='show_participants',
            field=models.BooleanField(default=False, help_text='Onder elk werkspoor de trekkende steden en de partners vermelden, zoals ze bij het werkspoor staan.', verbose_name='trekkers en partners tonen'),
        ),
        migrations.AddField(
            model_name='historicaledition',
            name='budget_title',
            field=models.CharField(default='Afrekening', help_text="Jaarverslag: de kop boven het budget, in de inhoudstafel en op de pagina, zoals het document hem schrijft, bv. 'Afrekening 2025'.", max_length=80, verbose_name='kop afrekening'),
        ),
        migrations.AddField(
            model_name='historicaledition',
            name='foreword_title',
            field=models.CharField(default='Voorwoord', help_text="Zoals het document het noemt, bv. 'Woord vooraf'.", max_length=80, verbose_name='kop voorwoord'),
        ),
        migrations.AddField(
            model_name='historicaledition',
            name='show_earlier_years',
            field=models.BooleanField(default=False, help_text='Het budget en de communicatiecijfers van vorige jaren als grafiek naast die van dit jaar. Uit als het document alleen de cijfers van zijn eigen jaar geeft.', verbose_name='vorige jaren tonen'),
        ),
        migrations.AddField(
            model_name='historicaledition',
            name='show_participants',
            field=models.BooleanField(default=False, help_text='Onder elk werkspoor de trekkende steden en de partners vermelden, zoals ze bij het werkspoor staan.', verbose_name='trekkers en partners tonen'),
        ),
        migrations.AlterField(
            model_name='edition',
            name='published_at',
            field=models.DateTimeField(blank=True, help_text='De publicatiedatum zoals ze op de editie staat; bij publiceren gevraagd. Leeg als ze niet gekend is: dan staat er geen datum op de editie.', null=True, verbose_name='gepubliceerd op'),
        ),
        migrations.AlterField(
            model_name='edition',
            name='subtitle',
            field=models.CharField(blank=True, help_text="Alleen als de cover van het document er een heeft, bv. 'Interlokale Vereniging Kenniscentrum Vlaamse Steden'.", max_length=200, verbose_name='ondertitel'),
        ),
        migrations.AlterField(
            model_name='historicaledition',
            name='published_at',
            field=models.DateTimeField(blank=True, help_text='De publicatiedatum zoals ze op de editie staat; bij publiceren gevraagd. Leeg als ze niet gekend is: dan staat er geen datum op de editie.', null=True, verbose_name='gepubliceerd op'),
        ),
        migrations.AlterField(
            model_name='historicaledition',
            name='subtitle',
            field=models.CharField(blank=True, help_text="Alleen als de cover van het document er een heeft, bv. 'Interlokale Vereniging Kenniscentrum Vlaamse Steden'.", max_length=200, verbose_name='ondertitel'),
        ),
        # A reference without an address is shown as text.
        migrations.AlterField(
            model_name='historicalsectionlink',
            name='url',
            field=models.CharField(blank=True, help_text="Een volledig adres (https://…). Leeg of '#' betekent: adres nog niet gekend; zo'n verwijzing wordt voor publicatie gemeld en verschijnt als tekst zonder link.", max_length=500, validators=[programmes.addresses.validate_link_url], verbose_name='adres (URL)'),
        ),
        migrations.AlterField(
            model_name='sectionlink',
            name='url',
            field=models.CharField(blank=True, help_text="Een volledig adres (https://…). Leeg of '#' betekent: adres nog niet gekend; zo'n verwijzing wordt voor publicatie gemeld en verschijnt als tekst zonder link.", max_length=500, validators=[programmes.addresses.validate_link_url], verbose_name='adres (URL)'),
        ),
    ]
