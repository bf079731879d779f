"""Relevance-ordered search on PostgreSQL over ``ArticleSearchEntry``.

Wagtail's PostgreSQL backend matches ``(title || body) @@ query``, an
expression no index holds, so every search read every article's whole index
entry, and ranked every match with ``ts_rank`` over the whole body, twice
(count and page): seconds at 50,000 articles. Here:

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
decompressing every document (4 s for 20,000 articles), instead of using the
index (10 ms); without them it assumes a selective match and keeps the index.
"""

from collections.abc import Iterable, Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from articles.models import ArticlePage, ArticleSearchEntry
from articles.vietnamese import fold_for_search
from articles.visibility import hidden_article_ids

#: The text search configuration: the words are folded already, and folded
#: Vietnamese syllables must not be stemmed or dropped as English stop words.
CONFIG = "simple"
#: Words of the body's start that count for relevance (a news lead's first
#: sentence). The ranking vector is read for every match: 60 words made it 808
#: bytes and a search of 20,000 articles 43 ms; 20 words, 485 bytes and 21 ms.
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


class PostgresRanked(Sequence):
    """The visible matches in relevance order, counted and sliced by Django's
    paginator like a queryset, then the page's rows from ``rows`` (with their
    prefetches).

    With ``expected`` (the slice the caller will ask for), the count and that
    slice's ids come from one query, which reads the matches once; otherwise a
    count query, then one query per slice.
    """

    def __init__(
        self,
        *,
        entries: QuerySet,
        words: list[str],
        rows: QuerySet,
        expected: slice | None = None,
    ):
        self.entries = entries
        self.rows = rows
        self.expected = expected
        self._count: int | None = None
        self._expected_pks: list[int] | None = None
        any_word = SearchQuery(words[0], config=CONFIG)
        for word in words[1:]:
            any_word |= SearchQuery(word, config=CONFIG)
        self.ranked = entries.annotate(rank=SearchRank(F("ranking"), any_word))

    def count(self) -> int:
        if self._count is None:
            if self.expected is None:
                self._count = self.entries.count()
            else:
                self._count, self._expected_pks = self._count_and_slice(self.expected)
        return self._count

    def _count_and_slice(self, wanted: slice) -> tuple[int, list[int]]:
        matches, params = self.ranked.values_list(
            "article_id", "rank"
        ).query.sql_with_params()
        sql = (
            f"WITH m AS MATERIALIZED ({matches}) "
            "SELECT (SELECT count(*) FROM m), ARRAY(SELECT article_id FROM m "
            "ORDER BY rank DESC, article_id DESC OFFSET %s LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, (*params, wanted.start, wanted.stop - wanted.start))
            total, pks = cursor.fetchone()
        return total, pks

    def __len__(self) -> int:
        return self.count()

    def _pks(self, index: slice) -> list[int]:
        expected, start = self.expected, index.start or 0
        if (
            self._expected_pks is not None
            and index.step is None
            and expected.start <= start
            and index.stop is not None
            and index.stop <= expected.stop
        ):
            return self._expected_pks[
                start - expected.start : index.stop - expected.start
            ]
        return list(
            self.ranked.order_by("-rank", "-article_id").values_list(
                "article_id", flat=True
            )[index]
        )

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        pks = self._pks(index)
        found = self.rows.in_bulk(pks) if pks else {}
        return [found[pk] for pk in pks if pk in found]


def search_on_postgres(
    *,
    words: str,
    narrowing: Q,
    rows: QuerySet[ArticlePage],
    expected: slice | None = None,
) -> PostgresRanked:
    """Visible articles matching every word of ``words`` (folded, space
    separated) and ``narrowing`` (a filter on articles, e.g. a category), best
    first, as rows of ``rows``; ``expected``: see :class:`PostgresRanked`."""
    entries = ArticleSearchEntry.objects.filter(
        document=SearchQuery(words, config=CONFIG)
    ).exclude(article_id__in=hidden_article_ids(now=timezone.now()))
    if narrowing:
        entries = entries.filter(
            article_id__in=ArticlePage.objects.filter(narrowing).values("pk")
        )
    return PostgresRanked(
        entries=entries, words=words.split(), rows=rows, expected=expected
    )
