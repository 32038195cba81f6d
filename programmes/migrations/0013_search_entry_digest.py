"""A digest per search index row: a row built again unchanged is not written again."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0012_drop_model_vectors'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchentry',
            name='digest',
            field=models.CharField(blank=True, max_length=40),
        ),
    ]
