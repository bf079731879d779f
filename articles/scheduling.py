"""Two dates an editor can mix up, and the warning when they disagree.

``published_at`` ("Thời điểm xuất bản", Settings tab) is the date readers see
on the article; an article dated in the future stays hidden until then.
Wagtail's ``go_live_at`` ("Thời điểm bắt đầu hiển thị", the schedule dialog)
is when the page goes live. A reader sees the article from the later of the
two, so an editor who sets only one, or two different ones, gets a surprise.
"""

from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Dates this close are the same time typed twice (the pickers have minutes).
SAME_TIME = timedelta(minutes=1)

PUBLISHED_AT_HELP = _(
    "The date readers see on the article (“Published at” in lists and on the "
    "page). An article dated in the future stays hidden until then. It does not "
    "schedule publishing: use “Set schedule” in the status panel for that. "
    "Empty: the time of first publication."
)
GO_LIVE_AT_HELP = _(
    "When the article goes live for readers. The date shown on it is "
    "“Published at” in the Settings tab: set both to the same time, or leave "
    "that one empty."
)


def _shown(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def schedule_warning(
    *, published_at: datetime | None, go_live_at: datetime | None, now: datetime
) -> str | None:
    """What to tell the editor when the two dates disagree (None when they agree)."""
    if published_at and go_live_at and abs(published_at - go_live_at) > SAME_TIME:
        return gettext(
            "The article shows the date %(published_at)s but goes live at "
            "%(go_live_at)s: readers see it from the later of the two. Set both "
            "to the same time, or leave “Published at” empty."
        ) % {
            "published_at": _shown(published_at),
            "go_live_at": _shown(go_live_at),
        }
    if published_at and published_at > now and not go_live_at:
        return gettext(
            "“Published at” is %(published_at)s, in the future: readers will not "
            "see the article before then. To schedule publishing, use “Set "
            "schedule” and leave “Published at” empty."
        ) % {"published_at": _shown(published_at)}
    return None
