"""Admin widgets that know Vietnamese."""

from wagtail.admin.widgets.datetime import AdminDateTimeInput
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


class ScheduleInput(AdminDateTimeInput):
    """Wagtail's date-time picker that leaves typed text for the server to read.

    The picker replaces text it cannot read in its display format (dd/mm/yyyy
    hh:mm) with the current time when the field loses focus, so an ISO date
    typed in "go live at" became "now" and the article went live at once. Left
    alone, the server accepts ISO 8601 besides the display format and refuses
    anything else with a field error.
    """

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}
