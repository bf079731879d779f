"""Each article's detail answer, built once per published version.

Building an article's JSON (body blocks, rich text, renditions, tags, the
feature image, its URL) takes a dozen queries and most of a detail request;
it changes only when the article is published again or when something it
shows changes. :class:`api.models.ArticleDocument` keeps it. A detail request
finds the visible article and its document in one query and adds what changes
without a new version: the view count, the category, the newer, older and
related articles.

A stored document is used only while

- its ``source`` names the article's live version and :data:`FORMAT`: a new
  publication (or a new ``FORMAT`` after an upgrade) makes it stale, and the
  next read builds and stores it again;
- nothing it shows has changed: ``api.receivers`` deletes the documents that
  show an image, a document or a page when that one changes, those under a
  moved page, and all of them when a site changes.

A document whose images lack an API rendition (an image saved a moment ago,
its renditions still being made) is answered but not stored, so it can never
keep a missing size. Absolute URLs are stored with :data:`ORIGIN` in place of
scheme and host and replaced per request: one document serves every host the
site answers to.
"""

from collections.abc import Iterable, Iterator

import orjson
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from rest_framework.request import Request

from api import queries
from api.body import body_blocks, body_html, body_references
from api.models import ArticleDocument, DocumentReference
from api.renderers import JSONRenderer
from api.serializers import ArticleSerializer, link_data, page_path
from articles import detail_reads, selectors
from articles.models import ArticlePage, NewsImage
from articles.renditions import API_RENDITIONS
from counters.selectors import view_counts

#: Bump when the stored representation changes: every document is rebuilt.
#: 2: HTML sanitised (api.sanitize).
FORMAT = "2"
ORIGIN_HOST = "newsdesk-origin.invalid"  # RFC 6761: never a real host
ORIGIN = f"http://{ORIGIN_HOST}"
_STORED = (
    f"SELECT article_id, source, data FROM {ArticleDocument._meta.db_table}"
    " WHERE article_id IN ({ids})"
)


def detail_answer(
    *, request: Request, pk: int | None = None, slug: str | None = None
) -> dict | None:
    """The Article object of the visible article with id ``pk`` or slug
    ``slug``, or ``None`` if a reader may not see one.

    Four queries with a stored document (the article and its category, the
    document, the view count, the neighbours); a stale or missing document is
    built and stored first.
    """
    article = detail_reads.visible_article(pk=pk, slug=slug)
    if article is None:
        return None
    data = stored_documents([article], request=request, build_at_most=1)[article.pk]
    # Moving the article or its category changes its URL, not its version.
    data["url"] = page_path(article, request=request)
    data["category"] = {
        "id": article.category_id,
        "slug": article.category_slug,
        "name": article.category_title,
    }
    data["view_count"] = view_counts(page_ids=[article.pk]).get(article.pk, 0)
    data.update(neighbour_links(article, request=request))
    return data


def stored_documents(
    articles: Iterable[ArticlePage], *, request: HttpRequest, build_at_most: int
) -> dict[int, dict]:
    """The documents of the visible ``articles`` (rows with id,
    ``last_published_at`` and ``live_revision_id``) by id, their absolute URLs
    on ``request``'s host: one query when all are stored. Up to
    ``build_at_most`` stale or missing ones are built and stored first; the
    others are left out (the caller answers them another way)."""
    sources = {article.pk: source_of(article) for article in articles}
    if not sources:
        return {}
    with connection.cursor() as cursor:  # the ORM would take longer to build it
        cursor.execute(_STORED.format(ids=", ".join(["%s"] * len(sources))), [*sources])
        texts = {pk: data for pk, source, data in cursor if sources[pk] == source}
    missing = [pk for pk in sources if pk not in texts][:build_at_most]
    for pk in missing:
        texts[pk] = _build_and_store(article_id=pk, source=sources[pk])
    origin = request.build_absolute_uri("/")[:-1]
    return {
        pk: orjson.loads(text.replace(ORIGIN, origin)) for pk, text in texts.items()
    }


def source_of(article: ArticlePage) -> str:
    """What a document of the live ``article`` is built from."""
    published = article.last_published_at
    return ":".join(
        (
            FORMAT,
            str(article.live_revision_id or ""),
            published.isoformat() if published else "",
        )
    )


def build_documents(*, article_ids: Iterable[int]) -> Iterator[int]:
    """Build and store the documents of ``article_ids`` (visible ones only),
    yielding each id done: ``manage.py build_article_documents`` and the
    benchmark make them ahead of the first read."""
    ids = list(article_ids)
    fields = ("id", "path", "last_published_at", "live_revision_id")
    for start in range(0, len(ids), 500):
        chunk = selectors.visible_articles().filter(pk__in=ids[start : start + 500])
        for article in list(chunk.only(*fields)):
            _build_and_store(article_id=article.pk, source=source_of(article))
            yield article.pk


