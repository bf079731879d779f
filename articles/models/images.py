"""The project's image model: Wagtail's image plus a default caption and credit.

Chosen at the first migration because swapping image models later is painful.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.search import index


class NewsImage(AbstractImage):
    """A photo in the library. ``description`` (Wagtail's own) is its alt text."""

    caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("Shown under the photo unless an article gives its own."),
    )
    credit = models.CharField(_("credit"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")
    search_fields = [*AbstractImage.search_fields, index.SearchField("caption")]

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        # Unused: Wagtail's image permission policy checks wagtailimages.Image's
        # permissions (articles.newsroom). Kept to spare a migration.
        permissions = [("choose_newsimage", "Can choose image")]


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(
        NewsImage, related_name="renditions", on_delete=models.CASCADE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("image", "filter_spec", "focal_point_key"),
                name="unique_news_rendition",
            )
        ]
