# Warmhuis: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_DEBUG ?= true

.PHONY: run test install lock lint check-deploy worker messages compile-messages bench load

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(VENV)/bin/pip install --quiet uv==0.13.8
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	touch $@

install: $(VENV)/.installed

## Install, migrate, load reference and demo data, serve on 127.0.0.1:$(PORT) with a background worker.
run: install compile-messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data
	trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py db_worker --interval 1 & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole test suite: lint, migrations in step with models, pytest (SQLite, or DATABASE_URL).
test: install compile-messages
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

## Issue 10's benchmark on PostgreSQL (not part of `make test`): builds, or reuses at the same scale, its own database
## (DATABASE_URL, default warmhuis_bench) and prints each page's queries, p50, p95, SQL time and the import's rows/s.
## HOUSEHOLDS=1000 ENTRIES=10000 RUNS=5 IMPORT_ROWS=500 make bench; BENCH_ARGS=--rebuild builds anew.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/warmhuis_bench
HOUSEHOLDS ?= 100000
ENTRIES ?= 1000000
RUNS ?= 20
IMPORT_ROWS ?= 10000
bench: install compile-messages
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DB)} $(PY) -m bench --households $(HOUSEHOLDS) --entries $(ENTRIES) \
	  --runs $(RUNS) --import-rows $(IMPORT_ROWS) $(BENCH_ARGS)

## Issue 14's load and abuse run on PostgreSQL (not part of `make test`; README, "Load and abuse run"): its own database
## (DATABASE_URL, default warmhuis_load) with demo data and 50 load users, gunicorn with DEBUG off on 127.0.0.1:8590
## (stopped at the end), locust for LOAD_SECONDS after everyone logged in; prints requests/s, p50, p95 and failures.
load: install compile-messages
	LOAD_SECONDS=$${LOAD_SECONDS:-60} bench/load/run.sh

## Compile the translations (the .mo files are built, not committed; needs gettext).
compile-messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles -v 0

## After changing translatable strings: update the Dutch catalogue, then fill in its empty msgstr.
messages: install
	$(PY) manage.py makemessages -l nl --ignore=.venv --ignore=staticfiles --ignore=media --no-obsolete --add-location=never -v 0
	sed -i '/^"POT-Creation-Date:/d' locale/nl/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles -v 0

lock:
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --quiet -o requirements.lock

worker: install
	$(PY) manage.py db_worker

check-deploy: install
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=warmhuis.example.nl \
	$(PY) manage.py check --deploy --fail-level WARNING
