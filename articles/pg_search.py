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

import zlib
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.utils import timezone

from articles.models import ArticlePage, ArticleSearchEntry
from articles.results import ArticleResults, rows_in_order
from articles.vietnamese import fold_for_search
from articles.visibility import hidden_article_ids
from cms.replicas import read_connection

#: The text search configuration: the words are folded already, and folded
#: Vietnamese syllables must not be stemmed or dropped as English stop words.
CONFIG = "simple"
#: Searches matching up to this many articles are counted exactly and ranked
#: whole; beyond, counted from a sample and ranked within the newest articles.
EXACT_UP_TO = 1_000
#: The newest articles whose matches a common query ranks (bench/README.md).
WINDOW = 1_000
#: About how many rows the count sample reads (whole pages at random).
SAMPLE_ROWS = 1_000
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

    A query matching at most ``EXACT_UP_TO`` articles (by a sample) is counted
    exactly and every match ranked. Beyond, the work is bounded (a common
    word's matches are most of the archive): the count is an estimate from a
    sample (``count_is_estimate`` on the results), and the order is the
    matches among the newest ``WINDOW`` articles by relevance, then the older
    matches newest first.

    Once told the slice the caller will ask for (``ArticleResults.expect``),
    the count and that slice's ids come from one query, which reads the
    matches once; otherwise a count query, then one query per slice.
    """
    match = SearchQuery(words, config=CONFIG)
    allowed = ~Q(article_id__in=hidden_article_ids(now=timezone.now()))
    if narrowing:
        allowed &= Q(article_id__in=ArticlePage.objects.filter(narrowing).values("pk"))
    entries = ArticleSearchEntry.objects.filter(allowed)
    any_word = None
    for word in words.split():
        query = SearchQuery(word, config=CONFIG)
        any_word = query if any_word is None else any_word | query
    rank = SearchRank(F("ranking"), any_word)
    matching = entries.filter(document=match)
    ranked = matching.annotate(rank=rank)
    common = _Common(allowed=allowed, words=words, rank=rank)

    def count() -> int:
        if common.estimate() is not None:
            results.count_is_estimate = True
            return common.estimate()
        return matching.count()

    def page(part: slice) -> list:
        if common.estimate() is not None:
            return rows_in_order(rows, common.page(part))
        pks = ranked.order_by("-rank", "-article_id").values_list(
            "article_id", flat=True
        )
        return rows_in_order(rows, list(pks[part]))

    def count_and_page(part: slice) -> tuple[int, list]:
        if common.estimate() is not None:
            results.count_is_estimate = True
            pks = common.page(part)
            return max(common.estimate(), len(common.window())), rows_in_order(
                rows, pks
            )
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

    results = ArticleResults(count=count, page=page, count_and_page=count_and_page)
    return results


class _Common:
    """A query matching more than ``EXACT_UP_TO`` articles: its estimated
    count, and its order (the newest ``WINDOW`` articles' matches ranked, then
    the older matches newest first). Each part read once, when first asked."""

    def __init__(self, *, allowed: Q, words: str, rank):
        self.allowed, self.words, self.rank = allowed, words, rank
        self.entries = ArticleSearchEntry.objects.filter(allowed)
        self.match = SearchQuery(words, config=CONFIG)
        self._estimate: int | None = None
        self._sampled = False
        self._window: list[int] | None = None
        self._bound = 0

    def estimate(self) -> int | None:
        """The estimated number of matches, or None below ``EXACT_UP_TO``."""
        if not self._sampled:
            self._sampled = True
            self._estimate = self._sample()
        return self._estimate

    def _sample(self) -> int | None:
        table = ArticleSearchEntry._meta.db_table
        with read_connection().cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table]
            )
            found = cursor.fetchone()
            total = found[0] if found else -1
            # Never analysed (-1), or too small to need bounds: exact.
            if total <= EXACT_UP_TO:
                return None
            percent = min(100.0, 100.0 * SAMPLE_ROWS / total)
            # Whole pages at random (SYSTEM), the same ones in both counts
            # and for the same words (REPEATABLE: a query's count stays put
            # from one page of results to the next): every sampled row, and
            # those a reader may see here that match (a WHERE clause, so that
            # the planner tests the cheap conditions first).
            wanted = self.entries.filter(document=self.match).query
            compiler = wanted.get_compiler(connection=cursor.db)
            where, params = compiler.compile(wanted.where)
            sample = (
                f"{connection.ops.quote_name(table)} TABLESAMPLE SYSTEM "
                f"({percent:f}) REPEATABLE ({zlib.crc32(self.words.encode())})"
            )
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {sample} WHERE {where}), "
                f"(SELECT count(*) FROM {sample})",
                params,
            )
            matched, sampled = cursor.fetchone()
        if not sampled:
            return None
        estimate = round(total * matched / sampled)
        return estimate if estimate > EXACT_UP_TO else None

    def window(self) -> list[int]:
        """The ids of the matches among the newest ``WINDOW`` allowed
        articles, best first."""
        if self._window is None:
            # The newest articles a reader may see here (category, tag...).
            newest = self.entries.order_by("-article_id")
            ids = list(newest.values_list("article_id", flat=True)[:WINDOW])
            self._bound = ids[-1] if len(ids) == WINDOW else 0
            # Those ids tested one by one, the match as a function call, not
            # the @@ operator: the GIN index would read a common word's whole
            # posting list; nor are the reader's conditions tested again.
            tested = Func(
                F("document"),
                self.match,
                function="ts_match_vq",
                output_field=BooleanField(),
            )
            self._window = list(
                ArticleSearchEntry.objects.filter(tested, article_id__in=ids)
                .annotate(rank=self.rank)
                .order_by("-rank", "-article_id")
                .values_list("article_id", flat=True)
            )
        return self._window

    def page(self, part: slice) -> list[int]:
        window = self.window()
        pks = window[part]
        wanted = part.stop - part.start
        if len(pks) < wanted:
            older = (
                self.entries.filter(document=self.match, article_id__lt=self._bound)
                .order_by("-article_id")
                .values_list("article_id", flat=True)
            )
            start = max(0, part.start - len(window))
            pks += older[start : start + wanted - len(pks)]
        return pks
