"""Partial indexes on Wagtail's page table for ``articles.visibility``.

The pages a reader may not see (not live, expired, scheduled for later) are
found through these instead of a scan of every page. Small: they hold only
such pages. Plain SQL that PostgreSQL and SQLite both accept.
"""

from django.db import migrations

INDEXES = {
    "articles_page_not_live": "(id) WHERE NOT live",
    "articles_page_expire_at": "(expire_at) WHERE expire_at IS NOT NULL",
    "articles_page_go_live_at": "(go_live_at) WHERE go_live_at IS NOT NULL",
}


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_preview"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON wagtailcore_page {definition}",
            f"DROP INDEX {name}",
        )
        for name, definition in INDEXES.items()
    ]
