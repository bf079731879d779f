"""Test settings: the real settings with test-only defaults.

``DATABASE_URL`` and ``REDIS_URL`` from the environment still apply, so the same
suite runs on SQLite (default) and on PostgreSQL/Redis in CI.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
# Most tests sign in with a password only; the two-factor tests turn it on.
os.environ.setdefault("REQUIRE_2FA", "0")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="newsdesk-test-media-"))
# The suite creates its database and migrates it on a server shared with other
# runs (CREATE DATABASE waits for a checkpoint): PostgreSQL's statement timeout
# would end that, not a request. Fault tests set the production values.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "60")

from cms.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
