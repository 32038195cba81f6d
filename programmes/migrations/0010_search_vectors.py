"""Full-text search on PostgreSQL: the kc_dutch configuration, stored vectors and their GIN indexes.

`kc_dutch` is a copy of 'dutch' whose words pass through unaccent first ("financiële" finds
"financiele"); pg_trgm serves the spelling suggestions. The vector columns exist on both databases
(they stay empty on SQLite); the configuration, the indexes and filling the columns only happen on
PostgreSQL, so on SQLite this migration only adds unused nullable columns.
"""
from django.contrib.postgres.indexes import GinIndex

import django.contrib.postgres.search
from django.db import migrations

from django.contrib.postgres.search import SearchVector
from django.db.models import F, Func, TextField, Value

# The stored per-model vectors this migration added were replaced by the search index (0011, 0012);
# what it needs is written out here so that it keeps running on a new database.
CONFIG = "kc_dutch"
DOCUMENTS = {
    "Programme": {"search_vector": (("name", "short_name"), ("description",), ())},
    "Organisation": {"search_vector": (("name", "short_name"), (), ())},
    "WorkTrack": {"search_vector": (("title",), ("summary",), ())},
    "WorkTrackYear": {"plan_vector": (("title",), (), ("plan_text",)), "report_vector": (("title",), (), ("report_text",))},
    "WorkingGroup": {"search_vector": (("name",), ("purpose",), ("frequency",))},
    "Meeting": {"search_vector": (("title",), ("description",), ("place",))},
    "Link": {"search_vector": (("title",), (), ())},
}


def _stripped(name):
    return Func(F(name), Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace", output_field=TextField())


def vectors_for(model):
    vectors = {}
    for column, (title, summary, text) in DOCUMENTS.get(model.__name__, {}).items():
        vector = SearchVector(*title, config=CONFIG, weight="A")
        for fields, weight in ((summary, "B"), (text, "C")):
            if fields:
                vector = vector + SearchVector(*(_stripped(f) for f in fields), config=CONFIG, weight=weight)
        vectors[column] = vector
    return vectors

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
