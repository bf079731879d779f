"""How many article rows there are, kept by the database itself.

PostgreSQL counts rows by reading them: an exact count of the visible
articles was most of a list request over a large archive (bench/README.md).
Triggers on
the article table (migration 0006, PostgreSQL and SQLite) add and subtract in
the statement that inserts or deletes rows, so the one row of this table is
exact in every transaction. The visible count is this total less the hidden
articles, which are few (``articles.selectors.count_visible_articles``).

Inserting articles concurrently waits on this row until the other
transaction ends: articles are written by editors and the importer, rarely
at once. Without the row (another database, or a table emptied by
``flush``) the count reads the articles again.
"""

from django.db import models

#: The id of the one row.
TALLY_ID = 1


class ArticleTally(models.Model):
    total = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.total} articles"
