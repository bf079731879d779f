"""The real settings plus a do-nothing view to compare against (bench/urls.py)."""

from cms.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
