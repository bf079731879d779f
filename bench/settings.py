"""The real settings, plus what only the benchmark mounts (bench/urls.py).

``NEWSDESK_WAGTAIL_API_V2=1`` adds Wagtail's own API v2 (``bench.wagtail_api``)
to compare against; production settings never include it.
"""

from cms.settings import *  # noqa: F403
from cms.settings import INSTALLED_APPS, env

ROOT_URLCONF = "bench.urls"

if env.bool("NEWSDESK_WAGTAIL_API_V2", default=False):
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2"]
    # Rich text as HTML with links and images resolved, as ours.
    WAGTAILAPI_RICH_TEXT_FORMAT = "html"
    WAGTAILAPI_LIMIT_MAX = 100
