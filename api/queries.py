"""Querysets shaped for the API's serializers: one query per list, not per row.

The reading rules (what a reader may see) live in ``articles.selectors``; this
module only adds what the API shows: view counts, categories, tags and
feature images with their renditions.
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from api.images import renditions_prefetch
from articles.models import ArticlePage, ArticlePageTag, CategoryPage
from counters.models import PageViewCount

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


def with_view_count(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Annotate ``view_count`` (0 when never counted) in the same query."""
    views = PageViewCount.objects.filter(page_id=OuterRef("pk")).values("views")[:1]
    return articles.annotate(view_count=Coalesce(Subquery(views), Value(0)))


def with_summary_data(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What ``ArticleSummarySerializer`` reads, in a constant number of queries.

    The body column is loaded (not rendered): ``get_excerpt`` falls back to the
    first paragraph when an article has no excerpt, and a deferred body would
    cost one query per row.
    """
    return (
        with_view_count(articles)
        .select_related("feature_image")
        .prefetch_related(
            renditions_prefetch("feature_image__renditions"),
            Prefetch(
                "tagged_items", queryset=ArticlePageTag.objects.select_related("tag")
            ),
        )
    )


def with_article_data(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What ``ArticleSerializer`` reads about the article itself (body included)."""
    return (
        with_view_count(articles)
        .select_related("feature_image")
        .prefetch_related(
            renditions_prefetch("feature_image__renditions"),
            Prefetch(
                "tagged_items", queryset=ArticlePageTag.objects.select_related("tag")
            ),
        )
    )


def ordered(articles: QuerySet[ArticlePage], ordering: str) -> QuerySet[ArticlePage]:
    return articles.order_by(*ORDER_BY[ordering])


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
