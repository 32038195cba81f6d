
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


# The kinds as they were fixed in the code (slug, name); "meeting" is the one that counts as the group coming together.
KINDS = [
    ("meeting", "vergadering"), ("workshop", "workshop"), ("study_day", "studiedag"), ("info_session", "infosessie"),
    ("masterclass", "masterclass"), ("network_day", "netwerkdag"), ("training", "opleiding"), ("conference", "congres"),
    ("study_trip", "studiereis"), ("launch", "lancering"), ("session", "sessie"), ("other", "andere"),
]


def kinds_to_rows(apps, schema_editor):
    MeetingKind = apps.get_model("programmes", "MeetingKind")
    ids = {}
    for order, (slug, name) in enumerate(KINDS, start=1):
        kind, _created = MeetingKind.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order * 10, "is_group_meeting": slug == "meeting"},
        )
        ids[slug] = kind.pk
    for model in ("Meeting", "HistoricalMeeting"):
        Model = apps.get_model("programmes", model)
        for slug in Model.objects.values_list("kind", flat=True).distinct():
            if slug not in ids:  # a value outside the fixed list cannot exist, but is kept rather than lost
                ids[slug] = MeetingKind.objects.create(slug=slug, name=slug, order=999).pk
            Model.objects.filter(kind=slug).update(kind_ref=ids[slug])


def rows_to_kinds(apps, schema_editor):
    MeetingKind = apps.get_model("programmes", "MeetingKind")
    slugs = dict(MeetingKind.objects.values_list("pk", "slug"))
    for model in ("Meeting", "HistoricalMeeting"):
        Model = apps.get_model("programmes", model)
        for pk in Model.objects.values_list("kind_ref", flat=True).distinct():
            Model.objects.filter(kind_ref=pk).update(kind=slugs.get(pk, "other"))


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0013_search_entry_digest'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text="Zoals het in een lijst staat, bv. 'excursie'.", max_length=80, unique=True, verbose_name='naam')),
                ('slug', models.SlugField(max_length=40, unique=True, verbose_name='slug')),
                ('order', models.PositiveSmallIntegerField(default=0, help_text='Volgorde in de keuzelijsten.', verbose_name='volgorde')),
                ('is_group_meeting', models.BooleanField(default=False, help_text="Aanvinken voor een gewone vergadering van een werkgroep: alleen die tellen mee in 'de werkgroep kwam … keer samen'. Workshops, studiedagen en lanceringen tellen niet mee.", verbose_name='telt als bijeenkomst')),
            ],
            options={
                'verbose_name': 'soort activiteit',
                'verbose_name_plural': 'soorten activiteiten',
                'ordering': ['order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalMeetingKind',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, help_text="Zoals het in een lijst staat, bv. 'excursie'.", max_length=80, verbose_name='naam')),
                ('slug', models.SlugField(max_length=40, verbose_name='slug')),
                ('order', models.PositiveSmallIntegerField(default=0, help_text='Volgorde in de keuzelijsten.', verbose_name='volgorde')),
                ('is_group_meeting', models.BooleanField(default=False, help_text="Aanvinken voor een gewone vergadering van een werkgroep: alleen die tellen mee in 'de werkgroep kwam … keer samen'. Workshops, studiedagen en lanceringen tellen niet mee.", verbose_name='telt als bijeenkomst')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical soort activiteit',
                'verbose_name_plural': 'historical soorten activiteiten',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # The fixed kinds become rows with the same slugs, so addresses such as ?soort=workshop keep working.
        migrations.AddField(
            model_name='meeting',
            name='kind_ref',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programmes.meetingkind'),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='kind_ref',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.meetingkind'),
        ),
        migrations.RunPython(kinds_to_rows, rows_to_kinds),
        migrations.RemoveField(model_name='meeting', name='kind'),
        migrations.RemoveField(model_name='historicalmeeting', name='kind'),
        migrations.RenameField(model_name='meeting', old_name='kind_ref', new_name='kind'),
        migrations.RenameField(model_name='historicalmeeting', old_name='kind_ref', new_name='kind'),
        migrations.AlterField(
            model_name='historicalmeeting',
            name='kind',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="Staat de soort er niet bij? Voeg ze toe onder 'Soorten activiteiten'.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.meetingkind', verbose_name='soort'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='kind',
            field=models.ForeignKey(help_text="Staat de soort er niet bij? Voeg ze toe onder 'Soorten activiteiten'.", on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='programmes.meetingkind', verbose_name='soort'),
        ),
    ]
