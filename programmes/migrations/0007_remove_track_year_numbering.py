from django.db import migrations


class Migration(migrations.Migration):
    """Numbers, headings and order now belong to each edition's outline (reports.EditionEntry)."""

    dependencies = [
        ("programmes", "0006_track_years_per_year_facts_date_ranges"),
        ("reports", "0009_edition_outline"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='worktrackyear',
            options={'ordering': ['year', 'programme__order', 'track__title'], 'permissions': [('publish_worktrackyear', 'Mag teksten per jaar publiceren en depubliceren'), ('view_unpublished', 'Mag concepten en niet-publieke items zien (redactierollen)')], 'verbose_name': 'werkspoor per jaar', 'verbose_name_plural': 'werksporen per jaar'},
        ),
        migrations.RemoveField(
            model_name='historicalworktrackyear',
            name='number',
        ),
        migrations.RemoveField(
            model_name='historicalworktrackyear',
            name='order',
        ),
        migrations.RemoveField(
            model_name='historicalworktrackyear',
            name='sort_key',
        ),
        migrations.RemoveField(
            model_name='worktrackyear',
            name='number',
        ),
        migrations.RemoveField(
            model_name='worktrackyear',
            name='order',
        ),
        migrations.RemoveField(
            model_name='worktrackyear',
            name='sort_key',
        ),
    ]
