# Warmhuis: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_DEBUG ?= true

.PHONY: run test install lock lint check-deploy worker messages compile-messages

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
