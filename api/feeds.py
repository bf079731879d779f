"""RSS 2.0 and JSON Feed 1.1 of the latest articles, all or one category's
(docs/api.md, "Feeds and sitemaps").

Items are the visible articles (``articles.selectors``), newest first, as
``api.representation.article_summaries`` shows them: the feeds only reword
those summaries (title, excerpt, image, tags, times) in each format's terms.
Links point where readers read: the frontend (``FRONTEND_BASE_URL``), else
this host. RSS is written by Django's syndication framework; JSON Feed has no
writer there, so it is built here.
"""

import mimetypes
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from wagtail.models import Site

from api import representation
from api.params import validated_params, visible_category
from api.renderers import JSONRenderer
from api.schema import PROBLEM, PROBLEM_TYPE
from api.views import CachedReadView
from articles import selectors
from cms.frontend import public_url

#: Articles in a feed: the list's default page, so a feed costs what a page
#: of the list does (bench/README.md); days of this newsroom's articles.
FEED_LENGTH = 20
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"
RSS_TYPE = "application/rss+xml; charset=utf-8"
MEDIA_NS = "http://search.yahoo.com/mrss/"


class FeedParams(serializers.Serializer):
    """Query parameters of the feeds; anything else is a 400."""

    category = serializers.SlugField(
        required=False,
        max_length=255,
        help_text="A category's slug: its articles only (404 if unknown).",
    )


@dataclass(frozen=True)
class Latest:
    """What both feeds say: about the feed, then its articles' summaries."""

    title: str
    description: str
    home_url: str
    feed_url: str
    summaries: list[dict]


def site_name(request) -> str:
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def latest(request: Request) -> Latest:
    """The latest visible articles, of ``?category=`` if given."""
    slug = validated_params(request, FeedParams).get("category")
    category = visible_category(slug) if slug else None
    rows = (
        selectors.visible_articles()
        .filter(selectors.narrowing(category=category))
        .only(*representation.SUMMARY_COLUMNS)
        .order_by(*selectors.ORDERINGS[selectors.DEFAULT_ORDERING])[:FEED_LENGTH]
    )
    name = site_name(request)
    if category is None:
        title, home, description = name, "/", f"Tin mới nhất của {name}"
    else:
        title = f"{category.title} – {name}"
        home = representation.page_path(category, request=request)
        description = category.description or f"Tin mới nhất: {category.title}"
    return Latest(
        title=title,
        description=description,
        home_url=public_url(home, request=request),
        feed_url=request.build_absolute_uri(),
        summaries=representation.article_summaries(list(rows), request=request),
    )


def feed_image(summary: dict) -> dict | None:
    """The largest rendition made of the feature image (else the original):
    ``{"url", "width", "height"}``, or ``None`` without an image."""
    image = summary["feature_image"]
    if image is None:
        return None
    renditions = image["renditions"]
    for name in ("large", "medium"):
        if renditions.get(name):
            return renditions[name]
    return {key: image[key] for key in ("url", "width", "height")}


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


# --- RSS 2.0 (Django's syndication framework) -------------------------------------


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 with Media RSS's ``media:content`` (size and type of the image
    beside the ``enclosure``, which has no room for them)."""

    content_type = RSS_TYPE

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if image := item.get("image"):
            handler.addQuickElement(
                "media:content",
                "",
                {
                    "url": image["url"],
                    "medium": "image",
                    "type": _image_type(image["url"]),
                    "width": str(image["width"]),
                    "height": str(image["height"]),
                },
            )


def _image_type(url: str) -> str:
    return mimetypes.guess_type(url)[0] or "image/jpeg"


class LatestArticlesRss(Feed):
    """Django's ``Feed`` over a :class:`Latest` (its ``obj``)."""

    feed_type = MediaRssFeed

    def __init__(self, *, request: Request):
        super().__init__()
        self.request = request
        self.language = settings.LANGUAGE_CODE

    def title(self, obj: Latest) -> str:
        return obj.title

    def link(self, obj: Latest) -> str:
        return obj.home_url

    def feed_url(self, obj: Latest) -> str:
        return obj.feed_url

    def description(self, obj: Latest) -> str:
        return obj.description

    def items(self, obj: Latest) -> list[dict]:
        return obj.summaries

    def item_title(self, item: dict) -> str:
        return item["title"]

    def item_description(self, item: dict) -> str:
        return item["excerpt"]

    def item_link(self, item: dict) -> str:
        return public_url(item["url"], request=self.request)

    def item_pubdate(self, item: dict) -> datetime | None:
        return _time(item["published_at"])

    def item_updateddate(self, item: dict) -> datetime | None:
        return _time(item["updated_at"])

    def item_categories(self, item: dict) -> list[str]:
        return [item["category"]["name"], *item["tags"]]

    def item_enclosures(self, item: dict) -> list[Enclosure]:
        image = feed_image(item)
        if image is None:
            return []
        # RSS asks for a length; the size is not known without reading the
        # file, and the RSS Advisory Board's advice for that case is 0.
        return [Enclosure(image["url"], "0", _image_type(image["url"]))]

    def item_extra_kwargs(self, item: dict) -> dict:
        return {"image": feed_image(item)}


