"""Response shapes of API.md (read-only) and the list endpoint's parameters.

Serializers read what the selectors and views prepared (annotations,
prefetches, ``context``); none of them queries the database. Context keys:
``request``; ``categories`` (category path -> CategoryPage) for summaries;
``body`` (the body's API blocks) and ``neighbours`` for the full article.
"""

from datetime import UTC, datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.models import Page

from api.body import BODY_SCHEMA
from api.images import ImageSerializer, image_data
from articles.selectors import search_query_words


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField(source="title")


class CategorySerializer(CategoryRefSerializer):
    description = serializers.CharField(allow_blank=True)
    url = serializers.SerializerMethodField()
    article_count = serializers.SerializerMethodField()

    def get_url(self, category) -> str:
        return page_path(category, request=self.context["request"])

    def get_article_count(self, category) -> int:
        return self.context["article_counts"].get(category.path, 0)


class SiteTimeField(serializers.DateTimeField):
    """ISO 8601 in the site's zone, to the second: "2017-04-21T08:25:00+07:00".

    Whole seconds for every time: some clients (iOS's ISO8601DateFormatter by
    default) refuse fractional seconds.
    """

    def to_representation(self, value):
        if value is not None:
            value = value.replace(microsecond=0)
        return super().to_representation(value)


class ArticleLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    published_at = SiteTimeField()

    def get_url(self, article) -> str:
        return page_path(article, request=self.context["request"])


class ArticleSummarySerializer(ArticleLinkSerializer):
    """An article in lists: needs ``api.queries.with_summary_data`` on the
    queryset and ``context["categories"]`` (``api.queries.categories_by_path``)."""

    excerpt = serializers.CharField(source="get_excerpt", allow_blank=True)
    category = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    updated_at = SiteTimeField(source="last_published_at")
    feature_image = serializers.SerializerMethodField()
    view_count = serializers.IntegerField()

    @extend_schema_field(CategoryRefSerializer)
    def get_category(self, article):
        category = self.context["categories"][article.path[: -Page.steplen]]
        return CategoryRefSerializer(category).data

    def get_tags(self, article) -> list[str]:
        return sorted(item.tag.name for item in article.tagged_items.all())

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_feature_image(self, article):
        return image_data(article.feature_image, request=self.context["request"])


class SeoSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class ArticleSerializer(ArticleSummarySerializer):
    """The full article; ``context`` adds ``body``, ``body_html``, ``newer``,
    ``older`` and ``related`` prepared by the view."""

    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    newer = serializers.SerializerMethodField()
    older = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField()
    seo = serializers.SerializerMethodField()

    @extend_schema_field(BODY_SCHEMA)
    def get_body(self, article):
        return self.context["body"]

    def get_body_html(self, article) -> str:
        return self.context["body_html"]

    @extend_schema_field(ArticleLinkSerializer(allow_null=True))
    def get_newer(self, article):
        return self._link(self.context["newer"])

    @extend_schema_field(ArticleLinkSerializer(allow_null=True))
    def get_older(self, article):
        return self._link(self.context["older"])

    @extend_schema_field(ArticleLinkSerializer(many=True))
    def get_related(self, article):
        return ArticleLinkSerializer(
            self.context["related"], many=True, context=self.context
        ).data

    @extend_schema_field(SeoSerializer)
    def get_seo(self, article):
        return {
            "title": article.seo_title or article.title,
            "description": article.search_description or article.get_excerpt(),
        }

    def _link(self, article):
        if article is None:
            return None
        return ArticleLinkSerializer(article, context=self.context).data


class SiteSerializer(serializers.Serializer):
    name = serializers.CharField()
    language = serializers.CharField(help_text="BCP 47 language code.")
    timezone = serializers.CharField(help_text="IANA time zone of all times.")
    visit_count = serializers.IntegerField(help_text="The portal's visit counter.")
    article_count = serializers.IntegerField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, served as ``application/problem+json``."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by query parameter name: 400; 403 of the preview; "
        "404 of a `page` past the last one.",
    )


