# Catalyse — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The suite runs in one process per core (pytest-xdist); PYTEST_ARGS="-n 0 ..." runs it in this process.
PYTEST_ARGS ?= -n auto
HOST ?= 127.0.0.1
export CATALYSE_DATA_DIR ?= $(CURDIR)/var

.PHONY: run serve test lint bench gallery messages install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Development server with the territory referential and demo data (both loads are idempotent and quick
# when nothing changed).
run: install
	DEBUG=1 $(BIN)/catalyse migrate --noinput -v0
	DEBUG=1 $(BIN)/catalyse load_territories
	DEBUG=1 $(BIN)/catalyse load_demo
	DEBUG=1 $(BIN)/catalyse search_index --ensure
	DEBUG=1 $(BIN)/catalyse runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

# Screenshots of the main pages at 1280 and 390 px into docs/gallery/ (list: catalyse/core/tests/main_pages.py),
# and of the design system's components into docs/design/ (docs/design.md).
gallery: install-test
	CATALYSE_DATA_DIR=$$(mktemp -d) $(BIN)/python -m pytest -q -p no:cacheprovider -m gallery catalyse/core/tests/test_gallery.py catalyse/core/tests/test_design_gallery.py

# French plural rules for every plural message (catalyse/locale/fr): run after adding an ngettext or a
# {% blocktranslate count %}. Needs GNU gettext (Debian: gettext).
messages: install
	cd catalyse && DEBUG=1 ../$(BIN)/catalyse makemessages -l fr --no-location --ignore "tests/*" --ignore "*/tests/*" -v0
	$(BIN)/python scripts/french_plurals.py
	cd catalyse && DEBUG=1 ../$(BIN)/catalyse compilemessages -l fr -v0

bench: install-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
