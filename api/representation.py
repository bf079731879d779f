"""An article's public shapes, built here and nowhere else.

Every endpoint, feed, change and webhook that shows an article takes its JSON
from these functions; the serializers in ``api.serializers`` only describe it
for the schema. The shapes (docs/api.md):

- :func:`category_ref`: ``{id, slug, name}``;
- :func:`article_link`: ``{id, slug, title, url, published_at}``;
- :func:`article_summaries`: the link, ``excerpt``, ``category``, ``tags``,
  ``updated_at``, ``feature_image``, ``view_count`` (``period_views`` too in
  most viewed);
- :func:`article_detail`, :func:`preview_detail`: the summary, ``body``,
  ``body_html``, ``newer``, ``older``, ``related``, ``seo`` (``preview``).

What changes only with a new published version (excerpt, tags, feature image,
body, body_html, seo) is built once per version and stored
(``api.documents``); what changes without one (url, category, view count,
neighbours) is read per request and joined here.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from rest_framework import serializers
from wagtail.models import Page

from api import documents
from api.body import body_blocks, body_html, body_references
from api.images import image_data, images_with_renditions, renditions_prefetch
from api.page_links import resolve_page_links
from api.renderers import JSONRenderer
from articles import detail_reads, selectors
from articles.models import VERSION_FIELDS, ArticlePage, ArticlePageTag, CategoryPage
from counters.selectors import view_counts

#: The page columns a summary reads beside its document.
SUMMARY_COLUMNS = ("id", "path", "url_path", "slug", "title", "published_at")
SUMMARY_COLUMNS += VERSION_FIELDS
#: Documents one list or search read may build and store (one default page);
#: the others are answered without their body, and built by a later read.
BUILDS_PER_READ = 20
_TIME = serializers.DateTimeField()


def category_ref(category: Page) -> dict:
    return {"id": category.pk, "slug": category.slug, "name": category.title}


def category_data(category: CategoryPage, *, request, article_count: int) -> dict:
    """The Category object."""
    return {
        **category_ref(category),
        "description": category.description,
        "url": page_path(category, request=request),
        "article_count": article_count,
    }


def article_link(page: Page, *, request) -> dict:
    """The ArticleLink object of ``page`` (a page with ``published_at``)."""
    return {
        "id": page.pk,
        "slug": page.slug,
        "title": page.title,
        "url": page_path(page, request=request),
        "published_at": site_time(page.published_at),
    }


def article_summaries(
    articles: Sequence[ArticlePage],
    *,
    request: HttpRequest,
    period_views: dict[int, int] | None = None,
) -> list[dict]:
    """The ArticleSummary objects of the visible ``articles`` (rows with
    :data:`SUMMARY_COLUMNS`), in order; with ``period_views`` (by id), the
    most viewed articles' shape. Four queries (view counts, documents,
    categories, and the site's root paths from the cache) when the documents
    are stored; up to :data:`BUILDS_PER_READ` missing ones are built first."""
    if not articles:
        return []
    counts = view_counts(page_ids=[article.pk for article in articles])
    versions = documents.stored(
        articles, request=request, build=_build, build_at_most=BUILDS_PER_READ
    )
    unstored = [article.pk for article in articles if article.pk not in versions]
    versions.update(_listed_versions(unstored, request=request))
    categories = _categories_by_path(articles)
    answers = []
    for article in articles:
        summary = _summary(
            article,
            version=versions[article.pk],
            category=categories[article.path[: -Page.steplen]],
            view_count=counts.get(article.pk, 0),
            request=request,
        )
        if period_views is not None:
            summary["period_views"] = period_views[article.pk]
        answers.append(summary)
    return answers


def article_detail(
    *, request: HttpRequest, pk: int | None = None, slug: str | None = None
) -> dict | None:
    """The Article object of the visible article with id ``pk`` or slug
    ``slug``, or ``None`` if a reader may not see one: four queries (the
    article and its category, the document, the view count, the neighbours)
    when its document is stored, else it is built and stored first."""
    article = detail_reads.visible_article(pk=pk, slug=slug)
    if article is None:
        return None
    version = documents.stored([article], request=request, build=_build)[article.pk]
    category = Page(
        id=article.category_id,
        slug=article.category_slug,
        title=article.category_title,
    )
    return _detail(
        article,
        version=version,
        category=category,
        view_count=view_counts(page_ids=[article.pk]).get(article.pk, 0),
        neighbours=detail_reads.neighbours_of(article=article),
        request=request,
    )


def preview_detail(article: ArticlePage, *, request: HttpRequest) -> dict:
    """The Article object of an editor's draft (an unsaved ``ArticlePage``),
    as it would be if published now, with ``"preview": true``; nothing of it
    is stored."""
    category = CategoryPage.objects.get(path=article.path[: -Page.steplen])
    # A hidden category hides every other article in it.
    shown = selectors.visible_categories().filter(pk=category.pk).exists()
    if article.feature_image_id is not None:
        images = images_with_renditions([article.feature_image_id])
        article.feature_image = images.get(article.feature_image_id)
    answer = _detail(
        article,
        version=_version(article, request=request),
        category=category,
        view_count=view_counts(page_ids=[article.pk]).get(article.pk, 0),
        neighbours=detail_reads.neighbours_of(article=article)
        if shown
        else detail_reads.Neighbours(),
        request=request,
    )
    answer["preview"] = True
    return answer


def build_documents(*, article_ids: Iterable[int]) -> Iterator[int]:
    """Build and store the documents of ``article_ids`` (visible ones only),
    yielding each id done: ``manage.py build_article_documents`` and the
    benchmark make them ahead of the first read."""
    ids = list(article_ids)
    for start in range(0, len(ids), 500):
        chunk = selectors.visible_articles().filter(pk__in=ids[start : start + 500])
        for article in list(chunk.only("id", *VERSION_FIELDS)):
            _build(article)
            yield article.pk


def site_time(value: datetime | None) -> str | None:
    """ISO 8601 in the site's zone, to the second: "2017-04-21T08:25:00+07:00".
    Whole seconds for every time: some clients (iOS's ISO8601DateFormatter by
    default) refuse fractional seconds."""
    if value is None:
        return None
    return _TIME.to_representation(value.replace(microsecond=0))


def page_path(page: Page, *, request) -> str:
    """The page's path on the site ("/tin-tuc-su-kien/slug/"), for routing."""
    parts = page.get_url_parts(request)
    return parts[2] if parts else ""


