"""Sitemaps for search engines (docs/api.md, "Feeds and sitemaps").

``/api/v1/sitemap.xml`` is a sitemap index naming: the articles' sitemaps
(``sitemaps/articles.xml?page=N``, paged at the protocol's 50,000 URLs), the
categories' (with the home page) and a Google News sitemap of the articles
published in the last two days. URLs are on the frontend
(``FRONTEND_BASE_URL``), else on this host; ``lastmod`` is an article's last
publication, a category's newest article's.

Django's ``Sitemap`` does the paging, ``items``, ``location`` and
``lastmod``; its views are not used: they put every URL on the host the
request named and write dates without times, where these go to the frontend
and say the time.
"""

from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request

from api import representation
from api.feeds import TextXmlRenderer, XmlRenderer, site_name
from api.pagination import PageNotFound
from api.params import refuse_query_params, validated_params
from api.schema import PROBLEM, PROBLEM_TYPE
from api.views import CachedReadView
from articles import selectors
from articles.models import ArticlePage
from cms.frontend import public_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_TYPE = "application/xml; charset=utf-8"
#: Google News takes the articles of the last two days, at most 1,000.
NEWS_DAYS = 2
NEWS_LIMIT = 1000


class RequestSitemap(Sitemap):
    """A Django ``Sitemap`` whose locations are public URLs of site paths."""

    def __init__(self, *, request: Request):
        self.request = request

    def location(self, item) -> str:
        path = representation.page_path(item, request=self.request)
        return public_url(path, request=self.request)

    def page(self, number: int) -> list:
        """The items of page ``number`` (404 naming ``page`` past the last)."""
        try:
            return list(self.paginator.page(number).object_list)
        except EmptyPage:
            raise PageNotFound("Invalid page.") from None


class ArticleSitemap(RequestSitemap):
    # limit: Django's, the protocol's 50,000 URLs per sitemap.

    def items(self):
        return (
            selectors.visible_articles()
            .only("id", "path", "url_path", "last_published_at")
            .order_by("pk")
        )

    def lastmod(self, item: ArticlePage):
        return item.last_published_at

    def get_latest_lastmod(self):
        # Django's would read every item.
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


class CategorySitemap(RequestSitemap):
    """The home page, then the visible categories."""

    def items(self):
        newest = (
            selectors.visible_articles()
            .filter(path__startswith=OuterRef("path"))
            .order_by("-last_published_at")
            .values("last_published_at")[:1]
        )
        return [None, *selectors.visible_categories().annotate(newest=Subquery(newest))]

    def location(self, item) -> str:
        if item is None:
            return public_url("/", request=self.request)
        return super().location(item)

    def lastmod(self, item):
        if item is None:
            return selectors.visible_articles().aggregate(
                latest=Max("last_published_at")
            )["latest"]
        return item.newest


class NewsSitemap(RequestSitemap):
    """Articles published in the last :data:`NEWS_DAYS` days, newest first."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return (
            selectors.visible_articles()
            .filter(published_at__gte=since)
            .only("id", "path", "url_path", "title", "published_at")
            .order_by(*selectors.ORDERINGS[selectors.DEFAULT_ORDERING])[:NEWS_LIMIT]
        )


# --- XML --------------------------------------------------------------------------


def _w3c(value) -> str:
    """W3C datetime in the site's zone, to the second (``api.representation``)."""
    return representation.site_time(value)


def _document(root: str, attributes: dict, write) -> bytes:
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement(root, attributes)
    write(xml)
    xml.endElement(root)
    xml.endDocument()
    return out.getvalue().encode()


def index_xml(entries: list[tuple[str, object]]) -> bytes:
    def write(xml):
        for location, lastmod in entries:
            xml.startElement("sitemap", {})
            xml.addQuickElement("loc", location)
            if lastmod is not None:
                xml.addQuickElement("lastmod", _w3c(lastmod))
            xml.endElement("sitemap")

    return _document("sitemapindex", {"xmlns": SITEMAP_NS}, write)


def urlset_xml(sitemap: RequestSitemap, items: list) -> bytes:
    def write(xml):
        for item in items:
            xml.startElement("url", {})
            xml.addQuickElement("loc", sitemap.location(item))
            if (lastmod := sitemap.lastmod(item)) is not None:
                xml.addQuickElement("lastmod", _w3c(lastmod))
            xml.endElement("url")

    return _document("urlset", {"xmlns": SITEMAP_NS}, write)


