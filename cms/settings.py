"""Settings for newsdesk, read from the environment (12-factor).

Every variable is documented in README.md. Development defaults apply only where
they are safe: with ``DEBUG`` off (the default), ``SECRET_KEY`` must be set.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from corsheaders.defaults import default_headers as corsheaders_default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (e.g. SECRET_KEY=$(openssl rand "
        "-base64 48))."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cms",
    "articles",
    "counters",
    "api",
    "webhooks",
    "security",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes (static).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # intcomma: counts in the admin as Vietnamese write them (3.191).
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every answer, whatever made it (kept API answers, error pages) (cms.csp).
    "cms.csp.AreaPolicyMiddleware",
    # First to see the answers on their way out: compresses what the rest made.
    "api.caching.ApiGZipMiddleware",
    "cms.reader_site.ReaderGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Outside the session and CSRF middleware, so that it sees every cookie a
    # response sets (a response setting one is never marked public).
    "api.caching.ApiCacheHeadersMiddleware",
    # Kept API answers, served before the middleware that they do not need.
    "api.response_cache.ResponseCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese whatever Accept-Language says (an editor may choose English
    # in their own account); Django's LocaleMiddleware would follow the browser.
    "cms.language.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): a second factor passed in this session.
    "django_otp.middleware.OTPMiddleware",
    # An admin user without one reaches only the two-factor pages (security).
    "security.middleware.RequireSecondFactorMiddleware",
    # The client address for security log entries written without a request.
    "security.middleware.RequestAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # After CSRF and authentication: one article per "new article" form and one
    # save of a page at a time, however autosave and save race (articles.drafts).
    "articles.middleware.PageSaves",
    # Last, as django-axes asks: answers a locked-out sign-in (articles.sign_in).
    "axes.middleware.AxesMiddleware",
]

# --- Admin sign-in: lockout after repeated failures (django-axes) ------------

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username at this address before any password
    # is checked, and records each failure (in the database: axes' tables).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A username at an address is locked after this many failures in a row, for
# the cool-off; a success resets the count. By the pair, not each alone: no one
# can lock an editor out from elsewhere, nor lock a whole newsroom behind one
# NAT address by mistyping.
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(
    minutes=env.int("ADMIN_LOGIN_COOLOFF_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address as counting reads it: X-Forwarded-For only from a
# TRUSTED_PROXIES address, never as a client sent it.
AXES_CLIENT_IP_CALLABLE = "counters.visitors.client_address"
AXES_LOCKOUT_CALLABLE = "articles.sign_in.locked_out"
AXES_VERBOSE = False

# --- Two-factor sign-in and the audit log (security) -------------------------

# An admin user who has not set up a second factor (an authenticator app) is
# sent to set it up before anything else; one who has is always asked for a
# code. Off, setting it up is left to each user.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
# Days the security log (sign-ins, addresses, lockouts, second factors,
# permission changes) keeps its entries; `manage.py prune_audit_log` (in the
# scheduler) deletes older ones. Wagtail's own page and object history stays.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=365)

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
# WSGI layers around Django's handler (cms/wsgi.py): kept API answers served
# without the request/middleware stack (api.fast_path; bench/README.md).
WSGI_MIDDLEWARE = ["api.fast_path.KeptAnswers"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write to one file: WAL lets readers run beside the
    # writer, IMMEDIATE takes the write lock at BEGIN (no lock upgrade deadlock),
    # and the busy timeout waits for it instead of raising "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# PostgreSQL that does not answer (stopped, hung, a row lock held) must cost a
# request seconds, not a worker for ever (issue 22; docs/deploy.md, "When
# PostgreSQL fails"): seconds to connect, the longest statement and wait for a
# lock the server allows, and the client's own deadline on any round trip
# (cms.postgresql: a server that is not running never ends its statements).
# 0 turns one off (e.g. DATABASE_STATEMENT_TIMEOUT=0 for a long migration).
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=5)
DATABASE_LOCK_TIMEOUT = env.float("DATABASE_LOCK_TIMEOUT", default=3)
DATABASE_DEADLINE = env.float(
    "DATABASE_DEADLINE",
    default=DATABASE_STATEMENT_TIMEOUT + 2 if DATABASE_STATEMENT_TIMEOUT else 0,
)


def _postgresql_limits(database: dict) -> None:
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    database["ENGINE"] = "cms.postgresql"
    options = database.setdefault("OPTIONS", {})
    if DATABASE_CONNECT_TIMEOUT:
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    startup = [
        f"-c {name}={int(seconds * 1000)}"
        for name, seconds in (
            ("statement_timeout", DATABASE_STATEMENT_TIMEOUT),
            ("lock_timeout", DATABASE_LOCK_TIMEOUT),
        )
        if seconds
    ]
    if startup:
        options["options"] = " ".join([options.get("options", ""), *startup]).strip()
    options["deadline"] = DATABASE_DEADLINE


_postgresql_limits(DATABASES["default"])

# A new connection per request costs more than most API reads (PostgreSQL's
# handshake; SQLite's open and PRAGMAs; bench/README.md): keep them.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A pooler in transaction pooling (PgBouncer) between the app and PostgreSQL
# (docs/deploy.md) lends a server connection for one transaction only, so no
# cursor may outlive a transaction: no server-side cursors (``.iterator()``).
# Kept connections (``DB_CONN_MAX_AGE``) are then to the pooler, and cheap.
# Unset: pooled when the URL's port is PgBouncer's usual 6432.
DATABASE_POOLED = env.bool(
    "DATABASE_POOLED", default=str(DATABASES["default"].get("PORT")) == "6432"
)

# A streaming read replica for the public API's reads (cms/replicas.py); the
# primary keeps every write, counting, the preview and the admin.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # Tests: the replica is the test database itself.
        "TEST": {"MIRROR": "default"},
    }
    _postgresql_limits(DATABASES["replica"])
    DATABASE_ROUTERS = ["cms.replicas.ReplicaRouter"]
    # First: the request's reads are routed from the start.
    MIDDLEWARE.insert(0, "cms.replicas.ReplicaReadsMiddleware")
for _database in DATABASES.values():
    _database["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_POOLED

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------

# Every worker process must see the same cache (cached JSON, throttle history),
# so without Redis it is the database cache table, never per-process memory.
REDIS_URL = env.str("REDIS_URL", default="")
_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "newsdesk_cache",
    "OPTIONS": {"MAX_ENTRIES": env.int("DATABASE_CACHE_MAX_ENTRIES", default=200_000)},
}
if REDIS_URL:
    CACHES = {
        # Unused while Redis is the cache, and named so that `createcachetable`
        # makes its table anyway: removing Redis later finds it there.
        "database": _DATABASE_CACHE,
        "default": {
            # Django's Redis cache answering misses while Redis is unreachable.
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsdesk",
            # A dead Redis must fail fast: the database path answers instead.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
else:
    CACHES = {"default": _DATABASE_CACHE}

# --- Counting (counters) ---------------------------------------------------

# A visitor counts once per article per window, and once per site visit window.
COUNTING_VIEW_WINDOW = env.int("COUNTING_VIEW_WINDOW_SECONDS", default=24 * 3600)
COUNTING_VISIT_WINDOW = env.int("COUNTING_VISIT_WINDOW_SECONDS", default=30 * 60)
# Reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Counting requests per client address (DRF throttle rate, e.g. "120/min").
COUNTING_THROTTLE_RATE = env.str("COUNTING_THROTTLE_RATE", default="120/min")
# /readyz/ says the flusher is behind when the oldest count still in the Redis
# buffer is older than this (seconds).
COUNTING_BUFFER_MAX_AGE = env.int("COUNTING_BUFFER_MAX_AGE", default=120)

# --- API (DRF) -------------------------------------------------------------


# --- Internationalisation --------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Vietnamese admin (issue #7): catalogs, dates --------------------------
# locale/vi is built by `make messages` and kept complete by `make
# messages-update` (docs/i18n.md). Dates read and are typed day first
# (21/04/2017 08:25): cms/formats/<lang>/formats.py, and Wagtail's date pickers
# write the first of those input formats.
FORMAT_MODULE_PATH = ["cms.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILADMIN_USER_LOGIN_FORM = "cms.login.LoginForm"
# No English an editor meets (issue 21, tests/browser/test_admin_english.py):
# the account's time zones are the newsroom's (Wagtail lists every zone's
# English name), and no banner about Wagtail's English release notes.
WAGTAIL_USER_TIME_ZONES = env.list("ADMIN_TIME_ZONES", default=[TIME_ZONE])
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# --- end Vietnamese admin --------------------------------------------------

# --- Newsroom: e-mail notifications, offline admin (issue 15) ---------------
# Approval steps notify the next approver by e-mail (Wagtail's notifications,
# Vietnamese subjects from locale/vi). Development prints them on the console.
EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsdesk@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Offline and air-gapped installs: no avatars from gravatar.com and no release
# check from the browser unless turned on (a provider URL such as
# "//www.gravatar.com/avatar"; "1" or "lts" for the check).
WAGTAIL_GRAVATAR_PROVIDER_URL = (
    env.str("WAGTAIL_GRAVATAR_PROVIDER_URL", default="") or None
)
_UPDATE_CHECK = env.str("WAGTAIL_ENABLE_UPDATE_CHECK", default="0").strip().lower()
WAGTAIL_ENABLE_UPDATE_CHECK = (
    "lts" if _UPDATE_CHECK == "lts" else _UPDATE_CHECK in ("1", "true", "on", "yes")
)
# The hosts the admin's Content-Security-Policy then lets it reach.
_GRAVATAR_ORIGINS = (
    ["https://" + urlsplit(WAGTAIL_GRAVATAR_PROVIDER_URL, scheme="https").netloc]
    if WAGTAIL_GRAVATAR_PROVIDER_URL
    else []
)
_RELEASE_CHECK_ORIGINS = (
    ["https://releases.wagtail.org"] if WAGTAIL_ENABLE_UPDATE_CHECK else []
)
# --- end newsroom -----------------------------------------------------------

# --- Static and media files ------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_MEDIA_URLS = [MEDIA_URL]  # where images come from (Content-Security-Policy)
if AWS_STORAGE_BUCKET_NAME:
    # Media on S3-compatible storage (AWS, MinIO, R2, ...) through django-storages;
    # credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    _MEDIA_URLS += [
        AWS_S3_ENDPOINT_URL or "",
        f"https://{AWS_S3_CUSTOM_DOMAIN}" if AWS_S3_CUSTOM_DOMAIN else "",
    ]
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False

# --- Wagtail ---------------------------------------------------------------

WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Cổng thông tin điện tử Quận 11")
# The admin's address in workflow e-mails and absolute media URLs. Unset: the
# development server's HOST and PORT, not a fixed localhost:8000 (make run sets
# it for every process: honcho gives each its own PORT).
_DEV_ADDRESS = f"{env.str('HOST', default='127.0.0.1')}:{env.int('PORT', default=8000)}"
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default=f"http://{_DEV_ADDRESS}"
).rstrip("/")
WAGTAILIMAGES_IMAGE_MODEL = "articles.NewsImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "articles.forms.NewsImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_BYTES", default=10 * 2**20)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # PostgreSQL: no English stemming or stop words ("to", "the", "do" are
        # Vietnamese syllables once folded); run update_index after changing it.
        "SEARCH_CONFIG": "simple",
    },
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- API --------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "newsdesk API",
    "DESCRIPTION": (
        "Articles, categories and counters of the news portal, as JSON. Errors "
        "are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.public_api_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_common_errors",
        "api.schema.add_webhook_event",
        "api.schema.sparse_fieldsets",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's local copy, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Seconds a browser or CDN may reuse an API response before revalidating.
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=60)
# Seconds the API keeps a built answer in the shared cache (api.response_cache;
# 0: off). Publishing, unpublishing, moving or deleting retires answers at
# once; view counts in them are at most this old.
API_RESPONSE_CACHE_SECONDS = env.int(
    "API_RESPONSE_CACHE_SECONDS", default=API_CACHE_MAX_AGE
)
# The cache tier's instances (Varnish, deploy/varnish/), e.g.
# "http://varnish-1:6081/,http://varnish-2:6081/": each gets a PURGE of the
# content key whenever content changes (api.purge). Empty: no cache tier.
VARNISH_PURGE_URLS = env.list("VARNISH_PURGE_URLS", default=[])

# The change feed (/api/v1/changes/) keeps deletions this many days; a client
# whose cursor is older is told to sync again (410).
CHANGES_RETENTION_DAYS = env.int("CHANGES_RETENTION_DAYS", default=30)

# A new article only the admin's autosave saved (its editor never saved,
# submitted or published it), closed this many hours ago, is deleted by the
# scheduler (manage.py sweep_drafts). A week: a draft left on Friday is still
# there on Monday.
AUTOSAVE_DRAFT_MAX_AGE_HOURS = env.int("AUTOSAVE_DRAFT_MAX_AGE_HOURS", default=168)

# Background work (django-tasks): Wagtail's own tasks run at once, in the
# request, as before ("default"); webhook deliveries are stored in the
# database and run by `manage.py db_worker --backend background`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["webhooks"],
    },
}
# Webhooks (webhooks/): seconds a receiver has to answer, the first retry's
# delay (doubled at each retry) and how long a delivery is retried.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_RETRY_FOR_SECONDS = env.int("WEBHOOK_RETRY_FOR_SECONDS", default=86400)
# Host names (as in the URL) a webhook may reach although they are internal
# (loopback, private, link-local...): everything else internal is refused, at
# registration and at each delivery (webhooks/addresses.py).
WEBHOOK_ALLOWED_PRIVATE_HOSTS = [
    host.strip().lower().strip("[]")
    for host in env.list("WEBHOOK_ALLOWED_PRIVATE_HOSTS", default=[])
    if host.strip()
]

# Cross-origin reads of /api/ only, from the listed origins (none when unset).
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS", "POST"]
# A frontend on another origin identifies its reader to the counting endpoints
# with this header (cookies are not sent cross-origin without credentials).
CORS_ALLOW_HEADERS = (*corsheaders_default_headers, "x-visitor-id", "if-none-match")
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# --- Frontend: "View live" and preview (issue 7; docs/preview.md) -----------

# Where readers see the site, e.g. https://quan11.example.vn: "View live" in the
# admin opens FRONTEND_BASE_URL + the page's path. Unset: Wagtail's own URLs.
FRONTEND_BASE_URL = env.str("FRONTEND_BASE_URL", default="").rstrip("/")
# The frontend's preview route; "{token}" is replaced by the preview token,
# e.g. https://quan11.example.vn/preview?token={token}. Unset: Wagtail's preview.
FRONTEND_PREVIEW_URL = env.str("FRONTEND_PREVIEW_URL", default="")
if FRONTEND_PREVIEW_URL and "{token}" not in FRONTEND_PREVIEW_URL:
    raise ImproperlyConfigured("FRONTEND_PREVIEW_URL must contain {token}.")
# Seconds a preview token stays valid.
PREVIEW_TOKEN_MAX_AGE = env.int("PREVIEW_TOKEN_MAX_AGE", default=3600)
# The frontend reads the API from the browser (the preview too), so its origins
# are allowed cross-origin without repeating them in CORS_ALLOWED_ORIGINS.
_FRONTEND_ORIGINS = []
for _frontend_url in filter(None, (FRONTEND_BASE_URL, FRONTEND_PREVIEW_URL)):
    _parts = urlsplit(_frontend_url)
    if _parts.scheme not in ("http", "https") or not _parts.netloc:
        raise ImproperlyConfigured(f"Not an http(s) URL: {_frontend_url!r}.")
    _FRONTEND_ORIGINS.append(_origin := f"{_parts.scheme}://{_parts.netloc}")
    if _origin not in CORS_ALLOWED_ORIGINS:
        CORS_ALLOWED_ORIGINS.append(_origin)

# --- The reader site at / (issue 14; docs/reader.md) -----------------------

# The reader single-page app (reader/site/) is served at / by this server unless
# it lives elsewhere: by default, when FRONTEND_BASE_URL is set. Off, page
# routes redirect there (cms/reader_site.py).
READER_ROOT = BASE_DIR / "reader" / "site"
SERVE_READER = env.bool("SERVE_READER", default=not FRONTEND_BASE_URL)
if SERVE_READER:
    # WhiteNoise serves the app's files at the site root; cms.reader_site
    # answers index.html for its routes.
    WHITENOISE_ROOT = READER_ROOT

# --- End of frontend settings ------------------------------------------------

# --- Embeds and Content-Security-Policy --------------------------------------

# Hosts whose https iframes an article's HTML may hold (embeds: video, maps,
# posts); any other iframe is removed from body_html (api.sanitize), and the
# pages' Content-Security-Policy lets frames load from these only.
EMBED_IFRAME_HOSTS = env.list(
    "EMBED_IFRAME_HOSTS",
    default=[
        "www.youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "www.facebook.com",
        "www.google.com",
    ],
)
_EMBED_ORIGINS = [f"https://{host}" for host in EMBED_IFRAME_HOSTS]
# Where uploaded images are served from besides this site (S3, a CDN).
_MEDIA_ORIGINS = [
    f"{parts.scheme}://{parts.netloc}"
    for parts in map(urlsplit, _MEDIA_URLS)
    if parts.scheme in ("http", "https") and parts.netloc
]
_SELF, _NONE, _INLINE = "'self'", "'none'", "'unsafe-inline'"
_NEVER_FRAMED_ELSEWHERE = {
    "object-src": [_NONE],
    "base-uri": [_SELF],
    "form-action": [_SELF],
}
# HTML for readers (the reader site at /, Wagtail's page routes): nothing
# inline, nothing from elsewhere but images and the allowed embeds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "img-src": [_SELF, "data:", *_MEDIA_ORIGINS],
        "frame-src": _EMBED_ORIGINS or [_NONE],
        "frame-ancestors": [_SELF],
        **_NEVER_FRAMED_ELSEWHERE,
    }
}
# (prefix, directives): the first prefix the path starts with wins (cms.csp).
CSP_AREA_POLICIES = [
    # Swagger UI: its scripts are files here; its page has one inline <style>.
    (
        "/api/v1/docs/",
        {
            "default-src": [_NONE],
            "script-src": [_SELF],
            "style-src": [_SELF, _INLINE],
            "img-src": [_SELF, "data:"],
            "connect-src": [_SELF],
            "frame-ancestors": [_NONE],
            **_NEVER_FRAMED_ELSEWHERE,
        },
    ),
    # JSON: a browser showing an answer loads nothing, and never in a frame.
    ("/api/", {"default-src": [_NONE], "frame-ancestors": [_NONE]}),
    # Wagtail's admin writes inline scripts (date pickers, inline panels,
    # chooser modals) and style attributes: only its own and inline code, no
    # plugins, frames from itself (preview), the frontend's preview and the
    # allowed embeds, images from here, the media host and blob: (upload
    # previews).
    (
        "/admin/",
        {
            "default-src": [_SELF],
            "script-src": [_SELF, _INLINE],
            "style-src": [_SELF, _INLINE],
            "img-src": [_SELF, "data:", "blob:", *_MEDIA_ORIGINS, *_GRAVATAR_ORIGINS],
            "connect-src": [_SELF, *_RELEASE_CHECK_ORIGINS],
            "font-src": [_SELF, "data:"],
            "frame-src": [_SELF, *_FRONTEND_ORIGINS, *_EMBED_ORIGINS],
            "frame-ancestors": [_SELF],
            **_NEVER_FRAMED_ELSEWHERE,
        },
    ),
]
# No request from the admin leaves for other hosts unless an operator turns
# Gravatar or the release check on (WAGTAIL_GRAVATAR_PROVIDER_URL,
# WAGTAIL_ENABLE_UPDATE_CHECK above): then the admin's policy allows that host.

# --- Security (production) -------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# HSTS for every subdomain, and asking browsers to preload the domain (hard to
# undo), commit the whole domain, not just this app: its owner opts in with the
# two settings above, so `check --deploy` need not warn about the defaults.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One line per background task and page action is noise on a console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # A line per sign-in; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
