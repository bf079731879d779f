"""Admin forms."""

from django.db import transaction
from wagtail.images.forms import BaseImageForm

from articles.renditions import generate_api_renditions


class NewsImageForm(BaseImageForm):
    """Wagtail's image form; remakes the API renditions after a file change.

    When an editor replaces the file, Wagtail's form deletes every rendition after
    the model is saved, so the ones made on save are gone: make them again.
    """

    def save(self, commit=True):
        # One transaction: what reacts to the image's change once it commits
        # (the API's stored answers) sees the new renditions, never the old.
        with transaction.atomic():
            image = super().save(commit=commit)
            if commit and "file" in self.changed_data:
                generate_api_renditions(image)
        return image
