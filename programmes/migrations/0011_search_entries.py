"""The search index: one row per searchable item (programmes.searchindex fills it)."""

import django.contrib.postgres.search
from django.db import migrations, models

# The match columns are what every search reads; GIN indexes exist on PostgreSQL only (on SQLite
# the vector columns stay empty and the words_* columns are matched instead).
GIN = ("match_public", "match_staff")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in GIN:
            schema_editor.execute(f"CREATE INDEX searchentry_{column} ON programmes_searchentry USING gin ({column})")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in GIN:
            schema_editor.execute(f"DROP INDEX IF EXISTS searchentry_{column}")


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0010_search_vectors'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=16)),
                ('item_id', models.BigIntegerField()),
                ('public', models.BooleanField(default=False)),
                ('staff', models.BooleanField(default=False)),
                ('title', models.TextField(blank=True)),
                ('summary', models.TextField(blank=True)),
                ('text', models.TextField(blank=True)),
                ('names_public', models.TextField(blank=True)),
                ('names_staff', models.TextField(blank=True)),
                ('words_public', models.TextField(blank=True)),
                ('words_staff', models.TextField(blank=True)),
                ('years_public', models.CharField(blank=True, max_length=400)),
                ('years_staff', models.CharField(blank=True, max_length=400)),
                ('programmes', models.CharField(blank=True, max_length=400)),
                ('cities', models.CharField(blank=True, max_length=400)),
                ('sort_key', models.CharField(blank=True, max_length=400)),
                ('label', models.CharField(blank=True, max_length=1000)),
                ('url', models.CharField(blank=True, max_length=2000)),
                ('meta', models.CharField(blank=True, max_length=1000)),
                ('external', models.BooleanField(default=False)),
                ('placeholder', models.BooleanField(default=False)),
                ('own_vector', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('match_public', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('match_staff', django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('kind', 'item_id'), name='searchentry_unique_item')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
