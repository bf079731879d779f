"""Querysets shaped for the API's serializers: one query per list, not per row.

The reading rules (what a reader may see) live in ``articles.selectors``; this
module only adds what the API shows: view counts, categories, tags and
feature images with their renditions.
"""

from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, QuerySet
from wagtail.models import Page

from api.images import renditions_prefetch
from articles.models import ArticlePage, ArticlePageTag, CategoryPage
from counters.selectors import view_counts, with_view_counts

#: ``ordering`` parameter -> ORDER BY; ids break ties so pages never overlap.
ORDER_BY = {
    "-published_at": ("-published_at", "-pk"),
    "published_at": ("published_at", "pk"),
    "-view_count": ("-view_count", "-published_at", "-pk"),
    "view_count": ("view_count", "published_at", "pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
}
DEFAULT_ORDERING = "-published_at"


def with_summary_data(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What ``ArticleSummarySerializer`` reads, in a constant number of queries.

    The body column is loaded (not rendered): ``get_excerpt`` falls back to the
    first paragraph when an article has no excerpt, and a deferred body would
    cost one query per row. ``view_count`` is set afterwards, on the page of
    results only (``set_view_counts``).
    """
    return articles.select_related("feature_image").prefetch_related(
        renditions_prefetch("feature_image__renditions"),
        Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag")),
    )


def with_article_data(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What ``ArticleSerializer`` reads about the article itself: the summary's
    data (the body column included); ``view_count`` is set afterwards
    (``set_view_counts``)."""
    return with_summary_data(articles)


def ordered(articles: QuerySet[ArticlePage], ordering: str) -> QuerySet[ArticlePage]:
    if "view_count" in ordering:
        # The database totals: with Redis, views still in the buffer (one flush
        # interval at most) move an article up only once flushed. The numbers
        # shown come from ``set_view_counts`` and do include them.
        articles = with_view_counts(articles)
    return articles.order_by(*ORDER_BY[ordering])


def set_view_counts(articles: Sequence[ArticlePage]) -> Sequence[ArticlePage]:
    """Set ``view_count`` on each article: the database total plus the views
    still pending in the Redis buffer, so that a count just answered by
    ``POST .../views/`` is the count a following read shows. One database query
    and at most one Redis round trip for the lot (none for no articles)."""
    totals = view_counts(page_ids=[article.pk for article in articles])
    for article in articles:
        article.view_count = totals.get(article.pk, 0)
    return articles


def categories_by_path(articles: Iterable[ArticlePage]) -> dict[str, CategoryPage]:
    """The categories of ``articles`` by path, in one query (none if empty)."""
    paths = {article.path[: -Page.steplen] for article in articles}
    if not paths:
        return {}
    return {
        category.path: category
        for category in CategoryPage.objects.filter(path__in=paths).only(
            "id", "slug", "title", "path", "depth", "url_path", "description"
        )
    }