def news_xml(sitemap: NewsSitemap, items: list, *, name: str, language: str) -> bytes:
    def write(xml):
        for item in items:
            xml.startElement("url", {})
            xml.addQuickElement("loc", sitemap.location(item))
            xml.startElement("news:news", {})
            xml.startElement("news:publication", {})
            xml.addQuickElement("news:name", name)
            xml.addQuickElement("news:language", language)
            xml.endElement("news:publication")
            xml.addQuickElement("news:publication_date", _w3c(item.published_at))
            xml.addQuickElement("news:title", item.title)
            xml.endElement("news:news")
            xml.endElement("url")

    return _document("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS}, write)


# --- views ------------------------------------------------------------------------


class SitemapPageParams(serializers.Serializer):
    page = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="1-based page of 50,000 URLs (the index names each).",
    )


def _xml(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type=XML_TYPE)


def _absolute(request: Request, name: str) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}"))


XML_OK = OpenApiResponse(OpenApiTypes.STR, description="XML (sitemaps.org 0.9).")


class SitemapView(CachedReadView):
    renderer_classes = [XmlRenderer, TextXmlRenderer]


class SitemapIndexView(SitemapView):
    @extend_schema(
        operation_id="sitemap_index",
        responses={(200, "application/xml"): XML_OK, (400, PROBLEM_TYPE): PROBLEM},
        summary="The sitemap index: every sitemap below, each page of them",
        description="Names the articles' sitemaps (one per 50,000 URLs), the "
        "categories' and the Google News sitemap, with `lastmod`.",
    )
    def get(self, request: Request) -> HttpResponse:
        refuse_query_params(request)
        articles = ArticleSitemap(request=request)
        latest = articles.get_latest_lastmod()
        url = _absolute(request, "sitemap-articles")
        entries = [(url, latest)]
        entries += [
            (f"{url}?page={n}", latest)
            for n in range(2, articles.paginator.num_pages + 1)
        ]
        entries.append((_absolute(request, "sitemap-categories"), latest))
        # Google News reads its own sitemap fresh: no lastmod to compare.
        entries.append((_absolute(request, "sitemap-news"), None))
        return _xml(index_xml(entries))


class ArticleSitemapView(SitemapView):
    @extend_schema(
        operation_id="sitemap_articles",
        parameters=[SitemapPageParams],
        responses={
            (200, "application/xml"): XML_OK,
            (400, PROBLEM_TYPE): PROBLEM,
            (404, PROBLEM_TYPE): PROBLEM,
        },
        summary="The visible articles' URLs with lastmod, 50,000 a page",
        description="URLs on the frontend; `lastmod` is the last publication.",
    )
    def get(self, request: Request) -> HttpResponse:
        number = validated_params(request, SitemapPageParams).get("page", 1)
        sitemap = ArticleSitemap(request=request)
        return _xml(urlset_xml(sitemap, sitemap.page(number)))


class CategorySitemapView(SitemapView):
    @extend_schema(
        operation_id="sitemap_categories",
        responses={(200, "application/xml"): XML_OK, (400, PROBLEM_TYPE): PROBLEM},
        summary="The home page and the visible categories' URLs",
        description="`lastmod` is the newest article's last publication.",
    )
    def get(self, request: Request) -> HttpResponse:
        refuse_query_params(request)
        sitemap = CategorySitemap(request=request)
        return _xml(urlset_xml(sitemap, sitemap.items()))


class NewsSitemapView(SitemapView):
    @extend_schema(
        operation_id="sitemap_news",
        responses={(200, "application/xml"): XML_OK, (400, PROBLEM_TYPE): PROBLEM},
        summary="Google News sitemap: the articles of the last two days",
        description="At most 1,000 articles published in the last two days, "
        "newest first, with `news:publication` (site name, vi), "
        "`news:publication_date` and `news:title`.",
    )
    def get(self, request: Request) -> HttpResponse:
        refuse_query_params(request)
        sitemap = NewsSitemap(request=request)
        body = news_xml(
            sitemap,
            list(sitemap.items()),
            name=site_name(request),
            language=settings.LANGUAGE_CODE,
        )
        return _xml(body)
