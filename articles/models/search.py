"""What PostgreSQL searches articles with (``articles.pg_search``).

One row per article, written where the search index is updated
(``articles.indexing``): ``document`` holds every folded word of the article
(title, excerpt, body: ``ArticlePage.search_text``) for matching through a GIN
index; ``ranking`` holds the folded title (weight A), excerpt (B) and the
start of the body (D), small enough to rank every match. PostgreSQL only
(``required_db_vendor``): SQLite searches through its FTS5 index
(``articles.ranked_search``). The row goes when its article goes (a database
``ON DELETE CASCADE`` added by the migration, so SQLite's Django never looks
for the table).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ArticleSearchEntry(models.Model):
    article_id = models.IntegerField(primary_key=True)
    document = SearchVectorField()
    ranking = SearchVectorField()

    class Meta:
        required_db_vendor = "postgresql"
        indexes = [GinIndex(fields=["document"], name="article_search_document")]

    def __str__(self) -> str:
        return f"article {self.article_id}"
