"""Photos for legacy dumps: ``<dump-stem>-<n>.<jpg|jpeg|png|webp>`` in one folder.

The n-th caption of a dump (counting from 1) gets the photo numbered n. The
dumps lost their photos, so these files come from elsewhere (the old portal's
upload folder, a backup). Finding and checking them reads files only; nothing
here writes to the database.
"""

import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

_PHOTO_NAME = re.compile(
    r"(?P<stem>.+)-(?P<number>[1-9][0-9]*)\.(?:jpe?g|png|webp)", re.IGNORECASE
)
_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})


class PhotoError(ValueError):
    """A photo for a dump cannot be used; the message says which and why."""


class PhotoFolder:
    """The photos in one folder (not its subfolders), indexed by dump stem."""

    def __init__(self, folder: Path | None) -> None:
        self._by_stem: dict[str, dict[int, list[Path]]] = defaultdict(
            lambda: defaultdict(list)
        )
        if folder is None:
            return
        for path in sorted(folder.iterdir()):
            match = _PHOTO_NAME.fullmatch(path.name)
            if match and path.is_file():
                self._by_stem[match["stem"]][int(match["number"])].append(path)

    def photos_for(
        self, stem: str, *, captions: int
    ) -> tuple[dict[int, Path], list[str]]:
        """The checked photo of each caption number of dump ``stem``, and notes.

        A photo numbered beyond the dump's captions is left out with a note.
        Raises :class:`PhotoError` when a caption has two photos or a photo is
        not a JPEG, PNG or WebP picture within the upload limits.
        """
        photos: dict[int, Path] = {}
        notes: list[str] = []
        for number, paths in sorted(self._by_stem.get(stem, {}).items()):
            if len(paths) > 1:
                names = ", ".join(path.name for path in paths)
                raise PhotoError(f"caption {number} has more than one photo: {names}")
            if number > captions:
                notes.append(
                    f"photo {paths[0].name} left out: the dump has "
                    f"{captions} caption(s)"
                )
                continue
            check_photo(paths[0])
            photos[number] = paths[0]
        return photos, notes


def check_photo(path: Path) -> None:
    """Raise :class:`PhotoError` unless ``path`` is a usable JPEG, PNG or WebP.

    The same limits as an upload in the admin apply (file size, pixel count).
    """
    max_bytes = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None)
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", None)
    try:
        size = path.stat().st_size
        if max_bytes and size > max_bytes:
            raise PhotoError(
                f"photo {path.name} is {size:,} bytes, over the {max_bytes:,} limit"
            )
        with Image.open(path) as picture:
            picture_format = picture.format
            width, height = picture.size
            picture.verify()  # reads the whole file: catches truncated data
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError(
            f"photo {path.name} is not a readable image ({error})"
        ) from None
    except Image.DecompressionBombError:
        raise PhotoError(f"photo {path.name} has too many pixels") from None
    if picture_format not in _FORMATS:
        raise PhotoError(
            f"photo {path.name} is {picture_format}, not a JPEG, PNG or WebP picture"
        )
    if max_pixels and width * height > max_pixels:
        raise PhotoError(
            f"photo {path.name} has {width * height:,} pixels, over the "
            f"{max_pixels:,} limit"
        )
