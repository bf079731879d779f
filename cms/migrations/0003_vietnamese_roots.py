"""Name the page tree's root and the root collection in Vietnamese.

Wagtail's migrations call both "Root", which the admin shows as they are
(the explorer, the collection choosers). Only an untouched "Root" is renamed.
"""

from django.db import migrations

ROOT = "Root"
PAGE_ROOT = "Gốc"
COLLECTION_ROOT = "Tất cả"


def rename(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    Page.objects.filter(depth=1, title=ROOT).update(title=PAGE_ROOT)
    Page.objects.filter(depth=1, draft_title=ROOT).update(draft_title=PAGE_ROOT)
    Collection.objects.filter(depth=1, name=ROOT).update(name=COLLECTION_ROOT)


def restore(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    Page.objects.filter(depth=1, title=PAGE_ROOT).update(title=ROOT)
    Page.objects.filter(depth=1, draft_title=PAGE_ROOT).update(draft_title=ROOT)
    Collection.objects.filter(depth=1, name=COLLECTION_ROOT).update(name=ROOT)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_create_homepage"),
        ("wagtailcore", "0025_collection_initial_data"),
    ]

    operations = [migrations.RunPython(rename, restore)]
