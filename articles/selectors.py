"""Reading what a reader may see: live, public, current articles and categories.

Every public read (the API's lists, search and categories, its RSS and JSON
feeds, the sitemaps, the change feed and the webhooks' payloads) starts here,
so that drafts, unpublished or expired pages, pages scheduled for later and
pages under a view restriction never leak through one path and not another.
An article's detail (and a view being counted) reads through
``articles.detail_reads`` instead: the same rules written out as SQL;
tests/api/test_visibility.py runs every rule through both.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page

from articles.models import TALLY_ID, ArticlePage, ArticleTally, CategoryPage
from articles.pg_search import search_on_postgres, uses_postgres_search
from articles.ranked_search import ranked_on_sqlite
from articles.results import ArticleResults, counted
from articles.vietnamese import fold_for_search
from articles.visibility import PUBLISHED, hidden_article_ids, shown_page_q
from cms.replicas import read_connection
from counters.selectors import with_view_counts

_WORD = re.compile(r"\w+")

#: The list's orderings (``ordering``) -> ORDER BY; ids break ties so pages
#: never overlap.
ORDERINGS = {
    "-published_at": ("-published_at", "-pk"),
    "published_at": ("published_at", "pk"),
    "-view_count": ("-view_count", "-published_at", "-pk"),
    "view_count": ("view_count", "published_at", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
}
DEFAULT_ORDERING = "-published_at"


def visible_articles() -> QuerySet[ArticlePage]:
    """Articles a reader may see, in live and visible categories, unordered.

    Written as "published and not among the hidden"
    (:func:`articles.visibility.hidden_article_ids`): the hidden ones are found
    through indexes, so a count is one index-only scan of ``published_at``
    with a hashed ``NOT IN`` (:func:`count_visible_articles` is cheaper
    still), and a newest-first page walks the ``article_published_id`` index
    (``published_at``, id).
    """
    now = timezone.now()
    return ArticlePage.objects.filter(PUBLISHED.q(now=now)).exclude(
        pk__in=hidden_article_ids(now=now)
    )


def visible_page_ids(page_ids: Iterable[int]) -> set[int]:
    """The pages among ``page_ids`` a reader may see now: articles by the
    article rule, any other page (a category, the home page) by the page rules
    and view restrictions (:func:`articles.visibility.hidden_article_ids`
    holds every hidden page). One query; none for no ids."""
    ids = set(page_ids)
    if not ids:
        return set()
    return set(
        Page.objects.filter(pk__in=ids)
        .exclude(pk__in=hidden_article_ids(now=timezone.now()))
        .values_list("pk", flat=True)
    )


def count_visible_articles(*, narrowing: Q | None = None) -> int:
    """``visible_articles().filter(narrowing).count()``, counted in one
    statement as the matching articles less the hidden ones among them.

    Both counts are cheap where the direct one is not: the hidden articles are
    few, and unfiltered the first is the article tally
    (``articles.models.tally``), which no database has to count (without its
    row, on SQLite, a count of a whole table, testing no row). The direct
    count tests every published row against the hidden set (bench/README.md).
    """
    matching = ArticlePage.objects.filter(narrowing or Q()).order_by().values("pk")
    if not narrowing:
        tally = f"SELECT total FROM {ArticleTally._meta.db_table} WHERE id = %s"
        visible = _less_hidden(tally, (TALLY_ID,), matching=matching)
        if visible is not None:  # else no tally row: count the articles
            return visible
    every_sql, every_params = matching.query.sql_with_params()
    return _less_hidden(
        f"SELECT count(*) FROM ({every_sql}) e", every_params, matching=matching
    )


def _less_hidden(every_sql: str, every_params: tuple, *, matching) -> int | None:
    """The number ``every_sql`` gives less the hidden articles of ``matching``
    (``None`` if ``every_sql`` gives none)."""
    # The hidden set holds the unpublished and scheduled articles too.
    hidden = matching.filter(pk__in=hidden_article_ids(now=timezone.now()))
    hidden_sql, hidden_params = hidden.query.sql_with_params()
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"SELECT ({every_sql}) - (SELECT count(*) FROM ({hidden_sql}) h)",
            (*every_params, *hidden_params),
        )
        return cursor.fetchone()[0]


def visible_categories() -> QuerySet[CategoryPage]:
    """Categories a reader may see, in page-tree order."""
    return CategoryPage.objects.filter(shown_page_q(now=timezone.now())).order_by(
        "path"
    )


def category_article_counts() -> dict[str, int]:
    """Number of visible articles per category path, in one query."""
    rows = (
        visible_articles()
        .annotate(parent_path=Substr("path", 1, (F("depth") - 1) * Page.steplen))
        .order_by()
        .values("parent_path")
        .annotate(total=Count("pk"))
    )
    return {row["parent_path"]: row["total"] for row in rows}


def search_query_words(text: str) -> str:
    """The query as the index sees it: folded words joined by spaces ("" if none)."""
    return " ".join(_WORD.findall(fold_for_search(text)))


def narrowing(
    *,
    category: CategoryPage | None = None,
    tag: str | None = None,
    published_after: datetime | None = None,
    published_before: datetime | None = None,
    ids: Sequence[int] | None = None,
) -> Q:
    """The list's filters as one ``Q`` on ``ArticlePage``: in ``category``,
    tagged ``tag``, published at or after ``published_after`` and strictly
    before ``published_before``, among ``ids`` (each only when given)."""
    q = Q()
    if ids is not None:
        # No ids selects nothing; an empty IN would not compile to SQL (the
        # counts write their own statement from it).
        q &= Q(pk__in=ids) if ids else Q(pk__isnull=True)
    if category is not None:
        q &= Q(path__startswith=category.path)
    if tag is not None:
        q &= Q(tagged_items__tag__name=tag)
    if published_after is not None:
        q &= Q(published_at__gte=published_after)
    if published_before is not None:
        q &= Q(published_at__lt=published_before)
    return q


def listed_articles(
    *,
    narrowed: Q,
    columns: tuple[str, ...],
    ordering: str = DEFAULT_ORDERING,
    search: str | None = None,
) -> ArticleResults:
    """The visible articles ``narrowed`` selects, with only ``columns``
    loaded: those matching ``search`` best first (see :func:`search_articles`),
    else in ``ordering`` (one of :data:`ORDERINGS`), counted cheaply."""
    if search is not None:
        rows = ArticlePage.objects.only(*columns)
        return search_articles(query=search, narrowing=narrowed, rows=rows)
    articles = visible_articles().filter(narrowed).only(*columns)
    if "view_count" in ordering:
        # The database totals: with Redis, views still in the buffer (one flush
        # interval at most) move an article up only once flushed; the counts
        # shown do include them.
        articles = with_view_counts(articles)
    return counted(
        articles.order_by(*ORDERINGS[ordering]),
        count=count_visible_articles(narrowing=narrowed),
    )


def search_articles(
    *, query: str, narrowing: Q | None = None, rows: QuerySet[ArticlePage] | None = None
) -> ArticleResults:
    """Visible articles matching every word of ``query``, best first.

    ``narrowing`` filters the articles further (category, tag, dates), as a
    ``Q`` on ``ArticlePage``. The text searched is ``ArticlePage.search_text``
    (title, excerpt and body folded with ``fold_for_search``); the query is
    folded the same way, so "ket nap", "KẾT NẠP" and "kết nạp" match alike.
    ``query`` must hold at least one word (see :func:`search_query_words`).
    Results are taken from ``rows`` (default all articles: pass one carrying
    the columns the caller needs).

    PostgreSQL: ``articles.pg_search`` (its own GIN-indexed entries). SQLite:
    Wagtail's FTS5 index, ranked by ``articles.ranked_search``.
    """
    words = search_query_words(query)
    narrowing = narrowing or Q()
    if rows is None:
        rows = ArticlePage.objects.all()
    if uses_postgres_search():
        return search_on_postgres(words=words, narrowing=narrowing, rows=rows)
    articles = visible_articles().filter(narrowing)
    # Search backends accept only indexed filter fields; a pk subquery carries
    # every other filter (visibility, category, tag, dates) into the search.
    matching = rows.order_by().filter(pk__in=articles.order_by().values("pk"))
    # No ``fields=``: SQLite's index keeps only title and body columns, and
    # search_text goes into body; the folded words match nothing else anyway.
    results = matching.search(words, operator="and", order_by_relevance=True)
    # The backend ranks with one FTS match per row: see articles.ranked_search.
    return ranked_on_sqlite(results, allowed=articles, rows=rows)
