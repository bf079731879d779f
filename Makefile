# newsdesk: `make run` to set up and serve, `make test` to set up and test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install messages messages-update i18n-coverage migrate backup restore demo run test test-fast faults lint deploy-check bench bench-search bench-import scale contract clean types types-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

## install: create .venv, install the pinned dependencies, compile translations
install: $(STAMP) messages

messages: $(STAMP)
	$(BIN)/pybabel compile --domain "django djangojs" --directory locale --statistics

## messages-update: add new Wagtail/newsdesk msgids to locale/vi (docs/i18n.md)
messages-update: export DEBUG ?= 1
messages-update: $(STAMP)
	$(BIN)/python manage.py messages_update
	$(MAKE) messages

## i18n-coverage: Vietnamese share per admin catalog; fails below the thresholds
i18n-coverage: export DEBUG ?= 1
i18n-coverage: messages
	$(BIN)/python manage.py i18n_coverage

## migrate: create or update the database (and the shared cache table)
migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

## backup: flush the counting buffer, then the database (pg_dump, or SQLite's
## backup API) and the media into BACKUP_DIR (default backups/<UTC time>)
backup restore: export DEBUG ?= 1
backup: install
	$(BIN)/python manage.py backup $(if $(BACKUP_DIR),--to $(BACKUP_DIR))

## restore: BACKUP_DIR=... into DATABASE_URL and MEDIA_ROOT (asks first; renews
## the change feed's epoch); `manage.py restore --check DIR` only verifies
restore: install
	$(BIN)/python manage.py restore $(BACKUP_DIR)

## run: set up SQLite with demo content, then run the Procfile (honcho): serve on
## http://$(HOST):$(PORT) (the reader site at /, the admin's preview in it:
## docs/reader.md), flush the counting buffer, publish scheduled articles
run migrate: export DEBUG ?= 1
run: export FRONTEND_PREVIEW_URL ?= http://$(HOST):$(PORT)/preview?token={token}
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py setup_newsroom --demo-users
	$(BIN)/python manage.py ensure_dev_superuser
	PATH="$(abspath $(BIN)):$$PATH" HOST=$(HOST) $(BIN)/honcho start -f Procfile -p $(PORT)

## test: install, then run the whole suite (SQLite unless DATABASE_URL is set)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-fast: the suite without the tests marked slow (servers, browsers, Varnish,
## replicas, child processes): the inner loop; make test and CI run everything
test-fast: install
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

## faults: counting and serving under faults (own Redis and gunicorn; bench/README.md)
faults: install
	$(BIN)/python -m harness.faults $(FAULTS_ARGS)

## contract: schemathesis (--checks all, bounded) against a real gunicorn
contract: install
	PYTHON=$(BIN)/python bash scripts/check_contract.sh

## bench: the read API under load beside Wagtail's API v2 and the floor
## (ARTICLES=1000; DATABASE_URL for PostgreSQL; REDIS_URL for the warm cache)
bench: install
	$(BIN)/python -m bench.api --articles $(or $(ARTICLES),1000) $(BENCH_ARGS)

## bench-search: PostgreSQL search in process, bounded and exact, alternating
## (DATABASE_URL=postgres://...; ARTICLES=100000; bench/README.md)
bench-search: install
	$(BIN)/python -m bench.search --articles $(or $(ARTICLES),100000)

## scale: N app instances behind Varnish on PostgreSQL + Redis under wrk, publishing
## meanwhile (ARTICLES=100000 by default; SCALE_ARGS="--instances 3 ..."; bench/README.md)
scale: install
	$(BIN)/python -m bench.scale --articles $(or $(ARTICLES),100000) $(SCALE_ARGS)

## bench-import: time importing 1,000 generated legacy dumps on a fresh temp SQLite
bench-import: export DEBUG ?= 1
bench-import: install
	$(BIN)/python bench/import_legacy.py --dumps $(or $(DUMPS),1000)

## lint: ruff, the import layers (import-linter, pyproject.toml) and hadolint
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

## deploy-check: lint the Dockerfile and run the image's start-up steps here
deploy-check: install
	PYTHON=$(BIN)/python bash scripts/check_deploy.sh

# --- TypeScript types and the reader's type check (docs/reader.md); npm only here
TS := clients/typescript
TS_BIN := $(TS)/node_modules/.bin

$(TS_BIN)/tsc: $(TS)/package-lock.json
	cd $(TS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## types: regenerate clients/typescript/schema.d.ts from the OpenAPI schema
types: export DEBUG ?= 1
types: install $(TS_BIN)/tsc
	$(BIN)/python manage.py spectacular --api-version v1 --file $(TS)/openapi.yaml
	$(TS_BIN)/openapi-typescript $(TS)/openapi.yaml --output $(TS)/schema.d.ts

## types-check: fail if schema.d.ts is stale; type-check the reader's API calls
## and compile the typed example (clients/typescript/example.ts) under --strict
types-check: export DEBUG ?= 1
types-check: install $(TS_BIN)/tsc
	$(BIN)/python manage.py spectacular --api-version v1 --file $(TS)/openapi.yaml
	$(TS_BIN)/openapi-typescript $(TS)/openapi.yaml --output $(TS)/schema.check.d.ts
	@diff -u $(TS)/schema.d.ts $(TS)/schema.check.d.ts \
	  || { echo "clients/typescript/schema.d.ts is stale: run make types" >&2; exit 1; }
	$(TS_BIN)/tsc --project reader/tsconfig.json
	$(TS_BIN)/tsc --project $(TS)/tsconfig.json
# --- end TypeScript

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
