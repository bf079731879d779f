"""Article summaries (the list and search) from the stored article documents.

Through ``ArticleSummarySerializer``, a page of 20 summaries took 20 pages,
their feature images with three renditions each and their tags as ORM
objects, then DRF's fields: most of a list request. What a summary shows that
changes only with a new published version (the excerpt, the tags, the feature
image with its renditions) is in the article's stored document
(``api.documents``); the rest is read per request: id, slug, title and dates
from the page's row, the URL, the category, the view count.

The answer is the serializer's, key for key (tests/api/test_summaries.py):
``ArticleSummarySerializer`` still describes it in the schema, and answers for
articles whose document is missing beyond :data:`BUILDS_PER_READ` (after an
import or a site change), so that no read builds an unbounded number of
documents. (A document whose photo still lacks a rendition is built on each
read and never stored; it counts against the bound.)
"""

from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Page

from api import documents, queries
from api.serializers import ArticleSummarySerializer, link_data, site_time
from articles.models import ArticlePage

#: Documents one list or search read may build and store; one default page.
BUILDS_PER_READ = 20
#: The page columns a summary reads beside its document.
COLUMNS = (
    "id",
    "path",
    "url_path",
    "slug",
    "title",
    "published_at",
    "last_published_at",
    "live_revision_id",
)


def summary_rows(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """``articles`` with the columns :func:`summaries` reads, and only those."""
    return articles.only(*COLUMNS)


def summaries(articles: Sequence[ArticlePage], *, request: HttpRequest) -> list[dict]:
    """The ArticleSummary objects of the visible ``articles`` (rows of
    :func:`summary_rows` with ``view_count`` set), in order: two queries
    (their documents, their categories) when the documents are stored; a
    missing or stale one is built and stored first (up to
    :data:`BUILDS_PER_READ`, the others serialized as before documents)."""
    stored = documents.stored_documents(
        articles, request=request, build_at_most=BUILDS_PER_READ
    )
    unstored = _serialized(
        [article for article in articles if article.pk not in stored],
        request=request,
    )
    categories = queries.categories_by_path(articles)
    answers = []
    for article in articles:
        if article.pk in unstored:
            answers.append(unstored[article.pk])
            continue
        document = stored[article.pk]
        category = categories[article.path[: -Page.steplen]]
        answers.append(
            {
                **link_data(article, request=request),
                "excerpt": document["excerpt"],
                "category": {
                    "id": category.pk,
                    "slug": category.slug,
                    "name": category.title,
                },
                "tags": document["tags"],
                "updated_at": site_time(article.last_published_at),
                "feature_image": document["feature_image"],
                "view_count": article.view_count,
            }
        )
    return answers


def _serialized(articles: list[ArticlePage], *, request: HttpRequest) -> dict:
    """``ArticleSummarySerializer``'s answers for ``articles``, by id, in a
    constant number of queries (none for none)."""
    if not articles:
        return {}
    rows = queries.with_summary_data(
        ArticlePage.objects.filter(pk__in=[article.pk for article in articles])
    )
    rows = queries.set_view_counts(list(rows))
    context = {"request": request, "categories": queries.categories_by_path(rows)}
    data = ArticleSummarySerializer(rows, many=True, context=context).data
    return {row.pk: answer for row, answer in zip(rows, data, strict=True)}
