"""The article tally (``articles.models.tally``): its row, holding the current
number of articles, and the triggers that keep it (PostgreSQL: one update per
statement, from its transition table; SQLite: one per row). Other databases
get the table and no row: counts then read the articles."""

from django.db import migrations, models

TABLE = "articles_articletally"
ARTICLES = "articles_articlepage"

POSTGRESQL = [
    f"""
    CREATE FUNCTION articles_tally_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE {TABLE} SET total = total + (SELECT count(*) FROM new_rows)
                WHERE id = 1;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE {TABLE} SET total = total - (SELECT count(*) FROM old_rows)
                WHERE id = 1;
        ELSE
            UPDATE {TABLE} SET total = 0 WHERE id = 1;
        END IF;
        RETURN NULL;
    END $$
    """,
    f"CREATE TRIGGER articles_tally_insert AFTER INSERT ON {ARTICLES} "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION articles_tally_rows()",
    f"CREATE TRIGGER articles_tally_delete AFTER DELETE ON {ARTICLES} "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION articles_tally_rows()",
    f"CREATE TRIGGER articles_tally_truncate AFTER TRUNCATE ON {ARTICLES} "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_rows()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS articles_tally_insert ON {ARTICLES}",
    f"DROP TRIGGER IF EXISTS articles_tally_delete ON {ARTICLES}",
    f"DROP TRIGGER IF EXISTS articles_tally_truncate ON {ARTICLES}",
    "DROP FUNCTION IF EXISTS articles_tally_rows()",
]
SQLITE = [
    f"CREATE TRIGGER articles_tally_insert AFTER INSERT ON {ARTICLES} "
    f"BEGIN UPDATE {TABLE} SET total = total + 1 WHERE id = 1; END",
    f"CREATE TRIGGER articles_tally_delete AFTER DELETE ON {ARTICLES} "
    f"BEGIN UPDATE {TABLE} SET total = total - 1 WHERE id = 1; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_tally_insert",
    "DROP TRIGGER IF EXISTS articles_tally_delete",
]


def set_up(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        return
    for sql in statements[vendor]:
        schema_editor.execute(sql)
    # After the triggers, in the same transaction: nothing counted twice.
    schema_editor.execute(
        f"INSERT INTO {TABLE} (id, total) SELECT 1, count(*) FROM {ARTICLES}"
    )


def tear_down(apps, schema_editor):
    statements = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_search_entry"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleTally",
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
                ("total", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(set_up, tear_down),
    ]
