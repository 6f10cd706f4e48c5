# The two commands a newcomer needs (see README): `make demo` and `make test`.
# Both work on a fresh machine with python3 and make; the web UI is built when npm is present.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
INPUT  ?= ../shared/data/seed/
WEB_DIST := src/eventwire/serve/static/dist/index.html

.PHONY: demo test install install-test web check lint bench clean lock

# Dependencies come from hash-pinned lock files (what CI tested), never from a fresh resolve:
# requirements.lock (the app, plus setuptools/wheel to build it) and requirements-test.lock (the
# same pins plus the test tools). torch is the CPU build pip finds on this machine's disk
# (find-links), pinned by its hash like the rest. Regenerate both with `make lock`.
PIP_VERSION := 26.3

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q pip==$(PIP_VERSION)

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
		echo "requirements.lock no longer satisfies pyproject.toml: run 'make lock'" >&2; exit 1; }
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/pip install -q --require-hashes -r requirements-test.lock
	touch $@

# Re-resolve the lock files from pyproject.toml (after changing a dependency there). Existing
# pins are kept where they still fit; `make lock LOCK_UPGRADE=--upgrade` moves everything to
# the newest allowed release. The test lock is constrained to the app lock's pins.
LOCK_VENV ?= .venv-lock
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-find-links \
	--no-emit-index-url --no-emit-trusted-host $(LOCK_UPGRADE)
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install -q pip==$(PIP_VERSION) pip-tools==7.6.2; }
	$(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) --build-deps-for editable -o requirements.lock pyproject.toml
	$(LOCK_VENV)/bin/pip-compile $(LOCK_FLAGS) --extra test -c requirements.lock \
		-o requirements-test.lock pyproject.toml

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
	@echo "Open the web UI: $(BIN)/eventwire serve  (then http://127.0.0.1:8000/)"

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
	rm -rf $(VENV) $(LOCK_VENV) web/node_modules src/eventwire/serve/static/dist eventwire.db eventwire.db-*
