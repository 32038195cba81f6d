"""The per-model search vectors go: the search index (0011) holds what a search matches and ranks."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0011_search_entries'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='link',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='meeting',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='organisation',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='programme',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='workinggroup',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='worktrack',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='worktrackyear',
            name='plan_vector',
        ),
        migrations.RemoveField(
            model_name='worktrackyear',
            name='report_vector',
        ),
    ]
