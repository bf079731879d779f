"""Relevance-ordered search on PostgreSQL over ``ArticleSearchEntry``.

Wagtail's PostgreSQL backend matches ``(title || body) @@ query``, an
expression no index holds, so every search read every article's whole index
entry, and ranked every match with ``ts_rank`` over the whole body, twice
(count and page), in seconds over a large archive (bench/README.md). Here:

- matching: ``document @@ plainto_tsquery(words)`` (every word, AND) through
  the GIN index on ``document`` (the folded title, excerpt and body), read as
  a bitmap: the documents themselves are never decompressed (they are kept out
  of line, and the query needs no recheck);
- visibility: the hidden articles are left out by id
  (``articles.visibility``), so no page is joined unless a filter asks;
- relevance: ``ts_rank`` of the small ``ranking`` vector (folded title A,
  excerpt B, start of the body D) for the query's words taken with OR, so a
  match holding more of the words, more often, nearer the title ranks higher;
  ties newest id first (as the other backends order);
- the count and the page's ids come from one query that reads the matches
  once (a materialized CTE counted and top-N sorted) when the caller says which
  page it will ask for; ``count(*) OVER ()`` in the page query measured slower
  (it sorts every match instead of keeping the top N).

The migration stores no statistics for ``document``: with them the planner
knows that a common word matches most articles and reads the whole table,
decompressing every document, instead of using the index; without them it
assumes a selective match and keeps the index (figures: bench/README.md).
"""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from articles.models import ArticlePage, ArticleSearchEntry
from articles.results import ArticleResults, rows_in_order
from articles.vietnamese import fold_for_search
from articles.visibility import hidden_article_ids
from cms.replicas import read_connection

#: The text search configuration: the words are folded already, and folded
#: Vietnamese syllables must not be stemmed or dropped as English stop words.
CONFIG = "simple"
#: Words of the body's start that count for relevance (a news lead's first
#: sentence). The ranking vector is read for every match: the fewer words,
#: the faster a search (bench/README.md).
LEAD_WORDS = 20

_UPSERT = """
INSERT INTO {table} (article_id, document, ranking)
VALUES (
    %s,
    to_tsvector('{config}', %s),
    setweight(to_tsvector('{config}', %s), 'A')
        || setweight(to_tsvector('{config}', %s), 'B')
        || setweight(to_tsvector('{config}', %s), 'D')
)
ON CONFLICT (article_id) DO UPDATE
SET document = EXCLUDED.document, ranking = EXCLUDED.ranking
"""


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def entry_texts(article: ArticlePage) -> tuple[str, str, str, str]:
    """The folded texts of ``article``'s entry: everything, title, excerpt, lead."""
    body = article._meta.get_field("body").get_searchable_content(article.body)
    lead = " ".join(" ".join(body).split()[:LEAD_WORDS])
    return (
        article.search_text(),
        fold_for_search(article.title),
        fold_for_search(article.excerpt),
        fold_for_search(lead),
    )


def write_entries(articles: Iterable[ArticlePage]) -> None:
    """Add or replace the search entries of ``articles`` (PostgreSQL only)."""
    rows = [(article.pk, *entry_texts(article)) for article in articles]
    if not rows:
        return
    sql = _UPSERT.format(
        table=connection.ops.quote_name(ArticleSearchEntry._meta.db_table),
        config=CONFIG,
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def index_entries(pks: Iterable[int]) -> None:
    """Write the entries of the articles ``pks`` as stored (those that exist)."""
    pks = list(pks)
    if not pks or not uses_postgres_search():
        return
    articles = ArticlePage.objects.filter(pk__in=pks).only("title", "excerpt", "body")
    write_entries(articles)


def rebuild_entries(*, batch: int = 500) -> int:
    """Write every article's entry; returns how many. For a new or changed
    ranking, or a database filled without ``articles.indexing``."""
    pks = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        index_entries(pks[start : start + batch])
    return len(pks)


def search_on_postgres(
    *, words: str, narrowing: Q, rows: QuerySet[ArticlePage]
) -> ArticleResults:
    """Visible articles matching every word of ``words`` (folded, space
    separated) and ``narrowing`` (a filter on articles, e.g. a category), best
    first, as rows of ``rows``.

    Once told the slice the caller will ask for (``ArticleResults.expect``),
    the count and that slice's ids come from one query, which reads the
    matches once; otherwise a count query, then one query per slice.
    """
    entries = ArticleSearchEntry.objects.filter(
        document=SearchQuery(words, config=CONFIG)
    ).exclude(article_id__in=hidden_article_ids(now=timezone.now()))
    if narrowing:
        entries = entries.filter(
            article_id__in=ArticlePage.objects.filter(narrowing).values("pk")
        )
    any_word = None
    for word in words.split():
        query = SearchQuery(word, config=CONFIG)
        any_word = query if any_word is None else any_word | query
    ranked = entries.annotate(rank=SearchRank(F("ranking"), any_word))

    def page(part: slice) -> list:
        pks = ranked.order_by("-rank", "-article_id").values_list(
            "article_id", flat=True
        )
        return rows_in_order(rows, list(pks[part]))

    def count_and_page(part: slice) -> tuple[int, list]:
        matches, params = ranked.values_list(
            "article_id", "rank"
        ).query.sql_with_params()
        sql = (
            f"WITH m AS MATERIALIZED ({matches}) "
            "SELECT (SELECT count(*) FROM m), ARRAY(SELECT article_id FROM m "
            "ORDER BY rank DESC, article_id DESC OFFSET %s LIMIT %s)"
        )
        with read_connection().cursor() as cursor:
            cursor.execute(sql, (*params, part.start, part.stop - part.start))
            total, pks = cursor.fetchone()
        return total, rows_in_order(rows, pks)

    return ArticleResults(count=entries.count, page=page, count_and_page=count_and_page)
