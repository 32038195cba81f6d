"""Full-text search on PostgreSQL: the kc_dutch configuration, stored vectors and their GIN indexes.

`kc_dutch` is a copy of 'dutch' whose words pass through unaccent first ("financiële" finds
"financiele"); pg_trgm serves the spelling suggestions. The vector columns exist on both databases
(they stay empty on SQLite); the configuration, the indexes and filling the columns only happen on
PostgreSQL, so on SQLite this migration only adds unused nullable columns.
"""
from django.contrib.postgres.indexes import GinIndex

import django.contrib.postgres.search
from django.db import migrations

from programmes.documents import CONFIG, DOCUMENTS, vectors_for

CREATE_CONFIG = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.dutch);
    ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
  END IF;
END $$;
"""


def _indexes(apps):
    for model_name, columns in DOCUMENTS.items():
        model = apps.get_model("programmes", model_name)
        for column in columns:
            yield model, GinIndex(fields=[column], name=f"{model._meta.model_name}_{column}"[:30])


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIG)
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)
    for model_name in DOCUMENTS:
        model = apps.get_model("programmes", model_name)
        model.objects.using(schema_editor.connection.alias).update(**vectors_for(model))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")



class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0009_meeting_times'),
    ]

    operations = [
        migrations.AddField(
            model_name='link',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='meeting',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='organisation',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='programme',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='workinggroup',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='worktrack',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='worktrackyear',
            name='plan_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='worktrackyear',
            name='report_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