def rss(latest_articles: Latest, *, request: Request) -> bytes:
    feed = LatestArticlesRss(request=request).get_feed(latest_articles, request)
    return feed.writeString("utf-8").encode()


# --- JSON Feed 1.1 ----------------------------------------------------------------


def json_feed(latest_articles: Latest, *, request: Request) -> dict:
    """The JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    return {
        "version": JSON_FEED_VERSION,
        "title": latest_articles.title,
        "home_page_url": latest_articles.home_url,
        "feed_url": latest_articles.feed_url,
        "description": latest_articles.description,
        "language": settings.LANGUAGE_CODE,
        "items": [_json_item(s, request=request) for s in latest_articles.summaries],
    }


def _json_item(summary: dict, *, request: Request) -> dict:
    url = public_url(summary["url"], request=request)
    item = {
        "id": url,
        "url": url,
        "title": summary["title"],
        # The summary has the excerpt, not the body: the article is at ``url``.
        "content_text": summary["excerpt"],
        "summary": summary["excerpt"],
        "date_published": summary["published_at"],
        "date_modified": summary["updated_at"],
        "tags": [summary["category"]["name"], *summary["tags"]],
    }
    if image := feed_image(summary):
        item["image"] = image["url"]
    return item


# --- views ------------------------------------------------------------------------


class RssRenderer(JSONRenderer):
    """What ``Accept`` may ask of the RSS feed. The feed is written as bytes
    by the view; this renderer only ever writes the problem details of
    errors (as JSON, served as ``application/problem+json``)."""

    media_type = "application/rss+xml"
    format = "xml"  # one format for all three: no ``format`` parameter


class XmlRenderer(RssRenderer):
    media_type = "application/xml"


class TextXmlRenderer(RssRenderer):
    media_type = "text/xml"


class JSONFeedRenderer(JSONRenderer):
    media_type = JSON_FEED_TYPE
    format = "json"


class JSONFeedSerializer(serializers.Serializer):
    """A JSON Feed 1.1 document, as this API writes it."""

    class ItemSerializer(serializers.Serializer):
        id = serializers.CharField(help_text="The article's URL, as `url`.")
        url = serializers.URLField(help_text="The article on the frontend.")
        title = serializers.CharField()
        content_text = serializers.CharField(allow_blank=True, help_text="The excerpt.")
        summary = serializers.CharField(allow_blank=True, help_text="The excerpt.")
        date_published = serializers.DateTimeField()
        date_modified = serializers.DateTimeField()
        tags = serializers.ListField(
            child=serializers.CharField(), help_text="The category's name, then tags."
        )
        image = serializers.URLField(
            required=False, help_text="The feature image's largest rendition."
        )

    version = serializers.CharField(help_text=JSON_FEED_VERSION)
    title = serializers.CharField()
    home_page_url = serializers.URLField()
    feed_url = serializers.URLField()
    description = serializers.CharField()
    language = serializers.CharField()
    items = ItemSerializer(many=True)


FEED_ERRORS = {
    (400, PROBLEM_TYPE): PROBLEM,
    (404, PROBLEM_TYPE): OpenApiResponse(
        PROBLEM.response, description="An unknown `category`."
    ),
}


class ArticlesRssView(CachedReadView):
    renderer_classes = [RssRenderer, XmlRenderer, TextXmlRenderer]

    @extend_schema(
        operation_id="feeds_articles_rss",
        parameters=[FeedParams],
        responses={
            (200, "application/rss+xml"): OpenApiResponse(
                OpenApiTypes.STR,
                description="RSS 2.0 (with Media RSS) of the latest "
                f"{FEED_LENGTH} articles, in Vietnamese.",
            ),
            **FEED_ERRORS,
        },
        summary="RSS 2.0 of the latest articles, all or one category's",
        description=f"The latest {FEED_LENGTH} visible articles, newest first, "
        "linked on the frontend (`FRONTEND_BASE_URL`), with their feature image "
        "as `enclosure` and `media:content`; `language` vi.",
    )
    def get(self, request: Request) -> HttpResponse:
        body = rss(latest(request), request=request)
        return HttpResponse(body, content_type=RSS_TYPE)


class ArticlesJsonFeedView(CachedReadView):
    renderer_classes = [JSONFeedRenderer, JSONRenderer]

    @extend_schema(
        operation_id="feeds_articles_json",
        parameters=[FeedParams],
        responses={(200, JSON_FEED_TYPE): JSONFeedSerializer, **FEED_ERRORS},
        summary="JSON Feed 1.1 of the latest articles, all or one category's",
        description=f"The latest {FEED_LENGTH} visible articles, newest first, "
        "as JSON Feed 1.1 items (url on the frontend, the excerpt as "
        "`content_text` and `summary`, the feature image as `image`).",
    )
    def get(self, request: Request) -> HttpResponse:
        document = json_feed(latest(request), request=request)
        body = JSONRenderer().render(document)
        return HttpResponse(body, content_type=JSON_FEED_TYPE)