def forget(
    *, reference: str | None = None, article_ids: Iterable[int] | None = None
) -> int:
    """Delete the documents showing ``reference`` ("image:12", "page:40",
    "document:3", "embed", or "page:" for any page link), or those of
    ``article_ids``; with neither, every document. Returns how many."""
    documents = ArticleDocument.objects.all()
    if article_ids is not None:
        documents = documents.filter(article_id__in=list(article_ids))
    if reference is not None:
        kind, object_id = _split(reference)
        shown = DocumentReference.objects.filter(kind=kind)
        if object_id is not None:
            shown = shown.filter(object_id=object_id)
        documents = documents.filter(pk__in=shown.values("document_id"))
    return documents.delete()[1].get(ArticleDocument._meta.label, 0)


def article_context(
    article: ArticlePage,
    *,
    request: HttpRequest,
    neighbours: detail_reads.Neighbours | None = None,
) -> dict:
    """The context ``ArticleSerializer`` reads beside ``article`` (which has
    ``api.queries.with_article_data`` and a ``view_count``): request, body,
    category, neighbours (none unless given)."""
    neighbours = neighbours or detail_reads.Neighbours()
    blocks = body_blocks(article, request=request)
    return {
        "request": request,
        "categories": queries.categories_by_path([article]),
        "body": blocks,
        "body_html": body_html(blocks),
        "newer": neighbours.newer,
        "older": neighbours.older,
        "related": neighbours.related,
    }


# --- building -----------------------------------------------------------------


class _OriginRequest(HttpRequest):
    """A request whose absolute URLs start with :data:`ORIGIN`."""

    def get_host(self) -> str:
        return ORIGIN_HOST

    def _get_scheme(self) -> str:
        return "http"


def _build_and_store(*, article_id: int, source: str) -> str:
    article = queries.with_article_data(ArticlePage.objects.filter(pk=article_id))
    article = article.get()
    article.view_count = 0  # read per request, never stored
    context = article_context(article, request=_OriginRequest())
    text = JSONRenderer().render(ArticleSerializer(article, context=context).data)
    text = text.decode()
    references = body_references(article)
    if article.feature_image_id:
        references.add(f"image:{article.feature_image_id}")
    if _renditions_complete(references):
        _store(article_id, source=source, data=text, references=references)
    return text


def _renditions_complete(references: set[str]) -> bool:
    """Whether every existing image among ``references`` has all its API
    renditions (an image being saved gets them a moment after its row)."""
    ids = [pk for kind, pk in map(_split, references) if kind == "image" and pk]
    if not ids:
        return True
    images = NewsImage.objects.filter(pk__in=ids).annotate(
        made=Count(
            "renditions",
            filter=Q(renditions__filter_spec__in=list(API_RENDITIONS.values())),
        )
    )
    return all(image.made >= len(API_RENDITIONS) for image in images)


def _store(article_id: int, *, source: str, data: str, references: set[str]) -> None:
    shown = [
        DocumentReference(document_id=article_id, kind=kind, object_id=pk or 0)
        for kind, pk in map(_split, sorted(references))
    ]
    try:
        with transaction.atomic():
            ArticleDocument.objects.update_or_create(
                article_id=article_id, defaults={"source": source, "data": data}
            )
            DocumentReference.objects.filter(document_id=article_id).delete()
            DocumentReference.objects.bulk_create(shown)
    except IntegrityError:
        pass  # another worker stored the same version at the same moment


def _split(token: str) -> tuple[str, int | None]:
    """A reference's kind and id: ("image", 12); ("embed", None) and, for
    "page:" (any page), ("page", None)."""
    kind, _, object_id = token.partition(":")
    return kind, int(object_id) if object_id else None


# --- what changes without a new version -----------------------------------------


def neighbour_links(article: ArticlePage, *, request: Request) -> dict:
    """``newer``, ``older`` and ``related`` of the Article object; the
    article's category must be visible (``articles.detail_reads``)."""
    found = detail_reads.neighbours_of(article=article)

    def link(page):
        return None if page is None else link_data(page, request=request)

    return {
        "newer": link(found.newer),
        "older": link(found.older),
        "related": [link(page) for page in found.related],
    }


__all__ = [
    "ORIGIN",
    "build_documents",
    "detail_answer",
    "forget",
    "source_of",
    "stored_documents",
]
