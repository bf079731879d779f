"""Admin forms."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from articles.renditions import generate_api_renditions

UNREADABLE_IMAGE = _(
    "This image file is damaged or incomplete and cannot be opened. Save it again "
    "from an image editor, or choose another file."
)


class ReadableImageField(WagtailImageField):
    """Wagtail's image field, which also refuses a file Pillow cannot decode.

    Wagtail recognises an image by its first bytes; a file that starts like a
    PNG but whose header is corrupt (a bad checksum, a lying size) made its
    pixel check raise instead of refusing the file, and a truncated one would
    fail later, when the renditions are made. The whole image is decoded once
    here, after Wagtail's size and pixel limits (so never a decompression
    bomb): whatever Pillow cannot open is a form error on ``file``.
    """

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as exc:  # Pillow's many errors for a broken file
            raise _unreadable() from exc
        try:
            f.seek(0)
            with PILImage.open(f) as image:
                image.load()
        except Exception as exc:
            raise _unreadable() from exc
        finally:
            f.seek(0)


def _unreadable() -> ValidationError:
    return ValidationError(UNREADABLE_IMAGE, code="invalid_image")


class NewsImageForm(BaseImageForm):
    """Wagtail's image form; the file must decode (``ReadableImageField``);
    remakes the API renditions after a file change.

    When an editor replaces the file, Wagtail's form deletes every rendition after
    the model is saved, so the ones made on save are gone: make them again.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail builds the field (formfield_for_dbfield); the same one, checked
        # further. Every upload path (add, multiple add, chooser) uses this form.
        if isinstance(field := self.fields.get("file"), WagtailImageField):
            self.fields["file"] = ReadableImageField(
                label=field.label,
                required=field.required,
                widget=field.widget,
                max_length=field.max_length,
            )

    def save(self, commit=True):
        # One transaction: what reacts to the image's change once it commits
        # (the API's stored answers) sees the new renditions, never the old.
        with transaction.atomic():
            image = super().save(commit=commit)
            if commit and "file" in self.changed_data:
                generate_api_renditions(image)
        return image
