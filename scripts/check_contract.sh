#!/usr/bin/env bash
# The API against its own OpenAPI document, with schemathesis: a real gunicorn
# (gunicorn.conf.py, DEBUG off) on a fresh SQLite file with the demo content,
# every operation, every check (`--checks all`: server errors, status codes,
# content types, headers and bodies against the schema, schema-valid requests
# accepted and schema-violating ones refused, other methods 405, ...), in all
# phases (examples, coverage, fuzzing, stateful), bounded and derandomised.
# The counting POSTs run in the same pass with the per-address throttle lifted
# (every request comes from one address here; the throttle has its own tests).
# Exits non-zero on any failure.
#
#   PYTHON=.venv/bin/python scripts/check_contract.sh      (from any directory)
#   CONTRACT_EXAMPLES=50 CONTRACT_SEED=1 CONTRACT_MAX_TIME=240: the bounds
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

PYTHON=${PYTHON:-.venv/bin/python}
if [[ $PYTHON != */* ]]; then
    PYTHON=$(command -v "$PYTHON" || true)
fi
[[ -x $PYTHON ]] || { echo "contract: FAIL: no python at '$PYTHON'" >&2; exit 1; }
BIN=$(cd "$(dirname "$PYTHON")" && pwd)
PYTHON=$BIN/$(basename "$PYTHON")

step() { echo "contract: $*"; }
fail() { echo "contract: FAIL: $*" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/newsdesk-contract.XXXXXX")
GUNICORN_PID=
cleanup() {
    if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DJANGO_SETTINGS_MODULE=cms.settings DEBUG=0 SECRET_KEY=contract-check-only
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" REDIS_URL= MEDIA_ROOT="$WORK/media"
export COUNTING_THROTTLE_RATE=
export GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=2

step "fresh database with the demo content"
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py createcachetable
"$PYTHON" manage.py load_demo >/dev/null

step "gunicorn on 127.0.0.1:$PORT"
"$BIN/gunicorn" cms.wsgi --config "$ROOT/gunicorn.conf.py" \
    --access-logfile "$WORK/access.log" --error-logfile "$WORK/error.log" \
    --access-logformat '%(s)s %(m)s %(U)s' &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
    if "$PYTHON" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz/', timeout=2)" 2>/dev/null; then
        break
    fi
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$WORK/error.log" >&2; fail "gunicorn exited"; }
    sleep 0.5
done

step "schemathesis --checks all"
cd "$WORK"  # schemathesis keeps its cassettes and cache in the working folder
status=0
"$BIN/st" --config-file "$ROOT/schemathesis.toml" \
    run "http://127.0.0.1:$PORT/api/v1/schema/" \
    --checks all \
    --mode all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "${CONTRACT_EXAMPLES:-50}" \
    --seed "${CONTRACT_SEED:-1}" \
    --max-time "${CONTRACT_MAX_TIME:-240}" \
    --request-timeout 30 \
    --no-color || status=$?
if grep -qE "^5[0-9][0-9] " "$WORK/access.log" || grep -q "Traceback" "$WORK/error.log"; then
    grep -m 20 -E "^5[0-9][0-9] " "$WORK/access.log" >&2 || true
    grep -m 20 -A 20 "Traceback" "$WORK/error.log" >&2 || true
    fail "the server answered 5xx or logged an error"
fi
[[ $status -eq 0 ]] || fail "schemathesis found the failures above"
step "ok"
