"""Admin widgets that know Vietnamese."""

from wagtail.admin.widgets.slug import SlugInput

from articles.vietnamese import SLUG_FORMATTERS


class VietnameseSlugInput(SlugInput):
    """Wagtail's slug input, folding Vietnamese letters before it slugifies.

    Wagtail's own script turns "đ" into "dj" and drops letters with two marks
    ("Hội nghị" -> "hi-ngh"); the formatters run first in the browser and give
    the same slug as :func:`articles.vietnamese.slugify_vi` on the server.
    """

    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(
            attrs=attrs, formatters=formatters or SLUG_FORMATTERS, locale=locale
        )
