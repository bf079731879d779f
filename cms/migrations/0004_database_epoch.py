"""The database's epoch (``cms.epoch``): its one row, with a random value,
made here; ``manage.py restore`` renews it."""

import secrets

from django.db import migrations, models

import cms.epoch


def make_epoch(apps, schema_editor):
    DatabaseEpoch = apps.get_model("cms.DatabaseEpoch")
    DatabaseEpoch.objects.get_or_create(
        pk=1, defaults={"value": secrets.token_hex(8)}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_vietnamese_roots"),
    ]

    operations = [
        migrations.CreateModel(
            name="DatabaseEpoch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "value",
                    models.CharField(default=cms.epoch.new_value, max_length=16),
                ),
                ("renewed_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(make_epoch, migrations.RunPython.noop),
    ]