class PublicationTimeField(serializers.DateTimeField):
    """An ISO 8601 date or datetime (a date is its midnight, site time).

    Times in year 1 or 9999 overflow when shifted between zones; no article is
    that old or that new, so they are clamped, which changes no result.
    """

    earliest = datetime(2, 1, 1, tzinfo=UTC)
    latest = datetime(9998, 12, 31, tzinfo=UTC)

    def enforce_timezone(self, value: datetime) -> datetime:
        if value.year <= 1:
            return self.earliest
        if value.year >= 9999:
            return self.latest
        return super().enforce_timezone(value)


#: The letters and digits a search needs one of, spelled out: in a schema's
#: pattern ``\w`` means ASCII to JavaScript and to schema tools, any letter to
#: Python. Latin letters (Vietnamese included) and digits, each of which folds
#: to a word character (``articles.vietnamese.fold_for_search``).
SEARCH_LETTERS = r"0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"

ORDERINGS = ("-published_at", "published_at", "-view_count", "view_count")
ORDERINGS += ("title", "-title")


class ArticleListParams(serializers.Serializer):
    """Query parameters of ``GET /api/v1/articles/``; anything else is a 400."""

    page = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="1-based page."
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=100, help_text="Default 20, max 100."
    )
    category = serializers.SlugField(
        required=False, max_length=255, help_text="A category's slug."
    )
    # Patterns say in the schema what the server refuses: a NUL character
    # (no database stores one). Values are taken as sent, spaces included, so
    # that maxLength means what it says.
    tag = serializers.RegexField(
        r"^[^\x00]+$",
        required=False,
        max_length=100,
        trim_whitespace=False,
        help_text="Tag name, exactly.",
    )
    search = serializers.RegexField(
        rf"^[^\x00]*[{SEARCH_LETTERS}][^\x00]*$",
        required=False,
        max_length=200,
        trim_whitespace=False,
        error_messages={"invalid": "Give at least one letter or digit."},
        help_text="Words to find in title, excerpt and body, with or without "
        "Vietnamese marks; results are ordered by relevance. At least one Latin "
        "letter (Vietnamese included) or digit.",
    )
    published_after = PublicationTimeField(
        required=False,
        help_text="ISO 8601 date or datetime; articles published at or after it "
        "(a date means its midnight, site time).",
    )
    published_before = PublicationTimeField(
        required=False,
        help_text="ISO 8601 date or datetime; articles published strictly before it.",
    )
    ordering = serializers.ChoiceField(
        required=False, choices=ORDERINGS, help_text="Ignored when searching."
    )

    def validate_search(self, value: str) -> str:
        if not search_query_words(value):
            raise serializers.ValidationError("Give at least one letter or digit.")
        return value


_SITE_TIME = SiteTimeField()


def site_time(value: datetime | None) -> str | None:
    """``value`` as ``SiteTimeField`` writes it."""
    return _SITE_TIME.to_representation(value)


def link_data(page: Page, *, request) -> dict:
    """``ArticleLinkSerializer``'s answer for ``page`` (a page with
    ``published_at``), without binding a serializer: a list's summaries and a
    detail's neighbours make many (tests/api/test_summaries.py holds the two
    equal)."""
    return {
        "id": page.pk,
        "slug": page.slug,
        "title": page.title,
        "url": page_path(page, request=request),
        "published_at": site_time(page.published_at),
    }


def page_path(page: Page, *, request) -> str:
    """The page's path on the site ("/tin-tuc-su-kien/slug/"), for routing."""
    parts = page.get_url_parts(request)
    return parts[2] if parts else ""


__all__ = [
    "ArticleLinkSerializer",
    "ArticleListParams",
    "ArticleSerializer",
    "ArticleSummarySerializer",
    "CategorySerializer",
    "ImageSerializer",
    "SiteSerializer",
]
