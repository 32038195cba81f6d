"""Kinds of activity as rows editors extend; results per track and year; external funding of a track."""
import programmes.addresses
import django.core.validators
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
    _check_now(schema_editor)


def rows_to_kinds(apps, schema_editor):
    MeetingKind = apps.get_model("programmes", "MeetingKind")
    slugs = dict(MeetingKind.objects.values_list("pk", "slug"))
    for model in ("Meeting", "HistoricalMeeting"):
        Model = apps.get_model("programmes", model)
        for pk in Model.objects.values_list("kind_ref", flat=True).distinct():
            Model.objects.filter(kind_ref=pk).update(kind=slugs.get(pk, "other"))
    _check_now(schema_editor)


def _check_now(schema_editor):
    """PostgreSQL checks the new foreign key at commit; the columns are altered after these updates in the
    same transaction, which it refuses while such checks are pending. Check them now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0014_approved_text_status'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text="Zoals het in een lijst staat, bv. 'excursie'.", max_length=80, unique=True, verbose_name='naam')),
                ('slug', models.SlugField(max_length=40, unique=True, verbose_name='webadres')),
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
                ('slug', models.SlugField(max_length=40, verbose_name='webadres')),
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
        # Results per track and year, external funding of a track, and whether a jaarverslag mentions an activity.
        migrations.AddField(
            model_name='historicalmeeting',
            name='in_report',
            field=models.BooleanField(default=True, help_text='Uitvinken als het jaarverslag van dat jaar deze activiteit niet vermeldt (bv. pas een later jaarverslag): ze blijft in de kalender en bij de werkgroep of het werkspoor.', verbose_name='in het jaarverslag'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='in_report',
            field=models.BooleanField(default=True, help_text='Uitvinken als het jaarverslag van dat jaar deze activiteit niet vermeldt (bv. pas een later jaarverslag): ze blijft in de kalender en bij de werkgroep of het werkspoor.', verbose_name='in het jaarverslag'),
        ),
        migrations.CreateModel(
            name='HistoricalExternalFunding',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, help_text='Leeg als de bron het bedrag niet noemt.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='bedrag (euro)')),
                ('source', models.CharField(blank=True, help_text="Anders of aanvullend in woorden, bv. 'Vlaamse subsidie City Deals' of 'LIFE-programma van de EU'.", max_length=200, verbose_name='bron')),
                ('start_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(2000)], verbose_name='van')),
                ('end_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(2000)], verbose_name='tot en met')),
                ('note', models.CharField(blank=True, max_length=250, verbose_name='toelichting')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='volgorde')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, help_text='De organisatie die de middelen geeft, als ze bij de partners staat.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.organisation', verbose_name='verstrekt door')),
                ('track', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.worktrack', verbose_name='werkspoor of project')),
            ],
            options={
                'verbose_name': 'historical externe financiering',
                'verbose_name_plural': 'historical externe financiering',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalResult',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('label', models.CharField(help_text="Wat er geteld wordt, bv. 'fiches', 'interviews', 'kandidaturen', 'geselecteerde projecten'.", max_length=200, verbose_name='resultaat')),
                ('unit', models.CharField(blank=True, help_text="Alleen als het geen aantal is, bv. 'euro', '%' of 'uur'.", max_length=40, verbose_name='eenheid')),
                ('target', models.DecimalField(blank=True, decimal_places=2, help_text='Wat het jaarplan vooropstelt; leeg als het jaarplan geen doel noemt.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='doel (jaarplan)')),
                ('achieved', models.DecimalField(blank=True, decimal_places=2, help_text='Wat het jaarverslag meldt; leeg zolang het niet gekend is.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='gerealiseerd (jaarverslag)')),
                ('date', models.DateField(blank=True, help_text='Alleen als de precieze dag gekend is, bv. van een oplevering.', null=True, verbose_name='datum')),
                ('note', models.CharField(blank=True, max_length=250, verbose_name='toelichting')),
                ('is_key_figure', models.BooleanField(default=False, help_text="Verschijnt in 'Het jaar in cijfers' van het jaarverslag.", verbose_name='kerncijfer')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='volgorde')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('track_year', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.worktrackyear', verbose_name='werkspoor per jaar')),
            ],
            options={
                'verbose_name': 'historical resultaat',
                'verbose_name_plural': 'historical resultaten',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ExternalFunding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, help_text='Leeg als de bron het bedrag niet noemt.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='bedrag (euro)')),
                ('source', models.CharField(blank=True, help_text="Anders of aanvullend in woorden, bv. 'Vlaamse subsidie City Deals' of 'LIFE-programma van de EU'.", max_length=200, verbose_name='bron')),
                ('start_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(2000)], verbose_name='van')),
                ('end_year', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(2000)], verbose_name='tot en met')),
                ('note', models.CharField(blank=True, max_length=250, verbose_name='toelichting')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='volgorde')),
                ('organisation', models.ForeignKey(blank=True, help_text='De organisatie die de middelen geeft, als ze bij de partners staat.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='fundings', to='programmes.organisation', verbose_name='verstrekt door')),
                ('track', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fundings', to='programmes.worktrack', verbose_name='werkspoor of project')),
            ],
            options={
                'verbose_name': 'externe financiering',
                'verbose_name_plural': 'externe financiering',
                'ordering': ['order', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__isnull', True), ('amount__gte', 0), _connector='OR'), name='externalfunding_amount_not_negative'), models.CheckConstraint(condition=models.Q(('organisation__isnull', True), ('source', ''), _negated=True), name='funding_has_a_source'), models.CheckConstraint(condition=models.Q(('end_year__isnull', True), ('start_year__isnull', True), ('end_year__gte', models.F('start_year')), _connector='OR'), name='funding_end_not_before_start')],
            },
        ),
        migrations.CreateModel(
            name='Result',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(help_text="Wat er geteld wordt, bv. 'fiches', 'interviews', 'kandidaturen', 'geselecteerde projecten'.", max_length=200, verbose_name='resultaat')),
                ('unit', models.CharField(blank=True, help_text="Alleen als het geen aantal is, bv. 'euro', '%' of 'uur'.", max_length=40, verbose_name='eenheid')),
                ('target', models.DecimalField(blank=True, decimal_places=2, help_text='Wat het jaarplan vooropstelt; leeg als het jaarplan geen doel noemt.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='doel (jaarplan)')),
                ('achieved', models.DecimalField(blank=True, decimal_places=2, help_text='Wat het jaarverslag meldt; leeg zolang het niet gekend is.', max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='gerealiseerd (jaarverslag)')),
                ('date', models.DateField(blank=True, help_text='Alleen als de precieze dag gekend is, bv. van een oplevering.', null=True, verbose_name='datum')),
                ('note', models.CharField(blank=True, max_length=250, verbose_name='toelichting')),
                ('is_key_figure', models.BooleanField(default=False, help_text="Verschijnt in 'Het jaar in cijfers' van het jaarverslag.", verbose_name='kerncijfer')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='volgorde')),
                ('track_year', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='programmes.worktrackyear', verbose_name='werkspoor per jaar')),
            ],
            options={
                'verbose_name': 'resultaat',
                'verbose_name_plural': 'resultaten',
                'ordering': ['order', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('target__isnull', False), ('achieved__isnull', False), _connector='OR'), name='result_has_a_value'), models.CheckConstraint(condition=models.Q(('target__isnull', True), ('target__gte', 0), _connector='OR'), name='result_target_not_negative'), models.CheckConstraint(condition=models.Q(('achieved__isnull', True), ('achieved__gte', 0), _connector='OR'), name='result_achieved_not_negative')],
            },
        ),
        # A reference without an address is shown as text.
        migrations.AlterField(
            model_name='historicallink',
            name='url',
            field=models.CharField(blank=True, help_text="Een volledig adres (https://…). Leeg of '#' betekent: adres nog niet gekend; zo'n verwijzing wordt voor publicatie gemeld en verschijnt als tekst zonder link.", max_length=500, validators=[programmes.addresses.validate_link_url], verbose_name='adres (URL)'),
        ),
        migrations.AlterField(
            model_name='link',
            name='url',
            field=models.CharField(blank=True, help_text="Een volledig adres (https://…). Leeg of '#' betekent: adres nog niet gekend; zo'n verwijzing wordt voor publicatie gemeld en verschijnt als tekst zonder link.", max_length=500, validators=[programmes.addresses.validate_link_url], verbose_name='adres (URL)'),
        ),
    ]
