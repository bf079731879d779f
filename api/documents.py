"""The stored documents: what an article shows of a published version.

Building that part of an article's JSON (body blocks, rich text, renditions,
tags, the feature image) takes a dozen queries and most of a detail request;
it changes only when the article is published again or when something it
shows changes. :class:`api.models.ArticleDocument` keeps it, built by
``api.representation``, which joins what changes without a new version.

A stored document is used only while

- its ``source`` names the article's live version and :data:`FORMAT`: a new
  publication (or a new ``FORMAT`` after an upgrade) makes it stale, and the
  next read builds and stores it again;
- nothing it shows has changed: ``api.receivers`` deletes the documents that
  show an image, a document, a page, an embed or a tag when that one changes,
  those linking to any page when one moves, and all of them when a site
  changes (readers' view changed: ``articles.reader_changes``).

Whether a reader may see a page the body links to is not kept: it changes
with time and with restrictions, not with the article. Links stay marked in
the document and ``api.page_links`` resolves them on each read of a body (one
query for the body's links).

A document whose images lack an API rendition (an image saved a moment ago,
its renditions still being made) is answered but not stored, so it can never
keep a missing size. Absolute URLs (images, links) are built on
:class:`OriginRequest`, whose scheme and host are :data:`ORIGIN`, and
:func:`stored` puts the asking request's in its place: one document serves
every host the site answers to.
"""

from collections.abc import Callable, Iterable

import orjson
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest

from api.models import ArticleDocument, DocumentReference
from articles.models import VERSION_FIELDS, ArticlePage, NewsImage
from articles.renditions import API_RENDITIONS
from cms.replicas import read_connection

#: Bump when the stored representation changes: every document is rebuilt.
#: 2: only what a published version shows; 3: HTML sanitised (api.sanitize);
#: 4: page links marked, resolved on read (api.page_links).
FORMAT = "4"
ORIGIN_HOST = "newsdesk-origin.invalid"  # RFC 6761: never a real host
ORIGIN = f"http://{ORIGIN_HOST}"
_STORED = (
    f"SELECT article_id, source, data FROM {ArticleDocument._meta.db_table}"
    " WHERE article_id IN ({ids})"
)


class OriginRequest(HttpRequest):
    """The request documents are built on: absolute URLs start with
    :data:`ORIGIN`."""

    def get_host(self) -> str:
        return ORIGIN_HOST

    def _get_scheme(self) -> str:
        return "http"


def stored(
    articles: Iterable[ArticlePage],
    *,
    request: HttpRequest,
    build: Callable[[ArticlePage], str],
    build_at_most: int = 1,
) -> dict[int, dict]:
    """The documents of the visible ``articles`` (rows with id and
    ``VERSION_FIELDS``) by id, their absolute URLs on ``request``'s host: one
    query when all are stored. Up to ``build_at_most`` stale or missing ones
    are made by ``build`` first; the others are left out (the caller answers
    them another way)."""
    articles = {article.pk: article for article in articles}
    sources = {pk: source_of(article) for pk, article in articles.items()}
    if not sources:
        return {}
    # The ORM would take longer to build it.
    with read_connection().cursor() as cursor:
        cursor.execute(_STORED.format(ids=", ".join(["%s"] * len(sources))), [*sources])
        texts = {pk: data for pk, source, data in cursor if sources[pk] == source}
    for pk in [pk for pk in sources if pk not in texts][:build_at_most]:
        texts[pk] = build(articles[pk])
    origin = request.build_absolute_uri("/")[:-1]
    return {
        pk: orjson.loads(text.replace(ORIGIN, origin)) for pk, text in texts.items()
    }


def source_of(article: ArticlePage) -> str:
    """What a document of the live ``article`` is built from."""
    revision, published = (getattr(article, name) for name in VERSION_FIELDS)
    return ":".join(
        (FORMAT, str(revision or ""), published.isoformat() if published else "")
    )


def keep(article_id: int, *, source: str, text: str, references: set[str]) -> None:
    """Store ``text`` as the document of ``article_id`` built from ``source``,
    showing ``references`` (``kind:id`` tokens, see :func:`forget`), unless an
    image among them still lacks a rendition."""
    if not _renditions_complete(references):
        return
    shown = [
        DocumentReference(document_id=article_id, kind=kind, object_id=pk or 0)
        for kind, pk in map(_split, sorted(references))
    ]
    try:
        with transaction.atomic():
            ArticleDocument.objects.update_or_create(
                article_id=article_id, defaults={"source": source, "data": text}
            )
            DocumentReference.objects.filter(document_id=article_id).delete()
            DocumentReference.objects.bulk_create(shown)
    except IntegrityError:
        pass  # another worker stored the same version at the same moment


def forget(*, references: Iterable[str] = (), article_ids: Iterable[int] = ()) -> int:
    """Delete, in one statement, the documents showing any of ``references``
    ("image:12", "page:40", "document:3", "embed", "page:" for any page link,
    "*" for every document) or those of ``article_ids``. Returns how many."""
    references, article_ids = set(references), set(article_ids)
    documents = ArticleDocument.objects.all()
    if "*" not in references:
        which = Q(article_id__in=article_ids) if article_ids else Q()
        for reference in references:
            kind, object_id = _split(reference)
            shown = DocumentReference.objects.filter(kind=kind)
            if object_id is not None:
                shown = shown.filter(object_id=object_id)
            which |= Q(pk__in=shown.values("document_id"))
        if not which:
            return 0
        documents = documents.filter(which)
    return documents.delete()[1].get(ArticleDocument._meta.label, 0)


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


def _split(token: str) -> tuple[str, int | None]:
    """A reference's kind and id: ("image", 12); ("embed", None) and, for
    "page:" (any page), ("page", None)."""
    kind, _, object_id = token.partition(":")
    return kind, int(object_id) if object_id else None
