# newsdesk: Wagtail admin + JSON API served by gunicorn.
#
#   docker build -t newsdesk .
#   docker compose run --rm web python manage.py migrate      # a separate step
#   docker compose up -d
#
# See docs/deploy.md. The base tag pins Python 3.11 on Debian 12; pin its digest
# (python:3.11-slim-bookworm@sha256:...) for byte-for-byte reproducible builds.

# --- builder: the virtualenv, compiled translations and collected static files
FROM python:3.11-slim-bookworm AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH

# Every pinned dependency ships manylinux wheels that bundle their C libraries
# (libpq in psycopg-binary, libjpeg/libwebp in Pillow, libheif in pillow_heif),
# so neither stage needs a compiler or apt packages.
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --only-binary=:all: -r /tmp/requirements.txt

WORKDIR /app
COPY . .
# SECRET_KEY is needed only to import the settings; this throwaway value lives in
# this one RUN line and is never part of the image's environment.
RUN pybabel compile --domain django --directory locale --statistics \
    && SECRET_KEY=collectstatic-build-only-not-a-secret \
       python manage.py collectstatic --noinput --verbosity 0

# --- runtime: the venv, the app and nothing else
FROM python:3.11-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=cms.settings \
    MEDIA_ROOT=/app/media \
    PORT=8000

# pg_dump and pg_restore for manage.py backup and restore (docs/deploy.md):
# bookworm's 15, the compose file's PostgreSQL major version.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15=15.* \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

# Code, venv and static files stay root-owned (read-only to the app user); only
# the media directory is the app's to write.
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
WORKDIR /app
RUN mkdir -p /app/media && chown app:app /app/media
# Declared after the chown so a new named volume starts out owned by the app user.
VOLUME ["/app/media"]

USER 10001:10001
EXPOSE 8000

# /healthz/ is exempt from the HTTPS redirect; "localhost" must be in ALLOWED_HOSTS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; r = u.urlopen(u.Request('http://127.0.0.1:%s/healthz/' % os.environ.get('PORT', '8000'), headers={'Host': 'localhost'}), timeout=4); sys.exit(r.status != 200)"]

# Workers, threads, timeout and bind come from the environment: gunicorn.conf.py.
CMD ["gunicorn", "cms.wsgi"]
