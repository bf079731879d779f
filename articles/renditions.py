"""The image sizes the API offers, made when an image is saved."""

from wagtail.images.models import AbstractImage, AbstractRendition

#: Rendition name in the API -> Wagtail filter spec.
API_RENDITIONS: dict[str, str] = {
    "thumbnail": "fill-400x300",
    "medium": "max-800x800",
    "large": "max-1600x1600",
}


def generate_api_renditions(image: AbstractImage) -> dict[str, AbstractRendition]:
    """Make (or fetch) every API rendition of ``image``, keyed by API name.

    Called when an image is saved so that no reader's request pays for resizing.
    """
    by_spec = image.get_renditions(*API_RENDITIONS.values())
    return {name: by_spec[spec] for name, spec in API_RENDITIONS.items()}
