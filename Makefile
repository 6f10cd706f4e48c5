# The two commands a newcomer needs (see README): `make demo` and `make test`.
# Both work on a fresh machine with python3 and make; the web UI is built when npm is present.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
INPUT  ?= ../shared/data/seed/
WEB_DIST := src/eventwire/serve/static/dist/index.html

.PHONY: demo test install install-test web check lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# Old pip breaks trafilatura's lxml_html_clean extra: upgrade first.
	$(BIN)/pip install -q -U pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The UI is optional for the CLI: without npm the API still runs and the page says how to build.
web:
	@if command -v npm >/dev/null 2>&1 && [ -f web/package.json ]; then \
		cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent; \
	else echo "npm not found: skipping the web UI build (the API still works)"; fi

## Main job on the embedded default (SQLite): ingest INPUT, print what was stored.
demo: install web
	$(BIN)/eventwire ingest $(INPUT)
	$(BIN)/eventwire articles
	$(BIN)/eventwire events --limit 60

## Whole test suite: lint + type check, then unit, store on SQLite + PostgreSQL, eval floors, browser.
test: install-test web
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: install-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) web/node_modules src/eventwire/serve/static/dist eventwire.db eventwire.db-*
