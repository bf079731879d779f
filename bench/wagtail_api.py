"""Wagtail's API v2 over the same articles, for the benchmark only.

Fields equivalent to ours: published date, excerpt, tags, the body (rich text
as HTML, ``WAGTAILAPI_RICH_TEXT_FORMAT`` in bench/settings.py), the feature
image and its three API renditions. Imported by bench/urls.py only when
``NEWSDESK_WAGTAIL_API_V2=1``.
"""

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.rich_text import expand_db_html

from articles.models import ArticlePage
from articles.renditions import API_RENDITIONS


class BodyField(serializers.Field):
    """The body as Wagtail's StreamField serializer gives it, with what our
    blocks ask of their context supplied the way Wagtail's own blocks do it:
    rich text expanded to HTML, a body image as its id."""

    def to_representation(self, value):
        context = {
            "rich_text": expand_db_html,
            "image": lambda image: image.pk if image else None,
            "embed_html": lambda url: "",
        }
        return value.stream_block.get_api_representation(value, context)


ArticlePage.api_fields = [
    APIField("published_at"),
    APIField("last_published_at"),
    APIField("excerpt"),
    APIField("tags"),
    APIField("feature_image"),
    *(
        APIField(
            f"feature_image_{name}",
            serializer=ImageRenditionField(spec, source="feature_image"),
        )
        for name, spec in API_RENDITIONS.items()
    ),
    APIField("body", serializer=BodyField()),
]

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PagesAPIViewSet)