# --- the shapes ------------------------------------------------------------------


def _summary(article, *, version, category, view_count, request) -> dict:
    return {
        **article_link(article, request=request),
        "excerpt": version["excerpt"],
        "category": category_ref(category),
        "tags": version["tags"],
        "updated_at": site_time(article.last_published_at),
        "feature_image": version["feature_image"],
        "view_count": view_count,
    }


def _detail(article, *, version, category, view_count, neighbours, request) -> dict:
    # Every body a reader gets passes here: links to pages they may not see
    # become text (the stored document cannot know: api.page_links).
    version = resolve_page_links(version)

    def link(page):
        return None if page is None else article_link(page, request=request)

    return {
        **_summary(
            article,
            version=version,
            category=category,
            view_count=view_count,
            request=request,
        ),
        "body": version["body"],
        "body_html": version["body_html"],
        "newer": link(neighbours.newer),
        "older": link(neighbours.older),
        "related": [link(page) for page in neighbours.related],
        "seo": version["seo"],
    }


# --- what a published version shows (the stored document) ------------------------


def _listed(article: ArticlePage, *, request) -> dict:
    """What a summary shows of a version; ``article`` from :func:`_with_parts`
    (or a draft)."""
    return {
        "excerpt": article.get_excerpt(),
        "tags": sorted(item.tag.name for item in article.tagged_items.all()),
        "feature_image": image_data(article.feature_image, request=request),
    }


def _version(article: ArticlePage, *, request) -> dict:
    """Everything an Article object shows of a version: the document."""
    blocks = body_blocks(article, request=request)
    return {
        **_listed(article, request=request),
        "body": blocks,
        "body_html": body_html(blocks),
        "seo": {
            "title": article.seo_title or article.title,
            "description": article.search_description or article.get_excerpt(),
        },
    }


def _with_parts(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What :func:`_listed` reads, in a constant number of queries. The body
    column is loaded (not rendered): ``get_excerpt`` falls back to the first
    paragraph when an article has no excerpt."""
    return articles.select_related("feature_image").prefetch_related(
        renditions_prefetch("feature_image__renditions"),
        Prefetch("tagged_items", queryset=ArticlePageTag.objects.select_related("tag")),
    )


def _build(article: ArticlePage) -> str:
    """Build, store (when complete) and return the document of the live
    ``article`` (a row with id and :data:`~articles.models.VERSION_FIELDS`)."""
    stored = _with_parts(ArticlePage.objects.filter(pk=article.pk)).get()
    version = _version(stored, request=documents.OriginRequest())
    text = JSONRenderer().render(version).decode()
    references = body_references(stored)
    if stored.feature_image_id:
        references.add(f"image:{stored.feature_image_id}")
    documents.keep(
        article.pk,
        source=documents.source_of(article),
        text=text,
        references=references,
    )
    return text


def _listed_versions(ids: list[int], *, request) -> dict[int, dict]:
    """:func:`_listed` of the articles ``ids``, without building their
    documents: three queries (none for no ids)."""
    if not ids:
        return {}
    rows = _with_parts(ArticlePage.objects.filter(pk__in=ids))
    return {row.pk: _listed(row, request=request) for row in rows}


def _categories_by_path(articles: Iterable[ArticlePage]) -> dict[str, CategoryPage]:
    """The categories of ``articles`` by path, in one query (none if empty)."""
    paths = {article.path[: -Page.steplen] for article in articles}
    if not paths:
        return {}
    return {
        category.path: category
        for category in CategoryPage.objects.filter(path__in=paths).only(
            "id", "slug", "title", "path"
        )
    }
