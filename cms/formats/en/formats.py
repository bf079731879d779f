"""English admin, same day-first input as Vietnamese.

The date pickers write one format for every admin language (WAGTAIL_*_FORMAT),
so an editor who switches the admin to English must still have "21/04/2017"
read as 21 April, never as a month-first US date.
"""

from django.conf.locale.en.formats import *  # noqa: F403

from cms.formats.vi.formats import (  # noqa: F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_INPUT_FORMATS,
)
