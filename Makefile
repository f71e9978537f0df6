# omskevents: the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
PYTHON_FOR_VENV ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	command -v $$p; break; fi; done)
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# The suite runs in parallel processes (pytest-xdist), a file's tests together in one process; TEST_WORKERS=0
# runs it in one process.
TEST_WORKERS ?= 2

.PHONY: help install run test lint format messages deploy-check bench loadtest fault-run two-nodes screenshots clean

help:
	@echo "make run    - install if needed, migrate, load demo data, start web + Celery worker + beat"
	@echo "make screenshots - the README's screenshots (docs/screenshots/) from the demo data in Chromium"
	@echo "make test   - the whole test suite"
	@echo "make lint   - ruff, ruff format --check, mypy"
	@echo "make bench  - benchmarks (writes var/bench.json); make bench BENCH_ARGS=--small for a quick run"
	@echo "make loadtest, make fault-run, make two-nodes, make deploy-check, make messages"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then echo "Python 3.11 or newer is required." >&2; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@mkdir -p var
	@touch $(STAMP)

install: $(STAMP)
	$(BIN)/pybabel compile --domain=django --directory=omskevents/locale

# honcho runs web, worker and beat (omskevents/Procfile); unbuffered, each process's lines (runserver's address,
# beat's banner) show as they are written, not when the process exits.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PYTHONUNBUFFERED=1 $(BIN)/honcho -f omskevents/Procfile -d . start

test: install
	$(BIN)/python -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The production settings must pass Django's deployment checks (a throwaway key and host stand in).
deploy-check: install
	DJANGO_SETTINGS_MODULE=omskevents.settings.production \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	ALLOWED_HOSTS=orgcom.example.ru TRUSTED_PROXIES=127.0.0.1 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Benchmarks on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set, SQLite otherwise (var/bench.json).
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m omskevents.bench $(BENCH_ARGS)

# 50 users reading and writing for two minutes; every confirmed write is counted in the database.
LOADTEST_ARGS ?=
loadtest: install
	$(BIN)/python -m omskevents.bench.loadtest $(LOADTEST_ARGS)

# Each fault injected mid-delivery into two workers, two beats, a PostgreSQL server and a Redis of its own and an SMTP server:
# due, delivered, lost, duplicated, flagged (docs/reliability.md). CI: make fault-run FAULT_ARGS=--small
FAULT_ARGS ?=
fault-run: install
	$(BIN)/python -m omskevents.bench.faultrun $(FAULT_ARGS)

# Two gunicorn nodes (separate local folders) on the same PostgreSQL, Redis and an S3 server on loopback:
# sessions, uploaded files and fresh pages across nodes. Needs DATABASE_URL (PostgreSQL) and REDIS_URL.
two-nodes: install
	REQUIRE_SERVICES=1 $(BIN)/python -m pytest -p no:cacheprovider tests/test_two_nodes.py

# The README's screenshots (docs/screenshots/) taken again in Chromium against the demo data of the configured
# database; SCREENSHOT_ARGS="--all --out /tmp/shots" adds the pages a reviewer looks at beside them.
SCREENSHOT_ARGS ?=
screenshots: install
	$(BIN)/python -m omskevents.bench.screenshots $(SCREENSHOT_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages --locale=ru --locale=en --locale=kk --no-obsolete \
		--ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='omskevents/bench/*' --ignore='static/vendor/*'
	$(BIN)/python manage.py makemessages --domain=djangojs --locale=ru --locale=en --locale=kk --no-obsolete \
		--ignore='.venv/*' --ignore='var/*' --ignore='static/vendor/*'
	$(BIN)/pybabel compile --domain=django --directory=omskevents/locale --statistics

clean:
	rm -rf var/broker var/mail var/staticfiles
