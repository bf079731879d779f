"""The Image object: absolute URLs and the three API renditions.

Renditions are made when an image is saved (``articles.receivers``); here they
are only read, from a prefetch, never created during a request.
"""

from collections.abc import Iterable

from django.db.models import Prefetch
from rest_framework import serializers
from rest_framework.request import Request
from wagtail.images.models import Filter

from articles.models import NewsImage, NewsRendition
from articles.renditions import API_RENDITIONS

_FILTERS = {name: Filter(spec) for name, spec in API_RENDITIONS.items()}


def renditions_prefetch(lookup: str = "renditions") -> Prefetch:
    """Prefetch of the API renditions for images reached through ``lookup``."""
    return Prefetch(
        lookup,
        queryset=NewsRendition.objects.filter(
            filter_spec__in=list(API_RENDITIONS.values())
        ),
        to_attr="prefetched_renditions",
    )


def images_with_renditions(ids: Iterable[int]) -> dict[int, NewsImage]:
    """Images by id with their API renditions prefetched (two queries, or none)."""
    ids = set(ids)
    if not ids:
        return {}
    images = NewsImage.objects.filter(pk__in=ids).prefetch_related(
        renditions_prefetch()
    )
    return {image.pk: image for image in images}


def rendition(image: NewsImage, name: str):
    """The named API rendition of a prefetched image, or None if never made."""
    return image.find_existing_renditions(_FILTERS[name]).get(_FILTERS[name])


def image_data(image: NewsImage | None, *, request: Request) -> dict | None:
    """The contract's Image object (``None`` for no image).

    ``image`` must have its renditions prefetched (:func:`renditions_prefetch`);
    a rendition that was never made is ``null``.
    """
    if image is None:
        return None
    renditions = {}
    for name in API_RENDITIONS:
        found = rendition(image, name)
        renditions[name] = (
            {
                "url": request.build_absolute_uri(found.url),
                "width": found.width,
                "height": found.height,
            }
            if found
            else None
        )
    return {
        "id": image.pk,
        "url": request.build_absolute_uri(image.file.url),
        "width": image.width,
        "height": image.height,
        "alt": image.description or image.caption or image.title,
        "caption": image.caption,
        "credit": image.credit,
        "renditions": renditions,
    }


# --- OpenAPI description ------------------------------------------------------


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class RenditionsSerializer(serializers.Serializer):
    thumbnail = RenditionSerializer(allow_null=True, help_text="fill 400×300")
    medium = RenditionSerializer(allow_null=True, help_text="within 800×800")
    large = RenditionSerializer(allow_null=True, help_text="within 1600×1600")


class ImageSerializer(serializers.Serializer):
    """Schema of the Image object; the data comes from ``api.images.image_data``."""

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The original file, absolute.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField(allow_blank=True)
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)
    renditions = RenditionsSerializer()
