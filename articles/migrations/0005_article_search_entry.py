"""PostgreSQL's search entries of articles (``articles.pg_search``).

The table exists on PostgreSQL only (``required_db_vendor``). Beside it:
its row goes with its article (``ON DELETE CASCADE`` in the database, so that
Django's deletion never looks for the table on SQLite); ``document`` is kept
out of line (``toast_tuple_target``) so that a match read through the GIN
index touches small heap rows, ``ranking`` stays inline for ``ts_rank``; and
no statistics are gathered on ``document`` (see ``articles.pg_search``).
Existing articles get their entries here (``manage.py rebuild_article_search``
does the same later).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

TABLE = "articles_articlesearchentry"
SETUP = [
    f"ALTER TABLE {TABLE} ADD CONSTRAINT articles_search_entry_article "
    "FOREIGN KEY (article_id) REFERENCES articles_articlepage (page_ptr_id) "
    "ON DELETE CASCADE",
    f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)",
    f"ALTER TABLE {TABLE} ALTER COLUMN ranking SET STORAGE MAIN",
    f"ALTER TABLE {TABLE} ALTER COLUMN document SET STATISTICS 0",
]


def set_up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in SETUP:
        schema_editor.execute(sql)
    if apps.get_model("articles", "ArticlePage").objects.exists():
        # The project's code, not the historical models: the entries need the
        # body's searchable text. Only reached when there are articles.
        from articles.pg_search import rebuild_entries

        rebuild_entries()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_article_published_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchEntry",
            fields=[
                ("article_id", models.IntegerField(primary_key=True, serialize=False)),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                ("ranking", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "required_db_vendor": "postgresql",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["document"], name="article_search_document"
                    )
                ],
            },
        ),
        migrations.RunPython(set_up, migrations.RunPython.noop),
    ]
